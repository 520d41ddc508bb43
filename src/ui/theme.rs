//! The one place colours live: named styles for every region, and status colours from the
//! server's `#RRGGBB` values. Other view files ask the theme; none writes a colour inline.

use ratatui::style::{Color, Modifier, Style};

use crate::app::Level;
use crate::domain::Status;

/// Named styles for the whole dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub app_name: Style,
    pub header: Style,
    /// The `READ-ONLY` badge.
    pub badge: Style,
    /// The `PAUSED` badge.
    pub paused: Style,
    pub spinner: Style,
    pub border: Style,
    pub border_focused: Style,
    pub pane_title: Style,
    pub selected: Style,
    /// The `●` of an alert new or changed since it was last selected.
    pub unseen: Style,
    pub unseen_row: Style,
    pub muted: Style,
    pub label: Style,
    pub heading: Style,
    pub error: Style,
    pub warning: Style,
    pub success: Style,
    pub info: Style,
    pub key: Style,
    pub input: Style,
    /// Added to a status colour for the active tab.
    pub tab_active: Style,
    /// For statuses whose colour is missing or not `#RRGGBB`.
    pub fallback_status: Color,
    pub accent: Color,
}

impl Theme {
    /// Readable on dark and light terminals alike.
    pub const DEFAULT: Self = Self {
        app_name: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        header: Style::new(),
        badge: Style::new().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD),
        paused: Style::new().fg(Color::Black).bg(Color::LightBlue).add_modifier(Modifier::BOLD),
        spinner: Style::new().fg(Color::Cyan),
        border: Style::new().fg(Color::DarkGray),
        border_focused: Style::new().fg(Color::Cyan),
        pane_title: Style::new().add_modifier(Modifier::BOLD),
        selected: Style::new().bg(Color::Rgb(45, 55, 72)).add_modifier(Modifier::BOLD),
        unseen: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        unseen_row: Style::new().add_modifier(Modifier::BOLD),
        muted: Style::new().fg(Color::DarkGray),
        label: Style::new().fg(Color::Gray),
        heading: Style::new().add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED)),
        error: Style::new().fg(Color::LightRed),
        warning: Style::new().fg(Color::Yellow),
        success: Style::new().fg(Color::LightGreen),
        info: Style::new().fg(Color::LightBlue),
        key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        input: Style::new(),
        tab_active: Style::new().add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
        fallback_status: Color::Gray,
        accent: Color::Cyan,
    };

    /// A status's own colour, or the fallback when it has none the terminal can show.
    pub fn status_color(&self, status: Option<&Status>) -> Color {
        status.and_then(Status::rgb).map_or(self.fallback_status, |(r, g, b)| Color::Rgb(r, g, b))
    }

    /// Text in a status's colour.
    pub fn status(&self, status: Option<&Status>) -> Style {
        Style::new().fg(self.status_color(status))
    }

    /// A status tab: its colour, reversed when active.
    pub fn tab(&self, color: Color, active: bool) -> Style {
        let style = Style::new().fg(color);
        if active { style.patch(self.tab_active) } else { style }
    }

    /// The border of a pane, highlighted when it has the focus.
    pub fn border(&self, focused: bool) -> Style {
        if focused { self.border_focused } else { self.border }
    }

    /// A notice in the status bar, by its level.
    pub fn notice(&self, level: Level) -> Style {
        match level {
            Level::Info => self.info,
            Level::Success => self.success,
            Level::Error => self.error,
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_without_a_usable_colour_fall_back() {
        let theme = Theme::DEFAULT;
        let mut status = Status::built_ins().remove(0);
        assert_eq!(theme.status_color(Some(&status)), Color::Rgb(0xEF, 0x44, 0x44));
        status.colour = "red".into();
        assert_eq!(theme.status_color(Some(&status)), theme.fallback_status);
        assert_eq!(theme.status_color(None), theme.fallback_status);
    }
}
