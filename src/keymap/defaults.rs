//! The keys out of the box, with the help text and hint of every action. A config file's
//! `[keys]` tables replace the keys of the actions it names; the help and hints stay these.

use crossterm::event::KeyCode;

use super::{Action, Binding, CTRL_C, Keymap};
use crate::keymap::Key;

const fn char(c: char) -> Key {
    Key::char(c)
}

const fn code(code: KeyCode) -> Key {
    Key::code(code)
}

fn bind(keys: &[Key], action: Action, help: &'static str, hint: Option<&'static str>) -> Binding {
    Binding { action, keys: keys.to_vec(), help, hint }
}

/// One table per context, in the order `Context` declares them (its index).
pub fn keymap() -> Keymap {
    Keymap {
        tables: [
            browse(),
            form(),
            picker(),
            filter(),
            conflict(),
            confirm(),
            log(),
            palette(),
            bulk_confirm(),
            menu(),
            statuses(),
            status_form(),
        ],
    }
}

fn browse() -> Vec<Binding> {
    vec![
        bind(&[char('j'), code(KeyCode::Down)], Action::Down, "next alert (scroll down in detail)", None),
        bind(&[char('k'), code(KeyCode::Up)], Action::Up, "previous alert (scroll up in detail)", None),
        bind(&[char('g'), code(KeyCode::Home)], Action::Top, "first alert", None),
        bind(&[char('G'), code(KeyCode::End)], Action::Bottom, "last alert", None),
        bind(&[code(KeyCode::PageUp)], Action::PageUp, "one page up", None),
        bind(&[code(KeyCode::PageDown)], Action::PageDown, "one page down", None),
        bind(&[code(KeyCode::Tab)], Action::ToggleFocus, "switch focus between list and detail", None),
        bind(&[char('[')], Action::PrevTab, "previous tab", None),
        bind(&[char(']')], Action::NextTab, "next tab", Some("next tab")),
        bind(&[char('/')], Action::Filter, "filter (type:, status:, assigned: terms)", Some("filter")),
        bind(&[code(KeyCode::Esc)], Action::ClearFilter, "clear marks, else the filter", None),
        bind(&[char('o')], Action::CycleSort, "sort by created, updated, status, type", None),
        bind(&[char('O')], Action::ReverseSort, "reverse the sort", None),
        bind(&[char('f')], Action::Flag, "flag a new entity", Some("flag")),
        bind(&[char('F')], Action::FlagEntity, "flag the entity shown (prefilled)", None),
        bind(&[char('e')], Action::Edit, "edit the title and description", Some("edit")),
        bind(&[char('t')], Action::PickStatus, "change the status (of the marked ones)", Some("status")),
        bind(&[code(KeyCode::Char(' '))], Action::Mark, "mark or unmark, then move down", Some("mark")),
        bind(&[char('*')], Action::MarkAll, "mark every alert shown", None),
        bind(&[char('u')], Action::ClearMarks, "unmark all", None),
        bind(&[char('z')], Action::Snooze, "snooze (the marked ones), or wake", None),
        bind(&[char('y')], Action::Copy, "copy the alert id", None),
        bind(&[char('Y')], Action::CopyMenu, "copy more: entity, title, JSON, summary", None),
        bind(&[char('s')], Action::Source, "entity: open the source balance", None),
        bind(&[char('d')], Action::Destination, "entity: open the destination balance", None),
        bind(&[char('i')], Action::Identity, "entity: open the balance's identity", None),
        bind(&[char('h'), code(KeyCode::Backspace)], Action::Back, "entity: back to the one before", None),
        bind(&[char('H')], Action::History, "entity: a balance's recent transactions", None),
        bind(&[char('N')], Action::Neighbour, "next other alert on the same entities", None),
        bind(&[char('S')], Action::Stats, "stats: per day, age, type, assignee", None),
        bind(&[char('E')], Action::Export, "export the view to .csv, .json or .txt", None),
        bind(&[char('V')], Action::View, "save as a view: tab, filter and sort", None),
        bind(&[char('T')], Action::Statuses, "statuses: add, rename, recolour, delete", None),
        bind(&[char('w')], Action::OpenWeb, "open in the web dashboard", None),
        bind(&[char('r')], Action::Refresh, "refresh now", Some("refresh")),
        bind(&[char('p')], Action::TogglePause, "pause or resume polling", None),
        bind(&[char('?')], Action::Help, "help", Some("help")),
        bind(&[char(':')], Action::Palette, "commands by name (the palette)", Some("commands")),
        bind(&[char('L')], Action::ShowLog, "the log: recent requests and failures", None),
        bind(&[Key::ctrl('z')], Action::Suspend, "suspend to the shell (fg resumes)", None),
        bind(&[char('q'), CTRL_C], Action::Quit, "quit", Some("quit")),
    ]
}

/// Other keys edit the focused field.
fn form() -> Vec<Binding> {
    vec![
        bind(&[code(KeyCode::Tab)], Action::NextField, "next field", Some("next field")),
        bind(&[code(KeyCode::BackTab)], Action::PrevField, "previous field", None),
        bind(&[Key::ctrl('s')], Action::Submit, "send", Some("send")),
        bind(&[code(KeyCode::Esc), CTRL_C], Action::Cancel, "cancel (asks before discarding text)", Some("cancel")),
    ]
}

