//! Marks and changing the status of many alerts at once. Marks are alert ids, so they hold
//! across polls, sorts and filters; a marked alert that disappears is unmarked, and said so.
//! A bulk change is confirmed first, then runs as one `PUT` per alert, a few at a time (the
//! runtime's job), with its progress in the footer; Esc stops what has not been sent. At the
//! end a report says how many changed and which failed and why; the failed stay marked.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{App, Cmd, Level, Overlay};
use crate::api::ApiError;
use crate::domain::{Alert, AlertId, StatusKey};

/// Failures the report names one by one before "and N more".
const FAILURES_NAMED: usize = 3;

/// A bulk change waiting for its confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkChange {
    pub ids: Vec<AlertId>,
    pub status: StatusKey,
}

/// A bulk change under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkRun {
    pub job: u64,
    pub status: StatusKey,
    pub total: usize,
    pub changed: usize,
    pub failed: Vec<(AlertId, String)>,
    pub stopping: bool,
    /// The runtime is done and sent this many answers: the report waits for the last of them.
    pub ended_after: Option<usize>,
}

impl BulkRun {
    pub fn done(&self) -> usize {
        self.changed + self.failed.len()
    }
}

impl App {
    /// Marks or unmarks the selected alert, then moves down.
    pub(super) fn toggle_mark(&mut self) {
        let Some(id) = self.list.selected_id().cloned() else { return };
        if !self.marks.remove(&id) {
            self.marks.insert(id);
        }
        self.list.move_by(1);
        self.detail_scroll = 0;
    }

    /// Marks every alert the tab and filter show (all of them, not only the screen's).
    pub(super) fn mark_all_shown(&mut self) {
        let shown = self.list.visible_rows(0, usize::MAX).map(|a| a.anomaly_id.clone());
        self.marks.extend(shown);
        self.notify(Level::Info, format!("{} marked.", self.marks.len()));
    }

    pub(super) fn unmark(&mut self, id: &AlertId) {
        self.marks.remove(id);
    }

    pub(super) fn clear_marks(&mut self) {
        let n = std::mem::take(&mut self.marks).len();
        self.notify(Level::Info, format!("{n} unmarked."));
    }

    /// After a list changed: marks on alerts that are gone are dropped, and said so.
    pub(super) fn prune_marks(&mut self) {
        let before = self.marks.len();
        let list = &self.list;
        self.marks.retain(|id| list.get(id).is_some());
        let gone = before - self.marks.len();
        if gone > 0 {
            let them = if gone == 1 { "A marked alert is" } else { "Marked alerts are" };
            self.notify(Level::Info, format!("{them} gone from the list: {gone} unmarked."));
        }
    }

    /// The confirmation said yes: start the bulk change (never in read-only mode).
    pub(super) fn start_bulk(&mut self, change: BulkChange) -> Vec<Cmd> {
        if self.read_only() || change.ids.is_empty() {
            return Vec::new();
        }
        // One at a time: a second would take over the first's reports.
        if self.bulk.is_some() {
            self.notify(Level::Info, "A bulk change is under way: wait for its report (Esc stops it).");
            return Vec::new();
        }
        self.bulk_jobs += 1;
        let job = self.bulk_jobs;
        self.bulk = Some(BulkRun {
            job,
            status: change.status.clone(),
            total: change.ids.len(),
            changed: 0,
            failed: Vec::new(),
            stopping: false,
            ended_after: None,
        });
        self.sync.local_change();
        vec![Cmd::BulkStatus { job, ids: change.ids, status: change.status }]
    }

    /// Esc while a bulk change runs: what was sent stays sent, the rest is not sent.
    pub(super) fn stop_bulk(&mut self) -> Vec<Cmd> {
        match &mut self.bulk {
            Some(run) if !run.stopping => {
                run.stopping = true;
                vec![Cmd::StopBulk { job: run.job }]
            }
            _ => Vec::new(),
        }
    }

    /// One alert of a bulk change answered.
    pub(super) fn bulk_step(&mut self, job: u64, id: AlertId, result: Result<Alert, ApiError>) -> Vec<Cmd> {
        let Some(run) = self.bulk.as_mut().filter(|r| r.job == job) else { return Vec::new() };
        let mut cmds = Vec::new();
        match result {
            Ok(alert) => {
                run.changed += 1;
                self.marks.remove(&id);
                self.list.upsert(alert);
            }
            Err(e) => {
                run.failed.push((id, Self::write_failure(&e)));
                cmds = self.offer_read_only_after(&e);
            }
        }
        if let Some(run) = &self.bulk
            && run.ended_after.is_some_and(|n| run.done() >= n)
        {
            self.bulk_finished(job);
        }
        cmds
    }

    /// The runtime finished bulk change `job` after sending `answered` answers.
    pub(super) fn bulk_ended(&mut self, job: u64, answered: usize) {
        let Some(run) = self.bulk.as_mut().filter(|r| r.job == job) else { return };
        run.ended_after = Some(answered);
        if run.done() >= answered {
            self.bulk_finished(job);
        }
    }

    /// The bulk change ended (all sent, or stopped) and every answer is in: the report.
    fn bulk_finished(&mut self, job: u64) {
        let Some(run) = self.bulk.take_if(|r| r.job == job) else { return };
        let status = self.status_name(&run.status);
        let mut text = format!("Status {status} set on {} of {}", run.changed, run.total);
        let skipped = run.total - run.done();
        if skipped > 0 {
            let _ = write!(text, "; stopped: {skipped} not sent");
        }
        if run.failed.is_empty() {
            text.push('.');
        } else {
            let named: Vec<String> =
                run.failed.iter().take(FAILURES_NAMED).map(|(id, why)| format!("{id} ({why})")).collect();
            let more = run.failed.len().saturating_sub(FAILURES_NAMED);
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            let log = self.key_for(crate::keymap::Context::Browse, crate::keymap::Action::ShowLog);
            let failed = run.failed.len();
            let _ = write!(text, "; {failed} failed ({log} shows why), still marked: {}{more}.", named.join(", "));
        }
        let level = if run.failed.is_empty() { Level::Success } else { Level::Error };
        // The footer may cut it; the log view (and file) keep the whole report.
        if run.failed.is_empty() {
            tracing::info!(report = text.as_str(), "bulk status change");
        } else {
            let all: Vec<String> = run.failed.iter().map(|(id, why)| format!("{id}: {why}")).collect();
            tracing::warn!(report = text.as_str(), failures = all.join("; ").as_str(), "bulk status change");
        }
        self.notify(level, text);
    }

    /// The marked alerts, in id order.
    pub fn marked(&self) -> Vec<AlertId> {
        self.marks.iter().cloned().collect::<BTreeSet<_>>().into_iter().collect()
    }

    pub fn marked_count(&self) -> usize {
        self.marks.len()
    }

    pub fn is_marked(&self, id: &AlertId) -> bool {
        self.marks.contains(id)
    }

    /// The confirmation overlay for changing the marked alerts to `status`.
    pub(super) fn confirm_bulk(&mut self, status: StatusKey) {
        self.overlay = Overlay::BulkConfirm(BulkChange { ids: self.marked(), status });
    }
}
