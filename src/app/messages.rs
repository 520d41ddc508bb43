//! The messages the app takes in (`Msg`: keys, ticks, what the runtime reports) and the
//! commands it gives out (`Cmd`: effects as data, which only the runtime performs).

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use crossterm::event::KeyEvent;

use super::{AlertList, Draft, DraftKey, Target, Viewport};
use crate::api::{AlertUpdate, ApiError, FlagRequest, Known, ListFetch, Progress};
use crate::domain::{Alert, AlertId, EntityId, StatusKey, StatusList};

/// Why an update is sent: an edit from the form, or a status change from the picker.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateKind {
    Edit,
    /// The alert as it was, to put back if the server refuses.
    Status {
        previous: Box<Alert>,
    },
}

/// Why an export wrote nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportFailure {
    /// The file is there and replacing it was not agreed to.
    Exists,
    /// What failed, to say so.
    Failed(String),
}

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Msg {
    Tick(DateTime<Utc>),
    Key(KeyEvent),
    Paste(String),
    /// The terminal changed size (the next draw reports the new `Viewport`).
    Resize,
    /// What the last frame could show, reported by the runtime after drawing.
    Viewport(Viewport),
    /// A whole list, decoded (tests, benches): the list becomes exactly this.
    AlertsLoaded {
        generation: u64,
        result: Result<Vec<Alert>, ApiError>,
    },
    /// A list fetch compared with what the list held when it was sent (what the runtime sends),
    /// and how long it took (a slow fetch stretches the interval).
    AlertsFetched {
        generation: u64,
        result: Result<ListFetch, ApiError>,
        took: Duration,
    },
    /// The first load, built into a whole list off the UI thread (so a million alerts never
    /// stall the keys), with the server's tag for it.
    ListBuilt {
        generation: u64,
        result: Result<(Box<AlertList>, Option<String>), ApiError>,
        took: Duration,
    },
    /// Check the next slice of a filter pass over a large list.
    FilterStep,
    /// How far the fetch `generation` has come, while a long download goes on.
    LoadProgress {
        generation: u64,
        progress: Progress,
    },
    StatusesLoaded(Result<StatusList, ApiError>),
    /// One alert of bulk change `job` answered.
    BulkStep {
        job: u64,
        id: AlertId,
        result: Result<Alert, ApiError>,
    },
    /// Bulk change `job` ended (every alert answered, or it was stopped) after `answered`
    /// `BulkStep`s, which may still be on their way.
    BulkDone {
        job: u64,
        answered: usize,
    },
    /// A click, placed by the view (only with `mouse = true`).
    Click(Target),
    /// A turn of the mouse wheel over `target`.
    Wheel {
        target: Target,
        down: bool,
    },
    /// Entries just logged, for the log view.
    Logged(Vec<crate::logging::Entry>),
    Flagged(Result<Alert, ApiError>),
    Updated {
        id: AlertId,
        kind: UpdateKind,
        result: Result<Alert, ApiError>,
    },
    /// The alert changed on the server since the edit form opened.
    EditConflict {
        latest: Alert,
    },
    /// The local time's offset changed (daylight saving time began or ended).
    UtcOffset(FixedOffset),
    /// Drafts left by an earlier run (a crash, a kill).
    DraftsFound(Vec<Draft>),
    /// Saving or deleting a draft failed: the reason.
    DraftFailed(String),
    /// Snoozes kept by an earlier run, or why they could not be read.
    SnoozesFound(Result<super::Snoozes, String>),
    /// A state file (the snoozes) could not be written: what to tell the user.
    StateFailed(String),
    /// A status write's answer: the status's name (or the server's message), or the refusal.
    StatusWritten {
        write: super::StatusWrite,
        result: Result<String, ApiError>,
    },
    /// `view` was written into the config file at that path (added or replacing one), or why not.
    ViewSaved {
        view: crate::config::SavedView,
        result: Result<(crate::config::Saved, PathBuf), String>,
    },
    /// The export to `path` (as typed) wrote this many alerts to this file, or did not.
    Exported {
        path: PathBuf,
        result: Result<(usize, PathBuf), ExportFailure>,
    },
    /// The selection may have rested (`Cmd::Rest`'s token).
    Rested(u64),
    /// The Data API's answer for an entity.
    EntityLoaded {
        id: EntityId,
        result: Result<Box<crate::domain::Entity>, ApiError>,
    },
    /// A balance's first page of transactions.
    HistoryLoaded {
        balance: EntityId,
        result: Result<super::History, ApiError>,
    },
    /// `url` went to a browser, or why none could be opened.
    Opened {
        url: String,
        result: Result<(), String>,
    },
}

