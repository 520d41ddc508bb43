//! The entity panel: fetched only once the selection rests, kept a minute, walked and flagged,
//! failures kept in the panel.

use super::*;
use crate::domain::{Entity, EntityId};

const INSTANCE: &str = "instance_test";

fn with_instance(alerts: Vec<Alert>) -> App {
    let mut app = loaded(Access::ReadOnly, alerts);
    app.settings.instance_id = Some(INSTANCE.into());
    app
}

/// The rest timers and entity fetches among `cmds`.
fn rests(cmds: &[Cmd]) -> Vec<u64> {
    cmds.iter().filter_map(|c| if let Cmd::Rest { token, .. } = c { Some(*token) } else { None }).collect()
}

fn fetches(cmds: &[Cmd]) -> Vec<EntityId> {
    cmds.iter().filter_map(|c| if let Cmd::FetchEntity { id, .. } = c { Some(id.clone()) } else { None }).collect()
}

fn transaction(id: &str, source: &str, destination: &str) -> Entity {
    let json = format!(
        r#"{{"transaction_id": "{id}", "precise_amount": 23322634, "precision": 100, "currency": "ZAR",
            "source": "{source}", "destination": "{destination}", "status": "APPLIED"}}"#
    );
    Entity::decode(crate::domain::EntityKind::Transaction, json.as_bytes()).expect("decodes")
}

/// Alerts on transactions, one each.
fn on_transactions(n: u32) -> Vec<Alert> {
    (0..n)
        .map(|i| {
            let mut a = at(i);
            a.kind = crate::domain::EntityKind::Transaction.into();
            a.affected_balances.clear();
            a.affected_transactions = vec![format!("txn_00000000-0000-4000-8000-{i:012}")];
            a
        })
        .collect()
}

#[test]
fn moving_quickly_sends_nothing_and_only_the_resting_selection_is_fetched() {
    let mut app = with_instance(on_transactions(60));
    let mut tokens = Vec::new();
    for _ in 0..50 {
        let cmds = press(&mut app, KeyCode::Char('j'));
        assert!(fetches(&cmds).is_empty(), "no request while moving");
        tokens.extend(rests(&cmds));
    }
    assert_eq!(tokens.len(), 50, "one rest timer per move");
    let sent: Vec<EntityId> = tokens.iter().flat_map(|t| fetches(&app.update(Msg::Rested(*t)))).collect();
    let shown = app.entity.shown().cloned().expect("the selected alert's transaction");
    assert_eq!(sent, vec![shown.clone()], "only the last timer fetches, and only what is shown");

    // Its answer is kept: going away and back within a minute asks nothing.
    let entity = transaction(shown.as_str(), "bln_a", "bln_b");
    app.update(Msg::EntityLoaded { id: shown.clone(), result: Ok(Box::new(entity.clone())) });
    press(&mut app, KeyCode::Char('k'));
    let back = rests(&press(&mut app, KeyCode::Char('j')));
    assert!(fetches(&app.update(Msg::Rested(back[0]))).is_empty(), "a fresh answer needs no request");
    assert_eq!(app.entity.fetched(&shown).and_then(|f| f.value.clone()), Some(entity));
    // After a minute it is asked for again (and shown meanwhile).
    app.update(Msg::Tick(now() + chrono::Duration::seconds(61)));
    press(&mut app, KeyCode::Char('k'));
    let token = rests(&press(&mut app, KeyCode::Char('j')));
    assert_eq!(fetches(&app.update(Msg::Rested(token[0]))), vec![shown]);
}

#[test]
fn walking_opens_the_source_the_identity_and_back_and_f_flags_what_is_shown() {
    let mut app = with_instance(on_transactions(2));
    app.settings.access = Access::ReadWrite;
    let txn = app.entity.shown().cloned().expect("shown");
    let source = "bln_845bbf20-cc0c-41d2-810b-24f104f1cb8b";
    app.update(Msg::EntityLoaded {
        id: txn.clone(),
        result: Ok(Box::new(transaction(txn.as_str(), source, "bln_x y"))),
    });
    let cmds = press(&mut app, KeyCode::Char('s'));
    assert_eq!(fetches(&cmds).iter().map(EntityId::as_str).collect::<Vec<_>>(), [source], "a key fetches at once");
    assert_eq!(app.entity.trail.len(), 2);
    assert!(press(&mut app, KeyCode::Char('s')).is_empty(), "a balance has no source");
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("no source balance")), "{:?}", app.notice);
    press(&mut app, KeyCode::Char('F'));
    let Overlay::Form(form) = &app.overlay else { panic!("a flag form") };
    assert_eq!(form.fields[0].input.text(), source, "the entity shown, prefilled");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('h'));
    assert_eq!(app.entity.shown(), Some(&txn), "back to the alert's own");
    // "bln_x y" is no id: nothing to open, and nothing sent.
    assert!(fetches(&press(&mut app, KeyCode::Char('d'))).is_empty());
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("no destination balance")), "{:?}", app.notice);
    assert_eq!(app.entity.shown(), Some(&txn));
}

