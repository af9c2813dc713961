//! The background worker: moves sessions through their lifecycle as the clock
//! and attendance dictate, delivers due messages from the outbox, and expires contracts
//! left unanswered.

use std::time::Duration;

use serde_json::json;
use uuid::Uuid;

use super::lifecycle::{advance, SessionStatus};
use super::store;
use crate::audit::{self, AuditEvent};
use crate::mail::Outgoing;
use crate::state::AppState;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TickReport {
    pub sessions_advanced: usize,
    pub messages_sent: usize,
    pub messages_skipped: usize,
    pub contracts_expired: usize,
}

/// Runs `tick` every `every` until the process ends.
pub async fn run(state: AppState, every: Duration) {
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match tick(&state).await {
            Ok(r) if r != TickReport::default() => tracing::info!(?r, "worker tick"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "worker tick failed"),
        }
    }
}

/// One pass of the lifecycle and the outbox, at the state's clock.
pub async fn tick(state: &AppState) -> Result<TickReport, sqlx::Error> {
    let mut report = TickReport {
        sessions_advanced: advance_sessions(state).await?,
        contracts_expired: crate::contracts::service::expire_due(state).await?,
        ..TickReport::default()
    };
    let (sent, skipped) = deliver_messages(state).await?;
    report.messages_sent = sent;
    report.messages_skipped = skipped;
    Ok(report)
}

async fn advance_sessions(state: &AppState) -> Result<usize, sqlx::Error> {
    let now = state.now();
    let mut moved = 0;
    for session in store::live(&state.db).await? {
        let Some(next) = advance(&session.facts(), &state.settings.sessions, now) else {
            continue;
        };
        let mut tx = state.db.begin().await?;
        let changed = sqlx::query(
            "UPDATE legal_sessions SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2",
        )
        .bind(session.id)
        .bind(&session.status)
        .bind(next.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 1 {
            let event = AuditEvent {
                actor: None,
                action: match next {
                    SessionStatus::LobbyOpen => "session.lobby_opened",
                    SessionStatus::InProgress => "session.started",
                    SessionStatus::Completed => "session.completed",
                    SessionStatus::NoShow => "session.no_show",
                    SessionStatus::Scheduled | SessionStatus::Cancelled => "session.changed",
                },
                subject_kind: "session",
                subject_id: session.id.to_string(),
                reason: None,
                details: json!({ "from": session.status, "to": next.as_str(), "client_joined": session.client_joined, "lawyer_joined": session.lawyer_joined }),
            };
            audit::record(&mut tx, event, now).await?;
            if next == SessionStatus::Completed {
                crate::ledger::on_completed(&mut tx, session.id, now).await?;
            }
            moved += 1;
        }
        tx.commit().await?;
    }
    Ok(moved)
}

#[derive(sqlx::FromRow)]
struct Due {
    id: Uuid,
    kind: String,
    subject: String,
    body: String,
    ics: Option<String>,
    attempts: i32,
    email: String,
    display_name: String,
    session_revision: Option<i32>,
    current_revision: Option<i32>,
    session_status: Option<String>,
}

/// Attempts before a message is given up as undeliverable.
const MAX_ATTEMPTS: i32 = 8;

/// Messages delivered per tick at most.
const BATCH: usize = 100;

/// Delivers due messages, each in its own short transaction: the row is locked with SKIP
/// LOCKED (so workers never send one twice) and its outcome commits right after its delivery,
/// so a later failure cannot make an already sent message look unsent. Reminders of a session
/// that has since changed or ended are skipped. A failed delivery is retried with exponential
/// backoff, then given up.
async fn deliver_messages(state: &AppState) -> Result<(usize, usize), sqlx::Error> {
    let now = state.now();
    let (mut sent, mut skipped) = (0, 0);
    for _ in 0..BATCH {
        let mut tx = state.db.begin().await?;
        let Some(m): Option<Due> = sqlx::query_as(
            "SELECT m.id, m.kind, m.subject, m.body, m.ics, m.attempts, u.email, u.display_name,
                    m.session_revision, s.revision AS current_revision, s.status AS session_status
             FROM outbox_messages m
             JOIN users u ON u.id = m.recipient_id
             LEFT JOIN legal_sessions s ON s.id = m.session_id
             WHERE m.sent_at IS NULL AND m.skipped_reason IS NULL AND m.available_at <= $1
             ORDER BY m.available_at LIMIT 1 FOR UPDATE OF m SKIP LOCKED",
        )
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        else {
            break;
        };
        let stale = m.kind.starts_with("reminder")
            && (m.session_revision != m.current_revision
                || !matches!(
                    m.session_status.as_deref(),
                    Some("scheduled" | "lobby_open")
                ));
        if stale {
            sqlx::query(
                "UPDATE outbox_messages SET skipped_reason = 'session changed' WHERE id = $1",
            )
            .bind(m.id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            skipped += 1;
            continue;
        }
        let outgoing = Outgoing {
            to_name: &m.display_name,
            to_email: &m.email,
            subject: &m.subject,
            body: &m.body,
            ics: m.ics.as_deref(),
        };
        match state.services.mail.deliver(outgoing).await {
            Ok(()) => {
                sqlx::query("UPDATE outbox_messages SET sent_at = $2, attempts = attempts + 1 WHERE id = $1").bind(m.id).bind(now).execute(&mut *tx).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(message = %m.id, attempts = m.attempts + 1, error = %e, "delivery failed");
                let retry_at = now + chrono::Duration::minutes(1 << m.attempts.clamp(0, 6));
                sqlx::query(
                    "UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2, available_at = $3,
                         skipped_reason = CASE WHEN attempts + 1 >= $4 THEN 'undeliverable' END
                     WHERE id = $1",
                )
                .bind(m.id)
                .bind(&e)
                .bind(retry_at)
                .bind(MAX_ATTEMPTS)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
    }
    Ok((sent, skipped))
}
