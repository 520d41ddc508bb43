//! The sanitizer, property-tested: 10,000 generated strings per property, mixing arbitrary
//! text with a heavy share of what a hostile server would send (controls, escape sequences,
//! bidi overrides, invisible characters, tags, combining marks, wide text).

#[path = "common/forbidden.rs"]
mod forbidden;

use std::borrow::Cow;

use blnk_alerts::domain::{is_safe, sanitize, single_line};
use proptest::prelude::*;
use proptest::sample::select;

use forbidden::forbidden;

/// Single characters from the dangerous ranges.
fn dangerous_char() -> impl Strategy<Value = char> {
    const RANGES: &[std::ops::RangeInclusive<char>] = &[
        '\u{0}'..='\u{1f}',
        '\u{7f}'..='\u{9f}',
        '\u{ad}'..='\u{ad}',
        '\u{61c}'..='\u{61c}',
        '\u{200b}'..='\u{200f}',
        '\u{2028}'..='\u{202e}',
        '\u{2060}'..='\u{206f}',
        '\u{feff}'..='\u{feff}',
        '\u{fff9}'..='\u{fffb}',
        '\u{e0000}'..='\u{e007f}',
        '\u{e0100}'..='\u{e01ef}',
    ];
    proptest::char::ranges(Cow::Borrowed(RANGES))
}

/// Escape sequences and other multi-character payloads, verbatim.
fn payload() -> impl Strategy<Value = &'static str> {
    select(vec![
        "\u{1b}[31m",
        "\u{1b}[0m",
        "\u{1b}[2J\u{1b}[H",
        "\u{1b}[1;1H",
        "\u{1b}[?1049l",
        "\u{1b}[6n",
        "\u{1b}]52;c;ZXZpbA==\u{7}",
        "\u{1b}]52;c;ZXZpbA==\u{1b}\\",
        "\u{1b}]0;pwned\u{7}",
        "\u{1b}]2;title\u{1b}\\",
        "\u{1b}]8;;https://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\",
        "\u{1b}P+q544e\u{1b}\\",
        "\u{1b}_Gf=100;AAAA\u{1b}\\",
        "\u{1b}^privacy\u{1b}\\",
        "\u{9b}31m",
        "\u{9d}0;title\u{9c}",
        "\u{1b}c",
        "\u{1b}7\u{1b}8",
        "\u{7}\u{7}\u{7}",
        "abc\u{8}\u{8}\u{8}xyz",
        "safe\rEVIL",
        "\r\n",
        "\r\r\n",
        "\n\r",
        "\u{202e}fdp.exe",
        "\u{2066}\u{2067}\u{2068}\u{2069}",
        "\u{200d}",
        "👨\u{200d}👩\u{200d}👧\u{200d}👦",
        "\u{feff}",
        "\u{2028}\u{2029}",
        "\u{e0041}\u{e0042}\u{e007f}",
        "e\u{301}\u{302}\u{303}\u{304}",
        "日本語のテキスト",
        "مرحبا بالعالم",
        "🇯🇵🏳\u{fe0f}\u{200d}🌈",
        "\\ud800\\udfff",
        "⏎ ␛ \u{fffd}",
    ])
}

/// A string built from pieces: arbitrary text, dangerous characters, payloads, combining marks,
/// CJK and emoji. More than half the pieces are hostile.
fn hostile_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => any::<String>(),
        2 => proptest::collection::vec(any::<char>(), 0..8).prop_map(String::from_iter),
        5 => proptest::collection::vec(dangerous_char(), 1..6).prop_map(String::from_iter),
        4 => payload().prop_map(str::to_owned),
        1 => proptest::collection::vec(proptest::char::range('\u{300}', '\u{36f}'), 1..40).prop_map(String::from_iter),
        1 => proptest::collection::vec(proptest::char::range('\u{4e00}', '\u{9fff}'), 1..8).prop_map(String::from_iter),
        1 => proptest::collection::vec(proptest::char::range('\u{1f300}', '\u{1faff}'), 1..8).prop_map(String::from_iter),
        1 => Just("\n".to_owned()),
        1 => Just("\r".to_owned()),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// Text with nothing the sanitizer would change.
