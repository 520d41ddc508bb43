//! The help overlay: every binding of the browse, form and picker keymaps with its help text,
//! generated from the tables; in read-only mode the mutating ones say they are disabled.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::layout;
use super::theme::Theme;
use crate::app::App;
use crate::app::keymap::{self, Binding};
use crate::format;

const SECTIONS: [(&str, &[Binding]); 5] = [
    ("Browsing", keymap::BROWSE),
    ("Flag and edit forms", keymap::FORM),
    ("Status picker", keymap::PICKER),
    ("When someone else changed the alert", keymap::CONFLICT),
    ("Before discarding typed text", keymap::CONFIRM),
];
const KEY_WIDTH: usize = 8;
const DISABLED: &str = " (disabled: read-only)";

pub fn draw(frame: &mut Frame, body: Rect, app: &App, theme: &Theme) {
    let read_only = app.read_only();
    let sections: Vec<Vec<Line<'static>>> =
        SECTIONS.iter().map(|(title, table)| section(title, table, read_only, theme)).collect();
    let single: usize = sections.iter().map(Vec::len).sum::<usize>() + sections.len() - 1;
    let widest = sections.iter().flatten().map(Line::width).max().unwrap_or(0);
    let widest = u16::try_from(widest).unwrap_or(u16::MAX);
    let tall = u16::try_from(single).unwrap_or(u16::MAX).saturating_add(2);
    // Two columns (browsing | the rest) when one does not fit but two do.
    let two_columns = tall > body.height && body.width >= widest.saturating_mul(2).saturating_add(5);
    let (width, height) = if two_columns {
        let left = u16::try_from(sections[0].len()).unwrap_or(u16::MAX);
        (widest.saturating_mul(2).saturating_add(5), left.saturating_add(2))
    } else {
        (widest.saturating_add(4), tall)
    };
    let area = layout::centered(body, width, height);
    let title =
        Line::from(vec![Span::styled(" Help ", theme.pane_title), Span::styled("· any key closes ", theme.muted)]);
    let inner = layout::popup(frame, area, title, theme);
    if two_columns {
        let [left, right] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).spacing(1).areas(inner);
        let mut sections = sections.into_iter();
        frame.render_widget(Paragraph::new(sections.next().unwrap_or_default()), left);
        frame.render_widget(Paragraph::new(join(sections)), right);
    } else {
        frame.render_widget(
            Paragraph::new(join(sections.into_iter())),
            Rect { x: inner.x.saturating_add(1), width: inner.width.saturating_sub(1), ..inner },
        );
    }
}

/// Sections one after another with a blank line between them.
fn join(sections: impl Iterator<Item = Vec<Line<'static>>>) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for section in sections {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.extend(section);
    }
    lines
}

fn section(title: &str, table: &[Binding], read_only: bool, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(title.to_owned(), theme.heading)];
    for binding in table {
        let disabled = read_only && binding.action.is_mutating();
        let label = format::pad(binding.label, KEY_WIDTH.max(binding.label.width() + 1));
        let mut spans = vec![
            Span::styled(label, if disabled { theme.muted } else { theme.key }),
            Span::styled(binding.help, if disabled { theme.muted } else { theme.label }),
        ];
        if disabled {
            spans.push(Span::styled(DISABLED, theme.warning));
        }
        lines.push(Line::from(spans));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_binding_is_listed_and_mutating_ones_marked_when_read_only() {
        let lines = section("Browsing", keymap::BROWSE, true, &Theme::DEFAULT);
        assert_eq!(lines.len(), keymap::BROWSE.len() + 1);
        let flag = lines.iter().map(Line::to_string).find(|l| l.contains("flag a new entity")).expect("listed");
        assert!(flag.ends_with(DISABLED), "{flag}");
        let quit = lines.iter().map(Line::to_string).find(|l| l.contains("quit")).expect("listed");
        assert!(!quit.contains("disabled"));
    }
}
