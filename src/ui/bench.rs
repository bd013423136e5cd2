//! In-browser timing of the domain, for the benchmark suite: opening the app
//! with `?bench=analysis&nodes=2000` asks the export worker to time full
//! validation of a generated diagram in WebAssembly (the generator lives in
//! the worker's module, not the app's) and shows the result instead of the
//! editor.

use super::browser::{ExportWorker, WorkerReply};
use leptos::prelude::*;

/// The benchmark asked for in the page's query string, if any.
pub fn requested() -> Option<(String, usize)> {
    let search = web_sys::window()?.location().search().ok()?;
    let mut kind = None;
    let mut nodes = 2_000;
    for pair in search.trim_start_matches('?').split('&') {
        match pair.split_once('=') {
            Some(("bench", value)) => kind = Some(value.to_string()),
            Some(("nodes", value)) => nodes = value.parse().unwrap_or(nodes),
            _ => {}
        }
    }
    kind.map(|kind| (kind, nodes))
}

#[component]
pub fn Bench(kind: String, nodes: usize) -> impl IntoView {
    let result = RwSignal::new(None::<String>);
    let worker = ExportWorker::start(move |reply| {
        if let WorkerReply::Bench(line) = reply {
            result.set(Some(line));
        }
    });
    match &worker {
        Ok(worker) => {
            if let Err(message) =
                worker.request(&format!("{}{kind}:{nodes}", crate::worker_protocol::BENCH))
            {
                result.set(Some(format!("{{\"error\":{message:?}}}")));
            }
        }
        Err(message) => result.set(Some(format!("{{\"error\":{message:?}}}"))),
    }
    // The worker answers later; keep it alive with the page.
    let keep = StoredValue::new_local(worker.ok());
    move || {
        keep.with_value(|_| ());
        result
            .get()
            .map(|line| view! { <pre data-testid="bench-result">{line}</pre> })
    }
}

/// For the editor's benchmarks (`?bench=drag` and `?bench=render`): the app
/// opens a generated diagram, asked of the export worker, which holds the
/// generators.
pub fn load_generated(state: super::state::AppState, kind: &str, nodes: usize) {
    // The page's WebAssembly memory, for bench/scale.mjs to count beside the
    // JS heap (`stackdrawMemory.buffer.byteLength`).
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"stackdrawMemory".into(), &wasm_bindgen::memory());
    }
    let generator = if kind == "drag" {
        "crowded"
    } else {
        "generated"
    };
    let request = format!("{}file:{generator}:{nodes}", crate::worker_protocol::BENCH);
    super::browser::ask_worker(request, move |reply| match reply {
        WorkerReply::Bench(file) => {
            super::actions::open_text(state, "the benchmark diagram", &file)
        }
        other => state.notice.set(other.into_text().err()),
    });
}
