//! The config file as written: its text, read once, and the settings decoded from it (every key
//! optional, unknown keys refused at their line). A file that holds a key, or a command that
//! prints one, must be readable by its owner alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{ConfigError, Flags, Preferences, position};

/// The config file the flags name (or the default one), and its text when it exists.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The file that was read, or the one that would be; `None` without a config directory.
    pub path: Option<PathBuf>,
    text: Option<String>,
}

impl Document {
    /// Reads the file; a missing default file is an empty document, a missing named one an error.
    pub fn read(flags: &Flags) -> Result<Self, ConfigError> {
        let path = flags.config_file.clone().or_else(super::default_config_file);
        let text = match &path {
            Some(path) => match std::fs::read_to_string(path) {
                Ok(text) => Some(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && flags.config_file.is_none() => None,
                Err(e) => return Err(ConfigError(format!("cannot read config file {}: {e}", path.display()))),
            },
            None => None,
        };
        Ok(Self { path, text })
    }

    /// A document with this text, as if read from `path`.
    pub fn from_text(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Self { path: Some(path.into()), text: Some(text.into()) }
    }

    pub fn exists(&self) -> bool {
        self.text.is_some()
    }

    fn shown_path(&self) -> String {
        self.path.as_deref().map_or_else(|| "(none)".to_owned(), |p| p.display().to_string())
    }

    /// The settings in the file, checked: types, unknown keys and the owner-only rule.
    pub(super) fn settings(&self) -> Result<FileConfig, ConfigError> {
        let Some(text) = &self.text else { return Ok(FileConfig::default()) };
        let contents: FileConfig = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| format!(", {}", position(text, s.start))).unwrap_or_default();
            ConfigError(format!("config file {}{at}: {}", self.shown_path(), super::redacted(e.message())))
        })?;
        if contents.holds_a_secret()
            && let Some(path) = &self.path
        {
            check_owner_only(path)?;
        }
        Ok(contents)
    }

    /// The keys and colours in the file.
    pub fn preferences(&self) -> Result<Preferences, ConfigError> {
        match &self.text {
            Some(text) => Preferences::parse(text, self.path.as_deref().unwrap_or(Path::new("(none)"))),
            None => Ok(Preferences::default()),
        }
    }

    /// "config file P, line L, column C: what" for a span of the file's text.
    pub(super) fn at(&self, span: &std::ops::Range<usize>, what: &str) -> ConfigError {
        let at = self.text.as_deref().map(|t| format!(", {}", position(t, span.start))).unwrap_or_default();
        ConfigError(format!("config file {}{at}: {what}", self.shown_path()))
    }
}

/// One name, or several: `me = "Ada"` or `me = ["Ada", "usr_12"]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(super) fn values(&self) -> Vec<String> {
        let all = match self {
            Self::One(one) => std::slice::from_ref(one),
            Self::Many(many) => many.as_slice(),
        };
        all.iter().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).collect()
    }
}

/// What an account says: a profile's table, or the top level of the file (which applies when
/// no profile does, and beneath the one that does).
#[derive(Debug, Clone, Default)]
pub(super) struct Account {
    pub api_url: Option<String>,
    pub api_key: Option<String>,
    pub api_key_command: Option<Spanned<Vec<String>>>,
    pub me: Option<OneOrMany>,
    pub read_only: Option<bool>,
    pub instance_id: Option<String>,
    pub web_url: Option<String>,
    pub ca_cert: Option<String>,
    pub timeout_secs: Option<u64>,
}

impl Account {
    fn holds_a_secret(&self) -> bool {
        self.api_key.is_some() || self.api_key_command.is_some()
    }
}

/// A `[profiles.NAME]` table: an account and the colour the header shows it in. (serde cannot
/// refuse unknown keys through a flattened struct, so the account's keys are spelled out here and
/// at the top level alike.)
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Profile {
    api_url: Option<String>,
    api_key: Option<String>,
    api_key_command: Option<Spanned<Vec<String>>>,
    me: Option<OneOrMany>,
    read_only: Option<bool>,
    instance_id: Option<String>,
    web_url: Option<String>,
    ca_cert: Option<String>,
    timeout_secs: Option<u64>,
    #[serde(alias = "color")]
    pub colour: Option<Spanned<String>>,
}

impl Profile {
    pub(super) fn account(&self) -> Account {
        Account {
            api_url: self.api_url.clone(),
            api_key: self.api_key.clone(),
            api_key_command: self.api_key_command.clone(),
            me: self.me.clone(),
            read_only: self.read_only,
            instance_id: self.instance_id.clone(),
            web_url: self.web_url.clone(),
            ca_cert: self.ca_cert.clone(),
            timeout_secs: self.timeout_secs,
        }
    }
}

/// The config file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileConfig {
    api_url: Option<String>,
    api_key: Option<String>,
    api_key_command: Option<Spanned<Vec<String>>>,
    me: Option<OneOrMany>,
    read_only: Option<bool>,
    instance_id: Option<String>,
    web_url: Option<String>,
    ca_cert: Option<String>,
    timeout_secs: Option<u64>,
    pub max_body_mib: Option<u64>,
    pub default_profile: Option<Spanned<String>>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Spanned<Profile>>,
    /// Read with their positions by `Preferences`; only accepted here.
    #[serde(rename = "keys")]
    _keys: Option<serde::de::IgnoredAny>,
    #[serde(rename = "theme")]
    _theme: Option<serde::de::IgnoredAny>,
    #[serde(rename = "mouse")]
    _mouse: Option<serde::de::IgnoredAny>,
    #[serde(rename = "notify")]
    _notify: Option<serde::de::IgnoredAny>,
    #[serde(rename = "notify_filter")]
    _notify_filter: Option<serde::de::IgnoredAny>,
    #[serde(rename = "views")]
    _views: Option<serde::de::IgnoredAny>,
}

impl FileConfig {
    /// The top level's account settings.
    pub(super) fn account(&self) -> Account {
        Account {
            api_url: self.api_url.clone(),
            api_key: self.api_key.clone(),
            api_key_command: self.api_key_command.clone(),
            me: self.me.clone(),
            read_only: self.read_only,
            instance_id: self.instance_id.clone(),
            web_url: self.web_url.clone(),
            ca_cert: self.ca_cert.clone(),
            timeout_secs: self.timeout_secs,
        }
    }

    fn holds_a_secret(&self) -> bool {
        self.account().holds_a_secret() || self.profiles.values().any(|p| p.get_ref().account().holds_a_secret())
    }
}

/// A file holding a key (or a command that prints one) must be readable by its owner alone.
fn check_owner_only(path: &Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|e| ConfigError(format!("cannot inspect {}: {e}", path.display())))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(ConfigError(format!(
            "config file {} holds an API key (or a command for one) but is readable by others (mode {mode:o}); run: chmod 600 {}",
            path.display(),
            path.display()
        )));
    }
    Ok(())
}
