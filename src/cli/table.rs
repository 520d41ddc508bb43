//! Tables for people and for programs. In a terminal a table is never wider than the terminal:
//! optional columns give way first, then the flexible one (the title) is cut with `…`. `--wide`
//! prints every column in full. When stdout is not a terminal the rows are tab-separated full
//! values with no header, so `cut`, `awk` and `sort` work (as `gh` does).

use std::io::{self, IsTerminal, Write};

use comfy_table::{ContentArrangement, Table};
use unicode_width::UnicodeWidthStr;

use crate::format;

/// Columns between two columns.
const GAP: usize = 2;
/// The flexible column keeps at least this many columns while optional ones are added...
const FLEXIBLE_MIN: usize = 24;
/// ...and below this many, every column is squeezed instead.
const FLEXIBLE_FLOOR: usize = 12;

/// How a table is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Fitted to a terminal this many columns wide.
    Fit(u16),
    /// Every column in full, however wide.
    Wide,
    /// Tab-separated full values, no header.
    Plain,
}

impl Shape {
    /// Plain when stdout is not a terminal; else wide or fitted to the terminal (`COLUMNS`
    /// first, as shells set it, then the terminal's own size).
    pub fn detect(wide: bool) -> Self {
        if !io::stdout().is_terminal() {
            return Self::Plain;
        }
        if wide {
            return Self::Wide;
        }
        let from_env = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok()).filter(|&c| c > 0);
        Self::Fit(from_env.or_else(|| crossterm::terminal::size().ok().map(|(w, _)| w)).unwrap_or(80))
    }

    pub fn is_plain(self) -> bool {
        self == Self::Plain
    }
}

/// A column: its header, whether it is the one cut to fit, and whether it may be left out
/// (lower numbers stay longest).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub flexible: bool,
    pub optional: Option<u8>,
}

impl Column {
    pub const fn fixed(header: &'static str) -> Self {
        Self { header, flexible: false, optional: None }
    }

    pub const fn flexible(header: &'static str) -> Self {
        Self { header, flexible: true, optional: None }
    }

    pub const fn optional(header: &'static str, rank: u8) -> Self {
        Self { header, flexible: false, optional: Some(rank) }
    }
}

/// Prints `rows` (one value per column, already single-line) in `shape`.
pub fn print(out: &mut impl Write, shape: Shape, columns: &[Column], rows: &[Vec<String>]) -> io::Result<()> {
    match shape {
        Shape::Plain => {
            for row in rows {
                let cells: Vec<String> = row.iter().map(|c| c.replace(['\t', '\n', '\r'], " ")).collect();
                writeln!(out, "{}", cells.join("\t"))?;
            }
            Ok(())
        }
        Shape::Wide => render(out, &table(columns, rows, &all(columns), None)),
        Shape::Fit(width) => {
            let shown = fitting(columns, rows, usize::from(width));
            let widths: Vec<usize> = shown.iter().map(|&i| natural(columns, rows, i)).collect();
            let fixed: usize =
                shown.iter().zip(&widths).filter(|(i, _)| !columns[**i].flexible).map(|(_, w)| w + GAP).sum();
            let room = usize::from(width).saturating_sub(fixed);
            let flexible = shown.iter().position(|&i| columns[i].flexible);
            match flexible {
                // The fixed columns fit whole: the flexible one takes what is left, cut with `…`.
                Some(f) if room >= FLEXIBLE_FLOOR => {
                    let column = shown[f];
                    let cut = room.min(widths[f]);
                    let rows: Vec<Vec<String>> = rows
                        .iter()
                        .map(|row| {
                            let mut row = row.clone();
                            if let Some(cell) = row.get_mut(column) {
                                *cell = format::truncate(cell, cut);
                            }
                            row
                        })
                        .collect();
                    render(out, &table(columns, &rows, &shown, None))
                }
                // Too narrow even for that: every column gives way rather than run off the screen.
                _ => render(out, &table(columns, rows, &shown, Some(width))),
            }
        }
    }
}

fn all(columns: &[Column]) -> Vec<usize> {
    (0..columns.len()).collect()
}

/// The widest cell of column `i`, header included. (In `usize`: a server's text can be wider
/// than any terminal, and sums of such widths must not overflow.)
fn natural(columns: &[Column], rows: &[Vec<String>], i: usize) -> usize {
    let cells = rows.iter().filter_map(|r| r.get(i)).map(|c| c.width());
    cells.chain([columns[i].header.width()]).max().unwrap_or(0)
}

