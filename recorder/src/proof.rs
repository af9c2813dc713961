//! The proof of a Legal Mode recording: a manifest in canonical JSON (RFC 8785)
//! listing the session, participants, consents, markers, gaps and every segment
//! with its SHA-256, each segment entry linked to the previous one (a hash chain),
//! signed with the server's Ed25519 key. Verifying needs only the files: no
//! server, database or ffmpeg.

use std::path::Path;

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.sig";
pub const SIGNER: &str = "signer.pub";
pub const SEGMENTS: &str = "segments";
/// The RFC 3161 timestamp response over manifest.json.
pub const TIMESTAMP: &str = "manifest.tsr";
/// The `prev` of the first segment entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub identity: String,
    /// `client` or `lawyer`.
    pub role: String,
    pub display_name: String,
    /// The lawyer's OAB registration, e.g. `123456/SP`.
    pub oab: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub identity: String,
    /// `consent_given`, `consent_withdrawn`, `joined`, `left`, `marker`.
    pub kind: String,
    pub at: DateTime<Utc>,
    /// Milliseconds of media time since the recording began, when known.
    pub media_ms: Option<u64>,
    pub note: Option<String>,
}

/// One segment file: a participant's audio and video for a few seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub index: u64,
    /// The segment series (a recorder restart starts a new series).
    pub series: u32,
    pub participant: String,
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The previous entry's `link` (GENESIS for the first).
    pub prev: String,
    /// SHA-256 over `prev` and this entry's canonical form without `link`.
    pub link: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    /// No media between these instants (the recorder was down, or consent was withdrawn).
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub session_id: String,
    pub participants: Vec<Participant>,
    pub events: Vec<Event>,
    pub segments: Vec<Segment>,
    pub gaps: Vec<Gap>,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    /// The last segment's `link`: commits to every segment.
    pub head: String,
}

#[derive(Serialize)]
struct Unlinked<'a> {
    index: u64,
    series: u32,
    participant: &'a str,
    file: &'a str,
    bytes: u64,
    sha256: &'a str,
    start: &'a DateTime<Utc>,
    end: &'a DateTime<Utc>,
    prev: &'a str,
}

/// The `link` of a segment entry: SHA-256(prev ‖ JCS(entry without link)), hex.
pub fn link_of(s: &Segment) -> String {
    let unlinked = Unlinked {
        index: s.index,
        series: s.series,
        participant: &s.participant,
        file: &s.file,
        bytes: s.bytes,
        sha256: &s.sha256,
        start: &s.start,
        end: &s.end,
        prev: &s.prev,
    };
    let mut h = Sha256::new();
    h.update(s.prev.as_bytes());
    h.update(serde_jcs::to_vec(&unlinked).expect("serializable"));
    hex::encode(h.finalize())
}

/// A segment's file name in the bundle: chain position, participant, the participant's own
/// segment number, e.g. `000003-lawyer-1-00001.webm`.
pub fn segment_file(position: usize, participant: &str, index: u32, ext: &str) -> String {
    format!("{position:06}-{participant}-{index:05}.{ext}")
}

/// `t` without its sub-microsecond part.
pub fn to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

/// Builds the chain as segments are produced.
#[derive(Debug, Default)]
pub struct Chain {
    pub segments: Vec<Segment>,
}

