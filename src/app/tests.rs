//! Tests of `App::update`: messages in, state and commands out; no terminal, no network.

use std::time::Duration;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::domain::StatusList;

/// A minimal alert for tests.
pub(crate) fn alert(id: &str, title: &str, status: &str, kind: &str) -> Alert {
    let json = serde_json::json!({
        "anomaly_id": id, "title": title, "description": format!("about {title}"), "type": kind,
        "assigned_to": "Ada Okafor", "status": status,
        "created_at": "2026-01-15T09:00:00Z", "updated_at": "2026-01-15T09:00:00Z",
        "affected_balances": ["bln_20f02af6-3728-4d37-9b5a-c7ed080f09df"],
        "affected_identities": [], "affected_transactions": []
    });
    serde_json::from_value(json).expect("test alert decodes")
}

fn at(minute: u32) -> Alert {
    let mut a = alert(&format!("ano_{minute:03}"), &format!("alert {minute}"), "FLAGGED", "Balance");
    let ts = DateTime::parse_from_rfc3339(&format!("2026-01-15T10:{minute:02}:00Z")).expect("valid");
    a.created_at = ts;
    a.updated_at = ts;
    a
}

pub(crate) fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-15T12:00:00Z").expect("valid").to_utc()
}

pub(crate) fn app(access: Access) -> App {
    let settings = Settings {
        access,
        cadence: Cadence::Adaptive(Duration::from_secs(5)),
        bell: false,
        source: "DEMO".into(),
        profile: None,
        me: Vec::new(),
        utc_offset: chrono::FixedOffset::east_opt(0).expect("valid"),
        keymap: crate::keymap::Keymap::default(),
        theme: crate::theme::Theme::default(),
        notify: false,
        notify_filter: None,
        views: Vec::new(),
        web_url: None,
        instance_id: None,
    };
    App::new(settings, now())
}

fn press(app: &mut App, code: KeyCode) -> Vec<Cmd> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(app: &mut App, c: char) -> Vec<Cmd> {
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Starts the app and answers its first fetch with `alerts`.
fn loaded(access: Access, alerts: Vec<Alert>) -> App {
    let mut app = app(access);
    let generation = fetch_generation(&app.init()).expect("init fetches alerts");
    app.update(Msg::AlertsLoaded { generation, result: Ok(alerts) });
    app
}

fn fetch_generation(cmds: &[Cmd]) -> Option<u64> {
    cmds.iter().find_map(|c| match c {
        Cmd::FetchAlerts { generation, .. } => Some(*generation),
        _ => None,
    })
}

#[test]
fn newest_first_and_the_first_row_selected() {
    let app = loaded(Access::ReadWrite, vec![at(1), at(3), at(2)]);
    let ids: Vec<_> = app.list.visible_rows(0, 10).map(|a| a.anomaly_id.to_string()).collect();
    assert_eq!(ids, ["ano_003", "ano_002", "ano_001"]);
    assert_eq!(app.list.selected_id().map(AlertId::as_str), Some("ano_003"));
    assert!(!app.loading);
}

#[test]
fn selection_is_kept_by_id_across_refreshes_that_reorder_and_grow() {
    let mut app = loaded(Access::ReadWrite, vec![at(1), at(2), at(3)]);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.list.selected_id().map(AlertId::as_str), Some("ano_002"));
    let generation = fetch_generation(&app.update(Msg::Tick(now() + chrono::Duration::seconds(6)))).expect("poll due");
    app.update(Msg::AlertsLoaded { generation, result: Ok(vec![at(9), at(3), at(1), at(2), at(7)]) });
    assert_eq!(app.list.selected_id().map(AlertId::as_str), Some("ano_002"));
    assert_eq!(app.list.selected_position(), Some(3));
    let marked: Vec<_> = app.list.iter().filter(|a| app.list.is_unseen(a)).map(|a| a.anomaly_id.to_string()).collect();
    assert_eq!(marked.len(), 2, "the two new alerts are marked until selected: {marked:?}");
}

#[test]
fn polls_never_overlap_and_wait_for_the_interval() {
    let mut app = app(Access::ReadWrite);
    let first = fetch_generation(&app.init()).expect("initial fetch");
    assert_eq!(fetch_generation(&app.update(Msg::Tick(now() + chrono::Duration::seconds(30)))), None);
    assert_eq!(fetch_generation(&press(&mut app, KeyCode::Char('r'))), None, "r while in flight is queued");
    let cmds = app.update(Msg::AlertsLoaded { generation: first, result: Ok(vec![at(1)]) });
    assert!(fetch_generation(&cmds).is_some(), "the queued refresh goes out when the first lands");
}

