//! A dedicated web worker that turns a diagram file into every export. It
//! holds the exporters so the app's own module does not: the app sends the
//! diagram as its file format and gets the files back as JSON.

use crate::domain::codec::decode_file;
use crate::domain::export::export_all;
use crate::domain::templates;
use crate::domain::validate::analyze;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A request for a benchmark instead of exports: `bench:analysis:<nodes>`.
pub const BENCH: &str = "bench:";

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

/// What the worker answers: the files as a flat array of path and contents
/// pairs, or a string saying why there are none. Plain JavaScript values keep
/// a JSON parser out of the app's module.
fn respond(request: &str) -> JsValue {
    match decode_file(request) {
        Ok(diagram) => {
            let reply = js_sys::Array::new();
            for file in export_all(&diagram, &analyze(&diagram)) {
                reply.push(&JsValue::from_str(&file.path));
                reply.push(&JsValue::from_str(&file.contents));
            }
            reply.into()
        }
        Err(error) => JsValue::from_str(&format!("{FAILED}{error}")),
    }
}

pub fn start() {
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let reply = match event.data().as_string() {
                Some(request) => match request.strip_prefix(BENCH) {
                    Some(bench) => JsValue::from_str(&format!("{BENCH}{}", benchmark(bench))),
                    None => read_json(&request).unwrap_or_else(|| respond(&request)),
                },
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

/// What the worker says once it can take requests.
pub const READY: &str = "ready";

/// The start of a reply that explains why there are no files.
pub const FAILED: &str = "failed: ";

/// Requests that read JSON for the app, so its own module needs no JSON
/// reader: `open:<file>` answers the diagram's binary form, `kind:<kind>\n<json>`
/// a node's properties in binary form; both as `wire:<base64url>`.
pub const OPEN: &str = "open:";
pub const KIND: &str = "kind:";
pub const WIRE: &str = "wire:";

fn read_json(request: &str) -> Option<JsValue> {
    use crate::domain::codec::wire;
    let reply = if let Some(file) = request.strip_prefix(OPEN) {
        decode_file(file)
            .map(|diagram| wire::encode(&diagram))
            .map_err(|error| error.to_string())
    } else if let Some(rest) = request.strip_prefix(KIND) {
        let (tag, json) = rest.split_once('\n').unwrap_or((rest, ""));
        crate::domain::model::KindTag::parse(tag)
            .ok_or_else(|| format!("there is no kind {tag:?}"))
            .and_then(|tag| crate::domain::edit::fields::kind_from_json(tag, json))
            .map(|kind| wire::encode_kind(&kind))
    } else {
        return None;
    };
    Some(JsValue::from_str(&match reply {
        Ok(bytes) => format!("{WIRE}{}", wire::to_base64url(&bytes)),
        Err(message) => format!("{FAILED}{message}"),
    }))
}
