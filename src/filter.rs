//! The filter language, shared by the dashboard, the CLI and saved views: words and
//! `"phrases"` searched case-insensitively in an alert's text, `-word`/`!word` to exclude,
//! `field:value` and `field:a,b` (status, type, assigned with `me` and `none`, entity, id,
//! title, description), and times (`age:<2h`, `created:>2026-11-01`, `updated:<7d`). Pure
//! reading ([`parse`]) and matching.

mod parse;

use chrono::{DateTime, Utc};

pub use parse::{FIELDS, FilterError};

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

/// A parsed filter: every term must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    terms: Vec<Term>,
    /// Some term counts back from the moment of parsing (`age:<2h`), so the same text
    /// means other rows as time passes.
    relative: bool,
}

#[derive(Debug, Clone)]
struct Term {
    /// Where the term starts in the text, in characters, for errors.
    at: usize,
    negated: bool,
    test: Test,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Test {
    /// A word or a phrase, lower-case, in any searchable field.
    Word(String),
    /// Any of these values (lower-case) in the field.
    Field(Field, Vec<String>),
    Time(TimeField, Time),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Status,
    Type,
    Assigned,
    Entity,
    Id,
    Title,
    Description,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeField {
    Created,
    Updated,
}

/// A window of time, resolved to moments when the filter was read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Time {
    after: Option<DateTime<Utc>>,
    before: Option<DateTime<Utc>>,
    relative: bool,
}

impl Query {
    /// Whether the query's rows change as time passes (`age:<2h`): read it again now and then.
    pub fn is_relative(&self) -> bool {
        self.relative
    }

    /// Whether the query has no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Checks every `status:` value against the statuses there are, so a misspelt status is
    /// an error rather than an empty list. A term naming no status is dropped (the rest of the
    /// query stands) and the first is the error.
    pub fn check_statuses(&mut self, known: &[&str]) -> Result<(), FilterError> {
        let mut first_error = None;
        self.terms.retain(|term| {
            let Test::Field(Field::Status, values) = &term.test else { return true };
            let Some(value) = values.iter().find(|v| !known.iter().any(|key| contains_folded(key, v))) else {
                return true;
            };
            let mut keys: Vec<String> = known.iter().map(|k| k.to_lowercase()).collect();
            keys.sort_unstable();
            keys.dedup();
            let message = format!("no status \"{value}\"; the statuses are {}", keys.join(", "));
            first_error.get_or_insert(FilterError { at: term.at, message });
            false
        });
        first_error.map_or(Ok(()), Err)
    }

    /// Whether `alert` matches. Searched in place, case-insensitively: the list keeps no
    /// lower-cased second copy of its text.
    pub fn matches(&self, alert: &Alert, me: &Me) -> bool {
        self.terms.iter().all(|term| term.test.holds(alert, me) != term.negated)
    }

