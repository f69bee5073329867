//! The `steppe` binary: parses the command line, calls the library, prints for people.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", cli::report(&e));
            ExitCode::FAILURE
        }
    }
}
