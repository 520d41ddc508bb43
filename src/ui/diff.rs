//! Character-level differences between two versions of a text, as styled lines: what a change
//! kept in plain text, what it added in the theme's `inserted` style, what it took away in
//! `deleted` (a removed line break shows as `↵`). Made to be read, not applied: a kept run of a
//! few characters between two changes joins them (no "payClouts"), and a text mostly rewritten
//! is shown whole as added rather than as a shower of fragments (a cleared one as taken away). Both texts must already be
//! sanitized.

use std::time::Duration;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use similar::{ChangeTag, TextDiff};

use crate::theme::Theme;

/// A diff that takes longer falls back to a coarser (still correct) answer. The dialog draws
/// four per frame, of texts already capped in length, so a frame stays cheap whatever the text.
const DIFF_TIMEOUT: Duration = Duration::from_millis(4);
/// Kept runs this short between two changes are shown as part of the change.
const SHORT_KEPT: usize = 3;
/// Below this similarity (0 to 1) the new text is shown as rewritten.
const REWRITTEN_BELOW: f32 = 0.5;

/// One stretch of the new text: kept as it was, or changed (what went, what came).
#[derive(Debug, PartialEq)]
enum Piece {
    Kept(String),
    Changed { gone: String, came: String },
}

/// `new` as lines, with what changed since `old` marked.
pub fn lines(old: &str, new: &str, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Lines::default();
    for piece in pieces(old, new) {
        match piece {
            Piece::Kept(text) => out.push_str(&text, Style::new()),
            Piece::Changed { gone, came } => {
                out.push_str(&gone.replace('\n', "↵"), theme.deleted);
                out.push_str(&came, theme.inserted);
            }
        }
    }
    out.finish()
}

/// The new text in pieces, short kept runs between changes folded into them.
fn pieces(old: &str, new: &str) -> Vec<Piece> {
    if old == new {
        return vec![Piece::Kept(new.to_owned())];
    }
    let diff = TextDiff::configure().timeout(DIFF_TIMEOUT).diff_chars(old, new);
    if diff.ratio() < REWRITTEN_BELOW {
        // What went is not repeated beside a rewrite, only when nothing came instead.
        let gone = if new.is_empty() { old.to_owned() } else { String::new() };
        return vec![Piece::Changed { gone, came: new.to_owned() }];
    }
    let mut runs: Vec<(ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        match runs.last_mut() {
            Some((tag, text)) if *tag == change.tag() => text.push_str(change.value()),
            _ => runs.push((change.tag(), change.value().to_owned())),
        }
    }
    let mut out: Vec<Piece> = Vec::new();
    for (i, (tag, text)) in runs.iter().enumerate() {
        let between_changes = i > 0 && i + 1 < runs.len();
        let (gone, came) = match tag {
            ChangeTag::Equal if !(between_changes && text.chars().count() <= SHORT_KEPT) => {
                out.push(Piece::Kept(text.clone()));
                continue;
            }
            ChangeTag::Equal => (text.as_str(), text.as_str()),
            ChangeTag::Delete => (text.as_str(), ""),
            ChangeTag::Insert => ("", text.as_str()),
        };
        match out.last_mut() {
            Some(Piece::Changed { gone: g, came: c }) => {
                g.push_str(gone);
                c.push_str(came);
            }
            _ => out.push(Piece::Changed { gone: gone.to_owned(), came: came.to_owned() }),
        }
    }
    out
}

/// Lines being built: runs of one style become one span.
#[derive(Default)]
struct Lines {
    done: Vec<Line<'static>>,
    spans: Vec<Span<'static>>,
    run: String,
    style: Style,
}

impl Lines {
    /// Adds `text` in `style`; a line break in it starts a new line.
    fn push_str(&mut self, text: &str, style: Style) {
        for c in text.chars() {
            if c == '\n' {
                self.break_line();
            } else {
                self.push(c, style);
            }
        }
    }

    fn push(&mut self, c: char, style: Style) {
        if style != self.style {
            self.end_run();
            self.style = style;
        }
        self.run.push(c);
    }

    fn end_run(&mut self) {
        if !self.run.is_empty() {
            self.spans.push(Span::styled(std::mem::take(&mut self.run), self.style));
        }
    }

    fn break_line(&mut self) {
        self.end_run();
        self.done.push(Line::from(std::mem::take(&mut self.spans)));
    }

    fn finish(mut self) -> Vec<Line<'static>> {
        self.break_line();
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line as text, with `[+...]` around what was added and `[-...]` around what was taken.
    fn marked(old: &str, new: &str) -> Vec<String> {
        let theme = Theme::default();
        lines(old, new, &theme)
            .iter()
            .map(|line| {
                line.spans
                    .iter()
                    .map(|s| match s.style {
                        st if st == theme.inserted => format!("[+{}]", s.content),
                        st if st == theme.deleted => format!("[-{}]", s.content),
                        _ => s.content.to_string(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn only_the_characters_that_changed_are_marked() {
        assert_eq!(marked("Wire to ACME", "Wire to ACME Ltd"), ["Wire to ACME[+ Ltd]"]);
        assert_eq!(marked("Card fraud on a card", "Card frauds on a card"), ["Card fraud[+s] on a card"]);
        assert_eq!(
            marked("Payout of ZAR 1,200 today", "Payout of ZAR 1,250 today"),
            ["Payout of ZAR 1,2[-0][+5]0 today"]
        );
        assert_eq!(marked("same", "same"), ["same"]);
        assert_eq!(marked("", "new"), ["[+new]"]);
        assert_eq!(marked("gone", ""), ["[-gone]"]);
    }

    #[test]
    fn short_kept_runs_between_changes_join_them_and_a_rewrite_is_shown_whole() {
        // "in" kept between two changes would read as "payClouts ined": it joins them.
        assert_eq!(
            marked("Velocity spike on a payout", "Velocity spike in b payout"),
            ["Velocity spike [-on a][+in b] payout"]
        );
        let rewritten = marked("42 payouts in 10 minutes.", "Closed by Li: the merchant runs a weekly payout.");
        assert_eq!(rewritten, ["[+Closed by Li: the merchant runs a weekly payout.]"]);
    }

    #[test]
    fn line_breaks_added_split_the_lines_and_removed_ones_show() {
        assert_eq!(marked("first line two", "first line\ntwo"), ["first line[- ]", "two"]);
        assert_eq!(marked("first line\ntwo", "first line two"), ["first line[-↵][+ ]two"]);
        assert_eq!(marked("a\nb\nc", "a\nb\nc"), ["a", "b", "c"]);
    }
}
