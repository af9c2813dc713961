//! RTP payloads into media frames: VP8 (RFC 7741), H.264 (RFC 6184, packetization mode 1,
//! into Annex B) and Opus (RFC 7587, one packet per frame). After a loss, video frames are
//! dropped until the next keyframe (they would not decode) and a keyframe is asked for.

use super::reorder::Released;
use super::{Packet, Unwrapper};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Vp8,
    H264,
    Opus,
}

impl Codec {
    /// From an SDP/RTP MIME type such as `video/VP8`.
    pub fn from_mime(mime: &str) -> Option<Codec> {
        match mime.to_ascii_lowercase().as_str() {
            "video/vp8" => Some(Codec::Vp8),
            "video/h264" => Some(Codec::H264),
            "audio/opus" => Some(Codec::Opus),
            _ => None,
        }
    }

    pub fn is_video(self) -> bool {
        self != Codec::Opus
    }
}

/// One whole frame, with its extended RTP timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub timestamp: u64,
    pub keyframe: bool,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Frame(Frame),
    /// The recorder should send the publisher a PLI.
    KeyframeNeeded,
}

struct Partial {
    timestamp: u64,
    data: Vec<u8>,
    keyframe: bool,
    /// A packet of this frame was lost, or its start was never seen.
    broken: bool,
}

pub struct Depacketizer {
    codec: Codec,
    unwrap: Unwrapper<32>,
    current: Option<Partial>,
    /// Video waits for a keyframe at the start and after a loss.
    waiting_for_keyframe: bool,
    /// The first keyframe was asked for (the recorder joins a stream already running).
    asked_at_start: bool,
}

const START_CODE: [u8; 4] = [0, 0, 0, 1];

impl Depacketizer {
    pub fn new(codec: Codec) -> Self {
        Depacketizer {
            codec,
            unwrap: Unwrapper::default(),
            current: None,
            waiting_for_keyframe: codec.is_video(),
            asked_at_start: !codec.is_video(),
        }
    }

    /// Takes what the reorder buffer released; returns finished frames and requests.
    pub fn push(&mut self, released: Released) -> Vec<Event> {
        match released {
            Released::Lost { .. } => self.lost(),
            Released::Packet(p) => self.packet(p),
        }
    }

    fn lost(&mut self) -> Vec<Event> {
        if !self.codec.is_video() {
            return Vec::new(); // an Opus frame is whole or absent
        }
        if let Some(c) = &mut self.current {
            // The frame is dropped, and a keyframe asked for, when it ends.
            c.broken = true;
            return Vec::new();
        }
        let asked = !self.waiting_for_keyframe;
        self.waiting_for_keyframe = true;
        if asked {
            vec![Event::KeyframeNeeded]
        } else {
            Vec::new()
        }
    }

    fn packet(&mut self, p: Packet) -> Vec<Event> {
        let ts = self.unwrap.extend(p.timestamp);
        let mut out = Vec::new();
        if !self.asked_at_start {
            self.asked_at_start = true;
            out.push(Event::KeyframeNeeded);
        }
        if self.codec == Codec::Opus {
            if !p.payload.is_empty() {
                out.push(Event::Frame(Frame {
                    timestamp: ts,
                    keyframe: true,
                    data: p.payload,
                }));
            }
            return out;
        }
        // A new timestamp ends the frame before it, even if its marker was lost.
        if self.current.as_ref().is_some_and(|c| c.timestamp != ts) {
            out.extend(self.finish());
        }
        let parsed = match self.codec {
            Codec::Vp8 => vp8_payload(&p.payload),
            _ => h264_payload(&p.payload),
        };
        let Some(piece) = parsed else {
            if let Some(c) = &mut self.current {
                c.broken = true;
            }
            return out;
        };
        let current = self.current.get_or_insert_with(|| Partial {
            timestamp: ts,
            data: Vec::new(),
            keyframe: false,
            broken: !piece.starts_frame,
        });
        current.keyframe |= piece.keyframe;
        current.data.extend_from_slice(&piece.data);
        if p.marker {
            out.extend(self.finish());
        }
        out
    }

    fn finish(&mut self) -> Vec<Event> {
        let Some(c) = self.current.take() else {
            return Vec::new();
        };
        if c.broken {
            // Asked again even while waiting: this may have been the keyframe asked for.
            self.waiting_for_keyframe = true;
            return vec![Event::KeyframeNeeded];
        }
        if self.waiting_for_keyframe && !c.keyframe {
            return Vec::new();
        }
        self.waiting_for_keyframe = false;
        vec![Event::Frame(Frame {
            timestamp: c.timestamp,
            keyframe: c.keyframe,
            data: c.data,
        })]
    }
}

struct Piece {
    starts_frame: bool,
    keyframe: bool,
    data: Vec<u8>,
}

