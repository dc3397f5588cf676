//! A word diff between a sentence's original and corrected text, for showing a correction.

/// One piece of a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// In both texts.
    Same(&'a str),
    /// Only in the original.
    Removed(&'a str),
    /// Only in the correction.
    Added(&'a str),
}

/// Words and the spaces between them, as separate tokens.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space.is_some_and(|s| s != space) {
            out.push(&text[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The diff of `old` and `new` by words (longest common subsequence), adjacent pieces of
/// the same kind joined.
pub fn words<'a>(old: &'a str, new: &'a str) -> Vec<Piece<'a>> {
    let (a, b) = (tokens(old), tokens(new));
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out: Vec<Piece<'a>> = Vec::new();
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(Piece::Same(a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(Piece::Removed(a[i]));
            i += 1;
        } else {
            out.push(Piece::Added(b[j]));
            j += 1;
        }
    }
    joined(old, new, out)
}

/// Joins adjacent pieces of one kind (they are adjacent slices of the same text).
fn joined<'a>(old: &'a str, new: &'a str, pieces: Vec<Piece<'a>>) -> Vec<Piece<'a>> {
    let mut out: Vec<Piece<'a>> = Vec::new();
    let extend = |text: &'a str, prev: &'a str, next: &'a str| -> Option<&'a str> {
        let start = prev.as_ptr() as usize - text.as_ptr() as usize;
        let end = next.as_ptr() as usize - text.as_ptr() as usize + next.len();
        text.get(start..end)
    };
    for piece in pieces {
        let merged = match (out.last(), &piece) {
            (Some(Piece::Same(p)), Piece::Same(q)) => extend(old, p, q).map(Piece::Same),
            (Some(Piece::Removed(p)), Piece::Removed(q)) => extend(old, p, q).map(Piece::Removed),
            (Some(Piece::Added(p)), Piece::Added(q)) => extend(new, p, q).map(Piece::Added),
            _ => None,
        };
        match merged {
            Some(m) => *out.last_mut().expect("a last piece") = m,
            None => out.push(piece),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_fix_is_one_word_removed_and_added() {
        let d = words(
            "De besprekkingen gingen door.",
            "De besprekingen gingen door.",
        );
        assert_eq!(
            d,
            vec![
                Piece::Same("De "),
                Piece::Removed("besprekkingen"),
                Piece::Added("besprekingen"),
                Piece::Same(" gingen door."),
            ]
        );
        assert_eq!(words("a b", "a b"), vec![Piece::Same("a b")]);
    }
}
