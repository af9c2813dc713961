//! Calls through the real server's SFU with webrtc-rs peers: media arrives with
//! its payloads intact, tokens are checked, bad input never brings a call down.

use std::time::Duration;

use chrono::Utc;
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio_tungstenite::tungstenite::Message;
use tribuna_signaling::{RoomGrant, RoomTokenKey};

use crate::helpers::{Actor, TestApp};
use tribuna_loadtest::peer::{raw_socket, refusal, Refusal, TestPeer};

fn grant(room: &str, identity: &str) -> RoomGrant {
    RoomGrant {
        room: room.into(),
        identity: identity.into(),
        display_name: identity.to_uppercase(),
        can_publish: true,
        can_subscribe: true,
        legal_mode: false,
        recorder: false,
    }
}

impl TestApp {
    pub(crate) fn ws_url(&self) -> String {
        format!("{}/ws", self.url.replacen("http://", "ws://", 1))
    }

    pub(crate) fn token(&self, room: &str, identity: &str) -> String {
        self.state.services.room_tokens.mint(
            &grant(room, identity),
            Utc::now(),
            chrono::Duration::minutes(10),
        )
    }

    /// `party` joins a session's room with the ticket the API gives them.
    pub(crate) async fn join_session(&self, party: &Actor, session: &str) -> (TestPeer, Value) {
        let ticket: Value = party
            .get(&format!("/api/sessions/{session}/join"))
            .await
            .json()
            .await
            .unwrap();
        TestPeer::join(
            ticket["signaling_url"].as_str().unwrap(),
            session,
            ticket["token"].as_str().unwrap(),
        )
        .await
        .expect("the ticket admits its holder")
    }

    pub(crate) async fn peer(&self, room: &str, identity: &str) -> TestPeer {
        TestPeer::join(&self.ws_url(), room, &self.token(room, identity))
            .await
            .expect("joins")
            .0
    }
}

/// Every payload is exactly what the sender wrote: `sender:track:n`, in increasing n.
pub(crate) fn assert_intact(payloads: &[String], sender: &str, track: &str) {
    let mut last = None;
    for p in payloads {
        let n: u32 = p
            .strip_prefix(&format!("{sender}:{track}:"))
            .unwrap_or_else(|| panic!("foreign payload {p:?}"))
            .parse()
            .unwrap();
        assert!(
            last.is_none_or(|l| n > l),
            "out of order: {n} after {last:?}"
        );
        last = Some(n);
    }
}

