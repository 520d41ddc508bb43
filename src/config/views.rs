//! Saved views: `[[views]]` in the config file, each a name, a filter, the tab it narrows and a
//! sort, shown as tabs after the status tabs. Read with their positions, so a mistake is said at
//! its line; written back by [`save`] through `toml_edit`, so the file's comments, order and
//! other settings stay as they were, replaced atomically with its permissions kept.

use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use toml::de::DeValue;

use super::ConfigError;
use crate::app::SortKey;
use crate::domain::StatusKey;

/// The tab a view narrows: every alert, mine, or one status's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ViewTab {
    #[default]
    All,
    Mine,
    Status(StatusKey),
}

impl ViewTab {
    /// How the file writes it: `all`, `mine`, or a status key.
    fn as_text(&self) -> &str {
        match self {
            Self::All => "all",
            Self::Mine => "mine",
            Self::Status(key) => key.as_str(),
        }
    }
}

/// A view as the file keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedView {
    pub name: String,
    /// Filter text in the filter language (checked when read).
    pub filter: String,
    pub tab: ViewTab,
    /// The sort to switch to when the view is opened, and whether reversed.
    pub sort: Option<(SortKey, bool)>,
}

/// Longest view name: it is a tab's label.
const NAME_CHARS: usize = 40;
const KEYS: &str = "name, filter, tab, sort and reverse";

type Fail<'a> = dyn Fn(Range<usize>, String) -> ConfigError + 'a;

/// Reads the `views` array (of tables, or of inline tables).
pub(super) fn parse(value: &Spanned<DeValue<'_>>, fail: &Fail<'_>) -> Result<Vec<SavedView>, ConfigError> {
    let DeValue::Array(entries) = value.get_ref() else {
        return Err(fail(value.span(), "views is a list of [[views]] tables, each with a name and a filter".into()));
    };
    let mut views: Vec<SavedView> = Vec::new();
    for entry in entries {
        let view = one(entry, fail)?;
        if views.iter().any(|v| v.name.eq_ignore_ascii_case(&view.name)) {
            return Err(fail(
                entry.span(),
                format!("a second view named {:?}: each view needs its own name", view.name),
            ));
        }
        views.push(view);
    }
    Ok(views)
}

fn one(entry: &Spanned<DeValue<'_>>, fail: &Fail<'_>) -> Result<SavedView, ConfigError> {
    let DeValue::Table(table) = entry.get_ref() else {
        return Err(fail(entry.span(), format!("a view is a table with {KEYS}")));
    };
    let text = |key: &str| -> Result<Option<(&str, Range<usize>)>, ConfigError> {
        let Some(value) = table.get(key) else { return Ok(None) };
        match value.get_ref() {
            DeValue::String(s) => Ok(Some((s.as_ref(), value.span()))),
            other => Err(fail(value.span(), format!("a view's {key} is a string, not {}", other.type_str()))),
        }
    };
    for (key, _) in table {
        if !["name", "filter", "tab", "sort", "reverse"].contains(&key.get_ref().as_ref()) {
            return Err(fail(key.span(), format!("unknown key {:?} in a view: a view has {KEYS}", key.get_ref())));
        }
    }
    let Some((name, name_at)) = text("name")? else {
        return Err(fail(entry.span(), "a view needs a name (the tab's label)".into()));
    };
    let name = check_name(name).map_err(|why| fail(name_at, why))?;
    let filter = match text("filter")? {
        Some((filter, at)) => {
            crate::filter::Query::parse(filter, chrono::Utc::now())
                .map_err(|e| fail(at, format!("the filter of view {name:?}: {e}")))?;
            filter.trim().to_owned()
        }
        None => String::new(),
    };
    let tab = match text("tab")? {
        Some((tab, at)) => parse_tab(tab).map_err(|why| fail(at, why))?,
        None => ViewTab::All,
    };
    let reverse = match table.get("reverse") {
        Some(value) => {
            let on = value.get_ref().as_bool();
            on.ok_or_else(|| fail(value.span(), "a view's reverse is true or false".into()))?
        }
        None => false,
    };
    let sort = match text("sort")? {
        Some((sort, at)) => Some((parse_sort(sort).map_err(|why| fail(at, why))?, reverse)),
        None => reverse.then_some((SortKey::Created, true)),
    };
    Ok(SavedView { name, filter, tab, sort })
}

