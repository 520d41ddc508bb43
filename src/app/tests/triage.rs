//! Snoozing and copying, through keys as a user presses them.

use std::collections::BTreeMap;

use super::*;

/// The text of the one copy `cmds` asks for.
fn copied(cmds: &[Cmd]) -> String {
    match cmds {
        [Cmd::Copy(text)] => text.clone(),
        _ => panic!("one copy: {cmds:?}"),
    }
}

fn saved(cmds: &[Cmd]) -> Option<&Snoozes> {
    cmds.iter().find_map(|c| match c {
        Cmd::SaveSnoozes(s) => Some(s),
        _ => None,
    })
}

fn poll(app: &mut App, alerts: Vec<Alert>) -> Vec<Cmd> {
    let (generation, _, _) = next_fetch(app);
    app.update(Msg::AlertsLoaded { generation, result: Ok(alerts) })
}

#[test]
fn a_snooze_hides_the_alert_until_its_time_is_up_and_then_it_resurfaces() {
    let mut app = loaded(Access::ReadWrite, (0..4).map(at).collect());
    let id = app.list.selected_id().cloned().expect("selected");
    press(&mut app, KeyCode::Char('z'));
    assert!(matches!(&app.overlay, Overlay::Menu(m) if m.kind == MenuKind::Snooze(vec![id.clone()])));
    let cmds = press(&mut app, KeyCode::Char('2'));
    assert_eq!(app.overlay, Overlay::None, "a number chooses at once");
    let kept = saved(&cmds).expect("the snoozes are saved");
    assert_eq!(kept[&id].until, Some(now() + chrono::Duration::hours(4)));
    assert!(app.notice.as_ref().is_some_and(|n| n.text == "Snoozed 1 alert for 4h (until 16:00)."), "{:?}", app.notice);
    assert_eq!((app.list.visible_len(), app.list.awake(), app.list.snoozed()), (3, 3, 1));
    assert!(app.list.visible_rows(0, 9).all(|a| a.anomaly_id != id), "gone from All");
    assert_eq!(app.tabs().last(), Some(&Tab::Snoozed));

    // Polls that change nothing keep it asleep; the tick after 16:00 wakes it.
    assert!(saved(&poll(&mut app, (0..4).map(at).collect())).is_none());
    assert!(app.list.is_snoozed(&id));
    assert!(saved(&app.update(Msg::Tick(now() + chrono::Duration::minutes(239)))).is_none());
    let cmds = app.update(Msg::Tick(now() + chrono::Duration::hours(4)));
    assert!(saved(&cmds).is_some_and(BTreeMap::is_empty));
    assert!(app.list.is_resurfaced(&id) && !app.list.is_snoozed(&id));
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("its time is up")), "{:?}", app.notice);
    assert!(!app.tabs().contains(&Tab::Snoozed), "no Snoozed tab with nothing snoozed");
}

#[test]
fn a_change_elsewhere_wakes_a_snoozed_alert_and_a_gone_one_is_pruned() {
    let mut app = loaded(Access::ReadOnly, (0..4).map(at).collect());
    // Read-only mode snoozes too: nothing is sent anywhere.
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char(' '));
    let marked = app.marked();
    press(&mut app, KeyCode::Char('z'));
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    let cmds = press(&mut app, KeyCode::Enter);
    assert!(cmds.iter().all(|c| !c.is_mutating()));
    assert!(saved(&cmds).is_some_and(|s| s.len() == 2 && s.values().all(|s| s.until.is_none())), "{cmds:?}");
    assert_eq!(app.marked_count(), 0, "snoozed marks are done with");
    press(&mut app, KeyCode::Char('['));
    assert_eq!(*app.list.tab(), Tab::Snoozed, "the Snoozed tab is the last");
    assert_eq!(app.list.visible_len(), 2);

    // Someone touches the first; the second is deleted.
    let mut touched: Vec<Alert> = (0..4).map(at).filter(|a| a.anomaly_id != marked[1]).collect();
    for alert in touched.iter_mut().filter(|a| a.anomaly_id == marked[0]) {
        alert.updated_at += chrono::Duration::minutes(1);
    }
    let cmds = poll(&mut app, touched);
    assert!(saved(&cmds).is_some_and(BTreeMap::is_empty), "{cmds:?}");
    assert!(app.list.is_resurfaced(&marked[0]));
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("changed since")), "{:?}", app.notice);
    assert_eq!(app.list.visible_len(), 0, "the Snoozed tab is empty");
}