#[sqlx::test]
async fn two_peers_exchange_audio_and_video_with_payloads_intact(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut alice = app.peer("room-1", "alice").await;
    alice.publish().await;
    let (mut bob, joined) = TestPeer::join(&app.ws_url(), "room-1", &app.token("room-1", "bob"))
        .await
        .unwrap();
    let present: Vec<&str> = joined["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["identity"].as_str().unwrap())
        .collect();
    assert_eq!(present, ["alice"]);
    bob.publish().await;
    assert_eq!(
        alice.expect("participant_joined").await["participant"]["identity"],
        "bob"
    );
    for (receiver, sender) in [(&alice, "bob"), (&bob, "alice")] {
        for track in ["camera", "microphone"] {
            let got = receiver.await_packets(sender, track, 50).await;
            assert_intact(&got, sender, track);
        }
    }
    assert!(
        alice.payloads_from("alice", "camera").is_empty(),
        "nobody receives their own media"
    );
}

#[sqlx::test]
async fn an_h264_camera_is_negotiated_and_forwarded_intact(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut bob = app.peer("room-h264", "bob").await;
    let mut alice = app.peer("room-h264", "alice").await;
    alice.publish_h264().await;
    let published = bob.expect("track_published").await;
    let camera = if published["track"]["kind"] == "video" {
        published
    } else {
        bob.expect("track_published").await
    };
    assert_eq!(camera["track"]["mime_type"], "video/H264", "{camera}");
    let got = bob.await_packets("alice", "camera", 50).await;
    assert_intact(&got, "alice", "camera");
    bob.await_packets("alice", "microphone", 50).await;
}

#[sqlx::test]
async fn a_third_peer_joining_and_leaving_does_not_disturb_the_others(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut alice = app.peer("room-2", "alice").await;
    alice.publish().await;
    let mut bob = app.peer("room-2", "bob").await;
    bob.publish().await;
    bob.await_packets("alice", "camera", 20).await;
    let mut carol = app.peer("room-2", "carol").await;
    carol.publish().await;
    carol.await_packets("alice", "camera", 20).await;
    carol.await_packets("bob", "microphone", 20).await;
    bob.await_packets("carol", "camera", 20).await;
    carol.leave().await;
    let left = alice.expect("participant_left").await;
    assert_eq!(
        (left["identity"].as_str(), left["reason"].as_str()),
        (Some("carol"), Some("left"))
    );
    let (a, b) = (
        bob.payloads_from("alice", "camera").len(),
        alice.payloads_from("bob", "camera").len(),
    );
    let after_b = bob.await_packets("alice", "camera", a + 50).await;
    let after_a = alice.await_packets("bob", "camera", b + 50).await;
    assert_intact(&after_b, "alice", "camera");
    assert_intact(&after_a, "bob", "camera");
}

async fn refused(app: &TestApp, join: Value) -> Refusal {
    let mut ws = raw_socket(&app.ws_url()).await;
    ws.send(Message::text(join.to_string())).await.unwrap();
    refusal(&mut ws).await
}

#[sqlx::test]
async fn missing_forged_expired_and_wrong_room_tokens_are_refused(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let forged = RoomTokenKey::new(vec![7; 32]).unwrap().mint(
        &grant("room-3", "mallory"),
        Utc::now(),
        chrono::Duration::minutes(5),
    );
    let expired = app.state.services.room_tokens.mint(
        &grant("room-3", "eve"),
        Utc::now() - chrono::Duration::hours(2),
        chrono::Duration::minutes(5),
    );
    let other_room = app.token("room-4", "trudy");
    let cases = [
        (
            json!({"type": "join", "version": 1, "room": "room-3", "token": forged}),
            "token_invalid",
            4401,
        ),
        (
            json!({"type": "join", "version": 1, "room": "room-3", "token": expired}),
            "token_expired",
            4401,
        ),
        (
            json!({"type": "join", "version": 1, "room": "room-3", "token": other_room}),
            "wrong_room",
            4403,
        ),
        (
            json!({"type": "join", "version": 1, "room": "room-3", "token": "garbage"}),
            "token_invalid",
            4401,
        ),
        (json!({"type": "ping"}), "join_first", 4401),
        (
            json!({"type": "join", "version": 9, "room": "room-3", "token": app.token("room-3", "x")}),
            "unsupported_version",
            4400,
        ),
    ];
    for (join, code, close) in cases {
        assert_eq!(
            refused(&app, join.clone()).await,
            Refusal {
                code: code.into(),
                close: Some(close)
            },
            "{join}"
        );
    }
    let sfu_room = app.peer("room-3", "ok").await;
    sfu_room.leave().await;
}

#[sqlx::test]
async fn bad_messages_get_error_frames_and_the_call_goes_on(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut alice = app.peer("room-5", "alice").await;
    alice.publish().await;
    let bob = app.peer("room-5", "bob").await;
    bob.await_packets("alice", "camera", 10).await;
    for (message, code) in [
        (json!({"type": "dance"}), "bad_message"),
        (
            json!({"type": "publish_offer", "sdp": "v=0 this is not sdp"}),
            "sdp_rejected",
        ),
        (
            json!({"type": "subscribe_answer", "sdp": "v=0"}),
            "sdp_rejected",
        ),
        (json!({"type": "chat", "text": "   "}), "bad_chat"),
        (
            json!({"type": "join", "version": 1, "room": "room-5", "token": "again"}),
            "already_joined",
        ),
    ] {
        alice.send(message).await;
        assert_eq!(alice.expect("error").await["code"], code);
    }
    alice.send(json!({"type": "ping"})).await;
    alice.expect("pong").await;
    let before = bob.payloads_from("alice", "camera").len();
    bob.await_packets("alice", "camera", before + 25).await;

    // A client that keeps sending garbage is disconnected; the others are not.
    let mut ws = raw_socket(&app.ws_url()).await;
    ws.send(Message::text(json!({"type": "join", "version": 1, "room": "room-5", "token": app.token("room-5", "mallory")}).to_string())).await.unwrap();
    ws.send(Message::text("x".repeat(70 * 1024))).await.unwrap();
    for _ in 0..3 {
        ws.send(Message::text("{not json")).await.unwrap();
    }
    // Binary frames count as bad messages too, and the last strike says why it closes.
    for _ in 0..2 {
        ws.send(Message::binary(vec![1u8, 2, 3])).await.unwrap();
    }
    let mut codes = Vec::new();
    let mut close = None;
    while let Ok(Some(Ok(frame))) = tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
        match frame {
            Message::Text(t) => {
                let v: Value = serde_json::from_str(t.as_str()).unwrap();
                if v["type"] == "error" {
                    codes.push(v["code"].as_str().unwrap().to_owned());
                }
            }
            Message::Close(c) => {
                close = c.map(|c| u16::from(c.code));
                break;
            }
            _ => {}
        }
    }
    assert_eq!(codes.first().map(String::as_str), Some("too_large"));
    assert_eq!(codes.last().map(String::as_str), Some("too_many_errors"));
    assert_eq!(close, Some(4400));
    let before = bob.payloads_from("alice", "camera").len();
    bob.await_packets("alice", "camera", before + 25).await;

    // A binary first frame is not a join: refused with a frame and a close code.
    let mut ws = raw_socket(&app.ws_url()).await;
    ws.send(Message::binary(vec![0u8; 8])).await.unwrap();
    let mut refusal = (None, None);
    while let Ok(Some(Ok(frame))) = tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
        match frame {
            Message::Text(t) => {
                let v: Value = serde_json::from_str(t.as_str()).unwrap();
                refusal.0 = v["code"].as_str().map(str::to_owned);
            }
            Message::Close(c) => {
                refusal.1 = c.map(|c| u16::from(c.code));
                break;
            }
            _ => {}
        }
    }
    assert_eq!(refusal, (Some("join_first".to_owned()), Some(4401)));
}

