//! Seed data for an empty database: the demo's 200 realistic alerts and N synthetic ones, both
//! filled from the templates in `assets/demo-alerts.json` by a fixed-seed generator (so the data
//! has the same shape every run), with times relative to now. Each seed is one transaction.

use chrono::{DateTime, FixedOffset, TimeDelta};
use rusqlite::Connection;
use serde::Deserialize;

use super::store::{Store, StoreError, now, timestamp};
use super::{Database, Seed, ServerError, alerts, statuses};
use crate::domain::{Alert, AlertId, EntityKind, StatusKey};

const DEMO_JSON: &str = include_str!("../../assets/demo-alerts.json");
const DEMO_ALERTS: usize = 200;
const DEMO_SEED: u64 = 0x0B1A_4C5E_ED00_2026;
const DEMO_SPAN_MINUTES: i64 = 14 * 24 * 60;
const SYNTHETIC_SEED: u64 = 0x5EED_0000_0100_0000;
const SYNTHETIC_SPAN_MINUTES: i64 = 90 * 24 * 60;

#[derive(Deserialize)]
struct DemoData {
    statuses: Vec<DemoStatus>,
    assignees: Vec<String>,
    escalation_users: Vec<String>,
    countries: Vec<String>,
    currencies: Vec<String>,
    templates: Vec<Template>,
}

#[derive(Deserialize)]
struct DemoStatus {
    key: String,
    name: String,
    colour: String,
}

#[derive(Deserialize)]
struct Template {
    #[serde(rename = "type")]
    kind: String,
    weight: u32,
    title: String,
    description: String,
    #[serde(default)]
    also: Vec<String>,
}

/// Seeds the database unless it already holds alerts. Blocking: call off the runtime.
pub(crate) fn apply(store: &Store, seed: Seed, database: &Database) -> Result<(), ServerError> {
    let fail = |e: StoreError| ServerError(format!("cannot seed database {}: {e}", database.describe()));
    let mut conn = store.lock();
    if alerts::count(&conn).map_err(fail)? > 0 {
        return Ok(());
    }
    let (count, rng_seed, span) = match seed {
        Seed::Demo => (DEMO_ALERTS, DEMO_SEED, DEMO_SPAN_MINUTES),
        Seed::Synthetic(n) => (n, SYNTHETIC_SEED, SYNTHETIC_SPAN_MINUTES),
    };
    generate(&mut conn, count, &mut fastrand::Rng::with_seed(rng_seed), span, now()).map_err(fail)
}

fn generate(
    conn: &mut Connection,
    count: usize,
    rng: &mut fastrand::Rng,
    span_minutes: i64,
    now: DateTime<FixedOffset>,
) -> Result<(), StoreError> {
    let data: DemoData = serde_json::from_str(DEMO_JSON)?;
    let tx = conn.transaction()?;
    let long_ago = timestamp(&(now - TimeDelta::days(30)));
    for s in &data.statuses {
        statuses::insert_if_missing(&tx, &s.key, &s.name, &s.colour, &long_ago)?;
    }
    // The smaller of two uniform draws: recent alerts are denser, as in a live queue. Oldest
    // first, so that insertion order is creation order, as it is for alerts flagged later.
    let span = span_minutes * 60_000_000;
    let mut ages: Vec<i64> = (0..count).map(|_| rng.i64(0..span).min(rng.i64(0..span))).collect();
    ages.sort_unstable_by(|a, b| b.cmp(a));
    // Secondary indexes are built once after the rows go in: a sort instead of a million
    // random insertions into two trees.
    tx.execute_batch("DROP INDEX IF EXISTS alerts_newest_first; DROP INDEX IF EXISTS alerts_by_status;")?;
    {
        let mut insert = tx.prepare(alerts::INSERT)?;
        for age in ages {
            alerts::insert_with(&mut insert, &alert(rng, &data, TimeDelta::microseconds(age), now))?;
        }
    }
    tx.execute_batch(super::store::INDEXES)?;
    tx.commit()?;
    Ok(())
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

fn pick_weighted<'a, T>(rng: &mut fastrand::Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut roll = rng.u32(..total.max(1));
    for item in items {
        if roll < weight(item) {
            return item;
        }
        roll -= weight(item);
    }
    &items[items.len() - 1]
}

