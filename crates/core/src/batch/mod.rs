//! Batches: many documents in one process, for a corpus of reports.
//!
//! ```text
//! paths, folders, manifests --discover/manifest--> Jobs --plan--> Planned (sorted, unique
//!   folder names, one shard) --triage--> skipped | to do | failed --process--> run folders
//! ```
//!
//! [`discover`] turns command-line paths into [`Job`]s (a folder is searched recursively for
//! woven `.txt`, bilingual `.pdf` and pairs `NAME.xx.EXT` + `NAME.yy.EXT`); [`manifest`] reads
//! a JSON Lines list of documents. [`plan`] sorts them by input path (stable across machines),
//! gives each a unique run-folder name and keeps one [`Shard`]. [`driver::triage`] skips the
//! documents whose `run.json` records the same input and options hashes ([`stamp`]);
//! [`driver::process`] runs the others in parallel, sharing the start-up work (checkers,
//! dictionaries, encoder) across documents, and reports each one as it ends.

pub mod discover;
pub mod driver;
pub mod manifest;
pub mod stamp;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::pipeline::Input;
use crate::{Error, Lang, Result};

/// One document of a batch, before planning.
#[derive(Clone, Debug)]
pub struct Job {
    /// What to read.
    pub input: Input,
    /// The name given by a manifest; the run folder and the document are called so.
    pub name: Option<String>,
    /// The name to use when none is given: the file's stem (a pair's common stem, or its
    /// folder's name when the files are just `en.md`, `fr.md`).
    pub stem: String,
    /// The languages to look for; the batch's `--langs` when empty.
    pub langs: Vec<Lang>,
    /// The year the document reports on, when a manifest gives it.
    pub year: Option<i32>,
}

impl Job {
    /// The main input file (the source file of a pair): what the batch is sorted by and
    /// what failures are named after.
    pub fn path(&self) -> &Path {
        match &self.input {
            Input::Woven(p)
            | Input::Pdf(p)
            | Input::Pair { src: p, .. }
            | Input::PdfPair { src: p, .. }
            | Input::Presegmented { src: p, .. } => p,
        }
    }

    /// The stem qualified by the input's folder (`benelux-2022-report.nl-fr`), used when two
    /// documents have the same stem.
    fn qualified_stem(&self) -> String {
        let parent = self
            .path()
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned());
        match parent {
            Some(dir) if dir != self.stem => format!("{dir}-{}", self.stem),
            _ => self.stem.clone(),
        }
    }
}

/// A job with its place in the batch: its run folder is `--out/<folder>` and its document is
/// named `<folder>`.
#[derive(Clone, Debug)]
pub struct Planned {
    /// The document.
    pub job: Job,
    /// The run folder's name under the batch's output folder, unique in the batch.
    pub folder: String,
}

/// `--shard I/N`: the I-th (1-based) of N disjoint parts of the sorted document list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which part, from 1 to `count`.
    pub index: usize,
    /// How many parts.
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Shard, String> {
        let bad = || format!("{s:?} is not a shard I/N with 1 <= I <= N (e.g. 2/8)");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the document at `position` of the sorted list belongs to this shard: every
    /// N-th one, so that each shard gets a share of early and late (often longer) reports.
    pub fn holds(&self, position: usize) -> bool {
        position % self.count == self.index - 1
    }
}

/// Sorts the jobs by input path (dropping the same input given twice), names each one's run
/// folder uniquely over the whole list, then keeps the documents of `shard`. Names are given
/// before sharding, so every machine of a sharded batch names the folders alike.
pub fn plan(mut jobs: Vec<Job>, shard: Option<Shard>) -> Result<Vec<Planned>> {
    jobs.sort_by(|a, b| a.path().cmp(b.path()));
    jobs.dedup_by(|a, b| a.path() == b.path() && a.name == b.name);
    let folders = unique_folders(&jobs)?;
    Ok(jobs
        .into_iter()
        .zip(folders)
        .enumerate()
        .filter(|(position, _)| shard.is_none_or(|s| s.holds(*position)))
        .map(|(_, (job, folder))| Planned { job, folder })
        .collect())
}

