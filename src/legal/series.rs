//! One segment series of a recording: the room's tap feeds a capture thread (depacketize,
//! mux), whose closed segments are sealed, deposited and recorded one by one. The series
//! ends when the tap is taken off (finished) or when the capture dies (crashed: the segment
//! being written is lost, the caller starts the next series).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use sqlx::PgPool;
use tokio::sync::mpsc;
use tribuna_api::recordings::store::{self, RecordingRow};
use tribuna_api::Clock;
use tribuna_recorder::capture::{Action, Capture};
use tribuna_recorder::live::Sealer;
use tribuna_recorder::recording::ClosedSegment;
use tribuna_recorder::rtp::Packet;
use tribuna_recorder::store::Spool;
use tribuna_sfu::tap::{KeyframeRequester, TapEvent};

use super::manifest;
use super::setup::Keys;

/// Everything a series needs besides its tap.
#[derive(Clone)]
pub struct Context {
    pub db: PgPool,
    pub clock: Arc<dyn Clock>,
    pub keys: Keys,
    pub spool: Arc<Spool>,
    pub signing: Arc<SigningKey>,
    pub work: PathBuf,
    pub segment: chrono::Duration,
    /// At least 1.
    pub checkpoint_every: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The tap was taken off; every segment is sealed.
    Finished,
    /// The capture died at this instant (what it was writing is lost).
    Crashed(DateTime<Utc>),
}

/// A gap to record when the series' first segment arrives (its end is that segment's start).
pub type PendingGap = Option<(DateTime<Utc>, &'static str)>;

/// Runs series `series` of `r` from `tap` until it ends; `kill` makes the capture die as
/// in a crash.
pub async fn run(
    ctx: Context,
    r: RecordingRow,
    series: i32,
    mut gap: PendingGap,
    tap: mpsc::Receiver<TapEvent>,
    kill: Arc<AtomicBool>,
) -> End {
    let capture_kill = kill.clone();
    let dir = ctx.work.join(r.id.to_string()).join(series.to_string());
    let (closed_tx, mut closed_rx) = mpsc::unbounded_channel();
    let capture = {
        let (dir, clock, target) = (dir.clone(), ctx.clock.clone(), ctx.segment);
        let rt = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            capture(
                &dir,
                target,
                tap,
                closed_tx,
                capture_kill,
                clock.as_ref(),
                &rt,
            )
        })
    };
    let chain = match store::segments(&ctx.db, r.id).await {
        Ok(rows) => rows.iter().map(manifest::segment_of).collect(),
        Err(e) => {
            tracing::error!(recording = %r.id, error = %e, "chain not readable; the series stops");
            drop(closed_rx);
            let _ = capture.await;
            return End::Crashed(ctx.clock.now());
        }
    };
    let mut sealer = Sealer::resume(
        ctx.keys.clone(),
        ctx.spool.clone(),
        &r.prefix,
        chain,
        series as u32,
    );
    let mut checkpoints = (sealer.chain().len() as u32) / ctx.checkpoint_every;
    let mut poisoned = false;
    while let Some(closed) = closed_rx.recv().await {
        if poisoned {
            // The chain could not be recorded: this series ends as a crash (the next one
            // starts from the database's chain, with the gap); what it still closes is dropped.
            let _ = tokio::fs::remove_file(&closed.path).await;
            continue;
        }
        if !seal_one(&ctx, &r, &mut sealer, &closed, &mut gap).await {
            poisoned = true;
            kill.store(true, Ordering::SeqCst);
            continue;
        }
        let due = sealer.chain().len() as u32 / ctx.checkpoint_every;
        if due > checkpoints {
            checkpoints = due;
            checkpoint(&ctx, &r, &sealer, checkpoints).await;
        }
    }
    let end = match capture.await {
        Ok(Ok(())) => End::Finished,
        Ok(Err(e)) => {
            tracing::error!(recording = %r.id, series, error = %e, "recorder died; the segment being written is lost");
            End::Crashed(ctx.clock.now())
        }
        Err(e) => {
            tracing::error!(recording = %r.id, series, error = %e, "recorder panicked; the segment being written is lost");
            End::Crashed(ctx.clock.now())
        }
    };
    if let (Some((from, reason)), End::Finished) = (gap, end) {
        // No media came after the gap opened: it runs to the end of this series.
        let _ = store::add_gap(&ctx.db, r.id, from, ctx.clock.now(), reason).await;
    }
    super::setup::clear_work_dir(&dir);
    end
}

