//! The log view: the recent log entries over the panes, newest at the bottom, coloured by
//! level; the title says which levels show, whether it follows, and where the file is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{clock, one_line};
use super::{ViewState, layout};
use crate::app::App;
use crate::logging::{self, Level};
use crate::theme::Theme;

pub fn draw(frame: &mut Frame, body: Rect, app: &App, view: &mut ViewState, theme: &Theme) {
    let log = &app.log;
    let state = if log.following() { "following".to_owned() } else { format!("{} newer below", log.from_end) };
    let levels = match log.level {
        Level::Trace => "every level".to_owned(),
        Level::Error => "errors only".to_owned(),
        level => format!("{} and above", level.name()),
    };
    let title = Line::from(vec![
        Span::styled(" Log ", theme.pane_title),
        Span::styled(format!("· {levels} · {state} "), theme.muted),
    ]);
    let inner = layout::inset(layout::popup(frame, body, title, theme));
    let rows = usize::from(inner.height);
    view.viewport.log_rows = inner.height;
    let shown: Vec<_> = log.shown().rev().skip(log.from_end).take(rows).collect();
    let mut lines: Vec<Line<'_>> = shown.into_iter().rev().map(|e| entry_line(e, app, theme)).collect();
    if lines.is_empty() {
        let file = logging::default_file().map_or_else(String::new, |f| format!(" (the file: {})", f.display()));
        lines.push(Line::styled(format!("Nothing logged at these levels yet{file}."), theme.muted));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn entry_line<'a>(entry: &logging::Entry, app: &App, theme: &Theme) -> Line<'a> {
    let style = match entry.level {
        Level::Error => theme.error,
        Level::Warn => theme.warning,
        Level::Info => theme.label,
        Level::Debug | Level::Trace => theme.muted,
    };
    Line::from(vec![
        Span::styled(format!("{} ", clock(entry.at, app.settings.utc_offset)), theme.muted),
        Span::styled(format!("{:<5} ", entry.level.name().to_uppercase()), style),
        // Log text can carry what a server said (an error's reason): one sanitized line.
        Span::styled(one_line(&entry.text), style),
    ])
}
