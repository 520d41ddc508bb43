//! Shared test helpers: the real server on loopback, clients for it, and a raw TCP server
//! that answers with whatever bytes a test wants (for hostile and broken answers).

#![allow(dead_code, reason = "each test binary uses a different subset")]

pub mod cli;
pub mod pty;
pub mod session;

use std::time::Duration;

use blnk_alerts::api::{Http, ReadClient, WriteClient};
use blnk_alerts::config::{ApiKey, Config};
use blnk_alerts::server::{self, Database, RunningServer, ServerOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Every test body runs under this limit.
pub const LIMIT: Duration = Duration::from_secs(60);

pub fn key() -> ApiKey {
    ApiKey::new("blnk_test_key_0123456789abcdef").expect("non-empty")
}

/// A server on 127.0.0.1:0 with the given seed and list shape, requiring `key()`.
pub async fn server(seed: Option<server::Seed>, envelope: bool) -> RunningServer {
    let options =
        ServerOptions { database: Database::Memory, seed, api_key: Some(key()), envelope, ..ServerOptions::demo() };
    server::start(options).await.expect("server starts")
}

pub fn config_for(url: url::Url) -> Config {
    Config::local(url, key())
}

pub fn clients(config: &Config) -> (ReadClient, WriteClient) {
    let http = Http::new(config).expect("client builds");
    (ReadClient::new(http.clone()), WriteClient::new(http))
}

/// What a raw server does with each connection.
#[derive(Clone)]
pub enum Raw {
    /// Writes these bytes, then closes.
    Respond(Vec<u8>),
    /// Reads the request and never answers.
    Hang,
}

/// A TCP server on loopback that answers every connection as told; stopped on drop.
pub struct RawServer {
    pub url: url::Url,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn raw_server(behaviour: Raw) -> RawServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let task = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let behaviour = behaviour.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut buf).await;
                match behaviour {
                    Raw::Respond(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                        let _ = socket.shutdown().await;
                    }
                    Raw::Hang => tokio::time::sleep(Duration::from_secs(3600)).await,
                }
            });
        }
    });
    RawServer { url: format!("http://{addr}/").parse().expect("valid url"), task }
}

/// An HTTP/1.1 response with a correct Content-Length.
pub fn http_response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}
