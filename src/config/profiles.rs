//! Profiles: which `[profiles.NAME]` account is in use (`--profile`, `BLNK_PROFILE`,
//! `default_profile`), checked names and colours, and the rule that keeps a key with its
//! account's URL.

use ratatui::style::Color;

use super::file::{Document, FileConfig};
use super::{ConfigError, ENV_PROFILE, Flags, ProfileName, Setting, Source};

/// The profile asked for by `--profile`, `BLNK_PROFILE` or `default_profile`, checked.
pub(super) fn choose_profile(
    document: &Document,
    contents: &FileConfig,
    flags: &Flags,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Setting<ProfileName>>, ConfigError> {
    for (name, profile) in &contents.profiles {
        if !valid_profile_name(name) {
            let what = format!("profile name {name:?} may hold only letters, digits, - and _ (at most 64)");
            return Err(document.at(&profile.span(), &what));
        }
    }
    let (name, source) = if let Some(name) = &flags.profile {
        (name.trim().to_owned(), Source::Flag("--profile"))
    } else if let Some(name) = env(ENV_PROFILE) {
        (name.trim().to_owned(), Source::Env(ENV_PROFILE))
    } else if let Some(name) = &contents.default_profile {
        let file = Source::File(document.path.clone().unwrap_or_default());
        if !contents.profiles.contains_key(name.get_ref().trim()) {
            let what = format!("default_profile {:?} is not defined: {}", name.get_ref(), defined(contents));
            return Err(document.at(&name.span(), &what));
        }
        (name.get_ref().trim().to_owned(), file)
    } else {
        return Ok(None);
    };
    let Some(profile) = contents.profiles.get(&name) else {
        let file = document.path.as_deref().map_or_else(|| "no config file".to_owned(), |p| p.display().to_string());
        return Err(ConfigError(format!("no profile {name:?} ({source}) in {file}: {}", defined(contents))));
    };
    let colour = match &profile.get_ref().colour {
        Some(colour) => Some(colour.get_ref().parse::<Color>().map_err(|_| {
            document.at(&colour.span(), "a colour is \"#rrggbb\" or a name such as \"red\" or \"light-blue\"")
        })?),
        None => None,
    };
    Ok(Some(Setting { value: ProfileName { name, colour }, source }))
}

/// "it defines a, b" or how to define one.
fn defined(contents: &FileConfig) -> String {
    if contents.profiles.is_empty() {
        "it defines none; add a [profiles.NAME] table with api_url and api_key".to_owned()
    } else {
        let names: Vec<&str> = contents.profiles.keys().map(String::as_str).collect();
        format!("it defines {}", names.join(", "))
    }
}

/// Profile names name directories too, so they stay plain.
pub fn valid_profile_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A key written for one account must not travel to another's URL: a profile's key goes to the
/// profile's URL (or the default API, or one named by `--api-url`), and a URL a profile sets
/// gets only that profile's key (or one given in the environment).
pub(super) fn check_key_goes_where_it_belongs(key: Option<&Source>, url: &Source) -> Result<(), ConfigError> {
    match (key, url) {
        (Some(Source::Profile(p)), Source::Env(_) | Source::File(_)) => Err(ConfigError(format!(
            "profile {p} gives the API key, but the URL would come from {url}: the key would go to another \
             account's server; set api_url in [profiles.{p}] (or pass --api-url)"
        ))),
        (Some(Source::File(_)), Source::Profile(p)) => Err(ConfigError(format!(
            "profile {p} sets api_url but no key, so the top-level api_key would be sent there; set api_key or \
             api_key_command in [profiles.{p}] (or BLNK_API_KEY)"
        ))),
        _ => Ok(()),
    }
}
