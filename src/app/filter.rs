//! The list filter: a case-insensitive substring over an alert's text, plus field terms
//! (`type:transaction`, `status:resolved`, `assigned:ada`). Pure parsing and matching.

use crate::domain::Alert;

/// A parsed filter query; every term must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    words: Vec<String>,
    kind: Option<String>,
    status: Option<String>,
    assigned: Option<String>,
}

impl Query {
    pub fn parse(text: &str) -> Self {
        let mut query = Self::default();
        for term in text.split_whitespace() {
            let lower = term.to_lowercase();
            let field = |prefix: &str| lower.strip_prefix(prefix).filter(|v| !v.is_empty()).map(str::to_owned);
            if let Some(v) = field("type:") {
                query.kind = Some(v);
            } else if let Some(v) = field("status:") {
                query.status = Some(v.replace(['-', ' '], "_"));
            } else if let Some(v) = field("assigned:") {
                query.assigned = Some(v);
            } else {
                query.words.push(lower);
            }
        }
        query
    }

    /// Whether `alert` matches; `haystack` is its precomputed lower-case search text.
    pub fn matches(&self, alert: &Alert, haystack: &str) -> bool {
        let contains = |value: &str, needle: &str| value.to_lowercase().contains(needle);
        self.kind.as_deref().is_none_or(|k| contains(&alert.kind.to_string(), k))
            && self.status.as_deref().is_none_or(|s| contains(alert.status.as_str(), s))
            && self.assigned.as_deref().is_none_or(|a| alert.assigned_to.as_deref().is_some_and(|who| contains(who, a)))
            && self.words.iter().all(|w| haystack.contains(w.as_str()))
    }
}

/// The lower-case text a free-text filter searches: title, description, ids, entities, assignee.
pub fn haystack(alert: &Alert) -> String {
    let mut text = String::with_capacity(256);
    for part in [alert.title.as_deref().unwrap_or(""), &alert.description, alert.anomaly_id.as_str()] {
        text.push_str(part);
        text.push('\n');
    }
    for id in alert
        .affected_balances
        .iter()
        .chain(&alert.affected_transactions)
        .chain(&alert.affected_identities)
        .chain(&alert.escalated_to)
    {
        text.push_str(id);
        text.push('\n');
    }
    text.push_str(alert.assigned_to.as_deref().unwrap_or(""));
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::alert;

    #[test]
    fn words_match_any_field_case_insensitively() {
        let a = alert("ano_1", "Velocity spike", "RESOLVED", "Transaction");
        let hay = haystack(&a);
        assert!(Query::parse("VELOCITY").matches(&a, &hay));
        assert!(Query::parse("spike velo").matches(&a, &hay));
        assert!(Query::parse("ano_1").matches(&a, &hay));
        assert!(!Query::parse("sanction").matches(&a, &hay));
    }

    #[test]
    fn field_terms_narrow_by_type_status_and_assignee() {
        let a = alert("ano_1", "Velocity spike", "PENDING_REVIEW", "Transaction");
        let hay = haystack(&a);
        assert!(Query::parse("type:transaction").matches(&a, &hay));
        assert!(!Query::parse("type:balance").matches(&a, &hay));
        assert!(Query::parse("status:pending-review").matches(&a, &hay));
        assert!(Query::parse("assigned:ada").matches(&a, &hay));
        assert!(!Query::parse("assigned:bob").matches(&a, &hay));
        assert_eq!(Query::parse("  "), Query::default());
    }
}
