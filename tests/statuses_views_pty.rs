//! The statuses screen and saved views in the real dashboard, in a pseudo-terminal, against a
//! Blnk-compatible server that is not ours: a view from the config file is a tab with its
//! count, a refused delete says the server's reason, a new status is sent with an allowed
//! colour, and a view saved from the palette lands in the config file with the rest kept.

mod common;
#[path = "common/deadline.rs"]
mod deadline;
#[path = "common/routed.rs"]
mod routed;

use std::collections::HashMap;

use common::LIMIT;
use common::pty::Pty;
use routed::Answer;

fn alert(n: usize, kind: &str, status: &str) -> serde_json::Value {
    serde_json::json!({
        "anomaly_id": format!("ano_4444444{n}-4444-4444-8444-444444444444"), "title": format!("Foreign {kind} {n}"),
        "description": "From elsewhere", "type": kind, "status": status, "assigned_to": "Ada Okafor",
        "affected_balances": ["bln_20f02af6-3728-4d37-9b5a-c7ed080f09df"],
        "created_at": format!("2026-11-30T10:0{n}:00Z"), "updated_at": format!("2026-11-30T10:0{n}:00Z")
    })
}

#[test]
fn views_and_the_statuses_screen_work_against_a_foreign_server() {
    deadline::within(LIMIT, || {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let list =
            [alert(1, "Transaction", "FLAGGED"), alert(2, "Balance", "CHARGEBACK"), alert(3, "Transaction", "FLAGGED")];
        let statuses = serde_json::json!({
            "data": [{"key": "FLAGGED", "name": "Flagged", "colour": "#3B82F6"},
                     {"key": "CHARGEBACK", "name": "Chargeback", "colour": "#EF4444"}],
            "allowed_colours": ["#3B82F6", "#EF4444", "#10B981"]
        });
        let routes = HashMap::from([
            ("/alerts".to_owned(), Answer::json(200, serde_json::to_vec(&list).expect("json"))),
            ("/alerts/statuses".to_owned(), Answer::json(200, statuses.to_string())),
            (
                "DELETE /alerts/statuses/CHARGEBACK".to_owned(),
                Answer::json(409, br#"{"error":"status CHARGEBACK is used by 1 alert"}"#.to_vec()),
            ),
            (
                "POST /alerts/statuses".to_owned(),
                Answer::json(201, br##"{"key":"ESCALATED","name":"Escalated","colour":"#EF4444"}"##.to_vec()),
            ),
        ]);
        let server = runtime.block_on(routed::start(routes, Answer::json(404, br#"{"error":"no route"}"#.to_vec())));
        let home = tempfile::tempdir().expect("home");
        let config = home.path().join(".config/blnk-alerts/config.toml");
        std::fs::create_dir_all(config.parent().expect("dir")).expect("mkdir");
        std::fs::write(&config, "# the team's views\n[[views]]\nname = \"Money\"\nfilter = \"type:transaction\"\n")
            .expect("write");
        let home_dir = home.path().to_string_lossy().into_owned();
        let url = server.url.to_string();
        let env = [
            ("HOME", home_dir.as_str()),
            ("BLNK_API_URL", url.as_str()),
            ("BLNK_API_KEY", "blnk_foreign_key_0123456789"),
        ];
        let mut pty = Pty::spawn(common::cli::BIN, &["--interval", "60"], &env, 140, 34);
        pty.wait_text("Alerts 3/3", 20);
        assert!(pty.screen().contains(" Money 2 "), "the view's tab and count:\n{}", pty.screen());

        pty.send("T");
        pty.wait_text("▶ ■ Flagged", 5);
        // The built-ins come first, then the organisation's own.
        pty.send("jjj");
        pty.wait_text("▶ ■ Chargeback", 5);
        pty.send("dd");
        pty.wait_text("used by 1 alert", 10);
        pty.send("n");
        pty.wait_text("Name:", 5);
        pty.type_text("Escalated");
        pty.send("\t\r");
        pty.wait_text("\"Escalated\" created", 10);
        pty.send("\u{1b}");
        pty.wait_for("the statuses screen closed", 5, |s| !s.contains("▶ ■ Flagged"));

        // The Chargeback tab, saved as a view: written into the file, the comment kept.
        pty.send("]]]]]");
        pty.wait_text("[Chargeback 1]", 5);
        pty.send("V");
        pty.wait_text("view save", 5);
        pty.type_text("Chargebacks");
        pty.send("\r");
        pty.wait_text("saved in", 10);
        pty.send("q");
        assert_eq!(pty.wait_exit(10), 0);
        let written = std::fs::read_to_string(&config).expect("read");
        assert!(written.starts_with("# the team's views\n[[views]]\nname = \"Money\""), "{written}");
        assert!(written.contains("name = \"Chargebacks\"") && written.contains("tab = \"CHARGEBACK\""), "{written}");
        let log = std::fs::read_to_string(home.path().join(".local/state/blnk-alerts/blnk-alerts.log")).expect("a log");
        assert_eq!((log.matches("method=DELETE").count(), log.matches("method=POST").count()), (1, 1), "{log}");
    });
}
