//! `tribuna vault`: the real binary, no server, no database.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

/// Runs the real binary; whether it succeeded, and what it printed (both streams).
pub(crate) fn tribuna(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tribuna"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn an_admin_key_opens_what_the_public_key_sealed_and_nothing_else_does() {
    let dir = std::env::temp_dir().join(format!("tribuna-vault-{}", uuid::Uuid::new_v4()));
    let (admin, other) = (dir.join("admin"), dir.join("other"));
    std::fs::create_dir_all(&admin).unwrap();
    std::fs::create_dir_all(&other).unwrap();
    for d in [&admin, &other] {
        let (ok, out) = tribuna(&["vault", "keygen", "--out", d.to_str().unwrap()]);
        assert!(ok, "{out}");
    }
    let mode = std::fs::metadata(admin.join("vault.key"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "the secret key is private to its owner");
    let segment: Vec<u8> = (0..300_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let plain = dir.join("segment-000001.webm");
    std::fs::write(&plain, &segment).unwrap();
    let sealed = dir.join("segment-000001.webm.sealed");
    let p = |x: &std::path::Path| x.to_str().unwrap().to_owned();
    let (ok, out) = tribuna(&[
        "vault",
        "seal",
        "--to",
        &p(&admin.join("vault.pub")),
        &p(&plain),
        &p(&sealed),
    ]);
    assert!(ok, "{out}");

    // Everything a sealing server holds (the public key) opens nothing.
    let (ok, out) = tribuna(&[
        "vault",
        "open",
        "--key",
        &p(&admin.join("vault.pub")),
        &p(&sealed),
        &p(&dir.join("x")),
    ]);
    assert!(!ok && out.contains("not a secret vault key"), "{out}");
    let (ok, out) = tribuna(&[
        "vault",
        "open",
        "--key",
        &p(&other.join("vault.key")),
        &p(&sealed),
        &p(&dir.join("y")),
    ]);
    assert!(
        !ok && out.contains("none of this file's recipients"),
        "{out}"
    );
    assert!(
        !dir.join("y").exists() && !dir.join("y.partial").exists(),
        "nothing half-written"
    );

    let opened = dir.join("opened.webm");
    let (ok, out) = tribuna(&[
        "vault",
        "open",
        "--key",
        &p(&admin.join("vault.key")),
        &p(&sealed),
        &p(&opened),
    ]);
    assert!(ok, "{out}");
    assert_eq!(std::fs::read(&opened).unwrap(), segment);

    // Opening onto an existing file (here the sealed input itself) is refused; it stays intact.
    let before = std::fs::read(&sealed).unwrap();
    let (ok, out) = tribuna(&[
        "vault",
        "open",
        "--key",
        &p(&admin.join("vault.key")),
        &p(&sealed),
        &p(&sealed),
    ]);
    assert!(!ok && out.contains("already exists"), "{out}");
    assert_eq!(std::fs::read(&sealed).unwrap(), before);

    let mut tampered = std::fs::read(&sealed).unwrap();
    let last = tampered.len() - 5;
    tampered[last] ^= 0x40;
    let bad = dir.join("tampered.sealed");
    std::fs::write(&bad, tampered).unwrap();
    let (ok, out) = tribuna(&[
        "vault",
        "open",
        "--key",
        &p(&admin.join("vault.key")),
        &p(&bad),
        &p(&dir.join("z")),
    ]);
    assert!(!ok && out.contains("altered"), "{out}");
    assert!(!dir.join("z").exists());
}

#[test]
fn tribuna_verify_passes_an_intact_bundle_and_names_the_altered_segment() {
    use tribuna_recorder::proof::{self, Chain, Manifest};
    let dir = std::env::temp_dir().join(format!("tribuna-bundle-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dir.join(proof::SEGMENTS)).unwrap();
    let mut chain = Chain::default();
    let start = chrono::Utc::now();
    for i in 0..3 {
        let content = vec![i as u8; 10_000];
        let file = format!("{i:06}-client.webm");
        std::fs::write(dir.join(proof::SEGMENTS).join(&file), &content).unwrap();
        let from = start + chrono::Duration::seconds(2 * i);
        chain.push(
            0,
            "client",
            &file,
            &content,
            from,
            from + chrono::Duration::seconds(2),
        );
    }
    let manifest = Manifest {
        version: 1,
        session_id: "s-1".into(),
        participants: vec![],
        events: vec![],
        segments: chain.segments.clone(),
        gaps: vec![],
        started_at: start,
        ended_at: start + chrono::Duration::seconds(6),
        head: chain.head(),
    };
    let key = ed25519_dalek::SigningKey::from_bytes(&[3u8; 32]);
    proof::sign_into(&dir, &manifest, &key).unwrap();
    let tsa_dir = std::env::temp_dir().join(format!("tribuna-tsa-{}", uuid::Uuid::new_v4()));
    let tsa = tribuna_recorder::local_tsa::LocalTsa::create(&tsa_dir).unwrap();
    let query =
        tribuna_recorder::timestamp::request(&std::fs::read(dir.join(proof::MANIFEST)).unwrap())
            .unwrap();
    std::fs::write(dir.join(proof::TIMESTAMP), tsa.reply(&query).unwrap()).unwrap();
    let signer = hex::encode(key.verifying_key().to_bytes());
    let root = tsa.root();
    let (ok, out) = tribuna(&["verify", dir.to_str().unwrap(), "--signer", &signer]);
    assert!(
        !ok && out.contains("--tsa-root"),
        "an unchecked timestamp is not VALID: {out}"
    );
    let (ok, out) = tribuna(&[
        "verify",
        dir.to_str().unwrap(),
        "--signer",
        &signer,
        "--tsa-root",
        root.to_str().unwrap(),
    ]);
    assert!(
        ok && out.contains("VÁLIDO / VALID") && out.contains("segments: 3") && out.contains("GMT"),
        "{out}"
    );
    let seg = dir.join(proof::SEGMENTS).join("000001-client.webm");
    let mut b = std::fs::read(&seg).unwrap();
    b[0] ^= 0xff;
    std::fs::write(&seg, b).unwrap();
    let (ok, out) = tribuna(&[
        "verify",
        dir.to_str().unwrap(),
        "--tsa-root",
        root.to_str().unwrap(),
    ]);
    assert!(
        !ok && out.contains("INVÁLIDO") && out.contains("segment 1 (000001-client.webm)"),
        "{out}"
    );
}

#[test]
fn with_dual_control_two_of_three_admins_open_a_recording_and_one_alone_cannot() {
    let dir = std::env::temp_dir().join(format!("tribuna-vault-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = |x: &std::path::Path| x.to_str().unwrap().to_owned();
    let (ok, out) = tribuna(&[
        "vault",
        "keygen",
        "--out",
        &p(&dir),
        "--shares",
        "3",
        "--threshold",
        "2",
    ]);
    assert!(ok, "{out}");
    assert!(
        !dir.join("vault.key").exists(),
        "the whole secret is never written"
    );
    for i in 1..=3 {
        let mode = std::fs::metadata(dir.join(format!("share-{i}.key")))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    let plain = dir.join("manifest.json");
    std::fs::write(&plain, b"{\"version\":1}").unwrap();
    let sealed = dir.join("manifest.json.sealed");
    let (ok, out) = tribuna(&[
        "vault",
        "seal",
        "--to",
        &p(&dir.join("vault.pub")),
        &p(&plain),
        &p(&sealed),
    ]);
    assert!(ok, "{out}");

    let share = |i: u32| p(&dir.join(format!("share-{i}.key")));
    let (ok, out) = tribuna(&[
        "vault",
        "open",
        "--key",
        &share(2),
        &p(&sealed),
        &p(&dir.join("alone")),
    ]);
    assert!(
        !ok && out.contains("1 share(s) given; this key needs 2"),
        "{out}"
    );
    assert!(!dir.join("alone").exists());
    let (ok, out) = tribuna(&[
        "vault",
        "open",
        "--key",
        &share(3),
        "--key",
        &share(1),
        &p(&sealed),
        &p(&dir.join("together")),
    ]);
    assert!(ok, "{out}");
    assert_eq!(
        std::fs::read(dir.join("together")).unwrap(),
        b"{\"version\":1}"
    );
}
