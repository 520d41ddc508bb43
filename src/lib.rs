//! blnk-alerts: a keyboard-driven terminal dashboard and scripting tool for Blnk Cloud alerts.
//!
//! A map of the crate, from the data inwards to the screen:
//! - [`domain`]: alerts, ids, statuses and the sanitizer every server string passes through.
//! - [`config`]: settings from flags, environment and config file; the secret API key.
//! - [`api`]: the one typed HTTP client for the Alerts API; reads and writes are separate types.
//! - [`server`]: the built-in Blnk-compatible alerts server (`serve`, `--demo`, the tests' double).
//! - [`connection`]: which API to talk to: the configured one or an in-process demo server.
//! - [`cli`]: command-line parsing and the scripting commands (`list`, `get`, `flag`, ...).
//! - [`app`]: the dashboard's model and its pure `update` (messages in, commands out).
//! - [`ui`]: the dashboard's view: draws the borrowed `App` region by region, styles from a `Theme`.
//! - [`runtime`]: the event loop, the terminal and the command executor; the only place that spawns.
//! - [`keymap`] and [`theme`]: what keys do and the colours, as values built from the config file.
//! - [`logging`]: the log file (requests, failures, start and stop; never the key) and the
//!   recent entries the dashboard's log view shows.
//! - [`atomic_write`]: how state files reach the disk so that a crash never tears one.
//! - [`format`]: small text helpers (ages, width-aware cuts, an entity as rows) shared by tables
//!   and the view.
//! - [`stats`]: the shape of the queue (per day, by age, type and assignee), for the stats view
//!   and `blnk-alerts stats`.

pub mod api;
pub mod app;
pub mod atomic_write;
pub mod cli;
pub mod config;
pub mod connection;
pub mod domain;
pub mod export;
pub mod filter;
pub mod format;
pub mod keymap;
pub mod logging;
pub mod runtime;
pub mod server;
pub mod stats;
pub mod theme;
pub mod ui;
