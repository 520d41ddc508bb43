//! The boring runtime: owns the terminal and the clients, runs the event loop, and is the
//! only place that spawns. It feeds `App::update` and draws once after each batch.

mod browser;
mod bulk;
mod drafts;
mod executor;
mod export_file;
mod notify;
mod snoozes;
mod terminal;

use std::io;
use std::time::Duration;

use chrono::{Local, Offset, Utc};
use crossterm::event::Event;
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::task::JoinSet;
use tokio::time::MissedTickBehavior;

pub use browser::no_browser;
pub use drafts::DraftStore;
pub use executor::Executor;
pub use snoozes::SnoozeStore;
pub use terminal::{TerminalGuard, install_panic_hook, osc52};

use crate::app::{Access, App, Cadence, Cmd, Msg, Settings};
use crate::cli::{CliError, GlobalArgs, config_flags, connect};
use crate::config;
use crate::ui::{self, ViewState};

/// Seconds between polls unless `--interval` says otherwise.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// What the loop needs from the terminal besides drawing: the real one suspends and rings
/// the bell; a test's records the calls.
pub trait Host {
    fn suspend(&mut self) -> io::Result<()>;
    fn bell(&mut self) -> io::Result<()>;
    /// Shows a notification of new alerts (the text is short and plain already).
    fn notify(&mut self, summary: &str, body: &str) -> io::Result<()>;
    /// Puts `text` on the clipboard (the real terminal: OSC 52).
    fn copy(&mut self, text: &str) -> io::Result<()>;
}

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit (or the input ended).
    Quit,
    /// A signal asked us to stop: the exit code is 128 + its number.
    Signal(i32),
}

/// Opens the dashboard: connects, takes over the terminal, runs until quit, restores.
pub async fn run_dashboard(global: &GlobalArgs) -> Result<u8, CliError> {
    // Keys and colours are the user's even on the demo: read (and checked) before connecting.
    let document = config::Document::read(&config_flags(global)).map_err(|e| CliError::Usage(e.to_string()))?;
    let preferences = document.preferences().map_err(|e| CliError::Usage(e.to_string()))?;
    let connection = connect(global, &document, true).await?;
    let profile = connection.config.profile.as_ref().map(|p| p.value.clone());
    // The demo server's config knows no one: who "me" is comes from --me or BLNK_ME there.
    let me = match &connection.config.me {
        Some(me) => me.value.clone(),
        None => config::Config::without_file(&config_flags(global), |name| std::env::var(name).ok())
            .ok()
            .and_then(|c| c.me)
            .map(|me| me.value)
            .unwrap_or_default(),
    };
    let read_only = global.read_only || connection.config.read_only.value;
    let access = if read_only { Access::ReadOnly } else { Access::ReadWrite };
    // Read-only by construction: the executor of a monitoring dashboard has no write client.
    let writer = (access == Access::ReadWrite).then(|| connection.writer());
    // A read-only dashboard has no forms, so it keeps no drafts either; each profile its own.
    let drafts = match access {
        Access::ReadWrite => DraftStore::from_environment(profile.as_ref().map(|p| p.name.as_str())),
        Access::ReadOnly => None,
    };
    // Snoozes change nothing on the server, so a read-only dashboard keeps them too; the
    // demo's alerts are gone when it ends, and its snoozes with them.
    let snoozes = (!connection.is_demo()).then(|| {
        SnoozeStore::from_environment(
            profile.as_ref().map(|p| p.name.as_str()),
            connection.config.api_url.value.as_str(),
        )
    });
    let executor = Executor::new(connection.reader(), writer, drafts)
        .keeping_snoozes(snoozes.flatten())
        .saving_views_to(document.path.clone());
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = preferences.theme.build(no_color, terminal::background);
    let mouse = global.mouse || preferences.mouse;
    let notify_via = preferences.notify;
    let settings = Settings {
        access,
        cadence: match global.interval {
            Some(secs) => Cadence::Fixed(Duration::from_secs(secs.max(1))),
            None => Cadence::Adaptive(DEFAULT_INTERVAL),
        },
        bell: global.bell,
        source: if connection.is_demo() { "DEMO".to_owned() } else { connection.http.host() },
        profile,
        me,
        utc_offset: Local::now().offset().fix(),
        keymap: preferences.keymap,
        theme,
        notify: preferences.notify != config::NotifyVia::Off,
        notify_filter: preferences.notify_filter.clone(),
        views: preferences.views.clone(),
        web_url: connection.config.web_url.as_ref().map(|url| url.value.clone()),
        instance_id: connection.config.instance_id.as_ref().map(|id| id.value.clone()),
    };
    let app = App::new(settings, Utc::now());

    install_panic_hook();
    let stop = stop_signal();
    let result = async {
        let mut guard = TerminalGuard::enter(mouse)?;
        let exit = run_loop(
            guard.terminal(),
            crossterm::event::EventStream::new(),
            app,
            executor,
            &mut TerminalGuard::host(notify_via),
            stop,
        )
        .await;
        guard.restore();
        exit
    }
    .await;
    connection.close().await;
    match result {
        Ok((_, Exit::Quit)) => Ok(0),
        Ok((_, Exit::Signal(signal))) => Ok(u8::try_from(128 + signal).unwrap_or(1)),
        Err(e) => Err(CliError::Failed(format!("the dashboard stopped: {e}"))),
    }
}

