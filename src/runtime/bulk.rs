//! A bulk status change: one `PUT` per alert (the API has no batch endpoint), `CONCURRENCY` at
//! a time so that no burst trips a rate limit, each answer reported as it comes. A 429 waits as
//! the server says (a refused request changed nothing, so it is sent again); a stop leaves
//! unsent what was not yet sent, and what is in flight finishes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;

use super::Executor;
use crate::api::{AlertUpdate, ApiError};
use crate::app::Msg;
use crate::domain::{AlertId, StatusKey};

/// Requests in flight at once.
pub const CONCURRENCY: usize = 4;
/// A 429 is waited out this many times per alert, each wait at most `LONGEST_WAIT`.
const RATE_LIMIT_RETRIES: u32 = 3;
const LONGEST_WAIT: Duration = Duration::from_secs(30);

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
        let (update, stop_ref) = (&update, &stop);
        let answers = futures_util::stream::iter(ids)
            .map(|id| async move {
                if stop_ref.load(Ordering::SeqCst) {
                    return None;
                }
                let result = self.update_waiting_out_rate_limits(&id, update, stop_ref).await?;
                Some((id, result))
            })
            .buffer_unordered(CONCURRENCY);
        let mut answered = 0;
        answers
            .for_each(|answer| {
                if let (Some((id, result)), Some(side)) = (answer, &self.side) {
                    answered += 1;
                    // The loop has stopped if this fails: nobody is left to tell.
                    let _ = side.send(Msg::BulkStep { job, id, result });
                }
                std::future::ready(())
            })
            .await;
        self.stops.end(job);
        // The steps travel another channel than this answer: the count lets the model wait
        // for the last of them.
        Msg::BulkDone { job, answered }
    }

    /// One `PUT`, sent again after a 429 once the server's wait is over; `None` when stopped
    /// while waiting.
    async fn update_waiting_out_rate_limits(
        &self,
        id: &AlertId,
        update: &AlertUpdate,
        stop: &AtomicBool,
    ) -> Option<Result<crate::domain::Alert, ApiError>> {
        let mut waits = 0;
        loop {
            let result = match self.writer() {
                Ok(writer) => writer.update(id, update).await,
                Err(e) => Err(e),
            };
            match result {
                Err(ApiError::Status { status: 429, retry_after, .. }) if waits < RATE_LIMIT_RETRIES => {
                    waits += 1;
                    tokio::time::sleep(retry_after.unwrap_or(Duration::from_secs(1)).min(LONGEST_WAIT)).await;
                    if stop.load(Ordering::SeqCst) {
                        return None;
                    }
                }
                result => return Some(result),
            }
        }
    }
}
