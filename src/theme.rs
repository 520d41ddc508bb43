//! The one place colours live: named styles for every region, built from a base (dark, light
//! or, under `NO_COLOR`, none) and the config file's overrides by role, and status colours
//! from the server made readable on the background. View files ask the theme; none writes a
//! colour inline.

mod contrast;

use ratatui::style::{Color, Modifier, Style};

use crate::app::Level;
use crate::domain::Status;

/// The palette a theme starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    Dark,
    Light,
    /// No colour at all (`NO_COLOR`): selection, badges and marks by reverse video and bold.
    Mono,
}

impl Base {
    pub fn name(self) -> &'static str {
        match self {
            Self::Dark => "dark",
            Self::Light => "light",
            Self::Mono => "none (NO_COLOR)",
        }
    }
}

/// Named styles for the whole dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub base: Base,
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
    /// The `✓` of a marked alert (the mark is a character, so it shows without colour too).
    pub marked: Style,
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
    /// Text a change added, and text it took away (the conflict dialog's differences).
    pub inserted: Style,
    pub deleted: Style,
    /// For statuses whose colour is missing or not `#RRGGBB`.
    pub fallback_status: Color,
    /// The "All" tab.
    pub accent: Color,
}

/// The roles a config file's `[theme]` table may set, in the order `config` lists them.
pub const ROLES: &[&str] = &[
    "app_name",
    "header",
    "badge",
    "paused",
    "spinner",
    "border",
    "border_focused",
    "pane_title",
    "selected",
    "unseen",
    "unseen_row",
    "marked",
    "muted",
    "label",
    "heading",
    "error",
    "warning",
    "success",
    "info",
    "key",
    "input",
    "tab_active",
    "inserted",
    "deleted",
    "fallback_status",
    "accent",
];

const BOLD: Modifier = Modifier::BOLD;

impl Theme {
    /// For dark terminal backgrounds (the default).
    pub const fn dark() -> Self {
        Self {
            base: Base::Dark,
            app_name: Style::new().fg(Color::Cyan).add_modifier(BOLD),
            header: Style::new(),
            badge: Style::new().fg(Color::Black).bg(Color::Yellow).add_modifier(BOLD),
            paused: Style::new().fg(Color::Black).bg(Color::LightBlue).add_modifier(BOLD),
            spinner: Style::new().fg(Color::Cyan),
            border: Style::new().fg(Color::DarkGray),
            border_focused: Style::new().fg(Color::Cyan),
            pane_title: Style::new().add_modifier(BOLD),
            selected: Style::new().bg(Color::Rgb(45, 55, 72)).add_modifier(BOLD),
            unseen: Style::new().fg(Color::Yellow).add_modifier(BOLD),
            unseen_row: Style::new().add_modifier(BOLD),
            marked: Style::new().fg(Color::LightMagenta).add_modifier(BOLD),
            muted: Style::new().fg(Color::DarkGray),
            label: Style::new().fg(Color::Gray),
            heading: Style::new().add_modifier(BOLD.union(Modifier::UNDERLINED)),
            error: Style::new().fg(Color::LightRed),
            warning: Style::new().fg(Color::Yellow),
            success: Style::new().fg(Color::LightGreen),
            info: Style::new().fg(Color::LightBlue),
            key: Style::new().fg(Color::Cyan).add_modifier(BOLD),
            input: Style::new(),
            tab_active: Style::new().add_modifier(Modifier::REVERSED.union(BOLD)),
            inserted: Style::new().fg(Color::LightGreen).add_modifier(BOLD.union(Modifier::UNDERLINED)),
            deleted: Style::new().fg(Color::LightRed).add_modifier(Modifier::CROSSED_OUT),
            fallback_status: Color::Gray,
            accent: Color::Cyan,
        }
    }

    /// For light terminal backgrounds: darker text colours, a pale selection.
    pub const fn light() -> Self {
        Self {
            base: Base::Light,
            app_name: Style::new().fg(Color::Blue).add_modifier(BOLD),
            badge: Style::new().fg(Color::White).bg(Color::Rgb(161, 98, 7)).add_modifier(BOLD),
            paused: Style::new().fg(Color::White).bg(Color::Blue).add_modifier(BOLD),
            spinner: Style::new().fg(Color::Blue),
            border: Style::new().fg(Color::Gray),
            border_focused: Style::new().fg(Color::Blue),
            selected: Style::new().bg(Color::Rgb(214, 226, 245)).add_modifier(BOLD),
            unseen: Style::new().fg(Color::Rgb(180, 83, 9)).add_modifier(BOLD),
            marked: Style::new().fg(Color::Rgb(134, 25, 143)).add_modifier(BOLD),
            muted: Style::new().fg(Color::Rgb(110, 110, 110)),
            label: Style::new().fg(Color::Rgb(60, 60, 60)),
            error: Style::new().fg(Color::Rgb(185, 28, 28)),
            warning: Style::new().fg(Color::Rgb(161, 98, 7)),
            success: Style::new().fg(Color::Rgb(21, 128, 61)),
            info: Style::new().fg(Color::Blue),
            key: Style::new().fg(Color::Blue).add_modifier(BOLD),
            inserted: Style::new().fg(Color::Rgb(21, 128, 61)).add_modifier(BOLD.union(Modifier::UNDERLINED)),
            deleted: Style::new().fg(Color::Rgb(185, 28, 28)).add_modifier(Modifier::CROSSED_OUT),
            fallback_status: Color::Rgb(90, 90, 90),
            accent: Color::Blue,
            ..Self::dark()
        }
    }

