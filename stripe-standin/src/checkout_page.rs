//! The hosted checkout page: where the customer "pays". A person or a test chooses
//! the outcome: card paid, Boleto/Pix pending (settled later here), or card declined.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::objects::new_id;
use crate::state::Shared;

type Shr = Arc<Shared>;

pub fn router(state: Shr) -> Router {
    Router::new()
        .route("/checkout/{id}", get(page))
        .route("/checkout/{id}/pay", post(pay))
        .route("/checkout/{id}/cancel", post(cancel))
        .route("/checkout/{id}/settle", post(settle))
        .with_state(state)
}

#[derive(Deserialize)]
struct Outcome {
    outcome: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn brl(cents: i64) -> String {
    format!("R$ {},{:02}", cents / 100, cents % 100)
}

fn shell(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=pt-BR><meta charset=utf-8><meta name=viewport content='width=device-width,initial-scale=1'>\
         <title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}}\
         .note{{background:#fff4d6;border:1px solid #e0b84a;padding:.5rem .75rem;border-radius:6px}}\
         button{{display:block;width:100%;margin:.5rem 0;padding:.75rem;font-size:1rem;border-radius:6px;border:1px solid #333;background:#fff;cursor:pointer}}\
         button.primary{{background:#1f3a5f;color:#fff}}table{{width:100%;border-collapse:collapse}}td{{padding:.35rem 0}}td.v{{text-align:right}}</style>\
         <p class=note>Ambiente local de testes — este não é o Stripe. / Local test stand-in — this is not Stripe.</p>{body}</html>"
    ))
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        shell(
            "Não encontrado",
            "<h1>Sessão de pagamento não encontrada</h1>",
        ),
    )
        .into_response()
}

async fn page(State(s): State<Shr>, Path(id): Path<String>) -> Response {
    let Some(object) = s.lock().sessions.get(&id).map(|x| x.object.clone()) else {
        return not_found();
    };
    let rows: String = object["line_items_summary"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            format!(
                "<tr><td>{}</td><td class=v>{}</td></tr>",
                escape(i["name"].as_str().unwrap_or("")),
                brl(i["amount"].as_i64().unwrap_or(0))
            )
        })
        .collect();
    let total = brl(object["amount_total"].as_i64().unwrap_or(0));
    let id = escape(&id);
    let actions = match (object["status"].as_str(), object["payment_status"].as_str()) {
        (Some("open"), _) => format!(
            "<form method=post action='/checkout/{id}/pay'>\
             <button class=primary name=outcome value=paid>Pagar com cartão (aprovado) / Pay by card</button>\
             <button name=outcome value=pending>Pagar com Boleto ou Pix (compensa depois) / Boleto or Pix</button>\
             <button name=outcome value=declined>Cartão recusado / Card declined</button></form>\
             <form method=post action='/checkout/{id}/cancel'><button name=outcome value=cancel>Voltar / Cancel</button></form>"
        ),
        (Some("complete"), Some("unpaid")) => format!(
            "<p>Aguardando compensação do Boleto/Pix. / Waiting for the Boleto/Pix to settle.</p>\
             <form method=post action='/checkout/{id}/settle'>\
             <button class=primary name=outcome value=succeeded>Compensar / Settle</button>\
             <button name=outcome value=failed>Falhar / Fail</button></form>"
        ),
        (Some(status), Some(paid)) => format!("<p>Sessão {status}, pagamento {paid}.</p>"),
        _ => String::new(),
    };
    shell("Pagamento", &format!("<h1>Pagamento</h1><table>{rows}<tr><td><b>Total</b></td><td class=v><b>{total}</b></td></tr></table>{actions}")).into_response()
}

fn back_to(object: &Value, key: &str) -> Response {
    match object[key].as_str() {
        Some(url) => Redirect::to(url).into_response(),
        None => shell("Pagamento", "<p>Concluído. / Done.</p>").into_response(),
    }
}

async fn pay(State(s): State<Shr>, Path(id): Path<String>, Form(o): Form<Outcome>) -> Response {
    let mut inner = s.lock();
    let Some(session) = inner.sessions.get_mut(&id) else {
        return not_found();
    };
    if session.object["status"] != "open" {
        return (
            StatusCode::CONFLICT,
            shell("Pagamento", "<p>Esta sessão não está mais aberta.</p>"),
        )
            .into_response();
    }
    let paid = match o.outcome.as_str() {
        "paid" => "paid",
        "pending" => "unpaid",
        "declined" => {
            let body = format!("<p role=alert>Cartão recusado. / Card declined.</p><p><a href='/checkout/{}'>Tentar de novo / Try again</a></p>", escape(&id));
            return (
                StatusCode::PAYMENT_REQUIRED,
                shell("Pagamento recusado", &body),
            )
                .into_response();
        }
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                shell("Pagamento", "<p>Opção inválida.</p>"),
            )
                .into_response()
        }
    };
    session.object["status"] = json!("complete");
    session.object["payment_status"] = json!(paid);
    session.object["payment_intent"] = json!(new_id("pi"));
    session.object["url"] = Value::Null;
    let object = session.object.clone();
    s.emit(&mut inner, "checkout.session.completed", object.clone());
    back_to(&object, "success_url")
}

async fn cancel(State(s): State<Shr>, Path(id): Path<String>) -> Response {
    match s.lock().sessions.get(&id) {
        Some(session) => back_to(&session.object, "cancel_url"),
        None => not_found(),
    }
}

async fn settle(State(s): State<Shr>, Path(id): Path<String>, Form(o): Form<Outcome>) -> Response {
    let mut inner = s.lock();
    let Some(session) = inner.sessions.get_mut(&id) else {
        return not_found();
    };
    if session.object["status"] != "complete" || session.object["payment_status"] != "unpaid" {
        return (
            StatusCode::CONFLICT,
            shell("Pagamento", "<p>Nada a compensar.</p>"),
        )
            .into_response();
    }
    let kind = match o.outcome.as_str() {
        "succeeded" => {
            session.object["payment_status"] = json!("paid");
            "checkout.session.async_payment_succeeded"
        }
        "failed" => "checkout.session.async_payment_failed",
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                shell("Pagamento", "<p>Opção inválida.</p>"),
            )
                .into_response()
        }
    };
    let object = session.object.clone();
    s.emit(&mut inner, kind, object.clone());
    back_to(&object, "success_url")
}
