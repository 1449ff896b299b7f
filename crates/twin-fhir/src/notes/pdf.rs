//! The text layer of a PDF note (an echo report or clinic letter a system "printed" to PDF),
//! read with `lopdf`, bounded so that a hostile or broken file cannot hang or exhaust a fetch.
//!
//! Only text a PDF carries as text is read: a scan has none, and we say so rather than guess
//! (no OCR). Lines a producer wrapped inside a paragraph are joined by turning the line break
//! into a space, one byte for one byte, so every offset into [`PdfText::text`] is also an offset
//! into the text as extracted; facts' spans and sentences point into it.

use std::ops::Range;

use lopdf::{Document, LoadOptions};

/// The largest PDF we open, bytes. A text-layer letter or echo report is 2–300 kB (embedded
/// fonts and a letterhead logo included; the fixtures are 1–30 kB); 16 MiB admits a long
/// discharge summary with images, and bounds what one attachment can make us parse.
pub const MAX_PDF_BYTES: usize = 16 * 1024 * 1024;

/// The most pages we read: a long discharge summary runs to 20–30 pages.
pub const MAX_PAGES: usize = 100;

/// The most one page's content (or one font's map, or one object stream) may decompress to,
/// bytes. A page of text is 5–50 kB of drawing operators; 8 MiB is over a hundred times that
/// and stops a small compressed stream from inflating to gigabytes (a "decompression bomb").
pub const MAX_STREAM_BYTES: usize = 8 * 1024 * 1024;

/// The most text we keep, bytes: the same ceiling as a plain-text note (about 20 long letters).
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// Why a PDF was not read, in words a clinician can act on (no PHI: the reasons name no text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// Over [`MAX_PDF_BYTES`].
    #[error("the PDF is {bytes} bytes, over the {MAX_PDF_BYTES}-byte limit; it was not read")]
    TooLarge {
        /// The file's size.
        bytes: usize,
    },
    /// Over [`MAX_PAGES`].
    #[error("the PDF has more than {MAX_PAGES} pages; it was not read")]
    TooManyPages,
    /// Its text is over [`MAX_TEXT_BYTES`].
    #[error("the PDF's text is over the {MAX_TEXT_BYTES}-byte limit; it was not read")]
    TooMuchText,
    /// Encrypted with a password we do not have (one that opens without a password is read).
    #[error("the PDF is password-protected; it was not read")]
    PasswordProtected,
    /// Pages but no text on any of them: a scan or a picture of a letter.
    #[error("the PDF has no text layer (a scan?); it was not read")]
    NoTextLayer,
    /// Not a PDF, cut short in transfer, or damaged inside.
    #[error("the PDF is damaged or cut short ({0}); it was not read")]
    Damaged(Damage),
}

/// What is wrong with a damaged PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// It does not start with the `%PDF-` header.
    NotAPdf,
    /// No end-of-file marker in its last kilobyte: the file was cut short.
    Truncated,
    /// The structure did not parse.
    Unparseable,
    /// It parsed but has no pages.
    NoPages,
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Damage::NotAPdf => "not a PDF file",
            Damage::Truncated => "the file ends early",
            Damage::Unparseable => "its structure cannot be read",
            Damage::NoPages => "it has no pages",
        })
    }
}

/// A PDF's text, page after page, with where each page lies in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfText {
    /// The text, pages joined by a line break; lines wrapped within a paragraph joined by a space.
    pub text: String,
    /// Byte range of each page in [`PdfText::text`], page 1 first.
    pub pages: Vec<Range<usize>>,
    /// Pages (1-based) whose content could not be read; the rest of the text is still given.
    pub unreadable_pages: Vec<u32>,
}

impl PdfText {
    /// The page (1-based) that holds byte `offset` of the text.
    pub fn page_at(&self, offset: usize) -> u32 {
        let index = self.pages.partition_point(|page| page.start <= offset).saturating_sub(1);
        u32::try_from(index + 1).unwrap_or(u32::MAX)
    }
}

