//! The terminal always comes back: after `q`, Ctrl-C, an error, a panic on the main task or in
//! a background task, and around Ctrl-Z / `fg`; each case compares `stty -g` before and after
//! in a pseudo-terminal. (Signals are in tests/e2e.rs.) Faults are injected through a
//! debug-build-only environment variable, `BLNK_ALERTS_FAULT`.

mod common;

use common::session::{Setup, assert_restored};

/// The raw bytes after the app left the alternate screen for the last time.
fn after_leaving(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw).into_owned();
    let at = text.rfind("\u{1b}[?1049l").expect("the alternate screen was left");
    text[at..].to_owned()
}

#[test]
fn quitting_with_q_or_ctrl_c_restores_the_terminal() {
    for key in ["q", "\u{3}"] {
        let setup = Setup::new(None);
        let mut pty = setup.spawn(&[]);
        pty.wait_text("Alerts", 20);
        pty.send(key);
        assert_restored(&setup, &mut pty, "0");
    }
}

#[test]
fn errors_and_panics_restore_the_terminal_then_report_readably_without_the_key() {
    for (fault, code, report) in [
        ("error", "1", "injected fault: an error in the event loop"),
        ("panic-main", "101", "injected fault: a panic on the main task"),
        ("panic-task", "1", "injected fault: a panic in a background task"),
    ] {
        let setup = Setup::new(None);
        let mut pty = setup.spawn_script(common::session::PLAIN, &[], &[("BLNK_ALERTS_FAULT", fault)]);
        pty.wait_text("Alerts", 20);
        assert_restored(&setup, &mut pty, code);
        let after = after_leaving(&pty.raw());
        assert!(after.contains(report), "{fault}: the report comes after the terminal is restored: {after:?}");
        assert!(!after.contains(common::key().expose()), "{fault}: the report holds no key");
    }
}

#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_resumes_with_a_full_redraw() {
    let setup = Setup::new(None);
    // Job control on, as in an interactive shell, so the stop is not discarded.
    let script = r#"set -m; stty -g > "$D/before"; "$BIN" "$@"; echo $? > "$D/stopped"; stty -g > "$D/while"; fg; echo $? > "$D/code"; stty -g > "$D/after""#;
    let mut pty = setup.spawn_script(script, &[], &[]);
    pty.wait_text("Alerts", 20);
    let before_stop = pty.raw().len();
    pty.send("\u{1a}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while setup.file("while").is_empty() {
        assert!(std::time::Instant::now() < deadline, "Ctrl-Z did not suspend:\n{}", pty.screen());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(setup.file("stopped"), "148", "stopped by SIGTSTP");
    assert_eq!(setup.file("before"), setup.file("while"), "the shell gets its terminal back while suspended");
    // After fg: the whole screen is drawn again.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let raw = pty.raw();
        let resumed = String::from_utf8_lossy(&raw[before_stop..]).into_owned();
        if resumed.matches("\u{1b}[?1049h").count() >= 1 && resumed.rfind("Alerts") > resumed.rfind("\u{1b}[?1049h") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no redraw after fg:\n{}", pty.screen());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    pty.send("q");
    assert_restored(&setup, &mut pty, "0");
}
