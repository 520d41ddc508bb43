//! The shape of the queue, from the alerts a view holds: how many were created each of the last
//! 14 days, by status; how old the open ones are; how many of each type; the ten busiest
//! assignees. One pass over the alerts, shared by the dashboard's stats view (over the tab and
//! filter shown) and `blnk-alerts stats`.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::Alert;

/// Days the "created per day" figures cover, today included.
pub const DAYS: usize = 14;
/// Assignees listed at most.
pub const ASSIGNEES: usize = 10;
/// The age brackets of open alerts, by their upper bound in seconds.
pub const AGE_BRACKETS: [(&str, i64); 4] =
    [("< 1 h", 3_600), ("< 1 d", 86_400), ("< 7 d", 7 * 86_400), ("older", i64::MAX)];

/// One day's new alerts, by status key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Day {
    pub date: NaiveDate,
    pub total: usize,
    /// Status keys with their counts, most first.
    pub by_status: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub total: usize,
    pub open: usize,
    /// The last `DAYS` days, oldest first, in local time.
    pub created_per_day: Vec<Day>,
    /// Open alerts in each of `AGE_BRACKETS`.
    pub open_by_age: Vec<(String, usize)>,
    /// Every type, most first.
    pub by_type: Vec<(String, usize)>,
    /// The busiest assignees, most first (unassigned alerts are not counted).
    pub busiest_assignees: Vec<(String, usize)>,
}

/// Whether an alert still needs someone: any status but the settled ones (resolved, closed,
/// dismissed, a false positive), whatever the organisation calls them.
pub fn is_open(alert: &Alert) -> bool {
    let key = alert.status.as_str();
    !["RESOLVED", "CLOSED", "DISMISSED", "FALSE_POSITIVE"].contains(&key)
}

/// Counts, most first, ties by name.
fn ranked(counts: HashMap<&str, usize>) -> Vec<(String, usize)> {
    let mut ranked: Vec<(String, usize)> = counts.into_iter().map(|(k, n)| (k.to_owned(), n)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked
}

impl Stats {
    /// The figures for `alerts` as of `now`; days are counted in `offset`'s local time.
    pub fn of<'a>(alerts: impl Iterator<Item = &'a Alert>, now: DateTime<Utc>, offset: FixedOffset) -> Self {
        let today = now.with_timezone(&offset).date_naive();
        let first = today - chrono::Days::new(DAYS as u64 - 1);
        let mut per_day: Vec<HashMap<&str, usize>> = vec![HashMap::new(); DAYS];
        let mut ages = [0; AGE_BRACKETS.len()];
        let (mut kinds, mut assignees) = (HashMap::new(), HashMap::new());
        let (mut total, mut open) = (0, 0);
        for alert in alerts {
            total += 1;
            let day = alert.created_at.with_timezone(&offset).date_naive();
            if let Some(slot) = usize::try_from((day - first).num_days()).ok().and_then(|i| per_day.get_mut(i)) {
                *slot.entry(alert.status.as_str()).or_default() += 1;
            }
            if is_open(alert) {
                open += 1;
                let age = (now - alert.created_at.to_utc()).num_seconds();
                let bracket = AGE_BRACKETS.iter().position(|(_, limit)| age < *limit).unwrap_or(AGE_BRACKETS.len() - 1);
                ages[bracket] += 1;
            }
            *kinds.entry(alert.kind.name()).or_default() += 1;
            if let Some(who) = alert.assigned_to.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
                *assignees.entry(who).or_default() += 1;
            }
        }
        let created_per_day = per_day
            .into_iter()
            .enumerate()
            .map(|(i, counts)| Day {
                date: first + chrono::Days::new(i as u64),
                total: counts.values().sum(),
                by_status: ranked(counts),
            })
            .collect();
        let mut busiest_assignees = ranked(assignees);
        busiest_assignees.truncate(ASSIGNEES);
        Self {
            total,
            open,
            created_per_day,
            open_by_age: AGE_BRACKETS.iter().zip(ages).map(|((label, _), n)| ((*label).to_owned(), n)).collect(),
            by_type: ranked(kinds),
            busiest_assignees,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::{alert, now};

    #[test]
    fn every_figure_agrees_with_a_count_by_hand() {
        let utc = FixedOffset::east_opt(0).expect("offset");
        let mut alerts = Vec::new();
        // (hours ago, status, type, assignee)
        for (n, (hours, status, kind, who)) in [
            (0, "FLAGGED", "Transaction", "Ada"),
            (2, "FLAGGED", "Balance", "Ada"),
            (30, "RESOLVED", "Transaction", "Li"),
            (30, "INVESTIGATING", "Transaction", " "),
            (24 * 8, "FALSE_POSITIVE", "Identity", "Li"),
            (24 * 20, "FLAGGED", "Identity", "Ada"),
            (24 * 20, "UNRESOLVED", "Identity", ""),
        ]
        .into_iter()
        .enumerate()
        {
            let mut a = alert(&format!("ano_{n}"), "t", status, kind);
            a.created_at = (now() - chrono::Duration::hours(hours)).fixed_offset();
            a.assigned_to = Some(who.to_owned());
            alerts.push(a);
        }
        let stats = Stats::of(alerts.iter(), now(), utc);
        assert_eq!((stats.total, stats.open), (7, 5), "UNRESOLVED is open");
        let ages: Vec<usize> = stats.open_by_age.iter().map(|(_, n)| *n).collect();
        assert_eq!(ages, [1, 1, 1, 2], "0 h, 2 h, 30 h, 20 d twice");
        let today = stats.created_per_day.last().expect("today");
        assert_eq!((today.date, today.total), (now().date_naive(), 2));
        assert_eq!(today.by_status, [("FLAGGED".to_owned(), 2)]);
        assert_eq!(stats.created_per_day.iter().map(|d| d.total).sum::<usize>(), 5, "the 20-day-old one is out");
        assert_eq!(stats.by_type[0], ("Identity".to_owned(), 3));
        assert_eq!(stats.busiest_assignees, [("Ada".to_owned(), 3), ("Li".to_owned(), 2)], "blank is unassigned");
    }
}
