//! Command-line definitions (clap) and the dispatch to the dashboard, the scripting commands
//! and the server. Parsing only: each command lives in its own file under `cli/`.
// Doc comments here are clap's help text, read in a terminal, not Markdown.
#![expect(clippy::doc_markdown, reason = "doc comments are the --help text")]

mod commands;
mod list;
mod output;
mod serve;
mod table;
mod update;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::domain::EntityKind;

pub use commands::{CliError, config_flags, connect, run_command};

/// A fast, keyboard-driven terminal dashboard for triaging Blnk Cloud alerts.
///
/// With no command it opens the dashboard. The API key comes from BLNK_API_KEY or the config
/// file (never from the command line); the URL from --api-url, BLNK_API_URL or the config file.
#[derive(Debug, Parser)]
#[command(name = "blnk-alerts", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
#[expect(clippy::struct_excessive_bools, reason = "each is a command-line switch")]
pub struct GlobalArgs {
    /// Use the built-in demo server with sample data: no account, no network
    #[arg(long, global = true)]
    pub demo: bool,

    /// Base URL of the Alerts API [env: BLNK_API_URL] [default: https://api.cloud.blnkfinance.com]
    #[arg(long, global = true, value_name = "URL")]
    pub api_url: Option<String>,

    /// Config file [default: $XDG_CONFIG_HOME/blnk-alerts/config.toml]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Use the [profiles.NAME] account of the config file [env: BLNK_PROFILE] [default:
    /// default_profile]
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// Who you are in assigned_to: names or user ids, comma-separated [env: BLNK_ME]
    #[arg(long, global = true, value_name = "NAMES")]
    pub me: Option<String>,

    /// The Blnk Cloud instance whose Data API serves the flagged entities [env: BLNK_INSTANCE_ID]
    #[arg(long, global = true, value_name = "ID")]
    pub instance: Option<String>,

    /// How much goes to the log file: error, warn, info, debug or trace [env: BLNK_LOG]
    /// [default: info]
    #[arg(long, global = true, value_name = "LEVEL")]
    pub log_level: Option<String>,

    /// Per-request timeout in seconds (1-300) [default: 30]
    #[arg(long, global = true, value_name = "SECONDS")]
    pub timeout: Option<u64>,

    /// Dashboard: monitoring mode for a wall screen; nothing can be changed
    #[arg(long, visible_alias = "monitor")]
    pub read_only: bool,

    /// Dashboard: seconds between refreshes, kept even when a fetch is slow [default: 5, longer
    /// while fetching the whole list takes over a tenth of it]
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub interval: Option<u64>,

    /// Dashboard: ring the terminal bell when a new alert arrives
    #[arg(long)]
    pub bell: bool,

    /// Dashboard: clicks select rows and tabs, the wheel scrolls (the terminal's own text
    /// selection then needs Shift) [config: mouse = true]
    #[arg(long)]
    pub mouse: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List alerts, newest first
    List {
        #[command(flatten)]
        selection: Selection,
        /// table, json, csv, or ids (one id a line, for pipes)
        #[arg(long, value_enum, default_value_t = ListOutput::Table)]
        output: ListOutput,
        /// Every column in full, however wide (a table otherwise fits the terminal)
        #[arg(long)]
        wide: bool,
    },
    /// The shape of the queue: created per day by status (14 days), open by age, by type, the
    /// ten busiest assignees; of the alerts --status, --type and --filter let through
    Stats {
        #[command(flatten)]
        selection: Selection,
        #[arg(long, value_enum, default_value_t = Output::Table)]
        output: Output,
    },
    /// Show one alert in full
    Get {
        anomaly_id: String,
        #[arg(long, value_enum, default_value_t = Output::Table)]
        output: Output,
    },
    /// Show a flagged balance (bln_), transaction (txn_) or identity (idt_) from the Data API
    /// (needs instance_id: --instance, BLNK_INSTANCE_ID or the config file)
    Entity {
        entity_id: String,
        #[arg(long, value_enum, default_value_t = Output::Table)]
        output: Output,
    },
    /// Flag a balance (bln_), transaction (txn_) or identity (idt_)
    Flag {
        entity_id: String,
        /// What is suspicious; `-` reads it from standard input
        #[arg(long, value_name = "TEXT")]
        description: String,
        #[arg(long, value_name = "TEXT")]
        title: Option<String>,
        #[arg(long, value_enum, default_value_t = Output::Table)]
        output: Output,
    },
    /// Change an alert's title, description or status (only the fields given are sent), or
    /// the status of several: `update ID... --status KEY`, `update - --status KEY` (ids from
    /// standard input, one a line), 4 at a time, one result line per alert
    Update {
        #[arg(value_name = "ID", required = true)]
        ids: Vec<String>,
        #[arg(long, value_name = "TEXT")]
        title: Option<String>,
        /// `-` reads it from standard input
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
        #[arg(long, value_name = "KEY")]
        status: Option<String>,
        #[arg(long, value_enum, default_value_t = Output::Table)]
        output: Output,
    },
    /// List, create, rename or delete statuses
    #[command(subcommand)]
    Statuses(StatusesCommand),
    /// Show each setting and where it came from (the key masked), and the profiles
    Config {
        #[command(subcommand)]
        show: Option<ConfigCommand>,
    },
    /// Run the built-in Blnk-compatible alerts server
    Serve(ServeArgs),
    /// Print a shell completion script, e.g. `blnk-alerts completions bash > ~/.local/share/bash-completion/completions/blnk-alerts`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `blnk-alerts man | man -l -`
    Man,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective keymap as a [keys] table to paste into the config file
    Keys,
}

