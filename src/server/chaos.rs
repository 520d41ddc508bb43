//! Chaos injection, to see how clients cope with a misbehaving server: latency, 5xx errors, 429
//! rate limits and malformed answers, each drawn independently per request. Off unless asked for.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;

use super::errors::error_response;

const EXAMPLE: &str = "latency=0.3:1500ms,error=0.1,ratelimit=0.05,malformed=0.05";
/// The latency ceiling when a spec gives a rate only.
const DEFAULT_MAX_LATENCY: Duration = Duration::from_secs(1);
const LONGEST_LATENCY: Duration = Duration::from_secs(60);

/// How often each kind of trouble happens, as probabilities from 0.0 to 1.0.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chaos {
    /// A request first waits a uniform random time below `max_latency`.
    pub latency: f64,
    pub max_latency: Duration,
    /// The answer is a 500 or 503 and the request is not carried out.
    pub error: f64,
    /// The answer is a 429 with `Retry-After: 1` and the request is not carried out.
    pub ratelimit: f64,
    /// The request is carried out but the answer is truncated JSON or an HTML page.
    pub malformed: f64,
}

impl Chaos {
    pub fn is_off(&self) -> bool {
        [self.latency, self.error, self.ratelimit, self.malformed].iter().all(|&p| p <= 0.0)
    }
}

impl FromStr for Chaos {
    type Err = String;

    /// Reads a spec such as `latency=0.3:1500ms,error=0.1,ratelimit=0.05,malformed=0.05`; every
    /// part is optional, and `off` (or nothing) means no chaos.
    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let spec = spec.trim();
        let fail = |why: String| format!("invalid chaos spec {spec:?}: {why}; e.g. {EXAMPLE}");
        let mut chaos = Self::default();
        if spec.is_empty() || spec.eq_ignore_ascii_case("off") || spec.eq_ignore_ascii_case("none") {
            return Ok(chaos);
        }
        let mut seen: Vec<&str> = Vec::new();
        for part in spec.split(',').map(str::trim) {
            let Some((name, value)) = part.split_once('=') else {
                return Err(fail(format!("{part:?} is not NAME=VALUE")));
            };
            let name = name.trim();
            let value = value.trim();
            if seen.contains(&name) {
                return Err(fail(format!("{name} is given twice")));
            }
            seen.push(name);
            match name {
                "latency" => {
                    let (rate, max) = value.split_once(':').unwrap_or((value, ""));
                    chaos.latency = rate_of(name, rate).map_err(&fail)?;
                    chaos.max_latency =
                        if max.trim().is_empty() { DEFAULT_MAX_LATENCY } else { duration_of(max).map_err(&fail)? };
                }
                "error" => chaos.error = rate_of(name, value).map_err(&fail)?,
                "ratelimit" | "rate_limit" => chaos.ratelimit = rate_of(name, value).map_err(&fail)?,
                "malformed" => chaos.malformed = rate_of(name, value).map_err(&fail)?,
                _ => {
                    return Err(fail(format!("unknown part {name:?}: use latency, error, ratelimit and malformed")));
                }
            }
        }
        Ok(chaos)
    }
}

fn rate_of(name: &str, value: &str) -> Result<f64, String> {
    match value.trim().parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!("{name} rate {value:?} is not a probability from 0.0 to 1.0")),
    }
}

fn duration_of(value: &str) -> Result<Duration, String> {
    let value = value.trim();
    let (number, unit_ms) = if let Some(ms) = value.strip_suffix("ms") {
        (ms, 1)
    } else if let Some(s) = value.strip_suffix('s') {
        (s, 1000)
    } else {
        (value, 1)
    };
    let bad = || format!("latency {value:?} is not a duration such as 1500ms or 2s (at most 60s)");
    let millis = number.trim().parse::<u64>().map_err(|_| bad())?.checked_mul(unit_ms).ok_or_else(bad)?;
    let max = Duration::from_millis(millis);
    if max > LONGEST_LATENCY {
        return Err(bad());
    }
    Ok(max)
}