impl Chain {
    /// The entry that would come next (not added). Times are kept to the microsecond (as
    /// databases store them), so an entry read back links the same.
    pub fn next(
        &self,
        series: u32,
        participant: &str,
        file: &str,
        content: &[u8],
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Segment {
        let mut s = Segment {
            index: self.segments.len() as u64,
            series,
            participant: participant.to_owned(),
            file: file.to_owned(),
            bytes: content.len() as u64,
            sha256: crate::store::sha256_hex(content),
            start: to_micros(start),
            end: to_micros(end),
            prev: self.head(),
            link: String::new(),
        };
        s.link = link_of(&s);
        s
    }

    pub fn push(
        &mut self,
        series: u32,
        participant: &str,
        file: &str,
        content: &[u8],
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> &Segment {
        let s = self.next(series, participant, file, content, start, end);
        self.segments.push(s);
        self.segments.last().expect("just pushed")
    }

    pub fn head(&self) -> String {
        self.segments
            .last()
            .map_or_else(|| GENESIS.to_owned(), |s| s.link.clone())
    }
}

/// The manifest's canonical bytes (what is signed and timestamped).
pub fn canonical(m: &Manifest) -> Vec<u8> {
    serde_jcs::to_vec(m).expect("serializable")
}

/// manifest.json, manifest.sig and signer.pub: the manifest's canonical bytes, signed.
pub fn signed_files(manifest: &Manifest, key: &SigningKey) -> [(&'static str, Vec<u8>); 3] {
    let bytes = canonical(manifest);
    let signature = format!("{}\n", hex::encode(key.sign(&bytes).to_bytes()));
    let signer = format!("{}\n", hex::encode(key.verifying_key().to_bytes()));
    [
        (MANIFEST, bytes),
        (SIGNATURE, signature.into_bytes()),
        (SIGNER, signer.into_bytes()),
    ]
}

/// Writes manifest.json, manifest.sig and signer.pub into `dir` (segments are written by the recorder).
pub fn sign_into(dir: &Path, manifest: &Manifest, key: &SigningKey) -> std::io::Result<()> {
    for (name, bytes) in signed_files(manifest, key) {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(())
}

/// The first thing wrong with a bundle, in Portuguese and English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("arquivo ausente / missing file: {0}")]
    Missing(String),
    #[error("manifesto ilegível / unreadable manifest: {0}")]
    Unreadable(String),
    #[error("manifesto fora da forma canônica (RFC 8785) / manifest is not in canonical form")]
    NotCanonical,
    #[error("assinatura inválida: o manifesto foi alterado ou não foi assinado por esta chave / invalid signature: the manifest was altered or not signed by this key")]
    BadSignature,
    #[error("a chave do assinante não é a esperada / the signer's key is not the expected one")]
    UnexpectedSigner,
    #[error("segmento {index} ({file}): conteúdo alterado, SHA-256 não confere / segment {index} ({file}): content altered, SHA-256 mismatch")]
    SegmentAltered { index: u64, file: String },
    #[error("segmento {index} ({file}): {bytes} bytes em vez de {expected} / segment {index}: {bytes} bytes instead of {expected}")]
    SegmentSize {
        index: u64,
        file: String,
        bytes: u64,
        expected: u64,
    },
    #[error("segmento {index}: fora de ordem ou faltando no encadeamento / segment {index}: out of order or missing from the chain")]
    BrokenChain { index: u64 },
    #[error("o encadeamento não termina no 'head' do manifesto / the chain does not end at the manifest's head")]
    WrongHead,
    #[error("carimbo de tempo inválido / invalid timestamp: {0}")]
    BadTimestamp(String),
    #[error("carimbo de tempo presente mas não verificado: informe a raiz da ACT com --tsa-root / timestamp present but unchecked: give the TSA root with --tsa-root")]
    TimestampUnchecked,
    #[error("segmento {index}: termina antes de começar ou sobrepõe o anterior / segment {index}: ends before it starts or overlaps the previous one of its participant")]
    BadTimes { index: u64 },
}

/// What `verify` checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub session_id: String,
    pub segments: usize,
    pub bytes: u64,
    pub gaps: usize,
    pub signer: String,
    pub head: String,
    /// The timestamp authority's time for the manifest.
    pub timestamp: String,
}

fn read(dir: &Path, name: &str) -> Result<Vec<u8>, Problem> {
    std::fs::read(dir.join(name)).map_err(|_| Problem::Missing(name.to_owned()))
}

fn hex_bytes<const N: usize>(text: &[u8], what: &str) -> Result<[u8; N], Problem> {
    let s = std::str::from_utf8(text).map_err(|_| Problem::Unreadable(what.into()))?;
    let v = hex::decode(s.trim()).map_err(|_| Problem::Unreadable(what.into()))?;
    v.try_into().map_err(|_| Problem::Unreadable(what.into()))
}

/// Checks an opened bundle: the signature over the canonical manifest, every
/// segment's size and SHA-256, the chain's order and links, and the head.
/// `expected_signer` (hex), when given, must be the signing key.
pub fn verify(
    dir: &Path,
    expected_signer: Option<&str>,
    tsa_root: Option<&Path>,
) -> Result<Report, Problem> {
    let bytes = read(dir, MANIFEST)?;
    let manifest: Manifest =
        serde_json::from_slice(&bytes).map_err(|e| Problem::Unreadable(e.to_string()))?;
    if canonical(&manifest) != bytes {
        return Err(Problem::NotCanonical);
    }
    let signer_bytes: [u8; 32] = hex_bytes(&read(dir, SIGNER)?, SIGNER)?;
    let signer_hex = hex::encode(signer_bytes);
    if expected_signer.is_some_and(|e| !e.trim().eq_ignore_ascii_case(&signer_hex)) {
        return Err(Problem::UnexpectedSigner);
    }
    let key =
        VerifyingKey::from_bytes(&signer_bytes).map_err(|_| Problem::Unreadable(SIGNER.into()))?;
    let signature = Signature::from_bytes(&hex_bytes(&read(dir, SIGNATURE)?, SIGNATURE)?);
    key.verify(&bytes, &signature)
        .map_err(|_| Problem::BadSignature)?;
    let mut prev = GENESIS.to_owned();
    let mut total = 0;
    let mut last_end: std::collections::HashMap<&str, DateTime<Utc>> = Default::default();
    for (i, s) in manifest.segments.iter().enumerate() {
        if s.index != i as u64 || s.prev != prev || link_of(s) != s.link {
            return Err(Problem::BrokenChain { index: i as u64 });
        }
        if s.end < s.start
            || last_end
                .get(s.participant.as_str())
                .is_some_and(|e| s.start < *e)
        {
            return Err(Problem::BadTimes { index: s.index });
        }
        last_end.insert(&s.participant, s.end);
        let content = read(&dir.join(SEGMENTS), &s.file)
            .map_err(|_| Problem::Missing(format!("{SEGMENTS}/{}", s.file)))?;
        if content.len() as u64 != s.bytes {
            return Err(Problem::SegmentSize {
                index: s.index,
                file: s.file.clone(),
                bytes: content.len() as u64,
                expected: s.bytes,
            });
        }
        if crate::store::sha256_hex(&content) != s.sha256 {
            return Err(Problem::SegmentAltered {
                index: s.index,
                file: s.file.clone(),
            });
        }
        total += s.bytes;
        prev = s.link.clone();
    }
    if prev != manifest.head {
        return Err(Problem::WrongHead);
    }
    if !dir.join(TIMESTAMP).exists() {
        return Err(Problem::Missing(TIMESTAMP.to_owned()));
    }
    let root = tsa_root.ok_or(Problem::TimestampUnchecked)?;
    let timestamp = crate::timestamp::verify(&dir.join(MANIFEST), &dir.join(TIMESTAMP), root)
        .map_err(|e| Problem::BadTimestamp(e.to_string()))?;
    Ok(Report {
        session_id: manifest.session_id,
        segments: manifest.segments.len(),
        bytes: total,
        gaps: manifest.gaps.len(),
        signer: signer_hex,
        head: manifest.head,
        timestamp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }

    /// A bundle of four 2-second segments from two participants.
    fn bundle(dir: &Path, key: &SigningKey) -> Manifest {
        std::fs::create_dir_all(dir.join(SEGMENTS)).unwrap();
        let mut chain = Chain::default();
        for (i, who) in ["client", "lawyer", "client", "lawyer"].iter().enumerate() {
            let content: Vec<u8> = format!("webm bytes of {who} #{i}").repeat(100).into_bytes();
            let file = format!("{i:06}-{who}.webm");
            std::fs::write(dir.join(SEGMENTS).join(&file), &content).unwrap();
            let start = t(2 * (i as i64 / 2));
            chain.push(
                0,
                who,
                &file,
                &content,
                start,
                start + chrono::Duration::seconds(2),
            );
        }
        let manifest = Manifest {
            version: 1,
            session_id: "6f1c".into(),
            participants: vec![
                Participant {
                    identity: "client".into(),
                    role: "client".into(),
                    display_name: "Ana".into(),
                    oab: None,
                },
                Participant {
                    identity: "lawyer".into(),
                    role: "lawyer".into(),
                    display_name: "Dra. Bia".into(),
                    oab: Some("123456/SP".into()),
                },
            ],
            events: vec![Event {
                identity: "client".into(),
                kind: "consent_given".into(),
                at: t(0),
                media_ms: Some(0),
                note: None,
            }],
            segments: chain.segments.clone(),
            gaps: vec![],
            started_at: t(0),
            ended_at: t(4),
            head: chain.head(),
        };
        sign_into(dir, &manifest, key).unwrap();
        stamp(dir);
        manifest
    }

    fn tsa() -> crate::local_tsa::LocalTsa {
        crate::local_tsa::LocalTsa::create(&std::env::temp_dir().join("tribuna-test-tsa")).unwrap()
    }

    /// Timestamps the bundle's manifest with the local (test) TSA.
    fn stamp(dir: &Path) {
        let query = crate::timestamp::request(&std::fs::read(dir.join(MANIFEST)).unwrap()).unwrap();
        std::fs::write(dir.join(TIMESTAMP), tsa().reply(&query).unwrap()).unwrap();
    }

    fn temp() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!(
            "tribuna-proof-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn rand_suffix() -> u64 {
        let mut b = [0u8; 8];
        getrandom::fill(&mut b).unwrap();
        u64::from_le_bytes(b)
    }

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7u8; 32])
    }

