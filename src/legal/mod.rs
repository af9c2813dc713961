//! Legal Mode in the server: consents and markers from the room, the recorder started on
//! the room's tap when both parties consent, stopped when consent is withdrawn or the room
//! empties, restarted in a new series when it dies, and the recording sealed with its signed,
//! timestamped manifest at the end. Each session's changes are handled one at a time.

mod manifest;
mod series;
mod setup;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;
use tokio::sync::oneshot;
use tribuna_api::recordings::store::{self, RecordingRow};
use tribuna_api::scheduling::store as events;
use tribuna_api::Clock;
use tribuna_recorder::live::Sealer;
use tribuna_recorder::store::Spool;
use tribuna_sfu::tap::TAP_QUEUE;
use tribuna_sfu::{Sfu, SfuEvent};
use tribuna_signaling::RoomObserver;
use uuid::Uuid;

use crate::attendance::Attendance;
use crate::config::Settings;
use series::{Context, End, PendingGap};

pub use setup::vault_keys;

struct Active {
    recording: RecordingRow,
    /// The room this series taps (not necessarily the room of that name now: a room that
    /// emptied is forgotten, and a new one is made when someone comes back).
    room: std::sync::Weak<tribuna_sfu::Room>,
    /// Makes the capture die as a crash would; also names the series (see `Step::Restart`).
    kill: Arc<AtomicBool>,
    done: oneshot::Receiver<End>,
}

#[derive(Default)]
struct SessionState {
    active: Option<Active>,
    /// When the recording was paused because consent was withdrawn.
    paused_at: Option<DateTime<Utc>>,
}

pub struct LegalMode {
    ctx: Option<Context>,
    tsa_url: String,
    sfu: Arc<Sfu>,
    attendance: Attendance,
    sessions: Mutex<HashMap<Uuid, Arc<tokio::sync::Mutex<SessionState>>>>,
    abandoned_after: chrono::Duration,
}

impl LegalMode {
    pub async fn new(
        settings: &Settings,
        db: PgPool,
        clock: Arc<dyn Clock>,
        sfu: Arc<Sfu>,
        spool: Arc<Spool>,
    ) -> anyhow::Result<Arc<Self>> {
        let keys = setup::vault_keys(settings)?;
        let l = &settings.legal;
        // No series runs yet: whatever a killed process left in the recorder's work directory
        // (plaintext it was writing) goes.
        setup::clear_work_dir(&settings.data.resolved_dir().join("recorder"));
        let ctx = if keys.is_empty() {
            tracing::warn!("legal.vault_public_keys is empty: Legal Mode calls will not be recorded (run `tribuna vault keygen` on the admin's machine and configure its vault.pub)");
            None
        } else {
            Some(Context {
                db: db.clone(),
                clock,
                keys: Arc::new(keys),
                spool,
                signing: Arc::new(setup::signing_key(settings)?),
                work: settings.data.resolved_dir().join("recorder"),
                segment: chrono::Duration::seconds(i64::from(l.segment_seconds.clamp(1, 60))),
                checkpoint_every: l.checkpoint_every.max(1),
            })
        };
        let tsa_url = if ctx.is_some() {
            setup::timestamp_authority(settings).await?
        } else {
            String::new()
        };
        Ok(Arc::new(LegalMode {
            ctx,
            tsa_url,
            sfu,
            attendance: Attendance { db },
            sessions: Mutex::new(HashMap::new()),
            abandoned_after: chrono::Duration::seconds(l.abandoned_after_seconds as i64),
        }))
    }

    fn db(&self) -> &PgPool {
        &self.attendance.db
    }

    fn session(&self, id: Uuid) -> Arc<tokio::sync::Mutex<SessionState>> {
        self.sessions
            .lock()
            .expect("sessions")
            .entry(id)
            .or_default()
            .clone()
    }

    /// Runs `f` for the session in the background, after the session's earlier changes.
    fn spawn_for(self: &Arc<Self>, room: &str, step: Step) {
        let Ok(session) = room.parse::<Uuid>() else {
            return;
        };
        let me = self.clone();
        tokio::spawn(async move {
            let state = me.session(session);
            let mut state = state.lock().await;
            if let Err(e) = me.step(session, &mut state, step).await {
                tracing::error!(%session, error = ?e, "Legal Mode step failed");
            }
        });
    }

