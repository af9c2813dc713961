//! Puts RTP packets back in sequence order, drops duplicates, and gives up on a missing
//! packet after `max_wait` (reporting the loss, so the recorder can ask for a keyframe).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::{Packet, Unwrapper};

/// What came out of the buffer, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Released {
    Packet(Packet),
    /// `count` packets before the next one never came.
    Lost {
        count: u64,
    },
}

pub struct Reorder {
    max_wait: Duration,
    /// The maximum packets held while waiting; a longer gap is given up at once.
    capacity: usize,
    unwrap: Unwrapper<16>,
    /// The next extended sequence number to release.
    next: Option<u64>,
    held: BTreeMap<u64, Packet>,
    /// When the packet `next` was first found missing (packets after it were held).
    gap_since: Option<Instant>,
}

impl Reorder {
    pub fn new(max_wait: Duration, capacity: usize) -> Self {
        Reorder {
            max_wait,
            capacity: capacity.max(1),
            unwrap: Unwrapper::default(),
            next: None,
            held: BTreeMap::new(),
            gap_since: None,
        }
    }

    /// Takes a packet that arrived at `now`; returns what can be released.
    pub fn push(&mut self, packet: Packet, now: Instant) -> Vec<Released> {
        let seq = self.unwrap.extend(u32::from(packet.sequence));
        let next = *self.next.get_or_insert(seq);
        if seq < next || self.held.contains_key(&seq) {
            return self.poll(now); // late or duplicate
        }
        self.held.insert(seq, packet);
        self.poll(now)
    }

    /// Releases what is in order, and skips a gap waited for `max_wait` (from when it was
    /// first seen) or too long to hold.
    pub fn poll(&mut self, now: Instant) -> Vec<Released> {
        let mut out = Vec::new();
        while let Some(next) = self.next {
            if let Some(packet) = self.held.remove(&next) {
                out.push(Released::Packet(packet));
                self.next = Some(next + 1);
                self.gap_since = None;
                continue;
            }
            let Some(&first) = self.held.keys().next() else {
                break;
            };
            let since = *self.gap_since.get_or_insert(now);
            if now.saturating_duration_since(since) >= self.max_wait
                || self.held.len() >= self.capacity
            {
                out.push(Released::Lost {
                    count: first - next,
                });
                self.next = Some(first);
                self.gap_since = None;
            } else {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(sequence: u16) -> Packet {
        Packet {
            sequence,
            timestamp: 0,
            marker: false,
            payload: vec![sequence as u8],
        }
    }

    fn seqs(r: &[Released]) -> Vec<String> {
        r.iter()
            .map(|x| match x {
                Released::Packet(p) => p.sequence.to_string(),
                Released::Lost { count } => format!("lost {count}"),
            })
            .collect()
    }

    #[test]
    fn out_of_order_packets_come_out_in_order_and_duplicates_once() {
        let t = Instant::now();
        let mut r = Reorder::new(Duration::from_millis(100), 64);
        let mut out = Vec::new();
        for s in [10, 12, 11, 11, 13, 12] {
            out.extend(r.push(p(s), t));
        }
        assert_eq!(seqs(&out), ["10", "11", "12", "13"]);
    }

    #[test]
    fn a_gap_is_waited_for_then_reported_lost() {
        let t = Instant::now();
        let mut r = Reorder::new(Duration::from_millis(100), 64);
        assert_eq!(seqs(&r.push(p(1), t)), ["1"]);
        assert!(r.push(p(4), t).is_empty());
        assert!(r.poll(t + Duration::from_millis(99)).is_empty());
        assert_eq!(
            seqs(&r.poll(t + Duration::from_millis(100))),
            ["lost 2", "4"]
        );
        // What arrives after it was given up is too late.
        assert!(r.push(p(2), t + Duration::from_millis(101)).is_empty());
    }

    #[test]
    fn the_wait_counts_from_when_the_gap_was_first_seen() {
        let t = Instant::now();
        let mut r = Reorder::new(Duration::from_millis(100), 64);
        r.push(p(1), t);
        assert!(r.push(p(4), t).is_empty());
        // A packet behind the gap arriving later does not restart the wait.
        assert!(r.push(p(3), t + Duration::from_millis(60)).is_empty());
        assert_eq!(
            seqs(&r.poll(t + Duration::from_millis(100))),
            ["lost 1", "3", "4"]
        );
    }

    #[test]
    fn order_survives_the_sequence_wrap() {
        let t = Instant::now();
        let mut r = Reorder::new(Duration::from_millis(100), 64);
        let mut out = Vec::new();
        for s in [65_534, 0, 65_535, 1] {
            out.extend(r.push(p(s), t));
        }
        assert_eq!(seqs(&out), ["65534", "65535", "0", "1"]);
    }

    #[test]
    fn a_full_buffer_gives_up_the_gap_at_once() {
        let t = Instant::now();
        let mut r = Reorder::new(Duration::from_secs(10), 3);
        r.push(p(0), t);
        r.push(p(2), t);
        r.push(p(3), t);
        assert_eq!(seqs(&r.push(p(4), t)), ["lost 1", "2", "3", "4"]);
    }
}
