//! The header: the app name, where it is connected, badges, the sync state (spinner, last
//! refresh, staleness), and the status tabs with their counts, as on Blnk's dashboard.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{clock, count, one_line, status_name};
use super::{ViewState, layout};
use crate::app::{App, Tab};
use crate::format;
use crate::theme::{Base, Theme};
use ratatui::style::Modifier;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const TAB_SEPARATOR: &str = "│";

/// Most rows a failure's reason takes below the header when it does not fit beside the title
/// (a server's message is at most 600 characters: all of it at 100 columns).
const REASON_ROWS: u16 = 6;

/// The header's height in `width` columns: the title and the tabs, and below them the reason of
/// a failure when it does not fit on the title's line (so it is never cut).
pub fn height(app: &App, width: u16) -> u16 {
    2 + reason_rows(app, width)
}

fn reason_rows(app: &App, width: u16) -> u16 {
    if app.sync.failure.is_none() {
        return 0;
    }
    let line = usize::from(width.max(1));
    let inline = title_line(app, &app.settings.theme).width() + sync_line(app, &app.settings.theme, true).width();
    if inline < line {
        return 0;
    }
    // Counted as the paragraph wraps it (at words), so no word is left below the last row.
    let rows =
        app.sync.failure.as_ref().map_or(1, |f| reason_paragraph(&f.reason, &app.settings.theme).line_count(width));
    u16::try_from(rows).unwrap_or(REASON_ROWS).clamp(1, REASON_ROWS)
}

fn reason_paragraph<'a>(reason: &str, theme: &Theme) -> Paragraph<'a> {
    Paragraph::new(Span::styled(format!(" {}", one_line(reason)), theme.error))
        .wrap(ratatui::widgets::Wrap { trim: false })
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, view: &mut ViewState, theme: &Theme) {
    let top = layout::row(area, 0);
    // The rows `height` gave the header beyond the title and the tabs hold the reason.
    let below = area.height.saturating_sub(2);
    let (mut left, right) = (title_line(app, theme), sync_line(app, theme, below == 0));
    // The sync state sits on the right when both fit, else right after the badges.
    if left.width() + right.width() < usize::from(top.width) {
        layout::line(frame, top, left);
        frame.render_widget(Paragraph::new(right).right_aligned(), top);
    } else {
        left.spans.extend(right.spans);
        layout::line(frame, top, left);
    }
    if below > 0
        && let Some(failure) = &app.sync.failure
    {
        let rows = Rect { y: area.y.saturating_add(1), height: below, ..area };
        frame.render_widget(reason_paragraph(&failure.reason, theme), rows);
    }
    let tabs = layout::row(area, 1 + below);
    let (line, places) = tabs_line(app, theme, usize::from(tabs.width));
    layout::line(frame, tabs, line);
    view.tabs_row = tabs;
    view.tabs =
        places.into_iter().map(|(from, to, i)| (tabs.x.saturating_add(from), tabs.x.saturating_add(to), i)).collect();
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
        if app.hourly.iter().any(|n| *n > 0) {
            let peak = app.hourly.iter().max().copied().unwrap_or(0);
            spans.extend([
                Span::styled("new/h ", theme.muted),
                Span::styled(sparkline(&app.hourly), theme.info),
                Span::styled(format!(" {peak} max "), theme.muted),
            ]);
        }
    }
    if app.sync.paused {
        spans.extend([Span::styled(" PAUSED ", theme.paused), Span::raw(" ")]);
    }
    Line::from(spans)
}

/// Counts as eighth blocks, the largest full: new alerts per hour over the last day.
fn sparkline(counts: &[u64]) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let peak = counts.iter().max().copied().unwrap_or(0).max(1);
    counts
        .iter()
        .map(|&n| if n == 0 { ' ' } else { LEVELS[usize::try_from((n * 7).div_ceil(peak)).unwrap_or(7).min(7)] })
        .collect()
}