/// The VP8 payload after its descriptor.
fn vp8_payload(b: &[u8]) -> Option<Piece> {
    let first = *b.first()?;
    let mut i = 1;
    if first & 0x80 != 0 {
        let ext = *b.get(i)?;
        i += 1;
        if ext & 0x80 != 0 {
            // PictureID: 7 bits, or 15 when its M bit is set.
            i += if *b.get(i)? & 0x80 != 0 { 2 } else { 1 };
        }
        if ext & 0x40 != 0 {
            i += 1; // TL0PICIDX
        }
        if ext & 0x30 != 0 {
            i += 1; // TID / KEYIDX
        }
    }
    let data = b.get(i..)?;
    let starts_frame = first & 0x10 != 0 && first & 0x07 == 0;
    // The frame tag's P bit is 0 for a keyframe (RFC 6386 9.1).
    let keyframe = starts_frame && data.first().is_some_and(|t| t & 0x01 == 0);
    Some(Piece {
        starts_frame,
        keyframe,
        data: data.to_vec(),
    })
}

/// A VP8 keyframe's size (RFC 6386 9.1), from the frame's first bytes.
pub fn vp8_dimensions(frame: &[u8]) -> Option<(u16, u16)> {
    if frame.len() < 10 || frame[0] & 0x01 != 0 || frame[3..6] != [0x9d, 0x01, 0x2a] {
        return None;
    }
    let w = u16::from_le_bytes([frame[6], frame[7]]) & 0x3fff;
    let h = u16::from_le_bytes([frame[8], frame[9]]) & 0x3fff;
    Some((w, h))
}

