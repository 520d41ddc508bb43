//! The command palette: every browsing action by the name the config file and help use, its
//! help and its key; typing narrows them (each word must be in the name or the help), Enter
//! runs the highlighted one as if its key were pressed.

use super::input::TextInput;
use crate::keymap::{Action, Binding, Context, Keymap};

#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub query: TextInput,
    pub cursor: usize,
}

impl Default for Palette {
    fn default() -> Self {
        Self { query: TextInput::new("", false), cursor: 0 }
    }
}

impl Palette {
    /// The actions matching what was typed, in the keymap's order.
    pub fn options<'a>(&self, keymap: &'a Keymap) -> Vec<&'a Binding> {
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
        assert_eq!(typed("STATUS tab next").chosen(&keymap), Some(Action::NextTab));
        assert_eq!(typed("log").chosen(&keymap), Some(Action::ShowLog));
        assert!(typed("no such thing").options(&keymap).is_empty());
        let mut palette = typed("tab");
        palette.move_by(10, palette.options(&keymap).len());
        assert_eq!(palette.chosen(&keymap), palette.options(&keymap).last().map(|b| b.action));
    }
}
