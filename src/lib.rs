//! stackdraw: design AWS architectures in the browser, check them, export them.
//!
//! [`domain`] is pure Rust and tested natively; [`ui`] exists only in the
//! WebAssembly build, so the compiler keeps browser code out of the domain.

pub mod domain;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(target_arch = "wasm32")]
pub mod export_worker;

/// The app's requests to its worker and the answers, testable natively.
pub mod worker_protocol;
