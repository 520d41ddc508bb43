//! The built-in server's HTTP contract, over real HTTP on loopback: every endpoint's happy path and
//! exact JSON shape, authentication, every validation error, garbage bodies, routing, the list
//! envelope and chaos injection. Every test has a time limit and shuts its server down.

use std::future::Future;
use std::time::Duration;

use blnk_alerts::config::ApiKey;
use blnk_alerts::domain::{ALLOWED_COLOURS, Alert, StatusList};
use blnk_alerts::server::{self, Chaos, KeyRing, RunningServer, ServerOptions};
use reqwest::Method;
use serde_json::{Value, json};

const BLN: &str = "bln_20f02af6-3728-4d37-9b5a-c7ed080f09df";
const TXN: &str = "txn_7c1e4a52-9e1b-4f3d-8a6c-2f6c8d9a0e11";
const IDT: &str = "idt_0b1e4c1a-7f3d-4a52-9e1b-2f6c8d9a0e11";
const KEY: &str = "blnk_test_key_0123456789abcdef";

async fn limited<F: Future<Output = ()>>(test: F) {
    tokio::time::timeout(Duration::from_secs(60), test).await.expect("test took over 60 s");
}

struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    json: Value,
}

impl Reply {
    /// The message of an `{"error": "..."}` body, asserting the body is exactly that shape.
    fn error(&self) -> &str {
        let object = self.json.as_object().unwrap_or_else(|| panic!("not an object: {}", self.json));
        assert_eq!(object.len(), 1, "error body has other fields: {}", self.json);
        object["error"].as_str().unwrap_or_else(|| panic!("no error message: {}", self.json))
    }
}

struct Api {
    server: RunningServer,
    http: reqwest::Client,
    key: Option<&'static str>,
}

impl Api {
    async fn start(options: ServerOptions) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let server = server::start(options).await.expect("server starts");
        Self { server, http: reqwest::Client::new(), key: None }
    }

    async fn empty() -> Self {
        Self::start(ServerOptions { seed: None, ..ServerOptions::demo() }).await
    }

    async fn raw(&self, method: Method, path: &str, body: Option<Vec<u8>>) -> reqwest::Response {
        let url = self.server.base_url().join(path).expect("valid path");
        let mut request = self.http.request(method, url);
        if let Some(key) = self.key {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        request.send().await.expect("request is answered")
    }

    async fn call(&self, method: Method, path: &str, body: Option<Vec<u8>>) -> Reply {
        let response = self.raw(method, path, body).await;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("body is read");
        let json = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{status} {path}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
        Reply { status, headers, json }
    }

    async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    async fn send(&self, method: Method, path: &str, body: &Value) -> Reply {
        self.call(method, path, Some(body.to_string().into_bytes())).await
    }

    async fn flag(&self, entity: &str, description: &str) -> Value {
        let reply =
            self.send(Method::POST, &format!("alerts/flag/{entity}"), &json!({ "description": description })).await;
        assert_eq!(reply.status, 201, "{}", reply.json);
        reply.json
    }

    async fn stop(self) {
        self.server.shutdown().await;
    }
}

fn micros_timestamp(value: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    let text = value.as_str().expect("timestamp is a string");
    let fraction = text.split_once('.').expect("has a fraction").1;
    assert_eq!(fraction.chars().take_while(char::is_ascii_digit).count(), 6, "{text}");
    chrono::DateTime::parse_from_rfc3339(text).expect("RFC 3339")
}

