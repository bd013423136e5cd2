//! Bringing infrastructure as code onto the canvas (in the export worker
//! and the CLI). A CloudFormation
//! template (YAML or JSON) is read into a tree that keeps its tags
//! (`tree`), evaluated as CloudFormation would before creating anything
//! (`cfn`), and its resources become the diagram's nodes and edges
//! (`cfn_map`), laid out (`layout`), with a report of what became of each
//! resource (`report`). A Terraform module is evaluated as a plan would
//! (`tf`) and its resources put in the shape of the CloudFormation
//! resources they create (`tf_map`), so the same mapping draws them.

pub mod cfn;
pub mod cfn_map;
pub mod layout;
pub mod report;
pub mod tf;
pub mod tf_map;
pub mod tree;
pub mod unzip;

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
    /// Terraform variables' values, by name (`--var`).
    pub variables: BTreeMap<String, String>,
    /// The root module's folder, when the files hold others too (the
    /// modules it calls); empty: the shallowest folder with a `.tf` file.
    pub root: String,
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

/// Whether a file is Terraform: a `.tf` file, or text whose top-level
/// blocks are Terraform's.
pub fn looks_like_terraform(name: &str, text: &str) -> bool {
    if name.ends_with(".tf") {
        return true;
    }
    let head: String = text.chars().take(64 * 1024).collect();
    head.lines().any(|line| {
        [
            "resource \"",
            "module \"",
            "variable \"",
            "provider \"",
            "terraform {",
            "locals {",
            "data \"",
        ]
        .iter()
        .any(|start| line.starts_with(start))
    }) && !head.trim_start().starts_with('{')
}

/// A Terraform root module as a diagram: its `.tf` files (with the
/// folders of the local modules it calls, and what `terraform init`
/// downloaded under `.terraform/modules`), named after its folder.
pub fn import_terraform(
    files: &[(String, String)],
    options: &Options,
) -> Result<Imported, ImportError> {
    let total: usize = files.iter().map(|(_, text)| text.len()).sum();
    if total > MAX_BYTES {
        return Err(ImportError {
            file: files.first().map(|(f, _)| f.clone()).unwrap_or_default(),
            line: 1,
            message: format!("the files are {total} bytes, more than the {MAX_BYTES} allowed"),
        });
    }
    let sources: Vec<tf::SourceFile> = files
        .iter()
        .map(|(path, text)| tf::SourceFile {
            path: path.clone(),
            text: text.clone(),
        })
        .collect();
    let region = (!options.region.is_empty()).then_some(options.region.as_str());
    let root = (!options.root.is_empty()).then_some(options.root.as_str());
    let evaluated =
        tf::evaluate(&sources, &options.variables, region, root).map_err(|e| ImportError {
            file: e.file,
            line: e.line,
            message: e.message,
        })?;
    let (template, notes) = tf_map::template(&evaluated, &evaluated.aliases);
    let name = if options.root.is_empty() {
        module_name(files)
    } else {
        base_name(options.root.trim_end_matches(['/', '\\'])).to_string()
    };
    let mapped = cfn_map::map(&template, &evaluated.region, &name);
    let mut diagram = mapped.diagram;
    let mut report = mapped.report;
    report.missing_variables = std::mem::take(&mut report.missing_parameters);
    // The report speaks Terraform: its types, and its files as paths from
    // the root module's folder.
    let several = files.len() > 1;
    let root = format!("{}/", evaluated.root);
    let shown = |file: &str| -> String {
        if !several {
            String::new()
        } else if evaluated.root.is_empty() {
            file.to_string()
        } else {
            file.strip_prefix(&root).unwrap_or(file).to_string()
        }
    };
    for item in &mut report.items {
        if let Some((kind, file)) = notes.names.get(&item.logical_id) {
            item.resource_type = kind.clone();
            item.file = shown(file);
        }
        if let Some(into) = notes.folded.get(&item.logical_id) {
            item.outcome = report::Outcome::Folded(into.clone());
        }
    }
    // Instances not known before an apply, data sources read from AWS and
    // modules not expanded: placeholders on the canvas. Resources Terraform
    // creates none of (a count of 0) and data the region answers are listed
    // only.
    let mut known: BTreeSet<crate::domain::model::NodeId> =
        diagram.nodes.iter().map(|n| n.id.clone()).collect();
    for unexpanded in notes.unexpanded {
        let outcome = if unexpanded.created {
            let other = cfn_map::Other {
                id: &unexpanded.id,
                name: &unexpanded.id,
                resource_type: &unexpanded.resource_type,
                placeholder: true,
                note: &unexpanded.why,
                refers: &[],
            };
            cfn_map::other_node(&mut diagram, &mut known, &other);
            report::Outcome::Other(unexpanded.why)
        } else {
            report::Outcome::NotDrawn(unexpanded.why)
        };
        report.push(
            &unexpanded.id,
            &unexpanded.resource_type,
            unexpanded.line,
            outcome,
        );
        if let Some(item) = report.items.last_mut() {
            item.file = shown(&unexpanded.file);
        }
    }
    for placeholder in &evaluated.placeholders {
        let outcome = if placeholder.resolved {
            report::Outcome::Folded(placeholder.why.clone())
        } else {
            let other = cfn_map::Other {
                id: &tf::node_id_of(&placeholder.id),
                name: &placeholder.id,
                resource_type: &placeholder.kind,
                placeholder: true,
                note: placeholder.why.trim_start_matches("a placeholder: "),
                refers: &placeholder.refers,
            };
            cfn_map::other_node(&mut diagram, &mut known, &other);
            report::Outcome::Other(placeholder.why.clone())
        };
        report.push(
            &placeholder.id,
            &placeholder.kind,
            placeholder.line,
            outcome,
        );
        if let Some(item) = report.items.last_mut() {
            item.file = shown(&placeholder.file);
        }
    }
    layout::lay_out(&mut diagram);
    Ok(Imported { diagram, report })
}

/// A module's name: its folder's, or its one file's.
fn module_name(files: &[(String, String)]) -> String {
    let folders: BTreeSet<&str> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".tf"))
        .map(|(path, _)| path.rsplit_once(['/', '\\']).map_or("", |(dir, _)| dir))
        .collect();
    let root = folders
        .iter()
        .min_by_key(|dir| (dir.matches('/').count(), dir.len()))
        .copied()
        .unwrap_or("");
    if !root.is_empty() {
        return base_name(root).to_string();
    }
    match files {
        [(only, _)] => base_name(only).to_string(),
        _ => "Terraform module".to_string(),
    }
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
    // One template alone imports nothing from another: one pass will do.
    let passes = if roots.len() > 1 { 2 } else { 1 };
    for pass in 0..passes {
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
    let mut mapped = cfn_map::map(&merged, &region, &name);
    layout::lay_out(&mut mapped.diagram);
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
    // One file without nested stacks: nothing to rename or replace.
    if files.len() == 1 && outputs.is_empty() {
        merged.resources.extend(template.resources);
        merged.exports.extend(template.exports);
        merged
            .missing_parameters
            .extend(template.missing_parameters);
        stack.pop();
        return Ok(template.outputs);
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
