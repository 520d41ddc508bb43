//! How the app takes in what the runtime reports: loaded alerts, a flag's or an update's
//! answer, a conflict. Part of `App::update`; pure like the rest.

use super::{
    Action, Alert, AlertId, ApiError, App, Cmd, Context, DraftKey, Level, ListFetch, Overlay, Phase, Submission,
    UpdateKind,
};

/// A list that arrived: whole (decoded elsewhere), as a fetch's comparison, or built whole
/// off the UI thread (the first load).
pub(super) enum Loaded {
    Whole(Vec<Alert>),
    Fetched(ListFetch),
    Built(Box<super::AlertList>, Option<String>),
}

impl App {
    pub(super) fn alerts_loaded(
        &mut self,
        generation: u64,
        result: Result<Loaded, ApiError>,
        took: std::time::Duration,
    ) -> Vec<Cmd> {
        let current = self.sync.landed(generation);
        if !self.sync.in_flight() {
            self.progress = None;
        }
        let mut cmds = Vec::new();
        match result {
            Ok(loaded) if current => {
                self.loading = false;
                // A 304 says nothing of what a whole answer costs.
                let cost = match &loaded {
                    Loaded::Fetched(ListFetch::NotModified) => self.sync.last_cost(),
                    _ => took,
                };
                self.sync.succeeded(self.now, cost);
                self.announce_arrivals(&loaded);
                // What changed (a first load counts nothing as added, yet the list is new).
                // Whether the neighbours need a new pass (a poll usually changes none of them).
                let mut neighbours_moved = true;
                let (merged, new_list) = match loaded {
                    Loaded::Whole(alerts) => (self.list.replace_with(alerts), true),
                    // Nothing changed: nothing to redo, not even a look at the form.
                    Loaded::Fetched(ListFetch::NotModified) => (super::Merged::default(), false),
                    Loaded::Fetched(ListFetch::Answer { delta, etag }) => {
                        self.list_etag = etag;
                        if delta.is_empty() {
                            (super::Merged::default(), false)
                        } else {
                            let selected = self.list.selected_id().cloned();
                            neighbours_moved = self.delta_touches_neighbours(&delta);
                            let merged = self.list.merge(delta);
                            neighbours_moved |= self.list.selected_id() != selected.as_ref();
                            (merged, true)
                        }
                    }
                    Loaded::Built(list, etag) => {
                        self.list_etag = etag;
                        (self.list.adopt(*list), true)
                    }
                };
                if !self.marks.is_empty() {
                    self.prune_marks();
                }
                if new_list && neighbours_moved {
                    self.find_neighbours();
                }
                if new_list {
                    self.list_changed();
                    if self.list.used_statuses().any(|k| self.status(k).is_none()) {
                        self.sync.statuses_soon();
                    }
                }
                cmds.extend(self.wake_snoozes(true));
                if self.settings.bell && merged.added > 0 {
                    cmds.push(Cmd::Bell);
                }
                cmds.extend(self.announcer.due(self.now));
                cmds.extend(self.check_flag_arrived());
            }
            Ok(_) => {}
            Err(e) => {
                self.loading = false;
                if let Overlay::Form(form) = &mut self.overlay
                    && matches!(form.phase, Phase::Verifying { .. })
                {
                    form.phase = Phase::Editing;
                    form.error = Some(format!(
                        "Could not check whether the flag arrived ({e}). Look for it in the list before sending again."
                    ));
                }
                self.sync.failed(self.now, e.to_string());
            }
        }
        if self.sync.take_queued() {
            cmds.extend(self.poll());
        }
        cmds
    }

    /// Hands the alerts that are new since the last list (and pass `notify_filter`) to the
    /// announcer. The first load announces nothing: everything is new then.
    fn announce_arrivals(&mut self, loaded: &Loaded) {
        if !self.settings.notify || !self.list.loaded() {
            return;
        }
        let fresh: Vec<&Alert> = match loaded {
            Loaded::Whole(alerts) => alerts.iter().collect(),
            Loaded::Fetched(ListFetch::Answer { delta, .. }) => delta.changed.iter().map(|(_, a)| a).collect(),
            Loaded::Fetched(ListFetch::NotModified) | Loaded::Built(..) => return,
        };
        // Checked when the configuration was read.
        let filter = self.settings.notify_filter.as_deref().map(|text| self.read_filter(text).0);
        let mut arrived: Vec<&Alert> = fresh
            .into_iter()
            .filter(|a| self.list.get(&a.anomaly_id).is_none())
            .filter(|a| filter.as_ref().is_none_or(|q| q.matches(a, self.list.me())))
            .collect();
        arrived.sort_by_key(|a| a.created_at);
        self.announcer.arrived(arrived.into_iter().map(Alert::title_or_placeholder));
    }

