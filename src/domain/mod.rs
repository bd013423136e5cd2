//! The pure domain: no browser, no I/O, no clock, no randomness.

pub mod camera;
pub mod canvas;
pub mod codec;
pub mod diff;
pub mod edit;
pub mod export;
pub mod image;
pub mod import;
pub mod model;
pub mod number;
pub mod outline;
pub mod quick_hash;
pub mod route;
pub mod scene;
#[cfg(not(target_arch = "wasm32"))]
pub mod schema;
pub mod sorting;
pub mod templates;
pub mod text;
pub mod validate;