    /// No colour: what `NO_COLOR` asks for. Everything that colour marks elsewhere is marked
    /// by reverse video, bold or underline here.
    pub const fn mono() -> Self {
        let plain = Style::new();
        Self {
            base: Base::Mono,
            app_name: plain.add_modifier(BOLD),
            header: plain,
            badge: plain.add_modifier(Modifier::REVERSED.union(BOLD)),
            paused: plain.add_modifier(Modifier::REVERSED.union(BOLD)),
            spinner: plain,
            border: plain,
            border_focused: plain.add_modifier(BOLD),
            pane_title: plain.add_modifier(BOLD),
            selected: plain.add_modifier(Modifier::REVERSED),
            unseen: plain.add_modifier(BOLD),
            unseen_row: plain.add_modifier(BOLD),
            marked: plain.add_modifier(BOLD),
            muted: plain,
            label: plain,
            heading: plain.add_modifier(BOLD.union(Modifier::UNDERLINED)),
            error: plain.add_modifier(BOLD),
            warning: plain.add_modifier(BOLD),
            success: plain,
            info: plain,
            key: plain.add_modifier(BOLD),
            input: plain.add_modifier(Modifier::UNDERLINED),
            tab_active: plain.add_modifier(Modifier::REVERSED.union(BOLD)),
            inserted: plain.add_modifier(Modifier::REVERSED),
            deleted: plain.add_modifier(Modifier::CROSSED_OUT),
            fallback_status: Color::Reset,
            accent: Color::Reset,
        }
    }

    /// The theme a base starts as.
    pub const fn of(base: Base) -> Self {
        match base {
            Base::Dark => Self::dark(),
            Base::Light => Self::light(),
            Base::Mono => Self::mono(),
        }
    }

    /// The style of a role, to override it (`fallback_status` and `accent` are colours: see
    /// `color_mut`).
    pub fn style_mut(&mut self, role: &str) -> Option<&mut Style> {
        Some(match role {
            "app_name" => &mut self.app_name,
            "header" => &mut self.header,
            "badge" => &mut self.badge,
            "paused" => &mut self.paused,
            "spinner" => &mut self.spinner,
            "border" => &mut self.border,
            "border_focused" => &mut self.border_focused,
            "pane_title" => &mut self.pane_title,
            "selected" => &mut self.selected,
            "unseen" => &mut self.unseen,
            "unseen_row" => &mut self.unseen_row,
            "marked" => &mut self.marked,
            "muted" => &mut self.muted,
            "label" => &mut self.label,
            "heading" => &mut self.heading,
            "error" => &mut self.error,
            "warning" => &mut self.warning,
            "success" => &mut self.success,
            "info" => &mut self.info,
            "key" => &mut self.key,
            "input" => &mut self.input,
            "tab_active" => &mut self.tab_active,
            "inserted" => &mut self.inserted,
            "deleted" => &mut self.deleted,
            _ => return None,
        })
    }

    /// The roles that are a colour rather than a style.
    pub fn color_mut(&mut self, role: &str) -> Option<&mut Color> {
        match role {
            "fallback_status" => Some(&mut self.fallback_status),
            "accent" => Some(&mut self.accent),
            _ => None,
        }
    }

    /// A status's own colour, made readable on this theme's background, or the fallback when
    /// it has none the terminal can show. Without colour, none.
    pub fn status_color(&self, status: Option<&Status>) -> Color {
        let background = match self.base {
            Base::Mono => return Color::Reset,
            Base::Dark => contrast::DARK_BACKGROUND,
            Base::Light => contrast::LIGHT_BACKGROUND,
        };
        status.and_then(Status::rgb).map_or(self.fallback_status, |rgb| {
            let (r, g, b) = contrast::readable(rgb, background);
            Color::Rgb(r, g, b)
        })
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
        Self::dark()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_without_a_usable_colour_fall_back() {
        let theme = Theme::dark();
        let mut status = Status::built_ins().remove(0);
        assert_eq!(theme.status_color(Some(&status)), Color::Rgb(0xEF, 0x44, 0x44));
        status.colour = "red".into();
        assert_eq!(theme.status_color(Some(&status)), theme.fallback_status);
        assert_eq!(theme.status_color(None), theme.fallback_status);
        assert_eq!(Theme::mono().status_color(Some(&Status::built_ins().remove(0))), Color::Reset);
    }

    #[test]
    fn every_listed_role_can_be_set_and_no_other() {
        let mut theme = Theme::dark();
        for role in ROLES {
            assert!(theme.style_mut(role).is_some() ^ theme.color_mut(role).is_some(), "{role}");
        }
        assert!(theme.style_mut("nope").is_none() && theme.color_mut("nope").is_none());
    }

    #[test]
    fn without_colour_the_selection_and_badges_still_stand_out() {
        let theme = Theme::mono();
        for style in [theme.selected, theme.badge, theme.paused, theme.tab_active] {
            assert!(style.add_modifier.contains(Modifier::REVERSED), "{style:?}");
            assert_eq!((style.fg, style.bg), (None, None));
        }
    }
}
