//! Reads bilingual dictionaries in the dictd format that FreeDict ships and Debian installs
//! (`/usr/share/dictd/freedict-deu-fra.index` + `.dict.dz`): an index of base-64 offsets into
//! a gzip-compressed (dictzip) text of entries. Each entry starts with its headword line
//! (`Abflug /ˈapˌfluːk/ <n, masc>`); its translations follow, on the first line or on
//! numbered sense lines (`1. départ`), the other lines being glosses in the source language.
//! The files are read where they are installed, never copied.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// The `.index` and `.dict.dz` (or `.dict`) files of the dictd dictionary `path` names
/// (either file, or their common stem); `None` when `path` is not a dictd dictionary.
pub(crate) fn dictd_files(path: &Path) -> Option<(PathBuf, PathBuf)> {
    let name = path.to_str()?;
    let stem = [".index", ".dict.dz", ".dict"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(name);
    let index = PathBuf::from(format!("{stem}.index"));
    let dict = [".dict.dz", ".dict"]
        .iter()
        .map(|ext| PathBuf::from(format!("{stem}{ext}")))
        .find(|p| p.is_file())?;
    index.is_file().then_some((index, dict))
}

/// Single-word translation pairs (headword, translation) of a dictd dictionary.
pub(crate) fn read_dictd(index: &Path, dict: &Path) -> Result<Vec<(String, String)>> {
    let index_text = crate::fsio::read_text(index)?;
    let text = decompress(dict)?;
    let mut spans = Vec::new();
    for (n, line) in index_text.lines().enumerate() {
        let mut fields = line.split('\t');
        let (Some(word), Some(offset), Some(length)) =
            (fields.next(), fields.next(), fields.next())
        else {
            return Err(malformed(index, n, "expected headword, offset and length"));
        };
        if word.starts_with("00database") || word.starts_with("00-database") {
            continue;
        }
        let (Some(offset), Some(length)) = (base64_number(offset), base64_number(length)) else {
            return Err(malformed(index, n, "offset or length is not dictd base 64"));
        };
        spans.push((offset, length));
    }
    // Several headwords (spelling variants) may point at one entry.
    spans.sort_unstable();
    spans.dedup();
    let mut pairs = Vec::new();
    for (offset, length) in spans {
        let entry = text
            .get(offset..offset.saturating_add(length))
            .ok_or_else(|| malformed(index, 0, "an entry lies outside the .dict file"))?;
        pairs.extend(entry_pairs(&String::from_utf8_lossy(entry)));
    }
    Ok(pairs)
}

fn malformed(path: &Path, line: usize, message: &str) -> Error {
    Error::Malformed {
        path: path.into(),
        line: line + 1,
        message: message.into(),
    }
}

/// The dictionary text, gunzipped when the file is gzip (dictzip) compressed.
fn decompress(path: &Path) -> Result<Vec<u8>> {
    let raw = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    if !raw.starts_with(&[0x1f, 0x8b]) {
        return Ok(raw);
    }
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(raw.as_slice())
        .read_to_end(&mut text)
        .map_err(|e| Error::io(path, e))?;
    Ok(text)
}

/// A dictd number: big-endian digits of the alphabet `A-Z a-z 0-9 + /`.
fn base64_number(digits: &str) -> Option<usize> {
    digits.bytes().try_fold(0usize, |acc, c| {
        let d = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc.checked_mul(64)?.checked_add(usize::from(d))
    })
}

/// The (headword, translation) pairs of one entry whose two sides are single words.
fn entry_pairs(entry: &str) -> Vec<(String, String)> {
    let mut lines = entry.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(head) = lines.next() else {
        return Vec::new();
    };
    let headword = head.split([' ', '/', '<']).next().unwrap_or("").trim();
    if !is_single_word(headword) {
        return Vec::new();
    }
    let mut pairs = Vec::new();
    for (k, line) in lines.enumerate() {
        let senses = match numbered(line) {
            Some(rest) => rest,
            // An unnumbered line is a translation only right after the headword.
            None if k == 0 => line,
            None => continue,
        };
        for t in senses.split([',', ';']).map(str::trim) {
            if is_single_word(t) && t != headword {
                pairs.push((headword.to_owned(), t.to_owned()));
            }
        }
    }
    pairs
}

/// The text after a sense number (`2. départ` gives `départ`).
fn numbered(line: &str) -> Option<&str> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0)
        .then(|| line[digits..].strip_prefix(". "))
        .flatten()
}

