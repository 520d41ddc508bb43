//! Profiles as a user keeps them: two accounts in one config file, each against its own server,
//! chosen by `--profile`, `BLNK_PROFILE` or `default_profile`; a key printed by a command; a
//! read-only profile; and `config` still explaining a broken file.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use blnk_alerts::config::ApiKey;
use blnk_alerts::server::{self, Database, RunningServer, ServerOptions};
use common::LIMIT;
use common::cli::{Run, run};

const BALANCE: &str = "bln_20f02af6-3728-4d37-9b5a-c7ed080f09df";
const STAGING_KEY: &str = "blnk_staging_key_9f8e7d6c5b4a";
const PROD_KEY: &str = "blnk_prod_canary_1a2b3c4d5e6f";

async fn server_with(key: &str) -> RunningServer {
    let options =
        ServerOptions { database: Database::Memory, seed: None, api_key: ApiKey::new(key), ..ServerOptions::demo() };
    server::start(options).await.expect("server starts")
}

/// Writes the config file (owner-only) where the binary looks for it.
fn write_config(home: &Path, text: &str) -> std::path::PathBuf {
    let dir = home.join("config").join("blnk-alerts");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let file = dir.join("config.toml");
    std::fs::write(&file, text).expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    file
}

fn titles(out: &Run) -> Vec<String> {
    let alerts: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap_or_else(|_| panic!("{}", out.stderr));
    alerts.iter().filter_map(|a| a["title"].as_str().map(str::to_owned)).collect()
}

