//! The built-in server's Data API records: the transactions, balances and identities its alerts
//! name, made up on first request, consistent with the alert that names them (the demo's
//! "outbound wire of ZAR 233,226.34" is a transaction of exactly that amount), and kept in the
//! database so they stay the same. A transaction brings its source and destination balances, a
//! balance its identity and a few recent transactions, so walking from one to the next finds
//! them. An id no alert names, directly or through one of those, is not found.

use chrono::{DateTime, FixedOffset, TimeDelta};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

use super::store::{StoreError, timestamp};
use crate::domain::{EntityKind, usual_decimals};

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS entities (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    -- A transaction's balances and a balance's identity, for the list routes' filters.
    source      TEXT,
    destination TEXT
);
CREATE INDEX IF NOT EXISTS entities_by_source ON entities (source);
CREATE INDEX IF NOT EXISTS entities_by_destination ON entities (destination);
";

const CURRENCIES: [&str; 7] = ["USD", "EUR", "GBP", "NGN", "KES", "GHS", "ZAR"];
const FIRST_NAMES: [&str; 10] =
    ["Amara", "Tunde", "Wanjiru", "Kofi", "Thandiwe", "Lucas", "Sofia", "Ravi", "Mei", "Jonas"];
const LAST_NAMES: [&str; 10] =
    ["Okonkwo", "Mensah", "Kamau", "Dlamini", "Adeyemi", "Silva", "Novak", "Iyer", "Chen", "Berg"];
const ORGANISATIONS: [&str; 6] =
    ["Harbour Freight Ltd", "Kilimanjaro Traders", "Sunrise Remit", "Atlas Payroll", "Baobab Foods", "Nile Logistics"];
const COUNTRIES: [&str; 7] =
    ["Nigeria", "Kenya", "Ghana", "South Africa", "United Kingdom", "Germany", "United States"];

/// The record of `id`, made on first request when an alert names it; `None` when nothing does.
pub(crate) fn get(conn: &mut Connection, kind: EntityKind, id: &str) -> Result<Option<String>, StoreError> {
    if let Some(body) = stored(conn, kind, id)? {
        return Ok(Some(body));
    }
    let Some(naming) = naming_alert(conn, kind, id)? else { return Ok(None) };
    let tx = conn.transaction()?;
    let mut maker = Maker { tx: &tx, now: naming.created_at };
    match kind {
        EntityKind::Transaction => maker.transaction(id, &naming)?,
        EntityKind::Balance => {
            maker.balance(id, naming.money.as_ref().map(|m| m.0.as_str()), naming.identity.as_deref(), true)?;
        }
        EntityKind::Identity => maker.identity(id)?,
    }
    tx.commit()?;
    stored(conn, kind, id)
}

/// A page of `kind` records, filtered by `{field}_eq` on a transaction's balances
/// (`balance_id`, `source`, `destination`) or a balance's identity (`identity_id`), newest first.
pub(crate) fn list(
    conn: &mut Connection,
    kind: EntityKind,
    filter: Option<(&str, &str)>,
    page: u32,
    size: u32,
) -> Result<(Vec<String>, u64), StoreError> {
    // A balance's transactions are made with the balance: make it first if an alert names it.
    if let (EntityKind::Transaction, Some(("balance_id" | "source" | "destination", balance))) = (kind, filter) {
        get(conn, EntityKind::Balance, balance)?;
    }
    // `?2 IS NULL` only without a filter: an empty value filters too (and matches nothing).
    let (clause, value) = match filter {
        None => ("?2 IS NULL", None),
        Some(("balance_id", v)) if kind == EntityKind::Transaction => ("(source = ?2 OR destination = ?2)", Some(v)),
        Some(("source", v)) if kind == EntityKind::Transaction => ("source = ?2", Some(v)),
        Some(("destination", v)) if kind == EntityKind::Transaction => ("destination = ?2", Some(v)),
        Some(("identity_id", v)) if kind == EntityKind::Balance => ("source = ?2", Some(v)),
        Some((field, _)) => {
            return Err(StoreError::Invalid(format!(
                "this server filters transactions by balance_id, source or destination and balances by identity_id, not {}",
                super::errors::quote(field)
            )));
        }
    };
    let offset = i64::from(page.saturating_sub(1)) * i64::from(size);
    let sql =
        format!("SELECT body FROM entities WHERE kind = ?1 AND {clause} ORDER BY created_at DESC LIMIT ?3 OFFSET ?4");
    let bodies = conn
        .prepare(&sql)?
        .query_map(params![kind.collection(), value, i64::from(size), offset], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    let count_sql = format!("SELECT COUNT(*) FROM entities WHERE kind = ?1 AND {clause}");
    let total: i64 = conn.query_row(&count_sql, params![kind.collection(), value], |r| r.get(0))?;
    Ok((bodies, u64::try_from(total).unwrap_or(0)))
}

/// The record of `id` as a `kind` (a balance id asked for as a transaction is not found).
fn stored(conn: &Connection, kind: EntityKind, id: &str) -> Result<Option<String>, StoreError> {
    let sql = "SELECT body FROM entities WHERE id = ?1 AND kind = ?2";
    Ok(conn.query_row(sql, params![id, kind.collection()], |r| r.get(0)).optional()?)
}

/// What the alert naming an entity says about it.
struct Naming {
    created_at: DateTime<FixedOffset>,
    /// The first sum of money in its description: the currency and the amount in minor units.
    money: Option<(String, u64)>,
    /// A balance and an identity the alert names too.
    balance: Option<String>,
    identity: Option<String>,
    wire: bool,
}

fn naming_alert(conn: &Connection, kind: EntityKind, id: &str) -> Result<Option<Naming>, StoreError> {
    let column = format!("affected_{}", kind.collection());
    // Ids are stored as JSON strings: match the quoted id, never a part of a longer one.
    let sql = format!(
        "SELECT description, created_at, affected_balances, affected_identities FROM alerts \
         WHERE instr({column}, ?1) > 0 ORDER BY seq LIMIT 1"
    );
    let quoted = format!("\"{id}\"");
    let row = conn
        .query_row(&sql, [&quoted], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })
        .optional()?;
    let Some((description, created_at, balances, identities)) = row else { return Ok(None) };
    let first = |list: &str| serde_json::from_str::<Vec<String>>(list).ok().and_then(|l| l.into_iter().next());
    Ok(Some(Naming {
        created_at: DateTime::parse_from_rfc3339(&created_at).unwrap_or_else(|_| super::store::now()),
        money: money_in(&description),
        balance: first(&balances).filter(|b| b != id),
        identity: first(&identities).filter(|i| i != id),
        wire: description.to_lowercase().contains("wire"),
    }))
}

