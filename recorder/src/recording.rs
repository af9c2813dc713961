//! One participant's recording: RTP of their audio and video in, segment files out. Each
//! track's packets are reordered, depacketized and timed (wall clock); the segmenter decides
//! where files are cut; the muxer writes them. A closed segment is handed to the caller to
//! hash, chain, seal and store.

use std::path::{Path, PathBuf};
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};

use crate::mux::{self, MuxError, SegmentWriter, Track, VideoTrack};
use crate::rtp::clock::{ntp_to_utc, MediaClock};
use crate::rtp::depacketize::{vp8_dimensions, Codec, Depacketizer, Event, Frame};
use crate::rtp::reorder::Reorder;
use crate::rtp::Packet;
use crate::segment::{Decision, Segmenter};

/// How long a missing packet is waited for, and how many are held meanwhile.
const REORDER_WAIT: StdDuration = StdDuration::from_millis(150);
const REORDER_CAPACITY: usize = 512;

/// A finished segment file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedSegment {
    pub participant: String,
    pub index: u32,
    pub path: PathBuf,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl ClosedSegment {
    /// Its file's name in the bundle at chain `position` (docs/proof-format.md).
    pub fn bundle_name(&self, position: usize) -> String {
        let ext = self
            .path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("webm");
        crate::proof::segment_file(position, &self.participant, self.index, ext)
    }

    /// Its entry as the next link of `chain` in `series` (named for that position), for the
    /// file's `content`; not added.
    pub fn chain_entry(
        &self,
        chain: &crate::proof::Chain,
        series: u32,
        content: &[u8],
    ) -> crate::proof::Segment {
        let file = self.bundle_name(chain.segments.len());
        chain.next(
            series,
            &self.participant,
            &file,
            content,
            self.start,
            self.end,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Ask the publisher for a video keyframe (send a PLI).
    KeyframeNeeded,
    Closed(ClosedSegment),
}

struct TrackState {
    codec: Codec,
    reorder: Reorder,
    depacketizer: Depacketizer,
    clock: MediaClock,
}

impl TrackState {
    fn new(codec: Codec) -> Self {
        TrackState {
            codec,
            reorder: Reorder::new(REORDER_WAIT, REORDER_CAPACITY),
            depacketizer: Depacketizer::new(codec),
            clock: MediaClock::new(if codec.is_video() { 90_000 } else { 48_000 }),
        }
    }
}

struct Open {
    writer: SegmentWriter,
    index: u32,
    path: PathBuf,
    start: DateTime<Utc>,
    last: DateTime<Utc>,
}

pub struct ParticipantRecorder {
    identity: String,
    dir: PathBuf,
    video: Option<TrackState>,
    audio: Option<TrackState>,
    segmenter: Segmenter,
    open: Option<Open>,
    /// The server's clock minus the sender's, from the participant's first sender report.
    skew: Option<Duration>,
}

impl ParticipantRecorder {
    /// Records `identity` into files under `dir`, cutting about every `target`.
    pub fn new(
        identity: &str,
        dir: &Path,
        video: Option<Codec>,
        audio: bool,
        target: Duration,
    ) -> Self {
        Self::starting_at(identity, dir, video, audio, target, 0)
    }

    /// Like `new`, numbering segments from `first` (the participant's tracks changed and
    /// their recording goes on in new files).
    pub fn starting_at(
        identity: &str,
        dir: &Path,
        video: Option<Codec>,
        audio: bool,
        target: Duration,
        first: u32,
    ) -> Self {
        ParticipantRecorder {
            identity: identity.to_owned(),
            dir: dir.to_owned(),
            video: video.map(TrackState::new),
            audio: audio.then(|| TrackState::new(Codec::Opus)),
            segmenter: Segmenter::starting_at(target, video.is_some(), first),
            open: None,
            skew: None,
        }
    }

    /// The number the next segment would have.
    pub fn next_index(&self) -> u32 {
        self.segmenter.next_index()
    }

    /// Takes one RTP packet of `track`, which arrived at `now` (`wall` on the wall clock).
    pub fn on_rtp(
        &mut self,
        track: Track,
        packet: Packet,
        now: Instant,
        wall: DateTime<Utc>,
    ) -> Result<Vec<Output>, MuxError> {
        let state = match track {
            Track::Video => self.video.as_mut(),
            Track::Audio => self.audio.as_mut(),
        };
        let Some(state) = state else {
            return Ok(Vec::new());
        };
        state.clock.on_packet(packet.timestamp, wall);
        let mut events = Vec::new();
        for released in state.reorder.push(packet, now) {
            events.extend(state.depacketizer.push(released));
        }
        let mut out = Vec::new();
        let mut frames = Vec::new();
        for e in events {
            match e {
                Event::KeyframeNeeded => out.push(Output::KeyframeNeeded),
                Event::Frame(f) => {
                    let at = state.clock.wall_clock(f.timestamp).unwrap_or(wall);
                    frames.push((f, at));
                }
            }
        }
        for (frame, at) in frames {
            out.extend(self.frame(track, frame, at)?);
        }
        Ok(out)
    }

    /// A sender report for `track`, received at `wall`: the sender's NTP time of RTP time
    /// `rtp`. The first report measures the sender's clock against the server's; every report
    /// then places its track on the sender's common clock, corrected by that offset, so the
    /// participant's audio and video line up and times stay the server's.
    pub fn on_sender_report(&mut self, track: Track, ntp: u64, rtp: u32, wall: DateTime<Utc>) {
        let Some(sent) = ntp_to_utc(ntp) else { return };
        let skew = *self.skew.get_or_insert(wall - sent);
        // A report far from when it arrived (a sender's clock jumping, or a sender moving its
        // own media in time) is ignored: reports may align, never relocate.
        if (sent + skew - wall).abs() > Duration::seconds(1) {
            return;
        }
        let state = match track {
            Track::Video => self.video.as_mut(),
            Track::Audio => self.audio.as_mut(),
        };
        if let Some(s) = state {
            s.clock.on_sender_report(sent + skew, rtp);
        }
    }

    fn frame(
        &mut self,
        track: Track,
        frame: Frame,
        at: DateTime<Utc>,
    ) -> Result<Vec<Output>, MuxError> {
        let video = track == Track::Video;
        let mut out = Vec::new();
        match self.segmenter.on_frame(at, video, video && frame.keyframe) {
            Decision::Keep => {}
            Decision::KeepAndAskKeyframe => out.push(Output::KeyframeNeeded),
            Decision::Start { index } => {
                // Frames of the other track stamped after this keyframe may already be in the
                // closing segment (a keyframe is many packets): it ends where this one starts.
                out.extend(self.close(Some(at))?.map(Output::Closed));
                self.start(index, &frame, at)?;
            }
        }
        if let Some(open) = &mut self.open {
            let ms = (at - open.start).num_milliseconds();
            open.writer.write(track, ms, &frame.data, frame.keyframe)?;
            open.last = open.last.max(at);
        }
        Ok(out)
    }

    fn start(&mut self, index: u32, first: &Frame, at: DateTime<Utc>) -> Result<(), MuxError> {
        let video = self.video.as_ref().map(|v| {
            let (width, height) = match v.codec {
                Codec::Vp8 => vp8_dimensions(&first.data).unwrap_or((640, 480)),
                _ => (640, 480),
            };
            VideoTrack {
                codec: v.codec,
                width,
                height,
            }
        });
        std::fs::create_dir_all(&self.dir)?;
        let path = self.dir.join(format!(
            "{}-{index:05}.{}",
            self.identity,
            mux::extension(video)
        ));
        let writer = SegmentWriter::create(&path, video, &first.data, self.audio.is_some())?;
        self.open = Some(Open {
            writer,
            index,
            path,
            start: at,
            last: at,
        });
        Ok(())
    }

    /// Closes the open segment, ending it at its last frame or at `next_start` if earlier.
    fn close(
        &mut self,
        next_start: Option<DateTime<Utc>>,
    ) -> Result<Option<ClosedSegment>, MuxError> {
        let Some(open) = self.open.take() else {
            return Ok(None);
        };
        open.writer.finish()?;
        let end = next_start.map_or(open.last, |n| open.last.min(n));
        Ok(Some(ClosedSegment {
            participant: self.identity.clone(),
            index: open.index,
            path: open.path,
            start: open.start,
            end: end.max(open.start),
        }))
    }

    /// The participant left or the call ended at `now`: what the reorder buffers still hold
    /// is written (a gap no longer waited for), then the open segment is closed.
    pub fn finish(&mut self, now: Instant) -> Result<Vec<Output>, MuxError> {
        let mut out = Vec::new();
        for track in [Track::Video, Track::Audio] {
            let state = match track {
                Track::Video => self.video.as_mut(),
                Track::Audio => self.audio.as_mut(),
            };
            let Some(state) = state else { continue };
            let mut frames = Vec::new();
            for released in state.reorder.poll(now + REORDER_WAIT) {
                for e in state.depacketizer.push(released) {
                    match e {
                        Event::KeyframeNeeded => {}
                        Event::Frame(f) => {
                            if let Some(at) = state.clock.wall_clock(f.timestamp) {
                                frames.push((f, at));
                            }
                        }
                    }
                }
            }
            for (frame, at) in frames {
                out.extend(self.frame(track, frame, at)?);
            }
        }
        out.extend(self.close(None)?.map(Output::Closed));
        Ok(out)
    }
}
