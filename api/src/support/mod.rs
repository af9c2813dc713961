//! Support: a contact form, no-show reports with the attendance attached, and
//! the admins' queue where each ticket is resolved with an outcome.

mod admin;
mod routes;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(routes::router())
        .merge(admin::router())
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Ticket {
    pub id: Uuid,
    pub author_id: Uuid,
    pub author_name: String,
    pub session_id: Option<Uuid>,
    /// `contact` or `no_show`.
    pub kind: String,
    pub subject: String,
    pub body: String,
    /// For no-show reports: who joined and left the room, and when.
    pub attendance: Option<serde_json::Value>,
    /// `open` or `resolved`.
    pub status: String,
    /// `refund_client`, `pay_lawyer`, `warn` or `dismiss`.
    pub outcome: Option<String>,
    pub resolution_note: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT t.id, t.author_id, u.display_name AS author_name, t.session_id, t.kind, t.subject, t.body,
        t.attendance, t.status, t.outcome, t.resolution_note, t.resolved_at, t.created_at
     FROM support_tickets t JOIN users u ON u.id = t.author_id";

async fn get(db: &sqlx::PgPool, id: Uuid) -> Result<Option<Ticket>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}
