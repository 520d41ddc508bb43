//! Request bodies: read under a size limit, required to be a UTF-8 JSON object, decoded with serde.
//! Every way a body can be wrong becomes an `ApiError`; axum's plain-text rejections never escape.

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use futures_util::StreamExt;
use serde::de::{Deserialize, DeserializeOwned, Deserializer};

use super::errors::ApiError;

/// The largest body accepted.
pub(crate) const MAX_BODY_BYTES: usize = 2 << 20;
/// An oversized body is still read (and dropped) up to here, so that the client, which is busy
/// sending it, gets to read the 413 instead of a reset connection.
const DRAIN_LIMIT: usize = 64 << 20;

/// A JSON object body decoded into `T`; unknown fields are ignored by `T`'s own rules.
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, ApiError> {
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > DRAIN_LIMIT) {
            return Err(too_large());
        }
        let bytes = read_limited(request.into_body()).await?;
        parse(&bytes).map(JsonBody)
    }
}

fn too_large() -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("request body is larger than {} MiB", MAX_BODY_BYTES >> 20))
}

async fn read_limited(body: Body) -> Result<Vec<u8>, ApiError> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad_request(format!("cannot read the request body: {e}")))?;
        seen = seen.saturating_add(chunk.len());
        if seen > DRAIN_LIMIT {
            break;
        }
        if seen <= MAX_BODY_BYTES {
            bytes.extend_from_slice(&chunk);
        }
    }
    if seen > MAX_BODY_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Decodes a body that must be a JSON object.
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| ApiError::bad_request(format!("request body is not valid UTF-8 (at byte {})", e.valid_up_to())))?;
    let start = text.trim_start();
    if start.is_empty() {
        return Err(ApiError::bad_request("request body is empty: send a JSON object"));
    }
    // Checked first: serde would otherwise read a JSON array into a struct field by field.
    if !start.starts_with('{') {
        return Err(ApiError::bad_request("request body must be a JSON object"));
    }
    serde_json::from_str(text).map_err(|e| {
        let what = if e.is_data() { "has a field of the wrong type" } else { "is not valid JSON" };
        ApiError::bad_request(format!("request body {what}: {e}"))
    })
}

/// A body field where absent and `null` mean different things (use with `#[serde(default)]`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) enum Field<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(d)?.map_or(Self::Null, Self::Value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Body {
        description: String,
        #[serde(default)]
        title: Field<String>,
    }

    #[test]
    fn refuses_everything_but_a_json_object() {
        for (bytes, needle) in [
            (&b""[..], "empty"),
            (b"  ", "empty"),
            (b"[\"d\"]", "object"),
            (b"\"d\"", "object"),
            (b"{\"description\": 5}", "wrong type"),
            (b"{\"description\": \"d\"", "not valid JSON"),
            (b"{\"description\": \"\xff\"}", "UTF-8"),
        ] {
            let err = parse::<Body>(bytes).expect_err("refused");
            assert_eq!(err.status, StatusCode::BAD_REQUEST);
            assert!(err.message.contains(needle), "{needle}: {}", err.message);
        }
    }

    #[test]
    fn absent_and_null_differ() {
        let absent: Body = parse(br#"{"description":"d","extra":1}"#).expect("valid");
        let null: Body = parse(br#"{"description":"d","title":null}"#).expect("valid");
        assert_eq!((absent.title, null.title), (Field::Absent, Field::Null));
        assert_eq!(absent.description, "d");
    }
}
