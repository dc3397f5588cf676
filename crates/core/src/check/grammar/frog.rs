//! The Dutch tagger: Frog (Debian `frog` + `frogdata`, with `ucto` + `uctodata` for its
//! tokenizer; GPL-3), run as a separate program, which prints one token a line with its CGN
//! part-of-speech tag (`ADJ(prenom,basis,zonder)`, `LID(bep,stan,evon)`, `SPEC(deeleigen)`)
//! and named-entity label. Frog takes ~7-9 s to load its models (~30 s on a loaded machine),
//! so it is never started per sentence, and a short document does not start it either: it
//! goes to the process's Frog server, started once and shared by every document of the
//! process ([`super::frog_server`]). A long document is tagged by `frog -t FILE -n
//! --skip=mpacl` calls, one per part and core, whose file mode tags ten times faster per
//! sentence than the server (see [`SERVER_MAX_SENTENCES`], [`MIN_SENTENCES_PER_PROCESS`]). Tokens are mapped back to byte spans of the sentences by
//! matching their text in order (Frog may cut one line into several sentences). The program
//! is looked up on `PATH`, or taken from `DIPTYCH_FROG`; `DIPTYCH_FROG_SERVER` names a
//! running server to use instead of starting one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::frog_server;

/// The note when the program is missing.
pub const MISSING: &str =
    "Frog not found (Debian packages frog, frogdata, ucto, uctodata; or DIPTYCH_FROG)";

/// One token as a tagger sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// The token's text.
    pub word: String,
    /// The CGN tag, e.g. `ADJ(prenom,basis,zonder)`.
    pub tag: String,
    /// The named-entity label (`B-LOC`, `I-ORG`, `O`); empty when the tagger was not asked
    /// for entities.
    pub ner: String,
    /// Byte range in the sentence, when the token could be found in it.
    pub span: Option<[usize; 2]>,
    /// Whether the tagger starts a sentence here.
    pub starts_sentence: bool,
}

impl Token {
    /// The tag's head (`ADJ` for `ADJ(prenom,basis,zonder)`).
    pub fn pos(&self) -> &str {
        self.tag.split('(').next().unwrap_or("")
    }

    /// Whether the tag's features include `feature` (`prenom`, `zonder`, `bep` ...).
    pub fn has(&self, feature: &str) -> bool {
        self.tag
            .split_once('(')
            .map(|(_, f)| f.trim_end_matches(')').split(',').any(|x| x == feature))
            .unwrap_or(false)
    }
}

/// Something that tags Dutch sentences: Frog, or hand-written tags in tests.
pub trait Tagger: Send + Sync {
    /// A short name for notes.
    fn name(&self) -> &str;
    /// The tokens of each sentence, in one go (one process start per part of the document).
    /// With `entities` false the tagger may leave the entity labels unknown (`""`) where that
    /// is faster: Frog's entity recogniser costs about as much a sentence as its tagger.
    fn tag(&self, sentences: &[&str], entities: bool) -> Result<Vec<Vec<Token>>, String>;
}

/// Frog: a program to start, a server to reach, or both.
#[derive(Clone, Debug)]
pub struct Frog {
    program: Option<PathBuf>,
    server: Option<String>,
}

/// Documents up to this many sentences go to the process's Frog server; longer ones to one
/// `frog -t` call. Frog's server (like its standard-input mode) tags ~10 times slower per
/// sentence than its file mode (~40 ms against ~4 ms of CPU a sentence, measured: README,
/// "Grammar"), so its saved start-up (~4 s of CPU) pays off only below ~100 sentences.
pub const SERVER_MAX_SENTENCES: usize = 100;

/// A long document is cut into parts of at least this many sentences, one `frog -t` process
/// each, up to one per core. Each process pays Frog's start-up (~4 s of CPU) again, which the
/// tagging of ~500 sentences (~9 ms each without entities) outweighs. One process per core,
/// each with one thread: Frog's own `--threads` spins when the cores are busy (measured on
/// 2,360 sentences with the machine loaded: 159 s of CPU with `--threads=2`, 26 s with 1).
pub const MIN_SENTENCES_PER_PROCESS: usize = 500;

