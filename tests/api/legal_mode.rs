//! Legal Mode end to end: two webrtc-rs participants publish real VP8 and Opus, both consent,
//! the server records, seals into moto's S3 and timestamps with a local `openssl ts`
//! authority; an admin downloads the sealed bundle with a reason, it opens with the vault's
//! secret key (the real binary), ffprobe reads every participant's audio and video, and
//! `tribuna verify` passes. Also: the recorder killed mid-call, the store down mid-call, and
//! everything the server holds failing to open what it sealed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use tribuna_loadtest::media::{vp8_clip, Clip};
use tribuna_loadtest::peer::TestPeer;
use tribuna_recorder::proof::Manifest;
use tribuna_recorder::store::S3Settings;
use tribuna_recorder::vault;
use uuid::Uuid;

use crate::helpers::{moto_with, Actor, Moto, TestApp};
use crate::vault::tribuna;

/// A Legal Mode server with its own data directory, vault key pair and S3 bucket.
struct Legal {
    app: TestApp,
    dir: PathBuf,
    key_file: PathBuf,
    store: tribuna_recorder::store::Store,
    _moto: Moto,
    proxy: Option<crate::helpers::Proxy>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Legal {
    /// With `through_proxy`, the server reaches S3 through a TCP proxy the test can cut.
    async fn spawn(db: PgPool, through_proxy: bool) -> Legal {
        let dir = std::env::temp_dir().join(format!("tribuna-legal-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let (secret, public) = vault::generate().unwrap();
        let key_file = dir.join("admin-vault.key");
        std::fs::write(&key_file, secret.encode().as_bytes()).unwrap();
        let port = free_port();
        let s3 = S3Settings {
            endpoint: Some(format!("http://127.0.0.1:{port}")),
            region: "us-east-1".into(),
            bucket: "tribuna-recordings".into(),
            access_key: "test".into(),
            secret_key: "test".into(),
        };
        let store = moto_with(port, &s3, true).await;
        let proxy = if through_proxy {
            Some(crate::helpers::Proxy::start(port).await)
        } else {
            None
        };
        let endpoint = match &proxy {
            Some(p) => format!("http://127.0.0.1:{}", p.port),
            None => s3.endpoint.clone().unwrap(),
        };
        let data = dir.join("server-data");
        let app = TestApp::spawn_with(db, |s| {
            s.data.dir = Some(data);
            s.storage.s3_bucket = Some(s3.bucket.clone());
            s.storage.s3_endpoint = Some(endpoint);
            s.storage.s3_access_key = Some(s3.access_key.clone().into());
            s.storage.s3_secret_key = Some(s3.secret_key.clone().into());
            s.legal.vault_public_keys = vec![public.encode()];
            s.legal.segment_seconds = 4;
            s.legal.checkpoint_every = 3;
            s.legal.spool_retry_seconds = 1;
            s.legal.object_lock_days = Some(3650);
        })
        .await;
        Legal {
            app,
            dir,
            key_file,
            store: tribuna_recorder::store::Store::s3(&s3),
            _moto: store,
            proxy,
        }
    }

    /// An admin, a verified lawyer (OAB `oab`/SP) and a client.
    async fn parties(&self, oab: &str) -> (Actor, Actor, Actor) {
        let admin = self.app.admin().await;
        let lawyer = self.app.verified_lawyer(&admin, oab, 20_000).await;
        let client = self.app.register("CLIENT").await;
        (admin, lawyer, client)
    }

    fn tsa_root(&self) -> PathBuf {
        self.dir.join("server-data/local-tsa/ca.pem")
    }
}

impl Legal {
    /// An object from the store, opened with the vault's secret key.
    async fn open_object(&self, key: &str) -> Vec<u8> {
        let sealed = self
            .store
            .get(key)
            .await
            .unwrap_or_else(|e| panic!("{key}: {e}"));
        let secret =
            vault::SecretKey::decode(&std::fs::read_to_string(&self.key_file).unwrap()).unwrap();
        let mut plain = Vec::new();
        tribuna_recorder::seal::open(&mut sealed.as_slice(), &mut plain, &secret, |_| {}).unwrap();
        plain
    }
}

/// An Ed25519 signature (hex) by `signer` (hex) over `message`.
fn signature_holds(signer: &[u8], message: &[u8], signature: &[u8]) -> bool {
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};
    let key: [u8; 32] = hex::decode(String::from_utf8_lossy(signer).trim())
        .unwrap()
        .try_into()
        .unwrap();
    let sig: [u8; 64] = hex::decode(String::from_utf8_lossy(signature).trim())
        .unwrap()
        .try_into()
        .unwrap();
    VerifyingKey::from_bytes(&key)
        .unwrap()
        .verify(message, &Signature::from_bytes(&sig))
        .is_ok()
}

fn clip() -> Arc<Clip> {
    Arc::new(
        vp8_clip(&std::env::temp_dir().join("tribuna-test-media"), 2)
            .expect("ffmpeg encodes the test clip"),
    )
}

/// Both parties of a booked Legal Mode session join, publish real media and consent; returns
/// once both are told the call is recorded.
async fn recorded_call(app: &TestApp, client: &Actor, lawyer: &Actor) -> (String, Vec<TestPeer>) {
    let (session, slot) = app.booked_session_with(client, lawyer, true).await;
    app.clock.set(slot - chrono::Duration::minutes(5));
    let clip = clip();
    let mut peers = Vec::new();
    for party in [client, lawyer] {
        let (mut peer, joined) = app.join_session(party, &session).await;
        assert_eq!(joined["legal_mode"], true);
        peer.publish_clip(clip.clone()).await;
        peers.push(peer);
    }
    // Nothing is recorded before both consent.
    peers[0]
        .send(json!({"type": "consent", "given": true}))
        .await;
    // The room is told who consented; the call is not recorded yet.
    let client_only = json!([client.id.to_string()]);
    loop {
        let m = peers[1].expect("recording").await;
        assert_eq!(m["state"], "waiting_consent");
        if m["consents"] == client_only {
            break;
        }
    }
    peers[1]
        .send(json!({"type": "consent", "given": true}))
        .await;
    for p in peers.iter_mut() {
        until_state(p, |s| s == "recording").await;
    }
    (session, peers)
}

async fn until_state(peer: &mut TestPeer, want: impl Fn(&str) -> bool) -> Value {
    loop {
        let m = peer.expect("recording").await;
        if want(m["state"].as_str().unwrap()) {
            return m;
        }
    }
}

/// Waits until the session's recording is sealed; returns its id.
async fn sealed(db: &PgPool, session: &str) -> Uuid {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let row: Option<Uuid> = sqlx::query_scalar(
            "SELECT id FROM recordings WHERE session_id = $1::uuid AND status = 'sealed'",
        )
        .bind(session)
        .fetch_optional(db)
        .await
        .unwrap();
        if let Some(id) = row {
            return id;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the recording was not sealed"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The admin downloads the sealed bundle (with a reason) and opens it with the vault key.
async fn download_and_open(legal: &Legal, admin: &Actor, recording: Uuid, name: &str) -> PathBuf {
    let res = admin
        .get(&format!(
            "/api/admin/recordings/{recording}/bundle?reason=Pedido%20judicial%20n%C2%BA%20123"
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let tar = legal.dir.join(format!("{name}.tar"));
    std::fs::write(&tar, res.bytes().await.unwrap()).unwrap();
    let out = legal.dir.join(name);
    let p = |x: &Path| x.to_str().unwrap().to_owned();
    let (ok, text) = tribuna(&[
        "vault",
        "open",
        "--key",
        &p(&legal.key_file),
        &p(&tar),
        &p(&out),
    ]);
    assert!(ok, "{text}");
    out
}

fn verify(legal: &Legal, bundle: &Path) -> (bool, String) {
    tribuna(&[
        "verify",
        bundle.to_str().unwrap(),
        "--tsa-root",
        legal.tsa_root().to_str().unwrap(),
    ])
}

fn manifest(bundle: &Path) -> Manifest {
    serde_json::from_slice(&std::fs::read(bundle.join("manifest.json")).unwrap()).unwrap()
}

/// ffprobe: each stream's (codec type, codec, decoded frames, duration in seconds).
fn probe(file: &Path) -> Vec<(String, String, u64, f64)> {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-count_frames",
            "-show_streams",
            "-show_format",
            "-of",
            "json",
        ])
        .arg(file)
        .output()
        .expect("ffprobe is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let duration: f64 = v["format"]["duration"]
        .as_str()
        .unwrap_or("0")
        .parse()
        .unwrap();
    v["streams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["codec_type"].as_str().unwrap().to_owned(),
                s["codec_name"].as_str().unwrap().to_owned(),
                s["nb_read_frames"].as_str().unwrap_or("0").parse().unwrap(),
                duration,
            )
        })
        .collect()
}

/// Per participant: seconds of media ffprobe finds across their segments, and decoded video frames.
fn media_per_participant(bundle: &Path, m: &Manifest) -> Vec<(String, f64, u64)> {
    let mut out: Vec<(String, f64, u64)> = Vec::new();
    for p in &m.participants {
        let mut seconds = 0.0;
        let mut frames = 0;
        for s in m.segments.iter().filter(|s| s.participant == p.identity) {
            let streams = probe(&bundle.join("segments").join(&s.file));
            let kinds: Vec<(&str, &str)> = streams
                .iter()
                .map(|s| (s.0.as_str(), s.1.as_str()))
                .collect();
            assert_eq!(
                kinds,
                vec![("video", "vp8"), ("audio", "opus")],
                "{}",
                s.file
            );
            assert!(
                streams.iter().all(|s| s.2 > 0),
                "{}: every stream decodes frames",
                s.file
            );
            seconds += streams[0].3;
            frames += streams[0].2;
        }
        out.push((p.identity.clone(), seconds, frames));
    }
    out
}

/// The manifest's span for `who`: from their first segment's start to their last's end.
fn span(m: &Manifest, who: &str) -> f64 {
    let mine: Vec<_> = m.segments.iter().filter(|s| s.participant == who).collect();
    let (first, last) = (mine.first().unwrap(), mine.last().unwrap());
    (last.end - first.start).num_milliseconds() as f64 / 1000.0
}

#[sqlx::test]
async fn a_30_second_legal_mode_call_becomes_a_sealed_bundle_that_opens_plays_and_verifies(
    db: PgPool,
) {
    let legal = Legal::spawn(db.clone(), false).await;
    let app = &legal.app;
    let (admin, lawyer, client) = legal.parties("7701").await;
    let (session, mut peers) = recorded_call(app, &client, &lawyer).await;
    let began = tokio::time::Instant::now();

    // A marker from the lawyer, half-way; everyone is told.
    tokio::time::sleep(Duration::from_secs(15)).await;
    peers[1]
        .send(json!({"type": "mark", "label": "Cliente apresenta o contrato"}))
        .await;
    let marked = peers[0].expect("marked").await;
    assert_eq!(marked["identity"], lawyer.id.to_string());
    assert!(marked["media_ms"].as_u64().unwrap() >= 14_000);
    // The call goes on to 31 s of recording, then both leave.
    tokio::time::sleep(Duration::from_secs(31).saturating_sub(began.elapsed())).await;
    for p in peers {
        p.leave().await;
    }

    let recording = sealed(&db, &session).await;
    // The parties see it sealed with its hash; the hash is in the audit log.
    let mine: Value = client
        .get(&format!("/api/sessions/{session}/recordings"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine[0]["status"], "sealed");
    let digest = mine[0]["manifest_sha256"].as_str().unwrap().to_owned();
    let audited: Value = sqlx::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'recording.sealed' AND subject_id = $1",
    )
    .bind(recording.to_string())
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(audited["manifest_sha256"], digest.as_str());

    // Nobody but an admin downloads it, and an admin only with a reason.
    let path = format!("/api/admin/recordings/{recording}/bundle");
    assert_eq!(
        client.get(&format!("{path}?reason=quero")).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(admin.get(&path).await.status(), StatusCode::BAD_REQUEST);
    let bundle = download_and_open(&legal, &admin, recording, "opened").await;
    let downloads: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'recording.bundle_downloaded' AND subject_id = $1 AND reason = 'Pedido judicial nº 123'",
    )
    .bind(recording.to_string())
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(downloads, 1);

    // The opened bundle verifies offline, and its manifest is the one whose hash was recorded.
    let (ok, report) = verify(&legal, &bundle);
    assert!(ok, "{report}");
    assert!(report.contains("VÁLIDO / VALID"), "{report}");
    assert_eq!(
        tribuna_recorder::store::sha256_hex(&std::fs::read(bundle.join("manifest.json")).unwrap()),
        digest
    );
    let m = manifest(&bundle);
    assert_eq!(m.session_id, session);
    let lawyer_entry = m.participants.iter().find(|p| p.role == "lawyer").unwrap();
    assert_eq!(lawyer_entry.oab.as_deref(), Some("7701/SP"));
    let kinds: Vec<&str> = m.events.iter().map(|e| e.kind.as_str()).collect();
    for k in ["joined", "consent_given", "marker", "left"] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    let marker = m.events.iter().find(|e| e.kind == "marker").unwrap();
    assert_eq!(marker.note.as_deref(), Some("Cliente apresenta o contrato"));
    assert!(m.gaps.is_empty(), "{:?}", m.gaps);

    // ffprobe: each participant's audio and video, about 31 s, decoding frames all along.
    for (who, seconds, frames) in media_per_participant(&bundle, &m) {
        let expected = span(&m, &who);
        eprintln!("{who}: ffprobe {seconds:.3} s, manifest {expected:.3} s, {frames} video frames decoded");
        assert!(
            (seconds - expected).abs() <= 0.5,
            "{who}: ffprobe {seconds} s, manifest {expected} s"
        );
        assert!(
            (29.5..=32.0).contains(&seconds),
            "{who}: {seconds} s recorded of a 31 s call"
        );
        assert!(
            frames as f64 >= seconds * 25.0,
            "{who}: {frames} video frames in {seconds} s"
        );
    }
    // Every object is under object lock in compliance mode, for the configured ten years.
    let tribuna_recorder::store::Store::S3 { client, bucket } = &legal.store else {
        unreachable!()
    };
    let key = format!("recordings/{session}/{recording}/manifest.json.sealed");
    // (moto answers GetObjectRetention with the object itself: the HEAD's headers say it.)
    let head = client
        .head_object()
        .bucket(bucket)
        .key(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        head.object_lock_mode().map(|m| m.as_str()),
        Some("COMPLIANCE")
    );
    let until = head.object_lock_retain_until_date().unwrap().secs();
    assert!(
        until > chrono::Utc::now().timestamp() + 3640 * 86_400,
        "retained until {until}"
    );
    let version = head.version_id().map(str::to_owned);
    assert!(version.is_some());
    let deleted = client
        .delete_object()
        .bucket(bucket)
        .key(&key)
        .set_version_id(version)
        .send()
        .await;
    assert!(
        deleted.is_err(),
        "a locked object's version cannot be deleted"
    );

    // Signed checkpoints were sealed into the store along the way (every 3 segments): the
    // first lists the first 3 segments, exactly as the final manifest does, under the same key.
    let prefix = format!("recordings/{session}/{recording}/checkpoints/0001/");
    let checkpoint: Manifest = serde_json::from_slice(
        &legal
            .open_object(&format!("{prefix}manifest.json.sealed"))
            .await,
    )
    .unwrap();
    assert_eq!(checkpoint.segments[..], m.segments[..3]);
    let signature = legal
        .open_object(&format!("{prefix}manifest.sig.sealed"))
        .await;
    let signer = legal
        .open_object(&format!("{prefix}signer.pub.sealed"))
        .await;
    assert_eq!(signer, std::fs::read(bundle.join("signer.pub")).unwrap());
    assert!(signature_holds(
        &signer,
        &tribuna_recorder::proof::canonical(&checkpoint),
        &signature
    ));

    // Tampering with the opened copy is caught: one flipped byte in a segment.
    let first = bundle.join("segments").join(&m.segments[0].file);
    let mut bytes = std::fs::read(&first).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&first, bytes).unwrap();
    let (ok, report) = verify(&legal, &bundle);
    assert!(!ok && report.contains(&m.segments[0].file), "{report}");
}

#[sqlx::test]
async fn a_recorder_killed_mid_call_loses_only_what_it_was_writing_and_the_gap_is_in_the_manifest(
    db: PgPool,
) {
    let legal = Legal::spawn(db.clone(), false).await;
    let app = &legal.app;
    let (admin, lawyer, client) = legal.parties("7702").await;
    let (session, peers) = recorded_call(app, &client, &lawyer).await;
    let id: Uuid = session.parse().unwrap();

    // Let a few segments close, then kill the recorder as a crash would.
    wait_for_segments(&db, &session, 2).await;
    assert!(app.legal.kill_recorder(id));
    // A new series takes over and closes segments of its own.
    wait_for_series_segments(&db, &session, Some(1), 2).await;
    for p in peers {
        p.leave().await;
    }
    let recording = sealed(&db, &session).await;
    let bundle = download_and_open(&legal, &admin, recording, "after-kill").await;
    let (ok, report) = verify(&legal, &bundle);
    assert!(ok, "{report}");
    let m = manifest(&bundle);
    assert_eq!(m.gaps.len(), 1, "{:?}", m.gaps);
    let gap = &m.gaps[0];
    assert_eq!(gap.reason, "recorder_restarted");
    assert!(gap.to > gap.from);
    // Before the gap, series 0; after it, series 1; nothing in between.
    for s in &m.segments {
        match s.series {
            0 => assert!(s.end <= gap.from, "{s:?} ends after the gap opens"),
            1 => assert!(s.start >= gap.to, "{s:?} starts before the gap closes"),
            other => panic!("series {other}"),
        }
    }
    assert!(m.segments.iter().any(|s| s.series == 0));
    for (who, seconds, _) in media_per_participant(&bundle, &m) {
        assert!(seconds > 4.0, "{who}: {seconds} s");
    }
    // The crashed series' unsealed file did not stay behind in the clear.
    let work = legal
        .dir
        .join("server-data/recorder")
        .join(recording.to_string());
    let leftovers: Vec<_> = walk(&work);
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

async fn wait_for_segments(db: &PgPool, session: &str, n: i64) {
    wait_for_series_segments(db, session, None, n).await
}

/// Waits until `n` segments (of `series`, when given) of the session's recording are sealed.
async fn wait_for_series_segments(db: &PgPool, session: &str, series: Option<i32>, n: i64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let count = segment_count(db, session, series).await;
        if count >= n {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {count} segments sealed (series {series:?})"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files
}

#[sqlx::test]
async fn with_the_store_down_for_part_of_the_call_the_bundle_is_complete_afterwards(db: PgPool) {
    let legal = Legal::spawn(db.clone(), true).await;
    let app = &legal.app;
    let (admin, lawyer, client) = legal.parties("7703").await;
    let (session, peers) = recorded_call(app, &client, &lawyer).await;
    wait_for_segments(&db, &session, 2).await;

    // The store goes away; segments keep closing and wait in the spool.
    let proxy = legal.proxy.as_ref().unwrap();
    proxy.set_up(false);
    let before: i64 = segment_count(&db, &session, None).await;
    wait_for_segments(&db, &session, before + 3).await;
    let spool = legal.dir.join("server-data/spool");
    assert!(
        !walk(&spool).is_empty(),
        "sealed segments wait in the spool"
    );
    for p in peers {
        p.leave().await;
    }
    // Sealed while the store is down: the manifest waits in the spool too.
    let recording = sealed(&db, &session).await;
    proxy.set_up(true);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !walk(&spool).is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the spool did not drain: {:?}",
            walk(&spool)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Everything is in S3 now: the bundle comes from the store, whole.
    let bundle = download_and_open(&legal, &admin, recording, "after-outage").await;
    let (ok, report) = verify(&legal, &bundle);
    assert!(ok, "{report}");
    let m = manifest(&bundle);
    assert!(m.gaps.is_empty());
    assert_eq!(
        m.segments.len() as i64,
        segment_count(&db, &session, None).await
    );
    for s in &m.segments {
        let key = format!(
            "recordings/{session}/{recording}/segments/{}.sealed",
            s.file
        );
        assert!(legal.store.get(&key).await.is_ok(), "{key} in S3");
    }
}

/// Sealed segments of the session's recording (of `series`, when given).
async fn segment_count(db: &PgPool, session: &str, series: Option<i32>) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM recording_segments g JOIN recordings r ON r.id = g.recording_id
         WHERE r.session_id = $1::uuid AND ($2::int IS NULL OR g.series = $2)",
    )
    .bind(session)
    .bind(series)
    .fetch_one(db)
    .await
    .unwrap()
}

#[sqlx::test]
async fn nothing_the_server_holds_opens_what_it_sealed(db: PgPool) {
    let legal = Legal::spawn(db.clone(), false).await;
    let app = &legal.app;
    let (_admin, lawyer, client) = legal.parties("7704").await;
    let (session, peers) = recorded_call(app, &client, &lawyer).await;
    wait_for_segments(&db, &session, 1).await;
    for p in peers {
        p.leave().await;
    }
    let recording = sealed(&db, &session).await;
    let sealed_file = legal.dir.join("segment.sealed");
    let key = format!("recordings/{session}/{recording}/manifest.json.sealed");
    std::fs::write(&sealed_file, legal.store.get(&key).await.unwrap()).unwrap();

    // Everything the server has: every file in its data directory (signing key, room-token
    // key, the local TSA's keys, the spool, …) and the configured public key, tried as the
    // vault key by the real binary, and every 32-byte window of each tried in-process.
    let mut tried = 0;
    let server_files = walk(&legal.dir.join("server-data"));
    assert!(server_files
        .iter()
        .any(|f| f.ends_with("recorder-signing.key")));
    let mut candidates: Vec<Vec<u8>> = Vec::new();
    for f in &server_files {
        let out = legal.dir.join(format!("attempt-{tried}"));
        let (ok, _) = tribuna(&[
            "vault",
            "open",
            "--key",
            f.to_str().unwrap(),
            sealed_file.to_str().unwrap(),
            out.to_str().unwrap(),
        ]);
        assert!(!ok, "{} opened a sealed file", f.display());
        assert!(!out.exists());
        tried += 1;
        let bytes = std::fs::read(f).unwrap();
        candidates.push(bytes.clone());
        if let Ok(text) = std::str::from_utf8(&bytes) {
            for token in text.split(|c: char| !c.is_ascii_hexdigit()) {
                if let Ok(raw) = hex::decode(token) {
                    candidates.push(raw);
                }
            }
        }
    }
    let sealed_bytes = std::fs::read(&sealed_file).unwrap();
    let mut windows = 0;
    for c in candidates.iter().filter(|c| c.len() >= 32) {
        for w in c.windows(32).step_by(1).take(4096) {
            let as_key = format!("tribuna-vault-secret-v1:{}", hex::encode(w));
            if let Ok(secret) = vault::SecretKey::decode(&as_key) {
                let mut out = Vec::new();
                assert!(
                    tribuna_recorder::seal::open(
                        &mut sealed_bytes.as_slice(),
                        &mut out,
                        &secret,
                        |_| {}
                    )
                    .is_err(),
                    "a server-held secret opened the recording"
                );
                windows += 1;
            }
        }
    }
    assert!(
        tried >= 3 && windows > 100,
        "tried {tried} files, {windows} keys"
    );
    // The admin's key, which the server never had, opens it.
    let out = legal.dir.join("opened-by-admin");
    let (ok, text) = tribuna(&[
        "vault",
        "open",
        "--key",
        legal.key_file.to_str().unwrap(),
        sealed_file.to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{text}");
}

#[sqlx::test]
async fn a_party_asks_for_their_recording_and_an_admin_answers_with_the_request_as_reason(
    db: PgPool,
) {
    let legal = Legal::spawn(db.clone(), false).await;
    let app = &legal.app;
    let (admin, lawyer, client) = legal.parties("7705").await;
    let stranger = app.register("CLIENT").await;
    let (session, peers) = recorded_call(app, &client, &lawyer).await;
    // While it records, nobody can ask for it yet.
    wait_for_segments(&db, &session, 1).await;
    let listed: Value = client
        .get(&format!("/api/sessions/{session}/recordings"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["status"], "recording");
    let id = listed[0]["id"].as_str().unwrap().to_owned();
    let (path, note) = (
        format!("/api/recordings/{id}/requests"),
        json!({"note": "Para o processo"}),
    );
    let ask = |who: &Actor| {
        let (path, note, http, csrf, base) = (
            path.clone(),
            note.clone(),
            who.http.clone(),
            who.csrf.clone(),
            who.base.clone(),
        );
        async move {
            let mut req = http.post(format!("{base}{path}")).json(&note);
            if let Some(c) = csrf {
                req = req.header("X-CSRF-Token", c);
            }
            req.send().await.unwrap()
        }
    };
    assert_eq!(
        crate::helpers::error_code(ask(&client).await).await,
        "recording_not_sealed"
    );
    for p in peers {
        p.leave().await;
    }
    sealed(&db, &session).await;

    // A stranger learns nothing; the client asks once (a second time is a conflict).
    assert_eq!(
        stranger
            .get(&format!("/api/sessions/{session}/recordings"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(ask(&stranger).await.status(), StatusCode::NOT_FOUND);
    let res = ask(&client).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let request: Value = res.json().await.unwrap();
    assert_eq!(request["status"], "pending");
    assert_eq!(
        crate::helpers::error_code(ask(&client).await).await,
        "request_pending"
    );
    let lawyer_asks: Value = ask(&lawyer).await.json().await.unwrap();

    // The admin sees both, fulfils the client's by downloading with it, refuses the lawyer's.
    let pending: Value = admin
        .get("/api/admin/recording-requests")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pending.as_array().unwrap().len(), 2);
    let rid = request["id"].as_str().unwrap();
    let res = admin
        .get(&format!(
            "/api/admin/recordings/{id}/bundle?reason=Pedido%20da%20cliente&request_id={rid}"
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!res.bytes().await.unwrap().is_empty());
    // The same request cannot be fulfilled twice.
    let again = admin
        .get(&format!(
            "/api/admin/recordings/{id}/bundle?reason=Pedido%20da%20cliente&request_id={rid}"
        ))
        .await;
    assert_eq!(crate::helpers::error_code(again).await, "request_decided");
    let refused = admin
        .post(
            &format!(
                "/api/admin/recording-requests/{}/refuse",
                lawyer_asks["id"].as_str().unwrap()
            ),
            &json!({"reason": "Já entregue à cliente"}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::OK);
    let mine: Value = client
        .get(&format!("/api/sessions/{session}/recordings"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine[0]["my_request"], "fulfilled");
    let theirs: Value = lawyer
        .get(&format!("/api/sessions/{session}/recordings"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs[0]["my_request"], "refused");
    let actions: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT action, reason FROM audit_log WHERE subject_kind = 'recording' AND subject_id = $1 ORDER BY seq",
    )
    .bind(&id)
    .fetch_all(&db)
    .await
    .unwrap();
    let names: Vec<&str> = actions.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "recording.sealed",
            "recording.requested",
            "recording.requested",
            "recording.bundle_downloaded",
            "recording.request_refused"
        ]
    );
    assert_eq!(actions[3].1.as_deref(), Some("Pedido da cliente"));
    assert!(pending
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["session_id"] == session.as_str()));
}
