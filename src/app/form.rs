//! The flag and edit forms: fields, validation as you type, what a submit sends, and the
//! phases of a submit (sending, verifying an ambiguous flag, an edit conflict).

use chrono::{DateTime, Utc};

use super::draft::{Draft, DraftKey};
use super::input::TextInput;
use crate::api::{AlertUpdate, FlagRequest};
use crate::domain::{Alert, EntityId, EntityKind, IdError};

#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    Flag,
    /// Editing `base`, the version of the alert the form was opened on.
    Edit {
        base: Box<Alert>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Editing,
    /// Esc was pressed with text typed: a second Esc (or `y`) discards it.
    ConfirmDiscard,
    Sending,
    /// A flag got no clear answer: the list is being checked before offering to send again.
    Verifying {
        entity: EntityId,
        description: String,
        sent_at: DateTime<Utc>,
    },
    /// Someone changed the alert since the form opened.
    Conflict {
        latest: Box<Alert>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub label: &'static str,
    pub input: TextInput,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    pub phase: Phase,
    /// Each field's text as the form opened (a prefilled entity is not text typed).
    opened_with: Vec<String>,
}

/// What a valid submit asks the server to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submission {
    Flag { entity: EntityId, request: FlagRequest },
    Update(AlertUpdate),
    Nothing,
}

const ENTITY: usize = 0;

impl Form {
    pub fn flag() -> Self {
        Self::new(
            FormKind::Flag,
            vec![
                Field { label: "Entity id", input: TextInput::new("", false), required: true },
                Field { label: "Title", input: TextInput::new("", false), required: false },
                Field { label: "Description", input: TextInput::new("", true), required: true },
            ],
        )
    }

    /// A flag of `entity` (a second alert on the same entity is common), the title focused.
    pub fn flag_entity(entity: &str) -> Self {
        let mut form = Self::flag();
        form.fields[ENTITY].input = TextInput::new(entity, false);
        entity.clone_into(&mut form.opened_with[ENTITY]);
        form.focus = ENTITY + 1;
        form
    }

    /// Opens on `alert` with the title focused, prefilled, the cursor at the end.
    pub fn edit(alert: &Alert) -> Self {
        Self::new(
            FormKind::Edit { base: Box::new(alert.clone()) },
            vec![
                Field {
                    label: "Title",
                    input: TextInput::new(alert.title.as_deref().unwrap_or(""), false),
                    required: false,
                },
                Field { label: "Description", input: TextInput::new(&alert.description, true), required: true },
            ],
        )
    }

    fn new(kind: FormKind, fields: Vec<Field>) -> Self {
        let opened_with = fields.iter().map(|f| f.input.text().to_owned()).collect();
        Self { kind, fields, focus: 0, error: None, phase: Phase::Editing, opened_with }
    }

    pub fn title(&self) -> String {
        match &self.kind {
            FormKind::Flag => "Flag an entity".to_owned(),
            FormKind::Edit { base } => format!("Edit {}", base.anomaly_id),
        }
    }

    pub fn is_flag(&self) -> bool {
        matches!(self.kind, FormKind::Flag)
    }

    pub fn focused(&mut self) -> &mut TextInput {
        &mut self.fields[self.focus].input
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
    }

    pub fn prev_field(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
    }

    /// Whether the phase lets the user type.
    pub fn accepts_input(&self) -> bool {
        matches!(self.phase, Phase::Editing)
    }

    /// The entity field read as you type: its kind, or why it is wrong (flag form only). While
    /// the field has the cursor and holds no more than the start of a prefix (`bl`, `txn_`),
    /// nothing is judged yet; once it is left, or more is typed, it is. Sending checks it anyway.
    pub fn entity_check(&self) -> Option<Result<EntityKind, IdError>> {
        if !self.is_flag() {
            return None;
        }
        let text = self.fields[ENTITY].input.text().trim();
        let typing = self.focus == ENTITY && {
            let lower = text.to_ascii_lowercase();
            EntityKind::PREFIXES.iter().any(|prefix| prefix.starts_with(&lower))
        };
        if text.is_empty() || typing {
            return None;
        }
        Some(text.parse::<EntityId>().map(|id| id.kind()))
    }

    fn text(&self, label: &str) -> &str {
        self.fields.iter().find(|f| f.label == label).map_or("", |f| f.input.text())
    }

    /// Whether anything typed would be lost by closing the form.
    pub fn is_dirty(&self) -> bool {
        match &self.kind {
            FormKind::Flag => {
                self.fields.iter().zip(&self.opened_with).any(|(f, opened)| f.input.text().trim() != opened.trim())
            }
            FormKind::Edit { base } => {
                self.text("Title") != base_title(base) || self.text("Description") != base.description
            }
        }
    }