impl Frog {
    /// The program from `DIPTYCH_FROG` or `PATH`, and the server from `DIPTYCH_FROG_SERVER`;
    /// `None` when there is neither.
    pub fn find() -> Option<Frog> {
        let program = match std::env::var_os("DIPTYCH_FROG") {
            Some(p) => Some(PathBuf::from(p)),
            None => super::grammalecte::find_on_path("frog"),
        }
        .filter(|p| p.is_file());
        let server = std::env::var(frog_server::SERVER_ENV)
            .ok()
            .filter(|s| !s.trim().is_empty());
        (program.is_some() || server.is_some()).then_some(Frog { program, server })
    }

    /// Tags through a server: the one named by `DIPTYCH_FROG_SERVER`, or this process's own.
    fn tag_by_server(&self, sentences: &[&str]) -> Result<Vec<Vec<Token>>, String> {
        let address = match (&self.server, &self.program) {
            (Some(address), _) => address.clone(),
            (None, Some(program)) => frog_server::shared_address(program)?,
            (None, None) => return Err(MISSING.to_owned()),
        };
        let answers = frog_server::tag_over(&address, sentences)?;
        let mut out = Vec::with_capacity(sentences.len());
        for (answer, batch) in answers.iter().zip(sentences.chunks(frog_server::BATCH)) {
            let tokens = parse_columns(answer);
            if tokens
                .iter()
                .any(|t| t.word == "utt" || t.word.contains(frog_server::MARKER))
            {
                return Err(format!(
                    "the Frog server at {address} does not take {:?} (start it with: frog -S PORT {})",
                    frog_server::MARKER,
                    frog_server::FROG_OPTIONS.join(" ")
                ));
            }
            out.extend(assign(tokens, batch));
        }
        Ok(out)
    }

