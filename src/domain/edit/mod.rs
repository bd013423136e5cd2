//! Changing a diagram: every change is a [`Command`]; applying one returns its
//! inverse, which is what [`History`] keeps for undo.

mod command;
pub mod create;
pub mod delete;
mod history;
pub mod properties;

pub use command::{apply, Command, EditError};
pub use history::History;
