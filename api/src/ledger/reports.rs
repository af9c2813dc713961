//! Statements from the ledger: the lawyer's earnings, the partner's report (with
//! CSV), and the commission rules admins set.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::payouts;
use crate::audit::{self, AuditEvent};
use crate::auth::{Admins, Lawyers, Only, Partners};
use crate::domain::DomainError;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, QueryParams};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lawyer_statement))
        .routes(routes!(partner_report))
        .routes(routes!(get_rules, put_rules))
        .merge(payouts::router())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// Start (RFC 3339); default 30 days ago.
    from: Option<DateTime<Utc>>,
    /// End; default now.
    to: Option<DateTime<Utc>>,
    /// `json` (default) or `csv`.
    format: Option<String>,
}

impl Period {
    fn bounds(&self, now: DateTime<Utc>) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
        let to = self.to.unwrap_or(now);
        let from = self.from.unwrap_or(to - Duration::days(30));
        if from >= to || to - from > Duration::days(400) {
            return Err(ApiError::bad_request(
                "invalid_query",
                "from must be before to, at most 400 days apart",
            ));
        }
        Ok((from, to))
    }
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct EntryView {
    pub id: Uuid,
    /// `earned`, `reversal`, `adjustment`.
    pub kind: String,
    pub amount_cents: i64,
    /// `pending` (in the hold), `approved` (payable), `in_payout`, `paid`.
    pub state: String,
    pub memo: String,
    pub session_id: Option<Uuid>,
    pub payout_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub available_at: DateTime<Utc>,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Totals {
    pub pending_cents: i64,
    pub approved_cents: i64,
    pub in_payout_cents: i64,
    pub paid_cents: i64,
    /// Everything earned less everything reversed, in the period.
    pub net_cents: i64,
}

impl Totals {
    fn of(entries: &[EntryView]) -> Totals {
        let mut t = Totals::default();
        for e in entries {
            match e.state.as_str() {
                "pending" => t.pending_cents += e.amount_cents,
                "approved" => t.approved_cents += e.amount_cents,
                "in_payout" => t.in_payout_cents += e.amount_cents,
                _ => t.paid_cents += e.amount_cents,
            }
            t.net_cents += e.amount_cents;
        }
        t
    }
}

pub(super) async fn entries(
    db: &PgPool,
    beneficiary: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<EntryView>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.id, e.kind, e.amount_cents, e.memo, e.session_id, e.payout_id, e.created_at, e.available_at,
                CASE WHEN p.status = 'paid' THEN 'paid' WHEN e.payout_id IS NOT NULL THEN 'in_payout'
                     WHEN e.available_at <= $4 THEN 'approved' ELSE 'pending' END AS state
         FROM ledger_entries e LEFT JOIN payouts p ON p.id = e.payout_id
         WHERE e.beneficiary_id = $1 AND e.created_at >= $2 AND e.created_at < $3
         ORDER BY e.created_at, e.id",
    )
    .bind(beneficiary)
    .bind(from)
    .bind(to)
    .bind(now)
    .fetch_all(db)
    .await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Statement {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub totals: Totals,
    pub entries: Vec<EntryView>,
}

/// The calling lawyer's earnings statement for a period.
#[utoipa::path(get, path = "/api/lawyer/statement", tag = "ledger", params(Period),
    responses((status = 200, body = Statement), (status = 403, body = ErrorBody)))]
