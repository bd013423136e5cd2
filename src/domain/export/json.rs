//! Pretty JSON for the CloudFormation template, written byte for byte as
//! `serde_json::to_string_pretty` writes it (two-space indents, `"key": value`,
//! `[]` and `{}` when empty), in one pass into one buffer: a 2,000-node
//! template is several megabytes, and serde_json's writer spends a call per
//! indent level and per escaped run.

use super::escape::{usual, write_escaped, Escape};
use serde_json::{Map, Value};
use std::fmt::Write;

/// The value as pretty JSON, without a final newline.
pub fn pretty(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out
}

fn newline_and_indent(out: &mut String, level: usize) {
    out.push('\n');
    indent(out, level);
}

/// Two spaces per level, as both this writer and the YAML writer indent.
pub(super) fn indent(out: &mut String, level: usize) {
    const SPACES: &str = "                                ";
    let mut width = level * 2;
    while width > 0 {
        let step = width.min(SPACES.len());
        out.push_str(&SPACES[..step]);
        width -= step;
    }
}

/// Writes null, a boolean or a number, spelt alike in JSON and YAML; says
/// whether the value was one of those.
pub(super) fn write_literal(out: &mut String, value: &Value) -> bool {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => {
            let _ = write!(out, "{number}");
        }
        _ => return false,
    }
    true
}

fn write_value(out: &mut String, value: &Value, level: usize) {
    if write_literal(out, value) {
        return;
    }
    match value {
        Value::String(text) => write_string(out, text),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push('[');
            for (at, item) in items.iter().enumerate() {
                if at > 0 {
                    out.push(',');
                }
                newline_and_indent(out, level + 1);
                write_value(out, item, level + 1);
            }
            newline_and_indent(out, level);
            out.push(']');
        }
        Value::Object(map) => write_object(out, map, level),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn write_object(out: &mut String, map: &Map<String, Value>, level: usize) {
    if map.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push('{');
    for (at, (key, item)) in map.iter().enumerate() {
        if at > 0 {
            out.push(',');
        }
        newline_and_indent(out, level + 1);
        write_string(out, key);
        out.push_str(": ");
        write_value(out, item, level + 1);
    }
    newline_and_indent(out, level);
    out.push('}');
}

/// A JSON string as serde_json escapes it: quotes, backslashes and control
/// characters only (`\b \t \n \f \r` by name, the rest as `\u00xx`).
fn write_string(out: &mut String, text: &str) {
    out.push('"');
    write_escaped(out, text, |c, _| {
        usual(c).or(match c {
            '\u{8}' => Some(Escape::As("\\b")),
            '\u{c}' => Some(Escape::As("\\f")),
            c if (c as u32) < 0x20 => Some(Escape::Unicode),
            _ => None,
        })
    });
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::export::cloudformation;
    use crate::domain::templates;
    use crate::domain::validate::analyze;
    use serde_json::json;

    fn same_as_serde(value: &Value) {
        let expected = serde_json::to_string_pretty(value).expect("serialisable");
        assert_eq!(pretty(value), expected);
    }

    #[test]
    fn writes_every_template_as_serde_json_does() {
        let mut diagrams: Vec<_> = templates::TEMPLATES.iter().map(|t| t.build()).collect();
        diagrams.push(templates::generated(300));
        for diagram in diagrams {
            let template = cloudformation::template(&diagram, &analyze(&diagram));
            same_as_serde(&template);
        }
    }

    #[test]
    fn escapes_as_serde_json_does() {
        let hostile = "quote \" backslash \\ tab\t nl\n cr\r bell\u{7} bs\u{8} ff\u{c} nul\u{0} \
                       del\u{7f} nel\u{85} ls\u{2028} emoji 🚀 é ${x} {{resolve:ssm:a}} </script>";
        same_as_serde(&json!({
            hostile: [hostile, 1, -2, 1.5, 1e300, 0.1, null, true, false, [], {}, [[]], {"a": {}}],
            "": "",
            "nested": {"list": [{"k": [1, {"x": "y"}]}]},
        }));
        same_as_serde(&json!([]));
        same_as_serde(&json!({}));
        same_as_serde(&json!("only a string"));
        same_as_serde(&json!(42));
    }
}
