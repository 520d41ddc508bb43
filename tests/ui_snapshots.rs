//! Snapshots of whole dashboard screens (`TestBackend` + insta), plus the view's guarantees:
//! no panic at any size or with hostile content, no control character drawn, bounded frames.

use std::time::Duration;

use blnk_alerts::api::ApiError;
use blnk_alerts::app::{Access, App, Cadence, Cmd, Msg, Settings};
use blnk_alerts::domain::{Alert, StatusList};
use blnk_alerts::ui::{self, ViewState};
use chrono::{DateTime, FixedOffset, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

const NOW: &str = "2026-01-15T12:00:00Z";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW).expect("valid").to_utc()
}

fn uuid(n: usize) -> String {
    format!("{n:08x}-3728-4d37-9b5a-c7ed080f09df")
}

/// (title, status, type, assigned to, minutes before now created, minutes updated after, description)
type Row = (&'static str, &'static str, &'static str, Option<&'static str>, i64, i64, &'static str);

const FIXTURE: [Row; 15] = [
    (
        "Velocity spike on payout balance",
        "FLAGGED",
        "Balance",
        Some("Ada Okafor"),
        3,
        0,
        "42 payouts in 10 minutes.\nUsual rate: 3 an hour.\n\nCheck the merchant's settlement schedule before escalating.",
    ),
    (
        "Identity matched a sanctions list",
        "INVESTIGATING",
        "Identity",
        Some("jerrys enebeli"),
        25,
        10,
        "Name and date of birth match an OFAC SDN entry.",
    ),
    ("Round-amount structuring", "FLAGGED", "Transaction", None, 48, 0, "Nine transfers of 9,900 USD within a day."),
    (
        "Dormant account reactivated",
        "RESOLVED",
        "Balance",
        Some("Tomás Díaz"),
        95,
        30,
        "Customer confirmed travel; documents on file.",
    ),
    (
        "Card testing pattern",
        "PENDING_REVIEW",
        "Transaction",
        Some("Ada Okafor"),
        130,
        5,
        "Many 1 USD authorisations from one device.",
    ),
    (
        "Mismatched KYC address",
        "INVESTIGATING",
        "Identity",
        None,
        200,
        60,
        "Utility bill address differs from the application.",
    ),
    (
        "Chargeback ratio above 2%",
        "FLAGGED",
        "Balance",
        Some("Li Wei"),
        320,
        0,
        "Merchant chargebacks rose from 0.4% to 2.3% this week.",
    ),
    (
        "Rapid movement through mule account",
        "ESCALATED",
        "Transaction",
        Some("Compliance team"),
        600,
        120,
        "Funds in and out within 4 minutes, 6 hops.",
    ),
    (
        "Duplicate identity documents",
        "RESOLVED",
        "Identity",
        Some("Li Wei"),
        900,
        45,
        "Same passport number on two identities; one closed.",
    ),
    ("Overdraft limit breached", "FLAGGED", "Balance", None, 1_440, 0, "Balance went below the allowed overdraft."),
    (
        "High-risk country transfer",
        "INVESTIGATING",
        "Transaction",
        Some("Tomás Díaz"),
        2_000,
        300,
        "Wire to a high-risk jurisdiction above 50,000 EUR.",
    ),
    (
        "Unusual login before transfer",
        "FLAGGED",
        "Identity",
        Some("Ada Okafor"),
        2_900,
        0,
        "New device and country, then a large transfer.",
    ),
    ("Split payment below threshold", "RESOLVED", "Transaction", None, 4_300, 600, "False positive: payroll batch."),
    (
        "Negative balance on wallet",
        "PENDING_REVIEW",
        "Balance",
        Some("Li Wei"),
        7_200,
        20,
        "Ledger reconciliation pending.",
    ),
    (
        "Refund larger than purchase",
        "FLAGGED",
        "Transaction",
        Some("Compliance team"),
        10_080,
        0,
        "Refund of 1,200 USD against a 120 USD purchase.",
    ),
];

fn alert_json(n: usize, row: Row) -> serde_json::Value {
    let (title, status, kind, assigned, age, updated_after, description) = row;
    let created = now() - chrono::Duration::minutes(age);
    let updated = created + chrono::Duration::minutes(updated_after);
    let entity = |prefix: &str| vec![format!("{prefix}{}", uuid(n))];
    let none: Vec<String> = Vec::new();
    json!({
        "anomaly_id": format!("ano_{}", uuid(n)), "title": title, "description": description, "type": kind,
        "assigned_to": assigned, "escalated_to": if n % 4 == 1 { vec!["user_01K4EX0BRXHNNGCRVT2TPNK07W"] } else { vec![] },
        "status": status, "created_at": created.to_rfc3339(), "updated_at": updated.to_rfc3339(),
        "affected_balances": if kind == "Balance" { entity("bln_") } else { none.clone() },
        "affected_identities": if kind == "Identity" { entity("idt_") } else { none.clone() },
        "affected_transactions": if kind == "Transaction" { entity("txn_") } else { none },
    })
}

fn fixture() -> Vec<Alert> {
    FIXTURE
        .iter()
        .enumerate()
        .map(|(n, row)| serde_json::from_value::<Alert>(alert_json(n + 1, *row)).expect("fixture decodes").sanitized())
        .collect()
}

fn statuses() -> StatusList {
    let list = json!({"data": [
        {"key": "PENDING_REVIEW", "name": "Pending Review", "colour": "#8B5CF6"},
        {"key": "ESCALATED", "name": "Escalated", "colour": "not a colour"},
    ], "allowed_colours": []});
    serde_json::from_value::<StatusList>(list).expect("statuses decode").with_built_ins()
}

/// A started app that has its statuses but no alerts yet.
fn started(access: Access) -> App {
    let utc_offset = FixedOffset::east_opt(0).expect("valid offset");
    let settings = Settings {
        access,
        cadence: Cadence::Adaptive(Duration::from_secs(5)),
        bell: false,
        source: "DEMO".into(),
        profile: None,
        me: vec!["ada okafor".into()],
        utc_offset,
        keymap: blnk_alerts::keymap::Keymap::default(),
        theme: blnk_alerts::theme::Theme::default(),
        notify: false,
        notify_filter: None,
        views: Vec::new(),
        web_url: None,
        instance_id: None,
    };
    let mut app = App::new(settings, now());
    app.init();
    app.update(Msg::StatusesLoaded(Ok(statuses())));
    app
}

fn loaded_with(access: Access, alerts: Vec<Alert>) -> App {
    let mut app = started(access);
    app.update(Msg::AlertsLoaded { generation: 1, result: Ok(alerts) });
    app
}

fn loaded(access: Access) -> App {
    loaded_with(access, fixture())
}

fn press(app: &mut App, code: KeyCode) -> Vec<Cmd> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(app: &mut App, c: char) -> Vec<Cmd> {
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Starts a refresh with `r` and answers it with `result`.
fn refresh(app: &mut App, result: Result<Vec<Alert>, ApiError>) {
    let generation = press(app, KeyCode::Char('r'))
        .into_iter()
        .find_map(|c| match c {
            Cmd::FetchAlerts { generation, .. } => Some(generation),
            _ => None,
        })
        .expect("a fetch starts");
    app.update(Msg::AlertsLoaded { generation, result });
}

fn terminal(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    let mut view = ViewState::default();
    terminal.draw(|f| ui::draw(f, app, &mut view)).expect("draws");
    terminal
}

/// Snapshots the whole screen of `app` at `width` x `height` as `tests/snapshots/ui_snapshots__<name>.snap`.
fn check(name: &str, app: &App, width: u16, height: u16) {
    let terminal = terminal(app, width, height);
    insta::assert_snapshot!(name, terminal.backend().to_string());
}

/// Snapshots the screen with its colours: the buffer's text, then each run of one style.
fn check_styled(name: &str, app: &App, width: u16, height: u16) {
    let terminal = terminal(app, width, height);
    insta::assert_snapshot!(name, format!("{:?}", terminal.backend().buffer()));
}

#[path = "ui_snapshots/robust.rs"]
mod robust;
#[path = "ui_snapshots/screens.rs"]
mod screens;
