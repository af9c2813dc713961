//! A sent version as a PDF a person can read and print: the title, the parties' version
//! line, the SHA-256 of the exact text on the first page and in every page's footer, and
//! the text itself in Courier (one of PDF's standard fonts, so nothing is embedded and
//! every reader shows it). Deterministic: the same version gives the same bytes.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const PAGE: (f32, f32) = (595.0, 842.0); // A4 in points
const MARGIN: f32 = 56.0;
const BODY_SIZE: f32 = 10.0;
const LEADING: f32 = 13.0;
/// Courier's advance is 0.6 em: 10 pt text fits this many characters between margins.
const COLUMNS: usize = ((PAGE.0 - 2.0 * MARGIN) / (0.6 * BODY_SIZE)) as usize;
const TOP: f32 = PAGE.1 - MARGIN;
const BOTTOM: f32 = 80.0;
const LINES_PER_PAGE: usize = ((TOP - BOTTOM) / LEADING) as usize;

/// What the PDF shows.
pub struct PdfDocument<'a> {
    pub title: &'a str,
    /// e.g. "Versão 2 · enviada em 21/11/2026 14:30 UTC · contrato 5f0c…".
    pub version_line: &'a str,
    pub body: &'a str,
    pub body_sha256: &'a str,
}

pub fn render(doc: &PdfDocument<'_>) -> Vec<u8> {
    let mut lines: Vec<(Style, String)> = vec![(Style::Title, doc.title.to_owned())];
    lines.extend(
        wrap(doc.version_line, COLUMNS)
            .into_iter()
            .map(|l| (Style::Body, l)),
    );
    lines.extend([
        (Style::Body, String::new()),
        (
            Style::Body,
            "SHA-256 do texto (UTF-8) / of the text:".to_owned(),
        ),
        (Style::Bold, doc.body_sha256.to_owned()),
        (Style::Body, "-".repeat(COLUMNS)),
        (Style::Body, String::new()),
    ]);
    lines.extend(
        wrap(doc.body, COLUMNS)
            .into_iter()
            .map(|l| (Style::Body, l)),
    );
    let pages: Vec<&[(Style, String)]> = lines.chunks(LINES_PER_PAGE).collect();

    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(first_page + 2 * i as i32))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(pages.len() as i32);
    for (font, name) in [(regular, "Courier"), (bold, "Courier-Bold")] {
        pdf.type1_font(font)
            .base_font(Name(name.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(info)
        .title(TextStr(doc.title))
        .producer(TextStr("Tribuna"));

    for (i, (page_lines, &id)) in pages.iter().zip(&page_ids).enumerate() {
        let content_id = Ref::new(id.get() + 1);
        let mut page = pdf.page(id);
        page.media_box(Rect::new(0.0, 0.0, PAGE.0, PAGE.1))
            .parent(tree)
            .contents(content_id);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), regular)
            .pair(Name(b"F2"), bold);
        page.finish();

        let mut c = Content::new();
        let mut y = TOP;
        for (style, text) in page_lines.iter() {
            let (font, size) = match style {
                Style::Title => (Name(b"F2"), 13.0),
                Style::Bold => (Name(b"F2"), BODY_SIZE),
                Style::Body => (Name(b"F1"), BODY_SIZE),
            };
            if !text.is_empty() {
                line(&mut c, font, size, MARGIN, y, text);
            }
            y -= LEADING;
        }
        let footer = format!(
            "Tribuna - página {} de {} - SHA-256 {}",
            i + 1,
            pages.len(),
            doc.body_sha256
        );
        line(&mut c, Name(b"F1"), 7.0, MARGIN, 40.0, &footer);
        pdf.stream(content_id, &c.finish());
    }
    pdf.finish()
}

#[derive(Clone, Copy)]
enum Style {
    Title,
    Bold,
    Body,
}

fn line(c: &mut Content, font: Name, size: f32, x: f32, y: f32, text: &str) {
    c.begin_text()
        .set_font(font, size)
        .next_line(x, y)
        .show(Str(&win_ansi(text)))
        .end_text();
}

/// Text in WinAnsiEncoding (the standard fonts' encoding): Latin-1 plus typographic
/// quotes and dashes, which covers Portuguese; anything else becomes '?'.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '\t' => b' ',
            _ => b'?',
        })
        .collect()
}

/// Breaks text into lines of at most `width` characters at spaces (a longer word is cut),
/// keeping the text's own line breaks and blank lines.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.lines() {
        let mut current = String::new();
        let mut len = 0;
        for word in paragraph.split(' ') {
            let mut word: Vec<char> = word.chars().collect();
            while word.len() > width {
                if len > 0 {
                    out.push(std::mem::take(&mut current));
                    len = 0;
                }
                out.push(word.drain(..width).collect());
            }
            let wlen = word.len();
            if len > 0 && len + 1 + wlen > width {
                out.push(std::mem::take(&mut current));
                len = 0;
            }
            if len > 0 {
                current.push(' ');
                len += 1;
            }
            current.extend(word);
            len += wlen;
        }
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_keeps_blank_lines() {
        let lines = wrap("um dois três quatro\n\ncinco", 9);
        assert_eq!(lines, ["um dois", "três", "quatro", "", "cinco"]);
        assert!(lines.iter().all(|l| l.chars().count() <= 9));
    }

    #[test]
    fn cuts_a_word_longer_than_a_line() {
        assert_eq!(wrap("ab abcdefghij", 4), ["ab", "abcd", "efgh", "ij"]);
    }

    #[test]
    fn portuguese_letters_are_latin_1() {
        assert_eq!(win_ansi("ção—x€"), [0xe7, 0xe3, b'o', 0x97, b'x', 0x80]);
        assert_eq!(win_ansi("日"), b"?");
    }

    #[test]
    fn long_texts_make_several_pages_and_the_same_input_the_same_bytes() {
        let body = "Cláusula de teste com texto suficiente. ".repeat(400);
        let doc = PdfDocument {
            title: "Contrato",
            version_line: "Versão 1",
            body: &body,
            body_sha256: &"ab".repeat(32),
        };
        let a = render(&doc);
        assert!(a.starts_with(b"%PDF-"));
        let count = String::from_utf8_lossy(&a)
            .split("/Count ")
            .nth(1)
            .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap();
        assert!(count >= 3, "{count} pages");
        assert_eq!(a, render(&doc));
    }
}
