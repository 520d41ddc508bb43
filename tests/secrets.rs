//! The API key never shows and never lands on disk. A unique canary key is the server's key
//! and the binary's `BLNK_API_KEY`; then the dashboard's screens and raw terminal bytes, the
//! output of every command (successes and failures), every `--help`, `config`, the `Debug`
//! of every type that holds the key and the text of every `ApiError` are searched for it, and
//! so is every file under the (temporary) home the commands ran with.

mod common;
#[path = "common/deadline.rs"]
mod deadline;
#[path = "common/routed.rs"]
mod routed;

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use blnk_alerts::api::{AlertUpdate, ApiError, Http, NewStatus, ReadClient, WriteClient};
use blnk_alerts::config::{ApiKey, Config, Flags};
use blnk_alerts::domain::{AlertId, StatusKey};
use blnk_alerts::server::{self, RunningServer, Seed, ServerOptions};
use common::cli::{BIN, Run};
use common::pty::Pty;
use routed::Answer;
use tokio::io::{AsyncBufReadExt, BufReader};

/// A key made for one test run: found anywhere, it leaked.
struct Canary(String);

impl Canary {
    fn new() -> Self {
        Self(format!("blnk_canary_{}", uuid::Uuid::new_v4().simple()))
    }

    fn key(&self) -> ApiKey {
        ApiKey::new(self.0.clone()).expect("non-empty")
    }

    /// What `config` may show: four asterisks and the last four characters.
    fn masked(&self) -> String {
        format!("****{}", &self.0[self.0.len() - 4..])
    }

    /// The key, its first 12 characters after `blnk_`, and its random part but the last four.
    fn needles(&self) -> [&str; 3] {
        let random = &self.0["blnk_canary_".len()..];
        [&self.0, &self.0[5..17], &random[..random.len() - 4]]
    }

    fn find_in(&self, bytes: &[u8]) -> Option<&str> {
        self.needles().into_iter().find(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes()))
    }

    fn assert_absent(&self, what: &str, text: &str) {
        if let Some(needle) = self.find_in(text.as_bytes()) {
            panic!("{what}: the key ({needle}) shows in:\n{text}");
        }
    }

    fn assert_run_clean(&self, what: &str, run: &Run) {
        self.assert_absent(&format!("{what}: stdout"), &run.stdout);
        self.assert_absent(&format!("{what}: stderr"), &run.stderr);
    }
}

/// A temporary home: `HOME` and every XDG directory (and `TMPDIR`) inside it.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["config", "state", "cache", "data", "tmp"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("create dir");
        }
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn sub(&self, name: &str) -> String {
        self.path().join(name).to_str().expect("utf-8 path").to_owned()
    }

    /// The environment for the binary: this home, plus `extra`.
    fn env(&self, extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        let mut env = vec![
            ("HOME", self.sub("")),
            ("XDG_CONFIG_HOME", self.sub("config")),
            ("XDG_STATE_HOME", self.sub("state")),
            ("XDG_CACHE_HOME", self.sub("cache")),
            ("XDG_DATA_HOME", self.sub("data")),
            ("TMPDIR", self.sub("tmp")),
        ];
        env.extend(extra.iter().map(|&(k, v)| (k, v.to_owned())));
        env
    }

    /// No file under the home holds the key (in its name or its bytes), but `allowed`, the
    /// config files a test wrote the key into itself.
    fn assert_no_key_on_disk(&self, canary: &Canary, allowed: &[PathBuf]) -> usize {
        let mut files = 0;
        let mut stack = vec![self.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read dir").map(|e| e.expect("entry")) {
                let path = entry.path();
                let name = path.to_string_lossy().into_owned();
                canary.assert_absent("a file name", &name);
                let kind = entry.file_type().expect("file type");
                if kind.is_dir() {
                    stack.push(path);
                } else if kind.is_file() && !allowed.contains(&path) {
                    files += 1;
                    let bytes = std::fs::read(&path).expect("read file");
                    if let Some(needle) = canary.find_in(&bytes) {
                        panic!("the key ({needle}) was written to {}", path.display());
                    }
                }
            }
        }
        files
    }
}

