//! The alert list: every alert loaded, and the derived view the table shows (status tab, filter,
//! sort). A poll's answer is merged, not swapped in: the cost of a poll follows what changed.
//! The selection is an alert id, so refreshes never move it to another alert.

mod filtering;
mod order;
mod snoozed;
mod views;

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use hashbrown::{DefaultHashBuilder, HashTable};

use crate::api::{ElementHash, Known, ListDelta};
use crate::domain::{Alert, AlertId, StatusKey};
use crate::filter::{Me, Query};
use filtering::Scan;
pub use order::{DEFAULT_SORT, SortKey};
pub use views::ViewRule;
use views::tally_views;

/// What a tab shows: every alert, mine, those in one status, those of a saved view (by its
/// place among the views; snoozed alerts in none of these), or the snoozed ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    All,
    Mine,
    Status(StatusKey),
    View(usize),
    Snoozed,
}

/// One alert as held: the alert, the hash of the bytes it came as, and the version the user saw.
#[derive(Debug)]
struct Entry {
    alert: Alert,
    hash: ElementHash,
    /// `updated_at` of the version the user has seen; `None` for an alert never seen.
    seen: Option<DateTime<FixedOffset>>,
    /// Out of the normal tabs and counts until it resurfaces (the app keeps the why and until).
    snoozed: bool,
    /// Back from a snooze, and not looked at since.
    resurfaced: bool,
}

/// A merge changes at most this share of the list one alert at a time; past it, the view is
/// rebuilt in one pass (a mass change, or the first load).
const REBUILD_SHARE: usize = 8;

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
    tab: Tab,
    /// Alerts per status, snoozed ones left out (as they are from every count but their own).
    counts: HashMap<StatusKey, usize>,
    snoozed: usize,
    /// Who "me" is, and how many alerts are assigned to me (kept as alerts come and go).
    me: Me,
    mine: usize,
    /// The saved views' rules, and how many alerts each holds (kept like `counts`).
    views: Vec<ViewRule>,
    view_counts: Vec<usize>,
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
    /// while it loaded. A first load is all seen, so nothing counts as added.
    pub fn adopt(&mut self, mut built: Self) -> Merged {
        self.finish_scan();
        let old_position = self.selected_position();
        let sort_changed = built.sort() != self.sort();
        built.sort = self.sort;
        built.query = std::mem::take(&mut self.query);
        built.tab = std::mem::take(&mut self.tab);
        built.selected = self.selected.take();
        built.views = std::mem::take(&mut self.views);
        built.set_me_quietly(std::mem::take(&mut self.me));
        if sort_changed {
            built.rebuild_order();
        } else if built.tab != Tab::All || built.query != Query::default() {
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
        self.count_mine(&alert, 1);
        tally_views(&self.views, &self.me, &mut self.view_counts, &alert, 1);
        let id_hash = self.hasher.hash_one(alert.anomaly_id.as_str());
        self.slots[slot as usize] = Some(Entry { alert, hash, seen, snoozed: false, resurfaced: false });
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
        if !entry.snoozed {
            tally(&mut self.counts, &entry.alert.status, -1);
            tally(&mut self.counts, &alert.status, 1);
            let was_mine = self.me.owns(&entry.alert);
            let is_mine = self.me.owns(&alert);
            self.mine = (self.mine + usize::from(is_mine)).saturating_sub(usize::from(was_mine));
            tally_views(&self.views, &self.me, &mut self.view_counts, &entry.alert, -1);
            tally_views(&self.views, &self.me, &mut self.view_counts, &alert, 1);
        }
        let entry = self.slots[slot as usize].as_mut().expect("a slot found by id is live");
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
        if entry.snoozed {
            self.snoozed -= 1;
        } else {
            tally(&mut self.counts, &entry.alert.status, -1);
            self.count_mine(&entry.alert, -1);
            tally_views(&self.views, &self.me, &mut self.view_counts, &entry.alert, -1);
        }
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

    /// The status the tab shows, when it shows one.
    pub fn status(&self) -> Option<&StatusKey> {
        match &self.tab {
            Tab::Status(key) => Some(key),
            Tab::All | Tab::Mine | Tab::View(_) | Tab::Snoozed => None,
        }
    }

    pub fn tab(&self) -> &Tab {
        &self.tab
    }

    /// The query the rows are filtered with.
    pub fn query(&self) -> &Query {
        &self.query
    }

    pub fn me(&self) -> &Me {
        &self.me
    }

    /// How many alerts are assigned to me.
    pub fn mine(&self) -> usize {
        self.mine
    }

    /// Who "me" is; the count and (on the Mine tab or with `assigned:me`) the rows follow.
    pub fn set_me(&mut self, me: Me) {
        self.finish_scan();
        let old_position = self.selected_position();
        self.set_me_quietly(me);
        self.start_filter_pass(old_position);
    }

    fn set_me_quietly(&mut self, me: Me) {
        self.me = me;
        let awake = self.slots.iter().flatten().filter(|e| !e.snoozed);
        self.mine = awake.filter(|e| self.me.owns(&e.alert)).count();
        // A view of "mine" or with `assigned:me` holds others now.
        self.recount_views();
    }

    fn count_mine(&mut self, alert: &Alert, delta: isize) {
        if self.me.owns(alert) {
            self.mine = self.mine.saturating_add_signed(delta);
        }
    }

    /// Every alert loaded, snoozed or not.
    pub fn total(&self) -> usize {
        self.order.len()
    }

    /// The alerts not snoozed: what the All tab holds.
    pub fn awake(&self) -> usize {
        self.order.len() - self.snoozed
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

    /// The alert in `slot` (a list answer's delta names gone alerts by slot).
    pub fn in_slot(&self, slot: u32) -> Option<&Alert> {
        self.slots.get(slot as usize)?.as_ref().map(|e| &e.alert)
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

    /// Selects `id` if the tab and filter show it; a filter pass still going is finished first,
    /// so that an alert just let through (a flag after the filter was cleared) is found.
    pub fn select_id(&mut self, id: &AlertId) {
        self.finish_scan();
        if self.is_visible(id) {
            self.selected = Some(id.clone());
            self.mark_selected_seen();
        }
    }

    fn mark_selected_seen(&mut self) {
        let Some(slot) = self.selected.as_ref().and_then(|id| self.slot_of(id)) else { return };
        if let Some(entry) = self.slots[slot as usize].as_mut() {
            entry.seen = Some(entry.alert.updated_at);
            entry.resurfaced = false;
        }
    }

    /// New or changed since the user last looked at it.
    pub fn is_unseen(&self, alert: &Alert) -> bool {
        self.slot_of(&alert.anomaly_id).is_some_and(|s| self.entry(s).seen != Some(alert.updated_at))
    }
}

#[cfg(test)]
mod tests;
