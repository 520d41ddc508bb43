//! The HTTP core shared by the read and write clients: auth header, deadlines, retries,
//! capped bodies, and turning every failure into an `ApiError`.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode, Url, header};
use serde::de::DeserializeOwned;

use super::error::excerpt;
use super::{ApiError, RetryDecision, retry_after, retry_decision};
use crate::config::{ApiKey, Config};
use crate::domain::single_line;

/// A command gives up after this long, every retry included.
pub const TOTAL_BUDGET: Duration = Duration::from_secs(90);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The most of an answer that is held whole (one alert, the statuses): only the list streams.
const BUFFERED_LIMIT: u64 = 64 << 20;
/// The most of an error answer that is read, to quote from.
const ERROR_BODY_LIMIT: u64 = 1 << 20;

/// Where a streamed answer goes. `restart` comes before every attempt, so a retry after a
/// broken download starts clean.
pub(crate) trait ChunkSink: Send {
    fn restart(&mut self);
    fn chunk(&mut self, bytes: &[u8]) -> Result<(), ApiError>;
    /// The body ended: whether it was whole.
    fn finish(&mut self) -> Result<(), ApiError>;
}

/// The retry policy of one request as it goes: the deadline of each attempt, and whether (and
/// after how long) a failure is tried again within the total budget.
struct Retries {
    idempotent: bool,
    started: Instant,
    attempt: u32,
}

impl Retries {
    fn new(idempotent: bool) -> Self {
        Self { idempotent, started: Instant::now(), attempt: 1 }
    }

    fn deadline(&self, timeout: Duration) -> Duration {
        timeout.min(TOTAL_BUDGET.saturating_sub(self.started.elapsed()))
    }

    /// How long to wait before trying again after `error`; `None` to give up.
    fn wait_after(&mut self, error: &ApiError) -> Option<Duration> {
        match retry_decision(self.idempotent, self.attempt, error, fastrand::f64()) {
            RetryDecision::RetryAfter(wait) if self.started.elapsed() + wait < TOTAL_BUDGET => {
                self.attempt += 1;
                Some(wait)
            }
            _ => None,
        }
    }
}

