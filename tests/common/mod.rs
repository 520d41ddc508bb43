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

/// One step of a scripted raw answer (see `scripted_server`).
#[derive(Clone, Debug)]
pub enum Act {
    /// Writes these bytes at once.
    Write(Vec<u8>),
    /// Writes these bytes `chunk` at a time, waiting `gap` before each chunk after the first.
    Trickle { bytes: Vec<u8>, chunk: usize, gap: Duration },
    /// Waits, writing nothing.
    Sleep(Duration),
    /// Closes the connection cleanly (FIN) and ends the script.
    Close,
    /// Resets the connection (RST, through a zero linger) and ends the script.
    Reset,
    /// Keeps the connection open and silent until the server is dropped.
    Hang,
}

/// The request line of a request a scripted server received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestHead {
    pub method: String,
    pub path: String,
}

/// Reads one whole request (head and `content-length` body) so that closing the socket later
/// cannot turn into a reset by unread data. `None` when the peer sent no request line.
pub async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<RequestHead> {
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    let head_end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if buf.len() > 256 * 1024 {
            return None;
        }
        let n = tokio::time::timeout(Duration::from_secs(10), socket.read(&mut chunk)).await.ok()?.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let body_len = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut have = buf.len() - head_end;
    while have < body_len {
        let n = tokio::time::timeout(Duration::from_secs(10), socket.read(&mut chunk)).await.ok()?.ok()?;
        if n == 0 {
            break;
        }
        have += n;
    }
    let mut words = head.lines().next()?.split_whitespace();
    Some(RequestHead { method: words.next()?.to_owned(), path: words.next()?.to_owned() })
}

/// A TCP server on loopback that reads each request and plays the steps `script` returns for it.
/// Dropping the server stops it and every connection it holds (hung ones included).
pub async fn scripted_server<F>(script: F) -> RawServer
where
    F: Fn(&RequestHead) -> Vec<Act> + Send + Sync + 'static,
{
    let script = std::sync::Arc::new(script);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let task = tokio::spawn(async move {
        // Owned by this task: aborting the server aborts its connections too.
        let mut connections = tokio::task::JoinSet::new();
        while let Ok((mut socket, _)) = listener.accept().await {
            while connections.try_join_next().is_some() {}
            let script = script.clone();
            connections.spawn(async move {
                let _ = socket.set_nodelay(true);
                let Some(head) = read_request(&mut socket).await else {
                    return;
                };
                play(&mut socket, script(&head)).await;
            });
        }
    });
    RawServer { url: format!("http://{addr}/").parse().expect("valid url"), task }
}

async fn play(socket: &mut tokio::net::TcpStream, acts: Vec<Act>) {
    for act in acts {
        match act {
            Act::Write(bytes) => {
                if socket.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Act::Trickle { bytes, chunk, gap } => {
                for (i, piece) in bytes.chunks(chunk.max(1)).enumerate() {
                    if i > 0 {
                        tokio::time::sleep(gap).await;
                    }
                    if socket.write_all(piece).await.is_err() {
                        return;
                    }
                }
            }
            Act::Sleep(wait) => tokio::time::sleep(wait).await,
            Act::Close => break,
            Act::Reset => {
                let _ = socket.set_zero_linger();
                return;
            }
            Act::Hang => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return;
            }
        }
    }
    let _ = socket.shutdown().await;
}
