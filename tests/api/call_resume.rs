//! A participant whose signaling connection drops keeps its place for the resume window:
//! coming back with `resume` carries the call on; not coming back makes it leave.
//! An ICE restart renews the subscribe connection's credentials and media goes on.

use sqlx::PgPool;

use crate::calls::assert_intact;
use crate::helpers::TestApp;

#[sqlx::test]
async fn a_dropped_participant_who_resumes_keeps_its_media_and_place(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut alice = app.peer("resume-1", "alice").await;
    alice.publish().await;
    let mut bob = app.peer("resume-1", "bob").await;
    bob.publish().await;
    alice.await_packets("bob", "camera", 20).await;
    bob.await_packets("alice", "camera", 20).await;

    bob.drop_signaling().await;
    let before = alice.payloads_from("bob", "camera").len();
    let joined = bob
        .reconnect(
            &app.ws_url(),
            "resume-1",
            &app.token("resume-1", "bob"),
            true,
        )
        .await
        .expect("resumes");
    assert_eq!(joined["resumed"], true);
    let present: Vec<&str> = joined["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["identity"].as_str().unwrap())
        .collect();
    assert_eq!(present, ["alice"]);

    // Media kept flowing both ways over the same connections.
    let got = alice.await_packets("bob", "camera", before + 50).await;
    assert_intact(&got, "bob", "camera");
    let seen = bob.payloads_from("alice", "microphone").len();
    bob.await_packets("alice", "microphone", seen + 50).await;

    // The resumed connection is a full one: chat reaches alice, and alice saw no departure.
    bob.send(serde_json::json!({"type": "chat", "text": "voltei"}))
        .await;
    let chat = alice.expect_before("chat", "participant_left").await;
    assert_eq!(chat["text"], "voltei");
    bob.leave().await;
    let left = alice.expect("participant_left").await;
    assert_eq!(left["reason"], "left");
}

#[sqlx::test]
async fn a_dropped_participant_who_does_not_come_back_leaves_after_the_window(db: PgPool) {
    let app = TestApp::spawn_with(db, |s| s.signaling.resume_window_seconds = 1).await;
    let mut alice = app.peer("resume-2", "alice").await;
    alice.publish().await;
    let mut bob = app.peer("resume-2", "bob").await;
    bob.publish().await;
    alice.await_packets("bob", "camera", 10).await;
    bob.drop_signaling().await;
    let left = alice.expect("participant_left").await;
    assert_eq!(
        (left["identity"].as_str(), left["reason"].as_str()),
        (Some("bob"), Some("disconnected"))
    );
    // Too late to resume: a fresh join, not a takeover.
    let joined = bob
        .reconnect(
            &app.ws_url(),
            "resume-2",
            &app.token("resume-2", "bob"),
            true,
        )
        .await
        .expect("joins again");
    assert_eq!(joined["resumed"], false);
    assert_eq!(
        alice.expect("participant_joined").await["participant"]["identity"],
        "bob"
    );
}

#[sqlx::test]
async fn a_join_without_resume_replaces_the_earlier_connection(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut alice = app.peer("resume-3", "alice").await;
    let mut bob = app.peer("resume-3", "bob").await;
    bob.drop_signaling().await;
    let joined = bob
        .reconnect(
            &app.ws_url(),
            "resume-3",
            &app.token("resume-3", "bob"),
            false,
        )
        .await
        .expect("joins");
    assert_eq!(joined["resumed"], false);
    let left = alice.expect("participant_left").await;
    assert_eq!(
        (left["identity"].as_str(), left["reason"].as_str()),
        (Some("bob"), Some("replaced"))
    );
}

#[sqlx::test]
async fn an_ice_restart_renews_credentials_and_media_goes_on(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut alice = app.peer("resume-4", "alice").await;
    alice.publish().await;
    let bob = app.peer("resume-4", "bob").await;
    bob.await_packets("alice", "camera", 20).await;
    let offers = bob.offer_ufrags.lock().unwrap().clone();
    assert!(!offers.is_empty());

    bob.send(serde_json::json!({"type": "restart_ice"})).await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let renewed = loop {
        let now = bob.offer_ufrags.lock().unwrap().clone();
        if now.len() > offers.len() {
            break now;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no new subscribe offer"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_ne!(
        renewed.last(),
        offers.last(),
        "same ICE credentials after restart"
    );
    let seen = bob.payloads_from("alice", "camera").len();
    let got = bob.await_packets("alice", "camera", seen + 50).await;
    assert_intact(&got, "alice", "camera");

    // The publisher's network changes too: it restarts ICE on its publish connection.
    let (old, new) = alice.restart_publish_ice().await;
    assert_ne!(
        old, new,
        "the server answered with the same ICE credentials"
    );
    for track in ["camera", "microphone"] {
        let seen = bob.payloads_from("alice", track).len();
        let got = bob.await_packets("alice", track, seen + 50).await;
        assert_intact(&got, "alice", track);
    }
    alice.leave().await;
}

#[sqlx::test]
async fn a_resume_while_the_old_connection_is_still_open_survives_its_late_close(db: PgPool) {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let app = TestApp::spawn_with(db, |s| s.signaling.resume_window_seconds = 1).await;
    let mut alice = app.peer("resume-5", "alice").await;
    let mut bob = app.peer("resume-5", "bob").await;
    // A second socket takes bob over while the first is still up (a half-open connection).
    let mut ws = tribuna_loadtest::peer::raw_socket(&app.ws_url()).await;
    let join = serde_json::json!({"type": "join", "version": 1, "room": "resume-5",
        "token": app.token("resume-5", "bob"), "resume": true});
    ws.send(Message::text(join.to_string())).await.unwrap();
    let Some(Ok(Message::Text(first))) = ws.next().await else {
        panic!("no answer to the resume")
    };
    let joined: serde_json::Value = serde_json::from_str(first.as_str()).unwrap();
    assert_eq!(joined["resumed"], true);
    // Now the old socket closes: that must not start a countdown on the resumed participant.
    bob.drop_signaling().await;
    // Wait out twice the window on purpose, then prove bob is still there: his chat arrives
    // and alice saw no departure before it.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    ws.send(Message::text(
        serde_json::json!({"type": "chat", "text": "ainda aqui"}).to_string(),
    ))
    .await
    .unwrap();
    let chat = alice.expect_before("chat", "participant_left").await;
    assert_eq!(chat["text"], "ainda aqui");
}
