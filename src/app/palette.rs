//! The command palette: every browsing action by the name the config file and help use, its
//! help and its key; typing narrows them (each word must be in the name or the help), Enter
//! runs the highlighted one as if its key were pressed. An action that takes an argument
//! takes it after its name: `snooze 4h`, `status resolved`, `export wires.csv`.

use std::path::PathBuf;

use super::input::TextInput;
use crate::keymap::{Action, Binding, Context, Keymap};

#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub query: TextInput,
    pub cursor: usize,
    /// Why the last Enter did not run, shown under the query until it is edited.
    pub error: Option<String>,
    /// The export file that exists and that a second Enter replaces.
    pub overwrite: Option<PathBuf>,
}

impl Default for Palette {
    fn default() -> Self {
        Self::with("")
    }
}

impl Palette {
    /// A palette with `text` typed, the cursor at its end.
    pub fn with(text: &str) -> Self {
        Self { query: TextInput::new(text, false), cursor: 0, error: None, overwrite: None }
    }

    /// What was typed changed: the old error and the overwrite offer no longer apply.
    pub fn edited(&mut self) {
        self.cursor = 0;
        self.error = None;
        self.overwrite = None;
    }

    /// An action named in full that takes an argument, and what follows its name (perhaps
    /// nothing yet): `snooze 4h` is `(Snooze, "4h")`.
    pub fn argument(&self, keymap: &Keymap) -> Option<(Action, String)> {
        let text = self.query.text().trim_start();
        let (name, rest) = text.split_once(char::is_whitespace)?;
        let binding = keymap
            .bindings(Context::Browse)
            .iter()
            .find(|b| b.action.argument().is_some() && b.action.name().eq_ignore_ascii_case(name))?;
        Some((binding.action, rest.trim().to_owned()))
    }

    /// The actions matching what was typed, in the keymap's order; only the one named, once its
    /// argument is being typed.
    pub fn options<'a>(&self, keymap: &'a Keymap) -> Vec<&'a Binding> {
        if let Some((action, _)) = self.argument(keymap) {
            return keymap.bindings(Context::Browse).iter().filter(|b| b.action == action).collect();
        }
        let words: Vec<String> = self.query.text().split_whitespace().map(str::to_lowercase).collect();
        keymap
            .bindings(Context::Browse)
            .iter()
            .filter(|b| b.action != Action::Palette)
            .filter(|b| {
                let (name, help) = (b.action.name().replace('_', " "), b.help.to_lowercase());
                words.iter().all(|w| name.contains(w.as_str()) || help.contains(w.as_str()))
            })
            .collect()
    }

    pub fn move_by(&mut self, delta: isize, len: usize) {
        self.cursor = if len == 0 { 0 } else { self.cursor.saturating_add_signed(delta).min(len - 1) };
    }

    /// The highlighted action, if any matches.
    pub fn chosen(&self, keymap: &Keymap) -> Option<Action> {
        let options = self.options(keymap);
        options.get(self.cursor.min(options.len().saturating_sub(1))).map(|b| b.action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> Palette {
        let mut palette = Palette::default();
        palette.query.insert_str(text);
        palette
    }

    #[test]
    fn words_narrow_by_name_and_help_and_the_palette_is_not_listed() {
        let keymap = Keymap::default();
        let all = Palette::default().options(&keymap);
        assert_eq!(all.len(), keymap.bindings(Context::Browse).len() - 1);
        assert!(all.iter().all(|b| b.action != Action::Palette));
        assert_eq!(typed("reverse").chosen(&keymap), Some(Action::ReverseSort));
        assert_eq!(typed("TAB next").chosen(&keymap), Some(Action::NextTab));
        assert_eq!(typed("log").chosen(&keymap), Some(Action::ShowLog));
        assert!(typed("no such thing").options(&keymap).is_empty());
        let mut palette = typed("tab");
        palette.move_by(10, palette.options(&keymap).len());
        assert_eq!(palette.chosen(&keymap), palette.options(&keymap).last().map(|b| b.action));
    }

    #[test]
    fn an_action_named_in_full_takes_what_follows_as_its_argument() {
        let keymap = Keymap::default();
        assert_eq!(typed("snooze 4h").argument(&keymap), Some((Action::Snooze, "4h".to_owned())));
        assert_eq!(
            typed("  Export  my wires.csv ").argument(&keymap),
            Some((Action::Export, "my wires.csv".to_owned()))
        );
        assert_eq!(typed("status ").argument(&keymap), Some((Action::PickStatus, String::new())));
        let named = typed("status res");
        assert_eq!(named.options(&keymap).len(), 1, "only the action named");
        assert_eq!(named.chosen(&keymap), Some(Action::PickStatus));
        // Words that only narrow: no action takes "tab" or "help" as an argument.
        assert_eq!(typed("next tab").argument(&keymap), None);
        assert_eq!(typed("help me").argument(&keymap), None);
        assert_eq!(typed("snooze").argument(&keymap), None, "no argument begun: the list still narrows");
    }
}
