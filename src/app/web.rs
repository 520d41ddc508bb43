//! Opening the selected alert in the Blnk Cloud web dashboard, from the `web_url` template
//! (the web app documents no deep links, so there is no guessed default). Where no browser can
//! open (over SSH, no display), the URL is copied and shown instead. Part of `App::update`; pure.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

use super::{App, Cmd, Level};

/// All but the unreserved characters are escaped: an id from the server cannot add a path
/// segment, a query or another host.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The web page of alert `id` from `template`, on the template's own host and scheme.
fn page_of(template: &str, id: &str) -> Result<String, String> {
    let escaped = utf8_percent_encode(id, ESCAPED).to_string();
    let page = template.replace("{id}", &escaped);
    let parsed = Url::parse(&page).map_err(|e| format!("{page} is not a URL ({e})"))?;
    let host = |u: &Url| (u.scheme().to_owned(), u.host_str().map(str::to_owned));
    let expected = Url::parse(&template.replace("{id}", "ano_x")).map_err(|e| format!("web_url is not a URL ({e})"))?;
    if host(&parsed) != host(&expected) || !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("the alert id would change the web_url's host: {page}"));
    }
    Ok(parsed.to_string())
}

impl App {
    /// `w`: the selected alert's page, through the runtime.
    pub(super) fn open_web(&mut self) -> Vec<Cmd> {
        let Some(template) = self.settings.web_url.clone() else {
            self.notify(
                Level::Info,
                "No web_url set: add web_url = \"https://…/anomalies/{id}\" to the config file (or BLNK_WEB_URL).",
            );
            return Vec::new();
        };
        let Some(id) = self.list.selected_id() else {
            self.notify(Level::Info, "No alert selected.");
            return Vec::new();
        };
        match page_of(&template, id.as_str()) {
            Ok(url) => vec![Cmd::OpenUrl(url)],
            Err(why) => {
                self.notify(Level::Error, format!("Not opened: {why}"));
                Vec::new()
            }
        }
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

#[cfg(test)]
mod tests {
    use super::page_of;

    #[test]
    fn an_id_is_escaped_and_never_changes_the_host() {
        let template = "https://cloud.example.com/anomalies/{id}?tab=detail";
        assert_eq!(
            page_of(template, "ano_1-2").as_deref(),
            Ok("https://cloud.example.com/anomalies/ano_1-2?tab=detail")
        );
        let sneaky = page_of(template, "x/../../logout?next=//evil.example").expect("escaped, so allowed");
        assert!(sneaky.starts_with("https://cloud.example.com/anomalies/x%2F..%2F..%2Flogout%3Fnext%3D"), "{sneaky}");
        assert!(page_of("https://{id}.example.com/", "evil.com#").is_err(), "an id in the host could move it");
    }
}