#[tokio::test]
async fn flagging_answers_the_contract_shape_for_each_entity_kind() {
    limited(async {
        let api = Api::empty().await;
        let reply = api
            .send(
                Method::POST,
                &format!("alerts/flag/{BLN}"),
                &json!({"title": "Sanctions hit", "description": "two\nlines"}),
            )
            .await;
        assert_eq!(reply.status, 201);
        let alert = reply.json.as_object().expect("an object");
        let mut fields: Vec<&str> = alert.keys().map(String::as_str).collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            [
                "affected_balances",
                "affected_identities",
                "affected_transactions",
                "anomaly_id",
                "assigned_to",
                "created_at",
                "description",
                "escalated_to",
                "status",
                "title",
                "type",
                "updated_at"
            ]
        );
        assert!(alert["anomaly_id"].as_str().is_some_and(|id| id.starts_with("ano_") && id.len() == 40));
        assert_eq!(alert["title"], "Sanctions hit");
        assert_eq!(alert["description"], "two\nlines");
        assert_eq!(alert["type"], "Balance");
        assert_eq!(alert["status"], "FLAGGED");
        assert_eq!(alert["assigned_to"], "Ada Okafor");
        assert_eq!(alert["escalated_to"], json!([]));
        assert_eq!(alert["affected_balances"], json!([BLN]));
        assert_eq!((&alert["affected_identities"], &alert["affected_transactions"]), (&json!([]), &json!([])));
        let created = micros_timestamp(&alert["created_at"]);
        assert_eq!(alert["created_at"], alert["updated_at"]);
        assert!((chrono::Local::now().fixed_offset() - created).num_seconds().abs() < 60);
        let decoded: Alert = serde_json::from_value(reply.json.clone()).expect("decodes as a domain Alert");
        assert_eq!(decoded.entity(), Some(BLN));

        let txn = api.flag(TXN, "d").await;
        assert_eq!((txn["type"].as_str(), &txn["affected_transactions"]), (Some("Transaction"), &json!([TXN])));
        assert_eq!(txn["title"], Value::Null, "no title given");
        let idt = api.flag(IDT, "d").await;
        assert_eq!((idt["type"].as_str(), &idt["affected_identities"]), (Some("Identity"), &json!([IDT])));
        let legacy = api.flag(&BLN.replace("bln_", "bal_"), "d").await;
        assert_eq!(legacy["type"], "Balance");
        api.stop().await;
    })
    .await;
}

#[tokio::test]
async fn get_list_and_update_agree() {
    limited(async {
        let api = Api::empty().await;
        let first = api.flag(BLN, "first").await;
        let second = api.flag(TXN, "second").await;
        let id = first["anomaly_id"].as_str().expect("id");

        let one = api.get(&format!("alerts/{id}")).await;
        assert_eq!((one.status, &one.json), (200, &first));
        assert!(one.headers["content-type"].to_str().is_ok_and(|t| t.starts_with("application/json")));
        let list = api.get("alerts").await;
        assert_eq!((list.status, list.json), (200, json!([second, first])), "newest first");

        let path = format!("alerts/flag/{id}");
        let updated = api.send(Method::PUT, &path, &json!({"status": "investigating"})).await;
        assert_eq!(updated.status, 200, "{}", updated.json);
        assert_eq!(updated.json["status"], "INVESTIGATING");
        assert_eq!(
            (&updated.json["description"], &updated.json["created_at"]),
            (&first["description"], &first["created_at"])
        );
        assert!(micros_timestamp(&updated.json["updated_at"]) >= micros_timestamp(&first["updated_at"]));

        let titled = api.send(Method::PUT, &path, &json!({"title": "New title", "description": "edited"})).await;
        assert_eq!(
            (titled.json["title"].as_str(), titled.json["description"].as_str()),
            (Some("New title"), Some("edited"))
        );
        assert_eq!(titled.json["status"], "INVESTIGATING", "status untouched");
        let cleared = api.send(Method::PUT, &path, &json!({"title": null})).await;
        assert_eq!((cleared.status, &cleared.json["title"]), (200, &Value::Null));
        let unchanged = api.send(Method::PUT, &path, &json!({"unknown_field": 1})).await;
        assert_eq!((unchanged.status, &unchanged.json), (200, &cleared.json));
        assert_eq!(api.get(&format!("alerts/{id}")).await.json, cleared.json);
        api.stop().await;
    })
    .await;
}