    /// Tags a long document with `frog -t` processes running side by side, one per part.
    fn tag_by_files(
        &self,
        program: &Path,
        sentences: &[&str],
        entities: bool,
    ) -> Result<Vec<Vec<Token>>, String> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let processes = (sentences.len() / MIN_SENTENCES_PER_PROCESS).clamp(1, cores);
        let part = sentences.len().div_ceil(processes);
        let parts: Vec<Result<Vec<Vec<Token>>, String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = sentences
                .chunks(part)
                .map(|chunk| scope.spawn(move || self.tag_by_file(program, chunk, entities)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err("Frog's thread failed".to_owned()))
                })
                .collect()
        });
        let mut out = Vec::with_capacity(sentences.len());
        for tagged in parts {
            out.extend(tagged?);
        }
        Ok(out)
    }

    /// Tags with one `frog -t` call over a temporary file, one sentence a line; the entity
    /// recogniser is skipped unless `entities`.
    fn tag_by_file(
        &self,
        program: &Path,
        sentences: &[&str],
        entities: bool,
    ) -> Result<Vec<Vec<Token>>, String> {
        // Frog leaves debug files in its working folder: give it a temporary one.
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let input = dir.path().join("input.txt");
        let mut file = std::fs::File::create(&input).map_err(|e| e.to_string())?;
        for s in sentences {
            writeln!(file, "{}", s.replace(['\n', '\r'], " ")).map_err(|e| e.to_string())?;
        }
        file.flush().map_err(|e| e.to_string())?;
        let skip = if entities {
            "--skip=mpacl"
        } else {
            "--skip=mpacln"
        };
        let output = Command::new(program)
            .current_dir(dir.path())
            .arg("-t")
            .arg(&input)
            .args(["-n", skip, "--threads=1"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("{}: {e}", program.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() || stdout.trim().is_empty() {
            let err = String::from_utf8_lossy(&output.stderr);
            return Err(format!(
                "{} exited with {}: {}",
                program.display(),
                output.status,
                err.lines().last().unwrap_or("")
            ));
        }
        Ok(assign(parse_columns(&stdout), sentences))
    }
}

impl Tagger for Frog {
    fn name(&self) -> &str {
        "Frog"
    }

    /// A short document goes to the server, which always labels entities.
    fn tag(&self, sentences: &[&str], entities: bool) -> Result<Vec<Vec<Token>>, String> {
        if sentences.is_empty() {
            return Ok(Vec::new());
        }
        match &self.program {
            Some(program) if sentences.len() > SERVER_MAX_SENTENCES => {
                self.tag_by_files(program, sentences, entities)
            }
            _ => self.tag_by_server(sentences),
        }
    }
}

/// Reads Frog's tab-separated output (index, word, then lemma, morphemes and other columns
/// that the skipped modules leave empty, the tag, its confidence, the entity label ...; a blank
/// line between sentences) into one token list. The tag is the first column after the word
/// shaped like `HEAD(features)`, since the number of empty columns before it varies.
pub fn parse_columns(out: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start = true;
    for line in out.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let tag_at = (2..cols.len()).find(|&i| looks_like_tag(cols[i]));
        let (Some(word), Some(t)) = (cols.get(1), tag_at) else {
            start = true;
            continue;
        };
        tokens.push(Token {
            word: (*word).to_owned(),
            tag: cols[t].to_owned(),
            ner: cols.get(t + 2).copied().unwrap_or("O").to_owned(),
            span: None,
            starts_sentence: start,
        });
        start = false;
    }
    tokens
}

/// `ADJ(prenom,basis,zonder)`, `LET()`: capitals, then features in brackets.
fn looks_like_tag(col: &str) -> bool {
    col.split_once('(').is_some_and(|(head, rest)| {
        !head.is_empty() && head.chars().all(|c| c.is_ascii_uppercase()) && rest.ends_with(')')
    })
}

/// How far ahead a token is looked for when the tokenizer changed the text before it.
const RESYNC_WINDOW: usize = 24;

/// Deals the tokens out to the sentences they come from, by matching their text in order.
pub fn assign(tokens: Vec<Token>, sentences: &[&str]) -> Vec<Vec<Token>> {
    let mut out: Vec<Vec<Token>> = vec![Vec::new(); sentences.len()];
    let mut k = 0;
    let mut cursor = 0;
    for mut t in tokens {
        while k < sentences.len() && sentences[k][cursor..].trim().is_empty() {
            k += 1;
            cursor = 0;
        }
        if k == sentences.len() {
            break;
        }
        let s = sentences[k];
        let rest = &s[cursor..];
        let skip = rest.len() - rest.trim_start().len();
        if let Some(i) = rest[skip..].find(t.word.as_str()) {
            if i <= RESYNC_WINDOW {
                let start = cursor + skip + i;
                t.span = Some([start, start + t.word.len()]);
                cursor = start + t.word.len();
            }
        }
        out[k].push(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "1\tDit\t\t\t\tVNW(aanw,pron,stan,vol,3o,ev)\t0.77\tO\t\t\n2\tis\t\t\tWW(pv,tgw,ev)\t0.99\tO\n3\tgoed\t\t\tADJ(vrij,basis,zonder)\t0.9\tO\n4\t.\t\t\tLET()\t1\tO\n\n1\tEn\t\t\tVG(neven)\t0.99\tO\n2\tdat\t\t\tVNW(aanw,pron,stan,vol,3o,ev)\t0.9\tO\n3\tok\t\t\tBW()\t0.9\tO\n\n1\tDe\t\t\tLID(bep,stan,rest)\t0.99\tO\n2\tBenelux\t\t\tSPEC(deeleigen)\t1\tB-ORG\n";

    #[test]
    fn tokens_find_their_sentence_and_span_even_when_frog_cuts_a_line() {
        let sentences = ["Dit is  goed. En dat ok", "De Benelux"];
        let tagged = assign(parse_columns(OUT), &sentences);
        assert_eq!(tagged[0].len(), 7);
        assert_eq!(tagged[1].len(), 2);
        assert!(tagged[0][4].starts_sentence);
        let goed = &tagged[0][2];
        assert_eq!(goed.span, Some([8, 12]));
        assert_eq!(goed.pos(), "ADJ");
        assert!(goed.has("zonder") && !goed.has("prenom"));
        assert_eq!(tagged[1][1].ner, "B-ORG");
        assert_eq!(tagged[1][1].span, Some([3, 10]));
    }
}