/// Younger alerts are mostly new; older ones mostly settled.
fn status(rng: &mut fastrand::Rng, age_minutes: i64) -> &'static str {
    let weights: &[(&'static str, u32)] = if age_minutes < 6 * 60 {
        &[("FLAGGED", 70), ("INVESTIGATING", 20), ("PENDING_REVIEW", 5), ("ESCALATED", 5)]
    } else if age_minutes < 3 * 24 * 60 {
        &[
            ("FLAGGED", 30),
            ("INVESTIGATING", 35),
            ("PENDING_REVIEW", 10),
            ("ESCALATED", 10),
            ("RESOLVED", 10),
            ("FALSE_POSITIVE", 5),
        ]
    } else {
        &[
            ("FLAGGED", 10),
            ("INVESTIGATING", 15),
            ("PENDING_REVIEW", 5),
            ("ESCALATED", 5),
            ("RESOLVED", 50),
            ("FALSE_POSITIVE", 15),
        ]
    };
    pick_weighted(rng, weights, |(_, w)| *w).0
}

fn entity_id(rng: &mut fastrand::Rng, kind: EntityKind) -> String {
    let uuid = uuid::Builder::from_random_bytes(rng.u128(..).to_le_bytes()).into_uuid();
    // One balance in forty carries the legacy prefix of an older version of the docs.
    let prefix = if kind == EntityKind::Balance && rng.u8(..40) == 0 { "bal_" } else { kind.prefix() };
    format!("{prefix}{uuid}")
}

/// The demo's templates, read once for the live demo's changes (a step every 20-60 s).
fn demo_data() -> Result<&'static DemoData, StoreError> {
    static DATA: std::sync::OnceLock<Result<DemoData, String>> = std::sync::OnceLock::new();
    DATA.get_or_init(|| serde_json::from_str(DEMO_JSON).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| StoreError::Internal(format!("the demo templates do not parse: {e}")))
}

/// A new alert, just flagged, like the demo's (the live demo's arrivals).
pub(crate) fn fresh_alert(rng: &mut fastrand::Rng, now: DateTime<FixedOffset>) -> Result<Alert, StoreError> {
    let mut alert = alert(rng, demo_data()?, TimeDelta::zero(), now);
    alert.updated_at = alert.created_at;
    Ok(alert)
}

/// One of the demo's titles (a colleague retitling an alert).
pub(crate) fn fresh_title(rng: &mut fastrand::Rng) -> Result<String, StoreError> {
    Ok(pick(rng, &demo_data()?.templates).title.clone())
}

/// An alert created `age` before `now`.
fn alert(rng: &mut fastrand::Rng, data: &DemoData, age: TimeDelta, now: DateTime<FixedOffset>) -> Alert {
    let template = pick_weighted(rng, &data.templates, |t| t.weight);
    let kind = template.kind.parse().unwrap_or(EntityKind::Transaction);
    let created = now - age;
    let age = age.num_minutes();
    let status = status(rng, age);
    let updated = if status == "FLAGGED" && rng.u8(..10) < 6 {
        created
    } else {
        let since = rng.i64(1..=age.clamp(1, 3 * 24 * 60));
        (created + TimeDelta::minutes(since) + TimeDelta::microseconds(rng.i64(0..60_000_000))).min(now)
    };
    let escalations = match status {
        "ESCALATED" => rng.usize(1..=2),
        "INVESTIGATING" if rng.u8(..5) == 0 => 1,
        _ if rng.u8(..20) == 0 => 1,
        _ => 0,
    };
    let assigned_to = match rng.u8(..100) {
        0..8 => None,
        8..14 => Some(String::new()),
        _ => Some(pick(rng, &data.assignees).clone()),
    };
    let uuid = uuid::Builder::from_random_bytes(rng.u128(..).to_le_bytes()).into_uuid();
    let mut alert = Alert {
        anomaly_id: format!("ano_{uuid}").parse().unwrap_or_else(|_| AlertId::generate()),
        title: (rng.u8(..25) != 0).then(|| template.title.clone()),
        description: fill(rng, data, &template.description),
        kind: kind.into(),
        assigned_to,
        escalated_to: (0..escalations).map(|_| pick(rng, &data.escalation_users).clone()).collect(),
        status: status.parse().unwrap_or_else(|_| StatusKey::flagged()),
        created_at: created,
        updated_at: updated.max(created),
        affected_balances: Vec::new(),
        affected_identities: Vec::new(),
        affected_transactions: Vec::new(),
    };
    let extra = template.also.iter().filter_map(|k| k.parse().ok());
    for kind in std::iter::once(kind).chain(extra) {
        let id = entity_id(rng, kind);
        match kind {
            EntityKind::Balance => alert.affected_balances.push(id),
            EntityKind::Transaction => alert.affected_transactions.push(id),
            EntityKind::Identity => alert.affected_identities.push(id),
        }
    }
    alert
}

