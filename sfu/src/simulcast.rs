//! Simulcast: a publisher sends up to three encodings of one camera (RIDs `q`, `h`, `f`:
//! quarter, half and full size) and each subscriber gets one of them. Which one is decided
//! from what the subscriber asked for and its bandwidth estimate ([`choose`]); the switch
//! itself waits for a keyframe of the new layer ([`Selector`]), so a picture never breaks.
//! Pure functions and plain state: the forwarding path and the per-participant loop call
//! them.

use serde::{Deserialize, Serialize};

/// Layers per track.
pub const LAYERS: usize = 3;

/// A simulcast layer, 0 (smallest) to 2 (largest).
pub type Layer = u8;

/// The size a subscriber asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quality {
    Low,
    Medium,
    High,
}

impl Quality {
    pub fn layer(self) -> Layer {
        match self {
            Quality::Low => 0,
            Quality::Medium => 1,
            Quality::High => 2,
        }
    }
}

/// The layer a RID names: `q`/`h`/`f` (as the web client sends them), or `0`/`1`/`2`.
pub fn layer_of_rid(rid: &str) -> Option<Layer> {
    match rid {
        "q" | "0" => Some(0),
        "h" | "1" => Some(1),
        "f" | "2" => Some(2),
        _ => None,
    }
}

/// How much room a layer above the current one needs beyond its own bitrate: an estimate
/// hovering around a layer's rate does not make the picture go up and down.
pub const UP_HEADROOM: f64 = 1.25;

/// The layer to send one subscriber: the largest at most `wanted` that is being sent and
/// fits in `budget_bps` (its share of the subscriber's bandwidth estimate; `None` before
/// any estimate); a layer above `current` (the one flowing) must fit with [`UP_HEADROOM`].
/// `rates_bps[l]` is layer `l`'s bitrate, `None` while the publisher does not send it. When
/// nothing fits, the smallest layer sent: a low picture, never a frozen one.
pub fn choose(
    rates_bps: &[Option<f64>; LAYERS],
    wanted: Layer,
    budget_bps: Option<f64>,
    current: Option<Layer>,
) -> Option<Layer> {
    let sent = || (0..LAYERS as Layer).filter(|&l| rates_bps[l as usize].is_some());
    let fits = |l: &Layer| match (budget_bps, rates_bps[*l as usize]) {
        (Some(budget), Some(rate)) if current.is_some_and(|c| *l > c) => {
            rate * UP_HEADROOM <= budget
        }
        (Some(budget), Some(rate)) => rate <= budget,
        _ => true,
    };
    sent()
        .filter(|&l| l <= wanted)
        .filter(fits)
        .max()
        .or_else(|| sent().min())
}

/// One subscriber's view of a simulcast track: the layer it receives and the one it should.
#[derive(Debug, Clone, Default)]
pub struct Selector {
    current: Option<Layer>,
    target: Option<Layer>,
}

impl Selector {
    /// The layer forwarded now, if any.
    pub fn current(&self) -> Option<Layer> {
        self.current
    }

    /// Sets the layer to move to; true when a keyframe of it is now awaited.
    pub fn set_target(&mut self, target: Layer) -> bool {
        self.target = Some(target);
        self.current != Some(target)
    }

    /// Whether a packet of `layer` is forwarded. The current layer flows until the target's
    /// next keyframe (`keyframe` is asked only for packets of the target layer), from which on
    /// the target flows.
    pub fn accept(&mut self, layer: Layer, keyframe: impl FnOnce() -> bool) -> bool {
        if self.target == Some(layer) && self.current != Some(layer) && keyframe() {
            self.current = Some(layer);
        }
        self.current == Some(layer)
    }
}

/// Whether an RTP payload starts a video keyframe (VP8, or H.264 per RFC 6184).
pub fn is_keyframe(mime_type: &str, payload: &[u8]) -> bool {
    if mime_type.eq_ignore_ascii_case("video/vp8") {
        vp8_keyframe(payload)
    } else if mime_type.eq_ignore_ascii_case("video/h264") {
        h264_keyframe(payload)
    } else {
        false
    }
}

/// RFC 7741: the payload descriptor, then (on a partition's start) the VP8 frame tag, whose
/// lowest bit is 0 on a keyframe.
fn vp8_keyframe(p: &[u8]) -> bool {
    let Some(&first) = p.first() else {
        return false;
    };
    let (start, partition) = (first & 0x10 != 0, first & 0x07);
    if !start || partition != 0 {
        return false;
    }
    let mut i = 1;
    if first & 0x80 != 0 {
        let Some(&x) = p.get(1) else { return false };
        i = 2;
        if x & 0x80 != 0 {
            // Picture id: 15 bits when its first bit is set, else 7.
            i += if p.get(i).is_some_and(|b| b & 0x80 != 0) {
                2
            } else {
                1
            };
        }
        if x & 0x40 != 0 {
            i += 1; // TL0PICIDX
        }
        if x & 0x30 != 0 {
            i += 1; // TID/Y/KEYIDX
        }
    }
    p.get(i).is_some_and(|tag| tag & 0x01 == 0)
}

