//! The filter line: what is typed is read as a [`Query`] and applied to the list; a term that
//! cannot be read is left out, and why is shown under the line.
//! Part of `App::update`; pure like the rest.

use chrono::{DateTime, Utc};

use super::{App, TextInput};
use crate::domain::StatusKey;
use crate::filter::{FilterError, Query};

/// A query that counts back from now (`age:<2h`) is read again this often, so rows age out.
const RELATIVE_EVERY_SECS: i64 = 30;

impl App {
    /// Reads the filter text and applies what of it can be read, keeping why the rest cannot
    /// for the filter line.
    pub(super) fn apply_filter(&mut self) {
        let (query, error) = self.read_filter(self.filter.text());
        self.filter_error = error;
        self.filter_read_at = self.now;
        self.list.set_query(query);
    }

    /// Empties the filter line and shows every row of the tab.
    pub(super) fn clear_filter(&mut self) {
        self.filter = TextInput::new("", false);
        self.filter_error = None;
        self.list.set_query(Query::default());
    }

    /// What of `text` can be read as a query (its statuses checked against the ones there
    /// are), and why the rest cannot.
    pub fn read_filter(&self, text: &str) -> (Query, Option<FilterError>) {
        let (mut query, error) = Query::read(text, self.now);
        let known: Vec<&str> = self
            .statuses
            .iter()
            .map(|s| s.key.as_str())
            .chain(self.list.used_statuses().map(StatusKey::as_str))
            .collect();
        let unknown = query.check_statuses(&known).err();
        // The error of whichever term comes first.
        let error = match (error, unknown) {
            (Some(a), Some(b)) => Some(if a.at <= b.at { a } else { b }),
            (a, b) => a.or(b),
        };
        (query, error)
    }

    /// Reads a time-relative filter (and views) again once old enough to let the wrong rows
    /// through.
    pub(super) fn refresh_relative_filter(&mut self, now: DateTime<Utc>) {
        if now - self.filter_read_at < chrono::Duration::seconds(RELATIVE_EVERY_SECS) {
            return;
        }
        if self.list.query().is_relative() {
            self.apply_filter();
        }
        if self.list.views_relative() {
            self.filter_read_at = now;
            self.refresh_relative_views();
        }
    }
}
