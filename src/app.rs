//! The model and its pure `update`: messages in, state changed, commands out. No I/O, no
//! clock (time arrives in `Msg::Tick`), no spawning: the runtime does all of that.

mod announce;
mod browse;
mod bulk;
mod copy;
mod draft;
mod entity;
mod export;
mod filter_line;
mod form;
mod input;
mod keys;
mod list;
mod log;
mod menu;
mod messages;
mod mouse;
mod neighbours;
mod palette;
mod palette_run;
mod picker;
mod results;
mod snooze;
mod stats_view;
mod statuses_screen;
mod sync;
mod views;
mod web;
mod write_scope;

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};

pub use crate::filter::Me;
pub use bulk::{BulkChange, BulkRun};
pub use copy::{COPY_LIMIT, CopyWhat};
pub use draft::{Draft, DraftKey};
pub use entity::{EntityPanel, Fetched, History};
pub use form::{Field, Form, FormKind, Phase, Submission};
pub use input::TextInput;
pub use list::{AlertList, Merged, SortKey, Tab, ViewRule};
pub use log::LogView;
pub use menu::{Menu, MenuKind};
pub use messages::{Cmd, ExportFailure, Msg, UpdateKind};
pub use mouse::Target;
pub use neighbours::{NEIGHBOURS_KEPT, Neighbour, Neighbours, Relation};
pub use palette::Palette;
pub use picker::Picker;
use results::Loaded;
pub use snooze::{Snooze, SnoozeFor, Snoozes};
pub use statuses_screen::{StatusMode, StatusScreen, StatusWrite};
pub use sync::{Cadence, Failure, Sync};

use crate::api::{AlertUpdate, ApiError, ListFetch, Progress};
use crate::domain::{Alert, AlertId, Status, StatusKey};
use crate::keymap::{Action, Context, Keymap};
use crate::theme::Theme;

/// What the view could show in the last frame, so that paging and scrolling match the screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewport {
    /// Rows of alerts the list shows.
    pub list_rows: u16,
    /// The furthest the detail pane can scroll before it shows nothing more.
    pub detail_max_scroll: u16,
    /// Rows of entries the log view shows.
    pub log_rows: u16,
    /// Rows of help the overlay shows, and how far it scrolls (0 when it all fits).
    pub help_rows: u16,
    pub help_max_scroll: u16,
}

/// Whether the dashboard may change anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    ReadOnly,
}

/// How the dashboard was started.
#[derive(Debug, Clone)]
pub struct Settings {
    pub access: Access,
    pub cadence: Cadence,
    pub bell: bool,
    /// Where it is connected: a host, or `DEMO`.
    pub source: String,
    /// The names or user ids Blnk puts in `assigned_to` for the person using the dashboard.
    pub me: Vec<String>,
    /// The config file's profile in use, shown in its colour so nobody mistakes the account.
    pub profile: Option<crate::config::ProfileName>,
    /// The offset local times are shown in (the runtime reports changes, so views stay pure).
    pub utc_offset: FixedOffset,
    /// What each key does: the defaults and the config file's `[keys]`.
    pub keymap: Keymap,
    /// The colours the view draws with.
    pub theme: Theme,
    /// Whether new alerts are announced, and which (a filter such as `type:transaction`).
    pub notify: bool,
    pub notify_filter: Option<String>,
    /// The config file's `[[views]]`, shown as tabs after the statuses.
    pub views: Vec<crate::config::SavedView>,
    /// Where the web dashboard shows an alert, with `{id}` where its id goes.
    pub web_url: Option<String>,
    /// The Blnk Cloud instance whose Data API serves the flagged entities.
    pub instance_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

/// What sits on top of the panes and takes the keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    Help,
    Filter,
    Form(Box<Form>),
    Picker(Picker),
    Log,
    Palette(Palette),
    /// "Change 12 alerts to Resolved?"
    BulkConfirm(BulkChange),
    /// How long to snooze, what to copy.
    Menu(Menu),
    /// The shape of the queue: per day, by age, type and assignee.
    Stats,
    /// The statuses, their colours and counts; new, rename, recolour, delete.
    Statuses(StatusScreen),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Success,
    Error,
}

/// A transient message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub level: Level,
    pub until: DateTime<Utc>,
}

const NOTICE_SECS: i64 = 6;
const DRAFT_RESTORED: &str = "Draft restored.";

