//! A participant's RTP becomes segment files cut on keyframes, with wall-clock times, that
//! ffprobe reads with the right tracks and durations; a lost packet asks for a keyframe; two
//! participants' segments make a signed, timestamped bundle that verifies.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tribuna_recorder::bundle::Bundle;
use tribuna_recorder::local_tsa::LocalTsa;
use tribuna_recorder::mux::Track;
use tribuna_recorder::proof::{self, Participant};
use tribuna_recorder::recording::{ClosedSegment, Output, ParticipantRecorder};
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

/// `seconds` of one participant's synthetic call: video every 1/30 s with a keyframe every
/// 2 s, audio every 20 ms; the video packet at `lose_ms` (if any) is lost on the way.
/// Returns the recorder's outputs, the last segment included.
fn record(
    identity: &str,
    dir: &std::path::Path,
    w0: DateTime<Utc>,
    seconds: u64,
    lose_ms: Option<u64>,
) -> Vec<Output> {
    let mut r = ParticipantRecorder::new(
        identity,
        dir,
        Some(Codec::Vp8),
        true,
        chrono::Duration::seconds(4),
    );
    let t0 = Instant::now();
    let mut outputs = Vec::new();
    let (mut vseq, mut aseq) = (1000u16, 7u16);
    for ms in 0..seconds * 1_000 {
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
            if Some(ms) != lose_ms {
                outputs.extend(r.on_rtp(Track::Video, p, at.0, at.1).unwrap());
            }
        }
    }
    // The call ends: a loss still waited for is given up, the last segment closed.
    outputs.extend(
        r.finish(t0 + Duration::from_millis(seconds * 1_000))
            .unwrap(),
    );
    outputs
}

fn closed(outputs: &[Output]) -> Vec<ClosedSegment> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Closed(c) => Some(c.clone()),
            Output::KeyframeNeeded => None,
        })
        .collect()
}