#[test]
fn a_result_older_than_a_local_change_is_dropped() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    let stale = fetch_generation(&app.update(Msg::Tick(now() + chrono::Duration::seconds(6)))).expect("poll");
    let mut resolved = at(1);
    resolved.status = "RESOLVED".parse().expect("valid");
    app.update(Msg::Updated { id: resolved.anomaly_id.clone(), kind: UpdateKind::Edit, result: Ok(resolved) });
    let cmds = app.update(Msg::AlertsLoaded { generation: stale, result: Ok(vec![at(1)]) });
    assert_eq!(
        app.list.iter().next().expect("an alert").status.as_str(),
        "RESOLVED",
        "the older poll did not undo the change"
    );
    assert!(fetch_generation(&cmds).is_some(), "a fresh poll follows");
}

#[test]
fn failures_keep_the_data_show_it_stale_and_back_off() {
    let mut app = loaded(Access::ReadWrite, vec![at(1), at(2)]);
    let t1 = now() + chrono::Duration::seconds(6);
    let generation = fetch_generation(&app.update(Msg::Tick(t1))).expect("poll");
    let down = ApiError::Transport { host: "h".into(), reason: "connection refused".into() };
    app.update(Msg::AlertsLoaded { generation, result: Err(down) });
    assert_eq!(app.list.total(), 2);
    assert!(app.sync.failure.as_ref().is_some_and(|f| f.reason.contains("connection refused")));
    assert_eq!(fetch_generation(&app.update(Msg::Tick(t1 + chrono::Duration::seconds(4)))), None, "backing off");
    let generation = fetch_generation(&app.update(Msg::Tick(t1 + chrono::Duration::seconds(6)))).expect("retries");
    app.update(Msg::AlertsLoaded { generation, result: Ok(vec![at(1), at(2)]) });
    assert!(app.sync.failure.is_none(), "recovers by itself");
}

#[test]
fn flag_form_keeps_every_character_when_refused() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    press(&mut app, KeyCode::Char('f'));
    typed(&mut app, "bln_20f02af6-3728-4d37-9b5a-c7ed080f09df");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "Card testing");
    assert!(ctrl(&mut app, 's').is_empty(), "no description: nothing sent");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "Forty $1 auths in a minute");
    let cmds = ctrl(&mut app, 's');
    assert!(matches!(cmds.as_slice(), [Cmd::Flag { .. }]), "{cmds:?}");
    assert!(ctrl(&mut app, 's').is_empty(), "no double submit while sending");
    let refused = ApiError::Status { status: 400, message: "entity not found".into(), retry_after: None };
    app.update(Msg::Flagged(Err(refused)));
    let Overlay::Form(form) = &app.overlay else { panic!("form stays open") };
    assert_eq!(form.fields[1].input.text(), "Card testing");
    assert_eq!(form.fields[2].input.text(), "Forty $1 auths in a minute");
    assert!(form.error.as_deref().is_some_and(|e| e.contains("entity not found")));
}

#[test]
fn a_flag_that_timed_out_is_looked_for_before_a_resend_is_offered() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    press(&mut app, KeyCode::Char('f'));
    typed(&mut app, "txn_20f02af6-3728-4d37-9b5a-c7ed080f09df");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "dup");
    ctrl(&mut app, 's');
    let cmds = app.update(Msg::Flagged(Err(ApiError::Timeout { after: Duration::from_secs(30) })));
    let generation = fetch_generation(&cmds).expect("checks the list");
    let mut arrived = alert("ano_new", "", "FLAGGED", "Transaction");
    arrived.description = "dup".into();
    arrived.affected_balances.clear();
    arrived.affected_transactions = vec!["txn_20f02af6-3728-4d37-9b5a-c7ed080f09df".into()];
    arrived.created_at = now().fixed_offset();
    app.update(Msg::AlertsLoaded { generation, result: Ok(vec![at(1), arrived]) });
    assert_eq!(app.overlay, Overlay::None, "found: no resend offered");
    assert_eq!(app.list.selected_id().map(AlertId::as_str), Some("ano_new"));
}

