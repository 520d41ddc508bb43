//! Typed ids: an alert id and a flaggable entity id whose kind comes from its prefix.
//! Parsing refuses anything that could not be sent safely, before anything is sent.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Why an id was refused; the message names what would be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdError(pub String);

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IdError {}

/// The three kinds of entity that can be flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Balance,
    Transaction,
    Identity,
}

impl EntityKind {
    pub const ALL: [Self; 3] = [Self::Balance, Self::Transaction, Self::Identity];
    /// Every prefix an entity id may start with (`bal_` is the docs' older spelling of `bln_`).
    pub const PREFIXES: [&'static str; 4] = ["bln_", "bal_", "txn_", "idt_"];

    /// The alert `type` the API gives an alert on this kind of entity.
    pub fn type_name(self) -> &'static str {
        match self {
            Self::Balance => "Balance",
            Self::Transaction => "Transaction",
            Self::Identity => "Identity",
        }
    }

    /// The canonical id prefix (`bal_` is accepted as a balance too).
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Balance => "bln_",
            Self::Transaction => "txn_",
            Self::Identity => "idt_",
        }
    }

    /// The Data API's collection: `transactions`, `balances`, `identities` (also the alert's
    /// `affected_` field and the built-in server's table, which follow it).
    pub fn collection(self) -> &'static str {
        match self {
            Self::Balance => "balances",
            Self::Transaction => "transactions",
            Self::Identity => "identities",
        }
    }

    fn from_prefix(prefix: &str) -> Option<Self> {
        match prefix {
            "bln_" | "bal_" => Some(Self::Balance),
            "txn_" => Some(Self::Transaction),
            "idt_" => Some(Self::Identity),
            _ => None,
        }
    }
}

impl FromStr for EntityKind {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.type_name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| IdError(format!("unknown type {s:?}: use balance, transaction or identity")))
    }
}

/// The longest id after its prefix accepted before sending.
const ID_MAX: usize = 128;
const ACCEPTED: &str = "bln_ (or bal_) for a balance, txn_ for a transaction, idt_ for an identity";

/// The id of a balance, transaction or identity that can be flagged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityId {
    kind: EntityKind,
    raw: String,
}

impl EntityId {
    pub fn kind(&self) -> EntityKind {
        self.kind
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

impl FromStr for EntityId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let raw = s.trim();
        if raw.is_empty() {
            return Err(IdError(format!("an entity id is required: {ACCEPTED}")));
        }
        let Some(split) = raw.find('_') else {
            return Err(IdError(format!("{raw:?} has no prefix: expected {ACCEPTED}")));
        };
        let (prefix, rest) = raw.split_at(split + 1);
        let Some(kind) = EntityKind::from_prefix(&prefix.to_ascii_lowercase()) else {
            return Err(IdError(format!("{prefix:?} ids cannot be flagged: expected {ACCEPTED}")));
        };
        // The docs ask only for "a valid balance, transaction, or identity ID" (their own example
        // is bal_1234567890abcdef): whether it exists is the server's to say. Refused here is what
        // no id can hold: nothing after the prefix, spaces, slashes, controls, a path's worth.
        if rest.is_empty() {
            return Err(IdError(format!("{prefix} needs the rest of the id after it")));
        }
        if rest.len() > ID_MAX || !rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(IdError(format!(
                "{rest:?} cannot follow {prefix}: an id holds letters, digits, - and _ (at most {ID_MAX})"
            )));
        }
        // A UUID is written the one way the API writes it; anything else stays as typed.
        let rest = if uuid::Uuid::try_parse(rest).is_ok() { rest.to_ascii_lowercase() } else { rest.to_owned() };
        Ok(Self { kind, raw: format!("{}{rest}", prefix.to_ascii_lowercase()) })
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// The id of an alert (`ano_` and a UUID in the contract).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AlertId(String);

impl AlertId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A fresh id as the server mints them.
    pub fn generate() -> Self {
        Self(format!("ano_{}", uuid::Uuid::new_v4()))
    }

    /// Wraps an id the server sent, replacing anything unsafe (used right after decoding).
    pub(crate) fn sanitize(&mut self) {
        super::sanitize_in_place(&mut self.0);
    }
}

impl FromStr for AlertId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let raw = s.trim();
        let valid_chars = raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !raw.starts_with("ano_") || raw.len() <= 4 || !valid_chars {
            return Err(IdError(format!(
                "{raw:?} is not an alert id: alert ids look like ano_8a380fd1-0289-46d1-bc76-aa17a510a64e"
            )));
        }
        Ok(Self(raw.to_owned()))
    }
}

impl fmt::Display for AlertId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UUID: &str = "20f02af6-3728-4d37-9b5a-c7ed080f09df";

    #[test]
    fn entity_kind_comes_from_the_prefix() {
        for (prefix, kind) in [
            ("bln_", EntityKind::Balance),
            ("bal_", EntityKind::Balance),
            ("txn_", EntityKind::Transaction),
            ("idt_", EntityKind::Identity),
        ] {
            let id: EntityId = format!("{prefix}{UUID}").parse().expect("valid id");
            assert_eq!(id.kind(), kind);
        }
    }

    #[test]
    fn every_listed_prefix_names_a_kind() {
        assert!(EntityKind::PREFIXES.iter().all(|p| EntityKind::from_prefix(p).is_some()));
        let kinds: std::collections::HashSet<_> =
            EntityKind::PREFIXES.iter().filter_map(|p| EntityKind::from_prefix(p)).collect();
        assert_eq!(kinds.len(), EntityKind::ALL.len(), "each kind has a prefix listed");
    }

    #[test]
    fn other_prefixes_are_refused_naming_the_accepted_ones() {
        let err = format!("ldg_{UUID}").parse::<EntityId>().expect_err("ledger refused");
        assert!(err.0.contains("bln_") && err.0.contains("txn_") && err.0.contains("idt_"), "{err}");
        assert!("bln_not a uuid".parse::<EntityId>().is_err());
        assert!("bln_".parse::<EntityId>().is_err());
        assert!(format!("bln_{}", "a".repeat(129)).parse::<EntityId>().is_err());
        // The seed page's own example, and any other plausible id: the server says if it exists.
        assert_eq!("bal_1234567890abcdef".parse::<EntityId>().map(|e| e.kind()), Ok(EntityKind::Balance));
        assert_eq!("TXN_Ab-12_x".parse::<EntityId>().map(|e| e.to_string()), Ok("txn_Ab-12_x".to_owned()));
        assert!("".parse::<EntityId>().is_err());
        assert!(format!("bln_{UUID}/../x").parse::<EntityId>().is_err());
    }

    #[test]
    fn alert_ids_must_be_path_safe() {
        assert!("ano_8a380fd1-0289-46d1-bc76-aa17a510a64e".parse::<AlertId>().is_ok());
        assert!("ano_../../etc".parse::<AlertId>().is_err());
        assert!("bln_123".parse::<AlertId>().is_err());
        assert!("ano_".parse::<AlertId>().is_err());
    }
}
