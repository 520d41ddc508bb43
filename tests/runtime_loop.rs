//! The real event loop driven in-process: a `TestBackend` for the terminal, a scripted key
//! stream, the real executor against the built-in server. The loop returns the final model.
//! Each scripted key waits for a frame that shows what it needs (with a deadline), never for a
//! fixed time.

mod common;

use std::io;
use std::time::Duration;

use blnk_alerts::app::{Access, App, Cadence, Settings};
use blnk_alerts::runtime::{Executor, Exit, Host, run_loop};
use blnk_alerts::server::Seed;
use common::{LIMIT, clients, config_for, server};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use tokio::sync::watch;

/// A terminal host that records what the loop asked of it.
#[derive(Default)]
struct Recorder {
    bells: usize,
}

impl Host for Recorder {
    fn suspend(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn bell(&mut self) -> io::Result<()> {
        self.bells += 1;
        Ok(())
    }

    fn notify(&mut self, _: &str, _: &str) -> io::Result<()> {
        Ok(())
    }

    fn copy(&mut self, _: &str) -> io::Result<()> {
        Ok(())
    }
}

/// A `TestBackend` that sends each frame it flushes to the test, while the loop owns the terminal.
struct Shared(TestBackend, watch::Sender<String>);

impl Backend for Shared {
    type Error = <TestBackend as Backend>::Error;

    fn draw<'a, I: Iterator<Item = (u16, u16, &'a Cell)>>(&mut self, content: I) -> Result<(), Self::Error> {
        self.0.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.0.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.0.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.0.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.0.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        self.0.size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.0.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.0.flush()?;
        self.1.send_replace(self.0.to_string());
        Ok(())
    }
}

