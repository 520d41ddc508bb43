//! Everything a key can ask for, by the name the config file, help and the palette use.

use super::Context;

/// Everything a key can ask for. The config file and help name them by `name()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    ToggleFocus,
    Filter,
    ClearFilter,
    CycleSort,
    ReverseSort,
    Flag,
    /// Flag the selected alert's entity again (the form opens with it).
    FlagEntity,
    Edit,
    PickStatus,
    // The entity panel: walking from the shown entity to another, and back.
    Source,
    Destination,
    Identity,
    Back,
    History,
    /// Select the next other alert on the same entities.
    Neighbour,
    /// The shape of the queue, drawn.
    Stats,
    Mark,
    MarkAll,
    ClearMarks,
    Snooze,
    Copy,
    CopyMenu,
    /// The current view to a file (CSV, JSON or ids, by its extension).
    Export,
    /// Keep the filter, tab and sort shown as a saved view (or open one, from the palette).
    View,
    /// The statuses screen; in it, a new status and deleting one.
    Statuses,
    New,
    Delete,
    /// The selected alert in the web dashboard.
    OpenWeb,
    Refresh,
    TogglePause,
    PrevTab,
    NextTab,
    Help,
    Palette,
    ShowLog,
    Suspend,
    // In the log view.
    LogLevel,
    Follow,
    // In forms, pickers and the filter.
    NextField,
    PrevField,
    Submit,
    Cancel,
    // On an edit conflict, and on the question before discarding typed text.
    Overwrite,
    Reload,
    KeepEditing,
    Discard,
}

impl Action {
    /// Actions that would change something on the server in `context` (the filter's submit
    /// only closes it; the palette's runs an action, which is judged on its own): refused in
    /// read-only mode.
    pub fn is_mutating(self, context: Context) -> bool {
        !matches!(context, Context::Filter | Context::Palette | Context::Log)
            && matches!(
                self,
                Self::Flag
                    | Self::FlagEntity
                    | Self::Edit
                    | Self::PickStatus
                    | Self::Submit
                    | Self::Overwrite
                    | Self::New
                    | Self::Delete
            )
    }

    /// What the palette can take after the action's name (`:snooze 4h`), if anything.
    pub fn argument(self) -> Option<&'static str> {
        match self {
            Self::Snooze => Some("1h, 30m, 2d, tomorrow or change"),
            Self::PickStatus => Some("a status, by key or name"),
            Self::Copy => Some("id, entity, title, json or markdown"),
            Self::Export => Some("a file: .csv, .json, or .txt for ids"),
            Self::View => Some("save NAME, or the name of a view to open"),
            Self::Filter => Some("a filter, such as type:transaction -card"),
            _ => None,
        }
    }

    /// The action's name in the config file: `flag = ["f", "ctrl-n"]`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::Up => "up",
            Self::Down => "down",
            Self::Top => "top",
            Self::Bottom => "bottom",
            Self::PageUp => "page_up",
            Self::PageDown => "page_down",
            Self::ToggleFocus => "toggle_focus",
            Self::Filter => "filter",
            Self::ClearFilter => "clear_filter",
            Self::CycleSort => "sort",
            Self::ReverseSort => "reverse_sort",
            Self::Flag => "flag",
            Self::FlagEntity => "flag_entity",
            Self::Edit => "edit",
            Self::PickStatus => "status",
            Self::Source => "source",
            Self::Destination => "destination",
            Self::Identity => "identity",
            Self::Back => "back",
            Self::History => "history",
            Self::Neighbour => "neighbour",
            Self::Stats => "stats",
            Self::Mark => "mark",
            Self::MarkAll => "mark_all",
            Self::ClearMarks => "clear_marks",
            Self::Snooze => "snooze",
            Self::Copy => "copy",
            Self::CopyMenu => "copy_menu",
            Self::Export => "export",
            Self::View => "view",
            Self::Statuses => "statuses",
            Self::New => "new",
            Self::Delete => "delete",
            Self::OpenWeb => "open",
            Self::Refresh => "refresh",
            Self::TogglePause => "pause",
            Self::PrevTab => "prev_tab",
            Self::NextTab => "next_tab",
            Self::Help => "help",
            Self::Palette => "palette",
            Self::ShowLog => "log",
            Self::Suspend => "suspend",
            Self::LogLevel => "level",
            Self::Follow => "follow",
            Self::NextField => "next_field",
            Self::PrevField => "prev_field",
            Self::Submit => "submit",
            Self::Cancel => "cancel",
            Self::Overwrite => "overwrite",
            Self::Reload => "reload",
            Self::KeepEditing => "keep_editing",
            Self::Discard => "discard",
        }
    }
}
