//! Neighbours: the other alerts on the entities the selected alert names, and, once its
//! transaction has loaded in the panel, the alerts on that transaction's source and destination
//! balances. Found in the loaded list, with no request, in one pass when the selection rests,
//! when the transaction arrives, or when a poll changed the list; never per keystroke. `n`
//! jumps from one to the next. Part of `App::update`; pure.

use super::{App, Cmd, Level};
use crate::domain::{AlertId, Entity};

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
    /// One pass over the list for the selected alert's neighbours.
    pub(super) fn find_neighbours(&mut self) {
        self.entity.neighbours = Neighbours::default();
        let Some(selected) = self.list.selected() else { return };
        let mut wanted: Vec<(&str, Relation)> = selected
            .affected_balances
            .iter()
            .chain(&selected.affected_transactions)
            .chain(&selected.affected_identities)
            .map(|id| (id.as_str(), Relation::Same))
            .collect();
        let own = self.entity.trail.first().and_then(|id| self.entity.fetched(id)).and_then(|f| f.value.as_ref());
        if let Some(Entity::Transaction(t)) = own {
            wanted.extend(t.source.as_deref().map(|s| (s, Relation::Source)));
            wanted.extend(t.destination.as_deref().map(|d| (d, Relation::Destination)));
        }
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
            let named =
                alert.affected_balances.iter().chain(&alert.affected_transactions).chain(&alert.affected_identities);
            let relation =
                named.filter_map(|id| wanted.iter().find(|(w, _)| *w == id).map(|(_, r)| *r)).min_by_key(|r| *r as u8);
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
