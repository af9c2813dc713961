//! What the recorder needs from the configuration: the vault's public keys, the server's
//! signing key and a timestamp authority.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use ed25519_dalek::SigningKey;
use secrecy::ExposeSecret;
use tribuna_recorder::local_tsa::LocalTsa;
use tribuna_recorder::vault::PublicKey;

use crate::config::Settings;

/// `legal.vault_public_keys`: each an encoded key or the path of a `vault.pub`.
pub fn vault_keys(settings: &Settings) -> anyhow::Result<Vec<PublicKey>> {
    settings
        .legal
        .vault_public_keys
        .iter()
        .map(|entry| {
            let text = if entry.trim().starts_with("tribuna-vault-") {
                entry.clone()
            } else {
                std::fs::read_to_string(entry)
                    .with_context(|| format!("legal.vault_public_keys: reading {entry}"))?
            };
            PublicKey::decode(&text).with_context(|| format!("legal.vault_public_keys: {entry}"))
        })
        .collect()
}

/// `legal.signing_key`, or one generated once in `<data.dir>/recorder-signing.key`.
pub fn signing_key(settings: &Settings) -> anyhow::Result<SigningKey> {
    let hex_key = match &settings.legal.signing_key {
        Some(k) => k.expose_secret().trim().to_owned(),
        None => {
            let dir = settings.data.resolved_dir();
            let path = dir.join("recorder-signing.key");
            match std::fs::read_to_string(&path) {
                Ok(k) if k.trim().len() == 64 => k.trim().to_owned(),
                _ => crate::services::write_private(&dir, &path, &crate::services::random_hex(32))?,
            }
        }
    };
    let bytes: [u8; 32] = hex::decode(&hex_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("the recorder's signing key must be 64 hex characters")?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// The configured timestamp authority, or a local one on `openssl ts` (development only).
pub async fn timestamp_authority(settings: &Settings) -> anyhow::Result<String> {
    if let Some(url) = &settings.legal.tsa_url {
        return Ok(url.clone());
    }
    let dir = settings.data.resolved_dir().join("local-tsa");
    let tsa = tokio::task::spawn_blocking(move || LocalTsa::create(&dir))
        .await?
        .context("creating the local timestamp authority (needs openssl)")?;
    let root = tsa.root();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let url = format!("http://{}/", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, tsa.router()).await });
    tracing::warn!(
        %url,
        root = %root.display(),
        "legal.tsa_url is not set: Legal Mode manifests are stamped by a LOCAL timestamp authority (development only, not accredited)"
    );
    Ok(url)
}

/// Removes what a crashed series left in the recorder's work directory (plaintext that was
/// never sealed: the segment being written when it died).
pub fn clear_work_dir(dir: &Path) {
    if dir.exists() {
        if let Err(e) = std::fs::remove_dir_all(dir) {
            tracing::warn!(dir = %dir.display(), error = %e, "recorder work directory not removed");
        }
    }
}

pub type Keys = Arc<Vec<PublicKey>>;
