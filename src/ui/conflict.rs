//! The edit conflict view inside the form popup: their version (now on the server) beside
//! yours, and the three ways out (overwrite, reload theirs, keep editing).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::layout;
use super::text::{one_line, paragraph_lines};
use crate::app::Form;
use crate::domain::Alert;
use crate::keymap::{Context, Keymap};
use crate::theme::Theme;

/// Below this inner width the two versions are stacked rather than side by side.
const SIDE_BY_SIDE: u16 = 60;

pub fn draw(frame: &mut Frame, inner: Rect, form: &Form, latest: &Alert, keymap: &Keymap, theme: &Theme) {
    let [message, versions, keys] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let who = latest.assigned_to.as_deref().map_or_else(String::new, |w| format!(" (assigned to {})", one_line(w)));
    let text = format!("Someone changed this alert since you opened it{who}.");
    layout::line(frame, layout::inset(message), Line::styled(text, theme.warning));
    let [theirs, yours] = if versions.width >= SIDE_BY_SIDE {
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(versions)
    } else {
        Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).areas(versions)
    };
    let their_title = latest.title.as_deref().unwrap_or("");
    version(frame, theirs, " Theirs (on the server now) ", their_title, &latest.description, theme);
    version(frame, yours, " Yours ", text_of(form, "Title"), text_of(form, "Description"), theme);
    layout::line(frame, layout::inset(keys), super::status_bar::table_line(keymap.bindings(Context::Conflict), theme));
}

/// The text of the form's field `label` (empty when the form has no such field).
fn text_of<'a>(form: &'a Form, label: &str) -> &'a str {
    form.fields.iter().find(|f| f.label == label).map_or("", |f| f.input.text())
}

fn version(frame: &mut Frame, area: Rect, heading: &str, title: &str, description: &str, theme: &Theme) {
    let block = Block::bordered().title(Span::styled(heading.to_owned(), theme.pane_title)).border_style(theme.border);
    let mut lines = vec![Line::styled("Title", theme.heading)];
    lines.push(if title.trim().is_empty() {
        Line::styled("(no title)", theme.muted)
    } else {
        Line::raw(one_line(title))
    });
    lines.push(Line::default());
    lines.push(Line::styled("Description", theme.heading));
    let (description, cut) = paragraph_lines(description);
    lines.extend(description.into_iter().map(Line::from));
    if cut {
        lines.push(Line::styled("… (cut)", theme.muted));
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
