//! Every kind of command-line error, for each subcommand that can raise it: one line on stderr
//! that names the argument concerned (and the valid values when there is a list), points to
//! the subcommand's own help, and exits with 2.

use std::process::Command;

/// Runs diptych with `args`; returns (exit code, stderr).
fn diptych(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(args)
        .output()
        .expect("the diptych binary runs");
    (
        out.status.code(),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

/// Asserts the error of `args` is one line holding every one of `wanted` and pointing to
/// `help` (`diptych run --help`).
fn one_line_error(args: &[&str], wanted: &[&str], help: &str) {
    let (code, stderr) = diptych(args);
    assert_eq!(code, Some(2), "diptych {args:?}: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "diptych {args:?}: one line, got:\n{stderr}");
    let line = lines[0];
    assert!(line.starts_with("diptych: error: "), "{line}");
    for w in wanted {
        assert!(
            line.contains(w),
            "diptych {args:?}: {w:?} missing from {line}"
        );
    }
    assert!(
        line.ends_with(&format!("see {help})")),
        "diptych {args:?}: should point to `{help}`: {line}"
    );
}

#[test]
fn a_missing_required_option_is_named() {
    one_line_error(&["run", "report.txt"], &["--out"], "diptych run --help");
    one_line_error(&["export", "dir"], &["--format"], "diptych export --help");
    one_line_error(
        &["eval", "--gold", "g.txt"],
        &["--test"],
        "diptych eval --help",
    );
}

#[test]
fn a_missing_input_is_named() {
    one_line_error(&["run", "--out", "x"], &["INPUT"], "diptych run --help");
    one_line_error(&["check"], &["INPUT"], "diptych check --help");
    one_line_error(&["align", "a.txt"], &["TGT"], "diptych align --help");
    one_line_error(&["search"], &["QUERY"], "diptych search --help");
    one_line_error(&["index", "add"], &["DIRS"], "diptych index add --help");
}

#[test]
fn an_option_that_needs_another_names_both() {
    one_line_error(
        &["run", "--src", "a.md", "--out", "x"],
        &["--tgt"],
        "diptych run --help",
    );
}

#[test]
fn conflicting_arguments_are_named() {
    one_line_error(
        &[
            "run",
            "woven.txt",
            "--src",
            "a.md",
            "--tgt",
            "b.md",
            "--out",
            "x",
        ],
        &["INPUT", "--src"],
        "diptych run --help",
    );
    one_line_error(
        &["activities", "--csv", "--json"],
        &["--csv", "--json"],
        "diptych activities --help",
    );
}

#[test]
fn an_option_without_its_value_is_named() {
    one_line_error(
        &["run", "report.txt", "--out"],
        &["--out"],
        "diptych run --help",
    );
}

#[test]
fn an_invalid_value_names_the_option_and_the_valid_values() {
    one_line_error(
        &["align", "a.txt", "b.txt", "--format", "xml"],
        &["'xml'", "--format", "vecalign", "tsv", "jsonl"],
        "diptych align --help",
    );
    one_line_error(
        &["check", "dir", "--fail-on", "fatal"],
        &["--fail-on", "info, warning, error"],
        "diptych check --help",
    );
    one_line_error(
        &["check", "dir", "--severity", "spelling"],
        &["--severity", "CHECK=SEVERITY"],
        "diptych check --help",
    );
    one_line_error(
        &["serve", "--port", "eighty"],
        &["'eighty'", "--port"],
        "diptych serve --help",
    );
    one_line_error(
        &["search", "raad", "--year", "last"],
        &["'last'", "--year"],
        "diptych search --help",
    );
}

#[test]
fn an_unknown_argument_is_named_with_a_suggestion() {
    one_line_error(
        &["run", "report.txt", "--out", "x", "--outt"],
        &["--outt"],
        "diptych run --help",
    );
    one_line_error(
        &["search", "raad", "--languages", "nl"],
        &["--languages", "--lang"],
        "diptych search --help",
    );
    one_line_error(
        &["align", "a.txt", "b.txt", "c.txt"],
        &["'c.txt'"],
        "diptych align --help",
    );
}

#[test]
fn an_unknown_subcommand_is_named_with_a_suggestion() {
    one_line_error(&["rum"], &["'rum'", "'run'"], "diptych --help");
    one_line_error(&["index", "ad"], &["'ad'", "'add'"], "diptych index --help");
}
