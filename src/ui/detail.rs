//! The detail pane: everything about the selected alert, then its description wrapped in full
//! (capped for hostile sizes), scrolled by `app.detail_scroll`. A short pane (an 80x24
//! terminal) puts the status, type and assignee on one line and the description right after
//! them, so it is in sight without scrolling; the other fields follow. The flagged entity
//! (`entity`) comes last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::ViewState;
use super::text::{clip, one_line, paragraph_lines, status_name, timestamp};
use crate::app::{App, Focus};
use crate::domain::Alert;
use crate::format;
use crate::theme::Theme;

/// Ids listed per kind of entity before "… and N more".
const IDS_SHOWN: usize = 20;
const LABEL_WIDTH: usize = 14;
/// A title longer than this is cut, so the fields below it stay in sight.
const TITLE_CHARS: usize = 500;
/// A pane with fewer rows than this is short: the description comes first.
const SHORT_PANE: u16 = 16;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, view: &mut ViewState, theme: &Theme) {
    let focused = app.focus == Focus::Detail;
    let mut title = vec![Span::styled(" Detail ", theme.pane_title)];
    if focused {
        title.push(Span::styled("· ↑/↓ scroll ", theme.muted));
    }
    let block = Block::bordered().title(Line::from(title)).border_style(theme.border(focused));
    let Some(alert) = app.list.selected() else {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let at = super::layout::row(inner, inner.height / 2);
        frame.render_widget(Paragraph::new(Span::styled("No alert selected", theme.muted)).centered(), at);
        view.viewport.detail_max_scroll = 0;
        return;
    };
    let short = area.height < SHORT_PANE;
    let paragraph = Paragraph::new(lines(app, alert, short, theme)).block(block).wrap(Wrap { trim: false });
    let total = paragraph.line_count(area.width);
    let max_scroll = u16::try_from(total.saturating_sub(usize::from(area.height))).unwrap_or(u16::MAX);
    view.viewport.detail_max_scroll = max_scroll;
    frame.render_widget(paragraph.scroll((app.detail_scroll.min(max_scroll), 0)), area);
}

fn lines<'a>(app: &App, alert: &Alert, short: bool, theme: &Theme) -> Vec<Line<'a>> {
    let title = alert.title_or_placeholder();
    let clipped = clip(title, TITLE_CHARS);
    let mut title_line = one_line(clipped);
    if clipped.len() < title.len() {
        title_line.push('…');
    }
    let mut lines = vec![Line::styled(title_line, theme.pane_title)];
    let status = Span::styled(status_name(app, &alert.status), theme.status(app.status(&alert.status)));
    if short {
        let assigned = alert.assigned_to.as_deref().map_or_else(|| "unassigned".to_owned(), one_line);
        let dot = || Span::styled(" · ", theme.muted);
        let kind = one_line(&alert.kind.to_string());
        lines.push(Line::from(vec![status, dot(), Span::raw(kind), dot(), Span::raw(assigned)]));
        lines.push(Line::default());
        description(&mut lines, alert, theme);
        lines.push(Line::default());
        fields(&mut lines, app, alert, false, theme);
        lines.extend(super::entity::lines(app, theme));
    } else {
        lines.push(Line::default());
        lines.push(field("Status", status, theme));
        lines.push(field("Type", Span::raw(one_line(&alert.kind.to_string())), theme));
        lines.push(field("Assigned to", optional(alert.assigned_to.as_deref(), theme), theme));
        fields(&mut lines, app, alert, true, theme);
        lines.push(Line::default());
        description(&mut lines, alert, theme);
        lines.extend(super::entity::lines(app, theme));
    }
    lines
}

/// Who it is escalated to, what it affects, when it was created and changed, its id. The
/// escalation line is left out when empty and `always` is false.
fn fields(lines: &mut Vec<Line<'_>>, app: &App, alert: &Alert, always: bool, theme: &Theme) {
    ids(lines, "Escalated to", &alert.escalated_to, always, theme);
    let affected = [
        ("Balances", &alert.affected_balances),
        ("Identities", &alert.affected_identities),
        ("Transactions", &alert.affected_transactions),
    ];
    let none_affected = affected.iter().all(|(_, ids)| ids.is_empty());
    for (label, list) in affected {
        ids(lines, label, list, false, theme);
    }
    if none_affected {
        lines.push(field("Affected", Span::styled("—", theme.muted), theme));
    }
    let offset = app.settings.utc_offset;
    for (label, at) in [("Created", alert.created_at), ("Updated", alert.updated_at)] {
        let when = format!("{} ({})", timestamp(at, offset), format::age(at, app.now));
        lines.push(field(label, Span::raw(when), theme));
    }
    lines.push(field("Anomaly id", Span::raw(one_line(alert.anomaly_id.as_str())), theme));
    if let Some(snooze) = app.snooze_of(&alert.anomaly_id) {
        let until = snooze.until.map_or_else(
            || "until it changes".to_owned(),
            |t| format!("until {} or a change", timestamp(t.fixed_offset(), offset)),
        );
        let since = timestamp(snooze.since.fixed_offset(), offset);
        lines.push(field("Snoozed", Span::styled(format!("since {since}, {until}"), theme.info), theme));
    }
}

/// The description under its heading, in full up to the cap.
fn description(lines: &mut Vec<Line<'_>>, alert: &Alert, theme: &Theme) {
    lines.push(Line::styled("Description", theme.heading));
    let (description, cut) = paragraph_lines(&alert.description);
    if alert.description.trim().is_empty() {
        lines.push(Line::styled("(no description)", theme.muted));
    }
    lines.extend(description.into_iter().map(Line::from));
    if cut {
        lines.push(Line::styled("… (description cut: it is too long to show in full)", theme.muted));
    }
}

/// "Label         value"
fn field<'a>(label: &str, value: Span<'a>, theme: &Theme) -> Line<'a> {
    Line::from(vec![Span::styled(format::pad(label, LABEL_WIDTH), theme.label), value])
}

fn optional<'a>(value: Option<&str>, theme: &Theme) -> Span<'a> {
    match value {
        Some(v) => Span::raw(one_line(v)),
        None => Span::styled("—", theme.muted),
    }
}

/// A list of ids, one per line under one label; an empty list shows `—` only when `always`.
fn ids(lines: &mut Vec<Line<'_>>, label: &str, ids: &[String], always: bool, theme: &Theme) {
    if ids.is_empty() {
        if always {
            lines.push(field(label, Span::styled("—", theme.muted), theme));
        }
        return;
    }
    for (i, id) in ids.iter().take(IDS_SHOWN).enumerate() {
        let label = if i == 0 { label } else { "" };
        lines.push(field(label, Span::raw(one_line(id)), theme));
    }
    if ids.len() > IDS_SHOWN {
        let more = format!("… and {} more", ids.len() - IDS_SHOWN);
        lines.push(field("", Span::styled(more, theme.muted), theme));
    }
}
