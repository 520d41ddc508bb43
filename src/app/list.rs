//! The alert list: every alert loaded, and the derived view the table shows (status tab, filter,
//! sort). A poll's answer is merged, not swapped in: the cost of a poll follows what changed.
//! The selection is an alert id, so refreshes never move it to another alert.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use hashbrown::DefaultHashBuilder;
use hashbrown::HashTable;
use std::hash::BuildHasher;

use super::filter::Query;
use crate::api::{ElementHash, Known, ListDelta};
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

/// One alert as held: the alert, the hash of the bytes it came as, and the version the user saw.
#[derive(Debug)]
struct Entry {
    alert: Alert,
    hash: ElementHash,
    /// `updated_at` of the version the user has seen; `None` for an alert never seen.
    seen: Option<DateTime<FixedOffset>>,
}

/// A merge changes at most this share of the list one alert at a time; past it, the view is
/// rebuilt in one pass (a mass change, or the first load).
const REBUILD_SHARE: usize = 8;

/// A filter pass over a large list runs in slices of this many alerts, one message each, so
/// that keys are handled between them: a keystroke never holds the loop for long.
const SCAN_SLICE: usize = 100_000;

/// A filter pass in progress: which slots pass, for those checked so far.
#[derive(Debug)]
struct Scan {
    next: usize,
    /// When narrowing, the rows the last query let through (no other can pass).
    candidates: Option<Vec<bool>>,
    passing: Vec<bool>,
    old_position: Option<usize>,
    /// A step was asked for and has not come yet.
    asked: bool,
}

/// What a merge did, for the bell and the "new alerts" markers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Merged {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

