//! Where a participant's recording is cut into segments, as a pure function of the frames'
//! wall-clock times. Each segment must start with a video keyframe so that it plays on its
//! own: once a segment is `target` long, the recorder asks the publisher for a keyframe (a
//! PLI) and the next keyframe starts the next segment. Audio-only recordings cut at the first
//! frame past `target`.

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The frame belongs to the current segment.
    Keep,
    /// The frame belongs to the current segment; ask the publisher for a keyframe now.
    KeepAndAskKeyframe,
    /// The frame starts segment `index` (the first is 0, or the one the segmenter was given).
    Start { index: u32 },
}

pub struct Segmenter {
    target: Duration,
    has_video: bool,
    /// The index of the first segment.
    first: u32,
    started: Option<(u32, DateTime<Utc>)>,
    asked: bool,
}

impl Segmenter {
    pub fn new(target: Duration, has_video: bool) -> Self {
        Self::starting_at(target, has_video, 0)
    }

    /// A segmenter whose first segment is number `first` (a recording that goes on with
    /// another set of tracks).
    pub fn starting_at(target: Duration, has_video: bool, first: u32) -> Self {
        Segmenter {
            target,
            has_video,
            first,
            started: None,
            asked: false,
        }
    }

    /// Decides for a frame at `at`. `keyframe` is whether it is a video keyframe (audio frames
    /// pass `false` when the recording has video, since only video can start a segment then).
    pub fn on_frame(&mut self, at: DateTime<Utc>, video: bool, keyframe: bool) -> Decision {
        let can_start = if self.has_video {
            video && keyframe
        } else {
            true
        };
        let Some((index, start)) = self.started else {
            if !can_start {
                return Decision::Keep; // dropped by the caller: nothing before the first keyframe
            }
            self.started = Some((self.first, at));
            return Decision::Start { index: self.first };
        };
        if at - start < self.target {
            return Decision::Keep;
        }
        if can_start {
            self.started = Some((index + 1, at));
            self.asked = false;
            return Decision::Start { index: index + 1 };
        }
        if self.has_video && !self.asked {
            self.asked = true;
            return Decision::KeepAndAskKeyframe;
        }
        Decision::Keep
    }

    /// The number the next segment would have.
    pub fn next_index(&self) -> u32 {
        self.started.map_or(self.first, |(index, _)| index + 1)
    }

    /// The current segment's index and start, if one was started.
    pub fn current(&self) -> Option<(u32, DateTime<Utc>)> {
        self.started
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ms: i64) -> DateTime<Utc> {
        "2026-11-21T12:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::milliseconds(ms)
    }

    #[test]
    fn video_segments_start_on_keyframes_after_the_target_and_ask_for_one_once() {
        let mut s = Segmenter::new(Duration::seconds(4), true);
        assert_eq!(s.on_frame(t(0), false, false), Decision::Keep); // audio before any keyframe
        assert_eq!(s.on_frame(t(10), true, true), Decision::Start { index: 0 });
        assert_eq!(s.on_frame(t(3_999), true, false), Decision::Keep);
        assert_eq!(
            s.on_frame(t(4_010), true, false),
            Decision::KeepAndAskKeyframe
        );
        assert_eq!(s.on_frame(t(4_020), false, false), Decision::Keep);
        assert_eq!(s.on_frame(t(4_040), true, false), Decision::Keep);
        assert_eq!(
            s.on_frame(t(4_200), true, true),
            Decision::Start { index: 1 }
        );
        assert_eq!(s.current(), Some((1, t(4_200))));
        // A keyframe before the target does not cut.
        assert_eq!(s.on_frame(t(5_000), true, true), Decision::Keep);
    }

    #[test]
    fn audio_only_recordings_cut_at_the_first_frame_past_the_target() {
        let mut s = Segmenter::new(Duration::seconds(2), false);
        assert_eq!(s.on_frame(t(0), false, false), Decision::Start { index: 0 });
        assert_eq!(s.on_frame(t(1_980), false, false), Decision::Keep);
        assert_eq!(
            s.on_frame(t(2_000), false, false),
            Decision::Start { index: 1 }
        );
    }
}
