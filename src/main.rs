//! The `blnk-alerts` binary: parse the command line, run the dashboard or one command.

use std::process::ExitCode;

use blnk_alerts::cli::{Cli, CliError, Command, GlobalArgs, run_command};
use blnk_alerts::logging;
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    if cli.command.as_ref().is_none_or(Command::logs)
        && let Err(e) = start_logging(&cli.global, false)
    {
        eprintln!("error: {e}");
        return ExitCode::from(e.exit_code());
    }
    // A server logs each request to its standard error, as servers do.
    if matches!(cli.command, Some(Command::Serve(_)))
        && let Err(e) = start_logging(&cli.global, true)
    {
        eprintln!("error: {e}");
        return ExitCode::from(e.exit_code());
    }
    let what = cli.command.as_ref().map_or("dashboard", Command::name);
    tracing::info!(version = env!("CARGO_PKG_VERSION"), what, "started");
    let result = match cli.command {
        Some(command) => runtime.block_on(run_command(&cli.global, command)).map(|()| 0),
        None => runtime.block_on(blnk_alerts::runtime::run_dashboard(&cli.global)),
    };
    match &result {
        Ok(code) => tracing::info!(code, "stopped"),
        Err(e) => tracing::warn!(code = e.exit_code(), "stopped: {e}"),
    }
    // Background tasks (a demo server, requests in flight) must not keep the process alive.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(CliError::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, whatever a server's text inside it held (a status key with a newline).
            eprintln!("error: {}", blnk_alerts::domain::single_line(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}

/// Logging at `--log-level` or `BLNK_LOG` (default info) to the state directory's log file, or
/// with `stderr` to standard error. A bad level is a usage error; a log file that cannot be
/// opened only costs the log, and says so.
fn start_logging(global: &GlobalArgs, stderr: bool) -> Result<(), CliError> {
    let env = std::env::var(logging::ENV_LOG).ok().filter(|v| !v.trim().is_empty());
    let level = match global.log_level.clone().or(env) {
        Some(level) => level.parse::<logging::Level>().map_err(CliError::Usage)?,
        None => logging::Level::default(),
    };
    if stderr {
        return logging::init_stderr(level).map_err(CliError::Failed);
    }
    match logging::default_file() {
        Some(file) => {
            if let Err(e) = logging::init(level, &file) {
                eprintln!("warning: {e}; continuing without a log");
            }
        }
        None => eprintln!("warning: no state directory for the log file; continuing without a log"),
    }
    Ok(())
}
