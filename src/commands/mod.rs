//! One module per subcommand, plus the shared error reporting.

use std::process::ExitCode;

pub mod activities;
pub mod align;
pub mod check;
pub mod eval;
pub mod export;
pub mod index;
pub mod review;
pub mod run;
pub mod search;
pub mod serve;

/// Exit code for a usage error or a failure (bad input, unwritable output).
pub const EXIT_ERROR: u8 = 2;

/// Prints a clap error: help and version normally, anything else as one line, exit 2.
pub fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(EXIT_ERROR)
            } else {
                ExitCode::SUCCESS
            }
        }
        _ => {
            let rendered = e.render().to_string();
            let first = rendered
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid arguments")
                .trim_start_matches("error: ");
            eprintln!("diptych: error: {first} (see diptych --help)");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Prints an error and its causes on one line, exit 2.
pub fn report_error(e: &anyhow::Error) -> ExitCode {
    let mut line = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !line.contains(&cause) {
            line.push_str(": ");
            line.push_str(&cause);
        }
    }
    eprintln!("diptych: error: {}", line.replace('\n', " "));
    ExitCode::from(EXIT_ERROR)
}
