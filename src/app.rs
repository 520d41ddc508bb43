//! The model and its pure `update`: messages in, state changed, commands out. No I/O, no
//! clock (time arrives in `Msg::Tick`), no spawning: the runtime does all of that.

mod draft;
mod filter;
mod form;
mod input;
pub mod keymap;
mod list;
mod picker;
mod sync;

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use crossterm::event::KeyEvent;

pub use draft::{Draft, DraftKey};
pub use form::{Field, Form, FormKind, Phase, Submission};
pub use input::TextInput;
pub use keymap::{Action, Binding};
pub use list::{AlertList, Batch, Retired, SortKey};
pub use picker::Picker;
pub use sync::{Failure, Sync};

use crate::api::{AlertUpdate, ApiError, FlagRequest};
use crate::domain::{Alert, AlertId, EntityId, Status, StatusKey, StatusList};

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
    pub interval: Duration,
    pub bell: bool,
    /// Where it is connected: a host, or `DEMO`.
    pub source: String,
    /// The offset local times are shown in (fixed at start, so views stay pure).
    pub utc_offset: FixedOffset,
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

/// Why an update is sent: an edit from the form, or a status change from the picker.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateKind {
    Edit,
    /// The alert as it was, to put back if the server refuses.
    Status {
        previous: Box<Alert>,
    },
}

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Msg {
    Tick(DateTime<Utc>),
    Key(KeyEvent),
    Paste(String),
    /// The terminal's new size in rows (columns do not matter to the model).
    Resize {
        rows: u16,
    },
    AlertsLoaded {
        generation: u64,
        result: Result<Vec<Alert>, ApiError>,
    },
    /// The same, with the search text computed off the UI thread (what the runtime sends).
    AlertsIndexed {
        generation: u64,
        result: Result<Batch, ApiError>,
    },
    StatusesLoaded(Result<StatusList, ApiError>),
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
    /// Drafts left by an earlier run (a crash, a kill).
    DraftsFound(Vec<Draft>),
    /// Saving or deleting a draft failed: the reason.
    DraftFailed(String),
}

/// What the app asks the runtime to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Cmd {
    FetchAlerts {
        generation: u64,
    },
    FetchStatuses,
    Flag {
        entity: EntityId,
        request: FlagRequest,
    },
    /// With `expected`, the runtime first checks that the alert's `updated_at` is still that.
    Update {
        id: AlertId,
        update: AlertUpdate,
        expected: Option<DateTime<FixedOffset>>,
        kind: UpdateKind,
    },
    /// Free this (a replaced load) off the UI thread.
    Release(Retired),
    SaveDraft(Draft),
    DeleteDraft(DraftKey),
    Bell,
    Suspend,
}

impl Cmd {
    /// Commands that change something on the server.
    pub fn is_mutating(&self) -> bool {
        matches!(self, Self::Flag { .. } | Self::Update { .. })
    }
}

const NOTICE_SECS: i64 = 6;

/// The whole UI state.
#[derive(Debug)]
pub struct App {
    pub settings: Settings,
    pub now: DateTime<Utc>,
    pub list: AlertList,
    pub statuses: Vec<Status>,
    pub sync: Sync,
    pub focus: Focus,
    pub overlay: Overlay,
    pub filter: TextInput,
    pub detail_scroll: u16,
    pub notice: Option<Notice>,
    pub should_quit: bool,
    /// True until the first answer (or failure) of the alerts list.
    pub loading: bool,
    /// Rows of the terminal, for page-wise movement.
    pub rows: u16,
    /// Drafts from an earlier run, waiting for their form to be opened.
    pub drafts: HashMap<DraftKey, Draft>,
    /// What was last saved of the open form, so unchanged text is not written again.
    saved_draft: Option<Draft>,
}

impl App {
    pub fn new(settings: Settings, now: DateTime<Utc>) -> Self {
        let sync = Sync::new(settings.interval);
        Self {
            settings,
            now,
            list: AlertList::default(),
            statuses: Status::built_ins(),
            sync,
            focus: Focus::List,
            overlay: Overlay::None,
            filter: TextInput::new("", false),
            detail_scroll: 0,
            notice: None,
            should_quit: false,
            loading: true,
            rows: 24,
            drafts: HashMap::new(),
            saved_draft: None,
        }
    }

    pub fn read_only(&self) -> bool {
        self.settings.access == Access::ReadOnly
    }

