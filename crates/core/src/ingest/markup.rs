//! Paragraphs of a plain-text or Markdown input and the markup left by PDF extraction:
//! bullets, `**bold**`, `*italic*`, superscripts `^{e}`, Markdown `#` headings.

use std::sync::OnceLock;

use regex::Regex;

use super::linebreaks;

/// What the markup of a paragraph says about its role.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    /// It started with a bullet (`-`, `•`, `*`, `–`).
    pub bullet: bool,
    /// Its whole text was bold (`**...**`).
    pub bold: bool,
    /// Its Markdown heading depth (`#` = 1), if written as one.
    pub md_level: Option<u8>,
    /// Its heading level as its type size tells it (a PDF: 1 for the largest size headings
    /// are set in), when the document sets headings in more than one size.
    pub size_level: Option<u8>,
}

impl Mark {
    /// Whether any markup gives the paragraph a role (then it is never a cut piece).
    pub fn is_marked(&self) -> bool {
        self.bullet || self.bold || self.md_level.is_some()
    }
}

/// One paragraph of the input: its clean text, its markup and where it was.
#[derive(Clone, Debug, PartialEq)]
pub struct RawPara {
    /// The text without markup, on one line.
    pub text: String,
    /// What its markup said.
    pub mark: Mark,
    /// First and last 1-based input line.
    pub lines: [usize; 2],
}

/// Splits text into paragraphs: blank lines separate them, and a bullet or a Markdown
/// heading line always starts a new one. Consecutive lines are joined (hard-wrapped text),
/// unless the file writes one paragraph or sentence per line
/// ([`linebreaks::lines_are_paragraphs`]): then every line starts a paragraph, save one
/// that reads on from the line before it ([`linebreaks::reads_on`]).
pub fn paragraphs(text: &str) -> Vec<RawPara> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let one_per_line = linebreaks::lines_are_paragraphs(&chunks(&lines), starts_paragraph);
    let mut out = Vec::new();
    let mut current: Vec<(usize, &str)> = Vec::new();
    for (i, &line) in lines.iter().enumerate() {
        let breaks_here = starts_paragraph(line)
            || (one_per_line
                && current
                    .last()
                    .is_some_and(|&(_, prev)| !linebreaks::reads_on(prev, line)));
        if line.is_empty() || breaks_here {
            flush(&mut current, &mut out);
        }
        if !line.is_empty() {
            current.push((i + 1, line));
        }
        if md_heading(line).is_some() {
            flush(&mut current, &mut out);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// Whether a line starts a paragraph whatever the lines around it: a bullet or a Markdown
/// heading.
fn starts_paragraph(line: &str) -> bool {
    is_bullet_line(line) || md_heading(line).is_some()
}

/// The runs of non-blank lines of a text split into trimmed lines.
fn chunks<'a>(lines: &[&'a str]) -> Vec<Vec<&'a str>> {
    lines
        .split(|l| l.is_empty())
        .filter(|c| !c.is_empty())
        .map(<[&str]>::to_vec)
        .collect()
}

fn flush(current: &mut Vec<(usize, &str)>, out: &mut Vec<RawPara>) {
    if current.is_empty() {
        return;
    }
    let lines = [current[0].0, current[current.len() - 1].0];
    let joined = current
        .iter()
        .map(|(_, l)| *l)
        .fold(String::new(), |acc, l| {
            if acc.is_empty() {
                l.to_owned()
            } else {
                glue(&acc, l)
            }
        });
    current.clear();
    if let Some(para) = parse_paragraph(&joined, lines) {
        out.push(para);
    }
}

fn parse_paragraph(raw: &str, lines: [usize; 2]) -> Option<RawPara> {
    let mut mark = Mark::default();
    let mut body = raw;
    if let Some((level, rest)) = md_heading(body) {
        mark.md_level = Some(level);
        body = rest;
    } else if is_bullet_line(body) {
        mark.bullet = true;
        body = body[body.find(char::is_whitespace).unwrap_or(0)..].trim_start();
    }
    let body = body.trim();
    mark.bold = body.len() > 4
        && body.starts_with("**")
        && body.ends_with("**")
        && !body[2..body.len() - 2].contains("**");
    let text = strip_markup(body);
    (!text.is_empty()).then_some(RawPara { text, mark, lines })
}

