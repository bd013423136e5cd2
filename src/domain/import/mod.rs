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
use std::collections::{BTreeMap, BTreeSet};

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
    import_templates(&[(file.to_string(), text.to_string())], options)
}

/// The file name without its folders.
fn base_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

/// Several templates as one diagram: what one exports, another's
/// `ImportValue` reads; a nested stack (`AWS::CloudFormation::Stack`) whose
/// `TemplateURL` ends with the name of a file given is that file, given the
/// parameters its parent passes, its outputs read by the parent. A logical
/// id two templates share is told apart by its file's name.
pub fn import_templates(
    files: &[(String, String)],
    options: &Options,
) -> Result<Imported, ImportError> {
    let total: usize = files.iter().map(|(_, text)| text.len()).sum();
    let mut roots = Vec::with_capacity(files.len());
    for (file, text) in files {
        let fail = |line: usize, message: String| ImportError {
            file: file.clone(),
            line,
            message,
        };
        if total > MAX_BYTES {
            return Err(fail(
                1,
                format!("the templates are {total} bytes, more than the {MAX_BYTES} allowed"),
            ));
        }
        let root = tree::parse(text).map_err(|e| fail(e.line, e.message))?;
        if !matches!(root.value, tree::Value::Map(_)) {
            return Err(fail(
                root.line,
                "a template is a mapping of sections".into(),
            ));
        }
        roots.push(root);
    }
    let region = if options.region.is_empty() {
        "us-east-1".to_string()
    } else {
        options.region.clone()
    };
    let names: Vec<&str> = files.iter().map(|(file, _)| base_name(file)).collect();
    // Which file each nested stack's template is.
    let child_of = |root: &tree::Node, stack: &str| -> Option<usize> {
        let url = root
            .get("Resources")?
            .get(stack)?
            .get("Properties")?
            .get("TemplateURL")?;
        let url = url
            .as_str()
            .or_else(|| url.get("Fn::Sub").and_then(tree::Node::as_str))?;
        names
            .iter()
            .position(|name| url == *name || url.ends_with(&format!("/{name}")))
    };
    let nested: BTreeSet<usize> = roots
        .iter()
        .flat_map(|root| {
            root.get("Resources")
                .map(tree::Node::entries)
                .unwrap_or_default()
                .iter()
                .filter(|(_, r)| {
                    r.get("Type").and_then(tree::Node::as_str) == Some("AWS::CloudFormation::Stack")
                })
                .filter_map(|(id, _)| child_of(root, id))
                .collect::<Vec<_>>()
        })
        .collect();
    // One set of ids: a logical id two templates share gets its file's stem.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for root in &roots {
        for (id, _) in root
            .get("Resources")
            .map(tree::Node::entries)
            .unwrap_or_default()
        {
            *seen.entry(id.clone()).or_default() += 1;
        }
    }
    let stems: Vec<String> = names
        .iter()
        .map(|name| {
            let stem = name.split('.').next().unwrap_or(name);
            stem.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .take(24)
                .collect()
        })
        .collect();
    let rename = |at: usize, id: &str| -> String {
        if seen.get(id).copied().unwrap_or(0) > 1 {
            format!("{}.{id}", stems[at])
        } else {
            id.to_string()
        }
    };
    // Twice: the first pass learns what each template exports.
    let mut exports: BTreeMap<String, cfn::Val> = BTreeMap::new();
    let mut merged = cfn::Template::default();
    let mut visited = BTreeSet::new();
    for pass in 0..2 {
        merged = cfn::Template::default();
        for at in 0..roots.len() {
            if nested.contains(&at) {
                continue;
            }
            let context = cfn::Context {
                region: region.clone(),
                parameters: options.parameters.clone(),
                exports: exports.clone(),
                values: BTreeMap::new(),
            };
            let mut stack = Vec::new();
            evaluate_stack(
                files,
                &roots,
                at,
                &context,
                &rename,
                &child_of,
                &mut stack,
                &mut visited,
                &mut merged,
            )?;
        }
        if pass == 0 {
            exports = merged.exports.clone();
        }
    }
    // A file only reachable as its own (or another's nested) stack, from
    // no template at the top, is a cycle.
    if let Some(unreached) = (0..files.len()).find(|at| !visited.contains(at)) {
        return Err(ImportError {
            file: files[unreached].0.clone(),
            line: 1,
            message: "nested stacks refer to each other in a cycle: no template given creates this one's parent".into(),
        });
    }
    let name = names.join(" + ");
    let mapped = cfn_map::map(&merged, &region, &name);
    Ok(Imported {
        diagram: mapped.diagram,
        report: mapped.report,
    })
}

