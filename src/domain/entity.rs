//! The flagged entities themselves, as the Data API serves them: a transaction, a balance, an
//! identity. The detail answer's shape is not documented and the Data API reads the database,
//! so decoding is lenient: a bare object or a `{"data": ...}` envelope (an object, or a list
//! whose first element counts), every field optional, unknown fields ignored, numbers as
//! numbers or strings, and amounts kept exact as the digits the server wrote (they can exceed
//! 2^53, and money is never a float here).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{EntityKind, sanitize_in_place};

/// A number exactly as the server wrote it: an optional minus, digits, perhaps a fraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exact {
    negative: bool,
    /// The whole part, without leading zeros ("0" for zero).
    whole: String,
    /// The digits after the point, if any.
    fraction: String,
}

impl Exact {
    /// `-12345`, `300`, `"300"`, `3.50`; anything else (an exponent, text) is not a number.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || (unsigned.contains('.') && fraction.is_empty()) {
            return None;
        }
        let trimmed = whole.trim_start_matches('0');
        let whole = if trimmed.is_empty() { "0" } else { trimmed };
        let zero = whole == "0" && fraction.bytes().all(|b| b == b'0');
        Some(Self { negative: negative && !zero, whole: whole.to_owned(), fraction: fraction.to_owned() })
    }

    pub fn is_zero(&self) -> bool {
        self.whole == "0" && self.fraction.bytes().all(|b| b == b'0')
    }

    /// The number of decimals a precision such as `100` stands for (a power of ten), if it is one.
    pub fn decimals_of_precision(&self) -> Option<u32> {
        let zeros = self.whole.strip_prefix('1')?;
        (self.fraction.bytes().all(|b| b == b'0') && zeros.bytes().all(|b| b == b'0') && !self.negative)
            .then(|| u32::try_from(zeros.len()).ok())
            .flatten()
    }

    /// Minor units shown in major units with `decimals` places, thousands grouped:
    /// `23322634` with 2 is `233,226.34`. Exact whatever the size.
    pub fn major(&self, decimals: u32) -> String {
        let places = usize::try_from(decimals).unwrap_or(usize::MAX);
        let padded = format!("{:0>width$}", self.whole, width = places.saturating_add(1));
        let (whole, cents) = padded.split_at(padded.len() - places);
        let fraction = format!("{cents}{}", self.fraction);
        let sign = if self.negative { "-" } else { "" };
        if fraction.is_empty() {
            format!("{sign}{}", group_thousands(whole))
        } else {
            format!("{sign}{}.{fraction}", group_thousands(whole))
        }
    }

    /// The number as written, grouped: `1,250,000`.
    pub fn grouped(&self) -> String {
        self.major(0)
    }
}

impl std::fmt::Display for Exact {
    /// The number as JSON writes it: `-1234.50`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.negative { "-" } else { "" };
        if self.fraction.is_empty() {
            write!(f, "{sign}{}", self.whole)
        } else {
            write!(f, "{sign}{}.{}", self.whole, self.fraction)
        }
    }
}

/// Written back as the JSON number it was, digit for digit (never through a float).
impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.to_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

/// `1234567` as `1,234,567`: the one thousands grouping, for amounts, counts and the demo's text.
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The decimals a currency's minor unit usually has (ISO 4217, and Blnk's own examples for
/// crypto), for a balance, which carries no precision of its own.
pub fn usual_decimals(currency: &str) -> u32 {
    match currency.trim().to_ascii_uppercase().as_str() {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "XAF" | "XOF" | "PYG" | "RWF" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "LYD" | "IQD" => 3,
        "BTC" => 8,
        "ETH" => 18,
        _ => 2,
    }
}

fn exact<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Exact>, D::Error> {
    let raw: Option<Box<RawValue>> = Option::deserialize(d)?;
    Ok(raw.and_then(|raw| Exact::parse(raw.get().trim().trim_matches('"'))))
}

