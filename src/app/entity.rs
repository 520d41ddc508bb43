//! The entity panel's model: the flagged transaction, balance or identity behind the selected
//! alert, fetched from the Data API only once the selection has rested (moving through fifty
//! alerts sends no fifty requests), kept a minute, and walked: a transaction's source or
//! destination balance, a balance's identity, and back. A balance's recent transactions come on
//! demand. Every failure stays in the panel and says what to do. Part of `App::update`; pure.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{App, Cmd, Level};
use crate::api::ApiError;
use crate::domain::{AlertId, Entity, EntityId, Link, Transaction};

/// How long the selection must rest on an alert before its entity is asked for.
pub const REST: Duration = Duration::from_millis(300);
/// How long a fetched entity is shown without asking again.
const FRESH_SECS: i64 = 60;
/// Entities kept at most; the oldest go first.
const KEPT: usize = 256;

/// One answer of the Data API, or the wait for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched<T> {
    /// The last good answer (kept while a newer one is on its way or failed).
    pub value: Option<T>,
    pub error: Option<ApiError>,
    pub loading: bool,
    pub at: DateTime<Utc>,
}

impl<T> Fetched<T> {
    fn loading(at: DateTime<Utc>) -> Self {
        Self { value: None, error: None, loading: true, at }
    }

    fn fresh(&self, now: DateTime<Utc>) -> bool {
        self.loading || (self.error.is_none() && (now - self.at).num_seconds() < FRESH_SECS)
    }

