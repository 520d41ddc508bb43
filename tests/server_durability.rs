//! The real `serve` binary on its `SQLite` file, killed the hard way: an acknowledged write
//! survives `kill -9`, a restart with `--seed demo` never reseeds a database that has alerts, and
//! 1,000 concurrent flags from 20 clients are all acknowledged, listed, distinct and kept.
//! Every test has a time limit, and a guard kills every child process on every path.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use blnk_alerts::api::{AlertUpdate, FlagRequest, NewStatus, ReadClient, WriteClient};
use blnk_alerts::domain::{Alert, AlertId, EntityId, StatusKey};
use common::{LIMIT, clients, config_for};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

const BIN: &str = env!("CARGO_BIN_EXE_blnk-alerts");
const SIGKILL: i32 = 9;
/// How long the binary may take to print its address.
const STARTUP: Duration = Duration::from_secs(30);

async fn limited<F: Future<Output = ()>>(test: F) {
    tokio::time::timeout(LIMIT, test).await.expect("the test finishes within its time limit");
}

/// Owns a child process and kills it (SIGKILL) when dropped: on success, failure and panic.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        // Fails only when the child is already gone.
        let _ = self.0.start_kill();
    }
}

/// A running `blnk-alerts serve` and the base URL it printed.
struct Served {
    child: ChildGuard,
    url: url::Url,
    /// Kept open so the server never writes to a closed pipe.
    _stdout: Lines<BufReader<ChildStdout>>,
}

impl Served {
    /// Starts `serve --no-auth` on `db` with `extra` flags, on a port the system picks; if the
    /// binary cannot report that port, on a free port picked here.
    async fn start(dir: &Path, db: &Path, extra: &[&str]) -> Self {
        match Self::spawn(dir, db, "127.0.0.1:0", extra).await {
            Ok(served) if served.url.port().is_some_and(|p| p != 0) => served,
            _ => {
                let port = {
                    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
                    listener.local_addr().expect("local addr").port()
                };
                let addr = format!("127.0.0.1:{port}");
                Self::spawn(dir, db, &addr, extra).await.unwrap_or_else(|why| panic!("serve on {addr}: {why}"))
            }
        }
    }

