//! Marks and a bulk status change in the real dashboard, against a Blnk-compatible server that
//! is not ours: three alerts marked, one `PUT` refused, the report says which and why, and the
//! refused one stays marked.

mod common;
#[path = "common/deadline.rs"]
mod deadline;
#[path = "common/routed.rs"]
mod routed;

use std::collections::HashMap;

use common::LIMIT;
use common::pty::Pty;
use routed::Answer;

const IDS: [&str; 3] = [
    "ano_11111111-1111-4111-8111-111111111111",
    "ano_22222222-2222-4222-8222-222222222222",
    "ano_33333333-3333-4333-8333-333333333333",
];

fn alert(id: &str, n: usize, status: &str) -> serde_json::Value {
    serde_json::json!({
        "anomaly_id": id, "title": format!("Foreign alert {n}"), "description": "From elsewhere",
        "type": "Balance", "status": status, "assigned_to": "Ada Okafor",
        "affected_balances": ["bln_20f02af6-3728-4d37-9b5a-c7ed080f09df"],
        "created_at": format!("2026-11-30T10:0{n}:00Z"), "updated_at": format!("2026-11-30T10:0{n}:00Z")
    })
}

#[test]
fn a_bulk_change_with_one_refused_put_reports_it_and_keeps_it_marked() {
    deadline::within(LIMIT, || {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let list: Vec<_> = IDS.iter().enumerate().map(|(n, id)| alert(id, n, "FLAGGED")).collect();
        let mut routes = HashMap::from([
            ("/alerts".to_owned(), Answer::json(200, serde_json::to_vec(&list).expect("json"))),
            (
                "/alerts/statuses".to_owned(),
                Answer::json(200, br##"{"data":[{"key":"RESOLVED","name":"Resolved","colour":"#10B981"}]}"##.to_vec()),
            ),
            (
                format!("/alerts/flag/{}", IDS[2]),
                Answer::json(409, br#"{"error":"alert is locked by a review"}"#.to_vec()),
            ),
        ]);
        for (n, id) in IDS.iter().enumerate().take(2) {
            let answer = serde_json::to_vec(&alert(id, n, "RESOLVED")).expect("json");
            routes.insert(format!("/alerts/flag/{id}"), Answer::json(200, answer));
        }
        let server = runtime.block_on(routed::start(routes, Answer::json(404, br#"{"error":"no route"}"#.to_vec())));
        let home = tempfile::tempdir().expect("home");
        let home_dir = home.path().to_string_lossy().into_owned();
        let url = server.url.to_string();
        let env = [
            ("HOME", home_dir.as_str()),
            ("BLNK_API_URL", url.as_str()),
            ("BLNK_API_KEY", "blnk_foreign_key_0123456789"),
        ];
        let mut pty = Pty::spawn(common::cli::BIN, &["--interval", "60"], &env, 140, 30);
        pty.wait_text("Alerts 3/3", 20);
        pty.send("   ");
        pty.wait_text("3 marked", 5);
        pty.send("t");
        pty.wait_text("3 marked alerts", 5);
        pty.type_text("resolved");
        pty.send("\r");
        pty.wait_text("Set the status of 3 marked alerts to Resolved?", 5);
        pty.send("y");
        pty.wait_text("set on 2 of 3", 10);
        let screen = pty.screen();
        assert!(screen.contains("1 failed (L shows why), still marked") && screen.contains(IDS[2]), "{screen}");
        assert!(screen.contains("1 marked"), "the refused one stays marked:\n{screen}");
        pty.send("q");
        assert_eq!(pty.wait_exit(10), 0);
        let log = std::fs::read_to_string(home.path().join(".local/state/blnk-alerts/blnk-alerts.log")).expect("a log");
        assert_eq!(log.matches("method=PUT").count(), 3, "one PUT per alert:\n{log}");
        assert!(log.contains("alert is locked by a review"), "the whole report is in the log:\n{log}");
    });
}
