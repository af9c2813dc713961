//! Messages to people, written in the same transaction as what they announce and
//! delivered later by the worker. Enqueueing twice with one key enqueues once.

use chrono::{DateTime, Duration, Utc};
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use super::calendar;
use super::store::Session;

pub struct Message<'a> {
    pub recipient: Uuid,
    pub kind: &'a str,
    pub subject: String,
    pub body: String,
    pub ics: Option<String>,
    pub session: &'a Session,
    pub available_at: DateTime<Utc>,
}

pub async fn enqueue(
    tx: &mut Transaction<'_, Postgres>,
    m: Message<'_>,
) -> Result<(), sqlx::Error> {
    let key = format!(
        "{}:{}:{}:r{}",
        m.kind, m.session.id, m.recipient, m.session.revision
    );
    sqlx::query(
        "INSERT INTO outbox_messages (recipient_id, kind, subject, body, ics, session_id, session_revision, dedupe_key, available_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(m.recipient)
    .bind(m.kind)
    .bind(m.subject)
    .bind(m.body)
    .bind(m.ics)
    .bind(m.session.id)
    .bind(m.session.revision)
    .bind(key)
    .bind(m.available_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Tells both parties what happened (`kind`: scheduled, rescheduled, cancelled), with
/// the calendar file, and for a live session queues reminders a day and an hour before.
pub async fn announce(
    tx: &mut Transaction<'_, Postgres>,
    session: &Session,
    kind: &str,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let when = session.start.format("%Y-%m-%d %H:%M UTC");
    let link = format!("{public_url}/call/{}", session.id);
    let ics = calendar::ics(session, public_url);
    for recipient in [session.client_id, session.lawyer_id] {
        let (subject, body) = match kind {
            "cancelled" => (
                format!("Consulta cancelada: {when}"),
                format!("A consulta de {when} foi cancelada. / The consultation was cancelled."),
            ),
            "rescheduled" => (
                format!("Consulta remarcada para {when}"),
                format!("Nova data: {when}. Entrar: {link}"),
            ),
            _ => (
                format!("Consulta marcada: {when}"),
                format!("Sua consulta está marcada para {when}. Entrar: {link}"),
            ),
        };
        enqueue(
            tx,
            Message {
                recipient,
                kind,
                subject,
                body,
                ics: Some(ics.clone()),
                session,
                available_at: now,
            },
        )
        .await?;
        if kind == "cancelled" {
            continue;
        }
        for (name, before) in [
            ("reminder_24h", Duration::hours(24)),
            ("reminder_1h", Duration::hours(1)),
        ] {
            let at = session.start - before;
            if at > now {
                let message = Message {
                    recipient,
                    kind: name,
                    subject: format!("Lembrete: consulta em {when}"),
                    body: format!("Sua consulta começa em {when}. Entrar: {link}"),
                    ics: None,
                    session,
                    available_at: at,
                };
                enqueue(tx, message).await?;
            }
        }
    }
    Ok(())
}
