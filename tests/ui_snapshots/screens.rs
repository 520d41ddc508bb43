//! Whole-screen snapshots: one per state a user meets (loading, loaded, empty, error, forms,
//! picker, help, read-only, too small). Review the `.snap` files as a user would.

use std::time::Duration;

use blnk_alerts::api::ApiError;
use blnk_alerts::app::{Access, Cmd, Msg};
use blnk_alerts::domain::Alert;
use crossterm::event::KeyCode;

use super::{
    alert_json, check, check_styled, ctrl, fixture, loaded, loaded_with, now, press, refresh, started, terminal, typed,
};

const ENTITY: &str = "bln_0b1e4c1a-7f3d-4a52-9e1b-2f6c8d9a0e11";

#[test]
fn loading() {
    check("loading", &started(Access::ReadWrite), 100, 24);
}

#[test]
fn loaded_wide_with_new_and_changed_alerts() {
    let mut app = loaded(Access::ReadWrite);
    let mut alerts = fixture();
    alerts[2].updated_at += chrono::Duration::minutes(1);
    let row = ("Burst of failed PIN attempts", "FLAGGED", "Identity", None, 1, 0, "Seven failures in a minute.");
    alerts.push(serde_json::from_value::<Alert>(alert_json(16, row)).expect("decodes"));
    refresh(&mut app, Ok(alerts));
    check("loaded_wide", &app, 140, 40);
}

#[test]
fn loaded_narrow_with_the_detail_focused() {
    let mut app = loaded(Access::ReadWrite);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Tab);
    check("loaded_narrow", &app, 80, 40);
}

#[test]
fn status_tab_while_paused() {
    let mut app = loaded(Access::ReadWrite);
    // Past All and "Assigned to me" to the first status.
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Char('p'));
    check("status_tab_flagged_paused", &app, 100, 24);
}

#[test]
fn empty_list() {
    check("empty_list", &loaded_with(Access::ReadWrite, Vec::new()), 100, 24);
}

#[test]
fn a_filter_that_cannot_be_read_shows_why_under_it_at_80_columns() {
    let mut app = loaded(Access::ReadWrite);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "-status:resolved foo:bar");
    check("filter_error", &app, 80, 24);
}

#[test]
fn filter_with_no_match_shows_the_input_and_cursor() {
    let mut app = loaded(Access::ReadWrite);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "zzz");
    check("filter_no_match", &app, 100, 24);
    let mut terminal = terminal(&app, 100, 24);
    // The list's border, then "Filter: " and the three letters typed.
    let cursor = terminal.get_cursor_position().expect("cursor");
    assert_eq!((cursor.x, cursor.y), (1 + 8 + 3, 3));
}

#[test]
fn stale_after_a_failed_refresh() {
    let mut app = loaded(Access::ReadWrite);
    let later = now() + chrono::Duration::seconds(65);
    let generation = app
        .update(Msg::Tick(later))
        .into_iter()
        .find_map(|c| match c {
            Cmd::FetchAlerts { generation, .. } => Some(generation),
            _ => None,
        })
        .expect("the tick polls");
    let error = ApiError::Transport { host: "api.cloud.blnkfinance.com".into(), reason: "connection refused".into() };
    app.update(Msg::AlertsLoaded { generation, result: Err(error) });
    check("stale_error", &app, 140, 30);
    // Narrower, the reason has rows of its own under the title, whole; the time stays in sight.
    check("stale_error_80x24", &app, 80, 24);
}

#[test]
fn flag_form_empty() {
    let mut app = loaded(Access::ReadWrite);
    press(&mut app, KeyCode::Char('f'));
    check("flag_form_empty", &app, 100, 30);
}

#[test]
fn flag_form_with_a_wrong_prefix() {
    let mut app = loaded(Access::ReadWrite);
    press(&mut app, KeyCode::Char('f'));
    typed(&mut app, "ldg_0b1e4c1a-7f3d-4a52-9e1b-2f6c8d9a0e11");
    check("flag_form_wrong_prefix", &app, 100, 30);
}

