//! Statuses: the built-in `FLAGGED`, `INVESTIGATING`, `RESOLVED` and an organisation's own.
//! Keys are upper snake case, matched case-insensitively and always sent upper-case.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer, Serialize};

use super::IdError;

/// The 15 colours the API allows for a status.
pub const ALLOWED_COLOURS: [&str; 15] = [
    "#3B82F6", "#10B981", "#F59E0B", "#EF4444", "#8B5CF6", "#EC4899", "#06B6D4", "#84CC16", "#F97316", "#6366F1",
    "#14B8A6", "#A855F7", "#E11D48", "#64748B", "#0EA5E9",
];

/// A status key such as `FLAGGED` or `PENDING_REVIEW`, stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct StatusKey(String);

impl StatusKey {
    pub const FLAGGED: &'static str = "FLAGGED";
    pub const INVESTIGATING: &'static str = "INVESTIGATING";
    pub const RESOLVED: &'static str = "RESOLVED";
    pub const BUILT_IN: [&'static str; 3] = [Self::FLAGGED, Self::INVESTIGATING, Self::RESOLVED];

    pub fn flagged() -> Self {
        Self(Self::FLAGGED.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key the API derives from a status name: "Pending Review" -> `PENDING_REVIEW`.
    pub fn from_name(name: &str) -> Result<Self, IdError> {
        let key: String = name
            .trim()
            .chars()
            .map(|c| if c.is_whitespace() || c == '-' { '_' } else { c.to_ascii_uppercase() })
            .collect();
        key.parse()
    }

    pub fn is_built_in(&self) -> bool {
        Self::BUILT_IN.contains(&self.0.as_str())
    }

    /// `PENDING_REVIEW` -> "Pending Review", for a key whose status has no name at hand.
    pub fn title_case(&self) -> String {
        self.0
            .split('_')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let lower = w.to_ascii_lowercase();
                let mut chars = lower.chars();
                chars.next().map_or_else(String::new, |first| first.to_ascii_uppercase().to_string() + chars.as_str())
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl FromStr for StatusKey {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_uppercase();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(IdError(format!(
                "{s:?} is not a status key: use letters, digits and underscores, e.g. INVESTIGATING or PENDING_REVIEW"
            )));
        }
        Ok(Self(key))
    }
}

impl<'de> Deserialize<'de> for StatusKey {
    /// Any key the server sends is kept (upper-cased and sanitized), never rejected.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Ok(Self(super::sanitize(raw.trim()).to_uppercase()))
    }
}

impl fmt::Display for StatusKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A status as `GET /alerts/statuses` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    pub key: StatusKey,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub colour: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<FixedOffset>>,
}

impl Status {
    /// The built-in statuses as the dashboard shows them when the server does not list them.
    pub fn built_ins() -> Vec<Self> {
        [
            (StatusKey::FLAGGED, "Flagged", "#EF4444"),
            (StatusKey::INVESTIGATING, "Investigating", "#F59E0B"),
            (StatusKey::RESOLVED, "Resolved", "#10B981"),
        ]
        .into_iter()
        .map(|(key, name, colour)| Self {
            organization_id: None,
            key: StatusKey(key.to_owned()),
            name: name.to_owned(),
            colour: colour.to_owned(),
            created_at: None,
            updated_at: None,
        })
        .collect()
    }

    pub(crate) fn sanitize(&mut self) {
        for s in [&mut self.name, &mut self.colour] {
            super::sanitize_in_place(s);
        }
        if let Some(org) = &mut self.organization_id {
            super::sanitize_in_place(org);
        }
    }

    /// The colour as RGB, when it is a `#RRGGBB` value.
    pub fn rgb(&self) -> Option<(u8, u8, u8)> {
        let hex = self.colour.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some((channel(0)?, channel(2)?, channel(4)?))
    }
}

/// The answer of `GET /alerts/statuses`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusList {
    #[serde(default)]
    pub data: Vec<Status>,
    #[serde(default)]
    pub allowed_colours: Vec<String>,
}

impl StatusList {
    /// Built-in statuses first (as listed, or the defaults), then the organisation's own.
    #[must_use]
    pub fn with_built_ins(mut self) -> Self {
        let mut all = Status::built_ins();
        for builtin in &mut all {
            if let Some(pos) = self.data.iter().position(|s| s.key == builtin.key) {
                *builtin = self.data.remove(pos);
            }
        }
        all.append(&mut self.data);
        self.data = all;
        self
    }

    pub(crate) fn sanitize(&mut self) {
        self.data.iter_mut().for_each(Status::sanitize);
        self.allowed_colours.iter_mut().for_each(super::sanitize_in_place);
    }
}

/// The status's name as the organisation wrote it (trimmed), else its key in title case: how
/// every view, notice and table names a status.
pub fn status_name(statuses: &[Status], key: &StatusKey) -> String {
    statuses
        .iter()
        .find(|s| &s.key == key)
        .map(|s| s.name.trim())
        .filter(|n| !n.is_empty())
        .map_or_else(|| key.title_case(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_upper_case_and_derived_from_names() {
        assert_eq!("investigating".parse::<StatusKey>().expect("valid").as_str(), "INVESTIGATING");
        assert_eq!(StatusKey::from_name("Pending Review").expect("valid").as_str(), "PENDING_REVIEW");
        assert!("bad key!".parse::<StatusKey>().is_err());
        assert_eq!(StatusKey::from_name("pending-review").expect("valid").title_case(), "Pending Review");
    }

    #[test]
    fn built_ins_come_first_and_keep_server_colours() {
        let list: StatusList = serde_json::from_str(
            r##"{"data":[{"key":"PENDING_REVIEW","name":"Pending Review","colour":"#8B5CF6"},
                        {"key":"resolved","name":"Done","colour":"#14B8A6"}],"allowed_colours":[]}"##,
        )
        .expect("decodes");
        let keys: Vec<_> = list.with_built_ins().data.into_iter().map(|s| (s.key.0, s.name)).collect();
        assert_eq!(keys[0].0, "FLAGGED");
        assert_eq!(keys[2], ("RESOLVED".to_owned(), "Done".to_owned()));
        assert_eq!(keys[3].0, "PENDING_REVIEW");
    }
}
