//! The `Alert` (the API also says anomaly): tolerant decoding, sanitized right after it.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer, Serialize};

use super::{AlertId, EntityKind, StatusKey, sanitize_in_place};

/// An alert's `type`: the three documented ones, and any other value kept as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum AlertType {
    Entity(EntityKind),
    Other(String),
}

impl From<String> for AlertType {
    fn from(s: String) -> Self {
        s.parse().map_or_else(|_| Self::Other(super::sanitize(&s).into_owned()), Self::Entity)
    }
}

impl From<AlertType> for String {
    fn from(t: AlertType) -> Self {
        t.to_string()
    }
}

impl From<EntityKind> for AlertType {
    fn from(kind: EntityKind) -> Self {
        Self::Entity(kind)
    }
}

impl AlertType {
    /// The type as the API spells it ("Transaction"), borrowed.
    pub fn name(&self) -> &str {
        match self {
            Self::Entity(kind) => kind.type_name(),
            Self::Other(s) => s,
        }
    }

    /// Orders types by name, as the list sorts them.
    pub fn cmp_name(&self, other: &Self) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

impl fmt::Display for AlertType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One alert, with every field of the contract. Unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub anomaly_id: AlertId,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub description: String,
    #[serde(rename = "type")]
    pub kind: AlertType,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub assigned_to: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub escalated_to: Vec<String>,
    pub status: StatusKey,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub affected_balances: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub affected_identities: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub affected_transactions: Vec<String>,
}

impl Alert {
    /// The ids of what the alert flags: its balances, transactions and identities.
    pub fn entity_ids(&self) -> impl Iterator<Item = &str> {
        self.affected_balances
            .iter()
            .chain(&self.affected_transactions)
            .chain(&self.affected_identities)
            .map(String::as_str)
    }

    /// Replaces anything unsafe in every string the server sent. The client calls this right
    /// after decoding, so no other code ever sees raw server text.
    #[must_use]
    pub fn sanitized(mut self) -> Self {
        self.anomaly_id.sanitize();
        sanitize_in_place(&mut self.description);
        for s in [&mut self.title, &mut self.assigned_to].into_iter().flatten() {
            sanitize_in_place(s);
        }
        for list in [
            &mut self.escalated_to,
            &mut self.affected_balances,
            &mut self.affected_identities,
            &mut self.affected_transactions,
        ] {
            list.iter_mut().for_each(sanitize_in_place);
        }
        self
    }

    /// The title, or a placeholder when the alert has none.
    pub fn title_or_placeholder(&self) -> &str {
        match self.title.as_deref() {
            Some(t) if !t.trim().is_empty() => t,
            _ => "(no title)",
        }
    }

    /// The flagged entity: the first affected id of the alert's own kind, else any affected id.
    pub fn entity(&self) -> Option<&str> {
        let own = match self.kind {
            AlertType::Entity(EntityKind::Transaction) => &self.affected_transactions,
            AlertType::Entity(EntityKind::Identity) => &self.affected_identities,
            AlertType::Entity(EntityKind::Balance) | AlertType::Other(_) => &self.affected_balances,
        };
        own.first()
            .or_else(|| self.affected_balances.first())
            .or_else(|| self.affected_transactions.first())
            .or_else(|| self.affected_identities.first())
            .map(String::as_str)
    }
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn empty_as_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.trim().is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const DOCUMENTED: &str = r#"{
      "anomaly_id": "ano_8a380fd1-0289-46d1-bc76-aa17a510a64e",
      "title": "An identity has been flagged in a sanction list.",
      "description": "this is a test",
      "type": "Balance",
      "assigned_to": "jerrys enebeli",
      "escalated_to": ["user_01K4EX0BRXHNNGCRVT2TPNK07W"],
      "status": "FLAGGED",
      "created_at": "2026-01-15T09:22:37.55763+01:00",
      "updated_at": "2026-01-15T09:26:03.094425+01:00",
      "affected_balances": ["bln_20f02af6-3728-4d37-9b5a-c7ed080f09df"],
      "affected_identities": [],
      "affected_transactions": []
    }"#;

    #[test]
    fn decodes_the_documented_example() {
        let a: Alert = serde_json::from_str(DOCUMENTED).expect("documented example decodes");
        assert_eq!(a.anomaly_id.as_str(), "ano_8a380fd1-0289-46d1-bc76-aa17a510a64e");
        assert_eq!(a.kind, AlertType::Entity(EntityKind::Balance));
        assert_eq!(a.status.as_str(), "FLAGGED");
        assert_eq!(a.entity(), Some("bln_20f02af6-3728-4d37-9b5a-c7ed080f09df"));
        assert_eq!(a.created_at.offset().local_minus_utc(), 3600);
        assert_eq!(a.assigned_to.as_deref(), Some("jerrys enebeli"));
    }

    #[test]
    fn optional_fields_may_be_absent_or_null_and_unknown_fields_are_ignored() {
        let json = r#"{"anomaly_id":"ano_1","title":null,"description":"d","type":"Wire",
            "assigned_to":"","escalated_to":null,"status":"pending_review","risk_score":97,
            "created_at":"2026-01-15T09:22:37Z","updated_at":"2026-01-15T09:22:37.123456789-05:00",
            "affected_balances":[],"affected_identities":null}"#;
        let a: Alert = serde_json::from_str(json).expect("tolerant decode");
        assert_eq!(a.title, None);
        assert_eq!(a.assigned_to, None);
        assert!(a.escalated_to.is_empty() && a.affected_identities.is_empty());
        assert_eq!(a.kind, AlertType::Other("Wire".into()));
        assert_eq!(a.status.as_str(), "PENDING_REVIEW");
        assert_eq!(a.title_or_placeholder(), "(no title)");
    }

    #[test]
    fn timestamps_with_any_precision_and_offset() {
        for ts in [
            "2026-01-15T09:22:37Z",
            "2026-01-15T09:22:37.5+01:00",
            "2026-01-15T09:22:37.123456789+05:30",
            "2026-01-15T09:22:37.55763-08:00",
        ] {
            let json = DOCUMENTED.replace("2026-01-15T09:22:37.55763+01:00", ts);
            let a: Alert = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{ts}: {e}"));
            assert_eq!(a.created_at, DateTime::parse_from_rfc3339(ts).expect("valid"));
        }
    }

    #[test]
    fn sanitizing_reaches_every_string() {
        let hostile = DOCUMENTED
            .replace("this is a test", "\\u001b]52;c;evil\\u0007")
            .replace("jerrys enebeli", "\\u202eevil")
            .replace("user_01K4EX0BRXHNNGCRVT2TPNK07W", "user_\\u009b2J");
        let a: Alert = serde_json::from_str::<Alert>(&hostile).expect("decodes").sanitized();
        let dump = format!("{a:?}{}{:?}", a.description, a.escalated_to);
        assert!(!a.description.contains('\u{1b}') && !a.description.contains('\u{7}'));
        assert!(!dump.contains('\u{202e}') && !a.escalated_to[0].contains('\u{9b}'));
    }
}
