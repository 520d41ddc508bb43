//! The HTTP surface: the router, the API-key check, and the alert handlers. Handlers validate
//! what was sent and leave SQL to the store; status handlers live in `status_routes`.

use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Deserialize;

use super::alerts::{self, Patch};
use super::body::{Field, JsonBody};
use super::errors::{self, ApiError, json_response};
use super::keys::{KeyRing, Scope, Verdict};
use super::rate_limit::{self, RateLimit};
use super::store::{self, Store};
use super::version::{self, Version};
use super::{data_routes, status_routes};
use crate::domain::{Alert, AlertId, EntityId, EntityKind, StatusKey};

/// What every handler shares.
pub(crate) struct AppState {
    pub(crate) store: Store,
    pub(crate) keys: KeyRing,
    pub(crate) operator: String,
    pub(crate) envelope: bool,
    pub(crate) version: Arc<Version>,
    /// Whether reads carry an `ETag` (and so may be answered 304).
    pub(crate) etags: bool,
    /// The Blnk Cloud instance whose Data API this server plays.
    pub(crate) instance_id: String,
    /// Where the last listing started, for the version it was computed at (finding it reads the
    /// whole index, so it is done once per change, not once per request).
    listing: Mutex<Option<(HeaderValue, alerts::Cursor, i64)>>,
}

impl AppState {
    pub(crate) fn new(store: Store, keys: KeyRing, operator: String, envelope: bool) -> Self {
        let version = Arc::new(Version::new());
        Self {
            store,
            keys,
            operator,
            envelope,
            version,
            etags: true,
            instance_id: crate::server::DEMO_INSTANCE.to_owned(),
            listing: Mutex::new(None),
        }
    }

    /// The tag of the data as it is now, and whether `headers` ask for exactly that (a 304).
    pub(crate) fn conditional(&self, headers: &HeaderMap) -> (HeaderValue, bool) {
        let etag = self.version.etag();
        let unchanged = self.etags && version::not_modified(headers, &etag);
        (etag, unchanged)
    }

    /// Puts the tag on an answer, unless this server gives none.
    pub(crate) fn tagged(&self, mut response: Response, etag: HeaderValue) -> Response {
        if self.etags {
            response.headers_mut().insert(header::ETAG, etag);
        }
        response
    }

    async fn listing_start(&self, etag: &HeaderValue) -> Result<(alerts::Cursor, i64), ApiError> {
        let cached = self.listing.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if let Some((tag, cursor, total)) = cached
            && tag == etag
        {
            return Ok((cursor, total));
        }
        let (cursor, total) = self.store.run(alerts::first_cursor_of).await?;
        *self.listing.lock().unwrap_or_else(PoisonError::into_inner) = Some((etag.clone(), cursor, total));
        Ok((cursor, total))
    }
}

pub(crate) type Shared = State<Arc<AppState>>;

/// The API; with `rate_limit`, each client is held to it before anything else is done.
pub(crate) fn router(state: AppState, rate_limit: Option<Arc<RateLimit>>) -> Router {
    let state = Arc::new(state);
    let mut router = Router::new()
        .route("/alerts", get(list_alerts))
        // A static segment wins over `{anomaly_id}` whatever the order; kept first as documented.
        .route("/alerts/statuses", get(status_routes::list).post(status_routes::create))
        .route("/alerts/statuses/{key}", put(status_routes::update).delete(status_routes::delete))
        .route("/alerts/flag/{id}", post(flag).put(update_alert))
        .route("/alerts/{anomaly_id}", get(get_alert))
        .route("/data/{collection}", get(data_routes::list))
        .route("/data/{collection}/{id}", get(data_routes::get_one))
        .fallback(errors::not_found)
        .layer(from_fn_with_state(Arc::clone(&state.version), version::bump_after_writes))
        .layer(from_fn_with_state(Arc::clone(&state), require_key))
        .layer(from_fn(errors::json_errors));
    if let Some(limit) = rate_limit {
        router = router.layer(from_fn_with_state(limit, rate_limit::limit));
    }
    router.layer(from_fn(log_request)).with_state(state)
}

/// One log line per request: method, path (never the query, never a header, so never a key;
/// a path is ASCII, percent-encoded by the HTTP parser),
/// status and duration.
async fn log_request(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let took_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::info!(%method, %path, status = response.status().as_u16(), took_ms, "request");
    response
}

/// Refuses a request without a known key (401), or whose key lacks the scope it needs (403,
/// naming the scope), unless the server is open.
async fn require_key(State(state): Shared, request: Request, next: Next) -> Response {
    let sent = request.headers().get(header::AUTHORIZATION).and_then(|v| bearer(v.as_bytes()));
    let scope = Scope::needed(request.method(), request.uri().path());
    match state.keys.judge(sent, scope) {
        Verdict::Open | Verdict::Allowed => next.run(request).await,
        Verdict::Unknown => {
            let mut response = ApiError::new(StatusCode::UNAUTHORIZED, "missing or invalid API key").into_response();
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
        Verdict::Lacks { key, scope } => {
            let why = format!("the key {key:?} lacks the {} scope this request needs", scope.name());
            ApiError::new(StatusCode::FORBIDDEN, why).into_response()
        }
    }
}

/// The token of a `Bearer` authorization header (the scheme in any case).
fn bearer(value: &[u8]) -> Option<&[u8]> {
    let (scheme, token) = value.split_at_checked(7)?;
    if !scheme.eq_ignore_ascii_case(b"bearer ") {
        return None;
    }
    Some(token.trim_ascii())
}

/// The path parameter, or a JSON 400 (e.g. a percent-encoded segment that is not UTF-8).
pub(crate) fn param(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(p)| p).map_err(|e| ApiError::bad_request(e.body_text()))
}