/// A word the aligner's tokenizer keeps whole: letters (and inner apostrophes or hyphens).
fn is_single_word(w: &str) -> bool {
    !w.is_empty()
        && w.chars().count() <= 40
        && w.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        && w.chars().next().is_some_and(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_give_translations_not_glosses() {
        let entry = "Abflug /ˈapˌfluːk/ <n, masc>\n1. départ, heure de départ\n\
                     die nach Flugplan vorgesehene Startzeit, eines Luftfahrzeuges\n\
                     2. décollage\ndas Starten\n";
        assert_eq!(
            entry_pairs(entry),
            vec![
                ("Abflug".to_owned(), "départ".to_owned()),
                ("Abflug".to_owned(), "décollage".to_owned())
            ]
        );
        let plain =
            "Abfasung /ˈapˌfaːzʊŋ/ <n, fem>\nbiseautage, chanfreinage\nArchitektur, Technik\n";
        assert_eq!(entry_pairs(plain).len(), 2);
        assert!(entry_pairs("a cappella <adv>\nà cappella\n").is_empty());
    }

    #[test]
    fn dictd_numbers_are_base_64() {
        assert_eq!(base64_number("B"), Some(1));
        assert_eq!(base64_number("BA"), Some(64));
        assert_eq!(
            base64_number("bWOg"),
            Some(((27 * 64 + 22) * 64 + 14) * 64 + 32)
        );
        assert_eq!(base64_number("a-b"), None);
    }

    #[test]
    fn a_written_dictd_pair_is_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let body = "Gipfel /ˈɡɪpfl̩/ <n, masc>\nsommet, cime\nhöchster Punkt\n";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, body.as_bytes()).unwrap();
        let stem = dir.path().join("freedict-deu-fra");
        std::fs::write(stem.with_extension("dict.dz"), gz.finish().unwrap()).unwrap();
        let len = body.len();
        let index = format!("00databaseshort\tA\tB\ngipfel\tA\t{}\n", encode(len));
        std::fs::write(stem.with_extension("index"), index).unwrap();
        let (i, d) = dictd_files(&stem.with_extension("index")).unwrap();
        let pairs = read_dictd(&i, &d).unwrap();
        assert_eq!(pairs.len(), 2);
        assert_eq!(pairs[1], ("Gipfel".to_owned(), "cime".to_owned()));
        std::fs::write(&i, "gipfel\tA\n").unwrap();
        assert!(matches!(
            read_dictd(&i, &d),
            Err(Error::Malformed { line: 1, .. })
        ));
    }

    fn encode(mut n: usize) -> String {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut digits = Vec::new();
        loop {
            digits.push(alphabet[n % 64]);
            n /= 64;
            if n == 0 {
                break;
            }
        }
        digits.reverse();
        String::from_utf8(digits).unwrap()
    }

    /// The installed Debian FreeDict German-French dictionary, when present.
    #[test]
    fn the_installed_freedict_german_french_dictionary_is_read() {
        let stem = Path::new("/usr/share/dictd/freedict-deu-fra.index");
        let Some((i, d)) = dictd_files(stem) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "dict-freedict-deu-fra is not installed (scripts/setup installs it)"
            );
            eprintln!("skipped: dict-freedict-deu-fra not installed (apt-get install dict-freedict-deu-fra)");
            return;
        };
        let pairs = read_dictd(&i, &d).unwrap();
        assert!(pairs.len() > 20_000, "{}", pairs.len());
        let has = |s: &str, t: &str| pairs.iter().any(|(a, b)| a == s && b == t);
        assert!(has("Abflug", "départ") && has("Gipfel", "sommet"));
    }
}
