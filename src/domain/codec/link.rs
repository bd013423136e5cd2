//! Share links: the whole diagram in the URL fragment, which browsers never
//! send to a server. A fragment is `v1.` followed by the diagram's binary
//! form (`wire`), compressed with raw deflate (RFC 1951) and written as
//! base64url. The version prefix names the layout, so links made today keep
//! opening when the format grows: a new layout gets a new prefix and the old
//! reader stays.
//!
//! Compression is not done here (the domain has no browser and no
//! compressor): the app uses the browser's CompressionStream, the
//! command-line tool and the tests use miniz_oxide, and both read each
//! other's links.

use super::wire::{self, from_base64url, to_base64url, WireError};
use super::Limits;
use crate::domain::model::Diagram;

/// The layout version this build writes.
pub const LINK_VERSION: u32 = 1;
/// Longest fragment read, in characters: far beyond what any browser keeps
/// in an address, so a longer one is not a link stackdraw made.
pub const MAX_LINK_CHARS: usize = 2_000_000;
/// Most bytes a link may decompress to; checked while inflating, so a small
/// link that inflates to gigabytes (a decompression bomb) stops early.
pub const MAX_PAYLOAD_BYTES: usize = 4 * 1024 * 1024;
/// The length that survives chat apps and email; longer links are offered as
/// a file download instead.
pub const SAFE_LINK_CHARS: usize = 2_000;

/// A link's version and its compressed bytes, before inflating.
#[derive(Debug, PartialEq, Eq)]
pub struct Fragment {
    pub version: u32,
    pub compressed: Vec<u8>,
}

/// The fragment for compressed diagram bytes (without the `#`).
pub fn fragment(compressed: &[u8]) -> String {
    format!("v{LINK_VERSION}.{}", to_base64url(compressed))
}

/// Reads a fragment (with or without its `#`, or a whole address holding
/// one), refusing what is too long or not of a version this build reads.
pub fn parse_fragment(text: &str) -> Result<Fragment, WireError> {
    let (version, body) = versioned(text, 'v', "diagram link")?;
    if version != LINK_VERSION {
        return Err(WireError(format!(
            "this link was made by a stackdraw with link format {version}; this one reads format {LINK_VERSION}"
        )));
    }
    if body.is_empty() {
        return Err(WireError(
            "the link holds no diagram: it was cut off".into(),
        ));
    }
    let compressed =
        from_base64url(body).map_err(|e| WireError(format!("the link is damaged: {e}")))?;
    Ok(Fragment {
        version,
        compressed,
    })
}

/// A fragment's layout version (after `prefix`) and its body, from a
/// fragment with or without its `#` or a whole address, refusing one too
/// long to be a link; `what` names the kind of link in the messages.
pub(super) fn versioned<'a>(
    text: &'a str,
    prefix: char,
    what: &str,
) -> Result<(u32, &'a str), WireError> {
    let text = text.trim();
    let text = match text.find('#') {
        Some(at) => &text[at + 1..],
        None => text,
    };
    if text.len() > MAX_LINK_CHARS {
        return Err(WireError(format!(
            "the link is {} characters long, more than the {MAX_LINK_CHARS} a {what} can be",
            text.len()
        )));
    }
    let Some((version, body)) = text.split_once('.') else {
        return Err(WireError(format!(
            "this is not a stackdraw {what} (it has no version)"
        )));
    };
    let version: u32 = version
        .strip_prefix(prefix)
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| {
            WireError(format!(
                "this is not a stackdraw {what} (its version is unreadable)"
            ))
        })?;
    Ok((version, body))
}

/// The diagram in inflated link bytes.
pub fn diagram_from_payload(payload: &[u8]) -> Result<Diagram, WireError> {
    let limits = Limits {
        max_bytes: MAX_PAYLOAD_BYTES,
        ..Limits::default()
    };
    wire::decode(payload, &limits).map_err(|e| WireError(format!("the link is damaged: {e}")))
}

/// A link fragment for a diagram, compressed natively.
#[cfg(not(target_arch = "wasm32"))]
pub fn encode_link(diagram: &Diagram) -> String {
    fragment(&miniz_oxide::deflate::compress_to_vec(
        &wire::encode(diagram),
        10,
    ))
}

/// A diagram from a link fragment, inflated natively within the limits.
#[cfg(not(target_arch = "wasm32"))]
pub fn decode_link(text: &str) -> Result<Diagram, WireError> {
    let fragment = parse_fragment(text)?;
    diagram_from_payload(&inflate(&fragment.compressed)?)
}

/// A link's compressed bytes inflated natively, stopping at
/// [`MAX_PAYLOAD_BYTES`].
#[cfg(not(target_arch = "wasm32"))]
pub fn inflate(compressed: &[u8]) -> Result<Vec<u8>, WireError> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(compressed, MAX_PAYLOAD_BYTES).map_err(
        |error| match error.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => WireError(format!(
                "the link unpacks to more than {MAX_PAYLOAD_BYTES} bytes; it is not a diagram stackdraw made"
            )),
            _ => WireError("the link is damaged: its compressed data is corrupt or cut off".into()),
        },
    )
}
