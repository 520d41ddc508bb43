//! The alert list: every alert loaded, and the derived view the table shows (status tab,
//! filter, sort). The selection is an alert id, so refreshes never move it to another alert.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use super::filter::{Query, haystack};
use crate::domain::{Alert, AlertId, StatusKey};

/// What the list is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Created,
    Updated,
    Status,
    Type,
}

impl SortKey {
    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Self::Created => Self::Updated,
            Self::Updated => Self::Status,
            Self::Status => Self::Type,
            Self::Type => Self::Created,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Status => "status",
            Self::Type => "type",
        }
    }
}

#[derive(Debug, Default)]
pub struct AlertList {
    alerts: Vec<Alert>,
    haystacks: Vec<String>,
    positions: HashMap<AlertId, usize>,
    /// Indices into `alerts`, in display order: the derived view.
    visible: Vec<usize>,
    selected: Option<AlertId>,
    sort: Option<(SortKey, bool)>,
    query: Query,
    status: Option<StatusKey>,
    counts: HashMap<StatusKey, usize>,
    /// The version of each alert the user has seen; others are marked until selected.
    seen: HashMap<AlertId, DateTime<FixedOffset>>,
    loaded_once: bool,
}

/// A fresh load with its search text, id lookup and counts already computed, so that the
/// costly part of taking in 100,000 alerts runs off the UI thread (in the fetching task).
#[derive(Debug, Default)]
pub struct Batch {
    alerts: Vec<Alert>,
    haystacks: Vec<String>,
    positions: HashMap<AlertId, usize>,
    counts: HashMap<StatusKey, usize>,
}

impl From<Vec<Alert>> for Batch {
    fn from(alerts: Vec<Alert>) -> Self {
        let haystacks = alerts.iter().map(haystack).collect();
        let positions = alerts.iter().enumerate().map(|(i, a)| (a.anomaly_id.clone(), i)).collect();
        let mut counts = HashMap::new();
        for a in &alerts {
            tally(&mut counts, &a.status, 1);
        }
        Self { alerts, haystacks, positions, counts }
    }
}

/// The previous load, handed to the runtime to free off the UI thread (a million small frees
/// for 100,000 alerts). Clones share it; the last one dropped frees it.
#[derive(Debug, Clone)]
pub struct Retired(std::sync::Arc<Batch>);

impl PartialEq for Retired {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Adds `delta` to the count of alerts in `status`, cloning the key only when it is new and
/// dropping it at zero, so that only statuses in use have a count.
fn tally(counts: &mut HashMap<StatusKey, usize>, status: &StatusKey, delta: isize) {
    match counts.get_mut(status) {
        Some(count) => *count = count.saturating_add_signed(delta),
        None => {
            counts.insert(status.clone(), delta.max(0).unsigned_abs());
        }
    }
    if counts.get(status) == Some(&0) {
        counts.remove(status);
    }
}

impl AlertList {
    /// Replaces every alert with a fresh load. Returns the ids that are new since the last
    /// load, and the previous load to be freed elsewhere.
    pub fn replace_all(&mut self, batch: Batch) -> (Vec<AlertId>, Retired) {
        let Batch { alerts, haystacks, positions, counts } = batch;
        let first_load = !self.loaded_once;
        let new_ids = if first_load {
            Vec::new()
        } else {
            alerts
                .iter()
                .filter(|a| !self.positions.contains_key(&a.anomaly_id))
                .map(|a| a.anomaly_id.clone())
                .collect()
        };
        if first_load {
            self.seen = alerts.iter().map(|a| (a.anomaly_id.clone(), a.updated_at)).collect();
            self.loaded_once = true;
        }
        let old_position = self.selected_position();
        let retired = Batch {
            alerts: std::mem::replace(&mut self.alerts, alerts),
            haystacks: std::mem::replace(&mut self.haystacks, haystacks),
            positions: std::mem::replace(&mut self.positions, positions),
            counts: std::mem::replace(&mut self.counts, counts),
        };
        self.rebuild_view_from(old_position);
        (new_ids, Retired(std::sync::Arc::new(retired)))
    }

    /// Inserts or replaces one alert (a local change the user made: it counts as seen).
    pub fn upsert(&mut self, alert: Alert) {
        let old_position = self.selected_position();
        self.seen.insert(alert.anomaly_id.clone(), alert.updated_at);
        tally(&mut self.counts, &alert.status, 1);
        if let Some(&i) = self.positions.get(&alert.anomaly_id) {
            let previous = std::mem::replace(&mut self.alerts[i], alert);
            tally(&mut self.counts, &previous.status, -1);
            self.haystacks[i] = haystack(&self.alerts[i]);
        } else {
            self.positions.insert(alert.anomaly_id.clone(), self.alerts.len());
            self.haystacks.push(haystack(&alert));
            self.alerts.push(alert);
        }
        self.rebuild_view_from(old_position);
    }

    fn rebuild_view(&mut self) {
        self.rebuild_view_from(self.selected_position());
    }

