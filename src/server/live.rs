//! A demo that lives (`--demo`, `serve --seed demo --live`): every 20 to 60 seconds a new alert
//! arrives, or a colleague moves an alert's status on or retitles it, inside the server, so a
//! newcomer sees the new-alert marker, the bell, snoozes waking and edit conflicts. Each change
//! moves the version, so a conditional GET sees it like any other write.

use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};

use super::alerts::{self, Patch};
use super::body::Field;
use super::store::{Store, StoreError, now};
use super::version::Version;
use super::{seed, statuses};

/// How long between two changes, in seconds: drawn anew each time.
const EVERY_SECS: std::ops::RangeInclusive<u64> = 20..=60;

/// Changes the data now and then, forever (the server aborts it on shutdown).
pub(crate) async fn run(store: Store, version: Arc<Version>) {
    let mut rng = fastrand::Rng::new();
    loop {
        tokio::time::sleep(Duration::from_secs(rng.u64(EVERY_SECS))).await;
        let mut step_rng = rng.fork();
        let changed = store.run(move |conn| step(conn, &mut step_rng)).await;
        match changed {
            Ok(()) => version.bump(),
            Err(e) => tracing::warn!(error = %e, "the live demo could not change the data"),
        }
    }
}

/// One change: mostly a new alert, else a colleague at work on an existing one.
fn step(conn: &mut Connection, rng: &mut fastrand::Rng) -> Result<(), StoreError> {
    let at = now();
    if rng.u8(..10) < 6 {
        alerts::insert(conn, &seed::fresh_alert(rng, at)?)?;
        return Ok(());
    }
    let picked: Option<String> =
        conn.query_row("SELECT anomaly_id FROM alerts ORDER BY random() LIMIT 1", [], |r| r.get(0)).optional()?;
    let Some(id) = picked else { return Ok(()) };
    let patch = if rng.u8(..4) == 0 {
        Patch { title: Field::Value(seed::fresh_title(rng)?), description: None, status: None }
    } else {
        let keys = statuses::keys(conn)?;
        let Some(status) = keys.get(rng.usize(..keys.len().max(1))).cloned() else { return Ok(()) };
        Patch { title: Field::Absent, description: None, status: Some(status) }
    };
    alerts::update(conn, &id, patch, &at)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::Database;

    #[test]
    fn steps_add_alerts_and_change_others() {
        let store = Store::open(&Database::Memory).expect("opens");
        let mut conn = store.lock();
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..40 {
            step(&mut conn, &mut rng).expect("a step");
        }
        let added = alerts::count(&conn).expect("count");
        assert!((15..40).contains(&added), "about six in ten steps add one: {added}");
        let changed: i64 = conn
            .query_row("SELECT COUNT(*) FROM alerts WHERE updated_at <> created_at", [], |r| r.get(0))
            .expect("count");
        assert!(changed > 0, "colleagues were at work");
    }
}
