//! A menu popup (how long to snooze, what to copy): numbered choices, the highlighted one where
//! Enter takes it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::layout;
use super::status_bar::table_line;
use crate::app::{App, Menu};
use crate::keymap::Context;
use crate::theme::Theme;

const WIDTH: u16 = 60;
/// Rows besides the choices: the borders, a blank line and the keys.
const CHROME: u16 = 4;

pub fn draw(frame: &mut Frame, body: Rect, app: &App, menu: &Menu, theme: &Theme) {
    let options = app.menu_options(menu);
    let rows = u16::try_from(options.len()).unwrap_or(u16::MAX);
    let area = layout::centered(body, WIDTH, rows.saturating_add(CHROME));
    let title = Line::from(Span::styled(format!(" {} ", menu.title()), theme.pane_title));
    let inner = layout::inset(layout::popup(frame, area, title, theme));
    let mut lines: Vec<Line<'_>> = options
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let pointer = if i == menu.cursor { "▶ " } else { "  " };
            let line =
                Line::from(vec![Span::raw(pointer), Span::styled(format!("{} ", i + 1), theme.key), Span::raw(label)]);
            if i == menu.cursor { line.style(theme.selected) } else { line }
        })
        .collect();
    lines.push(Line::default());
    lines.push(table_line(app.settings.keymap.bindings(Context::Menu), theme));
    frame.render_widget(Paragraph::new(lines), inner);
}
