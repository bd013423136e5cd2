//! What the app asks its web worker and what the worker answers, as plain
//! text, so the whole exchange is tested natively. The worker (see
//! `export_worker`, wasm32 only) runs [`answer`] on each message; the app
//! builds requests with [`diagram_request`] and reads replies by prefix.
//!
//! Requests, each a prefix followed by its data:
//! - `export:<diagram>`: every export with its highlighted preview;
//! - `open:<file JSON>`: the diagram, as `wire:`;
//! - `kind:<kind>\n<JSON>`: a node's properties read from JSON, as `wire:`;
//! - `save:<diagram>`: the diagram's file, as `text:`;
//! - `properties:<kind>`: a node's properties as JSON, as `text:`;
//! - `image:<light|dark>:<diagram>`: the standalone SVG image, as `text:`;
//! - `tidy:<VPC id>:<diagram>`: the diagram with that VPC tidied, as `wire:`;
//! - `zip:<all|terraform>:<diagram>`: the exports (all, or the Terraform
//!   folder) as a zip archive under `stackdraw/`, as `wire:`;
//! - `template:<name>`: a built-in template, as `wire:`;
//! - `import:<region>:<file name>\n<text>`: a file the user opened: a
//!   CloudFormation template is imported (for that region), answered as
//!   `text:` holding the diagram's binary form (base64url), a line break,
//!   and the import report (`import::report::Report::encode`); anything
//!   else is read as a diagram file, as for `open:`;
//! - `import-files:<region>\n` then, per file, `t:<bytes>:<path>\n<text>`
//!   or, for a `.zip`, `z:<bytes>:<name>\n<base64url>`: several files the
//!   user opened or dropped at once: a Terraform module (its `.tf` files,
//!   or a zip of its folder) or several CloudFormation templates, imported
//!   as one diagram and answered as for `import:`;
//! - `diff:<older>:<newer>`: the two versions compared (`domain::diff`),
//!   as `text:` holding compare mode's panel (`diff::report::panel`);
//! - `routes:<diagram>`: every line's route as the search finds it
//!   (`scene::CarriedRoutes::encode`), as `text:`: the app has the lines
//!   of a large diagram just opened routed here, off its own thread;
//! - `bench:…`: a benchmark (answered by the worker itself: it needs a clock).
//!
//! Diagrams and kinds travel in the binary form (`codec::wire`), base64url.
//! Any other text is read as a diagram file and answered with its exports.

use crate::domain::codec::{decode_file, encode_file, wire, Limits};
use crate::domain::edit::{apply, arrange, fields};
use crate::domain::export::export_all;
use crate::domain::export::highlight::highlight_html;
use crate::domain::model::{Diagram, KindTag, NodeId};
use crate::domain::{image, scene, templates, validate};

pub const EXPORT: &str = "export:";
pub const OPEN: &str = "open:";
pub const KIND: &str = "kind:";
pub const SAVE: &str = "save:";
pub const PROPERTIES: &str = "properties:";
pub const IMAGE: &str = "image:";
pub const TIDY: &str = "tidy:";
pub const ZIP: &str = "zip:";
pub const TEMPLATE: &str = "template:";
pub const IMPORT: &str = "import:";
pub const IMPORT_FILES: &str = "import-files:";
pub const DIFF: &str = "diff:";
pub const ROUTES: &str = "routes:";
pub const BENCH: &str = "bench:";

/// What the worker says once it can take requests.
pub const READY: &str = "ready";
/// Reply prefixes: binary data (diagrams, properties, archives), text, or
/// why a request has no answer.
pub const WIRE: &str = "wire:";
pub const TEXT: &str = "text:";
pub const FAILED: &str = "failed: ";

/// One exported file with its preview as escaped, highlighted HTML.
#[derive(Clone, Debug, PartialEq)]
pub struct PreviewFile {
    pub path: String,
    pub contents: String,
    pub html: String,
}

/// The answer to one request.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Files(Vec<PreviewFile>),
    Wire(Vec<u8>),
    Text(String),
    Failed(String),
}

impl Answer {
    /// The reply as the worker posts it, unless it is files (which travel as
    /// an array of strings).
    pub fn to_message(&self) -> Option<String> {
        match self {
            Answer::Files(_) => None,
            Answer::Wire(bytes) => Some(format!("{WIRE}{}", wire::to_base64url(bytes))),
            Answer::Text(text) => Some(format!("{TEXT}{text}")),
            Answer::Failed(message) => Some(format!("{FAILED}{message}")),
        }
    }
}