/// Seals, chains and records one closed segment. False when its chain entry could not be
/// recorded in the database: the series must end (its in-memory chain is ahead of the
/// database's, so nothing more can link).
async fn seal_one(
    ctx: &Context,
    r: &RecordingRow,
    sealer: &mut Sealer,
    closed: &ClosedSegment,
    gap: &mut PendingGap,
) -> bool {
    let entry = match sealer.segment(closed).await {
        Ok(entry) => entry,
        Err(e) => {
            // Not chained, and never in the clear on disk: the manifest says what is missing.
            tracing::error!(recording = %r.id, file = %closed.path.display(), error = %e, "segment NOT sealed; recorded as a gap");
            let _ = tokio::fs::remove_file(&closed.path).await;
            if let Err(e) =
                store::add_gap(&ctx.db, r.id, closed.start, closed.end, "segment_lost").await
            {
                tracing::error!(recording = %r.id, error = %e, "gap not recorded");
            }
            return true;
        }
    };
    if let Some((from, reason)) = gap.take() {
        if let Err(e) = store::add_gap(&ctx.db, r.id, from, entry.start, reason).await {
            tracing::error!(recording = %r.id, error = %e, "gap not recorded");
        }
    }
    let row = manifest::row_of(&entry);
    let mut wait = std::time::Duration::from_millis(200);
    for attempt in 1..=10u32 {
        match store::add_segment(&ctx.db, r.id, &row).await {
            Ok(()) => {
                tracing::info!(recording = %r.id, position = entry.index, participant = %entry.participant, bytes = entry.bytes, "segment sealed");
                return true;
            }
            Err(e) => {
                tracing::error!(recording = %r.id, position = row.position, attempt, error = %e, "chain entry not recorded");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(std::time::Duration::from_secs(5));
            }
        }
    }
    false
}

async fn checkpoint(ctx: &Context, r: &RecordingRow, sealer: &Sealer, n: u32) {
    let last = sealer.chain().last().map_or(r.started_at, |s| s.end);
    match manifest::build(&ctx.db, r, last).await {
        Ok(m) => {
            if let Err(e) = sealer.checkpoint(n, &m, &ctx.signing).await {
                tracing::error!(recording = %r.id, n, error = %e, "checkpoint not sealed");
            }
        }
        Err(e) => tracing::error!(recording = %r.id, n, error = %e, "checkpoint not built"),
    }
}

/// The capture thread: tap events in, closed segments out, keyframe requests sent.
fn capture(
    dir: &std::path::Path,
    target: chrono::Duration,
    mut tap: mpsc::Receiver<TapEvent>,
    closed: mpsc::UnboundedSender<ClosedSegment>,
    kill: Arc<AtomicBool>,
    clock: &dyn Clock,
    rt: &tokio::runtime::Handle,
) -> anyhow::Result<()> {
    let mut c = Capture::new(dir, target);
    let mut keyframes: HashMap<Arc<str>, KeyframeRequester> = HashMap::new();
    let wall =
        |at: Instant| clock.now() - chrono::Duration::from_std(at.elapsed()).unwrap_or_default();
    while let Some(event) = tap.blocking_recv() {
        if kill.load(Ordering::SeqCst) {
            anyhow::bail!("killed");
        }
        let actions = match event {
            TapEvent::Track {
                identity,
                track_id,
                mime_type,
                keyframes: requester,
                ..
            } => {
                let (recorded, actions) =
                    c.track(&identity, &track_id, &mime_type, Instant::now())?;
                if recorded {
                    keyframes.insert(track_id, requester);
                }
                actions
            }
            TapEvent::Rtp {
                track_id,
                packet,
                at,
            } => {
                let p = Packet {
                    sequence: packet.header.sequence_number,
                    timestamp: packet.header.timestamp,
                    marker: packet.header.marker,
                    payload: packet.payload.to_vec(),
                };
                c.rtp(&track_id, p, at, wall(at))?
            }
            TapEvent::SenderReport { track_id, ntp, rtp } => {
                c.sender_report(&track_id, ntp, rtp, clock.now());
                Vec::new()
            }
            TapEvent::Ended { track_id } => {
                keyframes.remove(&*track_id);
                c.ended(&track_id, Instant::now())?
            }
            TapEvent::Off => break,
        };
        for a in actions {
            match a {
                Action::AskKeyframe { track_id } => {
                    if let Some(k) = keyframes.get(track_id.as_str()).cloned() {
                        rt.spawn(async move { k.request().await });
                    }
                }
                Action::Sealable(s) => {
                    let _ = closed.send(s);
                }
            }
        }
    }
    for a in c.finish(Instant::now())? {
        if let Action::Sealable(s) = a {
            let _ = closed.send(s);
        }
    }
    Ok(())
}
