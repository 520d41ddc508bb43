//! Status rows: listing, creating, renaming and deleting an organisation's statuses, and the
//! checks that need the database (unknown key, duplicate key, status still in use).

use chrono::DateTime;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::store::{ORGANIZATION_ID, StoreError, now, timestamp};
use crate::domain::{ALLOWED_COLOURS, Status, StatusKey};

const SELECT: &str = "SELECT organization_id, key, name, colour, created_at, updated_at FROM statuses";
/// Built-ins first (in their fixed order), then the organisation's own by creation.
const ORDER: &str = "ORDER BY CASE key WHEN 'FLAGGED' THEN 0 WHEN 'INVESTIGATING' THEN 1
    WHEN 'RESOLVED' THEN 2 ELSE 3 END, seq";

/// The allowed colour matching `colour` case-insensitively, in its canonical upper case.
pub(crate) fn allowed_colour(colour: &str) -> Result<&'static str, StoreError> {
    let colour = colour.trim();
    ALLOWED_COLOURS.into_iter().find(|c| c.eq_ignore_ascii_case(colour)).ok_or_else(|| {
        StoreError::Invalid(format!("colour {colour:?} is not allowed: use one of {}", ALLOWED_COLOURS.join(", ")))
    })
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Status> {
    let time = |i: usize| -> rusqlite::Result<_> {
        Ok(row.get_ref(i)?.as_str_or_null()?.and_then(|t| DateTime::parse_from_rfc3339(t).ok()))
    };
    Ok(Status {
        organization_id: row.get(0)?,
        key: row
            .get_ref(1)?
            .as_str()?
            .parse()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e)))?,
        name: row.get(2)?,
        colour: row.get(3)?,
        created_at: time(4)?,
        updated_at: time(5)?,
    })
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<Status>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} {ORDER}"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn get(conn: &Connection, key: &str) -> Result<Option<Status>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE key = ?1"))?;
    Ok(stmt.query_row([key], from_row).optional()?)
}

/// The key as stored, when `raw` names an existing status (in any case).
pub(crate) fn find_key(conn: &Connection, raw: &str) -> Result<Option<String>, StoreError> {
    let Ok(key) = raw.parse::<StatusKey>() else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached("SELECT key FROM statuses WHERE key = ?1")?;
    Ok(stmt.query_row([key.as_str()], |r| r.get(0)).optional()?)
}

/// Every key, built-ins first, for error messages that say what would be accepted.
pub(crate) fn keys(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT key FROM statuses {ORDER}"))?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inserts a status unless its key exists; for the built-ins and the demo's own statuses.
pub(crate) fn insert_if_missing(
    conn: &Connection,
    key: &str,
    name: &str,
    colour: &str,
    at: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO statuses (key, organization_id, name, colour, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![key, ORGANIZATION_ID, name, colour, at],
    )?;
    Ok(())
}

pub(crate) fn create(conn: &Connection, key: &StatusKey, name: &str, colour: &str) -> Result<Status, StoreError> {
    if get(conn, key.as_str())?.is_some() {
        return Err(StoreError::Conflict(format!("status {key} already exists")));
    }
    insert_if_missing(conn, key.as_str(), name, colour, &timestamp(&now()))?;
    get(conn, key.as_str())?.ok_or_else(|| StoreError::Internal(format!("status {key} vanished")))
}

pub(crate) fn update(
    conn: &Connection,
    raw_key: &str,
    name: Option<&str>,
    colour: Option<&str>,
) -> Result<Status, StoreError> {
    let key = find_key(conn, raw_key)?.ok_or_else(|| not_found(raw_key))?;
    conn.execute(
        "UPDATE statuses SET name = COALESCE(?2, name), colour = COALESCE(?3, colour), updated_at = ?4
         WHERE key = ?1",
        params![key, name, colour, timestamp(&now())],
    )?;
    get(conn, &key)?.ok_or_else(|| not_found(raw_key))
}

pub(crate) fn delete(conn: &mut Connection, raw_key: &str) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    let key = find_key(&tx, raw_key)?.ok_or_else(|| not_found(raw_key))?;
    if StatusKey::BUILT_IN.contains(&key.as_str()) {
        return Err(StoreError::Invalid(format!("status {key} is built in and cannot be deleted")));
    }
    let used: i64 = tx.query_row("SELECT COUNT(*) FROM alerts WHERE status = ?1", [&key], |r| r.get(0))?;
    if used > 0 {
        let alerts = if used == 1 { "alert" } else { "alerts" };
        return Err(StoreError::Conflict(format!("status {key} is in use by {used} {alerts}")));
    }
    tx.execute("DELETE FROM statuses WHERE key = ?1", [&key])?;
    tx.commit()?;
    Ok(())
}

fn not_found(raw_key: &str) -> StoreError {
    StoreError::NotFound(format!("status {} not found", super::errors::quote(raw_key)))
}
