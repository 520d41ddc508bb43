//! The list pane: a table of only the visible alerts (the list may hold 100,000), the filter
//! input while it is open, and the scroll offset that keeps the selected row in view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, HighlightSpacing, Paragraph, Row, Table, TableState, Wrap};

use super::text::{count, fit, one_line, status_name};
use super::{ViewState, input, layout};
use crate::app::{App, Focus, Overlay, SortKey, Tab};
use crate::domain::Alert;
use crate::format;
use crate::keymap::{Action, Context};
use crate::theme::Theme;

const SELECTED_SYMBOL: &str = "▶ ";
/// Columns the table keeps for `SELECTED_SYMBOL` on every row.
const SELECTED_WIDTH: u16 = 2;
const UNSEEN_MARK: &str = "●";
/// A marked alert: a character, so the mark shows without colour too.
const MARKED_MARK: &str = "✓";
/// Back from a snooze, not looked at since.
const RESURFACED_MARK: &str = "↻";
/// Optional columns (assigned to, entity, type: in that order) show only while the title keeps
/// at least this many columns.
const MIN_TITLE: u16 = 20;
/// An entity id in full (`bln_` and a UUID), and a long name.
const ENTITY_WIDTH: u16 = 40;
const ASSIGNED_WIDTH: u16 = 22;
/// The title keeps this many columns before the entity and assignee widen.
const ROOMY_TITLE: u16 = 28;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Column {
    Marker,
    Status,
    Type,
    Title,
    Entity,
    Assigned,
    Age,
}

impl Column {
    fn header(self) -> &'static str {
        match self {
            Self::Marker => "",
            Self::Status => "Status",
            Self::Type => "Type",
            Self::Title => "Title",
            Self::Entity => "Entity",
            Self::Assigned => "Assigned to",
            Self::Age => "Age",
        }
    }

    fn width(self) -> u16 {
        match self {
            Self::Marker => 1,
            Self::Type => 11,
            Self::Title => 0,
            Self::Status | Self::Entity | Self::Assigned => 14,
            Self::Age => 8,
        }
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, view: &mut ViewState, theme: &Theme) {
    // A scan of the filtered rows (never of the alerts themselves): done once per frame.
    let selected = app.list.selected_position();
    let block = Block::bordered()
        .title(title(app, theme))
        .border_style(theme.border(app.focus == Focus::List))
        .title_bottom(position(app, selected, theme).right_aligned());
    let mut body = block.inner(area);
    frame.render_widget(block, area);
    if matches!(app.overlay, Overlay::Filter) {
        let row = layout::row(body, 0);
        input::draw_single(frame, row, "Filter: ", &app.filter, true, theme);
        body = Rect { y: body.y.saturating_add(row.height), height: body.height - row.height, ..body };
        if let Some(error) = &app.filter_error {
            body = draw_filter_error(frame, body, &error.message, theme);
        }
    }
    if app.list.visible_len() == 0 {
        draw_empty(frame, body, app, theme);
        return;
    }
    // One row is the column header.
    let height = usize::from(body.height.saturating_sub(1));
    view.viewport.list_rows = u16::try_from(height).unwrap_or(u16::MAX);
    view.offset = scroll(view.offset, selected, app.list.visible_len(), height);
    let width = body.width.saturating_sub(SELECTED_WIDTH);
    let columns = columns(width);
    let widths = column_widths(&columns, width);
    let rows = app.list.visible_rows(view.offset, height).map(|alert| row(app, alert, &columns, &widths, theme));
    let header = Row::new(columns.iter().map(|c| Cell::from(c.header()))).style(theme.label);
    let table = Table::new(rows, widths.iter().map(|&w| Constraint::Length(w)))
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected)
        .highlight_symbol(SELECTED_SYMBOL)
        .highlight_spacing(HighlightSpacing::Always);
    // The rows drawn, for the mouse: below the column header, no further than the last alert.
    let drawn = app.list.visible_len().saturating_sub(view.offset).min(height);
    view.rows = Rect { y: body.y.saturating_add(1), height: u16::try_from(drawn).unwrap_or(0), ..body };
    let mut state = TableState::default().with_selected(selected.and_then(|s| s.checked_sub(view.offset)));
    frame.render_stateful_widget(table, body, &mut state);
}