#[derive(Debug, Default)]
pub struct AlertList {
    /// Alerts by slot; a removed alert leaves a hole that the next new alert fills.
    slots: Vec<Option<Entry>>,
    free: Vec<u32>,
    /// Slots by alert id (the id is not stored twice: the table holds slots only).
    by_id: HashTable<u32>,
    hasher: DefaultHashBuilder,
    /// Slots by element hash, shared with the fetch in flight.
    known: Known,
    /// Every live slot in display order; `visible` is the part the tab and the filter let through.
    order: Vec<u32>,
    visible: Vec<u32>,
    selected: Option<AlertId>,
    sort: Option<(SortKey, bool)>,
    query: Query,
    status: Option<StatusKey>,
    counts: HashMap<StatusKey, usize>,
    loaded_once: bool,
    /// A filter pass not finished yet; until it is, `visible` still shows the last result.
    scan: Option<Scan>,
    /// Alerts per filter slice (`SCAN_SLICE`; smaller in tests).
    slice: usize,
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

fn slot_number(index: usize) -> u32 {
    u32::try_from(index).expect("fewer than 4 billion alerts")
}

/// A stand-in hash for an alert that did not come from a list answer (a flag's or an update's
/// answer): no element can match it, so the next poll decodes that alert again.
fn local_hash(alert: &Alert) -> ElementHash {
    let text = format!("local\u{0}{}\u{0}{}", alert.anomaly_id, alert.updated_at.timestamp_micros());
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

impl AlertList {
    fn entry(&self, slot: u32) -> &Entry {
        self.slots[slot as usize].as_ref().expect("ordered slots are live")
    }

    fn alert(&self, slot: u32) -> &Alert {
        &self.entry(slot).alert
    }

    fn id_of(&self, slot: u32) -> &str {
        self.alert(slot).anomaly_id.as_str()
    }

    fn slot_of(&self, id: &AlertId) -> Option<u32> {
        let hash = self.hasher.hash_one(id.as_str());
        let slots = &self.slots;
        self.by_id.find(hash, |&s| slots[s as usize].as_ref().is_some_and(|e| e.alert.anomaly_id == *id)).copied()
    }

    /// Whether a first answer was taken in.
    pub fn loaded(&self) -> bool {
        self.loaded_once
    }

    /// A first load built elsewhere (off the UI thread) from an empty list. It takes this
    /// list's view: sort, filter, tab and selection; re-sorting only if the sort was changed
    /// while it loaded. Returns what `merge` would have.
    pub fn adopt(&mut self, mut built: Self) -> Merged {
        self.finish_scan();
        let old_position = self.selected_position();
        let sort_changed = built.sort() != self.sort();
        built.sort = self.sort;
        built.query = std::mem::take(&mut self.query);
        built.status = self.status.take();
        built.selected = self.selected.take();
        if sort_changed {
            built.rebuild_order();
        } else if built.status.is_some() || built.query != Query::default() {
            built.refilter();
        }
        let local = std::mem::replace(self, built);
        // Alerts this list took in before the first load landed (a flag sent meanwhile).
        for alert in local.iter_live().cloned().collect::<Vec<_>>() {
            if self.get(&alert.anomaly_id).is_none() {
                self.upsert(alert);
            }
        }
        self.keep_selection(old_position);
        Merged::default()
    }

    /// What the list holds by element hash, for the next fetch to compare against.
    pub fn known(&self) -> Known {
        Arc::clone(&self.known)
    }

    /// Takes in a list answer compared with what was known. `gone` slots and `changed` alerts
    /// are applied one by one; a change to a large share of the list rebuilds the view at once.
    pub fn merge(&mut self, delta: ListDelta) -> Merged {
        self.finish_scan();
        let first_load = !self.loaded_once;
        self.loaded_once = true;
        let rebuild = first_load || (delta.changed.len() + delta.gone.len()) * REBUILD_SHARE > self.order.len();
        let old_position = self.selected_position();
        let mut merged = Merged::default();
        let mut replaced = Vec::new();
        for (hash, alert) in delta.changed {
            if let Some(slot) = self.slot_of(&alert.anomaly_id) {
                replaced.push(slot);
                self.replace(slot, alert, hash, !rebuild);
                merged.changed += 1;
            } else {
                let seen = first_load.then_some(alert.updated_at);
                self.insert(alert, hash, seen, !rebuild);
                merged.added += 1;
            }
        }
        replaced.sort_unstable();
        for slot in delta.gone {
            let live = self.slots.get(slot as usize).is_some_and(Option::is_some);
            if live && replaced.binary_search(&slot).is_err() {
                self.remove(slot, !rebuild);
                merged.removed += 1;
            }
        }
        if rebuild {
            self.rebuild_order();
        }
        self.keep_selection(old_position);
        if first_load {
            merged.added = 0;
        }
        merged
    }

    /// Makes the list exactly `alerts` (a whole answer decoded elsewhere, as tests and benches
    /// hand it): alerts not in it are removed, the others merged.
    pub fn replace_with(&mut self, alerts: Vec<Alert>) -> Merged {
        let incoming: std::collections::HashSet<&str> = alerts.iter().map(|a| a.anomaly_id.as_str()).collect();
        let gone = self.order.iter().copied().filter(|&s| !incoming.contains(self.alert(s).anomaly_id.as_str()));
        let gone: Vec<u32> = gone.collect();
        let total = alerts.len();
        let changed = alerts.into_iter().map(|a| (local_hash(&a), a)).collect();
        self.merge(ListDelta { changed, gone, total })
    }

    /// Inserts or replaces one alert (a local change the user made: it counts as seen).
    pub fn upsert(&mut self, alert: Alert) {
        self.finish_scan();
        let old_position = self.selected_position();
        let hash = local_hash(&alert);
        let seen = Some(alert.updated_at);
        match self.slot_of(&alert.anomaly_id) {
            Some(slot) => {
                self.replace(slot, alert, hash, true);
                if let Some(entry) = self.slots[slot as usize].as_mut() {
                    entry.seen = seen;
                }
            }
            None => self.insert(alert, hash, seen, true),
        }
        self.keep_selection(old_position);
    }

    fn insert(&mut self, alert: Alert, hash: ElementHash, seen: Option<DateTime<FixedOffset>>, place: bool) {
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(None);
            u32::try_from(self.slots.len() - 1).expect("fewer than 4 billion alerts")
        });
        tally(&mut self.counts, &alert.status, 1);
        let id_hash = self.hasher.hash_one(alert.anomaly_id.as_str());
        self.slots[slot as usize] = Some(Entry { alert, hash, seen });
        let (slots, hasher) = (&self.slots, &self.hasher);
        self.by_id.insert_unique(id_hash, slot, |&s| {
            hasher.hash_one(slots[s as usize].as_ref().map_or("", |e| e.alert.anomaly_id.as_str()))
        });
        Arc::make_mut(&mut self.known).insert(hash, slot);
        if place {
            self.place(slot);
        }
    }

