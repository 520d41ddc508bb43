//! The status picker popup: the query input, then the matching statuses with a swatch in their
//! colour; the highlighted one is where Enter applies, the current one is marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::text::{count, fit, status_name};
use super::{input, layout};
use crate::app::{App, Picker};
use crate::domain::Status;
use crate::format;
use crate::theme::Theme;

const WIDTH: u16 = 48;
/// Rows besides the options: the query, a blank line, the borders.
const CHROME: u16 = 4;

/// A status row's start, as the picker and the statuses screen show it: the pointer where the
/// cursor is, a swatch in the status's colour, its name padded to `name_width`.
pub fn status_spans(app: &App, status: &Status, pointed: bool, name_width: usize, theme: &Theme) -> Vec<Span<'static>> {
    vec![
        Span::raw(if pointed { "▶ " } else { "  " }),
        Span::styled("■ ", theme.status(Some(status))),
        Span::raw(format::pad(&status_name(app, &status.key), name_width)),
    ]
}

pub fn draw(frame: &mut Frame, body: Rect, app: &App, picker: &Picker, theme: &Theme) {
    let options = picker.options(&app.statuses);
    let rows = u16::try_from(options.len().max(1)).unwrap_or(u16::MAX);
    let area = layout::centered(body, WIDTH, rows.saturating_add(CHROME));
    let marked = format!("{} marked alerts", count(picker.marked));
    let target = if picker.marked > 0 {
        marked.as_str()
    } else {
        app.list.get(&picker.target).map_or(picker.target.as_str(), |a| a.title_or_placeholder())
    };
    let title = Line::from(vec![
        Span::styled(" Change status ", theme.pane_title),
        Span::styled(format!("· {} ", fit(target, 28)), theme.muted),
    ]);
    let inner = layout::popup(frame, area, title, theme);
    input::draw_single(frame, layout::row(inner, 0), " Search: ", &picker.query, true, theme);
    let list =
        Rect { y: inner.y.saturating_add(2).min(inner.bottom()), height: inner.height.saturating_sub(2), ..inner };
    if options.is_empty() {
        let message = format!(" No status matches ({} known)", count(app.statuses.len()));
        layout::line(frame, layout::row(list, 0), Line::styled(message, theme.muted));
        return;
    }
    let cursor = picker.cursor.min(options.len() - 1);
    let height = usize::from(list.height).max(1);
    // Scroll only as far as needed to show the highlighted status.
    let first = (cursor + 1).saturating_sub(height);
    let shown = || options.iter().enumerate().skip(first).take(height);
    let name_width = shown().map(|(_, s)| status_name(app, &s.key).width()).max().unwrap_or(1).clamp(1, 24);
    let lines: Vec<Line<'_>> = shown()
        .map(|(i, status)| {
            let mut spans = status_spans(app, status, i == cursor, name_width, theme);
            spans.push(Span::styled(format!(" {}", fit(status.key.as_str(), 24)), theme.muted));
            if status.key == picker.current {
                spans.push(Span::styled(" (current)", theme.info));
            }
            let line = Line::from(spans);
            if i == cursor { line.style(theme.selected) } else { line }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}
