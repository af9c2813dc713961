//! The recorder's RTP side, as pure functions of (state, input): putting packets back in
//! order, turning payloads into media frames (VP8, H.264, Opus), and mapping RTP time to
//! wall-clock time. The muxer (ffmpeg) sees only whole frames with wall-clock times.

pub mod clock;
pub mod depacketize;
pub mod reorder;

/// One RTP packet as the recorder needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    pub sequence: u16,
    pub timestamp: u32,
    pub marker: bool,
    pub payload: Vec<u8>,
}

/// Extends 16- or 32-bit RTP counters across wrap-arounds, relative to the last value seen.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unwrapper<const BITS: u32> {
    last: Option<u64>,
}

impl<const BITS: u32> Unwrapper<BITS> {
    /// The extended value of `v`: the one nearest to the last extended value.
    pub fn extend(&mut self, v: u32) -> u64 {
        let modulus = 1u64 << BITS;
        let v = u64::from(v) & (modulus - 1);
        let extended = match self.last {
            None => v + modulus, // room below for packets older than the first
            Some(last) => {
                let base = last & !(modulus - 1);
                [base.wrapping_sub(modulus), base, base + modulus]
                    .into_iter()
                    .map(|b| b.wrapping_add(v))
                    .min_by_key(|c| c.abs_diff(last))
                    .expect("three candidates")
            }
        };
        if self.last.is_none_or(|l| extended > l) {
            self.last = Some(extended);
        }
        extended
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_numbers_extend_across_the_wrap_in_both_directions() {
        let mut u = Unwrapper::<16>::default();
        let a = u.extend(65_534);
        let b = u.extend(65_535);
        let c = u.extend(0);
        let d = u.extend(65_535); // a late packet from before the wrap
        let e = u.extend(2);
        assert_eq!([b - a, c - b, e - c], [1, 1, 2]);
        assert_eq!(d, b);
    }

    #[test]
    fn timestamps_extend_across_32_bits() {
        let mut u = Unwrapper::<32>::default();
        let a = u.extend(u32::MAX - 1_000);
        let b = u.extend(2_000);
        assert_eq!(b - a, 3_001);
    }
}
