//! A room's recording in one segment series: the tapped tracks in, each participant's
//! segment files out. A participant's audio and video go into the same files; when their set
//! of tracks changes (a camera turned on later, a track unpublished), their open segment is
//! closed and their recording goes on in new files with the new set.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};

use crate::mux::{MuxError, Track};
use crate::recording::{ClosedSegment, Output, ParticipantRecorder};
use crate::rtp::depacketize::Codec;
use crate::rtp::Packet;

/// What the capture asks of its caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Send a PLI to this video track's publisher.
    AskKeyframe { track_id: String },
    /// A segment file is complete: hash, chain, seal and store it.
    Sealable(ClosedSegment),
}

struct Tapped {
    identity: String,
    track: Track,
    codec: Codec,
}

struct Person {
    recorder: ParticipantRecorder,
    video: Option<(String, Codec)>,
    audio: Option<String>,
    /// A participant's first packets while only one of their tracks is known, held briefly
    /// in case the other follows (a browser publishes camera and microphone at once, but they
    /// arrive one by one, in either order): without the hold, a sliver of audio-only or
    /// video-only file would come first.
    held: Option<(Instant, Vec<Arrived>)>,
}

/// A packet of a track with its arrival (monotonic and wall clock).
type Arrived = (Track, Packet, Instant, DateTime<Utc>);

/// How long a new participant's packets wait for their other track. Nothing is lost by
/// waiting: held packets keep their arrival times.
const HOLD: std::time::Duration = std::time::Duration::from_millis(3000);

pub struct Capture {
    dir: PathBuf,
    target: Duration,
    tracks: HashMap<String, Tapped>,
    people: HashMap<String, Person>,
    /// The next segment number of each participant seen, kept when they leave so a
    /// returning participant's files never reuse a name still waiting to be sealed.
    next: HashMap<String, u32>,
}

impl Capture {
    /// Writes segment files of about `target` under `dir`.
    pub fn new(dir: &Path, target: Duration) -> Self {
        Capture {
            dir: dir.to_owned(),
            target,
            tracks: HashMap::new(),
            people: HashMap::new(),
            next: HashMap::new(),
        }
    }

    /// A track to record. Unknown codecs are ignored (false). A track seen before is kept.
    pub fn track(
        &mut self,
        identity: &str,
        track_id: &str,
        mime_type: &str,
        now: Instant,
    ) -> Result<(bool, Vec<Action>), MuxError> {
        let Some(codec) = Codec::from_mime(mime_type) else {
            return Ok((false, Vec::new()));
        };
        if self.tracks.contains_key(track_id) {
            return Ok((true, Vec::new()));
        }
        let track = if codec.is_video() {
            Track::Video
        } else {
            Track::Audio
        };
        self.tracks.insert(
            track_id.to_owned(),
            Tapped {
                identity: identity.to_owned(),
                track,
                codec,
            },
        );
        let actions = self.regroup(identity, now)?;
        Ok((true, actions))
    }

    /// The track was unpublished: its participant goes on with what remains.
    pub fn ended(&mut self, track_id: &str, now: Instant) -> Result<Vec<Action>, MuxError> {
        let Some(t) = self.tracks.remove(track_id) else {
            return Ok(Vec::new());
        };
        self.regroup(&t.identity, now)
    }

