//! One `async fn` per endpoint. `ReadClient` can only read; `WriteClient` can only change
//! things. Everything decoded is sanitized here, before any caller sees it.

use std::collections::HashMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::http::decode;
use super::list::{self, Known, ListFetch, Progress};
use super::{AlertUpdate, ApiError, FlagRequest, Http, NewStatus, StatusChange};
use crate::domain::{Alert, AlertId, Entity, EntityId, EntityKind, Status, StatusKey, StatusList, Transaction};

/// The read half of the API: the only client a read-only dashboard holds.
#[derive(Clone, Debug)]
pub struct ReadClient {
    http: Http,
}

/// The mutating half of the API.
#[derive(Clone, Debug)]
pub struct WriteClient {
    http: Http,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    message: String,
}

fn json_body(body: &impl Serialize) -> Result<Option<Vec<u8>>, ApiError> {
    serde_json::to_vec(body).map(Some).map_err(|e| ApiError::Setup(format!("cannot encode request: {e}")))
}

impl ReadClient {
    pub fn new(http: Http) -> Self {
        Self { http }
    }

    pub fn host(&self) -> String {
        self.http.host()
    }

    /// Every alert, sanitized, in the server's order.
    pub async fn list_alerts(&self) -> Result<Vec<Alert>, ApiError> {
        match list::fetch(&self.http, &HashMap::new(), None, &mut |_| {}).await? {
            ListFetch::Answer { delta, .. } => Ok(delta.changed.into_iter().map(|(_, alert)| alert).collect()),
            ListFetch::NotModified => Err(unasked_304()),
        }
    }

    /// The list compared with `known` (what the caller holds); with `etag` (the tag of what the
    /// caller holds), a 304 when nothing changed. `progress` hears of a long download.
    pub async fn fetch_alerts(
        &self,
        known: &Known,
        etag: Option<&str>,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<ListFetch, ApiError> {
        let fetched = list::fetch(&self.http, known, etag, progress).await?;
        if etag.is_none() && fetched == ListFetch::NotModified {
            return Err(unasked_304());
        }
        Ok(fetched)
    }

    pub async fn get_alert(&self, id: &AlertId) -> Result<Alert, ApiError> {
        let alert: Alert = self.http.call(Method::GET, &["alerts", id.as_str()], None).await?;
        Ok(alert.sanitized())
    }

    /// Every status the organisation has, built-ins first.
    pub async fn list_statuses(&self) -> Result<StatusList, ApiError> {
        let mut list: StatusList = self.http.call(Method::GET, &["alerts", "statuses"], None).await?;
        list.sanitize();
        Ok(list.with_built_ins())
    }
}

impl ReadClient {
    /// One flagged entity from the Data API of instance `instance`, sanitized.
    pub async fn get_entity(&self, id: &EntityId, instance: &str) -> Result<Entity, ApiError> {
        let kind = id.kind();
        let bytes =
            self.http.get_with_query(&["data", kind.collection(), id.as_str()], &[("instance_id", instance)]).await?;
        // A decoding error may quote the answer at length: cut short, like every other excerpt.
        self.http
            .decode_with(&bytes, |b| Entity::decode(kind, b).map_err(|e| ApiError::Decode(super::error::excerpt(&e))))
    }

    /// The first page of a balance's transactions (sources or destinations), as the Data API
    /// orders them, and how many there are in all if it says.
    pub async fn balance_transactions(
        &self,
        balance: &str,
        instance: &str,
    ) -> Result<(Vec<Transaction>, Option<u64>), ApiError> {
        let query = [("instance_id", instance), ("page", "1"), ("pageSize", "20"), ("balance_id_eq", balance)];
        let bytes = self.http.get_with_query(&["data", "transactions"], &query).await?;
        let (entities, total) = self.http.decode_with(&bytes, |b| {
            crate::domain::decode_page(EntityKind::Transaction, b)
                .map_err(|e| ApiError::Decode(super::error::excerpt(&e)))
        })?;
        let transactions = entities
            .into_iter()
            .filter_map(|e| match e {
                Entity::Transaction(t) => Some(t),
                _ => None,
            })
            .collect();
        Ok((transactions, total))
    }
}

fn unasked_304() -> ApiError {
    ApiError::Decode("the server answered 304 Not Modified to a request that was not conditional".into())
}

impl WriteClient {
    pub fn new(http: Http) -> Self {
        Self { http }
    }

    /// Flags an entity. Never retried: after an ambiguous failure (`ApiError::is_ambiguous`) the
    /// caller must look for the alert before sending again.
    pub async fn flag(&self, entity: &EntityId, request: &FlagRequest) -> Result<Alert, ApiError> {
        let body = json_body(request)?;
        let alert: Alert = self.http.call(Method::POST, &["alerts", "flag", entity.as_str()], body).await?;
        Ok(alert.sanitized())
    }

    /// Sends only the fields of `update` that are set.
    pub async fn update(&self, id: &AlertId, update: &AlertUpdate) -> Result<Alert, ApiError> {
        let body = json_body(update)?;
        let alert: Alert = self.http.call(Method::PUT, &["alerts", "flag", id.as_str()], body).await?;
        Ok(alert.sanitized())
    }

    pub async fn create_status(&self, status: &NewStatus) -> Result<Status, ApiError> {
        let body = json_body(status)?;
        let mut created: Status = self.http.call(Method::POST, &["alerts", "statuses"], body).await?;
        created.sanitize();
        Ok(created)
    }

    pub async fn update_status(&self, key: &StatusKey, change: &StatusChange) -> Result<Status, ApiError> {
        let body = json_body(change)?;
        let mut updated: Status = self.http.call(Method::PUT, &["alerts", "statuses", key.as_str()], body).await?;
        updated.sanitize();
        Ok(updated)
    }

    /// Deletes a status; the server refuses while any alert uses it.
    pub async fn delete_status(&self, key: &StatusKey) -> Result<String, ApiError> {
        let bytes = self.http.call_raw(Method::DELETE, &["alerts", "statuses", key.as_str()]).await?;
        let message = decode::<Message>(&self.http.redacted(&bytes)).map(|m| m.message).unwrap_or_default();
        Ok(crate::domain::sanitize(&message).into_owned())
    }
}
