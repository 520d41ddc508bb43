//! Measures what the dashboard's speed targets depend on and prints the figures (no
//! assertions: machines are shared and noisy). Run: `cargo bench --bench dashboard`, or with
//! `BENCH_ALERTS=1000,100000,1000000` for other sizes (default 1,000 and 100,000).
//! At each size: the first fetch over loopback HTTP, an unchanged poll with and without an
//! `ETag`, a poll where a few alerts changed, merging, filtering per keystroke, sorting, a key,
//! a frame, and the process's resident memory.

use std::time::{Duration, Instant};

use blnk_alerts::api::AlertUpdate;
use blnk_alerts::api::{Http, ListFetch, ReadClient, WriteClient};
use blnk_alerts::app::{Access, App, Cadence, Cmd, Msg, Settings};
use blnk_alerts::config::{ApiKey, Config};
use blnk_alerts::runtime::Executor;
use blnk_alerts::server::{self, Database, Seed, ServerOptions};
use blnk_alerts::ui::{self, ViewState};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

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

fn sizes() -> Vec<usize> {
    std::env::var("BENCH_ALERTS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().replace('_', "").parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![1_000, 100_000])
}

fn main() {
    for size in sizes() {
        println!("\n== {size} alerts ==");
        bench(size);
    }
}

/// The fetch the app asks for next, run by the runtime's executor, and the message it answers with.
fn fetch(runtime: &tokio::runtime::Runtime, executor: &Executor, cmds: Vec<Cmd>) -> Option<Msg> {
    let cmd = cmds.into_iter().find(|cmd| matches!(cmd, Cmd::FetchAlerts { .. }))?;
    Some(runtime.block_on(executor.run(cmd)))
}

fn poll(app: &mut App) -> Vec<Cmd> {
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE)))
}

fn bench(size: usize) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let key = ApiKey::generate();
    let options = ServerOptions {
        database: Database::Memory,
        seed: Some(Seed::Synthetic(size)),
        api_key: Some(key.clone()),
        ..ServerOptions::demo()
    };
    let (running, seeded) = timed(|| runtime.block_on(server::start(options)).expect("server starts"));
    println!("seed {size} synthetic alerts: {:.0} ms", ms(seeded));
    let rss_before = rss_mib();
    let config = Config::local(running.base_url(), key);
    let reader = ReadClient::new(Http::new(&config).expect("client"));
    let writer = WriteClient::new(Http::new(&config).expect("client"));
    let executor = Executor::new(reader.clone(), Some(writer.clone()), None);

    let settings = Settings {
        access: Access::ReadWrite,
        cadence: Cadence::Adaptive(Duration::from_secs(5)),
        bell: false,
        source: "bench".into(),
        profile: None,
        me: Vec::new(),
        utc_offset: chrono::FixedOffset::east_opt(0).expect("valid"),
        keymap: blnk_alerts::keymap::Keymap::default(),
        theme: blnk_alerts::theme::Theme::default(),
        notify: false,
        notify_filter: None,
        views: Vec::new(),
        web_url: None,
        instance_id: None,
    };
    let mut app = App::new(settings, chrono::Utc::now());
    let first = app.init();
    let (msg, fetched) = timed(|| fetch(&runtime, &executor, first).expect("a fetch"));
    report("first load: GET, split, hash, decode, index, sort (off the UI thread)", &[fetched]);
    let (_, applied) = timed(|| app.update(msg));
    report("take in the first load (UI thread)", &[applied]);
    println!("resident memory with {size} alerts loaded: {:.0} MiB (before: {rss_before:.0} MiB)", rss_mib());

    let mut conditional = Vec::new();
    let mut conditional_apply = Vec::new();
    for _ in 0..5 {
        let cmds = poll(&mut app);
        let (msg, took) = timed(|| fetch(&runtime, &executor, cmds).expect("a fetch"));
        assert!(matches!(msg, Msg::AlertsFetched { result: Ok(ListFetch::NotModified), .. }), "a 304");
        conditional.push(took);
        conditional_apply.push(timed(|| app.update(msg)).1);
    }
    report("unchanged poll with an ETag: 304", &conditional);
    report("apply a 304 (UI thread)", &conditional_apply);

    let mut blind = Vec::new();
    let mut blind_apply = Vec::new();
    for _ in 0..3 {
        let cmds = poll(&mut app);
        let cmds = cmds
            .into_iter()
            .map(|c| match c {
                Cmd::FetchAlerts { generation, known, build, .. } => {
                    Cmd::FetchAlerts { generation, known, etag: None, build }
                }
                other => other,
            })
            .collect();
        let (msg, took) = timed(|| fetch(&runtime, &executor, cmds).expect("a fetch"));
        blind.push(took);
        blind_apply.push(timed(|| app.update(msg)).1);
    }
    report("unchanged poll, no ETag: download, split, hash", &blind);
    report("apply an unchanged answer (UI thread)", &blind_apply);

    let ids: Vec<_> = app.list.iter().step_by((size / 5).max(1)).map(|a| a.anomaly_id.clone()).take(5).collect();
    let mut changed = Vec::new();
    let mut changed_apply = Vec::new();
    for round in 0..3 {
        for id in &ids {
            let update = AlertUpdate { description: Some(format!("changed {round}")), ..AlertUpdate::default() };
            runtime.block_on(writer.update(id, &update)).expect("update");
        }
        let cmds = poll(&mut app);
        let (msg, took) = timed(|| fetch(&runtime, &executor, cmds).expect("a fetch"));
        changed.push(took);
        changed_apply.push(timed(|| app.update(msg)).1);
    }
    report("poll with 5 alerts changed: fetch and decode those", &changed);
    report("merge 5 changed alerts (UI thread)", &changed_apply);
    println!("resident memory after the polls: {:.0} MiB", rss_mib());

    keys_and_frames(&mut app);
    drop(app);
    runtime.block_on(running.shutdown());
}

/// What a person does at the keyboard: filter, sort, move, and the frames drawn meanwhile.
fn keys_and_frames(app: &mut App) {
    let key = |c: char| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    app.update(key('/'));
    let mut keystrokes = Vec::new();
    for c in "velocity".chars() {
        keystrokes.push(timed(|| app.update(key(c))).1);
    }
    report("filter keystroke", &keystrokes);
    app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));

    let mut sorts = Vec::new();
    for _ in 0..4 {
        sorts.push(timed(|| app.update(key('o'))).1);
    }
    report("change the sort (o)", &sorts);

    let mut moves = Vec::new();
    for _ in 0..50 {
        moves.push(timed(|| app.update(key('j'))).1);
    }
    report("move the selection (j)", &moves);

    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut view = ViewState::default();
    let mut frames = Vec::new();
    for _ in 0..50 {
        frames.push(timed(|| terminal.draw(|f| ui::draw(f, app, &mut view)).map(drop)).1);
        app.update(key('j'));
    }
    report("draw one 200x50 frame", &frames);
}
