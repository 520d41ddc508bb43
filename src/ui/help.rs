//! The help overlay: every binding of every context of the effective keymap with its help
//! text, in as few balanced columns as fit, scrolled (`app.help_scroll`) when the terminal is
//! too short for all of it; in read-only mode the mutating ones say they are disabled.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{ViewState, layout};
use crate::app::App;
use crate::format;
use crate::keymap::{Action, Binding, Context};
use crate::theme::Theme;

const DISABLED: &str = " (disabled: read-only)";
const MAX_COLUMNS: usize = 3;
/// Columns are this far apart.
const GAP: u16 = 3;

/// One line of help: the keys, what they do, whether read-only mode disables it.
struct Entry {
    keys: String,
    help: &'static str,
    disabled: bool,
}

struct Section {
    title: &'static str,
    entries: Vec<Entry>,
}

impl Section {
    fn height(&self) -> usize {
        1 + self.entries.len()
    }
}

pub fn draw(frame: &mut Frame, body: Rect, app: &App, view: &mut ViewState, theme: &Theme) {
    let keymap = &app.settings.keymap;
    let sections = all_sections(keymap, app.read_only());
    let columns = arrange(&sections, body);
    let widths: Vec<u16> = columns.iter().map(|c| column_width(c)).collect();
    let height = u16::try_from(tallest(&columns)).unwrap_or(u16::MAX);
    let gaps = GAP * u16::try_from(widths.len().saturating_sub(1)).unwrap_or(0);
    let width = widths.iter().sum::<u16>().saturating_add(gaps).saturating_add(4);
    let area = layout::centered(body, width, height.saturating_add(2));
    let rows = area.height.saturating_sub(2);
    let max_scroll = height.saturating_sub(rows);
    let scroll = app.help_scroll.min(max_scroll);
    view.viewport.help_rows = rows;
    view.viewport.help_max_scroll = max_scroll;
    let mut title = vec![Span::styled(" Help ", theme.pane_title)];
    if max_scroll > 0 {
        let shown = (scroll + rows).min(height);
        title.push(Span::styled(format!("· rows {}-{shown} of {height} ", scroll + 1), theme.muted));
    } else {
        title.push(Span::styled("· any key closes ", theme.muted));
    }
    let inner = layout::inset(layout::popup(frame, area, Line::from(title), theme));
    let constraints = widths.iter().map(|w| Constraint::Length(*w));
    let areas = Layout::horizontal(constraints).spacing(GAP).split(inner);
    for (column, area) in columns.iter().zip(areas.iter()) {
        frame.render_widget(Paragraph::new(lines(column, theme)).scroll((scroll, 0)), *area);
    }
}

/// The sections split, in order, into the fewest columns that fit `body` (balanced by
/// height); when none fits, the split that is least tall among those that fit the width.
fn arrange(sections: &[Section], body: Rect) -> Vec<&[Section]> {
    let fits_width = |columns: &[&[Section]]| {
        let widths: u16 = columns.iter().map(|c| column_width(c)).sum();
        let gaps = GAP * u16::try_from(columns.len() - 1).unwrap_or(0);
        widths.saturating_add(gaps).saturating_add(4) <= body.width
    };
    let mut best: Option<Vec<&[Section]>> = None;
    for n in 1..=MAX_COLUMNS.min(sections.len()) {
        let columns = balanced(sections, n);
        if n > 1 && !fits_width(&columns) {
            break;
        }
        if tallest(&columns) + 2 <= usize::from(body.height) {
            return columns;
        }
        if best.as_ref().is_none_or(|b| tallest(&columns) < tallest(b)) {
            best = Some(columns);
        }
    }
    best.unwrap_or_else(|| vec![sections])
}

/// `sections` cut into `n` runs whose tallest is as short as possible.
fn balanced(sections: &[Section], n: usize) -> Vec<&[Section]> {
    if n <= 1 || sections.len() <= 1 {
        return vec![sections];
    }
    let mut best: Option<Vec<&[Section]>> = None;
    for cut in 1..sections.len() {
        let mut columns = vec![&sections[..cut]];
        columns.extend(balanced(&sections[cut..], n - 1));
        if best.as_ref().is_none_or(|b| tallest(&columns) < tallest(b)) {
            best = Some(columns);
        }
    }
    best.unwrap_or_else(|| vec![sections])
}

/// Rows of the tallest of `columns`.
fn tallest(columns: &[&[Section]]) -> usize {
    columns.iter().map(|c| column_height(c)).max().unwrap_or(0)
}

