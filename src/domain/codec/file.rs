//! The JSON file format (documented in docs/file-format.md).
//!
//! Reading happens in three steps, each with its own kind of error: the text must
//! be JSON, it must be a diagram of a version this build knows, and every id it
//! mentions must exist and be of the right kind.

use crate::domain::model::{Diagram, KindTag, NodeId, SCHEMA_VERSION};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Bounds checked before and while reading, so hostile input cannot make the
/// reader do unbounded work.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_nodes: usize,
    pub max_edges: usize,
    /// Longest name or free text, in characters.
    pub max_text: usize,
    /// Canvas coordinates stay within +-this.
    pub max_coordinate: f64,
    /// Most points one edge's line is bent through.
    pub max_bends: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 8 * 1024 * 1024,
            max_nodes: 10_000,
            max_edges: 20_000,
            max_text: 1_024,
            max_coordinate: 1.0e7,
            max_bends: 64,
        }
    }
}

/// One inconsistency found in a well-formed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// JSON path of the offending value, e.g. `nodes[3].kind.subnet.vpc`.
    pub path: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    /// Not JSON at all (truncated, a stray comma, ...).
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    NotADiagram(String),
    UnsupportedVersion(u64),
    /// JSON, but a value has the wrong type or an unknown name.
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// Every value is well typed, but ids do not fit together.
    Inconsistent(Vec<Problem>),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::TooLarge { bytes, limit } => write!(
                f,
                "the file is {bytes} bytes; diagrams are limited to {limit} bytes"
            ),
            FileError::Syntax {
                line,
                column,
                message,
            } => write!(f, "not valid JSON at line {line}, column {column}: {message}"),
            FileError::NotADiagram(why) => write!(f, "not a stackdraw diagram: {why}"),
            FileError::UnsupportedVersion(version) if *version > u64::from(SCHEMA_VERSION) => {
                write!(
                    f,
                    "the diagram has schema_version {version}, written by a newer stackdraw; \
                     this one reads versions 1 to {SCHEMA_VERSION}"
                )
            }
            FileError::UnsupportedVersion(version) => write!(
                f,
                "schema_version {version} does not exist; this stackdraw reads versions 1 to {SCHEMA_VERSION}"
            ),
            FileError::Invalid {
                path,
                line,
                column,
                message,
            } => write!(f, "line {line}, column {column}, at {path}: {message}"),
            FileError::Inconsistent(problems) => {
                let count = problems.len();
                write!(
                    f,
                    "{count} problem{} in the diagram:",
                    if count == 1 { "" } else { "s" }
                )?;
                for problem in problems {
                    write!(f, "\n  at {}: {}", problem.path, problem.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for FileError {}

/// Writes a diagram as the file format: pretty JSON, stable field order, and a
/// final newline, so the same diagram always gives the same bytes.
pub fn encode_file(diagram: &Diagram) -> String {
    let mut value = serde_json::to_value(diagram)
        .unwrap_or_else(|error| unreachable!("a diagram always serialises: {error}"));
    value["schema_version"] = diagram.written_version().into();
    let mut text = serde_json::to_string_pretty(&value)
        .unwrap_or_else(|error| unreachable!("a diagram always serialises: {error}"));
    text.push('\n');
    text
}

/// Reads a diagram file with the default limits.
pub fn decode_file(text: &str) -> Result<Diagram, FileError> {
    decode_file_with(text, &Limits::default())
}

pub fn decode_file_with(text: &str, limits: &Limits) -> Result<Diagram, FileError> {
    if text.len() > limits.max_bytes {
        return Err(FileError::TooLarge {
            bytes: text.len(),
            limit: limits.max_bytes,
        });
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|error| FileError::Syntax {
            line: error.line(),
            column: error.column(),
            message: strip_position(&error),
        })?;
    check_version(&value)?;
    check_counts(&value, limits)?;

    let mut deserializer = serde_json::Deserializer::from_str(text);
    let diagram: Diagram =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            let inner = error.into_inner();
            FileError::Invalid {
                path,
                line: inner.line(),
                column: inner.column(),
                message: strip_position(&inner),
            }
        })?;

    // Every older version reads as it is: each later one only added.
    let diagram = Diagram {
        schema_version: SCHEMA_VERSION,
        ..diagram
    };
    let problems = consistency_problems(&diagram, limits);
    if problems.is_empty() {
        Ok(diagram)
    } else {
        Err(FileError::Inconsistent(problems))
    }
}

/// serde_json appends " at line L column C" (reported apart here) and names
/// Rust integer types, which mean nothing to a person editing a file.
fn strip_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let text = match text.rfind(" at line ") {
        Some(at) => &text[..at],
        None => &text,
    };
    text.replace("expected u8", "expected a whole number from 0 to 255")
        .replace("expected u16", "expected a whole number from 0 to 65535")
        .replace(
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        )
}

fn check_version(value: &serde_json::Value) -> Result<(), FileError> {
    let object = value
        .as_object()
        .ok_or_else(|| FileError::NotADiagram("the top level must be a JSON object".into()))?;
    let version = object
        .get("schema_version")
        .ok_or_else(|| FileError::NotADiagram("it has no schema_version field".into()))?;
    let version = version.as_u64().ok_or_else(|| {
        FileError::NotADiagram(format!(
            "schema_version must be a whole number, not {version}"
        ))
    })?;
    if version == 0 || version > u64::from(SCHEMA_VERSION) {
        return Err(FileError::UnsupportedVersion(version));
    }
    Ok(())
}

