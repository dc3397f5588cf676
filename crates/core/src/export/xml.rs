//! What the TMX and XLIFF writers and readers share: escaping, and a pull reader over
//! quick-xml that resolves entities, tracks line numbers and turns every XML error into an
//! [`Error::Malformed`] naming the line.

use std::borrow::Cow;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::{Error, Result};

/// Escapes text for element content (`&`, `<`, `>` only, so apostrophes and quotes stay
/// readable), dropping the characters XML 1.0 cannot carry at all (C0 controls other than tab
/// and line breaks, U+FFFE/U+FFFF).
pub(crate) fn esc(text: &str) -> Cow<'_, str> {
    escape_with(text, quick_xml::escape::partial_escape)
}

/// Escapes text for a double-quoted attribute value (all five predefined entities).
pub(crate) fn esc_attr(text: &str) -> Cow<'_, str> {
    escape_with(text, quick_xml::escape::escape)
}

fn escape_with<'a>(text: &'a str, escape: fn(Cow<'a, str>) -> Cow<'a, str>) -> Cow<'a, str> {
    let escaped = if text.chars().all(is_xml_char) {
        escape(Cow::Borrowed(text))
    } else {
        let kept: String = text.chars().filter(|&c| is_xml_char(c)).collect();
        escape(Cow::Owned(kept))
    };
    // A parser turns a raw carriage return into a line feed; a reference keeps it.
    if escaped.contains('\r') {
        Cow::Owned(escaped.replace('\r', "&#13;"))
    } else {
        escaped
    }
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The local name of the root element.
pub(crate) fn root_name(path: &Path, text: &str) -> Result<String> {
    let mut reader = XmlReader::new(path, text);
    loop {
        match reader.next()? {
            Node::Start(el) => return Ok(el.name),
            Node::Eof => return Err(reader.malformed_at_end("no root element")),
            _ => {}
        }
    }
}

/// A start (or empty) tag, with its attributes unescaped.
#[derive(Debug)]
pub(crate) struct Element {
    /// Local name (prefix dropped): `tu`, `seg`, `meta`.
    pub name: String,
    /// Attributes as (qualified name, value).
    pub attrs: Vec<(String, String)>,
    /// 1-based line of the tag.
    pub line: usize,
    /// `<x/>`: no content and no matching end tag will follow.
    pub empty: bool,
}

impl Element {
    /// The value of the attribute with qualified name `name` (e.g. `xml:lang`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the pull reader yields.
#[derive(Debug)]
pub(crate) enum Node {
    /// A start or empty tag.
    Start(Element),
    /// An end tag (local name); also sent after an empty tag so callers see one shape.
    End(String),
    /// Character data, entities resolved.
    Text(String),
    /// End of the document.
    Eof,
}

/// A pull reader that yields [`Node`]s and reports errors with the line.
pub(crate) struct XmlReader<'a> {
    path: &'a Path,
    text: &'a str,
    /// Byte offsets of the line feeds, to turn an offset into a line without rescanning.
    line_ends: Vec<usize>,
    reader: Reader<&'a [u8]>,
    depth: usize,
    pending_end: Option<String>,
}