    fn replace(&mut self, slot: u32, alert: Alert, hash: ElementHash, place: bool) {
        if place {
            self.unplace(slot);
        }
        let entry = self.slots[slot as usize].as_mut().expect("a slot found by id is live");
        tally(&mut self.counts, &entry.alert.status, -1);
        tally(&mut self.counts, &alert.status, 1);
        let old_hash = std::mem::replace(&mut entry.hash, hash);
        entry.alert = alert;
        let known = Arc::make_mut(&mut self.known);
        if known.get(&old_hash) == Some(&slot) {
            known.remove(&old_hash);
        }
        known.insert(hash, slot);
        if place {
            self.place(slot);
        }
    }

    fn remove(&mut self, slot: u32, place: bool) {
        if place {
            self.unplace(slot);
        }
        let Some(entry) = self.slots[slot as usize].take() else { return };
        tally(&mut self.counts, &entry.alert.status, -1);
        let id_hash = self.hasher.hash_one(entry.alert.anomaly_id.as_str());
        if let Ok(found) = self.by_id.find_entry(id_hash, |&s| s == slot) {
            found.remove();
        }
        let known = Arc::make_mut(&mut self.known);
        if known.get(&entry.hash) == Some(&slot) {
            known.remove(&entry.hash);
        }
        self.free.push(slot);
    }

    /// The display order of two slots: the sort's key, newest created first within equal keys,
    /// then the id, so that the order is total (a binary search finds every row) and the same
    /// whatever order the alerts arrived in.
    fn compare(&self, a: u32, b: u32) -> Ordering {
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

    fn passes(&self, slot: u32) -> bool {
        let alert = self.alert(slot);
        self.status.as_ref().is_none_or(|s| &alert.status == s) && self.query.matches(alert)
    }

    /// Puts a slot into the order and, if the tab and filter let it through, the visible rows.
    fn place(&mut self, slot: u32) {
        let at = self.order.binary_search_by(|&s| self.compare(s, slot)).unwrap_or_else(|i| i);
        self.order.insert(at, slot);
        if self.passes(slot) {
            let at = self.visible.binary_search_by(|&s| self.compare(s, slot)).unwrap_or_else(|i| i);
            self.visible.insert(at, slot);
        }
    }

    /// Takes a slot out of the order and the visible rows (before the alert in it changes).
    fn unplace(&mut self, slot: u32) {
        if let Ok(at) = self.order.binary_search_by(|&s| self.compare(s, slot)) {
            self.order.remove(at);
        }
        if let Ok(at) = self.visible.binary_search_by(|&s| self.compare(s, slot)) {
            self.visible.remove(at);
        }
    }

    /// Sorts every live slot afresh, then filters. Each row's key is computed once into a plain
    /// integer pair and those are sorted; only rows with equal keys compare their ids.
    fn rebuild_order(&mut self) {
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

    fn iter_live(&self) -> impl Iterator<Item = &Alert> {
        self.slots.iter().filter_map(|e| e.as_ref().map(|e| &e.alert))
    }

    fn refilter(&mut self) {
        let passing = self.passing(None);
        self.visible = self.order.iter().copied().filter(|&s| passing[s as usize]).collect();
    }

    /// Which slots the tab and the filter let through, among `among` (all when `None`). The
    /// alerts are visited in memory order, not display order: at a million alerts, reading
    /// them in sequence rather than by jumps is what keeps a keystroke within a frame or two.
    fn passing(&self, among: Option<&[u32]>) -> Vec<bool> {
        let candidates = among.map(|rows| {
            let mut marked = vec![false; self.slots.len()];
            for &s in rows {
                marked[s as usize] = true;
            }
            marked
        });
        self.slots
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let candidate = candidates.as_ref().is_none_or(|c| c[i]);
                candidate && entry.as_ref().is_some_and(|_| self.passes(slot_number(i)))
            })
            .collect()
    }

