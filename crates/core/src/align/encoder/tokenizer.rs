//! The SentencePiece unigram tokenizer of the USE-multilingual-v3 model, read from its
//! `sp.model` file: the `nmt_nfkc` normalisation (a precompiled double-array trie of
//! replacements), whitespace escaping, and the most probable segmentation into pieces.

use std::path::Path;

use crate::{Error, Result};

/// Piece id of an unknown character.
const UNK: u32 = 0;
/// Piece id opening a sentence.
pub(crate) const BOS: u32 = 1;
/// Piece id closing a sentence.
pub(crate) const EOS: u32 = 2;
/// What a space becomes in a piece (U+2581, "lower one eighth block").
const SPACE_MARK: &str = "\u{2581}";

/// Splits text into the piece ids the encoder's embedding table is indexed by.
pub(crate) struct Tokenizer {
    normalizer: Normalizer,
    /// Every piece with its id, sorted by bytes: the pieces sharing a prefix form one run.
    pieces: Vec<(Box<str>, u32)>,
    /// Log probability of each piece, by id.
    scores: Vec<f32>,
    /// Log probability given to an unknown character (ten below the rarest piece).
    unk_score: f64,
}

impl Tokenizer {
    /// Reads a SentencePiece model file; `path` names it in errors.
    pub(crate) fn from_bytes(data: &[u8], path: &Path) -> Result<Self> {
        let bad = |what: &str| Error::Invalid(format!("{}: {what}", path.display()));
        let top = Message::parse(data).ok_or_else(|| bad("not a SentencePiece model"))?;
        let mut pieces: Vec<(Box<str>, u32)> = Vec::new();
        let mut scores = Vec::new();
        for (id, raw) in top.bytes(1).enumerate() {
            let piece =
                Message::parse(raw).ok_or_else(|| bad("a vocabulary entry is malformed"))?;
            let text = piece.bytes(1).next().unwrap_or(&[]);
            let text = std::str::from_utf8(text).map_err(|_| bad("a piece is not UTF-8"))?;
            pieces.push((Box::from(text), id as u32));
            scores.push(piece.fixed32(2).map_or(0.0, f32::from_bits));
        }
        if pieces.len() <= EOS as usize {
            return Err(bad("the vocabulary is empty"));
        }
        let charsmap = top
            .bytes(3)
            .next()
            .and_then(Message::parse)
            .and_then(|spec| spec.bytes(2).next().map(<[u8]>::to_vec))
            .unwrap_or_default();
        let normalizer = Normalizer::new(charsmap).ok_or_else(|| bad("malformed charsmap"))?;
        let rarest = scores.iter().copied().fold(f32::INFINITY, f32::min);
        pieces.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        Ok(Tokenizer {
            normalizer,
            pieces,
            scores,
            unk_score: f64::from(rarest) - 10.0,
        })
    }

    /// Number of pieces in the vocabulary.
    pub(crate) fn vocab_size(&self) -> usize {
        self.scores.len()
    }

    /// The piece ids of `text`, between the sentence-start and sentence-end ids.
    pub(crate) fn encode(&self, text: &str) -> Vec<u32> {
        let normalized = self.normalizer.normalize(text);
        let mut ids = vec![BOS];
        if normalized.is_empty() {
            ids.push(UNK);
        } else {
            ids.extend(self.segment(&normalized));
        }
        ids.push(EOS);
        ids
    }