#[sqlx::test]
async fn chat_reaches_everyone_in_the_room(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut alice = app.peer("room-6", "alice").await;
    let mut bob = app.peer("room-6", "bob").await;
    alice
        .send(json!({"type": "chat", "text": "Bom dia, doutora"}))
        .await;
    let mut stamps = Vec::new();
    for p in [&mut alice, &mut bob] {
        let m = p.expect("chat").await;
        assert_eq!(
            (m["from"].as_str(), m["text"].as_str()),
            (Some("alice"), Some("Bom dia, doutora"))
        );
        stamps.push(m["at"].as_str().unwrap().to_owned());
    }
    assert_eq!(stamps[0], stamps[1], "one time for everyone");
}

#[sqlx::test]
async fn chat_travels_on_the_data_channel_and_bad_messages_there_get_error_replies(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut alice = app.peer("room-dc", "alice").await;
    let mut bob = app.peer("room-dc", "bob").await;
    // Nobody publishes: the SFU's first subscribe offer still opens the data channel.
    alice
        .send_on_channel(&json!({"type": "chat", "text": "Pelo canal de dados"}).to_string())
        .await;
    bob.send_on_channel(&json!({"type": "ping"}).to_string())
        .await;
    assert_eq!(bob.expect("pong").await["via"], "data_channel");
    for p in [&mut alice, &mut bob] {
        let m = p.expect("chat").await;
        assert_eq!(
            (m["text"].as_str(), m["from"].as_str(), m["via"].as_str()),
            (
                Some("Pelo canal de dados"),
                Some("alice"),
                Some("data_channel")
            )
        );
    }
    // Chat sent over the WebSocket reaches the others on their data channel too.
    bob.send(json!({"type": "chat", "text": "Pelo WebSocket"}))
        .await;
    for p in [&mut alice, &mut bob] {
        let m = p.expect("chat").await;
        assert_eq!(
            (m["text"].as_str(), m["via"].as_str()),
            (Some("Pelo WebSocket"), Some("data_channel"))
        );
    }

    alice.send_on_channel("{not json").await;
    let e = alice.expect("error").await;
    assert_eq!(
        (e["code"].as_str(), e["via"].as_str()),
        (Some("bad_message"), Some("data_channel"))
    );
    alice
        .send_on_channel(&json!({"type": "mute", "kind": "audio", "muted": true}).to_string())
        .await;
    assert_eq!(alice.expect("error").await["code"], "wrong_channel");
    alice
        .send_on_channel(&json!({"type": "chat", "text": "   "}).to_string())
        .await;
    assert_eq!(alice.expect("error").await["code"], "bad_chat");
    // The call goes on: the next chat still arrives.
    alice
        .send_on_channel(&json!({"type": "chat", "text": "Ainda aqui"}).to_string())
        .await;
    assert_eq!(bob.expect("chat").await["text"], "Ainda aqui");
}