    /// After the rows changed: the selected alert stays selected while it is visible; else the
    /// row that took its place is.
    fn keep_selection(&mut self, old_position: Option<usize>) {
        let still_visible = self.selected.as_ref().is_some_and(|id| self.is_visible(id));
        if !still_visible {
            let at = old_position.unwrap_or(0).min(self.visible.len().saturating_sub(1));
            self.selected = self.visible.get(at).map(|&s| self.alert(s).anomaly_id.clone());
            self.mark_selected_seen();
        }
    }

    fn position_in_visible(&self, slot: u32) -> Option<usize> {
        self.visible.binary_search_by(|&s| self.compare(s, slot)).ok()
    }

    fn is_visible(&self, id: &AlertId) -> bool {
        self.slot_of(id).is_some_and(|slot| self.position_in_visible(slot).is_some())
    }

    pub fn sort(&self) -> (SortKey, bool) {
        self.sort.unwrap_or((SortKey::Created, false))
    }

    pub fn set_sort(&mut self, key: SortKey, reversed: bool) {
        self.finish_scan();
        let old_position = self.selected_position();
        self.sort = Some((key, reversed));
        self.rebuild_order();
        self.keep_selection(old_position);
    }

    /// Filters with `text`. A query that only narrows the last one looks at the rows the last
    /// one let through, so each keystroke of a word costs less than the one before.
    /// Over a large list a new (not narrowing) query is checked a slice at a time: the first
    /// slice now, the others on `scan_step`, the last result shown meanwhile.
    pub fn set_query(&mut self, text: &str) {
        let old_position = self.selected_position();
        let query = Query::parse(text);
        if query == self.query {
            return; // the same query (a cursor move, a space): the rows, or the pass, stand
        }
        // Rows of an unfinished pass are not the last query's result: nothing to narrow from.
        let narrows = self.scan.take().is_none() && query.narrows(&self.query);
        self.query = query;
        let candidates = if narrows { self.visible.len() } else { self.slots.len() };
        if candidates > self.slice() {
            // Narrowing: only the rows shown can pass; else every alert is a candidate.
            let marked = narrows.then(|| {
                let mut marked = vec![false; self.slots.len()];
                for &s in &self.visible {
                    marked[s as usize] = true;
                }
                marked
            });
            self.scan = Some(Scan {
                next: 0,
                candidates: marked,
                passing: vec![false; self.slots.len()],
                old_position,
                asked: false,
            });
            self.scan_step();
            return;
        }
        if narrows {
            let passing = self.passing(Some(&self.visible));
            self.visible.retain(|&s| passing[s as usize]);
        } else {
            self.refilter();
        }
        self.keep_selection(old_position);
    }

    /// Filter passes in slices of `slice` alerts (tests make slicing show on small lists).
    #[cfg(test)]
    pub(crate) fn slice_filters_by(&mut self, slice: usize) {
        self.slice = slice;
    }

    fn slice(&self) -> usize {
        if self.slice == 0 { SCAN_SLICE } else { self.slice }
    }

    /// Whether a filter pass is still going (the app asks for `scan_step` until it is done).
    pub fn scanning(&self) -> bool {
        self.scan.is_some()
    }

    /// Whether the app should ask for a step now: a pass is going and no step is out.
    pub fn wants_step(&mut self) -> bool {
        match &mut self.scan {
            Some(scan) if !scan.asked => {
                scan.asked = true;
                true
            }
            _ => false,
        }
    }