    /// The most probable segmentation of a normalised text (Viterbi over the piece lattice).
    /// On equal scores the piece starting earliest wins.
    fn segment(&self, text: &str) -> Vec<u32> {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(text.len()))
            .collect();
        let chars = bounds.len() - 1;
        let mut best = vec![f64::NEG_INFINITY; chars + 1];
        let mut came_from = vec![(0usize, UNK); chars + 1];
        best[0] = 0.0;
        for i in 0..chars {
            let base = best[i];
            let mut has_single = false;
            self.for_each_piece_at(text, &bounds, i, |end, id| {
                let score = base + f64::from(self.scores[id as usize]);
                if score > best[end] {
                    best[end] = score;
                    came_from[end] = (i, id);
                }
                has_single |= end == i + 1;
            });
            if !has_single && base + self.unk_score > best[i + 1] {
                best[i + 1] = base + self.unk_score;
                came_from[i + 1] = (i, UNK);
            }
        }
        let mut ids = Vec::new();
        let mut end = chars;
        while end > 0 {
            let (start, id) = came_from[end];
            ids.push(id);
            end = start;
        }
        ids.reverse();
        ids
    }

    /// Calls `found(end, id)` for every piece that spells `text` from character `start` to
    /// character `end`, shortest first.
    fn for_each_piece_at(
        &self,
        text: &str,
        bounds: &[usize],
        start: usize,
        mut found: impl FnMut(usize, u32),
    ) {
        let bytes = text.as_bytes();
        let (mut lo, mut hi) = (0, self.pieces.len());
        let mut matched = 0;
        for end in start + 1..bounds.len() {
            let next = &bytes[bounds[end - 1]..bounds[end]];
            // The run of pieces continuing the matched prefix with `next`.
            let run = &self.pieces[lo..hi];
            let first = run.partition_point(|p| slice(&p.0, matched, next.len()) < next);
            let last = run.partition_point(|p| slice(&p.0, matched, next.len()) <= next);
            if first == last {
                return;
            }
            (lo, hi) = (lo + first, lo + last);
            matched += next.len();
            let (piece, id) = &self.pieces[lo];
            if piece.len() == matched {
                found(end, *id);
            }
        }
    }
}

/// Up to `len` bytes of `piece` from byte `from`: where it continues a matched prefix.
fn slice(piece: &str, from: usize, len: usize) -> &[u8] {
    let b = piece.as_bytes();
    &b[from.min(b.len())..(from + len).min(b.len())]
}

/// The `nmt_nfkc` normaliser: a double-array trie (darts-clone layout) mapping byte sequences
/// to replacement strings, followed by whitespace clean-up and escaping.
struct Normalizer {
    units: Vec<u32>,
    /// NUL-terminated replacement strings the trie's values point into.
    replacements: Vec<u8>,
}

impl Normalizer {
    fn new(charsmap: Vec<u8>) -> Option<Self> {
        if charsmap.is_empty() {
            return Some(Normalizer {
                units: Vec::new(),
                replacements: Vec::new(),
            });
        }
        let size = u32::from_le_bytes(charsmap.get(..4)?.try_into().ok()?) as usize;
        let trie = charsmap.get(4..4 + size)?;
        let units = trie
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Some(Normalizer {
            units,
            replacements: charsmap[4 + size..].to_vec(),
        })
    }

