//! Share links in the browser: the domain's link format, compressed with the
//! browser's CompressionStream (see compress.js).

use crate::domain::codec::link::{self, MAX_PAYLOAD_BYTES};
use crate::domain::codec::wire;
use crate::domain::model::Diagram;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/ui/compress.js")]
extern "C" {
    #[wasm_bindgen(js_name = deflateRaw, catch)]
    async fn deflate_raw(bytes: &[u8]) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = inflateRaw, catch)]
    async fn inflate_raw(bytes: &[u8], limit: f64) -> Result<JsValue, JsValue>;
}

/// The fragment (after `#`) that opens this diagram.
pub async fn encode(diagram: &Diagram) -> Result<String, String> {
    let compressed = deflate_raw(&wire::encode(diagram))
        .await
        .map_err(|_| "this browser cannot compress the link".to_string())?;
    Ok(link::fragment(
        &js_sys::Uint8Array::new(&compressed).to_vec(),
    ))
}

/// The diagram in a fragment, or what is wrong with the link.
pub async fn decode(fragment: &str) -> Result<Diagram, String> {
    let parsed = link::parse_fragment(fragment).map_err(|e| e.to_string())?;
    let payload = inflate_raw(&parsed.compressed, MAX_PAYLOAD_BYTES as f64)
        .await
        .map_err(|error| {
            let reason = js_sys::Error::from(error)
                .message()
                .as_string()
                .unwrap_or_else(|| "it cannot be unpacked".into());
            format!("the link is damaged: {reason}")
        })?;
    link::diagram_from_payload(&js_sys::Uint8Array::new(&payload).to_vec())
        .map_err(|e| e.to_string())
}

/// The fragment of a review link: both versions, the newer as a delta
/// against the older (`codec::review`).
pub async fn encode_review(old: &Diagram, new: &Diagram) -> Result<String, String> {
    let compressed = deflate_raw(&crate::domain::codec::review::payload(old, new))
        .await
        .map_err(|_| "this browser cannot compress the link".to_string())?;
    Ok(crate::domain::codec::review::fragment(
        &js_sys::Uint8Array::new(&compressed).to_vec(),
    ))
}

/// The two versions (older, newer) in a review link, or what is wrong.
pub async fn decode_review(fragment: &str) -> Result<(Diagram, Diagram), String> {
    let compressed =
        crate::domain::codec::review::parse_fragment(fragment).map_err(|e| e.to_string())?;
    let payload = inflate_raw(&compressed, MAX_PAYLOAD_BYTES as f64)
        .await
        .map_err(|error| {
            let reason = js_sys::Error::from(error)
                .message()
                .as_string()
                .unwrap_or_else(|| "it cannot be unpacked".into());
            format!("the review link is damaged: {reason}")
        })?;
    crate::domain::codec::review::from_payload(&js_sys::Uint8Array::new(&payload).to_vec())
        .map_err(|e| e.to_string())
}
