//! The native command-line tool: diagrams as code in CI and in a terminal.

use clap::{Parser, Subcommand};
use stackdraw::domain::codec::{decode_file, encode_file};
use stackdraw::domain::templates::{self, TEMPLATES};
use std::path::PathBuf;
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
    },
    /// Read a diagram file and say whether it is well formed.
    Check {
        /// The diagram file (JSON); `-` reads standard input.
        file: PathBuf,
    },
    /// Print the JSON Schema of the diagram file format.
    Schema,
}

pub fn run() -> ExitCode {
    match Cli::parse().command {
        Command::Template { name: None } => {
            let list: String = TEMPLATES
                .iter()
                .map(|template| format!("{:<8} {}\n", template.name, template.description))
                .collect();
            emit(&list)
        }
        Command::Template { name: Some(name) } => match templates::by_name(&name) {
            Some(template) => emit(&encode_file(&(template.build)())),
            None => {
                let names: Vec<&str> = TEMPLATES.iter().map(|template| template.name).collect();
                eprintln!(
                    "stackdraw: no template named {name:?}; there are: {}",
                    names.join(", ")
                );
                ExitCode::from(2)
            }
        },
        Command::Check { file } => {
            let text = match read_input(&file) {
                Ok(text) => text,
                Err(message) => {
                    eprintln!("stackdraw: {message}");
                    return ExitCode::FAILURE;
                }
            };
            match decode_file(&text) {
                Ok(_) => emit("ok\n"),
                Err(error) => {
                    eprintln!("{}: {error}", file.display());
                    ExitCode::FAILURE
                }
            }
        }
        Command::Schema => emit(&(stackdraw::domain::schema::file_schema_json() + "\n")),
    }
}

/// Writes the command's output. A reader that stops early (`| head`) is not an
/// error worth a panic; any other write failure is reported.
fn emit(text: &str) -> ExitCode {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("stackdraw: cannot write the output: {error}");
            ExitCode::FAILURE
        }
    }
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
