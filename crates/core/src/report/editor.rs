//! The editor's additions to the review page, rendered only by [`super::editor_page`]:
//! the body's `data-editable` flag and version, the "not yet approved" filter, the progress
//! count, the toolbar with its keyboard shortcuts, approved rows, decisions on findings, and
//! corrections shown as a word diff. The page's script posts edits to `/api/edits` and
//! reloads: everything shown is rendered here, from the same data the API serves.

use std::fmt::Write as _;

use super::escape;
use crate::edit::diff::{self, Piece};
use crate::edit::{Review, Status};

pub(super) const STYLE: &str = include_str!("editor.css");
pub(super) const SCRIPT: &str = include_str!("editor.js");

/// What the page needs to know about the review.
pub(super) struct Editing<'a> {
    /// The version to send back with edits.
    pub version: u64,
    /// The review shown.
    pub review: &'a Review,
    /// Each bead's section (source heading block index).
    pub sections: Vec<Option<usize>>,
    /// Whether undo is possible.
    pub can_undo: bool,
    /// Whether redo is possible.
    pub can_redo: bool,
}

/// The keyboard shortcuts, as listed on the page: key, what it does.
pub(super) const KEYS: &[(&str, &str)] = &[
    ("j / ↓", "next bead"),
    ("k / ↑", "previous bead"),
    ("m", "merge with the next bead"),
    ("s", "split the bead"),
    (
        "[ / ]",
        "move a left-side sentence to the previous / next bead",
    ),
    (
        "{ / }",
        "move a right-side sentence to the previous / next bead",
    ),
    ("n", "no counterpart (n:0 + 0:m)"),
    ("e", "correct a sentence's text"),
    ("a", "approve / unapprove the bead"),
    ("A", "approve the whole section"),
    ("c", "confirm the bead's next finding"),
    ("d", "dismiss it as a false alarm (with a reason)"),
    ("f", "mark it fixed"),
    ("u", "undo"),
    ("r", "redo"),
    ("Esc", "close the form"),
];

pub(super) fn body_tag(html: &mut String, e: &Editing) {
    let _ = writeln!(
        html,
        "<body data-editable=\"true\" data-version=\"{}\" data-langs=\"{}\">",
        e.version,
        e.review.bitext.langs().map(|l| l.to_string()).join(" ")
    );
}

/// The editor's filter, inside the filters form.
pub(super) fn controls(html: &mut String, _e: &Editing) {
    html.push_str(
        "<label><input type=\"checkbox\" id=\"only-unapproved\"> only beads not yet approved</label>\n",
    );
}

/// Progress, buttons (each with its key), the form for split/correct/dismiss, the status line.
pub(super) fn toolbar(html: &mut String, e: &Editing) {
    let approved = e.review.approved.iter().filter(|a| **a).count();
    let _ = write!(
        html,
        "<div id=\"editor\"><p><span id=\"progress\"><b id=\"approved-count\">{approved}</b> / <span id=\"bead-count\">{}</span> beads approved</span>",
        e.review.approved.len()
    );
    let buttons = [
        ("m", "Merge"),
        ("s", "Split"),
        ("[", "◂ left"),
        ("]", "left ▸"),
        ("{", "◂ right"),
        ("}", "right ▸"),
        ("n", "No counterpart"),
        ("e", "Correct"),
        ("a", "Approve"),
        ("A", "Approve section"),
        ("c", "Confirm"),
        ("d", "Dismiss"),
        ("f", "Fixed"),
    ];
    for (key, label) in buttons {
        let _ = write!(
            html,
            " <button type=\"button\" data-key=\"{}\" title=\"key {}\">{label}</button>",
            escape(key),
            escape(key)
        );
    }
    let disabled = |on: bool| if on { "" } else { " disabled" };
    let _ = writeln!(
        html,
        " <button type=\"button\" data-key=\"u\" title=\"key u\"{}>Undo</button> <button type=\"button\" data-key=\"r\" title=\"key r\"{}>Redo</button></p>",
        disabled(e.can_undo),
        disabled(e.can_redo)
    );
    html.push_str("<form id=\"edit-form\" hidden><b id=\"edit-label\"></b> <span id=\"edit-fields\"></span> <button type=\"submit\">OK (Enter)</button> <button type=\"button\" id=\"edit-cancel\">Cancel (Esc)</button></form>\n<p id=\"status\" role=\"status\"></p>\n<details id=\"keys\"><summary>Keyboard shortcuts</summary><dl>");
    for (key, what) in KEYS {
        let _ = write!(
            html,
            "<dt><kbd>{}</kbd></dt><dd>{}</dd>",
            escape(key),
            escape(what)
        );
    }
    html.push_str("</dl></details></div>\n");
}

/// A bead row's opening: index, shape, section, approval.
pub(super) fn row_start(html: &mut String, e: &Editing, i: usize, ids: &str, shape: &str) {
    let approved = e.review.approved.get(i).copied().unwrap_or(false);
    let section = e
        .sections
        .get(i)
        .copied()
        .flatten()
        .map_or_else(|| "none".to_owned(), |s| s.to_string());
    let _ = write!(
        html,
        "<tr id=\"b{i}\" data-f=\"{ids}\" data-bead=\"{i}\" data-section=\"{section}\"{} tabindex=\"-1\"><td class=\"n\">{i}<br><small>{shape}</small>{}</td>",
        if approved { " class=\"approved\"" } else { "" },
        if approved { "<br><span class=\"ok\" title=\"approved\">✓</span>" } else { "" }
    );
}

/// The decision about finding `k`, as markup inside its list item.
pub(super) fn decision(e: &Editing, k: usize) -> String {
    match e.review.decisions.get(&k) {
        None => " <span class=\"decision\" data-status=\"open\"></span>".to_owned(),
        Some(d) => {
            let status = match d.status {
                Status::Confirmed => "confirmed",
                Status::Dismissed => "dismissed",
                Status::Fixed => "fixed",
            };
            let reason = if d.reason.is_empty() {
                String::new()
            } else {
                format!(": {}", escape(&d.reason))
            };
            format!(" <span class=\"decision {status}\" data-status=\"{status}\">{status}{reason}</span>")
        }
    }
}

/// A corrected sentence: the words removed struck through, the words added underlined.
pub(super) fn diff(html: &mut String, original: &str, corrected: &str) {
    html.push_str("<span class=\"corrected\">");
    for piece in diff::words(original, corrected) {
        match piece {
            Piece::Same(t) => html.push_str(&escape(t)),
            Piece::Removed(t) => {
                let _ = write!(html, "<del>{}</del>", escape(t));
            }
            Piece::Added(t) => {
                let _ = write!(html, "<ins>{}</ins>", escape(t));
            }
        }
    }
    html.push_str("</span>");
}
