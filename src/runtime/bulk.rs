//! A bulk status change in the dashboard: [`bulk::update_each`] with each answer reported to
//! the model as it comes, and a stop switch per job for `Esc`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::Executor;
use crate::api::{AlertUpdate, bulk};
use crate::app::Msg;
use crate::domain::{AlertId, StatusKey};

/// The stop switch of each bulk change under way.
#[derive(Debug, Clone, Default)]
pub struct Stops(Arc<Mutex<HashMap<u64, Arc<AtomicBool>>>>);

impl Stops {
    fn start(&self, job: u64) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        if let Ok(mut stops) = self.0.lock() {
            stops.insert(job, Arc::clone(&flag));
        }
        flag
    }

    fn end(&self, job: u64) {
        if let Ok(mut stops) = self.0.lock() {
            stops.remove(&job);
        }
    }

    /// Sends no more of `job`.
    pub fn stop(&self, job: u64) {
        if let Some(flag) = self.0.lock().ok().and_then(|stops| stops.get(&job).cloned()) {
            flag.store(true, Ordering::SeqCst);
        }
    }
}

impl Executor {
    /// Sets `status` on each of `ids`, reporting a `BulkStep` per answer; ends with `BulkDone`.
    pub(super) async fn bulk_status(&self, job: u64, ids: Vec<AlertId>, status: StatusKey) -> Msg {
        let stop = self.stops.start(job);
        let update = AlertUpdate { status: Some(status), ..AlertUpdate::default() };
        let mut answered = 0;
        let mut report = |id: AlertId, result| {
            answered += 1;
            if let Some(side) = &self.side {
                // The loop has stopped if this fails: nobody is left to tell.
                let _ = side.send(Msg::BulkStep { job, id, result });
            }
        };
        match self.writer() {
            Ok(writer) => bulk::update_each(writer, ids, &update, &stop, &mut report).await,
            // Read-only: each alert is told why, and nothing is sent.
            Err(e) => ids.into_iter().for_each(|id| report(id, Err(e.clone()))),
        }
        self.stops.end(job);
        // The steps travel another channel than this answer: the count lets the model wait
        // for the last of them.
        Msg::BulkDone { job, answered }
    }
}
