//! The browser layer: renders the domain and (later) sends it commands. It holds
//! no domain logic; everything it shows comes from `domain::scene`.

mod app;
mod canvas;

/// Entry point of the WebAssembly build.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
