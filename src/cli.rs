//! The native command-line tool: diagrams as code in CI and in a terminal.

use clap::{Parser, Subcommand};
use stackdraw::domain::codec::{decode_file, encode_file};
use stackdraw::domain::templates::{self, TEMPLATES};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "stackdraw", version, about = "Design, check and export AWS architectures")]
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
            for template in TEMPLATES {
                println!("{:<8} {}", template.name, template.description);
            }
            ExitCode::SUCCESS
        }
        Command::Template { name: Some(name) } => match templates::by_name(&name) {
            Some(template) => {
                print!("{}", encode_file(&(template.build)()));
                ExitCode::SUCCESS
            }
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
                Ok(_) => {
                    println!("ok");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("{}: {error}", file.display());
                    ExitCode::FAILURE
                }
            }
        }
        Command::Schema => {
            println!("{}", stackdraw::domain::schema::file_schema_json());
            ExitCode::SUCCESS
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