#[test]
fn escape_asks_before_discarding_typed_text() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    press(&mut app, KeyCode::Char('e'));
    typed(&mut app, "!");
    press(&mut app, KeyCode::Esc);
    assert!(matches!(&app.overlay, Overlay::Form(f) if f.phase == Phase::ConfirmDiscard));
    press(&mut app, KeyCode::Char('n'));
    assert!(
        matches!(&app.overlay, Overlay::Form(f) if f.phase == Phase::Editing && f.fields[0].input.text().ends_with('!'))
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn an_edit_sends_only_changes_and_checks_for_conflicts() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    press(&mut app, KeyCode::Char('e'));
    typed(&mut app, " v2");
    let cmds = ctrl(&mut app, 's');
    let [Cmd::Update { update, expected, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(update.title.as_deref(), Some("alert 1 v2"));
    assert_eq!(update.description, None);
    assert_eq!(expected.as_ref().map(|base| base.updated_at), Some(at(1).updated_at));
    let mut theirs = at(1);
    theirs.title = Some("their title".into());
    app.update(Msg::EditConflict { latest: theirs });
    assert!(matches!(&app.overlay, Overlay::Form(f) if matches!(f.phase, Phase::Conflict { .. })));
    let cmds = ctrl(&mut app, 'o');
    assert!(matches!(cmds.as_slice(), [Cmd::Update { expected: None, .. }]), "overwrite skips the check");
}

#[test]
fn status_change_is_one_request_shown_at_once_and_undone_on_failure() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    press(&mut app, KeyCode::Char('t'));
    typed(&mut app, "resol");
    let cmds = press(&mut app, KeyCode::Enter);
    assert_eq!(cmds.len(), 1);
    let Cmd::Update { id, kind, update, .. } = cmds[0].clone() else { panic!("{cmds:?}") };
    assert_eq!(update.status.as_ref().map(StatusKey::as_str), Some("RESOLVED"));
    assert_eq!(app.list.iter().next().expect("an alert").status.as_str(), "RESOLVED", "shown at once");
    let refused = ApiError::Status { status: 400, message: "bad status".into(), retry_after: None };
    app.update(Msg::Updated { id, kind, result: Err(refused) });
    assert_eq!(app.list.iter().next().expect("an alert").status.as_str(), "FLAGGED", "put back");
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("bad status")));
}

#[test]
fn filter_and_tabs_narrow_the_list() {
    let mut resolved = at(2);
    resolved.status = "RESOLVED".parse().expect("valid");
    let mut app = loaded(Access::ReadWrite, vec![at(1), resolved, at(3)]);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "ano_003");
    assert_eq!(app.list.visible_len(), 1);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.list.visible_len(), 3);
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.list.tab(), &Tab::Mine, "my queue comes right after All");
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.list.status().map(StatusKey::as_str), Some("FLAGGED"));
    assert_eq!(app.list.visible_len(), 2);
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('['));
    }
    assert_eq!(app.list.status().map(StatusKey::as_str), Some("RESOLVED"), "back past Mine and All, wrapping");
}

#[test]
fn a_filter_term_that_cannot_be_read_says_why_and_the_other_terms_still_filter() {
    let mut resolved = at(2);
    resolved.status = "RESOLVED".parse().expect("valid");
    let mut app = loaded(Access::ReadWrite, vec![at(1), resolved, at(3)]);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "-status:resolved");
    assert_eq!(app.list.visible_len(), 2);
    typed(&mut app, " foo:bar");
    let error = app.filter_error.as_ref().expect("an unknown field is an error");
    assert!(error.message.contains("no field \"foo\""), "{}", error.message);
    assert_eq!(app.list.visible_len(), 2, "-status:resolved still filters");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Overlay::Filter), "Enter does not close a filter with an error");
    for _ in 0.." foo:bar".len() {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, " status:bogus");
    let error = app.filter_error.as_ref().expect("an unknown status is an error");
    assert!(error.message.contains("the statuses are"), "{}", error.message);
    for _ in 0.."bogus".len() {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "flagged age:>1h");
    assert_eq!(app.filter_error, None);
    assert_eq!(app.list.visible_len(), 2, "both flagged alerts are older than an hour at now()");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Overlay::None));
}

/// Every key the keyboard can send, with and without modifiers.
fn every_key() -> Vec<KeyEvent> {
    let mut codes: Vec<KeyCode> = (' '..='~').map(KeyCode::Char).collect();
    codes.extend([
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Insert,
    ]);
    codes.extend((1..=12).map(KeyCode::F));
    let mods = [KeyModifiers::NONE, KeyModifiers::CONTROL, KeyModifiers::ALT, KeyModifiers::SHIFT];
    codes.iter().flat_map(|&c| mods.iter().map(move |&m| KeyEvent::new(c, m))).collect()
}

#[test]
fn read_only_mode_never_yields_a_mutating_command_whatever_is_pressed() {
    let mut app = loaded(Access::ReadOnly, vec![at(1), at(2), at(3)]);
    let keys = every_key();
    // Every key from the list, and every key after every key (so each overlay is explored).
    for first in &keys {
        for second in keys.iter().step_by(7) {
            for key in [first, second] {
                let cmds = app.update(Msg::Key(*key));
                assert!(cmds.iter().all(|c| !c.is_mutating()), "{key:?} produced {cmds:?}");
            }
            app.should_quit = false;
            app.overlay = Overlay::None;
        }
    }
    press(&mut app, KeyCode::Char('f'));
    assert_eq!(app.overlay, Overlay::None);
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("Read-only")));
}