    /// Validates the fields and says what to send; an error names the field to fix.
    pub fn submission(&self) -> Result<Submission, String> {
        let title = self.text("Title").trim();
        let description = self.text("Description");
        if description.trim().is_empty() {
            return Err("Description is required: say what is suspicious.".to_owned());
        }
        match &self.kind {
            FormKind::Flag => {
                let entity: EntityId =
                    self.fields[ENTITY].input.text().parse().map_err(|e: IdError| format!("Entity id: {e}"))?;
                let title = (!title.is_empty()).then(|| title.to_owned());
                Ok(Submission::Flag { entity, request: FlagRequest { title, description: description.to_owned() } })
            }
            FormKind::Edit { base } => {
                let update = AlertUpdate {
                    title: (title != base_title(base).trim()).then(|| title.to_owned()),
                    description: (description != base.description).then(|| description.to_owned()),
                    status: None,
                };
                Ok(if update.is_empty() { Submission::Nothing } else { Submission::Update(update) })
            }
        }
    }

    /// Which draft slot this form saves to.
    pub fn draft_key(&self) -> DraftKey {
        match &self.kind {
            FormKind::Flag => DraftKey::Flag,
            FormKind::Edit { base } => DraftKey::Edit(base.anomaly_id.clone()),
        }
    }

    /// The form's text as a draft.
    pub fn draft(&self) -> Draft {
        Draft {
            key: self.draft_key(),
            fields: self.fields.iter().map(|f| f.input.text().to_owned()).collect(),
            base: self.base().map(|b| Box::new(b.clone())),
        }
    }

    /// Puts a saved draft's text back into the fields (cursor at the end of each). If the
    /// alert changed since the draft was typed, the form opens on the conflict.
    pub fn restore(&mut self, draft: &Draft) {
        for (field, text) in self.fields.iter_mut().zip(&draft.fields) {
            field.input = TextInput::new(text, field.input.is_multiline());
        }
        // A conflict only when the fields the form holds moved since the text was typed; a
        // colleague's status or assignee change is theirs, and the form simply takes it in.
        if let (FormKind::Edit { base }, Some(typed_on)) = (&mut self.kind, &draft.base)
            && (typed_on.title != base.title || typed_on.description != base.description)
        {
            let latest = std::mem::replace(base, typed_on.clone());
            self.phase = Phase::Conflict { latest };
        }
    }

    /// The alert being edited, as the form knows it.
    pub fn base(&self) -> Option<&Alert> {
        match &self.kind {
            FormKind::Edit { base } => Some(base),
            FormKind::Flag => None,
        }
    }

    /// After a conflict, the user chose to keep their text and edit on top of the latest version.
    pub fn rebase(&mut self, latest: Alert) {
        if let FormKind::Edit { base } = &mut self.kind {
            **base = latest;
        }
        self.phase = Phase::Editing;
    }
}

/// The title as the one-line title field shows it (a line break in it reads as a space), so
/// opening a form on such a title and typing nothing counts as no change.
fn base_title(base: &Alert) -> String {
    TextInput::new(base.title.as_deref().unwrap_or(""), false).text().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::alert;

    fn type_into(form: &mut Form, field: usize, text: &str) {
        form.focus = field;
        form.focused().insert_str(text);
    }

    #[test]
    fn flag_form_validates_entity_and_description() {
        let mut form = Form::flag();
        assert!(!form.is_dirty());
        // Not judged while only the start of a prefix is typed; judged once it is left.
        type_into(&mut form, 0, "bl");
        assert_eq!(form.entity_check(), None, "still typing");
        form.next_field();
        assert!(matches!(form.entity_check(), Some(Err(_))), "left half-typed");
        form.fields[0].input = TextInput::new("", false);
        type_into(&mut form, 0, "ldg_20f02af6-3728-4d37-9b5a-c7ed080f09df");
        assert!(matches!(form.entity_check(), Some(Err(_))));
        let err = form.submission().expect_err("no description");
        assert!(err.contains("Description"));
        type_into(&mut form, 2, "Looks like structuring");
        assert!(form.submission().expect_err("bad prefix").contains("Entity id"));
        form.fields[0].input = TextInput::new("txn_20f02af6-3728-4d37-9b5a-c7ed080f09df", false);
        assert_eq!(form.entity_check(), Some(Ok(EntityKind::Transaction)));
        let Ok(Submission::Flag { entity, request }) = form.submission() else { panic!("valid") };
        assert_eq!(entity.kind(), EntityKind::Transaction);
        assert_eq!(request.title, None);
    }

    #[test]
    fn edit_sends_only_what_changed() {
        let a = alert("ano_1", "Velocity spike", "FLAGGED", "Balance");
        let mut form = Form::edit(&a);
        assert_eq!(form.focus, 0);
        assert_eq!(form.fields[0].input.cursor(), "Velocity spike".chars().count());
        assert_eq!(form.submission(), Ok(Submission::Nothing));
        type_into(&mut form, 0, " (confirmed)");
        let Ok(Submission::Update(update)) = form.submission() else { panic!("changed") };
        assert_eq!(update.title.as_deref(), Some("Velocity spike (confirmed)"));
        assert_eq!(update.description, None);
        assert!(form.is_dirty());
    }

    #[test]
    fn a_title_with_a_line_break_is_not_a_change_until_typed_into() {
        let mut a = alert("ano_1", "two", "FLAGGED", "Balance");
        a.title = Some("first line\nsecond line".into());
        let form = Form::edit(&a);
        assert!(!form.is_dirty());
        assert_eq!(form.submission(), Ok(Submission::Nothing));
    }
}