#[sqlx::test]
async fn the_room_learns_who_speaks_from_the_microphones_audio_levels(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut alice = app.peer("room-speak", "alice").await;
    alice.publish().await;
    let mut bob = app.peer("room-speak", "bob").await;
    bob.publish().await;
    // Half a second of silence from both (level 127): nobody speaks.
    bob.await_packets("alice", "microphone", 25).await;
    alice.await_packets("bob", "microphone", 25).await;
    for p in [&mut alice, &mut bob] {
        while let Ok(m) = p.inbox.try_recv() {
            assert_ne!(
                m["type"], "active_speaker",
                "silence is nobody speaking: {m}"
            );
        }
    }
    alice.speak(25);
    for p in [&mut alice, &mut bob] {
        assert_eq!(p.expect("active_speaker").await["identity"], "alice");
    }
    // Bob talks, Alice falls silent: the floor passes to him (no empty floor in between).
    alice.speak(127);
    bob.speak(30);
    for p in [&mut alice, &mut bob] {
        assert_eq!(p.expect("active_speaker").await["identity"], "bob");
    }
    // Both talk: Bob keeps the floor. Muted, his microphone no longer holds it, whatever
    // its packets say.
    alice.speak(10);
    bob.send(json!({"type": "mute", "kind": "audio", "muted": true}))
        .await;
    for p in [&mut alice, &mut bob] {
        assert_eq!(p.expect("active_speaker").await["identity"], "alice");
    }
    // A newcomer learns who speaks when they join.
    let mut carol = app.peer("room-speak", "carol").await;
    assert_eq!(carol.expect("active_speaker").await["identity"], "alice");
    // Silence empties the floor (after a hold of 1.5 s).
    alice.speak(127);
    let m = carol.expect("active_speaker").await;
    assert!(m["identity"].is_null(), "{m}");
}

#[sqlx::test]
async fn a_booked_sessions_parties_meet_and_their_attendance_is_recorded(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "5001", 20_000).await;
    let client = app.register("CLIENT").await;
    let (session_id, slot) = app.booked_session(&client, &lawyer).await;
    app.clock.set(slot - chrono::Duration::minutes(5));

    let mut peers = Vec::new();
    for party in [&client, &lawyer] {
        let (mut peer, joined) = app.join_session(party, &session_id).await;
        assert_eq!(joined["identity"], party.id.to_string());
        peer.publish().await;
        peers.push(peer);
    }
    peers[0]
        .await_packets(&lawyer.id.to_string(), "camera", 20)
        .await;
    peers[1]
        .await_packets(&client.id.to_string(), "microphone", 20)
        .await;

    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let joined: i64 = sqlx::query_scalar("SELECT count(DISTINCT user_id) FROM session_events WHERE session_id = $1::uuid AND kind = 'joined'")
            .bind(&session_id)
            .fetch_one(&db)
            .await
            .unwrap();
        if joined == 2 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "attendance not recorded"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tribuna_api::scheduling::worker::tick(&app.state)
        .await
        .unwrap();
    let status: String =
        sqlx::query_scalar("SELECT status FROM legal_sessions WHERE id = $1::uuid")
            .bind(&session_id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(status, "in_progress");
    // A ticket for another room does not open this one.
    let other_room = app.token("another-room", &client.id.to_string());
    assert!(TestPeer::join(&app.ws_url(), &session_id, &other_room)
        .await
        .is_err());
    for p in peers {
        p.leave().await;
    }
}