/// A string, or a number or boolean written where a string was expected; empty is none.
/// Sanitized here, so no field can be forgotten.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Value::deserialize(d)?;
    let mut text = match value {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return Ok(None),
    };
    sanitize_in_place(&mut text);
    Ok(Some(text).filter(|t| !t.trim().is_empty()))
}

/// An object, or nothing (a `null`, or something that is not one), its keys and strings
/// sanitized.
fn object<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Map<String, Value>>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(mut map) => {
            sanitize_value_map(&mut map);
            Some(map)
        }
        _ => None,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Transaction {
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// The amount in minor units; `precision` is the scale (100: two decimals).
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Option::is_none")]
    pub precise_amount: Option<Exact>,
    /// `precise_amount / precision`, as the server wrote it: shown only when nothing better is there.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Option::is_none")]
    pub amount: Option<Exact>,
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Option::is_none")]
    pub precision: Option<Exact>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub parent_transaction: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub effective_date: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub scheduled_for: Option<String>,
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub meta_data: Option<Map<String, Value>>,
}

impl Transaction {
    /// The amount with its currency, exact: `ZAR 233,226.34`. From `precise_amount` and
    /// `precision`; from `amount` (as written) only when those are missing.
    pub fn money(&self) -> Option<String> {
        let currency = self.currency.as_deref().unwrap_or("");
        let shown = match (&self.precise_amount, self.precision.as_ref().and_then(Exact::decimals_of_precision)) {
            (Some(minor), Some(decimals)) => minor.major(decimals),
            (Some(minor), None) => match &self.precision {
                Some(precision) => format!("{} minor units (precision {})", minor.grouped(), precision.grouped()),
                None => format!("{} minor units", minor.grouped()),
            },
            (None, _) => self.amount.as_ref()?.grouped(),
        };
        Some(format!("{currency} {shown}").trim().to_owned())
    }

    /// Why Blnk rejected it, when it says.
    pub fn rejection_reason(&self) -> Option<&str> {
        self.meta_data.as_ref()?.get("blnk_rejection_reason")?.as_str()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Balance {
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub balance_id: Option<String>,
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Option::is_none")]
    pub balance: Option<Exact>,
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Option::is_none")]
    pub credit_balance: Option<Exact>,
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Option::is_none")]
    pub debit_balance: Option<Exact>,
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Option::is_none")]
    pub inflight_balance: Option<Exact>,
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Option::is_none")]
    pub inflight_credit_balance: Option<Exact>,
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Option::is_none")]
    pub inflight_debit_balance: Option<Exact>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub ledger_id: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub identity_id: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub meta_data: Option<Map<String, Value>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Identity {
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub identity_id: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub identity_type: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub organization_name: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub other_names: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "object", skip_serializing_if = "Option::is_none")]
    pub meta_data: Option<Map<String, Value>>,
}

impl Identity {
    /// An organisation: said so, or not said to be a person and named as one.
    pub fn is_organisation(&self) -> bool {
        match self.identity_type.as_deref().map(str::to_lowercase).as_deref() {
            Some("organization" | "organisation") => true,
            Some("individual") => false,
            _ => self.organization_name.is_some(),
        }
    }

    /// The organisation's name, or the person's names in order.
    pub fn name(&self) -> Option<String> {
        let organisation = self.organization_name.clone().filter(|_| self.is_organisation());
        organisation.or_else(|| {
            let parts: Vec<&str> = [&self.first_name, &self.other_names, &self.last_name]
                .into_iter()
                .filter_map(|p| p.as_deref())
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
    }

    /// Whether `field` holds a token rather than the value (`meta_data.tokenized_fields`).
    pub fn is_tokenized(&self, field: &str) -> bool {
        let listed = self.meta_data.as_ref().and_then(|m| m.get("tokenized_fields"));
        match listed {
            Some(Value::Array(fields)) => {
                fields.iter().any(|f| f.as_str().is_some_and(|f| f.eq_ignore_ascii_case(field)))
            }
            Some(Value::Object(fields)) => fields.keys().any(|f| f.eq_ignore_ascii_case(field)),
            _ => false,
        }
    }
}

/// A link from one entity to another: a transaction's balances, a balance's owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Source,
    Destination,
    Identity,
}

/// One entity of the Data API; written out as its record's fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Entity {
    Transaction(Transaction),
    Balance(Balance),
    Identity(Identity),
}

impl Entity {
    /// Decodes a detail answer for an entity of `kind` (bare or enveloped), sanitized.
    pub fn decode(kind: EntityKind, bytes: &[u8]) -> Result<Self, String> {
        Self::record(kind, unwrap_envelope(bytes)?)
    }

