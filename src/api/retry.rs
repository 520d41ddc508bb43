//! When a failed request is retried, and after how long: a pure decision, tested on its own.
//! Only reads are retried; a POST or PUT is never resent automatically.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::ApiError;

pub const MAX_ATTEMPTS: u32 = 3;
/// The longest wait a server's `Retry-After` can impose.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const BASE_BACKOFF: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    GiveUp,
    RetryAfter(Duration),
}

/// Decides whether attempt number `attempt` (1-based) of a request is tried again.
/// `jitter` is a number in 0..1 supplied by the caller, so the decision stays pure.
pub fn retry_decision(idempotent: bool, attempt: u32, error: &ApiError, jitter: f64) -> RetryDecision {
    if !idempotent || attempt >= MAX_ATTEMPTS {
        return RetryDecision::GiveUp;
    }
    let retryable = match error {
        ApiError::Transport { .. } | ApiError::Timeout { .. } => true,
        ApiError::Status { status, .. } => matches!(status, 429 | 502 | 503 | 504),
        ApiError::Decode(_) | ApiError::TooLarge { .. } | ApiError::Setup(_) => false,
    };
    if !retryable {
        return RetryDecision::GiveUp;
    }
    if let ApiError::Status { retry_after: Some(wait), .. } = error {
        return RetryDecision::RetryAfter((*wait).min(MAX_RETRY_AFTER));
    }
    // Equal jitter: between half and all of an exponential ceiling (250 ms, 500 ms, 1 s ...).
    let ceiling = BASE_BACKOFF * 2u32.saturating_pow(attempt - 1);
    RetryDecision::RetryAfter(ceiling.mul_f64(0.5 + jitter.clamp(0.0, 1.0) / 2.0))
}

/// Parses a `Retry-After` header: delay seconds or an HTTP date, capped at a minute.
pub fn retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER));
    }
    let when = DateTime::parse_from_rfc2822(value).ok()?.with_timezone(&Utc);
    let wait = (when - now).to_std().unwrap_or(Duration::ZERO);
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn status(code: u16) -> ApiError {
        ApiError::Status { status: code, message: String::new(), retry_after: None }
    }

    #[test]
    fn writes_are_never_retried() {
        let refused = ApiError::Transport { host: "h".into(), reason: "refused".into() };
        assert_eq!(retry_decision(false, 1, &refused, 0.5), RetryDecision::GiveUp);
        assert_eq!(retry_decision(false, 1, &status(503), 0.5), RetryDecision::GiveUp);
    }

    #[test]
    fn reads_retry_on_transient_failures_only() {
        for code in [429, 502, 503, 504] {
            assert!(matches!(retry_decision(true, 1, &status(code), 0.0), RetryDecision::RetryAfter(_)));
        }
        for code in [400, 401, 403, 404, 409, 500] {
            assert_eq!(retry_decision(true, 1, &status(code), 0.0), RetryDecision::GiveUp);
        }
        assert_eq!(retry_decision(true, 3, &status(503), 0.0), RetryDecision::GiveUp);
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").expect("valid").to_utc();
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(retry_after("3600", now), Some(MAX_RETRY_AFTER));
        assert_eq!(retry_after("Thu, 01 Jan 2026 00:00:30 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(retry_after("Wed, 31 Dec 2025 23:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(retry_after("soon", now), None);
        let limited =
            ApiError::Status { status: 429, message: String::new(), retry_after: Some(Duration::from_secs(90)) };
        assert_eq!(retry_decision(true, 1, &limited, 0.3), RetryDecision::RetryAfter(MAX_RETRY_AFTER));
    }

    proptest! {
        #[test]
        fn backoff_is_bounded(attempt in 1u32..3, jitter in 0.0f64..1.0) {
            let refused = ApiError::Transport { host: "h".into(), reason: "refused".into() };
            match retry_decision(true, attempt, &refused, jitter) {
                RetryDecision::RetryAfter(wait) => prop_assert!(wait <= Duration::from_secs(1)),
                RetryDecision::GiveUp => prop_assert!(false, "a read on a refused connection is retried"),
            }
        }
    }
}
