//! Bringing infrastructure as code onto the canvas (in the export worker
//! and the CLI). A CloudFormation
//! template (YAML or JSON) is read into a tree that keeps its tags
//! (`tree`), evaluated as CloudFormation would before creating anything
//! (`cfn`), and its resources become the diagram's nodes and edges
//! (`cfn_map`), laid out (`layout`), with a report of what became of each
//! resource (`report`).

pub mod cfn;
pub mod cfn_map;
pub mod layout;
pub mod report;
pub mod tree;

use crate::domain::model::Diagram;
use std::collections::BTreeMap;

/// Longest template read, as for diagram files.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

/// What an import needs besides the template.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The region the stack is deployed to (zones, `AWS::Region`).
    pub region: String,
    /// Parameter values, by name; parameters not given take their defaults.
    pub parameters: BTreeMap<String, String>,
}

/// An imported diagram and what became of each resource.
pub struct Imported {
    pub diagram: Diagram,
    pub report: report::Report,
}

/// Why a file could not be imported: which, where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, line {}: {}", self.file, self.line, self.message)
    }
}

/// Whether a text is a CloudFormation template rather than a diagram file:
/// a `Resources` section, or the format version, at its top level.
pub fn looks_like_cloudformation(text: &str) -> bool {
    let head: String = text.chars().take(64 * 1024).collect();
    head.lines().any(|line| {
        let line = line.trim_start_matches(['{', ' ', '\t', '"']);
        line.starts_with("AWSTemplateFormatVersion") || line.starts_with("Resources")
    }) && !head.contains("\"schema_version\"")
}

/// A CloudFormation template as a diagram, named after its file.
pub fn import_cloudformation(
    file: &str,
    text: &str,
    options: &Options,
) -> Result<Imported, ImportError> {
    let fail = |line: usize, message: String| ImportError {
        file: file.to_string(),
        line,
        message,
    };
    if text.len() > MAX_BYTES {
        return Err(fail(
            1,
            format!(
                "the template is {} bytes, more than the {MAX_BYTES} allowed",
                text.len()
            ),
        ));
    }
    let root = tree::parse(text).map_err(|e| fail(e.line, e.message))?;
    if !matches!(root.value, tree::Value::Map(_)) {
        return Err(fail(
            root.line,
            "a template is a mapping of sections".into(),
        ));
    }
    let region = if options.region.is_empty() {
        "us-east-1".to_string()
    } else {
        options.region.clone()
    };
    let context = cfn::Context {
        region: region.clone(),
        parameters: options.parameters.clone(),
        exports: BTreeMap::new(),
    };
    let template = cfn::evaluate(&root, &context).map_err(|e| fail(e.line, e.message))?;
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file).to_string();
    let mapped = cfn_map::map(&template, &region, &name);
    Ok(Imported {
        diagram: mapped.diagram,
        report: mapped.report,
    })
}
