//! Speed of the checks on a long document: the reference report (11 pages: the cover and ten
//! two-column pages) repeated to about 250 and about 1,000 pages, built into a bitext by the
//! pipeline, then checked. Prints the time of the checks and the rate per bead at both sizes:
//! equal rates mean linear time. The first, small run is the baseline of the same run.
//! The grammar check (Grammalecte, Frog: separate programs, started once per run) is timed per
//! stage too: each program's start on one sentence, then the whole ~1,000-page document; then
//! the grammar check alone through wrappers that count how often each program is started (the
//! proof that it is once per run), and Frog's two modes on the same 400 Dutch sentences: its
//! server (what short documents use) against one `frog -t` call (what long ones use).
//!
//! `cargo bench -p diptych-core --bench check`

use std::path::Path;
use std::time::Instant;

use diptych_core::check::{run_checks, CheckOptions, GrammarOptions};
use diptych_core::pipeline::{build_bitext, Input, RunOptions};

/// Pages of the reference report.
const REFERENCE_PAGES: usize = 11;

fn bitext_of(copies: usize, dir: &Path) -> diptych_core::Bitext {
    let reference = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/benelux-2022/report.nl-fr.txt"
    ))
    .expect("reference report");
    let path = dir.join(format!("reference-x{copies}.txt"));
    std::fs::write(&path, reference.repeat(copies)).expect("write input");
    build_bitext(&Input::Woven(path), &RunOptions::default()).expect("pipeline")
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = CheckOptions::standard();
    println!(
        "{:>7} {:>7} {:>9} {:>9} {:>10} {:>12}",
        "copies", "pages", "beads", "findings", "check s", "µs per bead"
    );
    let mut rates = Vec::new();
    for copies in [1, 23, 91] {
        let bitext = bitext_of(copies, dir.path());
        let start = Instant::now();
        let report = run_checks(&bitext, &options);
        let secs = start.elapsed().as_secs_f64();
        let rate = secs * 1e6 / bitext.beads.len() as f64;
        rates.push(rate);
        println!(
            "{copies:>7} {:>7} {:>9} {:>9} {secs:>10.2} {rate:>12.1}",
            copies * REFERENCE_PAGES,
            bitext.beads.len(),
            report.findings.len()
        );
    }
    println!(
        "ratio of per-bead rates, ~1000 pages / ~250 pages: {:.2} (1.0 = linear)",
        rates[2] / rates[1]
    );
    per_check(dir.path(), &[23, 91]);
    let large = bitext_of(91, dir.path());
    grammar_stages(&large);
    grammar_starts(dir.path(), &large);
    frog_modes(&large);
}

/// A wrapper around `program` that appends a line to `count` each time it is started.
fn counting_wrapper(dir: &Path, program: &Path, count: &Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let name = program.file_name().expect("program name").to_string_lossy();
    let wrapper = dir.join(format!("counting-{name}"));
    let script = format!(
        "#!/bin/sh\necho started >> '{}'\nexec '{}' \"$@\"\n",
        count.display(),
        program.display()
    );
    std::fs::write(&wrapper, script).expect("write wrapper");
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    wrapper
}

/// The grammar check alone on the whole document, with each program behind a counting
/// wrapper: seconds, and how many times each program started.
fn grammar_starts(dir: &Path, bitext: &diptych_core::Bitext) {
    let programs = [
        ("DIPTYCH_GRAMMALECTE", "grammalecte-cli"),
        ("DIPTYCH_FROG", "frog"),
    ];
    let mut counts = Vec::new();
    for (var, name) in programs {
        let Some(program) = which(name) else {
            println!("grammar starts: {name} not installed");
            return;
        };
        let count = dir.join(format!("{name}.starts"));
        let _ = std::fs::remove_file(&count);
        std::env::set_var(var, counting_wrapper(dir, &program, &count));
        counts.push((name, count));
    }
    let options = CheckOptions {
        only: vec!["grammar".to_owned()],
        ..CheckOptions::standard()
    };
    let start = Instant::now();
    let report = run_checks(bitext, &options);
    let secs = start.elapsed().as_secs_f64();
    let starts: Vec<String> = counts
        .iter()
        .map(|(name, count)| {
            let n = std::fs::read_to_string(count).map_or(0, |s| s.lines().count());
            format!("{name} started {n} time(s)")
        })
        .collect();
    println!(
        "grammar check alone, {} beads: {secs:.1} s, {} findings; {}",
        bitext.beads.len(),
        report.findings.len(),
        starts.join(", ")
    );
    for (var, _) in programs {
        std::env::remove_var(var);
    }
}

