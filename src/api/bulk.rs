//! One change to many alerts: one `PUT` per alert (the API has no batch endpoint),
//! [`CONCURRENCY`] at a time so that no burst trips a rate limit. A 429 waits as the server says
//! (a refused request changed nothing, so it is sent again); a stop leaves unsent what was not
//! yet sent, and what is in flight finishes. Used by the dashboard's bulk change and by
//! `update ID...`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::StreamExt;

use super::{AlertUpdate, ApiError, WriteClient};
use crate::domain::{Alert, AlertId};

/// Requests in flight at once.
pub const CONCURRENCY: usize = 4;
/// A 429 is waited out this many times per alert, each wait at most `LONGEST_WAIT`.
const RATE_LIMIT_RETRIES: u32 = 3;
const LONGEST_WAIT: Duration = Duration::from_secs(30);

/// Sends `update` to each of `ids`, calling `answered` with each answer as it comes (in the
/// order they come); stops sending once `stop` is set.
pub async fn update_each(
    writer: &WriteClient,
    ids: Vec<AlertId>,
    update: &AlertUpdate,
    stop: &AtomicBool,
    mut answered: impl FnMut(AlertId, Result<Alert, ApiError>),
) {
    futures_util::stream::iter(ids)
        .map(|id| async move {
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            let result = update_waiting_out_rate_limits(writer, &id, update, stop).await?;
            Some((id, result))
        })
        .buffer_unordered(CONCURRENCY)
        .for_each(|answer| {
            if let Some((id, result)) = answer {
                answered(id, result);
            }
            std::future::ready(())
        })
        .await;
}

/// One `PUT`, sent again after a 429 once the server's wait is over; `None` when stopped
/// while waiting.
async fn update_waiting_out_rate_limits(
    writer: &WriteClient,
    id: &AlertId,
    update: &AlertUpdate,
    stop: &AtomicBool,
) -> Option<Result<Alert, ApiError>> {
    let mut waits = 0;
    loop {
        match writer.update(id, update).await {
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
