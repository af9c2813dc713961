//! Stripe's wire format: form-encoded requests, JSON objects, Stripe error bodies.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde_json::{json, Value};

use crate::objects::{self, error, new_id, with};
use crate::state::{Session, Shared};

type Shr = Arc<Shared>;
type Reply = (StatusCode, Value);

pub fn router(state: Shr) -> Router {
    Router::new()
        .route("/v1/customers", post(create_customer))
        .route("/v1/checkout/sessions", post(create_session))
        .route("/v1/checkout/sessions/{id}", get(get_session))
        .route("/v1/checkout/sessions/{id}/expire", post(expire_session))
        .route("/v1/refunds", post(create_refund))
        .route("/v1/events/{id}", get(get_event))
        .layer(middleware::from_fn_with_state(state.clone(), require_key))
        .with_state(state)
}

async fn require_key(State(s): State<Shr>, req: Request, next: Next) -> Response {
    let expected = format!("Bearer {}", s.config.secret_key);
    if req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        != Some(&expected)
    {
        let body = error("invalid_request_error", "Invalid API Key provided", None);
        return (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    }
    next.run(req).await
}

/// Form parameters in Stripe's bracket notation, e.g. `line_items[0][quantity]`.
struct Params(Vec<(String, String)>);

impl Params {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    fn map(&self, prefix: &str) -> Value {
        let entries = self.0.iter().filter_map(|(k, v)| {
            let inner = k
                .strip_prefix(prefix)?
                .strip_prefix('[')?
                .strip_suffix(']')?;
            Some((inner.to_owned(), Value::String(v.clone())))
        });
        Value::Object(entries.collect())
    }
    fn fingerprint(&self, path: &str) -> String {
        let mut pairs = self.0.clone();
        pairs.sort();
        format!("{path}?{pairs:?}")
    }
}

fn invalid(message: &str, param: &str) -> Reply {
    (
        StatusCode::BAD_REQUEST,
        error("invalid_request_error", message, Some(param)),
    )
}

/// Runs `f` once per idempotency key; a repeat returns the first answer, and a
/// repeat with other parameters is an error, as on Stripe.
fn idempotent(
    s: &Shared,
    headers: &HeaderMap,
    fingerprint: String,
    f: impl FnOnce() -> Reply,
) -> Response {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(key) = &key {
        if let Some((seen, status, body)) = s.lock().idempotency.get(key).cloned() {
            if seen != fingerprint {
                let body = error("idempotency_error", "Keys for idempotent requests can only be used with the same parameters they were first used with.", None);
                return (StatusCode::BAD_REQUEST, Json(body)).into_response();
            }
            return (
                StatusCode::from_u16(status).expect("stored status"),
                Json(body),
            )
                .into_response();
        }
    }
    let (status, body) = f();
    if let Some(key) = key {
        s.lock()
            .idempotency
            .insert(key, (fingerprint, status.as_u16(), body.clone()));
    }
    (status, Json(body)).into_response()
}

async fn create_customer(
    State(s): State<Shr>,
    headers: HeaderMap,
    Form(p): Form<Vec<(String, String)>>,
) -> Response {
    let p = Params(p);
    idempotent(&s, &headers, p.fingerprint("customers"), || {
        let customer = with(
            objects::customer(),
            json!({
                "id": new_id("cus"),
                "created": chrono::Utc::now().timestamp(),
                "email": p.get("email"),
                "name": p.get("name"),
                "metadata": p.map("metadata"),
                "currency": null,
                "discount": null,
            }),
        );
        let id = customer["id"].as_str().expect("id").to_owned();
        s.lock().customers.insert(id, customer.clone());
        (StatusCode::OK, customer)
    })
}

struct LineItem {
    name: String,
    currency: String,
    unit_amount: i64,
    quantity: i64,
}

fn line_items(p: &Params) -> Result<Vec<LineItem>, Reply> {
    let mut items = Vec::new();
    for i in 0.. {
        let key = |rest: &str| format!("line_items[{i}]{rest}");
        let Some(amount) = p.get(&key("[price_data][unit_amount]")) else {
            if p.get(&key("[quantity]")).is_some() || p.get(&key("[price]")).is_some() {
                return Err(invalid(
                    "Only price_data line items are supported by the stand-in",
                    &key("[price_data]"),
                ));
            }
            break;
        };
        let unit_amount: i64 = amount.parse().ok().filter(|a| *a > 0).ok_or_else(|| {
            invalid(
                "Invalid positive integer",
                &key("[price_data][unit_amount]"),
            )
        })?;
        let currency = p
            .get(&key("[price_data][currency]"))
            .ok_or_else(|| invalid("Missing required param", &key("[price_data][currency]")))?;
        let name = p
            .get(&key("[price_data][product_data][name]"))
            .unwrap_or("")
            .to_owned();
        let quantity: i64 = p
            .get(&key("[quantity]"))
            .unwrap_or("1")
            .parse()
            .ok()
            .filter(|q| *q > 0)
            .ok_or_else(|| invalid("Invalid quantity", &key("[quantity]")))?;
        items.push(LineItem {
            name,
            currency: currency.to_lowercase(),
            unit_amount,
            quantity,
        });
    }
    if items.is_empty() {
        return Err(invalid(
            "line_items must have at least one item in payment mode",
            "line_items",
        ));
    }
    if items.iter().any(|i| i.currency != items[0].currency) {
        return Err(invalid(
            "All line items must have the same currency",
            "line_items",
        ));
    }
    Ok(items)
}

async fn create_session(
    State(s): State<Shr>,
    headers: HeaderMap,
    Form(p): Form<Vec<(String, String)>>,
) -> Response {
    let p = Params(p);
    idempotent(&s, &headers, p.fingerprint("checkout/sessions"), || {
        if p.get("mode") != Some("payment") {
            return invalid("The stand-in supports mode=payment only", "mode");
        }
        let Some(success_url) = p.get("success_url") else {
            return invalid("Missing required param: success_url", "success_url");
        };
        let items = match line_items(&p) {
            Ok(items) => items,
            Err(e) => return e,
        };
        let mut inner = s.lock();
        if let Some(c) = p.get("customer") {
            if !inner.customers.contains_key(c) {
                return (
                    StatusCode::BAD_REQUEST,
                    error(
                        "invalid_request_error",
                        &format!("No such customer: '{c}'"),
                        Some("customer"),
                    ),
                );
            }
        }
        let now = chrono::Utc::now().timestamp();
        let expires_at = p
            .get("expires_at")
            .and_then(|e| e.parse::<i64>().ok())
            .unwrap_or(now + 24 * 3600);
        if !(now + 1800..=now + 24 * 3600).contains(&expires_at) {
            return invalid(
                "expires_at must be between 30 minutes and 24 hours from now",
                "expires_at",
            );
        }
        let id = new_id("cs_test");
        let total: i64 = items.iter().map(|i| i.unit_amount * i.quantity).sum();
        let methods: Vec<&str> =
            p.0.iter()
                .filter(|(k, _)| k.starts_with("payment_method_types["))
                .map(|(_, v)| v.as_str())
                .collect();
        let object = with(
            objects::checkout_session(),
            json!({
                "id": id,
                "object": "checkout.session",
                "mode": "payment",
                "status": "open",
                "payment_status": "unpaid",
                "payment_intent": null,
                "amount_subtotal": total,
                "amount_total": total,
                "currency": items[0].currency,
                "customer": p.get("customer"),
                "customer_email": p.get("customer_email"),
                "client_reference_id": p.get("client_reference_id"),
                "metadata": p.map("metadata"),
                "success_url": success_url.replace("{CHECKOUT_SESSION_ID}", &id),
                "cancel_url": p.get("cancel_url"),
                "url": format!("{}checkout/{id}", s.base_url),
                "created": now,
                "expires_at": expires_at,
                "locale": p.get("locale"),
                "payment_method_types": if methods.is_empty() { vec!["card"] } else { methods },
                "shipping_cost": null,
                "shipping_address_collection": null,
                "total_details": { "amount_discount": 0, "amount_shipping": 0, "amount_tax": 0 },
                "line_items_summary": items.iter().map(|i| json!({"name": i.name, "amount": i.unit_amount * i.quantity})).collect::<Vec<_>>(),
            }),
        );
        inner.sessions.insert(
            id,
            Session {
                object: object.clone(),
                refunded: 0,
            },
        );
        (StatusCode::OK, object)
    })
}

fn missing(kind: &str, id: &str) -> Reply {
    (
        StatusCode::NOT_FOUND,
        error(
            "invalid_request_error",
            &format!("No such {kind}: '{id}'"),
            Some("id"),
        ),
    )
}

async fn get_session(State(s): State<Shr>, Path(id): Path<String>) -> Response {
    let reply = match s.lock().sessions.get(&id) {
        Some(session) => (StatusCode::OK, session.object.clone()),
        None => missing("checkout.session", &id),
    };
    (reply.0, Json(reply.1)).into_response()
}

async fn expire_session(State(s): State<Shr>, Path(id): Path<String>) -> Response {
    let mut inner = s.lock();
    let Some(session) = inner.sessions.get_mut(&id) else {
        let (status, body) = missing("checkout.session", &id);
        return (status, Json(body)).into_response();
    };
    if session.object["status"] != "open" {
        let body = error(
            "invalid_request_error",
            "Only Checkout Sessions with a status of `open` can be expired.",
            None,
        );
        return (StatusCode::BAD_REQUEST, Json(body)).into_response();
    }
    session.object["status"] = json!("expired");
    session.object["url"] = Value::Null;
    let object = session.object.clone();
    s.emit(&mut inner, "checkout.session.expired", object.clone());
    (StatusCode::OK, Json(object)).into_response()
}

async fn create_refund(
    State(s): State<Shr>,
    headers: HeaderMap,
    Form(p): Form<Vec<(String, String)>>,
) -> Response {
    let p = Params(p);
    idempotent(&s, &headers, p.fingerprint("refunds"), || {
        let Some(intent) = p.get("payment_intent") else {
            return invalid("Missing required param: payment_intent", "payment_intent");
        };
        let mut inner = s.lock();
        let Some(session) = inner
            .sessions
            .values_mut()
            .find(|x| x.object["payment_intent"] == intent)
        else {
            return missing("payment_intent", intent);
        };
        if session.object["payment_status"] != "paid" {
            return invalid(
                "This PaymentIntent has no successful charge to refund",
                "payment_intent",
            );
        }
        let remaining = session.amount_total() - session.refunded;
        let amount = match p.get("amount").map(str::parse::<i64>) {
            None => remaining,
            Some(Ok(a)) if a > 0 && a <= remaining => a,
            Some(_) => {
                return invalid(
                    &format!("Refund amount must be between 1 and {remaining}"),
                    "amount",
                )
            }
        };
        if remaining == 0 {
            return (
                StatusCode::BAD_REQUEST,
                error(
                    "invalid_request_error",
                    "Charge has already been refunded.",
                    None,
                ),
            );
        }
        session.refunded += amount;
        let (total, refunded, currency) = (
            session.amount_total(),
            session.refunded,
            session.object["currency"].clone(),
        );
        let charge_id = format!("ch_{}", &intent[3..]);
        let now = chrono::Utc::now().timestamp();
        let refund = with(
            objects::refund(),
            json!({
                "id": new_id("re"), "amount": amount, "currency": currency, "charge": charge_id,
                "payment_intent": intent, "status": "succeeded", "created": now,
                "reason": p.get("reason"), "metadata": p.map("metadata"),
            }),
        );
        let charge = with(
            objects::charge(),
            json!({
                "id": charge_id, "amount": total, "amount_captured": total, "amount_refunded": refunded,
                "refunded": refunded == total, "currency": currency, "payment_intent": intent,
                "paid": true, "status": "succeeded", "created": now, "customer": session.object["customer"],
            }),
        );
        s.emit(&mut inner, "refund.created", refund.clone());
        s.emit(&mut inner, "charge.refunded", charge);
        (StatusCode::OK, refund)
    })
}

async fn get_event(State(s): State<Shr>, Path(id): Path<String>) -> Response {
    match s.event(&id) {
        Some(e) => (StatusCode::OK, Json(e)).into_response(),
        None => {
            let (status, body) = missing("event", &id);
            (status, Json(body)).into_response()
        }
    }
}
