//! A dedicated web worker that turns a diagram file into every export. It
//! holds the exporters so the app's own module does not: the app sends the
//! diagram as its file format and gets the files back as JSON.

use crate::domain::codec::decode_file;
use crate::domain::export::export_all;
use crate::domain::validate::analyze;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What the worker answers: the files, or why there are none.
fn respond(request: &str) -> String {
    let result = decode_file(request)
        .map(|diagram| export_all(&diagram, &analyze(&diagram)))
        .map_err(|error| error.to_string());
    let reply = match result {
        Ok(files) => serde_json::json!({ "files": files }),
        Err(message) => serde_json::json!({ "error": message }),
    };
    reply.to_string()
}

pub fn start() {
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(
        move |event: web_sys::MessageEvent| {
            let reply = match event.data().as_string() {
            Some(request) => respond(&request),
            None => serde_json::json!({ "error": "the export worker expects a diagram file as text" }).to_string(),
        };
            let _ = replies.post_message(&JsValue::from_str(&reply));
        },
    );
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // Messages sent before this point found no handler: say so, and the app
    // sends its request again.
    let _ = scope.post_message(&JsValue::from_str(READY));
}

/// What the worker says once it can take requests.
pub const READY: &str = "ready";