/// Resolves with the number of the first SIGTERM, SIGHUP or SIGINT received. The handlers are
/// installed now, not when the future is first polled: a signal that arrives as the first frame
/// is drawn must still end the dashboard through the code that restores the terminal.
fn stop_signal() -> impl Future<Output = i32> {
    use tokio::signal::unix::{SignalKind, signal};
    let kinds = [(SignalKind::terminate(), 15), (SignalKind::hangup(), 1), (SignalKind::interrupt(), 2)];
    let mut streams: Vec<_> = kinds.into_iter().filter_map(|(kind, n)| signal(kind).ok().map(|s| (s, n))).collect();
    async move {
        if streams.is_empty() {
            return std::future::pending().await;
        }
        let waits = streams.iter_mut().map(|(s, n)| {
            let n = *n;
            Box::pin(async move {
                s.recv().await;
                n
            })
        });
        futures_util::future::select_all(waits).await.0
    }
}

/// The event loop, generic over the backend and the input so tests drive the real thing.
/// Returns the final model and why it stopped.
pub async fn run_loop<B, S>(
    terminal: &mut Terminal<B>,
    mut input: S,
    mut app: App,
    executor: Executor,
    host: &mut dyn Host,
    stop: impl Future<Output = i32>,
) -> io::Result<(App, Exit)>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = io::Result<Event>> + Unpin,
{
    let mut tasks: JoinSet<Msg> = JoinSet::new();
    let (side, mut side_messages) = tokio::sync::mpsc::unbounded_channel();
    let mut executor = executor.reporting_to(side.clone());
    let mut view = ViewState::default();
    let fault = injected_fault();
    let mut ticks = 0u32;
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
    tokio::pin!(stop);
    // What is logged reaches the log view as messages, so the model stays the only state.
    let (logged, mut log_entries) = tokio::sync::mpsc::unbounded_channel();
    crate::logging::tap(logged);

    let mut first = app.init();
    first.extend(app.update(Msg::DraftsFound(executor.load_drafts())));
    first.extend(app.update(Msg::SnoozesFound(executor.load_snoozes())));
    run_cmds(&mut app, first, &mut executor, &mut tasks, host, &side)?;
    draw(terminal, &mut app, &mut view)?;

    let exit = loop {
        let msg = tokio::select! {
            signal = &mut stop => break Exit::Signal(signal),
            event = input.next() => match event {
                None => break Exit::Quit,
                Some(Err(e)) => return Err(e),
                Some(Ok(event)) => match translate(event, &view) {
                    Some(msg) => msg,
                    None => continue,
                },
            },
            Some(joined) = tasks.join_next(), if !tasks.is_empty() => task_result(joined)?,
            Some(msg) = side_messages.recv() => msg,
            Some(entry) = log_entries.recv() => {
                let mut entries = vec![entry];
                while let Ok(entry) = log_entries.try_recv() {
                    entries.push(entry);
                }
                Msg::Logged(entries)
            }
            _ = ticker.tick() => {
                ticks += 1;
                if ticks == 3 {
                    inject(fault.as_deref(), &mut tasks)?;
                }
                let offset = Local::now().offset().fix();
                if offset != app.settings.utc_offset {
                    app.update(Msg::UtcOffset(offset));
                }
                Msg::Tick(Utc::now())
            }
        };
        // A log entry changes the screen only while the log view shows.
        let mut redraw = !matches!(msg, Msg::Logged(_)) || app.overlay == crate::app::Overlay::Log;
        let mut cmds = app.update(msg);
        // Apply everything that is already waiting before drawing once.
        while let Some(joined) = tasks.try_join_next() {
            cmds.extend(app.update(task_result(joined)?));
            redraw = true;
        }
        let suspend = cmds.contains(&Cmd::Suspend);
        run_cmds(&mut app, cmds, &mut executor, &mut tasks, host, &side)?;
        if app.should_quit {
            break Exit::Quit;
        }
        if suspend {
            redraw_everything(terminal)?;
        }
        if redraw || suspend {
            draw(terminal, &mut app, &mut view)?;
        }
    };
    tasks.abort_all();
    // Stopped by a signal with a form open: keep what was typed since the last tick.
    if let Some(draft) = app.unsaved_draft() {
        executor.run_draft(&Cmd::SaveDraft(draft));
    }
    Ok((app, exit))
}

