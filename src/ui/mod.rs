//! The browser layer: renders the domain and sends it commands. It holds no
//! domain logic: what it draws comes from `domain::scene`, what it reports
//! from `domain::validate`, and every change is a `domain::edit::Command`.

mod app;
mod bench;
mod browser;
mod canvas;
mod export_dialog;
mod inspector;
mod problems;
mod reachability;
mod state;

use leptos::prelude::*;

/// Entry point of the WebAssembly build.
pub fn start() {
    console_error_panic_hook::set_once();
    match bench::requested() {
        Some((kind, nodes)) => {
            leptos::mount::mount_to_body(move || view! { <bench::Bench kind nodes /> })
        }
        None => leptos::mount::mount_to_body(app::App),
    }
}