/// How a streamed GET ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Streamed {
    /// 304: the tag sent still holds.
    NotModified,
    /// The whole body went to the sink; the server's tag for it, if it gave one.
    Complete { status: u16, etag: Option<String> },
}

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
        let mut builder = reqwest::Client::builder();
        if let Some(ca) = &config.ca_cert {
            builder = builder.tls_certs_merge(trusted_certificates(ca)?);
        }
        let client = builder
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

    /// A GET of `segments` with `query` pairs (retried where safe), its raw body for callers that
    /// decode it themselves.
    pub(crate) async fn get_with_query(&self, segments: &[&str], query: &[(&str, &str)]) -> Result<Vec<u8>, ApiError> {
        let mut url = self.url(segments);
        url.query_pairs_mut().extend_pairs(query);
        self.execute(Method::GET, url, None).await
    }

    /// Like `call`, but hands back the raw body for callers that decode it themselves.
    pub(crate) async fn call_raw(&self, method: Method, segments: &[&str]) -> Result<Vec<u8>, ApiError> {
        self.execute(method, self.url(segments), None).await
    }

    async fn execute(&self, method: Method, url: Url, body: Option<Vec<u8>>) -> Result<Vec<u8>, ApiError> {
        let mut retries = Retries::new(method == Method::GET);
        loop {
            let deadline = retries.deadline(self.timeout);
            let started = Instant::now();
            let result = self.attempt(method.clone(), url.clone(), body.clone(), deadline).await;
            log_attempt(&method, &url, retries.attempt, started, result.as_ref().map(|(status, _)| *status));
            match result {
                Ok((_, bytes)) => return Ok(bytes),
                Err(error) => tokio::time::sleep(retries.wait_after(&error).ok_or(error)?).await,
            }
        }
    }

    /// A GET whose body goes to `sink` chunk by chunk as it arrives, never held whole: for the
    /// alert list, which can weigh gigabytes. With `etag`, asks for the body only if it changed.
    /// The answer must start within the timeout; the body may take longer the more of it comes,
    /// and may weigh `max_body_mib` in all.
    pub(crate) async fn stream_get(
        &self,
        segments: &[&str],
        etag: Option<&str>,
        sink: &mut dyn ChunkSink,
    ) -> Result<Streamed, ApiError> {
        let url = self.url(segments);
        let mut retries = Retries::new(true);
        loop {
            let deadline = retries.deadline(self.timeout);
            sink.restart();
            let started = Instant::now();
            let result = self.stream_attempt(url.clone(), etag, sink, deadline).await;
            let status = result.as_ref().map(|streamed| match streamed {
                Streamed::NotModified => 304,
                Streamed::Complete { status, .. } => *status,
            });
            log_attempt(&Method::GET, &url, retries.attempt, started, status);
            match result {
                Ok(streamed) => return Ok(streamed),
                Err(error) => tokio::time::sleep(retries.wait_after(&error).ok_or(error)?).await,
            }
        }
    }

    async fn stream_attempt(
        &self,
        url: Url,
        etag: Option<&str>,
        sink: &mut dyn ChunkSink,
        deadline: Duration,
    ) -> Result<Streamed, ApiError> {
        let mut request =
            self.client.get(url).bearer_auth(self.key.expose()).header(header::ACCEPT, "application/json");
        if let Some(etag) = etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        let mut response = tokio::time::timeout(deadline, request.send())
            .await
            .map_err(|_| ApiError::Timeout { after: deadline })?
            .map_err(|e| self.transport_error(&e, deadline))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Streamed::NotModified);
        }
        if !status.is_success() {
            let wait = retry_after_header(&response);
            let bytes = tokio::time::timeout(deadline, self.read_capped(response, deadline, ERROR_BODY_LIMIT))
                .await
                .unwrap_or(Err(ApiError::Timeout { after: deadline }))?;
            return Err(status_error(status, &self.redacted(&bytes), wait));
        }
        if response.content_length().is_some_and(|len| len > self.max_body) {
            return Err(ApiError::TooLarge { limit: self.max_body });
        }
        let tag = response.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let mut received: u64 = 0;
        let started = Instant::now();
        loop {
            // The deadline grows by a second for every MiB that arrived: a big list on a slow link
            // completes, a server that trickles bytes does not hold the dashboard for long.
            let earned = deadline + Duration::from_secs(received >> 20);
            let left = earned.saturating_sub(started.elapsed());
            let chunk = tokio::time::timeout(left, response.chunk())
                .await
                .map_err(|_| ApiError::Timeout { after: deadline })?
                .map_err(|e| self.transport_error(&e, deadline))?;
            let Some(chunk) = chunk else { break };
            received += chunk.len() as u64;
            if received > self.max_body {
                return Err(ApiError::TooLarge { limit: self.max_body });
            }
            sink.chunk(&chunk)?;
        }
        sink.finish()?;
        Ok(Streamed::Complete { status: status.as_u16(), etag: tag })
    }

    async fn attempt(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
        deadline: Duration,
    ) -> Result<(u16, Vec<u8>), ApiError> {
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
            let wait = retry_after_header(&response);
            let limit = if status.is_success() { self.max_body.min(BUFFERED_LIMIT) } else { ERROR_BODY_LIMIT };
            let bytes = self.read_capped(response, deadline, limit).await?;
            if status.is_success() {
                Ok((status.as_u16(), bytes))
            } else {
                Err(status_error(status, &self.redacted(&bytes), wait))
            }
        };
        // reqwest's own timeout covers the body too; this is a second fence around everything.
        tokio::time::timeout(deadline + Duration::from_secs(1), exchange)
            .await
            .unwrap_or(Err(ApiError::Timeout { after: deadline }))
    }

    async fn read_capped(
        &self,
        mut response: reqwest::Response,
        deadline: Duration,
        limit: u64,
    ) -> Result<Vec<u8>, ApiError> {
        if response.content_length().is_some_and(|len| len > limit) {
            return Err(ApiError::TooLarge { limit });
        }
        // Sized from Content-Length when the server sends one, so a 60 MB list is not copied
        // through ever-doubling buffers (a trusted size only up to the cap, checked above).
        let expected = response.content_length().unwrap_or(0).min(limit);
        let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport_error(&e, deadline))? {
            if bytes.len() as u64 + chunk.len() as u64 > limit {
                return Err(ApiError::TooLarge { limit });
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

/// One line per attempt: method, path, how it ended, how long it took, which attempt it was.
/// Never a header, a query or a body: the path names only what was asked for.
fn log_attempt(method: &Method, url: &Url, attempt: u32, started: Instant, outcome: Result<u16, &ApiError>) {
    let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let path = url.path();
    match outcome {
        Ok(status) => tracing::info!(%method, path, status, ms, attempt, "request"),
        Err(error) => {
            let status = error.status().unwrap_or(0);
            tracing::warn!(%method, path, status, ms, attempt, error = error.kind(), "request failed");
        }
    }
}

/// The wait a `Retry-After` header asks for, if it has a readable one.
fn retry_after_header(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(header::RETRY_AFTER)?.to_str().ok()?;
    retry_after(value, chrono::Utc::now())
}

fn status_error(status: StatusCode, body: &[u8], wait: Option<Duration>) -> ApiError {
    ApiError::from_body(status.as_u16(), body, wait)
}

/// The certificates of a `ca_cert` PEM file, trusted besides the system's.
fn trusted_certificates(
    ca: &crate::config::Setting<std::path::PathBuf>,
) -> Result<Vec<reqwest::Certificate>, ApiError> {
    let shown = format!("{} (ca_cert from {})", single_line(&ca.value.display().to_string()), ca.source);
    let pem =
        std::fs::read(&ca.value).map_err(|e| ApiError::Setup(format!("cannot read the certificates {shown}: {e}")))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| ApiError::Setup(format!("{shown} is not a PEM certificate file: {}", root_cause(&e))))?;
    if certs.is_empty() {
        return Err(ApiError::Setup(format!("{shown} holds no certificate (-----BEGIN CERTIFICATE-----)")));
    }
    Ok(certs)
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