fn temp(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "tribuna-{tag}-{}-{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn ten_seconds_become_three_segments_cut_on_keyframes() {
    let dir = temp("recording");
    let w0: DateTime<Utc> = "2026-11-21T12:00:00Z".parse().unwrap();
    let outputs = record("client-1", &dir, w0, 10, Some(5_033));
    let requests = |o: &[Output]| o.iter().filter(|x| **x == Output::KeyframeNeeded).count();
    let without_loss = record("client-2", &dir, w0, 10, None);
    assert_eq!(
        requests(&outputs),
        requests(&without_loss) + 1,
        "the loss asks for one more keyframe"
    );
    let closed = closed(&outputs);
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

#[test]
fn two_participants_segments_make_a_bundle_that_verifies_and_plays() {
    let work = temp("bundle-work");
    let w0: DateTime<Utc> = "2026-11-21T12:00:00Z".parse().unwrap();
    let mut bundle = Bundle::create(&work.join("bundle"), "session-1", 0, w0).unwrap();
    bundle.participants = vec![
        Participant {
            identity: "client-1".into(),
            role: "client".into(),
            display_name: "Ana".into(),
            oab: None,
        },
        Participant {
            identity: "lawyer-1".into(),
            role: "lawyer".into(),
            display_name: "Dr. Bruno".into(),
            oab: Some("123456/SP".into()),
        },
    ];
    // Segments join the chain in the order they close, both participants interleaved.
    let mut all: Vec<ClosedSegment> = ["client-1", "lawyer-1"]
        .iter()
        .flat_map(|who| closed(&record(who, &work.join(who), w0, 9, None)))
        .collect();
    all.sort_by_key(|c| (c.end, c.participant.clone()));
    for c in &all {
        bundle.add(c).unwrap();
    }
    let tsa = LocalTsa::create(&work.join("tsa")).unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let manifest = bundle
        .finish(w0 + chrono::Duration::seconds(9), &key, |bytes| {
            let query =
                tribuna_recorder::timestamp::request(bytes).map_err(std::io::Error::other)?;
            tsa.reply(&query).map_err(std::io::Error::other)
        })
        .unwrap();
    let report = proof::verify(
        &work.join("bundle"),
        Some(&hex::encode(key.verifying_key().to_bytes())),
        Some(&tsa.root()),
    )
    .unwrap();
    assert_eq!(report.segments, 6);
    assert_eq!(manifest.participants[1].oab.as_deref(), Some("123456/SP"));
    // Each participant's segments play for the whole call.
    for who in ["client-1", "lawyer-1"] {
        let total: f64 = manifest
            .segments
            .iter()
            .filter(|s| s.participant == who)
            .map(|s| {
                let probe =
                    probe::ffprobe(&work.join("bundle").join(proof::SEGMENTS).join(&s.file));
                probe["format"]["duration"]
                    .as_str()
                    .unwrap()
                    .parse::<f64>()
                    .unwrap()
            })
            .sum();
        assert!((total - 9.0).abs() <= 0.5, "{who}: {total} s");
    }
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn a_segment_ends_where_the_next_begins_when_its_keyframe_arrives_late() {
    let dir = temp("late-keyframe");
    let w0: DateTime<Utc> = "2026-11-21T12:00:00Z".parse().unwrap();
    let t0 = Instant::now();
    let mut r = ParticipantRecorder::new(
        "lawyer-1",
        &dir,
        Some(Codec::Vp8),
        true,
        chrono::Duration::seconds(4),
    );
    let at = |ms: u64| {
        (
            t0 + Duration::from_millis(ms),
            w0 + chrono::Duration::milliseconds(ms as i64),
        )
    };
    let video = |seq: u16, ms: u64| Packet {
        sequence: seq,
        timestamp: (ms * 90) as u32,
        marker: true,
        payload: vp8_payload(true),
    };
    let (t, w) = at(0);
    r.on_rtp(Track::Video, video(1, 0), t, w).unwrap();
    // Audio up to 4.06 s is recorded before the keyframe stamped 4.0 s has fully arrived.
    for (i, ms) in (0..=4_060).step_by(20).enumerate() {
        let (t, w) = at(ms);
        let p = Packet {
            sequence: i as u16,
            timestamp: (ms * 48) as u32,
            marker: false,
            payload: vec![0xf8, 0xff, 0xfe],
        };
        r.on_rtp(Track::Audio, p, t, w).unwrap();
    }
    let (t, _) = at(4_070);
    let mut out = r
        .on_rtp(Track::Video, video(2, 4_000), t, at(4_000).1)
        .unwrap();
    out.extend(r.finish(t).unwrap());
    let segments = closed(&out);
    assert_eq!(segments.len(), 2);
    assert_eq!(segments[1].start, w0 + chrono::Duration::seconds(4));
    assert!(
        segments[0].end <= segments[1].start,
        "{} > {}",
        segments[0].end,
        segments[1].start
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Feeds `seconds` of one participant's camera (a keyframe every 2 s) and microphone into a
/// room capture, starting at `from_ms`; the microphone's track is announced `mic_after_ms`
/// after the camera's. Returns the segments it closed.
fn capture_call(
    c: &mut tribuna_recorder::capture::Capture,
    t0: Instant,
    w0: DateTime<Utc>,
    from_ms: u64,
    seconds: u64,
    mic_after_ms: u64,
) -> Vec<ClosedSegment> {
    use tribuna_recorder::capture::Action;
    let mut out = Vec::new();
    let mut keep = |actions: Vec<Action>| {
        out.extend(actions.into_iter().filter_map(|a| match a {
            Action::Sealable(s) => Some(s),
            Action::AskKeyframe { .. } => None,
        }))
    };
    keep(c.track("ana", "ana/cam", "video/VP8", t0).unwrap().1);
    for ms in from_ms..from_ms + seconds * 1_000 {
        let (now, wall) = (
            t0 + Duration::from_millis(ms),
            w0 + chrono::Duration::milliseconds(ms as i64),
        );
        if ms == from_ms + mic_after_ms {
            keep(c.track("ana", "ana/mic", "audio/opus", now).unwrap().1);
        }
        if ms % 20 == 0 {
            let p = Packet {
                sequence: (ms / 20) as u16,
                timestamp: (ms * 48) as u32,
                marker: false,
                payload: vec![0xf8, 0xff, 0xfe],
            };
            keep(c.rtp("ana/mic", p, now, wall).unwrap());
        }
        if ms % 100 == 0 || ms % 100 == 33 || ms % 100 == 66 {
            let p = Packet {
                sequence: (ms / 33) as u16,
                timestamp: (ms * 90) as u32,
                marker: true,
                payload: vp8_payload(ms % 2_000 == 0),
            };
            keep(c.rtp("ana/cam", p, now, wall).unwrap());
        }
    }
    let end = t0 + Duration::from_millis(from_ms + seconds * 1_000);
    keep(c.ended("ana/cam", end).unwrap());
    keep(c.ended("ana/mic", end).unwrap());
    out
}

#[test]
fn a_participant_who_leaves_and_returns_goes_on_in_new_files_never_reusing_a_name() {
    let dir = temp("capture");
    let w0: DateTime<Utc> = "2026-11-21T12:00:00Z".parse().unwrap();
    let t0 = Instant::now();
    let mut c = tribuna_recorder::capture::Capture::new(&dir, chrono::Duration::seconds(4));
    let first = capture_call(&mut c, t0, w0, 0, 6, 0);
    // Back a minute later, with both tracks again (their RTP starts afresh).
    let again = capture_call(&mut c, t0, w0, 60_000, 6, 0);
    assert!(!first.is_empty() && !again.is_empty());
    let mut names: Vec<_> = first.iter().chain(&again).map(|s| s.path.clone()).collect();
    let all = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), all, "no file name is used twice: {names:?}");
    let last_before = first.iter().map(|s| s.index).max().unwrap();
    assert!(again.iter().all(|s| s.index > last_before));
    // The first call's files are still what they were when closed (none was overwritten).
    for s in &first {
        let probed = probe::ffprobe(&s.path);
        assert_eq!(
            probed["streams"].as_array().unwrap().len(),
            2,
            "{}",
            s.path.display()
        );
        assert!(s.end <= w0 + chrono::Duration::seconds(7));
    }
}

#[test]
fn a_camera_announced_before_the_microphone_still_makes_files_with_both() {
    // The camera's first keyframe arrives 700 ms before the microphone's track is known (a
    // browser's tracks reach the server one by one, in either order; CI saw this).
    let dir = temp("capture-order");
    let w0: DateTime<Utc> = "2026-11-21T12:00:00Z".parse().unwrap();
    let mut c = tribuna_recorder::capture::Capture::new(&dir, chrono::Duration::seconds(4));
    let segments = capture_call(&mut c, Instant::now(), w0, 0, 9, 700);
    assert!(segments.len() >= 2, "{segments:?}");
    for s in &segments {
        let probed = probe::ffprobe(&s.path);
        let mut kinds: Vec<_> = probed["streams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["codec_type"].as_str().unwrap().to_owned())
            .collect();
        kinds.sort();
        assert_eq!(kinds, ["audio", "video"], "{}", s.path.display());
    }
    // Nothing before the microphone was lost: the first file starts at the first keyframe.
    assert_eq!(segments[0].start, w0);
    let _ = std::fs::remove_dir_all(&dir);
}
