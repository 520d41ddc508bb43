//! Snoozing, kept locally (the API has no snooze): `z` puts the selected or marked alerts to
//! sleep for a while, until tomorrow morning, or until they change. A snoozed alert leaves the
//! normal tabs and counts for the Snoozed tab, and resurfaces by itself when its time is up or
//! its `updated_at` moves (someone touched it). The runtime keeps the snoozes in a state file.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use super::{App, Cmd, Level, Overlay};
use crate::domain::AlertId;

/// One snoozed alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snooze {
    pub since: DateTime<Utc>,
    /// When it wakes; `None`: when it changes, however long that takes.
    pub until: Option<DateTime<Utc>>,
    /// The alert's `updated_at` when it was snoozed: a later one means someone touched it.
    pub updated_at: DateTime<FixedOffset>,
}

/// Every snooze, by alert id (the state file's content).
pub type Snoozes = BTreeMap<AlertId, Snooze>;

/// How long to snooze.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnoozeFor {
    Span(Duration),
    /// Until 09:00 local time tomorrow.
    Tomorrow,
    UntilChange,
}

const HOUR: Duration = Duration::from_secs(3600);

impl SnoozeFor {
    /// The choices `z` offers, in order.
    pub const MENU: [Self; 4] =
        [Self::Span(HOUR), Self::Span(Duration::from_secs(4 * 3600)), Self::Tomorrow, Self::UntilChange];

    /// When a snooze taken at `now` ends (`offset`: the local time's, for "tomorrow").
    pub fn until(self, now: DateTime<Utc>, offset: FixedOffset) -> Option<DateTime<Utc>> {
        match self {
            // A span past the end of time (`:snooze 1000000y`) sleeps until then, never panics.
            Self::Span(span) => Some(
                chrono::Duration::from_std(span)
                    .ok()
                    .and_then(|d| now.checked_add_signed(d))
                    .unwrap_or(DateTime::<Utc>::MAX_UTC),
            ),
            Self::Tomorrow => {
                let tomorrow = now.with_timezone(&offset).date_naive().succ_opt()?;
                let nine = tomorrow.and_hms_opt(9, 0, 0)?;
                nine.and_local_timezone(offset).single().map(|t| t.to_utc())
            }
            Self::UntilChange => None,
        }
    }

    /// "for 4h (until 17:53)", as the menu and the notice say it.
    pub fn describe(self, now: DateTime<Utc>, offset: FixedOffset) -> String {
        let clock = |t: DateTime<Utc>| t.with_timezone(&offset).format("%H:%M").to_string();
        match (self, self.until(now, offset)) {
            (Self::Span(span), Some(until)) => {
                format!("for {} (until {})", humantime::format_duration(span), clock(until))
            }
            (Self::Tomorrow, Some(until)) => format!("until tomorrow {}", clock(until)),
            _ => "until it changes".to_owned(),
        }
    }

    /// What the palette takes: `1h`, `90m`, `2d`, `tomorrow` or `change`.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_lowercase().as_str() {
            "tomorrow" => Ok(Self::Tomorrow),
            "change" | "changed" | "until-change" => Ok(Self::UntilChange),
            other => match humantime::parse_duration(other) {
                Ok(span) if !span.is_zero() => Ok(Self::Span(span)),
                _ => Err(format!("{other:?} is not a snooze: give a time such as 1h or 30m, or tomorrow, or change")),
            },
        }
    }
}

/// Why snoozed alerts woke, for the notice.
#[derive(Debug, Default)]
struct Woken {
    changed: usize,
    time_up: usize,
    gone: usize,
}

impl App {
    /// `z`: wakes the targets if all of them sleep, else asks how long to snooze them.
    pub(super) fn snooze_key(&mut self) -> Vec<Cmd> {
        let targets = self.targets();
        if targets.is_empty() {
            self.notify(Level::Info, "No alert selected.");
            return Vec::new();
        }
        if targets.iter().all(|id| self.snoozes.contains_key(id)) {
            return self.unsnooze(&targets);
        }
        self.overlay = Overlay::Menu(super::Menu::new(super::MenuKind::Snooze(targets)));
        Vec::new()
    }

    /// The marked alerts, or else the selected one.
    pub(super) fn targets(&self) -> Vec<AlertId> {
        if self.marked_count() > 0 { self.marked() } else { self.list.selected_id().cloned().into_iter().collect() }
    }

    /// Snoozes `ids` (those loaded) for `how` long; their marks are done with.
    pub(super) fn snooze(&mut self, ids: &[AlertId], how: SnoozeFor) -> Vec<Cmd> {
        let until = how.until(self.now, self.settings.utc_offset);
        let mut n = 0;
        for id in ids {
            let Some(alert) = self.list.get(id) else { continue };
            let snooze = Snooze { since: self.now, until, updated_at: alert.updated_at };
            self.snoozes.insert(id.clone(), snooze);
            self.list.set_snoozed(id, true);
            self.unmark(id);
            n += 1;
        }
        let them = crate::format::count(n, "alert");
        let how = how.describe(self.now, self.settings.utc_offset);
        self.notify(Level::Success, format!("Snoozed {them} {how}."));
        vec![Cmd::SaveSnoozes(self.snoozes.clone())]
    }

