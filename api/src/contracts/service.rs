//! Contract operations: each one a transaction that checks the lifecycle, writes the
//! change, and records it in the audit log; sending stores the version's text and PDF in
//! the blob store before the transaction commits.

use std::collections::BTreeMap;
use std::net::IpAddr;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::lifecycle::{self, ContractStatus, Step};
use super::pdf::{self, PdfDocument};
use super::store::{self, ContractRow, VersionRow};
use super::template::{
    document_text, document_title, ContractKind, TemplateText, DEFAULT_CONSULTATION_TERMS,
};
use crate::audit::{self, AuditEvent};
use crate::auth::Caller;
use crate::error::{violated_constraint, ApiError};
use crate::lawyers::store::Lawyer;
use crate::state::AppState;

type Tx<'a> = sqlx::Transaction<'a, sqlx::Postgres>;

/// Where an answer came from: the evidence kept with it.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub ip: IpAddr,
    pub user_agent: Option<String>,
}

impl Evidence {
    /// The caller's address and browser (its User-Agent, at most 400 characters).
    pub fn of(ip: IpAddr, headers: &axum::http::HeaderMap) -> Self {
        Evidence {
            ip,
            user_agent: headers
                .get(axum::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.chars().take(400).collect()),
        }
    }
}

pub fn sha256_hex(text: &str) -> String {
    sha256_bytes(text.as_bytes())
}

pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// R$ 1.234,56
pub fn brl(cents: i64) -> String {
    let reais = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in reais.chars().enumerate() {
        if i > 0 && (reais.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("R$ {grouped},{:02}", cents % 100)
}

/// The placeholder values for a document between `lawyer` and the client.
pub fn values(
    lawyer: &Lawyer,
    client_name: &str,
    client_email: &str,
    session_start: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> BTreeMap<&'static str, String> {
    let tz: Tz = lawyer
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::America::Sao_Paulo);
    let mut v = BTreeMap::from([
        ("client_name", client_name.to_owned()),
        ("client_email", client_email.to_owned()),
        ("lawyer_name", lawyer.display_name.clone()),
        (
            "lawyer_oab",
            format!("{}/{}", lawyer.oab_number, lawyer.oab_state),
        ),
        ("fee", brl(lawyer.fee_cents)),
        (
            "consultation_minutes",
            lawyer.consultation_minutes.to_string(),
        ),
        (
            "date",
            now.with_timezone(&tz).format("%d/%m/%Y").to_string(),
        ),
    ]);
    if let Some(start) = session_start {
        v.insert(
            "session_date",
            format!(
                "{} ({tz})",
                start.with_timezone(&tz).format("%d/%m/%Y %H:%M")
            ),
        );
    }
    v
}

/// The consultation terms a client is shown before paying this lawyer.
#[derive(Debug, Clone)]
pub struct Terms {
    pub template_id: Option<Uuid>,
    pub title: String,
    pub body: String,
    pub body_sha256: String,
}

pub async fn consultation_terms(
    state: &AppState,
    lawyer: &Lawyer,
    client: &Caller,
) -> Result<Terms, ApiError> {
    let own: Option<(Uuid, String, String)> = sqlx::query_as(
        "SELECT id, title, body FROM contract_templates
         WHERE lawyer_id = $1 AND kind = 'consultation_terms' AND NOT archived",
    )
    .bind(lawyer.user_id)
    .fetch_optional(&state.db)
    .await?;
    let (template_id, title, text) = match own {
        Some((id, title, body)) => (Some(id), title, body),
        None => (
            None,
            "Termos da consulta jurídica".to_owned(),
            DEFAULT_CONSULTATION_TERMS.to_owned(),
        ),
    };
    let text = TemplateText::parse(ContractKind::ConsultationTerms, &text)?;
    let body = text.fill(&values(
        lawyer,
        &client.display_name,
        &client.email,
        None,
        state.now(),
    ));
    Ok(Terms {
        template_id,
        title,
        body_sha256: sha256_hex(&body),
        body,
    })
}

fn storage_unavailable(e: anyhow::Error) -> ApiError {
    tracing::error!(error = ?e, "blob store write failed");
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "storage_unavailable",
        "the document store did not answer; nothing was sent, try again",
    )
}

pub fn pdf_key(contract: Uuid, number: i32) -> String {
    format!("contracts/{contract}/v{number}.pdf")
}

