//! The built-in Blnk-compatible alerts server: what `serve` and `--demo` run and what the tests talk
//! to. This file owns the options, startup and shutdown; the HTTP surface, `SQLite` store, seed data
//! and chaos injection live in the submodules. Nothing here prints: callers decide what to show.

mod alerts;
mod body;
mod chaos;
mod data_routes;
mod entities;
mod errors;
mod keys;
mod live;
mod rate_limit;
mod routes;
mod seed;
mod status_routes;
mod statuses;
mod store;
mod tls;
mod version;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use axum::serve::ListenerExt;
use tokio::net::TcpSocket;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::ApiKey;

pub use chaos::Chaos;
pub use keys::{KeyRing, Scope};
pub use tls::Tls;

/// Where the server keeps its alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A private in-memory database, gone when the server stops (`--demo`, tests).
    Memory,
    /// A `SQLite` file, created (with its directory) when missing and kept across restarts.
    File(PathBuf),
}

impl Database {
    /// The database as messages name it: its path, or "in memory".
    fn describe(&self) -> String {
        match self {
            Self::Memory => "in memory".to_owned(),
            Self::File(path) => path.display().to_string(),
        }
    }
}

/// Data to load into a database that has no alerts yet; a database with alerts is never reseeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    /// About 200 realistic alerts over the last 14 days, plus a few custom statuses.
    Demo,
    /// This many generated alerts, for load and rendering tests.
    Synthetic(usize),
}

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    pub addr: SocketAddr,
    pub database: Database,
    pub seed: Option<Seed>,
    /// The key every request must bear (it holds every scope); `None` accepts requests without
    /// one, unless `keys` has some.
    pub api_key: Option<ApiKey>,
    /// Keys with scopes (`serve --keys FILE`), accepted besides `api_key`.
    pub keys: KeyRing,
    /// The `assigned_to` of alerts flagged through this server.
    pub operator: String,
    pub chaos: Chaos,
    /// `GET /alerts` answers `{"data": [...], "total": N}` instead of a bare array.
    pub envelope: bool,
    /// Reads carry an `ETag` and answer `If-None-Match` with 304 (off: like the real API).
    pub etags: bool,
    /// The instance id the Data API routes require (`instance_id=`).
    pub instance_id: String,
    /// Now and then a new alert or a colleague's change (the demo; never in tests).
    pub live: bool,
    /// Requests a second each client address may make (429 with `Retry-After` past it).
    pub rate_limit: Option<std::num::NonZeroU32>,
    /// Serve HTTPS with this certificate and key instead of plain HTTP.
    pub tls: Option<Tls>,
}

/// The instance id of the built-in server's Data API, unless `serve --instance-id` says another.
pub const DEMO_INSTANCE: &str = "instance_demo";

impl ServerOptions {
    /// An open, in-memory demo server on a free loopback port.
    pub fn demo() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            database: Database::Memory,
            seed: Some(Seed::Demo),
            api_key: None,
            keys: KeyRing::default(),
            operator: "Ada Okafor".to_owned(),
            chaos: Chaos::default(),
            envelope: false,
            etags: true,
            instance_id: DEMO_INSTANCE.to_owned(),
            live: false,
            rate_limit: None,
            tls: None,
        }
    }
}

/// Why the server could not start, said so that a person knows what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError(String);

impl ServerError {
    fn bind(addr: SocketAddr, err: &std::io::Error) -> Self {
        let why = match err.kind() {
            std::io::ErrorKind::AddrInUse => "address in use".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            std::io::ErrorKind::AddrNotAvailable => "address not available on this machine".to_owned(),
            _ => err.to_string(),
        };
        Self(format!("cannot bind {addr}: {why}"))
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServerError {}

/// A server running on a tokio task. Dropping it asks the server to stop without waiting.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    https: bool,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    /// The live demo's changes, stopped with the server.
    live: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// The address actually bound (the real port when asked for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR/` (or `https://`), the base URL a client should use.
    pub fn base_url(&self) -> url::Url {
        let scheme = if self.https { "https" } else { "http" };
        url::Url::parse(&format!("{scheme}://{}/", self.addr)).expect("a socket address makes a valid URL")
    }

    /// Stops accepting connections, lets requests in flight finish (10 s at most), then returns.
    pub async fn shutdown(mut self) {
        if let Some(live) = self.live.take() {
            live.abort();
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(mut task) = self.task.take() else {
            return;
        };
        if tokio::time::timeout(Duration::from_secs(10), &mut task).await.is_err() {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(live) = self.live.take() {
            live.abort();
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Binds the address, opens (and migrates, and seeds) the database, and starts serving.
pub async fn start(options: ServerOptions) -> Result<RunningServer, ServerError> {
    // Bound now, so a port in use is said at once; listening only once the data is ready, so no
    // client connects to a server still seeding a million alerts and waits without a word.
    let bind = |e: std::io::Error| ServerError::bind(options.addr, &e);
    let socket = if options.addr.is_ipv4() { TcpSocket::new_v4() } else { TcpSocket::new_v6() }.map_err(bind)?;
    socket.set_reuseaddr(true).map_err(bind)?;
    socket.bind(options.addr).map_err(bind)?;
    let addr = socket.local_addr().map_err(bind)?;

    let (database, seed) = (options.database.clone(), options.seed);
    let store = tokio::task::spawn_blocking(move || -> Result<store::Store, ServerError> {
        let store = store::Store::open(&database)?;
        if let Some(seed) = seed {
            seed::apply(&store, seed, &database)?;
        }
        Ok(store)
    })
    .await
    .map_err(|e| ServerError(format!("cannot open database: {e}")))??;

    let keys = options.keys.with(options.api_key);
    let mut state = routes::AppState::new(store, keys, options.operator, options.envelope);
    state.etags = options.etags;
    state.instance_id = options.instance_id;
    let changes = options.live.then(|| (state.store.clone(), std::sync::Arc::clone(&state.version)));
    let app = chaos::layer(routes::router(state, options.rate_limit.map(rate_limit::RateLimit::new)), options.chaos);
    let listener = socket.listen(1024).map_err(|e| ServerError::bind(addr, &e))?;
    let live = changes.map(|(store, version)| tokio::spawn(live::run(store, version)));

    let (stop, stopped) = oneshot::channel::<()>();
    let shutdown = async move {
        let _ = stopped.await;
    };
    let service = app.into_make_service_with_connect_info::<SocketAddr>();
    // Both through `tap_io`: no delayed ACKs holding small answers back (failing to set it costs
    // only latency), and what lets axum give the client's address to the rate limit.
    let task = if let Some(tls) = &options.tls {
        let listener = tls::TlsListener::new(listener, addr, tls).tap_io(|tls| {
            let _ = tls.get_ref().0.set_nodelay(true);
        });
        tokio::spawn(async move { axum::serve(listener, service).with_graceful_shutdown(shutdown).await })
    } else {
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        tokio::spawn(async move { axum::serve(listener, service).with_graceful_shutdown(shutdown).await })
    };
    Ok(RunningServer { addr, https: options.tls.is_some(), stop: Some(stop), task: Some(task), live })
}
