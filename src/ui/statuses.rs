//! The statuses screen: one row per status (a swatch in its colour, its name, key and how many
//! alerts use it, built-ins marked), then what is being done: the form for a new or changed
//! status (its name, the colour chosen among the allowed ones), the question before a delete,
//! the server's refusal, and the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::text::{count, fit, status_name};
use super::{input, layout};
use crate::app::{App, StatusMode, StatusScreen};
use crate::domain::Status;
use crate::format;
use crate::keymap::Context;
use crate::theme::Theme;

const WIDTH: u16 = 72;

pub fn draw(frame: &mut Frame, body: Rect, app: &App, screen: &StatusScreen, theme: &Theme) {
    let below = Paragraph::new(below_the_list(app, screen, theme)).wrap(Wrap { trim: false });
    // The popup's inside is its width less the borders and a margin each side.
    let below_rows = below.line_count(WIDTH.min(body.width).saturating_sub(4));
    let editing = matches!(screen.mode, StatusMode::Editing { .. });
    // Under the list: a blank row, the name being typed, what `below` says, the keys.
    let tail = u16::try_from(below_rows).unwrap_or(u16::MAX).saturating_add(2 + u16::from(editing));
    let rows = u16::try_from(app.statuses.len().max(1)).unwrap_or(u16::MAX);
    // The borders and the column headings.
    let area = layout::centered(body, WIDTH, rows.saturating_add(tail).saturating_add(3));
    let title = Line::from(vec![
        Span::styled(" Statuses ", theme.pane_title),
        Span::styled(format!("· {} ", count(app.statuses.len())), theme.muted),
    ]);
    let inner = layout::inset(layout::popup(frame, area, title, theme));
    let list = Rect { height: inner.height.saturating_sub(tail), ..inner };
    draw_list(frame, list, app, screen, theme);

    let mut y = list.bottom().saturating_add(1);
    if let StatusMode::Editing { name, .. } = &screen.mode {
        input::draw_single(frame, layout::row(Rect { y, height: 1, ..inner }, 0), " Name: ", name, true, theme);
        y = y.saturating_add(1);
    }
    let rest = Rect { y, height: inner.bottom().saturating_sub(y).saturating_sub(1), ..inner };
    frame.render_widget(below, rest);
    let keys = if editing { Context::StatusForm } else { Context::Statuses };
    let keys_row = Rect { y: inner.bottom().saturating_sub(1), height: inner.height.min(1), ..inner };
    layout::line(frame, keys_row, super::status_bar::table_line(app.settings.keymap.bindings(keys), theme));
}

fn draw_list(frame: &mut Frame, area: Rect, app: &App, screen: &StatusScreen, theme: &Theme) {
    let list = Rect { y: area.y.saturating_add(1).min(area.bottom()), height: area.height.saturating_sub(1), ..area };
    let height = usize::from(list.height).max(1);
    let cursor = screen.cursor.min(app.statuses.len().saturating_sub(1));
    let first = (cursor + 1).saturating_sub(height);
    let shown = || app.statuses.iter().enumerate().skip(first).take(height);
    let name_width = shown().map(|(_, s)| status_name(app, &s.key).width()).max().unwrap_or(1).clamp(1, 28);
    let headings = format!("    {} {} {:>9}", format::pad("Status", name_width), format::pad("Key", 20), "Alerts");
    layout::line(frame, layout::row(area, 0), Line::styled(headings, theme.label));
    let lines: Vec<Line<'_>> = shown()
        .map(|(i, status)| {
            let mut spans = super::picker::status_spans(app, status, i == cursor, name_width, theme);
            spans.extend([
                Span::styled(format!(" {}", format::pad(&fit(status.key.as_str(), 20), 20)), theme.muted),
                Span::raw(format!(" {:>9}", count(app.list.count(&status.key)))),
            ]);
            if status.key.is_built_in() {
                spans.push(Span::styled(" built in", theme.muted));
            }
            let line = Line::from(spans);
            if i == cursor { line.style(theme.selected) } else { line }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

/// What goes under the list (after the name field, when editing): the colour, the question
/// before a delete, the refusal.
fn below_the_list<'a>(app: &App, screen: &StatusScreen, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    match &screen.mode {
        StatusMode::Editing { key, colour, sending, .. } => {
            let colours = app.status_colours();
            let own = key.as_ref().and_then(|k| app.status(k)).map(|s| s.colour.clone()).unwrap_or_default();
            let hex = colour.map_or(own, |c| colours.get(c).cloned().unwrap_or_default());
            let swatch = Status { colour: hex.clone(), ..Status::built_ins().remove(0) };
            let place = colour.map_or_else(
                || "its own, not an allowed one: Tab picks one".to_owned(),
                |c| format!("{} of {}", c + 1, colours.len()),
            );
            let what =
                key.as_ref().map_or_else(|| "new status".to_owned(), |k| format!("changing {}", status_name(app, k)));
            lines.push(Line::from(vec![
                Span::styled(" Colour: ", theme.label),
                Span::styled("■ ", theme.status(Some(&swatch))),
                Span::raw(fit(&hex, 12)),
                Span::styled(format!("  ({place}) · {what}"), theme.muted),
            ]));
            if *sending {
                lines.push(Line::styled(" Sending…", theme.muted));
            }
        }
        StatusMode::ConfirmDelete(key) => {
            let again = app.settings.keymap.key_for(Context::Statuses, crate::keymap::Action::Delete);
            let text = format!(" Delete {}? {again} again deletes it; any other key keeps it.", status_name(app, key));
            lines.push(Line::styled(text, theme.warning));
        }
        StatusMode::Deleting(key) => {
            lines.push(Line::styled(format!(" Deleting {}…", status_name(app, key)), theme.muted));
        }
        StatusMode::List => {}
    }
    if let Some(error) = &screen.error {
        lines.push(Line::styled(format!(" {}", super::text::one_line(error)), theme.error));
    }
    lines
}
