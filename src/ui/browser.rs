//! The browser's services the app uses (downloads, the clipboard, the export
//! worker),
//! behind small functions so components stay free of web-sys details.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

pub use crate::worker_protocol::{diagram_request, PreviewFile};

/// Offers bytes to the user as a file download.
pub fn download(file_name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let array = js_sys::Array::new();
    array.push(&js_sys::Uint8Array::from(bytes).into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&array, &options)
        .map_err(|_| "the download could not start (blob)".to_string())?;
    download_blob(file_name, &blob)
}

fn download_blob(file_name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let fail = |what: &str| format!("the download could not start ({what})");
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|_| fail("object URL"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail("no document"))?;
    let anchor = document
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(|| fail("link"))?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Copies text to the clipboard; resolves to an error message on failure.
pub async fn copy_text(text: String) -> Result<(), String> {
    let clipboard = web_sys::window()
        .map(|window| window.navigator().clipboard())
        .ok_or("the clipboard is not available")?;
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
        .await
        .map(|_| ())
        .map_err(|_| "the browser refused access to the clipboard".to_string())
}

/// The export worker (see `crate::export_worker`), started on first use.
/// Requests made before it is ready wait; `request` keeps only the latest,
/// `send` keeps them all, in order.
pub struct ExportWorker {
    worker: web_sys::Worker,
    waiting: Rc<RefCell<Waiting>>,
    // Kept so the handlers live as long as the worker; dropping the worker
    // removes them.
    _on_message: gloo_events::EventListener,
    _on_error: gloo_events::EventListener,
}

#[derive(Default)]
struct Waiting {
    ready: bool,
    queued: Vec<String>,
}

/// What the export worker answers.
pub enum WorkerReply {
    Files(Vec<PreviewFile>),
    Failed(String),
    /// A benchmark's result line (JSON).
    Bench(String),
    /// Binary data: a diagram or a node's properties.
    Wire(Vec<u8>),
    /// Text: a diagram file, properties as JSON, an SVG image.
    Text(String),
    /// The worker could not load, or stopped; nothing pending will be answered.
    Stopped(String),
}

impl WorkerReply {
    /// Binary data, or why there is none.
    pub fn into_bytes(self) -> Result<Vec<u8>, String> {
        match self {
            WorkerReply::Wire(bytes) => Ok(bytes),
            other => Err(other.failure()),
        }
    }

    /// Text, or why there is none.
    pub fn into_text(self) -> Result<String, String> {
        match self {
            WorkerReply::Text(text) => Ok(text),
            other => Err(other.failure()),
        }
    }

    fn failure(self) -> String {
        match self {
            WorkerReply::Failed(message) | WorkerReply::Stopped(message) => message,
            _ => "the export worker gave an unexpected answer".to_string(),
        }
    }
}

/// The files of a reply: a flat array of path, contents and preview triples.
fn files_from(data: &JsValue) -> Vec<PreviewFile> {
    let array = js_sys::Array::from(data);
    let text = |at: u32| array.get(at).as_string().unwrap_or_default();
    (0..array.length() / 3)
        .map(|at| PreviewFile {
            path: text(3 * at),
            contents: text(3 * at + 1),
            html: text(3 * at + 2),
        })
        .collect()
}

/// One answer of the worker, by its prefix (see `crate::worker_protocol`).
fn reply_from(data: &JsValue) -> WorkerReply {
    use crate::worker_protocol::{BENCH, FAILED, TEXT, WIRE};
    let Some(text) = data.as_string() else {
        return WorkerReply::Files(files_from(data));
    };
    if let Some(encoded) = text.strip_prefix(WIRE) {
        match crate::domain::codec::wire::from_base64url(encoded) {
            Ok(bytes) => WorkerReply::Wire(bytes),
            Err(error) => WorkerReply::Failed(error.to_string()),
        }
    } else if let Some(body) = text.strip_prefix(TEXT) {
        WorkerReply::Text(body.to_string())
    } else if let Some(result) = text.strip_prefix(BENCH) {
        WorkerReply::Bench(result.to_string())
    } else {
        WorkerReply::Failed(text.strip_prefix(FAILED).unwrap_or(&text).to_string())
    }
}

/// The worker script's address, which the build writes into index.html
/// (`<meta name="stackdraw-export-worker">`): its name carries a content hash.
fn export_worker_url() -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector("meta[name=\"stackdraw-export-worker\"]")
        .ok()??
        .get_attribute("content")
}

