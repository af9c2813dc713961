//! Objects built from Stripe's fixtures, with only the managed fields overwritten.

use rand::distributions::Alphanumeric;
use rand::Rng;
use serde_json::{json, Value};

/// The API version the stand-in's events say they were rendered with.
pub const API_VERSION: &str = "2026-09-30.endive";

fn fixture(text: &str) -> Value {
    serde_json::from_str(text).expect("fixtures are valid JSON")
}

pub fn checkout_session() -> Value {
    fixture(include_str!("../fixtures/checkout_session.json"))
}
pub fn customer() -> Value {
    fixture(include_str!("../fixtures/customer.json"))
}
pub fn refund() -> Value {
    fixture(include_str!("../fixtures/refund.json"))
}
pub fn charge() -> Value {
    fixture(include_str!("../fixtures/charge.json"))
}
pub fn event() -> Value {
    fixture(include_str!("../fixtures/event.json"))
}

/// A Stripe-looking id: `prefix_` and 24 random letters and digits.
pub fn new_id(prefix: &str) -> String {
    let tail: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(24)
        .map(char::from)
        .collect();
    format!("{prefix}_{tail}")
}

/// Merges `fields` into `object` (top level only).
pub fn with(mut object: Value, fields: Value) -> Value {
    if let (Some(o), Value::Object(f)) = (object.as_object_mut(), fields) {
        o.extend(f);
    }
    object
}

/// A Stripe error body.
pub fn error(kind: &str, message: &str, param: Option<&str>) -> Value {
    json!({ "error": { "type": kind, "message": message, "param": param } })
}