/// Each key once a drawn frame shows its text: woken by each frame, never polling (panics
/// well inside the test's limit, saying what the screen lacked).
fn script(
    frames: watch::Receiver<String>,
    steps: Vec<(&'static str, KeyCode)>,
) -> impl futures_util::Stream<Item = io::Result<Event>> + Unpin {
    Box::pin(futures_util::stream::iter(steps).then(move |(wanted, code)| {
        let mut frames = frames.clone();
        async move {
            let shown = tokio::time::timeout(LIMIT / 3, frames.wait_for(|frame| frame.contains(wanted))).await;
            assert!(matches!(shown, Ok(Ok(_))), "the screen never showed {wanted:?}");
            Ok(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
        }
    }))
}

/// Runs the loop through `steps` (each once the screen shows its text) until input ends.
async fn drive(
    terminal: &mut Terminal<Shared>,
    screen: watch::Receiver<String>,
    steps: Vec<(&'static str, KeyCode)>,
    app: App,
    executor: Executor,
) -> (App, Exit) {
    run_loop(terminal, script(screen, steps), app, executor, &mut Recorder::default(), std::future::pending())
        .await
        .expect("runs")
}

/// The loop's parts against `server`: a reader to check the server with, an executor that may
/// write, and a 140x40 terminal whose frames `screen` sees.
struct Demo {
    read: blnk_alerts::api::ReadClient,
    executor: Executor,
    terminal: Terminal<Shared>,
    screen: watch::Receiver<String>,
}

fn demo(server: &blnk_alerts::server::RunningServer) -> Demo {
    let (read, write) = clients(&config_for(server.base_url()));
    let executor = Executor::new(read.clone(), Some(write), None);
    let (frames, screen) = watch::channel(String::new());
    let terminal = Terminal::new(Shared(TestBackend::new(140, 40), frames)).expect("terminal");
    Demo { read, executor, terminal, screen }
}

fn settings(access: Access) -> Settings {
    Settings {
        access,
        cadence: Cadence::Adaptive(Duration::from_secs(5)),
        bell: true,
        source: "test".into(),
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
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_loads_changes_a_status_and_quits_with_the_final_model() {
    tokio::time::timeout(LIMIT, async {
        let server = server(Some(Seed::Demo), false).await;
        let Demo { read, executor, mut terminal, screen } = demo(&server);
        let mut steps = vec![("Alerts 200/200", KeyCode::Char('j')), ("2 of 200", KeyCode::Char('t'))];
        // The letters go to the picker once it is open; it filters as they are typed.
        steps.extend("resolved".chars().map(|c| (" Change status ", KeyCode::Char(c))));
        steps.extend([("Search: resolved", KeyCode::Enter), ("Status changed", KeyCode::Char('q'))]);
        let mut host = Recorder::default();
        let app = App::new(settings(Access::ReadWrite), chrono::Utc::now());
        let (app, exit) =
            run_loop(&mut terminal, script(screen, steps), app, executor, &mut host, std::future::pending())
                .await
                .expect("runs");
        assert_eq!(exit, Exit::Quit);
        assert_eq!(app.list.total(), 200, "the demo data was loaded");
        let selected = app.list.selected().expect("a selection").clone();
        assert_eq!(selected.status.as_str(), "RESOLVED");
        let on_server = read.get_alert(&selected.anomaly_id).await.expect("get");
        assert_eq!(on_server.status.as_str(), "RESOLVED", "the change reached the server");
        assert!(terminal.backend().0.to_string().contains("Status changed"), "the last frame says so");
        assert_eq!(host.bells, 0, "nothing new arrived");
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_signal_ends_the_loop_and_the_end_of_input_quits() {
    tokio::time::timeout(LIMIT, async {
        let server = server(None, false).await;
        let (read, _) = clients(&config_for(server.base_url()));
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        let stop = async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            15
        };
        let app = App::new(settings(Access::ReadOnly), chrono::Utc::now());
        let executor = Executor::new(read.clone(), None, None);
        let never = Box::pin(futures_util::stream::pending());
        let (_, exit) =
            run_loop(&mut terminal, never, app, executor, &mut Recorder::default(), stop).await.expect("runs");
        assert_eq!(exit, Exit::Signal(15));

        let app = App::new(settings(Access::ReadOnly), chrono::Utc::now());
        let executor = Executor::new(read, None, None);
        let ended = script(watch::channel(String::new()).1, Vec::new());
        let (_, exit) = run_loop(&mut terminal, ended, app, executor, &mut Recorder::default(), std::future::pending())
            .await
            .expect("runs");
        assert_eq!(exit, Exit::Quit, "input closed: the loop ends");
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_without_alerts_write_is_told_so_and_carries_on_read_only() {
    use std::os::unix::fs::PermissionsExt;
    tokio::time::timeout(LIMIT, async {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("keys.toml");
        std::fs::write(
            &path,
            "[[key]]\nname = \"wallboard\"\nkey = \"blnk_wallboard_key\"\nscopes = [\"alerts:read\"]\n",
        )
        .expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let keys = blnk_alerts::server::KeyRing::from_file(&path).expect("key file");
        let options = blnk_alerts::server::ServerOptions {
            seed: Some(Seed::Demo),
            keys,
            ..blnk_alerts::server::ServerOptions::demo()
        };
        let server = blnk_alerts::server::start(options).await.expect("starts");
        let wallboard = blnk_alerts::config::ApiKey::new("blnk_wallboard_key").expect("a key");
        let (read, write) = clients(&blnk_alerts::config::Config::local(server.base_url(), wallboard));
        let executor = Executor::new(read.clone(), Some(write), None);
        let (frames, screen) = watch::channel(String::new());
        let mut terminal = Terminal::new(Shared(TestBackend::new(140, 40), frames)).expect("terminal");
        let mut steps = vec![("Alerts 200/200", KeyCode::Char('t'))];
        steps.extend("resolved".chars().map(|c| (" Change status ", KeyCode::Char(c))));
        steps.extend([
            ("Search: resolved", KeyCode::Enter),
            ("cannot change alerts (needs alerts:write)", KeyCode::Enter),
            ("Read-only now", KeyCode::Char('q')),
        ]);
        let app = App::new(settings(Access::ReadWrite), chrono::Utc::now());
        let (app, exit) = drive(&mut terminal, screen, steps, app, executor).await;
        assert_eq!(exit, Exit::Quit);
        assert!(app.read_only());
        let selected = app.list.selected().expect("a selection").clone();
        let on_server = read.get_alert(&selected.anomaly_id).await.expect("get");
        assert_eq!(on_server.status, selected.status, "put back on screen as it is on the server");
        assert_ne!(on_server.status.as_str(), "RESOLVED");
        assert!(terminal.backend().0.to_string().contains("READ-ONLY"), "the header says so");
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_view_saved_from_the_palette_lands_in_the_config_file_and_shows_as_a_tab() {
    tokio::time::timeout(LIMIT, async {
        let dir = tempfile::tempdir().expect("dir");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, "# kept\nmouse = false\n").expect("write");
        let server = server(Some(Seed::Demo), false).await;
        let (read, _) = clients(&config_for(server.base_url()));
        let executor = Executor::new(read, None, None).saving_views_to(Some(config.clone()));
        let (frames, screen) = watch::channel(String::new());
        let mut terminal = Terminal::new(Shared(TestBackend::new(160, 40), frames)).expect("terminal");
        let mut steps = vec![("Alerts 200/200", KeyCode::Char('/'))];
        steps.extend("type:transaction".chars().map(|c| ("Filter", KeyCode::Char(c))));
        steps.extend([("type:transaction", KeyCode::Enter), ("Alerts ", KeyCode::Char('V'))]);
        steps.extend("Money".chars().map(|c| ("view save", KeyCode::Char(c))));
        steps.extend([("view save Money", KeyCode::Enter), ("saved in", KeyCode::Char('q'))]);
        let app = App::new(settings(Access::ReadOnly), chrono::Utc::now());
        let (app, _) = drive(&mut terminal, screen, steps, app, executor).await;
        let written = std::fs::read_to_string(&config).expect("read");
        assert!(written.starts_with("# kept\nmouse = false\n"), "{written}");
        assert!(written.contains("[[views]]") && written.contains("name = \"Money\""), "{written}");
        assert!(written.contains("filter = \"type:transaction\""), "{written}");
        assert_eq!(app.list.tab(), &blnk_alerts::app::Tab::View(0));
        assert!(terminal.backend().0.to_string().contains("[Money "), "the view's tab is active");
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_statuses_screen_creates_and_deletes_against_the_server_and_shows_its_refusals() {
    tokio::time::timeout(LIMIT, async {
        let server = server(Some(Seed::Demo), false).await;
        let Demo { read, executor, mut terminal, screen } = demo(&server);
        let mut steps = vec![("Alerts 200/200", KeyCode::Char('T')), (" Statuses ", KeyCode::Char('n'))];
        // A status that exists is refused by the server, what was typed kept; then a new one.
        steps.extend("Investigating".chars().map(|c| ("Name:", KeyCode::Char(c))));
        steps.push(("Name: Investigating", KeyCode::Enter));
        steps.push(("already exists", KeyCode::Esc));
        steps.push(("n new", KeyCode::Char('n')));
        steps.extend("Chargeback".chars().map(|c| ("Name:", KeyCode::Char(c))));
        steps.push(("Name: Chargeback", KeyCode::Enter));
        // The new status is last once the list is read again: down to it, then delete it (twice).
        // (Its key, upper case, shows only in the list; the pointer only on the row chosen.)
        steps.extend((0..20).map(|_| ("CHARGEBACK", KeyCode::Char('j'))));
        steps.extend([("▶ ■ Chargeback", KeyCode::Char('d')), ("again deletes it", KeyCode::Char('d'))]);
        // Quit once the list read again after the delete has as many statuses as at the start.
        let before = read.list_statuses().await.expect("statuses").with_built_ins().data.len();
        let settled: &'static str = Box::leak(format!(" Statuses · {before} ").into_boxed_str());
        steps.extend([("Status Chargeback deleted", KeyCode::Null), (settled, KeyCode::Char('q'))]);
        let app = App::new(settings(Access::ReadWrite), chrono::Utc::now());
        let (app, _) = drive(&mut terminal, screen, steps, app, executor).await;
        let on_server = read.list_statuses().await.expect("statuses");
        assert!(!on_server.data.iter().any(|s| s.key.as_str() == "CHARGEBACK"), "created, then deleted");
        assert!(!app.statuses.iter().any(|s| s.key.as_str() == "CHARGEBACK"), "the screen's list was read again");
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}
