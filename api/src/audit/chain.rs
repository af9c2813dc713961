use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The `prev_hash` of the first row.
pub const GENESIS_HASH: [u8; 32] = [0; 32];

/// One row of the audit log as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<String>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub reason: Option<String>,
    pub details: serde_json::Value,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

/// The fields a row's hash covers, in their canonical (RFC 8785) encoding.
#[derive(Serialize)]
struct Canonical<'a> {
    seq: i64,
    at: String,
    actor_id: Option<Uuid>,
    actor_role: Option<&'a str>,
    action: &'a str,
    subject_kind: &'a str,
    subject_id: &'a str,
    reason: Option<&'a str>,
    details: &'a serde_json::Value,
}

/// `SHA-256(prev_hash || JCS(row))`, the value stored in the row's `hash`.
pub fn link_hash(prev_hash: &[u8], row: &AuditRecord) -> [u8; 32] {
    let canonical = Canonical {
        seq: row.seq,
        at: row.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        actor_id: row.actor_id,
        actor_role: row.actor_role.as_deref(),
        action: &row.action,
        subject_kind: &row.subject_kind,
        subject_id: &row.subject_id,
        reason: row.reason.as_deref(),
        details: &row.details,
    };
    let encoded = serde_jcs::to_vec(&canonical).expect("audit rows always serialize");
    let mut hasher = Sha256::new();
    hasher.update(prev_hash);
    hasher.update(&encoded);
    hasher.finalize().into()
}

/// The first thing wrong with a chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainProblem {
    #[error("audit row {found} follows row {previous}: rows are missing or out of order")]
    Gap { previous: i64, found: i64 },
    #[error("audit row {seq}: prev_hash does not match the hash of row {}", seq - 1)]
    BrokenLink { seq: i64 },
    #[error("audit row {seq}: its contents do not match its hash (the row was altered)")]
    Altered { seq: i64 },
}

impl ChainProblem {
    pub fn seq(&self) -> i64 {
        match self {
            ChainProblem::Gap { found, .. } => *found,
            ChainProblem::BrokenLink { seq } | ChainProblem::Altered { seq } => *seq,
        }
    }
}

/// Walks rows in `seq` order, one at a time, so a long log never sits in memory.
#[derive(Debug, Clone)]
pub struct ChainWalker {
    last_seq: i64,
    last_hash: Vec<u8>,
}

impl Default for ChainWalker {
    fn default() -> Self {
        ChainWalker {
            last_seq: 0,
            last_hash: GENESIS_HASH.to_vec(),
        }
    }
}

impl ChainWalker {
    pub fn step(&mut self, row: &AuditRecord) -> Result<(), ChainProblem> {
        if row.seq != self.last_seq + 1 {
            return Err(ChainProblem::Gap {
                previous: self.last_seq,
                found: row.seq,
            });
        }
        if row.prev_hash != self.last_hash {
            return Err(ChainProblem::BrokenLink { seq: row.seq });
        }
        if link_hash(&row.prev_hash, row).as_slice() != row.hash.as_slice() {
            return Err(ChainProblem::Altered { seq: row.seq });
        }
        self.last_seq = row.seq;
        self.last_hash = row.hash.clone();
        Ok(())
    }

    pub fn rows_checked(&self) -> i64 {
        self.last_seq
    }

    pub fn head_hash(&self) -> &[u8] {
        &self.last_hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut prev = GENESIS_HASH.to_vec();
        (1..=n)
            .map(|seq| {
                let mut row = AuditRecord {
                    seq,
                    at: DateTime::from_timestamp_micros(1_700_000_000_000_000 + seq).unwrap(),
                    actor_id: None,
                    actor_role: None,
                    action: "user.registered".into(),
                    subject_kind: "user".into(),
                    subject_id: format!("u{seq}"),
                    reason: None,
                    details: serde_json::json!({"role": "CLIENT", "n": seq}),
                    prev_hash: prev.clone(),
                    hash: vec![],
                };
                row.hash = link_hash(&prev, &row).to_vec();
                prev = row.hash.clone();
                row
            })
            .collect()
    }

    fn walk(rows: &[AuditRecord]) -> Result<(), ChainProblem> {
        let mut w = ChainWalker::default();
        rows.iter().try_for_each(|r| w.step(r))
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(walk(&chain(5)), Ok(()));
    }

    #[test]
    fn an_altered_row_is_named() {
        let mut rows = chain(5);
        rows[2].details = serde_json::json!({"role": "ADMIN", "n": 3});
        assert_eq!(walk(&rows), Err(ChainProblem::Altered { seq: 3 }));
    }

    #[test]
    fn a_removed_row_is_a_gap() {
        let mut rows = chain(5);
        rows.remove(1);
        assert_eq!(
            walk(&rows),
            Err(ChainProblem::Gap {
                previous: 1,
                found: 3
            })
        );
    }

    #[test]
    fn a_rehashed_row_breaks_the_next_link() {
        let mut rows = chain(5);
        rows[1].subject_id = "forged".into();
        rows[1].hash = link_hash(&rows[1].prev_hash.clone(), &rows[1]).to_vec();
        assert_eq!(walk(&rows), Err(ChainProblem::BrokenLink { seq: 3 }));
    }

    #[test]
    fn key_order_in_details_does_not_change_the_hash() {
        let mut a = chain(1).remove(0);
        let mut b = a.clone();
        a.details = serde_json::from_str(r#"{"x":1,"y":[1,2]}"#).unwrap();
        b.details = serde_json::from_str(r#"{"y":[1,2],"x":1}"#).unwrap();
        assert_eq!(link_hash(&GENESIS_HASH, &a), link_hash(&GENESIS_HASH, &b));
    }
}
