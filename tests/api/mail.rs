//! Messages reach a real SMTP server (Python's aiosmtpd on loopback, writing a Maildir).

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

use sqlx::PgPool;
use tribuna_api::scheduling::worker;

use crate::helpers::TestApp;

struct SmtpServer {
    child: Child,
    port: u16,
    maildir: PathBuf,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn smtp_server() -> SmtpServer {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let maildir = std::env::temp_dir().join(format!("tribuna-maildir-{}", uuid::Uuid::new_v4()));
    let child = Command::new("python3")
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(&maildir)
        .spawn()
        .expect("aiosmtpd is installed (scripts/test.sh installs it)");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "aiosmtpd did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    SmtpServer {
        child,
        port,
        maildir,
    }
}

fn delivered(maildir: &Path) -> Vec<String> {
    std::fs::read_dir(maildir.join("new"))
        .map(|d| {
            d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

#[sqlx::test]
async fn confirmations_reach_both_parties_by_smtp_with_the_invitation(db: PgPool) {
    let smtp = smtp_server().await;
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let app = TestApp::spawn_with(db, |s| s.mail.smtp_url = Some(url.into())).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "6001", 20_000).await;
    let client = app.register("CLIENT").await;
    let (session_id, _) = app.booked_session(&client, &lawyer).await;
    let report = worker::tick(&app.state).await.unwrap();
    assert_eq!(report.messages_sent, 2);
    let mails = delivered(&smtp.maildir);
    assert_eq!(mails.len(), 2, "one to the client, one to the lawyer");
    for email in [&client.email, &lawyer.email] {
        let mail = mails
            .iter()
            .find(|m| m.contains("To: \"Test") && m.contains(email.as_str()))
            .expect("a message to each party");
        assert!(mail.contains("Subject: Consulta marcada"), "{mail}");
        assert!(
            mail.contains("text/calendar") && mail.contains(&format!("UID:{session_id}@tribuna")),
            "{mail}"
        );
    }
}

#[sqlx::test]
async fn an_unreachable_smtp_server_delays_messages_without_losing_them(db: PgPool) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = TestApp::spawn_with(db.clone(), |s| s.mail.smtp_url = Some(url.into())).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "6002", 20_000).await;
    let client = app.register("CLIENT").await;
    app.booked_session(&client, &lawyer).await;
    let report = worker::tick(&app.state).await.unwrap();
    assert_eq!(report.messages_sent, 0);
    let (waiting, failed_once): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE sent_at IS NULL AND skipped_reason IS NULL), count(*) FILTER (WHERE attempts = 1 AND last_error IS NOT NULL)
         FROM outbox_messages WHERE kind = 'scheduled'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(
        (waiting, failed_once),
        (2, 2),
        "kept for a retry, with the error"
    );
    worker::tick(&app.state).await.unwrap();
    let attempts: Vec<i32> = sqlx::query_scalar(
        "SELECT attempts FROM outbox_messages WHERE kind = 'scheduled' ORDER BY id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(attempts, [1, 1], "not retried before its backoff");
    // After the backoff it is tried again (and fails again: nothing listens there).
    app.clock
        .set(chrono::Utc::now() + chrono::Duration::minutes(2));
    worker::tick(&app.state).await.unwrap();
    let attempts: Vec<i32> = sqlx::query_scalar(
        "SELECT attempts FROM outbox_messages WHERE kind = 'scheduled' ORDER BY id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(attempts, [2, 2], "retried once its backoff passed");
}
