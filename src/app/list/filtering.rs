//! Which rows the tab and the filter let through: whole passes for small lists, passes in
//! slices (one message each) for large ones, and narrowing from the last result as a word grows.
//! A tab change and a filter change go through the same pass.

use super::{AlertList, Tab, slot_number};
use crate::filter::Query;

/// A filter pass over a large list runs in slices of this many alerts, one message each, so
/// that keys are handled between them: a keystroke never holds the loop for long.
const SCAN_SLICE: usize = 100_000;

/// A filter pass in progress: which slots pass, for those checked so far.
#[derive(Debug)]
pub(super) struct Scan {
    next: usize,
    /// When narrowing, the rows the last query let through (no other can pass).
    candidates: Option<Vec<bool>>,
    passing: Vec<bool>,
    old_position: Option<usize>,
    /// A step was asked for and has not come yet.
    asked: bool,
}

impl AlertList {
    pub(super) fn passes(&self, slot: u32) -> bool {
        let entry = self.entry(slot);
        let alert = &entry.alert;
        let in_tab = match &self.tab {
            Tab::Snoozed => entry.snoozed,
            _ if entry.snoozed => false,
            Tab::All => true,
            Tab::Mine => self.me.owns(alert),
            Tab::Status(key) => &alert.status == key,
            Tab::View(i) => self.in_view(*i, entry),
        };
        in_tab && self.query.matches(alert, &self.me)
    }

    pub(super) fn refilter(&mut self) {
        let passing = self.passing();
        self.visible = self.order.iter().copied().filter(|&s| passing[s as usize]).collect();
    }

    /// Which slots the tab and the filter let through. The alerts are visited in memory
    /// order, not display order: at a million alerts, reading them in sequence rather than by
    /// jumps is what keeps a pass within a frame or two.
    fn passing(&self) -> Vec<bool> {
        (0..self.slots.len()).map(|i| self.passes_at(i, None)).collect()
    }

    /// Whether slot `i` is live and passes, if it is one of `candidates` (any, when `None`).
    fn passes_at(&self, i: usize, candidates: Option<&[bool]>) -> bool {
        candidates.is_none_or(|c| c[i]) && self.slots[i].is_some() && self.passes(slot_number(i))
    }

    /// `rows` marked among all slots.
    pub(super) fn marked(&self, rows: &[u32]) -> Vec<bool> {
        let mut marked = vec![false; self.slots.len()];
        for &s in rows {
            marked[s as usize] = true;
        }
        marked
    }

    /// Filters with `query`. A query that only narrows the last one looks at the rows the
    /// last one let through, so each keystroke of a word costs less than the one before.
    pub fn set_query(&mut self, query: Query) {
        let old_position = self.selected_position();
        if query == self.query {
            return; // the same query (a cursor move, a space): the rows, or the pass, stand
        }
        // Rows of an unfinished pass are not the last query's result: nothing to narrow from.
        let narrows = self.scan.take().is_none() && query.narrows(&self.query);
        self.query = query;
        self.start_pass(narrows, old_position);
    }

    pub fn set_tab(&mut self, tab: Tab) {
        self.finish_scan();
        let old_position = self.selected_position();
        self.tab = tab;
        self.start_pass(false, old_position);
    }

    /// Filters afresh from every alert (who "me" is changed).
    pub(super) fn start_filter_pass(&mut self, old_position: Option<usize>) {
        self.start_pass(false, old_position);
    }

    /// Filters afresh (`narrowing`: among the rows shown only). Over more candidates than a
    /// slice, the first slice is checked now and the others on `scan_step`, the last result
    /// shown meanwhile; else all at once.
    fn start_pass(&mut self, narrowing: bool, old_position: Option<usize>) {
        let count = if narrowing { self.visible.len() } else { self.slots.len() };
        let candidates = narrowing.then(|| self.marked(&self.visible));
        let passing = vec![false; self.slots.len()];
        self.scan = Some(Scan { next: 0, candidates, passing, old_position, asked: false });
        if count > self.slice() { self.scan_step() } else { self.finish_scan() }
    }

    /// Filter passes in slices of `slice` alerts (tests make slicing show on small lists).
    #[cfg(test)]
    pub(crate) fn slice_filters_by(&mut self, slice: usize) {
        self.slice = slice;
    }

    pub(super) fn slice(&self) -> usize {
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
            scan.passing[i] = self.passes_at(i, scan.candidates.as_deref());
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
    pub(super) fn finish_scan(&mut self) {
        while self.scan.is_some() {
            self.scan_step();
        }
    }
}
