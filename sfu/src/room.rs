use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::participant::Participant;
use crate::speaker::Speakers;
use crate::tap::{TapEvent, TapSender};
use crate::tracks::UpTrack;
use crate::{LeaveReason, SfuEvent};

/// A published track, as others learn of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackInfo {
    pub track_id: String,
    /// `audio` or `video`.
    pub kind: String,
    pub mime_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParticipantInfo {
    pub identity: String,
    pub display_name: String,
    pub tracks: Vec<TrackInfo>,
}

pub struct Room {
    name: String,
    participants: Mutex<HashMap<String, Arc<Participant>>>,
    /// The recorder's tap (Legal Mode), on every published track while set.
    tap: Mutex<Option<TapSender>>,
    /// Who is speaking, and when that was last decided.
    speakers: Mutex<(Speakers, Option<Instant>)>,
}

/// How often a room reconsiders its active speaker (as its microphones' packets arrive).
const DECIDE_SPEAKER_EVERY: Duration = Duration::from_millis(100);

impl Room {
    pub(crate) fn new(name: &str) -> Arc<Self> {
        Arc::new(Room {
            name: name.to_owned(),
            participants: Mutex::new(HashMap::new()),
            tap: Mutex::new(None),
            speakers: Mutex::default(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn participant(&self, identity: &str) -> Option<Arc<Participant>> {
        self.participants
            .lock()
            .expect("room")
            .get(identity)
            .cloned()
    }

    pub fn participants(&self) -> Vec<Arc<Participant>> {
        self.participants
            .lock()
            .expect("room")
            .values()
            .cloned()
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.participants.lock().expect("room").is_empty()
    }

    fn others(&self, identity: &str) -> Vec<Arc<Participant>> {
        self.participants()
            .into_iter()
            .filter(|p| p.identity() != identity)
            .collect()
    }

    /// Adds the participant, tells the others, and subscribes them to what is already published.
    pub(crate) async fn admit(&self, newcomer: Arc<Participant>) {
        let others = self.others(newcomer.identity());
        self.participants
            .lock()
            .expect("room")
            .insert(newcomer.identity().to_owned(), newcomer.clone());
        if let Some(identity) = self.speaker() {
            newcomer.notify(SfuEvent::ActiveSpeaker {
                identity: Some(identity),
            });
        }
        for other in &others {
            other.notify(SfuEvent::ParticipantJoined(newcomer.info()));
            for track in other.up_tracks() {
                newcomer.subscribe(track).await;
            }
        }
    }

    /// Taps every track published in the room, now and from now on, into `tap` (replacing
    /// an earlier tap); `None` takes the tap off.
    pub fn set_tap(&self, tap: Option<TapSender>) {
        let mut current = self.tap.lock().expect("tap");
        if let Some(previous) = std::mem::replace(&mut *current, tap.clone()) {
            // Whoever reads the old tap learns it is over, even if a clone of its sender
            // lingers somewhere.
            let _ = previous.try_send(TapEvent::Off);
        }
        for p in self.participants() {
            for track in p.up_tracks() {
                track.set_tap(p.identity(), tap.clone());
            }
        }
    }

    /// Whether a recorder's tap is on and still listening.
    pub fn is_tapped(&self) -> bool {
        self.tap
            .lock()
            .expect("tap")
            .as_ref()
            .is_some_and(|t| !t.is_closed())
    }

    /// Tells everyone in the room (e.g. the recording's state).
    pub fn announce(&self, event: SfuEvent) {
        for p in self.participants() {
            p.notify(event.clone());
        }
    }

    /// A participant published a track: everyone else subscribes to it.
    pub(crate) async fn publish(&self, owner: &Participant, track: Arc<UpTrack>) {
        {
            // Under the room's tap lock, so a tap put on or taken off meanwhile is not undone.
            let tap = self.tap.lock().expect("tap");
            if tap.is_some() {
                track.set_tap(owner.identity(), tap.clone());
            }
        }
        for other in self.others(owner.identity()) {
            other.notify(SfuEvent::TrackPublished {
                identity: owner.identity().to_owned(),
                track: track.info(),
            });
            other.subscribe(track.clone()).await;
        }
    }

    pub(crate) async fn unpublish(&self, owner: &Participant, track: &UpTrack) {
        track.end_tap();
        for other in self.others(owner.identity()) {
            other.unsubscribe(track.id()).await;
            other.notify(SfuEvent::TrackUnpublished {
                identity: owner.identity().to_owned(),
                track_id: track.id().to_owned(),
            });
        }
    }

    /// Removes the participant (if it is still this one) and tells the others why.
    pub(crate) fn remove(&self, leaving: &Participant, reason: LeaveReason) {
        let removed = {
            let mut map = self.participants.lock().expect("room");
            match map.get(leaving.identity()) {
                Some(p) if std::ptr::eq(Arc::as_ptr(p), leaving) => {
                    map.remove(leaving.identity()).is_some()
                }
                _ => false,
            }
        };
        if removed {
            self.update_speakers(|s| s.forget(leaving.identity()), Instant::now(), true);
            for other in self.others(leaving.identity()) {
                other.notify(SfuEvent::ParticipantLeft {
                    identity: leaving.identity().to_owned(),
                    reason,
                });
            }
        }
    }

    /// A chat message to everyone in the room, the sender included (so all see one order).
    pub fn chat(&self, from: &Participant, text: &str) {
        let display_name = from.display_name();
        let at = std::time::SystemTime::now();
        for p in self.participants() {
            p.notify(SfuEvent::Chat {
                identity: from.identity().to_owned(),
                display_name: display_name.to_owned(),
                text: text.to_owned(),
                at,
            });
        }
    }

    /// The active speaker, if anyone speaks.
    pub fn speaker(&self) -> Option<String> {
        self.speakers
            .lock()
            .expect("speakers")
            .0
            .current()
            .map(str::to_owned)
    }

    /// A packet of `identity`'s microphone at `level` (−dBov) arrived.
    pub(crate) fn heard(&self, identity: &str, level: u8, now: Instant) {
        self.update_speakers(|s| s.heard(identity, level, now), now, false);
    }

    /// Applies `change` to the room's speakers and, when due (or `now_due`), decides who
    /// speaks; a new speaker is announced to everyone.
    fn update_speakers(&self, change: impl FnOnce(&mut Speakers), now: Instant, now_due: bool) {
        let decision = {
            let mut guard = self.speakers.lock().expect("speakers");
            let (speakers, decided) = &mut *guard;
            change(speakers);
            let due =
                now_due || decided.is_none_or(|t| now.duration_since(t) >= DECIDE_SPEAKER_EVERY);
            if !due {
                return;
            }
            *decided = Some(now);
            speakers.decide(now)
        };
        if let Some(identity) = decision {
            self.announce(SfuEvent::ActiveSpeaker { identity });
        }
    }

    /// Forwards a mute change to the others.
    pub fn announce_mute(&self, identity: &str, kind: &str, muted: bool) {
        if kind == "audio" {
            self.update_speakers(|s| s.set_muted(identity, muted), Instant::now(), true);
        }
        for other in self.others(identity) {
            other.notify(SfuEvent::Muted {
                identity: identity.to_owned(),
                kind: kind.to_owned(),
                muted,
            });
        }
    }
}
