//! Real media for test participants: a VP8 clip encoded by Debian's `ffmpeg` (libvpx, a test
//! pattern, a keyframe every second) read from IVF, packetized per RFC 7741; and an Opus
//! silence frame (a valid 20 ms CELT packet that decoders play as silence).

use std::io::BufReader;
use std::path::Path;

use rtc::media::io::ivf_reader::IVFReader;

/// A valid 20 ms Opus packet (TOC: CELT fullband 20 ms, one frame) that decodes to silence.
pub const OPUS_SILENCE: [u8; 3] = [0xf8, 0xff, 0xfe];

/// The most VP8 bytes per RTP packet.
const MAX_PAYLOAD: usize = 1100;

/// Encoded VP8 frames at 30 frames a second: (bytes, keyframe).
pub struct Clip {
    pub frames: Vec<(Vec<u8>, bool)>,
}

/// Encodes `seconds` of a 320×240 test pattern with ffmpeg (cached in `dir`).
pub fn vp8_clip(dir: &Path, seconds: u32) -> anyhow::Result<Clip> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("testsrc-{seconds}s.ivf"));
    if !path.exists() {
        let partial = dir.join(format!("testsrc-{seconds}s.{}.ivf", std::process::id()));
        let out = std::process::Command::new("ffmpeg")
            .args(["-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i"])
            .arg(format!("testsrc=size=320x240:rate=30:duration={seconds}"))
            .args([
                "-c:v",
                "libvpx",
                "-g",
                "30",
                "-keyint_min",
                "30",
                "-b:v",
                "300k",
                "-auto-alt-ref",
                "0",
                "-lag-in-frames",
                "0",
                "-deadline",
                "realtime",
                "-f",
                "ivf",
            ])
            .arg(&partial)
            .output()?;
        anyhow::ensure!(
            out.status.success(),
            "ffmpeg could not encode the test clip: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::rename(&partial, &path)?;
    }
    let (mut reader, _) = IVFReader::new(BufReader::new(std::fs::File::open(&path)?))?;
    let mut frames = Vec::new();
    while let Ok((payload, _)) = reader.parse_next_frame() {
        // VP8 frame tag: bit 0 of the first byte is 0 for a keyframe.
        let key = payload.first().is_some_and(|b| b & 1 == 0);
        frames.push((payload.to_vec(), key));
    }
    anyhow::ensure!(
        frames.first().is_some_and(|f| f.1),
        "the clip must start with a keyframe"
    );
    Ok(Clip { frames })
}

/// One VP8 frame as RTP payloads: a one-byte descriptor (S=1 on the first, PID 0) each.
pub fn vp8_packets(frame: &[u8]) -> Vec<Vec<u8>> {
    frame
        .chunks(MAX_PAYLOAD)
        .enumerate()
        .map(|(i, chunk)| {
            let mut p = Vec::with_capacity(chunk.len() + 1);
            p.push(if i == 0 { 0x10 } else { 0x00 });
            p.extend_from_slice(chunk);
            p
        })
        .collect()
}
