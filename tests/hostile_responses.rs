//! A matrix of hostile HTTP answers, built programmatically (statuses × bodies × content types ×
//! framing), served by a scripted raw TCP server on loopback to every client call. Each call must
//! come back within a bound, without a panic, with the right `ApiError` class and message, after
//! the right number of attempts (reads retry transient failures, writes are sent once), and with
//! a message a terminal can show safely. A last group of odd but valid answers must succeed.

mod common;

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use blnk_alerts::api::{AlertUpdate, ApiError, FlagRequest, ReadClient, WriteClient};
use blnk_alerts::domain::{Alert, AlertId, AlertType, EntityId, StatusKey, is_safe};
use common::{Act, RawServer, RequestHead, clients, config_for, scripted_server};
use serde_json::{Value, json};

/// The per-request deadline of the calls that must time out.
const TIMEOUT: Duration = Duration::from_secs(2);
/// The per-request deadline of every other call: longer, so that a loaded machine cannot turn
/// their answers into timeouts.
const PATIENT: Duration = Duration::from_secs(6);
/// The body cap every case runs with (1 MiB, so "over the cap" stays cheap).
const CAP: u64 = 1 << 20;
/// Cases in flight at once (each on its own server and clients, reused from case to case).
const PARALLEL: usize = 32;
const ALERT_ID: &str = "ano_8a380fd1-0289-46d1-bc76-aa17a510a64e";
const BALANCE: &str = "bln_20f02af6-3728-4d37-9b5a-c7ed080f09df";
/// A server's own `{"error"}` message is at most 600 characters and an ellipsis.
const EXCERPT_MAX: usize = 601;

// ---------------------------------------------------------------------------------------------
// Targets: the client calls under test, and how the scripted server recognises each request.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    List,
    Get,
    Statuses,
    Flag,
    Update,
}

impl Target {
    const ALL: [Self; 5] = [Self::List, Self::Get, Self::Statuses, Self::Flag, Self::Update];

    fn is_read(self) -> bool {
        matches!(self, Self::List | Self::Get | Self::Statuses)
    }

    fn of(head: &RequestHead) -> Option<Self> {
        match (head.method.as_str(), head.path.as_str()) {
            ("GET", "/alerts") => Some(Self::List),
            ("GET", "/alerts/statuses") => Some(Self::Statuses),
            ("GET", path) if path.starts_with("/alerts/ano_") => Some(Self::Get),
            ("POST", path) if path.starts_with("/alerts/flag/") => Some(Self::Flag),
            ("PUT", path) if path.starts_with("/alerts/flag/") => Some(Self::Update),
            _ => None,
        }
    }

    /// How long a call with this deadline may take: reads make up to 3 attempts, each fenced
    /// at deadline + 1 s, with backoff (or a small `Retry-After`) between; writes make one.
    fn bound(self, deadline: Duration) -> Duration {
        let attempt = deadline + Duration::from_secs(1);
        if self.is_read() { attempt * 3 + Duration::from_secs(4) } else { attempt + Duration::from_secs(3) }
    }
}

/// What a successful call returned, reduced to what the matrix compares.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Got {
    Alerts(Vec<String>),
    Alert(String),
    Statuses(Vec<String>),
}

fn alert_id() -> AlertId {
    ALERT_ID.parse().expect("valid alert id")
}

async fn call_full(target: Target, read: &ReadClient, write: &WriteClient) -> Result<Vec<Alert>, ApiError> {
    match target {
        Target::List => read.list_alerts().await,
        Target::Get => read.get_alert(&alert_id()).await.map(|a| vec![a]),
        Target::Flag => {
            let entity: EntityId = BALANCE.parse().expect("valid entity");
            let request = FlagRequest { title: Some("hostile".into()), description: "probe".into() };
            write.flag(&entity, &request).await.map(|a| vec![a])
        }
        Target::Update => {
            let update = AlertUpdate {
                status: Some(StatusKey::from_name("Investigating").expect("key")),
                ..AlertUpdate::default()
            };
            write.update(&alert_id(), &update).await.map(|a| vec![a])
        }
        Target::Statuses => unreachable!("statuses are not alerts"),
    }
}

async fn call(target: Target, read: &ReadClient, write: &WriteClient) -> Result<Got, ApiError> {
    let ids = |alerts: Vec<Alert>| alerts.into_iter().map(|a| a.anomaly_id.to_string()).collect::<Vec<_>>();
    match target {
        Target::Statuses => {
            let list = read.list_statuses().await?;
            Ok(Got::Statuses(list.data.into_iter().map(|s| s.key.to_string()).collect()))
        }
        Target::List => call_full(target, read, write).await.map(|a| Got::Alerts(ids(a))),
        _ => call_full(target, read, write).await.map(|a| Got::Alert(ids(a).concat())),
    }
}

// ---------------------------------------------------------------------------------------------
// Expectations, and the check of one call against one.

#[derive(Clone, Copy, Debug)]
enum Retry {
    Absent,
    Exactly(Duration),
    AtMost(Duration),
}

#[derive(Clone, Debug)]
enum Expect {
    Ok(Got),
    Status { status: u16, says: Option<String>, retry: Retry, min_read_time: Duration },
    Decode(&'static str),
    Transport,
    Timeout,
    TooLarge,
}

impl Expect {
    fn status(status: u16, says: Option<&str>) -> Self {
        let retry = if matches!(status, 429 | 503) { Retry::Exactly(Duration::ZERO) } else { Retry::Absent };
        Self::Status { status, says: says.map(str::to_owned), retry, min_read_time: Duration::ZERO }
    }

    fn class(&self) -> &'static str {
        match self {
            Self::Ok(_) => "ok",
            Self::Status { .. } => "status",
            Self::Decode(_) => "decode",
            Self::Transport => "transport",
            Self::Timeout => "timeout",
            Self::TooLarge => "too-large",
        }
    }
}

/// The words `ApiError`'s Display puts before each status.
fn hint(status: u16) -> &'static str {
    match status {
        401 => "API key rejected (401)",
        403 => "not allowed (403)",
        404 => "not found (404)",
        409 => "conflict (409)",
        429 => "rate limited (429)",
        400 | 422 => "request refused",
        300..=399 => "the server redirected",
        500..=599 => "the server failed",
        _ => "unexpected answer",
    }
}

/// The retry rule of the contract: reads retry transport failures, timeouts, 429, 502, 503 and
/// 504, up to 3 attempts in all; writes are sent exactly once.
fn attempts(target: Target, outcome: &Result<Got, ApiError>) -> u32 {
    let transient = matches!(
        outcome,
        Err(ApiError::Transport { .. }
            | ApiError::Timeout { .. }
            | ApiError::Status { status: 429 | 502 | 503 | 504, .. })
    );
    if target.is_read() && transient { 3 } else { 1 }
}