    /// Whether every alert this query lets through, `other` lets through too, so filtering
    /// again may start from `other`'s rows (typing one more letter, adding a word).
    pub fn narrows(&self, other: &Self) -> bool {
        other.terms.iter().all(|old| self.terms.iter().any(|new| new.implies(old)))
    }
}

/// Two terms are the same when they test the same, wherever they stand in the text.
impl PartialEq for Term {
    fn eq(&self, other: &Self) -> bool {
        self.negated == other.negated && self.test == other.test
    }
}

impl Eq for Term {}

impl Term {
    /// Whether whatever passes `self` passes `old`: the same term, or a longer word or value
    /// where `old` looks for a shorter one inside it.
    fn implies(&self, old: &Self) -> bool {
        if self == old {
            return true;
        }
        if self.negated || old.negated {
            return false; // excluding a longer word excludes less
        }
        match (&self.test, &old.test) {
            (Test::Word(new), Test::Word(old)) => new.contains(old.as_str()),
            (Test::Field(f, new), Test::Field(g, old)) if f == g && *f != Field::Assigned => {
                new.iter().all(|n| old.iter().any(|o| n.contains(o.as_str())))
            }
            _ => false,
        }
    }
}

impl Test {
    fn holds(&self, alert: &Alert, me: &Me) -> bool {
        match self {
            Self::Word(word) => searchable(alert).any(|field| contains_folded(field, word)),
            Self::Field(field, values) => values.iter().any(|value| field.holds(alert, value, me)),
            Self::Time(which, time) => {
                let at = match which {
                    TimeField::Created => alert.created_at,
                    TimeField::Updated => alert.updated_at,
                }
                .to_utc();
                time.after.is_none_or(|t| at >= t) && time.before.is_none_or(|t| at < t)
            }
        }
    }
}
impl Field {
    fn holds(self, alert: &Alert, value: &str, me: &Me) -> bool {
        match self {
            Self::Status => contains_folded(alert.status.as_str(), value),
            Self::Type => contains_folded(alert.kind.name(), value),
            Self::Assigned => match value {
                "me" => me.owns(alert),
                "none" => alert.assigned_to.as_deref().is_none_or(|who| who.trim().is_empty()),
                _ => alert.assigned_to.as_deref().is_some_and(|who| contains_folded(who, value)),
            },
            Self::Entity => alert.entity_ids().any(|id| contains_folded(id, value)),
            Self::Id => contains_folded(alert.anomaly_id.as_str(), value),
            Self::Title => contains_folded(alert.title.as_deref().unwrap_or(""), value),
            Self::Description => contains_folded(&alert.description, value),
        }
    }
}

/// The text a free-text filter searches: title, description, ids, entities, assignee.
fn searchable(alert: &Alert) -> impl Iterator<Item = &str> {
    [alert.title.as_deref().unwrap_or(""), &alert.description, alert.anomaly_id.as_str()]
        .into_iter()
        .chain(alert.entity_ids())
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
    use crate::app::tests::{alert, now};

    fn q(text: &str) -> Query {
        Query::parse(text, now()).unwrap_or_else(|e| panic!("{text:?} should read: {e}"))
    }

    fn error(text: &str) -> String {
        Query::parse(text, now()).expect_err("an error").to_string()
    }

    fn hits(text: &str, alert: &Alert) -> bool {
        q(text).matches(alert, &Me::default())
    }

    #[test]
    fn words_match_any_field_case_insensitively() {
        let a = alert("ano_1", "Velocity spike", "RESOLVED", "Transaction");
        assert!(hits("VELOCITY", &a));
        assert!(hits("spike velo", &a));
        assert!(hits("ano_1", &a));
        assert!(!hits("sanction", &a));
        assert!(q("  ").is_empty());
    }

    #[test]
    fn minus_and_bang_exclude_and_quotes_keep_a_phrase() {
        let a = alert("ano_1", "Velocity spike", "RESOLVED", "Transaction");
        assert!(!hits("-velocity", &a) && !hits("!SPIKE", &a));
        assert!(hits("-card", &a) && hits("!card velocity", &a));
        assert!(hits("\"velocity spike\"", &a));
        assert!(!hits("\"spike velocity\"", &a), "a phrase keeps its order");
        assert!(hits("\"velocity sp", &a), "an unclosed quote runs to the end while it is typed");
        assert!(hits("-", &a), "a lone minus is a term still being typed");
        assert!(hits("\"ano_1:x\"", &alert("ano_1:x", "T", "FLAGGED", "Transaction")), "a quoted colon is text");
        assert!(!hits("-status:resolved", &a) && hits("-status:flagged", &a));
    }

    #[test]
    fn fields_narrow_by_status_type_assignee_entity_id_title_and_description() {
        let a = alert("ano_1", "Velocity spike", "PENDING_REVIEW", "Transaction");
        assert!(hits("type:transaction", &a) && !hits("type:balance", &a));
        assert!(hits("status:pending-review", &a) && hits("status:\"pending review\"", &a));
        assert!(hits("STATUS:Pending_Review", &a), "field names and values in any case");
        assert!(hits("status:flagged,\"pending review\"", &a), "either of a list");
        assert!(!hits("status:flagged,resolved", &a));
        assert!(hits("assigned:ada", &a) && !hits("assigned:bob", &a) && !hits("assigned:none", &a));
        assert!(hits("id:ano_", &a) && !hits("id:velocity", &a));
        assert!(hits("title:spike", &a) && !hits("title:ano_1", &a));
        let mut b = a.clone();
        b.description = "Outbound wire".into();
        b.affected_balances = vec!["bln_0001".into()];
        b.assigned_to = None;
        assert!(hits("description:\"outbound wire\"", &b) && !hits("description:velocity", &b));
        assert!(hits("entity:bln_0001", &b) && !hits("entity:bln_0002", &b));
        assert!(hits("assigned:none", &b) && !hits("assigned:ada", &b));
    }

    #[test]
    fn times_count_back_from_now_or_from_a_date() {
        let mut a = alert("ano_1", "Velocity spike", "FLAGGED", "Transaction");
        a.created_at = (now() - chrono::Duration::hours(3)).fixed_offset();
        assert!(hits("age:<4h", &a) && !hits("age:<2h", &a));
        assert!(hits("age:>2h", &a) && !hits("age:>1d", &a));
        assert!(hits("created:<1d", &a), "created less than a day ago");
        let day = a.created_at.to_utc().with_timezone(&chrono::Local).date_naive();
        let before = day - chrono::Duration::days(1);
        assert!(hits(&format!("created:{day}"), &a), "on that day");
        assert!(hits(&format!("created:>{before}"), &a) && !hits(&format!("created:<{day}"), &a));
        assert!(hits(&format!("created:>={day}"), &a) && hits(&format!("created:<={day}"), &a));
        assert!(q("age:<2h").is_relative() && !q(&format!("created:>{day}")).is_relative());
    }

    #[test]
    fn a_mistake_says_where_and_why() {
        let unknown = error("card foo:bar");
        assert!(unknown.starts_with("at character 6: there is no field \"foo\""), "{unknown}");
        assert!(unknown.contains(FIELDS), "names the fields there are: {unknown}");
        assert!(error("status:").contains("needs a value"));
        assert!(error("age:2h").contains("needs < or >"));
        assert!(error("age:<soon").contains("\"soon\" is neither a duration"));
        assert!(error("updated:").contains("takes <, >"));
        let mut bogus = q("velocity status:bogus");
        let statuses = bogus.check_statuses(&["FLAGGED", "RESOLVED"]).expect_err("unknown status");
        assert_eq!(statuses.message, "no status \"bogus\"; the statuses are flagged, resolved");
        assert_eq!(statuses.at, 9);
        assert_eq!(bogus, q("velocity"), "the rest of the query stands");
        assert!(q("status:flag,res").check_statuses(&["FLAGGED", "RESOLVED"]).is_ok());
        let (rest, error) = Query::read("velocity foo:bar -spike", now());
        assert!(error.is_some_and(|e| e.at == 9), "the first term that cannot be read");
        assert_eq!(rest, q("velocity -spike"), "the terms that can be read still filter");
    }

    #[test]
    fn assigned_me_is_whoever_me_names_whole_trimmed_and_in_any_case() {
        let a = alert("ano_1", "Velocity spike", "FLAGGED", "Transaction");
        let me = Me::new(&["  ADA okafor ".to_owned(), "usr_12".to_owned()]);
        assert!(me.owns(&a) && q("assigned:me").matches(&a, &me));
        assert!(q("assigned:me,bob").matches(&a, &me) && !q("-assigned:me").matches(&a, &me));
        assert!(!q("assigned:me").matches(&a, &Me::new(&["Ada".to_owned()])), "whole names only");
        assert!(!q("assigned:me").matches(&a, &Me::default()), "nobody is me until me is set");
        let mut b = a.clone();
        b.assigned_to = Some("İlker ÇELİK".into());
        assert!(Me::new(&["i̇lker çeli̇k".to_owned()]).owns(&b), "non-ASCII names whose lower case is longer");
        assert!(q("assigned:me velocity").narrows(&q("velocity")));
        assert!(!q("velocity").narrows(&q("assigned:me")));
    }

    #[test]
    fn a_longer_query_narrows_a_shorter_one() {
        assert!(q("card").narrows(&q("car")));
        assert!(q("car spike").narrows(&q("car")));
        assert!(q("type:transaction x").narrows(&q("type:trans")));
        assert!(q("-card x").narrows(&q("-card")));
        assert!(!q("ca").narrows(&q("car")));
        assert!(!q("x").narrows(&q("type:balance")));
        assert!(!q("-card").narrows(&q("-car")), "excluding more letters excludes fewer alerts");
        assert!(!q("status:flagged,resolved").narrows(&q("status:flagged")), "a list lets more through");
        assert!(q("status:flagged").narrows(&q("status:flagged,resolved")));
    }

    proptest::proptest! {
        /// In-place matching agrees with lower-casing both sides, for any text and needle.
        #[test]
        fn folded_search_agrees_with_lowercase(text in "[a-zA-Z _Ä-ö]{0,30}", needle in "[a-zA-Z Ä-ö]{1,4}") {
            let needle = needle.to_lowercase();
            proptest::prop_assert_eq!(contains_folded(&text, &needle), text.to_lowercase().contains(&needle));
        }

        /// Whatever is typed reads as a query or as an error; never a panic.
        #[test]
        fn any_text_reads_or_says_why(text in "[a-z:<>=,\"!\\- 0-9.]{0,24}") {
            let _ = Query::parse(&text, now());
        }
    }
}