    /// Checks the next slice of a filter pass; after the last, shows its result.
    pub fn scan_step(&mut self) {
        let Some(mut scan) = self.scan.take() else { return };
        scan.asked = false;
        let end = (scan.next + self.slice()).min(self.slots.len());
        for i in scan.next..end {
            let candidate = scan.candidates.as_ref().is_none_or(|c| c[i]);
            scan.passing[i] = candidate && self.slots[i].is_some() && self.passes(slot_number(i));
        }
        scan.next = end;
        if end < self.slots.len() {
            self.scan = Some(scan);
            return;
        }
        self.visible = self.order.iter().copied().filter(|&s| scan.passing[s as usize]).collect();
        self.keep_selection(scan.old_position);
    }

    /// Completes a filter pass at once, before anything that changes the rows.
    fn finish_scan(&mut self) {
        while self.scan.is_some() {
            self.scan_step();
        }
    }

    pub fn set_status(&mut self, status: Option<StatusKey>) {
        self.finish_scan();
        let old_position = self.selected_position();
        self.status = status;
        self.refilter();
        self.keep_selection(old_position);
    }

    pub fn status(&self) -> Option<&StatusKey> {
        self.status.as_ref()
    }

    pub fn total(&self) -> usize {
        self.order.len()
    }

    pub fn count(&self, status: &StatusKey) -> usize {
        self.counts.get(status).copied().unwrap_or(0)
    }

    /// Statuses that alerts use, for tabs the server's status list does not name.
    pub fn used_statuses(&self) -> impl Iterator<Item = &StatusKey> {
        self.counts.keys()
    }

    /// Every alert, in display order (all tabs, unfiltered).
    pub fn iter(&self) -> impl Iterator<Item = &Alert> {
        self.order.iter().map(|&s| self.alert(s))
    }

