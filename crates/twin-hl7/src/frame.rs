//! A file or MLLP stream cut into messages.
//!
//! MLLP (HL7 v2.5.1 Appendix C) wraps each message as `0x0B … 0x1C 0x0D`; files written by
//! interface engines hold messages one after another, often with `\n` or `\r\n` in place of the
//! standard `\r` segment terminator, and batch files add FHS/BHS … BTS/FTS envelope lines. A
//! message starts at each `MSH` line; envelope lines and blank lines are dropped, and anything
//! before the first `MSH` is counted, never read as a result.

/// One message's segments, as lines, before any field is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMessage {
    /// 1-based position of the message in the file, for messages that carry no control id.
    pub position: usize,
    /// The segments in order, the first being `MSH`.
    pub segments: Vec<String>,
}

/// The batch envelope's segments (HL7 v2.5.1 §2.10.3), which carry no results.
const ENVELOPE: [&str; 4] = ["FHS", "BHS", "BTS", "FTS"];

/// Cuts `text` into messages. Returns them and the number of non-blank lines found before the
/// first `MSH`, which are not part of any message.
pub fn split_messages(text: &str) -> (Vec<RawMessage>, usize) {
    let mut messages: Vec<RawMessage> = Vec::new();
    let mut stray_lines = 0;
    let lines = text.trim_start_matches('\u{feff}').split(['\r', '\n', '\u{0b}', '\u{1c}']);
    for line in lines {
        if line.trim().is_empty() || ENVELOPE.iter().any(|e| is_segment(line, e)) {
            continue;
        }
        if is_segment(line, "MSH") {
            messages.push(RawMessage { position: messages.len() + 1, segments: vec![line.to_string()] });
        } else if let Some(message) = messages.last_mut() {
            message.segments.push(line.to_string());
        } else {
            stray_lines += 1;
        }
    }
    (messages, stray_lines)
}

/// Whether `line` is a segment named `name` (the name, then the field separator).
fn is_segment(line: &str, name: &str) -> bool {
    line.strip_prefix(name).and_then(|rest| rest.chars().next()).is_some_and(|c| !c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mllp_frames_and_batch_envelopes_and_any_line_ending() {
        let text = "FHS|^~\\&|LAB\r\nBHS|^~\\&|LAB\r\n\u{0b}MSH|^~\\&|A\rPID|1\r\u{1c}\r\u{0b}MSH|^~\\&|B\nOBX|1\n\u{1c}\rBTS|2\nFTS|1\n";
        let (messages, stray) = split_messages(text);
        assert_eq!(stray, 0);
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].segments, ["MSH|^~\\&|A", "PID|1"]);
        assert_eq!(messages[1].segments, ["MSH|^~\\&|B", "OBX|1"]);
        assert_eq!(messages[1].position, 2);
    }

    #[test]
    fn lines_before_the_first_msh_are_counted_not_read() {
        let (messages, stray) = split_messages("hello\nOBX|1|NM\nMSH|^~\\&|A\r");
        assert_eq!((messages.len(), stray), (1, 2));
    }
}