/// The first `CUR 1,234.56` in `text`: the currency and the amount in minor units.
fn money_in(text: &str) -> Option<(String, u64)> {
    CURRENCIES.iter().filter_map(|c| text.find(&format!("{c} ")).map(|at| (at, *c))).min().and_then(|(at, currency)| {
        let figures: String = text[at + 4..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
            .filter(|c| *c != ',')
            .collect();
        let figures = figures.trim_end_matches('.');
        let (whole, cents) = figures.split_once('.').unwrap_or((figures, "0"));
        let cents = format!("{cents:0<2}");
        let minor = whole.parse::<u64>().ok()?.checked_mul(100)?.checked_add(cents.get(..2)?.parse().ok()?)?;
        Some((currency.to_owned(), minor))
    })
}

/// Makes records inside one transaction, each from a generator seeded by its id, so the same
/// id always gives the same record.
struct Maker<'a> {
    tx: &'a rusqlite::Transaction<'a>,
    now: DateTime<FixedOffset>,
}

fn rng_for(id: &str) -> fastrand::Rng {
    fastrand::Rng::with_seed(xxhash_rust::xxh3::xxh3_64(id.as_bytes()))
}

fn derived_id(rng: &mut fastrand::Rng, prefix: &str) -> String {
    format!("{prefix}{}", uuid::Builder::from_random_bytes(rng.u128(..).to_le_bytes()).into_uuid())
}

