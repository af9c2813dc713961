//! **A stand-in for Stripe, not Stripe.** A small stateful server on loopback that
//! speaks Stripe's wire format for what Tribuna uses: customers, Checkout Sessions
//! (create, retrieve, expire), a hosted checkout page that a person or a test
//! completes as paid, pending (Boleto/Pix) or declined, refunds, and webhook
//! delivery signed with Stripe's real scheme (`Stripe-Signature: t=…,v1=HMAC-SHA256`).
//!
//! It exists because Stripe's own mock cannot be installed here and `localstripe`
//! has no Checkout Sessions. Every object it returns starts from Stripe's published
//! fixtures (see `fixtures/`), so the production code's async-stripe client parses
//! its answers exactly as it parses Stripe's.
#![forbid(unsafe_code)]

mod api;
mod checkout_page;
mod objects;
mod state;
mod webhooks;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

pub use webhooks::sign;

/// How to run a stand-in.
#[derive(Debug, Clone)]
pub struct StandInConfig {
    pub bind: SocketAddr,
    /// The API key clients must send as `Authorization: Bearer …`.
    pub secret_key: String,
    /// The secret webhook signatures are made with (`whsec_…`).
    pub webhook_secret: String,
}

/// A running stand-in.
#[derive(Clone)]
pub struct StandIn {
    /// Base URL for API clients and the hosted checkout page, e.g. `http://localhost:PORT/`.
    pub base_url: String,
    state: Arc<state::Shared>,
}

impl StandIn {
    pub async fn start(config: StandInConfig) -> std::io::Result<StandIn> {
        let listener = TcpListener::bind(config.bind).await?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://localhost:{}/", addr.port());
        let state = Arc::new(state::Shared::new(config, base_url.clone()));
        let router = api::router(state.clone()).merge(checkout_page::router(state.clone()));
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::error!(error = %e, "stripe stand-in stopped");
            }
        });
        tracing::info!(%base_url, "Stripe stand-in listening (not Stripe: a local stand-in)");
        Ok(StandIn { base_url, state })
    }

    /// Where webhook events are delivered (the app's `/api/webhooks/stripe`).
    pub fn set_webhook_url(&self, url: impl Into<String>) {
        self.state.set_webhook_url(url.into());
    }

    /// Ids of the events sent so far, oldest first.
    pub fn event_ids(&self) -> Vec<String> {
        self.state.event_ids()
    }

    /// Delivers an already-sent event again, freshly signed (a redelivery).
    pub async fn redeliver(&self, event_id: &str) -> Result<u16, String> {
        self.state.redeliver(event_id).await
    }
}