/// Opens the flag form, fills it in validly and sends it.
fn sent_flag(app: &mut blnk_alerts::app::App) {
    press(app, KeyCode::Char('f'));
    typed(app, ENTITY);
    press(app, KeyCode::Tab);
    typed(app, "Payout to new beneficiary");
    press(app, KeyCode::Tab);
    typed(app, "First payout to this beneficiary,");
    press(app, KeyCode::Enter);
    typed(app, "right after a password reset.");
    assert!(ctrl(app, 's').iter().any(|c| matches!(c, Cmd::Flag { .. })));
}

#[test]
fn flag_form_with_a_server_error() {
    let mut app = loaded(Access::ReadWrite);
    sent_flag(&mut app);
    let refused = ApiError::Status { status: 422, message: "balance not found".into(), retry_after: None };
    app.update(Msg::Flagged(Err(refused)));
    check("flag_form_server_error", &app, 100, 30);
}

#[test]
fn flag_form_verifying_after_a_timeout() {
    let mut app = loaded(Access::ReadWrite);
    sent_flag(&mut app);
    app.update(Msg::Flagged(Err(ApiError::Timeout { after: Duration::from_secs(10) })));
    check("flag_form_verifying", &app, 100, 30);
}

#[test]
fn edit_form() {
    let mut app = loaded(Access::ReadWrite);
    press(&mut app, KeyCode::Char('e'));
    check("edit_form", &app, 100, 30);
}

#[test]
fn edit_conflict_shows_both_versions() {
    let mut app = loaded(Access::ReadWrite);
    let mut latest = app.list.selected().expect("selected").clone();
    press(&mut app, KeyCode::Char('e'));
    typed(&mut app, " (confirmed)");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "Merchant confirmed a promotion.");
    assert!(ctrl(&mut app, 's').iter().any(|c| matches!(c, Cmd::Update { .. })));
    latest.title = Some("Velocity spike on payout balance (false positive)".into());
    latest.description = "Closed by Li: the merchant runs a weekly payout.".into();
    latest.assigned_to = Some("Li Wei".into());
    app.update(Msg::EditConflict { latest });
    check("edit_conflict", &app, 120, 34);
}

#[test]
fn confirm_discard() {
    let mut app = loaded(Access::ReadWrite);
    press(&mut app, KeyCode::Char('f'));
    typed(&mut app, "txn_");
    press(&mut app, KeyCode::Esc);
    check("confirm_discard", &app, 100, 30);
}

#[test]
fn status_picker_with_a_query() {
    let mut app = loaded(Access::ReadWrite);
    press(&mut app, KeyCode::Char('t'));
    let all = terminal(&app, 100, 30).backend().to_string();
    assert!(all.lines().any(|l| l.contains("▶ ■ Flagged") && l.contains("(current)")), "{all}");
    typed(&mut app, "in");
    check("status_picker", &app, 100, 30);
}

#[test]
fn help_overlay() {
    let mut app = loaded(Access::ReadWrite);
    press(&mut app, KeyCode::Char('?'));
    check("help", &app, 140, 40);
}

#[test]
fn help_overlay_read_only_marks_what_is_disabled() {
    let mut app = loaded(Access::ReadOnly);
    press(&mut app, KeyCode::Char('?'));
    check("help_read_only", &app, 140, 40);
}

#[test]
fn read_only_badge_and_notice() {
    let mut app = loaded(Access::ReadOnly);
    press(&mut app, KeyCode::Char('f'));
    check("read_only_notice", &app, 120, 30);
}

#[test]
fn too_small() {
    check("too_small", &loaded(Access::ReadWrite), 39, 11);
}

/// Each theme over the whole 80x24 screen, colours and all (the buffer's style runs): the
/// profile badge in its colour, the selection, the status colours, the footer's keys.
#[test]
fn each_theme_colours_the_whole_screen() {
    use blnk_alerts::config::ProfileName;
    use blnk_alerts::theme::Theme;
    use ratatui::style::Color;
    for (name, theme) in [("theme_dark", Theme::dark()), ("theme_light", Theme::light()), ("theme_mono", Theme::mono())]
    {
        let mut app = loaded(Access::ReadWrite);
        app.settings.theme = theme;
        app.settings.profile = Some(ProfileName { name: "prod".into(), colour: Some(Color::Red) });
        press(&mut app, KeyCode::Char('j'));
        check_styled(name, &app, 80, 24);
    }
}

