//! A per-client rate limit (`serve --rate-limit N`): each client address may make N requests a
//! second, in bursts of up to N; past that it is answered 429 with `Retry-After`, the way a real
//! API would, so a client's waiting is tested against a real server. Off unless asked for.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::errors::ApiError;

/// Clients remembered at most: past it, those with a full bucket (idle for a second or more)
/// are forgotten, and if that is not enough, the half seen least recently.
const CLIENTS_KEPT: usize = 4096;

/// A token bucket per client address.
#[derive(Debug)]
pub(crate) struct RateLimit {
    per_second: NonZeroU32,
    clients: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimit {
    pub(crate) fn new(per_second: NonZeroU32) -> Arc<Self> {
        Arc::new(Self { per_second, clients: Mutex::new(HashMap::new()) })
    }

    /// Takes a token for `client` at `now`; without one, how long until there is one.
    fn take(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let rate = f64::from(self.per_second.get());
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        if clients.len() >= CLIENTS_KEPT && !clients.contains_key(&client) {
            clients.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < rate);
            if clients.len() >= CLIENTS_KEPT / 2 {
                let mut seen: Vec<Instant> = clients.values().map(|b| b.at).collect();
                let (_, median, _) = seen.select_nth_unstable(clients.len() / 2);
                let median = *median;
                clients.retain(|_, b| b.at > median);
            }
        }
        let bucket = clients.entry(client).or_insert(Bucket { tokens: rate, at: now });
        bucket.tokens = (bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * rate).min(rate);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / rate))
        }
    }
}

/// Answers 429 to a client past its rate, with the whole seconds to wait (at least 1).
pub(crate) async fn limit(State(limit): State<Arc<RateLimit>>, request: Request, next: Next) -> Response {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| addr.ip());
    match limit.take(client, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let rate = limit.per_second;
            let requests = if rate.get() == 1 { "request" } else { "requests" };
            let why = format!("rate limited: at most {rate} {requests} a second from one client; retry later");
            let mut response = ApiError::new(StatusCode::TOO_MANY_REQUESTS, why).into_response();
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_up_to_the_rate_passes_then_each_token_comes_back_in_time() {
        let limit = RateLimit::new(NonZeroU32::new(4).expect("non-zero"));
        let (a, b) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
        let start = Instant::now();
        for _ in 0..4 {
            assert_eq!(limit.take(a, start), Ok(()));
        }
        let wait = limit.take(a, start).expect_err("past the burst");
        assert!(wait <= Duration::from_millis(250) && wait > Duration::ZERO, "{wait:?}");
        assert_eq!(limit.take(b, start), Ok(()), "another client has its own bucket");
        assert_eq!(limit.take(a, start + Duration::from_millis(260)), Ok(()), "a token came back");
        assert!(limit.take(a, start + Duration::from_millis(260)).is_err());
        for _ in 0..4 {
            assert_eq!(limit.take(a, start + Duration::from_secs(10)), Ok(()), "refilled, never beyond the burst");
        }
        assert!(limit.take(a, start + Duration::from_secs(10)).is_err());
    }

    #[test]
    fn a_flood_of_addresses_is_forgotten_oldest_first_and_never_grows_past_the_cap() {
        let limit = RateLimit::new(NonZeroU32::new(1).expect("non-zero"));
        let start = Instant::now();
        let flood = 3 * u32::try_from(CLIENTS_KEPT).expect("small");
        for n in 0..flood {
            // Each address spends its one token: none is idle, so age decides.
            let at = start + Duration::from_micros(u64::from(n));
            assert_eq!(limit.take(IpAddr::from(n.to_be_bytes()), at), Ok(()));
            assert!(limit.clients.lock().expect("lock").len() <= CLIENTS_KEPT);
        }
        let newest = IpAddr::from((flood - 1).to_be_bytes());
        assert!(limit.take(newest, start + Duration::from_millis(20)).is_err(), "the newest is still held to its rate");
    }
}
