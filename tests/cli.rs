//! The scripting commands as a user runs them: exit codes, stdout, stderr, against the
//! built-in server over real HTTP.

mod common;
#[path = "common/deadline.rs"]
mod deadline;

use std::os::unix::fs::PermissionsExt;

use common::cli::run;
use common::{LIMIT, key, server};

const BALANCE: &str = "bln_20f02af6-3728-4d37-9b5a-c7ed080f09df";

fn home() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[tokio::test]
async fn demo_list_works_with_no_account_and_no_configuration() {
    tokio::time::timeout(LIMIT, async {
        let home = home();
        let table = run(&["--demo", "list"], &[], home.path(), None).await;
        assert_eq!(table.code, 0, "{}", table.stderr);
        // Piped, so one tab-separated line per alert (the terminal's table is tested below).
        assert!(table.stdout.starts_with("ano_") && table.stdout.contains('\t'), "{}", table.stdout);

        let json = run(&["--demo", "list", "--output", "json"], &[], home.path(), None).await;
        let alerts: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).expect("a JSON array");
        assert!((150..=250).contains(&alerts.len()), "{}", alerts.len());
        assert!(alerts.iter().all(|a| a["anomaly_id"].as_str().is_some_and(|id| id.starts_with("ano_"))));

        let resolved = run(
            &["--demo", "list", "--status", "resolved", "--type", "transaction", "--output", "json"],
            &[],
            home.path(),
            None,
        )
        .await;
        let resolved: Vec<serde_json::Value> = serde_json::from_str(&resolved.stdout).expect("array");
        assert!(!resolved.is_empty() && resolved.len() < alerts.len());
        assert!(resolved.iter().all(|a| a["status"] == "RESOLVED" && a["type"] == "Transaction"));
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn flag_get_update_round_trip_through_the_binary() {
    tokio::time::timeout(LIMIT, async {
        let server = server(None, false).await;
        let url = server.base_url().to_string();
        let key = key();
        let env = [("BLNK_API_URL", url.as_str()), ("BLNK_API_KEY", key.expose())];
        let home = home();

        let flagged = run(
            &["flag", BALANCE, "--description", "-", "--title", "Negative balance", "--output", "json"],
            &env,
            home.path(),
            Some("Went below zero\ntwice today\n"),
        )
        .await;
        assert_eq!(flagged.code, 0, "{}", flagged.stderr);
        let alert: serde_json::Value = serde_json::from_str(&flagged.stdout).expect("JSON alert");
        let id = alert["anomaly_id"].as_str().expect("id").to_owned();
        assert_eq!(alert["description"], "Went below zero\ntwice today");
        assert_eq!(alert["affected_balances"][0], BALANCE);

        let shown = run(&["get", &id], &env, home.path(), None).await;
        assert_eq!(shown.code, 0, "{}", shown.stderr);
        assert!(
            shown.stdout.contains("Negative balance") && shown.stdout.contains("  twice today"),
            "{}",
            shown.stdout
        );

        let updated =
            run(&["update", &id, "--status", "investigating", "--output", "json"], &env, home.path(), None).await;
        assert_eq!(updated.code, 0, "{}", updated.stderr);
        let updated: serde_json::Value = serde_json::from_str(&updated.stdout).expect("JSON");
        assert_eq!(updated["status"], "INVESTIGATING");
        assert_eq!(updated["title"], "Negative balance", "only the status was sent");

        let statuses =
            run(&["statuses", "create", "--name", "Pending Review", "--colour", "#8b5cf6"], &env, home.path(), None)
                .await;
        assert_eq!(statuses.code, 0, "{}", statuses.stderr);
        assert!(statuses.stdout.contains("PENDING_REVIEW"));
        let deleted = run(&["statuses", "delete", "pending_review"], &env, home.path(), None).await;
        assert_eq!((deleted.code, deleted.stdout.trim()), (0, "Status deleted"));
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn bad_input_gets_one_clear_line_a_non_zero_exit_and_sends_nothing() {
    tokio::time::timeout(LIMIT, async {
        let server = server(None, false).await;
        let url = server.base_url().to_string();
        let key = key();
        let env = [("BLNK_API_URL", url.as_str()), ("BLNK_API_KEY", key.expose())];
        let home = home();
        let cases: [(&[&str], &str); 6] = [
            (&["flag", "ldg_20f02af6-3728-4d37-9b5a-c7ed080f09df", "--description", "x"], "bln_"),
            (&["flag", BALANCE, "--description", "  "], "description is required"),
            (&["get", "../../etc/passwd"], "not an alert id"),
            (&["update", "ano_8a380fd1-0289-46d1-bc76-aa17a510a64e"], "nothing to update"),
            (&["update", "ano_8a380fd1-0289-46d1-bc76-aa17a510a64e", "--status", "bad key!"], "not a status key"),
            (&["get", "ano_8a380fd1-0289-46d1-bc76-aa17a510a64e"], "not found (404)"),
        ];
        for (args, expected) in cases {
            let out = run(args, &env, home.path(), None).await;
            assert_ne!(out.code, 0, "{args:?}");
            assert!(out.stderr.starts_with("error: ") && out.stderr.contains(expected), "{args:?}: {}", out.stderr);
            assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
            assert!(!out.stderr.contains("panicked"));
        }
        let list = run(&["list", "--output", "json"], &env, home.path(), None).await;
        assert_eq!(list.stdout.trim(), "[]", "nothing was flagged");
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn configuration_problems_are_explained_and_the_key_never_shown() {
    tokio::time::timeout(LIMIT, async {
        let home = home();
        let no_key = run(&["list"], &[("BLNK_API_URL", "http://127.0.0.1:9/")], home.path(), None).await;
        assert_eq!(no_key.code, 2);
        assert!(no_key.stderr.contains("no API key") && no_key.stderr.contains("BLNK_API_KEY"), "{}", no_key.stderr);

        let canary = "blnk_canary_5f1d9e7c3b2a4d6f8e0a";
        let plain =
            run(&["list"], &[("BLNK_API_URL", "http://api.example.com/"), ("BLNK_API_KEY", canary)], home.path(), None)
                .await;
        assert_eq!(plain.code, 2);
        assert!(plain.stderr.contains("refusing plain http"), "{}", plain.stderr);

        let shown = run(&["config"], &[("BLNK_API_KEY", canary)], home.path(), None).await;
        assert_eq!(shown.code, 0, "{}", shown.stderr);
        assert!(
            shown.stdout.contains("****8e0a") && shown.stdout.contains("environment BLNK_API_KEY"),
            "{}",
            shown.stdout
        );
        assert!(shown.stdout.contains("https://api.cloud.blnkfinance.com"));
        for out in [&no_key, &plain, &shown] {
            assert!(!out.stdout.contains(canary) && !out.stderr.contains(canary));
        }

        // A config file holding a key must be private to its owner.
        let dir = home.path().join("config").join("blnk-alerts");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let file = dir.join("config.toml");
        std::fs::write(&file, format!("api_url = \"https://alerts.example.com\"\napi_key = \"{canary}\"\n"))
            .expect("write");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let loose = run(&["config"], &[], home.path(), None).await;
        assert_eq!(loose.code, 2);
        assert!(loose.stderr.contains("chmod 600"), "{}", loose.stderr);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let private = run(&["config"], &[], home.path(), None).await;
        assert_eq!(private.code, 0, "{}", private.stderr);
        assert!(
            private.stdout.contains("alerts.example.com") && private.stdout.contains("config file"),
            "{}",
            private.stdout
        );
        assert!(!private.stdout.contains(canary));

        let help = run(&["--help"], &[("BLNK_API_KEY", canary)], home.path(), None).await;
        assert!(help.stdout.contains("--demo") && !help.stdout.contains(canary));
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn a_reader_that_stops_early_is_not_a_failure() {
    tokio::time::timeout(LIMIT, async {
        let home = home();
        let script = r#"set -o pipefail; "$BIN" --demo list --output json | head -c 10 > /dev/null"#;
        let status = tokio::process::Command::new("bash")
            .args(["-c", script])
            .env("BIN", common::cli::BIN)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .kill_on_drop(true)
            .status()
            .await
            .expect("bash runs");
        assert!(status.success(), "`list | head` exits 0: {status:?}");
    })
    .await
    .expect("within the time limit");
}

#[test]
fn list_in_an_80_column_terminal_fits_and_a_pipe_gets_tab_separated_values() {
    deadline::within(LIMIT, || {
        let home = home();
        let home = home.path().to_string_lossy().into_owned();
        let env = [("HOME", home.as_str()), ("XDG_CONFIG_HOME", home.as_str())];
        let mut pty = common::pty::Pty::spawn(common::cli::BIN, &["--demo", "list"], &env, 80, 24);
        pty.wait_for("the count line", 30, |_| String::from_utf8_lossy(&pty.raw()).contains(" alerts\r\n"));
        assert_eq!(pty.wait_exit(30), 0);
        let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
        let lines: Vec<&str> = raw.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines.len() > 100 && lines[0].starts_with("ANOMALY ID"), "{raw}");
        for line in &lines {
            assert!(unicode_width::UnicodeWidthStr::width(*line) <= 80, "wider than the terminal: {line:?}");
            assert!(!line.contains('\t'), "{line:?}");
        }
        assert!(lines[1].starts_with("ano_") && lines[1].contains("ago"), "ids whole, ages shown: {}", lines[1]);

        let wide = common::pty::Pty::spawn(common::cli::BIN, &["--demo", "list", "--wide"], &env, 80, 24);
        wide.wait_for("the count line", 30, |_| String::from_utf8_lossy(&wide.raw()).contains(" alerts\r\n"));
        let wide = String::from_utf8_lossy(&wide.raw()).into_owned();
        assert!(wide.lines().next().is_some_and(|h| h.contains("ENTITY") && h.contains("ASSIGNED TO")), "{wide}");
    });
}

#[tokio::test]
async fn a_piped_list_is_one_tab_separated_line_per_alert_in_full() {
    tokio::time::timeout(LIMIT, async {
        let home = home();
        let plain = run(&["--demo", "list"], &[], home.path(), None).await;
        assert_eq!(plain.code, 0, "{}", plain.stderr);
        let json = run(&["--demo", "list", "--output", "json"], &[], home.path(), None).await;
        let alerts: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).expect("array");
        let lines: Vec<&str> = plain.stdout.lines().collect();
        assert!(!lines.is_empty() && lines.len() > 100, "{}", plain.stdout);
        for line in &lines {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 7, "{line:?}");
            assert!(cells[0].starts_with("ano_") && chrono::DateTime::parse_from_rfc3339(cells[6]).is_ok(), "{line:?}");
            assert!(!cells[3].ends_with('…'), "titles in full: {line:?}");
        }
        let first = &alerts.iter().max_by_key(|a| a["created_at"].as_str().map(str::to_owned)).expect("one")["title"];
        assert!(lines.iter().any(|l| l.split('\t').nth(3) == first.as_str()), "{first}");
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn completions_parse_in_their_shells_and_the_man_page_renders() {
    tokio::time::timeout(LIMIT, async {
        let home = home();
        for (shell, check) in [("bash", "bash"), ("zsh", "zsh"), ("fish", "fish")] {
            let script = run(&["completions", shell], &[], home.path(), None).await;
            assert_eq!(script.code, 0, "{}", script.stderr);
            assert!(script.stdout.contains("blnk-alerts") && script.stdout.contains("profile"), "{shell}");
            let file = home.path().join(format!("completion.{shell}"));
            std::fs::write(&file, &script.stdout).expect("write");
            // Each shell that this machine has must accept its script (`-n`: parse, run nothing).
            let Ok(status) = tokio::process::Command::new(check).arg("-n").arg(&file).kill_on_drop(true).status().await
            else {
                assert_ne!(shell, "bash", "bash is always there");
                continue;
            };
            assert!(status.success(), "{shell} -n refuses the completion script");
        }

        let page = run(&["man"], &[], home.path(), None).await;
        assert_eq!(page.code, 0, "{}", page.stderr);
        let file = home.path().join("blnk-alerts.1");
        std::fs::write(&file, &page.stdout).expect("write");
        let rendered = tokio::process::Command::new("man")
            .arg("-l")
            .arg(&file)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .kill_on_drop(true)
            .output()
            .await;
        match rendered {
            Ok(out) => {
                let text = String::from_utf8_lossy(&out.stdout);
                assert!(out.status.success(), "man -l fails: {}", String::from_utf8_lossy(&out.stderr));
                assert!(text.contains("--profile") && text.contains("SUBCOMMANDS"), "{text}");
            }
            // Without man(1) the page must at least be roff with the title line.
            Err(_) => {
                assert!(page.stdout.contains(".TH blnk-alerts"), "{}", page.stdout);
            }
        }
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn read_only_refuses_writes_and_dashboard_flags_are_refused_for_commands() {
    tokio::time::timeout(LIMIT, async {
        let home = home();
        let flag = ["--read-only", "--demo", "flag", BALANCE, "--description", "x"];
        let refused = run(&flag, &[], home.path(), None).await;
        assert_eq!(refused.code, 2, "{}", refused.stderr);
        assert!(
            refused.stderr.contains("--read-only: nothing can be changed, so nothing was sent"),
            "{}",
            refused.stderr
        );
        let listed = run(&["--read-only", "--demo", "list", "--output", "json"], &[], home.path(), None).await;
        assert_eq!(listed.code, 0, "reading is what read-only is for: {}", listed.stderr);
        for args in
            [&["--bell", "--demo", "list"][..], &["--interval", "3", "--demo", "get", "ano_x"], &["--mouse", "config"]]
        {
            let out = run(args, &[], home.path(), None).await;
            assert_eq!(out.code, 2, "{args:?}");
            assert!(out.stderr.contains("is for the dashboard; it means nothing to"), "{args:?}: {}", out.stderr);
        }
        // Flags that choose an API mean nothing to the commands that reach none.
        for (args, said) in [
            (&["serve", "--demo"][..], "--demo means nothing to `serve` (serve --seed demo serves the demo data)"),
            (&["--api-url", "http://127.0.0.1:9", "completions", "bash"], "--api-url means nothing to `completions`"),
            (&["man", "--profile", "prod"], "--profile means nothing to `man`"),
            // Off loopback: never without a key, and plain HTTP only when asked for by name.
            (&["serve", "--addr", "0.0.0.0:0", "--no-auth"], "--no-auth is refused on 0.0.0.0:0"),
            (&["serve", "--addr", "0.0.0.0:0"], "serve HTTPS with --tls-cert and --tls-key"),
            (&["serve", "--tls-cert", "cert.pem"], "--tls-key"),
            (&["serve", "--tls-cert", "/nowhere/c.pem", "--tls-key", "/nowhere/k.pem"], "/nowhere/c.pem"),
        ] {
            let out = run(args, &[], home.path(), None).await;
            assert_eq!(out.code, 2, "{args:?}");
            assert!(out.stderr.contains(said), "{args:?}: {}", out.stderr);
        }
        // A write to the demo is said to be gone with it.
        let flagged = run(&["--demo", "flag", BALANCE, "--description", "x"], &[], home.path(), None).await;
        assert_eq!(flagged.code, 0, "{}", flagged.stderr);
        assert!(flagged.stderr.contains("in-memory demo server, which is gone now"), "{}", flagged.stderr);
        let listed = run(&["--demo", "list"], &[], home.path(), None).await;
        assert!(!listed.stderr.contains("gone now"), "reads say nothing: {}", listed.stderr);
    })
    .await
    .expect("within the time limit");
}
