//! Typed configuration: defaults, then `tribuna.toml` (or `--config FILE`), then
//! `TRIBUNA_<SECTION>_<KEY>` environment variables (`TRIBUNA_SERVER_BIND`,
//! `TRIBUNA_DATABASE_URL`, ...). A bare `DATABASE_URL` is honoured too.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub data: DataSettings,
    pub storage: StorageSettings,
    pub web: WebSettings,
    pub auth: AuthSettings,
    pub payments: PaymentSettings,
    pub sessions: SessionSettings,
    pub signaling: SignalingSettings,
    pub sfu: SfuSettings,
    pub turn: TurnSettings,
    pub mail: MailSettings,
    pub legal: LegalSettings,
    pub log: LogSettings,
}

/// Legal Mode: the recorder, the custody vault's keys and the timestamp authority.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LegalSettings {
    /// The vault's public keys (`tribuna-vault-public-v1:…`, or paths to `vault.pub` files):
    /// recordings are sealed to every one of them. Without any, Legal Mode calls are not
    /// recorded (participants are told: `unavailable`). The server never holds a secret key.
    pub vault_public_keys: Vec<String>,
    /// An RFC 3161 timestamp authority (e.g. an ICP-Brasil ACT). Unset: a local authority on
    /// `openssl ts` is started on loopback — for development only, not accredited.
    pub tsa_url: Option<String>,
    /// The server's Ed25519 signing key (64 hex characters). Unset: generated once and kept
    /// in `<data.dir>/recorder-signing.key`.
    pub signing_key: Option<SecretString>,
    /// Segment length in seconds (each segment starts on a keyframe, so about this long).
    pub segment_seconds: u32,
    /// A signed checkpoint of the manifest every this many segments.
    pub checkpoint_every: u32,
    /// How often sealed files waiting in the spool are retried, in seconds.
    pub spool_retry_seconds: u64,
    /// A recording left in progress by a crash, with nobody back in the room for this
    /// long, is sealed as it is (seconds).
    pub abandoned_after_seconds: u64,
    /// Keep every sealed recording object under S3 object lock (compliance mode) for this
    /// many days; the bucket must have object lock enabled. Unset: no lock.
    pub object_lock_days: Option<u32>,
}

impl Default for LegalSettings {
    fn default() -> Self {
        LegalSettings {
            vault_public_keys: Vec::new(),
            tsa_url: None,
            signing_key: None,
            segment_seconds: 4,
            checkpoint_every: 30,
            spool_retry_seconds: 5,
            abandoned_after_seconds: 300,
            object_lock_days: None,
        }
    }
}

/// The blob store for documents (and, with Legal Mode, recordings).
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StorageSettings {
    /// An S3 bucket; without one, files are kept under `<data.dir>/blobs`.
    pub s3_bucket: Option<String>,
    /// An S3-compatible endpoint (MinIO, moto, ...); AWS when unset.
    pub s3_endpoint: Option<String>,
    pub s3_region: String,
    pub s3_access_key: Option<SecretString>,
    pub s3_secret_key: Option<SecretString>,
}

