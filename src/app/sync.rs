//! Polling policy as plain state: one fetch at a time, generations to drop stale results,
//! exponential back-off after failures (up to a minute), pause and resume, and an interval that
//! stretches when a full fetch is slow, so polling stays under about a tenth of a core.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// The longest wait between polls while the API is failing.
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// Refresh the statuses every this many alert polls, so a status created or renamed elsewhere
/// reaches the tabs within a poll or two (the answer is a few hundred bytes).
const STATUS_EVERY: u32 = 2;
/// A poll may cost at most one part in this many of the time between polls.
const COST_SHARE: u32 = 10;
/// However slow a fetch, the stretched interval stays below this.
const MAX_STRETCH: Duration = Duration::from_secs(300);

/// How often to poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// The default interval, stretched while a full fetch takes more than a tenth of it (a big
    /// organisation on a slow API), so that polling never costs more than about 10% of a core.
    Adaptive(Duration),
    /// An interval given with `--interval`: kept whatever a fetch costs.
    Fixed(Duration),
}

impl Cadence {
    pub fn interval(self) -> Duration {
        match self {
            Self::Adaptive(d) | Self::Fixed(d) => d,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub since: DateTime<Utc>,
    pub reason: String,
    pub count: u32,
}

#[derive(Debug, Clone)]
pub struct Sync {
    pub interval: Duration,
    cadence: Cadence,
    /// How long the last fetch that brought a whole answer took.
    last_cost: Duration,
    next_generation: u64,
    in_flight: Option<u64>,
    /// Results of fetches older than this generation predate a local change: dropped.
    min_accepted: u64,
    /// A fetch was asked for while one was in flight: send it when that one lands.
    queued: bool,
    next_poll: Option<DateTime<Utc>>,
    pub paused: bool,
    pub last_success: Option<DateTime<Utc>>,
    pub failure: Option<Failure>,
    polls_since_statuses: u32,
}

impl Sync {
    pub fn new(cadence: Cadence) -> Self {
        Self {
            interval: cadence.interval(),
            cadence,
            last_cost: Duration::ZERO,
            next_generation: 1,
            in_flight: None,
            min_accepted: 0,
            queued: false,
            next_poll: None,
            paused: false,
            last_success: None,
            failure: None,
            polls_since_statuses: 0,
        }
    }

    pub fn in_flight(&self) -> bool {
        self.in_flight.is_some()
    }

    /// The generation of the fetch in flight, if one is.
    pub fn in_flight_generation(&self) -> Option<u64> {
        self.in_flight
    }

    /// Starts a fetch if none is in flight; returns its generation.
    pub fn start_fetch(&mut self) -> Option<u64> {
        if self.in_flight.is_some() {
            self.queued = true;
            return None;
        }
        let generation = self.next_generation;
        self.next_generation += 1;
        self.in_flight = Some(generation);
        self.queued = false;
        Some(generation)
    }

    /// A poll is due: not paused, nothing in flight, the time has come (or the clock was set
    /// back so far that the planned time can no longer be right).
    pub fn due(&self, now: DateTime<Utc>) -> bool {
        let longest_wait = MAX_BACKOFF.max(self.interval);
        let clock_went_back = |at: DateTime<Utc>| (at - now).to_std().is_ok_and(|wait| wait > longest_wait);
        !self.paused && self.in_flight.is_none() && self.next_poll.is_none_or(|at| now >= at || clock_went_back(at))
    }

    /// Something changed locally: results of fetches sent before now must not overwrite it.
    pub fn local_change(&mut self) {
        self.min_accepted = self.next_generation;
        if self.in_flight.is_some() {
            self.queued = true;
        }
    }

    /// A fetch landed. Returns whether its result is current enough to apply.
    pub fn landed(&mut self, generation: u64) -> bool {
        if self.in_flight == Some(generation) {
            self.in_flight = None;
        }
        generation >= self.min_accepted
    }

    /// Whether a fetch was asked for while the last one was in flight.
    pub fn take_queued(&mut self) -> bool {
        std::mem::take(&mut self.queued)
    }

    /// A fetch succeeded after `took`; the next one is due an interval later.
    pub fn succeeded(&mut self, now: DateTime<Utc>, took: Duration) {
        self.last_success = Some(now);
        self.failure = None;
        self.last_cost = took;
        self.next_poll = Some(now + self.effective_interval());
    }

    /// How long the last fetch of a whole answer took.
    pub fn last_cost(&self) -> Duration {
        self.last_cost
    }

    /// The interval in force: the configured one, or longer while fetches are slow.
    pub fn effective_interval(&self) -> Duration {
        match self.cadence {
            Cadence::Fixed(d) => d,
            Cadence::Adaptive(d) => d.max(self.last_cost.saturating_mul(COST_SHARE).min(MAX_STRETCH)),
        }
    }

    /// The stretched interval, when it is longer than the configured one (the header says so).
    pub fn stretched(&self) -> Option<Duration> {
        let effective = self.effective_interval();
        (effective > self.interval).then_some(effective)
    }

    pub fn failed(&mut self, now: DateTime<Utc>, reason: String) {
        let count = self.failure.as_ref().map_or(1, |f| f.count + 1);
        let since = self.failure.as_ref().map_or(now, |f| f.since);
        self.failure = Some(Failure { since, reason, count });
        self.next_poll = Some(now + self.backoff(count));
    }

    /// The wait after `failures` failures in a row: the interval, doubled each time, capped.
    pub fn backoff(&self, failures: u32) -> Duration {
        let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(16));
        self.interval.saturating_mul(factor).min(MAX_BACKOFF).max(self.interval)
    }

    /// The next alert poll refreshes the statuses too (an alert uses one not known yet).
    pub fn statuses_soon(&mut self) {
        self.polls_since_statuses = STATUS_EVERY;
    }

    /// Whether this alert poll should also refresh the statuses.
    pub fn statuses_due(&mut self) -> bool {
        self.polls_since_statuses += 1;
        if self.polls_since_statuses >= STATUS_EVERY {
            self.polls_since_statuses = 0;
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_two_fetches_at_once() {
        let mut sync = Sync::new(Cadence::Adaptive(Duration::from_secs(5)));
        let first = sync.start_fetch().expect("first fetch starts");
        assert_eq!(sync.start_fetch(), None);
        assert!(sync.landed(first));
        assert!(sync.take_queued(), "the refused fetch is remembered");
        assert!(sync.start_fetch().is_some());
    }

    #[test]
    fn results_older_than_a_local_change_are_dropped() {
        let mut sync = Sync::new(Cadence::Adaptive(Duration::from_secs(5)));
        let old = sync.start_fetch().expect("starts");
        sync.local_change();
        assert!(!sync.landed(old));
        let fresh = sync.start_fetch().expect("starts");
        assert!(sync.landed(fresh));
    }

    #[test]
    fn a_clock_set_back_does_not_stop_polling() {
        let mut sync = Sync::new(Cadence::Adaptive(Duration::from_secs(5)));
        let now = DateTime::parse_from_rfc3339("2026-01-15T12:00:00Z").expect("valid").to_utc();
        let generation = sync.start_fetch().expect("starts");
        sync.landed(generation);
        sync.succeeded(now, Duration::from_millis(20));
        assert!(!sync.due(now + chrono::Duration::seconds(2)));
        assert!(sync.due(now - chrono::Duration::hours(1)), "an hour back in time: poll anyway");
    }

    #[test]
    fn a_slow_fetch_stretches_the_default_interval_but_not_a_chosen_one() {
        let now = DateTime::parse_from_rfc3339("2026-01-15T12:00:00Z").expect("valid").to_utc();
        let mut adaptive = Sync::new(Cadence::Adaptive(Duration::from_secs(5)));
        adaptive.succeeded(now, Duration::from_millis(300));
        assert_eq!((adaptive.effective_interval(), adaptive.stretched()), (Duration::from_secs(5), None));
        adaptive.succeeded(now, Duration::from_millis(2300));
        assert_eq!(adaptive.stretched(), Some(Duration::from_secs(23)));
        assert!(
            !adaptive.due(now + chrono::Duration::seconds(10)) && adaptive.due(now + chrono::Duration::seconds(23))
        );
        adaptive.succeeded(now, Duration::from_secs(3600));
        assert_eq!(adaptive.effective_interval(), MAX_STRETCH);
        let mut fixed = Sync::new(Cadence::Fixed(Duration::from_secs(5)));
        fixed.succeeded(now, Duration::from_millis(2300));
        assert_eq!((fixed.effective_interval(), fixed.stretched()), (Duration::from_secs(5), None));
    }

    #[test]
    fn backoff_doubles_up_to_a_minute() {
        let sync = Sync::new(Cadence::Adaptive(Duration::from_secs(5)));
        let secs: Vec<u64> = (1..=6).map(|n| sync.backoff(n).as_secs()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 60, 60]);
    }
}
