//! Un-weaving: the paragraphs of each language are taken out of the alternating runs, and a
//! paragraph cut at the end of a run is joined with its continuation at the start of the
//! next run of the same language.

use super::markup::{glue, Mark, RawPara};

/// A heading is at most this many words; a longer piece without final punctuation is a cut
/// paragraph.
pub const HEADING_MAX_WORDS: usize = 15;

/// One paragraph of one language after joining.
#[derive(Clone, Debug)]
pub struct Piece {
    /// Clean text.
    pub text: String,
    /// Markup of its first part.
    pub mark: Mark,
    /// First and last input line.
    pub lines: [usize; 2],
    /// Line ranges of its parts when it was joined across runs.
    pub parts: Vec<[usize; 2]>,
    /// Confidence of the language decision, weighted by the letters of each part.
    pub confidence: f64,
    letters: usize,
}

impl Piece {
    /// A piece made of one paragraph.
    pub fn new(para: RawPara, confidence: f64) -> Piece {
        let letters = para.text.chars().filter(|c| c.is_alphabetic()).count();
        Piece {
            text: para.text,
            mark: para.mark,
            lines: para.lines,
            parts: vec![para.lines],
            confidence,
            letters,
        }
    }

    /// Appends the next piece of a paragraph cut at a column or page end.
    pub fn append(&mut self, para: RawPara, confidence: f64) {
        let letters = para.text.chars().filter(|c| c.is_alphabetic()).count();
        let total = (self.letters + letters).max(1) as f64;
        self.confidence =
            (self.confidence * self.letters as f64 + confidence * letters as f64) / total;
        self.letters += letters;
        self.text = glue(&self.text, &para.text);
        self.lines[1] = para.lines[1];
        self.parts.push(para.lines);
    }

    fn absorb(&mut self, next: Piece) {
        let total = (self.letters + next.letters).max(1) as f64;
        self.confidence =
            (self.confidence * self.letters as f64 + next.confidence * next.letters as f64) / total;
        self.letters += next.letters;
        self.text = glue(&self.text, &next.text);
        self.lines[1] = next.lines[1];
        self.parts.extend(next.parts);
    }
}

/// Separates paragraphs labelled 0 or 1 into the two languages' pieces, joining cut
/// paragraphs across runs. `confidence[i]` is the confidence of paragraph i's label.
pub fn unweave(paras: &[RawPara], labels: &[usize], confidence: &[f64]) -> [Vec<Piece>; 2] {
    let mut out: [Vec<Piece>; 2] = [Vec::new(), Vec::new()];
    let mut boundaries: [Vec<Boundary>; 2] = [Vec::new(), Vec::new()];
    for (i, para) in paras.iter().cloned().enumerate() {
        let lang = labels[i];
        let starts_run = i == 0 || labels[i - 1] != lang;
        match out[lang].last_mut() {
            Some(prev) if starts_run => {
                let joined = continues(prev, &para);
                let before = out[lang].len() - 1;
                boundaries[lang].push(Boundary { joined, before });
                if joined {
                    out[lang][before].append(para, confidence[i]);
                } else {
                    out[lang].push(Piece::new(para, confidence[i]));
                }
            }
            _ => out[lang].push(Piece::new(para, confidence[i])),
        }
    }
    let merges = [
        sympathetic_joins(&out, &boundaries, 0),
        sympathetic_joins(&out, &boundaries, 1),
    ];
    for (lang, merges) in merges.into_iter().enumerate() {
        for before in merges.into_iter().rev() {
            let next = out[lang].remove(before + 1);
            out[lang][before].absorb(next);
        }
    }
    out
}

/// A page or column break in one language: the run before it ends with piece `before`.
#[derive(Clone, Copy, Debug)]
struct Boundary {
    joined: bool,
    before: usize,
}

