//! The JSON bodies the client sends; absent fields are left out, so an update sends only changes.

use serde::Serialize;

use crate::domain::{Alert, StatusKey};

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

    /// Whether someone else changed, between `base` (what the edit was made on) and `latest`
    /// (the server's now), a field this update sets. A change to another field is no conflict.
    pub fn conflicts_with(&self, base: &Alert, latest: &Alert) -> bool {
        latest.updated_at != base.updated_at
            && ((self.title.is_some() && latest.title != base.title)
                || (self.description.is_some() && latest.description != base.description)
                || (self.status.is_some() && latest.status != base.status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::alert;

    #[test]
    fn only_a_change_to_a_field_sent_is_a_conflict() {
        let base = alert("ano_1", "Card testing", "FLAGGED", "Transaction");
        let mut latest = base.clone();
        latest.updated_at += chrono::Duration::minutes(1);
        latest.status = "RESOLVED".parse().expect("a key");
        latest.assigned_to = Some("Li Wei".into());
        let title = AlertUpdate { title: Some("Card testing, confirmed".into()), ..AlertUpdate::default() };
        assert!(!title.conflicts_with(&base, &latest), "status and assignee moved: not the title");
        latest.title = Some("Someone else's title".into());
        assert!(title.conflicts_with(&base, &latest));
        let status = AlertUpdate { status: Some("INVESTIGATING".parse().expect("a key")), ..AlertUpdate::default() };
        assert!(status.conflicts_with(&base, &latest));
        assert!(!title.conflicts_with(&base, &base), "nothing moved");
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
