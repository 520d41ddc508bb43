//! A tiny HTTP server on loopback that answers by path with whatever bytes a test wants,
//! for servers the built-in one will not imitate: any text in any field (ids, types, status
//! keys), hostile error bodies, and a proxy that echoes the request (headers included).
//! Include it with `#[path = "common/routed.rs"] mod routed;`; it stops on drop.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server answers for one path.
#[derive(Clone, Debug)]
pub enum Answer {
    /// This status, content type and body.
    Fixed { status: u16, content_type: &'static str, body: Vec<u8> },
    /// This status with the request's head (request line and every header) as the body (in a
    /// page when the type is HTML), as a misconfigured proxy or a debugging endpoint does.
    Echo { status: u16, content_type: &'static str },
    /// This status with `{"error": "invalid token: <the Authorization header>"}`, as some API
    /// gateways answer a key they refuse.
    EchoAuthorization { status: u16 },
    /// Reads the request and never answers.
    Hang,
}

impl Answer {
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::Fixed { status, content_type: "application/json", body: body.into() }
    }
}

/// A routed server; `url` ends in `/`. Stopped when dropped.
pub struct Routed {
    pub url: url::Url,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Routed {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `routes` (exact paths, without the query; `"POST /path"` for one method only, which
/// wins over the bare path) and `fallback` for every other path.
pub async fn start(routes: HashMap<String, Answer>, fallback: Answer) -> Routed {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let routes = Arc::new(routes);
    let task = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (routes, fallback) = (Arc::clone(&routes), fallback.clone());
            tokio::spawn(async move {
                let _ = serve(socket, &routes, &fallback).await;
            });
        }
    });
    Routed { url: format!("http://{addr}/").parse().expect("valid url"), task }
}

/// Answers one request, then closes the connection.
async fn serve(mut socket: TcpStream, routes: &HashMap<String, Answer>, fallback: &Answer) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 8192];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let end = head.windows(4).position(|w| w == b"\r\n\r\n").map_or(head.len(), |i| i + 4);
    let text = String::from_utf8_lossy(&head[..end]).into_owned();
    // Read (and drop) a request body, so the client is not reset while sending it.
    let length = text
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut seen = head.len() - end;
    while seen < length {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        seen += n;
    }
    let method = text.split_whitespace().next().unwrap_or("GET");
    let path = text.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or(path);
    let answer = routes.get(&format!("{method} {path}")).or_else(|| routes.get(path)).unwrap_or(fallback);
    let (status, content_type, body) = match answer {
        Answer::Fixed { status, content_type, body } => (*status, *content_type, body.clone()),
        Answer::Echo { status, content_type } => {
            let body = if content_type.contains("html") {
                format!("<html><body><pre>{text}</pre></body></html>")
            } else {
                text.clone()
            };
            (*status, *content_type, body.into_bytes())
        }
        Answer::EchoAuthorization { status } => {
            let authorization = text
                .lines()
                .find_map(|l| l.split_once(':').filter(|(name, _)| name.eq_ignore_ascii_case("authorization")))
                .map_or("", |(_, value)| value.trim());
            let body = serde_json::json!({ "error": format!("invalid token: {authorization}") });
            (*status, "application/json", body.to_string().into_bytes())
        }
        Answer::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return Ok(());
        }
    };
    let reason = if status < 400 { "OK" } else { "Error" };
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    socket.write_all(&out).await?;
    socket.shutdown().await
}
