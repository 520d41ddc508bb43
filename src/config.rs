//! Settings and where each came from: command-line flags, then the environment, then the TOML
//! config file, then defaults. The API key lives in a secret type and never on a command line.

mod preferences;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;
use serde::Deserialize;

pub use preferences::{Preferences, ThemeChoice, ThemeSpec, position};

/// The hosted Blnk Cloud API.
pub const DEFAULT_API_URL: &str = "https://api.cloud.blnkfinance.com";
pub const ENV_API_URL: &str = "BLNK_API_URL";
pub const ENV_API_KEY: &str = "BLNK_API_KEY";
/// The most the streamed alert list may weigh: about 6 million alerts. The list is never held
/// whole, so this bounds a runaway answer, not memory.
pub const DEFAULT_MAX_BODY_MIB: u64 = 4096;
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// A secret API key: its `Debug` and `Display` never show it; only `expose` does, for the header.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Option<Self> {
        let key = key.into().trim().to_owned();
        (!key.is_empty()).then_some(Self(key))
    }

    /// A fresh random key, as `serve` mints when none is configured.
    pub fn generate() -> Self {
        Self(format!("blnk_{}", uuid::Uuid::new_v4().simple()))
    }

    /// The key itself: only for the `Authorization` header and the server's comparison.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The key masked to its last four characters (none at all for a short key).
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() < 12 {
            return "****".to_owned();
        }
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("****{tail}")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// Where a setting's value came from, as `blnk-alerts config` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag(&'static str),
    Env(&'static str),
    File(PathBuf),
    Default,
    Demo,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flag(name) => write!(f, "flag {name}"),
            Self::Env(name) => write!(f, "environment {name}"),
            Self::File(path) => write!(f, "config file {}", path.display()),
            Self::Default => f.write_str("default"),
            Self::Demo => f.write_str("built-in demo server"),
        }
    }
}

/// A value and its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

/// Everything the client needs to reach the API.
#[derive(Debug, Clone)]
pub struct Config {
    pub api_url: Setting<Url>,
    pub api_key: Option<Setting<ApiKey>>,
    pub timeout: Setting<Duration>,
    pub max_body_bytes: Setting<u64>,
    /// The file that was read, or the one that would be.
    pub file: Option<PathBuf>,
}

/// What the command line says about configuration.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub api_url: Option<String>,
    pub config_file: Option<PathBuf>,
    pub timeout_secs: Option<u64>,
}

/// The config file's contents; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    api_url: Option<String>,
    api_key: Option<String>,
    timeout_secs: Option<u64>,
    max_body_mib: Option<u64>,
    /// Read with their positions by `Preferences`; only accepted here.
    #[serde(rename = "keys")]
    _keys: Option<serde::de::IgnoredAny>,
    #[serde(rename = "theme")]
    _theme: Option<serde::de::IgnoredAny>,
}

/// A configuration problem, said so that the user knows what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// The default config file: `$XDG_CONFIG_HOME/blnk-alerts/config.toml`.
pub fn default_config_file() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("blnk-alerts").join("config.toml"))
}

impl Config {
    /// Reads the configuration from flags, the environment (through `env`) and the config file.
    pub fn load(flags: &Flags, env: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let file = flags.config_file.clone().or_else(default_config_file);
        let explicit_file = flags.config_file.is_some();
        let contents = match &file {
            Some(path) => read_config_file(path, explicit_file)?,
            None => FileConfig::default(),
        };
        let file_source = || Source::File(file.clone().unwrap_or_default());

        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let (url, url_source) = if let Some(url) = &flags.api_url {
            (url.clone(), Source::Flag("--api-url"))
        } else if let Some(url) = env(ENV_API_URL) {
            (url, Source::Env(ENV_API_URL))
        } else if let Some(url) = contents.api_url {
            (url, file_source())
        } else {
            (DEFAULT_API_URL.to_owned(), Source::Default)
        };
        let api_url = Setting { value: parse_api_url(&url)?, source: url_source };

        let api_key = if let Some(key) = env(ENV_API_KEY).and_then(ApiKey::new) {
            Some(Setting { value: key, source: Source::Env(ENV_API_KEY) })
        } else {
            contents.api_key.and_then(ApiKey::new).map(|value| Setting { value, source: file_source() })
        };

        let timeout = match (flags.timeout_secs, contents.timeout_secs) {
            (Some(s), _) => Setting { value: s, source: Source::Flag("--timeout") },
            (None, Some(s)) => Setting { value: s, source: file_source() },
            (None, None) => Setting { value: DEFAULT_TIMEOUT_SECS, source: Source::Default },
        };
        if !(1..=300).contains(&timeout.value) {
            return Err(ConfigError(format!("timeout of {} s is out of range: use 1 to 300 seconds", timeout.value)));
        }
        let max_body_bytes = match contents.max_body_mib {
            Some(0) => return Err(ConfigError("max_body_mib must be at least 1".into())),
            Some(mib) => Setting { value: mib.saturating_mul(1 << 20), source: file_source() },
            None => Setting { value: DEFAULT_MAX_BODY_MIB << 20, source: Source::Default },
        };

        Ok(Self {
            api_url,
            api_key,
            timeout: Setting { value: Duration::from_secs(timeout.value), source: timeout.source },
            max_body_bytes,
            file,
        })
    }