pub fn text_key(contract: Uuid, number: i32) -> String {
    format!("contracts/{contract}/v{number}.txt")
}

/// Renders a version being sent, stores its exact text and its PDF, and returns the
/// PDF's key and SHA-256.
async fn store_files(
    state: &AppState,
    contract: Uuid,
    title: &str,
    number: i32,
    body: &str,
    body_sha256: &str,
    sent_at: DateTime<Utc>,
) -> Result<(String, String), ApiError> {
    let version_line = format!(
        "Versão {number} - enviada em {} UTC - contrato {contract}",
        sent_at.format("%d/%m/%Y %H:%M")
    );
    let bytes = pdf::render(&PdfDocument {
        title,
        version_line: &version_line,
        body,
        body_sha256,
    });
    let blobs = &state.services.blobs;
    blobs
        .put(&text_key(contract, number), body.as_bytes())
        .await
        .map_err(storage_unavailable)?;
    let key = pdf_key(contract, number);
    blobs.put(&key, &bytes).await.map_err(storage_unavailable)?;
    Ok((key, sha256_bytes(&bytes)))
}

/// Consultation terms whose text and PDF are in the blob store, ready to be recorded as
/// accepted. Stored before the checkout's transaction opens, so no lock is held while the
/// store answers.
pub struct StoredTerms {
    pub contract_id: Uuid,
    pub terms: Terms,
    pdf_key: String,
    pdf_sha256: String,
}

pub async fn store_terms(
    state: &AppState,
    terms: Terms,
    now: DateTime<Utc>,
) -> Result<StoredTerms, ApiError> {
    let contract_id = Uuid::new_v4();
    let (pdf_key, pdf_sha256) = store_files(
        state,
        contract_id,
        &terms.title,
        1,
        &terms.body,
        &terms.body_sha256,
        now,
    )
    .await?;
    Ok(StoredTerms {
        contract_id,
        terms,
        pdf_key,
        pdf_sha256,
    })
}