/// A view's name: trimmed, on one line, not empty and not too long.
pub fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("a view's name cannot be empty".to_owned());
    }
    if name.chars().any(|c| c.is_control() || !crate::domain::is_safe(c)) {
        return Err("a view's name is one line of plain text (no control or invisible characters)".to_owned());
    }
    // `view save NAME` saves; a view named "save" could never be opened by name.
    if name.eq_ignore_ascii_case("save") {
        return Err("\"save\" is the palette's word for saving: choose another name".to_owned());
    }
    if name.chars().count() > NAME_CHARS {
        return Err(format!("a view's name is at most {NAME_CHARS} characters"));
    }
    Ok(name.to_owned())
}

fn parse_tab(text: &str) -> Result<ViewTab, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "all" | "" => Ok(ViewTab::All),
        "mine" | "me" => Ok(ViewTab::Mine),
        _ => StatusKey::from_name(text)
            .map(ViewTab::Status)
            .map_err(|e| format!("a view's tab is \"all\", \"mine\" or a status: {e}")),
    }
}

fn parse_sort(text: &str) -> Result<SortKey, String> {
    SortKey::ALL.into_iter().find(|k| k.label().eq_ignore_ascii_case(text.trim())).ok_or_else(|| {
        let known: Vec<&str> = SortKey::ALL.iter().map(|k| k.label()).collect();
        format!("{text:?} is not a sort: use one of {}", known.join(", "))
    })
}

/// What [`save`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Added,
    /// A view of that name was there; it now says what the new one says.
    Replaced,
}

/// Writes `view` into the config file at `path` (made, owner-only, if missing): a view of the
/// same name (in any case) is replaced in place, else one is added at the end. Everything else
/// in the file stays as written. A symbolic link is followed, so a dotfile kept elsewhere is
/// the file changed.
pub fn save(path: &Path, view: &SavedView) -> Result<Saved, String> {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let shown = path.display();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("cannot read {shown}: {e}")),
    };
    let mut document: toml_edit::DocumentMut = text.parse().map_err(|_| {
        format!("{shown} is not valid TOML now: mend it (blnk-alerts config says where), then save again")
    })?;
    let saved = put(&mut document, view).map_err(|why| format!("{shown}: {why}"))?;
    crate::atomic_write::write(&path, document.to_string().as_bytes(), crate::atomic_write::Access::Keep)
        .map_err(|e| format!("cannot write {shown}: {e}"))?;
    Ok(saved)
}

/// Puts `view` into `document`'s `views`, as a table (or an inline table, if the file writes
/// them inline).
fn put(document: &mut toml_edit::DocumentMut, view: &SavedView) -> Result<Saved, String> {
    use toml_edit::{ArrayOfTables, Item, Table, Value};
    let item = document.entry("views").or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
    let same = |name: Option<&str>| name.is_some_and(|n| n.trim().eq_ignore_ascii_case(&view.name));
    match item {
        Item::ArrayOfTables(tables) => {
            if let Some(table) = tables.iter_mut().find(|t| same(t.get("name").and_then(Item::as_str))) {
                fill(table, view);
                return Ok(Saved::Replaced);
            }
            let mut table = Table::new();
            fill(&mut table, view);
            tables.push(table);
            Ok(Saved::Added)
        }
        Item::Value(Value::Array(array)) => {
            let found = array
                .iter_mut()
                .filter_map(Value::as_inline_table_mut)
                .find(|t| same(t.get("name").and_then(Value::as_str)));
            if let Some(inline) = found {
                let mut table = std::mem::take(inline).into_table();
                fill(&mut table, view);
                *inline = table.into_inline_table();
                return Ok(Saved::Replaced);
            }
            let mut table = Table::new();
            fill(&mut table, view);
            array.push(table.into_inline_table());
            Ok(Saved::Added)
        }
        _ => Err("views is not a list of [[views]] tables: mend it, then save again".to_owned()),
    }
}

