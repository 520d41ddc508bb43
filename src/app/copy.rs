//! Copying, so nothing is retyped: `y` copies the selected alert's id, `Y` offers its entity id,
//! title, the whole alert as JSON or a Markdown summary for a ticket. The runtime sends the text
//! to the terminal's clipboard (OSC 52, which works over SSH and through tmux). Copying changes
//! nothing, so read-only mode copies too.

use std::fmt::Write as _;

use super::{App, Cmd, Level, Overlay};
use crate::domain::{Alert, AlertId};

/// The most text one copy sends: terminals drop (or choke on) longer OSC 52 sequences.
pub const COPY_LIMIT: usize = 64 * 1024;

/// What of an alert to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyWhat {
    Id,
    Entity,
    Title,
    Json,
    Markdown,
}

impl CopyWhat {
    /// The choices of the copy menu, in order.
    pub const MENU: [Self; 5] = [Self::Id, Self::Entity, Self::Title, Self::Json, Self::Markdown];

    pub fn label(self) -> &'static str {
        match self {
            Self::Id => "the alert id",
            Self::Entity => "the entity id",
            Self::Title => "the title",
            Self::Json => "the alert as JSON",
            Self::Markdown => "a Markdown summary for a ticket",
        }
    }

    /// What the palette takes: `:copy json`.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_lowercase().as_str() {
            "" | "id" => Ok(Self::Id),
            "entity" => Ok(Self::Entity),
            "title" => Ok(Self::Title),
            "json" => Ok(Self::Json),
            "markdown" | "md" => Ok(Self::Markdown),
            other => Err(format!("cannot copy {other:?}: copy id, entity, title, json or markdown")),
        }
    }
}

impl App {
    /// `Y`: what to copy of the selected alert.
    pub(super) fn copy_menu(&mut self) {
        match self.list.selected_id() {
            Some(id) => self.overlay = Overlay::Menu(super::Menu::new(super::MenuKind::Copy(id.clone()))),
            None => self.notify(Level::Info, "No alert selected."),
        }
    }

    /// Copies `what` of alert `id` to the clipboard.
    pub(super) fn copy(&mut self, id: &AlertId, what: CopyWhat) -> Vec<Cmd> {
        let Some(alert) = self.list.get(id) else {
            self.notify(Level::Info, "No alert selected.");
            return Vec::new();
        };
        let text = match what {
            CopyWhat::Id => alert.anomaly_id.as_str().to_owned(),
            CopyWhat::Entity => {
                let Some(entity) = alert.entity() else {
                    self.notify(Level::Info, "This alert names no entity.");
                    return Vec::new();
                };
                entity.to_owned()
            }
            CopyWhat::Title => alert.title_or_placeholder().to_owned(),
            CopyWhat::Json => serde_json::to_string_pretty(alert).unwrap_or_default(),
            CopyWhat::Markdown => self.markdown(alert),
        };
        self.copy_text(text, what.label())
    }

    /// Sends `text` to the clipboard, or says why not; `label` says what it is.
    pub(super) fn copy_text(&mut self, text: String, label: &str) -> Vec<Cmd> {
        if text.len() > COPY_LIMIT {
            let kib = text.len() / 1024;
            self.notify(
                Level::Error,
                format!("Not copied: {label} is {kib} KiB, more than a terminal's clipboard takes (64 KiB)."),
            );
            return Vec::new();
        }
        let shown = if text.chars().count() > 40 || text.contains('\n') { label.to_owned() } else { text.clone() };
        self.notify(Level::Success, format!("Copied {shown} to the clipboard."));
        vec![Cmd::Copy(text)]
    }

    /// A short summary to paste into a ticket or a chat.
    fn markdown(&self, alert: &Alert) -> String {
        let status = self.status_name(&alert.status);
        let mut out = format!("**{}** (`{}`)\n\n", alert.title_or_placeholder(), alert.anomaly_id);
        let _ = writeln!(out, "- Status: {status}");
        let _ = writeln!(out, "- Type: {}", alert.kind);
        if let Some(entity) = alert.entity() {
            let _ = writeln!(out, "- Entity: `{entity}`");
        }
        let _ = writeln!(out, "- Assigned to: {}", alert.assigned_to.as_deref().unwrap_or("nobody"));
        let _ = writeln!(out, "- Created: {}", alert.created_at.to_rfc3339());
        if !alert.description.trim().is_empty() {
            let quoted: Vec<String> = alert.description.lines().map(|l| format!("> {l}")).collect();
            let _ = write!(out, "\n{}\n", quoted.join("\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_to_copy_is_read_from_the_palette() {
        assert_eq!(CopyWhat::parse(""), Ok(CopyWhat::Id));
        assert_eq!(CopyWhat::parse(" JSON "), Ok(CopyWhat::Json));
        assert_eq!(CopyWhat::parse("md"), Ok(CopyWhat::Markdown));
        assert!(CopyWhat::parse("everything").expect_err("unknown").contains("copy id, entity"));
    }
}
