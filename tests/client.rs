//! The API client against real HTTP: the built-in server for every endpoint and both list
//! shapes, and a raw socket server for each class of failure.

mod common;

use std::time::Duration;

use blnk_alerts::api::{AlertUpdate, ApiError, FlagRequest, NewStatus, StatusChange};
use blnk_alerts::domain::{AlertType, EntityId, EntityKind, StatusKey};
use common::{LIMIT, Raw, clients, config_for, http_response, raw_server, server};

const BALANCE: &str = "bln_20f02af6-3728-4d37-9b5a-c7ed080f09df";

fn flag_request(description: &str) -> FlagRequest {
    FlagRequest { title: Some("Negative balance".into()), description: description.into() }
}

#[tokio::test]
async fn every_endpoint_round_trips_with_either_list_shape() {
    tokio::time::timeout(LIMIT, async {
        for envelope in [false, true] {
            let server = server(None, envelope).await;
            let (read, write) = clients(&config_for(server.base_url()));
            assert!(read.list_alerts().await.expect("empty list").is_empty());

            let entity: EntityId = BALANCE.parse().expect("valid");
            let created = write.flag(&entity, &flag_request("Went below zero twice")).await.expect("flag");
            assert_eq!(created.kind, AlertType::Entity(EntityKind::Balance));
            assert_eq!(created.affected_balances, [BALANCE]);
            assert_eq!(created.status.as_str(), "FLAGGED");

            let listed = read.list_alerts().await.expect("list");
            assert_eq!(listed.len(), 1, "envelope={envelope}");
            let fetched = read.get_alert(&created.anomaly_id).await.expect("get");
            assert_eq!(fetched, created);

            let update = AlertUpdate { status: Some("investigating".parse().expect("key")), ..AlertUpdate::default() };
            let updated = write.update(&created.anomaly_id, &update).await.expect("update");
            assert_eq!(updated.status.as_str(), "INVESTIGATING");
            assert_eq!(updated.title, created.title, "only the status changed");
            assert!(updated.updated_at >= created.updated_at);

            let statuses = read.list_statuses().await.expect("statuses");
            assert_eq!(statuses.data[0].key.as_str(), "FLAGGED");
            assert_eq!(statuses.allowed_colours.len(), 15);
            let new = NewStatus { name: "Pending Review".into(), colour: "#8B5CF6".into(), key: None };
            let status = write.create_status(&new).await.expect("create status");
            assert_eq!(status.key.as_str(), "PENDING_REVIEW");
            let change = StatusChange { name: "Awaiting review".into(), colour: "#64748B".into() };
            let renamed = write.update_status(&status.key, &change).await.expect("rename");
            assert_eq!(renamed.name, "Awaiting review");
            let message = write.delete_status(&status.key).await.expect("delete");
            assert_eq!(message, "Status deleted");
            server.shutdown().await;
        }
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn server_refusals_become_typed_errors_with_the_servers_words() {
    tokio::time::timeout(LIMIT, async {
        let server = server(None, false).await;
        let config = config_for(server.base_url());
        let (read, write) = clients(&config);
        let unknown = "ano_00000000-0000-4000-8000-000000000000".parse().expect("valid");
        let missing = read.get_alert(&unknown).await.expect_err("404");
        assert_eq!(missing.status(), Some(404));

        let entity: EntityId = BALANCE.parse().expect("valid");
        let created = write.flag(&entity, &flag_request("x")).await.expect("flag");
        let bad = AlertUpdate { status: Some("NO_SUCH_STATUS".parse().expect("key")), ..AlertUpdate::default() };
        let refused = write.update(&created.anomaly_id, &bad).await.expect_err("400");
        assert_eq!(refused.status(), Some(400));
        assert!(refused.to_string().contains("NO_SUCH_STATUS"), "{refused}");

        let in_use = write.delete_status(&StatusKey::flagged()).await.expect_err("refused");
        assert!(matches!(in_use.status(), Some(400 | 409)), "{in_use}");

        let mut wrong_key = config.clone();
        wrong_key.api_key = Some(blnk_alerts::config::Setting {
            value: blnk_alerts::config::ApiKey::new("blnk_wrong_key_000000").expect("key"),
            source: blnk_alerts::config::Source::Default,
        });
        let (read, _) = clients(&wrong_key);
        let rejected = read.list_alerts().await.expect_err("401");
        assert_eq!(rejected.status(), Some(401));
        let text = rejected.to_string();
        assert!(text.contains("API key rejected") && !text.contains("blnk_wrong_key"), "{text}");
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn transport_timeout_decode_and_size_failures_are_told_apart() {
    tokio::time::timeout(LIMIT, async {
        // Nothing listens on the port: connection refused.
        let closed = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            listener.local_addr().expect("addr")
        };
        let (read, _) = clients(&config_for(format!("http://{closed}/").parse().expect("url")));
        let refused = read.list_alerts().await.expect_err("refused");
        assert!(matches!(refused, ApiError::Transport { .. }), "{refused:?}");

        // Accepts and never answers: the deadline fires.
        let hang = raw_server(Raw::Hang).await;
        let mut config = config_for(hang.url.clone());
        config.timeout.value = Duration::from_secs(1);
        let (read, write) = clients(&config);
        let started = std::time::Instant::now();
        let timed_out = write.flag(&BALANCE.parse().expect("id"), &flag_request("x")).await.expect_err("timeout");
        assert!(matches!(timed_out, ApiError::Timeout { .. }), "{timed_out:?}");
        assert!(timed_out.is_ambiguous(), "a flag without an answer may have been created");
        assert!(started.elapsed() < Duration::from_secs(10));
        let _ = read;

        // An HTML page from a proxy.
        let html = raw_server(Raw::Respond(http_response("200 OK", "text/html", b"<html><body>Gateway login</body></html>"))).await;
        let (read, _) = clients(&config_for(html.url.clone()));
        let decode = read.list_alerts().await.expect_err("html");
        assert!(decode.to_string().contains("web page"), "{decode}");

        // A body larger than the cap.
        let big = raw_server(Raw::Respond(http_response("200 OK", "application/json", &vec![b' '; 4096]))).await;
        let mut config = config_for(big.url.clone());
        config.max_body_bytes.value = 1024;
        let (read, _) = clients(&config);
        assert_eq!(read.list_alerts().await.expect_err("too large"), ApiError::TooLarge { limit: 1024 });

        // A redirect is refused, never followed with the key.
        let redirect = raw_server(Raw::Respond(
            b"HTTP/1.1 302 Found\r\nlocation: http://127.0.0.2:9/steal\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec(),
        ))
        .await;
        let (read, _) = clients(&config_for(redirect.url.clone()));
        assert_eq!(read.list_alerts().await.expect_err("redirect").status(), Some(302));
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn reads_are_retried_after_a_503_and_writes_never_are() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    tokio::time::timeout(LIMIT, async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut buf = vec![0u8; 16 * 1024];
                let _ = socket.read(&mut buf).await;
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let answer = if n == 0 || buf.starts_with(b"POST") {
                    http_response("503 Service Unavailable", "application/json", br#"{"error":"busy"}"#)
                } else {
                    http_response("200 OK", "application/json", b"[]")
                };
                let _ = socket.write_all(&answer).await;
            }
        });
        let (read, write) = clients(&config_for(format!("http://{addr}/").parse().expect("url")));
        assert!(read.list_alerts().await.expect("second attempt succeeds").is_empty());
        assert_eq!(hits.load(Ordering::SeqCst), 2);
        hits.store(10, Ordering::SeqCst);
        let failed = write.flag(&BALANCE.parse().expect("id"), &flag_request("x")).await.expect_err("503");
        assert_eq!(failed.status(), Some(503));
        assert_eq!(hits.load(Ordering::SeqCst), 11, "the POST was sent once");
        task.abort();
    })
    .await
    .expect("within the time limit");
}