/// The whole UI state.
#[derive(Debug)]
pub struct App {
    pub settings: Settings,
    pub now: DateTime<Utc>,
    pub list: AlertList,
    pub statuses: Vec<Status>,
    /// The colours a status may take, as the server last said (empty: it did not say).
    pub allowed_colours: Vec<String>,
    pub sync: Sync,
    pub focus: Focus,
    pub overlay: Overlay,
    pub filter: TextInput,
    /// Why a term of the filter cannot be read, shown under it (the other terms still filter).
    pub filter_error: Option<crate::filter::FilterError>,
    /// When the applied query was read, for relative times (`age:<2h`).
    filter_read_at: DateTime<Utc>,
    pub detail_scroll: u16,
    /// How far the help overlay is scrolled (a short terminal cannot show it all).
    pub help_scroll: u16,
    /// The recent log entries and how the log view shows them.
    pub log: LogView,
    /// New alerts waiting to be announced (`notify = true`).
    announcer: announce::Announcer,
    /// The marked alerts, by id.
    marks: std::collections::HashSet<AlertId>,
    /// The bulk status change under way, and how many were started (each run's job number).
    pub bulk: Option<BulkRun>,
    bulk_jobs: u64,
    /// The snoozed alerts, why and until when (kept by the runtime in a state file).
    snoozes: Snoozes,
    pub notice: Option<Notice>,
    pub should_quit: bool,
    /// True until the first answer (or failure) of the alerts list.
    pub loading: bool,
    /// What the last frame could show: a page of the list, how far the detail scrolls.
    pub viewport: Viewport,
    /// Drafts from an earlier run, waiting for their form to be opened.
    pub drafts: HashMap<DraftKey, Draft>,
    /// What was last saved of the open form, so unchanged text is not written again.
    saved_draft: Option<Draft>,
    /// The server's tag for the list as applied, to ask only for a changed one.
    list_etag: Option<String>,
    /// How far a long first load has come (cleared when it lands).
    pub progress: Option<Progress>,
    statuses_in_flight: bool,
    /// The flagged entity behind the selected alert, and the walk from it.
    pub entity: EntityPanel,
    /// The alert of a waiting edit draft that `e` goes to while its notice shows, and until when.
    draft_jump: Option<(AlertId, DateTime<Utc>)>,
    /// The stats view's figures, while it is open.
    pub stats: Option<crate::stats::Stats>,
    /// New alerts per hour over the last day, oldest first (monitoring mode's header).
    pub hourly: Vec<u64>,
}

impl App {
    pub fn new(settings: Settings, now: DateTime<Utc>) -> Self {
        let sync = Sync::new(settings.cadence);
        let mut list = AlertList::default();
        list.set_me(Me::new(&settings.me));
        let mut app = Self {
            settings,
            now,
            list,
            statuses: Status::built_ins(),
            allowed_colours: Vec::new(),
            sync,
            focus: Focus::List,
            overlay: Overlay::None,
            filter: TextInput::new("", false),
            filter_error: None,
            filter_read_at: now,
            detail_scroll: 0,
            help_scroll: 0,
            log: LogView::default(),
            announcer: announce::Announcer::default(),
            marks: std::collections::HashSet::new(),
            bulk: None,
            bulk_jobs: 0,
            snoozes: Snoozes::new(),
            notice: None,
            should_quit: false,
            loading: true,
            viewport: Viewport::default(),
            drafts: HashMap::new(),
            saved_draft: None,
            list_etag: None,
            progress: None,
            statuses_in_flight: false,
            entity: EntityPanel::default(),
            stats: None,
            hourly: Vec::new(),
            draft_jump: None,
        };
        let views = std::mem::take(&mut app.settings.views);
        app.set_views(views);
        app
    }

    pub fn read_only(&self) -> bool {
        self.settings.access == Access::ReadOnly
    }

    /// The first commands: load the statuses and the alerts.
    pub fn init(&mut self) -> Vec<Cmd> {
        let mut cmds: Vec<Cmd> = self.fetch_statuses().into_iter().collect();
        cmds.extend(self.fetch_alerts());
        cmds
    }

    /// Asks for the alerts unless a fetch is already in flight.
    fn fetch_alerts(&mut self) -> Option<Cmd> {
        let generation = self.sync.start_fetch()?;
        let build = !self.list.loaded();
        Some(Cmd::FetchAlerts { generation, known: self.list.known(), etag: self.list_etag.clone(), build })
    }

    /// Asks for the statuses unless a request for them is already out.
    fn fetch_statuses(&mut self) -> Option<Cmd> {
        (!std::mem::replace(&mut self.statuses_in_flight, true)).then_some(Cmd::FetchStatuses)
    }

