//! The real binary, started the way the README starts it: no configuration at all.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn serve_with_zero_configuration_is_ready() {
    // No database URL: `serve` must find or start the local PostgreSQL by itself.
    let mut child = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_tribuna"))
            .arg("serve")
            .env_remove("DATABASE_URL")
            .env_remove("TRIBUNA_DATABASE_URL")
            .env("TRIBUNA_SERVER_BIND", "127.0.0.1:0")
            .env("TRIBUNA_WEB_BUILD", "false")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tribuna starts"),
    );
    let stdout = child.0.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find(|l| l.starts_with("Tribuna is running at "))
    });
    let line = tokio::time::timeout(Duration::from_secs(120), line)
        .await
        .expect("serve printed its URL in time")
        .unwrap()
        .expect("serve printed its URL");
    let url = line.trim_start_matches("Tribuna is running at ").trim();
    assert!(url.starts_with("http://localhost:"), "{url}");
    let ready = reqwest::get(format!("{url}/readyz"))
        .await
        .expect("server answers");
    assert_eq!(ready.status(), reqwest::StatusCode::OK);
}

#[test]
fn a_missing_config_file_is_one_clear_line_and_a_nonzero_exit() {
    let out = Command::new(env!("CARGO_BIN_EXE_tribuna"))
        .args(["--config", "/nonexistent/tribuna.toml", "migrate"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "error: configuration file /nonexistent/tribuna.toml does not exist"
    );
}

#[test]
fn an_unreachable_database_is_named_without_its_password() {
    let out = Command::new(env!("CARGO_BIN_EXE_tribuna"))
        .arg("migrate")
        .env(
            "TRIBUNA_DATABASE_URL",
            "postgres://someone:hunter2secret@127.0.0.1:1/nothing",
        )
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot connect to PostgreSQL as someone@127.0.0.1:1/nothing"),
        "{err}"
    );
    assert!(!err.contains("hunter2secret"), "{err}");
}
