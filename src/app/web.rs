//! Opening the selected alert in the Blnk Cloud web dashboard, from the `web_url` template
//! (the web app documents no deep links, so there is no guessed default). Where no browser can
//! open (over SSH, no display), the URL is copied and shown instead. Part of `App::update`; pure.

use super::{App, Cmd, Level};

impl App {
    /// `w`: the selected alert's page, through the runtime.
    pub(super) fn open_web(&mut self) -> Vec<Cmd> {
        let Some(template) = self.settings.web_url.clone() else {
            self.notify(
                Level::Info,
                "No web_url set: add web_url = \"https://…/alerts/{id}\" to the config file (or BLNK_WEB_URL).",
            );
            return Vec::new();
        };
        let Some(id) = self.list.selected_id() else {
            self.notify(Level::Info, "No alert selected.");
            return Vec::new();
        };
        // Alert ids hold only ASCII letters, digits, `-` and `_`: nothing in them needs escaping.
        vec![Cmd::OpenUrl(template.replace("{id}", id.as_str()))]
    }

    /// The runtime's report; without a browser, the URL goes to the clipboard instead.
    pub(super) fn opened(&mut self, url: String, result: Result<(), String>) -> Vec<Cmd> {
        match result {
            Ok(()) => {
                self.notify(Level::Success, format!("Opened {url} in the browser."));
                Vec::new()
            }
            Err(reason) => {
                self.notify(Level::Info, format!("No browser ({reason}): copied {url}"));
                vec![Cmd::Copy(url)]
            }
        }
    }
}
