//! Snoozed alerts in the list: a flag on the entry that takes the alert out of the normal tabs
//! and counts and into the Snoozed tab. Why and until when it sleeps is the app's (`Snoozes`);
//! the list only keeps its views and counts right as alerts fall asleep and resurface.

use super::{AlertList, tally};
use crate::domain::AlertId;

impl AlertList {
    /// Snoozes or wakes `id`; `false` when it is not loaded (or already so).
    pub fn set_snoozed(&mut self, id: &AlertId, snoozed: bool) -> bool {
        let Some(slot) = self.slot_of(id) else { return false };
        if self.entry(slot).snoozed == snoozed {
            return false;
        }
        self.finish_scan();
        let old_position = self.selected_position();
        self.unplace(slot);
        let entry = self.slots[slot as usize].as_mut().expect("a slot found by id is live");
        entry.snoozed = snoozed;
        let (status, mine) = (entry.alert.status.clone(), self.me.owns(&entry.alert));
        let delta = if snoozed { -1 } else { 1 };
        super::tally_views(&self.views, &self.me, &mut self.view_counts, &entry.alert, delta);
        tally(&mut self.counts, &status, delta);
        if mine {
            self.mine = self.mine.saturating_add_signed(delta);
        }
        self.snoozed = self.snoozed.saturating_add_signed(-delta);
        self.place(slot);
        self.keep_selection(old_position);
        true
    }

    /// Wakes `id` and marks it as back from a snooze until it is looked at.
    pub fn resurface(&mut self, id: &AlertId) {
        self.set_snoozed(id, false);
        if let Some(slot) = self.slot_of(id)
            && let Some(entry) = self.slots[slot as usize].as_mut()
        {
            entry.resurfaced = true;
        }
    }

    pub fn is_snoozed(&self, id: &AlertId) -> bool {
        self.slot_of(id).is_some_and(|s| self.entry(s).snoozed)
    }

    pub fn is_resurfaced(&self, id: &AlertId) -> bool {
        self.slot_of(id).is_some_and(|s| self.entry(s).resurfaced)
    }

    /// How many alerts are snoozed.
    pub fn snoozed(&self) -> usize {
        self.snoozed
    }
}

#[cfg(test)]
mod tests {
    use super::super::Tab;
    use super::*;
    use crate::domain::StatusKey;

    #[test]
    fn a_snoozed_alert_leaves_every_tab_and_count_but_its_own_and_comes_back() {
        let alert = crate::app::tests::alert;
        let alerts: Vec<_> = (0..5).map(|n| alert(&format!("ano_{n}"), "t", "FLAGGED", "Balance")).collect();
        let (flagged, resolved) = (StatusKey::flagged(), StatusKey::from_name("resolved").expect("a key"));
        let mut list = AlertList::default();
        list.set_me(crate::filter::Me::new(&["Ada Okafor".to_owned()]));
        list.replace_with(alerts.clone());
        let id = alerts[0].anomaly_id.clone();
        assert!(list.set_snoozed(&id, true));
        assert!(!list.set_snoozed(&id, true), "already snoozed");
        assert_eq!((list.awake(), list.total(), list.snoozed(), list.count(&flagged), list.mine()), (4, 5, 1, 4, 4));
        assert_eq!(list.visible_len(), 4, "the All tab leaves it out");
        list.set_tab(Tab::Snoozed);
        assert_eq!(list.visible_rows(0, 10).map(|a| a.anomaly_id.clone()).collect::<Vec<_>>(), vec![id.clone()]);
        // A change to a snoozed alert keeps it asleep and out of the counts until woken.
        let mut changed = alerts[0].clone();
        changed.status = resolved.clone();
        list.upsert(changed);
        assert_eq!((list.count(&flagged), list.count(&resolved)), (4, 0));
        list.resurface(&id);
        assert!(list.is_resurfaced(&id) && !list.is_snoozed(&id));
        assert_eq!(list.visible_len(), 0, "the Snoozed tab is empty again");
        assert_eq!((list.count(&flagged), list.count(&resolved), list.mine()), (4, 1, 5));
        list.set_tab(Tab::All);
        assert_eq!((list.awake(), list.snoozed()), (5, 0));
        list.select_id(&id);
        assert!(!list.is_resurfaced(&id), "looking at it clears the mark");
        // A snoozed alert that is removed leaves no count behind.
        list.set_snoozed(&id, true);
        list.replace_with(alerts[1..].to_vec());
        assert_eq!((list.snoozed(), list.awake(), list.count(&resolved)), (0, 4, 0));
    }
}
