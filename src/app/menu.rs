//! A short menu of choices over the panes: how long to snooze, what to copy, whether to carry
//! on read-only. Up and down (or
//! an option's number) choose, Enter takes it, Esc closes. Part of `App::update`; pure.

use crossterm::event::{KeyCode, KeyEvent};

use super::copy::CopyWhat;
use super::snooze::SnoozeFor;
use super::{App, Cmd, Context, Overlay};
use crate::domain::AlertId;
use crate::keymap::Action;

/// What the menu is for, with what it acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum MenuKind {
    Snooze(Vec<AlertId>),
    Copy(AlertId),
    /// A write was refused for want of a scope: carry on read-only? What was open (a form, the
    /// statuses screen) waits behind, to come back if not.
    ReadOnly(Box<Overlay>),
}

/// The read-only offer's choices, in order.
const READ_ONLY_CHOICES: [&str; 2] = ["Continue read-only (nothing more is sent)", "Keep trying with this key"];

#[derive(Debug, Clone, PartialEq)]
pub struct Menu {
    pub kind: MenuKind,
    pub cursor: usize,
}

impl Menu {
    pub fn new(kind: MenuKind) -> Self {
        Self { kind, cursor: 0 }
    }

    pub fn title(&self) -> String {
        match &self.kind {
            MenuKind::Snooze(ids) if ids.len() == 1 => "Snooze this alert".to_owned(),
            MenuKind::Snooze(ids) => format!("Snooze {} marked alerts", ids.len()),
            MenuKind::Copy(_) => "Copy to the clipboard".to_owned(),
            MenuKind::ReadOnly(_) => "This key cannot change alerts (needs alerts:write)".to_owned(),
        }
    }

    pub fn len(&self) -> usize {
        match self.kind {
            MenuKind::Snooze(_) => SnoozeFor::MENU.len(),
            MenuKind::Copy(_) => CopyWhat::MENU.len(),
            MenuKind::ReadOnly(_) => READ_ONLY_CHOICES.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl App {
    /// The menu's options as shown, in order.
    pub fn menu_options(&self, menu: &Menu) -> Vec<String> {
        match &menu.kind {
            MenuKind::Snooze(_) => {
                SnoozeFor::MENU.iter().map(|how| how.describe(self.now, self.settings.utc_offset)).collect()
            }
            MenuKind::Copy(_) => CopyWhat::MENU.iter().map(|what| what.label().to_owned()).collect(),
            MenuKind::ReadOnly(_) => READ_ONLY_CHOICES.map(str::to_owned).to_vec(),
        }
    }

    pub(super) fn menu_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        let Overlay::Menu(menu) = &mut self.overlay else { return Vec::new() };
        let len = menu.len();
        let chosen = match self.settings.keymap.resolve(Context::Menu, &key) {
            Some(Action::Up) => {
                menu.cursor = menu.cursor.saturating_sub(1);
                None
            }
            Some(Action::Down) => {
                menu.cursor = (menu.cursor + 1).min(len.saturating_sub(1));
                None
            }
            Some(Action::Submit) => Some(menu.cursor),
            Some(Action::Cancel) => {
                if let Overlay::Menu(Menu { kind: MenuKind::ReadOnly(behind), .. }) =
                    std::mem::replace(&mut self.overlay, Overlay::None)
                {
                    self.keep_writing(*behind);
                }
                None
            }
            _ => match key.code {
                KeyCode::Char(c) => c
                    .to_digit(10)
                    .and_then(|d| usize::try_from(d).ok())
                    .filter(|d| (1..=len).contains(d))
                    .map(|d| d - 1),
                _ => None,
            },
        };
        let Some(index) = chosen else { return Vec::new() };
        let Overlay::Menu(menu) = std::mem::replace(&mut self.overlay, Overlay::None) else { return Vec::new() };
        match menu.kind {
            MenuKind::Snooze(ids) => self.snooze(&ids, SnoozeFor::MENU[index]),
            MenuKind::Copy(id) => self.copy(&id, CopyWhat::MENU[index]),
            MenuKind::ReadOnly(behind) if index == 0 => self.go_read_only(*behind),
            MenuKind::ReadOnly(behind) => {
                self.keep_writing(*behind);
                Vec::new()
            }
        }
    }
}
