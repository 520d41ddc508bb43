//! The header: the app name, where it is connected, badges, the sync state (spinner, last
//! refresh, staleness), and the status tabs with their counts, as on Blnk's dashboard.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::layout;
use super::text::{clock, count, one_line, status_name};
use crate::app::App;
use crate::format;
use crate::theme::{Base, Theme};
use ratatui::style::Modifier;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const TAB_SEPARATOR: &str = "│";

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let top = layout::row(area, 0);
    let (mut left, right) = (title_line(app, theme), sync_line(app, theme));
    // The sync state sits on the right when both fit, else right after the badges.
    if left.width() + right.width() < usize::from(top.width) {
        layout::line(frame, top, left);
        frame.render_widget(Paragraph::new(right).right_aligned(), top);
    } else {
        left.spans.extend(right.spans);
        layout::line(frame, top, left);
    }
    let tabs = layout::row(area, 1);
    layout::line(frame, tabs, tabs_line(app, theme, usize::from(tabs.width)));
}

/// Name, source and badges.
fn title_line<'a>(app: &App, theme: &Theme) -> Line<'a> {
    let mut spans = vec![Span::styled(" blnk-alerts", theme.app_name), Span::styled(" · ", theme.muted)];
    if let Some(profile) = &app.settings.profile {
        // Reversed, so the name stands out in its colour and stays marked without colour.
        let style = match profile.colour {
            Some(colour) if theme.base != Base::Mono => theme.header.fg(colour),
            _ => theme.header,
        };
        let name = format!(" {} ", format::truncate(&profile.name, 24));
        spans.extend([Span::styled(name, style.add_modifier(Modifier::REVERSED | Modifier::BOLD)), Span::raw(" ")]);
    }
    spans.extend([Span::styled(format::truncate(&one_line(&app.settings.source), 40), theme.header), Span::raw(" ")]);
    if app.read_only() {
        spans.extend([Span::styled(" READ-ONLY ", theme.badge), Span::raw(" ")]);
    }
    if app.sync.paused {
        spans.extend([Span::styled(" PAUSED ", theme.paused), Span::raw(" ")]);
    }
    Line::from(spans)
}

/// The spinner while a fetch is out, then loading, staleness or the last refresh.
fn sync_line<'a>(app: &App, theme: &Theme) -> Line<'a> {
    let offset = app.settings.utc_offset;
    let mut spans = Vec::new();
    if app.sync.in_flight() {
        spans.extend([Span::styled(spinner(app), theme.spinner), Span::raw(" ")]);
    }
    if let Some(failure) = &app.sync.failure {
        let since = app.sync.last_success.unwrap_or(failure.since);
        let text = format!("stale since {} — {}", clock(since, offset), one_line(&failure.reason));
        spans.push(Span::styled(text, theme.error));
    } else if app.loading {
        let text = match app.progress {
            Some(p) => format!("Loading alerts… {} received ({} MB)", count(p.alerts), p.bytes >> 20),
            None => "Loading alerts…".to_owned(),
        };
        spans.push(Span::styled(text, theme.info));
    } else if let Some(at) = app.sync.last_success {
        spans.push(Span::styled(format!("updated {}", clock(at, offset)), theme.muted));
        if let Some(every) = app.sync.stretched() {
            let text = format!(" · every {} s: the list is slow to fetch", every.as_secs());
            spans.push(Span::styled(text, theme.muted));
        }
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

/// One frame of the spinner, from the app's clock: the view keeps no animation state.
fn spinner(app: &App) -> &'static str {
    // The model's clock moves once a second (the tick), so the spinner turns once a second.
    let seconds = usize::try_from(app.now.timestamp().rem_euclid(1_000_000)).unwrap_or(0);
    SPINNER[seconds % SPINNER.len()]
}

/// The tabs, scrolled so the active one is always visible in `width` columns.
fn tabs_line<'a>(app: &App, theme: &Theme, width: usize) -> Line<'a> {
    let active = app.list.status();
    let tabs: Vec<(Span<'a>, bool)> = app
        .tabs()
        .into_iter()
        .map(|tab| {
            let is_active = tab.as_ref() == active;
            let (label, n, color) = match &tab {
                None => ("All".to_owned(), app.list.total(), theme.accent),
                Some(key) => (status_name(app, key), app.list.count(key), theme.status_color(app.status(key))),
            };
            let text = if is_active { format!("[{label} {}]", count(n)) } else { format!(" {label} {} ", count(n)) };
            (Span::styled(text, theme.tab(color, is_active)), is_active)
        })
        .collect();
    let active_at = tabs.iter().position(|(_, a)| *a).unwrap_or(0);
    let widths: Vec<usize> = tabs.iter().map(|(s, _)| s.width() + 1).collect();
    // Drop tabs from the left until the active one fits.
    let mut first = 0;
    while first < active_at && widths[first..=active_at].iter().sum::<usize>() > width {
        first += 1;
    }
    let mut spans = Vec::new();
    if first > 0 {
        spans.push(Span::styled("…", theme.muted));
    }
    for (i, (span, _)) in tabs.into_iter().enumerate().skip(first) {
        if i > first || first > 0 {
            spans.push(Span::styled(TAB_SEPARATOR, theme.muted));
        }
        spans.push(span);
    }
    Line::from(spans)
}
