//! The scripting commands for a shift of triage: `list --filter` in the dashboard's language,
//! `--output csv|ids` for other tools, statuses checked before anything is sent, and
//! `update ID...` / `update -` changing many alerts with one result each.

mod common;

use blnk_alerts::config::ApiKey;
use blnk_alerts::server::{RunningServer, Seed};
use common::cli::run;
use common::{LIMIT, key, server};

const UNKNOWN: &str = "ano_8a380fd1-0289-46d1-bc76-aa17a510a64e";

fn home() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn alerts(json: &str) -> Vec<serde_json::Value> {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("a JSON array ({e}): {json}"))
}

/// A server (seeded with `seed`) the commands are pointed at, and a home for them to run in.
struct Against {
    server: RunningServer,
    url: String,
    key: ApiKey,
    home: tempfile::TempDir,
}

impl Against {
    async fn start(seed: Option<Seed>) -> Self {
        let server = server(seed, false).await;
        let url = server.base_url().to_string();
        Self { server, url, key: key(), home: home() }
    }

    async fn stop(self) {
        self.server.shutdown().await;
    }

    /// The environment that points a command at this server.
    fn env(&self) -> [(&str, &str); 2] {
        [("BLNK_API_URL", self.url.as_str()), ("BLNK_API_KEY", self.key.expose())]
    }
}