fn drafts_saved(cmds: &[Cmd]) -> Vec<&Draft> {
    cmds.iter()
        .filter_map(|c| match c {
            Cmd::SaveDraft(d) => Some(d),
            _ => None,
        })
        .collect()
}

#[test]
fn typed_text_is_saved_as_a_draft_within_a_tick_and_only_when_changed() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    press(&mut app, KeyCode::Char('f'));
    assert!(drafts_saved(&app.update(Msg::Tick(now()))).is_empty(), "nothing typed, nothing saved");
    typed(&mut app, "bln_");
    let cmds = app.update(Msg::Tick(now()));
    let saved = drafts_saved(&cmds);
    assert_eq!(saved.len(), 1);
    assert_eq!((&saved[0].key, saved[0].fields[0].as_str()), (&DraftKey::Flag, "bln_"));
    assert!(drafts_saved(&app.update(Msg::Tick(now()))).is_empty(), "unchanged text is not written again");
    typed(&mut app, "x");
    assert_eq!(drafts_saved(&app.update(Msg::Tick(now()))).len(), 1);
}

#[test]
fn a_waiting_draft_is_announced_and_restored_and_deleted_once_the_server_confirms() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    let draft = Draft {
        key: DraftKey::Flag,
        fields: vec!["txn_1".into(), "t".into(), "typed before the crash".into()],
        base: None,
    };
    app.update(Msg::DraftsFound(vec![draft]));
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("A draft is waiting")));
    press(&mut app, KeyCode::Char('f'));
    let Overlay::Form(form) = &app.overlay else { panic!("form open") };
    assert_eq!(form.fields[2].input.text(), "typed before the crash");
    let cmds = app.update(Msg::Flagged(Ok(at(5))));
    assert!(cmds.contains(&Cmd::DeleteDraft(DraftKey::Flag)), "{cmds:?}");
}

#[test]
fn discarding_on_purpose_deletes_the_draft_and_a_failed_submit_keeps_it() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    press(&mut app, KeyCode::Char('e'));
    typed(&mut app, "!");
    app.update(Msg::Tick(now()));
    let cmds = ctrl(&mut app, 's');
    let [Cmd::Update { id, kind, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    let refused = ApiError::Status { status: 500, message: "boom".into(), retry_after: None };
    let cmds = app.update(Msg::Updated { id: id.clone(), kind: kind.clone(), result: Err(refused) });
    assert!(!cmds.iter().any(|c| matches!(c, Cmd::DeleteDraft(_))), "kept after a failure");
    press(&mut app, KeyCode::Esc);
    let cmds = press(&mut app, KeyCode::Char('y'));
    assert_eq!(cmds, vec![Cmd::DeleteDraft(DraftKey::Edit(id.clone()))]);
}

#[test]
fn a_restored_edit_draft_shows_a_colleagues_change_instead_of_overwriting_it() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    press(&mut app, KeyCode::Char('e'));
    typed(&mut app, " (mine)");
    let Some(draft) = app.unsaved_draft() else { panic!("typed text makes a draft") };
    // The app dies; meanwhile a colleague edits the description.
    let mut theirs = at(1);
    theirs.description = "their description".into();
    theirs.updated_at += chrono::Duration::minutes(5);
    let mut app = loaded(Access::ReadWrite, vec![theirs.clone()]);
    app.update(Msg::DraftsFound(vec![draft]));
    press(&mut app, KeyCode::Char('e'));
    let Overlay::Form(form) = &app.overlay else { panic!("form open") };
    let Phase::Conflict { latest } = &form.phase else { panic!("opens on the conflict: {:?}", form.phase) };
    assert_eq!(latest.description, "their description");
    assert_eq!(form.fields[0].input.text(), "alert 1 (mine)");
    assert!(ctrl(&mut app, 's').is_empty(), "nothing is sent until the user chooses");
}

#[test]
fn ctrl_c_quits_from_anywhere_but_a_field_being_typed_in() {
    for setup in ["help", "filter", "picker", "sending"] {
        let mut app = loaded(Access::ReadWrite, vec![at(1)]);
        match setup {
            "help" => drop(press(&mut app, KeyCode::Char('?'))),
            "filter" => drop(press(&mut app, KeyCode::Char('/'))),
            "picker" => drop(press(&mut app, KeyCode::Char('t'))),
            _ => {
                press(&mut app, KeyCode::Char('e'));
                typed(&mut app, "!");
                ctrl(&mut app, 's');
            }
        }
        ctrl(&mut app, 'c');
        assert!(app.should_quit, "Ctrl-C quits from {setup}");
    }
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    press(&mut app, KeyCode::Char('e'));
    typed(&mut app, "!");
    ctrl(&mut app, 'c');
    assert!(!app.should_quit && matches!(&app.overlay, Overlay::Form(f) if f.phase == Phase::ConfirmDiscard));
    ctrl(&mut app, 'c');
    assert!(app.should_quit, "a second Ctrl-C quits (the text is kept as a draft)");
    assert!(app.unsaved_draft().is_some());
}

