//! Rectangle helpers shared by the regions: centered popups and single rows, always clamped
//! inside the area they come from so no widget is ever drawn outside the frame.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::theme::Theme;

/// A `width` x `height` rectangle centered in `area`, shrunk to fit with a one-cell margin
/// when there is room for one.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let margin_x = u16::from(area.width > width.saturating_add(2)) * 2;
    let margin_y = u16::from(area.height > height.saturating_add(2)) * 2;
    let width = width.min(area.width.saturating_sub(margin_x));
    let height = height.min(area.height.saturating_sub(margin_y));
    let x = area.x + (area.width - width) / 2;
    let y = area.y + (area.height - height) / 2;
    Rect { x, y, width, height }.intersection(area)
}

/// The row `index` of `area` (empty when `area` has fewer rows).
pub fn row(area: Rect, index: u16) -> Rect {
    if index >= area.height {
        return Rect { y: area.y, height: 0, ..area };
    }
    Rect { y: area.y + index, height: 1, ..area }
}

/// `area` less one column on each side (for text that should not touch a border).
pub fn inset(area: Rect) -> Rect {
    let margin = area.width.min(1);
    Rect { x: area.x + margin, width: area.width.saturating_sub(2 * margin), ..area }
}

/// Clears `area` and draws a popup frame titled `title`; returns the inside.
pub fn popup(frame: &mut Frame, area: Rect, title: Line<'_>, theme: &Theme) -> Rect {
    frame.render_widget(Clear, area);
    let block = Block::bordered().title(title).title_style(theme.pane_title).border_style(theme.border_focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// One line of text in `area`, left-aligned.
pub fn line(frame: &mut Frame, area: Rect, line: Line<'_>) {
    frame.render_widget(Paragraph::new(line), area);
}

/// Puts the terminal cursor at `x`, `y` inside `area`, clamped to its last cell.
pub fn cursor(frame: &mut Frame, area: Rect, x: u16, y: u16) {
    if area.is_empty() {
        return;
    }
    let x = area.x.saturating_add(x.min(area.width - 1));
    let y = area.y.saturating_add(y.min(area.height - 1));
    frame.set_cursor_position(Position { x, y });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn popups_stay_inside_their_area() {
        let area = Rect::new(3, 2, 50, 20);
        for (w, h) in [(0, 0), (10, 5), (50, 20), (200, 200), (u16::MAX, u16::MAX)] {
            let popup = centered(area, w, h);
            assert_eq!(popup.intersection(area), popup, "{w}x{h}");
        }
        assert_eq!(centered(area, 10, 4), Rect::new(23, 10, 10, 4));
        assert_eq!(centered(Rect::ZERO, 10, 4), Rect::ZERO);
    }

    #[test]
    fn rows_past_the_end_are_empty() {
        let area = Rect::new(0, 5, 10, 2);
        assert_eq!(row(area, 1), Rect::new(0, 6, 10, 1));
        assert!(row(area, 2).is_empty());
    }
}
