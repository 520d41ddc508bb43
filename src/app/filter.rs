//! The list filter: a case-insensitive substring over an alert's text, plus field terms
//! (`type:transaction`, `status:resolved`, `assigned:ada`, `assigned:me`). Pure parsing and
//! matching.

use crate::domain::Alert;

/// Who "me" is: the names or user ids Blnk puts in `assigned_to` for the person at the
/// keyboard, matched whole, trimmed and case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Me(Vec<String>);

impl Me {
    pub fn new(names: &[String]) -> Self {
        Self(names.iter().map(|n| n.trim().to_lowercase()).filter(|n| !n.is_empty()).collect())
    }

    pub fn is_set(&self) -> bool {
        !self.0.is_empty()
    }

    /// Whether `alert` is assigned to me.
    pub fn owns(&self, alert: &Alert) -> bool {
        alert.assigned_to.as_deref().is_some_and(|who| {
            let who = who.trim();
            // Compared char by char, lower-cased: no allocation, and right where lower-casing
            // changes a name's length in bytes.
            self.0.iter().any(|me| who.chars().flat_map(char::to_lowercase).eq(me.chars()))
        })
    }
}

/// A parsed filter query; every term must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    words: Vec<String>,
    kind: Option<String>,
    status: Option<String>,
    assigned: Option<String>,
    /// `assigned:me`: only alerts assigned to me.
    mine: bool,
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
                if v == "me" {
                    query.mine = true;
                } else {
                    query.assigned = Some(v);
                }
            } else {
                query.words.push(lower);
            }
        }
        query
    }

    /// Whether `alert` matches. Searched in place, case-insensitively: the list keeps no
    /// lower-cased second copy of its text.
    pub fn matches(&self, alert: &Alert, me: &Me) -> bool {
        (!self.mine || me.owns(alert))
            && self.kind.as_deref().is_none_or(|k| contains_folded(alert.kind.name(), k))
            && self.status.as_deref().is_none_or(|s| contains_folded(alert.status.as_str(), s))
            && self
                .assigned
                .as_deref()
                .is_none_or(|a| alert.assigned_to.as_deref().is_some_and(|who| contains_folded(who, a)))
            && self.words.iter().all(|w| searchable(alert).any(|field| contains_folded(field, w)))
    }

    /// Whether every alert this query lets through, `other` lets through too, so filtering
    /// again may start from `other`'s rows (typing one more letter, adding a word).
    pub fn narrows(&self, other: &Self) -> bool {
        let field = |new: &Option<String>, old: &Option<String>| match (new, old) {
            (_, None) => true,
            (Some(new), Some(old)) => new.contains(old.as_str()),
            (None, Some(_)) => false,
        };
        (self.mine || !other.mine)
            && field(&self.kind, &other.kind)
            && field(&self.status, &other.status)
            && field(&self.assigned, &other.assigned)
            && other.words.iter().all(|old| self.words.iter().any(|new| new.contains(old.as_str())))
    }
}

/// The text a free-text filter searches: title, description, ids, entities, assignee.
fn searchable(alert: &Alert) -> impl Iterator<Item = &str> {
    [alert.title.as_deref().unwrap_or(""), &alert.description, alert.anomaly_id.as_str()]
        .into_iter()
        .chain(alert.affected_balances.iter().map(String::as_str))
        .chain(alert.affected_transactions.iter().map(String::as_str))
        .chain(alert.affected_identities.iter().map(String::as_str))
        .chain(alert.escalated_to.iter().map(String::as_str))
        .chain(alert.assigned_to.as_deref())
}

/// Whether `text` contains `needle` (already lower-case), ignoring case. An ASCII needle is
/// found without allocating (the first byte by `memchr` in either case, the rest compared in
/// place); any other needle compares lower-cased text.
pub fn contains_folded(text: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if !needle.is_ascii() {
        return text.to_lowercase().contains(needle);
    }
    let (hay, pin) = (text.as_bytes(), needle.as_bytes());
    let (first, rest) = (pin[0], &pin[1..]);
    let mut from = 0;
    while let Some(offset) = memchr::memchr2(first, first.to_ascii_uppercase(), &hay[from..]) {
        let at = from + offset;
        match hay.get(at + 1..at + pin.len()) {
            Some(tail) if tail.eq_ignore_ascii_case(rest) => return true,
            Some(_) => from = at + 1,
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::alert;

    #[test]
    fn words_match_any_field_case_insensitively() {
        let a = alert("ano_1", "Velocity spike", "RESOLVED", "Transaction");
        assert!(Query::parse("VELOCITY").matches(&a, &Me::default()));
        assert!(Query::parse("spike velo").matches(&a, &Me::default()));
        assert!(Query::parse("ano_1").matches(&a, &Me::default()));
        assert!(!Query::parse("sanction").matches(&a, &Me::default()));
    }

    #[test]
    fn field_terms_narrow_by_type_status_and_assignee() {
        let a = alert("ano_1", "Velocity spike", "PENDING_REVIEW", "Transaction");
        assert!(Query::parse("type:transaction").matches(&a, &Me::default()));
        assert!(!Query::parse("type:balance").matches(&a, &Me::default()));
        assert!(Query::parse("status:pending-review").matches(&a, &Me::default()));
        assert!(Query::parse("assigned:ada").matches(&a, &Me::default()));
        assert!(!Query::parse("assigned:bob").matches(&a, &Me::default()));
        assert_eq!(Query::parse("  "), Query::default());
    }

    #[test]
    fn assigned_me_is_whoever_me_names_whole_trimmed_and_in_any_case() {
        let a = alert("ano_1", "Velocity spike", "FLAGGED", "Transaction");
        let me = Me::new(&["  ADA okafor ".to_owned(), "usr_12".to_owned()]);
        assert!(me.owns(&a) && Query::parse("assigned:me").matches(&a, &me));
        assert!(!Query::parse("assigned:me").matches(&a, &Me::new(&["Ada".to_owned()])), "whole names only");
        assert!(!Query::parse("assigned:me").matches(&a, &Me::default()), "nobody is me until me is set");
        let mut b = a.clone();
        b.assigned_to = Some("İlker ÇELİK".into());
        assert!(Me::new(&["i̇lker çeli̇k".to_owned()]).owns(&b), "non-ASCII names whose lower case is longer");
        assert!(Query::parse("assigned:me velocity").narrows(&Query::parse("velocity")));
        assert!(!Query::parse("velocity").narrows(&Query::parse("assigned:me")));
    }

    #[test]
    fn a_longer_query_narrows_a_shorter_one() {
        assert!(Query::parse("card").narrows(&Query::parse("car")));
        assert!(Query::parse("car spike").narrows(&Query::parse("car")));
        assert!(Query::parse("type:transaction x").narrows(&Query::parse("type:trans")));
        assert!(!Query::parse("ca").narrows(&Query::parse("car")));
        assert!(!Query::parse("x").narrows(&Query::parse("type:balance")));
    }

    proptest::proptest! {
        /// In-place matching agrees with lower-casing both sides, for any text and needle.
        #[test]
        fn folded_search_agrees_with_lowercase(text in "[a-zA-Z _Ä-ö]{0,30}", needle in "[a-zA-Z Ä-ö]{1,4}") {
            let needle = needle.to_lowercase();
            proptest::prop_assert_eq!(contains_folded(&text, &needle), text.to_lowercase().contains(&needle));
        }
    }
}
