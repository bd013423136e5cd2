//! stackdraw: design AWS architectures in the browser, check them, export them.
//!
//! [`domain`] is pure Rust and tested natively. The browser app's `ui`
//! belongs to the `stackdraw` binary (src/main.rs) and exists only in its
//! WebAssembly build, so the compiler keeps browser code out of the domain
//! and the export worker does not link the app.

pub mod domain;

#[cfg(target_arch = "wasm32")]
pub mod export_worker;

/// The app's requests to its worker and the answers, testable natively.
pub mod worker_protocol;
