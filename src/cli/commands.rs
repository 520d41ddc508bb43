//! The scripting commands: each parses its arguments into typed values (refusing bad input
//! before anything is sent), makes one API call and prints the result.

use std::io::{self, Read, Write};

use super::output;
use super::table::Shape;
use super::{Command, ConfigCommand, GlobalArgs, Output, StatusesCommand};
use crate::api::{ApiError, FlagRequest, NewStatus, StatusChange};
use crate::config::{self, Config, Document, Flags};
use crate::connection::{ConnectError, Connection};
use crate::domain::{Alert, AlertId, EntityId, Status, StatusKey};

/// A failed command: a usage problem (exit 2), a failure of the request (exit 1), or the
/// reader of our output went away (`blnk-alerts list | head`), which is not a failure.
#[derive(Debug)]
pub enum CliError {
    Usage(String),
    Failed(String),
    OutputClosed,
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::OutputClosed => 0,
            Self::Usage(_) => 2,
            Self::Failed(_) => 1,
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Usage(m) | Self::Failed(m) => f.write_str(&crate::domain::single_line(m)),
            Self::OutputClosed => f.write_str("the output was closed"),
        }
    }
}

impl From<ApiError> for CliError {
    fn from(e: ApiError) -> Self {
        Self::Failed(e.to_string())
    }
}

impl From<ConnectError> for CliError {
    fn from(e: ConnectError) -> Self {
        match e {
            ConnectError::Config(e) => Self::Usage(e.to_string()),
            ConnectError::Api(e @ ApiError::Setup(_)) => Self::Usage(e.to_string()),
            other => Self::Failed(other.to_string()),
        }
    }
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return Self::OutputClosed;
        }
        Self::Failed(format!("cannot write output: {e}"))
    }
}

pub(super) fn usage(e: impl std::fmt::Display) -> CliError {
    CliError::Usage(e.to_string())
}

/// The configuration flags shared by every command.
pub fn config_flags(global: &GlobalArgs) -> Flags {
    Flags {
        api_url: global.api_url.clone(),
        config_file: global.config.clone(),
        timeout_secs: global.timeout,
        profile: global.profile.clone(),
        me: global.me.clone(),
        instance_id: global.instance.clone(),
    }
}

fn environment(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The demo server, or the configured account (running `api_key_command` if it gives the key).
/// `live`: the demo changes now and then (the dashboard's; a command's ends before it would).
pub async fn connect(global: &GlobalArgs, document: &Document, live: bool) -> Result<Connection, CliError> {
    if global.demo {
        let connection = Connection::demo(live).await?;
        tracing::info!(host = connection.http.host(), "connected to the built-in demo server");
        return Ok(connection);
    }
    let config = Config::from_document(document, &config_flags(global), environment).map_err(usage)?;
    let connection = Connection::connect(config)?;
    let profile = connection.config.profile.as_ref().map_or("", |p| p.value.name.as_str());
    tracing::info!(host = connection.http.host(), profile, "connected");
    Ok(connection)
}

/// Runs one scripting command (not the dashboard) to completion.
pub async fn run_command(global: &GlobalArgs, command: Command) -> Result<(), CliError> {
    refuse_dashboard_flags(global, &command)?;
    match command {
        Command::Config { show } => show_config(global, show.as_ref()),
        Command::Serve(args) => super::serve::run(args).await,
        Command::Completions { shell } => {
            let mut cli = <super::Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cli, "blnk-alerts", &mut io::stdout().lock());
            Ok(())
        }
        Command::Man => {
            let cli = <super::Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cli).render(&mut io::stdout().lock())?;
            Ok(())
        }
        command => {
            let document = Document::read(&config_flags(global)).map_err(usage)?;
            if global.read_only && command.writes() {
                return Err(usage("--read-only: nothing can be changed, so nothing was sent"));
            }
            let connection = connect(global, &document, false).await?;
            if connection.config.read_only.value && command.writes() {
                let why = format!("read_only = true in {}", connection.config.read_only.source);
                return Err(usage(format!("this account is read-only ({why}): nothing was sent")));
            }
            let lost = command.writes() && connection.is_demo();
            let result = run_api_command(&connection, command).await;
            connection.close().await;
            if result.is_ok() && lost {
                eprintln!("note: --demo: this went to an in-memory demo server, which is gone now; nothing was kept");
            }
            result
        }
    }
}

