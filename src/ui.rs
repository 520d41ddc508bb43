//! The view: draws the borrowed `App` into a frame, one helper per screen region. It changes
//! nothing in the model; its only state is the list's scroll offset (`ViewState`).

mod bulk;
mod conflict;
mod detail;
mod diff;
mod entity;
mod form;
mod header;
mod help;
mod input;
mod layout;
mod log;
mod menu;
mod palette;
mod picker;
mod stats;
mod status_bar;
mod statuses;
mod table;
mod text;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Clear, Paragraph};

pub use crate::theme::Theme;

use crate::app::{App, Overlay, Target, Viewport};

/// The smallest terminal the dashboard draws into; below it only a short message shows.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// From this width the list and the detail sit side by side; narrower, they are stacked.
pub const SIDE_BY_SIDE_WIDTH: u16 = 120;
/// The widest the detail pane gets beside the list.
const DETAIL_MAX_WIDTH: u16 = 72;

/// What the view remembers between frames: where the list is scrolled to, and what the
/// last frame could show (which the runtime reports back to the model).
#[derive(Debug, Default)]
pub struct ViewState {
    offset: usize,
    viewport: Viewport,
    /// Where things were drawn, to place a click: the list's rows, the list and detail panes,
    /// and each tab's columns on the tabs row.
    rows: Rect,
    list: Rect,
    detail: Rect,
    tabs_row: Rect,
    tabs: Vec<(u16, u16, usize)>,
}

impl ViewState {
    /// The first visible row of the list, in the list's display order.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// How many alerts the list showed and how far the detail could scroll, last frame.
    pub fn viewport(&self) -> Viewport {
        self.viewport
    }

    /// What is at `column`, `row` of the last frame: a row of the list, a tab, a pane.
    pub fn target(&self, column: u16, row: u16) -> Option<Target> {
        let at = ratatui::layout::Position::new(column, row);
        if self.rows.contains(at) {
            return Some(Target::Row(self.offset + usize::from(row - self.rows.y)));
        }
        if self.tabs_row.contains(at) {
            return self.tabs.iter().find(|(from, to, _)| (*from..*to).contains(&column)).map(|t| Target::Tab(t.2));
        }
        if self.list.contains(at) {
            return Some(Target::List);
        }
        self.detail.contains(at).then_some(Target::Detail)
    }
}

/// Draws the whole screen for `app`; keeps the selected row within the list's visible rows.
pub fn draw(frame: &mut Frame, app: &App, view: &mut ViewState) {
    let area = frame.area();
    let theme = &app.settings.theme;
    (view.rows, view.list, view.detail, view.tabs_row) =
        (Rect::default(), Rect::default(), Rect::default(), Rect::default());
    view.tabs.clear();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(frame, area);
        return;
    }
    let header_rows = header::height(app, area.width);
    let [header_area, body, status_area] =
        Layout::vertical([Constraint::Length(header_rows), Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    header::draw(frame, header_area, app, view, theme);
    let (list_area, detail_area) = split_panes(body);
    (view.list, view.detail) = (list_area, detail_area);
    table::draw(frame, list_area, app, view, theme);
    detail::draw(frame, detail_area, app, view, theme);
    status_bar::draw(frame, status_area, app, theme);
    (view.viewport.help_rows, view.viewport.help_max_scroll, view.viewport.log_rows) = (0, 0, 0);
    match &app.overlay {
        Overlay::None | Overlay::Filter => {}
        Overlay::Help => help::draw(frame, body, app, view, theme),
        Overlay::Stats => stats::draw(frame, body, app, theme),
        Overlay::Log => log::draw(frame, body, app, view, theme),
        Overlay::Palette(palette) => palette::draw(frame, body, app, palette, theme),
        Overlay::BulkConfirm(change) => bulk::draw(frame, body, app, change, theme),
        Overlay::Menu(menu) => menu::draw(frame, body, app, menu, theme),
        Overlay::Statuses(screen) => statuses::draw(frame, body, app, screen, theme),
        Overlay::Form(form) => form::draw(frame, body, form, &app.settings.keymap, app.settings.utc_offset, theme),
        Overlay::Picker(picker) => picker::draw(frame, body, app, picker, theme),
    }
}

/// The list and detail panes: side by side when wide enough, else list on top.
fn split_panes(body: Rect) -> (Rect, Rect) {
    if body.width >= SIDE_BY_SIDE_WIDTH {
        // The detail takes 40%, up to DETAIL_MAX_WIDTH: beyond that its text only gets longer
        // lines, while the list's entity ids and names can use the room.
        let detail = (body.width / 5 * 2).min(DETAIL_MAX_WIDTH);
        let [list, detail] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(detail)]).areas(body);
        (list, detail)
    } else {
        let [list, detail] = Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]).areas(body);
        (list, detail)
    }
}

fn draw_too_small(frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    let message = format!("Terminal too small (need {MIN_WIDTH}x{MIN_HEIGHT})");
    let y = area.y + area.height / 2;
    let line = Rect { y, height: area.height.min(1), ..area };
    frame.render_widget(Paragraph::new(message).centered(), line);
}