    /// The replacement of the longest trie key at `raw[pos..]` and the bytes it consumes; one
    /// unchanged character when no key matches.
    fn prefix<'a>(&'a self, raw: &'a [u8], pos: usize) -> (&'a [u8], usize) {
        if let Some((len, value)) = self.longest_key(raw, pos) {
            let rest = &self.replacements[value..];
            let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            return (&rest[..end], len);
        }
        let len = utf8_len(raw, pos);
        (&raw[pos..pos + len], len)
    }

    /// Length and value of the longest key that starts `raw[pos..]`.
    fn longest_key(&self, raw: &[u8], pos: usize) -> Option<(usize, usize)> {
        let unit_at = |k: usize| self.units.get(k).copied();
        let offset = |u: u32| ((u >> 10) << ((u & 0x200) >> 6)) as usize;
        let mut node = offset(unit_at(0)?);
        let mut best = None;
        for (k, &c) in raw[pos..].iter().enumerate() {
            node ^= c as usize;
            let unit = unit_at(node)?;
            if unit & 0x8000_00FF != u32::from(c) {
                break;
            }
            node ^= offset(unit);
            if unit & 0x100 != 0 {
                let value = (unit_at(node)? & 0x7FFF_FFFF) as usize;
                best = Some((k + 1, value));
            }
        }
        best.filter(|&(_, value)| value < self.replacements.len())
    }

    /// Normalises `text`: replacements applied, runs of spaces collapsed, leading and
    /// trailing spaces dropped, a space prefixed, and every space written as U+2581.
    fn normalize(&self, text: &str) -> String {
        let raw = text.as_bytes();
        let mut pos = 0;
        while pos < raw.len() {
            let (piece, used) = self.prefix(raw, pos);
            if piece != b" " {
                break;
            }
            pos += used;
        }
        if pos >= raw.len() {
            return String::new();
        }
        let mut out: Vec<u8> = SPACE_MARK.as_bytes().to_vec();
        let mut after_space = true;
        while pos < raw.len() {
            let (mut piece, used) = self.prefix(raw, pos);
            pos += used;
            if after_space {
                while let [b' ', rest @ ..] = piece {
                    piece = rest;
                }
            }
            let Some(&last) = piece.last() else {
                continue;
            };
            for &b in piece {
                if b == b' ' {
                    out.extend_from_slice(SPACE_MARK.as_bytes());
                } else {
                    out.push(b);
                }
            }
            after_space = last == b' ';
        }
        while out.ends_with(SPACE_MARK.as_bytes()) {
            out.truncate(out.len() - SPACE_MARK.len());
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// Length of the UTF-8 character starting at `raw[pos]` (1 for a malformed one).
fn utf8_len(raw: &[u8], pos: usize) -> usize {
    let len = match raw[pos] {
        b if b < 0x80 => 1,
        b if b >> 5 == 0b110 => 2,
        b if b >> 4 == 0b1110 => 3,
        b if b >> 3 == 0b11110 => 4,
        _ => 1,
    };
    let continued = (1..len).all(|k| raw.get(pos + k).is_some_and(|&b| b & 0xC0 == 0x80));
    if continued {
        len
    } else {
        1
    }
}

/// The fields of one protocol-buffer message that the tokenizer reads: length-delimited
/// (strings, sub-messages) and 32-bit (floats) values, by field number.
struct Message<'a> {
    fields: Vec<(u32, Value<'a>)>,
}

enum Value<'a> {
    Bytes(&'a [u8]),
    Fixed32(u32),
}

impl<'a> Message<'a> {
    /// Parses a message; `None` when it is truncated or uses an unknown wire type.
    fn parse(data: &'a [u8]) -> Option<Self> {
        let mut fields = Vec::new();
        let mut pos = 0;
        while pos < data.len() {
            let tag = varint(data, &mut pos)?;
            let field = u32::try_from(tag >> 3).ok()?;
            match tag & 7 {
                0 => {
                    varint(data, &mut pos)?;
                }
                1 => pos += 8,
                2 => {
                    let len = usize::try_from(varint(data, &mut pos)?).ok()?;
                    let bytes = data.get(pos..pos.checked_add(len)?)?;
                    fields.push((field, Value::Bytes(bytes)));
                    pos += len;
                }
                5 => {
                    let bytes = data.get(pos..pos + 4)?;
                    let v = u32::from_le_bytes(bytes.try_into().ok()?);
                    fields.push((field, Value::Fixed32(v)));
                    pos += 4;
                }
                _ => return None,
            }
        }
        (pos == data.len()).then_some(Message { fields })
    }

    /// The length-delimited values of field `number`, in order.
    fn bytes(&self, number: u32) -> impl Iterator<Item = &'a [u8]> + '_ {
        self.fields.iter().filter_map(move |(f, v)| match v {
            Value::Bytes(b) if *f == number => Some(*b),
            _ => None,
        })
    }

    /// The first 32-bit value of field `number`.
    fn fixed32(&self, number: u32) -> Option<u32> {
        self.fields.iter().find_map(|(f, v)| match v {
            Value::Fixed32(x) if *f == number => Some(*x),
            _ => None,
        })
    }
}

/// Reads a base-128 varint at `data[*pos..]` and moves `pos` past it.
fn varint(data: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *data.get(*pos)?;
        *pos += 1;
        value |= u64::from(b & 0x7F) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny model: pieces with scores, no charsmap.
    fn model(pieces: &[(&str, f32)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (text, score) in pieces {
            let mut p = vec![0x0A, text.len() as u8];
            p.extend_from_slice(text.as_bytes());
            p.push(0x15);
            p.extend_from_slice(&score.to_le_bytes());
            out.push(0x0A);
            out.push(p.len() as u8);
            out.extend(p);
        }
        out
    }

    #[test]
    fn segmentation_takes_the_most_probable_pieces() {
        let data = model(&[
            ("<unk>", 0.0),
            ("<s>", 0.0),
            ("</s>", 0.0),
            ("\u{2581}", -2.0),
            ("\u{2581}ab", -1.0),
            ("a", -3.0),
            ("b", -3.0),
            ("c", -3.0),
        ]);
        let tok = Tokenizer::from_bytes(&data, Path::new("m")).unwrap();
        assert_eq!(tok.encode("  ab   c "), vec![BOS, 4, 3, 7, EOS]);
        // "x" is unknown; the empty text is one unknown piece.
        assert_eq!(tok.encode("abx"), vec![BOS, 4, UNK, EOS]);
        assert_eq!(tok.encode("   "), vec![BOS, UNK, EOS]);
        assert!(Tokenizer::from_bytes(b"\x0A\xFF", Path::new("m")).is_err());
    }
}
