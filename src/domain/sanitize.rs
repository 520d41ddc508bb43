//! The one sanitizer every string from the network passes through right after decoding.
//! It turns anything a terminal could act on (controls, bidi overrides, invisible characters)
//! into visible markers, so nothing from a server ever reaches a terminal raw.

use std::borrow::Cow;

/// Marker for C1 controls, bidi overrides and invisible format characters.
const MARKER: char = '\u{FFFD}';

/// What to do with one character.
fn replacement(c: char) -> Option<char> {
    match c {
        // A newline is the one control kept: descriptions have several lines, and every view
        // splits on it (or flattens it with `single_line`) before anything is drawn.
        '\n' => None,
        '\t' => Some(' '),
        // C0 controls become their Control Pictures (ESC shows as ␛).
        '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32),
        '\u{7f}' => Some('\u{2421}'),
        // C1 controls (8-bit CSI, OSC, ...), bidi marks, overrides and isolates, zero-width and
        // other invisible format characters, line and paragraph separators, the BOM, tag characters.
        '\u{80}'..='\u{9f}'
        | '\u{ad}'
        | '\u{34f}'
        | '\u{61c}'
        | '\u{115f}'
        | '\u{1160}'
        | '\u{17b4}'
        | '\u{17b5}'
        | '\u{180b}'..='\u{180f}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{3164}'
        | '\u{feff}'
        | '\u{ffa0}'
        | '\u{fff0}'..='\u{fffb}'
        | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e0fff}' => Some(MARKER),
        _ => None,
    }
}

/// True when `c` may reach a terminal as it is (a newline only through a line-aware view).
pub fn is_safe(c: char) -> bool {
    replacement(c).is_none()
}

/// Returns `s` with every unsafe character replaced by a visible marker; borrows when clean.
/// A `\r\n` pair becomes `\n`. The result is stable: sanitizing it again changes nothing.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_safe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        out.push(replacement(c).unwrap_or(c));
    }
    Cow::Owned(out)
}

/// Sanitizes a string in place, allocating only when something must change.
pub fn sanitize_in_place(s: &mut String) {
    if let Cow::Owned(clean) = sanitize(s) {
        *s = clean;
    }
}

/// For one-line places (table cells, headers): sanitized, with line breaks shown as `⏎ `.
pub fn single_line(s: &str) -> Cow<'_, str> {
    let clean = sanitize(s);
    if clean.contains('\n') { Cow::Owned(clean.replace('\n', "⏎ ")) } else { clean }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(sanitize("Velocity spike — 12 transfers"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_become_visible() {
        assert_eq!(sanitize("a\u{1b}[2Jb"), "a\u{241b}[2Jb");
        assert_eq!(sanitize("x\u{9b}31m"), "x\u{fffd}31m");
        assert_eq!(sanitize("evil\u{202e}txt"), "evil\u{fffd}txt");
        assert_eq!(sanitize("a\u{200b}b"), "a\u{fffd}b");
        assert_eq!(sanitize("bell\u{7}"), "bell\u{2407}");
        assert_eq!(sanitize("del\u{7f}"), "del\u{2421}");
    }

    #[test]
    fn newlines_are_kept_and_crlf_folded() {
        assert_eq!(sanitize("one\r\ntwo\nthree"), "one\ntwo\nthree");
        assert_eq!(sanitize("a\rb"), "a\u{240d}b");
        assert_eq!(single_line("one\ntwo"), "one⏎ two");
    }
}
