//! The log view's model: the recent log entries (the runtime hands them over as they are
//! logged), the least severe level shown, and where the view is scrolled to.

use std::collections::VecDeque;

use crate::logging::{Entry, Level};

/// Entries the view keeps; the file keeps the rest.
const KEPT: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogView {
    entries: VecDeque<Entry>,
    /// The least severe level shown (`Trace` shows everything).
    pub level: Level,
    /// Shown entries below the last one on screen: 0 is the newest, where it follows.
    pub from_end: usize,
}

impl Default for LogView {
    fn default() -> Self {
        Self { entries: VecDeque::new(), level: Level::Trace, from_end: 0 }
    }
}

impl LogView {
    pub fn following(&self) -> bool {
        self.from_end == 0
    }

    /// Adds newly logged entries; a view scrolled back stays on what it shows.
    pub fn extend(&mut self, entries: Vec<Entry>) {
        for entry in entries {
            if !self.following() && entry.level <= self.level {
                self.from_end += 1;
            }
            if self.entries.len() == KEPT {
                self.entries.pop_front();
            }
            self.entries.push_back(entry);
        }
        self.from_end = self.from_end.min(self.shown_len());
    }

    /// The entries of the level shown, oldest first.
    pub fn shown(&self) -> impl DoubleEndedIterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.level <= self.level)
    }

    pub fn shown_len(&self) -> usize {
        self.shown().count()
    }

    /// Scrolls `by` entries older (negative: newer), never past either end of `rows` a page.
    pub fn scroll(&mut self, by: isize, rows: usize) {
        let furthest = self.shown_len().saturating_sub(rows.max(1));
        self.from_end = self.from_end.saturating_add_signed(by).min(furthest);
    }

    /// The next level in error, warn, info, debug, trace, then error again: back at the newest.
    pub fn cycle_level(&mut self) {
        let at = Level::ALL.iter().position(|l| *l == self.level).unwrap_or(0);
        self.level = Level::ALL[(at + 1) % Level::ALL.len()];
        self.from_end = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: usize, level: Level) -> Entry {
        Entry { at: chrono::DateTime::UNIX_EPOCH, level, text: format!("entry {n}") }
    }

    #[test]
    fn scrolling_back_holds_the_view_while_entries_arrive_and_the_end_follows() {
        let mut log = LogView::default();
        log.extend((0..30).map(|n| entry(n, Level::Info)).collect());
        log.scroll(5, 10);
        assert_eq!(log.from_end, 5);
        log.extend(vec![entry(30, Level::Info), entry(31, Level::Debug)]);
        assert_eq!(log.from_end, 7, "the same entries stay on screen");
        log.scroll(-100, 10);
        assert!(log.following());
        log.scroll(1_000, 10);
        assert_eq!(log.from_end, 22, "no further than the oldest page");
    }

    #[test]
    fn a_level_shows_it_and_everything_more_severe() {
        let mut log = LogView::default();
        log.extend(vec![entry(0, Level::Error), entry(1, Level::Warn), entry(2, Level::Info), entry(3, Level::Debug)]);
        assert_eq!(log.shown_len(), 4);
        log.cycle_level();
        assert_eq!((log.level, log.shown_len()), (Level::Error, 1));
        log.cycle_level();
        log.cycle_level();
        assert_eq!((log.level, log.shown_len()), (Level::Info, 3));
    }

    #[test]
    fn only_the_newest_are_kept() {
        let mut log = LogView::default();
        log.extend((0..KEPT + 10).map(|n| entry(n, Level::Info)).collect());
        assert_eq!(log.shown_len(), KEPT);
        assert_eq!(log.shown().next().map(|e| e.text.as_str()), Some("entry 10"));
    }
}
