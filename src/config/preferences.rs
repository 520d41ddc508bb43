//! The dashboard's preferences from the config file: the `[keys]` tables, the `theme`, the
//! mouse, notifications and the saved `[[views]]`.
//! Read with their positions, so that every mistake is reported at its line and column.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::ConfigError;
use crate::keymap::{Context, Key, Keymap};
use crate::theme::{self, Base, Theme};
use ratatui::style::{Color, Modifier, Style};

/// Which base theme the file asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeChoice {
    #[default]
    Dark,
    Light,
    /// Ask the terminal for its background (falls back to dark when it does not answer).
    Auto,
}

/// One `[theme]` role set by the file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Override {
    Style(String, Style),
    Color(String, Color),
}

/// The theme the file describes, built once the terminal's background is known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThemeSpec {
    pub choice: ThemeChoice,
    overrides: Vec<Override>,
}

impl ThemeSpec {
    /// True when a `[theme]` table changed some role's colour.
    pub fn is_customised(&self) -> bool {
        !self.overrides.is_empty()
    }

    /// The theme: `NO_COLOR` wins over everything; `auto` asks `detect` (only then).
    pub fn build(&self, no_color: bool, detect: impl FnOnce() -> Option<Base>) -> Theme {
        let base = match (no_color, self.choice) {
            (true, _) => Base::Mono,
            (false, ThemeChoice::Dark) => Base::Dark,
            (false, ThemeChoice::Light) => Base::Light,
            (false, ThemeChoice::Auto) => detect().unwrap_or(Base::Dark),
        };
        let mut theme = Theme::of(base);
        if base == Base::Mono {
            return theme;
        }
        for o in &self.overrides {
            match o {
                Override::Style(role, style) => {
                    if let Some(slot) = theme.style_mut(role) {
                        *slot = *style;
                    }
                }
                Override::Color(role, color) => {
                    if let Some(slot) = theme.color_mut(role) {
                        *slot = *color;
                    }
                }
            }
        }
        theme
    }
}

/// How new alerts are announced, if at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NotifyVia {
    #[default]
    Off,
    /// The desktop's notification service where there is one, else the terminal's escape.
    Auto,
    /// Only the terminal's own notification escape (OSC 9 and OSC 777).
    Terminal,
}

/// What the file says about keys, colours, the mouse and notifications.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Preferences {
    pub keymap: Keymap,
    pub theme: ThemeSpec,
    /// Clicks and the wheel (off by default: it takes the terminal's text selection away).
    pub mouse: bool,
    pub notify: NotifyVia,
    /// Only new alerts this filter lets through are announced.
    pub notify_filter: Option<String>,
    /// `[[views]]`: saved filters shown as tabs.
    pub views: Vec<super::SavedView>,
}

impl Preferences {
    /// Reads `[keys]` and `theme` from the text of a config file at `path` (named in errors).
    pub fn parse(text: &str, path: &std::path::Path) -> Result<Self, ConfigError> {
        let fail = |span: Range<usize>, what: String| {
            ConfigError(format!("config file {}, {}: {what}", path.display(), position(text, span.start)))
        };
        let document =
            DeTable::parse(text).map_err(|e| fail(e.span().unwrap_or(0..0), super::redacted(e.message())))?;
        let mut preferences = Self::default();
        for (name, value) in document.get_ref() {
            match name.get_ref().as_ref() {
                "keys" => preferences.keymap = keymap(value, &fail)?,
                "theme" => preferences.theme = theme_spec(value, &fail)?,
                "mouse" => {
                    let on = value.get_ref().as_bool();
                    preferences.mouse = on.ok_or_else(|| fail(value.span(), "mouse is true or false".into()))?;
                }
                "notify" => {
                    preferences.notify = match (value.get_ref().as_bool(), value.get_ref().as_str()) {
                        (Some(false), _) => NotifyVia::Off,
                        (Some(true), _) | (_, Some("auto")) => NotifyVia::Auto,
                        (_, Some("terminal")) => NotifyVia::Terminal,
                        _ => return Err(fail(value.span(), "notify is true, false, \"auto\" or \"terminal\"".into())),
                    };
                }
                "notify_filter" => {
                    let text = value.get_ref().as_str();
                    let what = "notify_filter is a filter such as \"type:transaction\"";
                    let text = text.ok_or_else(|| fail(value.span(), what.into()))?;
                    crate::filter::Query::parse(text, chrono::Utc::now())
                        .map_err(|e| fail(value.span(), format!("notify_filter: {e}")))?;
                    preferences.notify_filter = Some(text.to_owned());
                }
                "views" => preferences.views = super::views::parse(value, &fail)?,
                _ => {}
            }
        }
        Ok(preferences)
    }
}

