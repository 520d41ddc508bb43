//! The palette's commands in the real dashboard, in a pseudo-terminal, against the built-in
//! server: an export read back from its file (and replaced only after a second Enter), and an
//! alert opened in a browser (a stand-in `xdg-open`), or its link copied where there is none.

mod common;
#[path = "common/deadline.rs"]
mod deadline;

use std::os::unix::fs::PermissionsExt;

use blnk_alerts::server::Seed;
use common::session::{PLAIN, Setup, assert_restored, selected_id};

#[test]
fn an_export_holds_every_row_of_the_view_and_replaces_a_file_only_when_asked_twice() {
    deadline::within(common::LIMIT, || {
        let setup = Setup::new(Some(Seed::Demo));
        let mut pty = setup.spawn(&["--interval", "60"]);
        pty.wait_text("Alerts 200/200", 20);
        pty.send("/type:transaction");
        pty.send("\r");
        pty.wait_for("the filter to narrow the list", 5, |s| !s.contains("Alerts 200/200"));
        let shown: usize = pty
            .screen()
            .lines()
            .find_map(|l| l.split("Alerts ").nth(1)?.split('/').next()?.trim().parse().ok())
            .expect("the list title counts the rows");
        assert!(shown > 0 && shown < 200, "the filter narrows: {shown}");

        let file = setup.home.path().join("out/transactions.csv");
        pty.send(&format!(":export {}", file.display()));
        pty.send("\r");
        pty.wait_text(&format!("Exported {shown} alerts to {}", file.display()), 10);
        let mut reader = csv::Reader::from_path(&file).expect("a CSV file");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a whole row")).collect();
        assert_eq!(rows.len(), shown, "every row of the view, not just the screen's");
        assert!(
            rows.iter().all(|r| r.get(3).is_some_and(|t| t.eq_ignore_ascii_case("transaction"))),
            "only the filtered rows"
        );

        // Another file of the user's, in the same place: its notice differs from the first's.
        let theirs = setup.home.path().join("out/theirs.csv");
        std::fs::write(&theirs, "keep me").expect("written");
        pty.send(&format!(":export {}", theirs.display()));
        pty.send("\r");
        pty.wait_text("exists: Enter replaces it", 10);
        pty.send("\u{1b}");
        pty.wait_for("the palette to close", 5, |s| !s.contains("exists: Enter replaces it"));
        assert_eq!(std::fs::read_to_string(&theirs).expect("readable"), "keep me", "Esc keeps the file");
        pty.send(&format!(":export {}", theirs.display()));
        pty.send("\r");
        pty.wait_text("exists: Enter replaces it", 10);
        pty.send("\r");
        // The notice comes once the file is written.
        pty.wait_text(&format!("Exported {shown} alerts to {}", theirs.display()), 10);
        let replaced = std::fs::read_to_string(&theirs).expect("readable");
        assert!(replaced.starts_with("anomaly_id,"), "{replaced}");
        pty.send("q");
        assert_restored(&setup, &mut pty, "0");
    });
}

/// A directory holding an `xdg-open` that writes what it was asked to open into `opened`.
fn fake_browser(setup: &Setup) -> std::path::PathBuf {
    let bin = setup.home.path().join("bin");
    std::fs::create_dir_all(&bin).expect("a bin directory");
    let opener = bin.join("xdg-open");
    let script = format!(
        "#!/bin/sh\nprintf '%s' \"$1\" > '{}/opened.tmp' && mv '{0}/opened.tmp' '{0}/opened'\n",
        setup.home.path().display()
    );
    std::fs::write(&opener, script).expect("written");
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).expect("executable");
    bin
}

#[test]
fn w_opens_the_alert_in_a_browser_and_without_a_display_copies_its_link() {
    deadline::within(common::LIMIT, || {
        let setup = Setup::new(Some(Seed::Demo));
        let bin = fake_browser(&setup);
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
        let template = "https://cloud.example.com/anomalies/{id}";
        let with_display = [("PATH", path.as_str()), ("BLNK_WEB_URL", template), ("DISPLAY", ":0")];
        let mut pty = setup.spawn_script(PLAIN, &["--interval", "60", "--read-only"], &with_display);
        pty.wait_text("Alerts 200/200", 20);
        let id = selected_id(&pty.screen());
        let url = template.replace("{id}", id.as_str());
        pty.send("w");
        pty.wait_text("in the browser", 10);
        // A launcher still running after a moment counts as opened: wait (with the screen
        // waits' own deadline) for the file it writes last.
        let opened = setup.home.path().join("opened");
        pty.wait_for("the launcher's file", 10, |_| opened.exists());
        assert_eq!(std::fs::read_to_string(&opened).expect("the launcher ran"), url);
        pty.send("q");
        assert_restored(&setup, &mut pty, "0");

        let without = [("PATH", path.as_str()), ("BLNK_WEB_URL", template)];
        let mut pty = setup.spawn_script(PLAIN, &["--interval", "60"], &without);
        pty.wait_text("Alerts 200/200", 20);
        pty.send("w");
        pty.wait_text("No browser (no display here): copied", 10);
        let wanted = blnk_alerts::runtime::osc52(&url);
        assert!(pty.raw().windows(wanted.len()).any(|w| w == wanted.as_bytes()), "the link is on the clipboard");
        pty.send("q");
        assert_restored(&setup, &mut pty, "0");
    });
}

#[test]
fn the_entity_panel_shows_the_money_and_walks_to_the_balance_and_its_owner() {
    deadline::within(common::LIMIT, || {
        let setup = Setup::new(Some(Seed::Demo));
        let instance = [("BLNK_INSTANCE_ID", blnk_alerts::server::DEMO_INSTANCE)];
        let mut pty = setup.spawn_script(PLAIN, &["--interval", "60", "--read-only"], &instance);
        pty.wait_text("Alerts 200/200", 20);
        pty.send("/type:transaction");
        pty.send("\r");
        pty.wait_text("Amount", 10);
        assert!(pty.screen().contains("From (s)"), "{}", pty.screen());
        pty.send("s");
        pty.wait_text("100, from the transaction", 10);
        pty.send("i");
        pty.wait_text("Name", 10);
        assert!(pty.screen().contains("(from the balance; h back)"), "{}", pty.screen());
        pty.send("hh");
        pty.wait_text("Amount", 10);
        pty.send("q");
        assert_restored(&setup, &mut pty, "0");
    });
}
