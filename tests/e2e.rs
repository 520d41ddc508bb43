//! End to end: the real binary in a pseudo-terminal against the built-in server on loopback.
//! A person's session (navigate, filter, flag, edit, change status, quit), then the terminal
//! is compared with `stty -g` before and after.

mod common;

use blnk_alerts::server::Seed;
use common::session::{Setup, app_pid, assert_restored};

const BALANCE: &str = "bln_7c9e6679-7425-40de-944b-e07fc1f90ae7";

#[test]
fn a_triage_session_round_trips_and_leaves_the_terminal_as_it_was() {
    let setup = Setup::new(Some(Seed::Demo));
    let mut pty = setup.spawn(&[]);
    pty.wait_text("Alerts", 20);
    pty.wait_for("rows", 20, |s| s.contains("ano_") || s.contains("ago"));

    // Navigate and filter.
    pty.send("jjk");
    pty.send("/");
    pty.type_text("type:identity");
    pty.send("\r");
    pty.wait_text("Identity", 10);

    // Flag a new entity.
    pty.send("\u{1b}");
    pty.send("f");
    pty.wait_text("Flag an entity", 10);
    pty.type_text(BALANCE);
    pty.wait_text("✓ Balance", 10);
    pty.send("\t");
    pty.type_text("E2E negative balance");
    pty.send("\t");
    pty.type_text("Went below zero during the e2e test");
    pty.send("\u{13}");
    pty.wait_text("Flagged: ano_", 10);
    let reader = setup.reader();
    let alerts = setup.runtime.block_on(reader.list_alerts()).expect("list");
    let created = alerts.iter().find(|a| a.affected_balances.iter().any(|b| b == BALANCE)).expect("the flag arrived");
    assert_eq!(created.title.as_deref(), Some("E2E negative balance"));

    // Edit it (the new alert is selected).
    pty.send("e");
    pty.wait_text("Edit ano_", 10);
    pty.type_text(" (edited)");
    pty.send("\u{13}");
    pty.wait_text("Saved.", 10);
    let edited = setup.runtime.block_on(reader.get_alert(&created.anomaly_id)).expect("get");
    assert_eq!(edited.title.as_deref(), Some("E2E negative balance (edited)"));
    assert_eq!(edited.description, created.description, "only the title was sent");

    // Change its status.
    pty.send("t");
    pty.wait_text("Change status", 10);
    pty.type_text("investig");
    pty.send("\r");
    pty.wait_text("Status changed", 10);
    let moved = setup.runtime.block_on(reader.get_alert(&created.anomaly_id)).expect("get");
    assert_eq!(moved.status.as_str(), "INVESTIGATING");

    pty.send("q");
    assert_restored(&setup, &mut pty, "0");
}

#[test]
fn signals_end_the_dashboard_promptly_and_restore_the_terminal() {
    for (signal, code) in [("TERM", "143"), ("HUP", "129"), ("INT", "130")] {
        let setup = Setup::new(None);
        let mut pty = setup.spawn(&[]);
        pty.wait_text("Alerts", 20);
        let pid = app_pid(pty.pid().expect("sh pid"));
        let status = std::process::Command::new("kill").args([&format!("-{signal}"), &pid.to_string()]).status();
        assert!(status.is_ok_and(|s| s.success()), "kill -{signal}");
        assert_restored(&setup, &mut pty, code);
    }
}

#[test]
fn monitoring_mode_changes_nothing_and_says_so() {
    let setup = Setup::new(Some(Seed::Demo));
    let before = setup.runtime.block_on(setup.reader().list_alerts()).expect("list");
    let mut pty = setup.spawn(&["--read-only"]);
    pty.wait_text("READ-ONLY", 20);
    for key in ["f", "e", "t"] {
        pty.send(key);
        pty.wait_text("Read-only", 10);
        pty.send("\u{1b}");
    }
    pty.send("\u{13}\r");
    pty.send("q");
    assert_restored(&setup, &mut pty, "0");
    let after = setup.runtime.block_on(setup.reader().list_alerts()).expect("list");
    assert_eq!(before, after);
}

