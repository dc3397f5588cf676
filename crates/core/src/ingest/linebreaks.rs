//! What a plain-text file's single line breaks mean: hard wraps inside a paragraph, or the
//! ends of paragraphs (or sentences) written one per line, as word-processor exports and
//! sentence-aligned corpora are.

use super::weave::{clearly_cut, ends_sentence, starts_mid_sentence};

/// What one line break between two non-blank lines says about the file's line breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Vote {
    /// The line ends where a paragraph or sentence may end: final punctuation before a line
    /// that starts like a sentence, or a short unpunctuated line (a heading) the next line's
    /// first word would have fitted on.
    Paragraph,
    /// The text reads on across the break: the next line starts mid-sentence, the line is
    /// cut (comma, split word, article), or it is full and unpunctuated.
    Wrap,
}

/// Whether the file's line breaks end paragraphs (each line is its own paragraph) rather
/// than wrap them. `chunks` are the file's runs of non-blank lines (blank lines end them);
/// `breaks_anyway` tells the lines that start a paragraph whatever the rule (bullets,
/// Markdown headings), whose breaks say nothing. Decided once per file, because one tool
/// wrote the whole file with one convention, and because a short chunk (a title page, an
/// address) holds too few breaks to decide on its own.
///
/// The rule: every break between two lines of a chunk votes ([`vote`]), and the line breaks
/// are paragraph breaks when more votes say so than say the text reads on. Hard-wrapped
/// text ends a line mid-sentence most of the time (a few lines in a hundred end on a
/// sentence end), so it stays joined, whatever its language; a file without single line
/// breaks, or whose breaks tell nothing either way, is read as before.
pub fn lines_are_paragraphs(chunks: &[Vec<&str>], breaks_anyway: impl Fn(&str) -> bool) -> bool {
    let (mut paragraph, mut wrap) = (0usize, 0usize);
    for chunk in chunks {
        let width = chunk.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        for pair in chunk.windows(2) {
            if breaks_anyway(pair[0]) || breaks_anyway(pair[1]) {
                continue;
            }
            match vote(pair[0], pair[1], width) {
                Vote::Paragraph => paragraph += 1,
                Vote::Wrap => wrap += 1,
            }
        }
    }
    paragraph > wrap
}

/// Whether `next` reads on from `line` in one sentence, so that even a file written one
/// paragraph per line joins them: `line` has no final punctuation, and either `next`
/// starts mid-sentence (in lower case) or `line` is clearly cut (a comma, a split word, an
/// article or preposition at its end). Never true after final punctuation, so that
/// sentences are never glued across lines.
pub fn reads_on(line: &str, next: &str) -> bool {
    !ends_sentence(line) && (starts_mid_sentence(next) || clearly_cut(line))
}

/// The vote of the break between `line` and `next` in a chunk whose widest line has
/// `width` characters. A line without final punctuation before a capital is a heading
/// when the next line's first word would have fitted on it, and a wrap when it would not:
/// greedy wrapping breaks a line only where the next word does not fit.
fn vote(line: &str, next: &str, width: usize) -> Vote {
    if starts_mid_sentence(next) || reads_on(line, next) {
        Vote::Wrap
    } else if ends_sentence(line) || !is_full(line, next, width) {
        Vote::Paragraph
    } else {
        Vote::Wrap
    }
}

/// Whether `line` had no room left for the first word of `next` within `width` characters.
fn is_full(line: &str, next: &str, width: usize) -> bool {
    let first_word = next.split_whitespace().next().unwrap_or("");
    line.chars().count() + 1 + first_word.chars().count() > width
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(text: &str) -> bool {
        let chunks: Vec<Vec<&str>> = text
            .split("\n\n")
            .map(|c| c.lines().map(str::trim).collect())
            .collect();
        lines_are_paragraphs(&chunks, |l| l.starts_with("- ") || l.starts_with("# "))
    }

    #[test]
    fn sentences_one_per_line_are_paragraph_breaks_in_any_language() {
        assert!(decide(
            "Kapitel 1\nDer Morgen war kalt.\n„Komm herein“, sagte sie.\nEr kam nicht.“\nDann schwieg sie…"
        ));
        assert!(decide(
            "« Entrez ! » dit-elle.\nIl ne bougea pas.\nLIVRE I\nElle attendit longtemps…\nPuis elle partit."
        ));
    }

    #[test]
    fn hard_wrapped_lines_are_wraps_even_with_capitalised_nouns() {
        // German capitalises nouns: the full lines before them still vote for a wrap.
        let text = "Die Regierung hat am Montag beschlossen, die Zusammenarbeit mit den\n\
                    Nachbarländern auszubauen. Die Minister trafen sich dazu in der alten\n\
                    Hauptstadt, wo sie über die Verkehrsverbindungen und die Energie\n\
                    sprachen, bevor sie eine gemeinsame Erklärung unterzeichneten.";
        assert!(!decide(text));
    }

    #[test]
    fn a_short_unpunctuated_line_before_a_capital_is_a_heading_vote() {
        assert_eq!(vote("CHAPTER I", "Emma was handsome.", 60), Vote::Paragraph);
        assert_eq!(
            vote("the whole of the village and", "Highbury", 30),
            Vote::Wrap
        );
        assert_eq!(
            vote("It rained in the morning", "Highbury was wet.", 26),
            Vote::Wrap
        );
        assert_eq!(vote("It rained.", "and then it stopped.", 60), Vote::Wrap);
        // A full line ending on a closing quote after final punctuation ends a sentence.
        assert_eq!(vote("Sie sagte: „Komm.“", "Er", 18), Vote::Paragraph);
        assert_eq!(vote("Elle dit : « Viens. »", "Il", 21), Vote::Paragraph);
    }

    #[test]
    fn no_breaks_or_only_marked_breaks_keep_the_old_reading() {
        assert!(!decide("One line only."));
        assert!(!decide("# Title\n- one.\n- two."));
        assert!(!decide("Title\n\nA paragraph.\n\nAnother one."));
    }

    #[test]
    fn reads_on_only_without_final_punctuation() {
        assert!(reads_on("le rapport de la", "Commission européenne"));
        assert!(reads_on("He went", "home."));
        assert!(!reads_on("He went home.", "then he slept."));
        assert!(!reads_on("VOLUME I", "Emma was handsome."));
    }
}
