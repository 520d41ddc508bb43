//! `api_key_command`: the key printed by a command such as `pass show blnk/prod`, run without a
//! shell. Its output is the secret, so nothing it prints is ever repeated, and errors name only
//! the program (an argument could be a secret too).

use std::io::IsTerminal;
use std::process::{Command, Stdio};

use super::{ApiKey, ConfigError};

/// Runs `argv` and takes the key from the first line of what it prints (`pass` puts the secret
/// there and notes below it), trimmed.
pub fn run(argv: &[String]) -> Result<ApiKey, ConfigError> {
    let Some((program, arguments)) = argv.split_first().filter(|(p, _)| !p.trim().is_empty()) else {
        return Err(ConfigError(
            "api_key_command is empty: give the program and its arguments, e.g. [\"pass\", \"show\", \"blnk/prod\"]"
                .into(),
        ));
    };
    // Standard input stays the terminal's, so a password manager can ask for its passphrase;
    // piped input is the command's own (`--description -`), never the key command's.
    let stdin = if std::io::stdin().is_terminal() { Stdio::inherit() } else { Stdio::null() };
    let output = Command::new(program)
        .args(arguments)
        .env_remove(super::ENV_API_KEY)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| ConfigError(format!("api_key_command: cannot run {program:?}: {e}")))?;
    if !output.status.success() {
        // What a password manager says on failure ("not in the password store") helps; it is
        // on stderr, never the key, and is cut to one short sanitized line.
        let said = String::from_utf8_lossy(&output.stderr);
        let said = said.lines().map(str::trim).find(|l| !l.is_empty()).map(crate::domain::single_line);
        let said = said.map_or_else(String::new, |s| format!(": {}", crate::format::truncate(&s, 160)));
        return Err(ConfigError(format!("api_key_command {program:?} failed ({}){said}", output.status)));
    }
    let printed = std::str::from_utf8(&output.stdout)
        .map_err(|_| ConfigError(format!("api_key_command {program:?} printed something that is not text")))?;
    let first = printed.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    ApiKey::new(first).ok_or_else(|| {
        ConfigError(format!("api_key_command {program:?} printed nothing: it must print the API key on its first line"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|&p| p.to_owned()).collect()
    }

    #[test]
    fn the_first_line_printed_is_the_key() {
        let key = run(&argv(&["printf", "  blnk_secret_from_a_vault  \nuser: ops\n"])).expect("runs");
        assert_eq!(key.expose(), "blnk_secret_from_a_vault");
    }

    #[test]
    fn failures_are_explained_without_repeating_what_was_printed() {
        let err =
            run(&argv(&["sh", "-c", "echo blnk_leaked; echo 'not in the store' >&2; exit 3"])).expect_err("fails");
        assert!(err.0.contains("\"sh\" failed (exit status: 3): not in the store"), "{err}");
        assert!(!err.0.contains("blnk_leaked"), "{err}");
        let err = run(&argv(&["true"])).expect_err("prints nothing");
        assert!(err.0.contains("printed nothing"), "{err}");
        let err = run(&argv(&["/nonexistent/vault", "blnk_arg_secret"])).expect_err("missing program");
        assert!(err.0.contains("cannot run \"/nonexistent/vault\"") && !err.0.contains("blnk_arg_secret"), "{err}");
        assert!(run(&[]).expect_err("empty").0.contains("is empty"));
    }
}
