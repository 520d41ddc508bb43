//! Edits never silently overwrite a colleague's change: 100 rounds in which two people open
//! the same version of an alert and both save. The second save must come back as a conflict
//! carrying the colleague's version, and the server must still hold the colleague's text.

mod common;

use blnk_alerts::api::{AlertUpdate, FlagRequest};
use blnk_alerts::app::{Cmd, Msg, UpdateKind};
use blnk_alerts::runtime::Executor;
use common::{LIMIT, clients, config_for, server};

fn edit(id: &blnk_alerts::domain::AlertId, title: String, expected: chrono::DateTime<chrono::FixedOffset>) -> Cmd {
    Cmd::Update {
        id: id.clone(),
        update: AlertUpdate { title: Some(title), ..AlertUpdate::default() },
        expected: Some(expected),
        kind: UpdateKind::Edit,
    }
}

#[tokio::test]
async fn a_hundred_racing_edits_make_no_silent_overwrite() {
    tokio::time::timeout(LIMIT, async {
        let server = server(None, false).await;
        let (read, write) = clients(&config_for(server.base_url()));
        let entity = "txn_20f02af6-3728-4d37-9b5a-c7ed080f09df".parse().expect("valid");
        let request = FlagRequest { title: Some("Duplicate transfer".into()), description: "Twice in 3 s".into() };
        let id = write.flag(&entity, &request).await.expect("flagged").anomaly_id;
        let alice = Executor::new(read.clone(), Some(write.clone()), None);
        let bob = Executor::new(read.clone(), Some(write.clone()), None);

        let mut conflicts = 0;
        for round in 0..100 {
            let opened = read.get_alert(&id).await.expect("both open the same version").updated_at;
            let first = alice.run(edit(&id, format!("alice {round}"), opened)).await;
            assert!(matches!(first, Msg::Updated { result: Ok(_), .. }), "round {round}: {first:?}");
            match bob.run(edit(&id, format!("bob {round}"), opened)).await {
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
