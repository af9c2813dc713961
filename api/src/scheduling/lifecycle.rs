//! The session lifecycle: scheduled → lobby open → in progress → completed or
//! no-show (or cancelled), as a pure function of the session, its attendance and now.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Scheduled,
    LobbyOpen,
    InProgress,
    Completed,
    NoShow,
    Cancelled,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Scheduled => "scheduled",
            SessionStatus::LobbyOpen => "lobby_open",
            SessionStatus::InProgress => "in_progress",
            SessionStatus::Completed => "completed",
            SessionStatus::NoShow => "no_show",
            SessionStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            SessionStatus::Scheduled,
            SessionStatus::LobbyOpen,
            SessionStatus::InProgress,
            SessionStatus::Completed,
            SessionStatus::NoShow,
            SessionStatus::Cancelled,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    /// Still holds its time slot.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            SessionStatus::Scheduled | SessionStatus::LobbyOpen | SessionStatus::InProgress
        )
    }
}

/// Timing policy for sessions.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// The lobby opens this long before the start.
    pub lobby: Duration,
    /// Joining stays possible this long after the scheduled end.
    pub overtime: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            lobby: Duration::minutes(10),
            overtime: Duration::minutes(15),
        }
    }
}

/// What the lifecycle needs to know about one session.
#[derive(Debug, Clone, Copy)]
pub struct SessionFacts {
    pub status: SessionStatus,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub client_joined: bool,
    pub lawyer_joined: bool,
}

/// The status the session should move to now, if it should move.
pub fn advance(
    s: &SessionFacts,
    policy: &SessionPolicy,
    now: DateTime<Utc>,
) -> Option<SessionStatus> {
    use SessionStatus::*;
    let next = match s.status {
        Completed | NoShow | Cancelled => return None,
        _ if now >= s.end + policy.overtime => {
            if s.client_joined && s.lawyer_joined {
                Completed
            } else {
                NoShow
            }
        }
        Scheduled | LobbyOpen if s.client_joined && s.lawyer_joined => InProgress,
        Scheduled if now >= s.start - policy.lobby => LobbyOpen,
        _ => return None,
    };
    (next != s.status).then_some(next)
}

/// Whether a party may get a room token at `now`, or why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinWindow {
    Open,
    NotYet { opens_at: DateTime<Utc> },
    Over,
    Cancelled,
}

pub fn join_window(s: &SessionFacts, policy: &SessionPolicy, now: DateTime<Utc>) -> JoinWindow {
    match s.status {
        SessionStatus::Cancelled => JoinWindow::Cancelled,
        SessionStatus::Completed | SessionStatus::NoShow => JoinWindow::Over,
        _ if now < s.start - policy.lobby => JoinWindow::NotYet {
            opens_at: s.start - policy.lobby,
        },
        _ if now >= s.end + policy.overtime => JoinWindow::Over,
        _ => JoinWindow::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SessionStatus::*;

    fn t(min: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(min)
    }

    fn facts(status: SessionStatus, client: bool, lawyer: bool) -> SessionFacts {
        SessionFacts {
            status,
            start: t(0),
            end: t(60),
            client_joined: client,
            lawyer_joined: lawyer,
        }
    }

    #[test]
    fn the_lobby_opens_ten_minutes_before() {
        let p = SessionPolicy::default();
        assert_eq!(advance(&facts(Scheduled, false, false), &p, t(-11)), None);
        assert_eq!(
            advance(&facts(Scheduled, false, false), &p, t(-10)),
            Some(LobbyOpen)
        );
    }

    #[test]
    fn both_parties_joining_starts_it_and_the_end_completes_it() {
        let p = SessionPolicy::default();
        assert_eq!(
            advance(&facts(LobbyOpen, true, true), &p, t(1)),
            Some(InProgress)
        );
        assert_eq!(
            advance(&facts(InProgress, true, true), &p, t(74)),
            None,
            "overtime allowed"
        );
        assert_eq!(
            advance(&facts(InProgress, true, true), &p, t(75)),
            Some(Completed)
        );
    }

    #[test]
    fn a_party_who_never_joined_makes_it_a_no_show() {
        let p = SessionPolicy::default();
        assert_eq!(
            advance(&facts(LobbyOpen, true, false), &p, t(75)),
            Some(NoShow)
        );
        assert_eq!(
            advance(&facts(Scheduled, false, false), &p, t(200)),
            Some(NoShow),
            "even if never ticked"
        );
    }

    #[test]
    fn final_states_never_move() {
        let p = SessionPolicy::default();
        for s in [Completed, NoShow, Cancelled] {
            assert_eq!(advance(&facts(s, true, true), &p, t(500)), None);
        }
    }

    #[test]
    fn the_join_window_opens_with_the_lobby_and_closes_after_overtime() {
        let p = SessionPolicy::default();
        let f = facts(Scheduled, false, false);
        assert_eq!(
            join_window(&f, &p, t(-30)),
            JoinWindow::NotYet { opens_at: t(-10) }
        );
        assert_eq!(join_window(&f, &p, t(-10)), JoinWindow::Open);
        assert_eq!(join_window(&f, &p, t(75)), JoinWindow::Over);
        assert_eq!(
            join_window(&facts(Cancelled, false, false), &p, t(0)),
            JoinWindow::Cancelled
        );
    }
}
