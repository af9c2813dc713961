//! A segment written by the muxer is a Matroska/WebM file that ffprobe (Debian's ffmpeg)
//! reads with the right tracks, picture size and duration.

use tribuna_recorder::mux::{SegmentWriter, Track, VideoTrack};
use tribuna_recorder::rtp::depacketize::Codec;

mod probe;
use probe::ffprobe;

/// A VP8 frame header: a keyframe carries the start code and the picture size.
fn vp8_frame(key: bool, width: u16, height: u16) -> Vec<u8> {
    if key {
        let mut f = vec![0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a];
        f.extend_from_slice(&width.to_le_bytes());
        f.extend_from_slice(&height.to_le_bytes());
        f.extend_from_slice(&[0u8; 32]);
        f
    } else {
        vec![0x11, 0x00, 0x00, 0, 0, 0, 0, 0]
    }
}

/// An Opus packet of 20 ms of silence (CELT, full band).
const OPUS_SILENCE: [u8; 3] = [0xf8, 0xff, 0xfe];

#[test]
fn a_vp8_and_opus_segment_probes_with_its_tracks_size_and_duration() {
    let path = std::env::temp_dir().join(format!("tribuna-mux-{}.webm", std::process::id()));
    let video = VideoTrack {
        codec: Codec::Vp8,
        width: 320,
        height: 240,
    };
    let mut w =
        SegmentWriter::create(&path, Some(video), &vp8_frame(true, 320, 240), true).unwrap();
    // Three seconds: video at 30 frames/s with a keyframe each second, audio every 20 ms.
    let mut frame = 0i64;
    let mut t_audio = 0;
    loop {
        let t_video = frame * 1_000 / 30;
        if t_video >= 3_000 && t_audio >= 3_000 {
            break;
        }
        if t_audio <= t_video {
            w.write(Track::Audio, t_audio, &OPUS_SILENCE, true).unwrap();
            t_audio += 20;
        } else {
            let key = frame % 30 == 0;
            w.write(Track::Video, t_video, &vp8_frame(key, 320, 240), key)
                .unwrap();
            frame += 1;
        }
    }
    w.finish().unwrap();

    let probe = ffprobe(&path);
    let streams = probe["streams"].as_array().unwrap();
    let video = streams.iter().find(|s| s["codec_type"] == "video").unwrap();
    let audio = streams.iter().find(|s| s["codec_type"] == "audio").unwrap();
    assert_eq!(
        (
            video["codec_name"].as_str(),
            video["width"].as_i64(),
            video["height"].as_i64()
        ),
        (Some("vp8"), Some(320), Some(240))
    );
    assert_eq!(audio["codec_name"], "opus");
    assert!(probe["format"]["format_name"]
        .as_str()
        .unwrap()
        .contains("webm"));
    let duration: f64 = probe["format"]["duration"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((duration - 3.0).abs() <= 0.1, "duration {duration}");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn h264_goes_into_matroska() {
    let path = std::env::temp_dir().join(format!("tribuna-mux-{}.mkv", std::process::id()));
    let video = VideoTrack {
        codec: Codec::H264,
        width: 640,
        height: 360,
    };
    // A keyframe access unit as WebRTC sends it: SPS, PPS, then the IDR slice.
    let key: Vec<u8> = [
        &[
            0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x47, 0xfe, 0xc8,
        ][..],
        &[0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80],
        &[0, 0, 0, 1, 0x65, 0x88, 0x84, 0x00, 0x33],
    ]
    .concat();
    let mut w = SegmentWriter::create(&path, Some(video), &key, false).unwrap();
    for i in 0..30 {
        let frame = if i == 0 {
            key.clone()
        } else {
            vec![0, 0, 0, 1, 0x41, 0x9a, 0x02]
        };
        w.write(Track::Video, i * 33, &frame, i == 0).unwrap();
    }
    assert!(w.write(Track::Audio, 0, &OPUS_SILENCE, true).is_err());
    w.finish().unwrap();
    let probe = ffprobe(&path);
    assert_eq!(probe["streams"][0]["codec_name"], "h264");
    assert!(probe["format"]["format_name"]
        .as_str()
        .unwrap()
        .contains("matroska"));
    let _ = std::fs::remove_file(&path);
}