/// Breaks of language `lang` that also cut a paragraph although its text ended a sentence
/// there: the other language's paragraph was cut at the same break (the k-th break of each
/// language is the same page end, since runs alternate), the text before the break is about
/// as long in both languages (the two pages ended at the same place in the text, not a few
/// paragraphs apart), and the two pieces of `lang` together match that paragraph's length
/// better than either piece alone (when the second piece alone matches it, the page of
/// `lang` ended with a whole paragraph and the other's cut paragraph is the next one), and
/// as many headings stand before the two pieces as before that paragraph (when the page of
/// `lang` ran on past a heading, its pieces belong to the next section, not to the cut
/// paragraph).
fn sympathetic_joins(
    out: &[Vec<Piece>; 2],
    boundaries: &[Vec<Boundary>; 2],
    lang: usize,
) -> Vec<usize> {
    let other = 1 - lang;
    let letters =
        |pieces: &Vec<Piece>| pieces.iter().map(|p| p.letters).sum::<usize>().max(1) as f64;
    let ratio = letters(&out[lang]) / letters(&out[other]);
    let before = |pieces: &[Piece], last: usize| -> f64 {
        pieces[..=last].iter().map(|p| p.letters).sum::<usize>() as f64
    };
    boundaries[lang]
        .iter()
        .zip(&boundaries[other])
        .filter(|(own, theirs)| !own.joined && theirs.joined)
        .filter_map(|(own, theirs)| {
            let (first, second) = (&out[lang][own.before], &out[lang][own.before + 1]);
            let joined = (first.letters + second.letters) as f64;
            let offset =
                before(&out[lang], own.before) - ratio * before(&out[other], theirs.before);
            let expected = (ratio * out[other][theirs.before].letters.max(1) as f64).ln();
            let miss = |letters: usize| ((letters.max(1) as f64).ln() - expected).abs();
            let plain = is_plain_paragraph(first) && is_plain_paragraph(second);
            let same_place = offset.abs() <= joined;
            let same_section = headings_before(&out[lang], own.before)
                == headings_before(&out[other], theirs.before);
            let alone = miss(first.letters).min(miss(second.letters));
            (plain && same_place && same_section && miss(first.letters + second.letters) < alone)
                .then_some(own.before)
        })
        .collect()
}

/// How many headings, item titles and other pieces that are not running text come before
/// piece `index`. Both languages carry the same headings, so a paragraph and its
/// translation have as many before them.
fn headings_before(pieces: &[Piece], index: usize) -> usize {
    pieces[..index]
        .iter()
        .filter(|p| !is_plain_paragraph(p))
        .count()
}

/// An unmarked piece that reads as running text, not as a heading.
fn is_plain_paragraph(piece: &Piece) -> bool {
    !piece.mark.is_marked()
        && (ends_sentence(&piece.text) || word_count(&piece.text) > HEADING_MAX_WORDS)
}

/// Whether `next`, the first paragraph of a run, continues `prev`, the last paragraph of the
/// previous run of the same language: neither carries markup, `prev` does not end a
/// sentence, and either `next` starts mid-sentence ([`starts_mid_sentence`]) or `prev` is
/// too long to be a heading or clearly cut. A short `prev` is then a paragraph cut after a
/// few words at a column end, not a heading: typesetters keep a heading with what follows
/// it, and the continuation reads on from it.
fn continues(prev: &Piece, next: &RawPara) -> bool {
    if prev.mark.is_marked() || next.mark.is_marked() || ends_sentence(&prev.text) {
        return false;
    }
    starts_mid_sentence(&next.text)
        || word_count(&prev.text) > HEADING_MAX_WORDS
        || clearly_cut(&prev.text)
        || holds_a_clause(&prev.text)
}

/// Whether text holds a comma between words (`On 12 October 2023, H.E. Mr. Thomas`): a
/// sentence broken off, since a heading is a phrase without inner commas.
fn holds_a_clause(text: &str) -> bool {
    text.trim_end().trim_end_matches(',').contains(", ")
}

/// Whether a paragraph starts where no sentence or heading starts: with a lower-case letter,
/// or with a number read on from the words before it — followed by a comma or semicolon
/// (`2023, H.E. Mr. ...` after `On 12 October`), a year followed by final punctuation
/// (`2023. The delegations ...`) or by a lower-case word (`2023 to coordinate ...` after
/// `... on 21 September`). A numbered paragraph (`2. The Chamber ...`) or a date
/// (`12 mai 2023. — Arrêté ...`) does not count.
pub fn starts_mid_sentence(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if first.is_lowercase() {
        return true;
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let rest = &text[digits..];
    let year = digits == 4;
    digits > 0
        && (rest.starts_with([',', ';'])
            || (year && rest.starts_with(['.', ':']))
            || (year
                && rest
                    .strip_prefix(' ')
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_lowercase)))
}