type Fail<'a> = dyn Fn(Range<usize>, String) -> ConfigError + 'a;

/// "line 3, column 9" for a byte offset into `text`.
pub fn position(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {column}")
}

fn keymap(value: &Spanned<DeValue<'_>>, fail: &Fail<'_>) -> Result<Keymap, ConfigError> {
    let DeValue::Table(table) = value.get_ref() else {
        return Err(fail(
            value.span(),
            "keys must be a table: [keys] then lines like flag = [\"f\", \"ctrl-n\"]".into(),
        ));
    };
    let mut keymap = Keymap::default();
    // Where each (context, action) was bound, to point a clash at the line that made it.
    let mut spans: Vec<(Context, String, Range<usize>)> = Vec::new();
    let mut bind = |keymap: &mut Keymap,
                    context: Context,
                    name: &Spanned<std::borrow::Cow<'_, str>>,
                    keys: &Spanned<DeValue<'_>>| {
        let parsed = key_list(keys, fail)?;
        keymap.bind(context, name.get_ref(), &parsed).map_err(|e| fail(name.span(), e.to_string()))?;
        spans.push((context, name.get_ref().to_string(), name.span()));
        Ok::<_, ConfigError>(())
    };
    for (name, entry) in table {
        let context = Context::ALL.into_iter().find(|c| c.table() == Some(name.get_ref().as_ref()));
        match (context, entry.get_ref()) {
            (Some(context), DeValue::Table(inner)) => {
                for (name, keys) in inner {
                    bind(&mut keymap, context, name, keys)?;
                }
            }
            (Some(_), _) => {
                let what = format!("keys.{} must be a table of actions", name.get_ref());
                return Err(fail(entry.span(), what));
            }
            (None, _) => bind(&mut keymap, Context::Browse, name, entry)?,
        }
    }
    keymap.check().map_err(|clash| {
        let span = spans
            .iter()
            .find(|(context, name, _)| *context == clash.context && clash.actions.iter().any(|a| a.name() == name))
            .map_or(value.span(), |(_, _, span)| span.clone());
        fail(span, clash.to_string())
    })?;
    Ok(keymap)
}

/// `"f"` or `["f", "ctrl-n"]` (an empty list unbinds).
fn key_list(value: &Spanned<DeValue<'_>>, fail: &Fail<'_>) -> Result<Vec<Key>, ConfigError> {
    let one = |v: &Spanned<DeValue<'_>>| match v.get_ref() {
        DeValue::String(s) => Key::parse(s).map_err(|e| fail(v.span(), e.to_string())),
        other => Err(fail(v.span(), format!("a key is a string such as \"ctrl-n\", not {}", other.type_str()))),
    };
    match value.get_ref() {
        DeValue::Array(keys) => keys.into_iter().map(one).collect(),
        _ => one(value).map(|k| vec![k]),
    }
}

