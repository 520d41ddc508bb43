//! The status bar: the current notice, else key hints generated from the keymap for whatever
//! has the keys (browse, form, picker, filter, help).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::layout;
use super::text::one_line;
use crate::app::{App, Overlay, Phase};
use crate::format;
use crate::keymap::{Action, Binding, Context};
use crate::theme::Theme;

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
fn hints(app: &App) -> Vec<(String, &'static str)> {
    let keymap = &app.settings.keymap;
    let from = |context: Context, read_only: bool| table_hints(keymap.bindings(context), context, read_only);
    match &app.overlay {
        Overlay::None => from(Context::Browse, app.read_only()),
        Overlay::Form(form) => match form.phase {
            Phase::Editing => from(Context::Form, false),
            Phase::ConfirmDiscard => from(Context::Confirm, false),
            Phase::Sending => vec![(String::new(), "Sending…")],
            Phase::Verifying { .. } => vec![(keymap.key_for(Context::Form, Action::Cancel), "close")],
            Phase::Conflict { .. } => from(Context::Conflict, false),
        },
        Overlay::Picker(_) => from(Context::Picker, false),
        Overlay::Filter => from(Context::Filter, false),
        Overlay::Help => vec![("any key".to_owned(), "closes help")],
    }
}

/// The hints of a keymap table, each with its first key (an unbound action has no hint). On
/// the question before discarding, every other key keeps editing, which is said last.
fn table_hints(table: &[Binding], context: Context, read_only: bool) -> Vec<(String, &'static str)> {
    let mut hints: Vec<_> = table
        .iter()
        .filter(|b| !(read_only && b.action.is_mutating(context)))
        .filter_map(|b| Some((b.first_key()?.to_string(), b.hint?)))
        .collect();
    if table.iter().any(|b| b.action == Action::Discard) {
        hints.push(("any other key".to_owned(), "keeps editing"));
    }
    hints
}

/// Every hint of a keymap table on one line: "Ctrl-O overwrite · Ctrl-R reload theirs".
pub fn table_line<'a>(table: &[Binding], theme: &Theme) -> Line<'a> {
    // Only browsing hints hide what read-only mode disables; forms never open there.
    let mut line = hints_line(&table_hints(table, Context::Form, false), usize::MAX, theme);
    // hints_line starts with a space for the status bar's margin; inside a box it is not wanted.
    if line.spans.first().is_some_and(|s| s.content == " ") {
        line.spans.remove(0);
    }
    line
}

/// As many hints as fit in `width` columns, in the table's order.
fn hints_line<'a>(hints: &[(String, &'static str)], width: usize, theme: &Theme) -> Line<'a> {
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
        spans.push(Span::styled(key.clone(), theme.key));
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
        let hints = [("f", "flag"), ("e", "edit"), ("q", "quit")].map(|(k, h)| (k.to_owned(), h));
        let line = hints_line(&hints, 16, &Theme::dark());
        assert_eq!(line.to_string(), " f flag · e edit");
        assert_eq!(hints_line(&hints, 0, &Theme::dark()).to_string(), "");
    }
}