/// The columns that fit in `width`: every required one, then the optional ones by rank while the
/// flexible column keeps its minimum.
fn fitting(columns: &[Column], rows: &[Vec<String>], width: usize) -> Vec<usize> {
    let cost = |i: usize| {
        let w = natural(columns, rows, i);
        if columns[i].flexible { w.min(FLEXIBLE_MIN) } else { w }
    };
    let mut shown: Vec<usize> = (0..columns.len()).filter(|&i| columns[i].optional.is_none()).collect();
    let mut used: usize = shown.iter().map(|&i| cost(i) + GAP).sum();
    let mut optional: Vec<usize> = (0..columns.len()).filter(|&i| columns[i].optional.is_some()).collect();
    optional.sort_by_key(|&i| columns[i].optional);
    for i in optional {
        let more = cost(i) + GAP;
        if used.saturating_add(more) <= width.saturating_add(GAP) {
            used += more;
            shown.push(i);
        }
    }
    shown.sort_unstable();
    shown
}

/// The table of the `shown` columns, as they are or squeezed into `width`.
fn table(columns: &[Column], rows: &[Vec<String>], shown: &[usize], squeeze: Option<u16>) -> Table {
    let mut table = Table::new();
    table.load_style(comfy_table::presets::NOTHING);
    table.set_header(shown.iter().map(|&i| columns[i].header));
    for row in rows {
        table.add_row(shown.iter().map(|&i| row.get(i).map_or("", String::as_str)));
    }
    if let Some(width) = squeeze {
        table.set_content_arrangement(ContentArrangement::Dynamic).set_width(width);
        // A cell too wide for its column is cut to one line ending in `…`, not wrapped.
        for row in table.row_iter_mut() {
            row.max_height(1);
        }
    }
    let last = shown.len().saturating_sub(1);
    for (n, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, if n == last { 0 } else { 2 }));
    }
    table
}

fn render(out: &mut impl Write, table: &Table) -> io::Result<()> {
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: [Column; 5] = [
        Column::fixed("ID"),
        Column::fixed("STATUS"),
        Column::optional("TYPE", 1),
        Column::flexible("TITLE"),
        Column::optional("ENTITY", 2),
    ];

    fn rows() -> Vec<Vec<String>> {
        (0..20)
            .map(|n| {
                vec![
                    format!("ano_{n:036}"),
                    if n % 2 == 0 { "Pending Review".into() } else { "Flagged".into() },
                    "Transaction".into(),
                    format!("A long title about structuring in payouts to many new accounts, number {n}"),
                    format!("bln_{n:036}"),
                ]
            })
            .collect()
    }

    fn printed(shape: Shape) -> String {
        let mut out = Vec::new();
        print(&mut out, shape, &COLUMNS, &rows()).expect("prints");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn a_fitted_table_is_never_wider_than_the_terminal_and_keeps_ids_whole() {
        for width in 30..=220 {
            let text = printed(Shape::Fit(width));
            for line in text.lines() {
                assert!(line.width() <= usize::from(width), "{width}: {line:?}");
            }
            assert_eq!(text.lines().count(), 21, "{width}: one line per row:\n{text}");
            if width >= 72 {
                assert!(text.contains(&format!("ano_{:036}", 7)), "{width}: the id is whole:\n{text}");
            }
        }
        let narrow = printed(Shape::Fit(80));
        assert!(!narrow.contains("ENTITY") && narrow.contains('…'), "{narrow}");
        let roomy = printed(Shape::Fit(200));
        assert!(roomy.contains("ENTITY") && roomy.contains("TYPE"), "{roomy}");
    }

    #[test]
    fn a_giant_cell_from_a_server_still_fits() {
        let mut rows = rows();
        rows[0][4] = "x".repeat(70_000);
        rows[1][3] = "y".repeat(70_000);
        let mut out = Vec::new();
        print(&mut out, Shape::Fit(80), &COLUMNS, &rows).expect("prints");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.lines().all(|l| l.width() <= 80), "{}", &text[..400]);
    }

    #[test]
    fn wide_prints_everything_and_plain_is_tab_separated_without_a_header() {
        let wide = printed(Shape::Wide);
        assert!(wide.contains("number 19") && wide.contains("ENTITY"), "{wide}");
        let plain = printed(Shape::Plain);
        assert!(!plain.contains("ID"), "{plain}");
        let first = plain.lines().next().expect("a row");
        assert_eq!(first.split('\t').count(), 5, "{first}");
        assert!(first.ends_with(&format!("bln_{:036}", 0)), "{first}");
    }
}
