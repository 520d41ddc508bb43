//! The commands against a Blnk-compatible server that is not ours (tests/foreign/server.py,
//! written from the contract with other choices), with either list shape.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::cli::run;

const KEY: &str = "blnk_foreign_key_9f8e7d6c5b4a";
const TXN: &str = "txn_5b0c5d8e-1f2a-4c3b-9d4e-6f7a8b9c0d1e";
const SOURCE: &str = "bln_0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const IDENTITY: &str = "idt_9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f";

/// The foreign server as a child process, killed on drop.
struct Foreign(Child, String);

impl Foreign {
    fn start(bare: bool) -> Self {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/foreign/server.py");
        let mut args = vec![script, KEY];
        if bare {
            args.push("--bare");
        }
        let mut child = Command::new("python3")
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs the foreign server");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        BufReader::new(stdout).read_line(&mut line).expect("the server prints its port");
        let port = line.trim().to_owned();
        Self(child, format!("http://127.0.0.1:{port}/"))
    }
}

impl Drop for Foreign {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_commands_work_against_another_implementation_with_either_list_shape() {
    tokio::time::timeout(common::LIMIT, async {
        for bare in [false, true] {
            let foreign = Foreign::start(bare);
            let env = [("BLNK_API_URL", foreign.1.as_str()), ("BLNK_API_KEY", KEY)];
            let home = tempfile::tempdir().expect("temp dir");
            let home = home.path();
            let flagged = run(
                &[
                    "flag",
                    "idt_0b1e4c1a-7f3d-4a52-9e1b-2f6c8d9a0e11",
                    "--description",
                    "Sanctions list hit",
                    "--output",
                    "json",
                ],
                &env,
                home,
                None,
            )
            .await;
            assert_eq!(flagged.code, 0, "{}", flagged.stderr);
            let alert: serde_json::Value = serde_json::from_str(&flagged.stdout).expect("json");
            let id = alert["anomaly_id"].as_str().expect("id").to_owned();
            assert_eq!(alert["type"], "Identity");

            let list = run(&["list", "--output", "json"], &env, home, None).await;
            assert_eq!(list.code, 0, "{}", list.stderr);
            let alerts: Vec<serde_json::Value> = serde_json::from_str(&list.stdout).expect("array");
            assert_eq!(alerts.len(), 1, "bare={bare}");

            let table = run(&["list"], &env, home, None).await;
            assert!(table.stdout.contains("(no title)") && table.stdout.contains("Identity"), "{}", table.stdout);

            let updated =
                run(&["update", &id, "--status", "resolved", "--title", "Confirmed hit"], &env, home, None).await;
            assert_eq!(updated.code, 0, "{}", updated.stderr);
            assert!(updated.stdout.contains("RESOLVED") && updated.stdout.contains("Confirmed hit"));

            let refused = run(&["update", &id, "--status", "escalated"], &env, home, None).await;
            assert_eq!(refused.code, 1);
            assert!(refused.stderr.contains("unknown status ESCALATED"), "{}", refused.stderr);

            let wrong = run(
                &["list"],
                &[("BLNK_API_URL", foreign.1.as_str()), ("BLNK_API_KEY", "blnk_nope_0000000000")],
                home,
                None,
            )
            .await;
            assert_eq!(wrong.code, 1);
            assert!(wrong.stderr.contains("API key rejected"), "{}", wrong.stderr);

            // The Data API, enveloped as a list, numbers as strings, an amount beyond 2^53.
            let with_instance = [env[0], env[1], ("BLNK_INSTANCE_ID", "inst_foreign")];
            let txn = run(&["entity", TXN, "--output", "json"], &with_instance, home, None).await;
            assert_eq!(txn.code, 0, "{}", txn.stderr);
            assert!(txn.stdout.contains(r#""precise_amount": 90071992547409930001"#), "exact: {}", txn.stdout);
            let table = run(&["entity", TXN], &with_instance, home, None).await;
            assert!(table.stdout.contains("USD 900,719,925,474,099,300.01"), "{}", table.stdout);
            let balance = run(&["entity", SOURCE], &with_instance, home, None).await;
            assert!(balance.stdout.contains("balance      USD -1,250.00\n"), "{}", balance.stdout);
            assert!(balance.stdout.contains("precision    2 decimals, as usual for USD"), "{}", balance.stdout);
            let person = run(&["entity", IDENTITY], &with_instance, home, None).await;
            assert!(person.stdout.contains("name         (tokenized)"), "{}", person.stdout);
            let elsewhere = [env[0], env[1], ("BLNK_INSTANCE_ID", "inst_other")];
            let missing = run(&["entity", TXN], &elsewhere, home, None).await;
            assert_eq!(missing.code, 1);
            assert!(missing.stderr.contains("not found in instance inst_other (404)"), "{}", missing.stderr);
            let no_scope_key = format!("{KEY}_alerts_only");
            let no_scope = [env[0], ("BLNK_API_KEY", no_scope_key.as_str()), ("BLNK_INSTANCE_ID", "inst_foreign")];
            let refused = run(&["entity", TXN], &no_scope, home, None).await;
            assert!(refused.stderr.contains("(403)") && refused.stderr.contains("data:read"), "{}", refused.stderr);
            let unset = run(&["entity", TXN], &env, home, None).await;
            assert_eq!(unset.code, 2);
            assert!(unset.stderr.contains("instance id"), "{}", unset.stderr);
        }
    })
    .await
    .expect("within the time limit");
}
