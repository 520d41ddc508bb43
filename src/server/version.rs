//! Conditional GETs: a change counter that every write moves, the `ETag` made from it, and the
//! `If-None-Match` check. No hash of an answer is ever computed: a 304 costs a comparison.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// How many writes this server has made since it started. The epoch, random per start, keeps a
/// restarted server (a file database edited meanwhile) from reusing an old tag.
#[derive(Debug)]
pub(crate) struct Version {
    epoch: u32,
    writes: AtomicU64,
}

impl Version {
    pub(crate) fn new() -> Self {
        Self { epoch: fastrand::u32(..), writes: AtomicU64::new(0) }
    }

    /// Something may have changed: every tag given so far is now stale.
    pub(crate) fn bump(&self) {
        self.writes.fetch_add(1, Ordering::AcqRel);
    }

    /// The tag of the data as it is now. Read it before reading the data: a write that lands
    /// meanwhile then makes the next request's tag differ, never the other way round.
    pub(crate) fn etag(&self) -> HeaderValue {
        let tag = format!("\"{:08x}-{}\"", self.epoch, self.writes.load(Ordering::Acquire));
        HeaderValue::from_str(&tag).unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
    }
}

/// Whether `If-None-Match` in `headers` names `etag` (or is `*`). Weak and strong tags compare
/// alike, as RFC 9110 asks for this header.
pub(crate) fn not_modified(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = etag.as_bytes();
    headers.get_all(header::IF_NONE_MATCH).iter().any(|value| {
        value.as_bytes().split(|&b| b == b',').map(<[u8]>::trim_ascii).any(|tag| {
            let tag = tag.strip_prefix(b"W/").unwrap_or(tag);
            tag == b"*" || tag == ours
        })
    })
}

/// The answer to a conditional GET whose tag still holds: no body.
pub(crate) fn unchanged(etag: HeaderValue) -> Response {
    (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response()
}

/// Bumps the counter after every request that may write, whatever its outcome (a refused write
/// changed nothing, and a spurious bump only costs one full answer).
pub(crate) async fn bump_after_writes(State(version): State<Arc<Version>>, request: Request, next: Next) -> Response {
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let response = next.run(request).await;
    if writes {
        version.bump();
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn a_tag_matches_until_the_next_write() {
        let version = Version::new();
        let tag = version.etag();
        let sent = HeaderMap::from_iter([(header::IF_NONE_MATCH, tag.clone())]);
        assert!(not_modified(&sent, &version.etag()));
        version.bump();
        assert!(!not_modified(&sent, &version.etag()));
        assert!(!not_modified(&HeaderMap::new(), &version.etag()), "no header: never 304");
    }

    #[test]
    fn lists_weak_tags_and_star_are_understood() {
        let tag = HeaderValue::from_static("\"00000001-7\"");
        assert!(not_modified(&with("\"x\", W/\"00000001-7\""), &tag));
        assert!(not_modified(&with("*"), &tag));
        assert!(!not_modified(&with("\"00000001-8\""), &tag));
        assert!(!not_modified(&with("00000001-7"), &tag), "an unquoted value is not the tag");
    }
}