fn check_status(
    expect: &Expect,
    error: &ApiError,
    text: &str,
    target: Target,
    elapsed: Duration,
) -> Result<(), String> {
    let (
        Expect::Status { status: want, says, retry, min_read_time },
        ApiError::Status { status, message, retry_after },
    ) = (expect, error)
    else {
        return Err("not a status".into());
    };
    if status != want {
        return Err(format!("status {status}, expected {want}"));
    }
    if !text.contains(hint(*status)) || !text.contains(&format!("[HTTP {status}]")) {
        return Err(format!("the message lacks {:?}", hint(*status)));
    }
    if let Some(says) = says
        && !message.contains(says.as_str())
    {
        return Err(format!("the message does not repeat {says:?}"));
    }
    if message.chars().count() > EXCERPT_MAX {
        return Err(format!("the server's message is not capped: {} chars", message.chars().count()));
    }
    let retry_ok = match (retry, retry_after) {
        (Retry::Absent, None) => true,
        (Retry::Exactly(want), Some(got)) => want == got,
        (Retry::AtMost(max), Some(got)) => got <= max,
        _ => false,
    };
    if !retry_ok || text.contains("(retry after") != retry_after.is_some() {
        return Err(format!("retry_after {retry_after:?}, expected {retry:?}"));
    }
    if target.is_read() && elapsed < *min_read_time {
        return Err(format!("took {elapsed:?}: Retry-After was not honoured ({min_read_time:?})"));
    }
    Ok(())
}

fn check(target: Target, expect: &Expect, outcome: &Result<Got, ApiError>, elapsed: Duration) -> Result<(), String> {
    let error = match (expect, outcome) {
        (Expect::Ok(want), Ok(got)) => {
            return if want == got { Ok(()) } else { Err(format!("got {got:?}, expected {want:?}")) };
        }
        (_, Ok(got)) => return Err(format!("expected {expect:?}, got success {got:?}")),
        (_, Err(error)) => error,
    };
    let text = error.to_string();
    if let Some(bad) = text.chars().find(|c| c.is_control() || !is_safe(*c)) {
        return Err(format!("the message holds {bad:?}: {text:?}"));
    }
    // A write that failed this way may still have been carried out: the caller must look first.
    let ambiguous = !matches!(error, ApiError::Status { status, .. } if *status < 500);
    if error.is_ambiguous() != ambiguous {
        return Err(format!("is_ambiguous() is {} for {error:?}", error.is_ambiguous()));
    }
    let matched = match (expect, error) {
        (Expect::Status { .. }, ApiError::Status { .. }) => check_status(expect, error, &text, target, elapsed),
        (Expect::Decode(says), ApiError::Decode(_)) => {
            if text.starts_with("could not understand the server's answer") && text.contains(says) {
                Ok(())
            } else {
                Err(format!("a decode error that does not say {says:?}"))
            }
        }
        (Expect::Transport, ApiError::Transport { host, .. }) => {
            if host.starts_with("127.0.0.1:") && text.starts_with("cannot reach 127.0.0.1:") {
                Ok(())
            } else {
                Err("a transport error that does not name the host".into())
            }
        }
        (Expect::Timeout, ApiError::Timeout { after }) => {
            if *after == TIMEOUT && text.contains("no answer within 2 s") {
                Ok(())
            } else {
                Err(format!("a timeout after {after:?}"))
            }
        }
        (Expect::TooLarge, ApiError::TooLarge { limit }) => {
            if *limit == CAP && text.contains("larger than 1 MiB") {
                Ok(())
            } else {
                Err(format!("limit {limit}"))
            }
        }
        _ => Err(format!("expected {}", expect.class())),
    };
    matched.map_err(|why| format!("{why}; got {error:?} = {text:?}"))
}

// ---------------------------------------------------------------------------------------------
// Cases: what the server answers to each target, and what the call must give back.

struct Case {
    group: &'static str,
    name: String,
    plan: Vec<(Target, Vec<Act>, Expect)>,
}

impl Case {
    /// One answer and one expectation for every target.
    fn uniform(group: &'static str, name: String, acts: &[Act], expect: &Expect) -> Self {
        Self { group, name, plan: Target::ALL.iter().map(|t| (*t, acts.to_vec(), expect.clone())).collect() }
    }
}

/// A scripted server and a pair of clients for it, reused case after case (building a client
/// costs some 30 ms of CPU in a debug build, too much to pay for every case). Answers carry
/// `connection: close`, so no connection outlives the case that opened it.
struct Bench {
    _server: RawServer,
    answers: Arc<Mutex<BTreeMap<Target, Vec<Act>>>>,
    hits: Arc<[AtomicU32; 5]>,
    /// Clients with the short deadline, for the calls that must time out.
    fast: (ReadClient, WriteClient),
    /// Clients with the long deadline, for the rest.
    patient: (ReadClient, WriteClient),
}

impl Bench {
    async fn new() -> Self {
        let answers: Arc<Mutex<BTreeMap<Target, Vec<Act>>>> = Arc::default();
        let hits: Arc<[AtomicU32; 5]> = Arc::default();
        let (script, counter) = (Arc::clone(&answers), Arc::clone(&hits));
        let server = scripted_server(move |head| {
            let answers = script.lock().expect("answers lock");
            match Target::of(head).and_then(|t| Some((t, answers.get(&t)?))) {
                Some((target, acts)) => {
                    counter[target as usize].fetch_add(1, Ordering::SeqCst);
                    acts.clone()
                }
                None => vec![Act::Write(
                    b"HTTP/1.1 418 Unrouted\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec(),
                )],
            }
        })
        .await;
        let with_deadline = |deadline| {
            let mut config = config_for(server.url.clone());
            config.timeout.value = deadline;
            config.max_body_bytes.value = CAP;
            clients(&config)
        };
        let (fast, patient) = (with_deadline(TIMEOUT), with_deadline(PATIENT));
        Self { _server: server, answers, hits, fast, patient }
    }

    fn load(&self, case: &Case) {
        *self.answers.lock().expect("answers lock") = case.plan.iter().map(|(t, acts, _)| (*t, acts.clone())).collect();
        self.hits.iter().for_each(|h| h.store(0, Ordering::SeqCst));
    }
}

/// Runs one case on a loaded bench: every target called at once; the failures, described.
async fn run_case(bench: Arc<Bench>, case: Case) -> Vec<String> {
    let calls = case.plan.iter().map(|(target, _, expect)| {
        let bench = &bench;
        async move {
            let started = Instant::now();
            let (deadline, (read, write)) =
                if matches!(expect, Expect::Timeout) { (TIMEOUT, &bench.fast) } else { (PATIENT, &bench.patient) };
            let bound = target.bound(deadline);
            let Ok(outcome) = tokio::time::timeout(bound, call(*target, read, write)).await else {
                return Err(format!("{target:?}: no answer within {bound:?}"));
            };
            let elapsed = started.elapsed();
            check(*target, expect, &outcome, elapsed).map_err(|why| format!("{target:?}: {why}"))?;
            let (sent, want) = (bench.hits[*target as usize].load(Ordering::SeqCst), attempts(*target, &outcome));
            if sent == want { Ok(()) } else { Err(format!("{target:?}: sent {sent} times, expected {want}")) }
        }
    });
    let results = futures_util::future::join_all(calls).await;
    results.into_iter().filter_map(Result::err).map(|why| format!("[{}] {}: {why}", case.group, case.name)).collect()
}

