//! The browser's services the app uses (downloads, the clipboard, the export
//! worker),
//! behind small functions so components stay free of web-sys details.

use crate::domain::export::ExportFile;
use wasm_bindgen::JsCast;

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
/// Requests made before it is ready wait; only the latest one is sent.
pub struct ExportWorker {
    worker: web_sys::Worker,
    waiting: std::rc::Rc<std::cell::RefCell<Waiting>>,
    // Kept so the handler lives as long as the worker.
    _on_message: wasm_bindgen::closure::Closure<dyn Fn(web_sys::MessageEvent)>,
}

#[derive(Default)]
struct Waiting {
    ready: bool,
    latest: Option<String>,
}

/// What the export worker answers.
pub enum WorkerReply {
    Files(Vec<ExportFile>),
    Failed(String),
    /// A benchmark's result line (JSON).
    Bench(String),
    /// Binary data (a diagram or a node's properties) the worker read from JSON.
    Wire(Vec<u8>),
}

/// The files of a reply: a flat array of path and contents pairs.
fn files_from(data: &wasm_bindgen::JsValue) -> Vec<ExportFile> {
    let array = js_sys::Array::from(data);
    (0..array.length() / 2)
        .map(|at| ExportFile {
            path: array.get(2 * at).as_string().unwrap_or_default(),
            contents: array.get(2 * at + 1).as_string().unwrap_or_default(),
        })
        .collect()
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
        let waiting = std::rc::Rc::new(std::cell::RefCell::new(Waiting::default()));
        let (sender, state) = (worker.clone(), waiting.clone());
        let on_message = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let data = event.data();
                match data.as_string() {
                    Some(text) if text == crate::export_worker::READY => {
                        let mut state = state.borrow_mut();
                        state.ready = true;
                        if let Some(request) = state.latest.take() {
                            let _ = sender.post_message(&wasm_bindgen::JsValue::from_str(&request));
                        }
                    }
                    Some(text) if text.starts_with(crate::export_worker::WIRE) => {
                        let data = &text[crate::export_worker::WIRE.len()..];
                        match crate::domain::codec::wire::from_base64url(data) {
                            Ok(bytes) => on_reply(WorkerReply::Wire(bytes)),
                            Err(error) => on_reply(WorkerReply::Failed(error.to_string())),
                        }
                    }
                    Some(text) => match text.strip_prefix(crate::export_worker::BENCH) {
                        Some(result) => on_reply(WorkerReply::Bench(result.to_string())),
                        None => {
                            let reason = text
                                .strip_prefix(crate::export_worker::FAILED)
                                .unwrap_or(&text);
                            on_reply(WorkerReply::Failed(reason.to_string()));
                        }
                    },
                    None => on_reply(WorkerReply::Files(files_from(&data))),
                }
            },
        );
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(ExportWorker {
            worker,
            waiting,
            _on_message: on_message,
        })
    }

    /// Asks for the exports of a diagram file.
    pub fn request(&self, diagram_file: &str) -> Result<(), String> {
        let mut waiting = self.waiting.borrow_mut();
        if !waiting.ready {
            waiting.latest = Some(diagram_file.to_string());
            return Ok(());
        }
        self.worker
            .post_message(&wasm_bindgen::JsValue::from_str(diagram_file))
            .map_err(|_| "the diagram could not be sent to the export worker".to_string())
    }
}

/// Renders an SVG image to a PNG (at twice its size, for sharp screens) and
/// offers it as a download.
pub async fn download_png(svg: &str, file_name: &str) -> Result<(), String> {
    let fail = |what: &str| format!("the PNG could not be made ({what})");
    let array = js_sys::Array::new();
    array.push(&wasm_bindgen::JsValue::from_str(svg));
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

/// Sends one request to a fresh worker and hands its answer, binary data or
/// the reason there is none, to `on_reply`. For rare requests (opening a
/// file, reading typed JSON): the worker's module is cached after first use.
pub fn ask_worker(request: String, on_reply: impl Fn(Result<Vec<u8>, String>) + 'static) {
    let on_reply = std::rc::Rc::new(on_reply);
    let answer = on_reply.clone();
    let worker = ExportWorker::start(move |reply| match reply {
        WorkerReply::Wire(bytes) => answer(Ok(bytes)),
        WorkerReply::Failed(message) => answer(Err(message)),
        _ => {}
    });
    match worker {
        Ok(worker) => {
            if let Err(message) = worker.request(&request) {
                on_reply(Err(message));
            }
            // Ends when the page does; a handful per session at most.
            std::mem::forget(worker);
        }
        Err(message) => on_reply(Err(message)),
    }
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
