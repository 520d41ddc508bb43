//! What the scripting commands print: JSON for programs, aligned tables for people.
//! Everything printed was sanitized when decoded; tables also flatten line breaks in every
//! column (ids, keys and types included), so a server's text can never start a row of its own.

use std::io::{self, Write};

use chrono::{DateTime, Local, Utc};
use serde::Serialize;

use super::table::{self, Column, Shape};
use crate::config::{Config, Preferences, ThemeChoice};
use crate::domain::{Alert, Entity, EntityId, Status, StatusKey, single_line};
use crate::format::age;
use crate::keymap::Keymap;

/// Pretty JSON, then a newline.
pub fn json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// The alert list's columns: the id, status and age always; type, assignee and entity as the
/// width allows; the title takes what is left.
const ALERT_COLUMNS: [Column; 7] = [
    Column::fixed("ANOMALY ID"),
    Column::fixed("STATUS"),
    Column::optional("TYPE", 1),
    Column::flexible("TITLE"),
    Column::optional("ASSIGNED TO", 2),
    Column::optional("ENTITY", 3),
    Column::fixed("AGE"),
];

/// One line per alert under a header (a table), or one tab-separated line per alert (plain:
/// the status key and the RFC 3339 creation time, for programs). An empty table says so.
pub fn alert_table(
    out: &mut impl Write,
    alerts: &[Alert],
    statuses: &[Status],
    now: DateTime<Utc>,
    shape: Shape,
) -> io::Result<()> {
    if alerts.is_empty() && !shape.is_plain() {
        return writeln!(out, "No alerts.");
    }
    let rows: Vec<Vec<String>> = alerts
        .iter()
        .map(|a| {
            let (status, age) = if shape.is_plain() {
                (a.status.to_string(), a.created_at.to_rfc3339())
            } else {
                (status_name(statuses, &a.status), age(a.created_at, now))
            };
            vec![
                a.anomaly_id.to_string(),
                status,
                a.kind.to_string(),
                a.title_or_placeholder().to_owned(),
                a.assigned_to.clone().unwrap_or_else(|| "-".into()),
                a.entity().unwrap_or("-").to_owned(),
                age,
            ]
            .into_iter()
            .map(|cell| single_line(&cell).into_owned())
            .collect()
        })
        .collect();
    table::print(out, shape, &ALERT_COLUMNS, &rows)?;
    if shape.is_plain() {
        return Ok(());
    }
    writeln!(out, "{}", crate::format::count(alerts.len(), "alert"))
}

/// The status's name as the organisation wrote it, else its key in title case.
pub fn status_name(statuses: &[Status], key: &StatusKey) -> String {
    crate::domain::status_name(statuses, key)
}

