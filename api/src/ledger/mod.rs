//! The ledger: lawyers' earnings and partners' commissions in centavos, append-only.
//!
//! A completed session earns the lawyer their whole fee, and the partner who brought
//! the client a share of the platform's service fee; the partner who brought the
//! lawyer earns a flat amount on that lawyer's first completed session. Entries are
//! pending for the rules' hold (the refund window), then approved; a payout takes the
//! approved ones. A refund writes a negative entry for each earning of the session:
//! before payout it cancels the earning, after payout it nets in the next statement.

mod payouts;
mod reports;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use crate::audit::{self, AuditEvent};

pub use reports::router;

/// The commission rules in force.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Rules {
    pub client_service_fee_bps: i32,
    pub lawyer_flat_cents: i64,
    pub hold_days: i32,
}

pub async fn rules(tx: &mut Transaction<'_, Postgres>) -> Result<Rules, sqlx::Error> {
    sqlx::query_as("SELECT client_service_fee_bps, lawyer_flat_cents, hold_days FROM commission_rules ORDER BY id DESC LIMIT 1")
        .fetch_one(&mut **tx)
        .await
}

/// A partner's commission on a referred client's consultation: basis points of the
/// service fee, rounded half up. The lawyer's fee never enters it.
pub fn client_commission(service_fee_cents: i64, bps: i32) -> i64 {
    (service_fee_cents * i64::from(bps) + 5_000) / 10_000
}

#[allow(clippy::too_many_arguments)]
async fn earn(
    tx: &mut Transaction<'_, Postgres>,
    beneficiary: Uuid,
    kind: &str,
    amount: i64,
    payment: Option<Uuid>,
    session: Option<Uuid>,
    referral: Option<Uuid>,
    available_at: DateTime<Utc>,
    memo: String,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    if amount <= 0 {
        return Ok(());
    }
    let id: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO ledger_entries (beneficiary_id, beneficiary_kind, kind, amount_cents, payment_id, session_id, referral_id, available_at, memo, created_at)
         VALUES ($1, $2, 'earned', $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(beneficiary)
    .bind(kind)
    .bind(amount)
    .bind(payment)
    .bind(session)
    .bind(referral)
    .bind(available_at)
    .bind(&memo)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(id) = id {
        let event = AuditEvent::new(None, "ledger.earned", "ledger_entry", id).details(json!({ "beneficiary_id": beneficiary, "amount_cents": amount, "session_id": session, "memo": memo }));
        audit::record(tx, event, now).await?;
    }
    Ok(())
}

/// Writes the earnings of a session that has just completed, in the caller's transaction.
pub async fn on_completed(
    tx: &mut Transaction<'_, Postgres>,
    session: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let paid: Option<(Uuid, Uuid, Uuid, i64, i64)> = sqlx::query_as(
        "SELECT s.client_id, s.lawyer_id, s.payment_id, p.lawyer_fee_cents, p.service_fee_cents
         FROM legal_sessions s JOIN payments p ON p.id = s.payment_id WHERE s.id = $1 AND p.status = 'paid'",
    )
    .bind(session)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((client, lawyer, payment, lawyer_fee, service_fee)) = paid else {
        return Ok(()); // not paid (refunded meanwhile): nothing is earned
    };
    let rules = rules(tx).await?;
    let available = now + Duration::days(rules.hold_days.into());
    earn(
        tx,
        lawyer,
        "lawyer",
        lawyer_fee,
        Some(payment),
        Some(session),
        None,
        available,
        "honorários da consulta".into(),
        now,
    )
    .await?;
    let client_partner: Option<Uuid> = sqlx::query_scalar(
        "SELECT partner_id FROM referrals WHERE referred_user_id = $1 AND referred_role = 'CLIENT'",
    )
    .bind(client)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(partner) = client_partner {
        let amount = client_commission(service_fee, rules.client_service_fee_bps);
        earn(
            tx,
            partner,
            "partner",
            amount,
            Some(payment),
            Some(session),
            None,
            available,
            "comissão: cliente indicado".into(),
            now,
        )
        .await?;
    }
    let lawyer_referral: Option<(Uuid, Uuid)> =
        sqlx::query_as("SELECT id, partner_id FROM referrals WHERE referred_user_id = $1 AND referred_role = 'LAWYER'")
            .bind(lawyer)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some((referral, partner)) = lawyer_referral {
        // Once per referred lawyer (a unique index), on their first completed consultation.
        let memo = "bônus: advogado(a) indicado(a)".to_owned();
        earn(
            tx,
            partner,
            "partner",
            rules.lawyer_flat_cents,
            None,
            None,
            Some(referral),
            available,
            memo,
            now,
        )
        .await?;
    }
    Ok(())
}

/// Reverses every earning tied to a payment that has just been refunded in full.
pub async fn on_refunded(
    tx: &mut Transaction<'_, Postgres>,
    payment: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let earned: Vec<(Uuid, Uuid, String, i64)> = sqlx::query_as(
        "SELECT e.id, e.beneficiary_id, e.beneficiary_kind, e.amount_cents FROM ledger_entries e
         WHERE e.payment_id = $1 AND e.kind = 'earned'
           AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)",
    )
    .bind(payment)
    .fetch_all(&mut **tx)
    .await?;
    for (entry, beneficiary, kind, amount) in earned {
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO ledger_entries (beneficiary_id, beneficiary_kind, kind, amount_cents, payment_id, reverses_id, available_at, memo, created_at)
             VALUES ($1, $2, 'reversal', $3, $4, $5, $6, 'estorno: pagamento reembolsado', $6) RETURNING id",
        )
        .bind(beneficiary)
        .bind(&kind)
        .bind(-amount)
        .bind(payment)
        .bind(entry)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
        let event = AuditEvent::new(None, "ledger.reversed", "ledger_entry", id).because("payment refunded").details(json!({ "reverses": entry, "beneficiary_id": beneficiary, "amount_cents": -amount }));
        audit::record(tx, event, now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commissions_come_from_the_service_fee_only() {
        assert_eq!(
            client_commission(2_000, 2_000),
            400,
            "20 % of a R$ 20 service fee"
        );
        assert_eq!(client_commission(1_235, 2_000), 247, "half up");
        assert_eq!(client_commission(0, 2_000), 0);
    }
}
