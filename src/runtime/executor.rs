//! Runs one `Cmd` against the API and answers with the `Msg` that reports it.
//! A read-only executor has no write client, so it cannot send a mutating request.

use super::drafts::DraftStore;
use crate::api::{ApiError, ReadClient, WriteClient};
use crate::app::{Cmd, Msg};

#[derive(Clone, Debug)]
pub struct Executor {
    reader: ReadClient,
    writer: Option<WriteClient>,
    drafts: Option<DraftStore>,
}

impl Executor {
    /// `drafts` is where form drafts are kept; `None` keeps none (nowhere to put them).
    pub fn new(reader: ReadClient, writer: Option<WriteClient>, drafts: Option<DraftStore>) -> Self {
        Self { reader, writer, drafts }
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
        result.err().map(Msg::DraftFailed)
    }

    fn writer(&self) -> Result<&WriteClient, ApiError> {
        self.writer.as_ref().ok_or_else(|| ApiError::Setup("read-only mode: nothing can be changed".into()))
    }

    pub async fn run(&self, cmd: Cmd) -> Msg {
        match cmd {
            Cmd::FetchAlerts { generation, known, etag } => {
                let result = self.reader.fetch_alerts(&known, etag.as_deref(), &mut |_| {}).await;
                // The list may change its copy of `known` now without copying it.
                drop(known);
                Msg::AlertsFetched { generation, result }
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
                if let Some(expected) = expected {
                    // Never overwrite a colleague's change silently: look first.
                    match self.reader.get_alert(&id).await {
                        Ok(latest) if latest.updated_at != expected => return Msg::EditConflict { latest },
                        Ok(_) => {}
                        Err(e) => return Msg::Updated { id, kind, result: Err(e) },
                    }
                }
                let result = writer.update(&id, &update).await;
                Msg::Updated { id, kind, result }
            }
            Cmd::Bell | Cmd::Suspend | Cmd::SaveDraft(_) | Cmd::DeleteDraft(_) => {
                unreachable!("the loop handles {cmd:?} itself")
            }
        }
    }
}
