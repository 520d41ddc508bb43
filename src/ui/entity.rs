//! The entity panel, in the detail pane: the flagged transaction (its exact amount and
//! currency, where the money went, a rejection reason), balance (its amounts with the currency
//! and the precision used, and which) or identity (name, contacts; tokenized fields said so),
//! and the walk that led there. A failure says what to do in one line; the alert above it is
//! always shown. Every string here was sanitized when it was decoded.

use chrono::DateTime;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::text::one_line;
use crate::api::ApiError;
use crate::app::{App, Relation};
use crate::domain::{Entity, EntityId, Link};
use crate::format::{self, Shown, Tone};
use crate::keymap::{Action, Context};
use crate::theme::Theme;

const LABEL_WIDTH: usize = 14;
/// Recent transactions shown at most.
const HISTORY_SHOWN: usize = 10;

/// The panel's lines, for the alert selected: its entity, then its neighbours.
pub fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let Some(shown) = app.entity.shown() else { return Vec::new() };
    let mut lines = vec![Line::default(), heading(app, shown, theme)];
    entity(&mut lines, app, shown, theme);
    neighbours(&mut lines, app, theme);
    lines
}

fn entity(lines: &mut Vec<Line<'static>>, app: &App, shown: &EntityId, theme: &Theme) {
    let panel = &app.entity;
    let Some(instance) = app.settings.instance_id.as_deref() else {
        lines.push(Line::styled("Set instance_id to see it (Blnk Cloud: Settings > Instances).", theme.muted));
        return;
    };
    let Some(fetched) = panel.fetched(shown) else {
        lines.push(Line::styled("Shown once the selection rests…", theme.muted));
        return;
    };
    if let Some(error) = &fetched.error {
        let retry = app.settings.keymap.key_for(Context::Browse, Action::Refresh);
        lines.push(Line::styled(explain(error, instance, &retry), theme.error));
    }
    match &fetched.value {
        Some(entity) => {
            entity_rows(lines, app, entity, theme);
            if let Entity::Balance(_) = entity {
                if panel.show_history {
                    history(lines, app, shown, theme);
                } else {
                    let hint = format!("{} lists its recent transactions", key(app, Action::History));
                    lines.push(Line::styled(hint, theme.muted));
                }
            }
        }
        None if fetched.loading => lines.push(Line::styled("Loading…", theme.muted)),
        None => {}
    }
}

/// The other alerts on the same entities (and on the transaction's balances), with status and
/// age; `n` selects the next.
fn neighbours(lines: &mut Vec<Line<'static>>, app: &App, theme: &Theme) {
    let neighbours = &app.entity.neighbours;
    if neighbours.list.is_empty() {
        return;
    }
    lines.push(Line::default());
    let jump = key(app, Action::Neighbour);
    lines.push(Line::from(vec![
        Span::styled(format!("Other alerts on it: {}", neighbours.total), theme.heading),
        Span::styled(format!("  ({jump} selects the next)"), theme.muted),
    ]));
    for n in &neighbours.list {
        let Some(alert) = app.list.get(&n.id) else { continue };
        let relation = match n.relation {
            Relation::Same => "",
            Relation::Source => "  (on the source)",
            Relation::Destination => "  (on the destination)",
        };
        let status = super::text::status_name(app, &alert.status);
        lines.push(Line::from(vec![
            Span::styled(format::pad(&status, LABEL_WIDTH), theme.status(app.status(&alert.status))),
            Span::styled(format!("{:<9}", format::age(alert.created_at, app.now)), theme.muted),
            Span::raw(one_line(alert.title_or_placeholder())),
            Span::styled(relation, theme.muted),
        ]));
    }
    if neighbours.total > neighbours.list.len() {
        lines.push(Line::styled(format!("… and {} more", neighbours.total - neighbours.list.len()), theme.muted));
    }
}

