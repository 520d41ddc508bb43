//! Neighbours: the other alerts on the entities the selected alert names, and, once its
//! transaction has loaded in the panel, the alerts on that transaction's source and destination
//! balances. Found in the loaded list, with no request, in one pass when the selection rests,
//! when the transaction arrives, or when a poll changed the list; never per keystroke. `n`
//! jumps from one to the next. Part of `App::update`; pure.

use super::{App, Cmd, Level};
use crate::api::ListDelta;
use crate::domain::{Alert, AlertId, Entity};

/// Neighbours listed at most (the count says how many there are).
pub const NEIGHBOURS_KEPT: usize = 20;

/// How a neighbour is related to the selected alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// It names one of the same entities.
    Same,
    /// It names the source or destination balance of the selected alert's transaction.
    Source,
    Destination,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour {
    pub id: AlertId,
    pub relation: Relation,
}

/// The neighbours found for the selected alert, and how many there are in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighbours {
    pub list: Vec<Neighbour>,
    pub total: usize,
    /// How many of `list` come before the selected alert in the list's order: `n` goes on from there.
    before: usize,
}

impl App {
    /// The entities whose alerts are the selected alert's neighbours, and how they relate.
    fn wanted_entities(&self) -> Vec<(&str, Relation)> {
        let Some(selected) = self.list.selected() else { return Vec::new() };
        let mut wanted: Vec<(&str, Relation)> = selected.entity_ids().map(|id| (id, Relation::Same)).collect();
        let own = self.entity.trail.first().and_then(|id| self.entity.fetched(id)).and_then(|f| f.value.as_ref());
        if let Some(Entity::Transaction(t)) = own {
            wanted.extend(t.source.as_deref().map(|s| (s, Relation::Source)));
            wanted.extend(t.destination.as_deref().map(|d| (d, Relation::Destination)));
        }
        wanted
    }

    /// Whether a poll's changes can change the neighbours: an alert that came, went or changed
    /// names (or named) one of the entities. Asked before the merge, while the old versions are
    /// still there; most polls touch none, and then no pass over the list is made.
    pub(super) fn delta_touches_neighbours(&self, delta: &ListDelta) -> bool {
        let wanted = self.wanted_entities();
        let names_wanted = |alert: &Alert| alert.entity_ids().any(|id| wanted.iter().any(|(w, _)| *w == id));
        delta
            .changed
            .iter()
            .any(|(_, alert)| names_wanted(alert) || self.list.get(&alert.anomaly_id).is_some_and(&names_wanted))
            || delta.gone.iter().any(|&slot| self.list.in_slot(slot).is_some_and(&names_wanted))
    }

    /// One pass over the list for the selected alert's neighbours.
    pub(super) fn find_neighbours(&mut self) {
        self.entity.neighbours = Neighbours::default();
        let Some(selected) = self.list.selected() else { return };
        let wanted = self.wanted_entities();
        if wanted.is_empty() {
            return;
        }
        let mut found = Neighbours::default();
        let mut passed = false;
        for alert in self.list.iter() {
            if alert.anomaly_id == selected.anomaly_id {
                passed = true;
                continue;
            }
            let relation = alert
                .entity_ids()
                .filter_map(|id| wanted.iter().find(|(w, _)| *w == id).map(|(_, r)| *r))
                .min_by_key(|r| *r as u8);
            if let Some(relation) = relation {
                found.total += 1;
                if !passed {
                    found.before = found.list.len() + 1;
                }
                if found.list.len() < NEIGHBOURS_KEPT {
                    found.list.push(Neighbour { id: alert.anomaly_id.clone(), relation });
                }
            }
        }
        self.entity.neighbours = found;
    }

    /// `n`: selects the neighbour after the selected alert in the list's order (the first after
    /// the last), so that pressing it again goes through them all.
    pub(super) fn jump_to_neighbour(&mut self) -> Vec<Cmd> {
        let neighbours = &self.entity.neighbours;
        if neighbours.list.is_empty() {
            self.notify(Level::Info, "No other alert names these entities.");
            return Vec::new();
        }
        let target = neighbours.list[neighbours.before.min(neighbours.list.len()) % neighbours.list.len()].id.clone();
        self.list.select_id(&target);
        if self.list.selected_id() != Some(&target) {
            self.notify(
                Level::Info,
                format!("{target} is not in this tab or filter: the All tab with no filter shows it."),
            );
            return Vec::new();
        }
        self.detail_scroll = 0;
        // A deliberate key: the new alert's neighbours at once, so `n` can go on.
        let rest = self.follow_selection();
        self.find_neighbours();
        rest.into_iter().collect()
    }
}
