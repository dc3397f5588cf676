//! `layout.html`: each page of a PDF input drawn as an SVG over the page outline, so that a
//! user sees at a glance what was read where: the column regions (dashed), each paragraph's
//! box coloured by language and outlined by kind (with its block id and text on hover), and
//! the running heads, feet and folios taken out (grey, hatched). One static file, text
//! escaped.

use std::fmt::Write as _;

use super::escape;
use crate::ingest::pdf::{BoxMap, LayoutMap, PageMap};

/// Fill colours given to languages in order of appearance.
const COLOURS: [&str; 4] = ["#4e79a7", "#e15759", "#59a14f", "#b07aa1"];

const STYLE: &str = "body{font:14px system-ui,sans-serif;margin:1em;background:#f4f4f4}\
h1{font-size:1.2em}.page{display:inline-block;margin:0 1em 1em 0;vertical-align:top}\
.page figcaption{font-size:.85em;color:#555}svg{background:#fff;box-shadow:0 0 3px #999}\
.col{fill:none;stroke:#888;stroke-dasharray:4 3}.b{fill-opacity:.25;stroke-width:1}\
.heading,.title{stroke-width:2.5}.footnote{stroke-dasharray:2 2}.item{stroke-dasharray:6 2}\
.removed{fill:url(#hatch);stroke:#999}.legend span{display:inline-block;margin-right:1em}\
.legend i{display:inline-block;width:1em;height:1em;margin-right:.3em;vertical-align:middle}";

/// Builds the page.
pub fn layout_page(map: &LayoutMap) -> String {
    let mut langs: Vec<&str> = Vec::new();
    for b in map.pages.iter().flat_map(|p| &p.boxes) {
        if !b.lang.is_empty() && !langs.contains(&b.lang.as_str()) {
            langs.push(&b.lang);
        }
    }
    let colour = |lang: &str| {
        langs
            .iter()
            .position(|l| *l == lang)
            .map_or("#999", |i| COLOURS[i % COLOURS.len()])
    };
    let mut html = String::with_capacity(map.pages.len() * 8_000 + 2_000);
    let title = format!("diptych layout: {}", map.file);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"legend\">",
        escape(&title),
        escape(&title)
    );
    for lang in &langs {
        let _ = write!(
            html,
            "<span><i style=\"background:{}\"></i>{}</span>",
            colour(lang),
            escape(lang)
        );
    }
    html.push_str("<span><i style=\"background:#ccc\"></i>removed (running head, foot, folio)</span> <span>dashed: column regions; thick outline: heading or title</span></p>\n");
    for (page, chars) in &map.undecoded {
        let _ = writeln!(
            html,
            "<p class=\"legend\">Page {page}: {chars} characters left out: their font's codes could not be read as text.</p>"
        );
    }
    for page in &map.pages {
        page_svg(&mut html, page, &colour);
    }
    html.push_str("</body>\n</html>\n");
    html
}

fn page_svg(html: &mut String, page: &PageMap, colour: &dyn Fn(&str) -> &'static str) {
    let scale = 400.0 / page.width.max(1.0);
    let _ = write!(
        html,
        "<figure class=\"page\" id=\"p{n}\"><svg width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {pw:.1} {ph:.1}\">\
<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
<rect width=\"6\" height=\"6\" fill=\"#eee\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#aaa\" stroke-width=\"2\"/></pattern></defs>\
<rect x=\"0\" y=\"0\" width=\"{pw:.1}\" height=\"{ph:.1}\" fill=\"none\" stroke=\"#333\"/>",
        n = page.number,
        w = page.width * scale,
        h = page.height * scale,
        pw = page.width,
        ph = page.height
    );
    for (side, r) in &page.columns {
        let _ = write!(
            html,
            "<rect class=\"col\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>column: {}</title></rect>",
            r[0] - 2.0,
            r[1] - 2.0,
            r[2] - r[0] + 4.0,
            r[3] - r[1] + 4.0,
            escape(side)
        );
    }
    for b in &page.boxes {
        let c = colour(&b.lang);
        rect(html, b, &format!("b {}", b.kind), Some(c));
    }
    for b in &page.removed {
        rect(html, b, "removed", None);
    }
    let _ = writeln!(
        html,
        "</svg><figcaption>page {} · {} blocks · {} removed</figcaption></figure>",
        page.number,
        page.boxes.len(),
        page.removed.len()
    );
}

fn rect(html: &mut String, b: &BoxMap, class: &str, fill: Option<&str>) {
    let style = fill.map_or(String::new(), |c| format!(" fill=\"{c}\" stroke=\"{c}\""));
    let label = if b.block.is_empty() {
        format!("{}: {}", b.kind, b.text)
    } else {
        format!("{} {} {}: {}", b.block, b.lang, b.kind, b.text)
    };
    let _ = write!(
        html,
        "<rect class=\"{}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"{style}><title>{}</title></rect>",
        escape(class),
        b.bbox[0],
        b.bbox[1],
        (b.bbox[2] - b.bbox[0]).max(1.0),
        (b.bbox[3] - b.bbox[1]).max(1.0),
        escape(&label)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_pages_boxes_and_removed_lines_escaped() {
        let map = LayoutMap {
            file: "a<b>.pdf".into(),
            pages: vec![PageMap {
                number: 1,
                width: 595.0,
                height: 842.0,
                columns: vec![("left".into(), [50.0, 80.0, 290.0, 700.0])],
                boxes: vec![BoxMap {
                    bbox: [50.0, 80.0, 290.0, 120.0],
                    lang: "nl".into(),
                    kind: "heading".into(),
                    block: "nl-b1".into(),
                    text: "<script>x</script>".into(),
                }],
                removed: vec![BoxMap {
                    bbox: [50.0, 20.0, 500.0, 30.0],
                    kind: "removed".into(),
                    text: "STAATSBLAD 149".into(),
                    ..BoxMap::default()
                }],
            }],
            undecoded: vec![(1, 70)],
        };
        let html = layout_page(&map);
        assert!(html.contains("a&lt;b&gt;.pdf"));
        assert!(!html.contains("<script>x"));
        assert!(html.contains("class=\"b heading\""));
        assert!(html.contains("class=\"removed\""));
        assert!(html.contains("nl-b1 nl heading"));
        assert!(html.contains("Page 1: 70 characters left out"));
    }
}
