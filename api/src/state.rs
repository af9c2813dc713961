use std::num::NonZeroU32;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::PgPool;

use crate::auth::LoginLimiter;

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
}

impl Default for ApiSettings {
    fn default() -> Self {
        ApiSettings {
            secure_cookies: false,
            session_ttl: chrono::Duration::hours(12),
            login_attempts_per_minute: NonZeroU32::new(10).expect("nonzero"),
            max_body_bytes: 64 * 1024,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub settings: Arc<ApiSettings>,
    pub clock: Arc<dyn Clock>,
    pub(crate) login_limiter: Arc<LoginLimiter>,
    pub(crate) metrics: PrometheusHandle,
}

impl AppState {
    pub fn new(db: PgPool, settings: ApiSettings, clock: Arc<dyn Clock>) -> Self {
        AppState {
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
