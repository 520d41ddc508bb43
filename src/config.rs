//! Settings and where each came from: command-line flags, then the environment, then the
//! profile in use, then the top level of the TOML config file, then defaults. The API key lives
//! in a secret type and never on a command line.

mod file;
mod key_command;
mod preferences;
mod profiles;
mod views;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ratatui::style::Color;
use reqwest::Url;

use file::Account;
pub use file::Document;
pub use preferences::{NotifyVia, Preferences, ThemeChoice, ThemeSpec, position};
pub use profiles::valid_profile_name;
use profiles::{check_key_goes_where_it_belongs, choose_profile};
pub use views::{Saved, SavedView, ViewTab, check_name as check_view_name, save as save_view};

/// The hosted Blnk Cloud API.
pub const DEFAULT_API_URL: &str = "https://api.cloud.blnkfinance.com";
pub const ENV_API_URL: &str = "BLNK_API_URL";
pub const ENV_API_KEY: &str = "BLNK_API_KEY";
pub const ENV_PROFILE: &str = "BLNK_PROFILE";
pub const ENV_ME: &str = "BLNK_ME";
pub const ENV_INSTANCE_ID: &str = "BLNK_INSTANCE_ID";
pub const ENV_WEB_URL: &str = "BLNK_WEB_URL";
/// A PEM file of certificates to trust besides the system's (a team server's own CA).
pub const ENV_CA_CERT: &str = "BLNK_CA_CERT";
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
    Profile(String),
    Default,
    Demo,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flag(name) => write!(f, "flag {name}"),
            Self::Env(name) => write!(f, "environment {name}"),
            Self::File(path) => write!(f, "config file {}", path.display()),
            Self::Profile(name) => write!(f, "profile {name}"),
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

/// The profile in use: its name and the colour the header shows it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileName {
    pub name: String,
    pub colour: Option<Color>,
}

/// Everything the client needs to reach the API, and who is using it.
#[derive(Debug, Clone)]
pub struct Config {
    pub api_url: Setting<Url>,
    /// The key, once known: from the environment or the file, or printed by `api_key_command`
    /// when [`Config::run_key_command`] ran it.
    pub api_key: Option<Setting<ApiKey>>,
    /// A command that prints the key, not yet run (`config` shows it without running it).
    pub api_key_command: Option<Setting<Vec<String>>>,
    pub timeout: Setting<Duration>,
    pub max_body_bytes: Setting<u64>,
    /// The profile in use, and where that choice came from.
    pub profile: Option<Setting<ProfileName>>,
    /// Every profile the file defines, in name order.
    pub profiles: Vec<String>,
    /// Nothing may be changed through this account (a monitoring profile).
    pub read_only: Setting<bool>,
    /// The names or user ids Blnk puts in `assigned_to` for the person using the tool.
    pub me: Option<Setting<Vec<String>>>,
    /// The Blnk Cloud instance whose Data API serves the flagged entities.
    pub instance_id: Option<Setting<String>>,
    /// Where the web dashboard shows an alert: a URL with `{id}` where its id goes.
    pub web_url: Option<Setting<String>>,
    /// Certificates (PEM) trusted besides the system's, e.g. a self-signed `serve --tls-cert`.
    pub ca_cert: Option<Setting<PathBuf>>,
    /// The file that was read, or the one that would be.
    pub file: Option<PathBuf>,
}

