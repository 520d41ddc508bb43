//! Showing a notification: through the desktop's notification service where there is one
//! (`notify-send`, run without a shell, off the event loop), else the terminal's own escape:
//! OSC 777 where the terminal is known to take it (VTE terminals, foot, urxvt), OSC 9 elsewhere
//! (iTerm2, kitty, `WezTerm`, Windows Terminal, ghostty). The text arrives short and plain.

use std::io::{self, Write};
use std::process::{Command, Stdio};

use crate::config::NotifyVia;

pub fn send(via: NotifyVia, summary: &str, body: &str) -> io::Result<()> {
    if via == NotifyVia::Off {
        return Ok(());
    }
    if via == NotifyVia::Auto && desktop_service() && desktop(summary, body) {
        return Ok(());
    }
    let mut sequence = escape(summary, body, osc_777());
    if std::env::var_os("TMUX").is_some() {
        sequence = through_tmux(&sequence);
    }
    let mut out = io::stdout();
    out.write_all(&sequence)?;
    out.flush()
}

/// Inside tmux, an escape reaches the outer terminal only wrapped in tmux's passthrough (and
/// only with `set -g allow-passthrough on`): `ESC P tmux;` the escape with each ESC doubled `ESC \`.
fn through_tmux(sequence: &[u8]) -> Vec<u8> {
    let mut wrapped = b"\x1bPtmux;".to_vec();
    for &byte in sequence {
        if byte == 0x1b {
            wrapped.push(0x1b);
        }
        wrapped.push(byte);
    }
    wrapped.extend_from_slice(b"\x1b\\");
    wrapped
}

/// A session with a notification service: a D-Bus session bus and a display to show it on.
fn desktop_service() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    set("DBUS_SESSION_BUS_ADDRESS") && (set("DISPLAY") || set("WAYLAND_DISPLAY"))
}

/// Starts `notify-send`; false when it cannot be started (then the terminal is asked).
fn desktop(summary: &str, body: &str) -> bool {
    // Most notification daemons read the body as markup: `<` and `&` must be escaped.
    let body = body.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let child = Command::new("notify-send")
        .args(["--app-name=blnk-alerts", "--", summary, &body])
        .env_remove(crate::config::ENV_API_KEY)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match child {
        Ok(mut child) => {
            // Reaped off the loop: notify-send returns at once, or is the desktop's problem.
            std::thread::spawn(move || child.wait());
            true
        }
        Err(e) => {
            tracing::warn!(error = %e, "notify-send could not be started; using the terminal's notification");
            false
        }
    }
}

fn osc_777() -> bool {
    let term = std::env::var("TERM").unwrap_or_default();
    std::env::var_os("VTE_VERSION").is_some() || term.starts_with("foot") || term.starts_with("rxvt")
}

/// The terminal's notification escape for this text.
fn escape(summary: &str, body: &str, osc_777: bool) -> Vec<u8> {
    if osc_777 {
        format!("\u{1b}]777;notify;{summary};{body}\u{7}").into_bytes()
    } else {
        format!("\u{1b}]9;{summary}: {body}\u{7}").into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_carry_the_text_and_end_with_bel() {
        assert_eq!(escape("3 new alerts", "Latest: x", false), b"\x1b]9;3 new alerts: Latest: x\x07");
        assert_eq!(escape("New alert", "x", true), b"\x1b]777;notify;New alert;x\x07");
        assert_eq!(through_tmux(b"\x1b]9;x\x07"), b"\x1bPtmux;\x1b\x1b]9;x\x07\x1b\\");
    }
}