#[test]
fn paging_and_detail_scrolling_follow_what_the_screen_shows() {
    let mut app = loaded(Access::ReadWrite, (0..40).map(at).collect());
    app.update(Msg::Viewport(Viewport { list_rows: 9, detail_max_scroll: 3, ..Viewport::default() }));
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.list.selected_position(), Some(9));
    press(&mut app, KeyCode::Tab);
    for _ in 0..10 {
        press(&mut app, KeyCode::Char('j'));
    }
    assert_eq!(app.detail_scroll, 3, "no scrolling past the end");
}

#[test]
fn help_scrolls_with_the_moving_keys_and_any_other_key_closes_it() {
    let mut app = loaded(Access::ReadWrite, (0..3).map(at).collect());
    press(&mut app, KeyCode::Char('?'));
    app.update(Msg::Viewport(Viewport { help_rows: 10, help_max_scroll: 25, ..Viewport::default() }));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::PageDown);
    assert_eq!((app.overlay.clone(), app.help_scroll), (Overlay::Help, 11));
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.help_scroll, 25, "bottom");
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.help_scroll, 25, "never past the end");
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.help_scroll, 24);
    app.update(Msg::Viewport(Viewport { help_rows: 20, help_max_scroll: 5, ..Viewport::default() }));
    assert_eq!(app.help_scroll, 5, "a taller terminal clamps the scroll");
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(app.overlay, Overlay::None, "any other key closes help");
    assert_eq!(app.list.selected_position(), Some(0), "and does nothing else");
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.help_scroll, 0, "help opens at its top");
}

#[test]
fn the_active_tab_stays_when_its_last_alert_leaves_it() {
    let mut odd = at(1);
    odd.status = "ON_HOLD".parse().expect("valid");
    let mut app = loaded(Access::ReadWrite, vec![odd, at(2)]);
    while app.list.status().map(StatusKey::as_str) != Some("ON_HOLD") {
        press(&mut app, KeyCode::Char(']'));
    }
    let generation = fetch_generation(&app.update(Msg::Tick(now() + chrono::Duration::seconds(6)))).expect("poll");
    app.update(Msg::AlertsLoaded { generation, result: Ok(vec![at(1), at(2)]) });
    assert!(app.tabs().contains(&Tab::Status("ON_HOLD".parse().expect("valid"))));
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.list.status(), None, "] from the last tab wraps to All");
}

#[test]
fn statuses_are_asked_for_once_at_a_time() {
    let mut app = app(Access::ReadWrite);
    let first = app.init();
    assert_eq!(first.iter().filter(|c| **c == Cmd::FetchStatuses).count(), 1);
    let again = press(&mut app, KeyCode::Char('r'));
    assert!(!again.contains(&Cmd::FetchStatuses), "one request in flight already");
    app.update(Msg::StatusesLoaded(Ok(StatusList::default())));
    assert!(press(&mut app, KeyCode::Char('r')).contains(&Cmd::FetchStatuses));
}

/// The next fetch's command, as the app asks for it.
fn next_fetch(app: &mut App) -> (u64, crate::api::Known, Option<String>) {
    let cmds = app.update(Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE)));
    cmds.into_iter()
        .find_map(|c| match c {
            Cmd::FetchAlerts { generation, known, etag, .. } => Some((generation, known, etag)),
            _ => None,
        })
        .expect("r fetches")
}

