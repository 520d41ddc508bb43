//! The statuses screen (`T`): every status with its colour and how many alerts use it; `n`
//! creates one, `e` renames and recolours (from the server's `allowed_colours`), `d` twice
//! deletes. The server decides: a refusal (a status in use, a duplicate key) is shown in the
//! screen with the typed name kept. Read-only mode shows the list and changes nothing.
//! Part of `App::update`; pure.

use crossterm::event::KeyEvent;

use super::{App, Cmd, Context, Level, Overlay, TextInput};
use crate::api::{ApiError, NewStatus, StatusChange};
use crate::domain::{ALLOWED_COLOURS, Status, StatusKey};
use crate::keymap::Action;

/// The screen's state: where the cursor is, and what is being done.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusScreen {
    pub cursor: usize,
    pub mode: StatusMode,
    /// The server's refusal of the last change, or why it could not be sent.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StatusMode {
    List,
    /// A new status (`key` none) or a change to one: its name and the chosen colour's index
    /// among the allowed ones (none: the status keeps the colour it has, which is not one).
    Editing {
        key: Option<StatusKey>,
        name: TextInput,
        colour: Option<usize>,
        sending: bool,
    },
    /// `d` was pressed once on this status: a second `d` deletes it.
    ConfirmDelete(StatusKey),
    Deleting(StatusKey),
}

/// What a status write was, for its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusWrite {
    Created,
    Updated(StatusKey),
    Deleted(StatusKey),
}

impl App {
    /// The colours a status may take: the server's list, else the documented one.
    pub fn status_colours(&self) -> Vec<String> {
        if self.allowed_colours.is_empty() {
            ALLOWED_COLOURS.iter().map(|&c| c.to_owned()).collect()
        } else {
            self.allowed_colours.clone()
        }
    }

    pub(super) fn open_statuses(&mut self) -> Vec<Cmd> {
        self.overlay = Overlay::Statuses(StatusScreen { cursor: 0, mode: StatusMode::List, error: None });
        // Fresh from the server, so counts and names are the ones there now.
        self.fetch_statuses().into_iter().collect()
    }

