//! A room's tap: a copy of every published track's RTP (and the publishers' sender reports)
//! for the Legal Mode recorder inside the server. The tap never slows the call: its queue is
//! bounded and a full queue drops (the recorder sees the gap in sequence numbers and asks for
//! a keyframe).

use std::sync::Arc;
use std::time::Instant;

use rtc::rtp::packet::Packet;

use crate::tracks::UpTrack;

/// How many events the tap holds before it drops.
pub const TAP_QUEUE: usize = 4096;

pub type TapSender = tokio::sync::mpsc::Sender<TapEvent>;

#[derive(Debug)]
pub enum TapEvent {
    /// A track to record (sent for every track published while the tap is on, and for those
    /// already published when it is put on).
    Track {
        identity: String,
        track_id: Arc<str>,
        /// `audio` or `video`.
        kind: &'static str,
        mime_type: String,
        keyframes: KeyframeRequester,
    },
    /// (One per forwarded packet: the id is shared, not copied.)
    Rtp {
        track_id: Arc<str>,
        packet: Packet,
        at: Instant,
    },
    /// An RTCP sender report: the publisher's NTP time (64-bit) of RTP time `rtp`.
    SenderReport {
        track_id: Arc<str>,
        ntp: u64,
        rtp: u32,
    },
    /// The track was unpublished (or its publisher left).
    Ended { track_id: Arc<str> },
    /// The room's tap was taken off (or replaced): nothing more comes through this tap.
    Off,
}

/// Asks a tapped track's publisher for a keyframe (a PLI, rate-limited like everyone's).
#[derive(Clone)]
pub struct KeyframeRequester(pub(crate) Arc<UpTrack>);

impl KeyframeRequester {
    pub async fn request(&self) {
        self.0.request_keyframe().await
    }
}

impl std::fmt::Debug for KeyframeRequester {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyframeRequester({})", self.0.id())
    }
}