    fn unsnooze(&mut self, ids: &[AlertId]) -> Vec<Cmd> {
        for id in ids {
            self.snoozes.remove(id);
            self.list.set_snoozed(id, false);
            self.unmark(id);
        }
        let them = crate::format::count(ids.len(), "alert");
        self.notify(Level::Success, format!("Woke {them}: back in the normal tabs."));
        vec![Cmd::SaveSnoozes(self.snoozes.clone())]
    }

    /// Snoozes from an earlier run; they take hold when the list has loaded.
    pub(super) fn snoozes_found(&mut self, found: Result<Snoozes, String>) -> Vec<Cmd> {
        match found {
            Ok(snoozes) => self.snoozes = snoozes,
            Err(reason) => self.notify(Level::Error, format!("Could not read the snoozes: {reason}")),
        }
        self.wake_snoozes(true)
    }

    /// Wakes what is due: `everything` (after a list arrived) also looks for alerts that changed
    /// or are gone, and puts the rest to sleep in the list; a tick looks at the times only.
    pub(super) fn wake_snoozes(&mut self, everything: bool) -> Vec<Cmd> {
        if self.snoozes.is_empty() || !self.list.loaded() {
            return Vec::new();
        }
        let mut woken = Woken::default();
        let mut resurfaced = Vec::new();
        let now = self.now;
        let list = &mut self.list;
        self.snoozes.retain(|id, snooze| {
            let time_up = snooze.until.is_some_and(|until| until <= now);
            if !everything && !time_up {
                return true;
            }
            let Some(alert) = list.get(id) else {
                woken.gone += 1;
                return false;
            };
            if alert.updated_at != snooze.updated_at {
                woken.changed += 1;
            } else if time_up {
                woken.time_up += 1;
            } else {
                list.set_snoozed(id, true);
                return true;
            }
            resurfaced.push(id.clone());
            false
        });
        for id in &resurfaced {
            self.list.resurface(id);
        }
        if woken.changed + woken.time_up > 0 {
            let n = woken.changed + woken.time_up;
            let them =
                if n == 1 { "A snoozed alert is back".to_owned() } else { format!("{n} snoozed alerts are back") };
            let why = match (woken.changed, woken.time_up) {
                (0, _) => "its time is up".to_owned(),
                (_, 0) => "changed since".to_owned(),
                (c, t) => format!("{c} changed, {t} time up"),
            };
            self.notify(Level::Info, format!("{them} ({why}), marked ↻."));
        }
        if woken.changed + woken.time_up + woken.gone > 0 {
            vec![Cmd::SaveSnoozes(self.snoozes.clone())]
        } else {
            Vec::new()
        }
    }

    /// Why and until when `id` sleeps.
    pub fn snooze_of(&self, id: &AlertId) -> Option<&Snooze> {
        self.snoozes.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snooze_times_are_reckoned_in_local_time_and_parsed_from_the_palette() {
        let now = DateTime::parse_from_rfc3339("2026-12-03T23:30:00Z").expect("time").to_utc();
        let tokyo = FixedOffset::east_opt(9 * 3600).expect("offset");
        // 08:30 on the 4th in Tokyo: tomorrow is the 5th, at 09:00 there.
        let until = SnoozeFor::Tomorrow.until(now, tokyo).expect("a time");
        assert_eq!(until.to_rfc3339(), "2026-12-05T00:00:00+00:00");
        assert_eq!(SnoozeFor::Tomorrow.describe(now, tokyo), "until tomorrow 09:00");
        assert_eq!(SnoozeFor::MENU[1].describe(now, tokyo), "for 4h (until 12:30)");
        assert_eq!(SnoozeFor::UntilChange.until(now, tokyo), None);
        assert_eq!(SnoozeFor::parse(" 90m "), Ok(SnoozeFor::Span(Duration::from_secs(5400))));
        assert_eq!(SnoozeFor::parse("Tomorrow"), Ok(SnoozeFor::Tomorrow));
        assert_eq!(SnoozeFor::parse("change"), Ok(SnoozeFor::UntilChange));
        let err = SnoozeFor::parse("soon").expect_err("not a time");
        assert!(err.contains("1h or 30m"), "{err}");
        assert!(SnoozeFor::parse("0s").is_err(), "a snooze of nothing is refused");
        let forever = SnoozeFor::parse("100000000y").expect("a span");
        assert_eq!(forever.until(now, tokyo), Some(DateTime::<Utc>::MAX_UTC));
    }
}
