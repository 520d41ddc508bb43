//! One key as the keymap stores it: parsed from the config file's spelling (`ctrl-n`, `G`,
//! `pgdn`), matched against crossterm's events, and written back for help and hints (`Ctrl-N`).
// Not crokey: it folds case ("G" parses as "g"), and vim-style bindings need `g` and `G` apart.

use std::fmt::{self, Write as _};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key code and its modifiers, normalised so that what terminals disagree on compares equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    modifiers: KeyModifiers,
}

/// Named keys as the config file may spell them (lower-case; the first name is the one written).
const NAMES: &[(&str, KeyCode)] = &[
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("space", KeyCode::Char(' ')),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pageup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("pagedown", KeyCode::PageDown),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
    ("minus", KeyCode::Char('-')),
];

/// Why a key's spelling was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyParseError(pub String);

impl fmt::Display for KeyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Key {
    /// A character typed alone (`G` is shift-g).
    pub const fn char(c: char) -> Self {
        Self { code: KeyCode::Char(c), modifiers: KeyModifiers::NONE }
    }

    /// Ctrl and a character.
    pub const fn ctrl(c: char) -> Self {
        Self { code: KeyCode::Char(c), modifiers: KeyModifiers::CONTROL }
    }

    /// A named key alone (Esc, Enter, an arrow).
    pub const fn code(code: KeyCode) -> Self {
        Self { code, modifiers: KeyModifiers::NONE }
    }

    /// The key an event is, normalised like the parsed ones.
    pub fn from_event(event: &KeyEvent) -> Self {
        Self::normalised(event.code, event.modifiers)
    }

    /// Terminals disagree on whether an upper-case letter or Shift-Tab carries SHIFT, and
    /// send Ctrl-letters in either case: compare without those differences.
    fn normalised(code: KeyCode, modifiers: KeyModifiers) -> Self {
        match code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                Self { code: KeyCode::Char(c.to_ascii_lowercase()), modifiers: modifiers - KeyModifiers::SHIFT }
            }
            KeyCode::Char(_) | KeyCode::BackTab => Self { code, modifiers: modifiers - KeyModifiers::SHIFT },
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                Self { code: KeyCode::BackTab, modifiers: modifiers - KeyModifiers::SHIFT }
            }
            _ => Self { code, modifiers },
        }
    }

    /// Parses `f`, `G`, `ctrl-n`, `alt-x`, `shift-tab`, `esc`, `pgdn`, `f5`, `space`, `?`.
    pub fn parse(text: &str) -> Result<Self, KeyParseError> {
        let mut rest = text.trim();
        let mut modifiers = KeyModifiers::NONE;
        loop {
            let lower = rest.to_ascii_lowercase();
            let Some((modifier, len)) =
                [("ctrl-", KeyModifiers::CONTROL), ("alt-", KeyModifiers::ALT), ("shift-", KeyModifiers::SHIFT)]
                    .into_iter()
                    .find_map(|(prefix, m)| {
                        (lower.starts_with(prefix) && rest.len() > prefix.len()).then_some((m, prefix.len()))
                    })
            else {
                break;
            };
            modifiers |= modifier;
            rest = &rest[len..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err(KeyParseError(format!("{text:?} names no key"))),
            (Some(c), None) if c.is_control() => {
                return Err(KeyParseError(format!("{text:?} is a control character; write its name, e.g. \"tab\"")));
            }
            (Some(c), None) if modifiers.contains(KeyModifiers::SHIFT) => KeyCode::Char(c.to_ascii_uppercase()),
            (Some(c), None) => KeyCode::Char(c),
            _ => {
                let lower = rest.to_ascii_lowercase();
                if let Some((_, code)) = NAMES.iter().find(|(name, _)| *name == lower) {
                    *code
                } else if let Some(n) =
                    lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()).filter(|n| (1..=24).contains(n))
                {
                    KeyCode::F(n)
                } else {
                    return Err(KeyParseError(format!(
                        "{text:?} is not a key: write a character (f, G, ?), a name (esc, enter, tab, space, up, pgdn, home, f5) with optional ctrl-, alt-, shift-"
                    )));
                }
            }
        };
        Ok(Self::normalised(code, modifiers))
    }

    /// True for a character with no modifier but Shift: in a text field it would be typed.
    pub fn types_text(self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && (self.modifiers - KeyModifiers::SHIFT).is_empty()
    }

    /// How the config file writes this key (parses back to it): `ctrl-n`, `G`, `pgdn`.
    pub fn spelling(self) -> String {
        let mut out = String::new();
        for (m, prefix) in
            [(KeyModifiers::CONTROL, "ctrl-"), (KeyModifiers::ALT, "alt-"), (KeyModifiers::SHIFT, "shift-")]
        {
            if self.modifiers.contains(m) {
                out.push_str(prefix);
            }
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::F(n) => {
                let _ = write!(out, "f{n}");
            }
            code => out.push_str(NAMES.iter().find(|(_, c)| *c == code).map_or("?", |(name, _)| name)),
        }
        out
    }
}

