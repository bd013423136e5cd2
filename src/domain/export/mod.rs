//! Infrastructure as code from a diagram. Exporters are pure functions from a
//! diagram to files with stable ordering: the same diagram always gives
//! byte-identical output.

pub mod circleci;
pub mod cloudformation;
mod escape;
pub mod hcl;
pub mod highlight;
mod json;
pub mod lookup;
pub mod names;
pub mod readme;
pub mod terraform;
pub mod yaml;
pub mod zip;

use crate::domain::model::{Diagram, NodeKind};
use crate::domain::validate::{analyze, Analysis, Severity};

/// One generated file, with its path relative to the export folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    pub path: String,
    pub contents: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    CloudFormationYaml,
    CloudFormationJson,
    Terraform,
    CircleCi,
}

impl Format {
    pub const ALL: [Format; 3] = [
        Format::CloudFormationYaml,
        Format::CloudFormationJson,
        Format::Terraform,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::CloudFormationYaml => "cloudformation",
            Format::CloudFormationJson => "cloudformation-json",
            Format::Terraform => "terraform",
            Format::CircleCi => "circleci",
        }
    }

    /// A format by its name; the pipeline's config is one too, though it is
    /// not in [`Format::ALL`] (a diagram without a pipeline has none).
    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .chain([Format::CircleCi])
            .find(|format| format.name() == text)
    }
}

/// The diagram's validation errors, one line each (`prefix` then
/// `VR-n: message`), as every export lists them.
pub fn error_lines(analysis: &Analysis, prefix: &str) -> Vec<String> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            format!(
                "{prefix}{}: {}",
                d.rule_id(),
                d.message.replace(['\n', '\r'], " ")
            )
        })
        .collect()
}

/// What an export leaves out: each other resource (a type stackdraw does
/// not model, or an import's placeholder), one line each.
pub fn left_out_lines(diagram: &Diagram, prefix: &str) -> Vec<String> {
    diagram
        .nodes
        .iter()
        .filter_map(|node| match &node.kind {
            NodeKind::OtherResource(other) => {
                let source = if other.source_id.is_empty() || other.source_id == node.name {
                    String::new()
                } else {
                    format!(", {}", other.source_id)
                };
                let why = if other.placeholder {
                    "a placeholder for what was not known at import"
                } else {
                    "a type stackdraw does not model"
                };
                Some(
                    format!(
                        "{prefix}{} ({}{source}): {why}",
                        node.name, other.resource_type
                    )
                    .replace(['\n', '\r'], " "),
                )
            }
            _ => None,
        })
        .collect()
}

/// The sentence before the list of what is left out.
pub const LEFT_OUT: &str =
    "Left out: the diagram holds these, which this export does not create (add them yourself):";

/// A comment block listing the diagram's validation errors, for formats that
/// have comments.
fn error_header(analysis: &Analysis, comment: &str) -> String {
    let errors = error_lines(analysis, &format!("{comment}   "));
    if errors.is_empty() {
        return String::new();
    }
    format!(
        "{comment} WARNING: the diagram has {} validation error{}; this export will not deploy as is:\n{}\n",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
        errors.join("\n")
    )
}

/// A comment block listing what the export leaves out.
fn left_out_header(diagram: &Diagram, comment: &str) -> String {
    let lines = left_out_lines(diagram, &format!("{comment}   "));
    if lines.is_empty() {
        return String::new();
    }
    format!("{comment} {LEFT_OUT}\n{}\n", lines.join("\n"))
}

/// The files of every format, sharing one analysis and one CloudFormation
/// template between the YAML and JSON serialisations.
pub fn export_all(diagram: &Diagram, analysis: &Analysis) -> Vec<ExportFile> {
    let template = cloudformation::template(diagram, analysis);
    let json = cloudformation_json(&template);
    let readme = cloudformation_readme(diagram, analysis, &template, json.contents.len());
    let mut files = vec![
        cloudformation_yaml(diagram, analysis, &template),
        json,
        readme,
    ];
    files.extend(terraform::module(diagram, analysis));
    files.extend(circleci_file(diagram, analysis));
    files.extend(circleci_readme(diagram, analysis));
    files
}

fn cloudformation_readme(
    diagram: &Diagram,
    analysis: &Analysis,
    template: &serde_json::Value,
    json_size: usize,
) -> ExportFile {
    ExportFile {
        path: "README.md".into(),
        contents: readme::cloudformation(diagram, analysis, template, json_size),
    }
}

fn circleci_readme(diagram: &Diagram, analysis: &Analysis) -> Option<ExportFile> {
    readme::circleci(diagram, analysis).map(|contents| ExportFile {
        path: ".circleci/README.md".into(),
        contents,
    })
}

/// The files of one format as a bundle to deploy: the format's files and
/// the README.md that says how (Terraform's is part of its module).
pub fn bundle(diagram: &Diagram, analysis: &Analysis, format: Format) -> Vec<ExportFile> {
    let mut files = export_with(diagram, analysis, format);
    match format {
        Format::CloudFormationYaml | Format::CloudFormationJson => {
            let template = cloudformation::template(diagram, analysis);
            let json_size = cloudformation::to_json(&template).len();
            files.push(cloudformation_readme(
                diagram, analysis, &template, json_size,
            ));
        }
        Format::CircleCi => files.extend(circleci_readme(diagram, analysis)),
        Format::Terraform => {}
    }
    files
}

fn cloudformation_yaml(
    diagram: &Diagram,
    analysis: &Analysis,
    template: &serde_json::Value,
) -> ExportFile {
    ExportFile {
        path: "cloudformation.yaml".into(),
        contents: format!(
            "# Generated by stackdraw from the diagram {}.\n{}{}{}",
            yaml::string_text(&diagram.name),
            error_header(analysis, "#"),
            left_out_header(diagram, "#"),
            yaml::to_yaml(template)
        ),
    }
}

fn cloudformation_json(template: &serde_json::Value) -> ExportFile {
    ExportFile {
        path: "cloudformation.json".into(),
        contents: cloudformation::to_json(template),
    }
}

/// The pipeline's config, when the diagram has a pipeline.
fn circleci_file(diagram: &Diagram, analysis: &Analysis) -> Option<ExportFile> {
    circleci::config(diagram, analysis).map(|contents| ExportFile {
        path: ".circleci/config.yml".into(),
        contents,
    })
}

/// The files of one format.
pub fn export(diagram: &Diagram, format: Format) -> Vec<ExportFile> {
    let analysis = analyze(diagram);
    export_with(diagram, &analysis, format)
}

pub fn export_with(diagram: &Diagram, analysis: &Analysis, format: Format) -> Vec<ExportFile> {
    match format {
        Format::CloudFormationYaml => {
            let template = cloudformation::template(diagram, analysis);
            vec![cloudformation_yaml(diagram, analysis, &template)]
        }
        Format::CloudFormationJson => {
            let template = cloudformation::template(diagram, analysis);
            vec![cloudformation_json(&template)]
        }
        Format::Terraform => terraform::module(diagram, analysis),
        Format::CircleCi => circleci_file(diagram, analysis).into_iter().collect(),
    }
}
