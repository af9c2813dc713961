//! What the API shows of contracts, by who is asking.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::lifecycle::ContractStatus;
use super::store::{AnswerRow, ContractRow, VersionRow};

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractSummary {
    pub id: Uuid,
    /// `consultation_terms` or `fee_agreement`.
    pub kind: String,
    pub title: String,
    pub status: ContractStatus,
    pub lawyer_id: Uuid,
    pub lawyer_name: String,
    pub client_id: Uuid,
    pub client_name: String,
    pub session_id: Option<Uuid>,
    pub current_version: i32,
    /// When the newest sent version expires unanswered.
    pub expires_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ContractSummary {
    pub fn of(c: &ContractRow, now: DateTime<Utc>) -> Self {
        ContractSummary {
            id: c.id,
            kind: c.kind.clone(),
            title: c.title.clone(),
            status: c.status_at(now),
            lawyer_id: c.lawyer_id,
            lawyer_name: c.lawyer_name.clone(),
            client_id: c.client_id,
            client_name: c.client_name.clone(),
            session_id: c.session_id,
            current_version: c.current_version,
            expires_at: c.expires_at,
            end_reason: c.end_reason.clone(),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    pub number: i32,
    /// The exact text; its UTF-8 bytes hash to `body_sha256`.
    pub body: String,
    pub body_sha256: String,
    pub created_at: DateTime<Utc>,
    /// Unset while the version is a draft (only its lawyer sees drafts).
    pub sent_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub superseded_at: Option<DateTime<Utc>>,
    pub pdf_sha256: Option<String>,
}

impl From<VersionRow> for VersionView {
    fn from(v: VersionRow) -> Self {
        VersionView {
            number: v.number,
            body: v.body,
            body_sha256: v.body_sha256,
            created_at: v.created_at,
            sent_at: v.sent_at,
            expires_at: v.expires_at,
            superseded_at: v.superseded_at,
            pdf_sha256: v.pdf_sha256,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerView {
    pub version: i32,
    /// `accepted` or `declined`.
    pub answer: String,
    pub answered_at: DateTime<Utc>,
    pub body_sha256: String,
    pub reason: Option<String>,
    /// Where the answer came from (shown to the client and admins).
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl AnswerView {
    pub fn of(a: AnswerRow, show_origin: bool) -> Self {
        AnswerView {
            version: a.version,
            answer: a.answer,
            answered_at: a.answered_at,
            body_sha256: a.body_sha256,
            reason: a.reason,
            ip: show_origin.then_some(a.ip),
            user_agent: if show_origin { a.user_agent } else { None },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractDetail {
    pub contract: ContractSummary,
    pub versions: Vec<VersionView>,
    pub answer: Option<AnswerView>,
}