/// The dashboard's own flags mean nothing to a command: say so rather than ignore them.
fn refuse_dashboard_flags(global: &GlobalArgs, command: &Command) -> Result<(), CliError> {
    let given = [
        (global.interval.is_some(), "--interval"),
        (global.bell, "--bell"),
        (global.mouse, "--mouse"),
        // Read-only does mean something to a command that talks to the API: it sends no write.
        (global.read_only && !command.logs(), "--read-only"),
    ];
    if let Some((_, flag)) = given.iter().find(|(set, _)| *set) {
        return Err(usage(format!("{flag} is for the dashboard; it means nothing to `{}`", command.name())));
    }
    // The commands that reach no API take none of the flags that choose one.
    if matches!(command, Command::Serve(_) | Command::Completions { .. } | Command::Man) {
        let connection = [
            (global.demo, "--demo"),
            (global.api_url.is_some(), "--api-url"),
            (global.config.is_some(), "--config"),
            (global.profile.is_some(), "--profile"),
            (global.me.is_some(), "--me"),
            (global.instance.is_some(), "--instance"),
            (global.timeout.is_some(), "--timeout"),
        ];
        if let Some((_, flag)) = connection.iter().find(|(set, _)| *set) {
            let what =
                if matches!(command, Command::Serve(_)) { " (serve --seed demo serves the demo data)" } else { "" };
            return Err(usage(format!("{flag} means nothing to `{}`{what}", command.name())));
        }
    }
    Ok(())
}

impl Command {
    /// True for the commands that change something on the server.
    fn writes(&self) -> bool {
        match self {
            Self::Flag { .. } | Self::Update { .. } => true,
            Self::Statuses(command) => !matches!(command, StatusesCommand::List { .. }),
            Self::List { .. }
            | Self::Get { .. }
            | Self::Entity { .. }
            | Self::Stats { .. }
            | Self::Config { .. }
            | Self::Serve(_)
            | Self::Completions { .. }
            | Self::Man => false,
        }
    }
}

async fn run_api_command(connection: &Connection, command: Command) -> Result<(), CliError> {
    let out = &mut io::stdout().lock();
    let now = chrono::Utc::now();
    match command {
        Command::List { selection, output, wide } => {
            super::list::run(connection, &selection, output, wide, out).await?;
        }
        Command::Stats { selection, output } => super::list::stats(connection, &selection, output, out).await?,
        Command::Entity { entity_id, output } => {
            let id: EntityId = entity_id.parse().map_err(usage)?;
            let Some(instance) = &connection.config.instance_id else {
                return Err(usage(
                    "the Data API needs an instance id: --instance, BLNK_INSTANCE_ID or instance_id in the config file (Blnk Cloud lists it under Settings > Instances)",
                ));
            };
            let entity = connection.reader().get_entity(&id, &instance.value).await.map_err(|e| {
                e.data_api_hint(&instance.value)
                    .map_or_else(|| e.into(), |hint| CliError::Failed(format!("{id}: {hint}")))
            })?;
            match output {
                Output::Json => output::json(out, &entity)?,
                Output::Table => output::entity(out, &id, &entity, now)?,
            }
        }
        Command::Get { anomaly_id, output } => {
            let id: AlertId = anomaly_id.parse().map_err(usage)?;
            let reader = connection.reader();
            let (alert, statuses) = tokio::join!(reader.get_alert(&id), status_names(&reader, output));
            print_alert(out, &alert?, &statuses, output, now)?;
        }
        Command::Flag { entity_id, description, title, output } => {
            let entity: EntityId = entity_id.parse().map_err(usage)?;
            let description = read_text(description)?;
            if description.trim().is_empty() {
                return Err(usage("a description is required: say what is suspicious"));
            }
            let request = FlagRequest { title: title.filter(|t| !t.trim().is_empty()), description };
            let alert = connection.writer().flag(&entity, &request).await.map_err(|e| {
                if e.is_ambiguous() {
                    // Never resent automatically: the first request may have created the alert.
                    CliError::Failed(format!(
                        "{e}. The alert may have been created anyway: check `blnk-alerts list` before flagging again"
                    ))
                } else {
                    CliError::from(e)
                }
            })?;
            print_alert(out, &alert, &[], output, now)?;
        }
        Command::Update { ids, title, description, status, output } => {
            let args = super::update::UpdateArgs { ids, title, description, status, output };
            super::update::run(connection, args, out).await?;
        }
        Command::Statuses(command) => run_statuses(connection, command, out).await?,
        Command::Config { .. } | Command::Serve(_) | Command::Completions { .. } | Command::Man => {
            unreachable!("handled before connecting")
        }
    }
    Ok(())
}