/// Takes cases from the queue one at a time until it is empty; each case runs in its own task,
/// so a panic fails that case alone.
async fn worker(bench: Bench, queue: Arc<Mutex<VecDeque<Case>>>) -> Vec<String> {
    let bench = Arc::new(bench);
    let mut failures = Vec::new();
    loop {
        let Some(case) = queue.lock().expect("queue lock").pop_front() else {
            return failures;
        };
        let label = format!("[{}] {}", case.group, case.name);
        bench.load(&case);
        match tokio::spawn(run_case(Arc::clone(&bench), case)).await {
            Ok(found) => failures.extend(found),
            Err(e) => failures.push(format!("{label}: panicked: {e}")),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Building answers: status lines, headers and the framings of a body.

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Whatever",
    }
}

/// The status line and headers, without framing headers and without the blank line.
fn head(status: u16, headers: &[(&str, String)]) -> String {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    out.push_str("connection: close\r\n");
    out
}

fn concat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn with_length(head: &str, length: usize, body: &[u8]) -> Vec<u8> {
    concat(&[format!("{head}content-length: {length}\r\n\r\n").as_bytes(), body])
}

/// A body in chunked encoding, 7 bytes a chunk, with an optional extension on each size line;
/// `complete` adds the last chunk.
fn chunked(body: &[u8], extension: &str, complete: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for piece in body.chunks(7) {
        out.extend_from_slice(format!("{:x}{extension}\r\n", piece.len()).as_bytes());
        out.extend_from_slice(piece);
        out.extend_from_slice(b"\r\n");
    }
    if complete {
        out.extend_from_slice(b"0\r\n\r\n");
    }
    out
}

/// A body followed by whitespace up to past the cap: valid JSON, too large to accept.
fn padded(body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    out.resize(usize::try_from(CAP).expect("cap fits") + 4096, b' ');
    out
}

/// How a framing delivers a body to the client.
#[derive(Clone, Copy, Debug)]
enum Delivery {
    /// All of it, as sent.
    Whole,
    /// A prefix of it, as if it were all.
    Truncated,
    /// Nothing usable: the call fails with this class whatever the status and body.
    Fails(fn() -> Expect),
}

#[derive(Clone, Copy, Debug)]
enum Framing {
    ContentLength,
    CloseDelimited,
    Chunked,
    ChunkExtensions,
    ChunkTrailers,
    Http10,
    Interim100,
    GzipLabelPlainBody,
    BrotliLabelPlainBody,
    TrickleFast,
    JunkAfterBody,
    LengthShortHalf,
    LengthShortOne,
    LengthLongClose,
    LengthLongReset,
    LengthLongHang,
    LengthHuge,
    PartialBodyReset,
    ChunkedCutClose,
    ChunkedCutReset,
    ChunkedBadSize,
    ChunkedNoLastChunk,
    ChunkedOverCap,
    CloseDelimitedOverCap,
    LengthOverCap,
    StatusLineCut,
    HeadersCutClose,
    HeadersCutReset,
    NoAnswerClose,
    NoAnswerReset,
    NoAnswerHang,
    HeadersTrickle,
    BodyTrickle,
    NotHttp,
    BadStatusLine,
    TooManyHeaders,
    HugeHeader,
    ConflictingLengths,
    NulInHeader,
    LfOnly,
    NoReasonPhrase,
    EscapeInReason,
    EscapeInHeader,
    ObsTextHeader,
    EarlyHints,
    ManyInterim,
    BlankLinesFirst,
    Http2Preface,
}

impl Framing {
    const ALL: [Self; 48] = [
        Self::ContentLength,
        Self::CloseDelimited,
        Self::Chunked,
        Self::ChunkExtensions,
        Self::ChunkTrailers,
        Self::Http10,
        Self::Interim100,
        Self::GzipLabelPlainBody,
        Self::BrotliLabelPlainBody,
        Self::TrickleFast,
        Self::JunkAfterBody,
        Self::LengthShortHalf,
        Self::LengthShortOne,
        Self::LengthLongClose,
        Self::LengthLongReset,
        Self::LengthLongHang,
        Self::LengthHuge,
        Self::PartialBodyReset,
        Self::ChunkedCutClose,
        Self::ChunkedCutReset,
        Self::ChunkedBadSize,
        Self::ChunkedNoLastChunk,
        Self::ChunkedOverCap,
        Self::CloseDelimitedOverCap,
        Self::LengthOverCap,
        Self::StatusLineCut,
        Self::HeadersCutClose,
        Self::HeadersCutReset,
        Self::NoAnswerClose,
        Self::NoAnswerReset,
        Self::NoAnswerHang,
        Self::HeadersTrickle,
        Self::BodyTrickle,
        Self::NotHttp,
        Self::BadStatusLine,
        Self::TooManyHeaders,
        Self::HugeHeader,
        Self::ConflictingLengths,
        Self::NulInHeader,
        Self::LfOnly,
        Self::NoReasonPhrase,
        Self::EscapeInReason,
        Self::EscapeInHeader,
        Self::ObsTextHeader,
        Self::EarlyHints,
        Self::ManyInterim,
        Self::BlankLinesFirst,
        Self::Http2Preface,
    ];

    fn delivery(self) -> Delivery {
        match self {
            Self::ContentLength
            | Self::CloseDelimited
            | Self::Chunked
            | Self::ChunkExtensions
            | Self::ChunkTrailers
            | Self::Http10
            | Self::Interim100
            // The client asks for no encoding and decodes none: a label on a plain body is ignored.
            | Self::GzipLabelPlainBody
            | Self::BrotliLabelPlainBody
            | Self::TrickleFast
            | Self::JunkAfterBody
            | Self::LfOnly
            | Self::NoReasonPhrase
            | Self::ObsTextHeader
            | Self::EarlyHints
            | Self::ManyInterim
            // Empty lines before the status line are skipped, as RFC 9112 (2.2) allows.
            | Self::BlankLinesFirst => Delivery::Whole,
            Self::LengthShortHalf | Self::LengthShortOne => Delivery::Truncated,
            Self::LengthHuge | Self::ChunkedOverCap | Self::CloseDelimitedOverCap | Self::LengthOverCap => {
                Delivery::Fails(|| Expect::TooLarge)
            }
            Self::LengthLongHang | Self::NoAnswerHang | Self::HeadersTrickle | Self::BodyTrickle => {
                Delivery::Fails(|| Expect::Timeout)
            }
            Self::LengthLongClose
            | Self::LengthLongReset
            | Self::PartialBodyReset
            | Self::ChunkedCutClose
            | Self::ChunkedCutReset
            | Self::ChunkedBadSize
            | Self::ChunkedNoLastChunk
            | Self::StatusLineCut
            | Self::HeadersCutClose
            | Self::HeadersCutReset
            | Self::NoAnswerClose
            | Self::NoAnswerReset
            | Self::NotHttp
            | Self::BadStatusLine
            | Self::TooManyHeaders
            | Self::HugeHeader
            | Self::ConflictingLengths
            | Self::NulInHeader
            | Self::EscapeInReason
            | Self::EscapeInHeader
            | Self::Http2Preface => Delivery::Fails(|| Expect::Transport),
        }
    }

    /// The server's side of the exchange for a status, headers and body.
    fn acts(self, status: u16, headers: &[(&str, String)], body: &[u8]) -> Vec<Act> {
        let head = head(status, headers);
        let len = body.len();
        let half = len / 2;
        let whole = with_length(&head, len, body);
        let write = |bytes: Vec<u8>| vec![Act::Write(bytes)];
        let then = |bytes: Vec<u8>, end: Act| vec![Act::Write(bytes), end];
        let te = format!("{head}transfer-encoding: chunked\r\n\r\n");
        match self {
            Self::ContentLength => write(whole),
            Self::CloseDelimited => write(concat(&[format!("{head}\r\n").as_bytes(), body])),
            Self::Chunked => write(concat(&[te.as_bytes(), &chunked(body, "", true)])),
            Self::ChunkExtensions => write(concat(&[te.as_bytes(), &chunked(body, ";name=\"value\";x", true)])),
            Self::ChunkTrailers => {
                let mut chunks = chunked(body, "", false);
                chunks.extend_from_slice(b"0\r\nx-checksum: abc\r\nx-more: 1\r\n\r\n");
                write(concat(&[te.as_bytes(), &chunks]))
            }
            Self::Http10 => {
                write(concat(&[format!("{}\r\n", head.replacen("HTTP/1.1", "HTTP/1.0", 1)).as_bytes(), body]))
            }
            Self::Interim100 => write(concat(&[b"HTTP/1.1 100 Continue\r\n\r\n", &whole])),
            Self::GzipLabelPlainBody => write(with_length(&format!("{head}content-encoding: gzip\r\n"), len, body)),
            Self::BrotliLabelPlainBody => write(with_length(&format!("{head}content-encoding: br\r\n"), len, body)),
            Self::TrickleFast => vec![Act::Trickle { bytes: whole, chunk: 64, gap: Duration::from_millis(2) }],
            Self::JunkAfterBody => write(concat(&[&whole, b"\x1b[2JHTTP/1.1 200 OK\r\n\r\n{}garbage"])),
            Self::LengthShortHalf => write(with_length(&head, half, body)),
            Self::LengthShortOne => write(with_length(&head, len - 1, body)),
            Self::LengthLongClose => then(with_length(&head, len + 100, body), Act::Close),
            Self::LengthLongReset => then(with_length(&head, len + 100, body), Act::Reset),
            Self::LengthLongHang => then(with_length(&head, len + 100, body), Act::Hang),
            Self::LengthHuge => write(with_length(&head, 1 << 40, body)),
            Self::PartialBodyReset => {
                vec![
                    Act::Write(with_length(&head, len, &body[..half])),
                    Act::Sleep(Duration::from_millis(20)),
                    Act::Reset,
                ]
            }
            Self::ChunkedCutClose | Self::ChunkedCutReset => {
                let chunks = chunked(body, "", true);
                let end = if matches!(self, Self::ChunkedCutClose) { Act::Close } else { Act::Reset };
                vec![
                    Act::Write(concat(&[te.as_bytes(), &chunks[..chunks.len() / 2]])),
                    Act::Sleep(Duration::from_millis(20)),
                    end,
                ]
            }
            Self::ChunkedBadSize => write(concat(&[te.as_bytes(), b"zz\r\n", body, b"\r\n0\r\n\r\n"])),
            Self::ChunkedNoLastChunk => then(concat(&[te.as_bytes(), &chunked(body, "", false)]), Act::Close),
            Self::ChunkedOverCap => {
                let padded = padded(body);
                let mut out = te.into_bytes();
                for piece in padded.chunks(64 * 1024) {
                    out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                    out.extend_from_slice(piece);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"0\r\n\r\n");
                write(out)
            }
            Self::CloseDelimitedOverCap => write(concat(&[format!("{head}\r\n").as_bytes(), &padded(body)])),
            Self::LengthOverCap => {
                let padded = padded(body);
                write(with_length(&head, padded.len(), &padded))
            }
            Self::HeadersCutClose => then(head.as_bytes()[..head.len() - 5].to_vec(), Act::Close),
            Self::HeadersCutReset => then(head.as_bytes()[..head.len() - 5].to_vec(), Act::Reset),
            Self::NoAnswerClose => vec![Act::Close],
            Self::NoAnswerReset => vec![Act::Reset],
            Self::NoAnswerHang => vec![Act::Hang],
            Self::HeadersTrickle => vec![Act::Trickle { bytes: whole, chunk: 1, gap: Duration::from_millis(300) }],
            Self::BodyTrickle => vec![
                Act::Write(with_length(&head, len, b"")),
                Act::Trickle { bytes: body.to_vec(), chunk: 1, gap: Duration::from_millis(250) },
            ],
            _ => self.malformed_head(&head, status, body),
        }
    }

    /// The answers whose status line or headers are odd or malformed.
    fn malformed_head(self, head: &str, status: u16, body: &[u8]) -> Vec<Act> {
        let (len, whole) = (body.len(), with_length(head, body.len(), body));
        let write = |bytes: Vec<u8>| vec![Act::Write(bytes)];
        let then = |bytes: Vec<u8>, end: Act| vec![Act::Write(bytes), end];
        match self {
            Self::StatusLineCut => then(b"HTTP/1.1 20".to_vec(), Act::Close),
            Self::NotHttp => then(b"SSH-2.0-OpenSSH_9.6\r\n".to_vec(), Act::Close),
            Self::BadStatusLine => write(with_length(&head.replacen(&status.to_string(), "two hundred", 1), len, body)),
            Self::TooManyHeaders => {
                let many = (0..200).fold(String::new(), |mut out, i| {
                    let _ = write!(out, "x-header-{i}: {i}\r\n");
                    out
                });
                write(with_length(&format!("{head}{many}"), len, body))
            }
            Self::HugeHeader => write(with_length(&format!("{head}x-huge: {}\r\n", "a".repeat(1 << 20)), len, body)),
            Self::ConflictingLengths => {
                write(with_length(&format!("{head}content-length: {}\r\n", len + 7), len, body))
            }
            Self::NulInHeader => write(with_length(&format!("{head}x-evil: a\0b\r\n"), len, body)),
            Self::LfOnly => write(with_length(head, len, body).replace_str("\r\n", "\n")),
            Self::NoReasonPhrase => {
                write(with_length(&head.replacen(&format!(" {}\r\n", reason(status)), "\r\n", 1), len, body))
            }
            Self::EscapeInReason => {
                let reason = format!(" \x1b]0;pwned\x07\x1b[31m{}\r\n", reason(status));
                write(with_length(&head.replacen(&format!(" {}\r\n", self::reason(status)), &reason, 1), len, body))
            }
            Self::EscapeInHeader => write(with_length(&format!("{head}x-note: \x1b[2Jhello\r\n"), len, body)),
            Self::ObsTextHeader => {
                write(concat(&[head.as_bytes(), b"x-latin1: caf\xe9 \xff\r\n", &with_length("", len, body)]))
            }
            Self::EarlyHints => write(concat(&[b"HTTP/1.1 103 Early Hints\r\nlink: </a.css>\r\n\r\n", &whole])),
            Self::ManyInterim => write(concat(&[&b"HTTP/1.1 100 Continue\r\n\r\n".repeat(1_000), &whole])),
            Self::BlankLinesFirst => write(concat(&[b"\r\n\r\n", &whole])),
            Self::Http2Preface => then(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0".to_vec(), Act::Close),
            _ => unreachable!("{self:?} has a well-formed head"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Documents: valid ones per target, and hostile bodies.

fn alert_value() -> Value {
    json!({
        "anomaly_id": ALERT_ID,
        "title": "An identity has been flagged in a sanction list.",
        "description": "this is a test",
        "type": "Balance",
        "assigned_to": "jerrys enebeli",
        "escalated_to": ["user_01K4EX0BRXHNNGCRVT2TPNK07W"],
        "status": "FLAGGED",
        "created_at": "2026-01-15T09:22:37.55763+01:00",
        "updated_at": "2026-01-15T09:26:03.094425+01:00",
        "affected_balances": [BALANCE],
        "affected_identities": [],
        "affected_transactions": []
    })
}

fn status_list_value() -> Value {
    json!({
        "data": [{
            "organization_id": "org_01ABC123", "key": "PENDING_REVIEW", "name": "Pending Review",
            "colour": "#8B5CF6", "created_at": "2025-01-29T14:00:00Z", "updated_at": "2025-01-29T14:00:00Z"
        }],
        "allowed_colours": ["#3B82F6", "#8B5CF6"]
    })
}

fn valid_value(target: Target) -> Value {
    match target {
        Target::List => json!([alert_value()]),
        Target::Statuses => status_list_value(),
        _ => alert_value(),
    }
}

fn to_bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("encodes")
}

fn valid_body(target: Target) -> Vec<u8> {
    to_bytes(&valid_value(target))
}

fn built_ins() -> Vec<String> {
    StatusKey::BUILT_IN.iter().map(|k| (*k).to_owned()).collect()
}

fn valid_got(target: Target) -> Got {
    match target {
        Target::List => Got::Alerts(vec![ALERT_ID.into()]),
        Target::Statuses => Got::Statuses([built_ins(), vec!["PENDING_REVIEW".into()]].concat()),
        _ => Got::Alert(ALERT_ID.into()),
    }
}

/// A hostile 2xx body per target, and what each target must make of it.
struct Doc {
    name: String,
    per_target: Vec<(Target, Vec<u8>, Expect)>,
}

impl Doc {
    fn same(name: &str, body: &[u8], expect: impl Fn(Target) -> Expect) -> Self {
        Self {
            name: name.to_owned(),
            per_target: Target::ALL.iter().map(|t| (*t, body.to_vec(), expect(*t))).collect(),
        }
    }

    fn derived(name: &str, body: impl Fn(Target) -> Vec<u8>, expect: impl Fn(Target) -> Expect) -> Self {
        Self { name: name.to_owned(), per_target: Target::ALL.iter().map(|t| (*t, body(*t), expect(*t))).collect() }
    }
}

type Mutation = fn(&mut Value);

/// Breakages of required fields: one applied to an alert, its twin to a status list.
fn mutations() -> Vec<(&'static str, Mutation, Mutation)> {
    fn remove(value: &mut Value, field: &str) {
        value.as_object_mut().expect("object").remove(field);
    }
    vec![
        ("id missing", |a| remove(a, "anomaly_id"), |s| remove(&mut s["data"][0], "key")),
        ("id null", |a| a["anomaly_id"] = Value::Null, |s| s["data"][0]["key"] = Value::Null),
        ("id a number", |a| a["anomaly_id"] = json!(5), |s| s["data"][0]["key"] = json!(5)),
        ("type null", |a| a["type"] = Value::Null, |s| s["data"][0]["name"] = Value::Null),
        ("type missing", |a| remove(a, "type"), |s| s["data"][0]["colour"] = json!(["#8B5CF6"])),
        ("status null", |a| a["status"] = Value::Null, |s| s["data"][0]["colour"] = Value::Null),
        ("status an object", |a| a["status"] = json!({"key": "FLAGGED"}), |s| s["data"][0]["key"] = json!({})),
        ("created_at missing", |a| remove(a, "created_at"), |s| s["data"][0]["created_at"] = json!("soon")),
        ("created_at a number", |a| a["created_at"] = json!(1_768_465_357), |s| s["data"][0]["created_at"] = json!(1)),
        ("updated_at not a date", |a| a["updated_at"] = json!("yesterday"), |s| s["data"][0]["updated_at"] = json!("")),
        ("a list as a string", |a| a["affected_balances"] = json!(BALANCE), |s| s["data"] = json!("PENDING_REVIEW")),
        ("ids in a list as numbers", |a| a["escalated_to"] = json!([1, 2]), |s| s["allowed_colours"] = json!([1])),
        ("title a number", |a| a["title"] = json!(5), |s| s["data"][0]["organization_id"] = json!(5)),
        ("text a list, data null", |a| a["description"] = json!(["not", "text"]), |s| s["data"] = Value::Null),
    ]
}

fn mutated(target: Target, alert: Mutation, status: Mutation) -> Vec<u8> {
    let mut value = valid_value(target);
    match target {
        Target::List => alert(&mut value[0]),
        Target::Statuses => status(&mut value),
        _ => alert(&mut value),
    }
    to_bytes(&value)
}

/// A JSON object without the right fields: no alert list or alert, but a status list with no
/// custom statuses (every field of a status list has a default).
fn decode_unless_statuses(target: Target) -> Expect {
    if target == Target::Statuses { Expect::Ok(Got::Statuses(built_ins())) } else { Expect::Decode("") }
}

fn nested(open: &str, close: &str, depth: usize, inner: &str) -> Vec<u8> {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth)).into_bytes()
}

fn hostile_documents() -> Vec<Doc> {
    let decode = |says: &'static str| move |_: Target| Expect::Decode(says);
    let mut docs = vec![
        Doc::same("null", b"null", decode("")),
        Doc::same("{}", b"{}", decode_unless_statuses),
        Doc::same("\"\"", b"\"\"", decode("")),
        Doc::same("[]", b"[]", |t| match t {
            Target::List => Expect::Ok(Got::Alerts(Vec::new())),
            // A status list decodes from a sequence too, its fields in order; both have defaults.
            Target::Statuses => Expect::Ok(Got::Statuses(built_ins())),
            _ => Expect::Decode(""),
        }),
        Doc::same("{\"anomaly_id\": 5}", br#"{"anomaly_id": 5}"#, decode_unless_statuses),
        Doc::same("a number", b"-1", decode("")),
        Doc::same("true", b"true", decode("")),
        Doc::same("NaN", b"[NaN]", decode("")),
        Doc::same("a number out of range", b"1e999999", decode("")),
        Doc::same("100,000 [", &nested("[", "", 100_000, ""), decode("")),
        Doc::same("100,000 [ closed", &nested("[", "]", 100_000, ""), decode("")),
        // Unknown fields are skipped without recursion, however deep: a status list has only
        // optional fields, so an object of nothing but unknown ones is an empty one.
        Doc::same("100,000 {\"a\": closed", &nested("{\"a\":", "}", 100_000, "1"), decode_unless_statuses),
        Doc::same("html", b"<!DOCTYPE html><html><body>Sign in to continue</body></html>", decode("web page")),
        Doc::same("xml", b"<?xml version=\"1.0\"?><alerts><alert/></alerts>", decode("web page")),
        Doc::same("plain text", b"OK", decode("")),
        Doc::same("empty", b"", decode("empty answer")),
        Doc::same("whitespace", b" \r\n\t \n", decode("empty answer")),
        Doc::same("invalid UTF-8", b"\xff\xfe\xfd\x1b[2J", decode("")),
        Doc::derived("BOM first", |t| concat(&[b"\xef\xbb\xbf", &valid_body(t)]), decode("")),
        Doc::derived("cut in half", |t| valid_body(t)[..valid_body(t).len() / 2].to_vec(), decode("")),
        Doc::derived("trailing garbage", |t| concat(&[&valid_body(t), b" garbage"]), decode("trailing")),
        Doc::derived("two documents", |t| [valid_body(t), valid_body(t)].concat(), decode("trailing")),
        Doc::derived("valid, with an unknown field 100,000 levels deep", deep_unknown_field, |t| {
            Expect::Ok(valid_got(t))
        }),
        Doc::derived("invalid UTF-8 in a string", |t| invalid_utf8_in_string(&valid_body(t)), decode("")),
        Doc::derived("a lone surrogate", |t| lone_surrogate(&valid_body(t)), decode("")),
        Doc::derived("over the cap", |t| padded(&valid_body(t)), |_| Expect::TooLarge),
    ];
    for (name, alert, status) in mutations() {
        docs.push(Doc::derived(name, |t| mutated(t, alert, status), decode("")));
    }
    docs
}

fn deep_unknown_field(target: Target) -> Vec<u8> {
    let deep = String::from_utf8(nested("[", "]", 100_000, "")).expect("ascii");
    let mut value = valid_value(target);
    let object = match target {
        Target::List => &mut value[0],
        _ => &mut value,
    };
    object["extra"] = Value::String("PLACEHOLDER".into());
    to_bytes(&value).replace_str("\"PLACEHOLDER\"", &deep)
}

/// Replaces the first string value's first letter by a byte that is never valid UTF-8.
fn invalid_utf8_in_string(body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    let quote = out.windows(3).position(|w| w == b"\":\"").expect("a string field") + 3;
    out[quote] = 0xff;
    out
}

fn lone_surrogate(body: &[u8]) -> Vec<u8> {
    let quote = body.windows(3).position(|w| w == b"\":\"").expect("a string field") + 3;
    concat(&[&body[..quote], b"\\ud800", &body[quote..]])
}

trait ReplaceStr {
    fn replace_str(self, from: &str, to: &str) -> Vec<u8>;
}

impl ReplaceStr for Vec<u8> {
    fn replace_str(self, from: &str, to: &str) -> Vec<u8> {
        String::from_utf8(self).expect("utf-8").replace(from, to).into_bytes()
    }
}

/// An error body, the content type it comes with, and what the message must repeat.
struct ErrorBody {
    name: &'static str,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    says: Option<&'static str>,
}

fn error_bodies() -> Vec<ErrorBody> {
    let json = Some("application/json");
    let body = |name, content_type, body: &[u8], says| ErrorBody { name, content_type, body: body.to_vec(), says };
    let nginx = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    let long = format!("{{\"error\":\"{}\"}}", "x".repeat(10_000));
    vec![
        body("error", json, br#"{"error":"description is required"}"#, Some("description is required")),
        body(
            "error and error_detail",
            json,
            br#"{"error":"balance not found","error_detail":{"code":"NOT_FOUND","message":"no balance","details":{"id":"bln_x"}}}"#,
            Some("balance not found"),
        ),
        body("error_detail only", json, br#"{"error_detail":{"code":"E1","message":"inner"}}"#, Some("error_detail")),
        body("message only", json, br#"{"message":"rate limit exceeded"}"#, Some("rate limit exceeded")),
        body("error an object", json, br#"{"error":{"code":42,"reason":"nested reason"}}"#, Some("nested reason")),
        body("error null", json, br#"{"error":null,"message":null}"#, Some(r#""error":null"#)),
        body("null", json, b"null", Some("null")),
        body("{}", json, b"{}", Some("{}")),
        body("an empty string", json, b"\"\"", Some("\"\"")),
        body("proxy html", Some("text/html"), nginx, Some("502 Bad Gateway")),
        body("escapes in JSON", json, br#"{"error":"\u001b]52;c;ZXZpbA==\u0007\u001b[2J\u001b[31mboom\u009b1m"}"#, Some("\u{241b}[2J")),
        body("raw escapes", Some("text/plain"), b"\x1b[2J\x1b]0;pwned\x07bad\r\nthing\x9b", Some("\u{241b}]0;pwned")),
        body("bidi override", json, br#"{"error":"invoice\u202egpj.exe"}"#, Some("invoice\u{fffd}gpj.exe")),
        body("multi-line", json, br#"{"error":"line one\nline two\r\nline three"}"#, Some("line one⏎ line two⏎ line three")),
        body("invalid UTF-8", Some("text/plain"), b"\xff\xfeoops \xc3\x28 not utf8", Some("oops")),
        body("empty", None, b"", Some("(empty body)")),
        body("plain text", Some("text/plain"), b"Service Unavailable\n", Some("Service Unavailable")),
        body("xml", Some("application/xml"), b"<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>", Some("AccessDenied")),
        ErrorBody { name: "a 10,000-character error", content_type: json, body: long.into_bytes(), says: Some("xxxx") },
    ]
}

// ---------------------------------------------------------------------------------------------
// The groups of the matrix.

const ERROR_STATUSES: [u16; 15] = [301, 302, 400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504, 599];
const CONTENT_TYPES: [Option<&str>; 5] =
    [Some("application/json"), Some("text/html"), Some("text/plain"), Some("application/xml"), None];

fn status_headers(status: u16, content_type: Option<&str>) -> Vec<(&'static str, String)> {
    let mut headers = Vec::new();
    if let Some(content_type) = content_type {
        headers.push(("content-type", content_type.to_owned()));
    }
    match status {
        300..=399 => headers.push(("location", "http://127.0.0.1:9/elsewhere".to_owned())),
        401 => headers.push(("www-authenticate", "Bearer".to_owned())),
        429 | 503 => headers.push(("retry-after", "0".to_owned())),
        _ => {}
    }
    headers
}

/// Every error status with every error body.
fn error_status_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for status in ERROR_STATUSES {
        for body in error_bodies() {
            let acts = Framing::ContentLength.acts(status, &status_headers(status, body.content_type), &body.body);
            let expect = Expect::status(status, body.says);
            cases.push(Case::uniform("error status", format!("{status} {}", body.name), &acts, &expect));
        }
        let huge = padded(b"<html><body>Bad Gateway</body></html>");
        let acts = Framing::ContentLength.acts(status, &status_headers(status, Some("text/html")), &huge);
        cases.push(Case::uniform("error status", format!("{status} html over the cap"), &acts, &Expect::TooLarge));
    }
    cases
}

/// `Retry-After` in every form on the two statuses that carry it.
fn retry_after_cases() -> Vec<Case> {
    let soon = (chrono::Utc::now() + chrono::TimeDelta::seconds(2)).format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let variants: Vec<(String, Retry, Duration)> = vec![
        (String::new(), Retry::Absent, Duration::ZERO),
        ("0".into(), Retry::Exactly(Duration::ZERO), Duration::ZERO),
        ("1".into(), Retry::Exactly(Duration::from_secs(1)), Duration::from_millis(1900)),
        (" 1 ".into(), Retry::Exactly(Duration::from_secs(1)), Duration::from_millis(1900)),
        (soon, Retry::AtMost(Duration::from_secs(2)), Duration::ZERO),
        ("Wed, 21 Oct 2015 07:28:00 GMT".into(), Retry::Exactly(Duration::ZERO), Duration::ZERO),
        ("soon".into(), Retry::Absent, Duration::ZERO),
        ("-1".into(), Retry::Absent, Duration::ZERO),
        ("1.5".into(), Retry::Absent, Duration::ZERO),
        ("99999999999999999999999".into(), Retry::Absent, Duration::ZERO),
    ];
    let mut cases = Vec::new();
    for status in [429, 503] {
        for (value, retry, min_read_time) in &variants {
            let mut headers = vec![("content-type", "application/json".to_owned())];
            if !value.is_empty() {
                headers.push(("retry-after", value.clone()));
            }
            let acts = Framing::ContentLength.acts(status, &headers, br#"{"error":"slow down"}"#);
            let expect =
                Expect::Status { status, says: Some("slow down".into()), retry: *retry, min_read_time: *min_read_time };
            cases.push(Case::uniform("retry-after", format!("{status} Retry-After {value:?}"), &acts, &expect));
        }
        // A control character in a header makes the whole answer unreadable.
        let headers = [("retry-after", "\u{1b}[2J".to_owned())];
        let acts = Framing::ContentLength.acts(status, &headers, br#"{"error":"slow down"}"#);
        cases.push(Case::uniform("retry-after", format!("{status} Retry-After ESC"), &acts, &Expect::Transport));
    }
    cases
}

/// Hostile bodies on success statuses, under every content type.
fn hostile_body_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for status in [200, 201] {
        for content_type in CONTENT_TYPES {
            if status == 201 && content_type != Some("application/json") {
                continue;
            }
            let headers = status_headers(status, content_type);
            for doc in hostile_documents() {
                let plan = doc
                    .per_target
                    .into_iter()
                    .map(|(target, body, expect)| {
                        (target, Framing::ContentLength.acts(status, &headers, &body), expect)
                    })
                    .collect();
                let name = format!("{status} {} {:?}", content_type.unwrap_or("(no type)"), doc.name);
                cases.push(Case { group: "hostile body", name, plan });
            }
        }
    }
    // A 204 has no body, whatever follows it.
    for body in [&b""[..], b"[]", br#"{"anomaly_id":"ano_1"}"#] {
        let acts = Framing::ContentLength.acts(204, &[], body);
        let name = format!("204 with {:?}", String::from_utf8_lossy(body));
        cases.push(Case::uniform("hostile body", name, &acts, &Expect::Decode("empty answer")));
    }
    cases
}

/// Every framing, for a valid answer, a JSON 404 and a proxy's HTML 502.
fn framing_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for framing in Framing::ALL {
        for (status, body_kind) in [(200, "valid"), (404, "json error"), (502, "proxy html")] {
            let plan = Target::ALL
                .iter()
                .map(|&target| {
                    let (body, content_type, says) = match body_kind {
                        "valid" => (valid_body(target), "application/json", None),
                        "json error" => {
                            (br#"{"error":"no alert with that id"}"#.to_vec(), "application/json", Some("no alert"))
                        }
                        _ => (
                            b"<html><head><title>502 Bad Gateway</title></head></html>".to_vec(),
                            "text/html",
                            Some("Bad Gateway"),
                        ),
                    };
                    let acts = framing.acts(status, &[("content-type", content_type.to_owned())], &body);
                    let expect = match (framing.delivery(), status) {
                        (Delivery::Fails(expect), _) => expect(),
                        (Delivery::Whole, 200) => Expect::Ok(valid_got(target)),
                        (Delivery::Truncated, 200) => Expect::Decode(""),
                        (Delivery::Whole, _) => Expect::status(status, says),
                        (Delivery::Truncated, _) => Expect::status(status, None),
                    };
                    (target, acts, expect)
                })
                .collect();
            cases.push(Case { group: "framing", name: format!("{framing:?} {status} {body_kind}"), plan });
        }
    }
    cases
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_answers_give_the_right_error_promptly_and_safely() {
    let cases: Vec<Case> = [framing_cases(), retry_after_cases(), error_status_cases(), hostile_body_cases()]
        .into_iter()
        .flatten()
        .collect();
    let mut breakdown: BTreeMap<&str, usize> = BTreeMap::new();
    let mut classes: BTreeMap<&str, usize> = BTreeMap::new();
    for case in &cases {
        *breakdown.entry(case.group).or_default() += 1;
        for (_, _, expect) in &case.plan {
            *classes.entry(expect.class()).or_default() += 1;
        }
    }
    let (count, calls) = (cases.len(), classes.values().sum::<usize>());
    println!("hostile cases: {count} ({breakdown:?}); calls: {calls} ({classes:?})");
    assert!(count >= 200, "the matrix has only {count} cases");

    let started = Instant::now();
    let queue = Arc::new(Mutex::new(VecDeque::from(cases)));
    let failures = tokio::time::timeout(common::LIMIT, async {
        let mut workers = tokio::task::JoinSet::new();
        // Every bench is ready before the first case starts: building clients takes CPU.
        let mut benches = Vec::new();
        for _ in 0..PARALLEL {
            benches.push(Bench::new().await);
        }
        for bench in benches {
            workers.spawn(worker(bench, Arc::clone(&queue)));
        }
        let mut failures = Vec::new();
        while let Some(found) = workers.join_next().await {
            failures.extend(found.expect("a worker finished"));
        }
        failures
    })
    .await
    .expect("the whole matrix finishes in time");
    println!("{count} cases, {calls} calls in {:.1?}", started.elapsed());
    assert!(failures.is_empty(), "{} of {calls} calls went wrong:\n{}", failures.len(), failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Odd but valid answers: they must succeed, sanitized, with every value kept.

/// Serves `body` (with `status` and `content_type`) to every request.
async fn serve_one(status: u16, content_type: Option<&str>, body: Vec<u8>) -> RawServer {
    let acts = Framing::ContentLength.acts(status, &status_headers(status, content_type), &body);
    scripted_server(move |_| acts.clone()).await
}

/// A name, an alert document, and the checks of what the client makes of it.
type OddAlert = (&'static str, Value, fn(&Alert));

fn odd_alerts() -> Vec<OddAlert> {
    let mut extra = alert_value();
    extra["risk_score"] = json!(97);
    extra["metadata"] = json!({"nested": [1, {"x": null}], "ok": true});
    extra["escalated_to_names"] = Value::Null;
    let mut nulls = alert_value();
    for field in ["title", "assigned_to", "escalated_to", "affected_identities", "affected_transactions", "description"]
    {
        nulls[field] = Value::Null;
    }
    let minimal = json!({"anomaly_id": "ano_1", "type": "Transaction", "status": "RESOLVED",
        "created_at": "2026-01-15T09:22:37Z", "updated_at": "2026-01-15T09:22:37Z"});
    let mut zulu = alert_value();
    zulu["created_at"] = json!("2026-01-15T08:22:37Z");
    zulu["updated_at"] = json!("2026-01-15T14:00:00.123456789+05:30");
    let mut odd_values = alert_value();
    odd_values["status"] = json!("pending_review");
    odd_values["type"] = json!("Wire");
    odd_values["assigned_to"] = json!("   ");
    odd_values["updated_at"] = json!("2026-01-15T01:26:03-08:00");
    let mut hostile_text = alert_value();
    hostile_text["title"] = json!("\u{1b}]52;c;ZXZpbA==\u{7}Ünïcödé 🚨 警告");
    hostile_text["description"] = json!("line one\r\nline two\u{1b}[2J\u{9b}31m\u{202e}");
    hostile_text["assigned_to"] = json!("\u{1b}[31mMallory");
    hostile_text["affected_balances"] = json!(["bln_\u{1b}[8m"]);
    let mut long = alert_value();
    long["description"] = json!("y".repeat(200_000));
    vec![
        ("unknown fields", extra, |a| assert_eq!(a.assigned_to.as_deref(), Some("jerrys enebeli"))),
        ("nulls in optional fields", nulls, |a| {
            assert_eq!((a.title.as_deref(), a.assigned_to.as_deref(), a.description.as_str()), (None, None, ""));
            assert!(
                a.escalated_to.is_empty() && a.affected_identities.is_empty() && a.affected_transactions.is_empty()
            );
            assert_eq!(a.affected_balances, [BALANCE]);
        }),
        ("only the required fields", minimal, |a| {
            assert_eq!((a.anomaly_id.as_str(), a.status.as_str()), ("ano_1", "RESOLVED"));
            assert!(a.title.is_none() && a.entity().is_none() && a.description.is_empty());
        }),
        ("Z and a 9-digit offset", zulu, |a| {
            assert_eq!(a.created_at.offset().local_minus_utc(), 0);
            assert_eq!(a.updated_at.offset().local_minus_utc(), 19_800);
            assert_eq!(a.updated_at.timestamp_subsec_nanos(), 123_456_789);
            assert_eq!(a.created_at.timestamp(), 1_768_465_357);
        }),
        ("custom status, new type, blank assignee", odd_values, |a| {
            assert_eq!(
                (a.status.as_str(), a.kind.clone(), a.assigned_to.as_deref()),
                ("PENDING_REVIEW", AlertType::Other("Wire".into()), None)
            );
            assert_eq!(a.updated_at.offset().local_minus_utc(), -28_800);
        }),
        ("escapes and unicode in text", hostile_text, |a| {
            let title = a.title.as_deref().expect("a title");
            assert!(title.ends_with("Ünïcödé 🚨 警告") && title.contains('\u{241b}'), "{title:?}");
            assert!(a.description.starts_with("line one\nline two\u{241b}[2J"), "{:?}", a.description);
            assert_eq!(a.assigned_to.as_deref(), Some("\u{241b}[31mMallory"));
            assert_eq!(a.affected_balances, ["bln_\u{241b}[8m"]);
        }),
        ("a 200,000-character description", long, |a| assert_eq!(a.description.len(), 200_000)),
    ]
}

fn assert_safe(alert: &Alert) {
    let text = format!(
        "{}{}{}{}{}{:?}{:?}",
        alert.anomaly_id,
        alert.title.as_deref().unwrap_or_default(),
        alert.description.replace('\n', " "),
        alert.kind,
        alert.assigned_to.as_deref().unwrap_or_default(),
        alert.escalated_to,
        alert.affected_balances
    );
    assert!(text.chars().all(|c| is_safe(c) && !c.is_control()), "unsafe text reached the caller: {text:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_but_valid_answers_succeed() {
    tokio::time::timeout(common::LIMIT, async {
        let mut count = 0;
        let alerts = odd_alerts();
        for (name, value, checks) in &alerts {
            // One alert: get, flag (200 and 201) and update, under odd content types.
            for (status, content_type) in [(200, Some("application/json")), (201, Some("text/plain")), (200, None)] {
                let server = serve_one(status, content_type, to_bytes(value)).await;
                let (read, write) = clients(&config_for(server.url.clone()));
                for target in [Target::Get, Target::Flag, Target::Update] {
                    let got = call_full(target, &read, &write).await.unwrap_or_else(|e| panic!("{name} {target:?}: {e}"));
                    assert_eq!(got.len(), 1);
                    checks(&got[0]);
                    assert_safe(&got[0]);
                    count += 1;
                }
            }
        }
        // Lists: bare, in an envelope with paging fields, with whitespace first, empty.
        let all: Vec<Value> = alerts.iter().map(|(_, v, _)| v.clone()).collect();
        let lists = [
            (Value::Array(all.clone()), all.len()),
            (json!({"page": 1, "pageSize": 50, "data": all, "total": all.len(), "links": {"next": null}}), all.len()),
            (json!({"data": [], "total": 0}), 0),
            (json!([]), 0),
        ];
        for (value, len) in lists {
            for prefix in [&b""[..], b"\r\n\t "] {
                let server = serve_one(200, Some("application/json; charset=utf-8"), concat(&[prefix, &to_bytes(&value)])).await;
                let (read, _) = clients(&config_for(server.url.clone()));
                let listed = read.list_alerts().await.expect("an odd list decodes");
                assert_eq!(listed.len(), len);
                for (alert, (_, _, checks)) in listed.iter().zip(&alerts) {
                    checks(alert);
                    assert_safe(alert);
                }
                count += 1;
            }
        }
        // Statuses: unknown fields, built-ins out of order with their own colours, lower-case keys,
        // offsets, no allowed_colours.
        let statuses = json!({"data": [
            {"key": "resolved", "name": "Done", "colour": "#64748B", "extra": [1]},
            {"key": "PENDING_REVIEW", "name": "Pending \u{1b}[2JReview", "colour": "#8B5CF6",
             "created_at": "2025-01-29T14:00:00+02:00", "updated_at": "2025-01-29T14:00:00.5Z", "organization_id": null},
            {"key": "FLAGGED"}
        ], "total": 3});
        let server = serve_one(200, Some("text/plain"), to_bytes(&statuses)).await;
        let (read, _) = clients(&config_for(server.url.clone()));
        let list = read.list_statuses().await.expect("odd statuses decode");
        let keys: Vec<&str> = list.data.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["FLAGGED", "INVESTIGATING", "RESOLVED", "PENDING_REVIEW"]);
        assert_eq!((list.data[2].name.as_str(), list.data[2].colour.as_str()), ("Done", "#64748B"));
        assert_eq!(list.data[3].name, "Pending \u{241b}[2JReview");
        assert!(list.allowed_colours.is_empty());
        count += 1;
        println!("odd but valid answers: {count} calls succeeded");
        assert!(count >= 60);
    })
    .await
    .expect("within the time limit");
}
