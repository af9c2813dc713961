//! The manifest of a recording, from what the database recorded: the session's parties
//! (the lawyer with their OAB), the room's events with their media time, the chain of
//! segments and the gaps.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tribuna_api::recordings::store::{self, RecordingRow, SegmentRow};
use tribuna_recorder::proof::{Event, Gap, Manifest, Participant, Segment, GENESIS};

pub fn segment_of(row: &SegmentRow) -> Segment {
    Segment {
        index: row.position as u64,
        series: row.series as u32,
        participant: row.participant.clone(),
        file: row.file.clone(),
        bytes: row.bytes as u64,
        sha256: row.sha256.clone(),
        start: row.start_at,
        end: row.end_at,
        prev: row.prev.clone(),
        link: row.link.clone(),
    }
}

pub fn row_of(s: &Segment) -> SegmentRow {
    SegmentRow {
        position: s.index as i32,
        series: s.series as i32,
        participant: s.participant.clone(),
        file: s.file.clone(),
        bytes: s.bytes as i64,
        sha256: s.sha256.clone(),
        start_at: s.start,
        end_at: s.end,
        prev: s.prev.clone(),
        link: s.link.clone(),
    }
}

/// Milliseconds into the recording, for an instant at or after its start.
pub fn media_ms(r: &RecordingRow, at: DateTime<Utc>) -> Option<u64> {
    u64::try_from((at - r.started_at).num_milliseconds()).ok()
}

/// The manifest of `r` as recorded so far, ending at `ended_at`.
pub async fn build(
    db: &PgPool,
    r: &RecordingRow,
    ended_at: DateTime<Utc>,
) -> Result<Manifest, sqlx::Error> {
    let (_, parties) = store::legal_session(db, r.session_id)
        .await?
        .unwrap_or((true, Vec::new()));
    let segments: Vec<Segment> = store::segments(db, r.id)
        .await?
        .iter()
        .map(segment_of)
        .collect();
    // The events of the session up to the end (those before the recording began, such as
    // the consents that started it, carry no media time).
    let events = store::events(db, r.session_id, ended_at)
        .await?
        .into_iter()
        .map(|e| Event {
            identity: e.user_id.map(|u| u.to_string()).unwrap_or_default(),
            media_ms: e
                .media_time_ms
                .and_then(|m| u64::try_from(m).ok())
                .or_else(|| media_ms(r, e.at)),
            note: e
                .details
                .get("label")
                .or_else(|| e.details.get("reason"))
                .and_then(|v| v.as_str())
                .map(str::to_owned),
            kind: e.kind,
            at: e.at,
        })
        .collect();
    let gaps = store::gaps(db, r.id)
        .await?
        .into_iter()
        .map(|g| Gap {
            from: g.from_at,
            to: g.to_at,
            reason: g.reason,
        })
        .collect();
    Ok(Manifest {
        version: 1,
        session_id: r.session_id.to_string(),
        participants: parties
            .into_iter()
            .map(|p| Participant {
                identity: p.user_id.to_string(),
                role: p.role,
                display_name: p.display_name,
                oab: p.oab,
            })
            .collect(),
        events,
        head: segments
            .last()
            .map_or_else(|| GENESIS.to_owned(), |s| s.link.clone()),
        segments,
        gaps,
        started_at: r.started_at,
        ended_at: ended_at.max(r.started_at),
    })
}
