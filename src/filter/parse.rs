//! Reading a filter: terms split on spaces outside quotes, `-`/`!` negation, `"phrases"`,
//! `field:value`, `field:a,b`, `field:"with spaces"`, and times (`age:<2h`,
//! `created:>2026-11-01`). Every mistake is a [`FilterError`] that says where and why.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::{Field, Query, Term, Test, Time, TimeField};

/// What is wrong with a filter, and at which character (0-based) it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    pub at: usize,
    pub message: String,
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at character {}: {}", self.at + 1, self.message)
    }
}

impl std::error::Error for FilterError {}

/// The fields a term may name, as the error for an unknown one lists them.
pub const FIELDS: &str = "status, type, assigned, entity, id, title, description, age, created, updated";

/// One term as typed: its start, whether it is negated, and its text (quotes still in).
struct Raw<'a> {
    at: usize,
    negated: bool,
    text: &'a str,
}

/// Splits `text` into terms at spaces outside quotes. An unclosed quote runs to the end, so a
/// phrase being typed already filters.
fn terms(text: &str) -> Vec<Raw<'_>> {
    let mut terms = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut quoted = false;
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_whitespace() && !quoted {
                end = i;
                break;
            }
            quoted ^= c == '"';
            chars.next();
        }
        let raw = &text[start..end];
        let at = text[..start].chars().count();
        match raw.strip_prefix(['-', '!']) {
            // A lone `-` is a term still being typed: it means nothing yet.
            Some("") => {}
            Some(rest) => terms.push(Raw { at, negated: true, text: rest }),
            None => terms.push(Raw { at, negated: false, text: raw }),
        }
    }
    terms
}

/// `text` without its quotes, lower-cased.
fn unquote(text: &str) -> String {
    text.replace('"', "").to_lowercase()
}

/// The values of `a,b,"c d"`: split on commas outside quotes, unquoted, blanks dropped.
fn values(text: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                values.push(unquote(&text[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    values.push(unquote(&text[start..]));
    values.retain(|v| !v.trim().is_empty());
    values
}

impl Query {
    /// Reads `text`; relative times (`age:<2h`) count back from `now`.
    pub fn parse(text: &str, now: DateTime<Utc>) -> Result<Self, FilterError> {
        match Self::read(text, now) {
            (query, None) => Ok(query),
            (_, Some(error)) => Err(error),
        }
    }

    /// Reads what of `text` can be read, and says why about the first term that cannot: while
    /// a term is being typed (or mended), the others still filter.
    pub fn read(text: &str, now: DateTime<Utc>) -> (Self, Option<FilterError>) {
        let mut query = Self::default();
        let mut first_error = None;
        for raw in terms(text) {
            match test(&raw, now) {
                Ok(read) => {
                    query.relative |= matches!(&read, Test::Time(_, time) if time.relative);
                    query.terms.push(Term { at: raw.at, negated: raw.negated, test: read });
                }
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        (query, first_error)
    }
}

fn test(raw: &Raw<'_>, now: DateTime<Utc>) -> Result<Test, FilterError> {
    let fail = |message: String| FilterError { at: raw.at, message };
    // A colon inside quotes is text, not a field: `"foo:bar"` searches for foo:bar.
    let field = raw.text.split_once(':').filter(|(name, _)| !name.contains('"'));
    let Some((name, value)) = field else { return Ok(Test::Word(unquote(raw.text))) };
    let name = name.to_lowercase();
    let time_field = match name.as_str() {
        "age" | "created" => Some(TimeField::Created),
        "updated" => Some(TimeField::Updated),
        _ => None,
    };
    if let Some(which) = time_field {
        return time(&name, value, now).map(|t| Test::Time(which, t)).map_err(fail);
    }
    let field = match name.as_str() {
        "status" => Field::Status,
        "type" => Field::Type,
        "assigned" | "assignee" => Field::Assigned,
        "entity" => Field::Entity,
        "id" => Field::Id,
        "title" => Field::Title,
        "description" => Field::Description,
        _ => {
            return Err(fail(format!(
                "there is no field \"{name}\"; the fields are {FIELDS} (to search for a colon, quote it: \"{name}:…\")"
            )));
        }
    };
    let mut values = values(value);
    if values.is_empty() {
        return Err(fail(format!("{name}: needs a value, as in {}", example(field))));
    }
    if field == Field::Status {
        // Status keys are spelt PENDING_REVIEW; people type "pending review" or pending-review.
        for v in &mut values {
            *v = v.trim().replace(['-', ' '], "_");
        }
    }
    Ok(Test::Field(field, values))
}

fn example(field: Field) -> &'static str {
    match field {
        Field::Status => "status:flagged or status:\"pending review\",flagged",
        Field::Type => "type:transaction",
        Field::Assigned => "assigned:me, assigned:ada or assigned:none",
        Field::Entity => "entity:bal_",
        Field::Id => "id:ano_",
        Field::Title => "title:velocity",
        Field::Description => "description:\"wire out\"",
    }
}

/// `<2h`, `>=7d`, `<2026-11-01`, `2026-11-01` (that day), `>2026-11-01T09:00`.
fn time(name: &str, value: &str, now: DateTime<Utc>) -> Result<Time, String> {
    let usage = format!("{name}: takes <, >, <= or >= and a duration (30m, 2h, 7d, 2w) or a date (2026-11-01)");
    let value = value.trim_matches('"');
    let (op, rest) = ["<=", ">=", "<", ">", "="]
        .iter()
        .find_map(|op| value.strip_prefix(op).map(|rest| (*op, rest.trim())))
        .unwrap_or(("=", value.trim()));
    if rest.is_empty() {
        return Err(usage);
    }
    if let Some(start) = date(rest) {
        let day = NaiveDate::parse_from_str(rest, "%Y-%m-%d").is_ok();
        let end = if day { start + chrono::Duration::days(1) } else { start };
        let (after, before) = match op {
            "<" => (None, Some(start)),
            "<=" => (None, Some(end)),
            ">" => (Some(end), None),
            ">=" => (Some(start), None),
            _ if day => (Some(start), Some(end)),
            _ => return Err(format!("{name}: a moment needs < or >, as in {name}:>{rest}")),
        };
        return Ok(Time { after, before, relative: false });
    }
    let span = humantime::parse_duration(rest)
        .map_err(|_| format!("{name}: \"{rest}\" is neither a duration (30m, 2h, 7d, 2w) nor a date (2026-11-01)"))?;
    let ago = chrono::Duration::from_std(span).ok().and_then(|d| now.checked_sub_signed(d));
    let Some(moment) = ago else { return Err(format!("{name}: \"{rest}\" is further back than any date")) };
    // A duration is an age: `<2h` is newer than two hours ago.
    let (after, before) = match op {
        "<" | "<=" => (Some(moment), None),
        ">" | ">=" => (None, Some(moment)),
        _ => return Err(format!("{name}: an age needs < or >, as in {name}:<{rest}")),
    };
    Ok(Time { after, before, relative: true })
}

/// A date (local midnight) or a date and time (local unless it says its offset).
fn date(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.to_utc());
    }
    let local = |naive: NaiveDateTime| Local.from_local_datetime(&naive).earliest().map(|at| at.to_utc());
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return local(day.and_hms_opt(0, 0, 0)?);
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .and_then(local)
}
