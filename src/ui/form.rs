//! The flag and edit form popup: one bordered block per field (the focused one highlighted),
//! the entity check as you type, the error, and a last line for the phase or the key hints.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::text::one_line;
use super::{conflict, input, layout};
use crate::app::{Field, Form, Phase};
use crate::keymap::{Action, Context, Keymap};
use crate::theme::Theme;

const WIDTH: u16 = 80;
const HEIGHT: u16 = 22;
/// Rows for the flag form's entity check (its error names every accepted prefix).
const CHECK_ROWS: u16 = 2;
const MESSAGE_ROWS: u16 = 2;

pub fn draw(frame: &mut Frame, body: Rect, form: &Form, keymap: &Keymap, offset: chrono::FixedOffset, theme: &Theme) {
    let area = layout::centered(body, WIDTH, HEIGHT);
    let title = Span::styled(format!(" {} ", one_line(&form.title())), theme.pane_title);
    let inner = layout::popup(frame, area, Line::from(title), theme);
    if let Phase::Conflict { latest } = &form.phase {
        conflict::draw(frame, inner, form, latest, keymap, offset, theme);
        return;
    }
    let mut constraints = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        constraints.push(if field.input.is_multiline() { Constraint::Min(3) } else { Constraint::Length(3) });
        if i == 0 && form.is_flag() {
            constraints.push(Constraint::Length(CHECK_ROWS));
        }
    }
    constraints.extend([Constraint::Length(MESSAGE_ROWS), Constraint::Length(1)]);
    let areas = Layout::vertical(constraints).split(inner);
    let mut areas = areas.iter().copied();
    for (i, field) in form.fields.iter().enumerate() {
        let cursor = i == form.focus && form.accepts_input();
        draw_field(frame, areas.next().unwrap_or_default(), field, i == form.focus, cursor, theme);
        if i == 0 && form.is_flag() {
            draw_check(frame, areas.next().unwrap_or_default(), form, theme);
        }
    }
    let message = layout::inset(areas.next().unwrap_or_default());
    if let Some(error) = &form.error {
        let text = Line::styled(format!("✗ {}", one_line(error)), theme.error);
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), message);
    }
    layout::line(frame, layout::inset(areas.next().unwrap_or_default()), phase_line(&form.phase, keymap, theme));
}

fn draw_field(frame: &mut Frame, area: Rect, field: &Field, focused: bool, cursor: bool, theme: &Theme) {
    let mut title = vec![Span::styled(format!(" {}", field.label), if focused { theme.key } else { theme.label })];
    if field.required {
        title.push(Span::styled(" *", theme.error));
    }
    title.push(Span::raw(" "));
    let block = Block::bordered().title(Line::from(title)).border_style(theme.border(focused));
    let inner = layout::inset(block.inner(area));
    frame.render_widget(block, area);
    if field.input.is_multiline() {
        input::draw_multi(frame, inner, &field.input, cursor, theme);
    } else {
        input::draw_single(frame, inner, "", &field.input, cursor, theme);
    }
}

/// Under the entity id: its kind when it parses, else why not.
fn draw_check(frame: &mut Frame, area: Rect, form: &Form, theme: &Theme) {
    let line = match form.entity_check() {
        None => Line::styled("bln_ (or bal_), txn_ or idt_, then the rest of the id", theme.muted),
        Some(Ok(kind)) => Line::styled(format!("✓ {}", kind.type_name()), theme.success),
        Some(Err(e)) => Line::styled(format!("✗ {}", one_line(&e.to_string())), theme.error),
    };
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), layout::inset(area));
}

/// What the form is doing, or the keys when it waits for typing.
fn phase_line<'a>(phase: &Phase, keymap: &Keymap, theme: &Theme) -> Line<'a> {
    match phase {
        Phase::Editing => super::status_bar::table_line(keymap.bindings(Context::Form), theme),
        Phase::Sending => Line::styled("Sending…", theme.info),
        Phase::Verifying { .. } => Line::from(vec![
            Span::styled("Checking whether the alert was created…", theme.info),
            Span::styled(format!(" · {} closes", keymap.key_for(Context::Form, Action::Cancel)), theme.muted),
        ]),
        Phase::ConfirmDiscard => {
            let mut line = super::status_bar::table_line(keymap.bindings(Context::Confirm), theme);
            line.spans.insert(0, Span::styled("Discard what you typed? ", theme.warning));
            line
        }
        // Drawn by the conflict view; kept for completeness.
        Phase::Conflict { .. } => Line::default(),
    }
}
