//! Stripe, through async-stripe. The same client talks to Stripe or to the local
//! stand-in; only the base URL and keys differ.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeRequest};
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    ExpireCheckoutSession, ProductData,
};
use stripe_core::customer::CreateCustomer;
use stripe_core::refund::CreateRefund;
use stripe_shared::CheckoutSessionMode;
use stripe_types::Currency;
use stripe_webhook::{Event, Webhook, WebhookError};

/// Where and how to reach Stripe.
#[derive(Clone)]
pub struct StripeSettings {
    /// `None` for Stripe itself; the stand-in's URL otherwise.
    pub api_base: Option<String>,
    pub secret_key: String,
    pub webhook_secret: String,
}

impl std::fmt::Debug for StripeSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeSettings")
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error("Stripe configuration: {0}")]
    Config(String),
    #[error("Stripe: {0}")]
    Stripe(#[from] stripe::StripeError),
    #[error("Stripe answered without {0}")]
    Incomplete(&'static str),
}

pub struct Gateway {
    client: Client,
    webhook_secret: String,
}

/// One consultation's checkout: two separate line items, the lawyer's fee and our service fee.
pub struct CheckoutRequest<'a> {
    pub payment_id: String,
    pub customer: &'a str,
    pub lawyer_name: &'a str,
    pub minutes: i32,
    pub lawyer_fee_cents: i64,
    pub service_fee_cents: i64,
    pub success_url: String,
    pub cancel_url: String,
    pub expires_at: DateTime<Utc>,
    pub metadata: HashMap<String, String>,
}

pub struct CheckoutCreated {
    pub session_id: String,
    pub url: String,
}

fn idempotent(key: &str) -> RequestStrategy {
    RequestStrategy::Idempotent(IdempotencyKey::new(key).expect("our keys are short and non-empty"))
}

fn line_item(name: String, cents: i64) -> CreateCheckoutSessionLineItems {
    let mut price = CreateCheckoutSessionLineItemsPriceData::new(Currency::BRL);
    price.unit_amount = Some(cents);
    price.product_data = Some(ProductData::new(name));
    let mut item = CreateCheckoutSessionLineItems::new();
    item.price_data = Some(price);
    item.quantity = Some(1);
    item
}

impl Gateway {
    pub fn new(settings: &StripeSettings) -> Result<Self, GatewayError> {
        let mut builder = ClientBuilder::new(settings.secret_key.clone()).app_info(
            "tribuna",
            Some(env!("CARGO_PKG_VERSION").into()),
            None,
        );
        if let Some(base) = &settings.api_base {
            builder = builder.url(base.clone());
        }
        Ok(Gateway {
            client: builder
                .build()
                .map_err(|e| GatewayError::Config(e.to_string()))?,
            webhook_secret: settings.webhook_secret.clone(),
        })
    }

    /// A Stripe customer for one of our clients; the key makes a retry return the same one.
    pub async fn create_customer(
        &self,
        user_id: &str,
        email: &str,
        name: &str,
    ) -> Result<String, GatewayError> {
        let customer = CreateCustomer::new()
            .email(email)
            .name(name)
            .metadata(HashMap::from([("user_id".to_owned(), user_id.to_owned())]))
            .customize()
            .request_strategy(idempotent(&format!("customer-{user_id}")))
            .send(&self.client)
            .await?;
        Ok(customer.id.to_string())
    }

    pub async fn create_checkout(
        &self,
        r: CheckoutRequest<'_>,
    ) -> Result<CheckoutCreated, GatewayError> {
        let items = vec![
            line_item(
                format!(
                    "Honorários: consulta de {} min com {}",
                    r.minutes, r.lawyer_name
                ),
                r.lawyer_fee_cents,
            ),
            line_item("Taxa de serviço Tribuna".to_owned(), r.service_fee_cents),
        ];
        let session = CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .currency(Currency::BRL)
            .customer(r.customer)
            .client_reference_id(r.payment_id.clone())
            .line_items(items)
            .metadata(r.metadata)
            .success_url(r.success_url)
            .cancel_url(r.cancel_url)
            .expires_at(r.expires_at.timestamp())
            .customize()
            .request_strategy(idempotent(&format!("checkout-{}", r.payment_id)))
            .send(&self.client)
            .await?;
        Ok(CheckoutCreated {
            session_id: session.id.to_string(),
            url: session
                .url
                .ok_or(GatewayError::Incomplete("a checkout URL"))?,
        })
    }

    pub async fn expire_checkout(&self, session_id: &str) -> Result<(), GatewayError> {
        ExpireCheckoutSession::new(session_id)
            .send(&self.client)
            .await?;
        Ok(())
    }

    /// Refunds `amount` of a payment; `key` makes a retried refund happen once.
    pub async fn refund(
        &self,
        payment_intent: &str,
        amount: i64,
        key: &str,
    ) -> Result<String, GatewayError> {
        let refund = CreateRefund::new()
            .payment_intent(payment_intent)
            .amount(amount)
            .customize()
            .request_strategy(idempotent(key))
            .send(&self.client)
            .await?;
        Ok(refund.id.to_string())
    }

    /// Checks the `Stripe-Signature` of a webhook against the raw body, at `now`.
    pub fn verify_webhook(
        &self,
        payload: &str,
        signature: &str,
        now: DateTime<Utc>,
    ) -> Result<Event, WebhookError> {
        Webhook::construct_event_with_timestamp(
            payload,
            signature,
            &self.webhook_secret,
            now.timestamp(),
        )
    }
}
