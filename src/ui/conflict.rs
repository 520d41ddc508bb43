//! The edit conflict view inside the form popup: which fields were changed on the server and
//! when, their version (the changed fields marked) beside yours, and the three ways out
//! (overwrite, reload theirs, keep editing). It does not guess who changed it: the API says not.

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

pub fn draw(
    frame: &mut Frame,
    inner: Rect,
    form: &Form,
    latest: &Alert,
    keymap: &Keymap,
    offset: chrono::FixedOffset,
    theme: &Theme,
) {
    let [message, versions, keys] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let base = form.base();
    let title_changed = base.is_none_or(|b| b.title != latest.title);
    let description_changed = base.is_none_or(|b| b.description != latest.description);
    let fields = match (title_changed, description_changed) {
        (true, true) => "the title and the description",
        (true, false) => "the title",
        (false, true) => "the description",
        (false, false) => "this alert",
    };
    let when = super::text::clock(latest.updated_at.to_utc(), offset);
    let text = format!("Changed on the server at {when}: {fields}.");
    layout::line(frame, layout::inset(message), Line::styled(text, theme.warning));
    let [theirs, yours] = if versions.width >= SIDE_BY_SIDE {
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(versions)
    } else {
        Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).areas(versions)
    };
    let their_title = latest.title.as_deref().unwrap_or("");
    let changed = (title_changed, description_changed);
    version(frame, theirs, " Theirs (on the server now) ", (their_title, &latest.description), changed, theme);
    let mine = (text_of(form, "Title"), text_of(form, "Description"));
    version(frame, yours, " Yours ", mine, (false, false), theme);
    layout::line(frame, layout::inset(keys), super::status_bar::table_line(keymap.bindings(Context::Conflict), theme));
}

/// The text of the form's field `label` (empty when the form has no such field).
fn text_of<'a>(form: &'a Form, label: &str) -> &'a str {
    form.fields.iter().find(|f| f.label == label).map_or("", |f| f.input.text())
}

/// One version's title and description; `changed` marks the fields that moved on the server.
fn version(
    frame: &mut Frame,
    area: Rect,
    heading: &str,
    (title, description): (&str, &str),
    changed: (bool, bool),
    theme: &Theme,
) {
    let block = Block::bordered().title(Span::styled(heading.to_owned(), theme.pane_title)).border_style(theme.border);
    let label = |name: &'static str, moved: bool| {
        let mut spans = vec![Span::styled(name, theme.heading)];
        if moved {
            spans.push(Span::styled("  changed", theme.warning));
        }
        Line::from(spans)
    };
    let mut lines = vec![label("Title", changed.0)];
    lines.push(if title.trim().is_empty() {
        Line::styled("(no title)", theme.muted)
    } else {
        Line::raw(one_line(title))
    });
    lines.push(Line::default());
    lines.push(label("Description", changed.1));
    let (description, cut) = paragraph_lines(description);
    lines.extend(description.into_iter().map(Line::from));
    if cut {
        lines.push(Line::styled("… (cut)", theme.muted));
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