/// One folder name per job: the manifest's name, else the stem, else (when stems collide)
/// the stem qualified by the input's folder, else that with `-2`, `-3` ... in list order.
fn unique_folders(jobs: &[Job]) -> Result<Vec<String>> {
    let mut given: HashSet<String> = HashSet::new();
    for name in jobs.iter().filter_map(|j| j.name.as_deref()) {
        if !given.insert(folder_safe(name)) {
            return Err(Error::Invalid(format!(
                "the name {name:?} is given to two documents; names must be unique"
            )));
        }
    }
    let mut stems: HashMap<String, usize> = HashMap::new();
    for job in jobs.iter().filter(|j| j.name.is_none()) {
        *stems.entry(folder_safe(&job.stem)).or_default() += 1;
    }
    let mut taken = given;
    let mut folders = Vec::with_capacity(jobs.len());
    for job in jobs {
        let folder = match &job.name {
            Some(name) => folder_safe(name),
            None => {
                let stem = folder_safe(&job.stem);
                let wanted = if stems[&stem] > 1 || taken.contains(&stem) {
                    folder_safe(&job.qualified_stem())
                } else {
                    stem
                };
                first_free(&wanted, &taken)
            }
        };
        taken.insert(folder.clone());
        folders.push(folder);
    }
    Ok(folders)
}

/// `wanted`, or `wanted-2`, `wanted-3` ... whichever is not taken yet.
fn first_free(wanted: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(wanted) {
        return wanted.to_owned();
    }
    (2..)
        .map(|n| format!("{wanted}-{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| wanted.to_owned())
}

/// A name made safe as one folder name: no path separators, no leading dot, not empty.
pub fn folder_safe(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | '\0') || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.');
    if cleaned.is_empty() {
        "document".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// The path of a file given relative to `base` (a manifest's folder); absolute paths are kept.
pub(crate) fn relative_to(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_owned()
    } else {
        base.join(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn woven(path: &str) -> Job {
        let path = PathBuf::from(path);
        Job {
            stem: path.file_stem().unwrap().to_string_lossy().into_owned(),
            input: Input::Woven(path),
            name: None,
            langs: vec![],
            year: None,
        }
    }

    fn folders(planned: &[Planned]) -> Vec<&str> {
        planned.iter().map(|p| p.folder.as_str()).collect()
    }

    #[test]
    fn the_plan_is_sorted_and_names_are_unique() {
        let jobs = vec![
            woven("c/2023/report.txt"),
            woven("a/alone.txt"),
            woven("c/2022/report.txt"),
            woven("a/alone.txt"),
        ];
        let planned = plan(jobs, None).unwrap();
        assert_eq!(
            folders(&planned),
            ["alone", "2022-report", "2023-report"],
            "sorted by path, the duplicate dropped, colliding stems qualified by their folder"
        );
    }

    #[test]
    fn a_name_still_taken_after_qualifying_gets_a_number() {
        let mut named = woven("z/other.txt");
        named.name = Some("x-report".into());
        let jobs = vec![woven("p/x/report.txt"), woven("q/x/report.txt"), named];
        let planned = plan(jobs, None).unwrap();
        assert_eq!(folders(&planned), ["x-report-2", "x-report-3", "x-report"]);
    }

    #[test]
    fn a_name_given_twice_is_refused() {
        let mut a = woven("a.txt");
        let mut b = woven("b.txt");
        a.name = Some("same".into());
        b.name = Some("same".into());
        let err = plan(vec![a, b], None).unwrap_err().to_string();
        assert!(err.contains("\"same\" is given to two documents"), "{err}");
    }

    #[test]
    fn shards_are_disjoint_cover_the_list_and_keep_the_names() {
        let jobs: Vec<Job> = (0..10).map(|i| woven(&format!("d/{i:02}.txt"))).collect();
        let whole = folders(&plan(jobs.clone(), None).unwrap())
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        let mut seen = Vec::new();
        for index in 1..=3 {
            let shard = Shard { index, count: 3 };
            let part = plan(jobs.clone(), Some(shard)).unwrap();
            assert!(part.len() == 3 || part.len() == 4, "{}", part.len());
            seen.extend(part.into_iter().map(|p| p.folder));
        }
        seen.sort();
        assert_eq!(seen, whole);
    }

    #[test]
    fn shard_flags_parse_and_bad_ones_say_why() {
        assert_eq!("2/8".parse(), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/3", "4/3", "1", "a/b", "1/0"] {
            let err = bad.parse::<Shard>().unwrap_err();
            assert!(err.contains("not a shard I/N"), "{bad}: {err}");
        }
    }

    #[test]
    fn folder_names_cannot_leave_the_output_folder() {
        assert_eq!(folder_safe("../etc/passwd"), "-etc-passwd");
        assert_eq!(folder_safe(".hidden"), "hidden");
        assert_eq!(folder_safe("  "), "document");
        assert_eq!(folder_safe("Benelux 1957"), "Benelux 1957");
    }
}