    fn land(&mut self, result: Result<T, ApiError>, at: DateTime<Utc>) {
        self.loading = false;
        self.at = at;
        match result {
            Ok(value) => {
                self.value = Some(value);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }
}

/// A balance's first page of transactions and how many there are in all.
pub type History = (Vec<Transaction>, Option<u64>);

#[derive(Debug, Clone, Default)]
pub struct EntityPanel {
    /// The alert the panel follows.
    alert: Option<AlertId>,
    /// Its entity first, then each one walked to; the last is shown.
    pub trail: Vec<EntityId>,
    /// Bumped each time the selection moves: a rest timer of an older one is stale.
    rest: u64,
    cache: HashMap<EntityId, Fetched<Entity>>,
    histories: HashMap<EntityId, Fetched<History>>,
    /// Whether the shown balance's recent transactions are listed.
    pub show_history: bool,
    /// The other alerts on the same entities, found when the selection rests.
    pub neighbours: super::neighbours::Neighbours,
}

impl EntityPanel {
    /// The entity shown, if the alert names one.
    pub fn shown(&self) -> Option<&EntityId> {
        self.trail.last()
    }

    pub fn fetched(&self, id: &EntityId) -> Option<&Fetched<Entity>> {
        self.cache.get(id)
    }

    pub fn history(&self, id: &EntityId) -> Option<&Fetched<History>> {
        self.histories.get(id)
    }

    /// Where `link` of the shown entity leads, if it is loaded and names a valid id.
    pub fn link(&self, link: Link) -> Option<EntityId> {
        self.cache.get(self.shown()?)?.value.as_ref()?.link(link)?.parse().ok()
    }

    /// Keeps `fetched` for `id`; past the limit the oldest answer goes, never one the walk
    /// still passes through.
    fn keep(&mut self, id: EntityId, fetched: Fetched<Entity>) {
        if !self.cache.contains_key(&id)
            && self.cache.len() >= KEPT
            && let Some(oldest) = self
                .cache
                .iter()
                .filter(|(k, f)| !f.loading && !self.trail.contains(k))
                .min_by_key(|(_, f)| f.at)
                .map(|(k, _)| k.clone())
        {
            self.cache.remove(&oldest);
            self.histories.remove(&oldest);
        }
        self.cache.insert(id, fetched);
    }
}

impl App {
    /// After every message: when the selection moved to another alert, the panel starts over
    /// on its entity and waits for the selection to rest.
    pub(super) fn follow_selection(&mut self) -> Option<Cmd> {
        let selected = self.list.selected_id();
        if self.entity.alert.as_ref() == selected {
            return None;
        }
        self.entity.alert = selected.cloned();
        self.entity.trail =
            self.list.selected().and_then(|a| a.entity()).and_then(|e| e.parse().ok()).into_iter().collect();
        self.entity.show_history = false;
        self.entity.neighbours = super::neighbours::Neighbours::default();
        self.entity.rest += 1;
        // Once it rests: its neighbours, and its entity unless a fresh answer is there.
        self.entity.shown()?;
        Some(Cmd::Rest { after: REST, token: self.entity.rest })
    }

    /// The selection rested: fetch what the panel shows, if it is still the same selection.
    pub(super) fn rested(&mut self, token: u64) -> Vec<Cmd> {
        if token != self.entity.rest {
            return Vec::new();
        }
        self.find_neighbours();
        self.fetch_shown(false).into_iter().collect()
    }

    /// Asks for the shown entity unless a fresh answer is there (`again`: whatever is there).
    fn fetch_shown(&mut self, again: bool) -> Option<Cmd> {
        let instance = self.settings.instance_id.clone()?;
        let id = self.entity.shown()?.clone();
        let cached = self.entity.cache.get(&id);
        if cached.is_some_and(|f| f.loading || (!again && f.fresh(self.now))) {
            return None;
        }
        let mut fetched = cached.cloned().unwrap_or_else(|| Fetched::loading(self.now));
        fetched.loading = true;
        self.entity.keep(id.clone(), fetched);
        Some(Cmd::FetchEntity { id, instance })
    }

    pub(super) fn entity_loaded(&mut self, id: EntityId, result: Result<Box<Entity>, ApiError>) -> Vec<Cmd> {
        // The alert's own transaction names balances whose alerts are neighbours too.
        let own_transaction =
            self.entity.trail.first() == Some(&id) && matches!(&result, Ok(e) if matches!(**e, Entity::Transaction(_)));
        let (now, result) = (self.now, result.map(|entity| *entity));
        if let Some(fetched) = self.entity.cache.get_mut(&id) {
            fetched.land(result, now);
        } else {
            let mut fetched = Fetched::loading(now);
            fetched.land(result, now);
            self.entity.keep(id, fetched);
        }
        if own_transaction {
            self.find_neighbours();
        }
        Vec::new()
    }

    pub(super) fn history_loaded(&mut self, balance: EntityId, result: Result<History, ApiError>) -> Vec<Cmd> {
        let now = self.now;
        self.entity.histories.entry(balance).or_insert_with(|| Fetched::loading(now)).land(result, now);
        Vec::new()
    }

    /// Opens `link` of the shown entity in the panel (at once: the key was pressed on purpose).
    pub(super) fn walk(&mut self, link: Link) -> Vec<Cmd> {
        let Some(target) = self.entity.link(link) else {
            let what = match link {
                Link::Source => "source balance",
                Link::Destination => "destination balance",
                Link::Identity => "identity",
            };
            self.notify(Level::Info, format!("The entity shown has no {what} to open (or it has not loaded)."));
            return Vec::new();
        };
        self.entity.trail.push(target);
        self.entity.show_history = false;
        self.detail_scroll = 0;
        self.fetch_shown(false).into_iter().collect()
    }

    /// Back along the walk, to the alert's own entity at most (asked for again if its answer
    /// has grown old meanwhile).
    pub(super) fn walk_back(&mut self) -> Vec<Cmd> {
        if self.entity.trail.len() <= 1 {
            self.notify(Level::Info, "This is the alert's own entity.");
            return Vec::new();
        }
        self.entity.trail.pop();
        self.entity.show_history = false;
        self.fetch_shown(false).into_iter().collect()
    }

    /// A balance's recent transactions, shown or hidden; asked for the first time they are shown.
    pub(super) fn toggle_history(&mut self) -> Vec<Cmd> {
        let Some(shown) = self.entity.shown().cloned() else { return Vec::new() };
        if shown.kind() != crate::domain::EntityKind::Balance {
            self.notify(Level::Info, "Recent transactions are a balance's: open one first.");
            return Vec::new();
        }
        self.entity.show_history = !self.entity.show_history;
        let Some(instance) = self.settings.instance_id.clone() else { return Vec::new() };
        let stale = self.entity.histories.get(&shown).is_none_or(|h| !h.fresh(self.now));
        if !self.entity.show_history || !stale {
            return Vec::new();
        }
        let now = self.now;
        self.entity.histories.entry(shown.clone()).or_insert_with(|| Fetched::loading(now)).loading = true;
        vec![Cmd::FetchHistory { balance: shown, instance }]
    }

    /// `r`: the shown entity is asked for again too, and the balance's transactions if listed.
    pub(super) fn refresh_entity(&mut self) -> Vec<Cmd> {
        let mut cmds: Vec<Cmd> = self.fetch_shown(true).into_iter().collect();
        if let (true, Some(balance), Some(instance)) =
            (self.entity.show_history, self.entity.shown().cloned(), self.settings.instance_id.clone())
        {
            let now = self.now;
            self.entity.histories.entry(balance.clone()).or_insert_with(|| Fetched::loading(now)).loading = true;
            cmds.push(Cmd::FetchHistory { balance, instance });
        }
        cmds
    }
}
