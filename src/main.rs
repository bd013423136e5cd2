//! In the browser: mounts the app. Natively: the `stackdraw` command-line tool.

#[cfg(target_arch = "wasm32")]
mod ui;
// The app reaches the library's modules as `crate::domain` and
// `crate::worker_protocol`.
#[cfg(target_arch = "wasm32")]
use stackdraw::{domain, worker_protocol};

#[cfg(target_arch = "wasm32")]
fn main() {
    ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::run()
}
