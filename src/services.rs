//! Outside services the API uses: Stripe (or the local stand-in) and the room-token key.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use rand::RngCore;
use secrecy::ExposeSecret;
use tribuna_api::blobs::Blobs;
use tribuna_api::mail::{Delivery, LogDelivery, SmtpDelivery};
use tribuna_api::payments::{Gateway, StripeSettings};
use tribuna_recorder::store::{S3Settings, Spool, Store};
use tribuna_signaling::{RoomTokenKey, TurnRelays};
use tribuna_stripe_standin::{StandIn, StandInConfig};

use crate::config::Settings;

pub struct Payments {
    pub gateway: Arc<Gateway>,
    /// Running when no Stripe keys are configured.
    pub stand_in: Option<StandIn>,
}

/// Stripe with the configured keys, or a local stand-in on loopback when there are none.
pub async fn payments(settings: &Settings) -> anyhow::Result<Payments> {
    let p = &settings.payments;
    match (&p.stripe_secret_key, &p.stripe_webhook_secret) {
        (Some(key), Some(webhook)) => {
            let gateway = Gateway::new(&StripeSettings {
                api_base: p.stripe_api_base.clone(),
                secret_key: key.expose_secret().to_owned(),
                webhook_secret: webhook.expose_secret().to_owned(),
            })?;
            Ok(Payments {
                gateway: Arc::new(gateway),
                stand_in: None,
            })
        }
        (Some(_), None) => anyhow::bail!(
            "payments.stripe_secret_key is set but payments.stripe_webhook_secret is not"
        ),
        _ => {
            let secret_key = format!("sk_test_standin_{}", random_hex(12));
            let webhook_secret = format!("whsec_standin_{}", random_hex(16));
            let stand_in = StandIn::start(StandInConfig {
                bind: ([127, 0, 0, 1], 0).into(),
                secret_key: secret_key.clone(),
                webhook_secret: webhook_secret.clone(),
            })
            .await
            .context("starting the local Stripe stand-in")?;
            let gateway = Gateway::new(&StripeSettings {
                api_base: Some(stand_in.base_url.clone()),
                secret_key,
                webhook_secret,
            })?;
            Ok(Payments {
                gateway: Arc::new(gateway),
                stand_in: Some(stand_in),
            })
        }
    }
}

/// SMTP when `mail.smtp_url` is set; otherwise messages are logged.
pub fn mail(settings: &Settings) -> anyhow::Result<Arc<dyn Delivery>> {
    Ok(match &settings.mail.smtp_url {
        Some(url) => Arc::new(
            SmtpDelivery::new(url.expose_secret(), &settings.mail.from)
                .map_err(anyhow::Error::msg)?,
        ),
        None => Arc::new(LogDelivery),
    })
}

/// The TURN relays join tickets name, when configured.
pub fn turn_relays(settings: &Settings) -> anyhow::Result<Option<TurnRelays>> {
    let t = &settings.turn;
    match (&t.secret, t.urls.is_empty()) {
        (None, true) => Ok(None),
        (Some(_), true) => anyhow::bail!("turn.secret is set but turn.urls is empty"),
        (None, false) => anyhow::bail!("turn.urls is set but turn.secret is not"),
        (Some(secret), false) => Ok(Some(
            TurnRelays::new(t.urls.clone(), secret.expose_secret()).context("turn")?,
        )),
    }
}

/// The configured room-token secret, or one generated once and kept in `data_dir` (mode 0600).
pub fn room_token_key(settings: &Settings) -> anyhow::Result<RoomTokenKey> {
    if let Some(secret) = &settings.signaling.token_secret {
        return RoomTokenKey::new(secret.expose_secret().as_bytes().to_vec())
            .context("signaling.token_secret");
    }
    let dir = settings.data.resolved_dir();
    let path = dir.join("room-token.key");
    let hex_key = match std::fs::read_to_string(&path) {
        Ok(k) if k.trim().len() >= 64 => k.trim().to_owned(),
        _ => write_private(&dir, &path, &random_hex(32))?,
    };
    RoomTokenKey::new(hex::decode(hex_key).context("room-token.key is not hex")?)
        .context("room-token.key")
}

pub(crate) fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

pub(crate) fn write_private(dir: &Path, path: &Path, contents: &str) -> anyhow::Result<String> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    f.write_all(contents.as_bytes())?;
    Ok(contents.to_owned())
}

/// The configured S3 bucket, or `<data.dir>/blobs`, behind the spool where sealed
/// recordings wait while the store is unreachable (`<data.dir>/spool`).
pub fn spool(settings: &Settings) -> anyhow::Result<Arc<Spool>> {
    let s = &settings.storage;
    let store = match &s.s3_bucket {
        None => Store::Local(settings.data.resolved_dir().join("blobs")),
        Some(bucket) => {
            let (Some(access), Some(secret)) = (&s.s3_access_key, &s.s3_secret_key) else {
                anyhow::bail!("storage.s3_bucket is set but storage.s3_access_key or storage.s3_secret_key is not");
            };
            Store::s3(&S3Settings {
                endpoint: s.s3_endpoint.clone(),
                region: s.s3_region.clone(),
                bucket: bucket.clone(),
                access_key: access.expose_secret().to_owned(),
                secret_key: secret.expose_secret().to_owned(),
            })
        }
    };
    let retention = settings
        .legal
        .object_lock_days
        .map(|d| chrono::Duration::days(i64::from(d)));
    Ok(Arc::new(
        Spool::new(settings.data.resolved_dir().join("spool"), store).with_retention(retention),
    ))
}

/// Documents go straight to the store; reads look in the spool first (a sealed recording
/// file still waiting there is served from it).
pub struct SpoolBlobs(pub Arc<Spool>);

#[async_trait::async_trait]
impl Blobs for SpoolBlobs {
    async fn put(&self, key: &str, bytes: &[u8]) -> anyhow::Result<()> {
        Ok(self.0.store().put(key, bytes).await?)
    }

    async fn get(&self, key: &str) -> anyhow::Result<Vec<u8>> {
        Ok(self.0.get(key).await?)
    }
}
