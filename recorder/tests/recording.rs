//! A participant's RTP becomes segment files cut on keyframes, with wall-clock times, that
//! ffprobe reads with the right tracks and durations; a lost packet asks for a keyframe.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tribuna_recorder::mux::Track;
use tribuna_recorder::recording::{Output, ParticipantRecorder};
use tribuna_recorder::rtp::depacketize::Codec;
use tribuna_recorder::rtp::Packet;

mod probe;

/// One VP8 frame in one RTP payload (descriptor S=1, PID=0).
fn vp8_payload(key: bool) -> Vec<u8> {
    let mut p = vec![0x10];
    if key {
        p.extend_from_slice(&[0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a]);
        p.extend_from_slice(&320u16.to_le_bytes());
        p.extend_from_slice(&240u16.to_le_bytes());
        p.extend_from_slice(&[0u8; 40]);
    } else {
        p.extend_from_slice(&[0x11, 0x00, 0x00, 1, 2, 3, 4]);
    }
    p
}

#[test]
fn ten_seconds_become_three_segments_cut_on_keyframes() {
    let dir = std::env::temp_dir().join(format!("tribuna-recording-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut r = ParticipantRecorder::new(
        "client-1",
        &dir,
        Some(Codec::Vp8),
        true,
        chrono::Duration::seconds(4),
    );
    let t0 = Instant::now();
    let w0: DateTime<Utc> = "2026-11-21T12:00:00Z".parse().unwrap();
    let mut outputs = Vec::new();
    let (mut vseq, mut aseq) = (1000u16, 7u16);
    // Ten seconds: video every 1/30 s with a keyframe every 2 s, audio every 20 ms. One video
    // packet at 5 s is lost on the way.
    let mut ms = 0u64;
    while ms < 10_000 {
        let at = (
            t0 + Duration::from_millis(ms),
            w0 + chrono::Duration::milliseconds(ms as i64),
        );
        if ms % 20 == 0 {
            let p = Packet {
                sequence: aseq,
                timestamp: (ms * 48) as u32,
                marker: false,
                payload: vec![0xf8, 0xff, 0xfe],
            };
            aseq = aseq.wrapping_add(1);
            outputs.extend(r.on_rtp(Track::Audio, p, at.0, at.1).unwrap());
        }
        if ms % 100 == 0 || ms % 100 == 33 || ms % 100 == 66 {
            let key = ms % 2_000 == 0;
            let p = Packet {
                sequence: vseq,
                timestamp: (ms * 90) as u32,
                marker: true,
                payload: vp8_payload(key),
            };
            vseq = vseq.wrapping_add(1);
            if ms != 5_033 {
                outputs.extend(r.on_rtp(Track::Video, p, at.0, at.1).unwrap());
            }
        }
        ms += 1;
    }
    // The reorder buffer gives the lost packet up once it has waited long enough.
    outputs.extend(
        r.on_rtp(
            Track::Video,
            Packet {
                sequence: vseq,
                timestamp: (10_000 * 90) as u32,
                marker: true,
                payload: vp8_payload(false),
            },
            t0 + Duration::from_millis(10_500),
            w0 + chrono::Duration::milliseconds(10_000),
        )
        .unwrap(),
    );
    let last = r.finish().unwrap().expect("a segment was open");

    assert!(
        outputs.contains(&Output::KeyframeNeeded),
        "the loss asks for a keyframe"
    );
    let mut closed: Vec<_> = outputs
        .into_iter()
        .filter_map(|o| match o {
            Output::Closed(c) => Some(c),
            Output::KeyframeNeeded => None,
        })
        .collect();
    closed.push(last);
    let starts: Vec<i64> = closed
        .iter()
        .map(|c| (c.start - w0).num_milliseconds())
        .collect();
    assert_eq!(starts, [0, 4_000, 8_000]);
    assert_eq!(
        closed.iter().map(|c| c.index).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    for (c, expected) in closed.iter().zip([4.0, 4.0, 2.0]) {
        let probe = probe::ffprobe(&c.path);
        let kinds: Vec<&str> = probe["streams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["codec_name"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["vp8", "opus"]);
        let d: f64 = probe["format"]["duration"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            (d - expected).abs() <= 0.15,
            "segment {} lasts {d} s",
            c.index
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
