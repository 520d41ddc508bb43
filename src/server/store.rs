//! The `SQLite` store: opening a database, its pragmas and schema, and the bridge that runs queries
//! on tokio's blocking pool. The queries themselves live in `alerts` and `statuses`; nothing here
//! knows about HTTP.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use rusqlite::Connection;

use super::{Database, ServerError};

/// The schema version this code writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

const SCHEMA_V1: &str = "
CREATE TABLE statuses (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    key             TEXT NOT NULL UNIQUE,
    organization_id TEXT NOT NULL,
    name            TEXT NOT NULL,
    colour          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE TABLE alerts (
    seq                   INTEGER PRIMARY KEY AUTOINCREMENT,
    anomaly_id            TEXT NOT NULL UNIQUE,
    title                 TEXT,
    description           TEXT NOT NULL,
    type                  TEXT NOT NULL,
    assigned_to           TEXT,
    escalated_to          TEXT NOT NULL DEFAULT '[]',
    status                TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    created_us            INTEGER NOT NULL,
    updated_at            TEXT NOT NULL,
    affected_balances     TEXT NOT NULL DEFAULT '[]',
    affected_identities   TEXT NOT NULL DEFAULT '[]',
    affected_transactions TEXT NOT NULL DEFAULT '[]'
);
";

/// The alerts' secondary indexes (seeding drops them and builds them again after its rows).
pub(crate) const INDEXES: &str = "
CREATE INDEX IF NOT EXISTS alerts_newest_first ON alerts (created_us DESC, seq DESC);
CREATE INDEX IF NOT EXISTS alerts_by_status ON alerts (status);
";

/// The organisation every status of this server belongs to.
pub(crate) const ORGANIZATION_ID: &str = "org_local";

/// A failed store operation; `errors` turns each kind into an HTTP answer.
#[derive(Debug)]
pub(crate) enum StoreError {
    NotFound(String),
    Invalid(String),
    Conflict(String),
    Db(rusqlite::Error),
    Internal(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotFound(m) | Self::Invalid(m) | Self::Conflict(m) | Self::Internal(m) => f.write_str(m),
            Self::Db(e) => write!(f, "database error: {e}"),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Db(e)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        Self::Internal(format!("cannot encode JSON: {e}"))
    }
}

/// One connection shared by all requests. `SQLite` serialises writers anyway, and one connection
/// is what an in-memory database allows; queries are short, and the longest (listing every alert)
/// streams rows straight into the answer's bytes.
#[derive(Clone)]
pub(crate) struct Store {
    conn: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (creating when missing) and migrates the database. Blocking: call off the runtime.
    pub(crate) fn open(database: &Database) -> Result<Self, ServerError> {
        let fail =
            |e: &dyn std::fmt::Display| ServerError(format!("cannot open database {}: {e}", database.describe()));
        let conn = match database {
            Database::Memory => Connection::open_in_memory(),
            Database::File(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
                }
                Connection::open(path)
            }
        };
        let mut conn = conn.map_err(|e| fail(&e))?;
        configure(&conn, database).map_err(|e| fail(&e))?;
        migrate(&mut conn).map_err(|e| fail(&e))?;
        // Added after schema version 1, and made the same way in a file of any age.
        conn.execute_batch(super::entities::SCHEMA).map_err(|e| fail(&e))?;
        Ok(Self { conn: Arc::new(Mutex::new(conn)) })
    }

    /// The connection, for code already on a blocking thread (startup, seeding).
    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held rolled back its transaction; the connection is fine.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the connection on tokio's blocking pool.
    pub(crate) async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || f(&mut store.lock()))
            .await
            .map_err(|e| StoreError::Internal(format!("database task failed: {e}")))?
    }
}

fn configure(conn: &Connection, database: &Database) -> Result<(), String> {
    let sql = |e: rusqlite::Error| e.to_string();
    conn.busy_timeout(Duration::from_secs(5)).map_err(sql)?;
    if let Database::File(_) = database {
        // WAL + NORMAL: a commit is in the WAL before it is acknowledged, so it survives the process
        // being killed (only a power loss can take the last commits).
        let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)).map_err(sql)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(format!("cannot switch to WAL journal mode (it stays {mode})"));
        }
        // 64 MiB of page cache (the default is 2 MiB): 100,000 alerts fit in it.
        conn.pragma_update(None, "cache_size", -65_536).map_err(sql)?;
    }
    conn.pragma_update(None, "synchronous", "NORMAL").map_err(sql)?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    // Immediate: two servers starting on one new file take turns, and the second sees version 1.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(MigrateError::Newer(version));
    }
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    tx.execute_batch(SCHEMA_V1)?;
    tx.execute_batch(INDEXES)?;
    let now = timestamp(&now());
    for (key, name, colour) in [
        ("FLAGGED", "Flagged", "#EF4444"),
        ("INVESTIGATING", "Investigating", "#F59E0B"),
        ("RESOLVED", "Resolved", "#10B981"),
    ] {
        super::statuses::insert_if_missing(&tx, key, name, colour, &now)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

#[derive(Debug)]
enum MigrateError {
    Db(rusqlite::Error),
    Newer(i64),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Db(e)
    }
}

impl std::fmt::Display for MigrateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Db(e) => write!(f, "{e}"),
            Self::Newer(v) => {
                write!(f, "its schema version {v} is newer than this program's ({SCHEMA_VERSION}); upgrade blnk-alerts")
            }
        }
    }
}

/// The current time with the local offset, as the server stamps alerts and statuses.
pub(crate) fn now() -> DateTime<FixedOffset> {
    chrono::Local::now().fixed_offset()
}

/// The stored and served text of a timestamp: RFC 3339, microseconds, numeric offset.
pub(crate) fn timestamp(at: &DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, false)
}