#[derive(Debug, Subcommand)]
pub enum StatusesCommand {
    /// List every status, built-in and custom
    List {
        #[arg(long, value_enum, default_value_t = Output::Table)]
        output: Output,
        /// Every column in full, however wide
        #[arg(long)]
        wide: bool,
    },
    /// Create a status; the key is derived from the name unless given
    Create {
        #[arg(long)]
        name: String,
        /// One of the 15 allowed colours, e.g. #8B5CF6
        #[arg(long)]
        colour: String,
        #[arg(long)]
        key: Option<String>,
        #[arg(long, value_enum, default_value_t = Output::Table)]
        output: Output,
    },
    /// Rename or recolour a status (the API takes both: the one not given stays as it is)
    Update {
        key: String,
        #[arg(long, required_unless_present = "colour")]
        name: Option<String>,
        #[arg(long)]
        colour: Option<String>,
        #[arg(long, value_enum, default_value_t = Output::Table)]
        output: Output,
    },
    /// Delete a status that no alert uses
    Delete { key: String },
}

#[derive(Debug, Args)]
#[expect(clippy::struct_excessive_bools, reason = "each is one command-line switch")]
pub struct ServeArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:4100")]
    pub addr: std::net::SocketAddr,
    /// SQLite database file (created if missing) [default: in memory]
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Seed an empty database: `demo` for the sample data set, or a number of synthetic alerts
    #[arg(long, value_name = "demo|N")]
    pub seed: Option<SeedArg>,
    /// Accept requests without an API key
    #[arg(long, conflicts_with = "keys")]
    pub no_auth: bool,
    /// TOML file of keys with scopes ([[key]] name, key, scopes), readable by its owner only
    #[arg(long, value_name = "FILE")]
    pub keys: Option<PathBuf>,
    /// Name put in assigned_to for new alerts
    #[arg(long, default_value = "Ada Okafor")]
    pub operator: String,
    /// Inject faults, e.g. latency=0.3:1500ms,error=0.1,ratelimit=0.05,malformed=0.05
    #[arg(long, value_name = "SPEC")]
    pub chaos: Option<crate::server::Chaos>,
    /// Answer GET /alerts with {"data": [...], "total": N} instead of a bare array
    #[arg(long)]
    pub list_envelope: bool,
    /// Give no ETag and never answer 304, as the real API documents none (to measure that case)
    #[arg(long)]
    pub no_etag: bool,
    /// Serve HTTPS with this certificate chain (PEM, leaf first); needs --tls-key
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1)
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve plain HTTP on an address other machines can reach (behind a TLS proxy); refused
    /// without it (or --tls-cert), and --no-auth is refused there whatever
    #[arg(long, conflicts_with = "tls_cert")]
    pub insecure_http: bool,
    /// Now and then a new alert or a colleague's change, as the dashboard's --demo does
    #[arg(long, requires = "seed")]
    pub live: bool,
    /// Requests a second each client address may make; past it, 429 with Retry-After [default: no limit]
    #[arg(long, value_name = "N")]
    pub rate_limit: Option<std::num::NonZeroU32>,
    /// The instance id the Data API routes require (clients send it as instance_id)
    #[arg(long, value_name = "ID", default_value = crate::server::DEMO_INSTANCE)]
    pub instance_id: String,
}

/// Which alerts `list` and `stats` take.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Selection {
    /// Only alerts with this status key (case-insensitive)
    #[arg(long, value_name = "KEY")]
    pub status: Option<String>,
    /// Only alerts on this kind of entity
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub kind: Option<KindArg>,
    /// Only alerts this filter lets through, in the dashboard's language, e.g.
    /// 'type:transaction -status:resolved age:<1d'
    #[arg(long, value_name = "QUERY")]
    pub filter: Option<String>,
}

/// `--seed demo` or `--seed 100000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedArg {
    Demo,
    Synthetic(usize),
}

impl Command {
    /// The command's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Self::List { .. } => "list",
            Self::Get { .. } => "get",
            Self::Entity { .. } => "entity",
            Self::Stats { .. } => "stats",
            Self::Flag { .. } => "flag",
            Self::Update { .. } => "update",
            Self::Statuses(_) => "statuses",
            Self::Config { .. } => "config",
            Self::Serve(_) => "serve",
            Self::Completions { .. } => "completions",
            Self::Man => "man",
        }
    }

    /// Whether the command talks to the API, and so writes the log.
    pub fn logs(&self) -> bool {
        !matches!(self, Self::Serve(_) | Self::Completions { .. } | Self::Man | Self::Config { .. })
    }
}

impl std::str::FromStr for SeedArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("demo") {
            return Ok(Self::Demo);
        }
        s.parse().map(Self::Synthetic).map_err(|_| format!("{s:?} is neither `demo` nor a number of alerts"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Table,
    Json,
}

/// How `list` prints: the shapes every command has, and two for other tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListOutput {
    Table,
    Json,
    Csv,
    Ids,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Balance,
    Transaction,
    Identity,
}

impl From<KindArg> for EntityKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Balance => Self::Balance,
            KindArg::Transaction => Self::Transaction,
            KindArg::Identity => Self::Identity,
        }
    }
}
