//! `blnk-alerts serve`: runs the built-in server in the foreground until Ctrl-C or SIGTERM.

use std::io::Write;

use super::{CliError, SeedArg, ServeArgs};
use crate::config::ApiKey;
use crate::server::{self, Database, Seed, ServerOptions};

/// The environment variable holding the key `serve` requires.
pub const ENV_SERVER_KEY: &str = "BLNK_SERVER_API_KEY";

pub async fn run(args: ServeArgs) -> Result<(), CliError> {
    let (api_key, generated) = if args.no_auth {
        (None, false)
    } else if let Some(key) = std::env::var(ENV_SERVER_KEY).ok().and_then(ApiKey::new) {
        (Some(key), false)
    } else {
        (Some(ApiKey::generate()), true)
    };
    let options = ServerOptions {
        addr: args.addr,
        database: args.db.map_or(Database::Memory, Database::File),
        seed: args.seed.map(|s| match s {
            SeedArg::Demo => Seed::Demo,
            SeedArg::Synthetic(n) => Seed::Synthetic(n),
        }),
        api_key: api_key.clone(),
        operator: args.operator,
        chaos: args.chaos.unwrap_or_default(),
        envelope: args.list_envelope,
        etags: !args.no_etag,
        instance_id: args.instance_id.clone(),
        live: args.live,
    };
    let running = server::start(options).await.map_err(|e| CliError::Failed(e.to_string()))?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", running.base_url())?;
        let key_line = match (&api_key, generated) {
            (Some(key), true) => format!("API key (generated; set {ENV_SERVER_KEY} to choose one): {}", key.expose()),
            (Some(_), false) => format!("API key from {ENV_SERVER_KEY}"),
            (None, _) => "no authentication (--no-auth)".to_owned(),
        };
        writeln!(out, "{key_line}")?;
        writeln!(out, "Data API instance_id: {}", args.instance_id)?;
        out.flush()?;
    }
    wait_for_shutdown_signal().await;
    running.shutdown().await;
    Ok(())
}

async fn wait_for_shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).ok();
    let terminated = async {
        match term.as_mut() {
            Some(term) => {
                term.recv().await;
            }
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminated => {}
    }
}
