//! The native command-line tool: diagrams as code in CI and in a terminal.

use clap::{Parser, Subcommand};
use stackdraw::domain::codec::{decode_file, encode_file, link, review};
use stackdraw::domain::export;
use stackdraw::domain::model::{Diagram, Protocol};
use stackdraw::domain::templates::{self, TEMPLATES};
use stackdraw::domain::validate::{analyze, reach};
use std::path::PathBuf;

mod report;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "stackdraw",
    version,
    about = "Design, check and export AWS architectures"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a built-in template as a diagram file (JSON); without a name, list them.
    Template {
        /// The template's name, e.g. `seed`.
        name: Option<String>,
        /// Print its binary form (the share-link payload before compression)
        /// instead of JSON.
        #[arg(long)]
        wire: bool,
    },
    /// Read a diagram file and say whether it is well formed.
    Check {
        /// The diagram file (JSON); `-` reads standard input.
        file: PathBuf,
    },
    /// Check a diagram against every rule and trace every flow; exit 1 on errors.
    Validate {
        /// The diagram file (JSON); `-` reads standard input.
        file: PathBuf,
        /// `text` for people, `json` for tools (see docs/rules.md).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Ask whether one node reaches another on a port, and why (not). Exits 0
    /// only when the traffic gets through to every target.
    Reach {
        file: PathBuf,
        /// The source node's id or name.
        from: String,
        /// The destination node's id or name.
        to: String,
        port: u16,
        #[arg(long, value_enum, default_value_t = QueryProtocol::Tcp)]
        protocol: QueryProtocol,
        /// `text` for people, `json` for tools (the shape of a flow in
        /// `validate --format json`).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Write infrastructure as code for a diagram.
    Export {
        /// The diagram file (JSON); `-` reads standard input.
        file: PathBuf,
        /// `cloudformation`, `cloudformation-json`, `terraform`, `circleci`, or `all`.
        #[arg(long = "to", default_value = "all")]
        to: String,
        /// The folder to write into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the JSON Schema of the diagram file format.
    Schema,
    /// Read CloudFormation templates (YAML or JSON) or a Terraform module
    /// as one diagram: the diagram file goes to standard output, what
    /// became of each resource to standard error. Several templates: one's
    /// exports are another's ImportValue, and a nested stack's template is
    /// the file its TemplateURL ends with. Terraform: a module's folder (its
    /// local modules' folders and `.terraform/modules` are read too) or its
    /// `.tf` files. `validate`, `reach`, `export` and `link encode` also
    /// take a template or a module's folder in place of a diagram file.
    Import {
        /// The templates, or a Terraform module's folder or `.tf` files;
        /// `-` reads standard input.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// A CloudFormation parameter's value, `Name=Value` (repeatable);
        /// parameters not given take their defaults.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// A Terraform variable's value, `name=value` (repeatable); a list
        /// is written as JSON (`azs=["eu-west-1a","eu-west-1b"]`).
        #[arg(long = "var", value_name = "NAME=VALUE")]
        vars: Vec<String>,
        /// The region the stack would be deployed to (default: a Terraform
        /// module's provider region, else us-east-1).
        #[arg(long)]
        region: Option<String>,
    },
    /// Compare two versions of a design: nodes and edges added, removed
    /// and changed, every flow and must-not-exist scope whose verdict
    /// changed (with the hop and code that decided), problems that appeared
    /// or cleared. Each version is a diagram file, a share link, a
    /// CloudFormation template or a Terraform module's folder.
    Diff {
        /// The older version, or a review link holding both.
        old: String,
        /// The newer version (not given with a review link).
        new: Option<String>,
        /// `text` for a terminal, `json` for tools, `markdown` for a pull
        /// request's comment.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Exit 1 when the change does any of these (comma-separated):
        /// `blocked` (a flow became blocked), `partial` (a flow became only
        /// partially reachable), `scope` (a must-not-exist scope broke),
        /// `error` (a new error), or `all`.
        #[arg(long = "fail-on", value_name = "LIST", default_value = "")]
        fail_on: String,
        /// How nodes are paired: `auto` (by id when most ids are shared,
        /// else by kind, name and containment), `id` or `structure`.
        #[arg(long = "match", value_name = "HOW", default_value = "auto")]
        matching: String,
        /// The region templates and modules are imported for (default: a
        /// Terraform module's provider region, else us-east-1), so that a
        /// template and a module of one deployment compare zone for zone.
        #[arg(long)]
        region: Option<String>,
        /// The address of a stackdraw site (`https://…/`): the report gains a
        /// review link there that opens both versions in compare mode.
        #[arg(long = "review-link", value_name = "SITE")]
        review_link: Option<String>,
    },
    /// Share links: the whole diagram in a URL fragment.
    Link {
        #[command(subcommand)]
        action: LinkAction,
    },
}

#[derive(Subcommand)]
enum LinkAction {
    /// Print the link fragment (after `#`) that opens a diagram file.
    Encode {
        /// The diagram file (JSON); `-` reads standard input.
        file: PathBuf,
    },
    /// Print the review link fragment (after `#`) that opens two versions
    /// side by side in compare mode: the newer encoded against the older.
    Review {
        /// The older version: a diagram file, link, template or module.
        old: String,
        /// The newer version.
        new: String,
    },
    /// Print the diagram file (JSON) a link or its fragment holds.
    Decode {
        /// A whole link, or the part after `#`.
        fragment: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiffFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum QueryProtocol {
    Tcp,
    Udp,
}

pub fn run() -> ExitCode {
    match Cli::parse().command {
        Command::Template { name: None, .. } => {
            let list: String = TEMPLATES
                .iter()
                .map(|template| format!("{:<8} {}\n", template.name, template.description))
                .collect();
            emit(&list)
        }
        Command::Template {
            name: Some(name),
            wire,
        } => match templates::by_name(&name) {
            Some(template) if wire => {
                emit_bytes(&stackdraw::domain::codec::wire::encode(&template.build()))
            }
            Some(template) => emit(&encode_file(&template.build())),
            None => {
                let names: Vec<&str> = TEMPLATES.iter().map(|template| template.name).collect();
                eprintln!(
                    "stackdraw: no template named {name:?}; there are: {}",
                    names.join(", ")
                );
                ExitCode::from(2)
            }
        },
        Command::Link {
            action: LinkAction::Encode { file },
        } => match load(&file, UNREADABLE) {
            Ok(diagram) => emit(&format!("{}\n", link::encode_link(&diagram))),
            Err(code) => code,
        },
        Command::Link {
            action: LinkAction::Review { old, new },
        } => match load_version(&old, None).and_then(|old| Ok((old, load_version(&new, None)?))) {
            Ok((old, new)) => emit(&format!("{}\n", review::encode_link(&old, &new))),
            Err(code) => code,
        },
        Command::Link {
            action: LinkAction::Decode { fragment },
        } => match link::decode_link(&fragment) {
            Ok(diagram) => emit(&encode_file(&diagram)),
            Err(error) => {
                eprintln!("stackdraw: {error}");
                ExitCode::from(UNREADABLE)
            }
        },
        // For `check`, a malformed file is the finding: exit 1.
        Command::Check { file } => match load(&file, 1) {
            Ok(_) => emit("ok\n"),
            Err(code) => code,
        },
        Command::Validate { file, format } => {
            let diagram = match load(&file, UNREADABLE) {
                Ok(diagram) => diagram,
                Err(code) => return code,
            };
            let analysis = analyze(&diagram);
            let output = match format {
                Format::Text => report::text(&diagram, &analysis),
                Format::Json => report::json(&analysis),
            };
            let code = emit(&output);
            if analysis.has_errors() {
                ExitCode::FAILURE
            } else {
                code
            }
        }
        Command::Reach {
            file,
            from,
            to,
            port,
            protocol,
            format,
        } => {
            let diagram = match load(&file, UNREADABLE) {
                Ok(diagram) => diagram,
                Err(code) => return code,
            };
            let ends = (
                report::find_node(&diagram, &from),
                report::find_node(&diagram, &to),
            );
            let (from_id, to_id) = match ends {
                (Ok(from_id), Ok(to_id)) => (from_id, to_id),
                (Err(message), _) | (_, Err(message)) => {
                    eprintln!("stackdraw: {message}");
                    return ExitCode::from(UNREADABLE);
                }
            };
            let protocol = match protocol {
                QueryProtocol::Tcp => Protocol::Tcp,
                QueryProtocol::Udp => Protocol::Udp,
            };
            let Some(verdict) = reach::query(&diagram, &from_id, &to_id, protocol, port) else {
                unreachable!("both ends were found in the diagram");
            };
            let code = match format {
                Format::Text => emit(&report::flow_line(&verdict)),
                Format::Json => emit(&report::flow_json(&verdict)),
            };
            if verdict.reachable {
                code
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Export { file, to, out } => {
            let formats: Vec<export::Format> = if to == "all" {
                export::Format::ALL.to_vec()
            } else if let Some(format) = export::Format::parse(&to) {
                vec![format]
            } else {
                let names: Vec<&str> = export::Format::ALL
                    .iter()
                    .chain([&export::Format::CircleCi])
                    .map(|f| f.name())
                    .collect();
                eprintln!(
                    "stackdraw: unknown format {to:?}; use one of {}, or all",
                    names.join(", ")
                );
                return ExitCode::from(2);
            };
            let diagram = match load(&file, UNREADABLE) {
                Ok(diagram) => diagram,
                Err(code) => return code,
            };
            let analysis = analyze(&diagram);
            let files = if to == "all" {
                export::export_all(&diagram, &analysis)
            } else {
                formats
                    .into_iter()
                    .flat_map(|format| export::bundle(&diagram, &analysis, format))
                    .collect()
            };
            {
                for written in files {
                    let path = out.join(&written.path);
                    let result = path
                        .parent()
                        .map_or(Ok(()), std::fs::create_dir_all)
                        .and_then(|()| std::fs::write(&path, written.contents));
                    if let Err(error) = result {
                        eprintln!("stackdraw: cannot write {}: {error}", path.display());
                        return ExitCode::FAILURE;
                    }
                }
            }
            if analysis.has_errors() {
                eprintln!(
                    "stackdraw: the diagram has {} validation errors; the export lists them at the top",
                    analysis.count(stackdraw::domain::validate::Severity::Error)
                );
            }
            ExitCode::SUCCESS
        }
        Command::Import {
            files,
            params,
            vars,
            region,
        } => {
            let mut options = stackdraw::domain::import::Options {
                region: region.unwrap_or_default(),
                ..Default::default()
            };
            for (flag, given, into) in [
                ("--param", params, &mut options.parameters),
                ("--var", vars, &mut options.variables),
            ] {
                for pair in given {
                    let Some((name, value)) = pair.split_once('=') else {
                        eprintln!("stackdraw: {flag} takes NAME=VALUE, not {pair:?}");
                        return ExitCode::from(UNREADABLE);
                    };
                    into.insert(name.to_string(), value.to_string());
                }
            }
            let mut texts: Vec<(String, String)> = Vec::with_capacity(files.len());
            for file in &files {
                match read_sources(file) {
                    Ok(read) => {
                        for (path, text) in read {
                            if !texts.iter().any(|(p, _)| *p == path) {
                                texts.push((path, text));
                            }
                        }
                    }
                    Err(message) => {
                        eprintln!("stackdraw: {message}");
                        return ExitCode::from(UNREADABLE);
                    }
                }
            }
            options.root = root_of(&files[0]);
            let terraform = texts
                .iter()
                .any(|(name, text)| stackdraw::domain::import::looks_like_terraform(name, text));
            let imported = if terraform {
                stackdraw::domain::import::import_terraform(&texts, &options)
            } else {
                stackdraw::domain::import::import_templates(&texts, &options)
            };
            match imported {
                Ok(imported) => {
                    let names: Vec<&str> = if terraform {
                        files.iter().filter_map(|f| f.to_str()).collect()
                    } else {
                        texts.iter().map(|(name, _)| name.as_str()).collect()
                    };
                    eprint!("{}: {}", names.join(", "), imported.report.text());
                    emit(&encode_file(&imported.diagram))
                }
                Err(error) => {
                    eprintln!("stackdraw: {error}");
                    ExitCode::from(UNREADABLE)
                }
            }
        }
        Command::Diff {
            old,
            new,
            format,
            fail_on,
            matching,
            region,
            review_link,
        } => run_diff(
            (&old, new.as_deref()),
            format,
            &fail_on,
            &matching,
            (region.as_deref(), review_link.as_deref()),
        ),
        Command::Schema => emit(&(stackdraw::domain::schema::file_schema_json() + "\n")),
    }
}

fn run_diff(
    (old, new): (&str, Option<&str>),
    format: DiffFormat,
    fail_on: &str,
    matching: &str,
    (region, site): (Option<&str>, Option<&str>),
) -> ExitCode {
    use stackdraw::domain::diff::{self, Gate, Strategy};
    let mut gates = Vec::new();
    for name in fail_on.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if name == "all" {
            gates.extend(Gate::ALL);
            continue;
        }
        let Some(gate) = Gate::parse(name) else {
            let names: Vec<&str> = Gate::ALL.iter().map(|g| g.name()).collect();
            eprintln!(
                "stackdraw: --fail-on takes {} or all, not {name:?}",
                names.join(", ")
            );
            return ExitCode::from(UNREADABLE);
        };
        gates.push(gate);
    }
    let Some(strategy) = Strategy::parse(matching) else {
        eprintln!("stackdraw: --match takes auto, id or structure, not {matching:?}");
        return ExitCode::from(UNREADABLE);
    };
    let versions = match new {
        Some(new) => {
            load_version(old, region).and_then(|old| Ok((old, load_version(new, region)?)))
        }
        // A review link, or the file the app offers for a long one.
        None if review::is_review(&review_text(old)) => review::decode_link(&review_text(old))
            .map_err(|error| {
                eprintln!("stackdraw: {error}");
                ExitCode::from(UNREADABLE)
            }),
        None => {
            eprintln!("stackdraw: diff compares two versions (or the two a review link holds); give the newer one too");
            Err(ExitCode::from(UNREADABLE))
        }
    };
    let (old, new) = match versions {
        Ok(pair) => pair,
        Err(code) => return code,
    };
    let diff = diff::diff(&old, &new, strategy);
    let link = site.map(|site| {
        format!(
            "{}#{}",
            site.split('#').next().unwrap_or(site),
            review::encode_link(&old, &new)
        )
    });
    let output = match format {
        DiffFormat::Text => diff::report::text(&diff, link.as_deref()),
        DiffFormat::Json => diff::report::json(&diff, link.as_deref()),
        DiffFormat::Markdown => diff::report::markdown(&diff, link.as_deref()),
    };
    let code = emit(&output);
    let failed: Vec<String> = gates
        .iter()
        .filter(|gate| diff.gate_count(**gate) > 0)
        .map(|gate| format!("{} ({})", gate.name(), diff.gate_count(*gate)))
        .collect();
    if failed.is_empty() {
        code
    } else {
        eprintln!("stackdraw: the change fails on {}", failed.join(", "));
        ExitCode::FAILURE
    }
}

/// A review link given as text, or the text of the file it was saved in.
fn review_text(given: &str) -> String {
    let path = PathBuf::from(given);
    if path.is_file() {
        read_input(&path).unwrap_or_default()
    } else {
        given.to_string()
    }
}

/// One version to compare: a file or folder when the path exists, else a
/// share link (whole, or the part after `#`).
fn load_version(given: &str, region: Option<&str>) -> Result<Diagram, ExitCode> {
    let path = PathBuf::from(given);
    if given == "-" || path.exists() {
        return load_in(&path, UNREADABLE, region);
    }
    if given.contains('#') || given.starts_with('v') && given.contains('.') {
        return link::decode_link(given).map_err(|error| {
            eprintln!("stackdraw: {error}");
            ExitCode::from(UNREADABLE)
        });
    }
    eprintln!("stackdraw: {given} is neither a file nor a folder nor a stackdraw link");
    Err(ExitCode::from(UNREADABLE))
}

/// Writes the command's output. A reader that stops early (`| head`) is not an
/// error worth a panic; any other write failure is reported.
fn emit(text: &str) -> ExitCode {
    emit_bytes(text.as_bytes())
}

fn emit_bytes(bytes: &[u8]) -> ExitCode {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("stackdraw: cannot write the output: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The exit code for input a command cannot read (1 is kept for findings in
/// the design).
const UNREADABLE: u8 = 2;

/// Reads and decodes a diagram, reporting any problem on standard error and
/// failing with `code`.
fn load(file: &PathBuf, code: u8) -> Result<Diagram, ExitCode> {
    load_in(file, code, None)
}

/// `load`, importing templates and modules for `region` when given.
fn load_in(file: &PathBuf, code: u8, region: Option<&str>) -> Result<Diagram, ExitCode> {
    // A Terraform module's folder (or one `.tf` file) stands in for a
    // diagram file too.
    if file.is_dir() || file.extension().is_some_and(|e| e == "tf") {
        let sources = read_sources(file).map_err(|message| {
            eprintln!("stackdraw: {message}");
            ExitCode::from(UNREADABLE)
        })?;
        let name = file.display().to_string();
        let options = stackdraw::domain::import::Options {
            root: root_of(file),
            region: region.unwrap_or_default().to_string(),
            ..Default::default()
        };
        return reported(
            &name,
            stackdraw::domain::import::import_terraform(&sources, &options),
        );
    }
    let text = read_input(file).map_err(|message| {
        eprintln!("stackdraw: {message}");
        ExitCode::from(code)
    })?;
    // A CloudFormation template stands in for a diagram file: imported,
    // its report on standard error.
    if stackdraw::domain::import::looks_like_cloudformation(&text) {
        let options = stackdraw::domain::import::Options {
            region: region.unwrap_or_default().to_string(),
            ..Default::default()
        };
        return import_template(file, &text, &options).map_err(|_| ExitCode::from(UNREADABLE));
    }
    let diagram = decode_file(&text).map_err(|error| {
        eprintln!("{}: {error}", file.display());
        ExitCode::from(code)
    })?;
    // Lines an older version drew where no traffic flows mean what they
    // stand for, as in the app; the user is told on standard error.
    let (settled, said) = stackdraw::domain::edit::relate::settle(&diagram);
    for sentence in said {
        eprintln!("{}: {sentence}", file.display());
    }
    Ok(settled)
}

/// A template imported, its report on standard error; unreadable: exit 2.
fn import_template(
    file: &std::path::Path,
    text: &str,
    options: &stackdraw::domain::import::Options,
) -> Result<Diagram, ExitCode> {
    let name = file.display().to_string();
    reported(
        &name,
        stackdraw::domain::import::import_cloudformation(&name, text, options),
    )
}

/// An import's diagram with its report on standard error; unreadable: exit 2.
fn reported(
    name: &str,
    imported: Result<stackdraw::domain::import::Imported, stackdraw::domain::import::ImportError>,
) -> Result<Diagram, ExitCode> {
    match imported {
        Ok(imported) => {
            eprint!("{name}: {}", imported.report.text());
            Ok(imported.diagram)
        }
        Err(error) => {
            eprintln!("stackdraw: {error}");
            Err(ExitCode::from(UNREADABLE))
        }
    }
}

/// The files a path names: the file itself, or a Terraform module's
/// folder: its `.tf` files and those of the folders below it (local
/// modules, and what `terraform init` put in `.terraform/modules`, with its
/// `modules.json`); other hidden folders are skipped.
fn read_sources(path: &PathBuf) -> Result<Vec<(String, String)>, String> {
    let mut out = read_folder(path)?;
    // The local modules the files call, wherever they are (an example
    // calling `../../`), with those they call in turn.
    let mut at = 0;
    while at < out.len() {
        let file = stackdraw::domain::import::tf::SourceFile {
            path: out[at].0.clone(),
            text: out[at].1.clone(),
        };
        at += 1;
        if !file.path.ends_with(".tf") {
            continue;
        }
        for source in stackdraw::domain::import::tf::local_sources(&file) {
            let dir = PathBuf::from(&source);
            if !dir.is_dir() {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "tf"))
                .collect();
            found.sort();
            for tf in found {
                let name = tf.display().to_string();
                let known = |p: &str| normalized(p) == normalized(&name);
                if out.iter().any(|(p, _)| known(p)) {
                    continue;
                }
                if out.len() >= 4096 {
                    return Err(format!(
                        "{} calls modules of more than 4096 files",
                        path.display()
                    ));
                }
                out.push((name, read_input(&tf)?));
            }
        }
    }
    Ok(out)
}

/// A path without `.` and with `..` applied, to tell two spellings of one
/// file apart from two files.
fn normalized(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The root module's folder: the folder given, or the one a `.tf` file is in.
fn root_of(path: &std::path::Path) -> String {
    if path.is_dir() {
        path.display().to_string()
    } else if path.extension().is_some_and(|e| e == "tf") {
        path.parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    } else {
        String::new()
    }
}

/// A file, or a folder's `.tf` files and those of the folders below it.
fn read_folder(path: &PathBuf) -> Result<Vec<(String, String)>, String> {
    if !path.is_dir() {
        return Ok(vec![(path.display().to_string(), read_input(path)?)]);
    }
    const MAX_FILES: usize = 4096;
    let mut out = Vec::new();
    let mut pending = vec![path.clone()];
    while let Some(dir) = pending.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|error| format!("cannot read {}: {error}", dir.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for entry in entries {
            let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let inside_terraform = entry.components().any(|c| c.as_os_str() == ".terraform");
            if entry.is_dir() {
                let hidden = name.starts_with('.') && name != ".terraform";
                if !hidden && name != "providers" {
                    pending.push(entry);
                }
            } else if name.ends_with(".tf") || (inside_terraform && name == "modules.json") {
                if out.len() >= MAX_FILES {
                    return Err(format!(
                        "{} holds more than {MAX_FILES} .tf files",
                        path.display()
                    ));
                }
                out.push((entry.display().to_string(), read_input(&entry)?));
            }
        }
    }
    if out.is_empty() {
        return Err(format!("{} holds no .tf file", path.display()));
    }
    out.sort();
    Ok(out)
}

fn read_input(path: &PathBuf) -> Result<String, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|mut file| file.read_to_end(&mut bytes))
    };
    read.map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    String::from_utf8(bytes).map_err(|error| {
        format!(
            "{} is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            error.utf8_error().valid_up_to()
        )
    })
}
