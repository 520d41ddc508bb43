//! The statuses screen: the list, a new status with its colour, a rename, a delete asked twice,
//! the server's refusals shown with what was typed kept, and nothing sent in read-only mode.

use super::*;
use crate::api::{NewStatus, StatusChange};

fn colours() -> Vec<String> {
    ["#3B82F6", "#F59E0B", "#10B981", "#8B5CF6"].map(str::to_owned).to_vec()
}

fn opened(access: Access) -> App {
    let mut app = loaded(access, vec![at(1), at(2)]);
    let mut list = StatusList { data: Status::built_ins(), allowed_colours: colours() };
    list.data.push(Status {
        key: "PENDING_REVIEW".parse().expect("a key"),
        name: "Pending Review".into(),
        colour: "#8B5CF6".into(),
        ..Status::built_ins().remove(0)
    });
    app.update(Msg::StatusesLoaded(Ok(list)));
    let cmds = press(&mut app, KeyCode::Char('T'));
    assert!(matches!(&app.overlay, Overlay::Statuses(_)), "{:?}", app.overlay);
    assert_eq!(cmds, vec![Cmd::FetchStatuses], "fresh from the server");
    app.update(Msg::StatusesLoaded(Err(ApiError::Timeout { after: Duration::from_secs(1) })));
    app
}

fn screen(app: &App) -> &StatusScreen {
    let Overlay::Statuses(screen) = &app.overlay else { panic!("the statuses screen: {:?}", app.overlay) };
    screen
}

#[test]
fn a_new_status_takes_its_name_and_colour_and_a_refusal_keeps_what_was_typed() {
    let mut app = opened(Access::ReadWrite);
    press(&mut app, KeyCode::Char('n'));
    typed(&mut app, "Chargeback");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::BackTab);
    let cmds = press(&mut app, KeyCode::Enter);
    let wanted = NewStatus { name: "Chargeback".into(), colour: "#F59E0B".into(), key: None };
    assert_eq!(cmds, vec![Cmd::CreateStatus(wanted)]);
    assert!(press(&mut app, KeyCode::Enter).is_empty(), "nothing more while it is sent");

    let refused =
        ApiError::Status { status: 409, message: "a status with key CHARGEBACK exists".into(), retry_after: None };
    app.update(Msg::StatusWritten { write: StatusWrite::Created, result: Err(refused) });
    let StatusMode::Editing { name, sending: false, .. } = &screen(&app).mode else {
        panic!("{:?}", screen(&app).mode)
    };
    assert_eq!(name.text(), "Chargeback", "every character kept");
    assert!(screen(&app).error.as_deref().is_some_and(|e| e.contains("CHARGEBACK exists")));

    let cmds = press(&mut app, KeyCode::Enter);
    assert_eq!(cmds.len(), 1);
    let cmds = app.update(Msg::StatusWritten { write: StatusWrite::Created, result: Ok("Chargeback".into()) });
    assert_eq!(cmds, vec![Cmd::FetchStatuses], "the list is read again");
    assert_eq!((&screen(&app).mode, &screen(&app).error), (&StatusMode::List, &None));
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("\"Chargeback\" created")));
}

#[test]
fn a_status_is_renamed_and_recoloured_and_deleted_only_on_the_second_press() {
    let mut app = opened(Access::ReadWrite);
    press(&mut app, KeyCode::End);
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('j'));
    }
    assert_eq!(screen(&app).cursor, 3, "the last status, and no further");
    press(&mut app, KeyCode::Char('e'));
    let StatusMode::Editing { name, colour, .. } = &screen(&app).mode else { panic!("editing") };
    assert_eq!((name.text(), *colour), ("Pending Review", Some(3)), "its name and colour to start from");
    typed(&mut app, "!");
    press(&mut app, KeyCode::Tab);
    let cmds = press(&mut app, KeyCode::Enter);
    let key: StatusKey = "PENDING_REVIEW".parse().expect("a key");
    let change = StatusChange { name: "Pending Review!".into(), colour: "#3B82F6".into() };
    assert_eq!(cmds, vec![Cmd::UpdateStatus { key: key.clone(), change }]);
    app.update(Msg::StatusWritten { write: StatusWrite::Updated(key.clone()), result: Ok("Pending Review!".into()) });

    assert!(press(&mut app, KeyCode::Char('d')).is_empty(), "the first press asks");
    assert_eq!(screen(&app).mode, StatusMode::ConfirmDelete(key.clone()));
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(screen(&app).mode, StatusMode::List, "any other key keeps it");
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('d'));
    assert_eq!(press(&mut app, KeyCode::Char('d')), vec![Cmd::DeleteStatus(key.clone())]);
    let in_use = ApiError::Status { status: 409, message: "status is in use by 3 alerts".into(), retry_after: None };
    app.update(Msg::StatusWritten { write: StatusWrite::Deleted(key), result: Err(in_use) });
    assert_eq!(screen(&app).mode, StatusMode::List);
    assert!(screen(&app).error.as_deref().is_some_and(|e| e.contains("in use by 3 alerts")));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn a_status_whose_colour_is_not_allowed_keeps_it_unless_another_is_chosen() {
    let mut app = opened(Access::ReadWrite);
    // Flagged is #3B82F6, allowed; make it one the server no longer offers.
    app.statuses[0].colour = "#123456".into();
    press(&mut app, KeyCode::Char('e'));
    let StatusMode::Editing { colour: None, .. } = &screen(&app).mode else { panic!("{:?}", screen(&app).mode) };
    let cmds = press(&mut app, KeyCode::Enter);
    let [Cmd::UpdateStatus { change, .. }] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(change.colour, "#123456", "renaming alone does not recolour");
}

#[test]
fn read_only_mode_shows_the_statuses_and_changes_none() {
    let mut app = opened(Access::ReadOnly);
    for code in [KeyCode::Char('n'), KeyCode::Char('e'), KeyCode::Enter, KeyCode::Char('d'), KeyCode::Char('d')] {
        assert!(press(&mut app, code).is_empty(), "{code:?}");
    }
    assert_eq!(screen(&app).mode, StatusMode::List);
    assert!(screen(&app).error.as_deref().is_some_and(|e| e.starts_with("Read-only")));
}
