//! RTP time to wall-clock time. A track's clock is anchored at the server's arrival time of
//! its first packet. `on_sender_report` re-anchors it at the (sender time, RTP) pair of an
//! RTCP sender report; the caller corrects the sender's time by the offset between the
//! sender's clock and the server's (measured once per participant), so that reports line a
//! participant's audio up with their video while absolute time stays the server's.

use chrono::{DateTime, Duration, Utc};

use super::Unwrapper;

/// Seconds from 1900-01-01 (NTP's epoch) to 1970-01-01.
const NTP_UNIX_OFFSET: u64 = 2_208_988_800;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The first packet's arrival (no sender report yet).
    Arrival,
    SenderReport,
}

pub struct MediaClock {
    rate: u32,
    unwrap: Unwrapper<32>,
    anchor: Option<(u64, DateTime<Utc>, Anchor)>,
}

/// A 64-bit NTP timestamp as a UTC instant.
pub fn ntp_to_utc(ntp: u64) -> Option<DateTime<Utc>> {
    let secs = (ntp >> 32).checked_sub(NTP_UNIX_OFFSET)?;
    let nanos = ((ntp & 0xffff_ffff) * 1_000_000_000) >> 32;
    DateTime::from_timestamp(i64::try_from(secs).ok()?, nanos as u32)
}

impl MediaClock {
    /// A clock for a track whose RTP clock runs at `rate` Hz (90 000 video, 48 000 Opus).
    pub fn new(rate: u32) -> Self {
        MediaClock {
            rate: rate.max(1),
            unwrap: Unwrapper::default(),
            anchor: None,
        }
    }

    /// A packet with RTP timestamp `ts` arrived at `arrival`; returns its extended timestamp.
    pub fn on_packet(&mut self, ts: u32, arrival: DateTime<Utc>) -> u64 {
        let ext = self.unwrap.extend(ts);
        if self.anchor.is_none() {
            self.anchor = Some((ext, arrival, Anchor::Arrival));
        }
        ext
    }

    /// A sender report said RTP time `rtp` was `at` (already on the server's clock).
    pub fn on_sender_report(&mut self, at: DateTime<Utc>, rtp: u32) {
        let ext = self.unwrap.extend(rtp);
        self.anchor = Some((ext, at, Anchor::SenderReport));
    }

    pub fn anchor(&self) -> Option<Anchor> {
        self.anchor.map(|a| a.2)
    }

    /// The wall-clock time of an extended RTP timestamp.
    pub fn wall_clock(&self, ext: u64) -> Option<DateTime<Utc>> {
        let (base, at, _) = self.anchor?;
        let ticks = i128::from(ext) - i128::from(base);
        let micros = ticks * 1_000_000 / i128::from(self.rate);
        Some(at + Duration::microseconds(i64::try_from(micros).ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn ntp_seconds_and_fraction_become_utc() {
        // 2026-11-21T12:00:00.5Z
        let unix = at("2026-11-21T12:00:00Z").timestamp() as u64;
        let ntp = ((unix + NTP_UNIX_OFFSET) << 32) | 0x8000_0000;
        assert_eq!(ntp_to_utc(ntp), Some(at("2026-11-21T12:00:00.5Z")));
    }

    #[test]
    fn arrival_anchors_until_a_sender_report_moves_the_clock() {
        let mut c = MediaClock::new(90_000);
        let first = c.on_packet(1_000, at("2026-11-21T12:00:00Z"));
        let later = c.on_packet(1_000 + 90_000, at("2026-11-21T12:00:01.2Z"));
        assert_eq!(c.anchor(), Some(Anchor::Arrival));
        // Arrival jitter does not move the clock: RTP time decides.
        assert_eq!(c.wall_clock(later), Some(at("2026-11-21T12:00:01Z")));
        // The sender says RTP 1 000 was 11:59:59.9.
        let unix = at("2026-11-21T11:59:59Z").timestamp() as u64;
        let ntp = ((unix + NTP_UNIX_OFFSET) << 32) | ((0.9f64 * 4_294_967_296.0) as u64);
        c.on_sender_report(ntp_to_utc(ntp).unwrap(), 1_000);
        assert_eq!(c.anchor(), Some(Anchor::SenderReport));
        let t = c.wall_clock(first).unwrap();
        assert!(
            (t - at("2026-11-21T11:59:59.9Z"))
                .num_microseconds()
                .unwrap()
                .abs()
                <= 1
        );
    }

    #[test]
    fn the_clock_runs_across_the_32_bit_wrap() {
        let mut c = MediaClock::new(48_000);
        let a = c.on_packet(u32::MAX - 47_999, at("2026-11-21T12:00:00Z"));
        let b = c.on_packet(48_000, at("2026-11-21T12:00:02Z"));
        assert_eq!(
            c.wall_clock(b).unwrap() - c.wall_clock(a).unwrap(),
            Duration::seconds(2)
        );
    }
}