#[test]
fn a_304_and_an_unchanged_answer_change_nothing_and_the_tag_is_sent_back() {
    let mut app = app(Access::ReadWrite);
    app.settings.bell = true;
    let generation = fetch_generation(&app.init()).expect("fetches");
    let alerts: Vec<_> = [at(1), at(2), at(3)].into_iter().zip(7u64..).map(|(a, hash)| (hash, a)).collect();
    let first = crate::api::ListDelta { changed: alerts, gone: Vec::new(), total: 3 };
    let answer = ListFetch::Answer { delta: first, etag: Some("\"v1\"".into()) };
    app.update(Msg::AlertsFetched { generation, result: Ok(answer), took: Duration::ZERO });
    press(&mut app, KeyCode::Down);
    let rows = |app: &App| app.list.visible_rows(0, 10).map(|a| a.anomaly_id.to_string()).collect::<Vec<_>>();
    let before = (rows(&app), app.list.selected_id().cloned());

    let (generation, known, etag) = next_fetch(&mut app);
    assert_eq!(etag.as_deref(), Some("\"v1\""), "the tag of what the list holds goes with the next fetch");
    assert_eq!(known.len(), 3, "every alert held is known by its element's hash");
    let cmds = app.update(Msg::AlertsFetched { generation, result: Ok(ListFetch::NotModified), took: Duration::ZERO });
    assert!(!cmds.contains(&Cmd::Bell));
    assert_eq!((rows(&app), app.list.selected_id().cloned()), before);

    let (generation, _, _) = next_fetch(&mut app);
    let same = ListFetch::Answer { delta: crate::api::ListDelta { total: 3, ..Default::default() }, etag: None };
    let cmds = app.update(Msg::AlertsFetched { generation, result: Ok(same), took: Duration::ZERO });
    assert!(!cmds.contains(&Cmd::Bell));
    assert_eq!((rows(&app), app.list.selected_id().cloned()), before);
    let (_, _, etag) = next_fetch(&mut app);
    assert_eq!(etag, None, "a server that stopped giving a tag is asked unconditionally");
}

#[test]
fn a_first_load_built_elsewhere_keeps_the_view_chosen_meanwhile_and_shows_progress() {
    let mut app = app(Access::ReadWrite);
    let cmds = app.init();
    let Some(Cmd::FetchAlerts { generation, build: true, .. }) =
        cmds.iter().find(|c| matches!(c, Cmd::FetchAlerts { .. })).cloned()
    else {
        panic!("the first fetch builds the list off the UI thread: {cmds:?}");
    };
    let progress = crate::api::Progress { alerts: 40_000, bytes: 25 << 20 };
    app.update(Msg::LoadProgress { generation: generation + 7, progress });
    assert_eq!(app.progress, None, "progress of another fetch is ignored");
    app.update(Msg::LoadProgress { generation, progress });
    assert_eq!(app.progress, Some(progress));
    // The sort is reversed while the list loads.
    press(&mut app, KeyCode::Char('O'));
    let mut built = AlertList::default();
    built.replace_with(vec![at(1), at(3), at(2)]);
    let took = Duration::from_secs(3);
    app.update(Msg::ListBuilt { generation, result: Ok((Box::new(built), Some("\"t\"".into()))), took });
    assert_eq!(app.progress, None);
    assert!(!app.loading);
    let ids: Vec<_> = app.list.visible_rows(0, 10).map(|a| a.anomaly_id.to_string()).collect();
    assert_eq!(ids, ["ano_001", "ano_002", "ano_003"], "oldest first, as chosen while loading");
    assert!(app.list.iter().all(|a| !app.list.is_unseen(a)), "a first load is all seen");
    assert_eq!(app.sync.stretched(), Some(Duration::from_secs(30)), "a 3 s fetch stretches the 5 s interval");
    let (_, _, etag) = next_fetch(&mut app);
    assert_eq!(etag.as_deref(), Some("\"t\""));
}

#[test]
fn a_filter_over_a_large_list_asks_for_its_slices_one_at_a_time() {
    let mut app = loaded(Access::ReadWrite, (1..=9).map(at).collect());
    app.list.slice_filters_by(2);
    press(&mut app, KeyCode::Char('/'));
    let cmds = app.update(Msg::Paste("ano_005".into()));
    assert_eq!(cmds.iter().filter(|c| **c == Cmd::FilterStep).count(), 1);
    assert_eq!(app.list.visible_len(), 9, "the last result stays while the pass goes on");
    // Keys that arrive meanwhile do not ask again: one step is out.
    assert!(!press(&mut app, KeyCode::Left).contains(&Cmd::FilterStep));
    let mut steps = 0;
    while app.list.scanning() {
        let cmds = app.update(Msg::FilterStep);
        steps += 1;
        assert_eq!(cmds.contains(&Cmd::FilterStep), app.list.scanning(), "asks again only while unfinished");
    }
    assert_eq!(steps, 4);
    let ids: Vec<_> = app.list.visible_rows(0, 10).map(|a| a.anomaly_id.to_string()).collect();
    assert_eq!(ids, ["ano_005"]);
}