/// Why the filter cannot be read, under it (up to three lines); returns the room left below.
fn draw_filter_error(frame: &mut Frame, body: Rect, message: &str, theme: &Theme) -> Rect {
    let error = Paragraph::new(Line::styled(format!("✗ {message}"), theme.error)).wrap(Wrap { trim: false });
    let lines = u16::try_from(error.line_count(body.width)).unwrap_or(u16::MAX).min(3).min(body.height);
    frame.render_widget(error, Rect { height: lines, ..body });
    Rect { y: body.y.saturating_add(lines), height: body.height - lines, ..body }
}

/// The offset that keeps `selected` among `height` rows, moving as little as possible.
pub fn scroll(offset: usize, selected: Option<usize>, len: usize, height: usize) -> usize {
    let mut offset = offset.min(len.saturating_sub(height.max(1)));
    if let Some(selected) = selected {
        if selected < offset {
            offset = selected;
        } else if height > 0 && selected >= offset + height {
            offset = selected + 1 - height;
        }
    }
    offset
}

/// The columns that fit in `width`: optional ones only while the title keeps `MIN_TITLE`.
fn columns(width: u16) -> Vec<Column> {
    let mut columns = vec![Column::Marker, Column::Status, Column::Title, Column::Age];
    let fixed = |cols: &[Column]| cols.iter().map(|c| c.width() + 1).sum::<u16>();
    for optional in [Column::Assigned, Column::Entity, Column::Type] {
        let mut candidate = columns.clone();
        candidate.push(optional);
        candidate.sort_unstable();
        if width.saturating_sub(fixed(&candidate)) >= MIN_TITLE {
            columns = candidate;
        }
    }
    columns
}

/// Each column's width in `width` columns, as the table lays them out; the title takes the rest.
/// A wide terminal first gives the entity its whole id, then the assignee room, while the title
/// keeps `ROOMY_TITLE`.
fn column_widths(columns: &[Column], width: u16) -> Vec<u16> {
    let mut wanted: Vec<u16> = columns.iter().map(|c| c.width()).collect();
    for (column, full) in [(Column::Entity, ENTITY_WIDTH), (Column::Assigned, ASSIGNED_WIDTH)] {
        let Some(at) = columns.iter().position(|c| *c == column) else { continue };
        let used: u16 = wanted.iter().map(|w| w + 1).sum();
        if width.saturating_sub(used) >= ROOMY_TITLE + (full - wanted[at]) {
            wanted[at] = full;
        }
    }
    let constraints = columns.iter().zip(&wanted).map(|(c, &w)| match c {
        Column::Title => Constraint::Fill(1),
        _ => Constraint::Length(w),
    });
    Layout::horizontal(constraints).spacing(1).split(Rect::new(0, 0, width, 1)).iter().map(|r| r.width).collect()
}

fn row<'a>(app: &App, alert: &Alert, columns: &[Column], widths: &[u16], theme: &Theme) -> Row<'a> {
    let unseen = app.list.is_unseen(alert);
    let cells = columns.iter().zip(widths).map(|(column, &width)| {
        let width = usize::from(width);
        match column {
            Column::Marker if app.is_marked(&alert.anomaly_id) => Cell::from(Span::styled(MARKED_MARK, theme.marked)),
            Column::Marker if app.list.is_resurfaced(&alert.anomaly_id) => {
                Cell::from(Span::styled(RESURFACED_MARK, theme.unseen))
            }
            Column::Marker if unseen => Cell::from(Span::styled(UNSEEN_MARK, theme.unseen)),
            Column::Marker => Cell::from(""),
            Column::Status => {
                let style = theme.status(app.status(&alert.status));
                Cell::from(Span::styled(format::truncate(&status_name(app, &alert.status), width), style))
            }
            Column::Type => Cell::from(fit(&alert.kind.to_string(), width)),
            Column::Title => Cell::from(fit(alert.title_or_placeholder(), width)),
            Column::Entity => optional(alert.entity(), width, theme),
            Column::Assigned => optional(alert.assigned_to.as_deref(), width, theme),
            Column::Age => Cell::from(format::age(alert.created_at, app.now)),
        }
    });
    let row = Row::new(cells.collect::<Vec<_>>());
    if unseen { row.style(theme.unseen_row) } else { row }
}