/// `theme = "light"`, or a `[theme]` table with `base` and roles.
fn theme_spec(value: &Spanned<DeValue<'_>>, fail: &Fail<'_>) -> Result<ThemeSpec, ConfigError> {
    let choice = |v: &Spanned<DeValue<'_>>| match v.get_ref().as_str() {
        Some("dark") => Ok(ThemeChoice::Dark),
        Some("light") => Ok(ThemeChoice::Light),
        Some("auto") => Ok(ThemeChoice::Auto),
        _ => Err(fail(v.span(), "theme must be \"dark\", \"light\" or \"auto\"".into())),
    };
    let DeValue::Table(table) = value.get_ref() else {
        return Ok(ThemeSpec { choice: choice(value)?, overrides: Vec::new() });
    };
    let mut spec = ThemeSpec::default();
    for (name, entry) in table {
        let role = name.get_ref().as_ref();
        if role == "base" {
            spec.choice = choice(entry)?;
            continue;
        }
        let mut probe = Theme::dark();
        let o = if probe.color_mut(role).is_some() {
            Override::Color(role.to_owned(), color(entry, fail)?)
        } else if probe.style_mut(role).is_some() {
            Override::Style(role.to_owned(), style(entry, fail)?)
        } else {
            let what = format!("[theme] has no role {role:?}; it has base and: {}", theme::ROLES.join(", "));
            return Err(fail(name.span(), what));
        };
        spec.overrides.push(o);
    }
    Ok(spec)
}

fn color(value: &Spanned<DeValue<'_>>, fail: &Fail<'_>) -> Result<Color, ConfigError> {
    let bad =
        || fail(value.span(), "a colour is \"#rrggbb\", a name such as \"red\" or \"light-blue\", or 0-255".into());
    match value.get_ref() {
        DeValue::String(s) => s.parse::<Color>().map_err(|_| bad()),
        DeValue::Integer(i) => i.as_str().parse::<u8>().map(Color::Indexed).map_err(|_| bad()),
        _ => Err(bad()),
    }
}

