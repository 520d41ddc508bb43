//! `blnk-alerts update`: one alert's title, description or status, or one status for many
//! alerts (`update ID... --status KEY`, `update - --status KEY` for ids from standard input),
//! sent a few at a time with one result per alert.

use std::io::{self, BufRead, Write};
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::Output;
use super::commands::{CliError, print_alert, read_text, usage};
use crate::api::{AlertUpdate, bulk};
use crate::connection::Connection;
use crate::domain::{AlertId, StatusKey};

pub struct UpdateArgs {
    pub ids: Vec<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub output: Output,
}

/// One alert's answer, as `--output json` prints it.
#[derive(Serialize)]
struct Outcome {
    anomaly_id: AlertId,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<StatusKey>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub async fn run(connection: &Connection, args: UpdateArgs, out: &mut impl Write) -> Result<(), CliError> {
    let several = args.ids.len() > 1 || args.ids.iter().any(|id| id == "-");
    let status = args.status.map(|s| s.parse::<StatusKey>()).transpose().map_err(usage)?;
    if !several {
        let Some(id) = args.ids.first() else { return Err(usage("give the id of the alert to update")) };
        let id: AlertId = id.parse().map_err(usage)?;
        let update =
            AlertUpdate { title: args.title, description: args.description.map(read_text).transpose()?, status };
        if update.is_empty() {
            return Err(usage("nothing to update: give --title, --description or --status"));
        }
        if update.description.as_deref().is_some_and(|d| d.trim().is_empty()) {
            return Err(usage("the description cannot be empty"));
        }
        let alert = connection.writer().update(&id, &update).await?;
        return Ok(print_alert(out, &alert, &[], args.output, chrono::Utc::now())?);
    }
    if args.title.is_some() || args.description.is_some() {
        return Err(usage("several alerts take only --status: give one id to change a title or description"));
    }
    let Some(status) = status else { return Err(usage("several alerts need --status KEY")) };
    let ids = ids(&args.ids)?;
    check_status(connection, &status).await?;
    let update = AlertUpdate { status: Some(status), ..AlertUpdate::default() };
    let (mut outcomes, mut written) = (Vec::with_capacity(ids.len()), Ok(()));
    let stop = AtomicBool::new(false);
    bulk::update_each(&connection.writer(), ids.clone(), &update, &stop, |id, result| {
        let outcome = match result {
            Ok(alert) => Outcome { anomaly_id: id, ok: true, status: Some(alert.status), error: None },
            Err(e) => Outcome { anomaly_id: id, ok: false, status: None, error: Some(e.to_string()) },
        };
        // A table prints each answer as it comes, so a long run shows its progress.
        if args.output == Output::Table && written.is_ok() {
            written = match (&outcome.status, &outcome.error) {
                (Some(status), _) => writeln!(out, "{}\tset to {status}", outcome.anomaly_id),
                (None, error) => writeln!(out, "{}\tfailed: {}", outcome.anomaly_id, error.as_deref().unwrap_or("")),
            };
        }
        outcomes.push(outcome);
    })
    .await;
    written?;
    if args.output == Output::Json {
        // In the order the ids were given, whatever order the answers came in.
        outcomes.sort_by_key(|o| ids.iter().position(|id| *id == o.anomaly_id));
        super::output::json(out, &outcomes)?;
    }
    let failed = outcomes.iter().filter(|o| !o.ok).count();
    if failed > 0 {
        return Err(CliError::Failed(format!("{failed} of {} alerts were not changed", outcomes.len())));
    }
    Ok(())
}

/// The ids given, `-` read as one id a line from standard input; each checked before anything
/// is sent, duplicates dropped.
fn ids(given: &[String]) -> Result<Vec<AlertId>, CliError> {
    let mut texts = Vec::new();
    for id in given {
        if id == "-" {
            for line in io::stdin().lock().lines() {
                let line = line.map_err(|e| usage(format!("cannot read the ids from standard input: {e}")))?;
                texts.extend(line.split_whitespace().next().map(str::to_owned));
            }
        } else {
            texts.push(id.clone());
        }
    }
    let mut ids: Vec<AlertId> = Vec::with_capacity(texts.len());
    for (n, text) in texts.iter().enumerate() {
        let id: AlertId = text.parse().map_err(|e| usage(format!("id {} ({text}): {e}; nothing was sent", n + 1)))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(usage("no ids: give them as arguments or one a line on standard input"));
    }
    Ok(ids)
}

/// Refuses a status that does not exist before sending it to every alert; without the list
/// of statuses the server judges each request.
async fn check_status(connection: &Connection, status: &StatusKey) -> Result<(), CliError> {
    match connection.reader().list_statuses().await {
        Ok(list) if !list.data.iter().any(|s| &s.key == status) => {
            let keys: Vec<&str> = list.data.iter().map(|s| s.key.as_str()).collect();
            Err(usage(format!("no status {status}; the statuses are {}; nothing was sent", keys.join(", "))))
        }
        Ok(_) => Ok(()),
        Err(e) => {
            eprintln!("warning: the statuses cannot be read, so {status} is not checked ({e})");
            Ok(())
        }
    }
}
