//! `ApiError`: what went wrong with a request, in words a person can act on.

use std::fmt;
use std::time::Duration;

use crate::domain::single_line;

/// The longest excerpt of an unexpected body that an error repeats.
const EXCERPT_CHARS: usize = 160;
/// The longest message a server's own `{"error"}` may give: enough for a list of what is
/// allowed (the 15 colours), never a flood.
const MESSAGE_CHARS: usize = 600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The server answered with an error status; `message` is its `{"error"}` or a body excerpt.
    Status { status: u16, message: String, retry_after: Option<Duration> },
    /// The request never got an answer: refused, reset, DNS, TLS.
    Transport { host: String, reason: String },
    /// No answer within the deadline.
    Timeout { after: Duration },
    /// The answer could not be understood.
    Decode(String),
    /// The answer was larger than the configured cap.
    TooLarge { limit: u64 },
    /// The request could not be made at all (no key, bad URL).
    Setup(String),
}

impl ApiError {
    /// Builds a status error from a response body: the server's `error` field when it is JSON,
    /// else a short sanitized excerpt (an HTML page from a proxy, garbage).
    pub fn from_body(status: u16, body: &[u8], retry_after: Option<Duration>) -> Self {
        #[derive(serde::Deserialize)]
        struct ErrorBody {
            error: Option<serde_json::Value>,
            message: Option<String>,
        }
        let text = String::from_utf8_lossy(body);
        let message = match serde_json::from_str::<ErrorBody>(&text) {
            Ok(ErrorBody { error: Some(serde_json::Value::String(s)), .. }) => cut(&s, MESSAGE_CHARS),
            Ok(ErrorBody { error: Some(other), .. }) => cut(&other.to_string(), MESSAGE_CHARS),
            Ok(ErrorBody { message: Some(m), .. }) => cut(&m, MESSAGE_CHARS),
            _ => excerpt(&text),
        };
        Self::Status { status, message, retry_after }
    }

    /// Whether the request may have reached the server and been acted on (a flag sent but not
    /// answered): the caller must check before sending again.
    pub fn is_ambiguous(&self) -> bool {
        matches!(self, Self::Timeout { .. } | Self::Transport { .. } | Self::Decode(_) | Self::TooLarge { .. })
            || matches!(self, Self::Status { status, .. } if *status >= 500)
    }

    /// What kind of failure it was, in a word, for the log (which never repeats the message:
    /// it comes from the server's body).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Status { .. } => "status",
            Self::Transport { .. } => "transport",
            Self::Timeout { .. } => "timeout",
            Self::Decode(_) => "decode",
            Self::TooLarge { .. } => "too large",
            Self::Setup(_) => "setup",
        }
    }

    /// What a failure of a Data API read means, in one line: the scope a key lacks, an id not in
    /// the instance. `None` for the failures that say it themselves (timeouts, 5xx).
    pub fn data_api_hint(&self, instance: &str) -> Option<String> {
        let server = match self {
            Self::Status { message, .. } => message.as_str(),
            _ => return None,
        };
        match self.status()? {
            401 => Some("the API key was rejected (401): check BLNK_API_KEY or api_key".to_owned()),
            403 => Some("this key cannot read entities: it needs the data:read scope (403)".to_owned()),
            404 => {
                Some(format!("not found in instance {} (404): check instance_id, or it is gone", single_line(instance)))
            }
            400 => Some(format!("refused (400): {server}")),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// A one-line, sanitized, length-capped excerpt of untrusted text.
pub(crate) fn excerpt(text: &str) -> String {
    cut(text, EXCERPT_CHARS)
}

/// `text` on one line, sanitized, at most `max` characters (and `…` when cut).
fn cut(text: &str, max: usize) -> String {
    let flat = single_line(text.trim());
    let mut out: String = flat.chars().take(max).collect();
    if flat.chars().count() > max {
        out.push('…');
    }
    if out.is_empty() { "(empty body)".to_owned() } else { out }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status { status, message, retry_after } => {
                let hint = match status {
                    401 => "API key rejected (401): check BLNK_API_KEY or api_key in the config file",
                    403 => "not allowed (403): the API key lacks the alerts:read or alerts:write scope",
                    404 => "not found (404)",
                    409 => "conflict (409)",
                    429 => "rate limited (429): wait a moment and retry",
                    400 | 422 => "request refused",
                    300..=399 => "the server redirected; set the API URL to the final address",
                    500..=599 => "the server failed; try again shortly",
                    _ => "unexpected answer",
                };
                write!(f, "{hint} [HTTP {status}]: {message}")?;
                if let Some(wait) = retry_after {
                    write!(f, " (retry after {} s)", wait.as_secs())?;
                }
                Ok(())
            }
            Self::Transport { host, reason } => {
                write!(f, "cannot reach {host}: {reason}; check the API URL and your network")
            }
            Self::Timeout { after } => {
                write!(f, "no answer within {} s; the server or network is slow, try again", after.as_secs())
            }
            Self::Decode(reason) => write!(f, "could not understand the server's answer: {reason}"),
            Self::TooLarge { limit } => {
                write!(f, "the answer is larger than {} MiB; raise max_body_mib in the config file", limit >> 20)
            }
            Self::Setup(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_give_the_servers_message_or_an_excerpt() {
        let e = ApiError::from_body(400, br#"{"error":"description is required"}"#, None);
        assert_eq!(e.to_string(), "request refused [HTTP 400]: description is required");
        let html = ApiError::from_body(502, b"<html>\x1b[31m Bad gateway</html>", None);
        assert!(html.to_string().contains("<html>\u{241b}[31m Bad gateway"), "{html}");
        let long = ApiError::from_body(500, "x".repeat(10_000).as_bytes(), None).to_string();
        assert!(long.len() < 400);
        let colours = crate::domain::ALLOWED_COLOURS.join(", ");
        let said =
            ApiError::from_body(400, format!(r#"{{"error":"colour must be one of {colours}"}}"#).as_bytes(), None);
        assert!(said.to_string().ends_with(&colours), "every allowed colour, uncut: {said}");
        let flood = ApiError::from_body(400, format!(r#"{{"error":"{}"}}"#, "y".repeat(10_000)).as_bytes(), None);
        assert!(flood.to_string().len() < 800);
        assert!(ApiError::from_body(401, b"", None).to_string().contains("API key rejected"));
    }
}