/// H.264 NAL units in Annex B form (start codes), from one RTP payload.
fn h264_payload(b: &[u8]) -> Option<Piece> {
    let header = *b.first()?;
    let kind = header & 0x1f;
    let is_key = |t: u8| t == 5 || t == 7;
    match kind {
        1..=23 => Some(Piece {
            starts_frame: true,
            keyframe: is_key(kind),
            data: [&START_CODE[..], b].concat(),
        }),
        24 => {
            // STAP-A: 16-bit sizes, each followed by a NAL unit.
            let mut data = Vec::new();
            let mut keyframe = false;
            let mut rest = &b[1..];
            while rest.len() >= 2 {
                let size = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
                let nal = rest.get(2..2 + size)?;
                keyframe |= nal.first().is_some_and(|h| is_key(h & 0x1f));
                data.extend_from_slice(&START_CODE);
                data.extend_from_slice(nal);
                rest = &rest[2 + size..];
            }
            Some(Piece {
                starts_frame: true,
                keyframe,
                data,
            })
        }
        28 => {
            // FU-A: the first fragment rebuilds the NAL header.
            let fu = *b.get(1)?;
            let start = fu & 0x80 != 0;
            let inner = fu & 0x1f;
            let mut data = Vec::with_capacity(b.len() + 4);
            if start {
                data.extend_from_slice(&START_CODE);
                data.push((header & 0xe0) | inner);
            }
            data.extend_from_slice(b.get(2..)?);
            Some(Piece {
                starts_frame: start,
                keyframe: start && is_key(inner),
                data,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkt(sequence: u16, timestamp: u32, marker: bool, payload: &[u8]) -> Released {
        Released::Packet(Packet {
            sequence,
            timestamp,
            marker,
            payload: payload.to_vec(),
        })
    }

    fn frames(events: &[Event]) -> Vec<(u64, bool, Vec<u8>)> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Frame(f) => Some((f.timestamp, f.keyframe, f.data.clone())),
                Event::KeyframeNeeded => None,
            })
            .collect()
    }

    /// A VP8 keyframe of 640×360: frame tag (P=0), start code, sizes.
    const KEY: [u8; 12] = [
        0x50, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01, 0xaa, 0xbb,
    ];

    #[test]
    fn vp8_frames_are_assembled_across_packets_and_keyframes_found() {
        let mut d = Depacketizer::new(Codec::Vp8);
        let mut out = Vec::new();
        // S=1 PID=0, with an extended descriptor carrying a 15-bit PictureID.
        out.extend(d.push(pkt(
            1,
            3000,
            false,
            &[&[0x90, 0x80, 0x81, 0x23][..], &KEY[..6]].concat(),
        )));
        out.extend(d.push(pkt(
            2,
            3000,
            true,
            &[&[0x80, 0x80, 0x81, 0x23][..], &KEY[6..]].concat(),
        )));
        // An interframe (P=1) in one packet.
        out.extend(d.push(pkt(3, 6000, true, &[0x10, 0x01, 0x02])));
        let f = frames(&out);
        assert_eq!(f.len(), 2);
        assert!(f[0].1 && !f[1].1);
        assert_eq!(f[0].2, KEY);
        assert_eq!(vp8_dimensions(&f[0].2), Some((640, 360)));
        assert_eq!(f[1].0 - f[0].0, 3000);
    }

    #[test]
    fn video_asks_for_a_keyframe_when_it_starts() {
        let mut d = Depacketizer::new(Codec::Vp8);
        assert_eq!(
            d.push(pkt(1, 100, true, &[0x10, 0x01])),
            vec![Event::KeyframeNeeded]
        );
        assert!(d.push(pkt(2, 200, true, &[0x10, 0x01])).is_empty());
        let mut a = Depacketizer::new(Codec::Opus);
        assert!(!a
            .push(pkt(1, 960, true, &[0xfc]))
            .contains(&Event::KeyframeNeeded));
    }

    #[test]
    fn video_waits_for_a_keyframe_and_asks_again_after_a_loss() {
        let mut d = Depacketizer::new(Codec::Vp8);
        // An interframe first: dropped (nothing to decode it against).
        assert!(frames(&d.push(pkt(1, 100, true, &[0x10, 0x01]))).is_empty());
        assert_eq!(
            frames(&d.push(pkt(2, 200, true, &[&[0x10][..], &KEY[..]].concat()))).len(),
            1
        );
        assert_eq!(
            d.push(Released::Lost { count: 1 }),
            vec![Event::KeyframeNeeded]
        );
        // Interframes until the next keyframe are dropped; one request only.
        assert!(d.push(pkt(4, 400, true, &[0x10, 0x01])).is_empty());
        assert!(d.push(Released::Lost { count: 1 }).is_empty());
        assert_eq!(
            frames(&d.push(pkt(6, 600, true, &[&[0x10][..], &KEY[..]].concat()))).len(),
            1
        );
    }

    #[test]
    fn a_frame_missing_its_middle_is_dropped() {
        let mut d = Depacketizer::new(Codec::Vp8);
        d.push(pkt(1, 100, true, &[&[0x10][..], &KEY[..]].concat()));
        assert!(frames(&d.push(pkt(2, 200, false, &[&[0x10][..], &KEY[..4]].concat()))).is_empty());
        assert!(d.push(Released::Lost { count: 1 }).is_empty());
        assert_eq!(
            d.push(pkt(4, 200, true, &[0x00, 0xee])),
            vec![Event::KeyframeNeeded],
            "the broken frame is dropped and a keyframe asked for"
        );
        // A broken keyframe while waiting for one asks again.
        d.push(pkt(5, 300, false, &[&[0x10][..], &KEY[..4]].concat()));
        d.push(Released::Lost { count: 1 });
        assert_eq!(
            d.push(pkt(7, 300, true, &[0x00, 0xee])),
            vec![Event::KeyframeNeeded]
        );
    }

    #[test]
    fn h264_single_stap_a_and_fu_a_become_annex_b() {
        let mut d = Depacketizer::new(Codec::H264);
        let sps = [0x67, 0x42, 0x00];
        let pps = [0x68, 0xce];
        let mut stap = vec![24u8];
        for nal in [&sps[..], &pps[..]] {
            stap.extend_from_slice(&(nal.len() as u16).to_be_bytes());
            stap.extend_from_slice(nal);
        }
        let mut out = d.push(pkt(1, 900, false, &stap));
        // An IDR slice (type 5) in two FU-A fragments.
        out.extend(d.push(pkt(2, 900, false, &[0x7c, 0x85, 0x11, 0x22])));
        out.extend(d.push(pkt(3, 900, true, &[0x7c, 0x45, 0x33])));
        out.extend(d.push(pkt(4, 1800, true, &[0x41, 0x9a])));
        let f = frames(&out);
        assert_eq!(
            f[0].2,
            [
                0, 0, 0, 1, 0x67, 0x42, 0x00, 0, 0, 0, 1, 0x68, 0xce, 0, 0, 0, 1, 0x65, 0x11, 0x22,
                0x33
            ]
        );
        assert!(f[0].1);
        assert_eq!(
            (f[1].1, f[1].2.clone()),
            (false, vec![0, 0, 0, 1, 0x41, 0x9a])
        );
    }

    #[test]
    fn every_opus_packet_is_a_frame_and_a_loss_asks_for_nothing() {
        let mut d = Depacketizer::new(Codec::Opus);
        let a = frames(&d.push(pkt(1, 960, true, &[0xfc, 1])));
        assert!(d.push(Released::Lost { count: 3 }).is_empty());
        let b = frames(&d.push(pkt(5, 4800, false, &[0xfc, 2])));
        assert_eq!((a.len(), b.len()), (1, 1));
        assert_eq!(b[0].0 - a[0].0, 3840);
    }
}
