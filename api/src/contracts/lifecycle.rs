//! The contract lifecycle as pure functions: which step may follow which status, and
//! whether a client's answer to a version may be recorded at a given instant.
//!
//! draft → sent → accepted | declined | expired; accepted → active → completed;
//! draft, sent, accepted and active may be terminated. The database enforces the same
//! transitions (`contracts_lifecycle`).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContractStatus {
    Draft,
    Sent,
    Accepted,
    Declined,
    Active,
    Completed,
    Terminated,
    Expired,
}

impl ContractStatus {
    pub fn parse(s: &str) -> Option<Self> {
        use ContractStatus::*;
        Some(match s {
            "draft" => Draft,
            "sent" => Sent,
            "accepted" => Accepted,
            "declined" => Declined,
            "active" => Active,
            "completed" => Completed,
            "terminated" => Terminated,
            "expired" => Expired,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        use ContractStatus::*;
        match self {
            Draft => "draft",
            Sent => "sent",
            Accepted => "accepted",
            Declined => "declined",
            Active => "active",
            Completed => "completed",
            Terminated => "terminated",
            Expired => "expired",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Send,
    Accept,
    Decline,
    Expire,
    Activate,
    Complete,
    Terminate,
}

impl Step {
    fn verb(self) -> &'static str {
        match self {
            Step::Send => "sent",
            Step::Accept => "accepted",
            Step::Decline => "declined",
            Step::Expire => "expired",
            Step::Activate => "activated",
            Step::Complete => "completed",
            Step::Terminate => "terminated",
        }
    }
}

/// A step the status does not allow, in words for the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {} contract cannot be {}", .from.as_str(), .step.verb())]
pub struct Refused {
    pub from: ContractStatus,
    pub step: Step,
}

/// The status after `step`, or why it cannot be taken. Sending again from `sent` is a new
/// version superseding the last one.
pub fn next(from: ContractStatus, step: Step) -> Result<ContractStatus, Refused> {
    use ContractStatus::*;
    let to = match (from, step) {
        (Draft | Sent, Step::Send) => Sent,
        (Sent, Step::Accept) => Accepted,
        (Sent, Step::Decline) => Declined,
        (Sent, Step::Expire) => Expired,
        (Accepted, Step::Activate) => Active,
        (Active, Step::Complete) => Completed,
        (Draft | Sent | Accepted | Active, Step::Terminate) => Terminated,
        _ => return Err(Refused { from, step }),
    };
    Ok(to)
}

/// A version as the answer rules see it.
#[derive(Debug, Clone)]
pub struct VersionFacts {
    pub number: i32,
    pub body_sha256: String,
    pub sent_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub superseded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerRefused {
    #[error("{0}")]
    Status(Refused),
    #[error("version {0} was never sent")]
    NotSent(i32),
    #[error("version {0} was replaced by a newer version; read and answer that one")]
    Superseded(i32),
    #[error("version {0} expired at {1} without an answer")]
    Expired(i32, DateTime<Utc>),
    #[error("the text you read is not version {0}'s (its SHA-256 differs); reload it")]
    TextChanged(i32),
}

impl AnswerRefused {
    pub fn code(&self) -> &'static str {
        match self {
            AnswerRefused::Status(_) => "contract_not_answerable",
            AnswerRefused::NotSent(_) => "version_not_sent",
            AnswerRefused::Superseded(_) => "version_superseded",
            AnswerRefused::Expired(..) => "version_expired",
            AnswerRefused::TextChanged(_) => "text_changed",
        }
    }
}

/// Whether the client may accept or decline `version`, having read a text whose SHA-256
/// is `read_sha256`, at `now`.
pub fn check_answer(
    status: ContractStatus,
    version: &VersionFacts,
    read_sha256: &str,
    accept: bool,
    now: DateTime<Utc>,
) -> Result<ContractStatus, AnswerRefused> {
    let step = if accept { Step::Accept } else { Step::Decline };
    if version.sent_at.is_none() {
        return Err(AnswerRefused::NotSent(version.number));
    }
    if version.superseded {
        return Err(AnswerRefused::Superseded(version.number));
    }
    if let Some(expiry) = version.expires_at.filter(|e| *e <= now) {
        return Err(AnswerRefused::Expired(version.number, expiry));
    }
    let to = next(status, step).map_err(AnswerRefused::Status)?;
    if !read_sha256.eq_ignore_ascii_case(&version.body_sha256) {
        return Err(AnswerRefused::TextChanged(version.number));
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::ContractStatus::*;
    use super::*;

    const ALL: [ContractStatus; 8] = [
        Draft, Sent, Accepted, Declined, Active, Completed, Terminated, Expired,
    ];

    #[test]
    fn the_lifecycle_allows_exactly_its_transitions() {
        let steps = [
            Step::Send,
            Step::Accept,
            Step::Decline,
            Step::Expire,
            Step::Activate,
            Step::Complete,
            Step::Terminate,
        ];
        let mut allowed = Vec::new();
        for from in ALL {
            for step in steps {
                if let Ok(to) = next(from, step) {
                    allowed.push((from, to));
                }
            }
        }
        allowed.sort_by_key(|(a, b)| (a.as_str(), b.as_str()));
        let mut expected = vec![
            (Draft, Sent),
            (Draft, Terminated),
            (Sent, Sent),
            (Sent, Accepted),
            (Sent, Declined),
            (Sent, Expired),
            (Sent, Terminated),
            (Accepted, Active),
            (Accepted, Terminated),
            (Active, Completed),
            (Active, Terminated),
        ];
        expected.sort_by_key(|(a, b)| (a.as_str(), b.as_str()));
        assert_eq!(allowed, expected);
    }

    #[test]
    fn ended_contracts_take_no_step() {
        for from in [Declined, Completed, Terminated, Expired] {
            let e = next(from, Step::Terminate).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("a {} contract cannot be terminated", from.as_str())
            );
        }
    }

    fn sent_version() -> VersionFacts {
        VersionFacts {
            number: 2,
            body_sha256: "ab".repeat(32),
            sent_at: Some("2026-11-01T10:00:00Z".parse().unwrap()),
            expires_at: Some("2026-11-08T10:00:00Z".parse().unwrap()),
            superseded: false,
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_current_unexpired_version_with_its_own_text_is_answerable() {
        let v = sent_version();
        let now = at("2026-11-08T09:59:59Z");
        assert_eq!(
            check_answer(Sent, &v, &"AB".repeat(32), true, now),
            Ok(Accepted)
        );
        assert_eq!(
            check_answer(Sent, &v, &"ab".repeat(32), false, now),
            Ok(Declined)
        );
    }

    #[test]
    fn expiry_is_exclusive_of_its_instant() {
        let v = sent_version();
        let e = check_answer(Sent, &v, &v.body_sha256, true, at("2026-11-08T10:00:00Z"));
        assert_eq!(e.unwrap_err().code(), "version_expired");
    }

    #[test]
    fn superseded_unsent_changed_and_already_answered_are_refused() {
        let now = at("2026-11-02T00:00:00Z");
        let mut v = sent_version();
        v.superseded = true;
        assert_eq!(
            check_answer(Sent, &v, &v.body_sha256, true, now)
                .unwrap_err()
                .code(),
            "version_superseded"
        );
        let mut v = sent_version();
        v.sent_at = None;
        assert_eq!(
            check_answer(Draft, &v, &v.body_sha256, true, now)
                .unwrap_err()
                .code(),
            "version_not_sent"
        );
        let v = sent_version();
        assert_eq!(
            check_answer(Sent, &v, &"cd".repeat(32), true, now)
                .unwrap_err()
                .code(),
            "text_changed"
        );
        assert_eq!(
            check_answer(Declined, &v, &v.body_sha256, true, now)
                .unwrap_err()
                .code(),
            "contract_not_answerable"
        );
    }
}