/// What the command line says about configuration.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub api_url: Option<String>,
    pub config_file: Option<PathBuf>,
    pub timeout_secs: Option<u64>,
    pub profile: Option<String>,
    pub me: Option<String>,
    pub instance_id: Option<String>,
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
        Self::from_document(&Document::read(flags)?, flags, env)
    }

    /// The configuration from flags, the environment and an already read config file.
    pub fn from_document(
        document: &Document,
        flags: &Flags,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let contents = document.settings()?;
        let file_source = Source::File(document.path.clone().unwrap_or_default());
        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());

        let profile = choose_profile(document, &contents, flags, &env)?;
        let mut layers: Vec<(Account, Source)> = Vec::new();
        if let Some(chosen) = &profile {
            let table = &contents.profiles[&chosen.value.name];
            layers.push((table.get_ref().account(), Source::Profile(chosen.value.name.clone())));
        }
        layers.push((contents.account(), file_source.clone()));
        // The first layer (profile, then top level) that sets a value gives it.
        let first = |pick: fn(&Account) -> bool| layers.iter().find(|(a, _)| pick(a));

        let (url, url_source) = if let Some(url) = &flags.api_url {
            (url.clone(), Source::Flag("--api-url"))
        } else if let Some(url) = env(ENV_API_URL) {
            (url, Source::Env(ENV_API_URL))
        } else if let Some((account, source)) = first(|a| a.api_url.is_some()) {
            (account.api_url.clone().unwrap_or_default(), source.clone())
        } else {
            (DEFAULT_API_URL.to_owned(), Source::Default)
        };
        let api_url = Setting { value: parse_api_url(&url)?, source: url_source };

        let (api_key, api_key_command) = choose_key(document, &env, &layers)?;

        check_key_goes_where_it_belongs(
            api_key.as_ref().map(|k| &k.source).or(api_key_command.as_ref().map(|c| &c.source)),
            &api_url.source,
        )?;

        let timeout = if let Some(s) = flags.timeout_secs {
            Setting { value: s, source: Source::Flag("--timeout") }
        } else if let Some((account, source)) = first(|a| a.timeout_secs.is_some()) {
            Setting { value: account.timeout_secs.unwrap_or_default(), source: source.clone() }
        } else {
            Setting { value: DEFAULT_TIMEOUT_SECS, source: Source::Default }
        };
        if !(1..=300).contains(&timeout.value) {
            return Err(ConfigError(format!("timeout of {} s is out of range: use 1 to 300 seconds", timeout.value)));
        }
        let max_body_bytes = match contents.max_body_mib {
            Some(0) => return Err(ConfigError("max_body_mib must be at least 1".into())),
            Some(mib) => Setting { value: mib.saturating_mul(1 << 20), source: file_source.clone() },
            None => Setting { value: DEFAULT_MAX_BODY_MIB << 20, source: Source::Default },
        };
        let read_only = match first(|a| a.read_only.is_some()) {
            Some((account, source)) => Setting { value: account.read_only.unwrap_or_default(), source: source.clone() },
            None => Setting { value: false, source: Source::Default },
        };
        let given = |flag: Option<&String>, flag_name: &'static str, env_name: &'static str| {
            flag.map(|v| (v.clone(), Source::Flag(flag_name)))
                .or_else(|| env(env_name).map(|v| (v, Source::Env(env_name))))
        };
        let me = layered(given(flags.me.as_ref(), "--me", ENV_ME), split_names, &layers, |a| {
            a.me.as_ref().map(file::OneOrMany::values)
        })
        .filter(|m| !m.value.is_empty());
        let trimmed = |raw: &str| raw.trim().to_owned();
        let instance_id =
            layered(given(flags.instance_id.as_ref(), "--instance", ENV_INSTANCE_ID), trimmed, &layers, |a| {
                a.instance_id.as_deref().map(trimmed)
            })
            .filter(|i| !i.value.is_empty());
        let web_url = layered(given(None, "", ENV_WEB_URL), trimmed, &layers, |a| a.web_url.as_deref().map(trimmed));
        if let Some(url) = &web_url {
            check_web_url(&url.value).map_err(|why| ConfigError(format!("web_url ({}): {why}", url.source)))?;
        }

        // A relative path in the file is taken from the file's directory, as it was written there.
        let beside_file = |raw: &str| match &document.path {
            Some(file) => file.parent().unwrap_or(Path::new(".")).join(raw.trim()),
            None => PathBuf::from(raw.trim()),
        };
        let ca_cert = layered(
            given(None, "", ENV_CA_CERT),
            |raw| PathBuf::from(raw.trim()),
            &layers,
            |a| a.ca_cert.as_deref().map(beside_file),
        );

        Ok(Self {
            api_url,
            api_key,
            api_key_command,
            timeout: Setting { value: Duration::from_secs(timeout.value), source: timeout.source },
            max_body_bytes,
            profile,
            profiles: contents.profiles.keys().cloned().collect(),
            read_only,
            me,
            instance_id,
            web_url,
            ca_cert,
            file: document.path.clone(),
        })
    }

    /// The settings that do not come from the file: what `config` can still show when the file
    /// is broken.
    pub fn without_file(flags: &Flags, env: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        // No file, so no profile either, whatever --profile or BLNK_PROFILE ask for.
        let env = |name: &str| if name == ENV_PROFILE { None } else { env(name) };
        let mut config = Self::from_document(&Document::default(), &Flags { profile: None, ..flags.clone() }, env)?;
        config.file = flags.config_file.clone().or_else(default_config_file);
        Ok(config)
    }

    /// Runs `api_key_command`, if that is where the key comes from, and keeps the key it prints.
    pub fn run_key_command(&mut self) -> Result<(), ConfigError> {
        if let Some(command) = self.api_key_command.take() {
            let key = key_command::run(&command.value)?;
            self.api_key = Some(Setting { value: key, source: command.source });
        }
        Ok(())
    }

    /// A configuration for a server we started ourselves (`--demo`, tests).
    pub fn local(url: Url, key: ApiKey) -> Self {
        Self {
            api_url: Setting { value: url, source: Source::Demo },
            api_key: Some(Setting { value: key, source: Source::Demo }),
            api_key_command: None,
            timeout: Setting { value: Duration::from_secs(DEFAULT_TIMEOUT_SECS), source: Source::Default },
            max_body_bytes: Setting { value: DEFAULT_MAX_BODY_MIB << 20, source: Source::Default },
            profile: None,
            profiles: Vec::new(),
            read_only: Setting { value: false, source: Source::Default },
            me: None,
            instance_id: None,
            web_url: None,
            ca_cert: None,
            file: None,
        }
    }
}

