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

impl AlertList {
    /// Replaces every alert with a fresh load. Returns the ids that are new since the last load.
    pub fn replace_all(&mut self, alerts: Vec<Alert>) -> Vec<AlertId> {
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
        self.haystacks = alerts.iter().map(haystack).collect();
        self.alerts = alerts;
        self.reindex();
        new_ids
    }

    /// Inserts or replaces one alert (a local change the user made: it counts as seen).
    pub fn upsert(&mut self, alert: Alert) {
        self.seen.insert(alert.anomaly_id.clone(), alert.updated_at);
        if let Some(&i) = self.positions.get(&alert.anomaly_id) {
            self.haystacks[i] = haystack(&alert);
            self.alerts[i] = alert;
        } else {
            self.haystacks.push(haystack(&alert));
            self.alerts.push(alert);
        }
        self.reindex();
    }

    fn reindex(&mut self) {
        self.positions = self.alerts.iter().enumerate().map(|(i, a)| (a.anomaly_id.clone(), i)).collect();
        self.counts.clear();
        for a in &self.alerts {
            *self.counts.entry(a.status.clone()).or_default() += 1;
        }
        self.rebuild_view();
    }

    /// Recomputes the visible rows, keeping the selected alert (or its place, if it left).
    fn rebuild_view(&mut self) {
        let old_position = self.selected_position();
        let (query, status) = (&self.query, &self.status);
        self.visible = (0..self.alerts.len())
            .filter(|&i| {
                let a = &self.alerts[i];
                status.as_ref().is_none_or(|s| &a.status == s) && query.matches(a, &self.haystacks[i])
            })
            .collect();
        let (key, reversed) = self.sort();
        let alerts = &self.alerts;
        self.visible.sort_by(|&x, &y| {
            let (a, b) = (&alerts[x], &alerts[y]);
            let primary = match key {
                SortKey::Created => b.created_at.cmp(&a.created_at),
                SortKey::Updated => b.updated_at.cmp(&a.updated_at),
                SortKey::Status => a.status.cmp(&b.status),
                SortKey::Type => a.kind.to_string().cmp(&b.kind.to_string()),
            };
            let ordered =
                primary.then_with(|| b.created_at.cmp(&a.created_at)).then_with(|| a.anomaly_id.cmp(&b.anomaly_id));
            if reversed { ordered.reverse() } else { ordered }
        });
        let still_visible = self.selected.as_ref().is_some_and(|id| self.is_visible(id));
        if !still_visible {
            let at = old_position.unwrap_or(0).min(self.visible.len().saturating_sub(1));
            self.selected = self.visible.get(at).map(|&i| self.alerts[i].anomaly_id.clone());
            self.mark_selected_seen();
        }
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

    pub fn unseen_count(&self) -> usize {
        self.alerts.iter().filter(|a| self.is_unseen(a)).count()
    }
}
