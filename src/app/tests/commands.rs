//! The palette's actions with arguments, export, opening in the browser and flagging an
//! entity again, through keys as a user presses them.

use super::*;

/// Opens the palette, types `text` and presses Enter.
fn run(app: &mut App, text: &str) -> Vec<Cmd> {
    press(app, KeyCode::Char(':'));
    typed(app, text);
    press(app, KeyCode::Enter)
}

fn palette_error(app: &App) -> Option<&str> {
    match &app.overlay {
        Overlay::Palette(p) => p.error.as_deref(),
        _ => None,
    }
}

#[test]
fn the_palette_takes_an_argument_after_the_actions_name() {
    let mut app = loaded(Access::ReadWrite, (0..4).map(at).collect());
    let first = app.list.selected_id().cloned().expect("selected");

    let cmds = run(&mut app, "status inv");
    let [Cmd::Update { id, update, .. }] = cmds.as_slice() else { panic!("one update: {cmds:?}") };
    assert_eq!((id, update.status.as_ref().map(StatusKey::as_str)), (&first, Some("INVESTIGATING")));
    assert_eq!(app.list.get(&first).map(|a| a.status.as_str()), Some("INVESTIGATING"), "shown at once");

    let cmds = run(&mut app, "copy json");
    assert!(matches!(cmds.as_slice(), [Cmd::Copy(text)] if text.contains(first.as_str()) && text.starts_with('{')));

    run(&mut app, "snooze 90m");
    assert!(app.list.is_snoozed(&first));
    assert!(app.notice.as_ref().is_some_and(|n| n.text.starts_with("Snoozed 1 alert for 1h 30m")), "{:?}", app.notice);

    run(&mut app, "filter title:\"alert 2\"");
    assert_eq!((app.overlay.clone(), app.list.visible_len()), (Overlay::None, 1));
    run(&mut app, "filter bogus:x");
    assert_eq!(app.overlay, Overlay::Filter, "a filter that cannot be read opens to be mended");
}

#[test]
fn a_bad_argument_keeps_the_palette_open_with_the_reason_and_the_text() {
    let mut app = loaded(Access::ReadWrite, (0..2).map(at).collect());
    assert!(run(&mut app, "status nonsense").is_empty());
    let error = palette_error(&app).expect("an error in the palette");
    assert!(error.contains("FLAGGED, INVESTIGATING, RESOLVED"), "{error}");
    let Overlay::Palette(palette) = &app.overlay else { panic!("the palette stays") };
    assert_eq!(palette.query.text(), "status nonsense", "nothing typed is lost");
    typed(&mut app, "x");
    assert_eq!(palette_error(&app), None, "editing clears the error");

    press(&mut app, KeyCode::Esc);
    assert!(run(&mut app, "snooze 4 parsecs").is_empty());
    assert!(palette_error(&app).is_some_and(|e| e.contains("is not a snooze")));
    press(&mut app, KeyCode::Esc);
    assert!(run(&mut app, "export wires.xlsx").is_empty());
    assert!(palette_error(&app).is_some_and(|e| e.contains(".csv, .json")));

    let mut monitor = loaded(Access::ReadOnly, (0..2).map(at).collect());
    assert!(run(&mut monitor, "status resolved").is_empty(), "read-only: nothing sent");
    assert!(palette_error(&monitor).is_some_and(|e| e.contains("Read-only")));
}

#[test]
fn a_status_from_the_palette_with_marks_asks_before_changing_them_all() {
    let mut app = loaded(Access::ReadWrite, (0..4).map(at).collect());
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char(' '));
    assert!(run(&mut app, "status Resolved").is_empty());
    let Overlay::BulkConfirm(change) = &app.overlay else { panic!("asks first: {:?}", app.overlay) };
    assert_eq!((change.ids.len(), change.status.as_str()), (2, "RESOLVED"));
}