#[test]
fn without_an_instance_nothing_is_fetched_and_a_failure_stays_in_the_panel() {
    let mut app = loaded(Access::ReadOnly, on_transactions(3));
    let cmds = press(&mut app, KeyCode::Char('j'));
    let after = app.update(Msg::Rested(rests(&cmds)[0]));
    assert!(fetches(&cmds).is_empty() && fetches(&after).is_empty(), "no instance_id: no request");

    let mut app = with_instance(on_transactions(3));
    let token = rests(&press(&mut app, KeyCode::Char('j')));
    let shown = fetches(&app.update(Msg::Rested(token[0])))[0].clone();
    let forbidden = ApiError::Status { status: 403, message: "missing scope".into(), retry_after: None };
    app.update(Msg::EntityLoaded { id: shown.clone(), result: Err(forbidden) });
    assert!(app.entity.fetched(&shown).is_some_and(|f| f.error.is_some() && !f.loading));
    assert_eq!(app.notice, None, "the failure is the panel's, not the footer's");
    let again = press(&mut app, KeyCode::Char('r'));
    assert_eq!(fetches(&again), vec![shown], "r asks again");
    let forbidden = ApiError::Status { status: 403, message: "missing scope".into(), retry_after: None };
    let said = forbidden.data_api_hint(INSTANCE).expect("a hint");
    assert!(said.contains("data:read") && !said.contains("alerts:"), "{said}");
}

#[test]
fn neighbours_are_the_alerts_on_the_same_entities_and_n_goes_through_them_all() {
    const SHARED: &str = "bln_11111111-1111-4111-8111-111111111111";
    let mut alerts: Vec<Alert> = (0..6).map(at).collect();
    for i in [1, 3, 4] {
        alerts[i].affected_balances = vec![SHARED.into()];
    }
    let mut app = loaded(Access::ReadOnly, alerts);
    // Newest first: rows are alerts 5, 4, 3, 2, 1, 0; go to alert 4.
    let token = rests(&press(&mut app, KeyCode::Char('j')));
    assert!(app.entity.neighbours.list.is_empty(), "nothing before the selection rests");
    app.update(Msg::Rested(token[0]));
    let ids = |app: &App| app.entity.neighbours.list.iter().map(|n| n.id.as_str().to_owned()).collect::<Vec<_>>();
    assert_eq!(ids(&app), ["ano_003", "ano_001"], "in the list's order, without itself");
    assert_eq!(app.entity.neighbours.total, 2);

    let mut visited = Vec::new();
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('N'));
        visited.push(app.list.selected_id().map(|id| id.as_str().to_owned()).unwrap_or_default());
    }
    assert_eq!(visited, ["ano_003", "ano_001", "ano_004"], "n goes on down the list, then from the top");
}

#[test]
fn alerts_on_the_transactions_balances_are_neighbours_too() {
    let mut alerts = on_transactions(4);
    alerts[0].affected_balances = vec!["bln_845bbf20-cc0c-41d2-810b-24f104f1cb8b".into()];
    alerts[0].kind = crate::domain::EntityKind::Balance.into();
    alerts[0].affected_transactions.clear();
    let mut app = with_instance(alerts);
    let txn = app.entity.shown().cloned().expect("the newest alert's transaction");
    let loaded = transaction(txn.as_str(), "bln_845bbf20-cc0c-41d2-810b-24f104f1cb8b", "bln_x");
    app.update(Msg::EntityLoaded { id: txn, result: Ok(Box::new(loaded)) });
    let found = &app.entity.neighbours.list;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].id.as_str(), found[0].relation), ("ano_000", crate::app::Relation::Source));
}

#[test]
fn a_poll_recounts_the_neighbours_only_when_it_touches_their_entities() {
    const SHARED: &str = "bln_11111111-1111-4111-8111-111111111111";
    let mut alerts: Vec<Alert> = (0..6).map(at).collect();
    for i in [1, 3, 4] {
        alerts[i].affected_balances = vec![SHARED.into()];
    }
    let mut app = loaded(Access::ReadOnly, alerts.clone());
    let token = rests(&press(&mut app, KeyCode::Char('j')));
    app.update(Msg::Rested(token[0]));
    assert_eq!(app.entity.neighbours.total, 2);
    let poll = |app: &mut App, changed: Vec<Alert>, gone: Vec<u32>| {
        let (generation, _, _) = next_fetch(app);
        let changed = changed.into_iter().enumerate().map(|(i, a)| (u64::MAX - i as u64, a)).collect();
        let delta = crate::api::ListDelta { changed, gone, total: 0 };
        let result = Ok(crate::api::ListFetch::Answer { delta, etag: None });
        app.update(Msg::AlertsFetched { generation, result, took: Duration::ZERO });
    };
    // An alert elsewhere changes: no pass is made (a planted figure survives the poll).
    app.entity.neighbours.total = 99;
    let mut elsewhere = alerts[0].clone();
    elsewhere.title = Some("retitled".into());
    poll(&mut app, vec![elsewhere], Vec::new());
    assert_eq!(app.entity.neighbours.total, 99, "no pass over the list for an untouched entity");
    // A new alert on the shared balance is one more.
    let mut newcomer = at(30);
    newcomer.affected_balances = vec![SHARED.into()];
    poll(&mut app, vec![newcomer], Vec::new());
    assert_eq!(app.entity.neighbours.total, 3);
    // A neighbour gone is one fewer.
    let slot = app
        .list
        .known()
        .values()
        .copied()
        .find(|&s| app.list.in_slot(s).is_some_and(|a| a.anomaly_id.as_str() == "ano_001"));
    poll(&mut app, Vec::new(), vec![slot.expect("listed")]);
    assert_eq!(app.entity.neighbours.total, 2);
    assert!(app.entity.neighbours.list.iter().all(|n| n.id.as_str() != "ano_001"));
}
