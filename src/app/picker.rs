//! The status picker: every status with its colour; typing filters, Enter applies.

use super::input::TextInput;
use crate::domain::{AlertId, Status, StatusKey};

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    /// The alert whose status changes.
    pub target: AlertId,
    pub current: StatusKey,
    pub query: TextInput,
    pub cursor: usize,
    /// How many marked alerts the status goes to (0: only `target`).
    pub marked: usize,
}

impl Picker {
    pub fn new(target: AlertId, current: StatusKey) -> Self {
        Self { target, current, query: TextInput::new("", false), cursor: 0, marked: 0 }
    }

    /// The statuses matching what was typed (name or key, case-insensitive).
    pub fn options<'a>(&self, statuses: &'a [Status]) -> Vec<&'a Status> {
        let needle = self.query.text().trim().to_lowercase();
        statuses
            .iter()
            .filter(|s| {
                needle.is_empty()
                    || s.name.to_lowercase().contains(&needle)
                    || s.key.as_str().to_lowercase().contains(&needle)
            })
            .collect()
    }

    pub fn move_by(&mut self, delta: isize, len: usize) {
        if len == 0 {
            self.cursor = 0;
            return;
        }
        self.cursor = self.cursor.saturating_add_signed(delta).min(len - 1);
    }

    /// The highlighted status, if any matches.
    pub fn chosen<'a>(&self, statuses: &'a [Status]) -> Option<&'a Status> {
        let options = self.options(statuses);
        options.get(self.cursor.min(options.len().saturating_sub(1))).copied()
    }
}
