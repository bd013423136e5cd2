//! A template's text as a tree that keeps what CloudFormation needs and JSON
//! loses: each node's tag (`!Ref`, `!Sub`, ...) and line. YAML and JSON both
//! read through the YAML 1.2 parser `saphyr-parser` (JSON is YAML), event by
//! event, so the tree is built without recursion and within limits: nesting
//! depth, and a node budget that aliases count against (an alias bomb runs
//! out of budget instead of memory).

use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::BTreeSet;

/// Deepest nesting read; real templates stay under 20.
pub const MAX_DEPTH: usize = 128;
/// Most nodes a template may expand to, aliases included.
pub const MAX_NODES: usize = 2_000_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// 1-based line where the node starts.
    pub line: usize,
    /// A local tag such as `!Ref` (core-schema tags such as `!!str` are dropped).
    pub tag: Option<String>,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    /// Text as written; `plain` when unquoted (so `true` or `80` may be read
    /// as a boolean or a number).
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    /// Keys in the order written.
    Map(Vec<(String, Node)>),
}

/// Why a text is not a template: where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeError {
    pub line: usize,
    pub message: String,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(String, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// How many nodes it holds, itself included.
    fn size(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::size).sum(),
            Value::Map(entries) => entries.iter().map(|(_, v)| 1 + v.size()).sum(),
            _ => 0,
        }
    }
}

/// A container being filled; a mapping with the key waiting for its value
/// and the keys it has (a key may appear once).
enum Open {
    Seq(Node),
    Map(Node, Option<String>, BTreeSet<String>),
}

/// The first document of `text`.
pub fn parse(text: &str) -> Result<Node, TreeError> {
    let mut stack: Vec<(Open, usize)> = Vec::new();
    let mut anchors: Vec<Option<Node>> = Vec::new();
    let mut budget = MAX_NODES;
    let mut root: Option<Node> = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|error| TreeError {
            line: error.marker().line(),
            message: if error.info().contains("recursion limit") {
                format!(
                    "nested deeper than the YAML reader allows ({})",
                    error.info()
                )
            } else {
                error.info().to_string()
            },
        })?;
        let is_map = matches!(event, Event::MappingStart(..));
        let line = span.start.line();
        let fail = |message: String| TreeError { line, message };
        let tag_of = |tag: Option<std::borrow::Cow<'_, saphyr_parser::Tag>>| {
            tag.filter(|tag| tag.handle == "!")
                .map(|tag| format!("!{}", tag.suffix))
        };
        let (done, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let plain = style == ScalarStyle::Plain;
                let tag = tag_of(tag);
                let value = if plain && tag.is_none() && matches!(&*text, "null" | "~" | "") {
                    Value::Null
                } else {
                    Value::Scalar {
                        text: text.into_owned(),
                        plain,
                    }
                };
                (Node { line, tag, value }, anchor)
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(fail(format!("nested more than {MAX_DEPTH} levels deep")));
                }
                let node = Node {
                    line,
                    tag: tag_of(tag),
                    value: if is_map {
                        Value::Map(Vec::new())
                    } else {
                        Value::Seq(Vec::new())
                    },
                };
                let open = if is_map {
                    Open::Map(node, None, BTreeSet::new())
                } else {
                    Open::Seq(node)
                };
                stack.push((open, anchor));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some((Open::Seq(node), anchor)) | Some((Open::Map(node, None, _), anchor)) => {
                    (node, anchor)
                }
                Some((Open::Map(..), _)) => return Err(fail("a key has no value".into())),
                None => continue,
            },
            Event::Alias(id) => {
                let node = anchors
                    .get(id)
                    .cloned()
                    .flatten()
                    .ok_or_else(|| fail("an alias names no anchor before it".into()))?;
                let size = node.size();
                if size > budget {
                    return Err(fail(format!("aliases expand it past {MAX_NODES} values")));
                }
                budget -= size;
                (node, 0)
            }
            Event::DocumentEnd if root.is_some() => break,
            _ => continue,
        };
        budget = budget
            .checked_sub(1)
            .ok_or_else(|| fail(format!("it holds more than {MAX_NODES} values")))?;
        if anchor > 0 {
            if anchors.len() <= anchor {
                anchors.resize(anchor + 1, None);
            }
            anchors[anchor] = Some(done.clone());
        }
        match stack.last_mut() {
            None => {
                root = Some(done);
            }
            Some((Open::Seq(node), _)) => {
                if let Value::Seq(items) = &mut node.value {
                    items.push(done);
                }
            }
            Some((Open::Map(node, key, seen), _)) => match key.take() {
                None => {
                    let name = match done.value {
                        Value::Scalar { text, .. } => text,
                        Value::Null => String::new(),
                        _ => return Err(fail("a key must be plain text".into())),
                    };
                    if !seen.insert(name.clone()) {
                        return Err(fail(format!("the key {name:?} appears twice")));
                    }
                    *key = Some(name);
                }
                Some(name) => {
                    if let Value::Map(entries) = &mut node.value {
                        entries.push((name, done));
                    }
                }
            },
        }
    }
    root.ok_or(TreeError {
        line: 1,
        message: "the file is empty".into(),
    })
}