/// What the layout says about a paragraph: whether it reads as running text cut inside a
/// sentence (no markup, no final punctuation, too long for a heading), as a heading or item
/// title, or as the continuation of a cut paragraph (unmarked, lower-case start).
pub fn layout_of(para: &RawPara) -> super::langid::Layout {
    let unfinished = !ends_sentence(&para.text);
    let long = word_count(&para.text) > HEADING_MAX_WORDS;
    let marked = para.mark.is_marked();
    super::langid::Layout {
        cut: !marked && unfinished && (long || clearly_cut(&para.text)),
        // Bold lines without a bullet are left out: a cover stacks both languages' titles.
        keep_with_next: para.mark.bullet
            || para.mark.md_level.is_some()
            || (!para.mark.bold && unfinished && !long && !clearly_cut(&para.text)),
        continuation: !marked && starts_mid_sentence(&para.text),
    }
}

/// Text that can only be the first piece of a cut paragraph, whatever its length: it ends
/// with a comma, with a word split by a hyphen (`... tradi-`), or with a word that ends
/// neither a sentence nor a heading (`... om de`, `... afin de coordonner les`).
pub fn clearly_cut(text: &str) -> bool {
    let text = text.trim_end();
    let last_word = text.rsplit(' ').next().unwrap_or("");
    text.ends_with(',')
        || text
            .strip_suffix('-')
            .and_then(|t| t.chars().last())
            .is_some_and(char::is_alphabetic)
        || cut_words().contains(&last_word)
}

fn cut_words() -> &'static [&'static str] {
    static WORDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        include_str!("../../data/cut-words.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect()
    })
}

/// Whether text ends with final punctuation (closing quotes and brackets aside: `”`, `»`,
/// the German `“` and `«`, `›`).
pub fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\'' | '”' | '’' | '»' | '“' | '«' | '›' | '‹' | ')' | ']' | '*'
            )
    });
    trimmed.ends_with(['.', '!', '?', '…', ':', ';'])
}

