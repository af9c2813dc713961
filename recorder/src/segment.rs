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
    /// When a keyframe was last asked for, while one is awaited.
    asked: Option<DateTime<Utc>>,
}

/// A keyframe asked for and not come (the request or the keyframe lost on the way) is asked
/// for again after this long.
const ASK_AGAIN_AFTER: Duration = Duration::seconds(1);

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
            asked: None,
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
                // Dropped by the caller: nothing before the first keyframe, which the start of
                // the recording asked for; asked again if it does not come.
                return self.ask_if_due(at, video);
            }
            self.started = Some((self.first, at));
            self.asked = None;
            return Decision::Start { index: self.first };
        };
        if at - start < self.target {
            return Decision::Keep;
        }
        if can_start {
            self.started = Some((index + 1, at));
            self.asked = None;
            return Decision::Start { index: index + 1 };
        }
        self.ask_if_due(at, video)
    }

    /// Asks for a keyframe (on a video frame) unless one was asked for less than
    /// `ASK_AGAIN_AFTER` ago; before the first segment the recording's start has asked.
    fn ask_if_due(&mut self, at: DateTime<Utc>, video: bool) -> Decision {
        if !self.has_video || !video {
            return Decision::Keep;
        }
        if self.asked.is_none() && self.started.is_none() {
            self.asked = Some(at); // the recording's start asked just now
            return Decision::Keep;
        }
        if self.asked.is_some_and(|t| at - t < ASK_AGAIN_AFTER) {
            return Decision::Keep;
        }
        self.asked = Some(at);
        Decision::KeepAndAskKeyframe
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
    fn a_keyframe_that_does_not_come_is_asked_for_again_every_second() {
        let mut s = Segmenter::new(Duration::seconds(4), true);
        // Before the first: the recording's start asked; again a second later.
        assert_eq!(s.on_frame(t(0), true, false), Decision::Keep);
        assert_eq!(s.on_frame(t(990), true, false), Decision::Keep);
        assert_eq!(
            s.on_frame(t(1_000), false, false),
            Decision::Keep,
            "on video"
        );
        assert_eq!(
            s.on_frame(t(1_010), true, false),
            Decision::KeepAndAskKeyframe
        );
        assert_eq!(s.on_frame(t(1_500), true, false), Decision::Keep);
        assert_eq!(
            s.on_frame(t(2_020), true, false),
            Decision::KeepAndAskKeyframe
        );
        assert_eq!(
            s.on_frame(t(2_100), true, true),
            Decision::Start { index: 0 }
        );
        // Past the target: asked at once, then again every second until it comes.
        assert_eq!(
            s.on_frame(t(6_100), true, false),
            Decision::KeepAndAskKeyframe
        );
        assert_eq!(s.on_frame(t(6_900), true, false), Decision::Keep);
        assert_eq!(
            s.on_frame(t(7_100), true, false),
            Decision::KeepAndAskKeyframe
        );
        assert_eq!(
            s.on_frame(t(7_200), true, true),
            Decision::Start { index: 1 }
        );
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
