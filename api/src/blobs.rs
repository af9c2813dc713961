//! Where documents' files are kept: the same storage layer as recordings (a local
//! directory by default, or S3), reached through this trait so the API does not depend
//! on how it is configured.

use async_trait::async_trait;

#[async_trait]
pub trait Blobs: Send + Sync + 'static {
    /// Stores `bytes` under `key`, durably, before returning.
    async fn put(&self, key: &str, bytes: &[u8]) -> anyhow::Result<()>;
    async fn get(&self, key: &str) -> anyhow::Result<Vec<u8>>;
}