    /// Re-forms `identity`'s recorder from their current tracks (the open file is closed).
    fn regroup(&mut self, identity: &str, now: Instant) -> Result<Vec<Action>, MuxError> {
        let mut actions = Vec::new();
        let mut held = Vec::new();
        let arriving = !self.people.contains_key(identity);
        if let Some(mut old) = self.people.remove(identity) {
            actions.extend(convert(old.recorder.finish(now)?, &old.video));
            self.next
                .insert(identity.to_owned(), old.recorder.next_index());
            held = old.held.map(|h| h.1).unwrap_or_default();
        }
        let first = self.next.get(identity).copied().unwrap_or(0);
        let mine = || self.tracks.iter().filter(|(_, t)| t.identity == identity);
        // One video and one audio track per person: the first of each kind, by id.
        let pick = |kind: Track| {
            mine()
                .filter(|(_, t)| t.track == kind)
                .map(|(id, t)| (id.clone(), t.codec))
                .min_by(|a, b| a.0.cmp(&b.0))
        };
        let (video, audio) = (pick(Track::Video), pick(Track::Audio).map(|(id, _)| id));
        if video.is_none() && audio.is_none() {
            return Ok(actions);
        }
        let recorder = ParticipantRecorder::starting_at(
            identity,
            &self.dir,
            video.as_ref().map(|(_, c)| *c),
            audio.is_some(),
            self.target,
            first,
        );
        if let Some((id, _)) = &video {
            actions.push(Action::AskKeyframe {
                track_id: id.clone(),
            });
        }
        let hold = (arriving && (video.is_none() || audio.is_none())).then(|| (now, Vec::new()));
        let mut person = Person {
            recorder,
            video,
            audio,
            held: hold,
        };
        // What was held for the other track goes to the new recorder (which, with video,
        // keeps audio from the first keyframe on, as always).
        if person.held.is_none() {
            actions.extend(person.release(held)?);
        }
        self.people.insert(identity.to_owned(), person);
        Ok(actions)
    }

    /// The person recording `track_id`, if that track is the one recorded for its kind.
    fn person_of(&mut self, track_id: &str) -> Option<(Track, &mut Person)> {
        let t = self.tracks.get(track_id)?;
        let p = self.people.get_mut(&t.identity)?;
        let recorded = match t.track {
            Track::Video => p.video.as_ref().is_some_and(|(id, _)| id == track_id),
            Track::Audio => p.audio.as_deref() == Some(track_id),
        };
        recorded.then_some((t.track, p))
    }

    /// One RTP packet of a tapped track, arrived at `now` (`wall` on the wall clock).
    pub fn rtp(
        &mut self,
        track_id: &str,
        packet: Packet,
        now: Instant,
        wall: DateTime<Utc>,
    ) -> Result<Vec<Action>, MuxError> {
        let Some((track, p)) = self.person_of(track_id) else {
            return Ok(Vec::new());
        };
        if let Some((since, held)) = &mut p.held {
            if now.duration_since(*since) < HOLD {
                held.push((track, packet, now, wall));
                return Ok(Vec::new());
            }
        }
        let held = p.held.take().map(|h| h.1).unwrap_or_default();
        p.release(held.into_iter().chain([(track, packet, now, wall)]))
    }

    /// An RTCP sender report of a tapped track, received at `wall`.
    pub fn sender_report(&mut self, track_id: &str, ntp: u64, rtp: u32, wall: DateTime<Utc>) {
        if let Some((track, p)) = self.person_of(track_id) {
            p.recorder.on_sender_report(track, ntp, rtp, wall);
        }
    }

    /// The recording stops (the call ended, consent was withdrawn): every open file is closed.
    pub fn finish(&mut self, now: Instant) -> Result<Vec<Action>, MuxError> {
        let mut actions = Vec::new();
        let mut people: Vec<_> = self.people.drain().collect();
        people.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, mut p) in people {
            let held = p.held.take().map(|h| h.1).unwrap_or_default();
            actions.extend(p.release(held)?);
            actions.extend(convert(p.recorder.finish(now)?, &p.video));
        }
        self.tracks.clear();
        Ok(actions)
    }

    /// Whom the capture records now.
    pub fn identities(&self) -> Vec<String> {
        let mut v: Vec<String> = self.people.keys().cloned().collect();
        v.sort();
        v
    }
}

impl Person {
    /// Records packets in their order of arrival.
    fn release(
        &mut self,
        packets: impl IntoIterator<Item = Arrived>,
    ) -> Result<Vec<Action>, MuxError> {
        let mut out = Vec::new();
        for (track, packet, at, wall) in packets {
            out.extend(self.recorder.on_rtp(track, packet, at, wall)?);
        }
        Ok(convert(out, &self.video))
    }
}

fn convert(out: Vec<Output>, video: &Option<(String, Codec)>) -> Vec<Action> {
    out.into_iter()
        .filter_map(|o| match o {
            Output::Closed(c) => Some(Action::Sealable(c)),
            Output::KeyframeNeeded => video.as_ref().map(|(id, _)| Action::AskKeyframe {
                track_id: id.clone(),
            }),
        })
        .collect()
}
