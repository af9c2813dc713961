//! Two interceptors of our own in webrtc-rs's sans-I/O chain.
//!
//! - [`KeyframeRequests`] marks incoming PLI and FIR for delivery to the
//!   application, so a subscriber's request can be relayed to the publisher
//!   (webrtc 0.21 stops all inbound RTCP at the end of the chain otherwise), and
//!   keeps the bandwidth estimate that the congestion controller (GCC over the
//!   subscriber's transport-wide feedback) attaches to the feedback on its way up.
//! - [`SimulatedLoss`] is a **test double for a lossy network**: on the wire
//!   side of the NACK responder it drops one in N outgoing media packets (never a
//!   retransmission), so tests can prove that NACKs recover them. Off unless
//!   configured.
//! - [`SimulatedBandwidth`] is a **test double for a narrow link**: on the same wire side it
//!   drops outgoing RTP beyond a cap (a token bucket, 100 ms of burst) that the test sets and
//!   changes while the call runs. Off unless configured.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use rtc::interceptor::{Attribute, Interceptor, Packet, StreamInfo, TaggedPacket};
use rtc::rtcp::payload_feedbacks::full_intra_request::FullIntraRequest;
use rtc::rtcp::payload_feedbacks::picture_loss_indication::PictureLossIndication;
use rtc::sansio::Protocol;
use rtc::shared::error::Error;

/// Application-most position: everything else has seen the packet already.
pub const KEYFRAME_REQUESTS_SLOT: usize = 14_000;
/// Wire-most position: after the NACK responder has buffered the packet.
pub const SIMULATED_LOSS_SLOT: usize = 100;

/// A pass-through queue pair, the part every interceptor here shares.
#[derive(Default)]
struct Queues {
    read: VecDeque<TaggedPacket>,
    write: VecDeque<TaggedPacket>,
}

/// `Interceptor` for a type that keeps no per-stream state.
macro_rules! stateless_interceptor {
    ($t:ty) => {
        impl Interceptor for $t {
            fn bind_local_stream(&mut self, _: &StreamInfo) {}
            fn unbind_local_stream(&mut self, _: &StreamInfo) {}
            fn bind_remote_stream(&mut self, _: &StreamInfo) {}
            fn unbind_remote_stream(&mut self, _: &StreamInfo) {}
        }
    };
}

/// A test double on the wire: what is read passes, what is written passes when the type's
/// `keeps(&mut self, &TaggedPacket) -> bool` says so.
macro_rules! wire_filter {
    ($t:ty) => {
        impl Protocol<TaggedPacket, TaggedPacket, ()> for $t {
            type Rout = TaggedPacket;
            type Wout = TaggedPacket;
            type Eout = ();
            type Error = Error;
            type Time = Instant;

            fn handle_read(&mut self, msg: TaggedPacket) -> Result<(), Error> {
                self.q.read.push_back(msg);
                Ok(())
            }
            fn poll_read(&mut self) -> Option<TaggedPacket> {
                self.q.read.pop_front()
            }
            fn handle_write(&mut self, msg: TaggedPacket) -> Result<(), Error> {
                if self.keeps(&msg) {
                    self.q.write.push_back(msg);
                }
                Ok(())
            }
            fn poll_write(&mut self) -> Option<TaggedPacket> {
                self.q.write.pop_front()
            }
        }
        stateless_interceptor!($t);
    };
}

#[derive(Default)]
pub struct KeyframeRequests {
    q: Queues,
    /// Where the latest bandwidth estimate (bits/s) is kept, on a subscribe connection.
    estimate: Option<Arc<AtomicU64>>,
}

impl KeyframeRequests {
    pub fn with_estimate(estimate: Arc<AtomicU64>) -> Self {
        KeyframeRequests {
            q: Queues::default(),
            estimate: Some(estimate),
        }
    }
}

fn is_keyframe_request(p: &dyn rtc::rtcp::Packet) -> bool {
    p.as_any().is::<PictureLossIndication>() || p.as_any().is::<FullIntraRequest>()
}

impl Protocol<TaggedPacket, TaggedPacket, ()> for KeyframeRequests {
    type Rout = TaggedPacket;
    type Wout = TaggedPacket;
    type Eout = ();
    type Error = Error;
    type Time = Instant;

