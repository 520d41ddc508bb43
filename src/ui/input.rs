//! Drawing a `TextInput`: one line scrolled sideways, or several wrapped lines scrolled so the
//! cursor's line shows, with the terminal cursor placed where typing goes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::layout;
use crate::app::TextInput;
use crate::domain::sanitize;
use crate::theme::Theme;

/// Draws `label` then the input on one row; with `cursor`, puts the terminal cursor in it.
pub fn draw_single(frame: &mut Frame, area: Rect, label: &str, input: &TextInput, cursor: bool, theme: &Theme) {
    let label_width = u16::try_from(label.width()).unwrap_or(u16::MAX).min(area.width);
    let field = Rect { x: area.x + label_width, width: area.width - label_width, ..area };
    let (text, x) = single(input, field.width);
    let line = Line::from(vec![Span::styled(label.to_owned(), theme.label), Span::styled(text, theme.input)]);
    layout::line(frame, area, line);
    if cursor {
        layout::cursor(frame, field, x, 0);
    }
}

/// Draws a multi-line input wrapped to `area`; with `cursor`, puts the terminal cursor in it.
pub fn draw_multi(frame: &mut Frame, area: Rect, input: &TextInput, cursor: bool, theme: &Theme) {
    let (rows, at) = multi(input, area.width, area.height);
    let lines: Vec<Line<'_>> = rows.into_iter().map(|r| Line::styled(r, theme.input)).collect();
    frame.render_widget(Paragraph::new(lines), area);
    if cursor {
        layout::cursor(frame, area, at.0, at.1);
    }
}

fn char_width(c: char) -> u16 {
    u16::try_from(c.width().unwrap_or(0)).unwrap_or(1)
}

/// The part of a one-line input that fits `width` columns with the cursor in view, and the
/// cursor's column in it.
pub fn single(input: &TextInput, width: u16) -> (String, u16) {
    if width == 0 {
        return (String::new(), 0);
    }
    let text = input.text();
    let at = text.char_indices().nth(input.cursor()).map_or(text.len(), |(byte, _)| byte);
    // Walk back from the cursor to the first character that still lets it show.
    let mut start = at;
    let mut used: u16 = 0;
    for (byte, c) in text[..at].char_indices().rev() {
        let w = char_width(c);
        if used.saturating_add(w) >= width {
            break;
        }
        used += w;
        start = byte;
    }
    let mut shown = String::new();
    let mut taken: u16 = 0;
    for c in text[start..].chars() {
        let w = char_width(c);
        if taken.saturating_add(w) > width {
            break;
        }
        taken += w;
        shown.push(c);
    }
    (sanitize(&shown).into_owned(), used)
}

/// The rows of a multi-line input wrapped to `width` and scrolled so the cursor's row is one
/// of the `height` shown; returns them and the cursor's (column, row) among them. Only the lines
/// from a screenful above the cursor are wrapped, so a huge text costs little more than a scan.
pub fn multi(input: &TextInput, width: u16, height: u16) -> (Vec<String>, (u16, u16)) {
    if width == 0 || height == 0 {
        return (Vec::new(), (0, 0));
    }
    let (text, rows_wanted) = (input.text(), usize::from(height));
    let at = text.char_indices().nth(input.cursor()).map_or(text.len(), |(byte, _)| byte);
    // Where the cursor sits within its own line, counting wrapped rows.
    let mut start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let (row, x) = wrap(&text[start..at], width);
    let (mut rows_above, cursor_x) = if x >= width { (row + 1, 0) } else { (row, x) };
    // Take whole lines above it until they fill the view (or the text begins).
    while rows_above + 1 < rows_wanted && start > 0 {
        let end = start - 1;
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        rows_above += wrap(&text[line_start..end], width).0 + 1;
        start = line_start;
    }
    let skip = (rows_above + 1).saturating_sub(rows_wanted);
    let mut rows: Vec<String> = Vec::new();
    let (mut row, mut x) = (0usize, 0u16);
    let mut current = String::new();
    for c in text[start..].chars() {
        let (next_row, next_x) = advance(row, x, c, width);
        if next_row != row {
            if row >= skip {
                rows.push(sanitize(&current).into_owned());
            }
            current.clear();
            if rows.len() == rows_wanted {
                break;
            }
        }
        if c != '\n' {
            current.push(c);
        }
        (row, x) = (next_row, next_x);
    }
    if rows.len() < rows_wanted && row >= skip {
        rows.push(sanitize(&current).into_owned());
    }
    let cursor_row = u16::try_from(rows_above - skip).unwrap_or(0);
    (rows, (cursor_x, cursor_row))
}

/// The (row, column) just after `line` (no line breaks) wrapped to `width`.
fn wrap(line: &str, width: u16) -> (usize, u16) {
    line.chars().fold((0, 0), |(row, x), c| advance(row, x, c, width))
}

/// Where the character after `c` goes when `c` is placed at (`row`, `x`).
fn advance(row: usize, x: u16, c: char, width: u16) -> (usize, u16) {
    if c == '\n' {
        return (row + 1, 0);
    }
    let w = char_width(c);
    if x > 0 && x.saturating_add(w) > width { (row + 1, w) } else { (row, x.saturating_add(w)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(text: &str, multiline: bool) -> TextInput {
        TextInput::new(text, multiline)
    }

    #[test]
    fn one_line_scrolls_to_keep_the_cursor() {
        assert_eq!(single(&input("hello", false), 10), ("hello".to_owned(), 5));
        assert_eq!(single(&input("hello world", false), 6), ("world".to_owned(), 5));
        assert_eq!(single(&input("日本語テキスト", false), 6), ("スト".to_owned(), 4));
        assert_eq!(single(&input("x", false), 0), (String::new(), 0));
    }

    #[test]
    fn many_lines_wrap_and_follow_the_cursor() {
        let (rows, at) = multi(&input("abcdef\ngh", true), 4, 5);
        assert_eq!(rows, ["abcd", "ef", "gh"]);
        assert_eq!(at, (2, 2));
        let (rows, at) = multi(&input("1\n2\n3\n4\n5", true), 4, 2);
        assert_eq!(rows, ["4", "5"]);
        assert_eq!(at, (1, 1));
        let (rows, at) = multi(&input("abcdefghij\nk", true), 4, 3);
        assert_eq!(rows, ["efgh", "ij", "k"]);
        assert_eq!(at, (1, 2));
        let mut top = input("1\n2\n3\n4", true);
        top.handle_key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Home));
        for _ in 0..3 {
            top.handle_key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Up));
        }
        assert_eq!(multi(&top, 4, 2), (vec!["1".to_owned(), "2".to_owned()], (0, 0)));
        let (rows, at) = multi(&input("abcd", true), 4, 3);
        assert_eq!(rows, ["abcd"]);
        assert_eq!(at, (0, 1));
    }
}
