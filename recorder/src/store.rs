//! Where sealed files are kept: an S3-compatible store (aws-sdk-s3) or a local
//! directory (the zero-configuration default). Everything goes through a local
//! spool first: a file is written there, then uploaded, then removed from the
//! spool. If the store is down the file waits, and `drain` uploads it later;
//! nothing is lost.

use std::path::{Path, PathBuf};

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{ChecksumAlgorithm, CompletedMultipartUpload, CompletedPart};
use sha2::{Digest, Sha256};

/// Files above this size are uploaded in parts of this size.
pub const PART: usize = 8 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("s3: {0}")]
    S3(String),
    #[error("the stored object's SHA-256 does not match what was sent")]
    Checksum,
}

fn s3<E: std::fmt::Display>(e: E) -> StoreError {
    StoreError::S3(e.to_string())
}

/// Connection settings for an S3-compatible store.
#[derive(Clone)]
pub struct S3Settings {
    pub endpoint: Option<String>,
    pub region: String,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .finish_non_exhaustive()
    }
}

pub enum Store {
    Local(PathBuf),
    S3 {
        client: aws_sdk_s3::Client,
        bucket: String,
    },
}

impl Store {
    pub fn s3(s: &S3Settings) -> Store {
        use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
        let https = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let mut config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .http_client(https)
            .region(Region::new(s.region.clone()))
            .credentials_provider(Credentials::new(
                &s.access_key,
                &s.secret_key,
                None,
                None,
                "tribuna",
            ))
            .force_path_style(true)
            // A store that stops answering (rather than refusing) must not hold a recording's
            // sealing for minutes: the file waits in the spool and is retried instead.
            .timeout_config(
                aws_sdk_s3::config::timeout::TimeoutConfig::builder()
                    .connect_timeout(std::time::Duration::from_secs(5))
                    .operation_attempt_timeout(std::time::Duration::from_secs(60))
                    .build(),
            );
        if let Some(endpoint) = &s.endpoint {
            config = config.endpoint_url(endpoint);
        }
        Store::S3 {
            client: aws_sdk_s3::Client::from_conf(config.build()),
            bucket: s.bucket.clone(),
        }
    }

    /// Stores `bytes` under `key`, with its SHA-256 checked by the store.
    pub async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.put_retained(key, bytes, None).await
    }

    /// Like `put`; with `retain_until`, an S3 store keeps the object under object lock in
    /// compliance mode until then (nobody, root included, deletes or overwrites it). The
    /// bucket must have object lock enabled. A local directory ignores it.
    pub async fn put_retained(
        &self,
        key: &str,
        bytes: &[u8],
        retain_until: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<(), StoreError> {
        use aws_sdk_s3::primitives::DateTime as AwsTime;
        use aws_sdk_s3::types::ObjectLockMode;
        let lock = retain_until.map(|t| {
            (
                ObjectLockMode::Compliance,
                AwsTime::from_secs(t.timestamp()),
            )
        });
        match self {
            Store::Local(dir) => {
                write_durably(&dir.join(key), "uploading", bytes)?;
                Ok(())
            }
            Store::S3 { client, bucket } if bytes.len() <= PART => {
                client
                    .put_object()
                    .bucket(bucket)
                    .key(key)
                    .checksum_algorithm(ChecksumAlgorithm::Sha256)
                    .set_object_lock_mode(lock.as_ref().map(|l| l.0.clone()))
                    .set_object_lock_retain_until_date(lock.as_ref().map(|l| l.1))
                    .body(ByteStream::from(bytes.to_vec()))
                    .send()
                    .await
                    .map_err(|e| s3(aws_sdk_s3::error::DisplayErrorContext(e)))?;
                Ok(())
            }
            Store::S3 { client, bucket } => {
                let upload = client
                    .create_multipart_upload()
                    .bucket(bucket)
                    .key(key)
                    .checksum_algorithm(ChecksumAlgorithm::Sha256)
                    .set_object_lock_mode(lock.as_ref().map(|l| l.0.clone()))
                    .set_object_lock_retain_until_date(lock.as_ref().map(|l| l.1))
                    .send()
                    .await
                    .map_err(|e| s3(aws_sdk_s3::error::DisplayErrorContext(e)))?;
                let id = upload
                    .upload_id()
                    .ok_or_else(|| StoreError::S3("no upload id".into()))?
                    .to_owned();
                let mut parts = Vec::new();
                for (i, chunk) in bytes.chunks(PART).enumerate() {
                    let number = i as i32 + 1;
                    let part = client
                        .upload_part()
                        .bucket(bucket)
                        .key(key)
                        .upload_id(&id)
                        .part_number(number)
                        .checksum_algorithm(ChecksumAlgorithm::Sha256)
                        .body(ByteStream::from(chunk.to_vec()))
                        .send()
                        .await;
                    let part = match part {
                        Ok(p) => p,
                        Err(e) => {
                            let _ = client
                                .abort_multipart_upload()
                                .bucket(bucket)
                                .key(key)
                                .upload_id(&id)
                                .send()
                                .await;
                            return Err(s3(aws_sdk_s3::error::DisplayErrorContext(e)));
                        }
                    };
                    parts.push(
                        CompletedPart::builder()
                            .part_number(number)
                            .set_e_tag(part.e_tag().map(str::to_owned))
                            .set_checksum_sha256(part.checksum_sha256().map(str::to_owned))
                            .build(),
                    );
                }
                let completed = client
                    .complete_multipart_upload()
                    .bucket(bucket)
                    .key(key)
                    .upload_id(&id)
                    .multipart_upload(
                        CompletedMultipartUpload::builder()
                            .set_parts(Some(parts))
                            .build(),
                    )
                    .send()
                    .await;
                if let Err(e) = completed {
                    // Some S3-compatible stores answer a completed upload in a form the SDK
                    // cannot read (moto names the XML root differently). Whether the object
                    // exists, with the size sent, is what decides.
                    let head = client.head_object().bucket(bucket).key(key).send().await;
                    let stored = head.ok().and_then(|h| h.content_length()).unwrap_or(-1);
                    if stored != bytes.len() as i64 {
                        return Err(s3(aws_sdk_s3::error::DisplayErrorContext(e)));
                    }
                    tracing::warn!(key, "multipart completion answer unreadable; the object is there with the right size");
                }
                Ok(())
            }
        }
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        match self {
            Store::Local(dir) => Ok(std::fs::read(dir.join(key))?),
            Store::S3 { client, bucket } => {
                let object = client
                    .get_object()
                    .bucket(bucket)
                    .key(key)
                    .send()
                    .await
                    .map_err(|e| s3(aws_sdk_s3::error::DisplayErrorContext(e)))?;
                let bytes = object.body.collect().await.map_err(s3)?;
                Ok(bytes.into_bytes().to_vec())
            }
        }
    }
}