/// Refuses oversized collections before building the typed diagram.
fn check_counts(value: &serde_json::Value, limits: &Limits) -> Result<(), FileError> {
    let count = |field: &str| {
        value
            .get(field)
            .and_then(serde_json::Value::as_array)
            .map_or(0, Vec::len)
    };
    let nodes = count("nodes");
    if nodes > limits.max_nodes {
        return Err(FileError::NotADiagram(format!(
            "it has {nodes} nodes; at most {} are supported",
            limits.max_nodes
        )));
    }
    let edges = count("edges");
    if edges > limits.max_edges {
        return Err(FileError::NotADiagram(format!(
            "it has {edges} edges; at most {} are supported",
            limits.max_edges
        )));
    }
    Ok(())
}

/// Everything about a typed diagram that makes it unusable: duplicate ids,
/// references to missing nodes or to nodes of the wrong kind, layout entries
/// for unknown nodes, and text or coordinates beyond the limits.
pub fn consistency_problems(diagram: &Diagram, limits: &Limits) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem = |path: String, message: String| problems.push(Problem { path, message });

    let text_ok = |text: &str| text.chars().count() <= limits.max_text;
    if !text_ok(&diagram.name) {
        problem("name".into(), too_long(limits));
    }

    let mut kinds: BTreeMap<&NodeId, KindTag> = BTreeMap::new();
    for (index, node) in diagram.nodes.iter().enumerate() {
        if kinds.insert(&node.id, node.tag()).is_some() {
            problem(
                format!("nodes[{index}].id"),
                format!(
                    "the id {:?} is used by more than one node",
                    node.id.as_str()
                ),
            );
        }
        if node.name.trim().is_empty() {
            problem(
                format!("nodes[{index}].name"),
                "a name must not be empty".into(),
            );
        } else if !text_ok(&node.name) {
            problem(format!("nodes[{index}].name"), too_long(limits));
        }
    }

    for (index, node) in diagram.nodes.iter().enumerate() {
        let kind_name = node.tag().as_str();
        for reference in node.kind.references() {
            let path = format!("nodes[{index}].kind.{kind_name}.{}", reference.field);
            match kinds.get(reference.target) {
                None => problem(
                    path,
                    format!("no node has the id {:?}", reference.target.as_str()),
                ),
                Some(found) if !reference.allowed.contains(found) => problem(
                    path,
                    format!(
                        "{:?} is a {}, but this must be {}",
                        reference.target.as_str(),
                        found.label(),
                        one_of(reference.allowed)
                    ),
                ),
                Some(_) => {}
            }
        }
    }

    let fits = |value: f64| value.is_finite() && value.abs() <= limits.max_coordinate;
    let mut edge_ids = BTreeSet::new();
    for (index, edge) in diagram.edges.iter().enumerate() {
        if !edge_ids.insert(&edge.id) {
            problem(
                format!("edges[{index}].id"),
                format!(
                    "the id {:?} is used by more than one edge",
                    edge.id.as_str()
                ),
            );
        }
        for (field, end) in [("from", &edge.from), ("to", &edge.to)] {
            if !kinds.contains_key(end) {
                problem(
                    format!("edges[{index}].{field}"),
                    format!("no node has the id {:?}", end.as_str()),
                );
            }
        }
        if edge.from == edge.to {
            problem(
                format!("edges[{index}]"),
                "an edge must join two different nodes".into(),
            );
        }
        if !text_ok(&edge.label) {
            problem(format!("edges[{index}].label"), too_long(limits));
        }
        if edge.bends.len() > limits.max_bends {
            problem(
                format!("edges[{index}].bends"),
                format!("a line is bent through at most {} points", limits.max_bends),
            );
        }
        for (at, bend) in edge.bends.iter().enumerate() {
            if ![bend.x, bend.y].into_iter().all(fits) {
                problem(
                    format!("edges[{index}].bends[{at}]"),
                    format!(
                        "a bend's coordinates must be within ±{}",
                        crate::domain::number::decimal(limits.max_coordinate, 0)
                    ),
                );
            }
        }
    }

    let mut scope_ids = BTreeSet::new();
    for (index, scope) in diagram.scopes.iter().enumerate() {
        if !scope_ids.insert(&scope.id) {
            problem(
                format!("scopes[{index}].id"),
                format!(
                    "the id {:?} is used by more than one scope",
                    scope.id.as_str()
                ),
            );
        }
        for (field, end) in [("from", &scope.from), ("to", &scope.to)] {
            if !kinds.contains_key(end) {
                problem(
                    format!("scopes[{index}].{field}"),
                    format!("no node has the id {:?}", end.as_str()),
                );
            }
        }
    }

    for (id, rect) in &diagram.layout {
        let path = format!("layout.{}", id.as_str());
        if !kinds.contains_key(id) {
            problem(
                path.clone(),
                format!("no node has the id {:?}", id.as_str()),
            );
        }
        if ![rect.x, rect.y, rect.w, rect.h].into_iter().all(fits) || rect.w < 0.0 || rect.h < 0.0 {
            problem(
                path,
                format!(
                    "a box needs a non-negative width and height and coordinates within ±{}",
                    crate::domain::number::decimal(limits.max_coordinate, 0)
                ),
            );
        }
    }
    problems
}

fn too_long(limits: &Limits) -> String {
    format!("text is limited to {} characters", limits.max_text)
}

fn one_of(kinds: &[KindTag]) -> String {
    let labels: Vec<&str> = kinds.iter().map(|kind| kind.label()).collect();
    match labels.as_slice() {
        [only] => format!("a {only}"),
        [init @ .., last] => format!("a {} or a {last}", init.join(", a ")),
        [] => "nothing".into(),
    }
}
