//! Saved views in the dashboard: the config file's `[[views]]` as tabs after the status tabs,
//! each with its count; opening one switches to its sort; `view save NAME` (in the palette, or
//! `V` to start typing it) keeps the filter, tab and sort shown now as a view, written into the
//! config file by the runtime. Changing nothing on the server, it works in read-only mode too.

use std::path::PathBuf;

use super::{App, Cmd, Level, Palette, Tab, ViewRule};
use crate::config::{Saved, SavedView, ViewTab};
use crate::filter::Query;

/// The palette's words for saving.
const SAVE: &str = "save";

impl App {
    /// A view's tab label: its name.
    pub fn view_name(&self, i: usize) -> &str {
        self.settings.views.get(i).map_or("?", |v| v.name.as_str())
    }

    /// The list's rules for the views, read at `self.now` (a relative filter moves with time).
    pub(super) fn view_rules(&self) -> Vec<ViewRule> {
        self.settings
            .views
            .iter()
            .map(|view| ViewRule {
                tab: match &view.tab {
                    ViewTab::All => Tab::All,
                    ViewTab::Mine => Tab::Mine,
                    ViewTab::Status(key) => Tab::Status(key.clone()),
                },
                query: Query::read(&view.filter, self.now).0,
            })
            .collect()
    }

    /// Views whose filter counts back from now are read again, so their counts follow time
    /// (the others read the same and are left as they are).
    pub(super) fn refresh_relative_views(&mut self) {
        self.list.set_views(self.view_rules());
    }

    pub(super) fn set_views(&mut self, views: Vec<SavedView>) {
        self.settings.views = views;
        self.list.set_views(self.view_rules());
    }

    /// Shows `tab`; a view's tab also brings its sort.
    pub(super) fn open_tab(&mut self, tab: Tab) {
        // A view that names no sort is in the default one, newest first.
        if let Tab::View(i) = tab
            && let Some((key, reversed)) =
                self.settings.views.get(i).map(|v| v.sort.unwrap_or(super::list::DEFAULT_SORT))
            && self.list.sort() != (key, reversed)
        {
            self.list.set_sort(key, reversed);
        }
        self.list.set_tab(tab);
        self.detail_scroll = 0;
    }

    /// `V`: the palette, ready for the view's name.
    pub(super) fn start_saving_view(&mut self) {
        self.overlay = super::Overlay::Palette(Palette::with(&format!("view {SAVE} ")));
    }

    /// `view save NAME` keeps what is shown; `view NAME` opens the view of that name.
    pub(super) fn view_command(&mut self, argument: &str) -> Result<Vec<Cmd>, String> {
        let (verb, rest) = argument.split_once(char::is_whitespace).unwrap_or((argument, ""));
        if verb.eq_ignore_ascii_case(SAVE) {
            return self.save_view(rest);
        }
        let wanted = argument.trim();
        let found = self.settings.views.iter().position(|v| v.name.eq_ignore_ascii_case(wanted));
        let Some(i) = found else {
            let names: Vec<&str> = self.settings.views.iter().map(|v| v.name.as_str()).collect();
            let known = if names.is_empty() { "there are none yet".to_owned() } else { names.join(", ") };
            return Err(format!("No view named {wanted:?} ({known}); `view save NAME` keeps the one shown."));
        };
        self.open_tab(Tab::View(i));
        Ok(Vec::new())
    }

    /// The view shown now (tab, filter and sort) under `name`, for the runtime to write.
    fn save_view(&mut self, name: &str) -> Result<Vec<Cmd>, String> {
        let name = crate::config::check_view_name(name).map_err(|why| format!("{why}: view save NAME"))?;
        if let Some(error) = &self.filter_error {
            return Err(format!("The filter cannot be read ({}): mend it first.", error.message));
        }
        let typed = self.filter.text().trim().to_owned();
        let (tab, filter) = match self.list.tab() {
            Tab::Snoozed => {
                return Err("Snoozes are kept on this machine, not in a view: save from another tab.".to_owned());
            }
            Tab::All => (ViewTab::All, typed),
            Tab::Mine => (ViewTab::Mine, typed),
            Tab::Status(key) => (ViewTab::Status(key.clone()), typed),
            // On a view's tab: that view, narrowed by what is typed.
            Tab::View(i) => {
                let base = self.settings.views.get(*i).cloned().ok_or("That view is gone.")?;
                let filter = [base.filter.as_str(), typed.as_str()].join(" ").trim().to_owned();
                (base.tab, filter)
            }
        };
        let sort = Some(self.list.sort()).filter(|&sort| sort != super::list::DEFAULT_SORT);
        self.overlay = super::Overlay::None;
        Ok(vec![Cmd::SaveView(SavedView { name, filter, tab, sort })])
    }

    /// The runtime wrote the view into `path` (or could not).
    pub(super) fn view_saved(&mut self, view: SavedView, result: Result<(Saved, PathBuf), String>) {
        let (saved, path) = match result {
            Ok(done) => done,
            Err(why) => {
                self.notify(Level::Error, format!("View {:?} not saved: {why}", view.name));
                return;
            }
        };
        let mut views = self.settings.views.clone();
        let name = view.name.clone();
        match views.iter().position(|v| v.name.eq_ignore_ascii_case(&view.name)) {
            Some(i) => views[i] = view,
            None => views.push(view),
        }
        let at = views.iter().position(|v| v.name == name).unwrap_or(0);
        self.set_views(views);
        // What was typed is in the view now: show the view itself.
        self.filter = super::TextInput::new("", false);
        self.apply_filter();
        self.open_tab(Tab::View(at));
        let how = if saved == Saved::Replaced { "replaced" } else { "saved" };
        self.notify(Level::Success, format!("View {name:?} {how} in {}.", path.display()));
    }
}
