//! `blnk-alerts list`: the alerts, newest first, narrowed by `--status`, `--type` and
//! `--filter` (the dashboard's filter language), printed as a table, JSON, CSV or ids; and
//! `blnk-alerts stats`, the shape of the same selection.

use std::io::Write;

use super::commands::{CliError, usage};
use super::table::Shape;
use super::{ListOutput, Selection, output};
use crate::connection::Connection;
use crate::domain::{AlertType, EntityKind, StatusKey};
use crate::export::{self, Format};
use crate::filter::{Me, Query};

pub async fn run(
    connection: &Connection,
    selection: &Selection,
    output: ListOutput,
    wide: bool,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let now = chrono::Utc::now();
    let (alerts, statuses) = selected(connection, selection, now).await?;
    let format = match output {
        ListOutput::Table => {
            let statuses = statuses.unwrap_or_default();
            return Ok(output::alert_table(out, &alerts, &statuses, now, Shape::detect(wide))?);
        }
        ListOutput::Json => Format::Json,
        ListOutput::Csv => Format::Csv,
        ListOutput::Ids => Format::Ids,
    };
    export::write(out, format, alerts.iter())?;
    Ok(())
}

/// `blnk-alerts stats`: the figures of the dashboard's stats view for the selection.
pub async fn stats(
    connection: &Connection,
    selection: &Selection,
    output: super::Output,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let now = chrono::Utc::now();
    let (alerts, _) = selected(connection, selection, now).await?;
    let figures = crate::stats::Stats::of(alerts.iter(), now, *chrono::Local::now().offset());
    match output {
        super::Output::Json => output::json(out, &figures)?,
        super::Output::Table => output::stats(out, &figures)?,
    }
    Ok(())
}

/// The alerts `--status`, `--type` and `--filter` let through, newest first, and the statuses
/// (when they could be read). Everything that can be judged before asking is judged first.
async fn selected(
    connection: &Connection,
    selection: &Selection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Vec<crate::domain::Alert>, Option<Vec<crate::domain::Status>>), CliError> {
    let Selection { status, kind, filter } = selection.clone();
    let me = Me::new(connection.config.me.as_ref().map_or(&[][..], |me| &me.value));
    // Everything that can be judged before asking is judged before asking.
    let status = status.map(|s| s.parse::<StatusKey>()).transpose().map_err(usage)?;
    let mut query = match filter.as_deref() {
        Some(text) => Query::parse(text, now).map_err(|e| usage(format!("--filter {e}")))?,
        None => Query::default(),
    };
    let kind = kind.map(EntityKind::from);
    let reader = connection.reader();
    let (alerts, statuses) = tokio::join!(reader.list_alerts(), reader.list_statuses());
    let mut alerts = alerts?;
    let statuses = match statuses {
        Ok(list) => Some(list.data),
        Err(e) => {
            eprintln!("warning: the statuses cannot be read, so status keys are not checked ({e})");
            None
        }
    };
    if let Some(statuses) = &statuses {
        let mut known: Vec<&str> = statuses.iter().map(|s| s.key.as_str()).collect();
        known.extend(alerts.iter().map(|a| a.status.as_str()));
        known.sort_unstable();
        known.dedup();
        if let Some(status) = &status
            && !known.contains(&status.as_str())
        {
            return Err(usage(format!("no status {status}; the statuses are {}", known.join(", "))));
        }
        query.check_statuses(&known).map_err(|e| usage(format!("--filter {e}")))?;
    }
    alerts.retain(|a| {
        status.as_ref().is_none_or(|s| &a.status == s)
            && kind.is_none_or(|k| a.kind == AlertType::Entity(k))
            && query.matches(a, &me)
    });
    alerts.sort_by_key(|a| std::cmp::Reverse(a.created_at));
    Ok((alerts, statuses))
}