    /// Brings the recording in line with who is in the room and who consents, and tells the room.
    async fn reconcile(
        self: &Arc<Self>,
        session: Uuid,
        st: &mut SessionState,
    ) -> anyhow::Result<()> {
        let Some((legal, parties)) = store::legal_session(self.db(), session).await? else {
            return Ok(());
        };
        if !legal {
            return Ok(());
        }
        let room = self.sfu.room(&session.to_string());
        let present = room.as_ref().map_or(0, |r| r.participants().len());
        let consents = store::consents(self.db(), session).await?;
        let all_consent =
            !parties.is_empty() && parties.iter().all(|p| consents.contains(&p.user_id));
        let Some(ctx) = self.ctx.clone() else {
            announce(&self.sfu, session, "unavailable", &consents);
            return Ok(());
        };
        let now = ctx.clock.now();
        let want = all_consent && present > 0;
        // A series whose tap is gone (the room emptied and was made anew before this step ran)
        // records nothing: end it, so that a new one starts on the current room below.
        if want && st.active.is_some() && !room.as_ref().is_some_and(|r| r.is_tapped()) {
            self.stop(st).await;
        }
        match (&st.active, want) {
            (None, true) => {
                let (recording, gap) = match store::in_progress(self.db(), session).await? {
                    Some(r) => {
                        let gap: PendingGap = match st.paused_at.take() {
                            Some(at) => Some((at, "consent_withdrawn")),
                            None => Some((
                                store::last_media(self.db(), &r).await?,
                                "recorder_restarted",
                            )),
                        };
                        (r, gap)
                    }
                    None => (store::start(self.db(), session, now).await?, None),
                };
                self.start_series(&ctx, st, recording, gap).await?;
            }
            (Some(_), false) => {
                self.stop(st).await;
                if all_consent || present == 0 {
                    st.paused_at = None;
                } else {
                    st.paused_at = Some(now);
                }
            }
            _ => {}
        }
        if present == 0 && st.active.is_none() {
            if let Some(r) = store::in_progress(self.db(), session).await? {
                if let Some((from, reason)) =
                    st.paused_at.take().map(|at| (at, "consent_withdrawn"))
                {
                    store::add_gap(self.db(), r.id, from, now, reason).await?;
                }
                self.seal(&ctx, &r, now).await?;
            }
        }
        let state = if st.active.is_some() {
            "recording"
        } else {
            "waiting_consent"
        };
        announce(&self.sfu, session, state, &consents);
        Ok(())
    }

    async fn start_series(
        self: &Arc<Self>,
        ctx: &Context,
        st: &mut SessionState,
        recording: RecordingRow,
        gap: PendingGap,
    ) -> anyhow::Result<()> {
        // Resuming after a gap (a crash, a consent pause, a restart) starts a new series.
        let series = if gap.is_some() {
            store::next_series(self.db(), recording.id).await?
        } else {
            recording.series
        };
        let Some(room) = self.sfu.room(&recording.session_id.to_string()) else {
            return Ok(());
        };
        let (tx, rx) = tokio::sync::mpsc::channel(TAP_QUEUE);
        let kill = Arc::new(AtomicBool::new(false));
        let (done_tx, done_rx) = oneshot::channel();
        let run = series::run(
            ctx.clone(),
            recording.clone(),
            series,
            gap,
            rx,
            kill.clone(),
        );
        let (me, session, series_token) = (self.clone(), recording.session_id, kill.clone());
        tokio::spawn(async move {
            let end = run.await;
            let _ = done_tx.send(end);
            // A series that was stopped is no longer the active one: the restart ignores it.
            if let End::Crashed(at) = end {
                me.spawn_for(&session.to_string(), Step::Restart(at, series_token));
            }
        });
        room.set_tap(Some(tx));
        tracing::info!(recording = %recording.id, session = %recording.session_id, series, "recording");
        st.active = Some(Active {
            recording,
            room: Arc::downgrade(&room),
            kill,
            done: done_rx,
        });
        Ok(())
    }

