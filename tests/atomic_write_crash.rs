//! Kills a process at random points while it saves a state file, again and again: the file is
//! always the old version or the new one, whole, never torn or empty.
//!
//! The saving process is this test binary run again on `child_saves_until_killed` alone.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use blnk_alerts::atomic_write::{self, Access};

const TARGET: &str = "BLNK_ATOMIC_TARGET";
const SIZE: usize = 256 * 1024;

fn version(fill: u8) -> Vec<u8> {
    vec![fill; SIZE]
}

/// In the child: save two versions in turn, saying after each save that it is done.
#[test]
fn child_saves_until_killed() {
    let Some(target) = std::env::var_os(TARGET) else { return };
    let path = Path::new(&target);
    for n in 0u64.. {
        let fill = if n % 2 == 0 { b'a' } else { b'b' };
        atomic_write::write(path, &version(fill), Access::Private).expect("saved");
        println!("saved {n}");
    }
}

/// Kills the child when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_kill_during_saves_leaves_the_old_or_the_new_file_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("state.json");
    let exe = std::env::current_exe().expect("this test binary");
    for round in 0..25 {
        let mut child = Command::new(&exe)
            .args(["child_saves_until_killed", "--exact", "--nocapture", "--test-threads=1"])
            .env(TARGET, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the child starts");
        let stdout = child.stdout.take().expect("piped");
        let mut child = Killed(child);
        // Kill after a random number of saves: the kill lands somewhere inside a later save.
        let saves = fastrand::usize(1..12);
        let (seen, heard) = mpsc::channel();
        std::thread::spawn(move || {
            let lines = BufReader::new(stdout).lines().map_while(Result::ok);
            for _ in lines.filter(|l| l.starts_with("saved ")).take(saves) {
                if seen.send(()).is_err() {
                    break;
                }
            }
        });
        for _ in 0..saves {
            heard.recv_timeout(Duration::from_secs(30)).expect("the child keeps saving");
        }
        child.0.kill().expect("killed");
        let _ = child.0.wait();
        let bytes = std::fs::read(&path).expect("the file is there");
        let whole = bytes == version(b'a') || bytes == version(b'b');
        assert!(whole, "round {round}: {} bytes, not one whole version", bytes.len());
    }
}
