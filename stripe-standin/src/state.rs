use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::objects::{self, API_VERSION};
use crate::webhooks::{self, Delivery};
use crate::StandInConfig;

/// A Checkout Session and what the stand-in tracks beside the object.
pub struct Session {
    pub object: Value,
    pub refunded: i64,
}

impl Session {
    pub fn amount_total(&self) -> i64 {
        self.object["amount_total"].as_i64().unwrap_or(0)
    }
}

#[derive(Default)]
pub struct Inner {
    pub customers: HashMap<String, Value>,
    pub sessions: HashMap<String, Session>,
    pub events: Vec<Value>,
    /// Idempotency key → (request fingerprint, status, body).
    pub idempotency: HashMap<String, (String, u16, Value)>,
}

pub struct Shared {
    pub config: StandInConfig,
    pub base_url: String,
    pub inner: Mutex<Inner>,
    webhook_url: Mutex<Option<String>>,
    deliveries: mpsc::UnboundedSender<Delivery>,
    http: reqwest::Client,
}

impl Shared {
    pub fn new(config: StandInConfig, base_url: String) -> Self {
        let http = reqwest::Client::new();
        let deliveries = webhooks::spawn_deliverer(http.clone(), config.webhook_secret.clone());
        Shared {
            config,
            base_url,
            inner: Mutex::new(Inner::default()),
            webhook_url: Mutex::new(None),
            deliveries,
            http,
        }
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().expect("stand-in state")
    }

    pub fn set_webhook_url(&self, url: String) {
        *self.webhook_url.lock().expect("webhook url") = Some(url);
    }

    fn webhook_url(&self) -> Option<String> {
        self.webhook_url.lock().expect("webhook url").clone()
    }

    /// Records an event about `object` and queues its delivery (in order).
    pub fn emit(&self, inner: &mut Inner, kind: &str, object: Value) {
        let event = objects::with(
            objects::event(),
            json!({
                "id": objects::new_id("evt"),
                "api_version": API_VERSION,
                "created": chrono::Utc::now().timestamp(),
                "data": { "object": object },
                "livemode": false,
                "pending_webhooks": 1,
                "request": { "id": null, "idempotency_key": null },
                "type": kind,
            }),
        );
        inner.events.push(event.clone());
        match self.webhook_url() {
            Some(url) => {
                let _ = self.deliveries.send(Delivery { url, event });
            }
            None => tracing::warn!(
                kind,
                "stand-in has no webhook URL; event kept, not delivered"
            ),
        }
    }

    pub fn event_ids(&self) -> Vec<String> {
        self.lock()
            .events
            .iter()
            .filter_map(|e| e["id"].as_str().map(str::to_owned))
            .collect()
    }

    pub fn event(&self, id: &str) -> Option<Value> {
        self.lock().events.iter().find(|e| e["id"] == id).cloned()
    }

    pub async fn redeliver(&self, id: &str) -> Result<u16, String> {
        let event = self.event(id).ok_or_else(|| format!("no event {id}"))?;
        let url = self.webhook_url().ok_or("no webhook URL")?;
        webhooks::deliver_once(&self.http, &self.config.webhook_secret, &url, &event)
            .await
            .map_err(|e| e.to_string())
    }
}
