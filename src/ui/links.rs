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
    Ok(link::fragment(&deflate(&wire::encode(diagram)).await?))
}

/// The diagram in a fragment, or what is wrong with the link.
pub async fn decode(fragment: &str) -> Result<Diagram, String> {
    let parsed = link::parse_fragment(fragment).map_err(|e| e.to_string())?;
    let payload = inflate(&parsed.compressed, "link").await?;
    link::diagram_from_payload(&payload).map_err(|e| e.to_string())
}

/// The fragment of a review link: both versions, the newer as a delta
/// against the older (`codec::review`).
pub async fn encode_review(old: &Diagram, new: &Diagram) -> Result<String, String> {
    let payload = crate::domain::codec::review::payload(old, new);
    Ok(crate::domain::codec::review::fragment(
        &deflate(&payload).await?,
    ))
}

/// The two versions (older, newer) in a review link, or what is wrong.
pub async fn decode_review(fragment: &str) -> Result<(Diagram, Diagram), String> {
    let compressed =
        crate::domain::codec::review::parse_fragment(fragment).map_err(|e| e.to_string())?;
    let payload = inflate(&compressed, "review link").await?;
    crate::domain::codec::review::from_payload(&payload).map_err(|e| e.to_string())
}

/// The address of this page, without its fragment: a link is it, `#`, and
/// the fragment.
pub fn page_address() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

async fn deflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let compressed = deflate_raw(bytes)
        .await
        .map_err(|_| "this browser cannot compress the link".to_string())?;
    Ok(js_sys::Uint8Array::new(&compressed).to_vec())
}

/// Inflates within [`MAX_PAYLOAD_BYTES`]; `what` names the link in the
/// message.
async fn inflate(compressed: &[u8], what: &str) -> Result<Vec<u8>, String> {
    let payload = inflate_raw(compressed, MAX_PAYLOAD_BYTES as f64)
        .await
        .map_err(|error| {
            let reason = js_sys::Error::from(error)
                .message()
                .as_string()
                .unwrap_or_else(|| "it cannot be unpacked".into());
            format!("the {what} is damaged: {reason}")
        })?;
    Ok(js_sys::Uint8Array::new(&payload).to_vec())
}
