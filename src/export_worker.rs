//! The web worker behind `worker_protocol`: it holds what the app's own
//! module leaves out to stay small (exports, JSON, the image, tidy,
//! templates) and answers the app's requests one by one, in order. Only the
//! benchmarks are answered here; everything else is `worker_protocol::answer`.

use crate::domain::templates;
use crate::domain::validate::analyze;
use crate::worker_protocol::{answer, Answer, BENCH, FAILED, READY};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Times full validation of a generated diagram here, in WebAssembly, for the
/// browser benchmark; answers one line of JSON. `file:crowded:<n>` and
/// `file:generated:<n>` answer a generated diagram's file instead, for the
/// editor's drag and render benchmarks (the generators live here, not in the
/// app's module).
fn benchmark(request: &str) -> String {
    if let Some(file) = request.strip_prefix("file:") {
        let (kind, count) = file.split_once(':').unwrap_or((file, ""));
        let count = count.parse::<usize>().unwrap_or(200).clamp(1, 10_000);
        let diagram = match kind {
            "crowded" => templates::crowded_vpc(count),
            _ => templates::generated(count),
        };
        return crate::domain::codec::encode_file(&diagram);
    }
    const WARM_UP: usize = 3;
    const SAMPLES: usize = 21;
    let nodes = request
        .strip_prefix("analysis:")
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(2_000)
        .clamp(10, 10_000);
    let now = || {
        js_sys::global()
            .unchecked_into::<web_sys::WorkerGlobalScope>()
            .performance()
            .map_or(0.0, |performance| performance.now())
    };
    let diagram = templates::generated(nodes);
    for _ in 0..WARM_UP {
        std::hint::black_box(analyze(&diagram));
    }
    let mut times: Vec<f64> = (0..SAMPLES)
        .map(|_| {
            let start = now();
            std::hint::black_box(analyze(&diagram));
            now() - start
        })
        .collect();
    times.sort_by(f64::total_cmp);
    format!(
        "{{\"bench\":\"analysis\",\"nodes\":{},\"samples\":{SAMPLES},\"median_ms\":{:.3},\"p95_ms\":{:.3}}}",
        diagram.nodes.len(),
        times[SAMPLES / 2],
        times[(SAMPLES * 95) / 100]
    )
}

/// One request's reply as the worker posts it: files as a flat array of
/// path, contents and preview triples (plain JavaScript values keep a JSON
/// parser out of the app's module), anything else as prefixed text.
fn reply(request: &str) -> JsValue {
    if let Some(bench) = request.strip_prefix(BENCH) {
        return JsValue::from_str(&format!("{BENCH}{}", benchmark(bench)));
    }
    match answer(request) {
        Answer::Files(files) => {
            let reply = js_sys::Array::new();
            for file in files {
                reply.push(&JsValue::from_str(&file.path));
                reply.push(&JsValue::from_str(&file.contents));
                reply.push(&JsValue::from_str(&file.html));
            }
            reply.into()
        }
        other => JsValue::from_str(&other.to_message().unwrap_or_default()),
    }
}

pub fn start() {
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let reply = match event.data().as_string() {
                Some(request) => reply(&request),
                None => JsValue::from_str(&format!(
                    "{FAILED}the export worker expects a diagram file as text"
                )),
            };
            let _ = replies.post_message(&reply);
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // Messages sent before this point found no handler: say so, and the app
    // sends its request again.
    let _ = scope.post_message(&JsValue::from_str(READY));
}
