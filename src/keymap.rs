//! The keymap as a value: `(context, key)` resolves to a named `Action`. Built from the
//! defaults and the config file's `[keys]` tables; help, hints and notices name keys from it,
//! so a remapped key shows everywhere at once.

mod action;
mod defaults;
mod key;

use std::fmt::{self, Write as _};

use crossterm::event::KeyEvent;

pub use action::Action;
pub use key::{Key, KeyParseError};

/// What has the keys, each with its own bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Browse,
    Form,
    Picker,
    Filter,
    Conflict,
    Confirm,
    Log,
    Palette,
    BulkConfirm,
    Menu,
    /// The statuses screen's list, and its form for a new or changed status.
    Statuses,
    StatusForm,
}

impl Context {
    pub const ALL: [Self; 12] = [
        Self::Browse,
        Self::Form,
        Self::Picker,
        Self::Filter,
        Self::Conflict,
        Self::Confirm,
        Self::BulkConfirm,
        Self::Log,
        Self::Palette,
        Self::Menu,
        Self::Statuses,
        Self::StatusForm,
    ];

    /// The config file's table for this context: `[keys]` itself for browsing, else `[keys.NAME]`
    /// (never an action's name: `[keys]` holds both).
    pub fn table(self) -> Option<&'static str> {
        match self {
            Self::Browse => None,
            Self::Form => Some("form"),
            Self::Picker => Some("picker"),
            Self::Filter => Some("filter_input"),
            Self::Conflict => Some("conflict"),
            Self::Confirm => Some("confirm"),
            Self::Log => Some("log_view"),
            Self::Palette => Some("palette_input"),
            Self::BulkConfirm => Some("bulk_confirm"),
            Self::Menu => Some("menu"),
            Self::Statuses => Some("statuses_screen"),
            Self::StatusForm => Some("status_form"),
        }
    }

    /// The heading help gives this context's keys.
    pub fn title(self) -> &'static str {
        match self {
            Self::Browse => "Browsing",
            Self::Form => "Flag and edit forms",
            Self::Picker => "Status picker",
            Self::Filter => "Typing a filter",
            Self::Conflict => "When someone else changed the alert",
            Self::Confirm => "Before discarding typed text",
            Self::Log => "The log view",
            Self::Palette => "The command palette",
            Self::BulkConfirm => "Before changing many alerts",
            Self::Menu => "In a menu (or press an option's number)",
            Self::Statuses => "The statuses screen",
            Self::StatusForm => "A new or changed status",
        }
    }

    /// Where other keys type into a text field, so a plain character cannot be bound.
    pub fn takes_text(self) -> bool {
        matches!(self, Self::Form | Self::Picker | Self::Filter | Self::Palette | Self::StatusForm)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Ctrl-C always gets out: it cannot be bound, and it stays on quit (and on a form's cancel,
/// where a second press then quits).
pub const CTRL_C: Key = Key::ctrl('c');

/// One action of a context, the keys bound to it, and what help and hints say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub action: Action,
    pub keys: Vec<Key>,
    pub help: &'static str,
    /// The word or two the status bar's hints show, for the bindings worth a hint.
    pub hint: Option<&'static str>,
}

impl Binding {
    /// Every key, as help lists them: `j/↓`, or `(unbound)`.
    pub fn label(&self) -> String {
        if self.keys.is_empty() {
            return "(unbound)".to_owned();
        }
        let labels: Vec<String> = self.keys.iter().map(Key::to_string).collect();
        let mut unique: Vec<&str> = Vec::new();
        for label in &labels {
            if !unique.contains(&label.as_str()) {
                unique.push(label);
            }
        }
        unique.join("/")
    }

    /// The first key, as hints and notices name it.
    pub fn first_key(&self) -> Option<Key> {
        self.keys.first().copied()
    }
}

/// A binding the config file asked for that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindError {
    UnknownAction { context: Context, name: String },
    Reserved { key: Key },
    TypesText { context: Context, key: Key },
}

impl fmt::Display for BindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownAction { context, name } => {
                let known: Vec<&str> = Keymap::default().bindings(*context).iter().map(|b| b.action.name()).collect();
                write!(f, "{} has no action {name:?}; its actions are: {}", table_name(*context), known.join(", "))
            }
            Self::Reserved { key } => {
                write!(f, "{key} cannot be bound: it always quits (or cancels a form being typed in)")
            }
            Self::TypesText { context, key } => write!(
                f,
                "{key} cannot be bound in {}: it would no longer type into the field; use a key with ctrl- or alt-, or a named key",
                table_name(*context)
            ),
        }
    }
}