    /// The first commands: load the statuses and the alerts.
    pub fn init(&mut self) -> Vec<Cmd> {
        let mut cmds = vec![Cmd::FetchStatuses];
        cmds.extend(self.sync.start_fetch().map(|generation| Cmd::FetchAlerts { generation }));
        cmds
    }

    /// The status tabs: All (None), then every known status, then any other status in use.
    pub fn tabs(&self) -> Vec<Option<StatusKey>> {
        let mut tabs: Vec<Option<StatusKey>> = vec![None];
        tabs.extend(self.statuses.iter().map(|s| Some(s.key.clone())));
        let mut extra: Vec<&StatusKey> =
            self.list.used_statuses().filter(|k| !self.statuses.iter().any(|s| &s.key == *k)).collect();
        extra.sort();
        tabs.extend(extra.into_iter().cloned().map(Some));
        tabs
    }

    /// The status named `key`, if the organisation has it.
    pub fn status(&self, key: &StatusKey) -> Option<&Status> {
        self.statuses.iter().find(|s| &s.key == key)
    }

    fn notify(&mut self, level: Level, text: impl Into<String>) {
        let until = self.now + chrono::Duration::seconds(NOTICE_SECS);
        self.notice = Some(Notice { text: crate::domain::single_line(&text.into()).into_owned(), level, until });
    }

    /// Applies one message; returns what the runtime should do next.
    pub fn update(&mut self, msg: Msg) -> Vec<Cmd> {
        match msg {
            Msg::Tick(now) => self.tick(now),
            Msg::Key(key) => self.key(key),
            Msg::Paste(text) => {
                self.paste(&text);
                Vec::new()
            }
            Msg::Resize { rows } => {
                self.rows = rows;
                Vec::new()
            }
            Msg::AlertsLoaded { generation, result } => self.alerts_loaded(generation, result.map(Batch::from)),
            Msg::AlertsIndexed { generation, result } => self.alerts_loaded(generation, result),
            Msg::StatusesLoaded(result) => {
                match result {
                    Ok(list) if !list.data.is_empty() => self.statuses = list.data,
                    Ok(_) => {}
                    Err(e) => self.notify(Level::Error, format!("Could not load statuses: {e}")),
                }
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
            Msg::DraftsFound(drafts) => {
                if let Some(first) = drafts.first() {
                    let more = if drafts.len() > 1 { format!(" and {} more", drafts.len() - 1) } else { String::new() };
                    self.notify(Level::Info, format!("A draft is waiting: {}{more}.", first.key.describe()));
                }
                self.drafts.extend(drafts.into_iter().map(|d| (d.key.clone(), d)));
                Vec::new()
            }
            Msg::DraftFailed(reason) => {
                self.notify(Level::Error, format!("Could not save the draft: {reason}"));
                Vec::new()
            }
        }
    }

    fn tick(&mut self, now: DateTime<Utc>) -> Vec<Cmd> {
        self.now = now;
        if self.notice.as_ref().is_some_and(|n| now >= n.until) {
            self.notice = None;
        }
        let mut cmds = Vec::new();
        // Typed text reaches the disk at most a tick (one second) after it was typed.
        if let Some(draft) = self.unsaved_draft() {
            self.saved_draft = Some(draft.clone());
            cmds.push(Cmd::SaveDraft(draft));
        }
        if self.sync.due(now) {
            cmds.extend(self.poll());
        }
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
            self.notify(Level::Info, "Draft restored.");
        }
        self.overlay = Overlay::Form(Box::new(form));
    }

    /// Closes the open form and deletes its draft (it was sent, or discarded on purpose).
    fn close_form(&mut self, key: DraftKey) -> Vec<Cmd> {
        self.overlay = Overlay::None;
        self.saved_draft = None;
        vec![Cmd::DeleteDraft(key)]
    }

