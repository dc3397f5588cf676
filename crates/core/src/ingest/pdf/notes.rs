//! Footnote calls: a raised number set after a word of the body (`Agreement¹`) and the
//! footnote of that number on the same page are linked. The call mark leaves the body text
//! (it is not part of the sentence, and glued to its word it reads as a misspelling), and
//! the note's own number leaves the note's text; both are kept as the note's label.

use std::collections::HashMap;

use super::layout::{starts_with_note_number, Para};
use crate::{Block, BlockKind, NoteLink};

/// Labels the footnotes with their numbers and takes out of the body lines the calls that
/// match a footnote of their page, recording them in [`Para::notes`].
pub fn link_calls(paras: &mut [Para]) {
    let mut labels: HashMap<u32, Vec<String>> = HashMap::new();
    for para in paras.iter_mut().filter(|p| p.footnote) {
        if let Some(label) = take_note_number(para) {
            labels.entry(para.page).or_default().push(label.clone());
            para.notes = vec![label];
        }
    }
    for para in paras.iter_mut().filter(|p| !p.footnote) {
        let on_page = labels.get(&para.page).map_or(&[][..], Vec::as_slice);
        for line in &mut para.lines {
            let mut found = Vec::new();
            for call in std::mem::take(&mut line.calls).into_iter().rev() {
                let label = line.text[call.clone()].to_owned();
                if on_page.contains(&label) {
                    line.text.replace_range(call, "");
                    found.push(label);
                }
            }
            para.notes.extend(found.into_iter().rev());
        }
    }
}

/// Takes the number off the start of a footnote's first line (`1The Agreement…`,
/// `1 The Agreement…`) and returns it.
fn take_note_number(para: &mut Para) -> Option<String> {
    let line = para.lines.first_mut()?;
    let text = line.text.trim_start();
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let rest = text[digits..].trim_start();
    let numbered = starts_with_note_number(text)
        || ((1..=3).contains(&digits)
            && text[digits..].starts_with(' ')
            && rest.chars().next().is_some_and(char::is_alphabetic));
    if !numbered {
        return None;
    }
    let label = text[..digits].to_owned();
    line.text = rest.to_owned();
    Some(label)
}

/// Sets [`Block::note`] on the footnote blocks of one language: the note's number, and the
/// block of `blocks` whose paragraphs call it on the note's page. `paras_of` gives each
/// block's paragraph indices.
pub fn link_blocks(blocks: &mut [Block], paras: &[Para], paras_of: &[Vec<usize>]) {
    let mut links = Vec::new();
    for (b, block) in blocks.iter().enumerate() {
        if block.kind != BlockKind::Footnote {
            continue;
        }
        let Some(&first) = paras_of[b].first() else {
            continue;
        };
        let Some(label) = paras[first].notes.first() else {
            continue;
        };
        let page = paras[first].page;
        let caller = blocks.iter().enumerate().find(|(c, other)| {
            other.kind != BlockKind::Footnote
                && paras_of[*c]
                    .iter()
                    .any(|&i| paras[i].page == page && paras[i].notes.contains(label))
        });
        links.push((
            b,
            NoteLink {
                label: label.clone(),
                called_from: caller.map(|(_, c)| c.id.clone()),
            },
        ));
    }
    for (b, link) in links {
        blocks[b].note = Some(link);
    }
}

#[cfg(test)]
mod tests {
    use super::super::layout::{Line, Side};
    use super::*;

    fn para(text: &str, calls: Vec<std::ops::Range<usize>>, footnote: bool) -> Para {
        Para {
            page: 1,
            region: 0,
            side: Side::Left,
            lines: vec![Line {
                text: text.to_owned(),
                bbox: [0.0; 4],
                size: 10.0,
                bold: false,
                first_word: 0.0,
                side: Side::Left,
                calls,
            }],
            footnote,
            notes: Vec::new(),
        }
    }

    #[test]
    fn a_call_with_a_note_on_its_page_leaves_the_text_and_others_stay() {
        let text = "the Karlsruhe Agreement1, and m2 of land";
        let call = text.find('1').unwrap();
        let area = text.find('2').unwrap();
        let mut paras = vec![
            para(text, vec![call..call + 1, area..area + 1], false),
            para("1The Agreement of 1996.", Vec::new(), true),
        ];
        link_calls(&mut paras);
        assert_eq!(
            paras[0].lines[0].text,
            "the Karlsruhe Agreement, and m2 of land"
        );
        assert_eq!(paras[0].notes, ["1"]);
        assert_eq!(paras[1].lines[0].text, "The Agreement of 1996.");
        assert_eq!(paras[1].notes, ["1"]);
    }
}
