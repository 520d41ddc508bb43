//! A key without `alerts:write`: a refused write says so and offers read-only, once; taking it
//! drops the write client and keeps a form's text; declining brings the form back.

use super::*;

fn forbidden() -> ApiError {
    let message = "the key \"wallboard\" lacks the alerts:write scope this request needs".into();
    ApiError::Status { status: 403, message, retry_after: None }
}

fn offered(app: &App) -> bool {
    matches!(&app.overlay, Overlay::Menu(Menu { kind: MenuKind::ReadOnly(_), .. }))
}

#[test]
fn a_status_change_refused_for_its_scope_offers_read_only_and_taking_it_sends_nothing_more() {
    let mut app = loaded(Access::ReadWrite, vec![at(1), at(2)]);
    press(&mut app, KeyCode::Char('t'));
    typed(&mut app, "resol");
    let cmds = press(&mut app, KeyCode::Enter);
    let Some(Cmd::Update { id, kind, .. }) = cmds.first().cloned() else { panic!("{cmds:?}") };
    app.update(Msg::Updated { id, kind, result: Err(forbidden()) });
    let notice = app.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(notice.contains("cannot change alerts (needs alerts:write)"), "{notice}");
    assert!(offered(&app), "{:?}", app.overlay);
    assert_eq!(app.list.iter().filter(|a| a.status.as_str() == "RESOLVED").count(), 0, "put back");

    let cmds = press(&mut app, KeyCode::Enter);
    assert!(cmds.contains(&Cmd::GiveUpWrites), "{cmds:?}");
    assert!(app.read_only() && app.overlay == Overlay::None);
    assert!(app.notice.as_ref().is_some_and(|n| n.text.starts_with("Read-only now")));
    for key in every_key() {
        for cmd in app.update(Msg::Key(key)) {
            assert!(!cmd.is_mutating(), "{key:?} gave {cmd:?} after going read-only");
        }
        app.overlay = Overlay::None;
    }
}

#[test]
fn an_edit_refused_for_its_scope_waits_behind_the_offer_and_keeps_its_text_either_way() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    press(&mut app, KeyCode::Char('e'));
    typed(&mut app, " v2");
    let cmds = ctrl(&mut app, 's');
    let Some(Cmd::Update { id, kind, .. }) = cmds.first().cloned() else { panic!("{cmds:?}") };
    app.update(Msg::Updated { id: id.clone(), kind: kind.clone(), result: Err(forbidden()) });
    assert!(offered(&app));

    // Declined: the form comes back as it was, saying why it was not saved.
    press(&mut app, KeyCode::Esc);
    let Overlay::Form(form) = &app.overlay else { panic!("the form is back: {:?}", app.overlay) };
    assert_eq!(form.fields[0].input.text(), "alert 1 v2");
    assert!(form.error.as_deref().is_some_and(|e| e.contains("needs alerts:write")), "{:?}", form.error);

    // Refused again, and this time taken: the text is kept as a draft, then writes are given up.
    ctrl(&mut app, 's');
    app.update(Msg::Updated { id, kind, result: Err(forbidden()) });
    assert!(offered(&app));
    let cmds = press(&mut app, KeyCode::Char('1'));
    let [Cmd::SaveDraft(draft), Cmd::GiveUpWrites] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(draft.fields[0], "alert 1 v2");
    assert!(app.read_only() && app.overlay == Overlay::None);
}

#[test]
fn other_refusals_offer_nothing() {
    let mut app = loaded(Access::ReadWrite, vec![at(1)]);
    press(&mut app, KeyCode::Char('t'));
    typed(&mut app, "resol");
    let cmds = press(&mut app, KeyCode::Enter);
    let Some(Cmd::Update { id, kind, .. }) = cmds.first().cloned() else { panic!("{cmds:?}") };
    let refused = ApiError::Status { status: 404, message: "alert not found".into(), retry_after: None };
    app.update(Msg::Updated { id, kind, result: Err(refused) });
    assert!(!offered(&app) && !app.read_only());
}