/// A colour (the text's), or `{ fg = ..., bg = ..., bold = true, ... }`.
fn style(value: &Spanned<DeValue<'_>>, fail: &Fail<'_>) -> Result<Style, ConfigError> {
    let DeValue::Table(table) = value.get_ref() else { return Ok(Style::new().fg(color(value, fail)?)) };
    let mut style = Style::new();
    for (name, entry) in table {
        let modifier = match name.get_ref().as_ref() {
            "fg" => {
                style = style.fg(color(entry, fail)?);
                continue;
            }
            "bg" => {
                style = style.bg(color(entry, fail)?);
                continue;
            }
            "bold" => Modifier::BOLD,
            "dim" => Modifier::DIM,
            "italic" => Modifier::ITALIC,
            "underlined" => Modifier::UNDERLINED,
            "reversed" => Modifier::REVERSED,
            other => {
                let what = format!("a style has no {other:?}: use fg, bg, bold, dim, italic, underlined, reversed");
                return Err(fail(name.span(), what));
            }
        };
        match entry.get_ref().as_bool() {
            Some(true) => style = style.add_modifier(modifier),
            Some(false) => style = style.remove_modifier(modifier),
            None => return Err(fail(entry.span(), format!("{} is true or false", name.get_ref()))),
        }
    }
    Ok(style)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::keymap::Action;

    fn parse(text: &str) -> Result<Preferences, String> {
        Preferences::parse(text, Path::new("/c.toml")).map_err(|e| e.0)
    }

    #[test]
    fn keys_and_context_tables_remap_actions() {
        let prefs = parse(
            "[keys]\nflag = [\"n\", \"ctrl-n\"]\nhelp = \"F1\"\n[keys.form]\nsubmit = [\"ctrl-enter\", \"ctrl-s\"]\n",
        )
        .expect("valid");
        let map = &prefs.keymap;
        let typed = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(map.resolve(Context::Browse, &typed('n')), Some(Action::Flag));
        assert_eq!(map.resolve(Context::Browse, &typed('f')), None);
        assert_eq!(map.key_for(Context::Browse, Action::Help), "F1");
        assert_eq!(map.key_for(Context::Form, Action::Submit), "Ctrl-Enter");
    }

    #[test]
    fn key_mistakes_name_the_line_and_column() {
        let err = parse("api_url = \"https://x\"\n[keys]\nflag = [\"f\", \"hyper-x\"]\n").expect_err("bad key");
        assert!(err.starts_with("config file /c.toml, line 3, column 14: \"hyper-x\" is not a key"), "{err}");
        let err = parse("[keys]\nflog = \"x\"\n").expect_err("bad action");
        assert!(err.contains("line 2, column 1: [keys] has no action \"flog\""), "{err}");
        let err = parse("[keys]\nrefresh = \"e\"\n").expect_err("clash");
        assert!(err.contains("line 2, column 1: e is bound to both edit and refresh in [keys]"), "{err}");
        let err = parse("[keys.picker]\nsubmit = \"y\"\n").expect_err("types text");
        assert!(err.contains("line 2, column 1: y cannot be bound in [keys.picker]"), "{err}");
        let err = parse("[keys]\nquit = 3\n").expect_err("not a string");
        assert!(err.contains("line 2, column 8: a key is a string"), "{err}");
    }

    #[test]
    fn a_theme_is_a_name_or_a_table_of_roles() {
        assert_eq!(parse("theme = \"light\"").expect("valid").theme.choice, ThemeChoice::Light);
        let prefs = parse(
            "[theme]\nbase = \"auto\"\nselected = { bg = \"#334455\", bold = false }\naccent = \"red\"\nkey = 208\n",
        )
        .expect("valid");
        assert_eq!(prefs.theme.choice, ThemeChoice::Auto);
        let theme = prefs.theme.build(false, || Some(Base::Light));
        assert_eq!(theme.base, Base::Light);
        assert_eq!(theme.selected, Style::new().bg(Color::Rgb(0x33, 0x44, 0x55)).remove_modifier(Modifier::BOLD));
        assert_eq!(theme.accent, Color::Red);
        assert_eq!(theme.key, Style::new().fg(Color::Indexed(208)));
        assert_eq!(prefs.theme.build(true, || panic!("not asked")), Theme::mono(), "NO_COLOR wins");
        assert_eq!(ThemeSpec::default().build(false, || panic!("not asked")), Theme::dark());
    }

    #[test]
    fn theme_mistakes_name_the_line_and_column() {
        let err = parse("theme = \"blue\"").expect_err("bad base");
        assert!(err.contains("line 1, column 9: theme must be"), "{err}");
        let err = parse("[theme]\nselectd = \"red\"").expect_err("bad role");
        assert!(err.contains("line 2, column 1: [theme] has no role \"selectd\""), "{err}");
        let err = parse("[theme]\nerror = \"#12345\"").expect_err("bad colour");
        assert!(err.contains("line 2, column 9: a colour is"), "{err}");
        let err = parse("[theme]\nerror = { blink = true }").expect_err("bad modifier");
        assert!(err.contains("line 2, column 11: a style has no \"blink\""), "{err}");
    }

    #[test]
    fn mouse_and_notifications_are_opt_in_and_checked() {
        let prefs = parse("").expect("valid");
        assert!(!prefs.mouse && prefs.notify == NotifyVia::Off);
        let prefs = parse("mouse = true\nnotify = true\nnotify_filter = \"type:transaction\"").expect("valid");
        assert!(prefs.mouse && prefs.notify == NotifyVia::Auto);
        assert_eq!(prefs.notify_filter.as_deref(), Some("type:transaction"));
        assert_eq!(parse("notify = \"terminal\"").expect("valid").notify, NotifyVia::Terminal);
        let err = parse("mouse = \"yes\"").expect_err("not a bool");
        assert!(err.contains("line 1, column 9: mouse is true or false"), "{err}");
        let err = parse("notify = 3").expect_err("not a way");
        assert!(err.contains("line 1, column 10: notify is true, false"), "{err}");
    }

    #[test]
    fn a_syntax_error_is_placed_and_never_quotes_a_value() {
        let err = parse("api_key = \"blnk_canary_secret\nflag = 1").expect_err("unterminated");
        assert!(err.contains("line 1"), "{err}");
        assert!(!err.contains("canary"), "{err}");
    }
}