/// Rows a listing reads under one hold of the database lock.
const PAGE_ROWS: usize = 2048;

/// `GET /alerts`: 304 when the client's tag still holds; else every alert, streamed page by page
/// so the server's memory does not grow with the list.
async fn list_alerts(State(state): Shared, headers: HeaderMap) -> Result<Response, ApiError> {
    let (etag, unchanged) = state.conditional(&headers);
    if unchanged {
        return Ok(version::unchanged(etag));
    }
    let (first, total) = state.listing_start(&etag).await?;
    let (open, close): (&'static [u8], Vec<u8>) = if state.envelope {
        (b"{\"data\":[", format!("],\"total\":{total}}}").into_bytes())
    } else {
        (b"[", b"]".to_vec())
    };
    let store = state.store.clone();
    let pages = futures_util::stream::unfold(Listing::Start(first), move |listing| {
        let store = store.clone();
        let close = close.clone();
        async move {
            let (cursor, start, lead): (_, Vec<u8>, &'static [u8]) = match listing {
                Listing::Start(cursor) => (cursor, open.to_vec(), b""),
                Listing::After(cursor) => (cursor, Vec::new(), b","),
                Listing::Done => return None,
            };
            let page = match store.run(move |c| alerts::list_page(c, cursor, PAGE_ROWS, start, lead)).await {
                Ok(page) => page,
                // Headers are gone: a broken stream is all that can tell the client.
                Err(e) => return Some((Err(std::io::Error::other(e.to_string())), Listing::Done)),
            };
            let mut chunk = page.json;
            let next = page.next.map_or(Listing::Done, Listing::After);
            if let Listing::Done = next {
                chunk.extend_from_slice(&close);
            }
            Some((Ok(chunk), next))
        }
    });
    Ok(state.tagged(json_response(StatusCode::OK, Body::from_stream(pages)), etag))
}

/// Where a streamed listing stands.
enum Listing {
    Start(alerts::Cursor),
    After(alerts::Cursor),
    Done,
}

async fn get_alert(
    State(state): Shared,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = param(id)?;
    let (etag, unchanged) = state.conditional(&headers);
    if unchanged {
        return Ok(version::unchanged(etag));
    }
    let json = state.store.run(move |c| alerts::get_json(c, &id)?.ok_or_else(|| alerts::not_found(&id))).await?;
    Ok(state.tagged(json_response(StatusCode::OK, json), etag))
}

#[derive(Deserialize)]
struct FlagBody {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

async fn flag(
    State(state): Shared,
    entity: Result<Path<String>, PathRejection>,
    JsonBody(body): JsonBody<FlagBody>,
) -> Result<Response, ApiError> {
    let entity: EntityId = param(entity)?.parse().map_err(|e: crate::domain::IdError| ApiError::bad_request(e.0))?;
    let description = body
        .description
        .filter(|d| !d.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request("description is required and cannot be empty"))?;
    let now = store::now();
    let mut alert = Alert {
        anomaly_id: AlertId::generate(),
        title: body.title.filter(|t| !t.trim().is_empty()),
        description,
        kind: entity.kind().into(),
        assigned_to: Some(state.operator.clone()).filter(|o| !o.trim().is_empty()),
        escalated_to: Vec::new(),
        status: StatusKey::flagged(),
        created_at: now,
        updated_at: now,
        affected_balances: Vec::new(),
        affected_identities: Vec::new(),
        affected_transactions: Vec::new(),
    };
    let affected = match entity.kind() {
        EntityKind::Balance => &mut alert.affected_balances,
        EntityKind::Transaction => &mut alert.affected_transactions,
        EntityKind::Identity => &mut alert.affected_identities,
    };
    affected.push(entity.to_string());
    let json = state.store.run(move |c| alerts::insert(c, &alert)).await?;
    Ok(json_response(StatusCode::CREATED, json))
}

#[derive(Deserialize)]
struct UpdateBody {
    #[serde(default)]
    title: Field<String>,
    #[serde(default)]
    description: Field<String>,
    #[serde(default)]
    status: Field<String>,
}

async fn update_alert(
    State(state): Shared,
    id: Result<Path<String>, PathRejection>,
    JsonBody(body): JsonBody<UpdateBody>,
) -> Result<Response, ApiError> {
    let id = param(id)?;
    let description = match body.description {
        Field::Absent => None,
        Field::Value(d) if !d.trim().is_empty() => Some(d),
        Field::Value(_) | Field::Null => {
            return Err(ApiError::bad_request("description cannot be empty"));
        }
    };
    let status = match body.status {
        Field::Absent => None,
        Field::Value(s) => Some(s),
        Field::Null => {
            return Err(ApiError::bad_request("status cannot be null: give a status key"));
        }
    };
    let title = match body.title {
        Field::Value(t) if !t.trim().is_empty() => Field::Value(t),
        Field::Value(_) | Field::Null => Field::Null,
        Field::Absent => Field::Absent,
    };
    let patch = Patch { title, description, status };
    let now = store::now();
    let json = state.store.run(move |c| alerts::update(c, &id, patch, &now)).await?;
    Ok(json_response(StatusCode::OK, json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens_are_read_in_any_scheme_case() {
        assert_eq!(bearer(b"Bearer blnk_x"), Some(&b"blnk_x"[..]));
        assert_eq!(bearer(b"bearer  blnk_x "), Some(&b"blnk_x"[..]));
        assert_eq!(bearer(b"Basic blnk_x"), None);
        assert_eq!(bearer(b"Bear"), None);
    }
}