/// How help and hints show the key: `j`, `G`, `Ctrl-N`, `↓`, `PgDn`, `S-Tab`.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        let control = self.modifiers.contains(KeyModifiers::CONTROL);
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if control => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Backspace => f.write_str("Bksp"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            code => write!(f, "{code}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn parsed(text: &str) -> Key {
        Key::parse(text).expect("parses")
    }

    #[test]
    fn spellings_parse_to_the_keys_terminals_send() {
        let event = |code, modifiers| Key::from_event(&KeyEvent::new(code, modifiers));
        assert_eq!(parsed("G"), event(KeyCode::Char('G'), KeyModifiers::SHIFT));
        assert_eq!(parsed("shift-g"), parsed("G"));
        assert_ne!(parsed("g"), parsed("G"));
        assert_eq!(parsed("ctrl-n"), event(KeyCode::Char('n'), KeyModifiers::CONTROL));
        assert_eq!(parsed("Ctrl-N"), parsed("ctrl-n"));
        assert_eq!(parsed("shift-tab"), event(KeyCode::BackTab, KeyModifiers::SHIFT));
        assert_eq!(parsed("backtab"), event(KeyCode::BackTab, KeyModifiers::NONE));
        assert_eq!(parsed("PgDn"), parsed("pagedown"));
        assert_eq!(parsed("esc"), Key::code(KeyCode::Esc));
        assert_eq!(parsed("f5"), Key::code(KeyCode::F(5)));
        assert_eq!(parsed("f"), Key::char('f'));
        assert_eq!(parsed("-"), Key::char('-'));
        assert_eq!(parsed("ctrl--"), Key::ctrl('-'));
        assert_eq!(parsed("space"), Key::char(' '));
        assert_eq!(parsed("alt-enter"), Key { code: KeyCode::Enter, modifiers: KeyModifiers::ALT });
    }

    #[test]
    fn nonsense_is_refused_with_a_reason() {
        for bad in ["", "  ", "ctrl-", "hello", "f25", "ctrl-banana", "\t"] {
            let err = Key::parse(bad).expect_err(bad);
            assert!(err.0.contains(&format!("{bad:?}")), "{err}");
        }
    }

    #[test]
    fn labels_read_the_way_help_writes_keys() {
        let labels: Vec<String> = ["j", "G", "ctrl-s", "down", "pgdn", "shift-tab", "space", "alt-x", "f2"]
            .map(|k| parsed(k).to_string())
            .into();
        assert_eq!(labels, ["j", "G", "Ctrl-S", "↓", "PgDn", "S-Tab", "Space", "Alt-x", "F2"]);
    }

    #[test]
    fn only_plain_characters_type_text() {
        assert!(parsed("x").types_text());
        assert!(parsed("X").types_text());
        assert!(!parsed("ctrl-x").types_text());
        assert!(!parsed("enter").types_text());
    }

    proptest! {
        #[test]
        fn every_key_spelling_parses_back_to_the_key(c in proptest::char::range('!', '~'), m in 0u8..8, named in 0usize..NAMES.len() + 1) {
            let mut modifiers = KeyModifiers::NONE;
            if m & 1 != 0 { modifiers |= KeyModifiers::CONTROL; }
            if m & 2 != 0 { modifiers |= KeyModifiers::ALT; }
            if m & 4 != 0 { modifiers |= KeyModifiers::SHIFT; }
            let code = NAMES.get(named).map_or(KeyCode::Char(c), |(_, code)| *code);
            let key = Key::normalised(code, modifiers);
            prop_assert_eq!(Key::parse(&key.spelling()), Ok(key));
        }
    }
}
