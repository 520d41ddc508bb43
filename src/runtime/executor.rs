//! Runs one `Cmd` against the API and answers with the `Msg` that reports it.
//! A read-only executor has no write client, so it cannot send a mutating request.

use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;

use super::drafts::DraftStore;
use super::snoozes::SnoozeStore;
use crate::api::{ApiError, Known, ListFetch, Progress, ReadClient, WriteClient};
use crate::app::{AlertList, Cmd, Msg, StatusWrite};

/// A download reports progress once it has taken this long, and then at most this often.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

#[derive(Clone, Debug)]
pub struct Executor {
    reader: ReadClient,
    writer: Option<WriteClient>,
    drafts: Option<DraftStore>,
    snoozes: Option<SnoozeStore>,
    /// The config file saved views are written into.
    config_file: Option<std::path::PathBuf>,
    /// Where messages that are not a command's answer go (a long download's progress, each
    /// alert of a bulk change).
    pub(super) side: Option<UnboundedSender<Msg>>,
    pub(super) stops: super::bulk::Stops,
}

impl Executor {
    /// `drafts` is where form drafts are kept; `None` keeps none (nowhere to put them).
    pub fn new(reader: ReadClient, writer: Option<WriteClient>, drafts: Option<DraftStore>) -> Self {
        Self {
            reader,
            writer,
            drafts,
            snoozes: None,
            config_file: None,
            side: None,
            stops: super::bulk::Stops::default(),
        }
    }

    /// The same executor, keeping snoozes in `store` (without one they last as long as the run).
    #[must_use]
    pub fn keeping_snoozes(mut self, store: Option<SnoozeStore>) -> Self {
        self.snoozes = store;
        self
    }

    /// The same executor, writing saved views into the config file at `path`.
    #[must_use]
    pub fn saving_views_to(mut self, path: Option<std::path::PathBuf>) -> Self {
        self.config_file = path;
        self
    }

    /// Writes `view` into the config file, answering with what became of it. Done in the loop,
    /// one at a time, so that two saves never read the file before the other wrote it.
    pub fn save_view(&self, view: crate::config::SavedView) -> Msg {
        let result = match &self.config_file {
            Some(path) => crate::config::save_view(path, &view).map(|saved| (saved, path.clone())),
            None => Err("there is no config directory to keep it in: pass --config FILE".to_owned()),
        };
        if let Err(why) = &result {
            tracing::warn!(error = why.as_str(), "a view could not be saved");
        }
        Msg::ViewSaved { view, result }
    }

    /// Snoozes an earlier run kept.
    pub fn load_snoozes(&self) -> Result<crate::app::Snoozes, String> {
        self.snoozes.as_ref().map_or_else(|| Ok(crate::app::Snoozes::new()), SnoozeStore::load)
    }

    /// Keeps `snoozes`; what to tell the user when that failed.
    pub fn save_snoozes(&self, snoozes: &crate::app::Snoozes) -> Option<Msg> {
        let store = self.snoozes.as_ref()?;
        let failed = store.save(snoozes).err()?;
        tracing::warn!(error = failed.as_str(), "the snoozes could not be saved");
        Some(Msg::StateFailed(format!("Could not save the snoozes (they hold until you quit): {failed}")))
    }

    /// The same executor, reporting progress to `side`.
    #[must_use]
    pub fn reporting_to(mut self, side: UnboundedSender<Msg>) -> Self {
        self.side = Some(side);
        self
    }

    /// From now on read-only: no write client, so no mutating request can be sent, and no
    /// drafts (a read-only dashboard has no forms).
    pub fn give_up_writes(&mut self) {
        self.writer = None;
        self.drafts = None;
    }

    /// Drafts an earlier run left behind.
    pub fn load_drafts(&self) -> Vec<crate::app::Draft> {
        self.drafts.as_ref().map(DraftStore::load_all).unwrap_or_default()
    }

    /// Runs a draft command; `None` when it went well (or there is no store).
    pub fn run_draft(&self, cmd: &Cmd) -> Option<Msg> {
        let store = self.drafts.as_ref()?;
        let result = match cmd {
            Cmd::SaveDraft(draft) => store.save(draft),
            Cmd::DeleteDraft(key) => store.delete(key),
            _ => Ok(()),
        };
        result
            .inspect_err(|e| tracing::warn!(error = e.as_str(), "a draft could not be saved or deleted"))
            .err()
            .map(Msg::DraftFailed)
    }

    /// Sends no more of bulk change `job`.
    pub fn stop_bulk(&self, job: u64) {
        self.stops.stop(job);
    }

    pub(super) fn writer(&self) -> Result<&WriteClient, ApiError> {
        self.writer.as_ref().ok_or_else(|| ApiError::Setup("read-only mode: nothing can be changed".into()))
    }

