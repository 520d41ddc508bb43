//! The keymap: `(context, key)` resolves to a named `Action`. The help overlay and the status
//! bar's hints are generated from these same tables, so they never drift from what keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can ask for outside text fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    ToggleFocus,
    Filter,
    ClearFilter,
    CycleSort,
    ReverseSort,
    Flag,
    Edit,
    PickStatus,
    Refresh,
    TogglePause,
    PrevTab,
    NextTab,
    Help,
    Suspend,
    // In forms and pickers.
    NextField,
    PrevField,
    Submit,
    Cancel,
    // On an edit conflict, and on the question before discarding typed text.
    Overwrite,
    Reload,
    KeepEditing,
    Discard,
}

impl Action {
    /// Actions that would change something on the server: refused in read-only mode.
    pub fn is_mutating(self) -> bool {
        matches!(self, Self::Flag | Self::Edit | Self::PickStatus | Self::Submit | Self::Overwrite)
    }
}

/// One key (code and modifiers) as the tables write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const fn key(c: char) -> Key {
    Key { code: KeyCode::Char(c), modifiers: KeyModifiers::NONE }
}

const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), modifiers: KeyModifiers::CONTROL }
}

const fn code(code: KeyCode) -> Key {
    Key { code, modifiers: KeyModifiers::NONE }
}

/// A row of the keymap: the keys, how help writes them, what they do.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// The word or two the status bar's hints show, for the bindings worth a hint.
    pub hint: Option<&'static str>,
}

const fn bind(
    keys: &'static [Key],
    label: &'static str,
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding { keys, label, action, help, hint }
}

/// Keys while browsing the list or the detail pane.
pub const BROWSE: &[Binding] = &[
    bind(&[key('j'), code(KeyCode::Down)], "j/↓", Action::Down, "next alert (scroll down in detail)", None),
    bind(&[key('k'), code(KeyCode::Up)], "k/↑", Action::Up, "previous alert (scroll up in detail)", None),
    bind(&[key('g'), code(KeyCode::Home)], "g/Home", Action::Top, "first alert", None),
    bind(&[key('G'), code(KeyCode::End)], "G/End", Action::Bottom, "last alert", None),
    bind(&[code(KeyCode::PageUp)], "PgUp", Action::PageUp, "one page up", None),
    bind(&[code(KeyCode::PageDown)], "PgDn", Action::PageDown, "one page down", None),
    bind(&[code(KeyCode::Tab)], "Tab", Action::ToggleFocus, "switch focus between list and detail", None),
    bind(&[key('[')], "[", Action::PrevTab, "previous status tab", None),
    bind(&[key(']')], "]", Action::NextTab, "next status tab", Some("next tab")),
    bind(&[key('/')], "/", Action::Filter, "filter (type:, status:, assigned: terms)", Some("filter")),
    bind(&[code(KeyCode::Esc)], "Esc", Action::ClearFilter, "clear the filter", None),
    bind(&[key('o')], "o", Action::CycleSort, "sort by created, updated, status, type", None),
    bind(&[key('O')], "O", Action::ReverseSort, "reverse the sort", None),
    bind(&[key('f')], "f", Action::Flag, "flag a new entity", Some("flag")),
    bind(&[key('e')], "e", Action::Edit, "edit the title and description", Some("edit")),
    bind(&[key('t')], "t", Action::PickStatus, "change the status", Some("status")),
    bind(&[key('r')], "r", Action::Refresh, "refresh now", Some("refresh")),
    bind(&[key('p')], "p", Action::TogglePause, "pause or resume polling", None),
    bind(&[key('?')], "?", Action::Help, "help", Some("help")),
    bind(&[ctrl('z')], "Ctrl-Z", Action::Suspend, "suspend to the shell (fg resumes)", None),
    bind(&[key('q'), ctrl('c')], "q/Ctrl-C", Action::Quit, "quit", Some("quit")),
];

/// Keys in the flag and edit forms (other keys edit the focused field).
pub const FORM: &[Binding] = &[
    bind(&[code(KeyCode::Tab)], "Tab", Action::NextField, "next field", Some("next field")),
    bind(
        &[Key { code: KeyCode::BackTab, modifiers: KeyModifiers::SHIFT }, code(KeyCode::BackTab)],
        "S-Tab",
        Action::PrevField,
        "previous field",
        None,
    ),
    bind(&[ctrl('s')], "Ctrl-S", Action::Submit, "send", Some("send")),
    bind(
        &[code(KeyCode::Esc), ctrl('c')],
        "Esc",
        Action::Cancel,
        "cancel (asks before discarding text)",
        Some("cancel"),
    ),
];

/// Keys in the status picker (typing filters the statuses).
pub const PICKER: &[Binding] = &[
    bind(&[code(KeyCode::Up), ctrl('p')], "↑", Action::Up, "previous status", None),
    bind(&[code(KeyCode::Down), ctrl('n')], "↓", Action::Down, "next status", None),
    bind(&[code(KeyCode::Enter)], "Enter", Action::Submit, "apply the status", Some("apply")),
    bind(&[code(KeyCode::Esc)], "Esc", Action::Cancel, "close", Some("close")),
];

/// Keys when an edit meets a colleague's change.
pub const CONFLICT: &[Binding] = &[
    bind(&[ctrl('o')], "Ctrl-O", Action::Overwrite, "send yours over their version", Some("overwrite")),
    bind(&[ctrl('r')], "Ctrl-R", Action::Reload, "take their version, dropping yours", Some("reload theirs")),
    bind(&[code(KeyCode::Esc)], "Esc", Action::KeepEditing, "keep editing on top of theirs", Some("keep editing")),
];

/// Keys when asked whether to throw typed text away (no key of its own: any other key).
pub const CONFIRM: &[Binding] = &[
    bind(
        &[code(KeyCode::Esc), key('y'), key('Y')],
        "Esc/y",
        Action::Discard,
        "throw away what you typed",
        Some("discard"),
    ),
    bind(&[], "any other key", Action::KeepEditing, "keep editing", Some("keeps editing")),
];

/// Finds the action `event` triggers in `table`.
pub fn resolve(table: &[Binding], event: KeyEvent) -> Option<Action> {
    // Terminals disagree on whether an upper-case letter carries SHIFT: ignore it for chars.
    let modifiers = match event.code {
        KeyCode::Char(_) => event.modifiers - KeyModifiers::SHIFT,
        _ => event.modifiers,
    };
    table.iter().find(|b| b.keys.iter().any(|k| k.code == event.code && k.modifiers == modifiers)).map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_resolve_to_actions() {
        let ev = |code, modifiers| KeyEvent::new(code, modifiers);
        assert_eq!(resolve(BROWSE, ev(KeyCode::Char('j'), KeyModifiers::NONE)), Some(Action::Down));
        assert_eq!(resolve(BROWSE, ev(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::Bottom));
        assert_eq!(resolve(BROWSE, ev(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(resolve(FORM, ev(KeyCode::BackTab, KeyModifiers::SHIFT)), Some(Action::PrevField));
        assert_eq!(resolve(BROWSE, ev(KeyCode::Char('x'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_table() {
        for table in [BROWSE, FORM, PICKER, CONFLICT, CONFIRM] {
            let keys: Vec<_> = table.iter().flat_map(|b| b.keys).collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{k:?} bound twice");
            }
        }
    }
}