async fn server_with(key: ApiKey, seed: Option<Seed>) -> RunningServer {
    let options = ServerOptions { seed, api_key: Some(key), ..ServerOptions::demo() };
    server::start(options).await.expect("server starts")
}

/// A loopback port that refuses connections: bound (so no other server gets it) but not
/// listening. The port stays reserved while this lives.
struct ClosedPort {
    url: url::Url,
    _socket: tokio::net::TcpSocket,
}

fn closed_port() -> ClosedPort {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.bind("127.0.0.1:0".parse().expect("valid address")).expect("bind");
    let addr = socket.local_addr().expect("addr");
    ClosedPort { url: format!("http://{addr}/").parse().expect("valid url"), _socket: socket }
}

/// Routed servers that misbehave: one hangs, the others repeat the request (and its key).
struct Misbehaving {
    hang: routed::Routed,
    echo_page: routed::Routed,
    echo_error: routed::Routed,
    echo_token: routed::Routed,
    key_as_json: routed::Routed,
}

async fn misbehaving(canary: &Canary) -> Misbehaving {
    let all = |answer: Answer| routed::start(HashMap::new(), answer);
    Misbehaving {
        hang: all(Answer::Hang).await,
        echo_page: all(Answer::Echo { status: 200, content_type: "text/html" }).await,
        echo_error: all(Answer::Echo { status: 400, content_type: "text/html" }).await,
        echo_token: all(Answer::EchoAuthorization { status: 401 }).await,
        key_as_json: all(Answer::json(200, format!("{{\"data\": \"{}\"}}", canary.0))).await,
    }
}

// ---------------------------------------------------------------------------------------------
// Debug output and errors, in process.

fn config_for(url: url::Url, key: ApiKey) -> Config {
    Config::local(url, key)
}

