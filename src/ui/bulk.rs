//! The question before a bulk change: how many alerts, to which status, and the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::layout;
use super::status_bar::table_line;
use super::text::status_name;
use crate::app::{App, BulkChange};
use crate::keymap::Context;
use crate::theme::Theme;

const WIDTH: u16 = 64;

pub fn draw(frame: &mut Frame, body: Rect, app: &App, change: &BulkChange, theme: &Theme) {
    let area = layout::centered(body, WIDTH, 6);
    let title = Line::from(Span::styled(" Change many alerts ", theme.pane_title));
    let inner = layout::inset(layout::popup(frame, area, title, theme));
    let n = change.ids.len();
    let question = Line::from(vec![
        Span::raw(format!("Set the status of {} to ", crate::format::count(n, "marked alert"))),
        Span::styled(status_name(app, &change.status), theme.status(app.status(&change.status))),
        Span::raw("?"),
    ]);
    let note = Line::styled("One request per alert, a few at a time; Esc stops the rest.", theme.muted);
    let keys = table_line(app.settings.keymap.bindings(Context::BulkConfirm), theme);
    frame.render_widget(Paragraph::new(vec![question, note, Line::default(), keys]), inner);
}