    /// Decodes one record, as it stands.
    fn record(kind: EntityKind, json: &str) -> Result<Self, String> {
        match kind {
            EntityKind::Transaction => serde_json::from_str(json).map(Self::Transaction),
            EntityKind::Balance => serde_json::from_str(json).map(Self::Balance),
            EntityKind::Identity => serde_json::from_str(json).map(Self::Identity),
        }
        .map_err(|e| format!("not a {}: {e}", kind.type_name().to_lowercase()))
    }

    /// Where `link` of this entity leads, if it says.
    pub fn link(&self, link: Link) -> Option<&str> {
        match (self, link) {
            (Self::Transaction(t), Link::Source) => t.source.as_deref(),
            (Self::Transaction(t), Link::Destination) => t.destination.as_deref(),
            (Self::Balance(b), Link::Identity) => b.identity_id.as_deref(),
            _ => None,
        }
    }
}

/// A page of a list route: `{"data": [...], "total": N}`; the entities decoded, sanitized.
pub fn decode_page(kind: EntityKind, bytes: &[u8]) -> Result<(Vec<Entity>, Option<u64>), String> {
    #[derive(Deserialize)]
    struct Page<'a> {
        #[serde(borrow, default)]
        data: Option<Vec<&'a RawValue>>,
        #[serde(default, deserialize_with = "exact")]
        total: Option<Exact>,
    }
    let page: Page<'_> = serde_json::from_slice(bytes).map_err(|e| format!("not a list page: {e}"))?;
    // One record the page cannot read (a null, a string) costs only itself.
    let entities =
        page.data.unwrap_or_default().into_iter().filter_map(|raw| Entity::record(kind, raw.get()).ok()).collect();
    Ok((entities, page.total.and_then(|t| t.whole.parse().ok())))
}

/// The entity inside `{"data": {...}}` or `{"data": [{...}]}`, or the bare object.
fn unwrap_envelope(bytes: &[u8]) -> Result<&str, String> {
    #[derive(Deserialize)]
    struct Probe<'a> {
        #[serde(borrow, default)]
        data: Option<&'a RawValue>,
    }
    let top: &RawValue = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    let inner = match serde_json::from_str::<Probe<'_>>(top.get()) {
        Ok(Probe { data: Some(data) }) if data.get() != "null" => data,
        _ => top,
    };
    if inner.get().starts_with('[') {
        let items: Vec<&RawValue> = serde_json::from_str(inner.get()).map_err(|e| format!("not a list: {e}"))?;
        return items.first().map(|first| first.get()).ok_or_else(|| "the answer's data list is empty".to_owned());
    }
    Ok(inner.get())
}

fn sanitize_value_map(map: &mut Map<String, Value>) {
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        let Some(mut value) = map.remove(&key) else { continue };
        sanitize_value(&mut value);
        let mut key = key;
        sanitize_in_place(&mut key);
        map.insert(key, value);
    }
}

