//! Alert rows: inserting, patching, and writing rows straight out as the contract's JSON.
//! Rows are serialised from borrowed column text, so listing 100,000 alerts copies each once.

use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, OptionalExtension, Row, Statement, params};
use serde::{Serialize, Serializer};

use super::body::Field;
use super::statuses;
use super::store::{StoreError, timestamp};
use crate::domain::Alert;

const COLUMNS: &str = "anomaly_id, title, description, type, assigned_to, escalated_to, status, \
    created_at, updated_at, affected_balances, affected_identities, affected_transactions";

pub(crate) const INSERT: &str = "INSERT INTO alerts (anomaly_id, title, description, type, \
    assigned_to, escalated_to, status, created_at, created_us, updated_at, affected_balances, \
    affected_identities, affected_transactions) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

/// One alert as the contract spells it, borrowed from a row. `assigned_to` is left out when the
/// row has none (the contract allows absent, null and ""; the demo data holds all three kinds).
#[derive(Serialize)]
struct Wire<'r> {
    anomaly_id: &'r str,
    title: Option<&'r str>,
    description: &'r str,
    #[serde(rename = "type")]
    kind: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_to: Option<&'r str>,
    escalated_to: IdList<'r>,
    status: &'r str,
    created_at: &'r str,
    updated_at: &'r str,
    affected_balances: IdList<'r>,
    affected_identities: IdList<'r>,
    affected_transactions: IdList<'r>,
}

/// A JSON array of ids as stored; anything unreadable in the file is served as `[]`.
struct IdList<'r>(&'r str);

impl Serialize for IdList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 == "[]" {
            return s.collect_seq(std::iter::empty::<&str>());
        }
        // Borrowed when the ids hold no escapes (they never should): no copy of each id.
        if let Ok(ids) = serde_json::from_str::<Vec<&str>>(self.0) {
            return s.collect_seq(ids);
        }
        let ids: Vec<String> = serde_json::from_str(self.0).unwrap_or_default();
        s.collect_seq(ids)
    }
}

fn write_row(out: &mut Vec<u8>, row: &Row<'_>) -> Result<(), StoreError> {
    let text = |i: usize| row.get_ref(i).and_then(|v| Ok(v.as_str()?));
    let maybe = |i: usize| row.get_ref(i).and_then(|v| Ok(v.as_str_or_null()?));
    let wire = Wire {
        anomaly_id: text(0)?,
        title: maybe(1)?,
        description: text(2)?,
        kind: text(3)?,
        assigned_to: maybe(4)?,
        escalated_to: IdList(text(5)?),
        status: text(6)?,
        created_at: text(7)?,
        updated_at: text(8)?,
        affected_balances: IdList(text(9)?),
        affected_identities: IdList(text(10)?),
        affected_transactions: IdList(text(11)?),
    };
    serde_json::to_writer(out, &wire)?;
    Ok(())
}

/// Where a listing stands between pages: the last row written, in the listing's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cursor {
    /// Rows in storage order, newest inserted first: read pages in sequence (the usual case).
    BySeq { before: i64 },
    /// Rows through the creation-time index (a clock was stepped back at some point).
    ByCreated { before_us: i64, before_seq: i64 },
}

/// One page of the list: its JSON (what the caller put first, then `lead` and the elements
/// separated by commas when there are any) and where the next page starts, or `None` after the
/// last.
pub(crate) struct Page {
    pub(crate) json: Vec<u8>,
    pub(crate) next: Option<Cursor>,
}

/// Where a newest-created-first listing starts, and how many alerts it will hold.
pub(crate) fn first_cursor(conn: &Connection) -> Result<(Cursor, i64), StoreError> {
    let total = count(conn)?;
    let cursor = if insertion_order_is_creation_order(conn)? {
        Cursor::BySeq { before: i64::MAX }
    } else {
        Cursor::ByCreated { before_us: i64::MAX, before_seq: i64::MAX }
    };
    Ok((cursor, total))
}

/// `first_cursor` for `Store::run`, which hands a mutable connection.
pub(crate) fn first_cursor_of(conn: &mut Connection) -> Result<(Cursor, i64), StoreError> {
    first_cursor(conn)
}