/// The text of a PDF file, or why it was not read.
pub fn text_of(bytes: &[u8]) -> Result<PdfText, PdfError> {
    if bytes.len() > MAX_PDF_BYTES {
        return Err(PdfError::TooLarge { bytes: bytes.len() });
    }
    // PDF 32000-1 §7.5.2: the header is on the first line (readers accept it within the first
    // kilobyte); §7.5.5: the file ends with %%EOF, which readers look for in the last kilobyte.
    if find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_none() {
        return Err(PdfError::Damaged(Damage::NotAPdf));
    }
    if find(&bytes[bytes.len().saturating_sub(1024)..], b"%%EOF").is_none() {
        return Err(PdfError::Damaged(Damage::Truncated));
    }
    let options = LoadOptions { max_decompressed_size: Some(MAX_STREAM_BYTES), ..LoadOptions::default() };
    let document = match Document::load_mem_with_options(bytes, options) {
        Ok(document) => document,
        Err(_) if find(bytes, b"/Encrypt").is_some() => return Err(PdfError::PasswordProtected),
        Err(_) => return Err(PdfError::Damaged(Damage::Unparseable)),
    };
    // Loading decrypts a file that opens with the empty user password; one that needs a
    // password stays encrypted, with no decryption state.
    if document.is_encrypted() && !document.was_encrypted() {
        return Err(PdfError::PasswordProtected);
    }
    // Counting stops one past the limit, so a huge or looping page tree is not walked whole.
    let n_pages = document.page_iter().take(MAX_PAGES + 1).count();
    if n_pages == 0 {
        return Err(PdfError::Damaged(Damage::NoPages));
    }
    if n_pages > MAX_PAGES {
        return Err(PdfError::TooManyPages);
    }
    let page_numbers = 1..=u32::try_from(n_pages).unwrap_or(u32::MAX);
    let mut text = String::new();
    let mut pages = Vec::with_capacity(n_pages);
    let mut unreadable_pages = Vec::new();
    for number in page_numbers {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        let start = text.len();
        let mut failed = false;
        for chunk in document.extract_text_chunks_with_limit(&[number], MAX_STREAM_BYTES) {
            match chunk {
                Ok(chunk) => text.push_str(&chunk),
                Err(_) => failed = true,
            }
            if text.len() > MAX_TEXT_BYTES {
                return Err(PdfError::TooMuchText);
            }
        }
        if failed && text[start..].trim().is_empty() {
            unreadable_pages.push(number);
        }
        pages.push(start..text.len());
    }
    if text.trim().is_empty() {
        return Err(if unreadable_pages.is_empty() {
            PdfError::NoTextLayer
        } else {
            PdfError::Damaged(Damage::Unparseable)
        });
    }
    join_wrapped_lines(&mut text);
    Ok(PdfText { text, pages, unreadable_pages })
}

/// Turns a line break inside a paragraph into a space (same length, so offsets hold). A break
/// is inside a paragraph when the line does not end a sentence or a heading (`.`, `:`, `;`,
/// `!`, `?`) and either the next line starts in lower case or a digit ("ejection fraction /
/// was estimated", "estimated at / 30 %"), or the line is a full one (at least 80 % of the
/// longest line: the producer wrapped it; a heading is usually shorter). Short lines (list
/// items, "NYHA III", a salutation) keep their breaks: the note reader ends a sentence at each.
fn join_wrapped_lines(text: &mut String) {
    let longest = text.split('\n').map(|line| line.trim_end().chars().count()).max().unwrap_or(0);
    let mut joins = Vec::new();
    let mut offset = 0;
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        let end = offset + line.len();
        if let Some(next) = lines.peek() {
            let body = line.trim_end();
            let ends_clause = body.ends_with(['.', ':', ';', '!', '?']) || body.is_empty();
            let next_continues = next.trim_start().starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit());
            let full = body.chars().count() * 10 >= longest * 8;
            if !ends_clause && !next.trim().is_empty() && (next_continues || full) {
                joins.push(end);
            }
        }
        offset = end + 1;
    }
    // Each position holds '\n' and becomes ' ', both ASCII, so the bytes stay UTF-8.
    let mut bytes = std::mem::take(text).into_bytes();
    for at in joins {
        bytes[at] = b' ';
    }
    *text = String::from_utf8(bytes).unwrap_or_default();
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_join_and_list_lines_stay() {
        let mut text = String::from(
            "Dear Dr Example,\nThe ejection fraction\nwas estimated at\n30 % today, and the valve was reviewed by the team\n\
             Aortic stenosis is mild.\nDiagnoses:\nNYHA III\nHFrEF",
        );
        let before = text.len();
        join_wrapped_lines(&mut text);
        assert_eq!(text.len(), before);
        assert_eq!(
            text,
            "Dear Dr Example,\nThe ejection fraction was estimated at 30 % today, and the valve was reviewed by the team \
             Aortic stenosis is mild.\nDiagnoses:\nNYHA III\nHFrEF"
        );
    }

    #[test]
    fn pages_are_found_by_offset() {
        let text = PdfText { text: "ab\ncd\nef".into(), pages: vec![0..2, 3..5, 6..8], unreadable_pages: vec![] };
        assert_eq!([0, 1, 3, 4, 6, 7].map(|o| text.page_at(o)), [1, 1, 2, 2, 3, 3]);
    }
}
