//! Simulcast through the real server's SFU with webrtc-rs peers: a subscriber whose link
//! narrows is moved to a lower layer on a keyframe, and its picture never stops.

use std::time::Duration;

use sqlx::PgPool;

use crate::helpers::TestApp;

/// The layer (`q`, `h`, `f`) of each packet received from `from`'s camera, in order.
fn layers(peer: &tribuna_loadtest::peer::TestPeer, from: &str) -> Vec<char> {
    peer.payloads_from(from, "camera")
        .iter()
        .filter_map(|p| p.split(':').nth(1)?.strip_prefix("camera-")?.chars().next())
        .collect()
}

#[sqlx::test]
async fn a_subscriber_whose_link_narrows_gets_a_lower_layer_and_never_a_frozen_picture(db: PgPool) {
    let app = TestApp::spawn_with(db, |s| s.sfu.simulated_bandwidth = true).await;
    let mut alice = app.peer("room-narrow", "alice").await;
    alice.publish_simulcast().await;
    let bob = app.peer("room-narrow", "bob").await;
    // Plenty of room: the full layer, and only that one, once it has settled.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let got = layers(&bob, "alice");
        if got.len() > 100 && got[got.len() - 50..].iter().all(|l| *l == 'f') {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "bob never settled on the full layer: {:?}",
            &got[got.len().saturating_sub(60)..]
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The link narrows to 600 kbit/s: the full layer (1.2 Mbit/s) no longer fits.
    let before = layers(&bob, "alice").len();
    app.sfu.simulate_bandwidth(Some(600_000));
    let narrowed = tokio::time::Instant::now();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut last_count = before;
    let mut last_growth = tokio::time::Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let got = layers(&bob, "alice");
        // Never frozen: packets keep coming, the whole time.
        if got.len() > last_count {
            last_count = got.len();
            last_growth = tokio::time::Instant::now();
        }
        assert!(
            last_growth.elapsed() < Duration::from_secs(1),
            "nothing from alice's camera for a second after the link narrowed"
        );
        // Lower layers arriving (retransmissions of the full one may still trickle in).
        let since = &got[before..];
        if since.iter().filter(|l| **l != 'f').count() >= 50 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still on the full layer: {:?}",
            &since[since.len().saturating_sub(60)..]
        );
    }
    let sent = app.sfu.stats().await;
    let bob_stats = sent
        .iter()
        .flat_map(|r| &r.participants)
        .find(|p| p.identity == "bob")
        .unwrap();
    let estimate = bob_stats.bandwidth_estimate_kbps.unwrap();
    assert!(
        estimate < 1200.0,
        "the estimate followed the link down: {estimate} kbit/s"
    );
    let now_on = *layers(&bob, "alice").last().unwrap();
    println!(
        "narrowed to 600 kbit/s: 50 packets of lower layers within {:.1} s (now on {now_on}), estimate {estimate:.0} kbit/s",
        narrowed.elapsed().as_secs_f64()
    );
    // The link widens again: back up to the full layer.
    app.sfu.simulate_bandwidth(None);
    let widened = tokio::time::Instant::now();
    let before = layers(&bob, "alice").len();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let got = layers(&bob, "alice");
        let since = &got[before..];
        if since.len() > 50 && since[since.len() - 30..].iter().all(|l| *l == 'f') {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never back on the full layer: {:?}",
            &since[since.len().saturating_sub(60)..]
        );
    }
    println!(
        "widened: back on the full layer after {:.1} s",
        widened.elapsed().as_secs_f64()
    );
}
