//! The one place that writes YAML: a JSON value in block style, with every
//! string that could be read as anything but itself put in double quotes.
//! Writing it here (rather than through a YAML library) keeps the quoting
//! rules visible and the output byte-for-byte stable.

use super::escape::{usual, write_escaped, Escape};
use super::json::{indent, write_literal};
use serde_json::Value;

/// YAML for a JSON value, ending with a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        scalar => {
            write_scalar(&mut out, scalar);
            out.push('\n');
        }
    }
    out
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, level: usize) {
    for (key, value) in map {
        indent(out, level);
        write_string(out, key);
        out.push(':');
        write_value_after_key(out, value, level);
    }
}

fn write_value_after_key(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, map, level + 1);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, level + 1);
        }
        scalar => {
            out.push(' ');
            write_scalar(out, scalar);
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    for item in items {
        indent(out, level);
        out.push('-');
        match item {
            Value::Object(map) if !map.is_empty() => {
                // The first key shares the dash's line; the rest align under it.
                let mut first = true;
                for (key, value) in map {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        indent(out, level + 1);
                    }
                    write_string(out, key);
                    out.push(':');
                    write_value_after_key(out, value, level + 1);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, level + 1);
            }
            scalar => {
                out.push(' ');
                write_scalar(out, scalar);
                out.push('\n');
            }
        }
    }
}

fn write_scalar(out: &mut String, value: &Value) {
    if write_literal(out, value) {
        return;
    }
    match value {
        Value::String(text) => write_string(out, text),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Words YAML 1.1 or 1.2 readers turn into booleans or nulls.
const RESERVED: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
];

/// A string as a plain scalar when that is unambiguous, else double-quoted.
pub fn string_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_string(&mut out, text);
    out
}

/// Whether a string reads back as itself without quotes. One pass over the
/// bytes: the exporters write tens of thousands of keys and names.
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == b'/') {
        return false;
    }
    let mut previous = 0u8;
    for &byte in bytes {
        let allowed =
            byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'/' | b':' | b'*');
        // A space is never allowed, so ": " cannot occur; only a final ':' can.
        if !allowed {
            return false;
        }
        previous = byte;
    }
    previous != b':'
        && !(bytes.len() <= 5 && RESERVED.iter().any(|word| word.eq_ignore_ascii_case(text)))
}

/// Writes a string as [`string_text`] would.
fn write_string(out: &mut String, text: &str) {
    if is_plain(text) {
        out.push_str(text);
        return;
    }
    out.reserve(text.len() + 2);
    out.push('"');
    write_escaped(out, text, |c, _| {
        usual(c).or(match c {
            c if (c as u32) < 0x20
                || c == '\u{7f}'
                || c == '\u{85}'
                || c == '\u{2028}'
                || c == '\u{2029}' =>
            {
                Some(Escape::Unicode)
            }
            _ => None,
        })
    });
    out.push('"');
}