/// What the app asks the runtime to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Cmd {
    /// Fetch the list; `known` and `etag` describe what the list holds, so that only what
    /// changed is decoded (or nothing, on a 304). `build`: nothing is loaded yet, so build the
    /// whole list off the UI thread and answer `ListBuilt`.
    FetchAlerts {
        generation: u64,
        known: Known,
        etag: Option<String>,
        build: bool,
    },
    FetchStatuses,
    Flag {
        entity: EntityId,
        request: FlagRequest,
    },
    /// With `expected` (the alert the edit was made on), the runtime first checks that nobody
    /// changed, since, a field this update sets.
    Update {
        id: AlertId,
        update: AlertUpdate,
        expected: Option<Box<Alert>>,
        kind: UpdateKind,
    },
    SaveDraft(Draft),
    DeleteDraft(DraftKey),
    /// The key cannot change alerts and the user chose read-only: drop the write client (and
    /// the drafts), so that nothing more can be sent.
    GiveUpWrites,
    /// Keep these snoozes (all of them: the state file is replaced whole).
    SaveSnoozes(super::Snoozes),
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Status writes, answered by `Msg::StatusWritten`.
    CreateStatus(crate::api::NewStatus),
    UpdateStatus {
        key: StatusKey,
        change: crate::api::StatusChange,
    },
    DeleteStatus(StatusKey),
    /// Write this view into the config file; answered by `Msg::ViewSaved`.
    SaveView(crate::config::SavedView),
    /// Write `alerts` to `path` in `format`, replacing the file only with `overwrite`.
    Export {
        path: PathBuf,
        format: crate::export::Format,
        alerts: Vec<Alert>,
        overwrite: bool,
    },
    /// Send `Msg::Rested(token)` back `after` this long (the selection resting).
    Rest {
        after: Duration,
        token: u64,
    },
    /// One entity from the Data API of `instance`.
    FetchEntity {
        id: EntityId,
        instance: String,
    },
    /// A balance's recent transactions from the Data API of `instance`.
    FetchHistory {
        balance: EntityId,
        instance: String,
    },
    /// Open this URL in a browser, off the UI thread.
    OpenUrl(String),
    /// Send `Msg::FilterStep` back, after whatever input is waiting.
    FilterStep,
    Bell,
    /// Set `status` on each of `ids`: one `PUT` each, a few at a time, reporting `BulkStep`s
    /// and then `BulkDone`.
    BulkStatus {
        job: u64,
        ids: Vec<AlertId>,
        status: StatusKey,
    },
    /// Send no more of bulk change `job` (those in flight finish).
    StopBulk {
        job: u64,
    },
    /// A desktop (or terminal) notification of new alerts.
    Notify {
        summary: String,
        body: String,
    },
    Suspend,
}

impl Cmd {
    /// Commands that change something on the server.
    pub fn is_mutating(&self) -> bool {
        matches!(
            self,
            Self::Flag { .. }
                | Self::Update { .. }
                | Self::BulkStatus { .. }
                | Self::CreateStatus(_)
                | Self::UpdateStatus { .. }
                | Self::DeleteStatus(_)
        )
    }
}