    pub fn get(&self, id: &AlertId) -> Option<&Alert> {
        self.slot_of(id).map(|s| self.alert(s))
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// The visible alerts from row `start`, at most `count` of them: a frame costs only what it shows.
    pub fn visible_rows(&self, start: usize, count: usize) -> impl Iterator<Item = &Alert> {
        self.visible.iter().skip(start).take(count).map(|&s| self.alert(s))
    }

    pub fn selected_id(&self) -> Option<&AlertId> {
        self.selected.as_ref()
    }

    pub fn selected(&self) -> Option<&Alert> {
        self.selected.as_ref().and_then(|id| self.get(id))
    }

    pub fn selected_position(&self) -> Option<usize> {
        self.position_in_visible(self.slot_of(self.selected.as_ref()?)?)
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
        if let Some(&s) = self.visible.get(position.min(self.visible.len().saturating_sub(1))) {
            self.selected = Some(self.alert(s).anomaly_id.clone());
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
        let Some(slot) = self.selected.as_ref().and_then(|id| self.slot_of(id)) else { return };
        if let Some(entry) = self.slots[slot as usize].as_mut() {
            entry.seen = Some(entry.alert.updated_at);
        }
    }

    /// New or changed since the user last looked at it.
    pub fn is_unseen(&self, alert: &Alert) -> bool {
        self.slot_of(&alert.anomaly_id).is_some_and(|s| self.entry(s).seen != Some(alert.updated_at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::alert;
    use proptest::prelude::*;

    fn ids(list: &AlertList) -> Vec<String> {
        list.visible_rows(0, usize::MAX).map(|a| a.anomaly_id.to_string()).collect()
    }

    /// A list of alerts `n` (ids, titles and creation times from the numbers), with `bump` making
    /// an alert's version newer.
    fn alerts(spec: &[(u8, u8)]) -> Vec<Alert> {
        let mut seen = std::collections::HashSet::new();
        spec.iter()
            .filter(|(n, _)| seen.insert(*n))
            .map(|&(n, version)| {
                let statuses = ["FLAGGED", "RESOLVED", "INVESTIGATING"];
                let mut a =
                    alert(&format!("ano_{n}"), &format!("title {n}"), statuses[usize::from(version % 3)], "Balance");
                a.created_at += chrono::Duration::minutes(i64::from(n % 7));
                a.updated_at = a.created_at + chrono::Duration::seconds(i64::from(version));
                a
            })
            .collect()
    }

    proptest! {
        /// Any sequence of answers merged one after the other gives exactly the list that loading
        /// the last answer afresh gives: the same rows in the same order, tab, filter and counts.
        #[test]
        fn merging_equals_loading_afresh(
            answers in proptest::collection::vec(proptest::collection::vec((0u8..40, 0u8..4), 0..30), 1..6),
            sort in 0usize..4,
            reversed: bool,
            query in prop_oneof![Just(""), Just("title 1"), Just("-title 2")],
            tab in prop_oneof![Just(None), Just(Some("RESOLVED"))],
        ) {
            let key = [SortKey::Created, SortKey::Updated, SortKey::Status, SortKey::Type][sort];
            let setup = |list: &mut AlertList| {
                list.set_sort(key, reversed);
                list.set_query(query);
                list.set_status(tab.map(|t| t.parse().expect("a valid key")));
            };
            let mut merged = AlertList::default();
            setup(&mut merged);
            for answer in &answers {
                merged.replace_with(alerts(answer));
            }
            let mut fresh = AlertList::default();
            setup(&mut fresh);
            fresh.replace_with(alerts(answers.last().expect("one answer")));
            prop_assert_eq!(ids(&merged), ids(&fresh));
            prop_assert_eq!(merged.total(), fresh.total());
            prop_assert_eq!(&merged.counts, &fresh.counts);
            prop_assert_eq!(merged.known.len(), merged.total(), "every alert is known by one hash");
        }
    }

    #[test]
    fn a_filter_over_a_large_list_runs_in_slices_and_ends_as_one_pass_would() {
        let answer: Vec<(u8, u8)> = (0..30).map(|n| (n, n % 4)).collect();
        let mut whole = AlertList::default();
        whole.replace_with(alerts(&answer));
        whole.set_query("title 1");
        let mut sliced = AlertList { slice: 7, ..AlertList::default() };
        sliced.replace_with(alerts(&answer));
        let before = ids(&sliced);
        sliced.set_query("title 1");
        assert!(sliced.scanning());
        assert_eq!(ids(&sliced), before, "the last result stays on screen meanwhile");
        // A new keystroke during a pass starts over; it cannot narrow from unfinished rows.
        sliced.set_query("title 2");
        sliced.set_query("title 1");
        let mut steps = 0;
        while sliced.scanning() {
            sliced.scan_step();
            steps += 1;
        }
        assert_eq!(steps, 4, "30 alerts in slices of 7: one slice at once, four on steps");
        assert_eq!(ids(&sliced), ids(&whole));
        // Narrowing goes in slices too while the rows shown are many.
        let mut all = AlertList { slice: 7, ..AlertList::default() };
        all.replace_with(alerts(&answer));
        all.set_query("title");
        assert!(all.scanning(), "every one of 30 rows is a candidate");
        while all.scanning() {
            all.scan_step();
        }
        all.set_query("title 1");
        while all.scanning() {
            all.scan_step();
        }
        assert_eq!(ids(&all), ids(&whole));
        assert_eq!(ids(&sliced), ids(&whole));
        // A change while a pass is going finishes it first.
        sliced.set_query("title 2");
        sliced.replace_with(alerts(&answer));
        whole.set_query("title 2");
        assert!(!sliced.scanning());
        assert_eq!(ids(&sliced), ids(&whole));
    }

    #[test]
    fn an_unchanged_answer_changes_nothing() {
        let mut list = AlertList::default();
        list.replace_with(alerts(&[(1, 0), (2, 0), (3, 0)]));
        let before = (ids(&list), list.order.clone());
        let merged = list.merge(ListDelta { changed: Vec::new(), gone: Vec::new(), total: 3 });
        assert_eq!(merged, Merged::default());
        assert_eq!((ids(&list), list.order.clone()), before);
    }
}
