//! What each key does, by what has the keys: the list, the filter, a form, the status picker.
//! Part of `App::update`; pure like the rest.

use crossterm::event::KeyEvent;

use super::{Action, AlertUpdate, App, Cmd, Context, Form, Level, Overlay, Phase, Submission, UpdateKind};
use crate::domain::{AlertId, StatusKey};
use crate::keymap::{CTRL_C, Key};

impl App {
    pub(super) fn paste(&mut self, text: &str) {
        match &mut self.overlay {
            Overlay::Form(form) if form.accepts_input() => form.focused().insert_str(text),
            Overlay::Filter => {
                self.filter.insert_str(text);
                self.apply_filter();
            }
            Overlay::Picker(picker) => {
                picker.query.insert_str(text);
                picker.cursor = 0;
            }
            Overlay::Palette(palette) => {
                palette.query.insert_str(text);
                palette.edited();
            }
            _ => {}
        }
    }

    pub(super) fn key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        if key.kind == crossterm::event::KeyEventKind::Release {
            return Vec::new();
        }
        // Ctrl-C always gets out (an open form's text is kept as a draft), except while typing
        // in a form, where it cancels like Esc (and a second Ctrl-C then quits).
        let ctrl_c = Key::from_event(&key) == CTRL_C;
        let typing = matches!(&self.overlay, Overlay::Form(f) if f.phase == Phase::Editing);
        if ctrl_c && !typing {
            self.should_quit = true;
            return Vec::new();
        }
        match &self.overlay {
            Overlay::None => self.browse_key(key),
            Overlay::Help => {
                self.help_key(key);
                Vec::new()
            }
            // Any key closes the stats view.
            Overlay::Stats => {
                self.overlay = Overlay::None;
                self.stats = None;
                Vec::new()
            }
            Overlay::Log => {
                self.log_key(key);
                Vec::new()
            }
            Overlay::Palette(_) => self.palette_key(key),
            Overlay::BulkConfirm(_) => self.bulk_confirm_key(key),
            Overlay::Menu(_) => self.menu_key(key),
            Overlay::Statuses(_) => self.statuses_key(key),
            Overlay::Filter => {
                self.filter_key(key);
                Vec::new()
            }
            Overlay::Form(_) => self.form_key(key),
            Overlay::Picker(_) => self.picker_key(key),
        }
    }

    /// In the log view: scroll (older is up), the level shown, follow, close.
    fn log_key(&mut self, key: KeyEvent) {
        let Some(action) = self.settings.keymap.resolve(Context::Log, &key) else { return };
        let rows = usize::from(self.viewport.log_rows.max(1));
        let page = isize::try_from(rows).unwrap_or(1);
        match action {
            Action::Up => self.log.scroll(1, rows),
            Action::Down => self.log.scroll(-1, rows),
            Action::PageUp => self.log.scroll(page, rows),
            Action::PageDown => self.log.scroll(-page, rows),
            Action::Top => self.log.scroll(isize::MAX, rows),
            Action::LogLevel => self.log.cycle_level(),
            // Following stops by holding the view one entry back.
            Action::Follow if self.log.following() => self.log.scroll(1, rows),
            Action::Bottom | Action::Follow => self.log.from_end = 0,
            Action::Cancel => self.overlay = Overlay::None,
            _ => {}
        }
    }

    /// While help is open, the browsing keys that move scroll it; any other key closes it.
    fn help_key(&mut self, key: KeyEvent) {
        let (page, max) = (self.viewport.help_rows.max(1), self.viewport.help_max_scroll);
        let scroll = self.help_scroll;
        // Help that fits closes on any key, as its title says.
        let action = if max == 0 { None } else { self.settings.keymap.resolve(Context::Browse, &key) };
        self.help_scroll = match action {
            Some(Action::Up) => scroll.saturating_sub(1),
            Some(Action::Down) => scroll.saturating_add(1).min(max),
            Some(Action::PageUp) => scroll.saturating_sub(page),
            Some(Action::PageDown) => scroll.saturating_add(page).min(max),
            Some(Action::Top) => 0,
            Some(Action::Bottom) => max,
            _ => {
                self.overlay = Overlay::None;
                0
            }
        };
    }

    fn browse_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        let Some(action) = self.settings.keymap.resolve(Context::Browse, &key) else { return Vec::new() };
        self.browse_action(action)
    }

    /// The palette runs what it highlights as if its key were pressed, or the action it names
    /// with what follows the name; a refused one stays open with the reason.
    fn palette_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        let Overlay::Palette(palette) = &mut self.overlay else { return Vec::new() };
        let len = palette.options(&self.settings.keymap).len();
        match self.settings.keymap.resolve(Context::Palette, &key) {
            Some(Action::Up) => palette.move_by(-1, len),
            Some(Action::Down) => palette.move_by(1, len),
            Some(Action::Cancel) => self.overlay = Overlay::None,
            Some(Action::Submit) => {
                let Overlay::Palette(palette) = std::mem::replace(&mut self.overlay, Overlay::None) else {
                    return Vec::new();
                };
                if let Some((action, argument)) = palette.argument(&self.settings.keymap) {
                    let overwrite = palette.overwrite.is_some();
                    return match self.run_with_argument(action, &argument, overwrite) {
                        Ok(cmds) => cmds,
                        Err(reason) => {
                            self.overlay = Overlay::Palette(super::Palette { error: Some(reason), ..palette });
                            Vec::new()
                        }
                    };
                }
                if let Some(action) = palette.chosen(&self.settings.keymap) {
                    return self.browse_action(action);
                }
            }
            _ => {
                if palette.query.handle_key(key) {
                    palette.edited();
                }
            }
        }
        Vec::new()
    }

    fn filter_key(&mut self, key: KeyEvent) {
        match self.settings.keymap.resolve(Context::Filter, &key) {
            Some(Action::Cancel) => {
                self.clear_filter();
                self.overlay = Overlay::None;
            }
            // A filter that cannot be read stays open with its error, to be mended.
            Some(Action::Submit) if self.filter_error.is_none() => self.overlay = Overlay::None,
            Some(Action::Submit) => {}
            _ => {
                if self.filter.handle_key(key) {
                    self.apply_filter();
                }
            }
        }
    }

    fn form_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        let keymap = &self.settings.keymap;
        let action = keymap.resolve(Context::Form, &key);
        let confirm = keymap.resolve(Context::Confirm, &key);
        let conflict = keymap.resolve(Context::Conflict, &key);
        let Overlay::Form(form) = &mut self.overlay else { return Vec::new() };
        match &form.phase {
            Phase::ConfirmDiscard => {
                if confirm == Some(Action::Discard) {
                    let key = form.draft_key();
                    return self.close_form(key);
                }
                form.phase = Phase::Editing;
                return Vec::new();
            }
            Phase::Conflict { latest } => {
                let latest = (**latest).clone();
                return match conflict {
                    Some(Action::Overwrite) => self.submit_form(false),
                    Some(Action::Reload) => {
                        **form = Form::edit(&latest);
                        Vec::new()
                    }
                    Some(Action::KeepEditing) => {
                        form.rebase(latest);
                        let send = self.settings.keymap.key_for(Context::Form, Action::Submit);
                        form.error = Some(format!("Editing on top of their version: {send} saves yours over it."));
                        Vec::new()
                    }
                    _ => Vec::new(),
                };
            }
            Phase::Sending => return Vec::new(),
            Phase::Verifying { .. } => {
                if action == Some(Action::Cancel) {
                    // Not known to be sent nor known to be lost: keep the text for f, and say so.
                    let draft = form.draft();
                    self.drafts.insert(draft.key.clone(), draft);
                    self.overlay = Overlay::None;
                    self.saved_draft = None;
                    let flag = self.key_for(Context::Browse, Action::Flag);
                    self.notify(
                        Level::Info,
                        format!(
                            "The flag may already exist: check the list before sending it again ({flag} brings your text back)."
                        ),
                    );
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
                expected: check.then(|| Box::new(base.clone())),
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
        match self.settings.keymap.resolve(Context::Picker, &key) {
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

    /// Yes changes every marked alert; no (or Esc) changes nothing.
    fn bulk_confirm_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        match self.settings.keymap.resolve(Context::BulkConfirm, &key) {
            Some(Action::Submit) => {
                let Overlay::BulkConfirm(change) = std::mem::replace(&mut self.overlay, Overlay::None) else {
                    return Vec::new();
                };
                self.start_bulk(change)
            }
            Some(Action::Cancel) => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// The picker's choice for the selected alert; with marks, asks first and then changes
    /// them all.
    fn apply_status(&mut self) -> Vec<Cmd> {
        let Overlay::Picker(picker) = &self.overlay else { return Vec::new() };
        let Some(status) = picker.chosen(&self.statuses).map(|s| s.key.clone()) else { return Vec::new() };
        if picker.marked > 0 {
            self.confirm_bulk(status);
            return Vec::new();
        }
        let target = picker.target.clone();
        self.overlay = Overlay::None;
        self.set_status(target, status)
    }

    /// Changes the status of `target` at once on screen and sends one request; a refusal puts
    /// it back.
    pub(super) fn set_status(&mut self, target: AlertId, status: StatusKey) -> Vec<Cmd> {
        if self.read_only() {
            return Vec::new();
        }
        let Some(previous) = self.list.get(&target).cloned() else { return Vec::new() };
        if previous.status == status {
            return Vec::new();
        }
        let mut changed = previous.clone();
        // updated_at stays as the server last said: an edit opened now must not see a made-up version.
        changed.status = status.clone();
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
