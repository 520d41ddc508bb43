//! What each browsing action does: moving, tabs, sorting, opening forms and overlays, marks,
//! snoozes, copies. Keys, the palette and clicks all end here. Part of `App::update`; pure.

use super::{Action, App, Cmd, Context, Focus, Form, Level, Overlay, Picker};

impl App {
    pub(super) fn browse_action(&mut self, action: Action) -> Vec<Cmd> {
        if action.is_mutating(Context::Browse) && self.read_only() {
            self.notify(Level::Info, "Read-only mode: nothing can be changed from this screen.");
            return Vec::new();
        }
        let page = isize::try_from(self.viewport.list_rows.max(1)).unwrap_or(1);
        match action {
            Action::Quit => self.should_quit = true,
            Action::Up | Action::Down if self.focus == Focus::Detail => {
                self.detail_scroll = if action == Action::Up {
                    self.detail_scroll.saturating_sub(1)
                } else {
                    self.detail_scroll.saturating_add(1).min(self.viewport.detail_max_scroll)
                };
            }
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-page),
            Action::PageDown => self.move_selection(page),
            Action::Top => self.select_position(0),
            Action::Bottom => self.select_position(usize::MAX),
            Action::ToggleFocus => self.focus = if self.focus == Focus::List { Focus::Detail } else { Focus::List },
            Action::Filter => self.overlay = Overlay::Filter,
            // Esc stops a bulk change under way, else clears the marks, else the filter.
            Action::ClearFilter if self.bulk.is_some() => return self.stop_bulk(),
            Action::ClearFilter if !self.marks.is_empty() => self.clear_marks(),
            Action::ClearFilter => self.clear_filter(),
            Action::Mark => self.toggle_mark(),
            Action::MarkAll => self.mark_all_shown(),
            Action::ClearMarks => self.clear_marks(),
            Action::Snooze => return self.snooze_key(),
            Action::Copy => match self.list.selected_id().cloned() {
                Some(id) => return self.copy(&id, super::CopyWhat::Id),
                None => self.notify(Level::Info, "No alert selected."),
            },
            Action::CopyMenu => self.copy_menu(),
            // The palette, with the action named, asks for the file.
            Action::Export => self.overlay = Overlay::Palette(super::Palette::with("export ")),
            Action::View => self.start_saving_view(),
            Action::Statuses => return self.open_statuses(),
            Action::OpenWeb => return self.open_web(),
            Action::Stats => self.open_stats(),
            Action::Source => return self.walk(crate::domain::Link::Source),
            Action::Destination => return self.walk(crate::domain::Link::Destination),
            Action::Identity => return self.walk(crate::domain::Link::Identity),
            Action::Back => return self.walk_back(),
            Action::History => return self.toggle_history(),
            Action::Neighbour => return self.jump_to_neighbour(),
            Action::CycleSort => {
                let (key, reversed) = self.list.sort();
                self.list.set_sort(key.next(), reversed);
                self.notify(Level::Info, format!("Sorted by {}", key.next().label()));
            }
            Action::ReverseSort => {
                let (key, reversed) = self.list.sort();
                self.list.set_sort(key, !reversed);
            }
            Action::PrevTab | Action::NextTab => self.switch_tab(action == Action::NextTab),
            Action::Flag => self.open_form(Form::flag()),
            Action::FlagEntity => self.flag_entity(),
            Action::Edit if self.draft_jump.as_ref().is_some_and(|(_, until)| self.now < *until) => {
                self.go_to_draft();
            }
            Action::Edit => match self.list.selected() {
                Some(alert) => self.open_form(Form::edit(alert)),
                None => self.notify(Level::Info, "No alert selected."),
            },
            Action::PickStatus if self.bulk.is_some() => {
                self.notify(Level::Info, "A bulk change is under way: wait for its report (Esc stops it).");
            }
            Action::PickStatus => self.open_picker(),
            Action::Refresh => return self.refresh_once(),
            Action::TogglePause => self.toggle_pause(),
            Action::Help => {
                self.overlay = Overlay::Help;
                self.help_scroll = 0;
            }
            Action::Palette => self.overlay = Overlay::Palette(super::Palette::default()),
            Action::ShowLog => {
                self.overlay = Overlay::Log;
                self.log.from_end = 0;
            }
            Action::Suspend => return vec![Cmd::Suspend],
            Action::LogLevel
            | Action::Follow
            | Action::NextField
            | Action::PrevField
            | Action::Submit
            | Action::Cancel
            | Action::Overwrite
            | Action::Reload
            | Action::KeepEditing
            | Action::Discard
            | Action::New
            | Action::Delete => {}
        }
        Vec::new()
    }

    /// `e` while a waiting edit draft's notice shows: to its alert (in the All tab, unfiltered,
    /// if the view hides it), with the draft's text.
    fn go_to_draft(&mut self) {
        let Some((id, _)) = self.draft_jump.take() else { return };
        self.list.select_id(&id);
        if self.list.selected_id() != Some(&id) {
            self.clear_filter();
            self.list.set_tab(super::Tab::All);
            self.list.select_id(&id);
        }
        match self.list.selected().filter(|a| a.anomaly_id == id) {
            Some(alert) => {
                let form = Form::edit(alert);
                self.open_form(form);
            }
            None => self.notify(Level::Info, format!("{id} is not in the list any more; its draft is kept.")),
        }
    }

    fn toggle_pause(&mut self) {
        self.sync.paused = !self.sync.paused;
        let text = if self.sync.paused {
            format!("Polling paused ({} resumes).", self.key_for(Context::Browse, Action::TogglePause))
        } else {
            "Polling resumed.".to_owned()
        };
        self.notify(Level::Info, text);
    }

    /// A flag form for the entity the panel shows (the selected alert's own, or one walked to).
    fn flag_entity(&mut self) {
        if let Some(shown) = self.entity.shown() {
            let form = Form::flag_entity(shown.as_str());
            self.open_form(form);
            return;
        }
        match self.list.selected().map(crate::domain::Alert::entity) {
            Some(Some(entity)) => {
                let form = Form::flag_entity(entity);
                self.open_form(form);
            }
            Some(None) => self.notify(Level::Info, "This alert names no entity."),
            None => self.notify(Level::Info, "No alert selected."),
        }
    }

    /// The status picker on the selected alert, at its status (it changes the marked ones, if any).
    fn open_picker(&mut self) {
        match self.list.selected() {
            Some(alert) => {
                let mut picker = Picker::new(alert.anomaly_id.clone(), alert.status.clone());
                picker.cursor = self.statuses.iter().position(|s| s.key == alert.status).unwrap_or(0);
                picker.marked = self.marks.len();
                self.overlay = Overlay::Picker(picker);
            }
            None => self.notify(Level::Info, "No alert selected."),
        }
    }

    /// `r`: the alerts, statuses and entity shown, once; a paused dashboard stays paused, and
    /// says so.
    fn refresh_once(&mut self) -> Vec<Cmd> {
        if self.sync.paused {
            let resume = self.key_for(Context::Browse, Action::TogglePause);
            self.notify(Level::Info, format!("Refreshed once; polling stays paused ({resume} resumes)."));
        }
        let mut cmds: Vec<Cmd> = self.fetch_statuses().into_iter().collect();
        cmds.extend(self.fetch_alerts());
        cmds.extend(self.refresh_entity());
        cmds
    }

    fn move_selection(&mut self, delta: isize) {
        self.list.move_by(delta);
        self.detail_scroll = 0;
    }

    fn select_position(&mut self, position: usize) {
        self.list.select_position(position);
        self.detail_scroll = 0;
    }

    fn switch_tab(&mut self, forward: bool) {
        let tabs = self.tabs();
        let current = tabs.iter().position(|t| t == self.list.tab()).unwrap_or(0);
        let next = if forward { (current + 1) % tabs.len() } else { (current + tabs.len() - 1) % tabs.len() };
        self.open_tab(tabs[next].clone());
    }
}