    /// Takes the tap off and waits until every closed segment is sealed.
    async fn stop(&self, st: &mut SessionState) {
        let Some(active) = st.active.take() else {
            return;
        };
        if let Some(room) = active.room.upgrade() {
            room.set_tap(None);
        }
        // Segments are closed and sealed in well under this; past it, something is stuck:
        // what was sealed stays sealed, and the recording goes on without this series.
        if tokio::time::timeout(Duration::from_secs(60), active.done)
            .await
            .is_err()
        {
            active.kill.store(true, Ordering::SeqCst);
            tracing::error!(recording = %active.recording.id, "the recorder did not stop in 60 s; its open segment is lost");
        }
    }

    /// Signs, timestamps and seals the manifest of a recording that ended at `ended_at`;
    /// records its hash (and in the audit log).
    async fn seal(
        &self,
        ctx: &Context,
        r: &RecordingRow,
        ended_at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        // Under the session's lock, from the database: a recording sealed meanwhile (by the
        // call's end while this waited) is never sealed again.
        let Some(r) = store::get(self.db(), r.id).await? else {
            return Ok(());
        };
        if r.status != "recording" {
            return Ok(());
        }
        let r = &r;
        let now = ctx.clock.now();
        let manifest = manifest::build(self.db(), r, ended_at).await?;
        let sealer = Sealer::resume(
            ctx.keys.clone(),
            ctx.spool.clone(),
            &r.prefix,
            Vec::new(),
            0,
        );
        let url = self.tsa_url.clone();
        let digest = sealer
            .finish(&manifest, &ctx.signing, |bytes| async move {
                tribuna_recorder::timestamp::stamp(&url, &bytes).await
            })
            .await?;
        let segments = manifest.segments.len();
        store::seal(self.db(), r, ended_at, &digest, segments, now).await?;
        tracing::info!(recording = %r.id, manifest_sha256 = %digest, segments, "recording sealed");
        Ok(())
    }

    /// Kills the session's recorder as a crash would (what it is writing is lost); it
    /// restarts in a new series and the gap is recorded. For operators and the tests.
    pub fn kill_recorder(&self, session: Uuid) -> bool {
        let state = self.session(session);
        let Ok(st) = state.try_lock() else {
            return false;
        };
        match &st.active {
            Some(a) => {
                a.kill.store(true, Ordering::SeqCst);
                true
            }
            None => false,
        }
    }

    /// Retries the spool and seals recordings a crash left in progress with nobody back.
    pub async fn maintain(self: &Arc<Self>) {
        let Some(ctx) = self.ctx.clone() else { return };
        let drained = ctx.spool.drain().await;
        if drained.uploaded + drained.pending > 0 {
            tracing::info!(
                uploaded = drained.uploaded,
                pending = drained.pending,
                "recording spool"
            );
        }
        let Ok(open) = store::open_recordings(self.db()).await else {
            return;
        };
        let now = ctx.clock.now();
        for r in open {
            let state = self.session(r.session_id);
            let Ok(mut st) = state.try_lock() else {
                continue;
            };
            let empty = self
                .sfu
                .room(&r.session_id.to_string())
                .is_none_or(|room| room.participants().is_empty());
            // A recording being recorded, or with someone in the room, is not abandoned: no
            // need to ask the database when its media last came.
            if st.active.is_some() || !empty {
                continue;
            }
            let Ok(last) = store::last_media(self.db(), &r).await else {
                continue;
            };
            if now - last > self.abandoned_after {
                if let Some(at) = st.paused_at.take() {
                    let _ = store::add_gap(self.db(), r.id, at, now, "consent_withdrawn").await;
                }
                if let Err(e) = self.seal(&ctx, &r, last).await {
                    tracing::error!(recording = %r.id, error = ?e, "abandoned recording not sealed yet");
                }
            }
        }
    }

    /// Runs `maintain` every `every` until the process ends.
    pub async fn maintain_every(self: Arc<Self>, every: Duration) {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            self.maintain().await;
        }
    }
}

