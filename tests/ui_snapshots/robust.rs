//! The view's guarantees: it never panics (any size, hostile or huge content), never draws a
//! control character, and costs only the visible rows with 100,000 alerts.

use blnk_alerts::app::{Access, App, Msg};
use blnk_alerts::domain::{Alert, AlertId, sanitize};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

use super::{ctrl, fixture, loaded_with, now, press, typed};
use blnk_alerts::ui::{self, ViewState};

/// Alerts a hostile or broken server could send, decoded and sanitized as the client does.
fn hostile() -> Vec<Alert> {
    let combining = format!("Z{}", "\u{301}".repeat(10_000));
    let cjk = "日本語のタイトル 👨‍👩‍👧‍👦 🇯🇵 漢字テスト ｱｲｳ ";
    let escapes = "evil\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}txt\r\nnext\u{9b}2J\u{0}\u{200b}end\ttab";
    let ids: Vec<String> = (0..5_000).map(|i| format!("bln_{i:08}\u{1b}[31m")).collect();
    let rows = [
        ("ano_huge", "word ".repeat(200_000), "line\n".repeat(200_000), "FLAGGED"),
        ("ano_combining", combining.clone(), combining.repeat(2), "INVESTIGATING"),
        ("ano_cjk", cjk.repeat(40), format!("{cjk}\n").repeat(300), "SOME_STATUS_NOBODY_LISTED_WITH_A_VERY_LONG_KEY"),
        ("ano_\u{1b}[2Jescape", escapes.to_owned(), escapes.repeat(50), "resolved"),
    ];
    rows.into_iter()
        .map(|(id, title, description, status)| {
            let value = json!({
                "anomaly_id": id, "title": title, "description": description, "type": "Wire\u{1b}[0m\u{202e}",
                "assigned_to": format!("{cjk}\n{escapes}"), "escalated_to": ids[..1_000].to_vec(), "status": status,
                "created_at": "2026-01-15T12:00:00Z", "updated_at": "2026-01-15T12:00:00Z",
                "affected_balances": ids.clone(), "affected_identities": [escapes], "affected_transactions": null,
            });
            serde_json::from_value::<Alert>(value).expect("hostile alert decodes").sanitized()
        })
        .chain(fixture())
        .collect()
}

/// The hostile list under each overlay and focus the user can reach.
fn states() -> Vec<App> {
    let base = || loaded_with(Access::ReadWrite, hostile());
    let mut states = Vec::new();
    // Each hostile alert selected in turn (they are the newest, so first), then one scrolled.
    for row in 0..4 {
        let mut app = base();
        for _ in 0..row {
            press(&mut app, KeyCode::Char('j'));
        }
        states.push(app);
    }
    let mut detail = base();
    press(&mut detail, KeyCode::Tab);
    for _ in 0..50 {
        press(&mut detail, KeyCode::Char('j'));
    }
    states.push(detail);
    // The last one edits the alert with the megabyte title and description (typing into it is
    // the model's cost, O(length) per character, so nothing is pasted there).
    for keys in ["?", "/", "f", "t", "e", "jje"] {
        let mut app = base();
        typed(&mut app, keys);
        if keys != "jje" {
            app.update(Msg::Paste(format!("日本👨‍👩‍👧‍👦\u{202e}\u{1b}x{}\nsecond line", "\u{301}".repeat(500))));
        }
        states.push(app);
    }
    let mut conflict = base();
    typed(&mut conflict, "je!");
    ctrl(&mut conflict, 's');
    let latest = conflict.list.selected().expect("selected").clone();
    conflict.update(Msg::EditConflict { latest });
    states.push(conflict);
    states
}

fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    let mut view = ViewState::default();
    terminal.draw(|f| ui::draw(f, app, &mut view)).expect("draws");
    terminal
}

/// Every cell holds printable text: no control character, nothing the sanitizer would change.
fn assert_printable(terminal: &Terminal<TestBackend>, what: &str) {
    for cell in terminal.backend().buffer().content() {
        let symbol = cell.symbol();
        assert!(!symbol.chars().any(char::is_control), "{what}: control char in {symbol:?}");
        assert_eq!(sanitize(symbol), symbol, "{what}: unsanitized {symbol:?}");
    }
}

#[test]
fn no_size_and_no_content_makes_the_view_panic() {
    let states = states();
    for width in (0..=60).step_by(3) {
        for height in (0..=20).step_by(2) {
            for app in &states {
                draw(app, width, height);
            }
        }
    }
    for (width, height) in [(1, 1), (300, 100), (1_000, 3), (3, 500), (u16::MAX, 1), (1, 2_000)] {
        for app in &states {
            draw(app, width, height);
        }
    }
    let mut empty = loaded_with(Access::ReadWrite, Vec::new());
    for size in [(0, 0), (40, 12), (200, 60)] {
        draw(&empty, size.0, size.1);
        typed(&mut empty, "f");
        draw(&empty, size.0, size.1);
    }
}

#[test]
fn hostile_content_draws_no_control_character() {
    for (i, app) in states().iter().enumerate() {
        for (width, height) in [(140, 40), (80, 40), (40, 12)] {
            assert_printable(&draw(app, width, height), &format!("state {i} at {width}x{height}"));
        }
    }
}

/// 100,000 alerts: each frame builds only the rows it shows, and the selection stays in view.
#[test]
fn a_hundred_thousand_alerts_draw_only_what_shows() {
    let template = fixture().remove(0);
    let alerts: Vec<Alert> = (0..100_000)
        .map(|i| {
            let mut alert = template.clone();
            alert.anomaly_id = format!("ano_{i:06}").parse::<AlertId>().expect("valid id");
            alert.title = Some(format!("Alert number {i}"));
            alert.created_at = (now() - chrono::Duration::seconds(i)).fixed_offset();
            alert
        })
        .collect();
    let mut app = loaded_with(Access::ReadWrite, alerts);
    let mut terminal = Terminal::new(TestBackend::new(140, 40)).expect("test terminal");
    let mut view = ViewState::default();
    let keys = [KeyCode::PageDown, KeyCode::Char('j'), KeyCode::End, KeyCode::Char('k'), KeyCode::Home];
    for frame in 0..50 {
        press(&mut app, keys[frame % keys.len()]);
        terminal.draw(|f| ui::draw(f, &app, &mut view)).expect("draws");
        let position = app.list.selected_position().expect("a selection");
        assert!(view.offset() <= position && position < view.offset() + 40, "row {position} in view");
        let title = app.list.selected().and_then(|a| a.title.clone()).expect("titled");
        let screen = terminal.backend().to_string();
        let row = screen.lines().find(|l| l.contains('▶')).expect("a highlighted row");
        assert!(row.contains(&format!("{title} ")), "{row} shows {title}");
    }
}
