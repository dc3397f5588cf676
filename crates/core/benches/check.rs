//! Speed of the checks on a long document: the reference report (11 pages: the cover and ten
//! two-column pages) repeated to about 250 and about 1,000 pages, built into a bitext by the
//! pipeline, then checked with every check on, grammar included. Prints the time of the checks
//! and the rate per bead at each size (equal rates mean linear time; the first, small run is
//! the baseline of the same run), how many processes of each grammar program each run started
//! (through wrappers that count them), and each stage's time at each size (each check, and
//! each language of the grammar check). Then each grammar program's start-up alone, and Frog's
//! two modes on the same 400 Dutch sentences: its server (what short documents use) against
//! `frog -t` (what long ones use).
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
    let counters = count_grammar_starts(dir.path());
    let options = CheckOptions::standard();
    println!(
        "{:>7} {:>7} {:>9} {:>9} {:>10} {:>12}  grammar programs started",
        "copies", "pages", "beads", "findings", "check s", "µs per bead"
    );
    let mut runs = Vec::new();
    for copies in [1, 23, 91] {
        let bitext = bitext_of(copies, dir.path());
        counters.iter().for_each(Counter::reset);
        let start = Instant::now();
        let report = run_checks(&bitext, &options);
        let secs = start.elapsed().as_secs_f64();
        let starts: Vec<String> = counters.iter().map(Counter::report).collect();
        println!(
            "{copies:>7} {:>7} {:>9} {:>9} {secs:>10.2} {:>12.1}  {}",
            copies * REFERENCE_PAGES,
            bitext.beads.len(),
            report.findings.len(),
            secs * 1e6 / bitext.beads.len() as f64,
            starts.join(", ")
        );
        runs.push(SizedRun {
            copies,
            beads: bitext.beads.len(),
            stage_seconds: report.stage_seconds,
        });
    }
    per_stage(&runs);
    grammar_start_up();
    let large = bitext_of(23, dir.path());
    frog_modes(&large);
}

/// One size's run: copies of the reference, beads, and seconds per stage.
struct SizedRun {
    copies: usize,
    beads: usize,
    stage_seconds: Vec<(String, f64)>,
}

/// A grammar program behind a wrapper that counts its starts.
struct Counter {
    name: &'static str,
    file: std::path::PathBuf,
}

impl Counter {
    fn reset(&self) {
        let _ = std::fs::remove_file(&self.file);
    }

    fn report(&self) -> String {
        let n = std::fs::read_to_string(&self.file).map_or(0, |s| s.lines().count());
        format!("{} {n}", self.name)
    }
}

/// Puts each installed grammar program behind a counting wrapper (through its environment
/// variable), so each run can say how many processes it started.
fn count_grammar_starts(dir: &Path) -> Vec<Counter> {
    let programs = [
        ("DIPTYCH_GRAMMALECTE", "grammalecte-cli"),
        ("DIPTYCH_FROG", "frog"),
    ];
    let mut counters = Vec::new();
    for (var, name) in programs {
        let Some(program) = which(name) else {
            println!("grammar: {name} not installed, its language is not checked");
            continue;
        };
        let file = dir.join(format!("{name}.starts"));
        std::env::set_var(var, counting_wrapper(dir, &program, &file));
        counters.push(Counter { name, file });
    }
    counters
}

/// Each stage's seconds at each size, and the ratio of its time per bead at the two largest
/// sizes (1.0 = linear). The stages overlap: the checks run side by side.
fn per_stage(runs: &[SizedRun]) {
    print!("{:<28}", "stage, seconds at");
    for run in runs {
        print!(" {:>9}", format!("~{} p.", run.copies * REFERENCE_PAGES));
    }
    println!(" {:>14}", "per-bead ratio");
    let Some(first) = runs.first() else {
        return;
    };
    for (stage, _) in &first.stage_seconds {
        print!("{stage:<28}");
        let mut rates = Vec::new();
        for run in runs {
            let secs = run
                .stage_seconds
                .iter()
                .find(|(s, _)| s == stage)
                .map_or(0.0, |t| t.1);
            rates.push(secs / run.beads as f64);
            print!(" {secs:>9.2}");
        }
        let n = rates.len();
        println!(" {:>14.2}", rates[n - 1] / rates[n - 2].max(1e-12));
    }
}

/// Each grammar program's start-up alone: one short sentence.
fn grammar_start_up() {
    let grammar = GrammarOptions::system(false);
    let sentences = [
        (diptych_core::Lang::FR, "Elle est venue."),
        (diptych_core::Lang::NL, "Zij is gekomen."),
    ];
    for (lang, text) in sentences {
        let Some(checker) = grammar.checkers.get(&lang) else {
            continue;
        };
        let start = Instant::now();
        checker.check(lang, &[text]).expect("grammar checker");
        println!(
            "grammar {lang} ({}): start-up and one sentence {:.2} s",
            checker.name(),
            start.elapsed().as_secs_f64()
        );
    }
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
    frog.tag(&sentences, true).expect("file tagging");
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