async fn lawyer_statement(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
    QueryParams(p): QueryParams<Period>,
) -> Result<Json<Statement>, ApiError> {
    let now = state.now();
    let (from, to) = p.bounds(now)?;
    let entries = entries(&state.db, caller.id.0, from, to, now).await?;
    Ok(Json(Statement {
        from,
        to,
        totals: Totals::of(&entries),
        entries,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerReport {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Visits with one of the partner's invite codes.
    pub clicks: i64,
    pub signups: i64,
    pub referred_clients: i64,
    pub referred_lawyers: i64,
    /// Consultations paid by clients the partner brought.
    pub paid_consultations: i64,
    pub commissions: Totals,
    pub entries: Vec<EntryView>,
}

/// The calling partner's report for a period: clicks, sign-ups, referred people, paid
/// consultations and commissions (pending, approved, paid). `format=csv` gives the entries as CSV.
#[utoipa::path(get, path = "/api/partner/reports", tag = "ledger", params(Period),
    responses((status = 200, body = PartnerReport), (status = 403, body = ErrorBody)))]
async fn partner_report(
    State(state): State<AppState>,
    Only(caller, _): Only<Partners>,
    QueryParams(p): QueryParams<Period>,
) -> Result<Response, ApiError> {
    let now = state.now();
    let (from, to) = p.bounds(now)?;
    let partner = caller.id.0;
    let entries = entries(&state.db, partner, from, to, now).await?;
    if p.format.as_deref() == Some("csv") {
        let mut csv =
            String::from("created_at,kind,state,amount_cents,memo,session_id,payout_id\n");
        for e in &entries {
            let opt = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
            csv.push_str(&format!(
                "{},{},{},{},\"{}\",{},{}\n",
                e.created_at.to_rfc3339(),
                e.kind,
                e.state,
                e.amount_cents,
                e.memo.replace('"', "\"\""),
                opt(e.session_id),
                opt(e.payout_id)
            ));
        }
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"relatorio.csv\"",
                ),
            ],
            csv,
        )
            .into_response());
    }
    // The counters, in one round trip (only the JSON report shows them).
    let (clicks, clients, lawyers, paid): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT
           (SELECT count(*) FROM invite_visits v JOIN invite_codes c ON c.id = v.code_id
             WHERE c.partner_id = $1 AND v.at >= $2 AND v.at < $3),
           (SELECT count(*) FROM referrals WHERE partner_id = $1 AND referred_role = 'CLIENT'
             AND created_at >= $2 AND created_at < $3),
           (SELECT count(*) FROM referrals WHERE partner_id = $1 AND referred_role = 'LAWYER'
             AND created_at >= $2 AND created_at < $3),
           (SELECT count(*) FROM payments p JOIN referrals r ON r.referred_user_id = p.client_id AND r.referred_role = 'CLIENT'
             WHERE r.partner_id = $1 AND p.paid_at >= $2 AND p.paid_at < $3 AND p.status IN ('paid', 'refunded'))",
    )
    .bind(partner)
    .bind(from)
    .bind(to)
    .fetch_one(&state.db)
    .await?;
    let report = PartnerReport {
        from,
        to,
        clicks,
        signups: clients + lawyers,
        referred_clients: clients,
        referred_lawyers: lawyers,
        paid_consultations: paid,
        commissions: Totals::of(&entries),
        entries,
    };
    Ok(Json(report).into_response())
}

#[derive(Debug, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
#[serde(deny_unknown_fields)]
pub struct CommissionRules {
    /// A partner's share of the platform's service fee on consultations of clients they
    /// brought, in basis points (2000 = 20 %). Never a share of a lawyer's fee.
    pub client_service_fee_bps: i32,
    /// A flat amount for each lawyer a partner brought, on that lawyer's first completed consultation.
    pub lawyer_flat_cents: i64,
    /// Days an entry stays pending (the refund window) before it can be paid out.
    pub hold_days: i32,
}

/// The commission rules in force.
#[utoipa::path(get, path = "/api/admin/commission-rules", tag = "admin",
    responses((status = 200, body = CommissionRules), (status = 403, body = ErrorBody)))]
async fn get_rules(
    State(state): State<AppState>,
    _admin: Only<Admins>,
) -> Result<Json<CommissionRules>, ApiError> {
    let rules = sqlx::query_as("SELECT client_service_fee_bps, lawyer_flat_cents, hold_days FROM commission_rules ORDER BY id DESC LIMIT 1")
        .fetch_one(&state.db)
        .await?;
    Ok(Json(rules))
}

/// Sets new commission rules (kept with their history; audited). Applies to earnings from now on.
#[utoipa::path(put, path = "/api/admin/commission-rules", tag = "admin", request_body = CommissionRules,
    responses((status = 200, body = CommissionRules), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_rules(
    State(state): State<AppState>,
    Only(admin, _): Only<Admins>,
    JsonBody(r): JsonBody<CommissionRules>,
) -> Result<Json<CommissionRules>, ApiError> {
    if !(0..=10_000).contains(&r.client_service_fee_bps) {
        return Err(DomainError::new(
            "client_service_fee_bps",
            "0 to 10000 basis points of the service fee",
        )
        .into());
    }
    if !(0..=10_000_000).contains(&r.lawyer_flat_cents) {
        return Err(DomainError::new("lawyer_flat_cents", "0 to 10000000 centavos").into());
    }
    if !(0..=90).contains(&r.hold_days) {
        return Err(DomainError::new("hold_days", "0 to 90 days").into());
    }
    let now = state.now();
    let mut tx = state.db.begin().await?;
    sqlx::query("INSERT INTO commission_rules (client_service_fee_bps, lawyer_flat_cents, hold_days, created_by, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(r.client_service_fee_bps)
        .bind(r.lawyer_flat_cents)
        .bind(r.hold_days)
        .bind(admin.id.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let event = AuditEvent::new(Some(admin.actor()), "commission_rules.changed", "commission_rules", "current").details(json!({ "client_service_fee_bps": r.client_service_fee_bps, "lawyer_flat_cents": r.lawyer_flat_cents, "hold_days": r.hold_days }));
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(Json(r))
}
