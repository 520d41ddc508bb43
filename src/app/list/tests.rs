//! The list's merge, order and filter passes against loading afresh.
use super::*;
use crate::app::tests::alert;
use proptest::prelude::*;

fn query(text: &str) -> Query {
    Query::parse(text, crate::app::tests::now()).expect("a valid query")
}

fn ids(list: &AlertList) -> Vec<String> {
    list.visible_rows(0, usize::MAX).map(|a| a.anomaly_id.to_string()).collect()
}

/// A list of alerts `n` (ids, titles and creation times from the numbers), with `bump` making
/// an alert's version newer.
fn alerts(spec: &[(u8, u8)]) -> Vec<Alert> {
    let mut seen = std::collections::HashSet::new();
    spec.iter()
        .filter(|(n, _)| seen.insert(*n))
        .map(|&(n, version)| {
            let statuses = ["FLAGGED", "RESOLVED", "INVESTIGATING"];
            let mut a =
                alert(&format!("ano_{n}"), &format!("title {n}"), statuses[usize::from(version % 3)], "Balance");
            a.created_at += chrono::Duration::minutes(i64::from(n % 7));
            a.updated_at = a.created_at + chrono::Duration::seconds(i64::from(version));
            a
        })
        .collect()
}

proptest! {
    /// Any sequence of answers merged one after the other gives exactly the list that loading
    /// the last answer afresh gives: the same rows in the same order, tab, filter and counts.
    #[test]
    fn merging_equals_loading_afresh(
        answers in proptest::collection::vec(proptest::collection::vec((0u8..40, 0u8..4), 0..30), 1..6),
        sort in 0usize..4,
        reversed: bool,
        query in prop_oneof![Just(""), Just("title 1"), Just("-title 2")],
        tab in prop_oneof![Just(None), Just(Some("RESOLVED"))],
    ) {
        let key = [SortKey::Created, SortKey::Updated, SortKey::Status, SortKey::Type][sort];
        let setup = |list: &mut AlertList| {
            list.set_sort(key, reversed);
            list.set_query(self::query(query));
            list.set_tab(tab.map_or(Tab::All, |t| Tab::Status(t.parse().expect("a valid key"))));
        };
        let mut merged = AlertList::default();
        setup(&mut merged);
        for answer in &answers {
            merged.replace_with(alerts(answer));
        }
        let mut fresh = AlertList::default();
        setup(&mut fresh);
        fresh.replace_with(alerts(answers.last().expect("one answer")));
        prop_assert_eq!(ids(&merged), ids(&fresh));
        prop_assert_eq!(merged.total(), fresh.total());
        prop_assert_eq!(&merged.counts, &fresh.counts);
        prop_assert_eq!(merged.known.len(), merged.total(), "every alert is known by one hash");
    }
}

proptest! {
    /// Sorting a loaded list anew (or turning its sort over) shows what loading it with that
    /// sort shows: the same rows in the same order, the filter not run again.
    #[test]
    fn resorting_a_loaded_list_equals_loading_it_sorted(
        answer in proptest::collection::vec((0u8..40, 0u8..4), 0..40),
        from in 0usize..4,
        to in 0usize..4,
        reversed: bool,
        query in prop_oneof![Just(""), Just("title 1"), Just("-title 2")],
    ) {
        let keys = [SortKey::Created, SortKey::Updated, SortKey::Status, SortKey::Type];
        let mut resorted = AlertList::default();
        resorted.set_sort(keys[from], false);
        resorted.set_query(self::query(query));
        resorted.replace_with(alerts(&answer));
        resorted.set_sort(keys[to], false);
        resorted.set_sort(keys[to], reversed);
        let mut fresh = AlertList::default();
        fresh.set_sort(keys[to], reversed);
        fresh.set_query(self::query(query));
        fresh.replace_with(alerts(&answer));
        prop_assert_eq!(ids(&resorted), ids(&fresh));
    }
}

#[test]
fn a_filter_over_a_large_list_runs_in_slices_and_ends_as_one_pass_would() {
    let answer: Vec<(u8, u8)> = (0..30).map(|n| (n, n % 4)).collect();
    let mut whole = AlertList::default();
    whole.replace_with(alerts(&answer));
    whole.set_query(query("title 1"));
    let mut sliced = AlertList { slice: 7, ..AlertList::default() };
    sliced.replace_with(alerts(&answer));
    let before = ids(&sliced);
    sliced.set_query(query("title 1"));
    assert!(sliced.scanning());
    assert_eq!(ids(&sliced), before, "the last result stays on screen meanwhile");
    // A new keystroke during a pass starts over; it cannot narrow from unfinished rows.
    sliced.set_query(query("title 2"));
    sliced.set_query(query("title 1"));
    let mut steps = 0;
    while sliced.scanning() {
        sliced.scan_step();
        steps += 1;
    }
    assert_eq!(steps, 4, "30 alerts in slices of 7: one slice at once, four on steps");
    assert_eq!(ids(&sliced), ids(&whole));
    // Narrowing goes in slices too while the rows shown are many.
    let mut all = AlertList { slice: 7, ..AlertList::default() };
    all.replace_with(alerts(&answer));
    all.set_query(query("title"));
    assert!(all.scanning(), "every one of 30 rows is a candidate");
    while all.scanning() {
        all.scan_step();
    }
    all.set_query(query("title 1"));
    while all.scanning() {
        all.scan_step();
    }
    assert_eq!(ids(&all), ids(&whole));
    assert_eq!(ids(&sliced), ids(&whole));
    // A change while a pass is going finishes it first.
    sliced.set_query(query("title 2"));
    sliced.replace_with(alerts(&answer));
    whole.set_query(query("title 2"));
    assert!(!sliced.scanning());
    assert_eq!(ids(&sliced), ids(&whole));
}

#[test]
fn an_unchanged_answer_changes_nothing() {
    let mut list = AlertList::default();
    list.replace_with(alerts(&[(1, 0), (2, 0), (3, 0)]));
    let before = (ids(&list), list.order.clone());
    let merged = list.merge(ListDelta { changed: Vec::new(), gone: Vec::new(), total: 3 });
    assert_eq!(merged, Merged::default());
    assert_eq!((ids(&list), list.order.clone()), before);
}

#[test]
fn selecting_an_alert_finishes_a_pass_that_lets_it_through() {
    let answer: Vec<(u8, u8)> = (0..30).map(|n| (n, 0)).collect();
    let mut list = AlertList { slice: 7, ..AlertList::default() };
    list.replace_with(alerts(&answer));
    list.set_query(query("title 29"));
    while list.scanning() {
        list.scan_step();
    }
    list.set_query(query(""));
    assert!(list.scanning(), "clearing the filter over 30 alerts is a pass in slices");
    let id: AlertId = "ano_3".parse().expect("an id");
    list.select_id(&id);
    assert!(!list.scanning());
    assert_eq!(list.selected_id(), Some(&id));
}