/// Debug builds only: `BLNK_ALERTS_FAULT=panic-main|panic-task|error` makes the running
/// dashboard fail that way, so the tests can prove the terminal comes back every time.
fn injected_fault() -> Option<String> {
    if cfg!(debug_assertions) { std::env::var("BLNK_ALERTS_FAULT").ok() } else { None }
}

fn inject(fault: Option<&str>, tasks: &mut JoinSet<Msg>) -> io::Result<()> {
    match fault {
        Some("panic-main") => panic!("injected fault: a panic on the main task"),
        Some("panic-task") => {
            tasks.spawn(async { panic!("injected fault: a panic in a background task") });
            Ok(())
        }
        Some("error") => Err(io::Error::other("injected fault: an error in the event loop")),
        _ => Ok(()),
    }
}

/// After `fg` the screen holds whatever the shell left: wipe it, and draw a blank frame so
/// that the next draw repaints every cell. (`Terminal::clear` asks the terminal where its
/// cursor is, which a terminal that does not answer turns into an error.)
fn redraw_everything<B: Backend>(terminal: &mut Terminal<B>) -> io::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    terminal.backend_mut().clear_region(ratatui::backend::ClearType::All).map_err(io::Error::other)?;
    terminal.draw(|_| {}).map(drop).map_err(io::Error::other)
}

/// Draws one frame, then tells the model what the frame could show (for paging, scrolling);
/// when that changed (a resize, help opened), draws once more so that what depends on it (the
/// footer's scroll hint, a clamped scroll) is right at once.
fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &mut App, view: &mut ViewState) -> io::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    terminal.draw(|frame| ui::draw(frame, app, view)).map_err(io::Error::other)?;
    if view.viewport() != app.viewport {
        app.update(Msg::Viewport(view.viewport()));
        terminal.draw(|frame| ui::draw(frame, app, view)).map_err(io::Error::other)?;
    }
    Ok(())
}

/// A background task's message; a panic there ends the loop (the hook already reported it).
fn task_result(joined: Result<Msg, tokio::task::JoinError>) -> io::Result<Msg> {
    joined.map_err(|e| io::Error::other(format!("a background task failed: {e}")))
}

/// Starts each command: API calls as tasks, drafts and the terminal's own at once. What a
/// draft command reports goes straight back into the model.
fn run_cmds(
    app: &mut App,
    cmds: Vec<Cmd>,
    executor: &mut Executor,
    tasks: &mut JoinSet<Msg>,
    host: &mut dyn Host,
    side: &tokio::sync::mpsc::UnboundedSender<Msg>,
) -> io::Result<()> {
    let mut pending = cmds;
    while !pending.is_empty() {
        for cmd in std::mem::take(&mut pending) {
            match cmd {
                Cmd::Bell => host.bell()?,
                Cmd::Notify { summary, body } => host.notify(&summary, &body)?,
                Cmd::StopBulk { job } => executor.stop_bulk(job),
                Cmd::GiveUpWrites => executor.give_up_writes(),
                Cmd::SaveView(view) => pending.extend(app.update(executor.save_view(view))),
                Cmd::Suspend => host.suspend()?,
                Cmd::Copy(text) => host.copy(&text)?,
                Cmd::SaveSnoozes(snoozes) => {
                    if let Some(msg) = executor.save_snoozes(&snoozes) {
                        pending.extend(app.update(msg));
                    }
                }
                // Through the channel, so that input already waiting is handled first. The
                // receiver lives as long as the loop: a failed send means it has stopped.
                Cmd::FilterStep => drop(side.send(Msg::FilterStep)),
                Cmd::SaveDraft(_) | Cmd::DeleteDraft(_) => {
                    if let Some(msg) = executor.run_draft(&cmd) {
                        pending.extend(app.update(msg));
                    }
                }
                cmd => {
                    let executor = executor.clone();
                    tasks.spawn(async move { executor.run(cmd).await });
                }
            }
        }
    }
    Ok(())
}

fn translate(event: Event, view: &ViewState) -> Option<Msg> {
    use crossterm::event::{MouseButton, MouseEventKind};
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(..) => Some(Msg::Resize),
        // The view knows what is where; the model hears what was clicked.
        Event::Mouse(mouse) => {
            let target = view.target(mouse.column, mouse.row)?;
            match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => Some(Msg::Click(target)),
                MouseEventKind::ScrollDown => Some(Msg::Wheel { target, down: true }),
                MouseEventKind::ScrollUp => Some(Msg::Wheel { target, down: false }),
                _ => None,
            }
        }
        Event::FocusGained | Event::FocusLost => None,
    }
}