    /// Starts an alerts fetch (and now and then a statuses fetch) unless one is in flight.
    fn poll(&mut self) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        if let Some(generation) = self.sync.start_fetch() {
            cmds.push(Cmd::FetchAlerts { generation });
            if self.sync.statuses_due() {
                cmds.push(Cmd::FetchStatuses);
            }
        }
        cmds
    }

    fn alerts_loaded(&mut self, generation: u64, result: Result<Batch, ApiError>) -> Vec<Cmd> {
        let current = self.sync.landed(generation);
        let mut cmds = Vec::new();
        match result {
            Ok(alerts) if current => {
                self.loading = false;
                self.sync.succeeded(self.now);
                let (new_ids, retired) = self.list.replace_all(alerts);
                cmds.push(Cmd::Release(retired));
                if self.settings.bell && !new_ids.is_empty() {
                    cmds.push(Cmd::Bell);
                }
                cmds.extend(self.check_flag_arrived());
            }
            Ok(_) => {}
            Err(e) => {
                self.loading = false;
                self.sync.failed(self.now, e.to_string());
            }
        }
        if self.sync.take_queued() {
            cmds.extend(self.poll());
        }
        cmds
    }

    /// After an ambiguous flag, looks for the alert in the fresh list before offering a resend.
    fn check_flag_arrived(&mut self) -> Vec<Cmd> {
        let Overlay::Form(form) = &mut self.overlay else { return Vec::new() };
        let Phase::Verifying { entity, description, sent_at } = &form.phase else { return Vec::new() };
        let skew = chrono::Duration::minutes(5);
        let found = self.list.all().iter().find(|a| {
            a.description == *description
                && a.created_at.to_utc() + skew >= *sent_at
                && a.affected_balances
                    .iter()
                    .chain(&a.affected_transactions)
                    .chain(&a.affected_identities)
                    .any(|id| id.eq_ignore_ascii_case(entity.as_str()))
        });
        if let Some(id) = found.map(|a| a.anomaly_id.clone()) {
            self.list.select_id(&id);
            self.notify(Level::Success, format!("The flag did reach the server: {id}"));
            return self.close_form(DraftKey::Flag);
        }
        form.phase = Phase::Editing;
        form.error = Some("The flag was not created. Press Ctrl-S to send it again.".to_owned());
        Vec::new()
    }

    fn flagged(&mut self, result: Result<Alert, ApiError>) -> Vec<Cmd> {
        match result {
            Ok(alert) => {
                let id = alert.anomaly_id.clone();
                self.sync.local_change();
                self.list.upsert(alert);
                self.list.select_id(&id);
                if self.list.selected_id() != Some(&id) {
                    // Filtered out of view: clear the filter and tab so the new alert shows.
                    self.filter = TextInput::new("", false);
                    self.list.set_query("");
                    self.list.set_status(None);
                    self.list.select_id(&id);
                }
                self.notify(Level::Success, format!("Flagged: {id}"));
                self.close_form(DraftKey::Flag)
            }
            Err(e) => {
                let Overlay::Form(form) = &mut self.overlay else { return Vec::new() };
                let Phase::Sending = form.phase else { return Vec::new() };
                let Ok(Submission::Flag { entity, request }) = form.submission() else {
                    form.phase = Phase::Editing;
                    return Vec::new();
                };
                if e.is_ambiguous() {
                    form.error = Some(e.to_string());
                    form.phase = Phase::Verifying { entity, description: request.description, sent_at: self.now };
                    self.sync.local_change();
                    return self.poll();
                }
                form.phase = Phase::Editing;
                form.error = Some(e.to_string());
                Vec::new()
            }
        }
    }

    fn updated(&mut self, id: &AlertId, kind: UpdateKind, result: Result<Alert, ApiError>) -> Vec<Cmd> {
        match (result, kind) {
            (Ok(alert), kind) => {
                self.sync.local_change();
                self.list.upsert(alert);
                if let UpdateKind::Status { .. } = kind {
                    self.notify(Level::Success, "Status changed.");
                    return Vec::new();
                }
                self.notify(Level::Success, "Saved.");
                // The server confirmed: the draft has served its purpose, whether or not the form is open.
                let key = DraftKey::Edit(id.clone());
                if matches!(&self.overlay, Overlay::Form(f) if f.draft_key() == key) {
                    return self.close_form(key);
                }
                return vec![Cmd::DeleteDraft(key)];
            }
            (Err(e), UpdateKind::Status { previous }) => {
                self.list.upsert(*previous);
                self.notify(Level::Error, format!("Status not changed: {e}"));
            }
            (Err(e), UpdateKind::Edit) => match &mut self.overlay {
                Overlay::Form(form) if matches!(form.phase, Phase::Sending) => {
                    form.phase = Phase::Editing;
                    form.error = Some(e.to_string());
                }
                _ => self.notify(Level::Error, format!("Not saved: {e}")),
            },
        }
        Vec::new()
    }

    fn paste(&mut self, text: &str) {
        match &mut self.overlay {
            Overlay::Form(form) if form.accepts_input() => form.focused().insert_str(text),
            Overlay::Filter => {
                self.filter.insert_str(text);
                self.list.set_query(self.filter.text());
            }
            Overlay::Picker(picker) => picker.query.insert_str(text),
            _ => {}
        }
    }

    fn key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        if key.kind == crossterm::event::KeyEventKind::Release {
            return Vec::new();
        }
        match &self.overlay {
            Overlay::None => self.browse_key(key),
            Overlay::Help => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            Overlay::Filter => {
                self.filter_key(key);
                Vec::new()
            }
            Overlay::Form(_) => self.form_key(key),
            Overlay::Picker(_) => self.picker_key(key),
        }
    }

    fn browse_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        let Some(action) = keymap::resolve(keymap::BROWSE, key) else { return Vec::new() };
        if action.is_mutating() && self.read_only() {
            self.notify(Level::Info, "Read-only mode: nothing can be changed from this screen.");
            return Vec::new();
        }
        let page = isize::try_from(self.rows.saturating_sub(8).max(1)).unwrap_or(1);
        match action {
            Action::Quit => self.should_quit = true,
            Action::Up | Action::Down if self.focus == Focus::Detail => {
                self.detail_scroll = if action == Action::Up {
                    self.detail_scroll.saturating_sub(1)
                } else {
                    self.detail_scroll.saturating_add(1)
                };
            }
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-page),
            Action::PageDown => self.move_selection(page),
            Action::Top => self.select_position(0),
            Action::Bottom => self.select_position(usize::MAX),
            Action::ToggleFocus => self.focus = if self.focus == Focus::List { Focus::Detail } else { Focus::List },
            Action::Filter => self.overlay = Overlay::Filter,
            Action::ClearFilter => {
                self.filter = TextInput::new("", false);
                self.list.set_query("");
            }
            Action::CycleSort => {
                let (key, reversed) = self.list.sort();
                self.list.set_sort(key.next(), reversed);
                self.notify(Level::Info, format!("Sorted by {}", key.next().label()));
            }
            Action::ReverseSort => {
                let (key, reversed) = self.list.sort();
                self.list.set_sort(key, !reversed);
            }
            Action::PrevTab | Action::NextTab => self.switch_tab(action == Action::NextTab),
            Action::Flag => self.open_form(Form::flag()),
            Action::Edit => match self.list.selected() {
                Some(alert) => self.open_form(Form::edit(alert)),
                None => self.notify(Level::Info, "No alert selected."),
            },
            Action::PickStatus => match self.list.selected() {
                Some(alert) => {
                    let mut picker = Picker::new(alert.anomaly_id.clone(), alert.status.clone());
                    picker.cursor = self.statuses.iter().position(|s| s.key == alert.status).unwrap_or(0);
                    self.overlay = Overlay::Picker(picker);
                }
                None => self.notify(Level::Info, "No alert selected."),
            },
            Action::Refresh => {
                self.sync.paused = false;
                let mut cmds = vec![Cmd::FetchStatuses];
                cmds.extend(self.sync.start_fetch().map(|generation| Cmd::FetchAlerts { generation }));
                return cmds;
            }
            Action::TogglePause => {
                self.sync.paused = !self.sync.paused;
                self.notify(
                    Level::Info,
                    if self.sync.paused { "Polling paused (p resumes)." } else { "Polling resumed." },
                );
            }
            Action::Help => self.overlay = Overlay::Help,
            Action::Suspend => return vec![Cmd::Suspend],
            Action::NextField | Action::PrevField | Action::Submit | Action::Cancel => {}
        }
        Vec::new()
    }

    fn move_selection(&mut self, delta: isize) {
        self.list.move_by(delta);
        self.detail_scroll = 0;
    }

    fn select_position(&mut self, position: usize) {
        self.list.select_position(position);
        self.detail_scroll = 0;
    }

    fn switch_tab(&mut self, forward: bool) {
        let tabs = self.tabs();
        let current = tabs.iter().position(|t| t.as_ref() == self.list.status()).unwrap_or(0);
        let next = if forward { (current + 1) % tabs.len() } else { (current + tabs.len() - 1) % tabs.len() };
        self.list.set_status(tabs[next].clone());
        self.detail_scroll = 0;
    }

    fn filter_key(&mut self, key: KeyEvent) {
        use crossterm::event::KeyCode;
        match key.code {
            KeyCode::Esc => {
                self.filter = TextInput::new("", false);
                self.list.set_query("");
                self.overlay = Overlay::None;
            }
            KeyCode::Enter | KeyCode::Down | KeyCode::Up | KeyCode::Tab => self.overlay = Overlay::None,
            _ => {
                if self.filter.handle_key(key) {
                    self.list.set_query(self.filter.text());
                }
            }
        }
    }

    fn form_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        use crossterm::event::KeyCode;
        let Overlay::Form(form) = &mut self.overlay else { return Vec::new() };
        let action = keymap::resolve(keymap::FORM, key);
        match &form.phase {
            Phase::ConfirmDiscard => {
                if matches!(key.code, KeyCode::Esc | KeyCode::Char('y' | 'Y')) {
                    let key = form.draft_key();
                    return self.close_form(key);
                }
                form.phase = Phase::Editing;
                return Vec::new();
            }
            Phase::Conflict { latest } => {
                let latest = (**latest).clone();
                let ctrl = key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL);
                return match key.code {
                    KeyCode::Char('o') if ctrl => self.submit_form(false),
                    KeyCode::Char('r') if ctrl => {
                        **form = Form::edit(&latest);
                        Vec::new()
                    }
                    KeyCode::Esc => {
                        form.rebase(latest);
                        form.error = Some("Editing on top of their version: Ctrl-S saves yours over it.".to_owned());
                        Vec::new()
                    }
                    _ => Vec::new(),
                };
            }
            Phase::Sending => return Vec::new(),
            Phase::Verifying { .. } => {
                if action == Some(Action::Cancel) {
                    self.overlay = Overlay::None;
                }
                return Vec::new();
            }
            Phase::Editing => {}
        }
        match action {
            Some(Action::NextField) => form.next_field(),
            Some(Action::PrevField) => form.prev_field(),
            Some(Action::Cancel) if form.is_dirty() => form.phase = Phase::ConfirmDiscard,
            Some(Action::Cancel) => {
                let key = form.draft_key();
                return self.close_form(key);
            }
            Some(Action::Submit) => return self.submit_form(true),
            _ => {
                form.focused().handle_key(key);
                form.error = None;
            }
        }
        Vec::new()
    }

    /// Validates the open form and sends it; `check` asks the runtime to detect a conflicting edit.
    fn submit_form(&mut self, check: bool) -> Vec<Cmd> {
        if self.read_only() {
            return Vec::new();
        }
        let Overlay::Form(form) = &mut self.overlay else { return Vec::new() };
        let submission = match form.submission() {
            Ok(submission) => submission,
            Err(reason) => {
                form.phase = Phase::Editing;
                form.error = Some(reason);
                return Vec::new();
            }
        };
        let cmd = match (submission, form.base()) {
            (Submission::Nothing, _) => {
                self.overlay = Overlay::None;
                self.notify(Level::Info, "Nothing changed.");
                return Vec::new();
            }
            (Submission::Flag { entity, request }, _) => Cmd::Flag { entity, request },
            (Submission::Update(update), Some(base)) => Cmd::Update {
                id: base.anomaly_id.clone(),
                update,
                expected: check.then_some(base.updated_at),
                kind: UpdateKind::Edit,
            },
            (Submission::Update(_), None) => return Vec::new(),
        };
        form.phase = Phase::Sending;
        form.error = None;
        vec![cmd]
    }

    fn picker_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        let Overlay::Picker(picker) = &mut self.overlay else { return Vec::new() };
        let len = picker.options(&self.statuses).len();
        match keymap::resolve(keymap::PICKER, key) {
            Some(Action::Up) => picker.move_by(-1, len),
            Some(Action::Down) => picker.move_by(1, len),
            Some(Action::Cancel) => self.overlay = Overlay::None,
            Some(Action::Submit) => return self.apply_status(),
            _ => {
                if picker.query.handle_key(key) {
                    picker.cursor = 0;
                }
            }
        }
        Vec::new()
    }

    /// Changes the status at once on screen and sends one request; a refusal puts it back.
    fn apply_status(&mut self) -> Vec<Cmd> {
        let Overlay::Picker(picker) = &self.overlay else { return Vec::new() };
        let Some(status) = picker.chosen(&self.statuses).map(|s| s.key.clone()) else { return Vec::new() };
        let target = picker.target.clone();
        self.overlay = Overlay::None;
        if self.read_only() {
            return Vec::new();
        }
        let Some(previous) = self.list.get(&target).cloned() else { return Vec::new() };
        if previous.status == status {
            return Vec::new();
        }
        let mut changed = previous.clone();
        changed.status = status.clone();
        changed.updated_at = self.now.fixed_offset();
        self.sync.local_change();
        self.list.upsert(changed);
        vec![Cmd::Update {
            id: target,
            update: AlertUpdate { status: Some(status), ..AlertUpdate::default() },
            expected: None,
            kind: UpdateKind::Status { previous: Box::new(previous) },
        }]
    }
}

#[cfg(test)]
pub(crate) mod tests;
