//! Contract routes: thin handlers over `service`.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::lifecycle::{ContractStatus, Step};
use super::service::{self, Evidence};
use super::store::{self, ContractRow};
use super::views::{AnswerView, ContractDetail, ContractSummary, VersionView};
use crate::audit::{self, AuditEvent};
use crate::auth::{Admins, Caller, ClientIp, Clients, Lawyers, Only, Parties};
use crate::domain::{Reason, Role};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, PathParam, QueryParams};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_contracts, draft_contract))
        .routes(routes!(contract))
        .routes(routes!(edit_draft))
        .routes(routes!(new_version))
        .routes(routes!(send))
        .routes(routes!(accept))
        .routes(routes!(decline))
        .routes(routes!(activate))
        .routes(routes!(complete))
        .routes(routes!(terminate))
        .routes(routes!(version_pdf))
        .routes(routes!(version_text))
        .routes(routes!(consultation_terms))
        .routes(routes!(admin_contracts))
}

/// How the caller relates to a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Viewer {
    Lawyer,
    Client,
    Admin,
}

/// The contract if the caller may see it: its lawyer, its client (not while a draft),
/// or an admin. Anyone else is told it does not exist.
async fn visible(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<(ContractRow, Viewer), ApiError> {
    let c = store::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("contract"))?;
    let viewer = if c.lawyer_id == caller.id.0 {
        Viewer::Lawyer
    } else if c.client_id == caller.id.0 && c.status() != ContractStatus::Draft {
        Viewer::Client
    } else if caller.role == Role::Admin {
        Viewer::Admin
    } else {
        return Err(ApiError::not_found("contract"));
    };
    Ok((c, viewer))
}

async fn detail(state: &AppState, caller: &Caller, id: Uuid) -> Result<ContractDetail, ApiError> {
    let (c, viewer) = visible(state, caller, id).await?;
    let versions = store::versions(&state.db, id)
        .await?
        .into_iter()
        .filter(|v| viewer == Viewer::Lawyer || v.sent_at.is_some())
        .map(VersionView::from)
        .collect();
    let answer = store::answer(&state.db, id)
        .await?
        .map(|a| AnswerView::of(a, viewer != Viewer::Lawyer));
    Ok(ContractDetail {
        contract: ContractSummary::of(&c, state.now()),
        versions,
        answer,
    })
}

/// The caller's contracts, newest first (a client's drafts-to-be are not shown).
#[utoipa::path(get, path = "/api/contracts", tag = "contracts",
    responses((status = 200, body = [ContractSummary]), (status = 403, body = ErrorBody)))]
