//! A dedicated web worker that does, for the app, what its own module leaves
//! out to stay small: every export, reading and writing JSON, drawing the
//! standalone SVG image, tidying a VPC and building templates. The app sends
//! diagrams in their binary form (`codec::wire`, base64url) and gets text,
//! files or binary data back. One request, one reply, in order.

use crate::domain::codec::wire;
use crate::domain::codec::{decode_file, encode_file, Limits};
use crate::domain::export::export_all;
use crate::domain::export::highlight::highlight_html;
use crate::domain::model::{Diagram, NodeId};
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

/// The exports of a diagram, as a flat array of path, contents and
/// highlighted preview (HTML) triples, or a string saying why there are none. Plain JavaScript values keep a JSON
/// parser out of the app's module. `diagram` is `export:<wire>` or a file's
/// JSON text.
fn exports(diagram: Result<Diagram, String>) -> JsValue {
    match diagram {
        Ok(diagram) => {
            let reply = js_sys::Array::new();
            for file in export_all(&diagram, &analyze(&diagram)) {
                reply.push(&JsValue::from_str(&file.path));
                reply.push(&JsValue::from_str(&file.contents));
                reply.push(&JsValue::from_str(&highlight_html(&file.contents)));
            }
            reply.into()
        }
        Err(error) => JsValue::from_str(&format!("{FAILED}{error}")),
    }
}

/// A diagram sent in binary form, checked like any other input.
fn diagram_from(data: &str) -> Result<Diagram, String> {
    let bytes = wire::from_base64url(data).map_err(|e| e.to_string())?;
    wire::decode(&bytes, &Limits::default()).map_err(|e| e.to_string())
}

/// The reply to one request (see the request prefixes below).
fn answer(request: &str) -> JsValue {
    if let Some(bench) = request.strip_prefix(BENCH) {
        return JsValue::from_str(&format!("{BENCH}{}", benchmark(bench)));
    }
    if let Some(data) = request.strip_prefix(EXPORT) {
        return exports(diagram_from(data));
    }
    let reply = if let Some(file) = request.strip_prefix(OPEN) {
        decode_file(file)
            .map(|diagram| Reply::Wire(wire::encode(&diagram)))
            .map_err(|error| error.to_string())
    } else if let Some(rest) = request.strip_prefix(KIND) {
        let (tag, json) = rest.split_once('\n').unwrap_or((rest, ""));
        crate::domain::model::KindTag::parse(tag)
            .ok_or_else(|| format!("there is no kind {tag:?}"))
            .and_then(|tag| crate::domain::edit::fields::kind_from_json(tag, json))
            .map(|kind| Reply::Wire(wire::encode_kind(&kind)))
    } else if let Some(data) = request.strip_prefix(SAVE) {
        diagram_from(data).map(|diagram| Reply::Text(encode_file(&diagram)))
    } else if let Some(data) = request.strip_prefix(PROPERTIES) {
        wire::from_base64url(data)
            .and_then(|bytes| wire::decode_kind(&bytes))
            .map(|kind| Reply::Text(crate::domain::edit::fields::properties_json(&kind)))
            .map_err(|error| error.to_string())
    } else if let Some(rest) = request.strip_prefix(IMAGE) {
        let (theme, data) = rest.split_once(':').unwrap_or((rest, ""));
        let theme = if theme == "dark" {
            crate::domain::image::Theme::Dark
        } else {
            crate::domain::image::Theme::Light
        };
        diagram_from(data).map(|diagram| {
            let scene = crate::domain::scene::Scene::of(&diagram);
            Reply::Text(crate::domain::image::svg(&scene, &analyze(&diagram), theme))
        })
    } else if let Some(rest) = request.strip_prefix(TIDY) {
        let (vpc, data) = rest.split_once(':').unwrap_or((rest, ""));
        diagram_from(data).and_then(|mut diagram| {
            let vpc = NodeId::new(vpc).map_err(|e| e.to_string())?;
            let command = crate::domain::edit::arrange::tidy(&diagram, &vpc)?;
            crate::domain::edit::apply(&mut diagram, command).map_err(|e| e.to_string())?;
            Ok(Reply::Wire(wire::encode(&diagram)))
        })
    } else if let Some(rest) = request.strip_prefix(ZIP) {
        let (which, data) = rest.split_once(':').unwrap_or((rest, ""));
        diagram_from(data).map(|diagram| {
            let entries: Vec<(String, Vec<u8>)> = export_all(&diagram, &analyze(&diagram))
                .into_iter()
                .filter(|file| which != "terraform" || file.path.starts_with("terraform/"))
                .map(|file| {
                    (
                        format!("stackdraw/{}", file.path),
                        file.contents.into_bytes(),
                    )
                })
                .collect();
            Reply::Wire(crate::domain::export::zip::archive(&entries))
        })
    } else if let Some(name) = request.strip_prefix(TEMPLATE) {
        templates::by_name(name)
            .map(|template| Reply::Wire(wire::encode(&template.build())))
            .ok_or_else(|| format!("there is no template {name:?}"))
    } else {
        return exports(decode_file(request).map_err(|error| error.to_string()));
    };
    JsValue::from_str(&match reply {
        Ok(Reply::Wire(bytes)) => format!("{WIRE}{}", wire::to_base64url(&bytes)),
        Ok(Reply::Text(text)) => format!("{TEXT}{text}"),
        Err(message) => format!("{FAILED}{message}"),
    })
}

enum Reply {
    Wire(Vec<u8>),
    Text(String),
}

pub fn start() {
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let reply = match event.data().as_string() {
                Some(request) => answer(&request),
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

/// The start of a reply that explains why a request has no answer.
pub const FAILED: &str = "failed: ";

/// Requests, each followed by its data:
/// - `export:<diagram>`: every export, as path, contents and preview triples;
/// - `open:<file JSON>`: the diagram, as `wire:`;
/// - `kind:<kind>\n<JSON>`: a node's properties read from JSON, as `wire:`;
/// - `save:<diagram>`: the diagram's file, as `text:`;
/// - `properties:<kind>`: a node's properties as JSON, as `text:`;
/// - `image:<light|dark>:<diagram>`: the standalone SVG image, as `text:`;
/// - `tidy:<VPC id>:<diagram>`: the diagram with that VPC tidied, as `wire:`;
/// - `zip:<all|terraform>:<diagram>`: the exports (all, or the Terraform
///   folder) as a zip archive under `stackdraw/`, as `wire:`;
/// - `template:<name>`: a built-in template, as `wire:`.
///
/// Diagrams and kinds travel in binary form, base64url. Any other text is
/// read as a diagram file and answered with its exports.
pub const EXPORT: &str = "export:";
pub const OPEN: &str = "open:";
pub const KIND: &str = "kind:";
pub const SAVE: &str = "save:";
pub const PROPERTIES: &str = "properties:";
pub const IMAGE: &str = "image:";
pub const TIDY: &str = "tidy:";
pub const TEMPLATE: &str = "template:";
pub const ZIP: &str = "zip:";

/// Replies: binary data (diagrams, properties, archives), or text.
pub const WIRE: &str = "wire:";
pub const TEXT: &str = "text:";