/// Sets a view table's keys to `view`, leaving out what is the default.
fn fill(table: &mut toml_edit::Table, view: &SavedView) {
    use toml_edit::value;
    table["name"] = value(view.name.as_str());
    table["filter"] = value(view.filter.as_str());
    match &view.tab {
        ViewTab::All => drop(table.remove("tab")),
        tab => table["tab"] = value(tab.as_text()),
    }
    if let Some((key, reversed)) = view.sort {
        table["sort"] = value(key.label());
        if reversed {
            table["reverse"] = value(true);
        } else {
            table.remove("reverse");
        }
    } else {
        table.remove("sort");
        table.remove("reverse");
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn read(text: &str) -> Result<Vec<SavedView>, ConfigError> {
        super::super::Preferences::parse(text, Path::new("config.toml")).map(|p| p.views)
    }

    fn wires() -> SavedView {
        SavedView {
            name: "Wires".into(),
            filter: "type:transaction wire".into(),
            tab: ViewTab::Status(StatusKey::from_name("investigating").expect("a key")),
            sort: Some((SortKey::Updated, false)),
        }
    }

    #[test]
    fn views_are_read_with_their_tab_and_sort_and_mistakes_said_at_their_line() {
        let text = "[[views]]\nname = \"Wires\"\nfilter = \"type:transaction wire\"\ntab = \"Investigating\"\nsort = \"updated\"\n\n[[views]]\nname = \"Mine, oldest\"\ntab = \"mine\"\nreverse = true\n";
        let views = read(text).expect("valid");
        assert_eq!(
            views,
            [
                wires(),
                SavedView {
                    name: "Mine, oldest".into(),
                    filter: String::new(),
                    tab: ViewTab::Mine,
                    sort: Some((SortKey::Created, true))
                }
            ]
        );
        for (bad, said) in [
            ("[[views]]\nfilter = \"x\"\n", "needs a name"),
            ("[[views]]\nname = \"A\"\nfilter = \"bogus:1\"\n", "line 3"),
            ("[[views]]\nname = \"A\"\nsort = \"size\"\n", "created, updated, status, type"),
            ("[[views]]\nname = \"A\"\ncolour = \"red\"\n", "unknown key \"colour\""),
            ("[[views]]\nname = \"A\"\n[[views]]\nname = \"a\"\n", "a second view named"),
            ("views = \"Wires\"\n", "list of [[views]] tables"),
            ("[[views]]\nname = \"Wi\u{202E}res\"\n", "plain text"),
            ("[[views]]\nname = \"Save\"\n", "the palette's word for saving"),
        ] {
            let why = read(bad).expect_err(bad).0;
            assert!(why.contains(said), "{bad:?}: {why}");
        }
    }

    #[test]
    fn saving_keeps_the_rest_of_the_file_and_replaces_a_view_of_the_same_name() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("config.toml");
        let original = "# my settings\napi_url = \"https://api.cloud.blnkfinance.com\"  # prod\n\n[theme]\nbase = \"light\" # easier on the eyes\n";
        std::fs::write(&path, original).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        assert_eq!(save(&path, &wires()), Ok(Saved::Added));
        let written = std::fs::read_to_string(&path).expect("read");
        assert!(written.starts_with(original), "the rest is kept as written:\n{written}");
        assert_eq!(read(&written).expect("valid"), [wires()]);

        let mut narrower = wires();
        narrower.name = "wires".into();
        narrower.filter = "type:transaction wire -test".into();
        narrower.tab = ViewTab::All;
        narrower.sort = None;
        assert_eq!(save(&path, &narrower), Ok(Saved::Replaced));
        let written = std::fs::read_to_string(&path).expect("read");
        assert_eq!(read(&written).expect("valid"), [narrower]);
        assert!(written.contains("# easier on the eyes"));
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o640, "its mode kept");
    }

    #[test]
    fn a_missing_file_is_made_private_and_an_inline_list_stays_inline() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("blnk-alerts").join("config.toml");
        assert_eq!(save(&path, &wires()), Ok(Saved::Added));
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);

        let inline = dir.path().join("inline.toml");
        std::fs::write(&inline, "views = [{ name = \"Old\", filter = \"card\" }]\n").expect("write");
        assert_eq!(save(&inline, &wires()), Ok(Saved::Added));
        let written = std::fs::read_to_string(&inline).expect("read");
        assert_eq!(read(&written).expect("valid").len(), 2);
        assert!(!written.contains("[[views]]"), "{written}");

        let broken = dir.path().join("broken.toml");
        std::fs::write(&broken, "api_url = \n").expect("write");
        assert!(save(&broken, &wires()).expect_err("refused").contains("not valid TOML"));
        assert_eq!(std::fs::read_to_string(&broken).expect("read"), "api_url = \n", "left as it was");
    }
}
