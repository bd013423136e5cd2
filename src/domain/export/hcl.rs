//! A small HCL writer that lays files out as `terraform fmt` does: two-space
//! indents, `=` aligned across consecutive single-line attributes, a blank
//! line between blocks. Strings are escaped for HCL, including the template
//! sequences `${` and `%{`, so user text can never become an expression.

use super::escape::{usual, write_escaped, Escape};
use std::borrow::Cow;
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
    escape_into(&mut out, text);
    out
}

/// Writes [`escape`]'s text; runs that need no escape are copied whole, as
/// a Terraform module of thousands of resources writes every name here.
fn escape_into(out: &mut String, text: &str) {
    write_escaped(out, text, |c, next| {
        usual(c).or(match c {
            '$' if next == Some('{') => Some(Escape::As("$$")),
            '%' if next == Some('{') => Some(Escape::As("%%")),
            c if c.is_control() => Some(Escape::Unicode),
            _ => None,
        })
    });
}

fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    escape_into(&mut out, text);
    out.push('"');
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

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn render(expr: &Expr, level: usize) -> Cow<'_, str> {
    match expr {
        Expr::Str(text) => Cow::Owned(quoted(text)),
        Expr::Raw(text) => Cow::Borrowed(text),
        Expr::Num(n) => Cow::Owned(n.to_string()),
        Expr::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Expr::List(items) if items.is_empty() => Cow::Borrowed("[]"),
        Expr::List(items) => {
            let rendered: Vec<Cow<str>> =
                items.iter().map(|item| render(item, level + 1)).collect();
            let single_width = rendered.iter().map(|item| item.len() + 2).sum::<usize>();
            let multi_line = rendered.iter().any(|item| item.contains('\n'));
            let mut out = String::new();
            // `[a, b]` is as long as its items with a comma and space each.
            if single_width <= 80 && !multi_line {
                out.push('[');
                for (at, item) in rendered.iter().enumerate() {
                    if at > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(item);
                }
                out.push(']');
            } else {
                out.push_str("[\n");
                for item in rendered {
                    indent(&mut out, level + 1);
                    out.push_str(&item);
                    out.push_str(",\n");
                }
                indent(&mut out, level);
                out.push(']');
            }
            Cow::Owned(out)
        }
        Expr::Object(entries) if entries.is_empty() => Cow::Borrowed("{}"),
        Expr::Object(entries) => {
            let lines: Vec<(Cow<str>, Cow<str>)> = entries
                .iter()
                .map(|(key, value)| {
                    let key = if is_identifier(key) {
                        Cow::Borrowed(key.as_str())
                    } else {
                        Cow::Owned(quoted(key))
                    };
                    (key, render(value, level + 1))
                })
                .collect();
            let mut out = String::from("{\n");
            write_aligned(&mut out, &lines, level + 1);
            indent(&mut out, level);
            out.push('}');
            Cow::Owned(out)
        }
    }
}

/// Writes `key = value` lines, padding keys so `=` lines up across runs of
/// single-line values; a multi-line value stands alone, as terraform fmt
/// lays them out.
fn write_aligned(out: &mut String, lines: &[(Cow<str>, Cow<str>)], level: usize) {
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
            indent(out, level);
            out.push_str(key);
            for _ in key.chars().count()..width {
                out.push(' ');
            }
            out.push_str(" = ");
            out.push_str(value);
            out.push('\n');
        }
        start = end;
    }
}

fn write_body(out: &mut String, body: &[Item], level: usize) {
    let mut at = 0;
    let mut previous_was_block = false;
    while at < body.len() {
        match &body[at] {
            Item::Comment(text) => {
                for line in text.lines() {
                    indent(out, level);
                    out.push_str("# ");
                    out.push_str(line);
                    out.push('\n');
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
                let rendered: Vec<(Cow<str>, Cow<str>)> = body[at..run_end]
                    .iter()
                    .filter_map(|item| match item {
                        Item::Attribute(key, value) => {
                            Some((Cow::Borrowed(key.as_str()), render(value, level)))
                        }
                        _ => None,
                    })
                    .collect();
                write_aligned(out, &rendered, level);
                previous_was_block = false;
                at = run_end;
            }
        }
    }
}

fn write_block(out: &mut String, block: &Block, level: usize) {
    indent(out, level);
    out.push_str(&block.kind);
    for label in &block.labels {
        out.push_str(" \"");
        escape_into(out, label);
        out.push('"');
    }
    if block.body.is_empty() {
        out.push_str(" {}\n");
        return;
    }
    out.push_str(" {\n");
    write_body(out, &block.body, level + 1);
    indent(out, level);
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