#[test]
fn export_writes_the_whole_view_and_asks_before_replacing_a_file() {
    let mut app = loaded(Access::ReadOnly, (0..30).map(at).collect());
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "-\"alert 1\"");
    press(&mut app, KeyCode::Enter);
    let shown = app.list.visible_len();
    assert!(shown < 30);

    // E opens the palette on the export action; read-only mode exports too.
    press(&mut app, KeyCode::Char('E'));
    let Overlay::Palette(palette) = &app.overlay else { panic!("E opens the palette") };
    assert_eq!(palette.query.text(), "export ");
    assert!(press(&mut app, KeyCode::Enter).is_empty(), "a file name is needed");
    assert!(palette_error(&app).is_some_and(|e| e.contains("Name the file")));
    typed(&mut app, "view.csv");
    let cmds = press(&mut app, KeyCode::Enter);
    let [Cmd::Export { path, alerts, overwrite: false, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!((path.to_str(), alerts.len()), (Some("view.csv"), shown), "every row of the view");

    // It exists: the palette comes back, and a second Enter replaces it.
    app.update(Msg::Exported { path: path.clone(), result: Err(ExportFailure::Exists) });
    assert!(palette_error(&app).is_some_and(|e| e.contains("view.csv exists")));
    let cmds = press(&mut app, KeyCode::Enter);
    assert!(matches!(cmds.as_slice(), [Cmd::Export { overwrite: true, .. }]), "{cmds:?}");
    let file = std::path::PathBuf::from("/tmp/view.csv");
    app.update(Msg::Exported { path: "view.csv".into(), result: Ok((shown, file)) });
    let said = format!("Exported {shown} alerts to /tmp/view.csv.");
    assert!(app.notice.as_ref().is_some_and(|n| n.text == said), "{:?}", app.notice);
}

#[test]
fn open_needs_a_web_url_and_without_a_browser_copies_the_link() {
    let mut app = loaded(Access::ReadOnly, (0..2).map(at).collect());
    assert!(press(&mut app, KeyCode::Char('w')).is_empty());
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("web_url")), "{:?}", app.notice);

    app.settings.web_url = Some("https://cloud.example.com/anomalies/{id}?tab=detail".into());
    let id = app.list.selected_id().cloned().expect("selected");
    let url = format!("https://cloud.example.com/anomalies/{id}?tab=detail");
    assert_eq!(press(&mut app, KeyCode::Char('w')), vec![Cmd::OpenUrl(url.clone())]);
    let cmds = app.update(Msg::Opened { url: url.clone(), result: Err("no display here".into()) });
    assert_eq!(cmds, vec![Cmd::Copy(url.clone())], "copied instead");
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains(&url)), "and shown");
}

#[test]
fn flag_entity_opens_the_flag_form_on_the_selected_alerts_entity() {
    let mut app = loaded(Access::ReadWrite, (0..2).map(at).collect());
    let entity = app.list.selected().and_then(Alert::entity).map(str::to_owned).expect("an entity");
    press(&mut app, KeyCode::Char('F'));
    let Overlay::Form(form) = &app.overlay else { panic!("a form: {:?}", app.overlay) };
    assert!(form.is_flag());
    assert_eq!((form.fields[0].input.text(), form.focus), (entity.as_str(), 1), "the entity in, the title next");

    let mut monitor = loaded(Access::ReadOnly, (0..2).map(at).collect());
    press(&mut monitor, KeyCode::Char('F'));
    assert_eq!(monitor.overlay, Overlay::None, "read-only: no form");
}

#[test]
fn no_status_from_the_palette_while_a_bulk_change_runs() {
    let mut app = loaded(Access::ReadWrite, (0..4).map(at).collect());
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::Enter);
    let started = press(&mut app, KeyCode::Char('y'));
    assert!(started.iter().any(|c| matches!(c, Cmd::BulkStatus { .. })), "{started:?}");
    press(&mut app, KeyCode::Char(' '));
    assert!(run(&mut app, "status resolved").is_empty(), "nothing sent");
    assert!(palette_error(&app).is_some_and(|e| e.contains("bulk change is under way")), "{:?}", app.overlay);
}

