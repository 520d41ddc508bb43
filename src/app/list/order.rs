//! The list's display order: the sort keys, comparing two rows, placing one row by binary search,
//! and sorting every row afresh.

use hashbrown::{HashMap, HashSet};
use std::cmp::Ordering;

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

/// Below this many rows one core sorts faster than two plus the merge.
const PARALLEL_SORT_FROM: usize = 100_000;

/// Sorts `keyed`: a large list in two halves, one on another thread, then merged. A sort of a
/// million rows is a keystroke on the UI thread; halving it keeps that keystroke short.
fn sort_on_two_cores<T: Ord + Copy + Send>(mut keyed: Vec<T>) -> Vec<T> {
    if keyed.len() < PARALLEL_SORT_FROM {
        keyed.sort_unstable();
        return keyed;
    }
    let half = keyed.len() / 2;
    let (left, right) = keyed.split_at_mut(half);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| left.sort_unstable());
        right.sort_unstable();
        // A panic there is one in sort_unstable itself: let it be this thread's too.
        if let Err(panic) = other.join() {
            std::panic::resume_unwind(panic);
        }
    });
    let (left, right) = keyed.split_at(half);
    let mut merged = Vec::with_capacity(keyed.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if right[j] < left[i] {
            merged.push(right[j]);
            j += 1;
        } else {
            merged.push(left[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&left[i..]);
    merged.extend_from_slice(&right[j..]);
    merged
}

/// The name a status or type sort ranks an alert by.
fn name_of(key: SortKey, alert: &Alert) -> &str {
    if key == SortKey::Status { alert.status.as_str() } else { alert.kind.name() }
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

    /// Sorts every live slot afresh, then filters.
    pub(super) fn rebuild_order(&mut self) {
        self.order = self.sorted_slots();
        self.refilter();
    }

    /// A new sort: the same rows shown, in the new order (the filter is not run again).
    fn resort(&mut self) {
        let shown = self.marked(&self.visible);
        self.order = self.sorted_slots();
        self.visible = self.order.iter().copied().filter(|&s| shown[s as usize]).collect();
    }

    /// Every live slot in display order. Each row's key is computed once into plain integers
    /// (16 bytes with the slot) and those are sorted; only rows with equal keys compare ids.
    fn sorted_slots(&self) -> Vec<u32> {
        let (key, reversed) = self.sort();
        // Newest first: an order-keeping map of the signed microseconds onto u64, inverted.
        let newest_first = |t: &DateTime<FixedOffset>| !(t.timestamp_micros().cast_unsigned() ^ (1 << 63));
        let live = self.slots.iter().enumerate().filter_map(|(i, e)| e.as_ref().map(|e| (slot_number(i), &e.alert)));
        let keyed: Vec<(u32, u64, u32)> = match key {
            SortKey::Created => live.map(|(s, a)| (0, newest_first(&a.created_at), s)).collect(),
            SortKey::Updated => live.map(|(s, a)| (0, newest_first(&a.updated_at), s)).collect(),
            SortKey::Status | SortKey::Type => {
                let name = |a| name_of(key, a);
                // Each distinct name once, by reference (a million alerts use a handful).
                let mut names: Vec<&str> = self.iter_live().map(name).collect::<HashSet<&str>>().into_iter().collect();
                names.sort_unstable();
                let ranks: HashMap<&str, u32> = names.into_iter().zip(0..).collect();
                live.map(|(s, a)| (ranks.get(name(a)).copied().unwrap_or(0), newest_first(&a.created_at), s)).collect()
            }
        };
        let keyed = sort_on_two_cores(keyed);
        let mut slots: Vec<u32> = keyed.iter().map(|&(_, _, s)| s).collect();
        // Equal keys: by id, so the order does not depend on the order alerts arrived in.
        let mut start = 0;
        while start < keyed.len() {
            let same = |k: &(u32, u64, u32)| (k.0, k.1) == (keyed[start].0, keyed[start].1);
            let end = start + keyed[start..].iter().take_while(|k| same(k)).count();
            if end - start > 1 {
                slots[start..end].sort_unstable_by(|&a, &b| self.id_of(a).cmp(self.id_of(b)));
            }
            start = end;
        }
        if reversed {
            slots.reverse();
        }
        slots
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
        let was = self.sort.replace((key, reversed));
        if was.unwrap_or(DEFAULT_SORT) == (key, !reversed) {
            // The same key the other way round: every comparison turns over, ties included.
            self.order.reverse();
            self.visible.reverse();
        } else {
            self.resort();
        }
        self.keep_selection(old_position);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_sorted_halves_merge_into_one_sorted_whole() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // Past the size where two cores are used, with many equal keys.
        let keyed: Vec<(u32, u64, u32)> =
            (0..150_001).map(|i| (u32::try_from(next() % 5).expect("small"), next() % 1000, i)).collect();
        let mut expected = keyed.clone();
        expected.sort_unstable();
        assert_eq!(super::sort_on_two_cores(keyed), expected);
        assert_eq!(super::sort_on_two_cores(vec![(1, 2, 3), (0, 0, 0)]), [(0, 0, 0), (1, 2, 3)]);
    }
}
