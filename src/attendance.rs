//! Records who joined and left each session's room (the attendance that the
//! lifecycle, reviews and no-show reports rely on).

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;
use tribuna_api::scheduling::store;
use tribuna_signaling::RoomObserver;
use uuid::Uuid;

pub struct Attendance {
    pub db: PgPool,
}

impl Attendance {
    fn record(
        &self,
        room: &str,
        identity: &str,
        kind: &'static str,
        reason: Option<&str>,
        at: DateTime<Utc>,
    ) {
        // Rooms are named by session id and identities are user ids; anything else is not a session.
        let (Ok(session), Ok(user)) = (room.parse::<Uuid>(), identity.parse::<Uuid>()) else {
            return;
        };
        let db = self.db.clone();
        let details = reason.map_or_else(|| json!({}), |r| json!({ "reason": r }));
        tokio::spawn(async move {
            if let Err(e) = store::record_event(&db, session, Some(user), kind, at, details).await {
                tracing::error!(error = %e, %session, kind, "attendance not recorded");
            }
        });
    }
}

impl RoomObserver for Attendance {
    fn joined(&self, room: &str, identity: &str, at: DateTime<Utc>) {
        self.record(room, identity, "joined", None, at);
    }
    fn left(&self, room: &str, identity: &str, reason: &str, at: DateTime<Utc>) {
        self.record(room, identity, "left", Some(reason), at);
    }
}