/// `# Title`, `## Section`: the depth and the text after the hashes.
fn md_heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    let rest = &line[hashes..];
    ((1..=6).contains(&hashes) && rest.starts_with(' ')).then(|| (hashes as u8, rest.trim()))
}

fn is_bullet_line(line: &str) -> bool {
    let mut chars = line.chars();
    matches!(
        (chars.next(), chars.next()),
        (Some('-' | '•' | '*' | '–' | '·' | '▪'), Some(' ' | '\t'))
    )
}

/// Removes emphasis and superscript markup and collapses white space.
pub fn strip_markup(text: &str) -> String {
    static SUPERSCRIPT: OnceLock<Regex> = OnceLock::new();
    static ITALIC: OnceLock<Regex> = OnceLock::new();
    let sup = SUPERSCRIPT
        .get_or_init(|| Regex::new(r"\^\{([^}]*)\}|\^(\p{L}{1,4})\b").expect("valid regex"));
    let ital =
        ITALIC.get_or_init(|| Regex::new(r"\*([^*\s](?:[^*]*[^*\s])?)\*").expect("valid regex"));
    let text = sup.replace_all(text, "$1$2");
    let text = text.replace("**", "");
    let text = ital.replace_all(&text, "$1");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Joins two pieces of one paragraph cut at a line, column or page end. A hyphen between two
/// lower-case letters was a word split and goes; a hyphen before a coordinating word
/// (`terug- en`) is a suspended compound and stays with a space; a hyphen after a capital
/// or digit (`EU-`) stays without a space.
pub fn glue(left: &str, right: &str) -> String {
    let (left, right) = (left.trim_end(), right.trim_start());
    if let Some(stem) = left.strip_suffix('-') {
        let before = stem.chars().last();
        let after = right.chars().next();
        let next_word = right.split_whitespace().next().unwrap_or("");
        if let (Some(b), Some(a)) = (before, after) {
            if b.is_alphanumeric() && a.is_alphabetic() && !is_coordinating(next_word) {
                return if b.is_lowercase() && a.is_lowercase() {
                    format!("{stem}{right}")
                } else {
                    format!("{left}{right}")
                };
            }
        }
    }
    format!("{left} {right}")
}

fn is_coordinating(word: &str) -> bool {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            include_str!("../../data/suspended-hyphen.txt")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect()
        })
        .contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bullets_bold_titles_and_superscripts() {
        let text = "**66^e gemeenschappelijk verslag\nover de Benelux**\n\n- **Benelux-Top**\n\n• Benelux-Slovenië bijeenkomst\n\nDe *Benelux Steering Group* kwam op 1^{er} mei bijeen.";
        let paras = paragraphs(text);
        assert_eq!(paras.len(), 4, "{paras:?}");
        assert_eq!(
            paras[0].text,
            "66e gemeenschappelijk verslag over de Benelux"
        );
        assert!(paras[0].mark.bold && !paras[0].mark.bullet);
        assert_eq!(paras[0].lines, [1, 2]);
        assert_eq!(paras[1].text, "Benelux-Top");
        assert!(paras[1].mark.bullet && paras[1].mark.bold);
        assert_eq!(paras[2].text, "Benelux-Slovenië bijeenkomst");
        assert!(paras[2].mark.bullet && !paras[2].mark.bold);
        assert_eq!(
            paras[3].text,
            "De Benelux Steering Group kwam op 1er mei bijeen."
        );
        assert_eq!(paras[3].lines, [8, 8]);
    }

    fn texts(text: &str) -> Vec<String> {
        paragraphs(text).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn a_file_one_sentence_per_line_gives_a_paragraph_per_line() {
        let fr = "LIVRE I\nChapitre premier\nEmma était belle et riche.\n\
                  « Pauvre Mlle Taylor ! » dit son père.\nElle ne répondit rien…\n\
                  Il faisait froid ce soir-là ; la neige tombait.";
        assert_eq!(
            texts(fr),
            [
                "LIVRE I",
                "Chapitre premier",
                "Emma était belle et riche.",
                "« Pauvre Mlle Taylor ! » dit son père.",
                "Elle ne répondit rien…",
                "Il faisait froid ce soir-là ; la neige tombait."
            ]
        );
        let de = "Erstes Kapitel\nDer Morgen war kalt.\n„Komm herein!“\nEr kam nicht.";
        assert_eq!(texts(de).len(), 4);
        let nl = "Inleiding\nDit verslag geeft een overzicht.\nDe ministers kwamen bijeen.\n\
                  Ministerieel niveau\nDe regeringsleiders spraken over de\n\
                  samenwerking.";
        assert_eq!(
            texts(nl),
            [
                "Inleiding",
                "Dit verslag geeft een overzicht.",
                "De ministers kwamen bijeen.",
                "Ministerieel niveau",
                "De regeringsleiders spraken over de samenwerking."
            ]
        );
        assert_eq!(paragraphs(nl)[4].lines, [5, 6]);
    }

    #[test]
    fn hard_wrapped_text_is_still_joined() {
        let en = "The ministers met in Brussels on 21 March to discuss the situation in\n\
                  Ukraine and the support the three countries give. They agreed on a\n\
                  common declaration, which the Prime Ministers signed in The Hague in\n\
                  April. The next meeting will be held in Luxembourg.\n\
                  \n\
                  Cooperation with the Baltic states went on as every year, with two\n\
                  meetings of the senior officials.";
        assert_eq!(texts(en).len(), 2, "{:?}", texts(en));
        let fr = "Les ministres se sont réunis le 21 mars à Bruxelles pour discuter de\n\
                  la situation en Ukraine. Ils ont adopté une déclaration commune que\n\
                  les Premiers ministres ont signée à La Haye au mois d'avril suivant.";
        assert_eq!(texts(fr).len(), 1);
    }

    #[test]
    fn blank_line_separated_text_is_unchanged() {
        let text =
            "**BENELUX\nASSEMBLEE**\n\nInleiding\n\nDit verslag geeft een overzicht van de\n\
                    samenwerking.\n\n- punt een\n- punt twee\n\nDe ministers kwamen bijeen.";
        assert_eq!(
            texts(text),
            [
                "BENELUX ASSEMBLEE",
                "Inleiding",
                "Dit verslag geeft een overzicht van de samenwerking.",
                "punt een",
                "punt twee",
                "De ministers kwamen bijeen."
            ]
        );
    }

    #[test]
    fn a_single_line_or_only_headings_read_as_before() {
        assert_eq!(
            texts("Een enkele regel zonder punt"),
            ["Een enkele regel zonder punt"]
        );
        // Short unpunctuated lines of one width tell nothing: joined, as a title is.
        assert_eq!(
            texts("ASSEMBLEE\nINTERPARLEMENTAIRE\nBENELUX"),
            ["ASSEMBLEE INTERPARLEMENTAIRE BENELUX"]
        );
        // Markdown headings and items keep their own lines.
        assert_eq!(
            texts("# Titel\n## Deel\n- een\n- twee"),
            ["Titel", "Deel", "een", "twee"]
        );
    }

    #[test]
    fn reads_markdown_headings() {
        let paras = paragraphs("# Titel\n## Inleiding\nTekst hier.\n### Sub");
        let levels: Vec<_> = paras.iter().map(|p| p.mark.md_level).collect();
        assert_eq!(levels, [Some(1), Some(2), None, Some(3)]);
        assert_eq!(paras[2].text, "Tekst hier.");
    }

    #[test]
    fn glues_split_words_and_keeps_real_hyphens() {
        assert_eq!(glue("de verde-", "ling van"), "de verdeling van");
        assert_eq!(glue("de terug-", "en overname"), "de terug- en overname");
        assert_eq!(glue("de EU-", "landen"), "de EU-landen");
        assert_eq!(glue("en van de", "voorzitter"), "en van de voorzitter");
        assert_eq!(
            glue("Benelux -", "Grande Région"),
            "Benelux - Grande Région"
        );
    }
}