/// Sealed files on their way to the store.
pub struct Spool {
    dir: PathBuf,
    store: Store,
    /// Object lock for what the spool uploads: kept this long from the upload.
    retention: Option<chrono::Duration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Drained {
    pub uploaded: usize,
    pub pending: usize,
}

impl Spool {
    pub fn new(dir: PathBuf, store: Store) -> Self {
        Spool {
            dir,
            store,
            retention: None,
        }
    }

    /// Uploads under object lock (compliance mode) for `retention` from the upload.
    pub fn with_retention(mut self, retention: Option<chrono::Duration>) -> Self {
        self.retention = retention;
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Keeps `bytes` under `key` in the spool (durably, before returning), then tries
    /// to upload it. Returns whether it is already in the store.
    pub async fn deposit(&self, key: &str, bytes: &[u8]) -> Result<bool, StoreError> {
        let path = self.dir.join(key);
        write_durably(&path, "spooling", bytes)?;
        Ok(self.upload(key, &path).await)
    }

    async fn upload(&self, key: &str, path: &Path) -> bool {
        let Ok(bytes) = std::fs::read(path) else {
            return false;
        };
        let until = self.retention.map(|r| chrono::Utc::now() + r);
        match self.store.put_retained(key, &bytes, until).await {
            Ok(()) => {
                let _ = std::fs::remove_file(path);
                true
            }
            Err(e) => {
                tracing::warn!(key, error = %e, "store unavailable; the file waits in the spool");
                false
            }
        }
    }

    /// The object under `key`: the spooled copy while it waits, else the store's.
    pub async fn get(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        match tokio::fs::read(self.dir.join(key)).await {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => self.store.get(key).await,
            Err(e) => Err(e.into()),
        }
    }

    /// Keys waiting in the spool.
    pub fn pending(&self) -> Vec<String> {
        let mut keys = Vec::new();
        let mut stack = vec![self.dir.clone()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_none_or(|x| x != "spooling") {
                    if let Ok(rel) = p.strip_prefix(&self.dir) {
                        keys.push(rel.to_string_lossy().into_owned());
                    }
                }
            }
        }
        keys.sort();
        keys
    }

    /// Uploads whatever waits in the spool.
    pub async fn drain(&self) -> Drained {
        let mut report = Drained::default();
        for key in self.pending() {
            if self.upload(&key, &self.dir.join(&key)).await {
                report.uploaded += 1;
            } else {
                report.pending += 1;
            }
        }
        report
    }
}

/// The SHA-256 of some bytes, hex (to compare what was stored with what was sent).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Writes `bytes` at `path` through a `tmp_ext` file: synced, renamed into place, and the
/// rename synced too, so that a copy elsewhere may be deleted once this returns.
fn write_durably(path: &Path, tmp_ext: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let tmp = path.with_extension(tmp_ext);
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)?;
    std::fs::File::open(parent)?.sync_all()
}
