//! The stats view: the shape of the queue the tab and filter show, drawn with ratatui's bar
//! charts: alerts created each of the last 14 days (one bar per status, in its colour), open
//! alerts by age, by type, and the ten busiest assignees. The figures were computed when the
//! view opened (and again when a poll changed the list), not per frame.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph};

use super::layout;
use super::text::{one_line, status_name};
use crate::app::App;
use crate::domain::StatusKey;
use crate::format;
use crate::stats::Stats;
use crate::theme::Theme;

pub fn draw(frame: &mut Frame, body: Rect, app: &App, theme: &Theme) {
    let Some(stats) = &app.stats else { return };
    let area = layout::centered(body, body.width.saturating_sub(4), body.height.saturating_sub(2));
    let scope = if app.filter.text().trim().is_empty() { String::new() } else { " · filtered".to_owned() };
    let title = Line::from(vec![
        Span::styled(" Stats ", theme.pane_title),
        Span::styled(format!("· {} alerts, {} open{scope} · any key closes ", stats.total, stats.open), theme.muted),
    ]);
    let inner = layout::popup(frame, area, title, theme);
    let [days, lower] = Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]).areas(inner);
    per_day(frame, days, app, stats, theme);
    let [ages, kinds, people] =
        Layout::horizontal([Constraint::Ratio(1, 3), Constraint::Ratio(1, 3), Constraint::Ratio(1, 3)]).areas(lower);
    let plain = |pairs: &[(String, usize)]| pairs.iter().map(|(k, n)| (k.clone(), *n, theme.info)).collect::<Vec<_>>();
    horizontal(frame, ages, "Open by age", &plain(&stats.open_by_age), theme);
    horizontal(frame, kinds, "By type", &plain(&stats.by_type), theme);
    horizontal(frame, people, "Busiest assignees", &plain(&stats.busiest_assignees), theme);
}

/// One group a day, one bar per status in its colour; a legend of the statuses above.
fn per_day(frame: &mut Frame, area: Rect, app: &App, stats: &Stats, theme: &Theme) {
    let block = Block::bordered()
        .title(Span::styled(" Created per day, by status ", theme.heading))
        .border_style(theme.border(false));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Every status that appears, in the order of the tabs.
    let mut keys: Vec<&str> = Vec::new();
    for day in &stats.created_per_day {
        for (key, _) in &day.by_status {
            if !keys.contains(&key.as_str()) {
                keys.push(key);
            }
        }
    }
    let position = |key: &str| app.statuses.iter().position(|s| s.key.as_str() == key).unwrap_or(usize::MAX);
    keys.sort_by_key(|k| (position(k), *k));
    let style_of = |key: &str| key.parse::<StatusKey>().map_or(theme.info, |k| theme.status(app.status(&k)));
    let legend: Vec<Span<'_>> = keys
        .iter()
        .flat_map(|k| {
            let name = key_name(app, k);
            [Span::styled("■ ", style_of(k)), Span::raw(format!("{name}  "))]
        })
        .collect();
    let [legend_row, chart] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(Paragraph::new(Line::from(legend)), legend_row);
    let per_group = u16::try_from(keys.len().max(1)).unwrap_or(1);
    // The widest bars that fit 14 groups, a column apart.
    let days = u16::try_from(stats.created_per_day.len().max(1)).unwrap_or(1);
    let bar_width = (chart.width / days).saturating_sub(1).checked_div(per_group).unwrap_or(1).clamp(1, 3);
    let mut barchart = BarChart::default().bar_width(bar_width).bar_gap(0).group_gap(1).value_style(theme.muted);
    for day in &stats.created_per_day {
        let bars: Vec<Bar<'_>> = keys
            .iter()
            .map(|k| {
                let n = day.by_status.iter().find(|(key, _)| key == k).map_or(0, |(_, n)| *n);
                Bar::default().value(n as u64).text_value(String::new()).style(style_of(k))
            })
            .collect();
        let label = day.date.format("%d").to_string();
        barchart = barchart.data(BarGroup::default().label(Line::from(label).centered()).bars(&bars));
    }
    frame.render_widget(barchart, chart);
}

/// A status key's name as the organisation calls it.
fn key_name(app: &App, key: &str) -> String {
    key.parse::<StatusKey>().map_or_else(|_| one_line(key), |k| status_name(app, &k))
}

/// Labelled horizontal bars with their counts.
fn horizontal(frame: &mut Frame, area: Rect, title: &str, rows: &[(String, usize, Style)], theme: &Theme) {
    let block =
        Block::bordered().title(Span::styled(format!(" {title} "), theme.heading)).border_style(theme.border(false));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if rows.is_empty() {
        frame.render_widget(Paragraph::new(Span::styled("none", theme.muted)), inner);
        return;
    }
    let label_width = usize::from(inner.width / 3).max(4);
    let bars: Vec<Bar<'_>> = rows
        .iter()
        .map(|(label, n, style)| {
            Bar::default()
                .value(*n as u64)
                .label(Line::from(format::truncate(&one_line(label), label_width)))
                .text_value(n.to_string())
                .style(*style)
                .value_style(theme.selected)
        })
        .collect();
    let chart = BarChart::default()
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .data(BarGroup::default().bars(&bars));
    frame.render_widget(chart, inner);
}