fn clean_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<String>().prop_map(|s| s.chars().filter(|&c| is_safe(c)).collect::<String>()),
        payload().prop_map(|s| s.chars().filter(|&c| is_safe(c)).collect::<String>()),
        Just("\n".to_owned()),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// Idempotent, and nothing forbidden survives; every safe character stays where it was.
    #[test]
    fn sanitized_text_is_stable_and_safe(s in hostile_string()) {
        let once = sanitize(&s);
        let twice = sanitize(&once);
        prop_assert_eq!(&*twice, &*once, "sanitize is not idempotent");
        prop_assert!(matches!(twice, Cow::Borrowed(_)), "sanitized text is clean: no second copy");
        for c in once.chars() {
            prop_assert!(is_safe(c), "unsafe {:?} survived in {:?}", c, once);
            prop_assert!(!forbidden(c), "forbidden {:?} survived in {:?}", c, once);
        }
        // One character out per character in (`\r\n` counted as one): safe ones unchanged,
        // unsafe ones replaced by a safe character.
        let folded = s.replace("\r\n", "\n");
        prop_assert_eq!(once.chars().count(), folded.chars().count());
        for (before, after) in folded.chars().zip(once.chars()) {
            if is_safe(before) {
                prop_assert_eq!(before, after);
            } else {
                prop_assert_ne!(before, after);
            }
        }
    }

    /// A one-line place never gets a line break, and gets the same text otherwise.
    #[test]
    fn single_line_has_no_line_break(s in hostile_string()) {
        let line = single_line(&s);
        prop_assert!(!line.contains('\n'), "line break in {:?}", line);
        prop_assert!(line.chars().all(|c| is_safe(c) && !forbidden(c)), "unsafe char in {:?}", line);
        prop_assert_eq!(&*line, sanitize(&s).replace('\n', "⏎ "));
        prop_assert_eq!(&*single_line(&line), &*line, "single_line is not idempotent");
    }

    /// Clean text comes back as it is, borrowed; only unsafe text is copied.
    #[test]
    fn clean_text_is_borrowed_unchanged(s in clean_string()) {
        let out = sanitize(&s);
        prop_assert!(matches!(out, Cow::Borrowed(_)), "clean text was copied: {:?}", s);
        prop_assert_eq!(&*out, s.as_str());
        prop_assert!(std::ptr::eq(out.as_ptr(), s.as_ptr()), "borrowed from the input itself");
        if !s.contains('\n') {
            prop_assert!(matches!(single_line(&s), Cow::Borrowed(_)));
        }
    }

    /// Exactly the strings holding an unsafe character are copied.
    #[test]
    fn copied_only_when_something_changed(s in hostile_string()) {
        let all_safe = s.chars().all(is_safe);
        prop_assert_eq!(matches!(sanitize(&s), Cow::Borrowed(_)), all_safe);
        if !all_safe {
            prop_assert_ne!(&*sanitize(&s), s.as_str());
        }
    }
}

/// The independent list above and the sanitizer agree on every code point that matters.
#[test]
fn every_forbidden_code_point_is_unsafe() {
    let all = (0..=0x10_ffff_u32).filter_map(char::from_u32);
    let missed: Vec<String> =
        all.filter(|&c| forbidden(c) && is_safe(c)).map(|c| format!("U+{:04X}", u32::from(c))).collect();
    assert!(missed.is_empty(), "considered safe: {missed:?}");
    assert!(is_safe('\n') && is_safe('a') && is_safe('日') && is_safe('\u{301}'));
}

/// Every unsafe code point, alone and in company, comes out as one visible safe character.
#[test]
fn every_unsafe_code_point_becomes_one_visible_character() {
    for c in (0..=0x10_ffff_u32).filter_map(char::from_u32).filter(|&c| !is_safe(c)) {
        let s = format!("a{c}b");
        let out = sanitize(&s);
        let mut chars = out.chars();
        assert_eq!(chars.next(), Some('a'));
        let marker = chars.next().expect("a marker");
        let visible = is_safe(marker) && !marker.is_control() && (marker != ' ' || c == '\t');
        assert!(visible, "U+{:04X} -> {marker:?}", u32::from(c));
        assert_eq!(chars.as_str(), "b", "U+{:04X}", u32::from(c));
    }
}

/// The generator really is hostile: most strings carry something forbidden, many an escape.
#[test]
fn the_generator_leans_hostile() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = hostile_string();
    let samples: Vec<String> = (0..1_000).map(|_| strategy.new_tree(&mut runner).expect("a value").current()).collect();
    let share = |check: &dyn Fn(&String) -> bool| samples.iter().filter(|s| check(s)).count();
    assert!(share(&|s| s.chars().any(forbidden)) > 800, "forbidden characters are common");
    assert!(share(&|s| s.contains('\u{1b}')) > 250, "escape sequences are common");
    assert!(share(&|s| s.chars().any(|c| ('\u{202a}'..='\u{202e}').contains(&c))) > 100, "bidi overrides");
    assert!(share(&|s| s.contains("\r\n")) > 50, "CRLF pairs");
    assert!(share(&|s| s.chars().all(is_safe)) > 10, "some clean strings too");
}

/// Status keys are upper-cased after sanitizing and filters lower-case text: no safe character
/// changes case into an unsafe one.
#[test]
fn changing_case_never_makes_text_unsafe() {
    for c in (0..=0x10_ffff_u32).filter_map(char::from_u32).filter(|&c| is_safe(c)) {
        let upper: String = c.to_uppercase().collect();
        let lower: String = c.to_lowercase().collect();
        assert!(
            upper.chars().chain(lower.chars()).all(is_safe),
            "U+{:04X} changes case into {upper:?} {lower:?}",
            u32::from(c)
        );
    }
}

/// The oracle and the sanitizer agree on every character the oracle names: what it forbids,
/// the sanitizer never lets through (the sanitizer may catch more, never less).
#[test]
fn the_oracle_and_the_sanitizer_agree() {
    let escaped: Vec<String> = (0..=0x10_FFFF_u32)
        .filter_map(char::from_u32)
        .filter(|&c| forbidden(c) && is_safe(c) && c != '\n')
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    assert!(escaped.is_empty(), "forbidden yet passed through: {escaped:?}");
    for c in ['\u{ad}', '\u{2065}', '\u{e0080}', '\u{e0fff}'] {
        assert!(forbidden(c) && !is_safe(c), "U+{:04X}", u32::from(c));
    }
}
