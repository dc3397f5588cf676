//! Tiny PDFs written by hand for tests of the PDF reader: text lines placed at given
//! positions in Courier (fixed widths, so every reader places them alike), an encrypted
//! variant, and pages with no text.

/// One line of text on a page: left edge and top in points from the page's top-left corner,
/// font size, bold, and the text (Latin-1 characters).
#[derive(Clone, Debug)]
pub struct TextLine {
    /// Left edge in points.
    pub x: f32,
    /// Top of the line in points, from the top of the page.
    pub y: f32,
    /// Font size in points.
    pub size: f32,
    /// Courier-Bold instead of Courier.
    pub bold: bool,
    /// The text.
    pub text: String,
}

impl TextLine {
    /// A 10-point regular line.
    pub fn new(x: f32, y: f32, text: &str) -> TextLine {
        TextLine {
            x,
            y,
            size: 10.0,
            bold: false,
            text: text.into(),
        }
    }
}

/// An A4 PDF with one page per entry of `pages`.
pub fn pdf(pages: &[Vec<TextLine>]) -> Vec<u8> {
    write(pages, false)
}

/// The same PDF with an `/Encrypt` dictionary whose user password is not empty.
pub fn encrypted_pdf(pages: &[Vec<TextLine>]) -> Vec<u8> {
    write(pages, true)
}

/// Lays paragraphs out in a column from `x`, `width` characters wide, from `top` down
/// (12 points a line, a blank line between paragraphs).
pub fn column(paragraphs: &[&str], x: f32, top: f32, width: usize) -> Vec<TextLine> {
    let mut lines = Vec::new();
    let mut y = top;
    for para in paragraphs {
        let mut current = String::new();
        for word in para.split_whitespace() {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
                lines.push(TextLine::new(x, y, &current));
                y += 12.0;
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        if !current.is_empty() {
            lines.push(TextLine::new(x, y, &current));
            y += 12.0;
        }
        y += 12.0;
    }
    lines
}

const HEIGHT: f32 = 842.0;

fn write(pages: &[Vec<TextLine>], encrypted: bool) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = Vec::new();
    // 1 catalog, 2 pages, 3 Courier, 4 Courier-Bold, then page + content pairs.
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 5 + 2 * i))
        .collect();
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
    );
    for name in ["Courier", "Courier-Bold"] {
        let widths = vec!["600"; 224].join(" ");
        objects.push(format!("<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [{widths}] >>").into_bytes());
    }
    for (i, lines) in pages.iter().enumerate() {
        objects.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 {HEIGHT}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>", 6 + 2 * i).into_bytes());
        let content = content_stream(lines);
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend(content);
        stream.extend(b"\nendstream");
        objects.push(stream);
    }
    if encrypted {
        objects.push(
            format!(
                "<< /Filter /Standard /V 1 /R 2 /O <{}> /U <{}> /P -44 >>",
                "4f".repeat(32),
                "a5".repeat(32)
            )
            .into_bytes(),
        );
    }
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").into_bytes());
    }
    let encrypt = if encrypted {
        format!(
            " /Encrypt {} 0 R /ID [<{id}> <{id}>]",
            objects.len(),
            id = "0123456789abcdef0123456789abcdef"
        )
    } else {
        String::new()
    };
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R{encrypt} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    out
}

fn content_stream(lines: &[TextLine]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        let font = if line.bold { "F2" } else { "F1" };
        let baseline = HEIGHT - line.y - line.size * 0.8;
        out.extend(
            format!(
                "BT /{font} {} Tf 1 0 0 1 {:.2} {:.2} Tm (",
                line.size, line.x, baseline
            )
            .into_bytes(),
        );
        for c in line.text.chars() {
            match c {
                '(' | ')' | '\\' => {
                    out.push(b'\\');
                    out.push(c as u8);
                }
                c if (c as u32) < 256 => out.push(c as u8),
                '’' => out.push(0x92),
                '–' => out.push(0x96),
                '—' => out.push(0x97),
                '•' => out.push(0x95),
                _ => out.push(b'?'),
            }
        }
        out.extend(b") Tj ET\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_pdf_with_a_valid_cross_reference_table() {
        let bytes = pdf(&[vec![TextLine::new(50.0, 50.0, "Hello (world)")]]);
        assert!(bytes.starts_with(b"%PDF-1.4"));
        let text = String::from_utf8_lossy(&bytes);
        let at = bytes
            .windows(10)
            .rposition(|w| w == b"startxref\n")
            .unwrap()
            + 10;
        let xref: usize = String::from_utf8_lossy(&bytes[at..])
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(bytes[xref..].starts_with(b"xref"));
        assert!(text.contains("(Hello \\(world\\)) Tj"));
    }
}