    /// The status tabs: All (None), then every known status, then any other status in use.
    pub fn tabs(&self) -> Vec<Tab> {
        let mut tabs = vec![Tab::All, Tab::Mine];
        tabs.extend(self.statuses.iter().map(|s| Tab::Status(s.key.clone())));
        let mut extra: Vec<&StatusKey> =
            self.list.used_statuses().filter(|k| !self.statuses.iter().any(|s| &s.key == *k)).collect();
        // The active tab stays even when its last alert has just left it.
        if let Some(active) = self.list.status()
            && !self.statuses.iter().any(|s| &s.key == active)
            && !extra.contains(&active)
        {
            extra.push(active);
        }
        extra.sort();
        tabs.extend(extra.into_iter().cloned().map(Tab::Status));
        tabs.extend((0..self.list.views()).map(Tab::View));
        if self.list.snoozed() > 0 || *self.list.tab() == Tab::Snoozed {
            tabs.push(Tab::Snoozed);
        }
        tabs
    }

    /// The status named `key`, if the organisation has it.
    pub fn status(&self, key: &StatusKey) -> Option<&Status> {
        self.statuses.iter().find(|s| &s.key == key)
    }

    /// The name a notice gives `key`: the organisation's, else the key in title case.
    pub fn status_name(&self, key: &StatusKey) -> String {
        crate::domain::status_name(&self.statuses, key)
    }

    /// The key bound to `action`, for a notice that tells what to press.
    fn key_for(&self, context: Context, action: Action) -> String {
        self.settings.keymap.key_for(context, action)
    }

    fn notify(&mut self, level: Level, text: impl Into<String>) {
        let until = self.now + chrono::Duration::seconds(NOTICE_SECS);
        self.notice = Some(Notice { text: crate::domain::single_line(&text.into()).into_owned(), level, until });
    }

    /// Applies one message; returns what the runtime should do next.
    pub fn update(&mut self, msg: Msg) -> Vec<Cmd> {
        let mut cmds = self.apply(msg);
        // A filter pass over a large list goes on a slice per message, keys handled between.
        if self.list.wants_step() {
            cmds.push(Cmd::FilterStep);
        }
        cmds.extend(self.follow_selection());
        cmds
    }

    fn apply(&mut self, msg: Msg) -> Vec<Cmd> {
        match msg {
            Msg::FilterStep => {
                self.list.scan_step();
                if !self.list.scanning() {
                    self.filter_pass_ended();
                }
                Vec::new()
            }
            Msg::Tick(now) => self.tick(now),
            Msg::Key(key) => self.key(key),
            Msg::Paste(text) => {
                self.paste(&text);
                Vec::new()
            }
            Msg::Resize => Vec::new(),
            Msg::UtcOffset(offset) => {
                self.settings.utc_offset = offset;
                Vec::new()
            }
            Msg::Viewport(viewport) => {
                self.viewport = viewport;
                self.detail_scroll = self.detail_scroll.min(viewport.detail_max_scroll);
                self.help_scroll = self.help_scroll.min(viewport.help_max_scroll);
                Vec::new()
            }
            Msg::AlertsLoaded { generation, result } => {
                self.alerts_loaded(generation, result.map(Loaded::Whole), Duration::ZERO)
            }
            Msg::AlertsFetched { generation, result, took } => {
                self.alerts_loaded(generation, result.map(Loaded::Fetched), took)
            }
            Msg::ListBuilt { generation, result, took } => {
                self.alerts_loaded(generation, result.map(|(list, etag)| Loaded::Built(list, etag)), took)
            }
            Msg::LoadProgress { generation, progress } => {
                if self.sync.in_flight_generation() == Some(generation) {
                    self.progress = Some(progress);
                }
                Vec::new()
            }
            Msg::BulkStep { job, id, result } => self.bulk_step(job, id, result),
            Msg::BulkDone { job, answered } => {
                self.bulk_ended(job, answered);
                Vec::new()
            }
            Msg::Click(target) => {
                self.click(target);
                Vec::new()
            }
            Msg::Wheel { target, down } => {
                self.wheel(target, down);
                Vec::new()
            }
            Msg::Logged(entries) => {
                self.log.extend(entries);
                Vec::new()
            }
            Msg::StatusesLoaded(result) => {
                self.statuses_loaded(result);
                Vec::new()
            }
            Msg::Flagged(result) => self.flagged(result),
            Msg::Updated { id, kind, result } => self.updated(&id, kind, result),
            Msg::EditConflict { latest } => {
                if let Overlay::Form(form) = &mut self.overlay {
                    form.phase = Phase::Conflict { latest: Box::new(latest) };
                }
                Vec::new()
            }
            Msg::DraftsFound(drafts) => self.drafts_found(drafts),
            Msg::DraftFailed(reason) => {
                self.notify(Level::Error, format!("Could not save the draft: {reason}"));
                Vec::new()
            }
            Msg::SnoozesFound(found) => self.snoozes_found(found),
            Msg::StateFailed(reason) => {
                self.notify(Level::Error, reason);
                Vec::new()
            }
            Msg::Exported { path, result } => self.exported(&path, result),
            Msg::Opened { url, result } => self.opened(url, result),
            Msg::Rested(token) => self.rested(token),
            Msg::EntityLoaded { id, result } => self.entity_loaded(id, result),
            Msg::HistoryLoaded { balance, result } => self.history_loaded(balance, result),
            Msg::StatusWritten { write, result } => self.status_written(&write, result),
            Msg::ViewSaved { view, result } => {
                self.view_saved(view, result);
                Vec::new()
            }
        }
    }

