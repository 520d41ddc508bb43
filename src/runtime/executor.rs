//! Runs one `Cmd` against the API and answers with the `Msg` that reports it.
//! A read-only executor has no write client, so it cannot send a mutating request.

use crate::api::{ApiError, ReadClient, WriteClient};
use crate::app::{Cmd, Msg};

#[derive(Clone, Debug)]
pub struct Executor {
    reader: ReadClient,
    writer: Option<WriteClient>,
}

impl Executor {
    pub fn new(reader: ReadClient, writer: Option<WriteClient>) -> Self {
        Self { reader, writer }
    }

    fn writer(&self) -> Result<&WriteClient, ApiError> {
        self.writer.as_ref().ok_or_else(|| ApiError::Setup("read-only mode: nothing can be changed".into()))
    }

    pub async fn run(&self, cmd: Cmd) -> Msg {
        match cmd {
            Cmd::FetchAlerts { generation } => {
                Msg::AlertsLoaded { generation, result: self.reader.list_alerts().await }
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
            Cmd::Bell | Cmd::Suspend => unreachable!("the loop handles {cmd:?} itself"),
        }
    }
}
