//! Changing a diagram: every change is a [`Command`]; applying one returns its
//! inverse, which is what [`History`] keeps for undo.

mod acl_fields;
pub mod arrange;
mod command;
pub mod connect;
pub mod create;
pub mod delete;
pub mod duplicate;
pub mod fields;
mod history;
pub mod item_fields;
pub mod line;
pub mod place;
pub mod properties;
pub mod region;
pub mod relate;
pub mod routing;

pub use command::{apply, Command, EditError};
pub use history::History;
