//! Text written with some characters escaped, the runs between them copied
//! whole: the YAML, JSON and HCL writers each name what they escape.

use std::fmt::Write;

/// What an escaped character becomes.
pub enum Escape {
    /// This text in its place.
    As(&'static str),
    /// `\u` and its code in four hex digits.
    Unicode,
}

/// The escapes JSON, YAML's double-quoted strings and HCL's strings share:
/// quotes, backslashes, line breaks and tabs.
pub fn usual(c: char) -> Option<Escape> {
    match c {
        '"' => Some(Escape::As("\\\"")),
        '\\' => Some(Escape::As("\\\\")),
        '\n' => Some(Escape::As("\\n")),
        '\r' => Some(Escape::As("\\r")),
        '\t' => Some(Escape::As("\\t")),
        _ => None,
    }
}

/// Writes `text` into `out`, each character `escape` names (given the one
/// after it) replaced.
pub fn write_escaped(
    out: &mut String,
    text: &str,
    escape: impl Fn(char, Option<char>) -> Option<Escape>,
) {
    let mut run_start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let Some(escaped) = escape(c, chars.peek().map(|&(_, next)| next)) else {
            continue;
        };
        out.push_str(&text[run_start..at]);
        match escaped {
            Escape::As(replacement) => out.push_str(replacement),
            Escape::Unicode => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
        }
        run_start = at + c.len_utf8();
    }
    out.push_str(&text[run_start..]);
}
