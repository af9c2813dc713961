//! A recording's bundle on disk as it is produced: segment files copied into `segments/` and
//! chained in the order they close, the session's participants, events and gaps, and at the
//! end the manifest — signed with the server's Ed25519 key and timestamped by the TSA. The
//! layout is the one `proof::verify` and `tribuna verify` read (docs/proof-format.md).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;

use crate::proof::{self, Chain, Event, Gap, Manifest, Participant, Segment};
use crate::recording::ClosedSegment;

pub struct Bundle {
    dir: PathBuf,
    session_id: String,
    series: u32,
    started_at: DateTime<Utc>,
    chain: Chain,
    pub participants: Vec<Participant>,
    pub events: Vec<Event>,
    pub gaps: Vec<Gap>,
}

impl Bundle {
    /// Starts a bundle in `dir` (created) for a session's segment `series`.
    pub fn create(
        dir: &Path,
        session_id: &str,
        series: u32,
        started_at: DateTime<Utc>,
    ) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir.join(proof::SEGMENTS))?;
        Ok(Bundle {
            dir: dir.to_owned(),
            session_id: session_id.to_owned(),
            series,
            started_at,
            chain: Chain::default(),
            participants: Vec::new(),
            events: Vec::new(),
            gaps: Vec::new(),
        })
    }

    /// Takes a closed segment: its file joins `segments/` under its chain position, and its
    /// entry links to the previous one.
    pub fn add(&mut self, closed: &ClosedSegment) -> std::io::Result<&Segment> {
        let content = std::fs::read(&closed.path)?;
        let entry = closed.chain_entry(&self.chain, self.series, &content);
        std::fs::write(self.dir.join(proof::SEGMENTS).join(&entry.file), &content)?;
        self.chain.segments.push(entry);
        Ok(self.chain.segments.last().expect("just pushed"))
    }

    /// Writes the signed manifest and its RFC 3161 timestamp (`timestamp` turns the
    /// manifest's bytes into a TSA response).
    pub fn finish(
        self,
        ended_at: DateTime<Utc>,
        key: &SigningKey,
        timestamp: impl FnOnce(&[u8]) -> std::io::Result<Vec<u8>>,
    ) -> std::io::Result<Manifest> {
        let manifest = Manifest {
            version: 1,
            session_id: self.session_id,
            participants: self.participants,
            events: self.events,
            head: self.chain.head(),
            segments: self.chain.segments,
            gaps: self.gaps,
            started_at: self.started_at,
            ended_at,
        };
        proof::sign_into(&self.dir, &manifest, key)?;
        let bytes = std::fs::read(self.dir.join(proof::MANIFEST))?;
        std::fs::write(self.dir.join(proof::TIMESTAMP), timestamp(&bytes)?)?;
        Ok(manifest)
    }
}
