//! Writing one segment file with ffmpeg's Matroska muxer (libavformat, through ffmpeg-next):
//! a participant's video (VP8 or H.264) and audio (Opus), copied as they arrived — no
//! decoding, no transcoding. VP8 + Opus make WebM; H.264 makes Matroska.
//!
//! ffmpeg-next has no safe setters for a stream's size, sample rate, channel layout or
//! extradata (Opus needs its `OpusHead`), so this module sets those fields on the
//! `AVCodecParameters` directly; it is the only place in the crate with `unsafe`.

use std::path::Path;

use ffmpeg_next as ffmpeg;
use ffmpeg_next::{codec, format, media, Packet, Rational};

use crate::rtp::depacketize::Codec;

#[derive(Debug, thiserror::Error)]
pub enum MuxError {
    #[error("ffmpeg: {0}")]
    Ffmpeg(#[from] ffmpeg::Error),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("a segment needs a track")]
    Empty,
    #[error("the segment has no {0} track")]
    NoTrack(&'static str),
}

/// The video track of a segment: its codec and picture size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VideoTrack {
    pub codec: Codec,
    pub width: u16,
    pub height: u16,
}

/// H.264's SPS and PPS NAL units (Annex B) from a keyframe: Matroska needs them in the
/// track header before the first frame.
pub fn h264_parameter_sets(keyframe: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let starts: Vec<usize> = (0..keyframe.len().saturating_sub(3))
        .filter(|&j| keyframe[j..j + 4] == [0, 0, 0, 1])
        .collect();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(keyframe.len());
        let nal = &keyframe[start + 4..end];
        if nal.first().is_some_and(|h| matches!(h & 0x1f, 7 | 8)) {
            out.extend_from_slice(&keyframe[start..end]);
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Track {
    Video,
    Audio,
}

/// Milliseconds: the time base of both tracks (Matroska's own).
const MS: Rational = Rational(1, 1000);

pub struct SegmentWriter {
    out: format::context::Output,
    video: Option<usize>,
    audio: Option<usize>,
    /// The last timestamp written per track, to keep them increasing.
    last: [Option<i64>; 2],
}

/// The file name extension a segment with this video gets.
pub fn extension(video: Option<VideoTrack>) -> &'static str {
    match video {
        Some(VideoTrack {
            codec: Codec::H264, ..
        }) => "mkv",
        _ => "webm",
    }
}

/// Opus's identification header (RFC 7845 5.1): stereo, 48 kHz, no pre-skip or gain.
fn opus_head() -> [u8; 19] {
    let mut h = [0u8; 19];
    h[..8].copy_from_slice(b"OpusHead");
    h[8] = 1; // version
    h[9] = 2; // channels
    h[12..16].copy_from_slice(&48_000u32.to_le_bytes());
    h
}

impl SegmentWriter {
    /// Creates `path` with the given tracks and writes the container's header.
    /// `first_keyframe` is the video's first frame (H.264's parameter sets come from it).
    pub fn create(
        path: &Path,
        video: Option<VideoTrack>,
        first_keyframe: &[u8],
        audio: bool,
    ) -> Result<Self, MuxError> {
        if video.is_none() && !audio {
            return Err(MuxError::Empty);
        }
        ffmpeg::init()?;
        let container = if extension(video) == "mkv" {
            "matroska"
        } else {
            "webm"
        };
        let mut out = format::output_as(path, container)?;
        let mut video_index = None;
        let mut audio_index = None;
        if let Some(v) = video {
            let mut stream = out.add_stream(None::<ffmpeg::Codec>)?;
            let mut par = codec::Parameters::new();
            par.set_medium(media::Type::Video);
            par.set_id(match v.codec {
                Codec::H264 => codec::Id::H264,
                _ => codec::Id::VP8,
            });
            let extradata = match v.codec {
                Codec::H264 => h264_parameter_sets(first_keyframe),
                _ => Vec::new(),
            };
            // SAFETY: `par` owns a valid AVCodecParameters; these are plain fields, and the
            // extradata is set as `set_extradata` requires.
            #[allow(unsafe_code)]
            unsafe {
                let p = par.as_mut_ptr();
                (*p).width = i32::from(v.width);
                (*p).height = i32::from(v.height);
                set_extradata(p, &extradata)?;
            }
            stream.set_parameters(par);
            stream.set_time_base(MS);
            video_index = Some(stream.index());
        }
        if audio {
            let mut stream = out.add_stream(None::<ffmpeg::Codec>)?;
            let mut par = codec::Parameters::new();
            par.set_medium(media::Type::Audio);
            par.set_id(codec::Id::OPUS);
            // SAFETY: `par` owns a valid AVCodecParameters; plain fields and extradata as
            // `set_extradata` requires.
            #[allow(unsafe_code)]
            unsafe {
                let p = par.as_mut_ptr();
                (*p).sample_rate = 48_000;
                ffmpeg::ffi::av_channel_layout_default(&mut (*p).ch_layout, 2);
                set_extradata(p, &opus_head())?;
            }
            stream.set_parameters(par);
            stream.set_time_base(MS);
            audio_index = Some(stream.index());
        }
        out.write_header()?;
        Ok(SegmentWriter {
            out,
            video: video_index,
            audio: audio_index,
            last: [None, None],
        })
    }

    /// Writes one frame at `at_ms` milliseconds from the segment's start.
    pub fn write(
        &mut self,
        track: Track,
        at_ms: i64,
        data: &[u8],
        keyframe: bool,
    ) -> Result<(), MuxError> {
        let (index, slot) = match track {
            Track::Video => (self.video.ok_or(MuxError::NoTrack("video"))?, 0),
            Track::Audio => (self.audio.ok_or(MuxError::NoTrack("audio"))?, 1),
        };
        // Timestamps only move forward within a track (a late frame keeps the last one's).
        let at = self.last[slot].map_or(at_ms.max(0), |l| at_ms.max(l));
        self.last[slot] = Some(at);
        let mut packet = Packet::copy(data);
        packet.set_stream(index);
        packet.set_pts(Some(at));
        packet.set_dts(Some(at));
        if keyframe {
            packet.set_flags(codec::packet::Flags::KEY);
        }
        // The stream's time base may have been changed by the muxer in write_header.
        let tb = self.out.stream(index).map_or(MS, |s| s.time_base());
        packet.rescale_ts(MS, tb);
        packet.write_interleaved(&mut self.out)?;
        Ok(())
    }

    /// Writes the trailer (cues, durations) and closes the file.
    pub fn finish(mut self) -> Result<(), MuxError> {
        self.out.write_trailer()?;
        Ok(())
    }
}

/// Copies `data` into a new av_malloc'ed buffer with the zeroed padding ffmpeg requires, as
/// the parameters' extradata (ffmpeg frees it with them). Nothing for empty data.
///
/// # Safety
/// `p` must point to a valid AVCodecParameters without extradata.
#[allow(unsafe_code)]
unsafe fn set_extradata(
    p: *mut ffmpeg::ffi::AVCodecParameters,
    data: &[u8],
) -> Result<(), MuxError> {
    if data.is_empty() {
        return Ok(());
    }
    let padding = ffmpeg::ffi::AV_INPUT_BUFFER_PADDING_SIZE as usize;
    // SAFETY: a fresh allocation of len + padding bytes, filled before use; the caller
    // guarantees `p`.
    unsafe {
        let buf = ffmpeg::ffi::av_malloc(data.len() + padding) as *mut u8;
        if buf.is_null() {
            return Err(MuxError::Ffmpeg(ffmpeg::Error::Other { errno: 12 }));
        }
        std::ptr::copy_nonoverlapping(data.as_ptr(), buf, data.len());
        std::ptr::write_bytes(buf.add(data.len()), 0, padding);
        (*p).extradata = buf;
        (*p).extradata_size = data.len() as i32;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opus_head_says_stereo_48_khz() {
        let h = opus_head();
        assert_eq!(&h[..8], b"OpusHead");
        assert_eq!((h[8], h[9]), (1, 2));
        assert_eq!(u32::from_le_bytes([h[12], h[13], h[14], h[15]]), 48_000);
    }

    #[test]
    fn a_segment_without_tracks_is_refused() {
        let path = std::env::temp_dir().join("tribuna-empty-segment.webm");
        assert!(matches!(
            SegmentWriter::create(&path, None, &[], false),
            Err(MuxError::Empty)
        ));
    }
}