/// An IDR slice or a sequence parameter set, alone, aggregated (STAP-A) or starting a
/// fragmented unit (FU-A).
fn h264_keyframe(p: &[u8]) -> bool {
    let key = |nal_type: u8| nal_type == 5 || nal_type == 7;
    match p.first().map(|b| b & 0x1f) {
        Some(24) => {
            let mut i = 1;
            while i + 2 < p.len() {
                let size = usize::from(u16::from_be_bytes([p[i], p[i + 1]]));
                if key(p[i + 2] & 0x1f) {
                    return true;
                }
                i += 2 + size;
            }
            false
        }
        Some(28) => p.get(1).is_some_and(|h| h & 0x80 != 0 && key(h & 0x1f)),
        Some(t) => key(t),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_layer_asked_for_that_fits_the_budget() {
        let rates = [Some(150e3), Some(500e3), Some(1500e3)];
        assert_eq!(choose(&rates, 2, None, None), Some(2), "no estimate yet");
        assert_eq!(choose(&rates, 2, Some(2000e3), None), Some(2));
        assert_eq!(
            choose(&rates, 0, Some(2000e3), None),
            Some(0),
            "asked for low"
        );
        assert_eq!(
            choose(&rates, 2, Some(800e3), Some(2)),
            Some(1),
            "bandwidth dropped"
        );
        assert_eq!(choose(&rates, 2, Some(200e3), Some(1)), Some(0));
        assert_eq!(
            choose(&rates, 2, Some(50e3), Some(0)),
            Some(0),
            "nothing fits: the smallest, never nothing"
        );
    }

    #[test]
    fn going_up_needs_headroom_staying_does_not() {
        let rates = [Some(150e3), Some(500e3), Some(1500e3)];
        // 550 kbit/s: the middle layer fits, but not with room to spare.
        assert_eq!(choose(&rates, 2, Some(550e3), Some(0)), Some(0), "no climb");
        assert_eq!(choose(&rates, 2, Some(550e3), Some(1)), Some(1), "no drop");
        assert_eq!(
            choose(&rates, 2, Some(625e3), Some(0)),
            Some(1),
            "room enough"
        );
        assert_eq!(
            choose(&rates, 2, Some(550e3), None),
            Some(1),
            "a first pick"
        );
    }

    #[test]
    fn a_layer_the_publisher_does_not_send_is_never_chosen() {
        let rates = [Some(150e3), Some(500e3), None];
        assert_eq!(choose(&rates, 2, None, None), Some(1));
        assert_eq!(
            choose(&[None, None, Some(1e6)], 0, Some(1e5), None),
            Some(2)
        );
        assert_eq!(choose(&[None, None, None], 2, None, None), None);
    }

    #[test]
    fn a_switch_waits_for_a_keyframe_of_the_new_layer() {
        let mut s = Selector::default();
        assert!(s.set_target(2));
        assert!(!s.accept(2, || false), "no picture starts mid-frame");
        assert!(!s.accept(0, || true), "not the target");
        assert!(s.accept(2, || true));
        assert!(s.accept(2, || false));
        assert!(!s.set_target(2), "already there");
        // Down to 0: layer 2 flows until layer 0's keyframe, then only layer 0.
        assert!(s.set_target(0));
        assert!(s.accept(2, || false));
        assert!(!s.accept(0, || false));
        assert!(s.accept(0, || true));
        assert!(!s.accept(2, || true));
        assert_eq!(s.current(), Some(0));
    }

    #[test]
    fn rids_name_layers() {
        assert_eq!(layer_of_rid("q"), Some(0));
        assert_eq!(layer_of_rid("f"), Some(2));
        assert_eq!(layer_of_rid("x"), None);
    }

    #[test]
    fn vp8_keyframes_are_found_behind_the_descriptor() {
        // S=1, PID=0, no extension; frame tag with P=0.
        assert!(is_keyframe("video/VP8", &[0x10, 0x00, 0x00]));
        assert!(!is_keyframe("video/VP8", &[0x10, 0x01, 0x00]), "interframe");
        assert!(
            !is_keyframe("video/VP8", &[0x00, 0x00]),
            "not a partition start"
        );
        // X=1 with I (15-bit picture id), L and T/K: four bytes before the tag.
        assert!(is_keyframe(
            "video/VP8",
            &[0x90, 0xe0, 0x81, 0x23, 0x05, 0x40, 0x00]
        ));
        assert!(!is_keyframe(
            "video/VP8",
            &[0x90, 0xe0, 0x81, 0x23, 0x05, 0x40, 0x01]
        ));
        // 7-bit picture id only.
        assert!(is_keyframe("video/VP8", &[0x90, 0x80, 0x12, 0x00]));
        assert!(!is_keyframe("video/VP8", &[0x90]), "truncated");
    }

    #[test]
    fn h264_keyframes_alone_aggregated_or_fragmented() {
        assert!(is_keyframe("video/H264", &[0x65, 0x88]), "IDR");
        assert!(!is_keyframe("video/H264", &[0x41, 0x9a]), "non-IDR slice");
        // STAP-A with SPS (7) and PPS (8).
        assert!(is_keyframe(
            "video/H264",
            &[0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xce]
        ));
        assert!(
            is_keyframe("video/H264", &[0x7c, 0x85, 0x00]),
            "FU-A start of IDR"
        );
        assert!(
            !is_keyframe("video/H264", &[0x7c, 0x05, 0x00]),
            "FU-A middle"
        );
        assert!(!is_keyframe("audio/opus", &[0x65]));
    }
}
