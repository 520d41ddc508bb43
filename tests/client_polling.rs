//! The client's side of cheap polling, against the built-in server over loopback: the tag it is
//! given comes back as If-None-Match and earns a 304; with no tag (a server like the real API),
//! an unchanged list decodes nothing and a change decodes only the changed alert. Every test
//! has a time limit and shuts its server down.

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use blnk_alerts::api::{AlertUpdate, Http, Known, ListFetch, ReadClient, WriteClient};
use blnk_alerts::config::Config;
use blnk_alerts::server::{self, Seed, ServerOptions};

async fn clients(etags: bool) -> (server::RunningServer, ReadClient, WriteClient) {
    let options = ServerOptions { seed: Some(Seed::Synthetic(300)), etags, ..ServerOptions::demo() };
    let server = server::start(options).await.expect("starts");
    let http = Http::new(&Config::local(server.base_url(), common::key())).expect("client");
    (server, ReadClient::new(http.clone()), WriteClient::new(http))
}

/// Fetches against `known`; answers the delta and the tag.
async fn fetch(reader: &ReadClient, known: &Known, etag: Option<&str>) -> ListFetch {
    reader.fetch_alerts(known, etag, &mut |_| {}).await.expect("fetched")
}

#[tokio::test]
async fn a_tag_comes_back_and_earns_a_304_until_something_changes() {
    tokio::time::timeout(common::LIMIT, async {
        let (server, reader, writer) = clients(true).await;
        let empty: Known = Arc::default();
        let ListFetch::Answer { delta, etag } = fetch(&reader, &empty, None).await else { panic!("a whole answer") };
        assert_eq!((delta.changed.len(), delta.total), (300, 300));
        let etag = etag.expect("the server gives a tag");
        assert_eq!(fetch(&reader, &empty, Some(&etag)).await, ListFetch::NotModified);
        let id = delta.changed[0].1.anomaly_id.clone();
        let update = AlertUpdate { description: Some("changed".into()), ..AlertUpdate::default() };
        writer.update(&id, &update).await.expect("updated");
        assert!(
            matches!(fetch(&reader, &empty, Some(&etag)).await, ListFetch::Answer { .. }),
            "stale tag: whole answer"
        );
        server.shutdown().await;
    })
    .await
    .expect("within the limit");
}

#[tokio::test]
async fn without_a_tag_only_what_changed_is_decoded() {
    tokio::time::timeout(common::LIMIT, async {
        let (server, reader, writer) = clients(false).await;
        let ListFetch::Answer { delta, etag: None } = fetch(&reader, &Arc::default(), None).await else {
            panic!("a whole answer and no tag")
        };
        let known: HashMap<u64, u32> = delta.changed.iter().zip(0..).map(|((hash, _), slot)| (*hash, slot)).collect();
        let known: Known = Arc::new(known);
        let ListFetch::Answer { delta: same, .. } = fetch(&reader, &known, None).await else { panic!("answer") };
        assert!(same.is_empty() && same.total == 300, "unchanged: nothing decoded, nothing gone");

        let (changed_slot, changed_id) = (7u32, delta.changed[7].1.anomaly_id.clone());
        let update = AlertUpdate { description: Some("changed".into()), ..AlertUpdate::default() };
        writer.update(&changed_id, &update).await.expect("updated");
        let ListFetch::Answer { delta: one, .. } = fetch(&reader, &known, None).await else { panic!("answer") };
        assert_eq!(one.changed.len(), 1, "only the changed alert is decoded");
        assert_eq!(one.changed[0].1.anomaly_id, changed_id);
        assert_eq!(one.changed[0].1.description, "changed");
        assert_eq!(one.gone, [changed_slot], "its old version did not come back");
        server.shutdown().await;
    })
    .await
    .expect("within the limit");
}
