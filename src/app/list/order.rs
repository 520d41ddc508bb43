//! The list's display order: the sort keys, comparing two rows, placing one row by binary search,
//! and sorting every row afresh.

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use super::{AlertList, slot_number};
use crate::domain::Alert;

/// Newest created first, unless the user sorts otherwise.
pub const DEFAULT_SORT: (SortKey, bool) = (SortKey::Created, false);

/// What the list is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Created,
    Updated,
    Status,
    Type,
}

impl SortKey {
    pub const ALL: [Self; 4] = [Self::Created, Self::Updated, Self::Status, Self::Type];

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

impl AlertList {
    /// The display order of two slots: the sort's key, newest created first within equal keys,
    /// then the id, so that the order is total (a binary search finds every row) and the same
    /// whatever order the alerts arrived in.
    pub(super) fn compare(&self, a: u32, b: u32) -> Ordering {
        let (key, reversed) = self.sort();
        let (x, y) = (self.alert(a), self.alert(b));
        // By microsecond, as the full sort keys them, so both agree on every pair.
        let newest_first =
            |p: &DateTime<FixedOffset>, q: &DateTime<FixedOffset>| q.timestamp_micros().cmp(&p.timestamp_micros());
        let order = match key {
            SortKey::Created => newest_first(&x.created_at, &y.created_at),
            SortKey::Updated => newest_first(&x.updated_at, &y.updated_at),
            SortKey::Status => x.status.as_str().cmp(y.status.as_str()),
            SortKey::Type => x.kind.cmp_name(&y.kind),
        };
        let order = match key {
            SortKey::Status | SortKey::Type => order.then_with(|| newest_first(&x.created_at, &y.created_at)),
            SortKey::Created | SortKey::Updated => order,
        }
        .then_with(|| x.anomaly_id.as_str().cmp(y.anomaly_id.as_str()));
        if reversed { order.reverse() } else { order }
    }

    /// Puts a slot into the order and, if the tab and filter let it through, the visible rows.
    pub(super) fn place(&mut self, slot: u32) {
        let at = self.order.binary_search_by(|&s| self.compare(s, slot)).unwrap_or_else(|i| i);
        self.order.insert(at, slot);
        if self.passes(slot) {
            let at = self.visible.binary_search_by(|&s| self.compare(s, slot)).unwrap_or_else(|i| i);
            self.visible.insert(at, slot);
        }
    }

    /// Takes a slot out of the order and the visible rows (before the alert in it changes).
    pub(super) fn unplace(&mut self, slot: u32) {
        if let Ok(at) = self.order.binary_search_by(|&s| self.compare(s, slot)) {
            self.order.remove(at);
        }
        if let Ok(at) = self.visible.binary_search_by(|&s| self.compare(s, slot)) {
            self.visible.remove(at);
        }
    }

    /// Sorts every live slot afresh, then filters. Each row's key is computed once into a plain
    /// integer pair and those are sorted; only rows with equal keys compare their ids.
    pub(super) fn rebuild_order(&mut self) {
        let (key, reversed) = self.sort();
        let micros = |t: &DateTime<FixedOffset>| -t.timestamp_micros();
        let live = self.slots.iter().enumerate().filter_map(|(i, e)| e.as_ref().map(|e| (i, &e.alert)));
        let mut keyed: Vec<(i64, i64, u32)> = match key {
            SortKey::Created | SortKey::Updated => live
                .map(|(i, a)| {
                    let time = if key == SortKey::Created { &a.created_at } else { &a.updated_at };
                    (0, micros(time), slot_number(i))
                })
                .collect(),
            SortKey::Status | SortKey::Type => {
                let name = |a: &'_ Alert| -> String {
                    if key == SortKey::Status { a.status.as_str().to_owned() } else { a.kind.name().to_owned() }
                };
                let mut names: Vec<String> =
                    self.iter_live().map(name).collect::<std::collections::HashSet<_>>().into_iter().collect();
                names.sort_unstable();
                let ranks: HashMap<String, i64> = names.into_iter().zip(0..).collect();
                let rank = |a: &Alert| match key {
                    SortKey::Status => ranks.get(a.status.as_str()).copied().unwrap_or(0),
                    _ => ranks.get(a.kind.name()).copied().unwrap_or(0),
                };
                live.map(|(i, a)| (rank(a), micros(&a.created_at), slot_number(i))).collect()
            }
        };
        keyed.sort_unstable();
        let mut slots: Vec<u32> = keyed.iter().map(|&(_, _, s)| s).collect();
        // Equal keys: by id, so the order does not depend on the order alerts arrived in.
        let mut start = 0;
        while start < keyed.len() {
            let end =
                start + keyed[start..].iter().take_while(|k| (k.0, k.1) == (keyed[start].0, keyed[start].1)).count();
            if end - start > 1 {
                slots[start..end].sort_unstable_by(|&a, &b| self.id_of(a).cmp(self.id_of(b)));
            }
            start = end;
        }
        if reversed {
            slots.reverse();
        }
        self.order = slots;
        self.refilter();
    }

    pub(super) fn iter_live(&self) -> impl Iterator<Item = &Alert> {
        self.slots.iter().filter_map(|e| e.as_ref().map(|e| &e.alert))
    }

    pub fn sort(&self) -> (SortKey, bool) {
        self.sort.unwrap_or(DEFAULT_SORT)
    }

    pub fn set_sort(&mut self, key: SortKey, reversed: bool) {
        self.finish_scan();
        let old_position = self.selected_position();
        self.sort = Some((key, reversed));
        self.rebuild_order();
        self.keep_selection(old_position);
    }
}