#[tokio::test]
async fn list_filters_in_the_dashboard_language_and_prints_csv_or_ids() {
    tokio::time::timeout(LIMIT, async {
        let against = Against::start(Some(Seed::Demo)).await;
        let [url, api_key] = against.env();
        let (env, home) = ([url, api_key, ("BLNK_ME", "Ada Okafor")], &against.home);
        let all = alerts(&run(&["list", "--output", "json"], &env, home.path(), None).await.stdout);

        let filter = "type:transaction,balance -status:resolved age:<30d";
        let some = run(&["list", "--filter", filter, "--output", "json"], &env, home.path(), None).await;
        assert_eq!(some.code, 0, "{}", some.stderr);
        let some = alerts(&some.stdout);
        let expected = all
            .iter()
            .filter(|a| a["type"] == "Transaction" || a["type"] == "Balance")
            .filter(|a| a["status"] != "RESOLVED")
            .count();
        assert!(!some.is_empty() && some.len() < all.len(), "{} of {}", some.len(), all.len());
        assert_eq!(some.len(), expected, "every demo alert is younger than 30 days");

        let mine = run(&["list", "--filter", "assigned:me", "--output", "ids"], &env, home.path(), None).await;
        let ada = all.iter().filter(|a| a["assigned_to"] == "Ada Okafor").count();
        assert_eq!((mine.code, mine.stdout.lines().count()), (0, ada), "{}", mine.stderr);
        assert!(ada > 0 && mine.stdout.lines().all(|l| l.starts_with("ano_") && !l.contains('\t')));

        let csv = run(&["list", "--filter", "status:resolved", "--output", "csv"], &env, home.path(), None).await;
        assert_eq!(csv.code, 0, "{}", csv.stderr);
        let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
        let header = reader.headers().expect("a header").clone();
        let status = header.iter().position(|h| h == "status").expect("a status column");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a valid row")).collect();
        let resolved = all.iter().filter(|a| a["status"] == "RESOLVED").count();
        assert_eq!(rows.len(), resolved);
        assert!(rows.iter().all(|r| &r[status] == "RESOLVED"));
        against.stop().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn a_bad_filter_or_status_is_a_usage_error_that_names_what_exists() {
    tokio::time::timeout(LIMIT, async {
        let against = Against::start(Some(Seed::Demo)).await;
        let (env, home) = (against.env(), &against.home);
        let cases: [(&[&str], &str); 5] = [
            (&["list", "--filter", "card foo:bar"], "at character 6: there is no field \"foo\"; the fields are status"),
            (&["list", "--filter", "age:2h"], "needs < or >"),
            (&["list", "--filter", "status:bogus"], "no status \"bogus\"; the statuses are"),
            (&["list", "--status", "bogus"], "no status BOGUS; the statuses are"),
            (&["update", UNKNOWN, "-", "--title", "x"], "several alerts take only --status"),
        ];
        for (args, expected) in cases {
            let out = run(args, &env, home.path(), Some("")).await;
            assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
            assert!(out.stderr.contains(expected), "{args:?}: {}", out.stderr);
            assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
        }
        let listed = run(&["list", "--status", "bogus"], &env, home.path(), None).await;
        assert!(listed.stderr.contains("FLAGGED") && listed.stderr.contains("RESOLVED"), "{}", listed.stderr);
        against.stop().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn update_changes_the_status_of_many_alerts_with_one_result_each() {
    tokio::time::timeout(LIMIT, async {
        let against = Against::start(Some(Seed::Demo)).await;
        let (env, home) = (against.env(), &against.home);
        let flagged = run(&["list", "--status", "flagged", "--output", "ids"], &env, home.path(), None).await;
        let ids: Vec<&str> = flagged.stdout.lines().take(6).collect();
        assert_eq!(ids.len(), 6, "the demo has flagged alerts: {}", flagged.stderr);

        // Three as arguments, one unknown among them: exit 1, a result for each, in order.
        let args = ["update", ids[0], UNKNOWN, ids[1], ids[2], "--status", "investigating", "--output", "json"];
        let out = run(&args, &env, home.path(), None).await;
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(out.stderr.contains("1 of 4 alerts were not changed"), "{}", out.stderr);
        let results = alerts(&out.stdout);
        let order: Vec<&str> = results.iter().filter_map(|r| r["anomaly_id"].as_str()).collect();
        assert_eq!(order, [ids[0], UNKNOWN, ids[1], ids[2]]);
        assert_eq!(results[1]["ok"], false);
        assert!(results[1]["error"].as_str().is_some_and(|e| e.contains("404")), "{}", results[1]);
        assert!(results.iter().filter(|r| r["ok"] == true).all(|r| r["status"] == "INVESTIGATING"));

        // The rest from standard input, one a line (blank lines and repeats are fine).
        let stdin = format!("{}\n\n{}\n{}\n{}\n", ids[3], ids[4], ids[5], ids[3]);
        let out = run(&["update", "-", "--status", "resolved"], &env, home.path(), Some(&stdin)).await;
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);
        assert!(out.stdout.lines().all(|l| l.ends_with("\tset to RESOLVED")), "{}", out.stdout);

        let resolved = run(&["list", "--status", "resolved", "--output", "ids"], &env, home.path(), None).await;
        assert!(ids[3..].iter().all(|id| resolved.stdout.lines().any(|l| l == *id)));

        // An unknown status or a bad id: nothing is sent at all.
        let out = run(&["update", ids[0], ids[1], "--status", "bogus"], &env, home.path(), None).await;
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("no status BOGUS") && out.stderr.contains("nothing was sent"), "{}", out.stderr);
        let out = run(&["update", ids[0], "nope", "--status", "flagged"], &env, home.path(), None).await;
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("id 2 (nope)"), "{}", out.stderr);
        let still = run(&["list", "--status", "investigating", "--output", "ids"], &env, home.path(), None).await;
        assert!(ids[..3].iter().all(|id| still.stdout.lines().any(|l| l == *id)), "nothing was changed back");
        against.stop().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn stats_agree_with_counts_made_from_the_list_itself() {
    tokio::time::timeout(LIMIT, async {
        let against = Against::start(Some(Seed::Demo)).await;
        let (env, home) = (against.env(), &against.home);
        let all = alerts(&run(&["list", "--output", "json"], &env, home.path(), None).await.stdout);
        let stats = run(&["stats", "--filter=-type:identity", "--output", "json"], &env, home.path(), None).await;
        assert_eq!(stats.code, 0, "{}", stats.stderr);
        let stats: serde_json::Value = serde_json::from_str(&stats.stdout).expect("JSON");

        let chosen: Vec<&serde_json::Value> = all.iter().filter(|a| a["type"] != "Identity").collect();
        assert_eq!(stats["total"], chosen.len());
        let settled = ["RESOLVED", "FALSE_POSITIVE"];
        let open = chosen.iter().filter(|a| !settled.contains(&a["status"].as_str().unwrap_or(""))).count();
        assert_eq!(stats["open"], open);
        let transactions = chosen.iter().filter(|a| a["type"] == "Transaction").count();
        let by_type = stats["by_type"].as_array().expect("by_type");
        assert!(by_type.iter().any(|t| t[0] == "Transaction" && t[1] == transactions), "{by_type:?}");
        assert!(by_type.iter().all(|t| t[0] != "Identity"), "the filter applies");
        let ada = chosen.iter().filter(|a| a["assigned_to"] == "Ada Okafor").count();
        let busiest = stats["busiest_assignees"].as_array().expect("assignees");
        assert!(busiest.len() <= 10 && busiest.iter().any(|p| p[0] == "Ada Okafor" && p[1] == ada), "{busiest:?}");
        // The demo spans 14 days: every alert is in one of the 14 days, give or take midnight.
        let days: usize = stats["created_per_day"]
            .as_array()
            .expect("days")
            .iter()
            .map(|d| d["total"].as_u64().and_then(|n| usize::try_from(n).ok()).unwrap_or(0))
            .sum();
        assert!(days <= chosen.len() && days + 20 >= chosen.len(), "{days} of {}", chosen.len());

        let table = run(&["stats"], &env, home.path(), None).await;
        assert!(
            table.stdout.contains("created per day") && table.stdout.contains("busiest assignees"),
            "{}",
            table.stdout
        );
        against.stop().await;
    })
    .await
    .expect("within the limit");
}

#[tokio::test]
async fn statuses_update_keeps_what_is_not_given() {
    tokio::time::timeout(LIMIT, async {
        let against = Against::start(None).await;
        let (env, home) = (against.env(), &against.home);
        let renamed =
            run(&["statuses", "update", "flagged", "--name", "Raised", "--output", "json"], &env, home.path(), None)
                .await;
        assert_eq!(renamed.code, 0, "{}", renamed.stderr);
        let status: serde_json::Value = serde_json::from_str(&renamed.stdout).expect("JSON");
        assert_eq!((&status["name"], &status["colour"]), (&serde_json::json!("Raised"), &serde_json::json!("#EF4444")));
        let recoloured =
            run(&["statuses", "update", "FLAGGED", "--colour", "#e11d48", "--output", "json"], &env, home.path(), None)
                .await;
        let status: serde_json::Value = serde_json::from_str(&recoloured.stdout).expect("JSON");
        assert_eq!((&status["name"], &status["colour"]), (&serde_json::json!("Raised"), &serde_json::json!("#E11D48")));
        let neither = run(&["statuses", "update", "FLAGGED"], &env, home.path(), None).await;
        assert_eq!(neither.code, 2, "{}", neither.stderr);
        let bad = run(&["statuses", "update", "FLAGGED", "--colour", "#123456"], &env, home.path(), None).await;
        assert!(bad.stderr.contains("#0EA5E9"), "every allowed colour, the last too: {}", bad.stderr);
        against.stop().await;
    })
    .await
    .expect("within the limit");
}