async fn my_contracts(
    State(state): State<AppState>,
    Only(caller, _): Only<Parties>,
) -> Result<Json<Vec<ContractSummary>>, ApiError> {
    let rows = store::of_party(&state.db, caller.id.0, caller.role == Role::Client).await?;
    let now = state.now();
    Ok(Json(
        rows.iter().map(|c| ContractSummary::of(c, now)).collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftBody {
    /// One of the caller's fee agreement templates.
    pub template_id: Uuid,
    /// A held session of the caller's; the client is that session's client.
    pub session_id: Uuid,
}

/// Drafts a fee agreement for the client of a held session, filled from a template.
#[utoipa::path(post, path = "/api/contracts", tag = "contracts", request_body = DraftBody,
    responses((status = 201, body = ContractDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn draft_contract(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
    JsonBody(body): JsonBody<DraftBody>,
) -> Result<(StatusCode, Json<ContractDetail>), ApiError> {
    let id =
        service::draft_fee_agreement(&state, &caller, body.template_id, body.session_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(detail(&state, &caller, id).await?),
    ))
}

/// A contract with its versions and answer: for its parties and admins.
#[utoipa::path(get, path = "/api/contracts/{id}", tag = "contracts", params(("id" = Uuid, Path)),
    responses((status = 200, body = ContractDetail), (status = 404, body = ErrorBody)))]
async fn contract(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<ContractDetail>, ApiError> {
    let shown = detail(&state, &caller, id).await?;
    if caller.role == Role::Admin {
        admin_read(&state, &caller, id, None).await?;
    }
    Ok(Json(shown))
}

/// An admin read a contract (its versions, or one version's file): audited.
async fn admin_read(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    version: Option<i32>,
) -> Result<(), ApiError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let event = AuditEvent::new(
        Some(caller.actor()),
        "contract.read_by_admin",
        "contract",
        id,
    )
    .details(json!({ "version": version }));
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftChange {
    /// Only before the first version is sent.
    pub title: Option<String>,
    pub body: String,
}

/// Changes the unsent version's text. A sent version never changes (409 `version_sent`).
#[utoipa::path(put, path = "/api/contracts/{id}/draft", tag = "contracts", params(("id" = Uuid, Path)),
    request_body = DraftChange,
    responses((status = 200, body = ContractDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn edit_draft(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<DraftChange>,
) -> Result<Json<ContractDetail>, ApiError> {
    service::edit_draft(&state, &caller, id, body.title, &body.body).await?;
    Ok(Json(detail(&state, &caller, id).await?))
}

/// Starts the next version of a sent, unanswered contract (a copy to edit and send).
#[utoipa::path(post, path = "/api/contracts/{id}/versions", tag = "contracts", params(("id" = Uuid, Path)),
    responses((status = 201, body = ContractDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn new_version(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
    PathParam(id): PathParam<Uuid>,
) -> Result<(StatusCode, Json<ContractDetail>), ApiError> {
    service::new_version(&state, &caller, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(detail(&state, &caller, id).await?),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendBody {
    /// Days the client has to answer: 1 to 60 (7 when absent).
    pub expires_in_days: Option<i64>,
}

/// Sends the unsent version to the client: it becomes immutable, its PDF is stored,
/// and any earlier version is superseded.
#[utoipa::path(post, path = "/api/contracts/{id}/send", tag = "contracts", params(("id" = Uuid, Path)),
    request_body = SendBody,
    responses((status = 200, body = ContractDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn send(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<SendBody>,
) -> Result<Json<ContractDetail>, ApiError> {
    let days = body.expires_in_days.unwrap_or(7);
    if !(1..=60).contains(&days) {
        return Err(ApiError::unprocessable(
            "invalid_expires_in_days",
            "expires_in_days: 1 to 60",
        ));
    }
    service::send(&state, &caller, id, chrono::Duration::days(days)).await?;
    Ok(Json(detail(&state, &caller, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// The version read.
    pub version: i32,
    /// The SHA-256 of the text read (as shown with it): the answer is to exactly that text.
    pub body_sha256: String,
    /// Why (declining only).
    pub reason: Option<String>,
}

async fn answer(
    state: AppState,
    caller: Caller,
    id: Uuid,
    body: AnswerBody,
    accept: bool,
    evidence: Evidence,
) -> Result<Json<ContractDetail>, ApiError> {
    let reason = body
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 1000) {
        return Err(ApiError::unprocessable(
            "invalid_reason",
            "reason: at most 1000 characters",
        ));
    }
    let answer = service::Answer {
        version: body.version,
        read_sha256: &body.body_sha256,
        accept,
        reason,
    };
    service::answer(&state, &caller, id, answer, &evidence).await?;
    Ok(Json(detail(&state, &caller, id).await?))
}

/// The client accepts a sent version: who, when, from where and the text's SHA-256 go
/// to the audit log. Expired, superseded or changed versions are refused (409).
#[utoipa::path(post, path = "/api/contracts/{id}/accept", tag = "contracts", params(("id" = Uuid, Path)),
    request_body = AnswerBody,
    responses((status = 200, body = ContractDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn accept(
    State(state): State<AppState>,
    Only(caller, _): Only<Clients>,
    ip: ClientIp,
    headers: HeaderMap,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<AnswerBody>,
) -> Result<Json<ContractDetail>, ApiError> {
    answer(state, caller, id, body, true, Evidence::of(ip.0, &headers)).await
}

/// The client declines a sent version (final for this contract).
#[utoipa::path(post, path = "/api/contracts/{id}/decline", tag = "contracts", params(("id" = Uuid, Path)),
    request_body = AnswerBody,
    responses((status = 200, body = ContractDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn decline(
    State(state): State<AppState>,
    Only(caller, _): Only<Clients>,
    ip: ClientIp,
    headers: HeaderMap,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<AnswerBody>,
) -> Result<Json<ContractDetail>, ApiError> {
    answer(state, caller, id, body, false, Evidence::of(ip.0, &headers)).await
}

/// The lawyer starts the engagement an accepted fee agreement describes.
#[utoipa::path(post, path = "/api/contracts/{id}/activate", tag = "contracts", params(("id" = Uuid, Path)),
    responses((status = 200, body = ContractDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn activate(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<ContractDetail>, ApiError> {
    service::progress(&state, &caller, id, Step::Activate, None).await?;
    Ok(Json(detail(&state, &caller, id).await?))
}

/// The lawyer records the engagement as fulfilled.
#[utoipa::path(post, path = "/api/contracts/{id}/complete", tag = "contracts", params(("id" = Uuid, Path)),
    responses((status = 200, body = ContractDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn complete(
    State(state): State<AppState>,
    Only(caller, _): Only<Lawyers>,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<ContractDetail>, ApiError> {
    service::progress(&state, &caller, id, Step::Complete, None).await?;
    Ok(Json(detail(&state, &caller, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TerminateBody {
    pub reason: String,
}

/// Ends a contract early, with a reason: the lawyer (draft, sent, accepted, active) or
/// the client (accepted, active).
#[utoipa::path(post, path = "/api/contracts/{id}/terminate", tag = "contracts", params(("id" = Uuid, Path)),
    request_body = TerminateBody,
    responses((status = 200, body = ContractDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn terminate(
    State(state): State<AppState>,
    Only(caller, _): Only<Parties>,
    PathParam(id): PathParam<Uuid>,
    JsonBody(body): JsonBody<TerminateBody>,
) -> Result<Json<ContractDetail>, ApiError> {
    let reason = Reason::parse(&body.reason)?;
    service::progress(&state, &caller, id, Step::Terminate, Some(reason.as_str())).await?;
    Ok(Json(detail(&state, &caller, id).await?))
}

async fn sent_version(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    number: i32,
) -> Result<store::VersionRow, ApiError> {
    let (_, viewer) = visible(state, caller, id).await?;
    let v = store::version(&state.db, id, number)
        .await?
        .filter(|v| v.sent_at.is_some())
        .ok_or_else(|| ApiError::not_found("sent version"))?;
    if viewer == Viewer::Admin {
        admin_read(state, caller, id, Some(number)).await?;
    }
    Ok(v)
}

fn download(bytes: Vec<u8>, content_type: &'static str, filename: String) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    r
}

fn store_unreadable(e: anyhow::Error) -> ApiError {
    tracing::error!(error = ?e, "blob store read failed");
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "storage_unavailable",
        "the document store did not answer; try again",
    )
}

/// A sent version's PDF (for its parties and admins; an admin's download is audited).
/// The stored file is checked against the hash recorded when it was sent.
#[utoipa::path(get, path = "/api/contracts/{id}/versions/{number}/pdf", tag = "contracts",
    params(("id" = Uuid, Path), ("number" = i32, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ErrorBody)))]
async fn version_pdf(
    State(state): State<AppState>,
    caller: Caller,
    PathParam((id, number)): PathParam<(Uuid, i32)>,
) -> Result<Response, ApiError> {
    let v = sent_version(&state, &caller, id, number).await?;
    let key = v.pdf_key.expect("sent versions have a PDF");
    let bytes = state
        .services
        .blobs
        .get(&key)
        .await
        .map_err(store_unreadable)?;
    if service::sha256_bytes(&bytes) != v.pdf_sha256.unwrap_or_default() {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "stored PDF {key} does not match the SHA-256 recorded when it was sent"
        )));
    }
    Ok(download(
        bytes,
        "application/pdf",
        format!("contrato-{id}-v{number}.pdf"),
    ))
}

/// A sent version's exact text (UTF-8): `sha256sum` of this file is the version's hash.
#[utoipa::path(get, path = "/api/contracts/{id}/versions/{number}/text", tag = "contracts",
    params(("id" = Uuid, Path), ("number" = i32, Path)),
    responses((status = 200, content_type = "text/plain", body = String), (status = 404, body = ErrorBody)))]
async fn version_text(
    State(state): State<AppState>,
    caller: Caller,
    PathParam((id, number)): PathParam<(Uuid, i32)>,
) -> Result<Response, ApiError> {
    let v = sent_version(&state, &caller, id, number).await?;
    Ok(download(
        v.body.into_bytes(),
        "text/plain; charset=utf-8",
        format!("contrato-{id}-v{number}.txt"),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TermsView {
    pub title: String,
    /// The exact text the client accepts by paying.
    pub body: String,
    /// Send this back with the checkout to accept exactly this text.
    pub body_sha256: String,
}

/// The consultation terms this client accepts when paying this lawyer.
#[utoipa::path(get, path = "/api/lawyers/{id}/consultation-terms", tag = "contracts", params(("id" = Uuid, Path)),
    responses((status = 200, body = TermsView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn consultation_terms(
    State(state): State<AppState>,
    Only(caller, _): Only<Clients>,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<TermsView>, ApiError> {
    let lawyer = crate::lawyers::store::get(&state.db, id)
        .await?
        .filter(crate::lawyers::store::Lawyer::is_listed)
        .ok_or_else(|| ApiError::not_found("lawyer"))?;
    let terms = service::consultation_terms(&state, &lawyer, &caller).await?;
    Ok(Json(TermsView {
        title: terms.title,
        body: terms.body,
        body_sha256: terms.body_sha256,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminContractsQuery {
    /// Only contracts with this status.
    pub status: Option<String>,
}

/// Every contract, newest first (admins read; they never edit).
#[utoipa::path(get, path = "/api/admin/contracts", tag = "admin", params(AdminContractsQuery),
    responses((status = 200, body = [ContractSummary]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn admin_contracts(
    State(state): State<AppState>,
    _admin: Only<Admins>,
    QueryParams(q): QueryParams<AdminContractsQuery>,
) -> Result<Json<Vec<ContractSummary>>, ApiError> {
    if let Some(s) = &q.status {
        if ContractStatus::parse(s).is_none() {
            return Err(ApiError::unprocessable(
                "invalid_status",
                format!("status: unknown contract status {s:?}"),
            ));
        }
    }
    let rows = store::all(&state.db, q.status.as_deref()).await?;
    let now = state.now();
    Ok(Json(
        rows.iter().map(|c| ContractSummary::of(c, now)).collect(),
    ))
}
