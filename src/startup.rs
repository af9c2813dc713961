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
use tribuna_api::{ApiSettings, AppState, SystemClock};

use crate::config::Settings;
use crate::{local_postgres, web};

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

pub fn api_settings(settings: &Settings) -> ApiSettings {
    let public = settings.public_url(settings.server.bind);
    ApiSettings {
        secure_cookies: public.starts_with("https://"),
        session_ttl: chrono_hours(settings.auth.session_ttl_hours),
        login_attempts_per_minute: NonZeroU32::new(settings.auth.login_attempts_per_minute)
            .unwrap_or(NonZeroU32::MIN),
        ..ApiSettings::default()
    }
}

fn chrono_hours(h: i64) -> chrono::Duration {
    chrono::Duration::try_hours(h.clamp(1, 24 * 30)).expect("bounded")
}

/// The HTTP server, bound and ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    pub addr: SocketAddr,
}

impl Application {
    pub async fn build(settings: &Settings, db: PgPool) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.server.bind)
            .await
            .with_context(|| format!("cannot listen on {}", settings.server.bind))?;
        let addr = listener.local_addr()?;
        let state = AppState::new(db, api_settings(settings), Arc::new(SystemClock));
        let router = tribuna_api::router(state).fallback_service(web::service(&settings.web.dir));
        Ok(Application {
            listener,
            router,
            addr,
        })
    }

    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
    }
}
