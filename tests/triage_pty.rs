//! Snoozing and copying in the real dashboard, in a pseudo-terminal, against the built-in
//! server: a snooze outlives a restart and ends when a colleague changes the alert; `y` is seen
//! as OSC 52 bytes on the terminal.

mod common;
#[path = "common/deadline.rs"]
mod deadline;

use blnk_alerts::api::AlertUpdate;
use blnk_alerts::domain::AlertId;
use blnk_alerts::server::Seed;
use common::pty::Pty;
use common::session::{Setup, assert_restored, selected_id};

/// The dashboard on the demo data, polling every `interval` seconds, once the list is in;
/// with the id of the alert selected first.
fn start(setup: &Setup, interval: &str) -> (Pty, AlertId) {
    let pty = setup.spawn(&["--interval", interval]);
    pty.wait_text("Alerts 200/200", 20);
    let id = selected_id(&pty.screen());
    (pty, id)
}

#[test]
fn y_sends_the_id_to_the_clipboard_as_osc52() {
    deadline::within(common::LIMIT, || {
        let setup = Setup::new(Some(Seed::Demo));
        let (mut pty, id) = start(&setup, "60");
        pty.send("y");
        pty.wait_text(&format!("Copied {id} to the clipboard"), 5);
        let wanted = blnk_alerts::runtime::osc52(id.as_str());
        let raw = pty.raw();
        assert!(raw.windows(wanted.len()).any(|w| w == wanted.as_bytes()), "no OSC 52 sequence for {id}");
        pty.send("q");
        assert_restored(&setup, &mut pty, "0");
    });
}

#[test]
fn a_snooze_outlives_a_restart_and_ends_when_someone_changes_the_alert() {
    deadline::within(common::LIMIT, || {
        let setup = Setup::new(Some(Seed::Demo));
        let (mut pty, id) = start(&setup, "1");
        pty.send("z");
        pty.wait_text("Snooze this alert", 5);
        pty.send("2");
        pty.wait_text("Snoozed 1 alert for 4h", 5);
        pty.wait_text("Alerts 199/200", 5);
        assert!(pty.screen().contains(" Snoozed 1 "), "a Snoozed tab:\n{}", pty.screen());
        pty.send("q");
        assert_restored(&setup, &mut pty, "0");

        let state = setup.home.path().join(".local/state/blnk-alerts/snoozes");
        let files: Vec<_> = std::fs::read_dir(&state).expect("a snoozes directory").filter_map(Result::ok).collect();
        assert_eq!(files.len(), 1, "one file for this API URL");
        let kept = std::fs::read_to_string(files[0].path()).expect("readable");
        assert!(kept.contains(id.as_str()) && kept.contains(&setup.url()), "{kept}");

        // Started again, the alert is still asleep; a colleague's change wakes it.
        let mut pty = setup.spawn(&["--interval", "1"]);
        pty.wait_text("Alerts 199/200", 20);
        let update = AlertUpdate { status: Some("INVESTIGATING".parse().expect("key")), ..AlertUpdate::default() };
        setup.runtime.block_on(setup.writer().update(&id, &update)).expect("changed elsewhere");
        pty.wait_text("A snoozed alert is back (changed since)", 10);
        pty.wait_text("Alerts 200/200", 2);
        assert!(pty.screen().contains('↻'), "marked as resurfaced:\n{}", pty.screen());
        pty.send("q");
        assert_restored(&setup, &mut pty, "0");
    });
}