async fn run_statuses(connection: &Connection, command: StatusesCommand, out: &mut impl Write) -> Result<(), CliError> {
    let key = |k: String| k.parse::<StatusKey>().map_err(usage);
    match command {
        StatusesCommand::List { output, wide } => {
            let list = connection.reader().list_statuses().await?;
            match output {
                Output::Json => output::json(out, &list)?,
                Output::Table => output::status_table(out, &list.data, Shape::detect(wide))?,
            }
        }
        StatusesCommand::Create { name, colour, key: wanted, output } => {
            let request = NewStatus { name, colour: colour.to_ascii_uppercase(), key: wanted.map(key).transpose()? };
            let status = connection.writer().create_status(&request).await?;
            match output {
                Output::Json => output::json(out, &status)?,
                Output::Table => output::status_table(out, std::slice::from_ref(&status), Shape::detect(false))?,
            }
        }
        StatusesCommand::Update { key: k, name, colour, output } => {
            let wanted = key(k)?;
            // The API needs the name and the colour: the one not given is the status's own.
            let (name, colour) = match (name, colour) {
                (Some(name), Some(colour)) => (name, colour),
                (name, colour) => {
                    let statuses = connection.reader().list_statuses().await?.data;
                    let Some(current) = statuses.iter().find(|s| s.key == wanted) else {
                        let keys: Vec<&str> = statuses.iter().map(|s| s.key.as_str()).collect();
                        return Err(usage(format!("no status {wanted}; the statuses are {}", keys.join(", "))));
                    };
                    // What was read had to be made safe to show: sending it back would rename the
                    // status to the marks. Say so instead.
                    let kept = |value: &str, what: &str| {
                        let clean = !value.trim().is_empty()
                            && crate::domain::sanitize(value) == value
                            && !value.contains('\u{fffd}')
                            && !value.chars().any(|c| ('\u{2400}'..='\u{2421}').contains(&c));
                        if clean {
                            Ok(value.to_owned())
                        } else {
                            Err(usage(format!("give --{what} too: the status's own cannot be sent back as it is")))
                        }
                    };
                    let name = match name {
                        Some(n) => n,
                        None => kept(&current.name, "name")?,
                    };
                    let colour = match colour {
                        Some(c) => c,
                        None => kept(&current.colour, "colour")?,
                    };
                    (name, colour)
                }
            };
            let change = StatusChange { name, colour: colour.to_ascii_uppercase() };
            let status = connection.writer().update_status(&wanted, &change).await?;
            match output {
                Output::Json => output::json(out, &status)?,
                Output::Table => output::status_table(out, std::slice::from_ref(&status), Shape::detect(false))?,
            }
        }
        StatusesCommand::Delete { key: k } => {
            let message = connection.writer().delete_status(&key(k)?).await?;
            writeln!(out, "{}", if message.is_empty() { "Status deleted" } else { &message })?;
        }
    }
    Ok(())
}

pub(super) fn print_alert(
    out: &mut impl Write,
    alert: &Alert,
    statuses: &[Status],
    output: Output,
    now: chrono::DateTime<chrono::Utc>,
) -> io::Result<()> {
    match output {
        Output::Json => output::json(out, alert),
        Output::Table => output::alert_detail(out, alert, statuses, now),
    }
}

/// The statuses, for the names a table shows (JSON keeps the keys and needs none). Without
/// them a table still prints, naming each status from its key, and says why on stderr.
async fn status_names(reader: &crate::api::ReadClient, output: Output) -> Vec<Status> {
    if output == Output::Json {
        return Vec::new();
    }
    match reader.list_statuses().await {
        Ok(list) => list.data,
        Err(e) => {
            eprintln!("warning: status names are shown from their keys: cannot read the statuses ({e})");
            Vec::new()
        }
    }
}

/// `-` means: read the text from standard input.
pub(super) fn read_text(value: String) -> Result<String, CliError> {
    if value != "-" {
        return Ok(value);
    }
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).map_err(|e| CliError::Usage(format!("cannot read standard input: {e}")))?;
    Ok(text.trim_end_matches('\n').to_owned())
}

/// `config`: each setting and its source, the profiles, and the file's keys and colours. A broken
/// file is reported where it is broken, after what can be shown without it (exit 2).
fn show_config(global: &GlobalArgs, show: Option<&ConfigCommand>) -> Result<(), CliError> {
    let out = &mut io::stdout().lock();
    let flags = config_flags(global);
    let document = Document::read(&flags).map_err(usage)?;
    if let Some(ConfigCommand::Keys) = show {
        let preferences = document.preferences().map_err(usage)?;
        write!(out, "{}", preferences.keymap.to_toml())?;
        return Ok(());
    }
    if global.demo {
        writeln!(out, "api_url      built-in demo server on 127.0.0.1 (a random port)")?;
        writeln!(out, "api_key      a random key for the demo server")?;
        return Ok(());
    }
    let loaded = Config::from_document(&document, &flags, environment);
    let config = match &loaded {
        Ok(config) => config.clone(),
        Err(_) => Config::without_file(&flags, environment).map_err(usage)?,
    };
    output::config(out, &config)?;
    let preferences = document.preferences();
    if let Ok(preferences) = &preferences {
        output::preferences(out, preferences)?;
    }
    if let Err(problem) = &loaded {
        writeln!(out, "problem      {problem}")?;
        writeln!(out, "             (the settings above leave the config file out until it is mended)")?;
        return Err(usage(problem));
    }
    if let Err(problem) = preferences {
        writeln!(out, "problem      {problem}")?;
        return Err(usage(problem));
    }
    if config.api_key.is_none() && config.api_key_command.is_none() {
        let file = config.file.or_else(config::default_config_file);
        let file = file.map_or_else(String::new, |f| format!(" or api_key in {} (chmod 600)", f.display()));
        writeln!(out, "hint         set {}{file}", config::ENV_API_KEY)?;
    }
    Ok(())
}