/// The key, or the command (program and arguments) that prints it.
type KeySettings = (Option<Setting<ApiKey>>, Option<Setting<Vec<String>>>);

/// The key, from the environment or the first account layer that gives one (or a command that
/// prints it, not run yet).
fn choose_key(
    document: &Document,
    env: &impl Fn(&str) -> Option<String>,
    layers: &[(Account, Source)],
) -> Result<KeySettings, ConfigError> {
    let (mut api_key, mut api_key_command) = (None, None);
    if let Some(key) = env(ENV_API_KEY).and_then(ApiKey::new) {
        api_key = Some(Setting { value: key, source: Source::Env(ENV_API_KEY) });
    } else if let Some((account, source)) =
        layers.iter().find(|(a, _)| a.api_key.is_some() || a.api_key_command.is_some())
    {
        match (&account.api_key, &account.api_key_command) {
            (Some(_), Some(command)) => {
                return Err(document.at(&command.span(), "give api_key or api_key_command, not both"));
            }
            (Some(key), None) => {
                api_key = ApiKey::new(key.clone()).map(|value| Setting { value, source: source.clone() });
            }
            (None, Some(command)) => {
                if command.get_ref().first().is_none_or(|p| p.trim().is_empty()) {
                    let what = "api_key_command is empty: give the program and its arguments, e.g. [\"pass\", \"show\", \"blnk/prod\"]";
                    return Err(document.at(&command.span(), what));
                }
                api_key_command = Some(Setting { value: command.get_ref().clone(), source: source.clone() });
            }
            (None, None) => {}
        }
    }
    Ok((api_key, api_key_command))
}

/// A setting from the flag or the environment (`given`, read by `read`), else from the first
/// account layer (profile, then top level) that sets it.
fn layered<T>(
    given: Option<(String, Source)>,
    read: impl Fn(&str) -> T,
    layers: &[(Account, Source)],
    pick: impl Fn(&Account) -> Option<T>,
) -> Option<Setting<T>> {
    if let Some((raw, source)) = given {
        return Some(Setting { value: read(&raw), source });
    }
    layers.iter().find_map(|(account, source)| pick(account).map(|value| Setting { value, source: source.clone() }))
}