#[test]
fn the_same_key_wakes_snoozed_alerts_and_snoozes_from_an_earlier_run_take_hold() {
    let mut app = app(Access::ReadWrite);
    let generation = fetch_generation(&app.init()).expect("fetch");
    let asleep = at(1);
    let snooze = Snooze { since: now(), until: None, updated_at: asleep.updated_at };
    let gone: AlertId = "ano_gone".parse().expect("id");
    let kept = Snoozes::from([(asleep.anomaly_id.clone(), snooze.clone()), (gone, snooze)]);
    assert!(app.update(Msg::SnoozesFound(Ok(kept))).is_empty(), "nothing is judged before the list loads");
    let cmds = app.update(Msg::AlertsLoaded { generation, result: Ok(vec![at(1), at(2)]) });
    assert!(saved(&cmds).is_some_and(|s| s.len() == 1), "the one for a gone alert is pruned: {cmds:?}");
    assert!(app.list.is_snoozed(&asleep.anomaly_id));
    assert_eq!(app.list.awake(), 1);

    press(&mut app, KeyCode::Char('['));
    let cmds = press(&mut app, KeyCode::Char('z'));
    assert!(saved(&cmds).is_some_and(BTreeMap::is_empty), "z on a snoozed alert wakes it");
    assert_eq!(app.list.awake(), 2);
    assert!(app.notice.as_ref().is_some_and(|n| n.text.starts_with("Woke 1 alert")), "{:?}", app.notice);

    let broken = app.update(Msg::SnoozesFound(Err("snoozes.json is not a snoozes file".into())));
    assert!(broken.is_empty());
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("Could not read the snoozes")));
}

#[test]
fn y_copies_the_id_and_the_copy_menu_offers_the_rest_in_read_only_mode_too() {
    let mut app = loaded(Access::ReadOnly, vec![at(1)]);
    assert_eq!(press(&mut app, KeyCode::Char('y')), vec![Cmd::Copy("ano_001".into())]);
    assert!(app.notice.as_ref().is_some_and(|n| n.text == "Copied ano_001 to the clipboard."));
    press(&mut app, KeyCode::Char('Y'));
    let cmds = press(&mut app, KeyCode::Char('2'));
    assert_eq!(cmds, vec![Cmd::Copy("bln_20f02af6-3728-4d37-9b5a-c7ed080f09df".into())]);
    press(&mut app, KeyCode::Char('Y'));
    let json = copied(&press(&mut app, KeyCode::Char('4')));
    let back: Alert = serde_json::from_str(&json).expect("the alert as JSON");
    assert_eq!(back, at(1));
    press(&mut app, KeyCode::Char('Y'));
    let summary = copied(&press(&mut app, KeyCode::Char('5')));
    assert!(summary.starts_with("**alert 1** (`ano_001`)\n\n- Status: Flagged\n- Type: Balance\n"), "{summary}");
    assert!(summary.ends_with("\n> about alert 1\n"), "{summary}");
    assert!(app.notice.as_ref().is_some_and(|n| n.text == "Copied a Markdown summary for a ticket to the clipboard."));

    let mut huge = at(2);
    huge.description = "x".repeat(COPY_LIMIT);
    app.list.upsert(huge.clone());
    app.list.select_id(&huge.anomaly_id);
    press(&mut app, KeyCode::Char('Y'));
    assert!(press(&mut app, KeyCode::Char('4')).is_empty(), "too big for a clipboard");
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("more than a terminal's clipboard takes")));
    press(&mut app, KeyCode::Char('Y'));
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.overlay, Overlay::None);
}