#[sqlx::test]
async fn a_subscribers_keyframe_request_reaches_the_publisher(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut alice = app.peer("room-7", "alice").await;
    alice.publish().await;
    let bob = app.peer("room-7", "bob").await;
    bob.await_packets("alice", "camera", 25).await;
    // Wait until the SFU's own join-time requests have stopped and its rate limit (500 ms)
    // has expired since the last one alice saw.
    let quiet = Duration::from_millis(600);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let last = alice
            .keyframe_requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(track, _)| track == "camera")
            .map(|(_, at)| *at)
            .max();
        if last.is_none_or(|t| t.elapsed() >= quiet) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "keyframe requests never stopped"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let asked = tokio::time::Instant::now();
    bob.send_pli("alice", "camera").await;
    let deadline = asked + Duration::from_secs(5);
    loop {
        let relayed = alice
            .keyframe_requests
            .lock()
            .unwrap()
            .iter()
            .any(|(track, at)| track == "camera" && *at > asked);
        if relayed {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the PLI never reached the publisher"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Asked again at once: the rate limit holds the request back, it does not lose it.
    let camera_requests = || -> Vec<tokio::time::Instant> {
        alice
            .keyframe_requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(track, _)| track == "camera")
            .map(|(_, at)| *at)
            .collect()
    };
    let first = *camera_requests().iter().max().unwrap();
    bob.send_pli("alice", "camera").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let next = loop {
        if let Some(next) = camera_requests().into_iter().find(|at| *at > first) {
            break next;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "a keyframe request within the interval was lost"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(
        next - first >= Duration::from_millis(450),
        "at most one request every 500 ms: {:?} apart",
        next - first
    );
    assert!(
        alice
            .keyframe_requests
            .lock()
            .unwrap()
            .iter()
            .all(|(track, _)| track == "camera"),
        "audio gets no keyframe requests"
    );
}

#[sqlx::test]
async fn packets_lost_on_the_way_to_a_subscriber_are_retransmitted_after_nack(db: PgPool) {
    let app = TestApp::spawn_with(db, |s| s.sfu.simulated_loss_one_in = Some(15)).await;
    let mut alice = app.peer("room-8", "alice").await;
    alice.publish().await;
    let bob = app.peer("room-8", "bob").await;
    let got = bob.await_packets("alice", "camera", 250).await;
    assert!(
        app.sfu.simulated_drops() >= 10,
        "the lossy link dropped {} packets",
        app.sfu.simulated_drops()
    );
    let mut numbers: Vec<u32> = got
        .iter()
        .map(|p| p.rsplit(':').next().unwrap().parse().unwrap())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    // Everything but the newest few (whose retransmissions may still be on the way) arrived.
    let (first, last) = (numbers[0], numbers[numbers.len() - 1] - 10);
    let missing: Vec<u32> = (first..=last)
        .filter(|n| numbers.binary_search(n).is_err())
        .collect();
    assert!(missing.is_empty(), "lost and never recovered: {missing:?}");
}

#[sqlx::test]
async fn admins_see_each_rooms_media_statistics(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let admin = app.admin().await;
    let mut alice = app.peer("room-9", "alice").await;
    alice.publish().await;
    let bob = app.peer("room-9", "bob").await;
    bob.await_packets("alice", "camera", 50).await;
    let first: Value = admin.get("/api/admin/calls").await.json().await.unwrap();
    bob.await_packets("alice", "camera", 100).await;
    let rooms: Value = admin.get("/api/admin/calls").await.json().await.unwrap();
    let room = rooms
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["room"] == "room-9")
        .expect("the room is listed");
    let find = |who: &str| {
        room["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["identity"] == who)
            .unwrap()
            .clone()
    };
    let (a, b) = (find("alice"), find("bob"));
    let sent: u64 = a["published"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["packets"].as_u64().unwrap())
        .sum();
    let forwarded: u64 = b["subscribed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["packets"].as_u64().unwrap())
        .sum();
    assert!(
        sent >= 100 && forwarded >= 100,
        "alice sent {sent}, bob was sent {forwarded}"
    );
    assert!(forwarded <= sent, "nothing forwarded that was not received");
    assert!(
        a["bitrate_in_kbps"].as_f64().unwrap() > 0.0,
        "a bitrate since the previous snapshot: {a}"
    );
    assert!(first.as_array().is_some());
    let metrics = admin.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("sfu_participant_packets_received{room=\"room-9\",identity=\"alice\"}"),
        "{metrics}"
    );
    assert!(
        app.anonymous().get("/api/admin/calls").await.status() == reqwest::StatusCode::UNAUTHORIZED
    );
    // Someone who left disappears from /metrics once their series go stale; who stays, stays.
    bob.leave().await;
    let (bob_series, alice_series) = (
        "sfu_participant_packets_sent{room=\"room-9\",identity=\"bob\"}",
        "sfu_participant_packets_received{room=\"room-9\",identity=\"alice\"}",
    );
    let deadline =
        tokio::time::Instant::now() + tribuna_api::STALE_GAUGES_AFTER + Duration::from_secs(10);
    loop {
        let metrics = admin.get("/metrics").await.text().await.unwrap();
        assert!(metrics.contains(alice_series), "{metrics}");
        if !metrics.contains(bob_series) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "bob's series outlived their staleness: {metrics}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[sqlx::test]
async fn development_rooms_admit_logged_in_users_only_when_enabled(db: PgPool) {
    let app = TestApp::spawn_with(db, |s| s.signaling.dev_rooms = true).await;
    assert_eq!(
        app.anonymous()
            .post("/api/dev/rooms/dev-try/join", &json!({}))
            .await
            .status(),
        reqwest::StatusCode::UNAUTHORIZED
    );
    let client = app.register("CLIENT").await;
    let bad = client
        .post("/api/dev/rooms/real-session/join", &json!({}))
        .await;
    assert_eq!(
        bad.status(),
        reqwest::StatusCode::UNPROCESSABLE_ENTITY,
        "only dev- rooms"
    );
    let ticket: Value = client
        .post("/api/dev/rooms/dev-try/join", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let (peer, joined) =
        TestPeer::join(&app.ws_url(), "dev-try", ticket["token"].as_str().unwrap())
            .await
            .unwrap();
    assert_eq!(joined["identity"], client.id.to_string());
    peer.leave().await;
}

#[sqlx::test]
async fn join_tickets_carry_turn_credentials_that_expire_with_them(db: PgPool) {
    let app = TestApp::spawn_with(db.clone(), |s| {
        s.signaling.dev_rooms = true;
        s.turn.urls = vec!["turn:turn.example:3478?transport=tcp".into()];
        s.turn.secret = Some("a secret shared with coturn".into());
    })
    .await;
    let client = app.register("CLIENT").await;
    let ticket: Value = client
        .post("/api/dev/rooms/dev-turn/join", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let servers = ticket["ice_servers"].as_array().unwrap();
    assert_eq!(servers.len(), 1, "{ticket}");
    let expires: chrono::DateTime<Utc> = ticket["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        servers[0]["username"],
        format!("{}:{}", expires.timestamp(), client.id)
    );
    assert_eq!(
        servers[0]["urls"],
        json!(["turn:turn.example:3478?transport=tcp"])
    );
    let credential = servers[0]["credential"].as_str().unwrap();
    assert_eq!(credential.len(), 28, "Base64 of an HMAC-SHA1: {credential}");

    // Without relays configured, tickets name none.
    let plain = TestApp::spawn_with(db, |s| s.signaling.dev_rooms = true).await;
    let client = plain.register("CLIENT").await;
    let ticket: Value = client
        .post("/api/dev/rooms/dev-turn/join", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ticket["ice_servers"], json!([]));
}