/// The sizes people use: 80x24 shows the description without scrolling, a sign where tabs are
/// hidden, and keeps `? help` and `q quit`; 200x60 spends its width on entity ids and names.
#[test]
fn every_terminal_size_keeps_what_matters_in_sight() {
    for (width, height) in [(80, 24), (120, 40), (200, 60)] {
        let mut app = loaded(Access::ReadWrite);
        press(&mut app, KeyCode::Char('j'));
        check(&format!("size_{width}x{height}"), &app, width, height);
    }
    let mut app = loaded(Access::ReadWrite);
    press(&mut app, KeyCode::Char('['));
    check("size_80x24_last_tabs", &app, 80, 24);
}

/// Help at 80x24 scrolls: its first rows, then (after the view reports its size) the last ones.
#[test]
fn help_at_80x24_scrolls_to_show_everything() {
    let mut app = loaded(Access::ReadWrite);
    press(&mut app, KeyCode::Char('?'));
    let mut view = blnk_alerts::ui::ViewState::default();
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).expect("terminal");
    terminal.draw(|f| blnk_alerts::ui::draw(f, &app, &mut view)).expect("draws");
    app.update(Msg::Viewport(view.viewport()));
    assert!(app.viewport.help_max_scroll > 0, "help is taller than 80x24");
    check("help_80x24_top", &app, 80, 24);
    press(&mut app, KeyCode::Char('G'));
    check("help_80x24_bottom", &app, 80, 24);
}

/// The log view at 100x24: newest at the bottom, levels coloured, a server's text sanitized.
#[test]
fn log_view_with_requests_and_a_failure() {
    use blnk_alerts::logging::{Entry, Level};
    let mut app = loaded(Access::ReadWrite);
    let entry =
        |secs: i64, level, text: &str| Entry { at: now() + chrono::Duration::seconds(secs), level, text: text.into() };
    app.update(Msg::Logged(vec![
        entry(0, Level::Info, "started version=\"0.1.0\" what=\"dashboard\""),
        entry(1, Level::Info, "connected host=\"api.cloud.blnkfinance.com\" profile=\"prod\""),
        entry(2, Level::Info, "request method=GET path=/alerts status=200 ms=412 attempt=1"),
        entry(7, Level::Warn, "request failed method=GET path=/alerts status=503 ms=30 attempt=1 error=status"),
        entry(8, Level::Error, "a draft could not be saved error=\"disk full\u{1b}[2J\""),
        entry(9, Level::Debug, "retrying in 2 s"),
    ]));
    press(&mut app, KeyCode::Char('L'));
    check("log_view", &app, 100, 24);
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('v'));
    check("log_view_warnings", &app, 100, 24);
}

/// A key remapped in the config file shows in the footer, in help and in the palette at once.
#[test]
fn a_remapped_key_shows_in_the_footer_help_and_palette() {
    use blnk_alerts::keymap::{Context, Key};
    let mut app = loaded(Access::ReadWrite);
    let keys = [Key::parse("n").expect("a key"), Key::parse("ctrl-n").expect("a key")];
    app.settings.keymap.bind(Context::Browse, "flag", &keys).expect("binds");
    let screen = |app: &blnk_alerts::app::App| terminal(app, 140, 40).backend().to_string();
    assert!(screen(&app).contains("n flag"), "footer:\n{}", screen(&app));
    press(&mut app, KeyCode::Char('?'));
    assert!(screen(&app).contains("n/Ctrl-N   flag a new entity"), "help:\n{}", screen(&app));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "flag");
    let palette = screen(&app);
    assert!(palette.contains("flag          n/Ctrl-N    flag a new entity"), "palette:\n{palette}");
    check("palette_flag", &app, 100, 24);
}