fn announce(sfu: &Sfu, session: Uuid, state: &str, consents: &[Uuid]) {
    if let Some(room) = sfu.room(&session.to_string()) {
        room.announce(SfuEvent::Recording {
            state: state.to_owned(),
            consents: consents.iter().map(Uuid::to_string).collect(),
        });
    }
}

/// One change to a session, run in order with the others.
enum Step {
    Reconcile,
    Consent {
        user: Uuid,
        given: bool,
        at: DateTime<Utc>,
    },
    Mark {
        user: Uuid,
        label: Option<String>,
        at: DateTime<Utc>,
    },
    /// The recorder died at this instant: a new series takes over if the recording still runs.
    /// (The series is named by its kill switch: only that series, if still the active one,
    /// is restarted.)
    Restart(DateTime<Utc>, Arc<AtomicBool>),
}

impl LegalMode {
    async fn step(
        self: &Arc<Self>,
        session: Uuid,
        st: &mut SessionState,
        step: Step,
    ) -> anyhow::Result<()> {
        let media = |at| {
            st.active
                .as_ref()
                .and_then(|a| manifest::media_ms(&a.recording, at))
        };
        match step {
            Step::Reconcile => self.reconcile(session, st).await,
            Step::Consent { user, given, at } => {
                let kind = if given {
                    "consent_given"
                } else {
                    "consent_withdrawn"
                };
                let media = media(at);
                events::record_event_at(self.db(), session, Some(user), kind, at, media, json!({}))
                    .await?;
                self.reconcile(session, st).await
            }
            Step::Mark { user, label, at } => {
                let media = media(at);
                let details = label
                    .as_ref()
                    .map_or_else(|| json!({}), |l| json!({ "label": l }));
                events::record_event_at(
                    self.db(),
                    session,
                    Some(user),
                    "marker",
                    at,
                    media,
                    details,
                )
                .await?;
                if let Some(room) = self.sfu.room(&session.to_string()) {
                    room.announce(SfuEvent::Marked {
                        identity: user.to_string(),
                        label,
                        at: at.into(),
                        media_ms: media,
                    });
                }
                Ok(())
            }
            Step::Restart(at, series) => {
                if !st
                    .active
                    .as_ref()
                    .is_some_and(|a| Arc::ptr_eq(&a.kill, &series))
                {
                    return Ok(()); // stopped, or replaced by a newer series, meanwhile
                }
                let Some(ctx) = self.ctx.clone() else {
                    return Ok(());
                };
                let Some(active) = st.active.take() else {
                    return Ok(());
                };
                let from = store::last_media(self.db(), &active.recording)
                    .await?
                    .min(at);
                tracing::warn!(recording = %active.recording.id, "recorder restarts in a new series");
                let restarted = self
                    .start_series(
                        &ctx,
                        st,
                        active.recording,
                        Some((from, "recorder_restarted")),
                    )
                    .await;
                if let Err(e) = restarted {
                    tracing::error!(%session, error = ?e, "recorder restart failed; reconciling");
                    return self.reconcile(session, st).await;
                }
                Ok(())
            }
        }
    }
}

/// The room's events, handed to Legal Mode (and attendance).
pub struct LegalObserver(pub Arc<LegalMode>);

impl RoomObserver for LegalObserver {
    fn joined(&self, room: &str, identity: &str, at: DateTime<Utc>) {
        self.0.attendance.joined(room, identity, at);
        self.0.spawn_for(room, Step::Reconcile);
    }

    fn left(&self, room: &str, identity: &str, reason: &str, at: DateTime<Utc>) {
        self.0.attendance.left(room, identity, reason, at);
        self.0.spawn_for(room, Step::Reconcile);
    }

    fn consent(&self, room: &str, identity: &str, given: bool, at: DateTime<Utc>) {
        if let Ok(user) = identity.parse() {
            self.0.spawn_for(room, Step::Consent { user, given, at });
        }
    }

    fn mark(&self, room: &str, identity: &str, label: Option<&str>, at: DateTime<Utc>) {
        if let Ok(user) = identity.parse() {
            let label = label.map(str::to_owned);
            self.0.spawn_for(room, Step::Mark { user, label, at });
        }
    }
}
