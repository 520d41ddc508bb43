//! End to end: the real binary in a pseudo-terminal against the built-in server on loopback.
//! A person's session (navigate, filter, flag, edit, change status, quit), then the terminal
//! is compared with `stty -g` before and after.

mod common;

use std::path::Path;

use blnk_alerts::api::ReadClient;
use blnk_alerts::server::{RunningServer, Seed};
use common::pty::Pty;
use common::{clients, config_for, key, server};

const BALANCE: &str = "bln_7c9e6679-7425-40de-944b-e07fc1f90ae7";

struct Setup {
    runtime: tokio::runtime::Runtime,
    server: Option<RunningServer>,
    home: tempfile::TempDir,
}

impl Setup {
    fn new(seed: Option<Seed>) -> Self {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let server = runtime.block_on(server(seed, false));
        Self { runtime, server: Some(server), home: tempfile::tempdir().expect("temp dir") }
    }

    fn url(&self) -> String {
        self.server.as_ref().expect("running").base_url().to_string()
    }

    fn reader(&self) -> ReadClient {
        clients(&config_for(self.server.as_ref().expect("running").base_url())).0
    }

    /// The app inside `sh`, which records `stty -g` before and after and the exit code.
    fn spawn(&self, args: &[&str]) -> Pty {
        let url = self.url();
        let api_key = key();
        let dir = self.home.path().to_str().expect("utf-8 path").to_owned();
        let script = r#"stty -g > "$D/before"; "$BIN" "$@"; echo $? > "$D/code"; stty -g > "$D/after""#;
        let mut command_line = vec!["-c", script, "sh"];
        command_line.extend_from_slice(args);
        let env = [
            ("BIN", common::cli::BIN),
            ("D", dir.as_str()),
            ("HOME", dir.as_str()),
            ("BLNK_API_URL", url.as_str()),
            ("BLNK_API_KEY", api_key.expose()),
        ];
        Pty::spawn("/bin/sh", &command_line, &env, 140, 40)
    }

    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.home.path().join(name)).unwrap_or_default().trim().to_owned()
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

fn assert_restored(setup: &Setup, pty: &mut Pty, code: &str) {
    pty.wait_exit(10);
    assert_eq!(setup.file("code"), code, "exit code");
    assert!(!setup.file("before").is_empty());
    assert_eq!(setup.file("before"), setup.file("after"), "stty -g differs after the app left");
    let raw = pty.raw();
    let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(400)..]).into_owned();
    assert!(tail.contains("\u{1b}[?1049l"), "left the alternate screen: {tail:?}");
    assert!(tail.contains("\u{1b}[?25h"), "cursor shown again: {tail:?}");
    assert!(tail.contains("\u{1b}[?2004l"), "bracketed paste off: {tail:?}");
}

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

/// The pid of the `blnk-alerts` child of `sh`.
fn app_pid(sh: u32) -> u32 {
    let children = Path::new("/proc").join(sh.to_string()).join("task").join(sh.to_string()).join("children");
    let text = std::fs::read_to_string(&children).unwrap_or_default();
    text.split_whitespace().next().and_then(|p| p.parse().ok()).unwrap_or(sh)
}
