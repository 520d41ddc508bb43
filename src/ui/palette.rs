//! The command palette popup: the query, then each matching action with its key and help; the
//! highlighted one is what Enter runs. In read-only mode the ones that would change something
//! say so.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{input, layout};
use crate::app::{App, Palette};
use crate::format;
use crate::keymap::Context;
use crate::theme::Theme;

const WIDTH: u16 = 76;
/// Rows besides the options: the query, a blank line, the borders.
const CHROME: u16 = 4;
const NAME_WIDTH: usize = 14;
const KEY_WIDTH: usize = 10;

pub fn draw(frame: &mut Frame, body: Rect, app: &App, palette: &Palette, theme: &Theme) {
    let options = palette.options(&app.settings.keymap);
    let rows = u16::try_from(options.len().max(1)).unwrap_or(u16::MAX);
    let area = layout::centered(body, WIDTH, rows.saturating_add(CHROME));
    let title = Line::from(vec![
        Span::styled(" Commands ", theme.pane_title),
        Span::styled("· type to narrow, Enter runs ", theme.muted),
    ]);
    let inner = layout::popup(frame, area, title, theme);
    input::draw_single(frame, layout::row(inner, 0), " Run: ", &palette.query, true, theme);
    let argument = palette.argument(&app.settings.keymap);
    // Under the query: why the last Enter did not run, or what the named action takes.
    let under = match (&palette.error, &argument) {
        (Some(error), _) => Some(Line::styled(format!(" {}", super::text::one_line(error)), theme.error)),
        (None, Some((action, typed))) if typed.is_empty() => {
            action.argument().map(|what| Line::styled(format!(" then {what}; Enter runs it"), theme.muted))
        }
        _ => None,
    };
    if let Some(line) = under {
        layout::line(frame, layout::row(inner, 1), line);
    }
    let list =
        Rect { y: inner.y.saturating_add(2).min(inner.bottom()), height: inner.height.saturating_sub(2), ..inner };
    if options.is_empty() {
        layout::line(frame, layout::row(list, 0), Line::styled(" No action matches", theme.muted));
        return;
    }
    let cursor = palette.cursor.min(options.len() - 1);
    let height = usize::from(list.height).max(1);
    let first = (cursor + 1).saturating_sub(height);
    let help_width = usize::from(list.width).saturating_sub(2 + NAME_WIDTH + KEY_WIDTH + 2);
    let lines: Vec<Line<'_>> = options
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, binding)| {
            let disabled = app.read_only() && binding.action.is_mutating(Context::Browse);
            let style = if disabled { theme.muted } else { theme.label };
            let help = if disabled { format!("{} (read-only)", binding.help) } else { binding.help.to_owned() };
            let line = Line::from(vec![
                Span::raw(if i == cursor { "▶ " } else { "  " }),
                Span::styled(format::pad(binding.action.name(), NAME_WIDTH), style),
                Span::styled(format::pad(&binding.label(), KEY_WIDTH), theme.key),
                Span::styled(format!("  {}", format::truncate(&help, help_width)), style),
            ]);
            if i == cursor { line.style(theme.selected) } else { line }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}
