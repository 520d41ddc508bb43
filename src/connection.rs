//! Which API to talk to: the configured one, or a demo server started in-process for `--demo`.
//! The demo server lives exactly as long as the `Connection`.

use crate::api::{ApiError, Http, ReadClient, WriteClient};
use crate::config::{ApiKey, Config, ConfigError};
use crate::server::{self, RunningServer, ServerOptions};

/// A ready client, and the in-process server behind it when in demo mode.
pub struct Connection {
    pub config: Config,
    pub http: Http,
    server: Option<RunningServer>,
}

/// Why no connection could be made.
#[derive(Debug)]
pub enum ConnectError {
    Config(ConfigError),
    Api(ApiError),
    Server(String),
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Config(e) => write!(f, "{e}"),
            Self::Api(e) => write!(f, "{e}"),
            Self::Server(e) => write!(f, "cannot start the demo server: {e}"),
        }
    }
}

impl std::error::Error for ConnectError {}

impl Connection {
    /// Connects as configured, first running `api_key_command` if that is where the key is.
    pub fn connect(mut config: Config) -> Result<Self, ConnectError> {
        config.run_key_command().map_err(ConnectError::Config)?;
        let http = Http::new(&config).map_err(ConnectError::Api)?;
        Ok(Self { config, http, server: None })
    }

    /// Connects to a fresh in-memory demo server on loopback; `live`, it changes now and then.
    pub async fn demo(live: bool) -> Result<Self, ConnectError> {
        let key = ApiKey::generate();
        let options = ServerOptions { api_key: Some(key.clone()), live, ..ServerOptions::demo() };
        let running = server::start(options).await.map_err(|e| ConnectError::Server(e.to_string()))?;
        let mut config = Config::local(running.base_url(), key);
        // The demo's Data API is the built-in server's, so the entity panel works with no account.
        config.instance_id = Some(crate::config::Setting {
            value: server::DEMO_INSTANCE.to_owned(),
            source: crate::config::Source::Demo,
        });
        let http = Http::new(&config).map_err(ConnectError::Api)?;
        Ok(Self { config, http, server: Some(running) })
    }

    pub fn is_demo(&self) -> bool {
        self.server.is_some()
    }

    pub fn reader(&self) -> ReadClient {
        ReadClient::new(self.http.clone())
    }

    pub fn writer(&self) -> WriteClient {
        WriteClient::new(self.http.clone())
    }

    /// Stops the demo server, if any.
    pub async fn close(self) {
        if let Some(server) = self.server {
            server.shutdown().await;
        }
    }
}
