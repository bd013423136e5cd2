//! A small HCL writer that lays files out as `terraform fmt` does: two-space
//! indents, `=` aligned across consecutive single-line attributes, a blank
//! line between blocks. Strings are escaped for HCL, including the template
//! sequences `${` and `%{`, so user text can never become an expression.

use std::fmt::Write;

/// An expression on the right of `=`.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A quoted string literal, escaped.
    Str(String),
    /// Trusted expression text written as is: a reference such as
    /// `aws_vpc.main.id`, a function call, or a template the exporter built.
    Raw(String),
    Num(i64),
    Bool(bool),
    List(Vec<Expr>),
    /// An object; keys are written as identifiers when they can be, else quoted.
    Object(Vec<(String, Expr)>),
}

pub fn string(text: impl Into<String>) -> Expr {
    Expr::Str(text.into())
}

pub fn raw(text: impl Into<String>) -> Expr {
    Expr::Raw(text.into())
}

/// One line of a block body.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Attribute(String, Expr),
    Block(Block),
    Comment(String),
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub body: Vec<Item>,
}

impl Block {
    pub fn new(kind: &str, labels: &[&str]) -> Block {
        Block {
            kind: kind.to_string(),
            labels: labels.iter().map(|label| label.to_string()).collect(),
            body: Vec::new(),
        }
    }

    pub fn attr(mut self, key: &str, value: Expr) -> Block {
        self.body.push(Item::Attribute(key.to_string(), value));
        self
    }

    pub fn set(&mut self, key: &str, value: Expr) {
        self.body.push(Item::Attribute(key.to_string(), value));
    }

    pub fn block(mut self, block: Block) -> Block {
        self.body.push(Item::Block(block));
        self
    }

    pub fn push(&mut self, block: Block) {
        self.body.push(Item::Block(block));
    }

    pub fn comment(&mut self, text: &str) {
        self.body.push(Item::Comment(text.to_string()));
    }
}

/// A string literal's text between its quotes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn is_identifier(key: &str) -> bool {
    key.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn render(expr: &Expr, level: usize) -> String {
    match expr {
        Expr::Str(text) => format!("\"{}\"", escape(text)),
        Expr::Raw(text) => text.clone(),
        Expr::Num(n) => n.to_string(),
        Expr::Bool(b) => b.to_string(),
        Expr::List(items) if items.is_empty() => "[]".into(),
        Expr::List(items) => {
            let rendered: Vec<String> = items.iter().map(|item| render(item, level + 1)).collect();
            let single = format!("[{}]", rendered.join(", "));
            if single.len() <= 80 && !single.contains('\n') {
                single
            } else {
                let inner = "  ".repeat(level + 1);
                let mut out = String::from("[\n");
                for item in rendered {
                    let _ = writeln!(out, "{inner}{item},");
                }
                out.push_str(&"  ".repeat(level));
                out.push(']');
                out
            }
        }
        Expr::Object(entries) if entries.is_empty() => "{}".into(),
        Expr::Object(entries) => {
            let inner = "  ".repeat(level + 1);
            let lines: Vec<(String, String)> = entries
                .iter()
                .map(|(key, value)| {
                    let key = if is_identifier(key) {
                        key.clone()
                    } else {
                        format!("\"{}\"", escape(key))
                    };
                    (key, render(value, level + 1))
                })
                .collect();
            let mut out = String::from("{\n");
            for (key, value) in aligned(&lines) {
                let _ = writeln!(out, "{inner}{key} = {value}");
            }
            out.push_str(&"  ".repeat(level));
            out.push('}');
            out
        }
    }
}

/// Pads keys so `=` lines up across runs of single-line values; a multi-line
/// value stands alone, as terraform fmt lays them out.
fn aligned(lines: &[(String, String)]) -> Vec<(String, &str)> {
    let mut out = Vec::with_capacity(lines.len());
    let mut start = 0;
    while start < lines.len() {
        let end = if lines[start].1.contains('\n') {
            start + 1
        } else {
            lines[start..]
                .iter()
                .position(|(_, value)| value.contains('\n'))
                .map_or(lines.len(), |offset| start + offset)
        };
        let width = lines[start..end]
            .iter()
            .map(|(key, _)| key.chars().count())
            .max()
            .unwrap_or(0);
        for (key, value) in &lines[start..end] {
            out.push((format!("{key:<width$}"), value.as_str()));
        }
        start = end;
    }
    out
}

fn write_body(out: &mut String, body: &[Item], level: usize) {
    let indent = "  ".repeat(level);
    let mut at = 0;
    let mut previous_was_block = false;
    while at < body.len() {
        match &body[at] {
            Item::Comment(text) => {
                for line in text.lines() {
                    let _ = writeln!(out, "{indent}# {line}");
                }
                at += 1;
            }
            Item::Block(block) => {
                if at > 0 {
                    out.push('\n');
                }
                write_block(out, block, level);
                previous_was_block = true;
                at += 1;
            }
            Item::Attribute(..) => {
                if previous_was_block {
                    out.push('\n');
                }
                // Align `=` across the run of attributes, as terraform fmt does.
                let run_end = body[at..]
                    .iter()
                    .position(|item| !matches!(item, Item::Attribute(..)))
                    .map_or(body.len(), |offset| at + offset);
                let rendered: Vec<(String, String)> = body[at..run_end]
                    .iter()
                    .filter_map(|item| match item {
                        Item::Attribute(key, value) => Some((key.clone(), render(value, level))),
                        _ => None,
                    })
                    .collect();
                for (key, value) in aligned(&rendered) {
                    let _ = writeln!(out, "{indent}{key} = {value}");
                }
                previous_was_block = false;
                at = run_end;
            }
        }
    }
}

fn write_block(out: &mut String, block: &Block, level: usize) {
    let indent = "  ".repeat(level);
    out.push_str(&indent);
    out.push_str(&block.kind);
    for label in &block.labels {
        let _ = write!(out, " \"{}\"", escape(label));
    }
    if block.body.is_empty() {
        out.push_str(" {}\n");
        return;
    }
    out.push_str(" {\n");
    write_body(out, &block.body, level + 1);
    out.push_str(&indent);
    out.push_str("}\n");
}

/// A file of top-level blocks separated by blank lines.
pub fn file(header: &str, blocks: &[Block]) -> String {
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    for (at, block) in blocks.iter().enumerate() {
        if at > 0 || !header.is_empty() {
            out.push('\n');
        }
        write_block(&mut out, block, 0);
    }
    out
}
