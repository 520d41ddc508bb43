//! The status bar: the current notice, else key hints generated from the keymap tables for
//! whatever has the keys (browse, form, picker, filter, help).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::layout;
use super::text::one_line;
use super::theme::Theme;
use crate::app::keymap::{self, Binding};
use crate::app::{App, Overlay, Phase};
use crate::format;

const SEPARATOR: &str = " · ";

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let width = usize::from(area.width);
    let line = match &app.notice {
        Some(notice) => {
            Line::styled(format::truncate(&format!(" {}", one_line(&notice.text)), width), theme.notice(notice.level))
        }
        None => hints_line(&hints(app), width, theme),
    };
    layout::line(frame, area, line);
}

/// The (key, what it does) pairs to show for what currently has the keys.
fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    let from = |table: &'static [Binding], read_only: bool| {
        table
            .iter()
            .filter(|b| !(read_only && b.action.is_mutating()))
            .filter_map(|b| b.hint.map(|hint| (b.label, hint)))
            .collect()
    };
    match &app.overlay {
        Overlay::None => from(keymap::BROWSE, app.read_only()),
        Overlay::Form(form) => match form.phase {
            Phase::Editing => from(keymap::FORM, false),
            Phase::ConfirmDiscard => from(keymap::CONFIRM, false),
            Phase::Sending => vec![("", "Sending…")],
            Phase::Verifying { .. } => vec![("Esc", "close")],
            Phase::Conflict { .. } => from(keymap::CONFLICT, false),
        },
        Overlay::Picker(_) => from(keymap::PICKER, false),
        Overlay::Filter => vec![("Enter", "done"), ("Esc", "clear")],
        Overlay::Help => vec![("any key", "closes help")],
    }
}

/// Every hint of a keymap table on one line: "Ctrl-O overwrite · Ctrl-R reload theirs".
pub fn table_line<'a>(table: &'static [Binding], theme: &Theme) -> Line<'a> {
    let hints: Vec<_> = table.iter().filter_map(|b| b.hint.map(|hint| (b.label, hint))).collect();
    let mut line = hints_line(&hints, usize::MAX, theme);
    // hints_line starts with a space for the status bar's margin; inside a box it is not wanted.
    if line.spans.first().is_some_and(|s| s.content == " ") {
        line.spans.remove(0);
    }
    line
}

/// As many hints as fit in `width` columns, in the table's order.
fn hints_line<'a>(hints: &[(&'static str, &'static str)], width: usize, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, what) in hints {
        let gap = if spans.is_empty() { 1 } else { SEPARATOR.width() };
        let needed = gap + key.width() + 1 + what.width();
        if used + needed > width {
            continue;
        }
        used += needed;
        spans.push(Span::styled(if gap == 1 { " " } else { SEPARATOR }, theme.muted));
        spans.push(Span::styled(*key, theme.key));
        let what = if key.is_empty() { (*what).to_owned() } else { format!(" {what}") };
        spans.push(Span::styled(what, theme.label));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_that_do_not_fit_are_left_out() {
        let hints = [("f", "flag"), ("e", "edit"), ("q", "quit")];
        let line = hints_line(&hints, 16, &Theme::DEFAULT);
        assert_eq!(line.to_string(), " f flag · e edit");
        assert_eq!(hints_line(&hints, 0, &Theme::DEFAULT).to_string(), "");
    }
}
