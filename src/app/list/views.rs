//! Saved views in the list: each is a tab with its own count, the alerts of its base tab (all,
//! mine, or a status) that its filter lets through, snoozed ones left out as from every count
//! but their own. Counts are kept as alerts come, change and go, like the status counts; only
//! a new set of views, or a new "me", counts them afresh.

use super::{AlertList, Entry, Tab};
use crate::domain::Alert;
use crate::filter::{Me, Query};

/// What a view lets through: its base tab (never `Snoozed` or another view) and its filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewRule {
    pub tab: Tab,
    pub query: Query,
}

impl ViewRule {
    fn lets_through(&self, alert: &Alert, me: &Me) -> bool {
        let in_tab = match &self.tab {
            Tab::Mine => me.owns(alert),
            Tab::Status(key) => &alert.status == key,
            Tab::All | Tab::Snoozed | Tab::View(_) => true,
        };
        in_tab && self.query.matches(alert, me)
    }
}

/// Adds `delta` to the count of every view that lets `alert` through.
pub(super) fn tally_views(views: &[ViewRule], me: &Me, counts: &mut [usize], alert: &Alert, delta: isize) {
    for (rule, count) in views.iter().zip(counts.iter_mut()) {
        if rule.lets_through(alert, me) {
            *count = count.saturating_add_signed(delta);
        }
    }
}

impl AlertList {
    /// The saved views, in their tabs' order. The active tab stays if its view still exists
    /// (a view saved again keeps its place); the rows follow the new rules.
    /// Only views whose rule changed are counted again (a relative filter read anew, a view
    /// saved), and the rows filtered again only if the one shown changed.
    pub fn set_views(&mut self, views: Vec<ViewRule>) {
        self.finish_scan();
        let old_position = self.selected_position();
        let changed: Vec<usize> = (0..views.len()).filter(|&i| self.views.get(i) != Some(&views[i])).collect();
        self.views = views;
        self.view_counts.resize(self.views.len(), 0);
        for &i in &changed {
            self.view_counts[i] = self.slots.iter().flatten().filter(|e| self.in_view(i, e)).count();
        }
        if let Tab::View(i) = self.tab {
            if i >= self.views.len() {
                self.tab = Tab::All;
                self.start_filter_pass(old_position);
            } else if changed.contains(&i) {
                self.start_filter_pass(old_position);
            }
        }
    }

    /// How many alerts view `i` holds.
    pub fn view_count(&self, i: usize) -> usize {
        self.view_counts.get(i).copied().unwrap_or(0)
    }

    pub fn views(&self) -> usize {
        self.views.len()
    }

    /// Whether some view's filter counts back from the moment it was read (`age:<2h`).
    pub fn views_relative(&self) -> bool {
        self.views.iter().any(|rule| rule.query.is_relative())
    }

    /// Whether an entry is in view `i`'s tab.
    pub(super) fn in_view(&self, i: usize, entry: &Entry) -> bool {
        !entry.snoozed && self.views.get(i).is_some_and(|rule| rule.lets_through(&entry.alert, &self.me))
    }

    pub(super) fn recount_views(&mut self) {
        let mut counts = vec![0; self.views.len()];
        for entry in self.slots.iter().flatten().filter(|e| !e.snoozed) {
            tally_views(&self.views, &self.me, &mut counts, &entry.alert, 1);
        }
        self.view_counts = counts;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::StatusKey;

    #[test]
    fn a_view_counts_the_alerts_its_tab_and_filter_let_through_as_they_come_change_and_go() {
        let alert = crate::app::tests::alert;
        let now = chrono::Utc::now();
        let mut alerts: Vec<_> = (0..6)
            .map(|n| alert(&format!("ano_{n}"), if n % 2 == 0 { "wire out" } else { "card" }, "FLAGGED", "Transaction"))
            .collect();
        let resolved = StatusKey::from_name("resolved").expect("a key");
        alerts[0].status = resolved.clone();
        let mut list = AlertList::default();
        list.replace_with(alerts.clone());
        let wires = ViewRule { tab: Tab::All, query: Query::parse("wire", now).expect("valid") };
        let open_wires =
            ViewRule { tab: Tab::Status(StatusKey::flagged()), query: Query::parse("wire", now).expect("valid") };
        list.set_views(vec![wires, open_wires]);
        assert_eq!((list.view_count(0), list.view_count(1)), (3, 2));

        list.set_tab(Tab::View(1));
        assert_eq!(list.visible_len(), 2);
        // A card alert retitled as a wire joins both; a resolved one leaves the second.
        let mut retitled = alerts[1].clone();
        retitled.title = Some("wire in".into());
        list.upsert(retitled);
        let mut closed = alerts[2].clone();
        closed.status = resolved;
        list.upsert(closed);
        assert_eq!((list.view_count(0), list.view_count(1), list.visible_len()), (4, 2, 2));
        // Snoozed alerts are out of a view's count; removed ones too.
        assert!(list.set_snoozed(&alerts[4].anomaly_id, true));
        assert_eq!((list.view_count(0), list.view_count(1)), (3, 1));
        list.replace_with(alerts[..4].to_vec());
        assert_eq!(list.view_count(0), 2, "ano_0 and ano_2 (a wire again), ano_4 gone");
        // Fewer views: the tab of one that is gone falls back to All.
        list.set_views(Vec::new());
        assert_eq!(list.tab(), &Tab::All);
    }
}
