//! The JSON bodies the client sends; absent fields are left out, so an update sends only changes.

use serde::Serialize;

use crate::domain::StatusKey;

/// `POST /alerts/flag/{entity_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlagRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub description: String,
}

/// `PUT /alerts/flag/{anomaly_id}`: only the fields that are `Some` change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AlertUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusKey>,
}

impl AlertUpdate {
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.description.is_none() && self.status.is_none()
    }
}

/// `POST /alerts/statuses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewStatus {
    pub name: String,
    pub colour: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<StatusKey>,
}

/// `PUT /alerts/statuses/{key}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    pub name: String,
    pub colour: String,
}
