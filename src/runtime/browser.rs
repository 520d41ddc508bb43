//! Whether a browser can be opened here at all: over SSH or without a display, a launcher
//! would open nothing (or a text browser over the dashboard), so the URL is copied instead.

use std::ffi::OsString;

/// Why no browser can open here, or `None` when one may; `env` reads the environment.
pub fn no_browser(env: impl Fn(&str) -> Option<OsString>) -> Option<&'static str> {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    if cfg!(target_os = "macos") {
        // `open` would show the page on the remote Mac's screen, not the user's.
        return (set("SSH_CONNECTION") || set("SSH_TTY")).then_some("over SSH");
    }
    // X11 forwarding over SSH sets DISPLAY, and then the browser does reach the user.
    (!set("DISPLAY") && !set("WAYLAND_DISPLAY")).then_some("no display here")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| OsString::from(v))
    }

    #[test]
    #[cfg(not(target_os = "macos"))]
    fn a_display_is_needed_and_an_empty_one_is_none() {
        assert_eq!(no_browser(env(&[])), Some("no display here"));
        assert_eq!(no_browser(env(&[("DISPLAY", ""), ("SSH_TTY", "/dev/pts/1")])), Some("no display here"));
        assert_eq!(no_browser(env(&[("DISPLAY", ":0")])), None);
        assert_eq!(no_browser(env(&[("WAYLAND_DISPLAY", "wayland-0"), ("SSH_CONNECTION", "x")])), None);
    }
}