/// Frog's server against its file mode on the same Dutch sentences: sentences per second
/// after start-up, and the start-up itself.
fn frog_modes(bitext: &diptych_core::Bitext) {
    use diptych_core::check::grammar::frog::{Frog, Tagger};
    use diptych_core::check::grammar::frog_server::{tag_over, Server};
    let (Some(program), Some(frog)) = (which("frog"), Frog::find()) else {
        println!("frog modes: frog not installed");
        return;
    };
    let Some(doc) = [&bitext.src, &bitext.tgt]
        .into_iter()
        .find(|d| d.lang == Some(diptych_core::Lang::NL))
    else {
        return;
    };
    let sentences: Vec<&str> = doc
        .sentences
        .iter()
        .take(400)
        .map(|s| s.text.as_str())
        .collect();
    let start = Instant::now();
    let server = Server::start(&program).expect("frog server");
    let startup = start.elapsed().as_secs_f64();
    let start = Instant::now();
    tag_over(server.address(), &sentences).expect("server tagging");
    let by_server = start.elapsed().as_secs_f64();
    server.stop();
    let start = Instant::now();
    frog.tag(&sentences).expect("file tagging");
    let by_file = start.elapsed().as_secs_f64();
    println!(
        "frog, {} sentences: server start-up {startup:.1} s, then {:.0} sentences/s; one frog -t call (start-up included) {:.0} sentences/s; ratio file/server {:.2}",
        sentences.len(),
        sentences.len() as f64 / by_server,
        sentences.len() as f64 / by_file,
        by_server / by_file
    );
}

/// The first file called `name` on `PATH`.
fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Each grammar program alone: its start-up (one sentence) and the whole document, seconds.
fn grammar_stages(bitext: &diptych_core::Bitext) {
    let grammar = GrammarOptions::system(false);
    for (lang, why) in &grammar.missing {
        println!("grammar {lang}: skipped: {why}");
    }
    for (lang, checker) in &grammar.checkers {
        let Some(doc) = [&bitext.src, &bitext.tgt]
            .into_iter()
            .find(|d| d.lang == Some(*lang))
        else {
            continue;
        };
        let sentences: Vec<&str> = doc.sentences.iter().map(|s| s.text.as_str()).collect();
        let start = Instant::now();
        checker
            .check(*lang, &sentences[..1])
            .expect("grammar checker");
        let startup = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let issues = checker.check(*lang, &sentences).expect("grammar checker");
        let whole = start.elapsed().as_secs_f64();
        println!(
            "grammar {lang} ({}): start-up {startup:.2} s; {} sentences in {whole:.2} s ({:.0} sentences/s after start-up), {} issues before filtering",
            checker.name(),
            sentences.len(),
            sentences.len() as f64 / (whole - startup).max(1e-9),
            issues.len()
        );
    }
}

/// Each check alone at two sizes: which checks cost what, and whether each is linear.
fn per_check(dir: &Path, sizes: &[usize; 2]) {
    let bitexts = sizes.map(|copies| bitext_of(copies, dir));
    println!(
        "{:<13} {:>10} {:>10}   (µs per bead at ~{} and ~{} pages)",
        "check",
        "small",
        "large",
        sizes[0] * REFERENCE_PAGES,
        sizes[1] * REFERENCE_PAGES
    );
    for name in diptych_core::check::check_names() {
        let rates = bitexts.each_ref().map(|b| {
            let options = CheckOptions {
                only: vec![name.to_owned()],
                ..CheckOptions::standard()
            };
            let start = Instant::now();
            run_checks(b, &options);
            start.elapsed().as_secs_f64() * 1e6 / b.beads.len() as f64
        });
        println!("{name:<13} {:>10.1} {:>10.1}", rates[0], rates[1]);
    }
}
