//! The edit conflict view inside the form popup: which fields were changed on the server and
//! when, their version beside yours, each with its changes since the form was opened marked
//! character by character, and the three ways out (overwrite, reload theirs, keep editing). It
//! does not guess who changed it: the API says not.

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
    // Each side marked against the version the form was opened on: what they changed, and what
    // you changed. Without that version (an old draft), yours is marked against theirs.
    let their_text = (latest.title.as_deref().unwrap_or(""), latest.description.as_str());
    let mine = (text_of(form, "Title"), text_of(form, "Description"));
    let base_text = base.map_or(their_text, |b| (b.title.as_deref().unwrap_or(""), b.description.as_str()));
    let theirs_marked = Version::of(base_text, their_text, theme);
    let yours_against = if base.is_some() { base_text } else { their_text };
    let (title_mine, description_mine) = (base_text.0 != mine.0, base_text.1 != mine.1);
    let changed = (title_changed, description_changed);
    theirs_marked.draw(frame, theirs, (" Theirs (on the server now) ", "changed"), changed, theme);
    let yours_marked = Version::of(yours_against, mine, theme);
    yours_marked.draw(frame, yours, (" Yours ", "edited"), (title_mine, description_mine), theme);
    layout::line(frame, layout::inset(keys), super::status_bar::table_line(keymap.bindings(Context::Conflict), theme));
}

/// The text of the form's field `label` (empty when the form has no such field).
fn text_of<'a>(form: &'a Form, label: &str) -> &'a str {
    form.fields.iter().find(|f| f.label == label).map_or("", |f| f.input.text())
}

/// One version's title and description, its differences from another version marked.
struct Version {
    title: Vec<Line<'static>>,
    description: Vec<Line<'static>>,
    cut: bool,
}

impl Version {
    /// `(title, description)` of `new`, marked where it differs from `old`; sanitized first.
    fn of(old: (&str, &str), new: (&str, &str), theme: &Theme) -> Self {
        let (old_description, _) = paragraph_lines(old.1);
        let (new_description, cut) = paragraph_lines(new.1);
        let title = if new.0.trim().is_empty() && old.0.trim().is_empty() {
            vec![Line::styled("(no title)", theme.muted)]
        } else {
            super::diff::lines(&one_line(old.0), &one_line(new.0), theme)
        };
        let description = super::diff::lines(&old_description.join("\n"), &new_description.join("\n"), theme);
        Self { title, description, cut }
    }

    /// In a bordered pane under `heading`; `changed` says which fields this side changed, and
    /// `word` how their labels say so.
    fn draw(self, frame: &mut Frame, area: Rect, (heading, word): (&str, &str), changed: (bool, bool), theme: &Theme) {
        let block =
            Block::bordered().title(Span::styled(heading.to_owned(), theme.pane_title)).border_style(theme.border);
        let label = |name: &'static str, moved: bool| {
            let mut spans = vec![Span::styled(name, theme.heading)];
            if moved {
                spans.push(Span::styled(format!("  {word}"), theme.warning));
            }
            Line::from(spans)
        };
        let mut lines = vec![label("Title", changed.0)];
        lines.extend(self.title);
        lines.push(Line::default());
        lines.push(label("Description", changed.1));
        lines.extend(self.description);
        if self.cut {
            lines.push(Line::styled("… (cut)", theme.muted));
        }
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    }
}
