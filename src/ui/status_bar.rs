//! The status bar: the current notice, else key hints generated from the keymap for whatever
//! has the keys (browse, form, picker, filter, help). However narrow the terminal, the hints
//! that get you out (help and quit; submit and cancel in a dialog) stay, beside a notice too.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::layout;
use super::text::one_line;
use crate::app::{App, Overlay, Phase, StatusMode};
use crate::format;
use crate::keymap::{Action, Binding, Context};
use crate::theme::Theme;

const SEPARATOR: &str = " · ";

/// A key hint: the key, what it does, and whether it stays when space is short.
type Hint = (String, &'static str, bool);

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let width = usize::from(area.width);
    let hints = hints(app);
    // A bulk change's progress, else the notice, takes the place of the other hints.
    let message = match (&app.bulk, &app.notice) {
        (Some(run), _) if app.overlay == Overlay::None => {
            let stop = app.settings.keymap.key_for(Context::Browse, Action::ClearFilter);
            let verb = if run.stopping { "Stopping" } else { "Changing" };
            let text = format!(" {verb} the status: {} of {} done · {stop} stops", run.done(), run.total);
            Some((text, theme.info))
        }
        (_, Some(notice)) => Some((format!(" {}", one_line(&notice.text)), theme.notice(notice.level))),
        (_, None) => None,
    };
    match message {
        Some((text, style)) => {
            let kept: Vec<Hint> = hints.into_iter().filter(|h| h.2).collect();
            let keys = hints_line(&kept, width, theme);
            let room = width.saturating_sub(keys.width() + 1);
            layout::line(frame, area, Line::styled(format::truncate(&text, room), style));
            frame.render_widget(ratatui::widgets::Paragraph::new(keys).right_aligned(), area);
        }
        None => layout::line(frame, area, hints_line(&hints, width, theme)),
    }
}

/// The hints to show for what currently has the keys.
fn hints(app: &App) -> Vec<Hint> {
    let keymap = &app.settings.keymap;
    let from = |context: Context, read_only: bool| table_hints(keymap.bindings(context), context, read_only);
    match &app.overlay {
        Overlay::None => from(Context::Browse, app.read_only()),
        Overlay::Form(form) => match form.phase {
            Phase::Editing => from(Context::Form, false),
            Phase::ConfirmDiscard => from(Context::Confirm, false),
            Phase::Sending => vec![(String::new(), "Sending…", true)],
            Phase::Verifying { .. } => vec![(keymap.key_for(Context::Form, Action::Cancel), "close", true)],
            Phase::Conflict { .. } => from(Context::Conflict, false),
        },
        Overlay::Picker(_) => from(Context::Picker, false),
        Overlay::Filter => from(Context::Filter, false),
        Overlay::Log => from(Context::Log, false),
        Overlay::Palette(_) => from(Context::Palette, false),
        Overlay::BulkConfirm(_) => from(Context::BulkConfirm, false),
        Overlay::Menu(_) => from(Context::Menu, false),
        Overlay::Statuses(screen) => match &screen.mode {
            StatusMode::Editing { sending: true, .. } | StatusMode::Deleting(_) => {
                vec![(String::new(), "Sending…", true)]
            }
            StatusMode::Editing { .. } => from(Context::StatusForm, false),
            StatusMode::List | StatusMode::ConfirmDelete(_) => from(Context::Statuses, app.read_only()),
        },
        Overlay::Help if app.viewport.help_max_scroll > 0 => {
            let key = |action| keymap.key_for(Context::Browse, action);
            vec![
                (format!("{}/{}", key(Action::Down), key(Action::Up)), "scroll", true),
                (key(Action::PageDown), "page", false),
                ("any other key".to_owned(), "closes help", true),
            ]
        }
        Overlay::Help => vec![("any key".to_owned(), "closes help", true)],
        Overlay::Stats => vec![("any key".to_owned(), "closes the stats", true)],
    }
}

/// The hints of a keymap table, each with its first key (an unbound action has no hint). On
/// the question before discarding, every other key keeps editing, which is said last.
fn table_hints(table: &[Binding], context: Context, read_only: bool) -> Vec<Hint> {
    let stays = |action| matches!(action, Action::Help | Action::Quit | Action::Submit | Action::Cancel);
    let mut hints: Vec<Hint> = table
        .iter()
        .filter(|b| !(read_only && b.action.is_mutating(context)))
        .filter_map(|b| Some((b.first_key()?.to_string(), b.hint?, stays(b.action))))
        .collect();
    if table.iter().any(|b| b.action == Action::Discard) {
        hints.push(("any other key".to_owned(), "keeps editing", true));
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

/// As many hints as fit in `width` columns, in the table's order: the ones that stay first,
/// then the others while there is room.
fn hints_line<'a>(hints: &[Hint], width: usize, theme: &Theme) -> Line<'a> {
    let cost = |(key, what, _): &Hint| SEPARATOR.width() + key.width() + 1 + what.width();
    let mut room = width.saturating_add(SEPARATOR.width() - 1);
    let mut shown = vec![false; hints.len()];
    for pass_keeps in [true, false] {
        for (i, hint) in hints.iter().enumerate() {
            if hint.2 == pass_keeps && cost(hint) <= room {
                room -= cost(hint);
                shown[i] = true;
            }
        }
    }
    let mut spans = Vec::new();
    for (key, what, _) in hints.iter().zip(shown).filter(|(_, shown)| *shown).map(|(h, _)| h) {
        let gap = if spans.is_empty() { 1 } else { SEPARATOR.width() };
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
        let hints =
            [("f", "flag", false), ("e", "edit", false), ("q", "quit", true)].map(|(k, h, s)| (k.to_owned(), h, s));
        assert_eq!(hints_line(&hints, 80, &Theme::dark()).to_string(), " f flag · e edit · q quit");
        assert_eq!(hints_line(&hints, 16, &Theme::dark()).to_string(), " f flag · q quit", "quit stays");
        assert_eq!(hints_line(&hints, 7, &Theme::dark()).to_string(), " q quit");
        assert_eq!(hints_line(&hints, 0, &Theme::dark()).to_string(), "");
    }
}
