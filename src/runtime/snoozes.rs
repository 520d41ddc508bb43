//! The snoozes' state file: `$XDG_STATE_HOME/blnk-alerts/snoozes/HASH.json` (under
//! `profiles/NAME/` for a profile), one file per API URL so that two accounts never share
//! snoozes, owner-only and written through [`crate::atomic_write`]. A file that cannot be read
//! is moved aside (never overwritten) and the user is told where it went.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::app::Snoozes;
use crate::atomic_write::{self, Access};

#[derive(Debug, Clone)]
pub struct SnoozeStore {
    path: PathBuf,
    api_url: String,
}

/// The file's content: the URL for whoever opens it, then the snoozes.
#[derive(Serialize, Deserialize)]
struct File {
    api_url: String,
    snoozes: Snoozes,
}

impl SnoozeStore {
    /// The store for `api_url` in the user's state directory (the profile's own), if there is one.
    pub fn from_environment(profile: Option<&str>, api_url: &str) -> Option<Self> {
        crate::config::state_dir(profile).map(|d| Self::new(&d.join("snoozes"), api_url))
    }

    pub fn new(dir: &Path, api_url: &str) -> Self {
        let name = format!("{:016x}.json", xxhash_rust::xxh3::xxh3_64(api_url.as_bytes()));
        Self { path: dir.join(name), api_url: api_url.to_owned() }
    }

    /// The snoozes kept for this URL (none when there is no file yet).
    pub fn load(&self) -> Result<Snoozes, String> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Snoozes::new()),
            Err(e) => return Err(format!("{}: {e}", self.path.display())),
        };
        match serde_json::from_slice::<File>(&bytes) {
            // An id read back from disk passes the same sanitizer as one from the server.
            Ok(file) => Ok(file
                .snoozes
                .into_iter()
                .map(|(mut id, s)| {
                    id.sanitize();
                    (id, s)
                })
                .collect()),
            Err(e) => {
                let aside = self.path.with_extension("json.unreadable");
                let moved = fs::rename(&self.path, &aside);
                let kept = if moved.is_ok() { format!("; it was kept as {}", aside.display()) } else { String::new() };
                Err(format!("{} is not a snoozes file ({e}){kept}", self.path.display()))
            }
        }
    }

    pub fn save(&self, snoozes: &Snoozes) -> Result<(), String> {
        let file = File { api_url: self.api_url.clone(), snoozes: snoozes.clone() };
        let bytes = serde_json::to_vec_pretty(&file).map_err(|e| e.to_string())?;
        atomic_write::write(&self.path, &bytes, Access::Private).map_err(|e| format!("{}: {e}", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Snooze;

    #[test]
    fn snoozes_round_trip_per_url_and_a_broken_file_is_kept_aside() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SnoozeStore::new(dir.path(), "https://api.blnk.io/");
        assert_eq!(store.load(), Ok(Snoozes::new()), "no file yet");
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z").expect("time");
        let id: crate::domain::AlertId = "ano_1".parse().expect("id");
        let snoozes = Snoozes::from([(id, Snooze { since: at.to_utc(), until: None, updated_at: at })]);
        store.save(&snoozes).expect("saved");
        assert_eq!(store.load(), Ok(snoozes));
        let other = SnoozeStore::new(dir.path(), "https://sandbox.blnk.io/");
        assert_eq!(other.load(), Ok(Snoozes::new()), "another account's snoozes are its own");

        fs::write(&store.path, "{ torn").expect("broken");
        let err = store.load().expect_err("unreadable");
        assert!(err.contains("is not a snoozes file") && err.contains("unreadable"), "{err}");
        assert!(store.path.with_extension("json.unreadable").exists(), "kept for the user");
        assert_eq!(store.load(), Ok(Snoozes::new()), "and the next start begins afresh");
    }
}