    pub(super) fn statuses_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        let Overlay::Statuses(screen) = &self.overlay else { return Vec::new() };
        match &screen.mode {
            StatusMode::List | StatusMode::ConfirmDelete(_) => self.status_list_key(key),
            StatusMode::Editing { sending: false, .. } => self.status_form_key(key),
            StatusMode::Editing { .. } | StatusMode::Deleting(_) => Vec::new(),
        }
    }

    fn status_list_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        let action = self.settings.keymap.resolve(Context::Statuses, &key);
        let read_only = self.read_only();
        let colours = self.status_colours();
        let len = self.statuses.len();
        let selected = |cursor: usize, statuses: &[Status]| statuses.get(cursor).cloned();
        let Overlay::Statuses(screen) = &mut self.overlay else { return Vec::new() };
        let armed = match std::mem::replace(&mut screen.mode, StatusMode::List) {
            StatusMode::ConfirmDelete(key) => Some(key),
            _ => None,
        };
        if action.is_some_and(|a| a.is_mutating(Context::Statuses)) && read_only {
            screen.error = Some("Read-only mode: statuses cannot be changed.".to_owned());
            return Vec::new();
        }
        match action {
            Some(Action::Up) => screen.cursor = screen.cursor.saturating_sub(1),
            Some(Action::Down) => screen.cursor = (screen.cursor + 1).min(len.saturating_sub(1)),
            Some(Action::Cancel) => self.overlay = Overlay::None,
            Some(Action::New) => {
                let name = TextInput::new("", false);
                screen.mode = StatusMode::Editing { key: None, name, colour: Some(0), sending: false };
                screen.error = None;
            }
            Some(Action::Edit) => {
                let Some(status) = selected(screen.cursor, &self.statuses) else { return Vec::new() };
                let colour = colours.iter().position(|c| c.eq_ignore_ascii_case(&status.colour));
                let name = TextInput::new(&status.name, false);
                screen.mode = StatusMode::Editing { key: Some(status.key), name, colour, sending: false };
                screen.error = None;
            }
            Some(Action::Delete) => {
                let Some(status) = selected(screen.cursor, &self.statuses) else { return Vec::new() };
                if armed.as_ref() == Some(&status.key) {
                    screen.mode = StatusMode::Deleting(status.key.clone());
                    screen.error = None;
                    return vec![Cmd::DeleteStatus(status.key)];
                }
                screen.mode = StatusMode::ConfirmDelete(status.key);
            }
            _ => {}
        }
        Vec::new()
    }

    fn status_form_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        let action = self.settings.keymap.resolve(Context::StatusForm, &key);
        let colours = self.status_colours();
        let own_colours: Vec<(StatusKey, String)> =
            self.statuses.iter().map(|s| (s.key.clone(), s.colour.clone())).collect();
        let Overlay::Statuses(screen) = &mut self.overlay else { return Vec::new() };
        let StatusMode::Editing { key: editing, name, colour, sending } = &mut screen.mode else { return Vec::new() };
        let n = colours.len().max(1);
        match action {
            Some(Action::NextField) => *colour = Some(colour.map_or(0, |c| (c + 1) % n)),
            Some(Action::PrevField) => *colour = Some(colour.map_or(n - 1, |c| (c + n - 1) % n)),
            Some(Action::Cancel) => {
                screen.mode = StatusMode::List;
                screen.error = None;
            }
            Some(Action::Submit) => {
                let typed = name.text().trim().to_owned();
                if typed.is_empty() {
                    screen.error = Some("A status needs a name.".to_owned());
                    return Vec::new();
                }
                // Untouched, a colour outside the allowed ones stays as it is (the server judges).
                let own = || {
                    let key = editing.as_ref()?;
                    own_colours.iter().find(|(k, _)| k == key).map(|(_, c)| c.clone())
                };
                let colour = match *colour {
                    Some(i) => colours.get(i).cloned(),
                    None => own(),
                }
                .unwrap_or_default();
                *sending = true;
                screen.error = None;
                return vec![match editing {
                    None => Cmd::CreateStatus(NewStatus { name: typed, colour, key: None }),
                    Some(key) => Cmd::UpdateStatus { key: key.clone(), change: StatusChange { name: typed, colour } },
                }];
            }
            _ => {
                if name.handle_key(key) {
                    screen.error = None;
                }
            }
        }
        Vec::new()
    }

    /// The server answered a status write: done (the list is fetched again), or refused
    /// (said in the screen, what was typed kept).
    pub(super) fn status_written(&mut self, write: &StatusWrite, result: Result<String, ApiError>) -> Vec<Cmd> {
        let message = result.as_ref().err().map(Self::write_failure);
        if let Overlay::Statuses(screen) = &mut self.overlay {
            match (&mut screen.mode, &message) {
                (StatusMode::Editing { sending, .. }, Some(_)) => *sending = false,
                (StatusMode::Deleting(_), Some(_)) | (_, None) => screen.mode = StatusMode::List,
                _ => {}
            }
            screen.error.clone_from(&message);
        }
        match result {
            Ok(name) => {
                let done = match write {
                    StatusWrite::Created => format!("Status {name:?} created."),
                    StatusWrite::Updated(_) => format!("Status {name:?} saved."),
                    StatusWrite::Deleted(key) => format!("Status {} deleted.", self.status_name(key)),
                };
                self.notify(Level::Success, done);
                self.fetch_statuses().into_iter().collect()
            }
            Err(e) => {
                if !matches!(self.overlay, Overlay::Statuses(_)) {
                    self.notify(Level::Error, format!("Status not changed: {}", Self::write_failure(&e)));
                }
                self.offer_read_only_after(&e)
            }
        }
    }
}
