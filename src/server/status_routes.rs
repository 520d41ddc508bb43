//! The status handlers: list, create, rename or recolour, delete. They validate what was sent;
//! the checks that need the database (duplicates, statuses in use) are in `statuses`.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::body::JsonBody;
use super::errors::{ApiError, json_response};
use super::routes::{Shared, param};
use super::statuses;
use super::version;
use crate::domain::{ALLOWED_COLOURS, Status, StatusKey, StatusList};

/// The longest status name accepted; a status is a short label.
const MAX_NAME_CHARS: usize = 64;

#[derive(Deserialize)]
pub(crate) struct StatusBody {
    #[serde(default)]
    name: Option<String>,
    #[serde(default, alias = "color")]
    colour: Option<String>,
    #[serde(default)]
    key: Option<String>,
}

fn encode<T: serde::Serialize>(status: StatusCode, value: &T) -> Result<Response, ApiError> {
    let json = serde_json::to_vec(value)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("cannot encode JSON: {e}")))?;
    Ok(json_response(status, json))
}

fn valid_name(name: Option<String>) -> Result<Option<String>, ApiError> {
    let Some(name) = name else { return Ok(None) };
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::bad_request("name cannot be empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::bad_request(format!("name is longer than {MAX_NAME_CHARS} characters")));
    }
    Ok(Some(name.to_owned()))
}

fn valid_colour(colour: Option<&str>) -> Result<Option<&'static str>, ApiError> {
    colour.map(|c| statuses::allowed_colour(c).map_err(ApiError::from)).transpose()
}

pub(crate) async fn list(State(state): Shared, headers: HeaderMap) -> Result<Response, ApiError> {
    let (etag, unchanged) = state.conditional(&headers);
    if unchanged {
        return Ok(version::unchanged(etag));
    }
    let data: Vec<Status> = state.store.run(|c| statuses::list(c)).await?;
    let list = StatusList { data, allowed_colours: ALLOWED_COLOURS.iter().map(|&c| c.to_owned()).collect() };
    Ok(state.tagged(encode(StatusCode::OK, &list)?, etag))
}

pub(crate) async fn create(State(state): Shared, JsonBody(body): JsonBody<StatusBody>) -> Result<Response, ApiError> {
    let name = valid_name(body.name)?.ok_or_else(|| ApiError::bad_request("name is required"))?;
    let colour = valid_colour(body.colour.as_deref())?.ok_or_else(|| {
        ApiError::bad_request(format!("colour is required: use one of {}", ALLOWED_COLOURS.join(", ")))
    })?;
    let key = match body.key.filter(|k| !k.trim().is_empty()) {
        Some(key) => key.parse::<StatusKey>(),
        None => StatusKey::from_name(&name)
            .map_err(|e| crate::domain::IdError(format!("cannot make a key from the name ({e}); give a key"))),
    }
    .map_err(|e| ApiError::bad_request(e.0))?;
    let status = state.store.run(move |c| statuses::create(c, &key, &name, colour)).await?;
    encode(StatusCode::CREATED, &status)
}

pub(crate) async fn update(
    State(state): Shared,
    key: Result<Path<String>, PathRejection>,
    JsonBody(body): JsonBody<StatusBody>,
) -> Result<Response, ApiError> {
    let key = param(key)?;
    let name = valid_name(body.name)?;
    let colour = valid_colour(body.colour.as_deref())?;
    if name.is_none() && colour.is_none() {
        return Err(ApiError::bad_request("nothing to change: give a name, a colour or both"));
    }
    let status = state.store.run(move |c| statuses::update(c, &key, name.as_deref(), colour)).await?;
    encode(StatusCode::OK, &status)
}

pub(crate) async fn delete(
    State(state): Shared,
    key: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let key = param(key)?;
    state.store.run(move |c| statuses::delete(c, &key)).await?;
    encode(StatusCode::OK, &serde_json::json!({ "message": "Status deleted" }))
}
