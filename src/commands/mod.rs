//! One module per subcommand, plus the shared error reporting.

use std::process::ExitCode;

pub mod activities;
pub mod align;
pub mod batch;
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

/// Prints a clap error: help and version normally, anything else as one line that keeps all
/// of clap's information (the argument concerned, the valid values, a suggestion) and points to
/// the help of the subcommand concerned, exit 2.
pub fn usage_error(e: clap::Error, cli: &clap::Command, args: &[String]) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(EXIT_ERROR)
        }
        _ => {
            let command = command_path(cli, args);
            eprintln!("{}", one_line(&e.render().to_string(), &command));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Folds clap's rendered error into one line: the message and its details (argument names,
/// `[possible values: ...]`, `tip: ...`) joined by spaces, without the "try --help" line, then
/// the usage and which help to read (`command` is the subcommand's path, `diptych run`), e.g.
/// `diptych: error: the following required arguments were not provided: --out <OUT> (usage: diptych run --out <OUT> <INPUT>; see diptych run --help)`.
fn one_line(rendered: &str, command: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let mut usage = None;
    for line in rendered.lines().map(str::trim) {
        if let Some(u) = line.strip_prefix("Usage:") {
            usage = Some(u.trim());
        } else if !line.is_empty() && !line.starts_with("For more information") {
            parts.push(line.trim_start_matches("error: "));
        }
    }
    let mut message = parts.join(" ");
    if message.is_empty() {
        message.push_str("invalid arguments");
    }
    match usage {
        Some(u) => format!("diptych: error: {message} (usage: {u}; see {command} --help)"),
        None => format!("diptych: error: {message} (see {command} --help)"),
    }
}

/// The path of the subcommand the arguments name, e.g. `diptych index add` for
/// `index --archive a.sqlite add dir`: subcommand names are followed down the tree, skipping
/// options and their values, up to the first argument that is not a subcommand.
fn command_path(cli: &clap::Command, args: &[String]) -> String {
    let mut path = vec![cli.get_name().to_owned()];
    let mut cmd = cli;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if let Some(option) = arg.strip_prefix('-') {
            if !arg.contains('=') && takes_value(cmd, option) {
                rest.next();
            }
            continue;
        }
        match cmd.find_subcommand(arg) {
            Some(sub) => {
                path.push(sub.get_name().to_owned());
                cmd = sub;
            }
            None => break,
        }
    }
    path.join(" ")
}

/// Whether `option` (`-o` or `--out` without its first dash) is an option of `cmd` that takes
/// a value.
fn takes_value(cmd: &clap::Command, option: &str) -> bool {
    cmd.get_arguments().any(|a| {
        let named = match option.strip_prefix('-') {
            Some(long) => a.get_long() == Some(long),
            None => option.chars().count() == 1 && a.get_short() == option.chars().next(),
        };
        named && a.get_action().takes_values()
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_error_becomes_one_line_naming_the_subcommand_help() {
        let rendered = "error: the following required arguments were not provided:\n  --out <OUT>\n\nUsage: diptych run --out <OUT> <INPUT|--src <SRC>>\n\nFor more information, try '--help'.\n";
        assert_eq!(
            one_line(rendered, "diptych run"),
            "diptych: error: the following required arguments were not provided: --out <OUT> \
             (usage: diptych run --out <OUT> <INPUT|--src <SRC>>; see diptych run --help)"
        );
    }

    #[test]
    fn the_command_path_follows_subcommands_past_options_and_their_values() {
        let cli = clap::Command::new("diptych").subcommand(
            clap::Command::new("index")
                .arg(clap::Arg::new("archive").long("archive"))
                .arg(
                    clap::Arg::new("json")
                        .long("json")
                        .action(clap::ArgAction::SetTrue),
                )
                .subcommand(clap::Command::new("add")),
        );
        let path = |args: &[&str]| {
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            command_path(&cli, &args)
        };
        assert_eq!(
            path(&["index", "--archive", "add", "add", "x"]),
            "diptych index add"
        );
        assert_eq!(path(&["index", "--json", "add"]), "diptych index add");
        assert_eq!(
            path(&["index", "--archive=a", "nope", "add"]),
            "diptych index"
        );
        assert_eq!(path(&["rum"]), "diptych");
    }
}