/// Fills a template's placeholders; one currency per alert.
fn fill(rng: &mut fastrand::Rng, data: &DemoData, template: &str) -> String {
    let currency = pick(rng, &data.currencies);
    let money = |cents: u64| {
        let grouped = crate::domain::group_thousands(&(cents / 100).to_string());
        format!("{currency} {grouped}.{:02}", cents % 100)
    };
    let mut text = template.to_owned();
    let values = [
        ("{amount}", money(rng.u64(100_000..50_000_000))),
        ("{under_threshold}", money(rng.u64(9_400..9_990) * 100)),
        ("{small}", money(rng.u64(100..500))),
        ("{count}", rng.u32(3..=40).to_string()),
        ("{minutes}", rng.u32(3..=59).to_string()),
        ("{hours}", rng.u32(2..=48).to_string()),
        ("{days}", rng.u32(7..=400).to_string()),
        ("{percent}", rng.u32(12..=98).to_string()),
        ("{country}", pick(rng, &data.countries).clone()),
        ("{currency}", currency.clone()),
    ];
    for (placeholder, value) in values {
        if text.contains(placeholder) {
            text = text.replace(placeholder, &value);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_asset_is_complete() {
        let data: DemoData = serde_json::from_str(DEMO_JSON).expect("demo asset parses");
        assert!(data.templates.len() >= 12);
        for t in &data.templates {
            assert!(t.kind.parse::<EntityKind>().is_ok(), "{}", t.kind);
            assert!(t.also.iter().all(|k| k.parse::<EntityKind>().is_ok()), "{}", t.title);
            assert!(t.weight > 0);
        }
        for s in &data.statuses {
            assert!(crate::domain::ALLOWED_COLOURS.contains(&s.colour.as_str()), "{}", s.key);
            assert_eq!(StatusKey::from_name(&s.name).expect("valid").as_str(), s.key);
        }
    }

    #[test]
    fn generated_alerts_are_consistent() {
        let data: DemoData = serde_json::from_str(DEMO_JSON).expect("demo asset parses");
        let now = chrono::Local::now().fixed_offset();
        let mut rng = fastrand::Rng::with_seed(DEMO_SEED);
        for _ in 0..2000 {
            let age = TimeDelta::minutes(rng.i64(0..DEMO_SPAN_MINUTES));
            let a = alert(&mut rng, &data, age, now);
            assert!(a.created_at <= a.updated_at && a.updated_at <= now, "{a:?}");
            assert!(now - a.created_at <= TimeDelta::days(14) + TimeDelta::minutes(1));
            assert!(!a.description.contains('{'), "unfilled: {}", a.description);
            assert!(a.entity().is_some_and(|e| e.parse::<crate::domain::EntityId>().is_ok()));
            assert!(a.escalated_to.iter().all(|u| u.len() == 31 && u.starts_with("user_")));
            assert!(a.anomaly_id.as_str().parse::<AlertId>().is_ok());
        }
    }

    #[test]
    fn money_is_grouped() {
        let data: DemoData = serde_json::from_str(DEMO_JSON).expect("demo asset parses");
        let mut rng = fastrand::Rng::with_seed(1);
        let text = fill(&mut rng, &data, "{under_threshold}");
        assert!(text.ends_with(".00") && text.contains(" 9,"), "{text}");
    }
}
