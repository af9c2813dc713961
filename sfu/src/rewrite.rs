//! Per-subscriber RTP rewriting: each down-track has its own SSRC and payload
//! type, and a continuous sequence-number and timestamp space even when its
//! source changes (another simulcast layer, a republished track). Pure: fed
//! packets, it returns what to send.

use rtc::rtp::packet::Packet;

/// Rewrites one source's packets into one subscriber's stream.
#[derive(Debug, Clone)]
pub struct Rewriter {
    ssrc: u32,
    payload_type: u8,
    /// The source currently forwarded and how its numbers map onto ours.
    source: Option<SourceMap>,
    /// The last sequence number and timestamp we sent.
    last_out: Option<(u16, u32)>,
}

#[derive(Debug, Clone, Copy)]
struct SourceMap {
    ssrc: u32,
    seq_offset: u16,
    ts_offset: u32,
}

impl Rewriter {
    pub fn new(ssrc: u32, payload_type: u8) -> Self {
        Rewriter {
            ssrc,
            payload_type,
            source: None,
            last_out: None,
        }
    }

    /// Rewrites `packet` in place (its header extensions already stripped, see
    /// [`strip_foreign_extensions`]). A packet from a new source continues our
    /// numbering just after the last packet sent; `ts_gap` is the timestamp step
    /// to leave at such a switch (one frame, in the codec's clock).
    pub fn rewrite(&mut self, packet: &mut Packet, ts_gap: u32) {
        let h = &mut packet.header;
        let map = match self.source {
            Some(m) if m.ssrc == h.ssrc => m,
            _ => {
                let (seq_offset, ts_offset) = match self.last_out {
                    None => (0, 0),
                    Some((seq, ts)) => (
                        seq.wrapping_add(1).wrapping_sub(h.sequence_number),
                        ts.wrapping_add(ts_gap).wrapping_sub(h.timestamp),
                    ),
                };
                let m = SourceMap {
                    ssrc: h.ssrc,
                    seq_offset,
                    ts_offset,
                };
                self.source = Some(m);
                m
            }
        };
        h.ssrc = self.ssrc;
        h.payload_type = self.payload_type;
        h.sequence_number = h.sequence_number.wrapping_add(map.seq_offset);
        h.timestamp = h.timestamp.wrapping_add(map.ts_offset);
        let newer = match self.last_out {
            None => true,
            Some((seq, _)) => seq_newer(h.sequence_number, seq),
        };
        if newer {
            self.last_out = Some((h.sequence_number, h.timestamp));
        }
    }
}

/// `a` comes after `b` in RTP's wrapping sequence space.
pub fn seq_newer(a: u16, b: u16) -> bool {
    a != b && a.wrapping_sub(b) < 0x8000
}

/// The publisher's header extensions were negotiated on its leg, not on any subscriber's:
/// they are dropped once, before the packet fans out (so its clones allocate nothing).
pub(crate) fn strip_foreign_extensions(h: &mut rtc::rtp::header::Header) {
    h.extension = false;
    h.extensions.clear();
    h.extension_profile = 0;
    // The parsed packet's padding too: left behind, it would miscount the size of the
    // extensions our own interceptors add (transport-wide sequence numbers), and SRTP would
    // refuse the packet.
    h.extensions_padding = 0;
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtc::rtp::header::Header;

    fn pkt(ssrc: u32, seq: u16, ts: u32) -> Packet {
        Packet {
            header: Header {
                version: 2,
                payload_type: 120,
                ssrc,
                sequence_number: seq,
                timestamp: ts,
                ..Default::default()
            },
            payload: bytes::Bytes::from_static(b"x"),
        }
    }

    fn run(r: &mut Rewriter, ssrc: u32, seq: u16, ts: u32) -> (u32, u8, u16, u32) {
        let mut p = pkt(ssrc, seq, ts);
        r.rewrite(&mut p, 3000);
        (
            p.header.ssrc,
            p.header.payload_type,
            p.header.sequence_number,
            p.header.timestamp,
        )
    }

    #[test]
    fn a_single_source_keeps_its_numbers_under_our_ssrc_and_payload_type() {
        let mut r = Rewriter::new(42, 96);
        assert_eq!(run(&mut r, 7, 100, 9000), (42, 96, 100, 9000));
        assert_eq!(run(&mut r, 7, 101, 12000), (42, 96, 101, 12000));
    }

    #[test]
    fn switching_sources_continues_the_sequence_without_a_gap() {
        let mut r = Rewriter::new(42, 96);
        run(&mut r, 7, 100, 9000);
        run(&mut r, 7, 101, 12000);
        // Another layer with unrelated numbers.
        assert_eq!(run(&mut r, 8, 5000, 777), (42, 96, 102, 15000));
        assert_eq!(run(&mut r, 8, 5001, 3777), (42, 96, 103, 18000));
    }

    #[test]
    fn wrapping_sequence_numbers_stay_continuous() {
        let mut r = Rewriter::new(1, 111);
        run(&mut r, 7, 65535, 0);
        assert_eq!(run(&mut r, 7, 0, 960).2, 0);
        assert_eq!(
            run(&mut r, 9, 10, 50).2,
            1,
            "a switch after the wrap continues at 1"
        );
        assert!(seq_newer(0, 65535) && !seq_newer(65535, 0));
    }

    #[test]
    fn a_late_retransmission_does_not_move_the_switch_point_back() {
        let mut r = Rewriter::new(1, 96);
        run(&mut r, 7, 10, 0);
        run(&mut r, 7, 11, 0);
        run(&mut r, 7, 9, 0); // late
        assert_eq!(run(&mut r, 8, 500, 0).2, 12);
    }

    #[test]
    fn foreign_header_extensions_are_stripped() {
        let mut r = Rewriter::new(1, 96);
        let mut p = pkt(7, 1, 1);
        p.header.extension = true;
        p.header.extension_profile = 0xBEDE;
        p.header.extensions.push(rtc::rtp::header::Extension {
            id: 4,
            payload: bytes::Bytes::from_static(b"\x01"),
        });
        p.header.extensions_padding = 1;
        strip_foreign_extensions(&mut p.header);
        r.rewrite(&mut p, 0);
        assert!(!p.header.extension && p.header.extensions.is_empty());
        // An extension of ours added afterwards marshals to the size it announces.
        p.header
            .set_extension(3, bytes::Bytes::from_static(b"\x00\x01"))
            .unwrap();
        use rtc::shared::marshal::{Marshal, MarshalSize};
        let mut buf = vec![0u8; p.marshal_size()];
        assert_eq!(p.marshal_to(&mut buf).unwrap(), p.marshal_size());
    }
}
