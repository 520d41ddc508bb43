//! Saved views: tabs after the statuses with their counts, their sort on opening, and saving
//! what is shown as a view from the palette (the runtime writes the file; here, its answer).

use super::*;
use crate::config::{Saved, SavedView, ViewTab};

fn views() -> Vec<SavedView> {
    vec![
        SavedView { name: "Fives".into(), filter: "\"alert 5\"".into(), tab: ViewTab::All, sort: None },
        SavedView {
            name: "Open, by update".into(),
            filter: String::new(),
            tab: ViewTab::Status(StatusKey::flagged()),
            sort: Some((SortKey::Updated, true)),
        },
    ]
}

fn with_views() -> App {
    let mut app = app(Access::ReadOnly);
    app.settings.views = views();
    let mut app = App::new(app.settings.clone(), now());
    let generation = fetch_generation(&app.init()).expect("init fetches alerts");
    let mut alerts: Vec<Alert> = (0..60).map(at).collect();
    alerts[1].status = "RESOLVED".parse().expect("a key");
    app.update(Msg::AlertsLoaded { generation, result: Ok(alerts) });
    app
}

#[test]
fn views_are_tabs_after_the_statuses_with_their_counts_and_bring_their_sort() {
    let mut app = with_views();
    let tabs = app.tabs();
    let first_view = tabs.iter().position(|t| *t == Tab::View(0)).expect("a tab");
    assert!(matches!(tabs[first_view - 1], Tab::Status(_)), "{tabs:?}");
    assert_eq!(tabs[first_view + 1], Tab::View(1));
    // "alert 5" and "alert 50" .. "alert 59".
    assert_eq!((app.list.view_count(0), app.list.view_count(1)), (11, 59));
    for _ in 0..=first_view {
        press(&mut app, KeyCode::Char(']'));
    }
    assert_eq!(app.list.tab(), &Tab::View(1));
    assert_eq!(app.list.sort(), (SortKey::Updated, true), "the view's sort");
    assert_eq!(app.list.visible_len(), 59);
    press(&mut app, KeyCode::Char('['));
    assert_eq!(
        (app.list.tab(), app.list.sort()),
        (&Tab::View(0), crate::app::list::DEFAULT_SORT),
        "no sort named: the default"
    );
}

#[test]
fn the_palette_saves_what_is_shown_as_a_view_and_takes_the_answer() {
    let mut app = with_views();
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "\"alert 3\"");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('o'));
    press(&mut app, KeyCode::Char('V'));
    let Overlay::Palette(palette) = &app.overlay else { panic!("the palette: {:?}", app.overlay) };
    assert_eq!(palette.query.text(), "view save ");
    typed(&mut app, "Threes");
    let cmds = press(&mut app, KeyCode::Enter);
    let [Cmd::SaveView(view)] = cmds.as_slice() else { panic!("{cmds:?}") };
    let wanted = SavedView {
        name: "Threes".into(),
        filter: "\"alert 3\"".into(),
        tab: ViewTab::All,
        sort: Some((SortKey::Updated, false)),
    };
    assert_eq!(view, &wanted);
    assert_eq!(app.overlay, Overlay::None);

    app.update(Msg::ViewSaved { view: wanted.clone(), result: Ok((Saved::Added, "/home/a/config.toml".into())) });
    assert_eq!(app.list.tab(), &Tab::View(2), "the new view is shown");
    assert_eq!(app.filter.text(), "", "its filter is the view's now");
    assert_eq!(app.list.view_count(2), 11);
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("\"Threes\" saved in /home/a/config.toml")));

    // Saved again on its own tab, narrowed: the same view, its filter joined to what is typed.
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "-\"alert 30\"");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "view save threes");
    let cmds = press(&mut app, KeyCode::Enter);
    let [Cmd::SaveView(again)] = cmds.as_slice() else { panic!("{cmds:?}") };
    assert_eq!(again.filter, "\"alert 3\" -\"alert 30\"");
    app.update(Msg::ViewSaved { view: again.clone(), result: Ok((Saved::Replaced, "c.toml".into())) });
    assert_eq!(app.settings.views.len(), 3, "replaced, not added");
    assert_eq!((app.list.tab(), app.list.view_count(2)), (&Tab::View(2), 10));

    let refused = SavedView { name: "Other".into(), ..wanted };
    app.update(Msg::ViewSaved { view: refused, result: Err("cannot write c.toml: read-only file system".into()) });
    assert_eq!(app.settings.views.len(), 3);
    assert!(app.notice.as_ref().is_some_and(|n| n.level == Level::Error && n.text.contains("read-only file system")));
}

#[test]
fn a_view_is_opened_by_name_and_a_bad_name_or_filter_is_said_in_the_palette() {
    let mut app = with_views();
    for (typed_text, said) in
        [("view nothing", "No view named \"nothing\" (Fives, Open, by update)"), ("view save  ", "cannot be empty")]
    {
        press(&mut app, KeyCode::Char(':'));
        typed(&mut app, typed_text);
        assert!(press(&mut app, KeyCode::Enter).is_empty());
        let Overlay::Palette(palette) = &app.overlay else { panic!("stays open: {:?}", app.overlay) };
        assert!(palette.error.as_deref().is_some_and(|e| e.contains(said)), "{typed_text}: {:?}", palette.error);
        app.overlay = Overlay::None;
    }
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "view fives");
    press(&mut app, KeyCode::Enter);
    assert_eq!((app.list.tab(), app.list.visible_len()), (&Tab::View(0), 11));
}