/// Every field of one alert, the description in full.
pub fn alert_detail(out: &mut impl Write, a: &Alert, statuses: &[Status], now: DateTime<Utc>) -> io::Result<()> {
    let list = |ids: &[String]| if ids.is_empty() { "-".to_owned() } else { ids.join(", ") };
    let when = |t: DateTime<chrono::FixedOffset>| {
        format!("{} ({})", t.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S"), age(t, now))
    };
    let rows = [
        ("anomaly_id", a.anomaly_id.to_string()),
        ("title", single_line(a.title_or_placeholder()).into_owned()),
        ("status", format!("{} ({})", status_name(statuses, &a.status), a.status)),
        ("type", a.kind.to_string()),
        ("assigned_to", a.assigned_to.clone().unwrap_or_else(|| "-".into())),
        ("escalated_to", list(&a.escalated_to)),
        ("balances", list(&a.affected_balances)),
        ("transactions", list(&a.affected_transactions)),
        ("identities", list(&a.affected_identities)),
        ("created_at", when(a.created_at)),
        ("updated_at", when(a.updated_at)),
    ];
    for (name, value) in rows {
        writeln!(out, "{name:<13}{}", single_line(&value))?;
    }
    writeln!(out, "description")?;
    for line in a.description.lines() {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// A Data API entity as labelled rows, as the dashboard's panel shows it (without its keys).
pub fn entity(out: &mut impl Write, id: &EntityId, entity: &Entity, now: DateTime<Utc>) -> io::Result<()> {
    writeln!(out, "{:<13}{}", id.kind().type_name().to_lowercase(), id)?;
    let shown = crate::format::Shown { now, offset: *Local::now().offset(), precision: None, key: &|_| None };
    for row in crate::format::entity_rows(entity, &shown) {
        writeln!(out, "{:<13}{}", row.label.to_lowercase(), row.value)?;
    }
    Ok(())
}

/// The stats view's figures as plain sections: per day (by status), open by age, by type, the
/// busiest assignees.
pub fn stats(out: &mut impl Write, stats: &crate::stats::Stats) -> io::Result<()> {
    writeln!(out, "{} alerts, {} open", stats.total, stats.open)?;
    writeln!(out, "\ncreated per day")?;
    for day in &stats.created_per_day {
        let split: Vec<String> = day.by_status.iter().map(|(k, n)| format!("{} {n}", single_line(k))).collect();
        writeln!(out, "  {}  {:>6}  {}", day.date, day.total, split.join(", "))?;
    }
    for (title, rows) in [
        ("open by age", &stats.open_by_age),
        ("by type", &stats.by_type),
        ("busiest assignees", &stats.busiest_assignees),
    ] {
        writeln!(out, "\n{title}")?;
        for (label, n) in rows {
            writeln!(out, "  {:<32}{n:>6}", single_line(label))?;
        }
    }
    Ok(())
}

const STATUS_COLUMNS: [Column; 3] = [Column::fixed("KEY"), Column::flexible("NAME"), Column::fixed("COLOUR")];

pub fn status_table(out: &mut impl Write, statuses: &[Status], shape: Shape) -> io::Result<()> {
    let rows: Vec<Vec<String>> = statuses
        .iter()
        .map(|s| [s.key.as_str(), &s.name, &s.colour].map(|cell| single_line(cell).into_owned()).to_vec())
        .collect();
    table::print(out, shape, &STATUS_COLUMNS, &rows)
}

/// Each setting and its source; the key only masked, a key command only named.
pub fn config(out: &mut impl Write, config: &Config) -> io::Result<()> {
    match &config.profile {
        Some(p) => writeln!(out, "profile      {}  ({})", p.value.name, p.source)?,
        None if config.profiles.is_empty() => writeln!(out, "profile      (none defined)")?,
        None => writeln!(out, "profile      (none in use: --profile, BLNK_PROFILE or default_profile picks one)")?,
    }
    if !config.profiles.is_empty() {
        let in_use = config.profile.as_ref().map(|p| p.value.name.as_str());
        let names: Vec<String> = config
            .profiles
            .iter()
            .map(|name| if Some(name.as_str()) == in_use { format!("{name} (in use)") } else { name.clone() })
            .collect();
        writeln!(out, "profiles     {}", names.join(", "))?;
    }
    writeln!(out, "api_url      {}  ({})", config.api_url.value, config.api_url.source)?;
    match (&config.api_key, &config.api_key_command) {
        (Some(key), _) => writeln!(out, "api_key      {}  ({})", key.value.masked(), key.source)?,
        (None, Some(command)) => {
            let program = command.value.first().map_or("", String::as_str);
            writeln!(
                out,
                "api_key      printed by {program:?} when connecting  (api_key_command, {})",
                command.source
            )?;
        }
        (None, None) => writeln!(out, "api_key      (not set)")?,
    }
    writeln!(out, "timeout      {} s  ({})", config.timeout.value.as_secs(), config.timeout.source)?;
    writeln!(out, "max_body     {} MiB  ({})", config.max_body_bytes.value >> 20, config.max_body_bytes.source)?;
    let read_only = if config.read_only.value { "yes: nothing can be changed" } else { "no" };
    writeln!(out, "read_only    {read_only}  ({})", config.read_only.source)?;
    match &config.me {
        Some(me) => writeln!(out, "me           {}  ({})", me.value.join(", "), me.source)?,
        None => writeln!(out, "me           (not set: --me, BLNK_ME or me in the config file)")?,
    }
    match &config.instance_id {
        Some(id) => writeln!(out, "instance_id  {}  ({})", id.value, id.source)?,
        None => {
            writeln!(out, "instance_id  (not set: --instance, BLNK_INSTANCE_ID or instance_id in the config file)")?;
        }
    }
    match &config.web_url {
        Some(url) => writeln!(out, "web_url      {}  ({})", url.value, url.source)?,
        None => writeln!(out, "web_url      (not set: BLNK_WEB_URL or web_url in the config file)")?,
    }
    if let Some(ca) = &config.ca_cert {
        writeln!(out, "ca_cert      {}  ({})", single_line(&ca.value.display().to_string()), ca.source)?;
    }
    match &config.file {
        Some(file) if file.exists() => writeln!(out, "config_file  {}", file.display()),
        Some(file) => writeln!(out, "config_file  {} (not present)", file.display()),
        None => writeln!(out, "config_file  (no config directory)"),
    }
}

/// The keys and colours the file chose.
pub fn preferences(out: &mut impl Write, preferences: &Preferences) -> io::Result<()> {
    let theme = match preferences.theme.choice {
        ThemeChoice::Dark => "dark",
        ThemeChoice::Light => "light",
        ThemeChoice::Auto => "auto (asks the terminal for its background)",
    };
    writeln!(
        out,
        "theme        {theme}{}",
        if preferences.theme.is_customised() { ", with [theme] colours" } else { "" }
    )?;
    let keys = if preferences.keymap == Keymap::default() { "the defaults" } else { "remapped by [keys]" };
    writeln!(out, "keys         {keys}  (blnk-alerts config keys prints them all)")
}