#[test]
fn r_while_paused_refreshes_once_and_stays_paused() {
    let mut app = loaded(Access::ReadOnly, (0..3).map(at).collect());
    press(&mut app, KeyCode::Char('p'));
    assert!(app.sync.paused);
    let cmds = press(&mut app, KeyCode::Char('r'));
    let generation = fetch_generation(&cmds).expect("r fetches once");
    assert!(app.sync.paused, "and stays paused");
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("stays paused")), "{:?}", app.notice);
    app.update(Msg::AlertsLoaded { generation, result: Ok((0..3).map(at).collect()) });
    let later = app.update(Msg::Tick(now() + chrono::Duration::minutes(10)));
    assert_eq!(fetch_generation(&later), None, "no poll while paused");
}

#[test]
fn draft_restored_leaves_the_footer_with_the_discarded_draft() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    let fields = vec!["txn_1".into(), "t".into(), "typed before the crash".into()];
    app.update(Msg::DraftsFound(vec![Draft { key: DraftKey::Flag, fields, base: None }]));
    press(&mut app, KeyCode::Char('f'));
    assert!(app.notice.as_ref().is_some_and(|n| n.text == "Draft restored."), "{:?}", app.notice);
    press(&mut app, KeyCode::Esc);
    assert_eq!(press(&mut app, KeyCode::Char('y')), vec![Cmd::DeleteDraft(DraftKey::Flag)]);
    assert_eq!(app.notice, None, "the draft is gone, and so is the word it was restored");
}

#[test]
fn a_status_nobody_listed_yet_is_asked_for_with_the_next_poll() {
    let mut app = app(Access::ReadOnly);
    let generation = fetch_generation(&app.init()).expect("a fetch");
    app.update(Msg::StatusesLoaded(Ok(crate::domain::StatusList::default())));
    let mut alerts: Vec<Alert> = (0..3).map(at).collect();
    alerts[0].status = "SENT_TO_BANK".parse().expect("a key");
    app.update(Msg::AlertsLoaded { generation, result: Ok(alerts) });
    let next = app.update(Msg::Tick(now() + chrono::Duration::seconds(6)));
    assert!(fetch_generation(&next).is_some(), "the next poll: {next:?}");
    assert!(next.contains(&Cmd::FetchStatuses), "with the statuses, to name the new one: {next:?}");
}

#[test]
fn a_save_says_what_someone_else_changed_meanwhile() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    press(&mut app, KeyCode::Char('e'));
    typed(&mut app, " (confirmed)");
    let cmds = ctrl(&mut app, 's');
    let [Cmd::Update { id, kind, expected: Some(base), .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    let mut theirs = (**base).clone();
    theirs.title = Some("alert 1 (confirmed)".into());
    theirs.status = "RESOLVED".parse().expect("a key");
    theirs.assigned_to = Some("Li Wei".into());
    app.update(Msg::Updated { id: id.clone(), kind: kind.clone(), result: Ok(theirs) });
    let said = app.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert_eq!(said, "Saved; meanwhile: status set to Resolved, assigned to Li Wei.");
}

#[test]
fn e_while_a_waiting_edit_drafts_notice_shows_goes_back_to_it() {
    let mut app = loaded(Access::ReadWrite, (0..5).map(at).collect());
    let far = at(0).anomaly_id;
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "\"alert 4\"");
    press(&mut app, KeyCode::Enter);
    let fields = vec!["alert 0".into(), "typed before the crash".into()];
    app.update(Msg::DraftsFound(vec![Draft { key: DraftKey::Edit(far.clone()), fields, base: None }]));
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("e goes back to it")), "{:?}", app.notice);
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(app.list.selected_id(), Some(&far), "the filter hid it: cleared to get there");
    let Overlay::Form(form) = &app.overlay else { panic!("the edit form: {:?}", app.overlay) };
    assert_eq!(form.fields[1].input.text(), "typed before the crash");
}