#[test]
fn clicks_select_rows_tabs_and_panes_and_the_wheel_scrolls_only_without_an_overlay() {
    use super::Target;
    let mut app = loaded(Access::ReadWrite, (0..40).map(at).collect());
    app.update(Msg::Viewport(Viewport { list_rows: 9, detail_max_scroll: 4, ..Viewport::default() }));
    app.update(Msg::Click(Target::Row(5)));
    assert_eq!(app.list.selected_position(), Some(5));
    app.update(Msg::Wheel { target: Target::List, down: true });
    assert_eq!(app.list.selected_position(), Some(8));
    app.update(Msg::Click(Target::Detail));
    assert_eq!(app.focus, Focus::Detail);
    app.update(Msg::Wheel { target: Target::Detail, down: true });
    app.update(Msg::Wheel { target: Target::Detail, down: true });
    assert_eq!(app.detail_scroll, 4, "no further than the detail goes");
    app.update(Msg::Click(Target::Row(2)));
    assert_eq!((app.focus, app.list.selected_position(), app.detail_scroll), (Focus::List, Some(2), 0));
    let tabs = app.tabs();
    app.update(Msg::Click(Target::Tab(1)));
    assert_eq!(app.list.tab(), &tabs[1]);
    app.update(Msg::Click(Target::Tab(99)));
    assert_eq!(app.list.tab(), &tabs[1], "a tab that is not there changes nothing");
    press(&mut app, KeyCode::Char('?'));
    app.update(Msg::Click(Target::Tab(0)));
    assert_eq!(app.list.tab(), &tabs[1], "an overlay takes no clicks");
}

#[test]
fn new_alerts_that_pass_the_notify_filter_are_announced_once_per_burst() {
    let mut app = app(Access::ReadWrite);
    app.settings.notify = true;
    app.settings.notify_filter = Some("type:transaction".into());
    let generation = fetch_generation(&app.init()).expect("init fetches alerts");
    let cmds = app.update(Msg::AlertsLoaded { generation, result: Ok((0..5).map(at).collect()) });
    assert!(!cmds.iter().any(|c| matches!(c, Cmd::Notify { .. })), "the first load is not news");

    let mut list: Vec<Alert> = (0..5).map(at).collect();
    let burst = |list: &mut Vec<Alert>, minutes: std::ops::Range<u32>, kind: &str| {
        for minute in minutes {
            let mut a = at(minute);
            a.kind = serde_json::from_value(serde_json::json!(kind)).expect("a type");
            list.push(a);
        }
    };
    burst(&mut list, 10..13, "Transaction");
    burst(&mut list, 13..15, "Balance");
    let (generation, _, _) = next_fetch(&mut app);
    let cmds = app.update(Msg::AlertsLoaded { generation, result: Ok(list.clone()) });
    let notified: Vec<_> = cmds
        .iter()
        .filter_map(|c| match c {
            Cmd::Notify { summary, body } => Some((summary.clone(), body.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        notified,
        [("3 new alerts".to_owned(), "Latest: alert 12".to_owned())],
        "three transactions, one notification"
    );

    burst(&mut list, 20..21, "Transaction");
    let (generation, _, _) = next_fetch(&mut app);
    let cmds = app.update(Msg::AlertsLoaded { generation, result: Ok(list) });
    assert!(!cmds.iter().any(|c| matches!(c, Cmd::Notify { .. })), "within the gap: it waits");
    let later = app.update(Msg::Tick(now() + chrono::Duration::seconds(31)));
    assert!(later.contains(&Cmd::Notify { summary: "New alert".into(), body: "alert 20".into() }), "{later:?}");
}

#[test]
fn the_palette_runs_what_it_highlights_as_its_key_would() {
    let mut app = loaded(Access::ReadWrite, (0..3).map(at).collect());
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "reverse");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.overlay, Overlay::None);
    assert!(app.list.sort().1, "the sort is reversed");
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "nothing like this");
    assert_eq!(press(&mut app, KeyCode::Enter), Vec::new(), "no match runs nothing");

    let mut monitor = loaded(Access::ReadOnly, (0..3).map(at).collect());
    press(&mut monitor, KeyCode::Char(':'));
    typed(&mut monitor, "flag");
    let cmds = press(&mut monitor, KeyCode::Enter);
    assert!(cmds.is_empty() && monitor.overlay == Overlay::None, "read-only: the palette changes nothing");
    assert!(monitor.notice.as_ref().is_some_and(|n| n.text.contains("Read-only")));
}

