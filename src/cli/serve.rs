//! `blnk-alerts serve`: runs the built-in server in the foreground until Ctrl-C or SIGTERM.

use std::io::Write;

use super::{CliError, SeedArg, ServeArgs};
use crate::config::ApiKey;
use crate::server::{self, Database, KeyRing, Seed, ServerOptions, Tls};

/// The environment variable holding the key `serve` requires.
pub const ENV_SERVER_KEY: &str = "BLNK_SERVER_API_KEY";

pub async fn run(args: ServeArgs) -> Result<(), CliError> {
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(Tls::from_pem_files(cert, key).map_err(CliError::Usage)?),
        _ => None,
    };
    // Off loopback, every alert and key would cross the network: no --no-auth, and plain HTTP
    // only when asked for by name (behind a TLS proxy).
    if !args.addr.ip().is_loopback() {
        if args.no_auth {
            return Err(CliError::Usage(format!(
                "--no-auth is refused on {}: anyone who can reach it would read and change every alert (use it on 127.0.0.1)",
                args.addr
            )));
        }
        if tls.is_none() && !args.insecure_http {
            return Err(CliError::Usage(format!(
                "{} is reachable from other machines: serve HTTPS with --tls-cert and --tls-key, or put a TLS proxy in front and pass --insecure-http to say so, or listen on 127.0.0.1",
                args.addr
            )));
        }
        if tls.is_none() {
            eprintln!(
                "warning: serving plain HTTP on {}: anyone on the network path can read the keys and alerts",
                args.addr
            );
        }
    }
    let keys = match &args.keys {
        Some(path) => KeyRing::from_file(path).map_err(CliError::Usage)?,
        None => KeyRing::default(),
    };
    let (api_key, generated) = if args.no_auth {
        (None, false)
    } else if let Some(key) = std::env::var(ENV_SERVER_KEY).ok().and_then(ApiKey::new) {
        (Some(key), false)
    } else if keys.is_open() {
        (Some(ApiKey::generate()), true)
    } else {
        (None, false)
    };
    let options = ServerOptions {
        addr: args.addr,
        database: args.db.map_or(Database::Memory, Database::File),
        seed: args.seed.map(|s| match s {
            SeedArg::Demo => Seed::Demo,
            SeedArg::Synthetic(n) => Seed::Synthetic(n),
        }),
        api_key: api_key.clone(),
        keys: keys.clone(),
        operator: args.operator,
        chaos: args.chaos.unwrap_or_default(),
        envelope: args.list_envelope,
        etags: !args.no_etag,
        instance_id: args.instance_id.clone(),
        live: args.live,
        rate_limit: args.rate_limit,
        tls,
    };
    let running = server::start(options).await.map_err(|e| CliError::Failed(e.to_string()))?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", running.base_url())?;
        let key_line = match (&api_key, generated) {
            (Some(key), true) => format!("API key (generated; set {ENV_SERVER_KEY} to choose one): {}", key.expose()),
            (Some(_), false) => format!("API key from {ENV_SERVER_KEY} (every scope)"),
            (None, _) if keys.is_open() => "no authentication (--no-auth)".to_owned(),
            (None, _) => String::new(),
        };
        if !key_line.is_empty() {
            writeln!(out, "{key_line}")?;
        }
        for line in keys.describe() {
            writeln!(out, "{line}")?;
        }
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