fn keys(list: &Value) -> Vec<&str> {
    let data = list["data"].as_array().expect("a data array");
    data.iter().map(|s| s["key"].as_str().expect("a key")).collect()
}

#[tokio::test]
async fn statuses_list_built_ins_first_then_custom_ones() {
    limited(async {
        let api = Api::empty().await;
        let listed = api.get("alerts/statuses").await;
        assert_eq!(listed.status, 200);
        assert_eq!(listed.json["allowed_colours"], json!(ALLOWED_COLOURS));
        let built_ins: Vec<Value> = listed.json["data"]
            .as_array()
            .expect("data")
            .iter()
            .map(|s| json!([s["key"], s["name"], s["colour"], s["organization_id"]]))
            .collect();
        assert_eq!(
            built_ins,
            [
                json!(["FLAGGED", "Flagged", "#EF4444", "org_local"]),
                json!(["INVESTIGATING", "Investigating", "#F59E0B", "org_local"]),
                json!(["RESOLVED", "Resolved", "#10B981", "org_local"]),
            ]
        );
        serde_json::from_value::<StatusList>(listed.json).expect("decodes as a domain StatusList");

        let body = json!({"name": "Pending Review", "colour": "#8b5cf6"});
        let created = api.send(Method::POST, "alerts/statuses", &body).await;
        assert_eq!(created.status, 201, "{}", created.json);
        assert_eq!(
            json!([created.json["key"], created.json["colour"], created.json["organization_id"]]),
            json!(["PENDING_REVIEW", "#8B5CF6", "org_local"])
        );
        micros_timestamp(&created.json["created_at"]);
        let body = json!({"name": "Sent to bank", "colour": "#EC4899", "key": "bank"});
        let keyed = api.send(Method::POST, "alerts/statuses", &body).await;
        assert_eq!((keyed.status, &keyed.json["key"]), (201, &json!("BANK")));
        let listed = api.get("alerts/statuses").await.json;
        assert_eq!(keys(&listed), ["FLAGGED", "INVESTIGATING", "RESOLVED", "PENDING_REVIEW", "BANK"]);

        let body = json!({"name": "Awaiting Review", "colour": "#64748b"});
        let renamed = api.send(Method::PUT, "alerts/statuses/pending_review", &body).await;
        assert_eq!(renamed.status, 200, "{}", renamed.json);
        assert_eq!(
            json!([renamed.json["key"], renamed.json["name"], renamed.json["colour"]]),
            json!(["PENDING_REVIEW", "Awaiting Review", "#64748B"])
        );
        let recoloured = api.send(Method::PUT, "alerts/statuses/FLAGGED", &json!({"colour": "#E11D48"})).await;
        assert_eq!(
            json!([recoloured.status, recoloured.json["name"], recoloured.json["colour"]]),
            json!([200, "Flagged", "#E11D48"])
        );
        api.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_status_in_use_cannot_be_deleted() {
    limited(async {
        let api = Api::empty().await;
        let body = json!({"name": "Pending Review", "colour": "#8B5CF6"});
        assert_eq!(api.send(Method::POST, "alerts/statuses", &body).await.status, 201);
        let alert = api.flag(BLN, "d").await;
        let path = format!("alerts/flag/{}", alert["anomaly_id"].as_str().expect("id"));
        let moved = api.send(Method::PUT, &path, &json!({"status": "Pending_Review"})).await;
        assert_eq!((moved.status, &moved.json["status"]), (200, &json!("PENDING_REVIEW")));
        let in_use = api.call(Method::DELETE, "alerts/statuses/PENDING_REVIEW", None).await;
        assert_eq!((in_use.status, in_use.error()), (409, "status PENDING_REVIEW is in use by 1 alert"));

        api.send(Method::PUT, &path, &json!({"status": "RESOLVED"})).await;
        let deleted = api.call(Method::DELETE, "alerts/statuses/pending_review", None).await;
        assert_eq!((deleted.status, deleted.json), (200, json!({"message": "Status deleted"})));
        let again = api.call(Method::DELETE, "alerts/statuses/PENDING_REVIEW", None).await;
        assert_eq!((again.status, again.error()), (404, "status PENDING_REVIEW not found"));
        let listed = api.get("alerts/statuses").await.json;
        assert_eq!(keys(&listed), ["FLAGGED", "INVESTIGATING", "RESOLVED"]);
        api.stop().await;
    })
    .await;
}

/// (method, path, body, expected status, text the error message must contain)
type Case<'a> = (Method, String, Option<Value>, u16, &'a str);

async fn expect_errors(api: &Api, cases: Vec<Case<'_>>) {
    for (method, path, body, status, needle) in cases {
        let body = body.as_ref().map(|b| b.to_string().into_bytes());
        let reply = api.call(method.clone(), &path, body).await;
        assert_eq!(reply.status, status, "{method} {path}: {}", reply.json);
        assert!(reply.error().contains(needle), "{method} {path}: {:?} lacks {needle:?}", reply.error());
    }
}

#[tokio::test]
async fn alert_validation_errors_are_json_with_their_status() {
    limited(async {
        let api = Api::empty().await;
        let id = api.flag(BLN, "d").await["anomaly_id"].as_str().expect("id").to_owned();
        let ldg = "alerts/flag/ldg_20f02af6-3728-4d37-9b5a-c7ed080f09df".to_owned();
        let (flag, update) = (format!("alerts/flag/{BLN}"), format!("alerts/flag/{id}"));
        let unknown = "ano_00000000-0000-4000-8000-000000000000";
        let d = Some(json!({"description": "d"}));
        expect_errors(
            &api,
            vec![
                (Method::POST, ldg, d.clone(), 400, "cannot be flagged"),
                (Method::POST, "alerts/flag/bln_not%20an%20id".into(), d.clone(), 400, "cannot follow bln_"),
                (Method::POST, "alerts/flag/nothing".into(), d, 400, "no prefix"),
                (Method::POST, flag.clone(), Some(json!({"title": "t"})), 400, "description is required"),
                (Method::POST, flag.clone(), Some(json!({"description": ""})), 400, "description is required"),
                (Method::POST, flag.clone(), Some(json!({"description": " \n"})), 400, "description is required"),
                (Method::POST, flag, Some(json!({"description": null})), 400, "description is required"),
                (
                    Method::PUT,
                    format!("alerts/flag/{unknown}"),
                    Some(json!({})),
                    404,
                    &format!("alert {unknown} not found"),
                ),
                (Method::GET, format!("alerts/{unknown}"), None, 404, &format!("alert {unknown} not found")),
                (
                    Method::PUT,
                    update.clone(),
                    Some(json!({"status": "DONE"})),
                    400,
                    "unknown status DONE: use one of FLAGGED, INVESTIGATING, RESOLVED",
                ),
                (Method::PUT, update.clone(), Some(json!({"status": "bad key!"})), 400, "use one of FLAGGED"),
                (Method::PUT, update.clone(), Some(json!({"status": null})), 400, "status"),
                (Method::PUT, update.clone(), Some(json!({"description": ""})), 400, "description cannot be empty"),
                (Method::PUT, update, Some(json!({"description": null})), 400, "description cannot be empty"),
            ],
        )
        .await;
        let after = api.get(&format!("alerts/{id}")).await.json;
        assert_eq!(json!([after["status"], after["description"]]), json!(["FLAGGED", "d"]), "nothing changed");
        api.stop().await;
    })
    .await;
}

#[tokio::test]
async fn status_validation_errors_are_json_with_their_status() {
    limited(async {
        let api = Api::empty().await;
        let body = json!({"name": "Escalated", "colour": "#EC4899"});
        assert_eq!(api.send(Method::POST, "alerts/statuses", &body).await.status, 201);
        let create = || "alerts/statuses".to_owned();
        let escalated = || "alerts/statuses/escalated".to_owned();
        expect_errors(
            &api,
            vec![
                (Method::POST, create(), Some(json!({"colour": "#EC4899"})), 400, "name is required"),
                (Method::POST, create(), Some(json!({"name": " ", "colour": "#EC4899"})), 400, "name cannot be empty"),
                (
                    Method::POST,
                    create(),
                    Some(json!({"name": "Odd", "colour": "#123456"})),
                    400,
                    "use one of #3B82F6, #10B981",
                ),
                (Method::POST, create(), Some(json!({"name": "Odd"})), 400, "colour is required"),
                (
                    Method::POST,
                    create(),
                    Some(json!({"name": "Odd", "colour": "#EC4899", "key": "a b"})),
                    400,
                    "not a status key",
                ),
                (Method::POST, create(), Some(json!({"name": "Odd!", "colour": "#EC4899"})), 400, "give a key"),
                (Method::POST, create(), Some(body), 409, "status ESCALATED already exists"),
                (Method::POST, create(), Some(json!({"name": "flagged", "colour": "#EC4899"})), 409, "already exists"),
                (Method::PUT, "alerts/statuses/NOPE".into(), Some(json!({"name": "n"})), 404, "status NOPE not found"),
                (Method::PUT, escalated(), Some(json!({"colour": "red"})), 400, "not allowed"),
                (Method::PUT, escalated(), Some(json!({"name": ""})), 400, "name cannot be empty"),
                (Method::PUT, escalated(), Some(json!({})), 400, "nothing to change"),
                (Method::DELETE, "alerts/statuses/NOPE".into(), None, 404, "status NOPE not found"),
                (Method::DELETE, "alerts/statuses/flagged".into(), None, 400, "built in"),
            ],
        )
        .await;
        api.stop().await;
    })
    .await;
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_answer_json() {
    limited(async {
        let api = Api::empty().await;
        let id = api.flag(BLN, "d").await["anomaly_id"].as_str().expect("id").to_owned();
        expect_errors(
            &api,
            vec![
                (Method::GET, "nowhere".into(), None, 404, "no route for GET /nowhere"),
                (Method::GET, "alerts/flag/x/y".into(), None, 404, "no route"),
                (Method::DELETE, "alerts".into(), None, 405, "method DELETE is not allowed on /alerts"),
                (Method::PATCH, format!("alerts/flag/{id}"), Some(json!({})), 405, "not allowed"),
                (Method::POST, format!("alerts/{id}"), Some(json!({})), 405, "not allowed"),
                (Method::GET, "alerts/statuses/FLAGGED".into(), None, 405, "not allowed"),
            ],
        )
        .await;
        let reply = api.call(Method::DELETE, "alerts", None).await;
        assert!(reply.headers["allow"].to_str().is_ok_and(|allow| allow.contains("GET")));
        api.stop().await;
    })
    .await;
}

#[tokio::test]
async fn garbage_bodies_are_refused_in_json_and_the_server_survives() {
    limited(async {
        let api = Api::empty().await;
        let flag = format!("alerts/flag/{BLN}");
        let deep = format!("{{\"description\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        let cases: Vec<(Vec<u8>, u16, &str)> = vec![
            (b"{\"description\": \"d\"".to_vec(), 400, "not valid JSON"),
            (b"description=d".to_vec(), 400, "JSON object"),
            (b"{\"description\": \"\xff\xfe\"}".to_vec(), 400, "UTF-8"),
            (b"[{\"description\": \"d\"}]".to_vec(), 400, "JSON object"),
            (b"\"d\"".to_vec(), 400, "JSON object"),
            (b"null".to_vec(), 400, "JSON object"),
            (b"".to_vec(), 400, "empty"),
            (b"{\"description\": 5}".to_vec(), 400, "wrong type"),
            (b"{\"description\": \"d\", \"title\": 7}".to_vec(), 400, "wrong type"),
            (b"{\"description\": [\"d\"]}".to_vec(), 400, "wrong type"),
            (deep.into_bytes(), 400, "request body"),
            (vec![b' '; 3 << 20], 413, "larger than 2 MiB"),
        ];
        for (body, status, needle) in cases {
            let shown = String::from_utf8_lossy(&body[..body.len().min(40)]).into_owned();
            let reply = api.call(Method::POST, &flag, Some(body)).await;
            assert_eq!(reply.status, status, "{shown}: {}", reply.json);
            assert!(reply.error().contains(needle), "{shown}: {:?} lacks {needle:?}", reply.error());
        }
        for path in [
            "alerts/statuses",
            &format!("alerts/flag/{}", api.flag(BLN, "d").await["anomaly_id"].as_str().expect("id")),
        ] {
            let method = if path == "alerts/statuses" { Method::POST } else { Method::PUT };
            let reply = api.call(method, path, Some(b"[1,2]".to_vec())).await;
            assert_eq!((reply.status, reply.error()), (400, "request body must be a JSON object"));
        }
        let odd_path = api.call(Method::GET, "alerts/%FF%FE", None).await;
        assert_eq!(odd_path.status, 400, "{}", odd_path.json);
        odd_path.error();

        // A missing or unexpected Content-Type is accepted, and the server still works.
        let untyped = api.raw(Method::POST, &flag, Some(br#"{"description":"no content type"}"#.to_vec())).await;
        assert_eq!(untyped.status(), 201);
        let url = api.server.base_url().join(&flag).expect("url");
        let typed = api
            .http
            .post(url)
            .header("content-type", "text/plain")
            .body(r#"{"description":"d"}"#)
            .send()
            .await
            .expect("answered");
        assert_eq!(typed.status(), 201);
        assert_eq!(api.get("alerts").await.json.as_array().map(Vec::len), Some(3));
        api.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_key_is_required_when_configured_and_never_echoed() {
    limited(async {
        let mut api = Api::start(ServerOptions { api_key: ApiKey::new(KEY), ..ServerOptions::demo() }).await;
        let missing = api.get("alerts").await;
        assert_eq!((missing.status, missing.json.clone()), (401, json!({"error": "missing or invalid API key"})));
        assert_eq!(missing.headers["www-authenticate"], "Bearer");
        assert_eq!(api.get("nowhere").await.status, 401, "unknown routes are not revealed");

        for wrong in
            ["blnk_wrong_key_0123456789abcdef", "blnk_test_key_0123456789abcde", "", "blnk_test_key_0123456789abcdef0"]
        {
            let url = api.server.base_url().join("alerts").expect("url");
            let response =
                api.http.get(url).header("authorization", format!("Bearer {wrong}")).send().await.expect("answered");
            assert_eq!(response.status(), 401);
            let text = response.text().await.expect("body");
            assert!(wrong.is_empty() || !text.contains(wrong), "the sent key is echoed: {text}");
        }
        let url = api.server.base_url().join("alerts").expect("url");
        let basic =
            api.http.get(url.clone()).header("authorization", format!("Basic {KEY}")).send().await.expect("answered");
        assert_eq!(basic.status(), 401);
        let lower = api.http.get(url).header("authorization", format!("bearer {KEY}")).send().await.expect("answered");
        assert_eq!(lower.status(), 200);

        api.key = Some(KEY);
        let ok = api.get("alerts").await;
        assert_eq!(ok.status, 200);
        assert!(ok.json.as_array().is_some_and(|a| a.len() >= 150));
        api.stop().await;
    })
    .await;
}

/// A key file with a read-only key, a key that may change alerts but not read entities, and the
/// server's own key besides (every scope).
fn scoped_keys() -> (tempfile::TempDir, KeyRing) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("keys.toml");
    let file = "[[key]]\nname = \"wallboard\"\nkey = \"blnk_wallboard\"\nscopes = [\"alerts:read\"]\n\n\
                [[key]]\nname = \"triage\"\nkey = \"blnk_triage\"\nscopes = [\"alerts:read\", \"alerts:write\"]\n";
    std::fs::write(&path, file).expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let ring = KeyRing::from_file(&path).expect("a valid key file");
    (dir, ring)
}

#[tokio::test]
async fn each_key_may_do_what_its_scopes_allow_and_a_403_names_the_scope() {
    limited(async {
        let (_dir, keys) = scoped_keys();
        let mut api = Api::start(ServerOptions { api_key: ApiKey::new(KEY), keys, ..ServerOptions::demo() }).await;
        let data = format!("data/balances/{BLN}?instance_id={}", server::DEMO_INSTANCE);
        let flag = format!("alerts/flag/{BLN}");
        let body = json!({"description": "scoped"});

        api.key = Some("blnk_wallboard");
        assert_eq!(api.get("alerts").await.status, 200);
        assert_eq!(api.get("alerts/statuses").await.status, 200);
        let refused = api.send(Method::POST, &flag, &body).await;
        assert_eq!(refused.status, 403);
        assert!(refused.error().contains("alerts:write") && refused.error().contains("wallboard"), "{}", refused.json);
        let refused = api.send(Method::DELETE, "alerts/statuses/under_review", &json!({})).await;
        assert_eq!(refused.status, 403);
        let refused = api.get(&data).await;
        assert_eq!(refused.status, 403);
        assert!(refused.error().contains("data:read"), "{}", refused.json);

        api.key = Some("blnk_triage");
        assert_eq!(api.send(Method::POST, &flag, &body).await.status, 201);
        assert_eq!(api.get(&data).await.status, 403);

        // The server's own key holds every scope; an unknown one is still a 401, not a 403.
        api.key = Some(KEY);
        assert_ne!(api.get(&data).await.status, 403);
        api.key = Some("blnk_nobody");
        assert_eq!(api.get("alerts").await.status, 401);
        api.stop().await;
    })
    .await;
}

#[tokio::test]
async fn past_its_rate_a_client_is_answered_429_with_retry_after_and_a_bulk_change_waits_it_out() {
    limited(async {
        // One a second: of four sent at once, only a second's wait would let a second one through.
        let strict =
            Api::start(ServerOptions { rate_limit: std::num::NonZeroU32::new(1), ..ServerOptions::demo() }).await;
        let answers: Vec<Reply> = futures_util::future::join_all((0..4).map(|_| strict.get("alerts/statuses"))).await;
        let limited: Vec<&Reply> = answers.iter().filter(|r| r.status == 429).collect();
        assert!(limited.len() >= 2, "{:?}", answers.iter().map(|r| r.status).collect::<Vec<_>>());
        assert!(limited[0].error().contains("at most 1 request a second"), "{}", limited[0].json);
        let wait: u64 = limited[0].headers["retry-after"].to_str().expect("ascii").parse().expect("whole seconds");
        assert_eq!(wait, 1);
        strict.stop().await;

        let api = Api::start(ServerOptions { rate_limit: std::num::NonZeroU32::new(4), ..ServerOptions::demo() }).await;

        // Eight PUTs, four at a time, against four a second: the client waits as told, and all land.
        let config = blnk_alerts::config::Config::local(api.server.base_url(), ApiKey::generate());
        let http = blnk_alerts::api::Http::new(&config).expect("client");
        // The reader waits out a 429 on its own, as told.
        let all = blnk_alerts::api::ReadClient::new(http.clone()).list_alerts().await.expect("listed");
        let writer = blnk_alerts::api::WriteClient::new(http);
        let ids: Vec<_> = all.iter().take(8).map(|a| a.anomaly_id.clone()).collect();
        let update =
            blnk_alerts::api::AlertUpdate { status: Some("RESOLVED".parse().expect("key")), ..Default::default() };
        let mut results = Vec::new();
        let stop = std::sync::atomic::AtomicBool::new(false);
        blnk_alerts::api::bulk::update_each(&writer, ids, &update, &stop, |id, r| results.push((id, r))).await;
        let failed: Vec<_> = results.iter().filter(|(_, r)| r.is_err()).collect();
        assert_eq!((results.len(), failed.len()), (8, 0), "{failed:?}");
        api.stop().await;
    })
    .await;
}

#[tokio::test]
async fn statuses_route_is_not_taken_for_an_alert_id() {
    limited(async {
        let api = Api::empty().await;
        let statuses = api.get("alerts/statuses").await;
        assert_eq!(statuses.status, 200);
        assert!(statuses.json["data"].is_array() && statuses.json["allowed_colours"].is_array());
        let alert = api.flag(IDT, "d").await;
        let id = alert["anomaly_id"].as_str().expect("id");
        assert_eq!(api.get(&format!("alerts/{id}")).await.json, alert);
        let flag_as_id = api.get("alerts/flag").await;
        assert_eq!((flag_as_id.status, flag_as_id.error()), (404, "alert flag not found"));
        api.stop().await;
    })
    .await;
}

#[tokio::test]
async fn envelope_mode_wraps_the_list() {
    limited(async {
        let api = Api::start(ServerOptions { seed: None, envelope: true, ..ServerOptions::demo() }).await;
        let empty = api.get("alerts").await;
        assert_eq!(empty.json, json!({"data": [], "total": 0}));
        let first = api.flag(BLN, "a").await;
        let second = api.flag(TXN, "b").await;
        let list = api.get("alerts").await;
        assert_eq!((list.status, list.json), (200, json!({"data": [second, first], "total": 2})));
        api.stop().await;
    })
    .await;
}

#[tokio::test]
async fn chaos_injects_each_kind_of_trouble() {
    limited(async {
        let with =
            |spec: &str| ServerOptions { chaos: spec.parse::<Chaos>().expect("valid spec"), ..ServerOptions::demo() };

        let api = Api::start(with("ratelimit=1")).await;
        let limited = api.get("alerts").await;
        assert_eq!((limited.status, limited.error()), (429, "chaos: rate limited"));
        assert_eq!(limited.headers["retry-after"], "1");
        api.stop().await;

        let api = Api::start(with("error=1")).await;
        for _ in 0..10 {
            let failed = api.get("alerts").await;
            assert!([500, 503].contains(&failed.status) && failed.error().starts_with("chaos: "), "{}", failed.json);
        }
        api.stop().await;

        let api = Api::start(with("malformed=1")).await;
        for _ in 0..10 {
            let response = api.raw(Method::GET, "alerts", None).await;
            let status = response.status().as_u16();
            let bytes = response.bytes().await.expect("body");
            assert!(serde_json::from_slice::<Value>(&bytes).is_err(), "{status}: valid JSON");
        }
        api.stop().await;

        let api = Api::start(with("latency=1:50ms")).await;
        assert_eq!(api.get("alerts/statuses").await.status, 200);
        api.stop().await;
    })
    .await;
}

#[tokio::test]
async fn the_documented_example_flags_and_only_ids_no_server_could_hold_are_refused() {
    limited(async {
        let api = Api::empty().await;
        // The seed page's own request: an id that is no UUID, with the older `bal_` prefix.
        let body = json!({"title": "Suspicious balance", "description": "Balance dropped below expected threshold"});
        let reply = api.send(Method::POST, "alerts/flag/bal_1234567890abcdef", &body).await;
        assert_eq!(reply.status, 201, "{}", reply.json);
        assert_eq!(
            (&reply.json["type"], &reply.json["affected_balances"]),
            (&json!("Balance"), &json!(["bal_1234567890abcdef"]))
        );
        for (path, why) in [
            ("alerts/flag/ldg_1234", "ids cannot be flagged"),
            ("alerts/flag/bln_", "needs the rest of the id"),
            ("alerts/flag/bln_a%20b", "cannot follow bln_"),
        ] {
            let refused = api.send(Method::POST, path, &body).await;
            assert_eq!(refused.status, 400, "{path}: {}", refused.json);
            assert!(refused.error().contains(why), "{path}: {}", refused.error());
        }
        api.stop().await;
    })
    .await;
}
