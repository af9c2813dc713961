//! SFU load generator: R rooms, each with one publisher and S subscribers of
//! synthetic media at a set bitrate, against a running `tribuna serve`. Reports
//! forwarded packets per second, loss, and the server's CPU time.
//!
//!     tribuna-loadtest --url http://127.0.0.1:8080 --token-key ~/.local/share/tribuna/room-token.key \
//!         --rooms 4 --subscribers 3 --video-kbps 500 --seconds 20 --server-pid $(pgrep -f 'tribuna serve')

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use tribuna_loadtest::peer::TestPeer;
use tribuna_signaling::{RoomGrant, RoomTokenKey};

#[derive(Parser)]
#[command(about = "Load the SFU with synthetic rooms and report what it forwarded")]
struct Args {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// The server's room-token key file (hex), to mint tokens for the synthetic rooms.
    #[arg(long)]
    token_key: PathBuf,
    #[arg(long, default_value_t = 2)]
    rooms: usize,
    /// Subscribers per room (each room also has one publisher).
    #[arg(long, default_value_t = 2)]
    subscribers: usize,
    /// Video bitrate per publisher, in kbit/s (audio adds ~a few kbit/s of small packets).
    #[arg(long, default_value_t = 500)]
    video_kbps: usize,
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// The server's process id, to report its CPU time (from /proc).
    #[arg(long)]
    server_pid: Option<u32>,
    /// Publishers send a simulcast camera instead (three layers of about 0.1, 0.4 and
    /// 1.2 Mbit/s, no microphone; `--video-kbps` is then ignored): the SFU picks each
    /// subscriber's layer.
    #[arg(long)]
    simulcast: bool,
}

/// User + system CPU seconds of a process, from /proc/PID/stat.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Distinct sequence numbers received, and the range they span, from `sender:track:n` markers.
fn received_and_expected(payloads: &[String]) -> (u64, u64) {
    let mut ns: Vec<u64> = payloads
        .iter()
        .filter_map(|p| p.rsplit(':').next()?.parse().ok())
        .collect();
    ns.sort_unstable();
    ns.dedup();
    match (ns.first(), ns.last()) {
        (Some(a), Some(b)) => (ns.len() as u64, b - a + 1),
        _ => (0, 0),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let key_hex = std::fs::read_to_string(&args.token_key)
        .with_context(|| format!("reading {}", args.token_key.display()))?;
    let key = RoomTokenKey::new(hex::decode(key_hex.trim()).context("the key file is not hex")?)?;
    let ws = format!(
        "{}/ws",
        args.url.trim_end_matches('/').replacen("http", "ws", 1)
    );
    let token = |room: &str, who: &str| {
        let grant = RoomGrant {
            room: room.into(),
            identity: who.into(),
            display_name: who.into(),
            can_publish: true,
            can_subscribe: true,
            legal_mode: false,
            recorder: false,
        };
        key.mint(&grant, chrono::Utc::now(), chrono::Duration::hours(1))
    };
    let video_bytes = args.video_kbps * 1000 / 8 / 50;
    // What each subscriber should get: the set bitrate, or simulcast's full layer.
    let video_kbps = if args.simulcast {
        1200
    } else {
        args.video_kbps
    };
    eprintln!(
        "joining {} rooms × (1 publisher + {} subscribers), video {} kbit/s ({} B/packet)…",
        args.rooms, args.subscribers, args.video_kbps, video_bytes
    );
    let mut publishers = Vec::new();
    let mut subscribers = Vec::new();
    for r in 0..args.rooms {
        let room = format!("load-{r}");
        let (mut publisher, _) = TestPeer::join(&ws, &room, &token(&room, &format!("pub-{r}")))
            .await
            .map_err(|e| anyhow::anyhow!("join refused: {e:?}"))?;
        if args.simulcast {
            publisher.publish_simulcast().await;
        } else {
            publisher.publish_padded(video_bytes).await;
        }
        for s in 0..args.subscribers {
            let (sub, _) = TestPeer::join(&ws, &room, &token(&room, &format!("sub-{r}-{s}")))
                .await
                .map_err(|e| anyhow::anyhow!("join refused: {e:?}"))?;
            subscribers.push((r, sub));
        }
        publishers.push(publisher);
        eprintln!("  room {r} up ({}/{})", r + 1, args.rooms);
    }
    // Warm up: every subscriber receives video before measuring.
    for (r, sub) in &subscribers {
        sub.await_packets(&format!("pub-{r}"), "camera", 10).await;
    }
    let count = |subs: &[(usize, TestPeer)]| -> u64 {
        subs.iter()
            .map(|(r, s)| {
                (s.payloads_from(&format!("pub-{r}"), "camera").len()
                    + s.payloads_from(&format!("pub-{r}"), "microphone").len())
                    as u64
            })
            .sum()
    };
    let cpu0 = args.server_pid.and_then(cpu_seconds);
    let (start, received0) = (Instant::now(), count(&subscribers));
    for second in 1..=args.seconds {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if second % 5 == 0 || second == args.seconds {
            eprintln!(
                "  {second}/{} s, {} packets forwarded so far",
                args.seconds,
                count(&subscribers) - received0
            );
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let forwarded = count(&subscribers) - received0;
    let cpu = match (cpu0, args.server_pid.and_then(cpu_seconds)) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    let (mut got, mut expected) = (0, 0);
    for (r, sub) in &subscribers {
        for track in ["camera", "microphone"] {
            let (g, e) = received_and_expected(&sub.payloads_from(&format!("pub-{r}"), track));
            got += g;
            expected += e;
        }
    }
    let loss = if expected > 0 {
        100.0 * (expected - got) as f64 / expected as f64
    } else {
        0.0
    };
    println!(
        "rooms={} subscribers_per_room={} video_kbps={} simulcast={} seconds={:.1}",
        args.rooms, args.subscribers, video_kbps, args.simulcast, elapsed
    );
    if args.simulcast {
        // Which layer each forwarded packet was (`pub-r:camera-<rid>:n`).
        let mut by_layer = std::collections::BTreeMap::<String, usize>::new();
        for (r, sub) in &subscribers {
            for p in sub.payloads_from(&format!("pub-{r}"), "camera") {
                if let Some(layer) = p.split(':').nth(1) {
                    *by_layer.entry(layer.to_owned()).or_default() += 1;
                }
            }
        }
        println!("packets_by_layer={by_layer:?}");
    }
    println!(
        "forwarded_packets_per_second={:.0}",
        forwarded as f64 / elapsed
    );
    println!(
        "forwarded_video_mbps={:.2}",
        (args.rooms * args.subscribers * video_kbps) as f64 / 1000.0
    );
    println!("loss_percent={loss:.3}");
    match cpu {
        Some(c) => println!(
            "server_cpu_seconds={c:.2} server_cpu_percent_of_one_core={:.1}",
            100.0 * c / elapsed
        ),
        None => println!("server_cpu_seconds=unknown (pass --server-pid)"),
    }
    for p in publishers {
        p.leave().await;
    }
    for (_, s) in subscribers {
        s.leave().await;
    }
    Ok(())
}