    async fn spawn(dir: &Path, db: &Path, addr: &str, extra: &[&str]) -> Result<Self, String> {
        let log = dir.join(format!("serve-{}.log", uuid::Uuid::new_v4()));
        let stderr = std::fs::File::create(&log).map_err(|e| e.to_string())?;
        let db = db.to_str().ok_or("a UTF-8 path")?;
        let mut child = Command::new(BIN)
            .args(["serve", "--addr", addr, "--db", db, "--no-auth"])
            .args(extra)
            .env_clear()
            .env("HOME", dir)
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env("XDG_STATE_HOME", dir.join("state"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {BIN}: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let child = ChildGuard(child);
        let mut lines = BufReader::new(stdout).lines();
        let log_text = || std::fs::read_to_string(&log).unwrap_or_default();
        let first = match tokio::time::timeout(STARTUP, lines.next_line()).await {
            Ok(Ok(Some(line))) => line,
            other => return Err(format!("no address line ({other:?}); stderr: {}", log_text())),
        };
        let url = first
            .strip_prefix("listening on ")
            .and_then(|u| u.parse::<url::Url>().ok())
            .ok_or_else(|| format!("unexpected first line {first:?}; stderr: {}", log_text()))?;
        let second = tokio::time::timeout(STARTUP, lines.next_line()).await;
        if !matches!(&second, Ok(Ok(Some(line))) if line.contains("no authentication")) {
            return Err(format!("unexpected key line {second:?}"));
        }
        Ok(Self { child, url, _stdout: lines })
    }

    fn clients(&self) -> (ReadClient, WriteClient) {
        clients(&config_for(self.url.clone()))
    }

    /// Sends SIGKILL (no chance to flush or shut down) and reaps the process.
    async fn kill9(mut self) -> ExitStatus {
        self.child.0.start_kill().expect("SIGKILL sent");
        tokio::time::timeout(Duration::from_secs(10), self.child.0.wait())
            .await
            .expect("the process dies at once")
            .expect("reaped")
    }
}

async fn kill9(served: Served) {
    let status = served.kill9().await;
    assert_eq!(status.signal(), Some(SIGKILL), "{status:?}");
}

fn entity(n: usize) -> EntityId {
    let prefix = ["bln", "txn", "idt"][n % 3];
    format!("{prefix}_{}", uuid::Uuid::new_v4()).parse().expect("valid entity id")
}

fn by_id(alerts: Vec<Alert>) -> BTreeMap<String, Alert> {
    let count = alerts.len();
    let map: BTreeMap<String, Alert> = alerts.into_iter().map(|a| (a.anomaly_id.to_string(), a)).collect();
    assert_eq!(map.len(), count, "no alert is listed twice");
    map
}

fn keys(status_keys: impl IntoIterator<Item = StatusKey>) -> Vec<String> {
    status_keys.into_iter().map(|k| k.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_flags_and_updates_survive_kill_9() {
    limited(async {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("alerts.db");
        let served = Served::start(dir.path(), &db, &[]).await;
        let (_, write) = served.clients();

        // Every write below is acknowledged before the next is sent; the map holds the last
        // answer for each alert, which is what a restart must give back.
        let pending = NewStatus { name: "Pending Review".into(), colour: "#8B5CF6".into(), key: None };
        let custom = write.create_status(&pending).await.expect("status acknowledged");
        let mut acknowledged = BTreeMap::new();
        let mut order = Vec::new();
        for n in 0..50 {
            let request = FlagRequest {
                title: Some(format!("Durable flag {n}")),
                description: format!("number {n}\nsecond line"),
            };
            let alert = write.flag(&entity(n), &request).await.expect("flag acknowledged");
            order.push(alert.anomaly_id.clone());
            assert!(acknowledged.insert(alert.anomaly_id.to_string(), alert).is_none(), "a fresh id");
        }
        for (n, id) in order.iter().enumerate() {
            let status = match n % 5 {
                0 => Some(StatusKey::from_name("Investigating").expect("key")),
                1 => Some(StatusKey::from_name("Resolved").expect("key")),
                2 if n % 10 == 2 => Some(custom.key.clone()),
                _ => None,
            };
            let description = (n % 4 == 0).then(|| format!("rewritten {n}"));
            let title = (n % 7 == 0).then(|| format!("Retitled {n}"));
            let update = AlertUpdate { title, description, status };
            if update.is_empty() {
                continue;
            }
            let updated = write.update(id, &update).await.expect("update acknowledged");
            acknowledged.insert(id.to_string(), updated);
        }
        let changed = acknowledged.values().filter(|a| a.updated_at > a.created_at).count();
        assert!(changed >= 25, "most alerts were updated: {changed}");

        kill9(served).await;
        let served = Served::start(dir.path(), &db, &[]).await;
        let (read, write) = served.clients();
        let listed = by_id(read.list_alerts().await.expect("list after the restart"));
        assert_eq!(listed.len(), 50, "every acknowledged flag, and nothing else");
        assert_eq!(listed, acknowledged, "every alert as last acknowledged");
        for id in order.iter().step_by(7) {
            assert_eq!(&read.get_alert(id).await.expect("get after the restart"), &acknowledged[id.as_str()]);
        }
        let statuses = read.list_statuses().await.expect("statuses after the restart");
        let status_keys = keys(statuses.data.into_iter().map(|s| s.key));
        assert_eq!(status_keys, ["FLAGGED", "INVESTIGATING", "RESOLVED", "PENDING_REVIEW"]);
        let used: BTreeSet<&str> = listed.values().map(|a| a.status.as_str()).collect();
        assert_eq!(used, BTreeSet::from(["FLAGGED", "INVESTIGATING", "PENDING_REVIEW", "RESOLVED"]));

        // The database is still healthy: it takes a new flag.
        write.flag(&entity(0), &FlagRequest { title: None, description: "after".into() }).await.expect("flag");
        assert_eq!(read.list_alerts().await.expect("list").len(), 51);
        kill9(served).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarting_with_a_seed_never_reseeds_a_database_that_has_alerts() {
    limited(async {
        let dir = tempfile::tempdir().expect("tempdir");

        // Alerts flagged by hand, then a restart asking for the demo seed.
        let db = dir.path().join("flagged.db");
        let served = Served::start(dir.path(), &db, &[]).await;
        let (read, write) = served.clients();
        for n in 0..3 {
            write.flag(&entity(n), &FlagRequest { title: None, description: format!("own {n}") }).await.expect("flag");
        }
        let own = by_id(read.list_alerts().await.expect("list"));
        kill9(served).await;
        let served = Served::start(dir.path(), &db, &["--seed", "demo"]).await;
        let (read, _) = served.clients();
        assert_eq!(by_id(read.list_alerts().await.expect("list")), own, "the demo seed was not added");
        let statuses = read.list_statuses().await.expect("statuses");
        assert_eq!(keys(statuses.data.into_iter().map(|s| s.key)), StatusKey::BUILT_IN, "no demo statuses either");
        kill9(served).await;

        // A seeded database, restarted with the same seed and with another one.
        let db = dir.path().join("demo.db");
        let served = Served::start(dir.path(), &db, &["--seed", "demo"]).await;
        let (read, _) = served.clients();
        let seeded = by_id(read.list_alerts().await.expect("list"));
        assert_eq!(seeded.len(), 200, "an empty database is seeded");
        let seeded_statuses = read.list_statuses().await.expect("statuses");
        assert!(seeded_statuses.data.len() > 3, "the demo adds statuses");
        kill9(served).await;
        for seed in ["demo", "500"] {
            let served = Served::start(dir.path(), &db, &["--seed", seed]).await;
            let (read, _) = served.clients();
            // Seeding stamps times relative to now: equal alerts mean none was written again.
            assert_eq!(by_id(read.list_alerts().await.expect("list")), seeded, "--seed {seed} reseeded");
            assert_eq!(read.list_statuses().await.expect("statuses"), seeded_statuses);
            kill9(served).await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_flags_from_twenty_clients_are_all_kept() {
    limited(async {
        let dir = tempfile::tempdir().expect("tempdir");
        let db: PathBuf = dir.path().join("load.db");
        let served = Served::start(dir.path(), &db, &[]).await;
        let mut flaggers = tokio::task::JoinSet::new();
        for client in 0..20 {
            // A client of its own for each: its own connections, as 20 users would have.
            let (_, write) = served.clients();
            flaggers.spawn(async move {
                let mut flagged = Vec::new();
                for n in 0..50 {
                    let entity = entity(client + n);
                    let request =
                        FlagRequest { title: Some(format!("client {client}")), description: format!("flag {n}") };
                    let alert =
                        write.flag(&entity, &request).await.unwrap_or_else(|e| panic!("client {client} flag {n}: {e}"));
                    assert_eq!(alert.entity(), Some(entity.as_str()));
                    flagged.push(alert);
                }
                flagged
            });
        }
        let mut acknowledged = Vec::new();
        while let Some(flagged) = flaggers.join_next().await {
            acknowledged.extend(flagged.expect("a client finished"));
        }
        assert_eq!(acknowledged.len(), 1_000, "every flag acknowledged");
        let acknowledged = by_id(acknowledged);
        let entities: BTreeSet<&str> = acknowledged.values().filter_map(Alert::entity).collect();
        assert_eq!(entities.len(), 1_000, "each alert is for its own entity");

        let (read, _) = served.clients();
        assert_eq!(by_id(read.list_alerts().await.expect("list")), acknowledged, "all listed, all distinct");
        kill9(served).await;
        let served = Served::start(dir.path(), &db, &[]).await;
        let (read, _) = served.clients();
        assert_eq!(by_id(read.list_alerts().await.expect("list")), acknowledged, "all kept through kill -9");
        kill9(served).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_is_one_log_line_with_its_method_path_status_and_time() {
    limited(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let served = Served::spawn(dir.path(), &dir.path().join("a.db"), "127.0.0.1:0", &[]).await.expect("serves");
        let (read, _) = served.clients();
        read.list_alerts().await.expect("listed");
        let missing: AlertId = "ano_8a380fd1-0289-46d1-bc76-aa17a510a64e".parse().expect("an id");
        assert!(read.get_alert(&missing).await.is_err());
        // The server's standard error, which `spawn` keeps in a serve-*.log file.
        let stderr_of = || {
            std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with("serve-"))
                .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                .collect::<String>()
        };
        // The line is written (to an unbuffered stderr) before the answer leaves the server,
        // so both are there once both answers are in.
        let text = stderr_of();
        let lines: Vec<&str> = text.lines().filter(|l| l.contains("request")).collect();
        assert!(
            lines.iter().any(|l| l.contains("method=GET")
                && l.contains("path=/alerts")
                && l.contains("status=200")
                && l.contains("took_ms=")),
            "{text}"
        );
        assert!(
            lines.iter().any(|l| l.contains(&format!("path=/alerts/{missing}")) && l.contains("status=404")),
            "{text}"
        );
        kill9(served).await;
    })
    .await;
}