fn sanitize_value(value: &mut Value) {
    match value {
        Value::String(s) => sanitize_in_place(s),
        Value::Array(items) => items.iter_mut().for_each(sanitize_value),
        Value::Object(map) => sanitize_value_map(map),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Core's documented transaction, verbatim.
    const TRANSACTION: &str = r#"{
    "precise_amount": 300,
    "amount": 3,
    "precision": 100,
    "transaction_id": "txn_93c3f6dc-9c2c-46b0-89c5-1814cef4d0e4",
    "parent_transaction": "",
    "source": "bln_845bbf20-cc0c-41d2-810b-24f104f1cb8b",
    "destination": "bln_e92a1ba7-92c7-427c-8c8f-bfdca55c875d",
    "reference": "ref_04551509-d7d3-4eab-a1fd-2eb12809b5a4_q",
    "currency": "BTC",
    "description": "test",
    "status": "REJECTED",
    "hash": "",
    "allow_overdraft": false,
    "inflight": false,
    "created_at": "2025-02-08T13:36:42.748594Z",
    "scheduled_for": "0001-01-01T00:00:00Z",
    "inflight_expiry_date": "0001-01-01T00:00:00Z",
    "inflight_commit_date": "0001-01-01T00:00:00Z",
    "meta_data": {
        "blnk_rejection_reason": "failed to apply transaction to balances: insufficient funds in source balance"
    }
}"#;

    const BALANCE: &str = r#"{
    "balance": 0,
    "inflight_balance": 0,
    "credit_balance": 0,
    "inflight_credit_balance": 0,
    "debit_balance": 0,
    "inflight_debit_balance": 0,
    "queued_credit_balance": 0,
    "queued_debit_balance": 0,
    "ledger_id": "ldg_049495c6-356e-4ebc-a45e-60d1e1e16afb",
    "identity_id": "",
    "balance_id": "bln_5ce86029-3c2e-4e2a-aae2-7fb931ca4c4f",
    "currency": "USD",
    "created_at": "2024-11-26T08:36:36.238244338Z",
    "meta_data": null
}"#;

    const IDENTITY: &str = r#"{
  "identity_id": "idt_3b63c8da-af29-4cc3-ad38-df17d87456e6",
  "identity_type": "individual",
  "organization_name": "",
  "first_name": "Alice",
  "last_name": "Smith",
  "other_names": "Marie",
  "gender": "female",
  "dob": "1985-05-15T00:00:00Z",
  "email_address": "alice.smith@example.com",
  "phone_number": "+1234567890",
  "nationality": "Canadian",
  "category": "customer",
  "street": "789 Elm St",
  "country": "Canada",
  "state": "Ontario",
  "post_code": "M4B 1B3",
  "city": "Toronto",
  "created_at": "2024-11-26T08:36:36.238244338Z",
  "meta_data": { "customer_id": "CUST123456", "membership_level": "Gold" }
}"#;

    fn transaction(json: &str) -> Transaction {
        match Entity::decode(EntityKind::Transaction, json.as_bytes()) {
            Ok(Entity::Transaction(t)) => t,
            other => panic!("a transaction: {other:?}"),
        }
    }

    #[test]
    fn the_documented_examples_decode_verbatim() {
        let t = transaction(TRANSACTION);
        assert_eq!(t.money().as_deref(), Some("BTC 3.00"));
        assert_eq!(t.status.as_deref(), Some("REJECTED"));
        assert_eq!(t.parent_transaction, None, "an empty string is no value");
        assert!(t.rejection_reason().is_some_and(|r| r.contains("insufficient funds")));

        let Ok(Entity::Balance(b)) = Entity::decode(EntityKind::Balance, BALANCE.as_bytes()) else {
            panic!("a balance")
        };
        assert_eq!((b.balance.map(|b| b.major(2)), b.identity_id, b.meta_data), (Some("0.00".into()), None, None));

        let Ok(Entity::Identity(i)) = Entity::decode(EntityKind::Identity, IDENTITY.as_bytes()) else {
            panic!("an identity")
        };
        assert_eq!(i.name().as_deref(), Some("Alice Marie Smith"));
        assert_eq!(i.country.as_deref(), Some("Canada"));
        assert!(!i.is_tokenized("first_name"));
    }

    #[test]
    fn envelopes_strings_for_numbers_and_huge_integers_are_all_read_exactly() {
        for wrapped in [format!(r#"{{"data": {TRANSACTION}}}"#), format!(r#"{{"data": [{TRANSACTION}, {{}}]}}"#)] {
            assert_eq!(transaction(&wrapped).money().as_deref(), Some("BTC 3.00"), "{wrapped}");
        }
        let huge =
            transaction(r#"{"precise_amount": 123456789012345678901234567, "precision": 100, "currency": "ZAR"}"#);
        assert_eq!(huge.money().as_deref(), Some("ZAR 1,234,567,890,123,456,789,012,345.67"), "beyond 2^53, exact");
        let strings =
            transaction(r#"{"precise_amount": "23322634", "precision": "100", "currency": "ZAR", "status": 7}"#);
        assert_eq!((strings.money().as_deref(), strings.status.as_deref()), (Some("ZAR 233,226.34"), Some("7")));
        let odd = transaction(r#"{"precise_amount": 5, "precision": 3, "currency": "X"}"#);
        assert_eq!(odd.money().as_deref(), Some("X 5 minor units (precision 3)"));
        let negative = transaction(r#"{"precise_amount": -5, "precision": 1000}"#);
        assert_eq!(negative.money().as_deref(), Some("-0.005"));
        assert_eq!(transaction("{}"), Transaction::default(), "every field may be missing");
        assert_eq!(transaction("{}").money(), None);
        assert!(Entity::decode(EntityKind::Balance, b"[]").is_err_and(|e| e.contains("empty")));
        assert!(Entity::decode(EntityKind::Balance, b"<html>").is_err_and(|e| e.contains("not JSON")));
    }

    #[test]
    fn hostile_text_is_made_safe_keys_and_values_alike() {
        let safe = |s: &str| s.chars().all(crate::domain::is_safe);
        let t = transaction(
            "{\"description\": \"\\u001b]52;c;AAAA\\u0007pay\", \"meta_data\": {\"\\u001b[2Jk\": [\"\\u009b31m\"]}}",
        );
        let description = t.description.expect("kept");
        assert!(safe(&description) && description.ends_with("pay"), "{description:?}");
        let meta = t.meta_data.expect("kept");
        let (key, value) = meta.iter().next().expect("one entry");
        assert!(safe(key), "{key:?}");
        assert!(value[0].as_str().is_some_and(safe), "{value:?}");
    }

    #[test]
    fn tokenized_fields_and_organisations_are_recognised() {
        let json = r#"{"identity_type": "organization", "organization_name": "Acme Ltd", "first_name": "tok_9f8e",
            "meta_data": {"tokenized_fields": ["first_name", "email_address"]}}"#;
        let Ok(Entity::Identity(i)) = Entity::decode(EntityKind::Identity, json.as_bytes()) else {
            panic!("an identity")
        };
        assert_eq!(i.name().as_deref(), Some("Acme Ltd"));
        assert!(i.is_tokenized("first_name") && i.is_tokenized("EMAIL_ADDRESS") && !i.is_tokenized("country"));
    }

    #[test]
    fn a_list_page_gives_its_entities_and_total() {
        let page = format!(r#"{{"data": [{TRANSACTION}, null, {{"precise_amount": "1"}}], "total": "42"}}"#);
        let (entities, total) = decode_page(EntityKind::Transaction, page.as_bytes()).expect("a page");
        assert_eq!((entities.len(), total), (2, Some(42)), "the null costs only itself");
    }

    #[test]
    fn an_entity_is_written_back_with_its_numbers_digit_for_digit() {
        let t =
            transaction(r#"{"precise_amount": "123456789012345678901234567", "precision": 100, "currency": "ZAR"}"#);
        let json = serde_json::to_string(&Entity::Transaction(t)).expect("encodes");
        assert!(json.contains(r#""precise_amount":123456789012345678901234567,"precision":100"#), "{json}");
    }

    #[test]
    fn usual_decimals_follow_the_currency() {
        assert_eq!(
            [usual_decimals("jpy"), usual_decimals("KWD"), usual_decimals("ZAR"), usual_decimals("BTC")],
            [0, 3, 2, 8]
        );
        assert_eq!(Exact::parse("007").map(|e| e.grouped()), Some("7".into()));
        assert_eq!(Exact::parse("1e5"), None);
        assert_eq!(Exact::parse("-0").map(|e| e.major(2)), Some("0.00".into()), "no negative zero");
    }
}