/// Records the consultation terms a client accepted while starting a checkout: one
/// contract with one sent version and its acceptance, inside the checkout's transaction.
pub async fn accept_terms_at_checkout(
    tx: &mut Tx<'_>,
    stored: &StoredTerms,
    payment_id: Uuid,
    lawyer_id: Uuid,
    caller: &Caller,
    evidence: &Evidence,
    now: DateTime<Utc>,
) -> Result<Uuid, ApiError> {
    let (id, terms) = (stored.contract_id, &stored.terms);
    let (pdf_key, pdf_sha256) = (&stored.pdf_key, &stored.pdf_sha256);
    sqlx::query(
        "INSERT INTO contracts (id, kind, lawyer_id, client_id, payment_id, template_id, title, status, created_at, updated_at)
         VALUES ($1, 'consultation_terms', $2, $3, $4, $5, $6, 'accepted', $7, $7)",
    )
    .bind(id)
    .bind(lawyer_id)
    .bind(caller.id.0)
    .bind(payment_id)
    .bind(terms.template_id)
    .bind(&terms.title)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    insert_sent_version(
        tx,
        id,
        1,
        &terms.body,
        &terms.body_sha256,
        now,
        None,
        pdf_key,
        pdf_sha256,
    )
    .await?;
    let answer = Answer {
        version: 1,
        read_sha256: &terms.body_sha256,
        accept: true,
        reason: None,
    };
    record_answer(tx, id, caller, answer, evidence, now).await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn insert_sent_version(
    tx: &mut Tx<'_>,
    contract: Uuid,
    number: i32,
    body: &str,
    body_sha256: &str,
    now: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    pdf_key: &str,
    pdf_sha256: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO contract_versions (contract_id, number, body, body_sha256, created_at, sent_at, expires_at, pdf_key, pdf_sha256)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
    )
    .bind(contract)
    .bind(number)
    .bind(body)
    .bind(body_sha256)
    .bind(now)
    .bind(expires_at)
    .bind(pdf_key)
    .bind(pdf_sha256)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records the answer (whose `read_sha256` is the version's own) and its audit entry.
async fn record_answer(
    tx: &mut Tx<'_>,
    contract: Uuid,
    caller: &Caller,
    a: Answer<'_>,
    evidence: &Evidence,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let (accepted, version, body_sha256, reason) = (a.accept, a.version, a.read_sha256, a.reason);
    let answer = if accepted { "accepted" } else { "declined" };
    sqlx::query(
        "INSERT INTO contract_answers (contract_id, client_id, version, body_sha256, answer, answered_at, ip, user_agent, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7::inet, $8, $9)",
    )
    .bind(contract)
    .bind(caller.id.0)
    .bind(version)
    .bind(body_sha256)
    .bind(answer)
    .bind(now)
    .bind(evidence.ip.to_string())
    .bind(&evidence.user_agent)
    .bind(reason)
    .execute(&mut **tx)
    .await
    .map_err(|e| match violated_constraint(&e) {
        Some("contract_answers_pkey") => {
            ApiError::conflict("already_answered", "this contract was already answered")
        }
        _ => e.into(),
    })?;
    let action = if accepted {
        "contract.accepted"
    } else {
        "contract.declined"
    };
    let mut event =
        AuditEvent::new(Some(caller.actor()), action, "contract", contract).details(json!({
            "version": version,
            "body_sha256": body_sha256,
            "answered_at": now,
            "ip": evidence.ip.to_string(),
            "user_agent": evidence.user_agent,
        }));
    if let Some(r) = reason {
        event = event.because(r);
    }
    audit::record(tx, event, now).await?;
    Ok(())
}

/// A new fee agreement, as a draft filled from `template` and the held session.
pub async fn draft_fee_agreement(
    state: &AppState,
    caller: &Caller,
    template_id: Uuid,
    session_id: Uuid,
) -> Result<Uuid, ApiError> {
    let template: Option<(String, String, String)> = sqlx::query_as(
        "SELECT kind, title, body FROM contract_templates WHERE id = $1 AND lawyer_id = $2 AND NOT archived",
    )
    .bind(template_id)
    .bind(caller.id.0)
    .fetch_optional(&state.db)
    .await?;
    let (kind, title, text) = template.ok_or_else(|| ApiError::not_found("template"))?;
    if kind != ContractKind::FeeAgreement.as_str() {
        return Err(ApiError::unprocessable(
            "not_a_fee_agreement",
            "only a fee agreement template is sent after a session; consultation terms are accepted at checkout",
        ));
    }
    let session = crate::scheduling::store::get(&state.db, session_id)
        .await?
        .filter(|s| s.lawyer_id == caller.id.0)
        .ok_or_else(|| ApiError::not_found("session"))?;
    if session.status != "completed" {
        return Err(ApiError::conflict(
            "session_not_held",
            format!(
                "a fee agreement follows a held session; this one is {}",
                session.status
            ),
        ));
    }
    let lawyer = crate::lawyers::store::get(&state.db, caller.id.0)
        .await?
        .ok_or_else(|| ApiError::not_found("lawyer profile"))?;
    let (client_name, client_email): (String, String) =
        sqlx::query_as("SELECT display_name, email FROM users WHERE id = $1")
            .bind(session.client_id)
            .fetch_one(&state.db)
            .await?;
    let now = state.now();
    let text = TemplateText::parse(ContractKind::FeeAgreement, &text)?;
    let body = text.fill(&values(
        &lawyer,
        &client_name,
        &client_email,
        Some(session.start),
        now,
    ));
    let id = Uuid::new_v4();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO contracts (id, kind, lawyer_id, client_id, session_id, template_id, title, status, created_at, updated_at)
         VALUES ($1, 'fee_agreement', $2, $3, $4, $5, $6, 'draft', $7, $7)",
    )
    .bind(id)
    .bind(caller.id.0)
    .bind(session.client_id)
    .bind(session.id)
    .bind(template_id)
    .bind(&title)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    insert_draft(&mut tx, id, 1, &body, now).await?;
    let event = AuditEvent::new(Some(caller.actor()), "contract.drafted", "contract", id).details(
        json!({ "kind": "fee_agreement", "session_id": session.id, "template_id": template_id }),
    );
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert_draft(
    tx: &mut Tx<'_>,
    contract: Uuid,
    number: i32,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO contract_versions (contract_id, number, body, body_sha256, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(contract)
    .bind(number)
    .bind(body)
    .bind(sha256_hex(body))
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(|e| match violated_constraint(&e) {
        Some("contract_versions_one_draft") => ApiError::conflict(
            "draft_exists",
            "this contract already has an unsent version; edit that one",
        ),
        _ => e.into(),
    })?;
    Ok(())
}

/// The contract, locked, when `caller` is its lawyer.
async fn lawyers_contract(
    tx: &mut Tx<'_>,
    caller: &Caller,
    id: Uuid,
) -> Result<ContractRow, ApiError> {
    store::lock(tx, id)
        .await?
        .filter(|c| c.lawyer_id == caller.id.0)
        .ok_or_else(|| ApiError::not_found("contract"))
}

fn refused(e: lifecycle::Refused) -> ApiError {
    ApiError::conflict("contract_status", e.to_string())
}

fn sent_version_immutable(number: i32) -> ApiError {
    ApiError::conflict(
        "version_sent",
        format!(
            "version {number} was sent and can no longer change; start version {} to change the text",
            number + 1
        ),
    )
}

/// Replaces the text of the contract's unsent version.
pub async fn edit_draft(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    title: Option<String>,
    body: &str,
) -> Result<(), ApiError> {
    let body = document_text(body)?;
    let title = title.as_deref().map(document_title).transpose()?;
    let mut tx = state.db.begin().await?;
    let contract = lawyers_contract(&mut tx, caller, id).await?;
    let status = contract.status_at(state.now());
    if !matches!(status, ContractStatus::Draft | ContractStatus::Sent) {
        return Err(ApiError::conflict(
            "contract_status",
            format!("a {} contract is not edited", status.as_str()),
        ));
    }
    let Some(draft) = store::draft(&mut *tx, id).await? else {
        return Err(sent_version_immutable(contract.current_version));
    };
    sqlx::query(
        "UPDATE contract_versions SET body = $3, body_sha256 = $4 WHERE contract_id = $1 AND number = $2",
    )
    .bind(id)
    .bind(draft.number)
    .bind(body)
    .bind(sha256_hex(body))
    .execute(&mut *tx)
    .await?;
    if let Some(title) = title {
        if contract.status() != ContractStatus::Draft {
            return Err(ApiError::conflict(
                "title_fixed",
                "the title was sent with version 1 and stays; change the text only",
            ));
        }
        sqlx::query("UPDATE contracts SET title = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(title)
            .bind(state.now())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Starts the next version of a sent, unanswered contract, as a copy of the last one.
pub async fn new_version(state: &AppState, caller: &Caller, id: Uuid) -> Result<i32, ApiError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let contract = lawyers_contract(&mut tx, caller, id).await?;
    if contract.status_at(now) != ContractStatus::Sent {
        return Err(ApiError::conflict(
            "contract_status",
            format!(
                "only a sent, unanswered contract gets a new version; this one is {}",
                contract.status_at(now).as_str()
            ),
        ));
    }
    let last = store::version(&mut *tx, id, contract.current_version)
        .await?
        .ok_or_else(|| ApiError::not_found("version"))?;
    let number = last.number + 1;
    insert_draft(&mut tx, id, number, &last.body, now).await?;
    tx.commit().await?;
    Ok(number)
}

/// Sends the unsent version: stores its text and PDF, supersedes the previous one.
pub async fn send(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    expires_in: chrono::Duration,
) -> Result<i32, ApiError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let contract = lawyers_contract(&mut tx, caller, id).await?;
    let to = lifecycle::next(contract.status_at(now), Step::Send).map_err(refused)?;
    let Some(draft) = store::draft(&mut *tx, id).await? else {
        return Err(ApiError::conflict(
            "nothing_to_send",
            format!(
                "version {} was already sent; start a new version to change it",
                contract.current_version
            ),
        ));
    };
    let expires_at = now + expires_in;
    let (pdf_key, pdf_sha256) = store_files(
        state,
        id,
        &contract.title,
        draft.number,
        &draft.body,
        &draft.body_sha256,
        now,
    )
    .await?;
    let superseded = sqlx::query(
        "UPDATE contract_versions SET superseded_at = $2
         WHERE contract_id = $1 AND sent_at IS NOT NULL AND superseded_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "UPDATE contract_versions SET sent_at = $3, expires_at = $4, pdf_key = $5, pdf_sha256 = $6
         WHERE contract_id = $1 AND number = $2",
    )
    .bind(id)
    .bind(draft.number)
    .bind(now)
    .bind(expires_at)
    .bind(&pdf_key)
    .bind(&pdf_sha256)
    .execute(&mut *tx)
    .await?;
    store::set_status(&mut tx, id, to, None, now).await?;
    let event =
        AuditEvent::new(Some(caller.actor()), "contract.sent", "contract", id).details(json!({
            "version": draft.number,
            "body_sha256": draft.body_sha256,
            "pdf_sha256": pdf_sha256,
            "expires_at": expires_at,
            "superseded_previous": superseded > 0,
            "client_id": contract.client_id,
        }));
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(draft.number)
}

/// A client's answer as sent: to `version`, having read text whose SHA-256 is `read_sha256`.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    pub version: i32,
    pub read_sha256: &'a str,
    pub accept: bool,
    pub reason: Option<&'a str>,
}

/// The client accepts or declines a version.
pub async fn answer(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    a: Answer<'_>,
    evidence: &Evidence,
) -> Result<ContractStatus, ApiError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let contract = store::lock(&mut tx, id)
        .await?
        .filter(|c| c.client_id == caller.id.0 && c.status() != ContractStatus::Draft)
        .ok_or_else(|| ApiError::not_found("contract"))?;
    let v: VersionRow = store::version(&mut *tx, id, a.version)
        .await?
        .filter(|v| v.sent_at.is_some())
        .ok_or_else(|| ApiError::not_found("version"))?;
    let to = lifecycle::check_answer(contract.status(), &v.facts(), a.read_sha256, a.accept, now)
        .map_err(|e| ApiError::conflict(e.code(), e.to_string()))?;
    store::set_status(&mut tx, id, to, None, now).await?;
    let exact = Answer {
        read_sha256: &v.body_sha256,
        ..a
    };
    record_answer(&mut tx, id, caller, exact, evidence, now).await?;
    tx.commit().await?;
    Ok(to)
}

/// Activates, completes or terminates a contract.
pub async fn progress(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    step: Step,
    reason: Option<&str>,
) -> Result<ContractStatus, ApiError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let contract = store::lock(&mut tx, id)
        .await?
        .filter(|c| {
            c.lawyer_id == caller.id.0
                || (step == Step::Terminate
                    && c.client_id == caller.id.0
                    && c.status() != ContractStatus::Draft)
        })
        .ok_or_else(|| ApiError::not_found("contract"))?;
    if step == Step::Terminate
        && contract.client_id == caller.id.0
        && contract.status_at(now) == ContractStatus::Sent
    {
        return Err(ApiError::conflict(
            "decline_instead",
            "a contract waiting for your answer is declined, not terminated",
        ));
    }
    if contract.kind == ContractKind::ConsultationTerms.as_str() {
        return Err(ApiError::conflict(
            "follows_session",
            "consultation terms follow their session: they end when it is held, cancelled or missed",
        ));
    }
    let to = lifecycle::next(contract.status_at(now), step).map_err(refused)?;
    let ended = (step == Step::Terminate).then(|| (caller.id.0, reason.unwrap_or_default()));
    store::set_status(&mut tx, id, to, ended, now).await?;
    let action = match step {
        Step::Activate => "contract.activated",
        Step::Complete => "contract.completed",
        _ => "contract.terminated",
    };
    let mut event = AuditEvent::new(Some(caller.actor()), action, "contract", id);
    if let Some(r) = reason {
        event = event.because(r);
    }
    audit::record(&mut tx, event, now).await?;
    tx.commit().await?;
    Ok(to)
}

/// Marks sent contracts whose version expired unanswered; returns how many.
pub async fn expire_due(state: &AppState) -> Result<usize, sqlx::Error> {
    let now = state.now();
    let mut expired = 0;
    for id in store::due_to_expire(&state.db, now).await? {
        let mut tx = state.db.begin().await?;
        let changed = sqlx::query(
            "UPDATE contracts SET status = 'expired', updated_at = $2 WHERE id = $1 AND status = 'sent'",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 1 {
            let event = AuditEvent::new(None, "contract.expired", "contract", id)
                .because("no answer before the version's expiry");
            audit::record(&mut tx, event, now).await?;
            expired += 1;
        }
        tx.commit().await?;
    }
    Ok(expired)
}

#[cfg(test)]
mod tests {
    use super::brl;

    #[test]
    fn reais_are_grouped_with_dots_and_a_decimal_comma() {
        assert_eq!(brl(5), "R$ 0,05");
        assert_eq!(brl(25000), "R$ 250,00");
        assert_eq!(brl(123456789), "R$ 1.234.567,89");
    }
}
