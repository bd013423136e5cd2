//! Review links: two versions of a design in one URL fragment, which opens
//! straight into comparing them.
//!
//! A fragment is `r1.` followed by base64url of a raw-deflated payload:
//!
//! ```text
//! varint  length of the older version's binary form (`wire`)
//! bytes   the older version's binary form
//! varint  length of the newer version's binary form
//! ops     the newer version's binary form as a delta against the older:
//!           0x00 varint n, n bytes       add these bytes
//!           0x01 varint at, varint n     copy n bytes of the older, from at
//! ```
//!
//! A change is small next to the design, so the newer version costs a few
//! copy instructions and the bytes that differ: the link is barely longer
//! than a share link of one version. The `r` prefix keeps review links
//! apart from diagram links (`v1.`); a new layout gets a new number and the
//! old reader stays.

use super::link::MAX_PAYLOAD_BYTES;
use super::wire::{self, from_base64url, to_base64url, WireError};
use super::Limits;
use crate::domain::model::Diagram;
use std::collections::HashMap;

/// The review layout this build writes.
pub const REVIEW_VERSION: u32 = 1;

/// Whether a fragment (with or without `#`, or a whole address) is a
/// review link rather than a diagram link.
pub fn is_review(text: &str) -> bool {
    let text = text.trim();
    let text = text.find('#').map_or(text, |at| &text[at + 1..]);
    text.starts_with('r')
        && text[1..]
            .split_once('.')
            .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
}

/// The fragment for a compressed review payload (without the `#`).
pub fn fragment(compressed: &[u8]) -> String {
    format!("r{REVIEW_VERSION}.{}", to_base64url(compressed))
}

/// The compressed bytes of a review fragment, refusing what is too long or
/// of a layout this build does not read.
pub fn parse_fragment(text: &str) -> Result<Vec<u8>, WireError> {
    let (version, body) = super::link::versioned(text, 'r', "review link")?;
    if version != REVIEW_VERSION {
        return Err(WireError(format!(
            "this review link was made by a stackdraw with review format {version}; this one reads format {REVIEW_VERSION}"
        )));
    }
    if body.is_empty() {
        return Err(WireError(
            "the review link holds no diagrams: it was cut off".into(),
        ));
    }
    from_base64url(body).map_err(|e| WireError(format!("the review link is damaged: {e}")))
}

/// The payload (before compression) of a review of `old` against `new`.
pub fn payload(old: &Diagram, new: &Diagram) -> Vec<u8> {
    let base = wire::encode(old);
    let target = wire::encode(new);
    let mut out = Vec::with_capacity(base.len() + target.len() / 8 + 16);
    put_varint(&mut out, base.len());
    out.extend_from_slice(&base);
    put_varint(&mut out, target.len());
    delta(&base, &target, &mut out);
    out
}

/// The two versions (older, newer) in an inflated review payload.
pub fn from_payload(payload: &[u8]) -> Result<(Diagram, Diagram), WireError> {
    let damaged = |what: &str| WireError(format!("the review link is damaged: {what}"));
    let mut at = 0;
    let base_len = take_varint(payload, &mut at).ok_or_else(|| damaged("it is cut off"))?;
    let base = payload
        .get(at..at.saturating_add(base_len))
        .ok_or_else(|| damaged("the older version is cut off"))?;
    at += base_len;
    let target_len = take_varint(payload, &mut at).ok_or_else(|| damaged("it is cut off"))?;
    if target_len > MAX_PAYLOAD_BYTES {
        return Err(damaged("the newer version is larger than a link can hold"));
    }
    let mut target = Vec::with_capacity(target_len);
    while at < payload.len() {
        let op = payload[at];
        at += 1;
        match op {
            0 => {
                let n = take_varint(payload, &mut at).ok_or_else(|| damaged("it is cut off"))?;
                let bytes = payload
                    .get(at..at.saturating_add(n))
                    .ok_or_else(|| damaged("an addition is cut off"))?;
                at += n;
                target.extend_from_slice(bytes);
            }
            1 => {
                let from = take_varint(payload, &mut at).ok_or_else(|| damaged("it is cut off"))?;
                let n = take_varint(payload, &mut at).ok_or_else(|| damaged("it is cut off"))?;
                let bytes = base
                    .get(from..from.saturating_add(n))
                    .ok_or_else(|| damaged("a copy reaches past the older version"))?;
                target.extend_from_slice(bytes);
            }
            other => return Err(damaged(&format!("unknown instruction {other}"))),
        }
        if target.len() > target_len {
            return Err(damaged("the newer version is longer than it says"));
        }
    }
    if target.len() != target_len {
        return Err(damaged("the newer version is cut off"));
    }
    let limits = Limits {
        max_bytes: MAX_PAYLOAD_BYTES,
        ..Limits::default()
    };
    let read = |bytes: &[u8], which: &str| {
        wire::decode(bytes, &limits)
            .map_err(|e| WireError(format!("the review link's {which} version is damaged: {e}")))
    };
    Ok((read(base, "older")?, read(&target, "newer")?))
}

/// The shortest run worth a copy instruction.
const MIN_COPY: usize = 8;

/// `target` as instructions against `base`: each position of `target` looks
/// up the first place in `base` where the next eight bytes occur, and a
/// match is extended as far as the two agree. Deterministic: the index keeps
/// the first occurrence, whatever the hasher.
fn delta(base: &[u8], target: &[u8], out: &mut Vec<u8>) {
    let mut index: HashMap<&[u8], usize> = HashMap::new();
    if base.len() >= MIN_COPY {
        for at in 0..=base.len() - MIN_COPY {
            index.entry(&base[at..at + MIN_COPY]).or_insert(at);
        }
    }
    let mut literal = 0;
    let mut at = 0;
    while at + MIN_COPY <= target.len() {
        let Some(&from) = index.get(&target[at..at + MIN_COPY]) else {
            at += 1;
            continue;
        };
        let mut n = MIN_COPY;
        while from + n < base.len() && at + n < target.len() && base[from + n] == target[at + n] {
            n += 1;
        }
        add(&target[literal..at], out);
        out.push(1);
        put_varint(out, from);
        put_varint(out, n);
        at += n;
        literal = at;
    }
    add(&target[literal..], out);
}

fn add(bytes: &[u8], out: &mut Vec<u8>) {
    if bytes.is_empty() {
        return;
    }
    out.push(0);
    put_varint(out, bytes.len());
    out.extend_from_slice(bytes);
}

fn put_varint(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn take_varint(bytes: &[u8], at: &mut usize) -> Option<usize> {
    let mut value: usize = 0;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// A review link fragment for two versions, compressed natively.
#[cfg(not(target_arch = "wasm32"))]
pub fn encode_link(old: &Diagram, new: &Diagram) -> String {
    fragment(&miniz_oxide::deflate::compress_to_vec(
        &payload(old, new),
        10,
    ))
}

/// The two versions (older, newer) in a review link, inflated natively
/// within the limits.
#[cfg(not(target_arch = "wasm32"))]
pub fn decode_link(text: &str) -> Result<(Diagram, Diagram), WireError> {
    let compressed = parse_fragment(text)?;
    from_payload(&super::link::inflate(&compressed)?)
}
