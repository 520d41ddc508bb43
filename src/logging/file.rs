//! A log file that stays small: past `MAX_BYTES` it becomes `NAME.1` (the older ones `NAME.2`,
//! up to `KEEP`) and a new one starts. Private to its owner, like everything kept.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// The most a log file holds before it is rotated.
pub const MAX_BYTES: u64 = 5 << 20;
/// Rotated files kept besides the current one.
pub const KEEP: u32 = 3;

pub struct Rotating {
    path: PathBuf,
    max_bytes: u64,
    keep: u32,
    file: File,
    written: u64,
}

impl Rotating {
    pub fn open(path: &Path, max_bytes: u64, keep: u32) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        }
        let file = append(path)?;
        let written = file.metadata()?.len();
        Ok(Self { path: path.to_owned(), max_bytes, keep, file, written })
    }

    fn rotated(&self, n: u32) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }

    fn rotate(&mut self) -> io::Result<()> {
        self.file.flush()?;
        for n in (1..self.keep).rev() {
            let from = self.rotated(n);
            if from.exists() {
                fs::rename(&from, self.rotated(n + 1))?;
            }
        }
        if self.keep > 0 {
            fs::rename(&self.path, self.rotated(1))?;
        } else {
            fs::remove_file(&self.path)?;
        }
        self.file = append(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

fn append(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::PermissionsExt;
    let file = OpenOptions::new().create(true).append(true).mode(0o600).open(path)?;
    // A file made by an older version or by hand is made private too.
    file.set_permissions(fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

impl Write for Rotating {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written > 0 && self.written + buf.len() as u64 > self.max_bytes {
            self.rotate()?;
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_full_file_rotates_and_only_the_newest_are_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("logs").join("app.log");
        let mut log = Rotating::open(&path, 100, 2).expect("opens");
        // As the fmt layer writes: one whole event per write.
        for n in 0..20 {
            log.write_all(format!("line {n:02} {}\n", "x".repeat(30)).as_bytes()).expect("writes");
        }
        let read = |p: &Path| fs::read_to_string(p).unwrap_or_default();
        assert!(read(&path).contains("line 19"), "the newest lines are in the file");
        assert!(fs::metadata(&path).expect("exists").len() <= 100);
        let lines = |p: &Path| read(p).lines().map(|l| l[..7].to_owned()).collect::<Vec<_>>();
        assert_eq!(lines(&log.rotated(1)), ["line 16", "line 17"], "the file before the newest");
        assert_eq!(lines(&path), ["line 18", "line 19"]);
        assert!(log.rotated(2).exists() && !log.rotated(3).exists(), "two rotated files at most");
        let all: String = [log.rotated(2), log.rotated(1), path.clone()].iter().map(|p| read(p)).collect();
        assert!(!all.contains("line 00"), "the oldest were dropped");
        assert_eq!(fs::metadata(&path).expect("exists").permissions().mode() & 0o777, 0o600);
    }
}