    /// After an ambiguous flag, looks for the alert in the fresh list before offering a resend.
    fn check_flag_arrived(&mut self) -> Vec<Cmd> {
        let Overlay::Form(form) = &mut self.overlay else { return Vec::new() };
        let Phase::Verifying { entity, description, sent_at } = &form.phase else { return Vec::new() };
        let skew = chrono::Duration::minutes(5);
        let found = self.list.iter().find(|a| {
            a.description.trim() == description.trim()
                && a.created_at.to_utc() + skew >= *sent_at
                && a.entity_ids().any(|id| id.eq_ignore_ascii_case(entity.as_str()))
        });
        if let Some(id) = found.map(|a| a.anomaly_id.clone()) {
            self.list.select_id(&id);
            self.notify(Level::Success, format!("The flag did reach the server: {id}"));
            return self.close_form(DraftKey::Flag);
        }
        form.phase = Phase::Editing;
        let send = self.key_for(Context::Form, Action::Submit);
        let Overlay::Form(form) = &mut self.overlay else { return Vec::new() };
        form.error = Some(format!("The flag was not created. Press {send} to send it again."));
        Vec::new()
    }

    pub(super) fn flagged(&mut self, result: Result<Alert, ApiError>) -> Vec<Cmd> {
        match result {
            Ok(alert) => {
                let id = alert.anomaly_id.clone();
                self.sync.local_change();
                self.list.upsert(alert);
                self.list.select_id(&id);
                if self.list.selected_id() != Some(&id) {
                    // Filtered out of view: clear the filter and tab so the new alert shows.
                    self.clear_filter();
                    self.list.set_tab(super::Tab::All);
                    self.list.select_id(&id);
                }
                self.notify(Level::Success, format!("Flagged: {id}"));
                self.close_form(DraftKey::Flag)
            }
            Err(e) => {
                let Overlay::Form(form) = &mut self.overlay else { return Vec::new() };
                let Phase::Sending = form.phase else { return Vec::new() };
                let Ok(Submission::Flag { entity, request }) = form.submission() else {
                    form.phase = Phase::Editing;
                    return Vec::new();
                };
                if e.is_ambiguous() {
                    form.error = Some(e.to_string());
                    form.phase = Phase::Verifying { entity, description: request.description, sent_at: self.now };
                    self.sync.local_change();
                    return self.poll();
                }
                form.phase = Phase::Editing;
                form.error = Some(Self::write_failure(&e));
                self.offer_read_only_after(&e)
            }
        }
    }

    /// The changes between `base` and `now` to the fields an edit form does not hold.
    fn meanwhile(&self, base: &Alert, now: &Alert) -> Vec<String> {
        let mut changes = Vec::new();
        if now.status != base.status {
            changes.push(format!("status set to {}", self.status_name(&now.status)));
        }
        let who = |a: &Alert| a.assigned_to.as_deref().map(str::trim).filter(|w| !w.is_empty()).map(str::to_owned);
        if who(now) != who(base) {
            changes.push(who(now).map_or_else(|| "unassigned".to_owned(), |w| format!("assigned to {w}")));
        }
        changes
    }

    pub(super) fn updated(&mut self, id: &AlertId, kind: UpdateKind, result: Result<Alert, ApiError>) -> Vec<Cmd> {
        match (result, kind) {
            (Ok(alert), kind) => {
                self.sync.local_change();
                if let UpdateKind::Status { .. } = kind {
                    self.list.upsert(alert);
                    self.notify(Level::Success, "Status changed.");
                    return Vec::new();
                }
                // What someone else changed meanwhile in the fields the form does not hold.
                let meanwhile = match &self.overlay {
                    Overlay::Form(form) => form.base().map(|base| self.meanwhile(base, &alert)),
                    _ => None,
                };
                self.list.upsert(alert);
                match meanwhile.filter(|m| !m.is_empty()) {
                    Some(changes) => self.notify(Level::Success, format!("Saved; meanwhile: {}.", changes.join(", "))),
                    None => self.notify(Level::Success, "Saved."),
                }
                // The server confirmed: the draft has served its purpose, whether or not the form is open.
                let key = DraftKey::Edit(id.clone());
                if matches!(&self.overlay, Overlay::Form(f) if f.draft_key() == key) {
                    return self.close_form(key);
                }
                vec![Cmd::DeleteDraft(key)]
            }
            (Err(e), UpdateKind::Status { previous }) => {
                self.list.upsert(*previous);
                self.notify(Level::Error, format!("Status not changed: {}", Self::write_failure(&e)));
                self.offer_read_only_after(&e)
            }
            (Err(e), UpdateKind::Edit) => {
                match &mut self.overlay {
                    Overlay::Form(form) if matches!(form.phase, Phase::Sending) => {
                        form.phase = Phase::Editing;
                        form.error = Some(Self::write_failure(&e));
                    }
                    _ => self.notify(Level::Error, format!("Not saved: {}", Self::write_failure(&e))),
                }
                self.offer_read_only_after(&e)
            }
        }
    }
}