impl Default for StorageSettings {
    fn default() -> Self {
        StorageSettings {
            s3_bucket: None,
            s3_endpoint: None,
            s3_region: "us-east-1".to_owned(),
            s3_access_key: None,
            s3_secret_key: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailSettings {
    /// e.g. `smtp://user:pass@mail.example:587?tls=required`; without it messages are logged.
    pub smtp_url: Option<SecretString>,
    pub from: String,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp_url: None,
            from: "Tribuna <nao-responda@tribuna.local>".to_owned(),
        }
    }
}

impl Default for SignalingSettings {
    fn default() -> Self {
        SignalingSettings {
            token_secret: None,
            public_url: None,
            dev_rooms: false,
            resume_window_seconds: 20,
        }
    }
}

/// TURN relays for browsers on networks that block UDP (Debian's coturn with
/// `use-auth-secret`). Join tickets carry credentials for them that expire with the ticket.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TurnSettings {
    /// e.g. `["turn:turn.example:3478?transport=udp", "turn:turn.example:3478?transport=tcp"]`;
    /// empty: no relay (browsers reach the SFU directly).
    pub urls: Vec<String>,
    /// The secret shared with the TURN server (its `static-auth-secret`, 16+ characters).
    pub secret: Option<SecretString>,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SfuSettings {
    /// The address media sockets bind to; candidates carry exactly this address
    /// (so interfaces not named here are never offered).
    pub bind_ip: std::net::IpAddr,
    /// The UDP port range for media: one port per peer connection, two per participant.
    pub first_port: u16,
    pub last_port: u16,
    /// The public address announced in candidates behind a 1:1 NAT.
    pub advertised_ip: Option<std::net::IpAddr>,
    /// TEST DOUBLE for a lossy network (see `tribuna_sfu::interceptors`); never read from configuration.
    #[serde(skip)]
    pub simulated_loss_one_in: Option<u32>,
    /// TEST DOUBLE for a narrow link (see `tribuna_sfu::interceptors`); never read from configuration.
    #[serde(skip)]
    pub simulated_bandwidth: bool,
}

impl Default for SfuSettings {
    fn default() -> Self {
        SfuSettings {
            bind_ip: [127, 0, 0, 1].into(),
            first_port: 50_000,
            last_port: 50_199,
            advertised_ip: None,
            simulated_loss_one_in: None,
            simulated_bandwidth: false,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PaymentSettings {
    /// Stripe's secret key. Without one, `serve` runs the local Stripe stand-in.
    pub stripe_secret_key: Option<SecretString>,
    /// The webhook endpoint's signing secret (`whsec_…`).
    pub stripe_webhook_secret: Option<SecretString>,
    /// Another Stripe-compatible base URL (tests and the stand-in); default Stripe's.
    pub stripe_api_base: Option<String>,
    /// The platform's service fee in basis points of the lawyer's fee (1000 = 10 %).
    pub service_fee_bps: u32,
    /// The service fee's floor, in centavos.
    pub service_fee_min_cents: i64,
    pub checkout_ttl_minutes: i64,
    /// Clients cancel (with a full refund) or reschedule up to this long before the start.
    pub client_cancel_notice_hours: i64,
}

impl Default for PaymentSettings {
    fn default() -> Self {
        PaymentSettings {
            stripe_secret_key: None,
            stripe_webhook_secret: None,
            stripe_api_base: None,
            service_fee_bps: 1000,
            service_fee_min_cents: 500,
            checkout_ttl_minutes: 60,
            client_cancel_notice_hours: 24,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionSettings {
    /// The call's lobby opens this long before the start.
    pub lobby_minutes: i64,
    /// The call may run this long past its end.
    pub overtime_minutes: i64,
    /// How often the worker advances sessions and delivers messages; 0 disables it.
    pub worker_interval_seconds: u64,
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings {
            lobby_minutes: 10,
            overtime_minutes: 15,
            worker_interval_seconds: 15,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignalingSettings {
    /// The secret that signs room tokens (32+ bytes); default: generated once and kept in the data directory.
    pub token_secret: Option<SecretString>,
    /// The WebSocket URL browsers use; default `ws://…/ws` on the public URL.
    pub public_url: Option<String>,
    /// Let any logged-in user into `dev-…` rooms (browser tests, trying the call page). Never in production.
    pub dev_rooms: bool,
    /// How long a participant whose signaling connection dropped keeps its place and media.
    pub resume_window_seconds: u64,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: SocketAddr,
    /// The URL people use; `https://` marks cookies Secure. Defaults to `http://localhost:<port>`.
    pub public_url: Option<String>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// Without one, `serve` provisions a local PostgreSQL cluster.
    pub url: Option<SecretString>,
    pub max_connections: u32,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            url: None,
            max_connections: 10,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataSettings {
    /// Where Tribuna keeps its own files; default `$XDG_DATA_HOME/tribuna` or `~/.local/share/tribuna`.
    pub dir: Option<PathBuf>,
}

impl DataSettings {
    pub fn resolved_dir(&self) -> PathBuf {
        if let Some(dir) = &self.dir {
            return dir.clone();
        }
        let base = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")))
            .unwrap_or_else(|| PathBuf::from(".data"));
        base.join("tribuna")
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebSettings {
    /// The web client's folder (with `package.json`; served from its `dist/`).
    pub dir: PathBuf,
    /// Build the web client on start when `dist/` is missing.
    pub build: bool,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("web-client"),
            build: true,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    pub session_ttl_hours: i64,
    pub login_attempts_per_minute: u32,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            session_ttl_hours: 12,
            login_attempts_per_minute: 10,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    /// A tracing filter; `RUST_LOG` overrides it.
    pub filter: String,
}

impl Default for LogSettings {
    fn default() -> Self {
        LogSettings {
            format: LogFormat::Pretty,
            filter: "info,sqlx=warn,tower_http=info".to_owned(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
}

impl Settings {
    /// Loads settings; `file` must exist when given, `tribuna.toml` is optional.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        let path = match file {
            Some(f) if !f.exists() => return Err(ConfigError::MissingFile(f.to_owned())),
            Some(f) => f.to_owned(),
            None => PathBuf::from("tribuna.toml"),
        };
        Figment::new()
            .merge(Toml::file(path))
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database.url".into()),
            )
            .merge(
                Env::prefixed("TRIBUNA_")
                    .ignore(&["CONFIG", "ADMIN_PASSWORD"])
                    .map(|key| key.as_str().replacen('_', ".", 1).into()),
            )
            .extract()
            .map_err(|e| ConfigError::Invalid(Box::new(e)))
    }

    pub fn public_url(&self, bound: SocketAddr) -> String {
        self.server
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://localhost:{}", bound.port()))
    }
}

#[cfg(test)]
// figment::Jail's closures return its large error type; that is its API, not ours.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn file_then_environment_override_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "tribuna.toml",
                "[server]\nbind = \"0.0.0.0:9000\"\n[auth]\nsession_ttl_hours = 2\n",
            )?;
            jail.set_env("TRIBUNA_AUTH_SESSION_TTL_HOURS", "3");
            jail.set_env("TRIBUNA_DATABASE_URL", "postgres://u:hunter2pw@db/x");
            let s = Settings::load(None).expect("loads");
            assert_eq!(s.server.bind.port(), 9000);
            assert_eq!(s.auth.session_ttl_hours, 3);
            assert_eq!(s.auth.login_attempts_per_minute, 10);
            let url = s.database.url.as_ref().expect("url");
            assert_eq!(url.expose_secret(), "postgres://u:hunter2pw@db/x");
            assert!(
                !format!("{s:?}").contains("hunter2pw"),
                "secrets are never printed: {s:?}"
            );
            Ok(())
        });
    }

    #[test]
    fn a_misspelt_key_is_an_error_naming_it() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("TRIBUNA_SERVER_BINDD", "x");
            let err = Settings::load(None).expect_err("unknown key");
            assert!(err.to_string().contains("bindd"), "{err}");
            Ok(())
        });
    }
}
