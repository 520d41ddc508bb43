//! Driving the real binary in a pseudo-terminal: keys in, a vt100 screen and the raw bytes
//! out. The child is killed when the `Pty` is dropped, so no test leaves a process behind.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub struct Pty {
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Pty {
    /// Starts `program args` in a `cols`x`rows` terminal with exactly `env` (plus TERM).
    pub fn spawn(program: &str, args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Self {
        let pair =
            native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("open a pty");
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.env_clear();
        command.env("TERM", "xterm-256color");
        command.env("PATH", std::env::var("PATH").unwrap_or_default());
        for (k, v) in env {
            command.env(k, v);
        }
        let child = pair.slave.spawn_command(command).expect("spawn in pty");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let size = |n: u16| std::num::NonZeroU16::new(n.max(1)).expect("non-zero");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(size(rows), size(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (screen_in, raw_in) = (screen.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                screen_in.lock().expect("screen lock").process(&buf[..n]);
                raw_in.lock().expect("raw lock").extend_from_slice(&buf[..n]);
            }
        });
        Self { screen, raw, writer, child, _master: pair.master }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
        if keys.ends_with('\u{1b}') {
            // A lone Esc followed at once by a key reads as Alt+key, as in any terminal.
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Types text a character at a time, like a person.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(&c.to_string());
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn screen(&self) -> String {
        self.screen.lock().expect("screen lock").screen().contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().expect("raw lock").clone()
    }

    /// Waits until the screen satisfies `check`; panics with the screen after `secs`.
    pub fn wait_for(&self, what: &str, secs: u64, check: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.screen();
            if check(&screen) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_text(&self, text: &str, secs: u64) {
        self.wait_for(text, secs, |s| s.contains(text));
    }

    /// Waits for the child to exit; returns its exit code.
    pub fn wait_exit(&mut self, secs: u64) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.exit_code();
            }
            assert!(Instant::now() < deadline, "the program did not exit within {secs} s:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
