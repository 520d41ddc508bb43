//! The HTTP core shared by the read and write clients: auth header, deadlines, retries,
//! capped bodies, and turning every failure into an `ApiError`.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode, Url, header};
use serde::de::DeserializeOwned;

use super::error::excerpt;
use super::{ApiError, RetryDecision, retry_after, retry_decision};
use crate::config::{ApiKey, Config};

/// A command gives up after this long, every retry included.
pub const TOTAL_BUDGET: Duration = Duration::from_secs(90);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A configured connection to one API: cheap to clone.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    base: Url,
    key: ApiKey,
    timeout: Duration,
    max_body: u64,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http").field("base", &self.base.as_str()).field("key", &self.key).finish_non_exhaustive()
    }
}

impl Http {
    /// Builds the client for `config`; fails when no key is configured.
    pub fn new(config: &Config) -> Result<Self, ApiError> {
        let Some(key) = &config.api_key else {
            let file = config.file.as_ref().map_or_else(String::new, |f| format!(" or api_key in {}", f.display()));
            return Err(ApiError::Setup(format!("no API key: set BLNK_API_KEY{file}")));
        };
        // rustls needs one process-wide crypto provider; a second install is a harmless no-op.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(concat!("blnk-alerts/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(CONNECT_TIMEOUT.min(config.timeout.value))
            // The key must only ever go to the configured host: never follow a redirect.
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!crate::config::is_loopback(&config.api_url.value))
            .build()
            .map_err(|e| ApiError::Setup(format!("cannot set up HTTP: {}", root_cause(&e))))?;
        Ok(Self {
            client,
            base: config.api_url.value.clone(),
            key: key.value.clone(),
            timeout: config.timeout.value,
            max_body: config.max_body_bytes.value,
        })
    }

    /// The host the client talks to, for headers and messages.
    pub fn host(&self) -> String {
        match self.base.port() {
            Some(port) => format!("{}:{port}", self.base.host_str().unwrap_or("?")),
            None => self.base.host_str().unwrap_or("?").to_owned(),
        }
    }

    /// The base URL with `segments` appended, each percent-encoded.
    pub(crate) fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// Sends a request (retrying reads where safe) and decodes the JSON answer.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        segments: &[&str],
        body: Option<Vec<u8>>,
    ) -> Result<T, ApiError> {
        let bytes = self.execute(method, self.url(segments), body).await?;
        self.decode_with(&bytes, decode)
    }

    /// `body` with the key masked wherever it appears. A proxy, gateway or debugging page that
    /// repeats the request (its `Authorization` header included) must not get the key into an
    /// error message, a terminal or a log.
    pub(crate) fn redacted<'a>(&self, body: &'a [u8]) -> Cow<'a, [u8]> {
        let key = self.key.expose().as_bytes();
        if key.is_empty() || !body.windows(key.len()).any(|w| w == key) {
            return Cow::Borrowed(body);
        }
        let masked = self.key.masked();
        let mut out = Vec::with_capacity(body.len());
        let mut rest = body;
        while !rest.is_empty() {
            if rest.starts_with(key) {
                out.extend_from_slice(masked.as_bytes());
                rest = &rest[key.len()..];
            } else {
                out.push(rest[0]);
                rest = &rest[1..];
            }
        }
        Cow::Owned(out)
    }

    /// Decodes an answer with `decode`; when it cannot, the error is made from the body with
    /// the key masked, since a decoding error may quote the body.
    pub(crate) fn decode_with<T>(
        &self,
        bytes: &[u8],
        decode: impl Fn(&[u8]) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        decode(bytes).map_err(|error| match self.redacted(bytes) {
            Cow::Borrowed(_) => error,
            Cow::Owned(masked) => decode(&masked)
                .err()
                .unwrap_or_else(|| ApiError::Decode("the answer repeated the API key, so it is not shown".into())),
        })
    }

    /// Like `call`, but hands back the raw body for callers that decode it themselves.
    pub(crate) async fn call_raw(&self, method: Method, segments: &[&str]) -> Result<Vec<u8>, ApiError> {
        self.execute(method, self.url(segments), None).await
    }

    async fn execute(&self, method: Method, url: Url, body: Option<Vec<u8>>) -> Result<Vec<u8>, ApiError> {
        let idempotent = method == Method::GET;
        let started = Instant::now();
        let mut attempt = 1;
        loop {
            let remaining = TOTAL_BUDGET.saturating_sub(started.elapsed());
            let deadline = self.timeout.min(remaining);
            let error = match self.attempt(method.clone(), url.clone(), body.clone(), deadline).await {
                Ok(bytes) => return Ok(bytes),
                Err(error) => error,
            };
            match retry_decision(idempotent, attempt, &error, fastrand::f64()) {
                RetryDecision::RetryAfter(wait) if started.elapsed() + wait < TOTAL_BUDGET => {
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                _ => return Err(error),
            }
        }
    }

    async fn attempt(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
        deadline: Duration,
    ) -> Result<Vec<u8>, ApiError> {
        let mut request = self
            .client
            .request(method, url)
            .bearer_auth(self.key.expose())
            .header(header::ACCEPT, "application/json")
            .timeout(deadline);
        if let Some(body) = body {
            request = request.header(header::CONTENT_TYPE, "application/json").body(body);
        }
        let exchange = async {
            let response = request.send().await.map_err(|e| self.transport_error(&e, deadline))?;
            let status = response.status();
            let wait = response
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| retry_after(v, chrono::Utc::now()));
            let bytes = self.read_capped(response, deadline).await?;
            if status.is_success() { Ok(bytes) } else { Err(status_error(status, &self.redacted(&bytes), wait)) }
        };
        // reqwest's own timeout covers the body too; this is a second fence around everything.
        tokio::time::timeout(deadline + Duration::from_secs(1), exchange)
            .await
            .unwrap_or(Err(ApiError::Timeout { after: deadline }))
    }

    async fn read_capped(&self, mut response: reqwest::Response, deadline: Duration) -> Result<Vec<u8>, ApiError> {
        if response.content_length().is_some_and(|len| len > self.max_body) {
            return Err(ApiError::TooLarge { limit: self.max_body });
        }
        // Sized from Content-Length when the server sends one, so a 60 MB list is not copied
        // through ever-doubling buffers (a trusted size only up to the cap, checked above).
        let expected = response.content_length().unwrap_or(0).min(self.max_body);
        let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport_error(&e, deadline))? {
            if bytes.len() as u64 + chunk.len() as u64 > self.max_body {
                return Err(ApiError::TooLarge { limit: self.max_body });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    fn transport_error(&self, error: &reqwest::Error, deadline: Duration) -> ApiError {
        if error.is_timeout() {
            return ApiError::Timeout { after: deadline };
        }
        let reason = if error.is_body() || error.is_decode() {
            format!("the connection broke while reading the answer ({})", root_cause(error))
        } else {
            root_cause(error)
        };
        ApiError::Transport { host: self.host(), reason }
    }
}

fn status_error(status: StatusCode, body: &[u8], wait: Option<Duration>) -> ApiError {
    ApiError::from_body(status.as_u16(), body, wait)
}

/// The innermost cause of an error, sanitized: reqwest's own text repeats the URL.
fn root_cause(error: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    excerpt(&cause.to_string())
}

/// Decodes a JSON answer; an empty body or an HTML page is said plainly.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    match start.map(|i| bytes[i]) {
        None => return Err(ApiError::Decode("the server sent an empty answer".into())),
        Some(b'<') => {
            return Err(ApiError::Decode(format!(
                "expected JSON, got a web page: {}",
                excerpt(&String::from_utf8_lossy(bytes))
            )));
        }
        Some(_) => {}
    }
    serde_json::from_slice(bytes).map_err(|e| ApiError::Decode(excerpt(&e.to_string())))
}
