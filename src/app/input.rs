//! A text field's contents and cursor: editing keys, paste, several lines when allowed.
//! The cursor is a char index, so multi-byte text never splits.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Cursor position in chars, 0..=len.
    cursor: usize,
    multiline: bool,
}

impl TextInput {
    pub fn new(text: &str, multiline: bool) -> Self {
        let text = if multiline { text.to_owned() } else { text.replace('\n', " ") };
        Self { cursor: text.chars().count(), text, multiline }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_multiline(&self) -> bool {
        self.multiline
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text.char_indices().nth(char_index).map_or(self.text.len(), |(b, _)| b)
    }

    /// Inserts text at the cursor in one step (a paste costs one copy, not one per char).
    pub fn insert_str(&mut self, s: &str) {
        let clean: String = s.chars().filter_map(|c| self.accept(c)).collect();
        let at = self.byte_at(self.cursor);
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
    }

    fn insert(&mut self, c: char) {
        if let Some(c) = self.accept(c) {
            let at = self.byte_at(self.cursor);
            self.text.insert(at, c);
            self.cursor += 1;
        }
    }

    /// What a typed or pasted char becomes: line breaks only where allowed, no controls.
    fn accept(&self, c: char) -> Option<char> {
        match c {
            '\r' | '\n' if !self.multiline => Some(' '),
            '\r' | '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => crate::domain::is_safe(c).then_some(c),
        }
    }

    /// Applies an editing key; returns false when the key is not an editing key.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => self.delete_to_line_start(),
            KeyCode::Char('w') if ctrl => self.delete_word_back(),
            KeyCode::Char('a') if ctrl => self.cursor = self.line_start(),
            KeyCode::Char('e') if ctrl => self.cursor = self.line_end(),
            KeyCode::Char(_) if ctrl || key.modifiers.contains(KeyModifiers::ALT) => return false,
            KeyCode::Char(c) => self.insert(c),
            KeyCode::Enter if self.multiline => self.insert('\n'),
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
            }
            KeyCode::Delete if self.cursor < self.text.chars().count() => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.text.chars().count()),
            KeyCode::Home => self.cursor = self.line_start(),
            KeyCode::End => self.cursor = self.line_end(),
            KeyCode::Up if self.multiline => self.move_line(-1),
            KeyCode::Down if self.multiline => self.move_line(1),
            KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }

    fn chars(&self) -> Vec<char> {
        self.text.chars().collect()
    }

    fn line_start(&self) -> usize {
        let chars = self.chars();
        (0..self.cursor).rev().find(|&i| chars[i] == '\n').map_or(0, |i| i + 1)
    }

    fn line_end(&self) -> usize {
        let chars = self.chars();
        (self.cursor..chars.len()).find(|&i| chars[i] == '\n').unwrap_or(chars.len())
    }

    fn move_line(&mut self, delta: isize) {
        let column = self.cursor - self.line_start();
        let target_start = if delta < 0 {
            let start = self.line_start();
            if start == 0 {
                return;
            }
            self.cursor = start - 1;
            self.line_start()
        } else {
            let end = self.line_end();
            if end == self.text.chars().count() {
                return;
            }
            end + 1
        };
        self.cursor = target_start;
        self.cursor = (target_start + column).min(self.line_end());
    }

    fn delete_to_line_start(&mut self) {
        let start = self.line_start();
        let (from, to) = (self.byte_at(start), self.byte_at(self.cursor));
        self.text.replace_range(from..to, "");
        self.cursor = start;
    }

    fn delete_word_back(&mut self) {
        let chars = self.chars();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let (from, to) = (self.byte_at(start), self.byte_at(self.cursor));
        self.text.replace_range(from..to, "");
        self.cursor = start;
    }

    /// The cursor as (line, column in chars) for drawing.
    pub fn cursor_line_col(&self) -> (usize, usize) {
        let (mut line, mut col) = (0, 0);
        for c in self.text.chars().take(self.cursor) {
            if c == '\n' {
                line += 1;
                col = 0;
            } else {
                col += 1;
            }
        }
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_editing_and_multibyte_text() {
        let mut input = TextInput::new("héllo", false);
        assert_eq!(input.cursor(), 5);
        input.handle_key(key(KeyCode::Backspace));
        input.handle_key(key(KeyCode::Left));
        input.handle_key(key(KeyCode::Char('日')));
        assert_eq!(input.text(), "hél日l");
        input.handle_key(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(input.text(), "l");
    }

    #[test]
    fn single_line_fields_flatten_newlines_and_multiline_keep_them() {
        let mut one = TextInput::new("", false);
        one.insert_str("a\nb");
        assert_eq!(one.text(), "a b");
        let mut many = TextInput::new("first", true);
        many.handle_key(key(KeyCode::Enter));
        many.insert_str("second\u{1b}");
        assert_eq!(many.text(), "first\nsecond");
        assert_eq!(many.cursor_line_col(), (1, 6));
        many.handle_key(key(KeyCode::Up));
        assert_eq!(many.cursor_line_col(), (0, 5));
    }

    proptest! {
        #[test]
        fn no_key_sequence_panics_or_loses_the_cursor(ops in proptest::collection::vec(0u8..10, 0..60), text in "\\PC{0,20}") {
            let mut input = TextInput::new(&text, true);
            for op in ops {
                let code = match op {
                    0 => KeyCode::Left, 1 => KeyCode::Right, 2 => KeyCode::Backspace, 3 => KeyCode::Delete,
                    4 => KeyCode::Home, 5 => KeyCode::End, 6 => KeyCode::Up, 7 => KeyCode::Down,
                    8 => KeyCode::Enter, _ => KeyCode::Char('é'),
                };
                input.handle_key(key(code));
                prop_assert!(input.cursor() <= input.text().chars().count());
            }
        }
    }
}
