//! Small text helpers shared by the table output and the dashboard: ages, counted nouns and
//! width-aware cuts; an entity as labelled rows (`entity`).

mod entity;

pub use entity::{Row, Shown, Tone, rows as entity_rows};

use chrono::{DateTime, FixedOffset, Utc};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// "just now", "42s ago", "5m ago", "3h ago", "12d ago"; a time ahead of `now` reads "just now".
pub fn age(then: DateTime<FixedOffset>, now: DateTime<Utc>) -> String {
    let secs = (now - then.to_utc()).num_seconds();
    match secs {
        ..5 => "just now".to_owned(),
        5..60 => format!("{secs}s ago"),
        60..3_600 => format!("{}m ago", secs / 60),
        3_600..86_400 => format!("{}h ago", secs / 3_600),
        _ => format!("{}d ago", secs / 86_400),
    }
}

/// "1 alert", "3 alerts": a count with its noun, plural by a trailing `s`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// Cuts `s` to at most `width` terminal columns, ending in `…` when something was cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Pads `s` with spaces to `width` columns (after cutting it to fit).
pub fn pad(s: &str, width: usize) -> String {
    let cut = truncate(s, width);
    let fill = width.saturating_sub(cut.width());
    format!("{cut}{}", " ".repeat(fill))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally() {
        let now = DateTime::parse_from_rfc3339("2026-01-15T12:00:00Z").expect("valid").to_utc();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).expect("valid");
        assert_eq!(age(at("2026-01-15T12:00:00Z"), now), "just now");
        assert_eq!(age(at("2026-01-15T11:59:18Z"), now), "42s ago");
        assert_eq!(age(at("2026-01-15T12:55:00+01:00"), now), "5m ago");
        assert_eq!(age(at("2026-01-15T09:00:00Z"), now), "3h ago");
        assert_eq!(age(at("2026-01-03T12:00:00Z"), now), "12d ago");
        assert_eq!(age(at("2026-01-16T12:00:00Z"), now), "just now");
    }

    #[test]
    fn truncation_counts_columns_not_bytes() {
        assert_eq!(truncate("hello", 10), "hello");
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("日本語のテキスト", 7), "日本語…");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(truncate("abc", 0), "");
    }
}
