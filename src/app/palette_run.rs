//! Actions the palette runs with an argument: `snooze 4h`, `status resolved`, `copy json`,
//! `export wires.csv`, `filter type:transaction`, `view save Wires`. Each without one does what its key does.
//! Part of `App::update`; pure.

use super::{App, Cmd, CopyWhat, SnoozeFor};
use crate::domain::StatusKey;
use crate::keymap::Action;

impl App {
    /// Runs `action` with `argument`; what is wrong with it, to show in the palette.
    /// `overwrite`: an export may replace the file it names (the second Enter).
    pub(super) fn run_with_argument(
        &mut self,
        action: Action,
        argument: &str,
        overwrite: bool,
    ) -> Result<Vec<Cmd>, String> {
        if argument.is_empty() && action != Action::Export {
            return Ok(self.browse_action(action));
        }
        match action {
            Action::Snooze => {
                let how = SnoozeFor::parse(argument)?;
                let targets = self.targets();
                if targets.is_empty() {
                    return Err("No alert selected.".to_owned());
                }
                Ok(self.snooze(&targets, how))
            }
            Action::PickStatus => {
                if self.read_only() {
                    return Err("Read-only mode: nothing can be changed from this screen.".to_owned());
                }
                if self.bulk.is_some() {
                    return Err("A bulk change is under way: wait for its report (Esc stops it).".to_owned());
                }
                let status = self.status_named(argument)?;
                if self.marked_count() > 0 {
                    self.confirm_bulk(status);
                    return Ok(Vec::new());
                }
                let target = self.list.selected_id().cloned().ok_or("No alert selected.")?;
                Ok(self.set_status(target, status))
            }
            Action::Copy => {
                let what = CopyWhat::parse(argument)?;
                let id = self.list.selected_id().cloned().ok_or("No alert selected.")?;
                Ok(self.copy(&id, what))
            }
            Action::Export => self.export(argument, overwrite),
            Action::View => self.view_command(argument),
            Action::Filter => {
                self.filter = super::TextInput::new(argument, false);
                self.apply_filter();
                // A filter that cannot be read opens in the filter line, with its error, to mend.
                if self.filter_error.is_some() {
                    self.overlay = super::Overlay::Filter;
                }
                Ok(Vec::new())
            }
            _ => Ok(self.browse_action(action)),
        }
    }

    /// The status `text` names: its key or its name, in any case, or the start of exactly one.
    fn status_named(&self, text: &str) -> Result<StatusKey, String> {
        let text = text.trim().to_lowercase();
        let exact = self
            .statuses
            .iter()
            .find(|s| s.key.as_str().eq_ignore_ascii_case(&text) || s.name.trim().to_lowercase() == text);
        if let Some(status) = exact {
            return Ok(status.key.clone());
        }
        let starts: Vec<_> = self
            .statuses
            .iter()
            .filter(|s| {
                s.key.as_str().to_lowercase().starts_with(&text) || s.name.trim().to_lowercase().starts_with(&text)
            })
            .collect();
        if let [only] = starts.as_slice() {
            return Ok(only.key.clone());
        }
        let keys: Vec<&str> = self.statuses.iter().map(|s| s.key.as_str()).collect();
        Err(format!("No status {text:?}: the statuses are {}.", keys.join(", ")))
    }
}