/// Nested stacks deeper than this are refused (a cycle, most likely).
const MAX_NESTED: usize = 8;

/// One template evaluated, with the nested stacks it creates from the files
/// given, its resources (renamed to the shared ids) added to `merged`;
/// its outputs, renamed.
#[allow(clippy::too_many_arguments)]
fn evaluate_stack(
    files: &[(String, String)],
    roots: &[tree::Node],
    at: usize,
    context: &cfn::Context,
    rename: &dyn Fn(usize, &str) -> String,
    child_of: &dyn Fn(&tree::Node, &str) -> Option<usize>,
    stack: &mut Vec<usize>,
    visited: &mut BTreeSet<usize>,
    merged: &mut cfn::Template,
) -> Result<BTreeMap<String, cfn::Val>, ImportError> {
    let file = &files[at].0;
    if stack.contains(&at) || stack.len() > MAX_NESTED {
        return Err(ImportError {
            file: file.clone(),
            line: 1,
            message: "nested stacks refer to each other in a cycle".into(),
        });
    }
    stack.push(at);
    visited.insert(at);
    let template = cfn::evaluate(&roots[at], context).map_err(|e| ImportError {
        file: file.clone(),
        line: e.line,
        message: e.message,
    })?;
    let mine = |id: &str| rename(at, id);
    // Each nested stack given as a file: evaluated with what this one
    // passes it; its outputs replace `GetAtt Stack.Outputs.X`.
    let mut outputs: BTreeMap<String, BTreeMap<String, cfn::Val>> = BTreeMap::new();
    for resource in &template.resources {
        if resource.kind != "AWS::CloudFormation::Stack" || !resource.created {
            continue;
        }
        let Some(child) = child_of(&roots[at], &resource.id) else {
            continue;
        };
        let values = resource
            .properties
            .get("Parameters")
            .map(|p| match p {
                cfn::Val::Map(entries) => entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.renamed(&mine)))
                    .collect(),
                _ => BTreeMap::new(),
            })
            .unwrap_or_default();
        let child_context = cfn::Context {
            values,
            ..context.clone()
        };
        let child_outputs = evaluate_stack(
            files,
            roots,
            child,
            &child_context,
            rename,
            child_of,
            stack,
            visited,
            merged,
        )?;
        outputs.insert(resource.id.clone(), child_outputs);
        merged.nested.insert(mine(&resource.id));
    }
    for resource in template.resources {
        let properties = resource.properties.with_outputs(&outputs).renamed(&mine);
        merged.resources.push(cfn::Resource {
            id: mine(&resource.id),
            properties,
            ..resource
        });
    }
    for (name, value) in template.exports {
        merged
            .exports
            .insert(name, value.with_outputs(&outputs).renamed(&mine));
    }
    for parameter in template.missing_parameters {
        merged.missing_parameters.push(if files.len() > 1 {
            format!("{parameter} ({})", base_name(file))
        } else {
            parameter
        });
    }
    stack.pop();
    Ok(template
        .outputs
        .iter()
        .map(|(k, v)| (k.clone(), v.with_outputs(&outputs).renamed(&mine)))
        .collect())
}
