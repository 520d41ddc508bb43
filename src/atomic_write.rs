//! The one way state files (drafts, snoozes, exports, the config file's edits) reach the disk:
//! a temporary file beside the target, written and synced, renamed over it, and the directory
//! synced, so that a crash at any moment leaves the old file or the new one whole, never a torn
//! or empty one.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Who may read what is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Owner-only (0600), in an owner-only directory if one has to be made: state files.
    Private,
    /// The permissions the file has now (0600 for a new file): a file the user owns and shares
    /// as they chose, such as the config file or an export.
    Keep,
}

/// Temporary names are unique within the process too (two saves at once never share one).
static NEXT: AtomicU64 = AtomicU64::new(0);

/// Replaces `path` with `bytes`, atomically. Missing directories are made owner-only.
pub fn write(path: &Path, bytes: &[u8], access: Access) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| io::Error::other(format!("{} names no file", path.display())))?;
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    let mode = match access {
        Access::Private => 0o600,
        Access::Keep => fs::metadata(path).map_or(0o600, |m| m.permissions().mode() & 0o7777),
    };
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let temporary = dir.join(format!(".{}.{}.{n}.tmp", name.to_string_lossy(), std::process::id()));
    let written = (|| {
        let mut file = fs::OpenOptions::new().write(true).create_new(true).mode(mode).open(&temporary)?;
        // The mode given to open is narrowed by the umask; set it exactly.
        file.set_permissions(fs::Permissions::from_mode(mode))?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, path)?;
        // The rename itself is durable only once the directory is.
        fs::File::open(dir)?.sync_all()
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_private_and_a_kept_one_keeps_its_mode() {
        let dir = tempfile::tempdir().expect("temp dir");
        let state = dir.path().join("state").join("snoozes.json");
        write(&state, b"{}", Access::Private).expect("written");
        assert_eq!(fs::read(&state).expect("read"), b"{}");
        assert_eq!(fs::metadata(&state).expect("meta").permissions().mode() & 0o777, 0o600);
        let made = fs::metadata(state.parent().expect("dir")).expect("meta").permissions().mode();
        assert_eq!(made & 0o777, 0o700);

        let config = dir.path().join("config.toml");
        fs::write(&config, "old").expect("seeded");
        fs::set_permissions(&config, fs::Permissions::from_mode(0o640)).expect("chmod");
        write(&config, b"new", Access::Keep).expect("written");
        assert_eq!(fs::read_to_string(&config).expect("read"), "new");
        assert_eq!(fs::metadata(&config).expect("meta").permissions().mode() & 0o777, 0o640);
        let left: Vec<_> =
            fs::read_dir(dir.path()).expect("dir").filter_map(Result::ok).map(|e| e.file_name()).collect();
        assert_eq!(left.len(), 2, "no temporary file is left behind: {left:?}");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("taken");
        fs::create_dir(&target).expect("a directory where the file should go");
        fs::write(target.join("inside"), "x").expect("non-empty");
        assert!(write(&target, b"new", Access::Private).is_err());
        assert!(target.is_dir());
        let left = fs::read_dir(dir.path()).expect("dir").count();
        assert_eq!(left, 1, "the temporary file was removed");
    }
}
