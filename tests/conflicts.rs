//! Edits never silently overwrite a colleague's change: 100 rounds in which two people open
//! the same version of an alert and both save. The second save must come back as a conflict
//! carrying the colleague's version, and the server must still hold the colleague's text. And
//! conflicts only when real: 100 rounds in which the colleague changes only the status give
//! no conflict at all, and keep both changes.

mod common;

use blnk_alerts::api::{AlertUpdate, FlagRequest, ReadClient, WriteClient};
use blnk_alerts::app::{Cmd, Msg, UpdateKind};
use blnk_alerts::domain::AlertId;
use blnk_alerts::runtime::Executor;
use blnk_alerts::server::RunningServer;
use common::{LIMIT, clients, config_for, server};

fn edit(id: &AlertId, title: String, opened: &blnk_alerts::domain::Alert) -> Cmd {
    Cmd::Update {
        id: id.clone(),
        update: AlertUpdate { title: Some(title), ..AlertUpdate::default() },
        expected: Some(Box::new(opened.clone())),
        kind: UpdateKind::Edit,
    }
}

/// A server holding one flagged alert, clients for it, and the alert's id.
async fn one_alert() -> (RunningServer, ReadClient, WriteClient, AlertId) {
    let server = server(None, false).await;
    let (read, write) = clients(&config_for(server.base_url()));
    let entity = "txn_20f02af6-3728-4d37-9b5a-c7ed080f09df".parse().expect("valid");
    let request = FlagRequest { title: Some("Duplicate transfer".into()), description: "Twice in 3 s".into() };
    let id = write.flag(&entity, &request).await.expect("flagged").anomaly_id;
    (server, read, write, id)
}

#[tokio::test]
async fn a_hundred_racing_edits_make_no_silent_overwrite() {
    tokio::time::timeout(LIMIT, async {
        let (server, read, write, id) = one_alert().await;
        let alice = Executor::new(read.clone(), Some(write.clone()), None);
        let bob = Executor::new(read.clone(), Some(write.clone()), None);

        let mut conflicts = 0;
        for round in 0..100 {
            let opened = read.get_alert(&id).await.expect("both open the same version");
            let first = alice.run(edit(&id, format!("alice {round}"), &opened)).await;
            assert!(matches!(first, Msg::Updated { result: Ok(_), .. }), "round {round}: {first:?}");
            match bob.run(edit(&id, format!("bob {round}"), &opened)).await {
                Msg::EditConflict { latest } => {
                    assert_eq!(latest.title.as_deref(), Some(format!("alice {round}").as_str()));
                    conflicts += 1;
                }
                other => panic!("round {round}: bob overwrote alice silently: {other:?}"),
            }
            let kept = read.get_alert(&id).await.expect("get").title;
            assert_eq!(kept.as_deref(), Some(format!("alice {round}").as_str()));
        }
        assert_eq!(conflicts, 100);
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn a_colleague_changing_only_the_status_is_no_conflict_in_a_hundred_rounds() {
    tokio::time::timeout(LIMIT, async {
        let (server, read, write, id) = one_alert().await;
        let editor = Executor::new(read.clone(), Some(write.clone()), None);
        let statuses = ["INVESTIGATING", "RESOLVED", "FLAGGED"];
        for round in 0..100 {
            let opened = read.get_alert(&id).await.expect("opened");
            let status = statuses[round % statuses.len()].parse().expect("a key");
            let theirs = AlertUpdate { status: Some(status), ..AlertUpdate::default() };
            write.update(&id, &theirs).await.expect("the colleague's status change");
            match editor.run(edit(&id, format!("mine {round}"), &opened)).await {
                Msg::Updated { result: Ok(saved), .. } => {
                    assert_eq!(saved.title.as_deref(), Some(format!("mine {round}").as_str()));
                    assert_eq!(saved.status.as_str(), statuses[round % statuses.len()], "theirs kept");
                }
                other => panic!("round {round}: a false conflict: {other:?}"),
            }
        }
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}
