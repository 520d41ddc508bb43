//! Every failure the server answers, as `{"error": "..."}` JSON with the right status code,
//! including the ones axum would otherwise answer in plain text or with an empty body.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::store::StoreError;

/// An error answer: a status code and a message for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into() }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error_response(self.status, &self.message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(m) => Self::new(StatusCode::NOT_FOUND, m),
            StoreError::Invalid(m) => Self::bad_request(m),
            StoreError::Conflict(m) => Self::new(StatusCode::CONFLICT, m),
            StoreError::Db(e) => Self::new(StatusCode::INTERNAL_SERVER_ERROR, format!("database error: {e}")),
            StoreError::Internal(m) => Self::new(StatusCode::INTERNAL_SERVER_ERROR, m),
        }
    }
}

/// A JSON answer from bytes already encoded.
pub(crate) fn json_response(status: StatusCode, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

pub(crate) fn error_response(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    json_response(status, body)
}

/// Something a client sent, fit to repeat in a message: plain ids as they are, anything else
/// quoted (escaped) and cut short.
pub(crate) fn quote(raw: &str) -> String {
    let plain = raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain && !raw.is_empty() && raw.len() <= 100 {
        return raw.to_owned();
    }
    let short: String = raw.chars().take(60).collect();
    let more = if short.len() < raw.len() { "..." } else { "" };
    format!("{short:?}{more}")
}

/// The answer for a path no route knows.
pub(crate) async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, format!("no route for {method} {}", quote_path(&uri)))
}

fn quote_path(uri: &Uri) -> String {
    let path = uri.path();
    if path.len() <= 100 {
        return path.to_owned();
    }
    let short: String = path.chars().take(100).collect();
    format!("{short}...")
}

/// Turns any error answer that is not JSON yet (405 from the router, an extractor's plain-text
/// rejection) into `{"error": "..."}`, keeping its status and headers such as `Allow`.
pub(crate) async fn json_errors(request: Request, next: Next) -> Response {
    let (method, uri) = (request.method().clone(), request.uri().clone());
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let message = if status == StatusCode::METHOD_NOT_ALLOWED {
        let allow = parts.headers.get(header::ALLOW).and_then(|v| v.to_str().ok()).unwrap_or("");
        format!("method {method} is not allowed on {}; allowed: {allow}", quote_path(&uri))
    } else if text.trim().is_empty() {
        status.canonical_reason().unwrap_or("request failed").to_owned()
    } else {
        text.trim().to_owned()
    };
    let body = serde_json::json!({ "error": message }).to_string();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}