#[tokio::test]
async fn each_profile_talks_to_its_own_server_with_its_own_key() {
    tokio::time::timeout(LIMIT, async {
        let (staging, prod) = (server_with(STAGING_KEY).await, server_with(PROD_KEY).await);
        let home = tempfile::tempdir().expect("temp dir");
        let key_file = home.path().join("prod.key");
        std::fs::write(&key_file, format!("{PROD_KEY}\nlogin: ops\n")).expect("key file");
        write_config(
            home.path(),
            &format!(
                "default_profile = \"staging\"\n\n[profiles.staging]\napi_url = \"{}\"\napi_key = \"{STAGING_KEY}\"\n\
                 colour = \"green\"\n\n[profiles.prod]\napi_url = \"{}\"\napi_key_command = [\"cat\", \"{}\"]\n\
                 colour = \"red\"\nme = [\"Ada Okafor\", \"usr_12\"]\n",
                staging.base_url(),
                prod.base_url(),
                key_file.display()
            ),
        );
        let path = std::env::var("PATH").unwrap_or_default();
        let env = [("PATH", path.as_str())];
        let dir = home.path();
        let flag = |profile: &'static str, title: &'static str| {
            let args =
                ["--profile", profile, "flag", BALANCE, "--title", title, "--description", "d", "--output", "json"];
            async move { run(&args, &env, dir, None).await }
        };
        let on_staging = flag("staging", "On staging").await;
        assert_eq!(on_staging.code, 0, "{}", on_staging.stderr);
        let on_prod = flag("prod", "On prod").await;
        assert_eq!(on_prod.code, 0, "{}", on_prod.stderr);

        // default_profile, then BLNK_PROFILE over it, then --profile over both.
        let default = run(&["list", "--output", "json"], &env, home.path(), None).await;
        assert_eq!(titles(&default), ["On staging"]);
        let by_env = [("PATH", path.as_str()), ("BLNK_PROFILE", "prod")];
        assert_eq!(titles(&run(&["list", "--output", "json"], &by_env, home.path(), None).await), ["On prod"]);
        let by_flag = run(&["--profile", "staging", "list", "--output", "json"], &by_env, home.path(), None).await;
        assert_eq!(titles(&by_flag), ["On staging"]);

        let shown = run(&["config"], &by_env, home.path(), None).await;
        assert_eq!(shown.code, 0, "{}", shown.stderr);
        for line in [
            "profile      prod  (environment BLNK_PROFILE)",
            "profiles     prod (in use), staging",
            "api_key      printed by \"cat\" when connecting  (api_key_command, profile prod)",
            "me           Ada Okafor, usr_12  (profile prod)",
        ] {
            assert!(shown.stdout.contains(line), "{line:?} in:\n{}", shown.stdout);
        }
        assert!(
            shown.stdout.contains(&format!("api_url      {}  (profile prod)", prod.base_url())),
            "{}",
            shown.stdout
        );

        let unknown = run(&["--profile", "qa", "list"], &env, home.path(), None).await;
        assert_eq!(unknown.code, 2);
        assert!(unknown.stderr.contains("no profile \"qa\" (flag --profile)"), "{}", unknown.stderr);
        assert!(unknown.stderr.contains("it defines prod, staging"), "{}", unknown.stderr);

        for out in [&on_staging, &on_prod, &default, &by_flag, &shown, &unknown] {
            for key in [PROD_KEY, STAGING_KEY] {
                assert!(!out.stdout.contains(key) && !out.stderr.contains(key), "a key never shows");
            }
        }
        staging.shutdown().await;
        prod.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn a_failing_key_command_and_a_read_only_profile_send_nothing() {
    tokio::time::timeout(LIMIT, async {
        let server = server_with(STAGING_KEY).await;
        let home = tempfile::tempdir().expect("temp dir");
        write_config(
            home.path(),
            &format!(
                "[profiles.broken]\napi_url = \"{url}\"\napi_key_command = [\"false\"]\n\n\
                 [profiles.silent]\napi_url = \"{url}\"\napi_key_command = [\"true\"]\n\n\
                 [profiles.wall]\napi_url = \"{url}\"\napi_key = \"{STAGING_KEY}\"\nread_only = true\n",
                url = server.base_url()
            ),
        );
        let path = std::env::var("PATH").unwrap_or_default();
        let env = [("PATH", path.as_str())];
        let broken = run(&["--profile", "broken", "list"], &env, home.path(), None).await;
        assert_eq!(broken.code, 2);
        assert!(broken.stderr.contains("api_key_command \"false\" failed (exit status: 1)"), "{}", broken.stderr);
        let silent = run(&["--profile", "silent", "list"], &env, home.path(), None).await;
        assert_eq!(silent.code, 2);
        assert!(silent.stderr.contains("printed nothing"), "{}", silent.stderr);

        let refused = run(&["--profile", "wall", "flag", BALANCE, "--description", "x"], &env, home.path(), None).await;
        assert_eq!(refused.code, 2);
        assert!(refused.stderr.contains("read-only (read_only = true in profile wall)"), "{}", refused.stderr);
        let listed = run(&["--profile", "wall", "list", "--output", "json"], &env, home.path(), None).await;
        assert_eq!(listed.stdout.trim(), "[]", "reading works and nothing was flagged: {}", listed.stderr);
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn config_still_runs_on_a_broken_file_and_says_where() {
    tokio::time::timeout(LIMIT, async {
        let home = tempfile::tempdir().expect("temp dir");
        let file = write_config(home.path(), "api_url = \"https://alerts.example.com\"\ntimeout_secs = \"ten\"\n");
        let env = [("BLNK_API_KEY", PROD_KEY)];
        let shown = run(&["config"], &env, home.path(), None).await;
        assert_eq!(shown.code, 2, "a broken file is an error for scripts");
        let place = format!("config file {}, line 2, column 16", file.display());
        assert!(shown.stdout.contains(&format!("problem      {place}")), "{}", shown.stdout);
        assert!(shown.stderr.contains(&place), "{}", shown.stderr);
        assert!(shown.stdout.contains("api_key      ****5e6f  (environment BLNK_API_KEY)"), "{}", shown.stdout);
        let with_profile = run(&["config"], &[("BLNK_PROFILE", "prod")], home.path(), None).await;
        assert!(
            with_profile.stdout.contains(&format!("problem      {place}")),
            "BLNK_PROFILE too: {}",
            with_profile.stdout
        );
        assert!(!shown.stdout.contains(PROD_KEY) && !shown.stderr.contains(PROD_KEY));

        write_config(home.path(), "[profiles.\"prod/../x\"]\napi_url = \"https://a.example.com\"\n");
        let bad_name = run(&["config"], &[], home.path(), None).await;
        assert!(
            bad_name.stdout.contains("line 1") && bad_name.stdout.contains("may hold only letters"),
            "{}",
            bad_name.stdout
        );

        write_config(home.path(), "default_profile = \"prod\"\n[profiles.staging]\n");
        let missing = run(&["config"], &[], home.path(), None).await;
        assert!(
            missing.stderr.contains("line 1, column 19: default_profile \"prod\" is not defined: it defines staging"),
            "{}",
            missing.stderr
        );

        write_config(home.path(), "[keys]\nflag = \"hyper-x\"\n");
        let bad_keys = run(&["config"], &[], home.path(), None).await;
        assert_eq!(bad_keys.code, 2);
        assert!(
            bad_keys.stdout.contains("api_url") && bad_keys.stdout.contains("line 2, column 8"),
            "{}",
            bad_keys.stdout
        );
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn a_key_never_travels_to_another_accounts_url() {
    tokio::time::timeout(LIMIT, async {
        let server = server_with(PROD_KEY).await;
        let home = tempfile::tempdir().expect("temp dir");
        write_config(
            home.path(),
            &format!(
                "api_url = \"https://staging-alerts.example.com\"\napi_key = \"{STAGING_KEY}\"\n\n\
                 [profiles.prod]\napi_key = \"{PROD_KEY}\"\n\n[profiles.keyless]\napi_url = \"{}\"\n",
                server.base_url()
            ),
        );
        let prod = run(&["--profile", "prod", "list"], &[], home.path(), None).await;
        assert_eq!(prod.code, 2, "{}", prod.stderr);
        assert!(
            prod.stderr.contains("profile prod gives the API key, but the URL would come from config file"),
            "{}",
            prod.stderr
        );
        let env_url = [("BLNK_API_URL", "https://elsewhere.example.com")];
        let prod = run(&["--profile", "prod", "list"], &env_url, home.path(), None).await;
        assert!(prod.stderr.contains("the URL would come from environment BLNK_API_URL"), "{}", prod.stderr);
        let keyless = run(&["--profile", "keyless", "list"], &[], home.path(), None).await;
        assert_eq!(keyless.code, 2);
        assert!(keyless.stderr.contains("profile keyless sets api_url but no key"), "{}", keyless.stderr);
        // Named on the command line, the URL is the user's own choice.
        let url = server.base_url().to_string();
        let chosen =
            run(&["--profile", "prod", "--api-url", &url, "list", "--output", "json"], &[], home.path(), None).await;
        assert_eq!(chosen.code, 0, "{}", chosen.stderr);
        for out in [&prod, &keyless, &chosen] {
            assert!(!out.stderr.contains(PROD_KEY) && !out.stderr.contains(STAGING_KEY));
        }
        server.shutdown().await;
    })
    .await
    .expect("within the time limit");
}

#[tokio::test]
async fn config_keys_prints_the_effective_keymap_ready_to_paste() {
    tokio::time::timeout(LIMIT, async {
        let home = tempfile::tempdir().expect("temp dir");
        write_config(home.path(), "[keys]\nflag = [\"n\", \"ctrl-n\"]\n[keys.form]\nsubmit = \"ctrl-enter\"\n");
        let keys = run(&["config", "keys"], &[], home.path(), None).await;
        assert_eq!(keys.code, 0, "{}", keys.stderr);
        assert!(keys.stdout.starts_with("[keys]\n"), "{}", keys.stdout);
        assert!(keys.stdout.contains("flag = [\"n\", \"ctrl-n\"]"), "{}", keys.stdout);
        assert!(keys.stdout.contains("submit = [\"ctrl-enter\"]"), "{}", keys.stdout);
        // What it prints is itself a valid config file giving the same keymap.
        write_config(home.path(), &keys.stdout);
        let again = run(&["config", "keys"], &[], home.path(), None).await;
        assert_eq!(again.stdout, keys.stdout, "{}", again.stderr);
    })
    .await
    .expect("within the time limit");
}