impl fmt::Display for Chaos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_off() {
            return f.write_str("off");
        }
        let mut parts = Vec::new();
        if self.latency > 0.0 {
            parts.push(format!("latency={}:{}ms", self.latency, self.max_latency.as_millis()));
        }
        for (name, rate) in [("error", self.error), ("ratelimit", self.ratelimit), ("malformed", self.malformed)] {
            if rate > 0.0 {
                parts.push(format!("{name}={rate}"));
            }
        }
        f.write_str(&parts.join(","))
    }
}

/// Wraps the whole app (outside the API-key check, like a misbehaving proxy would be).
pub(crate) fn layer(router: Router, chaos: Chaos) -> Router {
    if chaos.is_off() {
        return router;
    }
    router.layer(from_fn_with_state(Arc::new(chaos), inject))
}

fn happens(rate: f64) -> bool {
    rate > 0.0 && fastrand::f64() < rate
}

async fn inject(State(chaos): State<Arc<Chaos>>, request: Request, next: Next) -> Response {
    if happens(chaos.latency) {
        let max = u64::try_from(chaos.max_latency.as_millis()).unwrap_or(u64::MAX);
        tokio::time::sleep(Duration::from_millis(fastrand::u64(0..=max))).await;
    }
    if happens(chaos.ratelimit) {
        let mut response = error_response(StatusCode::TOO_MANY_REQUESTS, "chaos: rate limited");
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    }
    if happens(chaos.error) {
        return if fastrand::bool() {
            error_response(StatusCode::INTERNAL_SERVER_ERROR, "chaos: internal server error")
        } else {
            error_response(StatusCode::SERVICE_UNAVAILABLE, "chaos: service unavailable")
        };
    }
    let response = next.run(request).await;
    if happens(chaos.malformed) { garble(response).await } else { response }
}

const HTML: &str = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n\
    <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n";

/// The answer cut in the middle, or a proxy's HTML page (with a 502, or a misleading 200).
async fn garble(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = match fastrand::u8(0..3) {
        0 => {
            let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
            bytes.slice(..bytes.len() / 2)
        }
        choice => {
            parts.status = if choice == 1 { StatusCode::BAD_GATEWAY } else { StatusCode::OK };
            parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            HTML.into()
        }
    };
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_full_spec_and_writes_it_back() {
        let chaos: Chaos = EXAMPLE.parse().expect("valid");
        let expected = Chaos {
            latency: 0.3,
            max_latency: Duration::from_millis(1500),
            error: 0.1,
            ratelimit: 0.05,
            malformed: 0.05,
        };
        assert_eq!(chaos, expected);
        assert_eq!(chaos.to_string(), EXAMPLE);
        assert_eq!(chaos.to_string().parse::<Chaos>(), Ok(chaos));
    }

    #[test]
    fn every_part_is_optional() {
        assert!("".parse::<Chaos>().expect("valid").is_off());
        assert!("off".parse::<Chaos>().expect("valid").is_off());
        assert_eq!(Chaos::default().to_string(), "off");
        let only_errors: Chaos = " error = 1 ".parse().expect("valid");
        assert_eq!(only_errors, Chaos { error: 1.0, ..Chaos::default() });
        let latency: Chaos = "latency=0.5".parse().expect("valid");
        assert_eq!(latency.max_latency, DEFAULT_MAX_LATENCY);
        assert_eq!("latency=1:2s".parse::<Chaos>().expect("valid").max_latency, Duration::from_secs(2));
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        for (spec, needle) in [
            ("error=2", "probability"),
            ("error=-0.1", "probability"),
            ("error=NaN", "probability"),
            ("error", "NAME=VALUE"),
            ("explode=0.1", "unknown part"),
            ("error=0.1,error=0.2", "twice"),
            ("latency=0.1:fast", "duration"),
            ("latency=0.1:99999s", "duration"),
        ] {
            let err = spec.parse::<Chaos>().expect_err(spec);
            assert!(err.contains(needle) && err.contains("e.g."), "{spec}: {err}");
        }
    }
}
