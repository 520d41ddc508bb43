//! An entity as labelled rows, shared by the dashboard's entity panel and `blnk-alerts entity`:
//! a transaction's exact amount and currency, where the money went, a rejection reason; a
//! balance's amounts with the precision used and which; an identity's name and contacts, a
//! tokenized field said so. Each row has a tone the dashboard colours by.

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{Map, Value};

use crate::domain::{Balance, Entity, Exact, Identity, Link, Transaction, single_line, usual_decimals};

/// Metadata entries shown at most.
const META_SHOWN: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    /// The figure that matters: an amount, a name.
    Strong,
    Bad,
    Warn,
    Muted,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub value: String,
    pub tone: Tone,
}

/// How to show an entity: the time now and its offset, a balance's precision if something
/// better than its currency's usual one is known (with where it came from), and the key for
/// each link, if any.
pub struct Shown<'a> {
    pub now: DateTime<Utc>,
    pub offset: FixedOffset,
    pub precision: Option<(u32, String)>,
    pub key: &'a dyn Fn(Link) -> Option<String>,
}

/// The rows of `entity`, in the order they are shown.
pub fn rows(entity: &Entity, shown: &Shown<'_>) -> Vec<Row> {
    let mut rows = Rows(Vec::new());
    match entity {
        Entity::Transaction(t) => transaction(&mut rows, t, shown),
        Entity::Balance(b) => balance(&mut rows, b, shown),
        Entity::Identity(i) => identity(&mut rows, i, shown),
    }
    rows.0
}

struct Rows(Vec<Row>);

impl Rows {
    fn push(&mut self, label: impl Into<String>, value: &str, tone: Tone) {
        self.0.push(Row { label: label.into(), value: single_line(value).into_owned(), tone });
    }

    fn text(&mut self, label: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.push(label, value, Tone::Plain);
        }
    }
}

/// `label (k)` when the link has a key.
fn linked(label: &str, leads: Link, shown: &Shown<'_>) -> String {
    (shown.key)(leads).map_or_else(|| label.to_owned(), |key| format!("{label} ({key})"))
}

/// A time the Data API gave, local with its age; `0001-01-01…` means not set. Another shape
/// (the database's own, say) is shown as it came.
fn when(raw: Option<&str>, shown: &Shown<'_>) -> Option<String> {
    let raw = raw?.trim();
    if raw.starts_with("0001-01-01") {
        return None;
    }
    let Ok(at) = DateTime::<FixedOffset>::parse_from_rfc3339(raw) else { return Some(raw.to_owned()) };
    let local = at.with_timezone(&shown.offset);
    Some(format!("{} ({})", local.format("%Y-%m-%d %H:%M:%S"), super::age(at, shown.now)))
}

fn transaction(rows: &mut Rows, t: &Transaction, shown: &Shown<'_>) {
    if let Some(money) = t.money() {
        rows.push("Amount", &money, Tone::Strong);
    }
    for (label, id, leads) in [("From", &t.source, Link::Source), ("To", &t.destination, Link::Destination)] {
        if let Some(id) = id {
            rows.push(linked(label, leads, shown), id, Tone::Plain);
        }
    }
    if let Some(status) = &t.status {
        let failed = matches!(status.to_uppercase().as_str(), "REJECTED" | "VOID" | "VOIDED");
        rows.push("Status", status, if failed { Tone::Bad } else { Tone::Plain });
    }
    if let Some(reason) = t.rejection_reason() {
        rows.push("Rejected", reason, Tone::Bad);
    }
    rows.text("Reference", t.reference.as_deref());
    rows.text("Description", t.description.as_deref());
    rows.text("Created", when(t.created_at.as_deref(), shown).as_deref());
    if t.effective_date != t.created_at {
        rows.text("Effective", when(t.effective_date.as_deref(), shown).as_deref());
    }
    rows.text("Scheduled", when(t.scheduled_for.as_deref(), shown).as_deref());
    meta(rows, t.meta_data.as_ref(), &["blnk_rejection_reason"]);
}

fn balance(rows: &mut Rows, b: &Balance, shown: &Shown<'_>) {
    let currency = b.currency.clone().unwrap_or_default();
    // Balances carry no precision: the caller's (from a transaction), else the currency's usual one.
    let (decimals, why) = shown.precision.clone().unwrap_or_else(|| {
        let decimals = usual_decimals(&currency);
        (decimals, format!("{decimals} decimals, as usual for {currency}"))
    });
    let money = |amount: &Exact| format!("{currency} {}", amount.major(decimals)).trim().to_owned();
    if let Some(amount) = &b.balance {
        rows.push("Balance", &money(amount), Tone::Strong);
    }
    rows.push("Precision", &why, Tone::Muted);
    for (label, amount) in [("Credit", &b.credit_balance), ("Debit", &b.debit_balance)] {
        if let Some(amount) = amount {
            rows.push(label, &money(amount), Tone::Plain);
        }
    }
    for (label, amount) in [
        ("Inflight", &b.inflight_balance),
        ("Inflight in", &b.inflight_credit_balance),
        ("Inflight out", &b.inflight_debit_balance),
    ] {
        if let Some(amount) = amount.as_ref().filter(|a| !a.is_zero()) {
            rows.push(label, &money(amount), Tone::Warn);
        }
    }
    rows.text("Ledger", b.ledger_id.as_deref());
    if let Some(identity) = &b.identity_id {
        rows.push(linked("Identity", Link::Identity, shown), identity, Tone::Plain);
    }
    rows.text("Created", when(b.created_at.as_deref(), shown).as_deref());
    meta(rows, b.meta_data.as_ref(), &[]);
}

fn identity(rows: &mut Rows, i: &Identity, shown: &Shown<'_>) {
    let guarded = |field: &str, value: Option<&str>| -> Option<String> {
        value.map(|v| if i.is_tokenized(field) { "(tokenized)".to_owned() } else { v.to_owned() })
    };
    rows.text("Type", i.identity_type.as_deref());
    // The fields the name is made of: the organisation's, or the person's.
    let named_by: &[&str] =
        if i.is_organisation() { &["organization_name"] } else { &["first_name", "last_name", "other_names"] };
    let name = if named_by.iter().any(|f| i.is_tokenized(f)) { Some("(tokenized)".to_owned()) } else { i.name() };
    if let Some(name) = name {
        rows.push("Name", &name, Tone::Strong);
    }
    rows.text("Email", guarded("email_address", i.email_address.as_deref()).as_deref());
    rows.text("Phone", guarded("phone_number", i.phone_number.as_deref()).as_deref());
    rows.text("Country", guarded("country", i.country.as_deref()).as_deref());
    rows.text("Category", i.category.as_deref());
    rows.text("Created", when(i.created_at.as_deref(), shown).as_deref());
    meta(rows, i.meta_data.as_ref(), &["tokenized_fields"]);
}

/// `meta_data`'s entries as `key: value`, a few of them, leaving out those shown elsewhere.
fn meta(rows: &mut Rows, meta: Option<&Map<String, Value>>, skip: &[&str]) {
    let Some(meta) = meta else { return };
    let entries: Vec<_> = meta.iter().filter(|(k, _)| !skip.contains(&k.as_str())).collect();
    for (n, (k, v)) in entries.iter().take(META_SHOWN).enumerate() {
        let value = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        rows.push(if n == 0 { "Metadata" } else { "" }, &format!("{k}: {value}"), Tone::Plain);
    }
    if entries.len() > META_SHOWN {
        rows.push("", &format!("… and {} more", entries.len() - META_SHOWN), Tone::Muted);
    }
}