/// Typing filters the statuses.
fn picker() -> Vec<Binding> {
    vec![
        bind(&[code(KeyCode::Up), Key::ctrl('p')], Action::Up, "previous status", None),
        bind(&[code(KeyCode::Down), Key::ctrl('n')], Action::Down, "next status", None),
        bind(&[code(KeyCode::Enter)], Action::Submit, "apply the status", Some("apply")),
        bind(&[code(KeyCode::Esc)], Action::Cancel, "close", Some("close")),
    ]
}

/// Typing edits the filter, which applies as it is typed.
fn filter() -> Vec<Binding> {
    vec![
        bind(
            &[code(KeyCode::Enter), code(KeyCode::Tab), code(KeyCode::Down), code(KeyCode::Up)],
            Action::Submit,
            "keep the filter and go back to the list",
            Some("done"),
        ),
        bind(&[code(KeyCode::Esc)], Action::Cancel, "clear the filter and go back", Some("clear")),
    ]
}

fn conflict() -> Vec<Binding> {
    vec![
        bind(&[Key::ctrl('o')], Action::Overwrite, "send yours over their version", Some("overwrite")),
        bind(&[Key::ctrl('r')], Action::Reload, "take their version, dropping yours", Some("reload theirs")),
        bind(&[code(KeyCode::Esc)], Action::KeepEditing, "keep editing on top of theirs", Some("keep editing")),
    ]
}

fn bulk_confirm() -> Vec<Binding> {
    vec![
        bind(&[char('y'), code(KeyCode::Enter)], Action::Submit, "change them all", Some("change all")),
        bind(&[char('n'), code(KeyCode::Esc)], Action::Cancel, "change nothing", Some("cancel")),
    ]
}

fn menu() -> Vec<Binding> {
    vec![
        bind(&[char('k'), code(KeyCode::Up)], Action::Up, "previous choice", None),
        bind(&[char('j'), code(KeyCode::Down)], Action::Down, "next choice", None),
        bind(&[code(KeyCode::Enter)], Action::Submit, "take the choice", Some("choose")),
        bind(&[code(KeyCode::Esc), char('q')], Action::Cancel, "close", Some("close")),
    ]
}

fn statuses() -> Vec<Binding> {
    vec![
        bind(&[char('k'), code(KeyCode::Up)], Action::Up, "previous status", None),
        bind(&[char('j'), code(KeyCode::Down)], Action::Down, "next status", None),
        bind(&[char('n')], Action::New, "a new status", Some("new")),
        bind(&[char('e'), code(KeyCode::Enter)], Action::Edit, "rename or recolour", Some("edit")),
        bind(&[char('d'), code(KeyCode::Delete)], Action::Delete, "delete (press twice)", Some("delete")),
        bind(&[code(KeyCode::Esc), char('q')], Action::Cancel, "close", Some("close")),
    ]
}

/// Typing edits the name.
fn status_form() -> Vec<Binding> {
    vec![
        bind(&[code(KeyCode::Tab)], Action::NextField, "next colour", Some("colour")),
        bind(&[code(KeyCode::BackTab)], Action::PrevField, "previous colour", None),
        bind(&[code(KeyCode::Enter), Key::ctrl('s')], Action::Submit, "save", Some("save")),
        bind(&[code(KeyCode::Esc)], Action::Cancel, "back to the list", Some("back")),
    ]
}

/// Typing narrows the actions.
fn palette() -> Vec<Binding> {
    vec![
        bind(&[code(KeyCode::Up), Key::ctrl('p')], Action::Up, "previous action", None),
        bind(&[code(KeyCode::Down), Key::ctrl('n')], Action::Down, "next action", None),
        bind(&[code(KeyCode::Enter)], Action::Submit, "run the action", Some("run")),
        bind(&[code(KeyCode::Esc)], Action::Cancel, "close", Some("close")),
    ]
}

/// The log view scrolls like the list; new entries show while it follows.
fn log() -> Vec<Binding> {
    vec![
        bind(&[char('j'), code(KeyCode::Down)], Action::Down, "newer entries", None),
        bind(&[char('k'), code(KeyCode::Up)], Action::Up, "older entries", Some("scroll")),
        bind(&[code(KeyCode::PageUp)], Action::PageUp, "one page older", None),
        bind(&[code(KeyCode::PageDown)], Action::PageDown, "one page newer", None),
        bind(&[char('g'), code(KeyCode::Home)], Action::Top, "oldest entry", None),
        bind(&[char('G'), code(KeyCode::End)], Action::Bottom, "newest entry, and follow", None),
        bind(&[char('v')], Action::LogLevel, "show fewer or more levels (error … trace)", Some("level")),
        bind(&[char('f')], Action::Follow, "follow new entries, or stop", Some("follow")),
        bind(&[code(KeyCode::Esc), char('q'), char('L')], Action::Cancel, "close the log", Some("close")),
    ]
}

/// Any key not bound here keeps editing.
fn confirm() -> Vec<Binding> {
    vec![bind(
        &[char('y'), char('Y'), code(KeyCode::Esc)],
        Action::Discard,
        "throw away what you typed",
        Some("discard"),
    )]
}
