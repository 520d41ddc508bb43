//! The built-in server's conditional GETs and streamed list, over real HTTP on loopback: an `ETag`
//! on every read, 304 with no body while nothing changed, a new tag after any write, and a list
//! larger than one page streamed whole and in order. Every test has a time limit.

use std::time::Duration;

use blnk_alerts::server::{self, Seed, ServerOptions};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, ETAG, IF_NONE_MATCH};
use serde_json::{Value, json};

async fn limited<F: Future<Output = ()>>(test: F) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    tokio::time::timeout(Duration::from_secs(60), test).await.expect("test took over 60 s");
}

async fn get(http: &reqwest::Client, url: &str, tag: Option<&str>) -> (StatusCode, Option<String>, Vec<u8>) {
    let mut request = http.get(url);
    if let Some(tag) = tag {
        request = request.header(IF_NONE_MATCH, tag);
    }
    let response = request.send().await.expect("answered");
    let status = response.status();
    let etag = response.headers().get(ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
    (status, etag, response.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn reads_carry_a_tag_that_holds_until_a_write() {
    limited(async {
        let server = server::start(ServerOptions::demo()).await.expect("starts");
        let base = server.base_url();
        let http = reqwest::Client::new();
        for path in ["alerts", "alerts/statuses"] {
            let url = base.join(path).expect("url").to_string();
            let (status, tag, body) = get(&http, &url, None).await;
            assert_eq!(status, StatusCode::OK);
            let tag = tag.expect("an ETag on every read");
            assert!(!body.is_empty());
            let (status, again, body) = get(&http, &url, Some(&tag)).await;
            assert_eq!((status, again.as_deref(), body.len()), (StatusCode::NOT_MODIFIED, Some(tag.as_str()), 0));
            let (status, _, _) = get(&http, &url, Some(&format!("W/{tag}, \"other\""))).await;
            assert_eq!(status, StatusCode::NOT_MODIFIED, "a weak tag in a list still matches");
        }
        let list = base.join("alerts").expect("url").to_string();
        let (_, tag, body) = get(&http, &list, None).await;
        let tag = tag.expect("tag");
        let alerts: Vec<Value> = serde_json::from_slice(&body).expect("JSON array");
        let id = alerts[0]["anomaly_id"].as_str().expect("id").to_owned();
        let one = base.join(&format!("alerts/{id}")).expect("url").to_string();
        let (status, one_tag, _) = get(&http, &one, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(get(&http, &one, one_tag.as_deref()).await.0, StatusCode::NOT_MODIFIED);

        let put = base.join(&format!("alerts/flag/{id}")).expect("url");
        let changed = http.put(put).json(&json!({"status": "RESOLVED"})).send().await.expect("answered");
        assert_eq!(changed.status(), StatusCode::OK);
        let (status, new_tag, body) = get(&http, &list, Some(&tag)).await;
        assert_eq!(status, StatusCode::OK, "a write makes the old tag stale");
        assert_ne!(new_tag.as_deref(), Some(tag.as_str()));
        let alerts: Vec<Value> = serde_json::from_slice(&body).expect("JSON array");
        assert_eq!(alerts.iter().find(|a| a["anomaly_id"] == id.as_str()).expect("still there")["status"], "RESOLVED");
        assert_eq!(get(&http, &one, one_tag.as_deref()).await.0, StatusCode::OK);
        server.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_list_of_many_pages_is_streamed_whole_newest_first() {
    limited(async {
        for envelope in [false, true] {
            let options = ServerOptions { seed: Some(Seed::Synthetic(5000)), envelope, ..ServerOptions::demo() };
            let server = server::start(options).await.expect("starts");
            let url = server.base_url().join("alerts").expect("url");
            let response = reqwest::get(url).await.expect("answered");
            assert!(response.headers().get(CONTENT_LENGTH).is_none(), "streamed, not built whole first");
            let value: Value = response.json().await.expect("one JSON document");
            let alerts = if envelope {
                assert_eq!(value["total"], 5000);
                value["data"].as_array().expect("data").clone()
            } else {
                value.as_array().expect("array").clone()
            };
            assert_eq!(alerts.len(), 5000);
            let mut ids: Vec<&str> = alerts.iter().map(|a| a["anomaly_id"].as_str().expect("id")).collect();
            let created: Vec<chrono::DateTime<chrono::FixedOffset>> = alerts
                .iter()
                .map(|a| chrono::DateTime::parse_from_rfc3339(a["created_at"].as_str().expect("ts")).expect("valid"))
                .collect();
            assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest created first across pages");
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), 5000, "every alert exactly once");
            server.shutdown().await;
        }
    })
    .await;
}

#[tokio::test]
async fn without_etags_every_read_is_answered_whole_like_the_real_api() {
    limited(async {
        let server = server::start(ServerOptions { etags: false, ..ServerOptions::demo() }).await.expect("starts");
        let http = reqwest::Client::new();
        let url = server.base_url().join("alerts").expect("url").to_string();
        let (status, tag, body) = get(&http, &url, Some("*")).await;
        assert_eq!((status, tag), (StatusCode::OK, None));
        assert!(!body.is_empty());
        server.shutdown().await;
    })
    .await;
}