impl<'a> XmlReader<'a> {
    /// Reads `text`; `path` names it in errors.
    pub fn new(path: &'a Path, text: &'a str) -> Self {
        let reader = Reader::from_str(text);
        let line_ends = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i)
            .collect();
        XmlReader {
            path,
            text,
            line_ends,
            reader,
            depth: 0,
            pending_end: None,
        }
    }

    /// The file being read.
    pub fn path(&self) -> &'a Path {
        self.path
    }

    /// The next node.
    pub fn next(&mut self) -> Result<Node> {
        if let Some(name) = self.pending_end.take() {
            return Ok(Node::End(name));
        }
        loop {
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let at = self.reader.error_position() as usize;
                    return Err(self.malformed(at, format!("malformed XML: {e}")));
                }
            };
            match event {
                Event::Start(e) => {
                    self.depth += 1;
                    return self.element(&e, false).map(Node::Start);
                }
                Event::Empty(e) => {
                    let el = self.element(&e, true)?;
                    self.pending_end = Some(el.name.clone());
                    return Ok(Node::Start(el));
                }
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(Node::End(e.local_name().into_inner().to_owned()));
                }
                Event::Text(t) => return Ok(Node::Text(t.xml10_content().into_owned())),
                Event::CData(t) => return Ok(Node::Text(t.xml10_content().into_owned())),
                Event::GeneralRef(r) => return self.entity(&r).map(Node::Text),
                Event::Eof if self.depth > 0 => {
                    return Err(self.malformed_at_end("the file ends inside an element"))
                }
                Event::Eof => return Ok(Node::Eof),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            }
        }
    }

    /// Collects the text inside the element just opened, up to its end tag, skipping the
    /// content of child elements for which `skip` is true (native codes in TMX, for example).
    pub fn text_until_end(&mut self, skip: &dyn Fn(&Element) -> bool) -> Result<String> {
        let mut text = String::new();
        let mut depth = 0usize;
        let mut skipping_from: Option<usize> = None;
        loop {
            match self.next()? {
                Node::Text(t) if skipping_from.is_none() => text.push_str(&t),
                Node::Text(_) => {}
                Node::Start(el) => {
                    depth += 1;
                    if skipping_from.is_none() && skip(&el) {
                        skipping_from = Some(depth);
                    }
                }
                Node::End(_) if depth == 0 => return Ok(text),
                Node::End(_) => {
                    if skipping_from == Some(depth) {
                        skipping_from = None;
                    }
                    depth -= 1;
                }
                Node::Eof => return Err(self.malformed_at_end("the file ends inside an element")),
            }
        }
    }

    /// 1-based line of byte `offset`.
    fn line(&self, offset: usize) -> usize {
        1 + self.line_ends.partition_point(|&end| end < offset)
    }

    /// An error at byte `offset`.
    pub fn malformed(&self, offset: usize, message: impl Into<String>) -> Error {
        Error::Malformed {
            path: self.path.into(),
            line: self.line(offset),
            message: message.into(),
        }
    }

    /// An error on line `line`.
    pub fn malformed_line(&self, line: usize, message: impl Into<String>) -> Error {
        Error::Malformed {
            path: self.path.into(),
            line,
            message: message.into(),
        }
    }

    fn malformed_at_end(&self, message: &str) -> Error {
        self.malformed(self.text.len(), message)
    }

    fn element(&self, e: &BytesStart, empty: bool) -> Result<Element> {
        // The reader has just passed the tag; its start is the last '<' before that point.
        let end = self.reader.buffer_position() as usize;
        let start = self.text[..end.min(self.text.len())]
            .rfind('<')
            .unwrap_or(0);
        let mut attrs = Vec::new();
        for attr in e.attributes() {
            let attr =
                attr.map_err(|err| self.malformed(start, format!("bad attribute: {err}")))?;
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| self.malformed(start, format!("bad attribute value: {err}")))?;
            attrs.push((attr.key.into_inner().to_owned(), value.into_owned()));
        }
        Ok(Element {
            name: e.local_name().into_inner().to_owned(),
            attrs,
            line: self.line(start),
            empty,
        })
    }

    fn entity(&self, r: &quick_xml::events::BytesRef) -> Result<String> {
        let at = self.reader.buffer_position() as usize;
        if let Some(c) = r
            .resolve_char_ref()
            .map_err(|e| self.malformed(at, format!("bad character reference: {e}")))?
        {
            return Ok(c.to_string());
        }
        match quick_xml::escape::resolve_xml_entity(r) {
            Some(s) => Ok(s.to_owned()),
            None => Err(self.malformed(at, format!("unknown entity &{};", &**r))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_characters_xml_cannot_carry() {
        assert_eq!(esc("5 & 6 < 7 \"x\" l'x"), "5 &amp; 6 &lt; 7 \"x\" l'x");
        assert_eq!(esc_attr("\"x\" l'x"), "&quot;x&quot; l&apos;x");
        assert_eq!(esc("a\u{1}b\u{FFFF}c"), "abc");
        assert_eq!(esc("a\r\nb"), "a&#13;\nb");
        assert_eq!(
            esc("Šefik Džaferović – l’énergie"),
            "Šefik Džaferović – l’énergie"
        );
    }

    #[test]
    fn reads_entities_cdata_and_lines() {
        let text = "<a>\n<b x=\"1 &amp; 2\">&lt;&#x160;&amp;<![CDATA[<i>]]></b></a>";
        let path = Path::new("t.xml");
        let mut r = XmlReader::new(path, text);
        let Node::Start(a) = r.next().unwrap() else {
            panic!()
        };
        assert_eq!((a.name.as_str(), a.line), ("a", 1));
        assert!(matches!(r.next().unwrap(), Node::Text(t) if t == "\n"));
        let Node::Start(b) = r.next().unwrap() else {
            panic!()
        };
        assert_eq!((b.attr("x"), b.line), (Some("1 & 2"), 2));
        assert_eq!(r.text_until_end(&|_| false).unwrap(), "<Š&<i>");
    }

    #[test]
    fn errors_name_the_line() {
        let path = Path::new("t.xml");
        let bad = "<a>\n<b>\n</c></a>";
        let mut r = XmlReader::new(path, bad);
        let err = loop {
            match r.next() {
                Err(e) => break e,
                Ok(Node::Eof) => panic!("no error"),
                Ok(_) => {}
            }
        };
        assert!(matches!(err, Error::Malformed { line: 3, .. }), "{err}");
        let unknown = "<a>\n&nbsp;</a>";
        let mut r = XmlReader::new(path, unknown);
        r.next().unwrap();
        r.next().unwrap();
        let err = r.next().unwrap_err();
        assert!(err.to_string().contains("&nbsp;"), "{err}");
        let truncated = "<a>\n<b>";
        assert!(matches!(
            root_name(path, "  \n  ").unwrap_err(),
            Error::Malformed { .. }
        ));
        let mut r = XmlReader::new(path, truncated);
        let err = loop {
            match r.next() {
                Err(e) => break e,
                Ok(Node::Eof) => panic!("no error"),
                Ok(_) => {}
            }
        };
        assert!(matches!(err, Error::Malformed { line: 2, .. }), "{err}");
    }
}