    /// A configuration for a server we started ourselves (`--demo`, tests).
    pub fn local(url: Url, key: ApiKey) -> Self {
        Self {
            api_url: Setting { value: url, source: Source::Demo },
            api_key: Some(Setting { value: key, source: Source::Demo }),
            timeout: Setting { value: Duration::from_secs(DEFAULT_TIMEOUT_SECS), source: Source::Default },
            max_body_bytes: Setting { value: DEFAULT_MAX_BODY_MIB << 20, source: Source::Default },
            file: None,
        }
    }
}

/// Reads the keys and colours from the config file the flags name (or the default one).
pub fn load_preferences(flags: &Flags) -> Result<Preferences, ConfigError> {
    let Some(path) = flags.config_file.clone().or_else(default_config_file) else { return Ok(Preferences::default()) };
    match read_text(&path, flags.config_file.is_some())? {
        Some(text) => Preferences::parse(&text, &path),
        None => Ok(Preferences::default()),
    }
}

/// The file's text; `None` when the default file does not exist (a named one must).
fn read_text(path: &Path, explicit: bool) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Ok(None),
        Err(e) => Err(ConfigError(format!("cannot read config file {}: {e}", path.display()))),
    }
}

/// A parser's message with every quoted value replaced by `"…"`: the value may be the key.
fn redacted(message: &str) -> String {
    let mut out = String::new();
    let mut parts = message.split('"');
    out.push_str(parts.next().unwrap_or_default());
    for (i, part) in parts.enumerate() {
        out.push('"');
        out.push_str(if i % 2 == 0 { "…" } else { part });
    }
    out.trim().to_owned()
}

fn read_config_file(path: &Path, explicit: bool) -> Result<FileConfig, ConfigError> {
    let Some(text) = read_text(path, explicit)? else { return Ok(FileConfig::default()) };
    let contents: FileConfig = toml::from_str(&text).map_err(|e| {
        let at = e.span().map(|s| format!(", {}", position(&text, s.start))).unwrap_or_default();
        ConfigError(format!("config file {}{at}: {}", path.display(), redacted(e.message())))
    })?;
    if contents.api_key.is_some() {
        check_owner_only(path)?;
    }
    Ok(contents)
}

/// A file holding the key must be readable by its owner alone.
fn check_owner_only(path: &Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|e| ConfigError(format!("cannot inspect {}: {e}", path.display())))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(ConfigError(format!(
            "config file {} holds an API key but is readable by others (mode {mode:o}); run: chmod 600 {}",
            path.display(),
            path.display()
        )));
    }
    Ok(())
}

/// True for `localhost` and loopback addresses, the only hosts plain HTTP may reach.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Parses a base URL: https anywhere, http only on loopback, no credentials, query or fragment.
pub fn parse_api_url(raw: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(raw.trim())
        .map_err(|e| ConfigError(format!("API URL {raw:?} is not a URL ({e}); e.g. {DEFAULT_API_URL}")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(ConfigError(format!(
                "refusing plain http to {}: the API key would travel unencrypted; use https (http is allowed only for localhost)",
                url.host_str().unwrap_or("?")
            )));
        }
        other => return Err(ConfigError(format!("API URL scheme {other:?} is not supported: use https"))),
    }
    if url.host().is_none() || !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError("API URL must name a host and carry no user or password".into()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError("API URL must not have a query or fragment".into()));
    }
    Ok(url)
}