/// Up to `limit` alerts after `cursor`, as JSON. A listing is read page by page, the lock taken
/// for one page at a time, so writes go on while a client downloads a million alerts. Each alert
/// appears once: the order follows columns that an update never changes.
pub(crate) fn list_page(
    conn: &Connection,
    cursor: Cursor,
    limit: usize,
    mut json: Vec<u8>,
    lead: &[u8],
) -> Result<Page, StoreError> {
    let limit_sql = i64::try_from(limit).unwrap_or(i64::MAX);
    let (sql, a, b) = match cursor {
        Cursor::BySeq { before } => (
            format!("SELECT {COLUMNS}, seq, created_us FROM alerts WHERE seq < ?1 ORDER BY seq DESC LIMIT ?3"),
            before,
            0,
        ),
        Cursor::ByCreated { before_us, before_seq } => (
            format!(
                "SELECT {COLUMNS}, seq, created_us FROM alerts WHERE (created_us, seq) < (?1, ?2) \
                 ORDER BY created_us DESC, seq DESC LIMIT ?3"
            ),
            before_us,
            before_seq,
        ),
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![a, b, limit_sql])?;
    // About 600 bytes an alert; a close guess saves the copies of a growing buffer.
    json.reserve(limit.min(100_000) * 640);
    let mut written = 0;
    let mut last = None;
    while let Some(row) = rows.next()? {
        json.extend_from_slice(if written > 0 { b"," } else { lead });
        write_row(&mut json, row)?;
        written += 1;
        last = Some((row.get::<_, i64>(12)?, row.get::<_, i64>(13)?));
    }
    let next = match (last, cursor) {
        (Some((seq, _)), Cursor::BySeq { .. }) if written == limit => Some(Cursor::BySeq { before: seq }),
        (Some((seq, us)), Cursor::ByCreated { .. }) if written == limit => {
            Some(Cursor::ByCreated { before_us: us, before_seq: seq })
        }
        _ => None,
    };
    Ok(Page { json, next })
}

/// Every alert, newest created first, as one JSON array (the whole answer in memory: for tests).
#[cfg(test)]
pub(crate) fn list_json(conn: &Connection) -> Result<Vec<u8>, StoreError> {
    let (mut cursor, _) = first_cursor(conn)?;
    let mut out = b"[".to_vec();
    loop {
        let lead: &[u8] = if out.len() > 1 { b"," } else { b"" };
        let page = list_page(conn, cursor, 3, Vec::new(), lead)?;
        out.extend_from_slice(&page.json);
        match page.next {
            Some(next) => cursor = next,
            None => break,
        }
    }
    out.push(b']');
    Ok(out)
}

/// Whether reading rows in storage order gives newest created first. It nearly always does: the
/// server stamps `created_at` as it inserts and seeds insert oldest first; only a clock stepped
/// back breaks it. Storage order reads pages in sequence instead of looking up every row through
/// the index, which halves the time to list 100,000 alerts. The check reads the index alone.
fn insertion_order_is_creation_order(conn: &Connection) -> Result<bool, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT seq FROM alerts ORDER BY created_us DESC, seq DESC")?;
    let mut rows = stmt.query([])?;
    let mut previous = i64::MAX;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        if seq > previous {
            return Ok(false);
        }
        previous = seq;
    }
    Ok(true)
}

/// One alert's JSON, or `None` when there is no such alert.
pub(crate) fn get_json(conn: &Connection, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM alerts WHERE anomaly_id = ?1"))?;
    let mut rows = stmt.query([id])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(1024);
    write_row(&mut out, row)?;
    Ok(Some(out))
}

/// Inserts an alert through a prepared `INSERT` (seeding reuses one statement for all rows).
pub(crate) fn insert_with(stmt: &mut Statement<'_>, alert: &Alert) -> Result<(), StoreError> {
    let list = |ids: &Vec<String>| serde_json::to_string(ids);
    stmt.execute(params![
        alert.anomaly_id.as_str(),
        alert.title,
        alert.description,
        alert.kind.to_string(),
        alert.assigned_to,
        list(&alert.escalated_to)?,
        alert.status.as_str(),
        timestamp(&alert.created_at),
        alert.created_at.timestamp_micros(),
        timestamp(&alert.updated_at),
        list(&alert.affected_balances)?,
        list(&alert.affected_identities)?,
        list(&alert.affected_transactions)?,
    ])?;
    Ok(())
}

/// Inserts a new alert and answers its JSON as stored.
pub(crate) fn insert(conn: &Connection, alert: &Alert) -> Result<Vec<u8>, StoreError> {
    let mut stmt = conn.prepare_cached(INSERT)?;
    insert_with(&mut stmt, alert)?;
    get_json(conn, alert.anomaly_id.as_str())?
        .ok_or_else(|| StoreError::Internal(format!("alert {} vanished", alert.anomaly_id)))
}

/// The fields a `PUT /alerts/flag/{id}` may change; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub(crate) struct Patch {
    /// `Null` clears the title.
    pub(crate) title: Field<String>,
    pub(crate) description: Option<String>,
    /// As sent: matched case-insensitively against the existing statuses here.
    pub(crate) status: Option<String>,
}