/// The spinner while a fetch is out, then loading, staleness or the last refresh. `reason`:
/// a failure's reason goes here too (else it has rows of its own below).
fn sync_line<'a>(app: &App, theme: &Theme, reason: bool) -> Line<'a> {
    let offset = app.settings.utc_offset;
    let mut spans = Vec::new();
    if app.sync.in_flight() {
        spans.extend([Span::styled(spinner(app), theme.spinner), Span::raw(" ")]);
    }
    if let Some(failure) = &app.sync.failure {
        // The time of the last good answer first, so it is in sight whatever the reason's length.
        let since = app.sync.last_success.unwrap_or(failure.since);
        let text = if reason {
            format!("stale since {} — {}", clock(since, offset), one_line(&failure.reason))
        } else {
            format!("stale since {}: why below", clock(since, offset))
        };
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

/// The first and last tab shown in `width` columns (tab `i` takes `widths[i]`, separator
/// included): the active one always, as many after it as fit, then before it; a sign such as
/// `‹2` or `13›` says how many are hidden on each side.
fn visible_tabs(widths: &[usize], active: usize, width: usize) -> (usize, usize) {
    // The separator, the arrow and the count's digits.
    let sign = 2 + widths.len().to_string().len();
    let (mut first, mut last) = (active, active);
    let used = |first: usize, last: usize| {
        let signs = if first > 0 { sign } else { 0 } + if last + 1 < widths.len() { sign } else { 0 };
        widths[first..=last].iter().sum::<usize>() + signs
    };
    loop {
        if last + 1 < widths.len() && used(first, last + 1) <= width {
            last += 1;
        } else if first > 0 && used(first - 1, last) <= width {
            first -= 1;
        } else {
            return (first, last);
        }
    }
}

/// The tabs, scrolled so the active one is always visible in `width` columns, with a sign on
/// each side where some are hidden.
/// Also says which columns each shown tab took (from, to, tab index), for the mouse.
fn tabs_line<'a>(app: &App, theme: &Theme, width: usize) -> (Line<'a>, Vec<(u16, u16, usize)>) {
    let active = app.list.tab();
    let tabs: Vec<(Span<'a>, bool)> = app
        .tabs()
        .into_iter()
        .map(|tab| {
            let is_active = &tab == active;
            let (label, n, color) = match &tab {
                Tab::All => ("All".to_owned(), app.list.awake(), theme.accent),
                Tab::Snoozed => ("Snoozed".to_owned(), app.list.snoozed(), theme.accent),
                Tab::Mine => ("Assigned to me".to_owned(), app.list.mine(), theme.accent),
                Tab::Status(key) => (status_name(app, key), app.list.count(key), theme.status_color(app.status(key))),
                Tab::View(i) => (super::text::one_line(app.view_name(*i)), app.list.view_count(*i), theme.accent),
            };
            let text = if is_active { format!("[{label} {}]", count(n)) } else { format!(" {label} {} ", count(n)) };
            (Span::styled(text, theme.tab(color, is_active)), is_active)
        })
        .collect();
    let active_at = tabs.iter().position(|(_, a)| *a).unwrap_or(0);
    let widths: Vec<usize> = tabs.iter().map(|(s, _)| s.width() + 1).collect();
    let (first, last) = visible_tabs(&widths, active_at, width);
    let mut spans = Vec::new();
    if first > 0 {
        spans.push(Span::styled(format!("‹{first}"), theme.muted));
    }
    let hidden_right = tabs.len() - 1 - last;
    let mut places = Vec::new();
    for (i, (span, _)) in tabs.into_iter().enumerate().skip(first).take(last + 1 - first) {
        if i > first || first > 0 {
            spans.push(Span::styled(TAB_SEPARATOR, theme.muted));
        }
        let from: usize = spans.iter().map(Span::width).sum();
        let to = from + span.width();
        places.push((u16::try_from(from).unwrap_or(u16::MAX), u16::try_from(to).unwrap_or(u16::MAX), i));
        spans.push(span);
    }
    if hidden_right > 0 {
        spans.extend([Span::styled(TAB_SEPARATOR, theme.muted), Span::styled(format!("{hidden_right}›"), theme.muted)]);
    }
    (Line::from(spans), places)
}

#[cfg(test)]
mod tests {
    use super::visible_tabs;

    #[test]
    fn the_active_tab_shows_with_its_neighbours_and_room_for_the_signs() {
        let widths = [10; 8];
        assert_eq!(visible_tabs(&widths, 0, 200), (0, 7), "all fit");
        assert_eq!(visible_tabs(&widths, 0, 44), (0, 3), "four fit beside the 3› sign");
        assert_eq!(visible_tabs(&widths, 7, 44), (4, 7), "the last tab and those before it");
        assert_eq!(visible_tabs(&widths, 4, 48), (4, 7), "after the active tab first");
        assert_eq!(visible_tabs(&widths, 4, 38), (4, 6), "room for a sign on each side");
        assert_eq!(visible_tabs(&widths, 5, 5), (5, 5), "the active tab even when nothing fits");
    }
}
