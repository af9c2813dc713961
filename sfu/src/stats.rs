//! What an operator sees of calls: per room and participant, packets and bytes
//! forwarded, bitrate, loss, jitter and round-trip time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rtc::rtp_transceiver::rtp_sender::RtpCodecKind;
use serde::Serialize;
use webrtc::peer_connection::{PeerConnection, RTCStatsReportEntry, StatsSelector};

/// Counters kept on the forwarding path (relaxed atomics: a few per packet).
#[derive(Debug, Default)]
pub struct Counters {
    pub packets: AtomicU64,
    pub bytes: AtomicU64,
    /// Packets a full subscriber queue refused.
    pub dropped: AtomicU64,
}

impl Counters {
    pub fn count(&self, bytes: usize) {
        self.packets.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }
    pub fn read(&self) -> (u64, u64, u64) {
        (
            self.packets.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
            self.dropped.load(Ordering::Relaxed),
        )
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TrackStats {
    pub track_id: String,
    pub kind: String,
    pub packets: u64,
    pub bytes: u64,
    /// Packets not forwarded because this subscriber's queue was full (down-tracks only).
    pub queue_drops: u64,
    /// Simulcast: the layer forwarded to this subscriber (down-tracks), or the largest layer
    /// the publisher sends (up-tracks); `None` for a single encoding.
    pub layer: Option<u8>,
}

/// One connection's view from webrtc's statistics.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LinkStats {
    /// Media packets the remote reported lost (publish leg: we lost; subscribe leg: they lost).
    pub packets_lost: i64,
    /// Largest inter-arrival jitter of the received streams, in milliseconds.
    pub jitter_ms: f64,
    /// Mean round-trip time from RTCP receiver reports, in milliseconds.
    pub rtt_ms: Option<f64>,
    pub nacks: u64,
    pub plis: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParticipantStats {
    pub identity: String,
    pub published: Vec<TrackStats>,
    pub subscribed: Vec<TrackStats>,
    /// Since the previous snapshot.
    pub bitrate_in_kbps: f64,
    pub bitrate_out_kbps: f64,
    /// The bandwidth estimate towards this participant (from their transport-wide congestion
    /// feedback), which picks the simulcast layers they get; `None` before any feedback.
    pub bandwidth_estimate_kbps: Option<f64>,
    pub publish_link: LinkStats,
    pub subscribe_link: LinkStats,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoomStats {
    pub room: String,
    pub participants: Vec<ParticipantStats>,
}

/// webrtc 0.21 reports inbound jitter in RTP timestamp units (the receiver report's
/// field, cast), though its documentation says seconds: convert with the clock rate of our
/// codecs (90 kHz video, 48 kHz Opus).
fn jitter_ms(jitter: f64, kind: RtpCodecKind) -> f64 {
    let clock_rate = if kind == RtpCodecKind::Audio {
        48_000.0
    } else {
        90_000.0
    };
    jitter / clock_rate * 1000.0
}

pub async fn link(pc: &dyn PeerConnection) -> LinkStats {
    let report = pc.get_stats(Instant::now(), StatsSelector::None).await;
    let mut s = LinkStats::default();
    let mut rtts = Vec::new();
    for entry in report.iter() {
        match entry {
            RTCStatsReportEntry::InboundRtp(i) => {
                s.packets_lost += i.received_rtp_stream_stats.packets_lost;
                let received = &i.received_rtp_stream_stats;
                s.jitter_ms = s
                    .jitter_ms
                    .max(jitter_ms(received.jitter, received.rtp_stream_stats.kind));
                s.nacks += u64::from(i.nack_count);
                s.plis += u64::from(i.pli_count);
            }
            RTCStatsReportEntry::RemoteInboundRtp(r) => {
                s.packets_lost += r.received_rtp_stream_stats.packets_lost;
                if r.round_trip_time_measurements > 0 {
                    rtts.push(r.round_trip_time * 1000.0);
                }
            }
            _ => {}
        }
    }
    if !rtts.is_empty() {
        s.rtt_ms = Some(rtts.iter().sum::<f64>() / rtts.len() as f64);
    }
    s
}

/// Bitrate in kbit/s from a byte count now and the one at the previous snapshot.
pub fn kbps(bytes_now: u64, before: Option<(u64, Instant)>, now: Instant) -> f64 {
    match before {
        Some((b, t)) if now > t && bytes_now >= b => {
            (bytes_now - b) as f64 * 8.0 / 1000.0 / (now - t).as_secs_f64()
        }
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn jitter_in_timestamp_units_becomes_milliseconds_by_the_kinds_clock() {
        assert_eq!(jitter_ms(900.0, RtpCodecKind::Video), 10.0);
        assert_eq!(jitter_ms(480.0, RtpCodecKind::Audio), 10.0);
        assert_eq!(jitter_ms(0.0, RtpCodecKind::Audio), 0.0);
    }

    #[test]
    fn bitrate_is_bytes_over_the_interval() {
        let t0 = Instant::now();
        let t1 = t0 + Duration::from_secs(2);
        assert_eq!(kbps(250_000 + 1_000, Some((1_000, t0)), t1), 1000.0);
        assert_eq!(kbps(5, None, t1), 0.0, "no previous snapshot");
        assert_eq!(
            kbps(5, Some((10, t0)), t1),
            0.0,
            "a reset counter is not negative traffic"
        );
    }
}
