//! The log: `tracing` events of this crate to a size-bounded, rotated file in the state
//! directory (`$XDG_STATE_HOME/blnk-alerts/blnk-alerts.log`), and the recent ones to the
//! dashboard's log view. What is logged is chosen where it happens: requests (method, path,
//! status, duration, attempt), failures, start and stop; never the key, never a body.

mod file;
mod recent;

use std::path::PathBuf;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

pub use recent::tap;

/// The environment variable that sets the level when `--log-level` does not.
pub const ENV_LOG: &str = "BLNK_LOG";

/// How much is logged: each level includes those above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Level {
    Error,
    Warn,
    #[default]
    Info,
    Debug,
    Trace,
}

impl Level {
    pub const ALL: [Self; 5] = [Self::Error, Self::Warn, Self::Info, Self::Debug, Self::Trace];

    pub fn name(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warn => "warn",
            Self::Info => "info",
            Self::Debug => "debug",
            Self::Trace => "trace",
        }
    }

    fn filter(self) -> LevelFilter {
        match self {
            Self::Error => LevelFilter::ERROR,
            Self::Warn => LevelFilter::WARN,
            Self::Info => LevelFilter::INFO,
            Self::Debug => LevelFilter::DEBUG,
            Self::Trace => LevelFilter::TRACE,
        }
    }

    fn of(level: tracing::Level) -> Self {
        match level {
            tracing::Level::ERROR => Self::Error,
            tracing::Level::WARN => Self::Warn,
            tracing::Level::INFO => Self::Info,
            tracing::Level::DEBUG => Self::Debug,
            tracing::Level::TRACE => Self::Trace,
        }
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|l| l.name().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|l| l.name()).collect();
            format!("log level {s:?} is not one of {}", names.join(", "))
        })
    }
}

/// One logged event, as the log view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub at: DateTime<Utc>,
    pub level: Level,
    /// The message and its fields: `request method=GET path=/alerts status=200 ms=12`.
    pub text: String,
}

/// The log file: in the state directory, or `None` when the system has none.
pub fn default_file() -> Option<PathBuf> {
    crate::config::state_dir(None).map(|d| d.join("blnk-alerts.log"))
}

/// Starts logging at `level` to standard error, as a server does (`serve`: its request log).
/// Other crates' events are kept at warnings, as for the file.
pub fn init_stderr(level: Level) -> Result<(), String> {
    let others = LevelFilter::WARN.min(level.filter());
    let targets = Targets::new().with_default(others).with_target("blnk_alerts", level.filter());
    let to_stderr = tracing_subscriber::fmt::layer().with_ansi(false).with_target(false).with_writer(std::io::stderr);
    tracing_subscriber::registry()
        .with(targets)
        .with(to_stderr)
        .try_init()
        .map_err(|e| format!("cannot start logging: {e}"))
}

/// Starts logging at `level` to `path` (and to the log view's buffer). Other crates' events
/// are kept at warnings, so nothing they trace (headers included) reaches the file.
pub fn init(level: Level, path: &std::path::Path) -> Result<(), String> {
    let writer = file::Rotating::open(path, file::MAX_BYTES, file::KEEP)
        .map_err(|e| format!("cannot open the log file {}: {e}", path.display()))?;
    let others = LevelFilter::WARN.min(level.filter());
    let targets = Targets::new().with_default(others).with_target("blnk_alerts", level.filter());
    let to_file =
        tracing_subscriber::fmt::layer().with_ansi(false).with_target(false).with_writer(std::sync::Mutex::new(writer));
    tracing_subscriber::registry()
        .with(targets)
        .with(to_file)
        .with(recent::Recent)
        .try_init()
        .map_err(|e| format!("cannot start logging: {e}"))
}
