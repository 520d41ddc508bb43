//! The recent log entries for the dashboard's log view: a `tracing` layer that keeps the last
//! `KEPT` and hands each new one to the tap the running dashboard installed.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::Mutex;

use tokio::sync::mpsc::UnboundedSender;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::Context;

use super::{Entry, Level};

/// Entries kept for a tap installed later (the start-up lines).
const KEPT: usize = 200;

struct Shared {
    kept: VecDeque<Entry>,
    tap: Option<UnboundedSender<Entry>>,
}

static SHARED: Mutex<Shared> = Mutex::new(Shared { kept: VecDeque::new(), tap: None });

/// Sends every entry from now on to `sender`, after the ones kept so far.
pub fn tap(sender: UnboundedSender<Entry>) {
    let Ok(mut shared) = SHARED.lock() else { return };
    for entry in &shared.kept {
        let _ = sender.send(entry.clone());
    }
    shared.tap = Some(sender);
}

pub struct Recent;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Recent {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut text = Text(String::new());
        event.record(&mut text);
        let entry = Entry { at: chrono::Utc::now(), level: Level::of(*event.metadata().level()), text: text.0 };
        let Ok(mut shared) = SHARED.lock() else { return };
        if shared.kept.len() == KEPT {
            shared.kept.pop_front();
        }
        shared.kept.push_back(entry.clone());
        if let Some(tap) = &shared.tap
            && tap.send(entry).is_err()
        {
            shared.tap = None;
        }
    }
}

/// `message key=value key=value`, as the file has it.
struct Text(String);

impl Visit for Text {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let gap = if self.0.is_empty() { "" } else { " " };
        if field.name() == "message" {
            let _ = write!(self.0, "{gap}{value:?}");
        } else {
            let _ = write!(self.0, "{gap}{}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let gap = if self.0.is_empty() { "" } else { " " };
        if field.name() == "message" {
            let _ = write!(self.0, "{gap}{value}");
        } else {
            let _ = write!(self.0, "{gap}{}={value}", field.name());
        }
    }
}