    /// Drafts left by an earlier run: said in the footer, kept for their forms.
    fn drafts_found(&mut self, drafts: Vec<Draft>) -> Vec<Cmd> {
        if let Some(first) = drafts.first() {
            if let DraftKey::Edit(id) = &first.key {
                self.draft_jump = Some((id.clone(), self.now + chrono::Duration::seconds(NOTICE_SECS)));
            }
            let more = if drafts.len() > 1 { format!(" and {} more", drafts.len() - 1) } else { String::new() };
            self.notify(
                Level::Info,
                format!(
                    "A draft is waiting: {}{more}.",
                    first.key.describe(&self.key_for(Context::Browse, first.key.opens()))
                ),
            );
        }
        self.drafts.extend(drafts.into_iter().map(|d| (d.key.clone(), d)));
        Vec::new()
    }

    fn statuses_loaded(&mut self, result: Result<crate::domain::StatusList, ApiError>) {
        self.statuses_in_flight = false;
        match result {
            Ok(list) => {
                if !list.allowed_colours.is_empty() {
                    self.allowed_colours = list.allowed_colours;
                }
                if !list.data.is_empty() {
                    self.statuses = list.data;
                }
                // A status deleted elsewhere must not leave the screen's cursor past the end.
                if let Overlay::Statuses(screen) = &mut self.overlay {
                    screen.cursor = screen.cursor.min(self.statuses.len().saturating_sub(1));
                }
            }
            Err(e) => self.notify(Level::Error, format!("Could not load statuses: {e}")),
        }
        // A status the filter names may have just arrived.
        if self.filter_error.is_some() {
            self.apply_filter();
        }
    }

    fn tick(&mut self, now: DateTime<Utc>) -> Vec<Cmd> {
        let before = std::mem::replace(&mut self.now, now);
        self.hour_passed(before);
        let notice_span = chrono::Duration::seconds(NOTICE_SECS);
        if self.notice.as_ref().is_some_and(|n| now >= n.until || n.until - now > notice_span) {
            self.notice = None;
        }
        self.refresh_relative_filter(now);
        let mut cmds = self.wake_snoozes(false);
        // Typed text reaches the disk at most a tick (one second) after it was typed.
        if let Some(draft) = self.unsaved_draft() {
            self.saved_draft = Some(draft.clone());
            cmds.push(Cmd::SaveDraft(draft));
        }
        if self.sync.due(now) {
            cmds.extend(self.poll());
        }
        cmds.extend(self.announcer.due(now));
        cmds
    }

    /// The open form's text when it has typed text that was not saved yet.
    pub fn unsaved_draft(&self) -> Option<Draft> {
        let Overlay::Form(form) = &self.overlay else { return None };
        let draft = form.draft();
        (form.is_dirty() && self.saved_draft.as_ref() != Some(&draft)).then_some(draft)
    }

    /// Opens `form`, bringing back its draft if one is waiting.
    fn open_form(&mut self, mut form: Form) {
        self.saved_draft = self.drafts.remove(&form.draft_key());
        if let Some(draft) = &self.saved_draft {
            form.restore(draft);
            self.notify(Level::Info, DRAFT_RESTORED);
        }
        self.overlay = Overlay::Form(Box::new(form));
    }

    /// Closes the open form and deletes its draft (it was sent, or discarded on purpose).
    fn close_form(&mut self, key: DraftKey) -> Vec<Cmd> {
        self.overlay = Overlay::None;
        self.saved_draft = None;
        // The draft is gone with the form: so is the word that it was restored.
        if self.notice.as_ref().is_some_and(|n| n.text == DRAFT_RESTORED) {
            self.notice = None;
        }
        vec![Cmd::DeleteDraft(key)]
    }

    /// Starts an alerts fetch (and now and then a statuses fetch) unless one is in flight.
    fn poll(&mut self) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        if let Some(fetch) = self.fetch_alerts() {
            cmds.push(fetch);
            if self.sync.statuses_due() {
                cmds.extend(self.fetch_statuses());
            }
        }
        cmds
    }
}

#[cfg(test)]
pub(crate) mod tests;