fn clients(config: &Config) -> (ReadClient, WriteClient) {
    let http = Http::new(config).expect("client builds");
    (ReadClient::new(http.clone()), WriteClient::new(http))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_output_and_every_api_error_hide_the_key() {
    tokio::time::timeout(common::LIMIT, async {
        let canary = Canary::new();
        let key = canary.key();
        for text in [format!("{key:?}"), format!("{key:#?}")] {
            canary.assert_absent("ApiKey Debug", &text);
        }
        assert_eq!(key.masked(), canary.masked());
        assert_eq!(key.expose(), canary.0, "expose is the one way to the key");

        let server = server_with(key.clone(), Some(Seed::Demo)).await;
        let url = server.base_url();
        // The configuration as loaded from the environment, and as built for a local server.
        let flags = Flags { api_url: Some(url.to_string()), ..Flags::default() };
        let loaded = Config::load(&flags, |name| (name == "BLNK_API_KEY").then(|| canary.0.clone())).expect("loads");
        assert_eq!(loaded.api_key.as_ref().map(|s| s.value.expose()), Some(canary.0.as_str()));
        let local = config_for(url.clone(), key.clone());
        let http = Http::new(&loaded).expect("client builds");
        let (reader, writer) = clients(&local);
        for (what, text) in [
            ("Config", format!("{loaded:?}")),
            ("Config (pretty)", format!("{loaded:#?}")),
            ("Config::local", format!("{local:#?}")),
            ("Setting<ApiKey>", format!("{:?}", loaded.api_key)),
            ("Http", format!("{http:?}")),
            ("Http (pretty)", format!("{http:#?}")),
            ("ReadClient", format!("{reader:?}")),
            ("WriteClient", format!("{writer:#?}")),
        ] {
            canary.assert_absent(what, &text);
            assert!(!text.is_empty(), "{what}");
        }
        assert!(format!("{http:?}").contains("redacted"), "the key field says it is hidden");

        // Every kind of failure, caused for real with the canary as the key.
        let mut errors: Vec<(&str, ApiError)> = Vec::new();
        let missing: AlertId = "ano_00000000-0000-4000-8000-000000000000".parse().expect("valid id");
        errors.push(("404", reader.get_alert(&missing).await.expect_err("no such alert")));
        let taken = NewStatus { name: "Flagged".into(), colour: "#EF4444".into(), key: Some(StatusKey::flagged()) };
        errors.push(("409", writer.create_status(&taken).await.expect_err("exists")));
        let unknown = AlertUpdate { status: Some("NO_SUCH_STATUS".parse().expect("key")), ..AlertUpdate::default() };
        let some_id = reader.list_alerts().await.expect("list")[0].anomaly_id.clone();
        errors.push(("400", writer.update(&some_id, &unknown).await.expect_err("unknown status")));

        let other = server_with(ApiKey::new("blnk_another_key_entirely_0000").expect("key"), None).await;
        let (wrong, wrong_writer) = clients(&config_for(other.base_url(), key.clone()));
        errors.push(("401 read", wrong.list_alerts().await.expect_err("wrong key")));
        errors.push(("401 write", wrong_writer.create_status(&taken).await.expect_err("wrong key")));

        let closed = closed_port();
        let (refused, _) = clients(&config_for(closed.url.clone(), key.clone()));
        errors.push(("transport", refused.list_alerts().await.expect_err("refused")));

        let bad = misbehaving(&canary).await;
        let mut slow = config_for(bad.hang.url.clone(), key.clone());
        slow.timeout.value = Duration::from_secs(1);
        errors.push(("timeout", clients(&slow).0.list_alerts().await.expect_err("hangs")));
        for (what, server) in [
            ("echoed page", &bad.echo_page),
            ("echoed error", &bad.echo_error),
            ("echoed token", &bad.echo_token),
            ("key as JSON", &bad.key_as_json),
        ] {
            let (reader, writer) = clients(&config_for(server.url.clone(), key.clone()));
            errors.push((what, reader.list_alerts().await.expect_err("not an alert list")));
            errors.push((what, reader.get_alert(&missing).await.expect_err("not an alert")));
            errors.push((what, reader.list_statuses().await.expect_err("not a status list")));
            errors.push((what, writer.create_status(&taken).await.expect_err("not a status")));
        }
        let mut small = local.clone();
        small.max_body_bytes.value = 16;
        errors.push(("too large", clients(&small).0.list_alerts().await.expect_err("too large")));
        let mut keyless = local.clone();
        keyless.api_key = None;
        errors.push(("setup", Http::new(&keyless).expect_err("no key")));

        let kinds: Vec<&str> = errors
            .iter()
            .map(|(_, e)| match e {
                ApiError::Status { .. } => "status",
                ApiError::Transport { .. } => "transport",
                ApiError::Timeout { .. } => "timeout",
                ApiError::Decode(_) => "decode",
                ApiError::TooLarge { .. } => "too large",
                ApiError::Setup(_) => "setup",
            })
            .collect();
        for kind in ["status", "transport", "timeout", "decode", "too large", "setup"] {
            assert!(kinds.contains(&kind), "an ApiError of kind {kind} was caused");
        }
        // The misbehaving servers did repeat the key: the errors show it masked.
        for echoed in ["echoed page", "echoed error", "echoed token"] {
            let shown = errors.iter().any(|(what, e)| *what == echoed && e.to_string().contains(&canary.masked()));
            assert!(shown, "{echoed}: the repeated key shows masked");
        }
        for (what, error) in &errors {
            canary.assert_absent(&format!("ApiError ({what}) Display"), &error.to_string());
            canary.assert_absent(&format!("ApiError ({what}) Debug"), &format!("{error:?}"));
        }
        other.shutdown().await;
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

// ---------------------------------------------------------------------------------------------
// The binary's commands.

/// Runs the binary with `args` and `env` (which must include the home).
async fn run(args: &[&str], env: &[(&'static str, String)]) -> Run {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let home = env.iter().find(|(k, _)| *k == "HOME").map(|(_, v)| PathBuf::from(v)).expect("a home");
    common::cli::run(args, &env, &home, None).await
}

const HELP: [&[&str]; 17] = [
    &["--help"],
    &["-h"],
    &["--version"],
    &["help"],
    &["list", "--help"],
    &["get", "--help"],
    &["flag", "--help"],
    &["update", "--help"],
    &["statuses", "--help"],
    &["statuses", "list", "--help"],
    &["statuses", "create", "--help"],
    &["statuses", "update", "--help"],
    &["statuses", "delete", "--help"],
    &["config", "--help"],
    &["serve", "--help"],
    &["help", "flag"],
    &["help", "statuses", "create"],
];

/// The binary's environment: names and values.
type Env = Vec<(&'static str, String)>;

const BALANCE: &str = "bln_0b1e4c1a-7f3d-4a52-9e1b-2f6c8d9a0e11";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_command_prints_the_key_nor_writes_it_to_disk() {
    tokio::time::timeout(Duration::from_secs(120), async {
        let canary = Canary::new();
        let home = Home::new();
        let server = server_with(canary.key(), Some(Seed::Demo)).await;
        let url = server.base_url().to_string();
        // The log at its most verbose level is on disk too, and checked with the rest.
        let env = home.env(&[("BLNK_API_URL", &url), ("BLNK_API_KEY", &canary.0), ("BLNK_LOG", "trace")]);

        help_and_config(&canary, &env).await;
        let id = succeeding_commands(&canary, &env).await;
        failing_commands(&canary, &home, &env, &id).await;
        let key_files = key_in_config_files(&canary, &home, &url).await;

        // serve with the key in the environment: it says where the key came from, not what it is.
        let db = home.path().join("data").join("alerts.db");
        let serve_env = home.env(&[("BLNK_SERVER_API_KEY", &canary.0), ("BLNK_API_KEY", &canary.0)]);
        let printed = serve_briefly(&serve_env, &db).await;
        canary.assert_absent("serve", &printed);
        assert!(printed.contains("API key from BLNK_SERVER_API_KEY"), "{printed}");

        server.shutdown().await;
        let log = std::fs::read_to_string(home.path().join("state").join("blnk-alerts").join("blnk-alerts.log"))
            .expect("the commands wrote a log");
        for wanted in
            ["INFO started", "request method=GET path=\"/alerts\" status=200", "method=POST", "WARN request failed"]
        {
            assert!(log.contains(wanted), "{wanted:?} in the log:\n{log}");
        }
        let files = home.assert_no_key_on_disk(&canary, &key_files);
        assert!(files >= 2, "the database file and the log were checked too");
    })
    .await
    .expect("within the time limit");
}

/// Help and version, with the key in the environment; `config` shows it masked.
async fn help_and_config(canary: &Canary, env: &Env) {
    for args in HELP {
        let out = run(args, env).await;
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        canary.assert_run_clean(&format!("{args:?}"), &out);
    }
    let config = run(&["config"], env).await;
    assert_eq!(config.code, 0, "{}", config.stderr);
    canary.assert_run_clean("config", &config);
    let key_line = config.stdout.lines().find(|l| l.starts_with("api_key")).expect("an api_key line");
    assert!(key_line.contains(&canary.masked()) && key_line.contains("BLNK_API_KEY"), "{key_line}");
    assert_eq!(key_line.matches('*').count(), 4, "{key_line}");
}

/// Every command, succeeding; returns the id of an alert.
async fn succeeding_commands(canary: &Canary, env: &Env) -> String {
    let list = run(&["list", "--output", "json"], env).await;
    let alerts: Vec<serde_json::Value> = serde_json::from_str(&list.stdout).expect("JSON");
    let id = alerts[0]["anomaly_id"].as_str().expect("an id").to_owned();
    let succeed: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["list", "--status", "flagged", "--type", "balance"],
        vec!["get", &id],
        vec!["get", &id, "--output", "json"],
        vec!["flag", BALANCE, "--description", "Canary test", "--title", "Canary"],
        vec!["flag", BALANCE, "--description", "Canary test", "--output", "json"],
        vec!["update", &id, "--title", "Renamed"],
        vec!["update", &id, "--status", "investigating", "--output", "json"],
        vec!["statuses", "list"],
        vec!["statuses", "list", "--output", "json"],
        vec!["statuses", "create", "--name", "Canary Review", "--colour", "#8B5CF6"],
        vec!["statuses", "update", "CANARY_REVIEW", "--name", "Canary Check", "--colour", "#10B981"],
        vec!["statuses", "delete", "CANARY_REVIEW"],
    ];
    for args in &succeed {
        let out = run(args, env).await;
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        canary.assert_run_clean(&format!("{args:?}"), &out);
    }
    canary.assert_run_clean("list --output json", &list);
    id
}

/// Every way a command fails: refused input, HTTP errors, a wrong key, nothing listening, a
/// server that hangs, servers that repeat the key back, no key at all.
async fn failing_commands(canary: &Canary, home: &Home, env: &Env, id: &str) {
    let other = server_with(ApiKey::new("blnk_another_key_entirely_0000").expect("key"), None).await;
    let other_url = other.base_url().to_string();
    let closed_port = closed_port();
    let closed = closed_port.url.to_string();
    let bad = misbehaving(canary).await;
    let at = |url: &str| home.env(&[("BLNK_API_URL", url), ("BLNK_API_KEY", &canary.0)]);
    let url = env.iter().find(|(k, _)| *k == "BLNK_API_URL").map(|(_, v)| v.clone()).expect("a URL");
    let failures: Vec<(&str, Vec<&str>, Env)> = vec![
        ("404", vec!["get", "ano_00000000-0000-4000-8000-000000000000"], env.clone()),
        (
            "409",
            vec!["statuses", "create", "--name", "Flagged", "--colour", "#EF4444", "--key", "FLAGGED"],
            env.clone(),
        ),
        ("400", vec!["update", id, "--status", "NO_SUCH_STATUS"], env.clone()),
        ("usage: bad id", vec!["get", "not-an-id"], env.clone()),
        ("usage: bad entity", vec!["flag", "ldg_1", "--description", "x"], env.clone()),
        ("usage: nothing to update", vec!["update", id], env.clone()),
        ("usage: bad status", vec!["list", "--status", "bad key!"], env.clone()),
        ("usage: clap", vec!["list", "--output", "yaml"], env.clone()),
        ("usage: unknown command", vec!["frobnicate"], env.clone()),
        ("401 list", vec!["list"], at(&other_url)),
        ("401 flag", vec!["flag", BALANCE, "--description", "x"], at(&other_url)),
        ("401 statuses", vec!["statuses", "list", "--output", "json"], at(&other_url)),
        ("refused list", vec!["list"], at(&closed)),
        ("refused flag", vec!["flag", BALANCE, "--description", "x"], at(&closed)),
        ("timeout", vec!["list", "--timeout", "1"], at(bad.hang.url.as_str())),
        ("timeout flag", vec!["flag", BALANCE, "--description", "x", "--timeout", "1"], at(bad.hang.url.as_str())),
        ("echoed page", vec!["list"], at(bad.echo_page.url.as_str())),
        ("echoed page get", vec!["get", id], at(bad.echo_page.url.as_str())),
        ("echoed error", vec!["list"], at(bad.echo_error.url.as_str())),
        ("echoed error flag", vec!["flag", BALANCE, "--description", "x"], at(bad.echo_error.url.as_str())),
        ("echoed token", vec!["list"], at(bad.echo_token.url.as_str())),
        ("echoed token update", vec!["update", id, "--title", "x"], at(bad.echo_token.url.as_str())),
        ("key as JSON", vec!["list"], at(bad.key_as_json.url.as_str())),
        ("key as JSON statuses", vec!["statuses", "list"], at(bad.key_as_json.url.as_str())),
        ("no key", vec!["list"], home.env(&[("BLNK_API_URL", &url)])),
    ];
    for (what, args, env) in &failures {
        let out = run(args, env).await;
        assert_ne!(out.code, 0, "{what} fails: {}", out.stdout);
        assert!(!out.stderr.trim().is_empty(), "{what} says why");
        canary.assert_run_clean(what, &out);
    }
    other.shutdown().await;
}

/// The key in a config file instead: shown masked; a shared, broken or misspelt file is
/// refused without quoting it. Returns the files that hold the key on purpose.
async fn key_in_config_files(canary: &Canary, home: &Home, url: &str) -> Vec<PathBuf> {
    let file = home.path().join("config").join("blnk-alerts").join("config.toml");
    std::fs::create_dir_all(file.parent().expect("a parent")).expect("config dir");
    std::fs::write(&file, format!("api_key = \"{}\"\napi_url = \"{url}\"\n", canary.0)).expect("write config");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let from_file = home.env(&[]);
    let config = run(&["config"], &from_file).await;
    canary.assert_run_clean("config from a file", &config);
    assert!(config.stdout.contains(&canary.masked()) && config.stdout.contains("config file"), "{}", config.stdout);
    let listed = run(&["list"], &from_file).await;
    assert_eq!(listed.code, 0, "the key from the file works: {}", listed.stderr);
    canary.assert_run_clean("list with the key from a file", &listed);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    for args in [&["config"][..], &["list"]] {
        let shared = run(args, &from_file).await;
        assert_eq!(shared.code, 2, "a shared key file is refused: {}", shared.stdout);
        assert!(shared.stderr.contains("chmod 600"), "{}", shared.stderr);
        canary.assert_run_clean("a shared key file", &shared);
    }
    let broken = home.path().join("broken.toml");
    std::fs::write(&broken, format!("api_key = \"{}\nthis is not toml = = =\n", canary.0)).expect("write");
    std::fs::set_permissions(&broken, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let misspelt = home.path().join("misspelt.toml");
    std::fs::write(&misspelt, format!("api_kee = \"{}\"\n", canary.0)).expect("write");
    for path in [&broken, &misspelt] {
        let path = path.to_str().expect("utf-8");
        for args in [["config", "--config", path], ["list", "--config", path]] {
            let out = run(&args, &from_file).await;
            assert_eq!(out.code, 2, "{args:?}: a bad config file is refused");
            canary.assert_run_clean(&format!("{args:?}"), &out);
        }
    }
    vec![file, broken, misspelt]
}

/// Starts `serve` on a free loopback port with a database file, reads what it prints, checks
/// that it answers with the key from the environment, then stops it with SIGTERM.
async fn serve_briefly(env: &[(&'static str, String)], db: &Path) -> String {
    let mut child = tokio::process::Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--seed", "demo", "--db", db.to_str().expect("utf-8")])
        .env_clear()
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("serve starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut printed = String::new();
    for _ in 0..2 {
        let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line()).await;
        let line = line.expect("serve prints within 20 s").expect("read").expect("a line");
        printed.push_str(&line);
        printed.push('\n');
    }
    let pid = child.id().expect("running");
    let status = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().expect("kill");
    assert!(status.success());
    let output = tokio::time::timeout(Duration::from_secs(20), child.wait_with_output())
        .await
        .expect("serve stops within 20 s")
        .expect("output");
    printed.push_str(&String::from_utf8_lossy(&output.stdout));
    printed.push_str(&String::from_utf8_lossy(&output.stderr));
    printed
}

// ---------------------------------------------------------------------------------------------
// The dashboard in a pseudo-terminal.

/// A dashboard in a `cols`x36 pseudo-terminal with `env` (which holds the home).
fn dashboard(args: &[&str], env: &[(&'static str, String)], cols: u16) -> Pty {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Pty::spawn(BIN, args, &env, cols, 36)
}

/// Records the screen after each step.
struct Session {
    pty: Pty,
    screens: Vec<String>,
}

impl Session {
    fn step(&mut self, keys: &str, wait_for: Option<&str>) {
        self.pty.send(keys);
        match wait_for {
            Some(text) => self.pty.wait_text(text, 15),
            None => std::thread::sleep(Duration::from_millis(150)),
        }
        self.screens.push(self.pty.screen());
    }

    fn quit(mut self, canary: &Canary) {
        self.pty.send("q");
        assert_eq!(self.pty.wait_exit(15), 0, "the dashboard quits");
        self.screens.push(self.pty.screen());
        for (n, screen) in self.screens.iter().enumerate() {
            canary.assert_absent(&format!("screen {n}"), screen);
        }
        if let Some(needle) = canary.find_in(&self.pty.raw()) {
            panic!("the key ({needle}) was written to the terminal");
        }
    }
}

#[test]
fn the_dashboard_never_shows_the_key() {
    deadline::within(Duration::from_secs(150), || {
        let canary = Canary::new();
        let home = Home::new();
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let server = runtime.block_on(server_with(canary.key(), Some(Seed::Demo)));
        let url = server.base_url().to_string();
        // Every session logs at its most verbose level; the log is checked with the rest of the disk.
        let env = home.env(&[("BLNK_API_URL", &url), ("BLNK_API_KEY", &canary.0), ("BLNK_LOG", "trace")]);

        let mut session = Session { pty: dashboard(&[], &env, 120), screens: Vec::new() };
        session.pty.wait_for("alerts", 30, |s| s.contains("ago"));
        session.step("jjjk", None);
        session.step("\t", Some("scroll"));
        session.step("jj\t", None);
        session.step("?", Some("Help"));
        session.step("x", None);
        session.step("/", Some("Filter"));
        session.pty.type_text("velo");
        session.step("\r", None);
        session.step("\u{1b}", None);
        session.step("e", Some("Edit ano_"));
        session.step("\u{1b}", None);
        session.step("t", Some("Change status"));
        session.step("\u{1b}", None);
        session.step("f", Some("Flag an entity"));
        session.pty.type_text("bln_");
        session.step("\u{1b}", Some("Discard"));
        session.step("\u{1b}", None);
        session.step("r", None);
        session.step("]", None);
        session.step("p", Some("PAUSED"));
        session.step("L", Some("request method=GET"));
        session.step("q", None);
        session.quit(&canary);

        // Monitoring mode against a server that refuses the key: the error shows, the key not.
        let other = runtime.block_on(server_with(ApiKey::new("blnk_another_key_entirely_0000").expect("key"), None));
        let other_url = other.base_url().to_string();
        let wrong = home.env(&[("BLNK_API_URL", &other_url), ("BLNK_API_KEY", &canary.0), ("BLNK_LOG", "trace")]);
        let mut session = Session { pty: dashboard(&["--read-only"], &wrong, 120), screens: Vec::new() };
        session.pty.wait_text("401", 30);
        session.step("?", Some("Help"));
        session.step("x", None);
        session.step("r", None);
        session.quit(&canary);

        // A server that repeats the key back in its errors.
        let echo = runtime.block_on(routed::start(HashMap::new(), Answer::EchoAuthorization { status: 401 }));
        let echo_url = echo.url.to_string();
        let echoed = home.env(&[("BLNK_API_URL", &echo_url), ("BLNK_API_KEY", &canary.0), ("BLNK_LOG", "trace")]);
        // Wide enough for the whole error: it shows, with the key masked.
        let mut session = Session { pty: dashboard(&[], &echoed, 300), screens: Vec::new() };
        session.pty.wait_text(&format!("invalid token: Bearer {}", canary.masked()), 30);
        session.step("r", None);
        session.quit(&canary);

        // Nothing to reach: the error names the host only.
        let closed_port = closed_port();
        let closed = closed_port.url.to_string();
        let refused = home.env(&[("BLNK_API_URL", &closed), ("BLNK_API_KEY", &canary.0), ("BLNK_LOG", "trace")]);
        let session = Session { pty: dashboard(&[], &refused, 120), screens: Vec::new() };
        session.pty.wait_text("cannot reach", 30);
        session.quit(&canary);

        runtime.block_on(other.shutdown());
        runtime.block_on(server.shutdown());
        drop(echo);
        let log = std::fs::read_to_string(home.path().join("state/blnk-alerts/blnk-alerts.log")).expect("a log");
        assert!(log.contains("status=401") && log.contains("error=\"transport\""), "{log}");
        home.assert_no_key_on_disk(&canary, &[]);
    });
}