    #[test]
    fn an_intact_bundle_verifies() {
        let dir = temp();
        bundle(&dir, &key());
        let report = verify(
            &dir,
            Some(&hex::encode(key().verifying_key().to_bytes())),
            Some(&tsa().root()),
        )
        .unwrap();
        assert_eq!(report.segments, 4);
        assert!(report.timestamp.ends_with("GMT"), "{}", report.timestamp);
        assert_eq!(verify(&dir, None, None), Err(Problem::TimestampUnchecked));
    }

    #[test]
    fn each_kind_of_tampering_is_named() {
        let k = key();
        // A flipped byte in a segment.
        let dir = temp();
        bundle(&dir, &k);
        let seg = dir.join(SEGMENTS).join("000002-client.webm");
        let mut b = std::fs::read(&seg).unwrap();
        b[10] ^= 1;
        std::fs::write(&seg, b).unwrap();
        assert_eq!(
            verify(&dir, None, Some(&tsa().root())),
            Err(Problem::SegmentAltered {
                index: 2,
                file: "000002-client.webm".into()
            })
        );
        // A dropped segment file.
        let dir = temp();
        bundle(&dir, &k);
        std::fs::remove_file(dir.join(SEGMENTS).join("000001-lawyer.webm")).unwrap();
        assert_eq!(
            verify(&dir, None, Some(&tsa().root())),
            Err(Problem::Missing("segments/000001-lawyer.webm".into()))
        );
        // Two segments' contents swapped.
        let dir = temp();
        bundle(&dir, &k);
        let (a, b) = (
            dir.join(SEGMENTS).join("000000-client.webm"),
            dir.join(SEGMENTS).join("000002-client.webm"),
        );
        let (ca, cb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        std::fs::write(&a, cb).unwrap();
        std::fs::write(&b, ca).unwrap();
        assert!(matches!(
            verify(&dir, None, Some(&tsa().root())),
            Err(Problem::SegmentAltered { index: 0, .. })
        ));
        // The manifest altered (even re-canonicalized): the signature fails.
        let dir = temp();
        let mut m = bundle(&dir, &k);
        m.participants[1].oab = Some("999999/RJ".into());
        std::fs::write(dir.join(MANIFEST), canonical(&m)).unwrap();
        assert_eq!(
            verify(&dir, None, Some(&tsa().root())),
            Err(Problem::BadSignature)
        );
        // Entries reordered and re-signed by someone else's key: the chain breaks first,
        // and a bundle signed by an unexpected key is refused when the key is named.
        let dir = temp();
        let mut m = bundle(&dir, &k);
        m.segments.swap(1, 2);
        let mallory = SigningKey::from_bytes(&[9u8; 32]);
        sign_into(&dir, &m, &mallory).unwrap();
        assert_eq!(
            verify(&dir, None, Some(&tsa().root())),
            Err(Problem::BrokenChain { index: 1 })
        );
        assert_eq!(
            verify(
                &dir,
                Some(&hex::encode(k.verifying_key().to_bytes())),
                Some(&tsa().root())
            ),
            Err(Problem::UnexpectedSigner)
        );
        // A timestamp of another manifest swapped in.
        let (a, b) = (temp(), temp());
        bundle(&a, &k);
        let mut other = bundle(&b, &k);
        other.session_id = "another".into();
        sign_into(&b, &other, &k).unwrap();
        stamp(&b);
        std::fs::copy(b.join(TIMESTAMP), a.join(TIMESTAMP)).unwrap();
        assert!(matches!(
            verify(&a, None, Some(&tsa().root())),
            Err(Problem::BadTimestamp(_))
        ));
        // A token from an authority the verifier does not trust.
        let stranger = crate::local_tsa::LocalTsa::create(&temp().join("tsa")).unwrap();
        assert!(matches!(
            verify(&b, None, Some(&stranger.root())),
            Err(Problem::BadTimestamp(_))
        ));
        std::fs::remove_file(b.join(TIMESTAMP)).unwrap();
        assert_eq!(
            verify(&b, None, Some(&tsa().root())),
            Err(Problem::Missing(TIMESTAMP.into()))
        );
    }

    #[tokio::test]
    async fn the_manifest_is_stamped_over_http_by_the_configured_authority() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, tsa().router()).await.unwrap() });
        let dir = temp();
        bundle(&dir, &key());
        let token = crate::timestamp::stamp(&url, &std::fs::read(dir.join(MANIFEST)).unwrap())
            .await
            .unwrap();
        std::fs::write(dir.join(TIMESTAMP), token).unwrap();
        assert!(verify(&dir, None, Some(&tsa().root())).is_ok());
    }
}
