//! The Data API against the built-in server, through the real client: the entities the demo's
//! alerts name exist, agree with the alerts (a transaction's amount is the one its alert's
//! description gives, to the cent), lead to their balances and identities, and fail as Blnk
//! Cloud does (no instance, another instance, an id no alert names, a wrong key).

mod common;

use blnk_alerts::api::ApiError;
use blnk_alerts::domain::{Entity, EntityId};
use blnk_alerts::server::{DEMO_INSTANCE, Seed};
use common::{LIMIT, clients, config_for, server};

#[tokio::test]
async fn the_demo_entities_agree_with_their_alerts_and_lead_to_each_other() {
    tokio::time::timeout(LIMIT, async {
        let running = server(Some(Seed::Demo), false).await;
        let (reader, _) = clients(&config_for(running.base_url()));
        let alerts = reader.list_alerts().await.expect("alerts");
        // Every alert on a transaction whose description names a sum: that sum, exactly.
        let mut checked = 0;
        for alert in alerts.iter().filter(|a| !a.affected_transactions.is_empty()) {
            let id: EntityId = alert.affected_transactions[0].parse().expect("an entity id");
            let Entity::Transaction(txn) = reader.get_entity(&id, DEMO_INSTANCE).await.expect("found") else {
                panic!("a transaction")
            };
            let money = txn.money().expect("an amount");
            let (currency, figure) = money.split_once(' ').expect("currency and amount");
            if alert.description.contains(&format!("{currency} ")) && alert.description.contains(figure) {
                checked += 1;
            }
            let source: EntityId = txn.source.as_deref().expect("a source").parse().expect("a balance id");
            let Entity::Balance(balance) = reader.get_entity(&source, DEMO_INSTANCE).await.expect("its source") else {
                panic!("a balance")
            };
            assert_eq!(balance.currency, txn.currency, "the source holds the transaction's currency");
            let identity: EntityId = balance.identity_id.as_deref().expect("an identity").parse().expect("an id");
            let Entity::Identity(person) = reader.get_entity(&identity, DEMO_INSTANCE).await.expect("its owner") else {
                panic!("an identity")
            };
            assert!(person.name().is_some(), "{person:?}");
            let (history, total) = reader.balance_transactions(source.as_str(), DEMO_INSTANCE).await.expect("a page");
            assert!(history.iter().any(|t| t.transaction_id == txn.transaction_id), "the flagged one is listed");
            assert!(total.is_some_and(|t| t >= 3), "{total:?}");
        }
        assert!(checked >= 5, "only {checked} transactions matched their alert's figure");

        // Asked again, the same record.
        let id: EntityId =
            alerts.iter().find_map(|a| a.affected_balances.first()).expect("a balance").parse().expect("id");
        let first = reader.get_entity(&id, DEMO_INSTANCE).await.expect("found");
        assert_eq!(reader.get_entity(&id, DEMO_INSTANCE).await.expect("found again"), first);
        // Asked for as another kind, a record is not found.
        let as_transaction: EntityId =
            id.as_str().replacen("bln_", "txn_", 1).replacen("bal_", "txn_", 1).parse().expect("id");
        assert_eq!(reader.get_entity(&as_transaction, DEMO_INSTANCE).await.err().and_then(|e| e.status()), Some(404));
        running.shutdown().await;
    })
    .await
    .expect("within the limit");
}

#[tokio::test]
async fn failures_say_what_is_wrong_as_blnk_cloud_does() {
    tokio::time::timeout(LIMIT, async {
        let running = server(Some(Seed::Demo), false).await;
        let (reader, _) = clients(&config_for(running.base_url()));
        let unknown: EntityId = "txn_00000000-0000-4000-8000-000000000000".parse().expect("an id");
        let status = |e: Result<Entity, ApiError>| e.err().and_then(|e| e.status());
        assert_eq!(status(reader.get_entity(&unknown, DEMO_INSTANCE).await), Some(404));
        let named: EntityId =
            reader.list_alerts().await.expect("alerts")[0].entity().expect("one").parse().expect("id");
        assert_eq!(status(reader.get_entity(&named, "instance_other").await), Some(404));
        assert_eq!(status(reader.get_entity(&named, "").await), Some(400));

        let url =
            running.base_url().join(&format!("data/transactions/{unknown}?instance_id={DEMO_INSTANCE}")).expect("url");
        let answer =
            reqwest::Client::new().get(url.clone()).bearer_auth(common::key().expose()).send().await.expect("sent");
        let body: serde_json::Value = answer.json().await.expect("JSON");
        assert_eq!(body["error_detail"]["code"], "TXN_NOT_FOUND", "{body}");
        let anonymous = reqwest::Client::new().get(url).send().await.expect("sent");
        assert_eq!(anonymous.status(), 401, "the key is needed here too");
        running.shutdown().await;
    })
    .await
    .expect("within the limit");
}
