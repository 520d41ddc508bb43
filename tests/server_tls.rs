//! `serve` over HTTPS: the client trusts the team's own CA through `ca_cert` and nothing else,
//! plain HTTP to the HTTPS port is refused without harm, and bad PEM files are said so.
//! The certificates in `tests/fixtures/tls` are for these tests only: a CA, and a leaf for
//! `localhost`, `127.0.0.1` and `::1` that it signed (its key is committed, so it protects nothing).

mod common;

use std::path::{Path, PathBuf};

use blnk_alerts::api::{ApiError, Http, ReadClient};
use blnk_alerts::config::{Config, Setting, Source};
use blnk_alerts::server::{self, Seed, ServerOptions, Tls};
use common::cli::run;
use common::{LIMIT, key};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls").join(name)
}

fn tls() -> Tls {
    Tls::from_pem_files(&fixture("server.pem"), &fixture("server.key")).expect("the fixtures make a pair")
}

async fn https_server() -> server::RunningServer {
    let options =
        ServerOptions { seed: Some(Seed::Demo), api_key: Some(key()), tls: Some(tls()), ..ServerOptions::demo() };
    server::start(options).await.expect("starts")
}

fn trusting(url: url::Url, ca: Option<PathBuf>) -> ReadClient {
    let mut config = Config::local(url, key());
    config.ca_cert = ca.map(|value| Setting { value, source: Source::Env("BLNK_CA_CERT") });
    ReadClient::new(Http::new(&config).expect("client"))
}

#[tokio::test]
async fn a_client_that_trusts_the_ca_reads_over_https_and_one_that_does_not_is_refused() {
    tokio::time::timeout(LIMIT, async {
        let server = https_server().await;
        let url = server.base_url();
        assert_eq!(url.scheme(), "https");

        let alerts = trusting(url.clone(), Some(fixture("ca.pem"))).list_alerts().await.expect("listed over TLS");
        assert_eq!(alerts.len(), 200);

        let refused = trusting(url.clone(), None).list_alerts().await.expect_err("an unknown issuer");
        let ApiError::Transport { reason, .. } = &refused else { panic!("a transport error: {refused:?}") };
        assert!(reason.to_lowercase().contains("certificate"), "{reason}");

        // Plain HTTP to the HTTPS port gets no answer, and the server goes on serving.
        let plain = format!("http://{}/alerts", server.addr());
        let spoke_plain = reqwest::Client::new().get(&plain).bearer_auth(key().expose()).send().await;
        assert!(spoke_plain.is_err() || spoke_plain.is_ok_and(|r| !r.status().is_success()));
        let again = trusting(url, Some(fixture("ca.pem"))).list_alerts().await.expect("still serving");
        assert_eq!(again.len(), 200);
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn the_cli_reaches_an_https_server_with_blnk_ca_cert() {
    tokio::time::timeout(LIMIT, async {
        let server = https_server().await;
        let home = tempfile::tempdir().expect("home");
        let (url, ca, key) = (server.base_url().to_string(), fixture("ca.pem"), key());
        let env = [
            ("BLNK_API_URL", url.as_str()),
            ("BLNK_API_KEY", key.expose()),
            ("BLNK_CA_CERT", ca.to_str().expect("utf-8")),
        ];
        let listed = run(&["list", "--output", "ids"], &env, home.path(), None).await;
        assert_eq!(listed.code, 0, "{}", listed.stderr);
        assert_eq!(listed.stdout.lines().count(), 200);

        let missing =
            [("BLNK_API_URL", url.as_str()), ("BLNK_API_KEY", key.expose()), ("BLNK_CA_CERT", "/nowhere/ca.pem")];
        let failed = run(&["list"], &missing, home.path(), None).await;
        assert_ne!(failed.code, 0);
        assert!(
            failed.stderr.contains("/nowhere/ca.pem") && failed.stderr.contains("BLNK_CA_CERT"),
            "{}",
            failed.stderr
        );
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

#[test]
fn pem_files_that_are_not_a_certificate_and_its_key_are_named() {
    let swapped = Tls::from_pem_files(&fixture("server.key"), &fixture("server.pem")).expect_err("swapped");
    assert!(swapped.contains("server.key") && swapped.contains("no certificate"), "{swapped}");
    let foreign = Tls::from_pem_files(&fixture("ca.pem"), &fixture("server.key")).expect_err("not its key");
    assert!(foreign.contains("do not make a usable pair"), "{foreign}");
    let missing = Tls::from_pem_files(&fixture("absent.pem"), &fixture("server.key")).expect_err("missing");
    assert!(missing.contains("absent.pem"), "{missing}");
}