impl ExportWorker {
    /// Starts the worker; `on_reply` receives each answer.
    pub fn start(on_reply: impl Fn(WorkerReply) + 'static) -> Result<ExportWorker, String> {
        let url = export_worker_url().ok_or("this build has no export worker")?;
        let worker = web_sys::Worker::new(&url)
            .map_err(|_| "the export worker could not start".to_string())?;
        let waiting = Rc::new(RefCell::new(Waiting::default()));
        let (sender, state) = (worker.clone(), waiting.clone());
        let on_reply = Rc::new(on_reply);
        let on_failure = on_reply.clone();
        let on_message = gloo_events::EventListener::new(&worker, "message", move |event| {
            let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
                return;
            };
            let data = event.data();
            if data.as_string().as_deref() == Some(crate::worker_protocol::READY) {
                let queued = {
                    let mut state = state.borrow_mut();
                    state.ready = true;
                    std::mem::take(&mut state.queued)
                };
                for request in queued {
                    let _ = sender.post_message(&JsValue::from_str(&request));
                }
            } else {
                on_reply(reply_from(&data));
            }
        });
        let options = gloo_events::EventListenerOptions::enable_prevent_default();
        let on_error =
            gloo_events::EventListener::new_with_options(&worker, "error", options, move |event| {
                event.prevent_default();
                on_failure(WorkerReply::Stopped(
                    "the export worker stopped (reload the page to try again)".to_string(),
                ));
            });
        Ok(ExportWorker {
            worker,
            waiting,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends a request; before the worker is ready, it replaces any waiting
    /// one (the export preview only needs the latest diagram).
    pub fn request(&self, request: &str) -> Result<(), String> {
        self.post(request, true)
    }

    /// Sends a request; before the worker is ready, it waits its turn.
    pub fn send(&self, request: &str) -> Result<(), String> {
        self.post(request, false)
    }

    fn post(&self, request: &str, latest_only: bool) -> Result<(), String> {
        let mut waiting = self.waiting.borrow_mut();
        if !waiting.ready {
            if latest_only {
                waiting.queued.clear();
            }
            waiting.queued.push(request.to_string());
            return Ok(());
        }
        self.worker
            .post_message(&JsValue::from_str(request))
            .map_err(|_| "the request could not be sent to the export worker".to_string())
    }
}

impl Drop for ExportWorker {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// The callbacks of requests the helper worker has not answered yet, oldest
/// first (it answers in order), and whether it has stopped.
#[derive(Default)]
struct Pending {
    callbacks: VecDeque<Box<dyn FnOnce(WorkerReply)>>,
    stopped: bool,
}

thread_local! {
    /// The worker that answers `ask_worker`.
    static HELPER: RefCell<Option<(ExportWorker, Rc<RefCell<Pending>>)>> =
        const { RefCell::new(None) };
}

/// Starts the shared helper worker, once per page, so the first request that
/// needs it does not wait for it to load. (A worker that stopped is started
/// again by the next request, not here.)
pub fn warm_worker() {
    thread_local! {
        static WARMED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if WARMED.with(|warmed| warmed.replace(true)) {
        return;
    }
    HELPER.with(|helper| {
        let mut helper = helper.borrow_mut();
        if helper.is_none() {
            // On failure, the first request that needs the worker says why.
            let _ = start_helper(&mut helper);
        }
    });
}

/// The helper worker, started (again, if it stopped) when needed.
fn start_helper(helper: &mut Option<(ExportWorker, Rc<RefCell<Pending>>)>) -> Result<(), String> {
    let running = helper
        .as_ref()
        .is_some_and(|(_, pending)| !pending.borrow().stopped);
    if running {
        return Ok(());
    }
    let pending = Rc::new(RefCell::new(Pending::default()));
    let queue = pending.clone();
    let worker = ExportWorker::start(move |reply| {
        if let WorkerReply::Stopped(message) = &reply {
            // Nothing pending will be answered: say so to each.
            let callbacks: Vec<_> = {
                let mut queue = queue.borrow_mut();
                queue.stopped = true;
                queue.callbacks.drain(..).collect()
            };
            for callback in callbacks {
                callback(WorkerReply::Stopped(message.clone()));
            }
            return;
        }
        let next = queue.borrow_mut().callbacks.pop_front();
        if let Some(callback) = next {
            callback(reply);
        }
    })?;
    *helper = Some((worker, pending));
    Ok(())
}

/// Sends one request to the shared helper worker (started on first use, and
/// again after it stopped) and hands its answer to `on_reply`.
pub fn ask_worker(request: String, on_reply: impl FnOnce(WorkerReply) + 'static) {
    let mut on_reply = Some(on_reply);
    let sent = HELPER.with(|helper| {
        let mut helper = helper.borrow_mut();
        start_helper(&mut helper)?;
        let (worker, pending) = helper.as_ref().ok_or("the export worker could not start")?;
        worker.send(&request)?;
        if let Some(callback) = on_reply.take() {
            pending.borrow_mut().callbacks.push_back(Box::new(callback));
        }
        Ok::<(), String>(())
    });
    if let (Err(message), Some(callback)) = (sent, on_reply) {
        callback(WorkerReply::Failed(message));
    }
}

/// Renders an SVG image to a PNG (at twice its size, for sharp screens) and
/// offers it as a download.
pub async fn download_png(svg: &str, file_name: &str) -> Result<(), String> {
    let fail = |what: &str| format!("the PNG could not be made ({what})");
    let array = js_sys::Array::new();
    array.push(&JsValue::from_str(svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&array, &options)
        .map_err(|_| fail("blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("object URL"))?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| fail("image"))?;
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        image.set_onload(Some(&resolve));
        image.set_onerror(Some(&reject));
    });
    image.set_src(&url);
    let outcome = wasm_bindgen_futures::JsFuture::from(loaded).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    outcome.map_err(|_| fail("the image did not load"))?;
    let scale = 2.0;
    let (width, height) = (image.natural_width(), image.natural_height());
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail("no document"))?;
    let canvas = document
        .create_element("canvas")
        .ok()
        .and_then(|element| element.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        .ok_or_else(|| fail("canvas"))?;
    canvas.set_width((f64::from(width) * scale) as u32);
    canvas.set_height((f64::from(height) * scale) as u32);
    let context = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|context| context.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or_else(|| fail("2D context"))?;
    context
        .draw_image_with_html_image_element_and_dw_and_dh(
            &image,
            0.0,
            0.0,
            f64::from(width) * scale,
            f64::from(height) * scale,
        )
        .map_err(|_| fail("drawing"))?;
    let encoded = js_sys::Promise::new(&mut |resolve, _| {
        let _ = canvas.to_blob(&resolve);
    });
    let png = wasm_bindgen_futures::JsFuture::from(encoded)
        .await
        .ok()
        .and_then(|blob| blob.dyn_into::<web_sys::Blob>().ok())
        .ok_or_else(|| fail("encoding"))?;
    download_blob(file_name, &png)
}

/// Whether a key press happened in a text field, where keys type rather than
/// act as shortcuts.
pub fn in_text_field(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
        })
}
