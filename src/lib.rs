//! blnk-alerts: a keyboard-driven terminal dashboard and scripting tool for Blnk Cloud alerts.

pub mod api;
pub mod app;
pub mod config;
pub mod domain;
pub mod format;
pub mod server;
pub mod ui;