impl Maker<'_> {
    fn insert(
        &self,
        id: &str,
        kind: EntityKind,
        body: &Value,
        created: &str,
        links: (Option<&str>, Option<&str>),
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT OR IGNORE INTO entities (id, kind, body, created_at, source, destination) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, kind.collection(), body.to_string(), created, links.0, links.1],
        )?;
        Ok(())
    }

    fn exists(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.tx.query_row("SELECT 1 FROM entities WHERE id = ?1", [id], |_| Ok(())).optional()?.is_some())
    }

    fn transaction(&mut self, id: &str, naming: &Naming) -> Result<(), StoreError> {
        let mut rng = rng_for(id);
        let (currency, minor) = naming
            .money
            .clone()
            .unwrap_or_else(|| (CURRENCIES[rng.usize(..CURRENCIES.len())].to_owned(), rng.u64(10_000..50_000_000)));
        let source = naming.balance.clone().unwrap_or_else(|| derived_id(&mut rng, "bln_"));
        let destination = derived_id(&mut rng, "bln_");
        let created = self.now - TimeDelta::minutes(rng.i64(1..30));
        let description = if naming.wire { "Outbound wire" } else { "Transfer" };
        self.record_transaction(id, &mut rng, (&currency, minor), (&source, &destination), created, description)?;
        self.balance(&source, Some(&currency), naming.identity.as_deref(), true)?;
        self.balance(&destination, Some(&currency), None, false)
    }

    #[expect(clippy::cast_precision_loss, reason = "`amount` is Core's float, for show; `precise_amount` is exact")]
    fn record_transaction(
        &self,
        id: &str,
        rng: &mut fastrand::Rng,
        (currency, minor): (&str, u64),
        (source, destination): (&str, &str),
        created: DateTime<FixedOffset>,
        description: &str,
    ) -> Result<(), StoreError> {
        let decimals = usual_decimals(currency);
        let precision = 10_u64.pow(decimals);
        let status = if rng.u8(..8) == 0 { "INFLIGHT" } else { "APPLIED" };
        let at = timestamp(&created);
        let body = json!({
            "transaction_id": id,
            "precise_amount": minor,
            "amount": minor as f64 / precision as f64,
            "precision": precision,
            "currency": currency,
            "source": source,
            "destination": destination,
            "reference": derived_id(&mut rng.fork(), "ref_"),
            "description": description,
            "status": status,
            "parent_transaction": "",
            "allow_overdraft": false,
            "inflight": status == "INFLIGHT",
            "created_at": at,
            "effective_date": at,
            "scheduled_for": "0001-01-01T00:00:00Z",
            "meta_data": { "channel": if rng.bool() { "api" } else { "mobile" } },
        });
        self.insert(id, EntityKind::Transaction, &body, &at, (Some(source), Some(destination)))
    }

    /// A balance; `history`: with a few recent transactions (and their counterparties).
    fn balance(
        &mut self,
        id: &str,
        currency: Option<&str>,
        identity: Option<&str>,
        history: bool,
    ) -> Result<(), StoreError> {
        if self.exists(id)? {
            return Ok(());
        }
        let mut rng = rng_for(id);
        let currency = currency.map_or_else(|| CURRENCIES[rng.usize(..CURRENCIES.len())].to_owned(), str::to_owned);
        let identity = identity.map_or_else(|| derived_id(&mut rng, "idt_"), str::to_owned);
        let debit = rng.u64(0..80_000_000);
        let balance = rng.u64(0..60_000_000);
        let inflight = if rng.u8(..4) == 0 { rng.u64(1..2_000_000) } else { 0 };
        let created = timestamp(&(self.now - TimeDelta::days(rng.i64(30..700))));
        let body = json!({
            "balance_id": id,
            "balance": balance,
            "credit_balance": balance + debit,
            "debit_balance": debit,
            "inflight_balance": inflight,
            "inflight_credit_balance": 0,
            "inflight_debit_balance": inflight,
            "queued_credit_balance": 0,
            "queued_debit_balance": 0,
            "currency": currency,
            "ledger_id": derived_id(&mut rng, "ldg_"),
            "identity_id": identity,
            "created_at": created,
            "meta_data": null,
        });
        self.insert(id, EntityKind::Balance, &body, &created, (Some(&identity), None))?;
        self.identity(&identity)?;
        if history {
            for n in 0..rng.i64(2..=5) {
                let txn = derived_id(&mut rng, "txn_");
                let other = derived_id(&mut rng, "bln_");
                let at = self.now - TimeDelta::hours(6 * n + rng.i64(1..6));
                let minor = rng.u64(5_000..5_000_000);
                let (from, to) = if rng.bool() { (id, other.as_str()) } else { (other.as_str(), id) };
                self.record_transaction(&txn, &mut rng, (&currency, minor), (from, to), at, "Transfer")?;
                self.balance(&other, Some(&currency), None, false)?;
            }
        }
        Ok(())
    }

    fn identity(&self, id: &str) -> Result<(), StoreError> {
        if self.exists(id)? {
            return Ok(());
        }
        let mut rng = rng_for(id);
        let pick = |rng: &mut fastrand::Rng, items: &[&'static str]| items[rng.usize(..items.len())];
        let organisation = rng.u8(..4) == 0;
        let (first, last) = (pick(&mut rng, &FIRST_NAMES), pick(&mut rng, &LAST_NAMES));
        let tokenized = rng.u8(..5) == 0;
        let mut meta = json!({ "customer_id": format!("CUST{:06}", rng.u32(..1_000_000)) });
        if tokenized {
            meta["tokenized_fields"] = json!(["first_name", "last_name", "phone_number"]);
        }
        let token = |rng: &mut fastrand::Rng| format!("tkn_{:016x}", rng.u64(..));
        let created = timestamp(&(self.now - TimeDelta::days(rng.i64(60..900))));
        let body = json!({
            "identity_id": id,
            "identity_type": if organisation { "organization" } else { "individual" },
            "organization_name": if organisation { pick(&mut rng, &ORGANISATIONS) } else { "" },
            "first_name": if tokenized { token(&mut rng) } else { first.to_owned() },
            "last_name": if tokenized { token(&mut rng) } else { last.to_owned() },
            "other_names": "",
            "email_address": format!("{}.{}@example.com", first.to_lowercase(), last.to_lowercase()),
            "phone_number": if tokenized { token(&mut rng) } else { format!("+2348{:09}", rng.u32(..1_000_000_000)) },
            "country": pick(&mut rng, &COUNTRIES),
            "category": if organisation { "business" } else { "customer" },
            "created_at": created,
            "meta_data": meta,
        });
        self.insert(id, EntityKind::Identity, &body, &created, (None, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_sum_of_money_in_a_description_is_read_to_the_cent() {
        assert_eq!(money_in("An outbound wire of ZAR 233,226.34 left."), Some(("ZAR".into(), 23_322_634)));
        assert_eq!(money_in("-USD 9,400.00 then EUR 1.00"), Some(("USD".into(), 940_000)));
        assert_eq!(money_in("nothing here"), None);
    }
}
