//! A key that may read alerts but not change them. A write answered 403 says which scope is
//! missing and offers to carry on read-only, instead of failing the same way at every key:
//! taking the offer makes the dashboard read-only and has the runtime drop its write client,
//! so from then on nothing can be sent. A form open at the time keeps its text as a draft.

use super::{App, Cmd, Level, Menu, MenuKind, Overlay};
use crate::api::ApiError;

/// The scope a key needs to change alerts, as the contract names it.
const WRITE_SCOPE: &str = "alerts:write";

impl App {
    /// What a failed write says: for a 403, that this key cannot change alerts.
    pub(super) fn write_failure(e: &ApiError) -> String {
        match e {
            ApiError::Status { status: 403, message, .. } => {
                format!("this key cannot change alerts (needs {WRITE_SCOPE}) [HTTP 403]: {message}")
            }
            _ => e.to_string(),
        }
    }

    /// After a failed write: a 403 offers read-only, once, over whatever is open (which waits
    /// behind the offer, a form with its error).
    pub(super) fn offer_read_only_after(&mut self, e: &ApiError) -> Vec<Cmd> {
        let offered = matches!(&self.overlay, Overlay::Menu(Menu { kind: MenuKind::ReadOnly(_), .. }));
        if e.status() != Some(403) || self.read_only() || offered {
            return Vec::new();
        }
        let behind = std::mem::replace(&mut self.overlay, Overlay::None);
        self.overlay = Overlay::Menu(Menu::new(MenuKind::ReadOnly(Box::new(behind))));
        // The rest of a bulk change would be refused the same way: what is not sent stays so.
        self.stop_bulk()
    }

    /// The offer taken: read-only from now on, whatever was open closed; a form's text is
    /// kept as a draft.
    pub(super) fn go_read_only(&mut self, behind: Overlay) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        let mut kept = "";
        if let Overlay::Form(form) = behind
            && form.is_dirty()
        {
            cmds.push(Cmd::SaveDraft(form.draft()));
            kept = " The form's text is kept as a draft for a key that can.";
        }
        self.saved_draft = None;
        self.settings.access = super::Access::ReadOnly;
        cmds.push(Cmd::GiveUpWrites);
        self.notify(Level::Info, format!("Read-only now: this key cannot change alerts.{kept}"));
        cmds
    }

    /// The offer declined (or closed): back to what was open.
    pub(super) fn keep_writing(&mut self, behind: Overlay) {
        self.overlay = behind;
    }
}
