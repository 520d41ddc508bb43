//! Draft files under `$XDG_STATE_HOME/blnk-alerts/drafts/` (`…/profiles/NAME/drafts/` for a profile), private to their owner and
//! written through [`crate::atomic_write`], so a kill never leaves half a draft.

use std::fs;
use std::path::PathBuf;

use crate::app::{Draft, DraftKey};

#[derive(Debug, Clone)]
pub struct DraftStore {
    dir: PathBuf,
}

impl DraftStore {
    /// The store in the user's state directory (the profile's own), if the system has one.
    pub fn from_environment(profile: Option<&str>) -> Option<Self> {
        crate::config::state_dir(profile).map(|d| Self::new(d.join("drafts")))
    }

    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// Every readable draft; unreadable files are left alone for the user to inspect.
    pub fn load_all(&self) -> Vec<Draft> {
        let Ok(entries) = fs::read_dir(&self.dir) else { return Vec::new() };
        let mut drafts: Vec<Draft> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| fs::read(e.path()).ok())
            .filter_map(|bytes| serde_json::from_slice::<Draft>(&bytes).ok())
            .filter(|d| d.key.file_name().len() < 200)
            .collect();
        drafts.sort_by_key(|d| d.key.file_name());
        drafts
    }

    pub fn save(&self, draft: &Draft) -> Result<(), String> {
        let bytes = serde_json::to_vec_pretty(draft).map_err(|e| e.to_string())?;
        let path = self.dir.join(draft.key.file_name());
        crate::atomic_write::write(&path, &bytes, crate::atomic_write::Access::Private)
            .map_err(|e| format!("{}: {e}", self.dir.display()))
    }

    pub fn delete(&self, key: &DraftKey) -> Result<(), String> {
        match fs::remove_file(self.dir.join(key.file_name())) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(format!("{}: {e}", self.dir.display())),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn drafts_round_trip_privately_and_are_deleted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = DraftStore::new(dir.path().join("drafts"));
        let draft = Draft {
            key: DraftKey::Flag,
            fields: vec!["bln_x".into(), String::new(), "line one\nline two".into()],
            base: None,
        };
        store.save(&draft).expect("saved");
        assert_eq!(store.load_all(), vec![draft.clone()]);
        let mode = fs::metadata(dir.path().join("drafts").join("flag.json")).expect("file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = fs::metadata(dir.path().join("drafts")).expect("dir").permissions().mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        store.delete(&draft.key).expect("deleted");
        assert!(store.load_all().is_empty());
        store.delete(&draft.key).expect("deleting twice is fine");
    }
}
