//! Who may do what: the server's keys and their scopes. A key file (`serve --keys FILE`) maps
//! several keys to the documented scopes; the one key of `BLNK_SERVER_API_KEY` (or the generated
//! one) holds them all. Each request needs one scope, decided by its method and path.

use std::fmt;
use std::path::Path;

use axum::http::Method;
use serde::Deserialize;

use crate::config::ApiKey;
use crate::domain::single_line;

/// One of the documented scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    AlertsRead,
    AlertsWrite,
    DataRead,
}

impl Scope {
    pub const ALL: [Self; 3] = [Self::AlertsRead, Self::AlertsWrite, Self::DataRead];

    pub fn name(self) -> &'static str {
        match self {
            Self::AlertsRead => "alerts:read",
            Self::AlertsWrite => "alerts:write",
            Self::DataRead => "data:read",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Self::AlertsRead => 1,
            Self::AlertsWrite => 2,
            Self::DataRead => 4,
        }
    }

    /// The scope a request needs: reading alerts or statuses, changing them, or reading the
    /// Data API. `None` for paths the server does not have (they answer 404 to any valid key).
    pub fn needed(method: &Method, path: &str) -> Option<Self> {
        let read = method == Method::GET || method == Method::HEAD;
        if path == "/data" || path.starts_with("/data/") {
            return Some(Self::DataRead);
        }
        if path == "/alerts" || path.starts_with("/alerts/") {
            return Some(if read { Self::AlertsRead } else { Self::AlertsWrite });
        }
        None
    }
}

/// A set of scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scopes(u8);

impl Scopes {
    pub const EVERY: Self = Self(7);

    pub fn allows(self, scope: Scope) -> bool {
        self.0 & scope.bit() != 0
    }

    /// Parses the names of a key file: the documented scopes, or `*` for all of them.
    fn parse(names: &[String]) -> Result<Self, String> {
        let mut bits = 0;
        for name in names {
            let name = name.trim();
            if name == "*" {
                bits |= Self::EVERY.0;
                continue;
            }
            let scope = Scope::ALL.into_iter().find(|s| s.name() == name).ok_or_else(|| {
                let known: Vec<&str> = Scope::ALL.iter().map(|s| s.name()).collect();
                format!("unknown scope {name:?} (the scopes are {} and *)", known.join(", "))
            })?;
            bits |= scope.bit();
        }
        Ok(Self(bits))
    }
}

/// A key and what it may do; `name` is how the request log and errors call it.
#[derive(Clone)]
pub struct ScopedKey {
    pub name: String,
    pub key: ApiKey,
    pub scopes: Scopes,
}

impl fmt::Debug for ScopedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScopedKey").field("name", &self.name).field("scopes", &self.scopes).finish_non_exhaustive()
    }
}

/// Who the server lets in.
#[derive(Debug, Clone, Default)]
pub struct KeyRing {
    keys: Vec<ScopedKey>,
}

/// What the server makes of a request's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict<'a> {
    /// No key configured: everyone is let in (`--no-auth`).
    Open,
    Allowed,
    /// No key, or not one of ours.
    Unknown,
    /// A valid key without the scope the request needs.
    Lacks {
        key: &'a str,
        scope: Scope,
    },
}

impl KeyRing {
    /// These keys and `key` (the server's own, with every scope), if there is one.
    #[must_use]
    pub fn with(mut self, key: Option<ApiKey>) -> Self {
        self.keys.extend(key.map(|key| ScopedKey { name: "server key".to_owned(), key, scopes: Scopes::EVERY }));
        self
    }

    /// One line per key: its name and scopes, never the key.
    pub fn describe(&self) -> Vec<String> {
        self.keys
            .iter()
            .map(|k| {
                let scopes: Vec<&str> = Scope::ALL.iter().filter(|s| k.scopes.allows(**s)).map(|s| s.name()).collect();
                let scopes = if scopes.is_empty() { "no scope".to_owned() } else { scopes.join(", ") };
                format!("key {:?}: {scopes}", single_line(&k.name))
            })
            .collect()
    }

