//! Alerts written out for other tools, by the CLI (`list --output csv|ids`) and the
//! dashboard's export: CSV (one row an alert, lists joined by spaces), JSON (the API's own
//! fields), or ids one a line. The text was sanitized when it was decoded.

use std::io::{self, Write};
use std::path::Path;

use serde::Serializer;

use crate::domain::Alert;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Ids,
}

impl Format {
    /// The format a file's extension names: `.csv`, `.json`, `.txt` (ids).
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            "txt" | "ids" => Some(Self::Ids),
            _ => None,
        }
    }
}

const CSV_HEADER: [&str; 13] = [
    "anomaly_id",
    "title",
    "status",
    "type",
    "assigned_to",
    "entity",
    "affected_balances",
    "affected_transactions",
    "affected_identities",
    "escalated_to",
    "description",
    "created_at",
    "updated_at",
];

/// Writes `alerts` in `format`; returns how many.
pub fn write<'a>(out: impl Write, format: Format, alerts: impl Iterator<Item = &'a Alert>) -> io::Result<usize> {
    match format {
        Format::Csv => csv(out, alerts),
        Format::Json => json(out, alerts),
        Format::Ids => ids(out, alerts),
    }
}

fn csv<'a>(out: impl Write, alerts: impl Iterator<Item = &'a Alert>) -> io::Result<usize> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER)?;
    let mut count = 0;
    for a in alerts {
        let list = |ids: &[String]| ids.join(" ");
        let entity = a.entity().unwrap_or_default().to_owned();
        let record = [
            a.anomaly_id.to_string(),
            a.title.clone().unwrap_or_default(),
            a.status.to_string(),
            a.kind.to_string(),
            a.assigned_to.clone().unwrap_or_default(),
            entity,
            list(&a.affected_balances),
            list(&a.affected_transactions),
            list(&a.affected_identities),
            list(&a.escalated_to),
            a.description.clone(),
            a.created_at.to_rfc3339(),
            a.updated_at.to_rfc3339(),
        ];
        writer.write_record(record.iter().map(|cell| defuse(cell).into_owned()))?;
        count += 1;
    }
    writer.flush()?;
    Ok(count)
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage
/// return first) gets a leading `'`, so opening an export never runs a server's text.
fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell.into() }
}

fn json<'a>(mut out: impl Write, alerts: impl Iterator<Item = &'a Alert>) -> io::Result<usize> {
    let mut count = 0;
    let counted = alerts.inspect(|_| count += 1);
    let mut serializer = serde_json::Serializer::pretty(&mut out);
    serializer.collect_seq(counted)?;
    writeln!(out)?;
    Ok(count)
}

fn ids<'a>(mut out: impl Write, alerts: impl Iterator<Item = &'a Alert>) -> io::Result<usize> {
    let mut count = 0;
    for a in alerts {
        writeln!(out, "{}", a.anomaly_id)?;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::alert;

    #[test]
    fn csv_quotes_what_needs_it_and_defuses_formulas() {
        let mut a = alert("ano_1", "=HYPERLINK(\"x\")", "FLAGGED", "Balance");
        a.description = "two, \"quoted\"\nlines".into();
        let mut out = Vec::new();
        assert_eq!(write(&mut out, Format::Csv, [&a].into_iter()).expect("written"), 1);
        let mut reader = ::csv::Reader::from_reader(out.as_slice());
        assert_eq!(reader.headers().expect("a header").len(), CSV_HEADER.len());
        let row = reader.records().next().expect("a row").expect("reads back");
        assert_eq!(&row[0], "ano_1");
        assert_eq!(&row[1], "'=HYPERLINK(\"x\")");
        assert_eq!(&row[10], "two, \"quoted\"\nlines");
        assert_eq!(&row[5], "bln_20f02af6-3728-4d37-9b5a-c7ed080f09df");
    }

    #[test]
    fn json_is_the_alerts_and_ids_one_a_line() {
        let (a, b) = (alert("ano_1", "A", "FLAGGED", "Balance"), alert("ano_2", "B", "RESOLVED", "Balance"));
        let mut out = Vec::new();
        assert_eq!(write(&mut out, Format::Json, [&a, &b].into_iter()).expect("written"), 2);
        let back: Vec<Alert> = serde_json::from_slice(&out).expect("reads back");
        assert_eq!(back, vec![a.clone(), b.clone()]);
        let mut out = Vec::new();
        write(&mut out, Format::Ids, [&a, &b].into_iter()).expect("written");
        assert_eq!(String::from_utf8_lossy(&out), "ano_1\nano_2\n");
        assert_eq!(Format::from_path(Path::new("/tmp/x.CSV")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("x")), None);
    }
}