/// Rows of a column: each section and a blank line between them.
fn column_height(column: &[Section]) -> usize {
    column.iter().map(Section::height).sum::<usize>() + column.len().saturating_sub(1)
}

/// The width of the keys in a column, plus a space.
fn key_width(column: &[Section]) -> usize {
    column.iter().flat_map(|s| &s.entries).map(|e| e.keys.width()).max().unwrap_or(0) + 1
}

fn column_width(column: &[Section]) -> u16 {
    let keys = key_width(column);
    let entries = column.iter().flat_map(|s| &s.entries);
    let rows = entries.map(|e| keys + e.help.width() + if e.disabled { DISABLED.width() } else { 0 });
    let titles = column.iter().map(|s| s.title.width());
    u16::try_from(rows.chain(titles).max().unwrap_or(0)).unwrap_or(u16::MAX)
}

fn lines(column: &[Section], theme: &Theme) -> Vec<Line<'static>> {
    let keys = key_width(column);
    let mut lines = Vec::new();
    for section in column {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(section.title, theme.heading));
        for entry in &section.entries {
            let (key_style, text_style) =
                if entry.disabled { (theme.muted, theme.muted) } else { (theme.key, theme.label) };
            let mut spans =
                vec![Span::styled(format::pad(&entry.keys, keys), key_style), Span::styled(entry.help, text_style)];
            if entry.disabled {
                spans.push(Span::styled(DISABLED, theme.warning));
            }
            lines.push(Line::from(spans));
        }
    }
    lines
}

/// The entity panel's keys: listed apart from the other browsing keys, so neither column grows
/// past a usual terminal's height.
fn in_entity_panel(action: Action) -> bool {
    matches!(
        action,
        Action::Source | Action::Destination | Action::Identity | Action::Back | Action::History | Action::Neighbour
    )
}

/// A section per context, in the order they are declared; the browsing keys of the entity panel
/// in one of their own after the others.
fn all_sections(keymap: &crate::keymap::Keymap, read_only: bool) -> Vec<Section> {
    let mut sections = Vec::new();
    for context in Context::ALL {
        let table = keymap.bindings(context);
        if context == Context::Browse {
            let (panel, rest): (Vec<Binding>, Vec<Binding>) =
                table.iter().cloned().partition(|b| in_entity_panel(b.action));
            sections.push(section(context, &rest, read_only));
            sections.push(Section { title: "In the entity panel", ..section(context, &panel, read_only) });
        } else {
            sections.push(section(context, table, read_only));
        }
    }
    sections
}

fn section(context: Context, table: &[Binding], read_only: bool) -> Section {
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|b| Entry { keys: b.label(), help: b.help, disabled: read_only && b.action.is_mutating(context) })
        .collect();
    if table.iter().any(|b| b.action == Action::Discard) {
        entries.push(Entry { keys: "any other key".to_owned(), help: "keep editing", disabled: false });
    }
    Section { title: context.title(), entries }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::Keymap;

    fn all(read_only: bool) -> Vec<Section> {
        all_sections(&Keymap::default(), read_only)
    }

    #[test]
    fn every_binding_is_listed_and_mutating_ones_marked_when_read_only() {
        let keymap = Keymap::default();
        let browse = section(Context::Browse, keymap.bindings(Context::Browse), true);
        assert_eq!(browse.entries.len(), keymap.bindings(Context::Browse).len());
        let flag = browse.entries.iter().find(|e| e.help == "flag a new entity").expect("listed");
        assert!(flag.disabled);
        let quit = browse.entries.iter().find(|e| e.help == "quit").expect("listed");
        assert!(!quit.disabled);
    }

    #[test]
    fn columns_keep_the_order_and_use_no_more_than_needed() {
        let sections = all(false);
        let tall = arrange(&sections, Rect::new(0, 0, 200, 200));
        assert_eq!(tall.len(), 1, "one column when it fits");
        let wide = arrange(&sections, Rect::new(0, 0, 200, 40));
        assert!(wide.len() > 1);
        assert!(wide.iter().all(|c| column_height(c) + 2 <= 40));
        let order: Vec<&str> = wide.iter().flat_map(|c| c.iter().map(|s| s.title)).collect();
        let mut titles = Context::ALL.map(Context::title).to_vec();
        titles.insert(1, "In the entity panel");
        assert_eq!(order, titles);
    }
}
