//! In the browser: mounts the app. Natively: the `stackdraw` command-line tool.

#[cfg(target_arch = "wasm32")]
fn main() {
    stackdraw::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::run()
}
