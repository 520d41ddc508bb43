//! Exporting the current view from the dashboard: every row it holds (not just the screen's)
//! to a CSV, JSON or ids file chosen by its extension, from the palette (`:export wires.csv`)
//! or `E`. An existing file is replaced only after a second Enter. Part of `App::update`; pure.

use std::path::{Path, PathBuf};

use super::{App, Cmd, ExportFailure, Level, Overlay, Palette};
use crate::export::Format;
use crate::keymap::Action;

impl App {
    /// Asks the runtime to write the view to `typed`; `overwrite`: replacing it was agreed to.
    /// What is wrong with the request, to show in the palette.
    pub(super) fn export(&mut self, typed: &str, overwrite: bool) -> Result<Vec<Cmd>, String> {
        if typed.is_empty() {
            let what = Action::Export.argument().unwrap_or_default();
            return Err(format!("Name the file after export: {what} (export wires.csv)."));
        }
        let path = PathBuf::from(typed);
        let Some(format) = Format::from_path(&path) else {
            return Err(format!("{typed}: the name must end in .csv, .json, or .txt for ids."));
        };
        if self.list.scanning() {
            return Err("The filter is still being applied: export once the list has settled.".to_owned());
        }
        if self.list.visible_len() == 0 {
            return Err("This view shows no alerts: nothing to export.".to_owned());
        }
        let alerts = self.list.visible_rows(0, usize::MAX).cloned().collect();
        Ok(vec![Cmd::Export { path, format, alerts, overwrite }])
    }

    /// The runtime's report: a count and the file, or an existing file to confirm replacing.
    pub(super) fn exported(&mut self, typed: &Path, result: Result<(usize, PathBuf), ExportFailure>) -> Vec<Cmd> {
        match result {
            Ok((n, file)) => {
                let them = crate::format::count(n, "alert");
                self.notify(Level::Success, format!("Exported {them} to {}.", file.display()));
            }
            Err(ExportFailure::Exists) if self.overlay == Overlay::None => {
                let mut palette = Palette::with(&format!("export {}", typed.display()));
                palette.error = Some(format!("{} exists: Enter replaces it, or edit the name.", typed.display()));
                palette.overwrite = Some(typed.to_path_buf());
                self.overlay = Overlay::Palette(palette);
            }
            Err(ExportFailure::Exists) => {
                let palette = self.key_for(super::Context::Browse, Action::Palette);
                self.notify(
                    Level::Error,
                    format!(
                        "Not exported: {} exists ({palette} then export {} asks to replace it).",
                        typed.display(),
                        typed.display()
                    ),
                );
            }
            Err(ExportFailure::Failed(reason)) => self.notify(Level::Error, format!("Not exported: {reason}")),
        }
        Vec::new()
    }
}