fn optional<'a>(value: Option<&str>, width: usize, theme: &Theme) -> Cell<'a> {
    match value {
        Some(v) => Cell::from(fit(v, width)),
        None => Cell::from(Span::styled("—", theme.muted)),
    }
}

/// "Alerts 12/15 · sort created ↓ · filter: velocity"
fn title<'a>(app: &App, theme: &Theme) -> Line<'a> {
    let (key, reversed) = app.list.sort();
    let descending = matches!(key, SortKey::Created | SortKey::Updated) != reversed;
    let arrow = if descending { "↓" } else { "↑" };
    let mut spans = vec![
        Span::styled(
            format!(" Alerts {}/{} ", count(app.list.visible_len()), count(app.list.total())),
            theme.pane_title,
        ),
        Span::styled(format!("· sort {} {arrow} ", key.label()), theme.muted),
    ];
    if app.list.scanning() {
        spans.push(Span::styled("· filtering… ", theme.muted));
    }
    let marked = app.marked_count();
    if marked > 0 {
        spans.push(Span::styled(format!("· {} marked ", count(marked)), theme.marked));
    }
    let filter = app.filter.text();
    if !filter.is_empty() {
        spans.push(Span::styled(format!("· filter: {} ", format::truncate(&one_line(filter), 30)), theme.info));
    }
    Line::from(spans)
}

/// "3 of 12" on the bottom border.
fn position<'a>(app: &App, selected: Option<usize>, theme: &Theme) -> Line<'a> {
    match selected {
        Some(at) => Line::styled(format!(" {} of {} ", count(at + 1), count(app.list.visible_len())), theme.muted),
        None => Line::default(),
    }
}

fn draw_empty(frame: &mut Frame, body: Rect, app: &App, theme: &Theme) {
    let message = if app.loading {
        "Loading…".to_owned()
    } else if app.list.total() == 0 {
        "No alerts".to_owned()
    } else if !app.filter.text().trim().is_empty() {
        "No alerts match the filter".to_owned()
    } else if *app.list.tab() == Tab::Mine && !app.list.me().is_set() {
        "Set me to the name Blnk puts in assigned_to for you: --me, BLNK_ME or me = \"…\" in the config file".to_owned()
    } else if *app.list.tab() == Tab::Mine {
        "No alerts assigned to you".to_owned()
    } else if *app.list.tab() == Tab::Snoozed {
        format!(
            "Nothing snoozed: {} snoozes the selected or marked alerts",
            app.settings.keymap.key_for(Context::Browse, Action::Snooze)
        )
    } else if let Some(key) = app.list.status() {
        format!("No {} alerts", status_name(app, key))
    } else if let Tab::View(i) = app.list.tab() {
        format!("Nothing in the view {} now", super::text::one_line(app.view_name(*i)))
    } else {
        "No alerts".to_owned()
    };
    let at = layout::row(body, body.height / 2);
    frame.render_widget(Paragraph::new(Span::styled(message, theme.muted)).centered(), at);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selected_row_stays_in_view() {
        assert_eq!(scroll(0, Some(5), 100, 10), 0);
        assert_eq!(scroll(0, Some(15), 100, 10), 6);
        assert_eq!(scroll(20, Some(15), 100, 10), 15);
        assert_eq!(scroll(95, Some(99), 100, 10), 90);
        assert_eq!(scroll(50, None, 3, 10), 0);
        assert_eq!(scroll(7, Some(3), 10, 0), 3);
    }

    #[test]
    fn optional_columns_give_way_to_the_title() {
        assert_eq!(columns(40), [Column::Marker, Column::Status, Column::Title, Column::Age]);
        assert!(columns(80).contains(&Column::Assigned));
        assert!(columns(200).contains(&Column::Entity));
        let widths = column_widths(&columns(200), 200);
        assert_eq!(widths.iter().sum::<u16>() + u16::try_from(widths.len() - 1).expect("few"), 200);
        let at = |column| columns(200).iter().position(|c| *c == column).expect("shown");
        assert_eq!(widths[at(Column::Entity)], ENTITY_WIDTH, "a wide list shows entity ids whole");
        assert_eq!(widths[at(Column::Assigned)], ASSIGNED_WIDTH);
        let narrower = column_widths(&columns(120), 120);
        assert_eq!(narrower[columns(120).iter().position(|c| *c == Column::Entity).expect("shown")], 14);
    }
}
