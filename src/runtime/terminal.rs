//! Taking over the terminal and always giving it back: on quit, on error, on panic (any
//! thread), and around Ctrl-Z. Restoring twice is harmless.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::Host;

/// Owns the real terminal while the dashboard runs; dropping it restores the terminal.
pub struct TerminalGuard {
    terminal: Terminal<CrosstermBackend<Stdout>>,
    active: bool,
}

/// Whether the terminal is ours right now: restoring happens once, whoever gets there first
/// (the panic hook, the guard's drop, a suspend).
static TAKEN: AtomicBool = AtomicBool::new(false);
/// Whether the mouse is ours too (opt-in: it takes the terminal's own text selection away).
static MOUSE: AtomicBool = AtomicBool::new(false);

fn enter() -> io::Result<()> {
    TAKEN.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste, cursor::Hide)?;
    if MOUSE.load(Ordering::SeqCst) {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

/// Puts the terminal back as it was, if we had taken it; every step runs even if one fails.
pub fn restore_terminal() {
    if !TAKEN.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(out, DisableBracketedPaste, DisableMouseCapture, LeaveAlternateScreen, cursor::Show);
    let _ = out.flush();
}

impl TerminalGuard {
    /// Takes the terminal (and with `mouse`, its mouse: clicks and the wheel come as events).
    pub fn enter(mouse: bool) -> io::Result<Self> {
        MOUSE.store(mouse, Ordering::SeqCst);
        if let Err(e) = enter() {
            restore_terminal();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(terminal) => Ok(Self { terminal, active: true }),
            Err(e) => {
                restore_terminal();
                Err(e)
            }
        }
    }

    pub fn terminal(&mut self) -> &mut Terminal<CrosstermBackend<Stdout>> {
        &mut self.terminal
    }

    /// The host side of the real terminal: Ctrl-Z, the bell, notifications.
    pub fn host(notify: crate::config::NotifyVia) -> RealHost {
        RealHost { notify }
    }

    pub fn restore(&mut self) {
        if std::mem::take(&mut self.active) {
            restore_terminal();
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        self.restore();
    }
}

pub struct RealHost {
    notify: crate::config::NotifyVia,
}

impl Host for RealHost {
    /// Gives the terminal back, stops the process like any Ctrl-Z, and takes it again on `fg`.
    fn suspend(&mut self) -> io::Result<()> {
        restore_terminal();
        signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
        enter()
    }

    fn bell(&mut self) -> io::Result<()> {
        let mut out = io::stdout();
        out.write_all(b"\x07")?;
        out.flush()
    }

    fn notify(&mut self, summary: &str, body: &str) -> io::Result<()> {
        tracing::info!(summary, "notified");
        super::notify::send(self.notify, summary, body)
    }

    /// OSC 52: the terminal (or tmux with `set-clipboard on`, or the terminal at the other end
    /// of SSH) puts the text on the system clipboard. Base64 carries any text safely.
    fn copy(&mut self, text: &str) -> io::Result<()> {
        let mut out = io::stdout();
        write!(out, "{}", osc52(text))?;
        out.flush()
    }
}

/// On a panic anywhere, restore the terminal first, then print a readable report.
pub fn install_panic_hook() {
    let (panic_hook, _) = color_eyre::config::HookBuilder::default().display_env_section(false).into_hooks();
    let panic_hook = panic_hook.into_panic_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        panic_hook(info);
    }));
}

/// How long `theme = "auto"` waits for the terminal to say its background. Terminals that
/// cannot answer are told apart at once; this bounds a slow link or one that says nothing.
const BACKGROUND_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(250);

/// Whether the terminal's background is dark or light, asked before the dashboard reads keys
/// (so the answer is not taken for typing); `None` when it does not say.
pub fn background() -> Option<crate::theme::Base> {
    use terminal_colorsaurus::{QueryOptions, ThemeMode, theme_mode};
    let mut options = QueryOptions::default();
    options.timeout = BACKGROUND_TIMEOUT;
    match theme_mode(options).ok()? {
        ThemeMode::Dark => Some(crate::theme::Base::Dark),
        ThemeMode::Light => Some(crate::theme::Base::Light),
    }
}

/// The OSC 52 sequence that sets the clipboard to `text`.
pub fn osc52(text: &str) -> String {
    use base64::Engine as _;
    format!("\x1b]52;c;{}\x07", base64::engine::general_purpose::STANDARD.encode(text))
}

#[cfg(test)]
mod clipboard_tests {
    #[test]
    fn osc52_carries_any_text_as_base64() {
        assert_eq!(super::osc52("ano_1"), "\x1b]52;c;YW5vXzE=\x07");
        let hostile = super::osc52("a\x1b]0;pwned\x07b");
        assert!(!hostile[7..hostile.len() - 1].contains(['\x1b', '\x07']), "nothing escapes the sequence");
    }
}