/// Number of white-space separated words.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::super::markup::paragraphs;
    use super::*;

    #[test]
    fn joins_a_paragraph_cut_at_a_run_end() {
        let text =
            "Na een werkvergadering vond er een werkvergadering plaats in aanwezigheid van de\n\n\
                    Après une réunion de travail, une réunion élargie a eu lieu en présence du\n\n\
                    voorzitter van de regionale Raad van de Grand Est.\n\n\
                    conseil régional Grand Est.";
        let paras = paragraphs(text);
        let [nl, fr] = unweave(&paras, &[0, 1, 0, 1], &[1.0; 4]);
        assert_eq!(nl.len(), 1);
        assert_eq!(
            nl[0].text,
            "Na een werkvergadering vond er een werkvergadering plaats in aanwezigheid van de voorzitter van de regionale Raad van de Grand Est."
        );
        assert_eq!(nl[0].parts, vec![[1, 1], [5, 5]]);
        assert_eq!(nl[0].lines, [1, 5]);
        assert_eq!(fr.len(), 1);
    }

    #[test]
    fn does_not_join_headings_items_or_finished_paragraphs() {
        let text = "Sectoraal beleid\n\nPolitique sectorielle\n\nDe ministers kwamen bijeen.\n\n\
                    Les ministres se sont réunis.\n\nbijeenkomst.\n\n- **Item**";
        let [nl, fr] = unweave(&paragraphs(text), &[0, 1, 0, 1, 0, 1], &[1.0; 6]);
        assert_eq!(nl.len(), 3);
        assert_eq!(fr.len(), 3);
    }

    #[test]
    fn a_break_at_a_sentence_end_joins_when_the_other_language_was_cut_there() {
        let text = "Hiertoe hebben de landen voorgesteld om investeringen aan te moedigen.\n\n\
                    À cette fin, les pays ont proposé de favoriser les investissements. Les villes\n\n\
                    Slimme en groene steden zijn andere gebieden.\n\n\
                    intelligentes et vertes sont d'autres sujets.\n\n\
                    Een nieuwe alinea met een eigen zin die lang genoeg is om mee te tellen.\n\n\
                    Un nouveau paragraphe avec sa propre phrase assez longue pour compter.";
        let [nl, fr] = unweave(&paragraphs(text), &[0, 1, 0, 1, 0, 1], &[1.0; 6]);
        assert_eq!(fr.len(), 2);
        assert_eq!(nl.len(), 2, "{nl:?}");
        assert!(nl[0]
            .text
            .ends_with("moedigen. Slimme en groene steden zijn andere gebieden."));
        assert_eq!(nl[0].parts, vec![[1, 1], [5, 5]]);
    }

    #[test]
    fn a_page_that_ran_on_past_a_heading_is_not_joined_to_the_other_languages_cut() {
        // The Dutch page ends inside paragraph X; the French page ends after X, a heading
        // and the whole next paragraph. The two French paragraphs around the break are
        // as long as X together, but they belong to the next section.
        let words = |w: &str, n: usize| vec![w; n].join(" ");
        let text = [
            "- **Interventie**".to_string(),
            format!("Als {}", words("reactie", 20)),
            "- **Intervention**".to_string(),
            format!("En {}.", words("réaction", 40)),
            "- **Réunion**".to_string(),
            format!("Le {}.", words("décembre", 20)),
            format!("{}.", words("slachtoffers", 20)),
            "- **Bijeenkomst**".to_string(),
            format!("Op {}.", words("december", 20)),
            format!("Tijdens {}.", words("bijeenkomst", 20)),
            format!("Durant {}.", words("réunion", 20)),
        ]
        .join("\n\n");
        let labels = [0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1];
        let [nl, fr] = unweave(&paragraphs(&text), &labels, &[1.0; 11]);
        assert_eq!(nl.len(), 5, "{nl:?}");
        assert_eq!(fr.len(), 5, "{fr:?}");
        assert!(fr[3].text.starts_with("Le ") && fr[4].text.starts_with("Durant "));
    }

    #[test]
    fn a_short_piece_cut_before_a_number_is_rejoined_not_taken_for_a_heading() {
        // A page ends three words into a paragraph; the next page of the same language goes
        // on with the year. Read alone, `On 12 October` would be a heading.
        let text = "On 12 October\n\n\
                    Le 12 octobre 2023, S.E. M. Thomas Berger a prononcé une déclaration commune au nom des partenaires.\n\n\
                    2023, H.E. Mr. Thomas Berger delivered a joint statement on behalf of the partners.\n\n\
                    The partners welcomed the adoption of the draft resolution by consensus.\n\n\
                    Les partenaires ont salué l'adoption du projet de résolution par consensus.";
        let [en, fr] = unweave(&paragraphs(text), &[0, 1, 0, 0, 1], &[1.0; 5]);
        assert_eq!(en.len(), 2, "{en:?}");
        assert!(en[0].text.starts_with("On 12 October 2023, H.E. Mr."));
        assert_eq!(fr.len(), 2, "{fr:?}");
    }

    #[test]
    fn a_short_piece_with_a_clause_joins_a_capitalised_continuation() {
        let text = "Le 12 octobre 2023, S.E. M. Thomas\n\n\
                    On 12 October 2023, H.E. Mr. Thomas Berger delivered a joint statement.\n\n\
                    Berger a prononcé une déclaration commune au nom des pays partenaires.\n\n\
                    The partners welcomed the adoption of the draft resolution by consensus.";
        let [fr, _] = unweave(&paragraphs(text), &[0, 1, 0, 1], &[1.0; 4]);
        assert_eq!(fr.len(), 1, "{fr:?}");
        // A heading at a column end stays a heading.
        let text = "Hauts fonctionnaires\n\nSenior officials\n\n\
                    Les directeurs se sont réunis à Vienne.\n\nThe directors met in Vienna.";
        let [fr, _] = unweave(&paragraphs(text), &[0, 1, 0, 1], &[1.0; 4]);
        assert_eq!(fr.len(), 2, "{fr:?}");
    }

    #[test]
    fn numbered_paragraphs_dates_and_capitals_do_not_read_on() {
        for start in [
            "2023, H.E. Mr.",
            "2023. The delegations",
            "2023 to coordinate",
            "and then",
        ] {
            assert!(starts_mid_sentence(start), "{start}");
        }
        for start in [
            "2. The Chamber decides",
            "12 mai 2023. — Arrêté royal",
            "17 juni 2023",
            "1) first",
            "Strasbourg, where",
            "",
        ] {
            assert!(!starts_mid_sentence(start), "{start}");
        }
    }

    #[test]
    fn a_long_unfinished_piece_joins_a_capitalised_continuation() {
        let long = "De drie ministers bespraken de kwestie van het opvoeren van de defensie-inspanning en hun standpunten met";
        let text = format!("{long}\n\nLes ministres.\n\nBrussel en Parijs.");
        let [nl, _] = unweave(&paragraphs(&text), &[0, 1, 0], &[1.0; 3]);
        assert_eq!(nl.len(), 1);
        assert!(nl[0].text.ends_with("met Brussel en Parijs."));
    }
}
