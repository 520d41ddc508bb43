//! The real event loop driven in-process: a `TestBackend` for the terminal, a scripted key
//! stream, the real executor against the built-in server. The loop returns the final model.

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
use ratatui::backend::TestBackend;

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

/// Keys typed with a pause before each, so answers from the server land in between.
fn script(steps: Vec<(u64, KeyCode)>) -> impl futures_util::Stream<Item = io::Result<Event>> + Unpin {
    Box::pin(futures_util::stream::iter(steps).then(|(pause_ms, code)| async move {
        tokio::time::sleep(Duration::from_millis(pause_ms)).await;
        Ok(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }))
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
        web_url: None,
        instance_id: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_loads_changes_a_status_and_quits_with_the_final_model() {
    tokio::time::timeout(LIMIT, async {
        let server = server(Some(Seed::Demo), false).await;
        let (read, write) = clients(&config_for(server.base_url()));
        let executor = Executor::new(read.clone(), Some(write), None);
        let mut terminal = Terminal::new(TestBackend::new(140, 40)).expect("terminal");
        let mut steps = vec![(1_500, KeyCode::Char('j')), (50, KeyCode::Char('t'))];
        steps.extend("resolved".chars().map(|c| (10, KeyCode::Char(c))));
        steps.extend([(50, KeyCode::Enter), (2_500, KeyCode::Char('q'))]);
        let mut host = Recorder::default();
        let app = App::new(settings(Access::ReadWrite), chrono::Utc::now());
        let (app, exit) = run_loop(&mut terminal, script(steps), app, executor, &mut host, std::future::pending())
            .await
            .expect("runs");
        assert_eq!(exit, Exit::Quit);
        assert_eq!(app.list.total(), 200, "the demo data was loaded");
        let selected = app.list.selected().expect("a selection").clone();
        assert_eq!(selected.status.as_str(), "RESOLVED");
        let on_server = read.get_alert(&selected.anomaly_id).await.expect("get");
        assert_eq!(on_server.status.as_str(), "RESOLVED", "the change reached the server");
        assert!(terminal.backend().to_string().contains("Status changed"), "the last frame says so");
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
        let ended = script(Vec::new());
        let (_, exit) = run_loop(&mut terminal, ended, app, executor, &mut Recorder::default(), std::future::pending())
            .await
            .expect("runs");
        assert_eq!(exit, Exit::Quit, "input closed: the loop ends");
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}
