//! Wiring: database pool and migrations, the HTTP application, the web client.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use secrecy::ExposeSecret;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use tokio::net::TcpListener;
use tribuna_api::scheduling::lifecycle::SessionPolicy;
use tribuna_api::{ApiSettings, AppState, Clock, Services, SystemClock};
use tribuna_stripe_standin::StandIn;

use crate::config::Settings;
use tribuna_sfu::{Sfu, SfuConfig};
use tribuna_signaling::Signaling;

use crate::calls::Calls;
use crate::legal::{LegalMode, LegalObserver};
use crate::{local_postgres, services, web};

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Connects to the configured database, or provisions the local one.
pub async fn database(settings: &Settings) -> anyhow::Result<PgPool> {
    let url = match &settings.database.url {
        Some(url) => url.clone(),
        None => local_postgres::ensure(&settings.data.resolved_dir()).await?,
    };
    let options: PgConnectOptions = url
        .expose_secret()
        .parse()
        .context("the database URL is not a PostgreSQL URL")?;
    let target = format!(
        "{}@{}:{}/{}",
        options.get_username(),
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("-")
    );
    PgPoolOptions::new()
        .max_connections(settings.database.max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .with_context(|| format!("cannot connect to PostgreSQL as {target}"))
}

pub async fn migrate(db: &PgPool) -> anyhow::Result<()> {
    MIGRATOR
        .run(db)
        .await
        .context("running database migrations")
}

/// The API's settings, once the server is bound to `addr`.
pub fn api_settings(settings: &Settings, addr: SocketAddr) -> ApiSettings {
    let public = settings.public_url(addr).trim_end_matches('/').to_owned();
    let p = &settings.payments;
    let minutes = |m: i64, max: i64| chrono::Duration::minutes(m.clamp(0, max));
    let signaling_url = settings.signaling.public_url.clone().unwrap_or_else(|| {
        let ws = public
            .replacen("https://", "wss://", 1)
            .replacen("http://", "ws://", 1);
        format!("{ws}/ws")
    });
    ApiSettings {
        secure_cookies: public.starts_with("https://"),
        session_ttl: minutes(
            settings.auth.session_ttl_hours.saturating_mul(60),
            60 * 24 * 30,
        )
        .max(chrono::Duration::hours(1)),
        login_attempts_per_minute: NonZeroU32::new(settings.auth.login_attempts_per_minute)
            .unwrap_or(NonZeroU32::MIN),
        service_fee_bps: p.service_fee_bps.min(10_000),
        service_fee_min_cents: p.service_fee_min_cents.max(0),
        checkout_ttl: minutes(p.checkout_ttl_minutes, 24 * 60).max(chrono::Duration::minutes(30)),
        client_cancel_notice: minutes(
            p.client_cancel_notice_hours.saturating_mul(60),
            60 * 24 * 14,
        ),
        sessions: SessionPolicy {
            lobby: minutes(settings.sessions.lobby_minutes, 120),
            overtime: minutes(settings.sessions.overtime_minutes, 120),
        },
        public_url: public,
        signaling_url,
        dev_rooms: settings.signaling.dev_rooms,
        ..ApiSettings::default()
    }
}

pub fn sfu_config(settings: &Settings) -> SfuConfig {
    let s = &settings.sfu;
    SfuConfig {
        bind_ip: s.bind_ip,
        first_port: s.first_port,
        last_port: s.last_port.max(s.first_port),
        advertised_ip: s.advertised_ip,
        simulated_loss_one_in: s.simulated_loss_one_in,
        simulated_bandwidth: s.simulated_bandwidth,
        ..SfuConfig::default()
    }
}

/// The HTTP server, bound and ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    pub addr: SocketAddr,
    pub state: AppState,
    pub sfu: Arc<Sfu>,
    pub legal: Arc<LegalMode>,
    legal_every: Duration,
    /// The local Stripe stand-in, when no Stripe keys are configured.
    pub stand_in: Option<StandIn>,
    worker_every: Option<Duration>,
}

impl Application {
    pub async fn build(settings: &Settings, db: PgPool) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, db, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(
        settings: &Settings,
        db: PgPool,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        // rustls uses ring everywhere (Stripe, mail, S3). Installed explicitly so that a crate
        // linking a second backend (as aws-sdk-s3's default client did) cannot make rustls
        // panic at the first TLS client. Already installed is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let listener = TcpListener::bind(settings.server.bind)
            .await
            .with_context(|| format!("cannot listen on {}", settings.server.bind))?;
        let addr = listener.local_addr()?;
        let payments = services::payments(settings).await?;
        if let Some(stand_in) = &payments.stand_in {
            stand_in.set_webhook_url(format!(
                "http://127.0.0.1:{}/api/webhooks/stripe",
                addr.port()
            ));
        }
        let sfu = Sfu::new(sfu_config(settings));
        let spool = services::spool(settings)?;
        let legal = LegalMode::new(
            settings,
            db.clone(),
            clock.clone(),
            sfu.clone(),
            spool.clone(),
        )
        .await?;
        let services = Services {
            payments: Some(payments.gateway),
            room_tokens: services::room_token_key(settings)?,
            turn: services::turn_relays(settings)?,
            mail: services::mail(settings)?,
            calls: Some(Arc::new(Calls(sfu.clone()))),
            blobs: Arc::new(services::SpoolBlobs(spool)),
        };
        let signaling = Signaling {
            sfu: sfu.clone(),
            tokens: services.room_tokens.clone(),
            observer: Arc::new(LegalObserver(legal.clone())),
            now: {
                let clock = clock.clone();
                Arc::new(move || clock.now())
            },
            resume_window: Duration::from_secs(
                settings.signaling.resume_window_seconds.clamp(1, 300),
            ),
        };
        let state = AppState::new(db, api_settings(settings, addr), clock, services);
        let router = tribuna_api::router(state.clone())
            .merge(tribuna_signaling::router(signaling))
            .fallback_service(web::service(&settings.web.dir));
        let every = settings.sessions.worker_interval_seconds;
        Ok(Application {
            listener,
            router,
            addr,
            state,
            sfu,
            legal,
            legal_every: Duration::from_secs(settings.legal.spool_retry_seconds.max(1)),
            stand_in: payments.stand_in,
            worker_every: (every > 0).then(|| Duration::from_secs(every)),
        })
    }

    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        if let Some(every) = self.worker_every {
            tokio::spawn(tribuna_api::scheduling::worker::run(
                self.state.clone(),
                every,
            ));
        }
        tokio::spawn(self.legal.clone().maintain_every(self.legal_every));
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
    }
}
