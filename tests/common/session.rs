//! A session of the real binary in a pseudo-terminal, inside `sh` so that the terminal's
//! settings (`stty -g`) before and after can be compared, against the built-in server.

use std::path::Path;

use blnk_alerts::api::{ReadClient, WriteClient};
use blnk_alerts::server::{Database, RunningServer, Seed, ServerOptions};

use super::pty::Pty;
use super::{clients, config_for, key, server};

/// Runs the app once and records the terminal's settings around it and its exit code.
pub const PLAIN: &str = r#"stty -g > "$D/before"; "$BIN" "$@"; echo $? > "$D/code"; stty -g > "$D/after""#;

pub struct Setup {
    pub runtime: tokio::runtime::Runtime,
    server: Option<RunningServer>,
    url: url::Url,
    pub home: tempfile::TempDir,
}

impl Setup {
    pub fn new(seed: Option<Seed>) -> Self {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let server = runtime.block_on(server(seed, false));
        let url = server.base_url();
        Self { runtime, server: Some(server), url, home: tempfile::tempdir().expect("temp dir") }
    }

    pub fn url(&self) -> String {
        self.url.to_string()
    }

    pub fn reader(&self) -> ReadClient {
        clients(&config_for(self.url.clone())).0
    }

    pub fn writer(&self) -> WriteClient {
        clients(&config_for(self.url.clone())).1
    }

    /// An outage: the server stops; its address stays reserved for `restart_server`.
    pub fn stop_server(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }

    /// The server comes back on the same address (a fresh in-memory database).
    pub fn restart_server(&mut self, seed: Option<Seed>) {
        let addr = self.url.socket_addrs(|| None).expect("address")[0];
        let options =
            ServerOptions { addr, database: Database::Memory, seed, api_key: Some(key()), ..ServerOptions::demo() };
        self.server = Some(self.runtime.block_on(blnk_alerts::server::start(options)).expect("restarts"));
    }

    /// The app inside `sh`, which records `stty -g` before and after and the exit code.
    pub fn spawn(&self, args: &[&str]) -> Pty {
        self.spawn_script(PLAIN, args, &[])
    }

    /// The app run by `script` (which sees `$BIN`, `$D` and the args), with `extra` environment.
    pub fn spawn_script(&self, script: &str, args: &[&str], extra: &[(&str, &str)]) -> Pty {
        let url = self.url();
        let api_key = key();
        let dir = self.home.path().to_str().expect("utf-8 path").to_owned();
        let mut command_line = vec!["-c", script, "sh"];
        command_line.extend_from_slice(args);
        let mut env = vec![
            ("BIN", super::cli::BIN),
            ("D", dir.as_str()),
            ("HOME", dir.as_str()),
            ("BLNK_API_URL", url.as_str()),
            ("BLNK_API_KEY", api_key.expose()),
        ];
        env.extend_from_slice(extra);
        Pty::spawn("/bin/sh", &command_line, &env, 140, 40)
    }

    pub fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.home.path().join(name)).unwrap_or_default().trim().to_owned()
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

/// The selected alert's id, as the detail pane shows it.
pub fn selected_id(screen: &str) -> blnk_alerts::domain::AlertId {
    let line = screen.lines().find(|l| l.contains("Anomaly id")).expect("the detail shows the id");
    let at = line.find("ano_").expect("an id");
    let id: String = line[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    id.parse().expect("a whole id")
}

/// The app has exited with `code`, and the terminal is exactly as it was before it started.
pub fn assert_restored(setup: &Setup, pty: &mut Pty, code: &str) {
    pty.wait_exit(10);
    assert_eq!(setup.file("code"), code, "exit code");
    assert!(!setup.file("before").is_empty());
    assert_eq!(setup.file("before"), setup.file("after"), "stty -g differs after the app left");
    // The reader thread may not have taken the last bytes in yet when the shell exits.
    let restored = |tail: &str| ["\u{1b}[?1049l", "\u{1b}[?25h", "\u{1b}[?2004l"].iter().all(|s| tail.contains(s));
    let tail = || {
        let raw = pty.raw();
        String::from_utf8_lossy(&raw[raw.len().saturating_sub(400)..]).into_owned()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !restored(&tail()) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let tail = tail();
    assert!(tail.contains("\u{1b}[?1049l"), "left the alternate screen: {tail:?}");
    assert!(tail.contains("\u{1b}[?25h"), "cursor shown again: {tail:?}");
    assert!(tail.contains("\u{1b}[?2004l"), "bracketed paste off: {tail:?}");
}

/// The pid of the `blnk-alerts` child of `sh`.
pub fn app_pid(sh: u32) -> u32 {
    let children = Path::new("/proc").join(sh.to_string()).join("task").join(sh.to_string()).join("children");
    let text = std::fs::read_to_string(&children).unwrap_or_default();
    text.split_whitespace().next().and_then(|p| p.parse().ok()).unwrap_or(sh)
}