impl Patch {
    fn is_empty(&self) -> bool {
        self.title == Field::Absent && self.description.is_none() && self.status.is_none()
    }
}

/// Applies `patch` to alert `id` and answers the alert's JSON; an empty patch changes nothing.
pub(crate) fn update(
    conn: &mut Connection,
    id: &str,
    patch: Patch,
    at: &DateTime<FixedOffset>,
) -> Result<Vec<u8>, StoreError> {
    let tx = conn.transaction()?;
    let exists = tx
        .prepare_cached("SELECT 1 FROM alerts WHERE anomaly_id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some();
    if !exists {
        return Err(not_found(id));
    }
    let status = match &patch.status {
        None => None,
        Some(raw) => Some(statuses::find_key(&tx, raw)?.ok_or_else(|| unknown_status(&tx, raw))?),
    };
    if !patch.is_empty() {
        let (set_title, title) = match patch.title {
            Field::Absent => (false, None),
            Field::Null => (true, None),
            Field::Value(title) => (true, Some(title)),
        };
        tx.prepare_cached(
            "UPDATE alerts SET title = CASE WHEN ?2 THEN ?3 ELSE title END,
                 description = COALESCE(?4, description), status = COALESCE(?5, status), updated_at = ?6
             WHERE anomaly_id = ?1",
        )?
        .execute(params![id, set_title, title, patch.description, status, timestamp(at)])?;
    }
    let json = get_json(&tx, id)?.ok_or_else(|| not_found(id))?;
    tx.commit()?;
    Ok(json)
}

fn unknown_status(conn: &Connection, raw: &str) -> StoreError {
    match statuses::keys(conn) {
        Ok(keys) => {
            StoreError::Invalid(format!("unknown status {}: use one of {}", super::errors::quote(raw), keys.join(", ")))
        }
        Err(e) => e,
    }
}

pub(crate) fn not_found(id: &str) -> StoreError {
    StoreError::NotFound(format!("alert {} not found", super::errors::quote(id)))
}

/// How many alerts there are (seeding happens only into an empty table).
pub(crate) fn count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT COUNT(*) FROM alerts", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::domain::{AlertId, EntityKind, StatusKey};
    use crate::server::{Database, store::Store};

    fn alert(title: &str, created_at: DateTime<FixedOffset>) -> Alert {
        Alert {
            anomaly_id: AlertId::generate(),
            title: Some(title.to_owned()),
            description: "d".to_owned(),
            kind: EntityKind::Balance.into(),
            assigned_to: None,
            escalated_to: vec!["user_01K4EX0BRXHNNGCRVT2TPNK07W".to_owned()],
            status: StatusKey::flagged(),
            created_at,
            updated_at: created_at,
            affected_balances: vec!["bln_20f02af6-3728-4d37-9b5a-c7ed080f09df".to_owned()],
            affected_identities: Vec::new(),
            affected_transactions: Vec::new(),
        }
    }

    fn titles(conn: &Connection) -> Vec<String> {
        let json = list_json(conn).expect("lists");
        let alerts: Vec<Alert> = serde_json::from_slice(&json).expect("decodes");
        alerts.into_iter().filter_map(|a| a.title).collect()
    }

    #[test]
    fn newest_created_first_even_when_inserted_out_of_order() {
        let store = Store::open(&Database::Memory).expect("opens");
        let conn = store.lock();
        let now = crate::server::store::now();
        for (title, minutes_ago) in [("b", 20), ("c", 10), ("d", 5)] {
            insert(&conn, &alert(title, now - TimeDelta::minutes(minutes_ago))).expect("inserts");
        }
        assert!(insertion_order_is_creation_order(&conn).expect("checks"));
        assert_eq!(titles(&conn), ["d", "c", "b"]);
        // A clock stepped back: inserted last but created earliest.
        insert(&conn, &alert("a", now - TimeDelta::minutes(30))).expect("inserts");
        assert!(!insertion_order_is_creation_order(&conn).expect("checks"));
        assert_eq!(titles(&conn), ["d", "c", "b", "a"]);
    }

    #[test]
    fn unreadable_id_lists_are_served_empty() {
        let store = Store::open(&Database::Memory).expect("opens");
        let conn = store.lock();
        let a = alert("x", crate::server::store::now());
        insert(&conn, &a).expect("inserts");
        conn.execute("UPDATE alerts SET escalated_to = 'not json'", []).expect("corrupts");
        let json = get_json(&conn, a.anomaly_id.as_str()).expect("reads").expect("exists");
        let value: serde_json::Value = serde_json::from_slice(&json).expect("still JSON");
        assert_eq!(value["escalated_to"], serde_json::json!([]));
        assert!(value.get("assigned_to").is_none(), "absent when the row has none");
    }
}