#[test]
fn my_queue_is_the_tab_after_all_with_its_count_kept_as_alerts_change() {
    let mut app = app(Access::ReadWrite);
    app.settings.me = vec!["ADA OKAFOR ".into(), "usr_12".into()];
    app.list.set_me(super::Me::new(&app.settings.me));
    let generation = fetch_generation(&app.init()).expect("init fetches alerts");
    let mut alerts: Vec<Alert> = (0..6).map(at).collect();
    for (n, who) in [(1, "Li Wei"), (3, "usr_12"), (5, "Tomás Díaz")] {
        alerts[n].assigned_to = Some(who.into());
    }
    app.update(Msg::AlertsLoaded { generation, result: Ok(alerts.clone()) });
    assert_eq!(app.tabs()[..2], [Tab::All, Tab::Mine]);
    assert_eq!(app.list.mine(), 4, "Ada (any case, trimmed) and usr_12");
    press(&mut app, KeyCode::Char(']'));
    assert_eq!((app.list.tab(), app.list.visible_len()), (&Tab::Mine, 4));

    alerts[0].assigned_to = Some("Li Wei".into());
    alerts[0].updated_at += chrono::Duration::minutes(1);
    alerts.remove(3);
    let (generation, _, _) = next_fetch(&mut app);
    app.update(Msg::AlertsLoaded { generation, result: Ok(alerts) });
    assert_eq!((app.list.mine(), app.list.visible_len()), (2, 2), "reassigned away and removed");

    press(&mut app, KeyCode::Char('['));
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "assigned:me");
    assert_eq!(app.list.visible_len(), 2, "assigned:me in the filter");
}

#[test]
fn marks_hold_across_polls_and_a_bulk_change_reports_and_keeps_the_failed_marked() {
    let mut app = loaded(Access::ReadWrite, (0..6).map(at).collect());
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.marked_count(), 3);
    assert_eq!(app.list.selected_position(), Some(3), "each mark moves down");
    press(&mut app, KeyCode::Char('o'));
    let marked = app.marked();

    // A poll drops one marked alert: it is unmarked, and said so.
    let gone = marked[0].clone();
    let rest: Vec<Alert> = (0..6).map(at).filter(|a| a.anomaly_id != gone).collect();
    let (generation, _, _) = next_fetch(&mut app);
    app.update(Msg::AlertsLoaded { generation, result: Ok(rest) });
    assert_eq!(app.marked_count(), 2);
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("1 unmarked")), "{:?}", app.notice);

    press(&mut app, KeyCode::Char('t'));
    let Overlay::Picker(picker) = &app.overlay else { panic!("the picker opens") };
    assert_eq!(picker.marked, 2);
    typed(&mut app, "resolved");
    assert!(press(&mut app, KeyCode::Enter).is_empty(), "nothing is sent before the question");
    assert!(matches!(&app.overlay, Overlay::BulkConfirm(c) if c.ids.len() == 2));
    let cmds = press(&mut app, KeyCode::Char('y'));
    let [Cmd::BulkStatus { job, ids, status }] = cmds.as_slice() else { panic!("one bulk command: {cmds:?}") };
    assert_eq!((ids.len(), status.as_str()), (2, "RESOLVED"));
    let job = *job;
    assert_eq!(press(&mut app, KeyCode::Char('t')), Vec::new(), "no second bulk change meanwhile");

    let mut done = app.list.get(&ids[0]).cloned().expect("listed");
    done.status = "RESOLVED".parse().expect("valid");
    app.update(Msg::BulkStep { job, id: ids[0].clone(), result: Ok(done) });
    assert_eq!(press(&mut app, KeyCode::Esc), vec![Cmd::StopBulk { job }], "Esc stops what is not sent");
    // The end can overtake the last answer (another channel): the report waits for it.
    app.update(Msg::BulkDone { job, answered: 2 });
    assert!(app.bulk.is_some(), "one answer is still on its way");
    let refused = ApiError::Status { status: 404, message: "alert not found".into(), retry_after: None };
    app.update(Msg::BulkStep { job, id: ids[1].clone(), result: Err(refused) });
    let report = app.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(report.contains("set on 1 of 2") && report.contains("1 failed (L shows why), still marked"), "{report}");
    assert!(report.contains("alert not found"), "{report}");
    assert_eq!(app.marked(), vec![ids[1].clone()], "the failed one stays marked for a retry");
    assert_eq!(app.list.get(&ids[0]).map(|a| a.status.as_str()), Some("RESOLVED"));
    assert!(app.bulk.is_none());

    press(&mut app, KeyCode::Esc);
    assert_eq!(app.marked_count(), 0, "Esc clears the marks");
    press(&mut app, KeyCode::Char('*'));
    assert_eq!(app.marked_count(), app.list.visible_len(), "* marks every alert shown");
}

#[test]
fn read_only_mode_marks_but_never_changes_many() {
    let mut app = loaded(Access::ReadOnly, (0..3).map(at).collect());
    press(&mut app, KeyCode::Char('*'));
    assert_eq!(app.marked_count(), 3);
    assert!(press(&mut app, KeyCode::Char('t')).is_empty());
    assert_eq!(app.overlay, Overlay::None);
    let change = super::BulkChange { ids: app.marked(), status: "RESOLVED".parse().expect("valid") };
    assert!(app.start_bulk(change).is_empty(), "even if asked directly");
}

mod commands;
mod entity;
mod statuses;
mod triage;
mod views;
mod write_scope;
