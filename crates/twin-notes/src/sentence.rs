//! Sentences and clauses: the scopes facts and context triggers live in.
//!
//! A sentence ends at `.`, `!` or `?` followed by white space (or the end), and always at a
//! line break, because letters put list items and report fields on their own lines. A full stop
//! after a known abbreviation ("approx.", "Dr.") or inside a number ("0.8") does not end one.
//! All ranges are byte offsets into the text, always on `char` boundaries.

use std::ops::Range;

/// Words after which a full stop does not end the sentence ("est." and "appr." because echo
/// reports write "LVEF est. 40-45%"; "cl." because "NYHA cl. II" abbreviates class; "mod." and "sev." grade a lesion, "Mod. AS";
/// "prev." because a report writes "LVEF 45% (prev. 30%)").
const ABBREVIATIONS: &[&str] = &[
    "approx", "appr", "est", "dr", "mr", "mrs", "ms", "vs", "e.g", "i.e", "c", "ca", "no", "fig", "cl", "mod", "sev",
    "recov", "prev", "prev",
];

/// The sentences of `text`, trimmed of surrounding white space; empty ones are skipped.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for (idx, &byte) in bytes.iter().enumerate() {
        let followed_by_space = bytes.get(idx + 1).is_none_or(|b| b.is_ascii_whitespace());
        let ends = match byte {
            b'\n' | b'\r' => true,
            b'!' | b'?' => followed_by_space && idx > start,
            b'.' => followed_by_space && !after_abbreviation(&text[start..idx]),
            _ => false,
        };
        if ends {
            push_trimmed(text, start..idx + 1, &mut out);
            start = idx + 1;
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// Whether the text before a full stop ends in one of [`ABBREVIATIONS`].
fn after_abbreviation(before: &str) -> bool {
    let last = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    let last = last.to_ascii_lowercase();
    ABBREVIATIONS.contains(&last.as_str())
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail < slice.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_on_stops_and_lines_but_not_numbers_or_abbreviations() {
        assert_eq!(
            split("EF 35%. AVA 0.8 cm2, approx. 1 cm.\nNYHA II\n\n  Plan: review!\nLVEF est. 40%. Done."),
            vec!["EF 35%.", "AVA 0.8 cm2, approx. 1 cm.", "NYHA II", "Plan: review!", "LVEF est. 40%.", "Done."]
        );
    }

    #[test]
    fn keeps_non_ascii_boundaries() {
        let text = "Ejection fraction 35–40 %. Dyspnée.";
        assert_eq!(split(text), vec!["Ejection fraction 35–40 %.", "Dyspnée."]);
    }
}