/// One key bound to two actions where both would apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub context: Context,
    pub key: Key,
    pub actions: [Action; 2],
}

impl fmt::Display for Clash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b] = self.actions;
        write!(
            f,
            "{} is bound to both {} and {} in {}: bind it to one, or give the other new keys",
            self.key,
            a.name(),
            b.name(),
            table_name(self.context)
        )
    }
}

/// `[keys]` or `[keys.form]`, as the config file writes the table.
pub fn table_name(context: Context) -> String {
    context.table().map_or_else(|| "[keys]".to_owned(), |t| format!("[keys.{t}]"))
}

/// The bindings of every context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    tables: [Vec<Binding>; 12],
}

impl Default for Keymap {
    fn default() -> Self {
        defaults::keymap()
    }
}

impl Keymap {
    /// The bindings of `context`, in the order help lists them.
    pub fn bindings(&self, context: Context) -> &[Binding] {
        &self.tables[context.index()]
    }

    /// The action `event` triggers in `context`.
    pub fn resolve(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(event);
        self.bindings(context).iter().find(|b| b.keys.contains(&key)).map(|b| b.action)
    }

    /// The first key bound to `action` in `context`, as a notice names it ("p resumes").
    pub fn key_for(&self, context: Context, action: Action) -> String {
        self.bindings(context)
            .iter()
            .find(|b| b.action == action)
            .and_then(Binding::first_key)
            .map_or_else(|| format!("(no key for {})", action.name()), |k| k.to_string())
    }

    /// Binds `keys` to the action called `name` in `context`, replacing its default keys (an
    /// empty list unbinds it). Clashes are checked once every binding is made: see `check`.
    pub fn bind(&mut self, context: Context, name: &str, keys: &[Key]) -> Result<(), BindError> {
        let unknown = || BindError::UnknownAction { context, name: name.to_owned() };
        let binding = self.tables[context.index()].iter_mut().find(|b| b.action.name() == name).ok_or_else(unknown)?;
        if let Some(key) = keys.iter().find(|k| **k == CTRL_C) {
            return Err(BindError::Reserved { key: *key });
        }
        if let Some(key) = keys.iter().find(|k| context.takes_text() && k.types_text()) {
            return Err(BindError::TypesText { context, key: *key });
        }
        let mut keys = keys.to_vec();
        keys.dedup();
        if matches!((context, binding.action), (Context::Browse, Action::Quit) | (Context::Form, Action::Cancel)) {
            keys.push(CTRL_C);
        }
        binding.keys = keys;
        Ok(())
    }

    /// The first key bound twice in one context.
    pub fn check(&self) -> Result<(), Clash> {
        for context in Context::ALL {
            let table = self.bindings(context);
            for (i, first) in table.iter().enumerate() {
                for second in &table[i + 1..] {
                    if let Some(key) = first.keys.iter().find(|k| second.keys.contains(k)) {
                        return Err(Clash { context, key: *key, actions: [first.action, second.action] });
                    }
                }
            }
        }
        Ok(())
    }

    /// The whole keymap as config-file TOML, each action's help as a comment, ready to paste
    /// and edit (tested to parse back to the same keymap; a `config keys` command is to come).
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for context in Context::ALL {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&table_name(context));
            out.push('\n');
            for binding in self.bindings(context) {
                let keys: Vec<String> =
                    binding.keys.iter().filter(|k| **k != CTRL_C).map(|k| format!("{:?}", k.spelling())).collect();
                let line = format!("{} = [{}]", binding.action.name(), keys.join(", "));
                let reserved = if binding.keys.contains(&CTRL_C) { " (and ctrl-c, always)" } else { "" };
                let _ = writeln!(out, "{line:<40} # {}{reserved}", binding.help);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyModifiers};