/// A request about a diagram: `prefix` and the diagram in binary form.
pub fn diagram_request(prefix: &str, diagram: &Diagram) -> String {
    format!("{prefix}{}", encoded(diagram))
}

/// A diagram in the form requests carry it (binary, base64url): compare
/// mode encodes the version it compares with once, not on every edit.
pub fn encoded(diagram: &Diagram) -> String {
    wire::to_base64url(&wire::encode(diagram))
}

/// The `diff:` request comparing two versions, the older already
/// [`encoded`].
pub fn diff_request(older: &str, newer: &Diagram) -> String {
    format!("{DIFF}{older}:{}", encoded(newer))
}

/// A diagram sent in binary form, checked like any other input.
fn diagram_from(data: &str) -> Result<Diagram, String> {
    let bytes = wire::from_base64url(data).map_err(|e| e.to_string())?;
    wire::decode(&bytes, &Limits::default()).map_err(|e| e.to_string())
}

fn exports(diagram: &Diagram) -> Vec<PreviewFile> {
    export_all(diagram, &validate::analyze(diagram))
        .into_iter()
        .map(|file| PreviewFile {
            html: highlight_html(&file.contents),
            path: file.path,
            contents: file.contents,
        })
        .collect()
}

/// The answer to any request but `bench:`.
pub fn answer(request: &str) -> Answer {
    let outcome = if let Some(data) = request.strip_prefix(EXPORT) {
        diagram_from(data).map(|diagram| Answer::Files(exports(&diagram)))
    } else if let Some(file) = request.strip_prefix(OPEN) {
        decode_file(file)
            .map(|diagram| Answer::Wire(wire::encode(&diagram)))
            .map_err(|error| error.to_string())
    } else if let Some(rest) = request.strip_prefix(KIND) {
        let (tag, json) = rest.split_once('\n').unwrap_or((rest, ""));
        KindTag::parse(tag)
            .ok_or_else(|| format!("there is no kind {tag:?}"))
            .and_then(|tag| fields::kind_from_json(tag, json))
            .map(|kind| Answer::Wire(wire::encode_kind(&kind)))
    } else if let Some(data) = request.strip_prefix(SAVE) {
        diagram_from(data).map(|diagram| Answer::Text(encode_file(&diagram)))
    } else if let Some(data) = request.strip_prefix(PROPERTIES) {
        wire::from_base64url(data)
            .and_then(|bytes| wire::decode_kind(&bytes))
            .map(|kind| Answer::Text(fields::properties_json(&kind)))
            .map_err(|error| error.to_string())
    } else if let Some(rest) = request.strip_prefix(IMAGE) {
        let (theme, data) = rest.split_once(':').unwrap_or((rest, ""));
        // `light`, `dark`, or either with `-slides`: the presentation
        // picture, with its legend.
        let (theme, slides) = match theme.strip_suffix("-slides") {
            Some(theme) => (theme, true),
            None => (theme, false),
        };
        let theme = match theme {
            "dark" => image::Theme::Dark,
            _ => image::Theme::Light,
        };
        diagram_from(data).map(|diagram| {
            let drawn = scene::Scene::of(&diagram);
            let analysis = validate::analyze(&diagram);
            Answer::Text(if slides {
                image::presentation_svg(&drawn, &analysis, theme)
            } else {
                image::svg(&drawn, &analysis, theme)
            })
        })
    } else if let Some(rest) = request.strip_prefix(TIDY) {
        let (vpc, data) = rest.split_once(':').unwrap_or((rest, ""));
        diagram_from(data).and_then(|mut diagram| {
            let vpc = NodeId::new(vpc).map_err(|e| e.to_string())?;
            let command = arrange::tidy(&diagram, &vpc)?;
            apply(&mut diagram, command).map_err(|e| e.to_string())?;
            Ok(Answer::Wire(wire::encode(&diagram)))
        })
    } else if let Some(rest) = request.strip_prefix(ZIP) {
        let (which, data) = rest.split_once(':').unwrap_or((rest, ""));
        diagram_from(data).map(|diagram| {
            let entries: Vec<(String, Vec<u8>)> =
                export_all(&diagram, &validate::analyze(&diagram))
                    .into_iter()
                    .filter(|file| which != "terraform" || file.path.starts_with("terraform/"))
                    .map(|file| {
                        (
                            format!("stackdraw/{}", file.path),
                            file.contents.into_bytes(),
                        )
                    })
                    .collect();
            Answer::Wire(crate::domain::export::zip::archive(&entries))
        })
    } else if let Some(rest) = request.strip_prefix(IMPORT_FILES) {
        import_files(rest)
    } else if let Some(rest) = request.strip_prefix(IMPORT) {
        let (head, text) = rest.split_once('\n').unwrap_or((rest, ""));
        let (region, name) = head.split_once(':').unwrap_or(("", head));
        let options = crate::domain::import::Options {
            region: region.to_string(),
            ..Default::default()
        };
        if !crate::domain::import::looks_like_cloudformation(text) {
            return decode_file(text)
                .map(|diagram| Answer::Wire(wire::encode(&diagram)))
                .unwrap_or_else(|error| Answer::Failed(error.to_string()));
        }
        crate::domain::import::import_cloudformation(name, text, &options)
            .map(|imported| {
                Answer::Text(format!(
                    "{}\n{}",
                    wire::to_base64url(&wire::encode(&imported.diagram)),
                    imported.report.encode()
                ))
            })
            .map_err(|error| error.to_string())
    } else if let Some(rest) = request.strip_prefix(DIFF) {
        let (older, newer) = rest.split_once(':').unwrap_or((rest, ""));
        diagram_from(older).and_then(|older| {
            let newer = diagram_from(newer)?;
            let diff = crate::domain::diff::diff(&older, &newer, Default::default());
            Ok(Answer::Text(crate::domain::diff::report::panel(&diff)))
        })
    } else if let Some(data) = request.strip_prefix(ROUTES) {
        diagram_from(data)
            .map(|diagram| Answer::Text(scene::CarriedRoutes::encode(&scene::Scene::of(&diagram))))
    } else if let Some(name) = request.strip_prefix(TEMPLATE) {
        templates::by_name(name)
            .map(|template| Answer::Wire(wire::encode(&template.build())))
            .ok_or_else(|| format!("there is no template {name:?}"))
    } else {
        decode_file(request)
            .map(|diagram| Answer::Files(exports(&diagram)))
            .map_err(|error| error.to_string())
    };
    outcome.unwrap_or_else(Answer::Failed)
}