    fn handle_read(&mut self, mut msg: TaggedPacket) -> Result<(), Error> {
        if let (Some(estimate), Some(Attribute::TargetBitrateChanged { bits_per_second })) = (
            &self.estimate,
            msg.message.get(&Attribute::TargetBitrateChanged {
                bits_per_second: 0.0,
            }),
        ) {
            estimate.store(*bits_per_second as u64, Ordering::Relaxed);
        }
        if let Packet::Rtcp(packets) = &msg.message.packet {
            let requests: Vec<_> = packets
                .iter()
                .filter(|p| is_keyframe_request(p.as_ref()))
                .cloned()
                .collect();
            if requests.is_empty() {
                // Reports and NACKs were handled by the interceptors before us.
                return Ok(());
            }
            msg.message.packet = Packet::Rtcp(requests);
            msg.message.add(Attribute::DeliverToApplication);
        }
        self.q.read.push_back(msg);
        Ok(())
    }
    fn poll_read(&mut self) -> Option<TaggedPacket> {
        self.q.read.pop_front()
    }
    fn handle_write(&mut self, msg: TaggedPacket) -> Result<(), Error> {
        self.q.write.push_back(msg);
        Ok(())
    }
    fn poll_write(&mut self) -> Option<TaggedPacket> {
        self.q.write.pop_front()
    }
}

stateless_interceptor!(KeyframeRequests);

/// Drops one in `every` outgoing RTP packets that are not retransmissions.
pub struct SimulatedLoss {
    every: u64,
    seen: u64,
    dropped: Arc<AtomicU64>,
    q: Queues,
}

impl SimulatedLoss {
    pub fn new(every: u32, dropped: Arc<AtomicU64>) -> Self {
        SimulatedLoss {
            every: u64::from(every.max(2)),
            seen: 0,
            dropped,
            q: Queues::default(),
        }
    }
}

impl SimulatedLoss {
    fn keeps(&mut self, msg: &TaggedPacket) -> bool {
        if matches!(msg.message.packet, Packet::Rtp(_))
            && !msg.message.has(&Attribute::Retransmission)
        {
            self.seen += 1;
            if self.seen % self.every == 0 {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                return false;
            }
        }
        true
    }
}

wire_filter!(SimulatedLoss);

/// Wire-most position, next to the simulated loss.
pub const SIMULATED_BANDWIDTH_SLOT: usize = 101;

/// TEST DOUBLE for a narrow link: outgoing RTP beyond `cap` bits/s (0: no cap) is dropped,
/// as a full bottleneck queue would.
pub struct SimulatedBandwidth {
    cap: Arc<AtomicU64>,
    /// Bits that may go out now, and when they were last topped up.
    tokens: f64,
    last: Option<Instant>,
    dropped: Arc<AtomicU64>,
    q: Queues,
}

impl SimulatedBandwidth {
    pub fn new(cap: Arc<AtomicU64>, dropped: Arc<AtomicU64>) -> Self {
        SimulatedBandwidth {
            cap,
            tokens: 0.0,
            last: None,
            dropped,
            q: Queues::default(),
        }
    }

    /// Whether a packet of `bytes` fits through the link at `now`.
    fn admits(&mut self, bytes: usize, now: Instant) -> bool {
        let cap = self.cap.load(Ordering::Relaxed) as f64;
        if cap == 0.0 {
            return true;
        }
        let elapsed = self
            .last
            .map_or(0.0, |t| now.duration_since(t).as_secs_f64());
        self.last = Some(now);
        self.tokens = (self.tokens + cap * elapsed).min(cap * 0.1);
        let bits = (bytes * 8) as f64;
        if self.tokens < bits {
            return false;
        }
        self.tokens -= bits;
        true
    }
}

impl SimulatedBandwidth {
    fn keeps(&mut self, msg: &TaggedPacket) -> bool {
        let Packet::Rtp(p) = &msg.message.packet else {
            return true;
        };
        // Header, payload and SRTP's tag, roughly what goes on the wire.
        let bytes = 12 + p.header.extensions.len() * 4 + p.payload.len() + 10;
        if self.admits(bytes, Instant::now()) {
            return true;
        }
        self.dropped.fetch_add(1, Ordering::Relaxed);
        false
    }
}

wire_filter!(SimulatedBandwidth);

#[cfg(test)]
mod narrow_link_tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_link_lets_through_about_its_cap() {
        let cap = Arc::new(AtomicU64::new(400_000));
        let mut link = SimulatedBandwidth::new(cap.clone(), Arc::default());
        let t0 = Instant::now();
        // 1.2 Mbit/s offered for 10 s: 1000-byte packets every 6.67 ms.
        let mut passed = 0usize;
        for i in 0..1500u64 {
            if link.admits(1000, t0 + Duration::from_micros(i * 6667)) {
                passed += 1;
            }
        }
        let rate = (passed * 8000) as f64 / 10.0;
        assert!((380_000.0..=420_000.0).contains(&rate), "{rate} bit/s");
        cap.store(0, Ordering::Relaxed);
        assert!(
            link.admits(1_000_000, t0 + Duration::from_secs(11)),
            "no cap"
        );
    }
}