/// "Transaction txn_…", and the way back when the panel was walked to it.
fn heading(app: &App, shown: &EntityId, theme: &Theme) -> Line<'static> {
    let name = shown.kind().type_name();
    let mut spans = vec![Span::styled(format!("{name} "), theme.heading), Span::raw(one_line(shown.as_str()))];
    let trail = &app.entity.trail;
    if trail.len() > 1 {
        let back = app.settings.keymap.key_for(Context::Browse, Action::Back);
        let from = trail[trail.len() - 2].kind().type_name().to_lowercase();
        spans.push(Span::styled(format!("  (from the {from}; {back} back)"), theme.muted));
    }
    Line::from(spans)
}

/// What a failure means for the panel, and what to do.
fn explain(error: &ApiError, instance: &str, retry: &str) -> String {
    let said = error.data_api_hint(instance).unwrap_or_else(|| format!("{error} ({retry} retries)"));
    let mut chars = said.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn key(app: &App, action: Action) -> String {
    app.settings.keymap.key_for(Context::Browse, action)
}

/// The entity's rows, styled by their tone, each link's key in its label.
fn entity_rows(lines: &mut Vec<Line<'static>>, app: &App, entity: &Entity, theme: &Theme) {
    let key = |leads: Link| {
        let action = match leads {
            Link::Source => Action::Source,
            Link::Destination => Action::Destination,
            Link::Identity => Action::Identity,
        };
        Some(key(app, action))
    };
    let precision = match entity {
        Entity::Balance(b) => walked_precision(app, b.currency.as_deref()),
        _ => None,
    };
    let shown = Shown { now: app.now, offset: app.settings.utc_offset, precision, key: &key };
    for row in format::entity_rows(entity, &shown) {
        let style = match row.tone {
            Tone::Plain => Style::default(),
            Tone::Strong => theme.pane_title,
            Tone::Bad => theme.error,
            Tone::Warn => theme.warning,
            Tone::Muted => theme.muted,
        };
        lines.push(Line::from(vec![
            Span::styled(format::pad(&row.label, LABEL_WIDTH), theme.label),
            Span::styled(row.value, style),
        ]));
    }
}

/// The precision of the transaction the panel was walked from to this balance, when it is in
/// the same currency: better than the currency's usual one, since balances carry none.
fn walked_precision(app: &App, currency: Option<&str>) -> Option<(u32, String)> {
    let trail = &app.entity.trail;
    let from = &trail[trail.len().checked_sub(2)?];
    match app.entity.fetched(from)?.value.as_ref()? {
        Entity::Transaction(t) if t.currency.as_deref() == currency => {
            let precision = t.precision.as_ref()?;
            Some((precision.decimals_of_precision()?, format!("{}, from the transaction", precision.grouped())))
        }
        _ => None,
    }
}

fn history(lines: &mut Vec<Line<'static>>, app: &App, balance: &EntityId, theme: &Theme) {
    lines.push(Line::default());
    lines.push(Line::styled("Recent transactions", theme.heading));
    let Some(fetched) = app.entity.history(balance) else { return };
    if let Some(error) = &fetched.error {
        let instance = app.settings.instance_id.as_deref().unwrap_or("");
        lines.push(Line::styled(explain(error, instance, &key(app, Action::Refresh)), theme.error));
    }
    let Some((transactions, total)) = &fetched.value else {
        if fetched.loading {
            lines.push(Line::styled("Loading…", theme.muted));
        }
        return;
    };
    if transactions.is_empty() {
        lines.push(Line::styled("None.", theme.muted));
    }
    for t in transactions.iter().take(HISTORY_SHOWN) {
        let outgoing = t.source.as_deref() == Some(balance.as_str());
        let other = if outgoing { &t.destination } else { &t.source };
        let arrow = if outgoing { "→" } else { "←" };
        let age = t
            .created_at
            .as_deref()
            .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
            .map_or_else(String::new, |at| format::age(at, app.now));
        let row = format!(
            "{:<9} {:>18} {arrow} {}  {}",
            age,
            t.money().unwrap_or_default(),
            other.as_deref().unwrap_or("?"),
            t.status.as_deref().unwrap_or("")
        );
        lines.push(Line::raw(one_line(&row)));
    }
    if let Some(total) = total.filter(|t| usize::try_from(*t).is_ok_and(|t| t > transactions.len().min(HISTORY_SHOWN)))
    {
        lines.push(Line::styled(format!("… of {total} in all"), theme.muted));
    }
}
