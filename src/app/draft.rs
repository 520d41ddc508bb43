//! Drafts: the text of an open form, saved so that a crash or `kill -9` loses nothing.
//! Pure data here; the runtime writes and deletes the files.

use serde::{Deserialize, Serialize};

use crate::domain::AlertId;

/// Which form a draft belongs to: one flag draft, one edit draft per alert.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "form", content = "alert", rename_all = "snake_case")]
pub enum DraftKey {
    Flag,
    Edit(AlertId),
}

impl DraftKey {
    /// A file name safe on any file system (alert ids are checked to be `[A-Za-z0-9_-]`).
    pub fn file_name(&self) -> String {
        match self {
            Self::Flag => "flag.json".to_owned(),
            Self::Edit(id) => format!("edit-{}.json", id.as_str()),
        }
    }

    /// How a notice names the form: "flag (press f)" or "edit of ano_... (select it, press e)".
    pub fn describe(&self) -> String {
        match self {
            Self::Flag => "a flag (press f to continue)".to_owned(),
            Self::Edit(id) => format!("an edit of {id} (select it and press e)"),
        }
    }
}

/// The text of every field of a form, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub key: DraftKey,
    pub fields: Vec<String>,
}
