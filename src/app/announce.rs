//! Notifications of new alerts (`notify = true`), coalesced: the first arrival is announced at
//! once, and whatever arrives within `GAP` of an announcement waits and goes out as one
//! ("12 new alerts"), so a burst never becomes a dozen pop-ups.

use chrono::{DateTime, Utc};

use super::Cmd;
use crate::format;

/// The least time between two notifications.
pub const GAP: chrono::Duration = chrono::Duration::seconds(30);
/// The longest title a notification repeats.
const TITLE_CHARS: usize = 80;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Announcer {
    pending: usize,
    /// The title of the newest alert waiting.
    latest: Option<String>,
    last: Option<DateTime<Utc>>,
}

impl Announcer {
    /// New alerts arrived (already filtered), newest last.
    pub fn arrived<'a>(&mut self, titles: impl Iterator<Item = &'a str>) {
        for title in titles {
            self.pending += 1;
            self.latest = Some(title.to_owned());
        }
    }

    /// The notification to show now, if one is waiting and the last was long enough ago.
    pub fn due(&mut self, now: DateTime<Utc>) -> Option<Cmd> {
        if self.pending == 0 || self.last.is_some_and(|last| now - last < GAP && now >= last) {
            return None;
        }
        let title = text(self.latest.take().as_deref().unwrap_or_default());
        let (summary, body) = match std::mem::take(&mut self.pending) {
            1 => ("New alert".to_owned(), title),
            n => (format!("{n} new alerts"), format!("Latest: {title}")),
        };
        self.last = Some(now);
        Some(Cmd::Notify { summary, body })
    }
}

/// A title fit for a notification: one short line of plain text. (It was sanitized when
/// decoded; a terminal's notification escape also ends at `;` or a control character.)
fn text(title: &str) -> String {
    let plain: String =
        crate::domain::single_line(title).chars().map(|c| if c == ';' || c.is_control() { ' ' } else { c }).collect();
    format::truncate(plain.trim(), TITLE_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + chrono::Duration::seconds(secs)
    }

    fn said(cmd: Option<Cmd>) -> Option<(String, String)> {
        match cmd {
            Some(Cmd::Notify { summary, body }) => Some((summary, body)),
            _ => None,
        }
    }

    #[test]
    fn a_burst_is_one_notification_and_what_follows_waits_for_the_gap() {
        let mut announcer = Announcer::default();
        assert_eq!(announcer.due(at(0)), None, "nothing new, nothing said");
        announcer.arrived(["Velocity spike"].into_iter());
        assert_eq!(said(announcer.due(at(1))), Some(("New alert".into(), "Velocity spike".into())));
        announcer.arrived(["a", "b; rm -rf", "Card testing\u{7}\u{1b}]0;x"].into_iter());
        announcer.arrived((0..9).map(|_| "Card testing").chain(["Newest"]));
        assert_eq!(announcer.due(at(10)), None, "within the gap: it waits");
        let (summary, body) = said(announcer.due(at(31))).expect("after the gap");
        assert_eq!((summary.as_str(), body.as_str()), ("13 new alerts", "Latest: Newest"));
        assert_eq!(announcer.due(at(100)), None, "said once");
    }

    #[test]
    fn the_text_is_one_short_plain_line() {
        let long = format!("Mule; account\n{}\u{1b}]777;x\u{7}", "x".repeat(200));
        let clean = text(&long);
        assert!(clean.chars().count() <= TITLE_CHARS, "{clean}");
        assert!(!clean.contains(';') && !clean.chars().any(char::is_control), "{clean:?}");
    }
}
