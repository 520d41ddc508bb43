//! The Data API routes (`/data/{transactions|balances|identities}`, a record or a page), which
//! serve the entities the alerts name. `instance_id` is required, as on Blnk Cloud: missing is
//! 400, another instance's is 404. A record no alert names is 404 with Core's error shape.

use std::collections::HashMap;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::entities;
use super::errors::{ApiError, json_response, quote};
use super::routes::{AppState, Shared, param};
use crate::domain::EntityKind;

type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

fn kind_of(segment: &str) -> Result<EntityKind, ApiError> {
    EntityKind::ALL.into_iter().find(|k| k.collection() == segment).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no Data API collection {}: use transactions, balances or identities", quote(segment)),
        )
    })
}

/// The query's pairs, once its `instance_id` is this server's.
fn checked(state: &AppState, query: Params) -> Result<HashMap<String, String>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    match query.get("instance_id").map(|i| i.trim()) {
        None | Some("") => Err(ApiError::bad_request("instance_id is required")),
        Some(id) if id == state.instance_id => Ok(query),
        Some(id) => Err(ApiError::new(StatusCode::NOT_FOUND, format!("instance {} not found", quote(id)))),
    }
}

/// `GET /data/{collection}/{id}`: one record.
pub(crate) async fn get_one(
    State(state): Shared,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Params,
) -> Result<Response, ApiError> {
    let Path((collection, id)) = path.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let kind = kind_of(&collection)?;
    checked(&state, query)?;
    let wanted = id.clone();
    let found = state.store.run(move |conn| entities::get(conn, kind, &wanted)).await?;
    if let Some(body) = found {
        return Ok(json_response(StatusCode::OK, body));
    }
    let (name, code) = match kind {
        EntityKind::Transaction => ("Transaction", "TXN_NOT_FOUND"),
        EntityKind::Balance => ("Balance", "BAL_NOT_FOUND"),
        EntityKind::Identity => ("Identity", "IDT_NOT_FOUND"),
    };
    let message = format!("{name} with ID '{}' not found", quote(&id));
    let body = json!({ "error": message, "error_detail": { "code": code, "message": message, "details": {} } });
    Ok(json_response(StatusCode::NOT_FOUND, body.to_string()))
}

/// `GET /data/{collection}?instance_id=I&page=1&pageSize=20&FIELD_eq=V`: a page and the total.
pub(crate) async fn list(
    State(state): Shared,
    path: Result<Path<String>, PathRejection>,
    query: Params,
) -> Result<Response, ApiError> {
    let kind = kind_of(&param(path)?)?;
    let query = checked(&state, query)?;
    let number = |name: &str, default: u32, max: u32| -> Result<u32, ApiError> {
        match query.get(name) {
            None => Ok(default),
            Some(v) => match v.trim().parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(ApiError::bad_request(format!("{name} is a whole number from 1 to {max}"))),
            },
        }
    };
    let (page, size) = (number("page", 1, u32::MAX)?, number("pageSize", 20, 100)?);
    let filters: Vec<(String, String)> =
        query.iter().filter_map(|(k, v)| k.strip_suffix("_eq").map(|field| (field.to_owned(), v.clone()))).collect();
    if filters.len() > 1 {
        return Err(ApiError::bad_request("this server takes one FIELD_eq filter at a time"));
    }
    let filter = filters.into_iter().next();
    let (bodies, total) = state
        .store
        .run(move |conn| entities::list(conn, kind, filter.as_ref().map(|(f, v)| (f.as_str(), v.as_str())), page, size))
        .await?;
    let body = format!("{{\"data\":[{}],\"total\":{total}}}", bodies.join(","));
    Ok(json_response(StatusCode::OK, body))
}