/// The fixture's first transaction alert selected, with the Data API's answer for it.
fn on_a_transaction(answer: Result<blnk_alerts::domain::Entity, ApiError>) -> blnk_alerts::app::App {
    let mut app = loaded(Access::ReadWrite);
    app.settings.instance_id = Some("instance_demo".into());
    while app.list.selected().is_some_and(|a| a.affected_transactions.is_empty()) {
        press(&mut app, KeyCode::Char('j'));
    }
    let id = app.entity.shown().cloned().expect("a transaction");
    app.update(Msg::EntityLoaded { id, result: answer.map(Box::new) });
    app
}

#[test]
fn the_entity_panel_shows_the_flagged_transactions_money_and_a_failure_in_one_line() {
    let json = r#"{"transaction_id": "txn_93c3f6dc-9c2c-46b0-89c5-1814cef4d0e4", "precise_amount": 23322634,
        "precision": 100, "currency": "ZAR", "source": "bln_845bbf20-cc0c-41d2-810b-24f104f1cb8b",
        "destination": "bln_e92a1ba7-92c7-427c-8c8f-bfdca55c875d", "reference": "ref_0455", "status": "REJECTED",
        "description": "Outbound wire", "created_at": "2026-01-15T11:40:00Z",
        "meta_data": {"blnk_rejection_reason": "insufficient funds in source balance", "channel": "api"}}"#;
    let entity = blnk_alerts::domain::Entity::decode(blnk_alerts::domain::EntityKind::Transaction, json.as_bytes());
    check("entity_transaction", &on_a_transaction(Ok(entity.expect("decodes"))), 140, 40);
    let forbidden = ApiError::Status { status: 403, message: "missing scope data:read".into(), retry_after: None };
    check("entity_forbidden", &on_a_transaction(Err(forbidden)), 140, 40);
}

#[test]
fn the_stats_view_draws_the_shape_of_the_queue() {
    let mut app = loaded(Access::ReadWrite);
    press(&mut app, KeyCode::Char('S'));
    check("stats", &app, 140, 40);
    press(&mut app, KeyCode::Char('x'));
    assert!(app.stats.is_none(), "any key closes it");
}

#[test]
fn an_edit_conflict_marks_what_each_side_changed_character_by_character() {
    let mut app = loaded(Access::ReadWrite);
    let mut latest = app.list.selected().expect("selected").clone();
    let title = latest.title.clone().unwrap_or_default();
    press(&mut app, KeyCode::Char('e'));
    typed(&mut app, " (confirmed)");
    assert!(ctrl(&mut app, 's').iter().any(|c| matches!(c, Cmd::Update { .. })));
    latest.title = Some(format!("{title}s"));
    app.update(Msg::EditConflict { latest });
    let inserted = app.settings.theme.inserted;
    let terminal = terminal(&app, 120, 34);
    let buffer = terminal.backend().buffer();
    // The marked characters of each pane, read left to right, top to bottom.
    let marked_in = |columns: std::ops::Range<u16>| -> String {
        (0..buffer.area.height)
            .flat_map(|y| columns.clone().map(move |x| (x, y)))
            .map(|(x, y)| &buffer[(x, y)])
            .filter(|cell| cell.fg == inserted.fg.unwrap_or_default() && cell.modifier.contains(inserted.add_modifier))
            .map(ratatui::buffer::Cell::symbol)
            .collect()
    };
    let middle = buffer.area.width / 2;
    assert_eq!(marked_in(0..middle), "s", "theirs: the one character they added");
    // (The title wraps there, and a wrapped line drops the space it broke at.)
    assert_eq!(marked_in(middle..buffer.area.width).trim(), "(confirmed)", "yours: what you typed");
}

#[test]
fn statuses_screen_with_a_new_status_being_typed_and_a_refusal() {
    let mut app = loaded(Access::ReadWrite);
    press(&mut app, KeyCode::Char('T'));
    press(&mut app, KeyCode::Char('n'));
    typed(&mut app, "Chargeback");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    let refused =
        ApiError::Status { status: 409, message: "status CHARGEBACK already exists".into(), retry_after: None };
    app.update(Msg::StatusWritten { write: blnk_alerts::app::StatusWrite::Created, result: Err(refused) });
    check("statuses_screen", &app, 100, 30);
}