#[test]
fn a_draft_survives_kill_9_and_comes_back_when_the_form_is_opened() {
    let setup = Setup::new(None);
    let mut pty = setup.spawn(&[]);
    pty.wait_text("Alerts", 20);
    pty.send("f");
    pty.wait_text("Flag an entity", 10);
    pty.type_text(BALANCE);
    pty.send("\t\t");
    pty.type_text("Typed before the crash");
    // Drafts reach the disk within a tick (one second).
    let draft = setup.home.path().join(".local/state/blnk-alerts/drafts/flag.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !std::fs::read_to_string(&draft).unwrap_or_default().contains("Typed before the crash") {
        assert!(std::time::Instant::now() < deadline, "no draft written at {}", draft.display());
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let pid = app_pid(pty.pid().expect("sh pid"));
    assert!(std::process::Command::new("kill").args(["-KILL", &pid.to_string()]).status().is_ok_and(|s| s.success()));
    pty.wait_exit(10);
    drop(pty);

    let mut pty = setup.spawn(&[]);
    pty.wait_text("A draft is waiting", 20);
    pty.send("f");
    pty.wait_text("Typed before the crash", 10);
    pty.wait_text("✓ Balance", 10);
    pty.send("\u{13}");
    pty.wait_text("Flagged: ano_", 10);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while draft.exists() {
        assert!(std::time::Instant::now() < deadline, "the draft is deleted once the server confirms");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    pty.send("q");
    assert_restored(&setup, &mut pty, "0");
}

#[test]
fn an_alert_flagged_elsewhere_appears_within_one_interval() {
    let setup = Setup::new(Some(Seed::Demo));
    let mut pty = setup.spawn(&["--interval", "2"]);
    pty.wait_text("Alerts 200/200", 20);
    let entity = "idt_3f2504e0-4f89-41d3-9a0c-0305e82c3301".parse().expect("valid");
    let request = blnk_alerts::api::FlagRequest {
        title: Some("Flagged by a colleague".into()),
        description: "From another terminal".into(),
    };
    setup.runtime.block_on(setup.writer().flag(&entity, &request)).expect("flagged elsewhere");
    pty.wait_text("Flagged by a colleague", 6);
    pty.wait_text("Alerts 201/201", 2);
    pty.send("q");
    assert_restored(&setup, &mut pty, "0");
}

#[test]
fn an_outage_keeps_the_data_on_screen_marked_stale_and_recovers_by_itself() {
    let mut setup = Setup::new(Some(Seed::Demo));
    let mut pty = setup.spawn(&["--interval", "1"]);
    pty.wait_text("Alerts 200/200", 20);
    setup.stop_server();
    pty.wait_text("stale since", 10);
    assert!(pty.screen().contains("Alerts 200/200"), "the data stays:\n{}", pty.screen());
    setup.restart_server(None);
    pty.wait_for("recovery", 20, |screen| !screen.contains("stale since") && screen.contains("Alerts 0/0"));
    pty.send("q");
    assert_restored(&setup, &mut pty, "0");
}

#[test]
fn the_log_view_shows_requests_as_they_happen_and_the_file_keeps_them() {
    let setup = Setup::new(Some(Seed::Demo));
    let mut pty = setup.spawn(&["--log-level", "debug"]);
    pty.wait_text("Alerts", 20);
    pty.send("L");
    pty.wait_text("request method=GET path=/alerts status=200", 20);
    pty.wait_text("every level · following", 5);
    pty.send("v");
    pty.wait_text("errors only", 5);
    pty.wait_for("no info line among errors only", 5, |s| !s.contains("INFO "));
    pty.send("q");
    pty.wait_text("Alerts 200/200", 5);
    pty.send("q");
    assert_restored(&setup, &mut pty, "0");
    assert!(
        !String::from_utf8_lossy(&pty.raw()).contains("\u{1b}[?1000h"),
        "the mouse stays the terminal's by default"
    );
    let log = std::fs::read_to_string(setup.home.path().join(".local/state/blnk-alerts/blnk-alerts.log"))
        .expect("the dashboard wrote its log");
    for wanted in ["started", "connected", "request method=GET path=\"/alerts\" status=200", "stopped code=0"] {
        assert!(log.contains(wanted), "{wanted:?} in:\n{log}");
    }
}

/// The row (0-based) and column of the first place `text` shows on `screen`.
fn place(screen: &str, text: &str) -> (u16, u16) {
    screen
        .lines()
        .enumerate()
        .find_map(|(y, line)| {
            let x = line.find(text)?;
            Some((u16::try_from(y).ok()?, u16::try_from(line[..x].chars().count()).ok()?))
        })
        .unwrap_or_else(|| panic!("{text:?} is not on the screen:\n{screen}"))
}

/// An SGR mouse report, as terminals send it with mouse capture on (1-based cells): a press
/// and its release for a button, one report for a turn of the wheel (64 up, 65 down).
fn mouse(button: u8, (row, column): (u16, u16)) -> String {
    let (x, y) = (column + 1, row + 1);
    let press = format!("\u{1b}[<{button};{x};{y}M");
    if button >= 64 { press } else { format!("{press}\u{1b}[<{button};{x};{y}m") }
}

#[test]
fn with_mouse_on_a_click_selects_a_row_or_a_tab_and_the_wheel_scrolls() {
    let setup = Setup::new(Some(Seed::Demo));
    let mut pty = setup.spawn(&["--mouse"]);
    pty.wait_text("Alerts 200/200", 20);
    pty.wait_text("1 of 200", 5);
    // The fourth alert's row: three rows below the selected first one.
    let (first_row, _) = place(&pty.screen(), "▶");
    pty.send(&mouse(0, (first_row + 3, 10)));
    pty.wait_text("4 of 200", 5);
    pty.send(&mouse(65, (first_row + 3, 10)));
    pty.wait_text("7 of 200", 5);
    pty.send(&mouse(64, (first_row, 10)));
    pty.wait_text("4 of 200", 5);
    let resolved = place(&pty.screen(), "Resolved ");
    pty.send(&mouse(0, (1, resolved.1 + 1)));
    pty.wait_for("the Resolved tab", 5, |s| s.contains("[Resolved") && !s.contains("Alerts 200/200"));
    pty.send("q");
    assert_restored(&setup, &mut pty, "0");
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    assert!(raw.contains("\u{1b}[?1000h") && raw.contains("\u{1b}[?1000l"), "the mouse is taken, then given back");
}

#[test]
fn with_notify_on_an_alert_flagged_elsewhere_becomes_one_terminal_notification() {
    let setup = Setup::new(Some(Seed::Demo));
    let dir = setup.home.path().join(".config/blnk-alerts");
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(dir.join("config.toml"), "notify = \"terminal\"\nnotify_filter = \"type:identity\"\n")
        .expect("config");
    let mut pty = setup.spawn(&["--interval", "1"]);
    pty.wait_text("Alerts 200/200", 20);
    let flag = |entity: &str, title: &str| {
        let request =
            blnk_alerts::api::FlagRequest { title: Some(title.into()), description: "From another terminal".into() };
        let entity = entity.parse().expect("valid");
        setup.runtime.block_on(setup.writer().flag(&entity, &request)).expect("flagged elsewhere");
    };
    flag(BALANCE, "Not an identity");
    flag("idt_3f2504e0-4f89-41d3-9a0c-0305e82c3301", "Sanctions match; \u{7}urgent");
    pty.wait_text("Alerts 202/202", 10);
    let notified = |raw: &[u8]| String::from_utf8_lossy(raw).contains("\u{1b}]9;New alert: Sanctions match");
    pty.wait_for("the notification", 5, |_| notified(&pty.raw()));
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    assert_eq!(raw.matches("\u{1b}]9;").count(), 1, "one notification, for the identity only");
    assert!(!raw.contains("Not an identity\u{7}"), "the filter keeps the balance out");
    pty.send("q");
    assert_restored(&setup, &mut pty, "0");
}
