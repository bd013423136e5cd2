//! The browser layer: renders the domain and sends it commands. It holds no
//! domain logic: what it draws comes from `domain::scene`, what it reports
//! from `domain::validate`, and every change is a `domain::edit::Command`.

mod actions;
mod app;
mod bench;
mod browser;
mod canvas;
mod compare;
mod diagrams;
mod dialog;
mod editing;
mod editor;
mod export_dialog;
mod help;
mod import_report;
mod inspector;
mod line_tools;
mod links;
mod outline;
mod palette;
mod persist;
mod problems;
mod reachability;
mod share;
mod state;
mod storage;
mod toolbar;

/// Entry point of the WebAssembly build.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic_banner(&info.to_string());
    }));
    match bench::requested() {
        // The editor's own benchmarks run in the full app.
        Some((kind, _)) if kind == "drag" || kind == "render" => {
            leptos::mount::mount_to_body(app::App)
        }
        Some((kind, nodes)) => {
            leptos::mount::mount_to_body(move || editor::bench_page(kind, nodes))
        }
        None => leptos::mount::mount_to_body(app::App),
    }
}

/// After a panic the app cannot go on; instead of a frozen page, a banner
/// says so. It is built with the DOM directly, since the app's own rendering
/// is what stopped.
fn show_panic_banner(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("panic-banner").is_some() {
        return;
    }
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_id("panic-banner");
    banner.set_class_name("panic-banner");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", "panic-banner");
    // Text only: the message may quote user input.
    banner.set_text_content(Some(&format!(
        "stackdraw hit an internal error and stopped: {message}. Reload the page to continue."
    )));
    let _ = body.append_child(&banner);
}
