//! The `blnk-alerts` binary: parse the command line, run the dashboard or one command.

use std::process::ExitCode;

use blnk_alerts::cli::{Cli, CliError, run_command};
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
    let result = match cli.command {
        Some(command) => runtime.block_on(run_command(&cli.global, command)).map(|()| 0),
        None => runtime.block_on(blnk_alerts::runtime::run_dashboard(&cli.global)),
    };
    // Background tasks (a demo server, requests in flight) must not keep the process alive.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(CliError::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