    pub fn is_open(&self) -> bool {
        self.keys.is_empty()
    }

    /// Whether the bearer token `sent` may make a request needing `scope`.
    pub fn judge(&self, sent: Option<&[u8]>, scope: Option<Scope>) -> Verdict<'_> {
        if self.keys.is_empty() {
            return Verdict::Open;
        }
        let Some(sent) = sent else { return Verdict::Unknown };
        // Every key is compared whole, so the time taken does not say how much of one matched.
        let found = self
            .keys
            .iter()
            .fold(None, |found, k| if same_bytes(sent, k.key.expose().as_bytes()) { Some(k) } else { found });
        match (found, scope) {
            (None, _) => Verdict::Unknown,
            (Some(k), Some(scope)) if !k.scopes.allows(scope) => Verdict::Lacks { key: &k.name, scope },
            (Some(_), _) => Verdict::Allowed,
        }
    }

    /// Reads a key file: `[[key]]` tables with `name`, `key` and `scopes`. It must be readable
    /// by its owner alone, as it holds secrets. Errors name the file and what to change.
    pub fn from_file(path: &Path) -> Result<Self, String> {
        use std::io::Read as _;
        let shown = path.display();
        let cannot = |e: std::io::Error| format!("cannot read the key file {shown}: {e}");
        // Opened once: the mode checked is the mode of the file then read.
        let mut file = std::fs::File::open(path).map_err(cannot)?;
        let metadata = file.metadata().map_err(cannot)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(format!(
                    "the key file {shown} can be read by others (mode {mode:o}): it holds secrets; chmod 600 it"
                ));
            }
        }
        let mut text = String::new();
        file.read_to_string(&mut text).map_err(cannot)?;
        Self::parse(&text).map_err(|why| format!("{shown}: {why}"))
    }

    fn parse(text: &str) -> Result<Self, String> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            #[serde(default)]
            key: Vec<Entry>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Entry {
            name: String,
            key: String,
            scopes: Vec<String>,
        }
        // The parser's message can quote the line, and a line can hold a key: say only where.
        let file: File = toml::from_str(text).map_err(|e| match e.span() {
            Some(span) => {
                let at = crate::config::position(text, span.start);
                format!("not a valid key file at {at}: {}", crate::config::redacted(e.message()))
            }
            None => format!("not a valid key file: {}", crate::config::redacted(e.message())),
        })?;
        if file.key.is_empty() {
            return Err("no keys: add [[key]] tables with name, key and scopes".to_owned());
        }
        let mut keys: Vec<ScopedKey> = Vec::with_capacity(file.key.len());
        for entry in file.key {
            let name = entry.name.trim().to_owned();
            let key = ApiKey::new(entry.key).ok_or_else(|| format!("the key named {name:?} is empty"))?;
            let scopes = Scopes::parse(&entry.scopes).map_err(|why| format!("the key named {name:?}: {why}"))?;
            if keys.iter().any(|k| k.key == key) {
                return Err(format!("the key named {name:?} repeats another key: each key must be different"));
            }
            keys.push(ScopedKey { name, key, scopes });
        }
        Ok(Self { keys })
    }
}