    use super::*;

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn default_keys_resolve_to_actions() {
        let map = Keymap::default();
        assert_eq!(map.resolve(Context::Browse, &event(KeyCode::Char('j'), KeyModifiers::NONE)), Some(Action::Down));
        assert_eq!(map.resolve(Context::Browse, &event(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::Bottom));
        assert_eq!(map.resolve(Context::Browse, &event(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(map.resolve(Context::Form, &event(KeyCode::BackTab, KeyModifiers::SHIFT)), Some(Action::PrevField));
        assert_eq!(map.resolve(Context::Browse, &event(KeyCode::Char('x'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn the_defaults_bind_no_key_twice_and_every_action_name_once_per_context() {
        let map = Keymap::default();
        assert_eq!(map.check(), Ok(()));
        // Each table is where its context looks (the tables are in the order Context declares).
        assert!(map.bindings(Context::Log).iter().any(|b| b.help == "close the log"));
        assert!(map.bindings(Context::BulkConfirm).iter().any(|b| b.help == "change them all"));
        assert!(map.bindings(Context::Palette).iter().any(|b| b.help == "run the action"));
        for context in Context::ALL {
            let names: Vec<_> = map.bindings(context).iter().map(|b| b.action.name()).collect();
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "{context:?}");
            for binding in map.bindings(context) {
                let typing = binding.keys.iter().any(|k| context.takes_text() && k.types_text());
                assert!(!typing, "{context:?} {binding:?} would steal a typed character");
            }
            // [keys] holds browsing actions and the other tables alike: no name may be both.
            let table = context.table().unwrap_or_default();
            assert!(map.bindings(Context::Browse).iter().all(|b| b.action.name() != table), "{table}");
        }
    }

    #[test]
    fn a_remap_replaces_the_default_keys_and_shows_in_labels() {
        let mut map = Keymap::default();
        let keys = [Key::parse("n").expect("key"), Key::parse("ctrl-n").expect("key")];
        map.bind(Context::Browse, "flag", &keys).expect("binds");
        assert_eq!(map.resolve(Context::Browse, &event(KeyCode::Char('n'), KeyModifiers::NONE)), Some(Action::Flag));
        assert_eq!(map.resolve(Context::Browse, &event(KeyCode::Char('f'), KeyModifiers::NONE)), None);
        assert_eq!(map.key_for(Context::Browse, Action::Flag), "n");
        let flag = map.bindings(Context::Browse).iter().find(|b| b.action == Action::Flag).expect("bound");
        assert_eq!(flag.label(), "n/Ctrl-N");
        assert_eq!(map.check(), Ok(()));
    }

    #[test]
    fn a_key_taken_from_another_action_is_a_clash_until_that_one_moves() {
        let mut map = Keymap::default();
        map.bind(Context::Browse, "flag", &[Key::char('e')]).expect("binds");
        let clash = map.check().expect_err("e is edit's");
        assert_eq!(clash.actions, [Action::Flag, Action::Edit]);
        assert!(clash.to_string().contains("e is bound to both flag and edit in [keys]"), "{clash}");
        map.bind(Context::Browse, "edit", &[Key::char('x')]).expect("binds");
        assert_eq!(map.check(), Ok(()));
    }

    #[test]
    fn bad_bindings_are_refused_with_what_to_do() {
        let mut map = Keymap::default();
        let err = map.bind(Context::Browse, "flog", &[]).expect_err("unknown");
        assert!(err.to_string().contains("[keys] has no action \"flog\"; its actions are: down, up"), "{err}");
        let err = map.bind(Context::Browse, "refresh", &[CTRL_C]).expect_err("reserved");
        assert!(err.to_string().contains("Ctrl-C cannot be bound"), "{err}");
        let err = map.bind(Context::Form, "submit", &[Key::char('s')]).expect_err("types text");
        assert!(err.to_string().contains("in [keys.form]"), "{err}");
        assert_eq!(map, Keymap::default(), "a refused binding changes nothing");
    }

    #[test]
    fn ctrl_c_stays_on_quit_whatever_quit_is_bound_to() {
        let mut map = Keymap::default();
        map.bind(Context::Browse, "quit", &[Key::char('x')]).expect("binds");
        assert_eq!(map.resolve(Context::Browse, &event(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        map.bind(Context::Browse, "help", &[]).expect("unbinds");
        assert_eq!(map.key_for(Context::Browse, Action::Help), "(no key for help)");
    }

    #[test]
    fn the_printed_keymap_is_a_config_file_that_gives_the_same_keymap() {
        let printed = Keymap::default().to_toml();
        let table: toml::Table = toml::from_str(&printed).expect("valid TOML");
        let mut map = Keymap::default();
        for context in Context::ALL {
            let entries = match context.table() {
                None => &table["keys"].as_table().expect("table").clone(),
                Some(name) => &table["keys"][name].as_table().expect("table").clone(),
            };
            for (name, keys) in entries.iter().filter(|(_, v)| v.is_array()) {
                let keys: Vec<Key> = keys
                    .as_array()
                    .expect("array")
                    .iter()
                    .map(|k| Key::parse(k.as_str().expect("string")).expect("key"))
                    .collect();
                map.bind(context, name, &keys).expect("binds");
            }
        }
        assert_eq!(map, Keymap::default());
        assert!(printed.starts_with("[keys]\ndown = [\"j\", \"down\"]"), "{printed}");
    }
}
