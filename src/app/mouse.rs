//! The mouse, already placed by the view: a click or a turn of the wheel on a row of the
//! list, a tab, the list or the detail. Opt-in (`mouse = true`), so it arrives only when asked
//! for; while a dialog or overlay is open it does nothing (the keys say what it does there).

use super::{App, Focus, Overlay};

/// Lines the wheel moves at a time.
const WHEEL_LINES: isize = 3;

/// What the pointer was over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A row of the list, by its position in the shown order.
    Row(usize),
    /// A status tab, by its index among the tabs.
    Tab(usize),
    List,
    Detail,
}

impl App {
    pub(super) fn click(&mut self, target: Target) {
        if self.overlay != Overlay::None {
            return;
        }
        match target {
            Target::Row(position) => {
                self.focus = Focus::List;
                self.list.select_position(position);
                self.detail_scroll = 0;
            }
            Target::Tab(index) => {
                if let Some(tab) = self.tabs().get(index).cloned() {
                    self.open_tab(tab);
                }
            }
            Target::List => self.focus = Focus::List,
            Target::Detail => self.focus = Focus::Detail,
        }
    }

    pub(super) fn wheel(&mut self, target: Target, down: bool) {
        if self.overlay != Overlay::None {
            return;
        }
        let lines = if down { WHEEL_LINES } else { -WHEEL_LINES };
        match target {
            Target::Detail => {
                let by = u16::try_from(WHEEL_LINES).unwrap_or(1);
                self.detail_scroll = if down {
                    self.detail_scroll.saturating_add(by).min(self.viewport.detail_max_scroll)
                } else {
                    self.detail_scroll.saturating_sub(by)
                };
            }
            Target::Row(_) | Target::List => {
                self.list.move_by(lines);
                self.detail_scroll = 0;
            }
            Target::Tab(_) => {}
        }
    }
}
