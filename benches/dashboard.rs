//! Measures what the dashboard's speed targets depend on and prints the figures (no
//! assertions: machines are shared and noisy). Run: `cargo bench --bench dashboard`.
//! Fetch and decode 100,000 alerts over loopback HTTP, apply them to the model, filter per
//! keystroke, draw a frame, and the process's resident memory.

use std::time::{Duration, Instant};

use blnk_alerts::api::{Http, ReadClient};
use blnk_alerts::app::{Access, App, Batch, Msg, Settings};
use blnk_alerts::config::{ApiKey, Config};
use blnk_alerts::server::{self, Database, Seed, ServerOptions};
use blnk_alerts::ui::{self, ViewState};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const ALERTS: usize = 100_000;

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn report(what: &str, runs: &[Duration]) {
    let mut sorted = runs.to_vec();
    sorted.sort();
    let median = sorted[sorted.len() / 2];
    let worst = sorted[sorted.len() - 1];
    println!("{what:<48} median {:>9.2} ms   worst {:>9.2} ms   ({} runs)", ms(median), ms(worst), runs.len());
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let key = ApiKey::generate();
    let options = ServerOptions {
        database: Database::Memory,
        seed: Some(Seed::Synthetic(ALERTS)),
        api_key: Some(key.clone()),
        ..ServerOptions::demo()
    };
    let (running, seeded) = timed(|| runtime.block_on(server::start(options)).expect("server starts"));
    println!("seed {ALERTS} synthetic alerts: {:.0} ms", ms(seeded));
    let rss_before = rss_mib();
    let reader = ReadClient::new(Http::new(&Config::local(running.base_url(), key)).expect("client"));

    let mut fetches = Vec::new();
    let mut alerts = Vec::new();
    for _ in 0..5 {
        let (list, took) = timed(|| runtime.block_on(reader.list_alerts()).expect("list"));
        fetches.push(took);
        alerts = list;
    }
    report("GET /alerts + decode + sanitize (100k)", &fetches);

    let settings = Settings {
        access: Access::ReadWrite,
        interval: Duration::from_secs(5),
        bell: false,
        source: "bench".into(),
        utc_offset: chrono::FixedOffset::east_opt(0).expect("valid"),
    };
    let mut app = App::new(settings, chrono::Utc::now());
    let _ = app.init();
    let (batch, indexed) = timed(|| Batch::from(alerts.clone()));
    report("index a load for search (in the fetching task)", &[indexed]);
    let (_, applied) = timed(|| app.update(Msg::AlertsIndexed { generation: 1, result: Ok(batch) }));
    report("apply a first load on the UI thread", &[applied]);
    let mut reloads = Vec::new();
    for generation in 2..5 {
        let _ = app.update(Msg::Tick(chrono::Utc::now() + chrono::Duration::seconds(30)));
        let batch = Batch::from(alerts.clone());
        reloads.push(timed(|| app.update(Msg::AlertsIndexed { generation, result: Ok(batch) })).1);
    }
    report("apply a poll's reload on the UI thread", &reloads);
    println!("resident memory with 100k alerts loaded: {:.0} MiB (before fetching: {rss_before:.0} MiB)", rss_mib());

    let key = |c: char| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    app.update(key('/'));
    let mut keystrokes = Vec::new();
    for c in "velocity".chars() {
        keystrokes.push(timed(|| app.update(key(c))).1);
    }
    report("filter keystroke over 100k alerts", &keystrokes);
    app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));

    let mut moves = Vec::new();
    for _ in 0..50 {
        moves.push(timed(|| app.update(key('j'))).1);
    }
    report("move the selection (j) with 100k alerts", &moves);

    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut view = ViewState::default();
    let mut frames = Vec::new();
    for _ in 0..50 {
        frames.push(timed(|| terminal.draw(|f| ui::draw(f, &app, &mut view)).map(drop)).1);
        app.update(key('j'));
    }
    report("draw one 200x50 frame with 100k alerts", &frames);
    runtime.block_on(running.shutdown());
}
