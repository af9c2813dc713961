//! A recording's sealed bundle as it is produced. Each closed segment is hashed and chained,
//! sealed to the vault's public keys (the plaintext file is then deleted) and deposited in the
//! spool, which uploads it to the store or keeps it until the store is back. Checkpoints and
//! the final manifest are signed, (the final one) timestamped, and sealed the same way. The
//! stored objects are `<prefix>/<path in the bundle>.sealed`: opening them all with the vault
//! key gives the bundle layout that `tribuna verify` reads (docs/proof-format.md).

use std::sync::Arc;

use ed25519_dalek::SigningKey;

use crate::proof::{self, Chain, Manifest, Segment};
use crate::recording::ClosedSegment;
use crate::seal::{self, SealError};
use crate::store::{Spool, StoreError};
use crate::timestamp::TimestampError;
use crate::vault::PublicKey;

/// The suffix of every sealed object.
pub const SEALED: &str = ".sealed";

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("sealing: {0}")]
    Seal(#[from] SealError),
    #[error("spool: {0}")]
    Store(#[from] StoreError),
    #[error("timestamp: {0}")]
    Timestamp(#[from] TimestampError),
}

pub struct Sealer {
    keys: Arc<Vec<PublicKey>>,
    spool: Arc<Spool>,
    prefix: String,
    chain: Chain,
    series: u32,
}

impl Sealer {
    /// Seals into `prefix` (e.g. `recordings/<id>`) for segment `series`, going on from the
    /// chain entries already made (empty for a new recording).
    pub fn resume(
        keys: Arc<Vec<PublicKey>>,
        spool: Arc<Spool>,
        prefix: &str,
        chain: Vec<Segment>,
        series: u32,
    ) -> Self {
        Sealer {
            keys,
            spool,
            prefix: prefix.trim_end_matches('/').to_owned(),
            chain: Chain { segments: chain },
            series,
        }
    }

    pub fn chain(&self) -> &[Segment] {
        &self.chain.segments
    }

    pub fn series(&self) -> u32 {
        self.series
    }

    /// The object key a bundle path is stored under.
    pub fn object_key(&self, path: &str) -> String {
        format!("{}/{path}{SEALED}", self.prefix)
    }

    /// Seals `bytes` as bundle file `path` and deposits it (in the spool at least).
    /// Returns whether it reached the store already.
    pub async fn put(&self, path: &str, bytes: Vec<u8>) -> Result<bool, LiveError> {
        let keys = self.keys.clone();
        let label = path.to_owned();
        let sealed = tokio::task::spawn_blocking(move || {
            let mut out = Vec::with_capacity(bytes.len() + 1024);
            seal::seal(&mut bytes.as_slice(), &mut out, &keys, &label).map(|_| out)
        })
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))??;
        Ok(self.spool.deposit(&self.object_key(path), &sealed).await?)
    }

    /// A closed segment: chained, sealed, deposited; its plaintext file is deleted. Returns
    /// its chain entry (to be recorded durably by the caller).
    pub async fn segment(&mut self, closed: &ClosedSegment) -> Result<Segment, LiveError> {
        let content = tokio::fs::read(&closed.path).await?;
        let entry = closed.chain_entry(&self.chain, self.series, &content);
        self.put(&format!("{}/{}", proof::SEGMENTS, entry.file), content)
            .await?;
        // Only once it is sealed and durably spooled does it join the chain.
        self.chain.segments.push(entry.clone());
        let _ = tokio::fs::remove_file(&closed.path).await;
        Ok(entry)
    }

    /// An intermediate checkpoint: the manifest so far, signed (not timestamped), sealed as
    /// `checkpoints/<n>/…`.
    pub async fn checkpoint(
        &self,
        n: u32,
        manifest: &Manifest,
        key: &SigningKey,
    ) -> Result<(), LiveError> {
        for (name, bytes) in proof::signed_files(manifest, key) {
            self.put(&format!("checkpoints/{n:04}/{name}"), bytes)
                .await?;
        }
        Ok(())
    }

    /// The final manifest: signed, timestamped by `stamp` (the manifest's bytes in, the
    /// RFC 3161 response out), sealed. Returns the SHA-256 of manifest.json.
    pub async fn finish<F, Fut>(
        &self,
        manifest: &Manifest,
        key: &SigningKey,
        stamp: F,
    ) -> Result<String, LiveError>
    where
        F: FnOnce(Vec<u8>) -> Fut,
        Fut: std::future::Future<Output = Result<Vec<u8>, TimestampError>>,
    {
        let [manifest_file, signature, signer] = proof::signed_files(manifest, key);
        let digest = crate::store::sha256_hex(&manifest_file.1);
        let token = stamp(manifest_file.1.clone()).await?;
        for (name, bytes) in [manifest_file, signature, signer, (proof::TIMESTAMP, token)] {
            self.put(name, bytes).await?;
        }
        Ok(digest)
    }
}