    async fn fetch_alerts(&self, generation: u64, known: Known, etag: Option<&str>, build: bool) -> Msg {
        let started = Instant::now();
        let side = self.side.clone();
        let mut last_report = started;
        let mut report = |progress: Progress| {
            let now = Instant::now();
            if now - started >= PROGRESS_AFTER && now - last_report >= PROGRESS_EVERY {
                last_report = now;
                if let Some(side) = &side {
                    // The loop has stopped if this fails: nobody is left to tell.
                    let _ = side.send(Msg::LoadProgress { generation, progress });
                }
            }
        };
        let result = self.reader.fetch_alerts(&known, etag, &mut report).await;
        // The list may change its copy of `known` now without copying it.
        drop(known);
        if !build {
            return Msg::AlertsFetched { generation, result, took: started.elapsed() };
        }
        // The first load: index and sort it here, so the UI thread only swaps it in.
        let result = match result {
            Ok(ListFetch::Answer { delta, etag }) => tokio::task::spawn_blocking(move || {
                let mut list = AlertList::default();
                list.merge(delta);
                (Box::new(list), etag)
            })
            .await
            .map_err(|e| ApiError::Setup(format!("building the list failed: {e}"))),
            Ok(ListFetch::NotModified) => Ok((Box::default(), etag.map(str::to_owned))),
            Err(e) => Err(e),
        };
        Msg::ListBuilt { generation, result, took: started.elapsed() }
    }

    pub async fn run(&self, cmd: Cmd) -> Msg {
        match cmd {
            Cmd::FetchAlerts { generation, known, etag, build } => {
                self.fetch_alerts(generation, known, etag.as_deref(), build).await
            }
            Cmd::FetchStatuses => Msg::StatusesLoaded(self.reader.list_statuses().await),
            Cmd::Flag { entity, request } => {
                let result = match self.writer() {
                    Ok(writer) => writer.flag(&entity, &request).await,
                    Err(e) => Err(e),
                };
                Msg::Flagged(result)
            }
            Cmd::Update { id, update, expected, kind } => {
                let writer = match self.writer() {
                    Ok(writer) => writer,
                    Err(e) => return Msg::Updated { id, kind, result: Err(e) },
                };
                if let Some(base) = expected {
                    // Never overwrite a colleague's change silently: look first. A change to
                    // another field than those sent is theirs to keep, and no conflict.
                    match self.reader.get_alert(&id).await {
                        Ok(latest) if update.conflicts_with(&base, &latest) => return Msg::EditConflict { latest },
                        Ok(_) => {}
                        Err(e) => return Msg::Updated { id, kind, result: Err(e) },
                    }
                }
                let result = writer.update(&id, &update).await;
                Msg::Updated { id, kind, result }
            }
            Cmd::BulkStatus { job, ids, status } => self.bulk_status(job, ids, status).await,
            Cmd::CreateStatus(status) => {
                let result = match self.writer() {
                    Ok(writer) => writer.create_status(&status).await.map(|s| s.name),
                    Err(e) => Err(e),
                };
                Msg::StatusWritten { write: StatusWrite::Created, result }
            }
            Cmd::UpdateStatus { key, change } => {
                let result = match self.writer() {
                    Ok(writer) => writer.update_status(&key, &change).await.map(|s| s.name),
                    Err(e) => Err(e),
                };
                Msg::StatusWritten { write: StatusWrite::Updated(key), result }
            }
            Cmd::DeleteStatus(key) => {
                let result = match self.writer() {
                    Ok(writer) => writer.delete_status(&key).await,
                    Err(e) => Err(e),
                };
                Msg::StatusWritten { write: StatusWrite::Deleted(key), result }
            }
            Cmd::Export { path, format, alerts, overwrite } => {
                let typed = path.clone();
                let result =
                    tokio::task::spawn_blocking(move || super::export_file::write(&path, format, &alerts, overwrite))
                        .await
                        .unwrap_or_else(|e| Err(crate::app::ExportFailure::Failed(format!("the export stopped: {e}"))));
                Msg::Exported { path: typed, result }
            }
            Cmd::Rest { after, token } => {
                tokio::time::sleep(after).await;
                Msg::Rested(token)
            }
            Cmd::FetchEntity { id, instance } => {
                let result = self.reader.get_entity(&id, &instance).await.map(Box::new);
                Msg::EntityLoaded { id, result }
            }
            Cmd::FetchHistory { balance, instance } => {
                let result = self.reader.balance_transactions(balance.as_str(), &instance).await;
                Msg::HistoryLoaded { balance, result }
            }
            Cmd::OpenUrl(url) => {
                let result = if let Some(reason) = super::no_browser(|name| std::env::var_os(name)) {
                    Err(reason.to_owned())
                } else {
                    let target = url.clone();
                    tokio::task::spawn_blocking(move || open::that_detached(target))
                        .await
                        .map_err(|e| e.to_string())
                        .and_then(|opened| opened.map_err(|e| format!("no browser could be started: {e}")))
                };
                if let Err(reason) = &result {
                    tracing::info!(reason = reason.as_str(), "no browser opened");
                }
                Msg::Opened { url, result }
            }
            Cmd::Bell
            | Cmd::StopBulk { .. }
            | Cmd::Notify { .. }
            | Cmd::Suspend
            | Cmd::FilterStep
            | Cmd::SaveDraft(_)
            | Cmd::DeleteDraft(_)
            | Cmd::GiveUpWrites
            | Cmd::SaveSnoozes(_)
            | Cmd::SaveView(_)
            | Cmd::Copy(_) => {
                unreachable!("the loop handles {cmd:?} itself")
            }
        }
    }
}
