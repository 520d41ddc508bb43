//! Fetching the alert list as a change against what the caller already holds. Each element of
//! the answer is hashed as it streams in; only elements whose hash is not known are decoded, and
//! known elements that did not come back are reported gone. An unchanged list therefore costs
//! the download and a hash, nothing more (and a 304 costs nothing).

use std::collections::HashMap;
use std::sync::Arc;

use xxhash_rust::xxh3::xxh3_64;

use super::ApiError;
use super::elements::{NOT_A_LIST, Splitter, not_a_list};
use super::http::{ChunkSink, Http, Streamed, decode};
use crate::domain::Alert;

/// The hash of one element's bytes exactly as the server sent them.
pub type ElementHash = u64;

/// What the caller holds: the hash of each alert's element, and the caller's own handle for that
/// alert (a slot number). Shared with the fetch in flight, so it is never copied per poll.
pub type Known = Arc<HashMap<ElementHash, u32>>;

/// How far a long download has come, for the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub alerts: usize,
    pub bytes: u64,
}

/// The list compared with what was known.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListDelta {
    /// Alerts whose element was not known: new or changed, decoded and sanitized, in answer order.
    pub changed: Vec<(ElementHash, Alert)>,
    /// Slots of known elements that did not come back (the alert changed or is gone).
    pub gone: Vec<u32>,
    /// How many alerts the answer held.
    pub total: usize,
}

impl ListDelta {
    /// Whether the list is exactly what was known.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.gone.is_empty()
    }
}

/// How a list fetch ended.
#[derive(Debug, Clone, PartialEq)]
pub enum ListFetch {
    /// 304: the tag sent still holds.
    NotModified,
    /// A whole answer, with the server's tag for it if it gave one.
    Answer { delta: ListDelta, etag: Option<String> },
}

/// Progress is reported at most this often, in alerts.
const PROGRESS_EVERY: usize = 20_000;

/// The sink that turns the streamed body into a `ListDelta`.
struct DeltaSink<'a> {
    http: &'a Http,
    known: &'a HashMap<ElementHash, u32>,
    splitter: Splitter,
    /// One bit per slot: the element of that slot came back.
    returned: Vec<u64>,
    delta: ListDelta,
    bytes: u64,
    /// The first bytes of the answer, to quote (masked) when it is not a list at all.
    head: Vec<u8>,
    progress: &'a mut (dyn FnMut(Progress) + Send),
}

/// The first bytes of an answer kept to quote from.
const HEAD_BYTES: usize = 200;

impl DeltaSink<'_> {
    /// A splitter's error, with the start of the answer quoted (the key masked) where it was
    /// not a list at all.
    fn quoted(&self, error: ApiError) -> ApiError {
        if error == ApiError::Decode(NOT_A_LIST.into()) { not_a_list(&self.http.redacted(&self.head)) } else { error }
    }

    fn take_element(&mut self, element: &[u8]) -> Result<(), ApiError> {
        let hash = xxh3_64(element);
        self.delta.total += 1;
        if self.delta.total.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(Progress { alerts: self.delta.total, bytes: self.bytes });
        }
        if let Some(&slot) = self.known.get(&hash) {
            if self.returned.is_empty() {
                // Sized on the first known element, so that a 304 costs nothing per alert held.
                let slots = self.known.values().copied().max().map_or(0, |max| max as usize + 1);
                self.returned = vec![0; slots.div_ceil(64)];
            }
            let (word, bit) = (slot as usize / 64, slot % 64);
            if let Some(w) = self.returned.get_mut(word) {
                *w |= 1 << bit;
            }
            return Ok(());
        }
        let number = self.delta.total;
        let alert: Alert = self
            .http
            .decode_with(element, decode)
            .map_err(|e| ApiError::Decode(format!("alert number {number} in the list: {}", decode_reason(&e))))?;
        self.delta.changed.push((hash, alert.sanitized()));
        Ok(())
    }
}

fn decode_reason(error: &ApiError) -> String {
    match error {
        ApiError::Decode(reason) => reason.clone(),
        other => other.to_string(),
    }
}

impl ChunkSink for DeltaSink<'_> {
    fn restart(&mut self) {
        self.splitter = Splitter::default();
        self.returned.iter_mut().for_each(|w| *w = 0);
        self.delta = ListDelta::default();
        self.bytes = 0;
        self.head.clear();
    }

    fn chunk(&mut self, bytes: &[u8]) -> Result<(), ApiError> {
        self.bytes += bytes.len() as u64;
        if self.head.len() < HEAD_BYTES {
            let room = HEAD_BYTES - self.head.len();
            self.head.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
        let mut splitter = std::mem::take(&mut self.splitter);
        let result = splitter.feed(bytes, &mut |element| self.take_element(element));
        self.splitter = splitter;
        result.map_err(|e| self.quoted(e))
    }

    fn finish(&mut self) -> Result<(), ApiError> {
        self.splitter.finish().map_err(|e| self.quoted(e))?;
        let returned = &self.returned;
        let came_back = |slot: u32| returned.get(slot as usize / 64).is_some_and(|w| w & (1 << (slot % 64)) != 0);
        self.delta.gone = self.known.values().copied().filter(|&slot| !came_back(slot)).collect();
        self.delta.gone.sort_unstable();
        Ok(())
    }
}

/// Fetches `GET /alerts` against what `known` holds; with `etag`, conditionally.
pub(crate) async fn fetch(
    http: &Http,
    known: &HashMap<ElementHash, u32>,
    etag: Option<&str>,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<ListFetch, ApiError> {
    let mut sink = DeltaSink {
        http,
        known,
        splitter: Splitter::default(),
        returned: Vec::new(),
        delta: ListDelta::default(),
        bytes: 0,
        head: Vec::new(),
        progress,
    };
    match http.stream_get(&["alerts"], etag, &mut sink).await? {
        Streamed::NotModified => Ok(ListFetch::NotModified),
        Streamed::Complete { etag, .. } => Ok(ListFetch::Answer { delta: sink.delta, etag }),
    }
}