    /// Recomputes the visible rows, keeping the selected alert (or its place, if it left).
    fn rebuild_view_from(&mut self, old_position: Option<usize>) {
        let (query, status) = (&self.query, &self.status);
        let visible = (0..self.alerts.len()).filter(|&i| {
            let a = &self.alerts[i];
            status.as_ref().is_none_or(|s| &a.status == s) && query.matches(a, &self.haystacks[i])
        });
        self.visible = self.sorted(visible);
        let still_visible = self.selected.as_ref().is_some_and(|id| self.is_visible(id));
        if !still_visible {
            let at = old_position.unwrap_or(0).min(self.visible.len().saturating_sub(1));
            self.selected = self.visible.get(at).map(|&i| self.alerts[i].anomaly_id.clone());
            self.mark_selected_seen();
        }
    }

    /// Orders rows by the chosen sort, newest first within equal keys. Keys are computed once
    /// per row and compared as integers: sorting 100,000 rows then costs milliseconds.
    fn sorted(&self, rows: impl Iterator<Item = usize>) -> Vec<usize> {
        let (key, reversed) = self.sort();
        let ranks = |name: &dyn Fn(&Alert) -> String| -> HashMap<String, u32> {
            let mut names: Vec<String> = self.alerts.iter().map(name).collect();
            names.sort_unstable();
            names.dedup();
            names.into_iter().zip(0..).collect()
        };
        let rank_of = match key {
            SortKey::Status => ranks(&|a| a.status.as_str().to_owned()),
            SortKey::Type => ranks(&|a| a.kind.to_string()),
            SortKey::Created | SortKey::Updated => HashMap::new(),
        };
        let micros = |t: &DateTime<FixedOffset>| std::cmp::Reverse(t.timestamp_micros());
        let mut keyed: Vec<_> = rows
            .map(|i| {
                let a = &self.alerts[i];
                let (rank, time) = match key {
                    SortKey::Created => (0, micros(&a.created_at)),
                    SortKey::Updated => (0, micros(&a.updated_at)),
                    SortKey::Status => (rank_of.get(a.status.as_str()).copied().unwrap_or(0), micros(&a.created_at)),
                    SortKey::Type => (rank_of.get(&a.kind.to_string()).copied().unwrap_or(0), micros(&a.created_at)),
                };
                (rank, time, i)
            })
            .collect();
        keyed.sort_unstable();
        let ordered = keyed.into_iter().map(|(_, _, i)| i);
        if reversed { ordered.rev().collect() } else { ordered.collect() }
    }

    fn is_visible(&self, id: &AlertId) -> bool {
        self.positions.get(id).is_some_and(|i| self.visible.contains(i))
    }

    pub fn sort(&self) -> (SortKey, bool) {
        self.sort.unwrap_or((SortKey::Created, false))
    }

    pub fn set_sort(&mut self, key: SortKey, reversed: bool) {
        self.sort = Some((key, reversed));
        self.rebuild_view();
    }

    pub fn set_query(&mut self, text: &str) {
        self.query = Query::parse(text);
        self.rebuild_view();
    }

    pub fn set_status(&mut self, status: Option<StatusKey>) {
        self.status = status;
        self.rebuild_view();
    }

    pub fn status(&self) -> Option<&StatusKey> {
        self.status.as_ref()
    }

    pub fn total(&self) -> usize {
        self.alerts.len()
    }

    pub fn count(&self, status: &StatusKey) -> usize {
        self.counts.get(status).copied().unwrap_or(0)
    }

    /// Statuses that alerts use, for tabs the server's status list does not name.
    pub fn used_statuses(&self) -> impl Iterator<Item = &StatusKey> {
        self.counts.keys()
    }

    pub fn all(&self) -> &[Alert] {
        &self.alerts
    }

    pub fn get(&self, id: &AlertId) -> Option<&Alert> {
        self.positions.get(id).map(|&i| &self.alerts[i])
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// The visible alerts from row `start`, at most `count` of them: a frame costs only what it shows.
    pub fn visible_rows(&self, start: usize, count: usize) -> impl Iterator<Item = &Alert> {
        self.visible.iter().skip(start).take(count).map(|&i| &self.alerts[i])
    }

    pub fn selected_id(&self) -> Option<&AlertId> {
        self.selected.as_ref()
    }

    pub fn selected(&self) -> Option<&Alert> {
        self.selected.as_ref().and_then(|id| self.get(id))
    }

    pub fn selected_position(&self) -> Option<usize> {
        let i = *self.positions.get(self.selected.as_ref()?)?;
        self.visible.iter().position(|&v| v == i)
    }

    /// Moves the selection by `delta` rows, stopping at either end.
    pub fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        let current = self.selected_position().unwrap_or(0);
        let target = current.saturating_add_signed(delta).min(self.visible.len() - 1);
        self.select_position(target);
    }

    pub fn select_position(&mut self, position: usize) {
        if let Some(&i) = self.visible.get(position.min(self.visible.len().saturating_sub(1))) {
            self.selected = Some(self.alerts[i].anomaly_id.clone());
            self.mark_selected_seen();
        }
    }

    pub fn select_id(&mut self, id: &AlertId) {
        if self.is_visible(id) {
            self.selected = Some(id.clone());
            self.mark_selected_seen();
        }
    }

    fn mark_selected_seen(&mut self) {
        if let Some(alert) = self.selected() {
            let (id, version) = (alert.anomaly_id.clone(), alert.updated_at);
            self.seen.insert(id, version);
        }
    }

    /// New or changed since the user last looked at it.
    pub fn is_unseen(&self, alert: &Alert) -> bool {
        self.seen.get(&alert.anomaly_id) != Some(&alert.updated_at)
    }
}