/// A web dashboard URL template is http(s) and says where the alert's id goes.
fn check_web_url(template: &str) -> Result<(), String> {
    if !template.contains("{id}") {
        return Err(format!(
            "{template:?} has no {{id}}: write where the alert id goes, e.g. https://cloud.example.com/anomalies/{{id}}"
        ));
    }
    match Url::parse(&template.replace("{id}", "ano_x")) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(()),
        Ok(url) => Err(format!("{template:?} is a {} URL: use http or https", url.scheme())),
        Err(e) => Err(format!("{template:?} is not a URL: {e}")),
    }
}

/// `--me "Ada Okafor, usr_12"`: names separated by commas.
fn split_names(raw: &str) -> Vec<String> {
    raw.split(',').map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned).collect()
}

/// The directory kept state lives in: `$XDG_STATE_HOME/blnk-alerts`, and for a profile its own
/// `profiles/NAME` below that, so drafts (and what else is kept) never cross accounts.
pub fn state_dir(profile: Option<&str>) -> Option<PathBuf> {
    let base = dirs::state_dir()?.join("blnk-alerts");
    Some(match profile {
        Some(name) if valid_profile_name(name) => base.join("profiles").join(name),
        _ => base,
    })
}

/// A parser's message with every quoted value replaced by `"…"`: the value may be the key.
pub(crate) fn redacted(message: &str) -> String {
    let mut out = String::new();
    let mut parts = message.split('"');
    out.push_str(parts.next().unwrap_or_default());
    for (i, part) in parts.enumerate() {
        out.push('"');
        out.push_str(if i % 2 == 0 { "…" } else { part });
    }
    out.trim().to_owned()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let document = Document::from_text("/nowhere/config.toml", text);
        let flags = Flags { profile: Some("ops".into()), ..Flags::default() };
        Config::from_document(&document, &flags, |name| {
            env.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn web_url_comes_from_the_environment_then_the_profile_then_the_top_level_and_needs_an_id() {
        let text =
            "web_url = \"https://top.example/a/{id}\"\n[profiles.ops]\nweb_url = \" https://ops.example/a/{id} \"\n";
        let from_profile = load(text, &[]).expect("loads").web_url.expect("set");
        assert_eq!(from_profile.value, "https://ops.example/a/{id}", "the profile's, trimmed");
        let from_env = load(text, &[(ENV_WEB_URL, "http://127.0.0.1:3000/{id}")]).expect("loads").web_url;
        assert_eq!(from_env.map(|u| u.value).as_deref(), Some("http://127.0.0.1:3000/{id}"));
        assert!(load("[profiles.ops]\n", &[]).expect("loads").web_url.is_none(), "no guessed default");

        let no_id = load("web_url = \"https://x.example/alerts\"\n[profiles.ops]\n", &[]).expect_err("refused");
        assert!(no_id.0.contains("has no {id}"), "{no_id}");
        let scheme = load("[profiles.ops]\n", &[(ENV_WEB_URL, "javascript:alert({id})")]).expect_err("refused");
        assert!(scheme.0.contains("use http or https") && scheme.0.contains(ENV_WEB_URL), "{scheme}");
    }

    #[test]
    fn ca_cert_is_taken_beside_the_config_file_and_the_environment_wins() {
        let text = "[profiles.ops]\nca_cert = \"certs/team-ca.pem\"\n";
        let from_file = load(text, &[]).expect("loads").ca_cert.expect("set");
        assert_eq!(from_file.value, Path::new("/nowhere/certs/team-ca.pem"));
        let absolute = load("ca_cert = \"/etc/team/ca.pem\"\n[profiles.ops]\n", &[]).expect("loads").ca_cert;
        assert_eq!(absolute.map(|c| c.value), Some(PathBuf::from("/etc/team/ca.pem")));
        let from_env = load(text, &[(ENV_CA_CERT, "ca.pem")]).expect("loads").ca_cert.expect("set");
        assert_eq!((from_env.value, from_env.source), (PathBuf::from("ca.pem"), Source::Env(ENV_CA_CERT)));
    }
}
