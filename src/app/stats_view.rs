//! The stats view's model (`S`): the figures of the tab and filter shown, computed once when it
//! opens and again only when a poll changes the list while it is open, never per frame; and in
//! monitoring (read-only) mode the header's new alerts per hour over the last day, kept the
//! same way. Part of `App::update`; pure.

use chrono::{DateTime, Timelike, Utc};

use super::{App, Overlay};
use crate::stats::Stats;

/// Hours the header's sparkline covers.
pub const HOURS: usize = 24;

impl App {
    /// Opens the stats view on what the list shows now.
    pub(super) fn open_stats(&mut self) {
        self.stats = Some(self.compute_stats());
        self.overlay = Overlay::Stats;
    }

    fn compute_stats(&self) -> Stats {
        Stats::of(self.list.visible_rows(0, usize::MAX), self.now, self.settings.utc_offset)
    }

    /// The list changed: what is shown from it follows.
    pub(super) fn list_changed(&mut self) {
        if self.overlay == Overlay::Stats {
            self.stats = Some(self.compute_stats());
        }
        if self.read_only() {
            self.hourly = hourly(self.list.iter().map(|a| a.created_at.to_utc()), self.now);
        }
    }

    /// A filter pass over a large list ended: a stats view opened during it gets whole figures.
    pub(super) fn filter_pass_ended(&mut self) {
        if self.overlay == Overlay::Stats {
            self.stats = Some(self.compute_stats());
        }
    }

    /// A new hour moves the sparkline along.
    pub(super) fn hour_passed(&mut self, before: DateTime<Utc>) {
        if self.read_only() && before.hour() != self.now.hour() {
            self.hourly = hourly(self.list.iter().map(|a| a.created_at.to_utc()), self.now);
        }
    }
}

/// Alerts created in each of the last `HOURS` hours (the current one last).
fn hourly(created: impl Iterator<Item = DateTime<Utc>>, now: DateTime<Utc>) -> Vec<u64> {
    let mut counts = vec![0; HOURS];
    let this_hour = now.with_minute(0).and_then(|t| t.with_second(0)).and_then(|t| t.with_nanosecond(0)).unwrap_or(now);
    for at in created {
        // 0 for this hour, 1 for any time in the hour before, and so on.
        let hours_ago = if at >= this_hour { 0 } else { ((this_hour - at).num_seconds() - 1).div_euclid(3600) + 1 };
        if let Some(slot) = usize::try_from(hours_ago).ok().filter(|h| *h < HOURS).map(|h| HOURS - 1 - h) {
            counts[slot] += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_alert_counts_in_the_hour_it_was_created() {
        let now = DateTime::parse_from_rfc3339("2026-01-15T12:30:00Z").expect("valid").to_utc();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).expect("valid").to_utc();
        let counts = hourly(
            [
                "2026-01-15T12:05:00Z",
                "2026-01-15T12:00:00Z",
                "2026-01-15T11:59:59Z",
                "2026-01-14T13:00:00Z",
                "2026-01-14T12:59:00Z",
            ]
            .into_iter()
            .map(at),
            now,
        );
        assert_eq!(counts[HOURS - 1], 2, "this hour");
        assert_eq!(counts[HOURS - 2], 1, "the hour before");
        assert_eq!(counts[0], 1, "23 hours back; a day ago is out");
        assert_eq!(counts.iter().sum::<u64>(), 4);
    }
}
