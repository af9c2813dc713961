use std::num::NonZeroU32;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::PgPool;

use tribuna_signaling::RoomTokenKey;

use crate::auth::LoginLimiter;
use crate::payments::Gateway;
use crate::scheduling::lifecycle::SessionPolicy;

/// The time source; injected so that time-driven rules can be tested at fixed instants.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// What the API needs from the configuration.
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// Mark cookies `Secure` (the public URL is HTTPS).
    pub secure_cookies: bool,
    pub session_ttl: chrono::Duration,
    /// Login attempts allowed per email per minute (five times that per IP address).
    pub login_attempts_per_minute: NonZeroU32,
    pub max_body_bytes: usize,
    /// The URL people use, for links in Stripe redirects and messages (no trailing slash).
    pub public_url: String,
    /// The platform's service fee: basis points of the lawyer's fee, with a floor in centavos.
    pub service_fee_bps: u32,
    pub service_fee_min_cents: i64,
    /// How long a Checkout Session stays open (Stripe: 30 minutes to 24 hours).
    pub checkout_ttl: chrono::Duration,
    /// A client may cancel (with a full refund) up to this long before the start.
    pub client_cancel_notice: chrono::Duration,
    pub sessions: SessionPolicy,
    /// Where browsers open the signaling WebSocket.
    pub signaling_url: String,
    /// Development rooms: any logged-in user may get a token for a `dev-…` room.
    pub dev_rooms: bool,
    /// Reviews are written within this long after the session's end.
    pub review_window: chrono::Duration,
    /// No-shows are reported within this long after the session's scheduled end.
    pub no_show_report_window: chrono::Duration,
}

impl Default for ApiSettings {
    fn default() -> Self {
        ApiSettings {
            secure_cookies: false,
            session_ttl: chrono::Duration::hours(12),
            login_attempts_per_minute: NonZeroU32::new(10).expect("nonzero"),
            max_body_bytes: 64 * 1024,
            public_url: "http://localhost:8080".to_owned(),
            service_fee_bps: 1000,
            service_fee_min_cents: 500,
            checkout_ttl: chrono::Duration::minutes(60),
            client_cancel_notice: chrono::Duration::hours(24),
            sessions: SessionPolicy::default(),
            signaling_url: "ws://localhost:8080/ws".to_owned(),
            dev_rooms: false,
            review_window: chrono::Duration::days(14),
            no_show_report_window: chrono::Duration::hours(48),
        }
    }
}

/// Outside services the API calls.
#[derive(Clone)]
pub struct Services {
    /// `None` when no Stripe (or stand-in) is configured: checkout answers 503.
    pub payments: Option<Arc<Gateway>>,
    pub room_tokens: RoomTokenKey,
    /// TURN relays for browsers whose network blocks UDP; join tickets carry credentials.
    pub turn: Option<tribuna_signaling::TurnRelays>,
    /// How messages reach people (SMTP, or the log in development).
    pub mail: Arc<dyn crate::mail::Delivery>,
    /// The calls in progress (the SFU), when this process runs one.
    pub calls: Option<Arc<dyn LiveCalls>>,
    /// The blob store (contracts' PDFs and texts).
    pub blobs: Arc<dyn crate::blobs::Blobs>,
}

/// The live calls' statistics, for admins and `/metrics`.
#[async_trait::async_trait]
pub trait LiveCalls: Send + Sync + 'static {
    /// Rooms, participants and their media statistics as JSON; refreshes the metrics gauges.
    async fn snapshot(&self) -> serde_json::Value;
}

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub settings: Arc<ApiSettings>,
    pub clock: Arc<dyn Clock>,
    pub services: Services,
    pub(crate) login_limiter: Arc<LoginLimiter>,
    pub(crate) metrics: PrometheusHandle,
}

impl AppState {
    pub fn new(
        db: PgPool,
        settings: ApiSettings,
        clock: Arc<dyn Clock>,
        services: Services,
    ) -> Self {
        AppState {
            services,
            login_limiter: Arc::new(LoginLimiter::new(settings.login_attempts_per_minute)),
            settings: Arc::new(settings),
            metrics: crate::observe::prometheus(),
            db,
            clock,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}
