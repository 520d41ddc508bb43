//! Text preparation for the view: cut huge server text before it becomes `Line`s, flatten or
//! split line breaks, format times in the configured offset. Nothing here touches a buffer.

use chrono::{DateTime, FixedOffset, Utc};

use crate::app::App;
use crate::domain::{StatusKey, sanitize, single_line};
use crate::format;

/// The most characters of one field that a one-line place ever looks at.
pub const ONE_LINE_CHARS: usize = 2_000;
/// Caps on a paragraph (a description): lines and characters drawn at most.
pub const PARAGRAPH_LINES: usize = 2_000;
pub const PARAGRAPH_CHARS: usize = 20_000;
/// Longest status name shown in tabs, tables and the picker.
const NAME_CHARS: usize = 40;

/// The first `max_chars` characters of `s` (all of it when shorter), without copying.
pub fn clip(s: &str, max_chars: usize) -> &str {
    s.char_indices().nth(max_chars).map_or(s, |(at, _)| &s[..at])
}

/// `s` for a one-line place: cut to a bounded size, sanitized, line breaks shown as `⏎`.
pub fn one_line(s: &str) -> String {
    single_line(clip(s, ONE_LINE_CHARS)).into_owned()
}

/// `s` for a one-line place `width` columns wide, ending in `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    format::truncate(&one_line(s), width)
}

/// The lines of a paragraph, sanitized and capped; the last says so when something was cut.
pub fn paragraph_lines(s: &str) -> (Vec<String>, bool) {
    let clipped = clip(s, PARAGRAPH_CHARS);
    let mut cut = clipped.len() < s.len();
    let mut lines: Vec<String> = Vec::new();
    for (i, line) in clipped.split('\n').enumerate() {
        if i == PARAGRAPH_LINES {
            cut = true;
            break;
        }
        lines.push(sanitize(line).into_owned());
    }
    (lines, cut)
}

/// How a status reads: its name from the server's list, else the key in title case.
pub fn status_name(app: &App, key: &StatusKey) -> String {
    single_line(clip(&app.status_name(key), NAME_CHARS)).into_owned()
}

/// A time of day in the configured offset: `HH:MM:SS`.
pub fn clock(at: DateTime<Utc>, offset: FixedOffset) -> String {
    at.with_timezone(&offset).format("%H:%M:%S").to_string()
}

/// A full local timestamp in the configured offset: `%Y-%m-%d %H:%M:%S`.
pub fn timestamp(at: DateTime<FixedOffset>, offset: FixedOffset) -> String {
    at.with_timezone(&offset).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// A count with a thin separator for thousands: 100000 -> "100,000".
pub fn count(n: usize) -> String {
    crate::domain::group_thousands(&n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_counts_chars_and_never_splits_one() {
        assert_eq!(clip("héllo", 2), "hé");
        assert_eq!(clip("日本", 5), "日本");
        assert_eq!(clip("", 3), "");
    }

    #[test]
    fn one_line_flattens_and_paragraphs_split() {
        assert_eq!(one_line("a\nb\u{1b}"), "a⏎ b\u{241b}");
        let (lines, cut) = paragraph_lines("one\ntwo");
        assert_eq!(lines, ["one", "two"]);
        assert!(!cut);
        let (lines, cut) = paragraph_lines(&"x\n".repeat(PARAGRAPH_LINES + 5));
        assert_eq!(lines.len(), PARAGRAPH_LINES);
        assert!(cut);
    }

    #[test]
    fn counts_read_with_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(100_000), "100,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