/// Compares without stopping at the first difference, so timing does not reveal the key.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
        [[key]]
        name = "wallboard"
        key = "blnk_read_only_key"
        scopes = ["alerts:read"]

        [[key]]
        name = "analyst"
        key = "blnk_analyst_key"
        scopes = ["alerts:read", "alerts:write", "data:read"]

        [[key]]
        name = "admin"
        key = "blnk_admin_key"
        scopes = ["*"]
    "#;

    #[test]
    fn each_key_gets_its_scopes_and_nothing_else() {
        let ring = KeyRing::parse(FILE).expect("a valid file");
        let (read, write, data) = (Some(Scope::AlertsRead), Some(Scope::AlertsWrite), Some(Scope::DataRead));
        assert_eq!(ring.judge(Some(b"blnk_read_only_key"), read), Verdict::Allowed);
        assert_eq!(
            ring.judge(Some(b"blnk_read_only_key"), write),
            Verdict::Lacks { key: "wallboard", scope: Scope::AlertsWrite }
        );
        assert_eq!(
            ring.judge(Some(b"blnk_read_only_key"), data),
            Verdict::Lacks { key: "wallboard", scope: Scope::DataRead }
        );
        assert_eq!(ring.judge(Some(b"blnk_analyst_key"), write), Verdict::Allowed);
        assert_eq!(ring.judge(Some(b"blnk_admin_key"), data), Verdict::Allowed);
        assert_eq!(ring.judge(Some(b"blnk_admin_key_"), read), Verdict::Unknown);
        assert_eq!(ring.judge(None, read), Verdict::Unknown);
        assert_eq!(ring.judge(Some(b"blnk_read_only_key"), None), Verdict::Allowed);
        assert_eq!(KeyRing::default().with(None).judge(None, write), Verdict::Open);
    }

    #[test]
    fn keys_compare_whole() {
        assert!(same_bytes(b"blnk_abc", b"blnk_abc"));
        assert!(!same_bytes(b"blnk_abc", b"blnk_abd"));
        assert!(!same_bytes(b"blnk_ab", b"blnk_abc"));
        assert!(!same_bytes(b"", b"blnk_abc"));
    }

    #[test]
    fn the_scope_follows_the_method_and_the_path() {
        assert_eq!(Scope::needed(&Method::GET, "/alerts"), Some(Scope::AlertsRead));
        assert_eq!(Scope::needed(&Method::GET, "/alerts/statuses"), Some(Scope::AlertsRead));
        assert_eq!(Scope::needed(&Method::POST, "/alerts/flag/bal_1"), Some(Scope::AlertsWrite));
        assert_eq!(Scope::needed(&Method::PUT, "/alerts/flag/anom_1"), Some(Scope::AlertsWrite));
        assert_eq!(Scope::needed(&Method::DELETE, "/alerts/statuses/x"), Some(Scope::AlertsWrite));
        assert_eq!(Scope::needed(&Method::GET, "/data/balances/bln_1"), Some(Scope::DataRead));
        assert_eq!(Scope::needed(&Method::GET, "/alertsx"), None);
        assert_eq!(Scope::needed(&Method::GET, "/"), None);
    }

    #[test]
    fn a_bad_file_says_where_and_why_without_quoting_a_key() {
        let unknown = KeyRing::parse("[[key]]\nname = \"a\"\nkey = \"blnk_secret\"\nscopes = [\"alerts:admin\"]\n");
        let why = unknown.expect_err("unknown scope");
        assert!(why.contains("alerts:admin") && why.contains("alerts:write") && why.contains("data:read"), "{why}");
        let broken = KeyRing::parse("[[key]]\nname = \"a\"\nkey = \"blnk_secret\nscopes = []\n").expect_err("broken");
        assert!(broken.contains("line 3") && !broken.contains("blnk_secret"), "{broken}");
        let misspelt = KeyRing::parse("[[key]]\nname = \"a\"\nkee = \"blnk_secret\"\n").expect_err("unknown field");
        assert!(misspelt.contains("line 3"), "the line it starts on: {misspelt}");
        let twice =
            "[[key]]\nname = \"a\"\nkey = \"k1\"\nscopes = []\n[[key]]\nname = \"b\"\nkey = \"k1\"\nscopes = []\n";
        assert!(KeyRing::parse(twice).expect_err("repeated").contains("repeats"));
        assert!(KeyRing::parse("").expect_err("empty").contains("no keys"));
        assert!(
            KeyRing::parse("[[key]]\nname = \"a\"\nkey = \" \"\nscopes = []\n").expect_err("blank").contains("empty")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("keys.toml");
        std::fs::write(&path, FILE).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert!(KeyRing::from_file(&path).expect_err("readable by others").contains("chmod 600"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert!(KeyRing::from_file(&path).is_ok());
    }
}
