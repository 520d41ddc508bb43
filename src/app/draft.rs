//! Drafts: the text of an open form, saved so that a crash or `kill -9` loses nothing.
//! Pure data here; the runtime writes and deletes the files.

use serde::{Deserialize, Serialize};

use crate::domain::{Alert, AlertId};
use crate::keymap::Action;

/// Which form a draft belongs to: one flag draft, one edit draft per alert.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "form", content = "alert", rename_all = "snake_case")]
pub enum DraftKey {
    Flag,
    Edit(AlertId),
}

impl DraftKey {
    /// A file name safe on any file system: an id from the server is not trusted to be one,
    /// so anything but ASCII letters, digits, `-` and `_` becomes `_`.
    pub fn file_name(&self) -> String {
        match self {
            Self::Flag => "flag.json".to_owned(),
            Self::Edit(id) => {
                let safe: String = id
                    .as_str()
                    .chars()
                    .take(100)
                    .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
                    .collect();
                format!("edit-{safe}.json")
            }
        }
    }

    /// The action that opens this form again.
    pub fn opens(&self) -> Action {
        match self {
            Self::Flag => Action::Flag,
            Self::Edit(_) => Action::Edit,
        }
    }

    /// How a notice names the form, with the key that `opens` it: "a flag (press f to continue)".
    pub fn describe(&self, key: &str) -> String {
        match self {
            Self::Flag => format!("a flag (press {key} to continue)"),
            Self::Edit(id) => format!("an edit of {id} ({key} goes back to it)"),
        }
    }
}

/// The text of every field of a form, in order, and for an edit the version of the alert it
/// was typed against (so that a colleague's change since then is shown, not overwritten).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub key: DraftKey,
    pub fields: Vec<String>,
    #[serde(default)]
    pub base: Option<Box<Alert>>,
}