/// One file of an `import-files:` request.
pub fn file_entry(path: &str, text: &str, zipped: bool) -> String {
    let kind = if zipped { 'z' } else { 't' };
    format!("{kind}:{}:{}\n{text}", text.len(), path.replace('\n', " "))
}

/// The files of an `import-files:` request, zips unpacked.
fn request_files(mut rest: &str) -> Result<Vec<(String, String)>, String> {
    use crate::domain::import::{unzip, MAX_BYTES};
    let mut files = Vec::new();
    while !rest.is_empty() {
        let (head, after) = rest.split_once('\n').ok_or("a file without its contents")?;
        let mut parts = head.splitn(3, ':');
        let (Some(kind), Some(length), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("{head:?} does not name a file"));
        };
        let length: usize = length
            .parse()
            .map_err(|_| format!("{head:?} has no length"))?;
        let contents = after.get(..length).ok_or("a file is cut short")?;
        rest = &after[length..];
        match kind {
            "t" => files.push((path.to_string(), contents.to_string())),
            "z" => {
                let bytes = wire::from_base64url(contents).map_err(|e| e.to_string())?;
                let wanted = |name: &str| {
                    [".tf", ".yaml", ".yml", ".template", "/modules.json"]
                        .iter()
                        .any(|end| name.ends_with(end))
                };
                let unpacked = unzip::files(&bytes, MAX_BYTES, wanted)
                    .map_err(|why| format!("{path}: {why}"))?;
                if unpacked.is_empty() {
                    return Err(format!("{path} holds no .tf file or template"));
                }
                files.extend(unpacked);
            }
            other => return Err(format!("{other:?} is not a kind of file")),
        }
    }
    Ok(files)
}

/// Several files as one diagram: a Terraform module, or templates.
fn import_files(rest: &str) -> Result<Answer, String> {
    use crate::domain::import;
    let (region, rest) = rest.split_once('\n').unwrap_or((rest, ""));
    let outcome = request_files(rest).and_then(|files| {
        if files.is_empty() {
            return Err("no file was given".into());
        }
        let terraform = files
            .iter()
            .any(|(name, text)| import::looks_like_terraform(name, text));
        // A Terraform module's provider sets its region.
        let options = import::Options {
            region: if terraform {
                String::new()
            } else {
                region.to_string()
            },
            ..Default::default()
        };
        let imported = if terraform {
            import::import_terraform(&files, &options)
        } else {
            import::import_templates(&files, &options)
        };
        imported.map_err(|error| error.to_string())
    });
    outcome.map(|imported| {
        Answer::Text(format!(
            "{}\n{}",
            wire::to_base64url(&wire::encode(&imported.diagram)),
            imported.report.encode()
        ))
    })
}
