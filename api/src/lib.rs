//! Tribuna's HTTP API: thin axum handlers over domain services.
#![forbid(unsafe_code)]

pub mod accounts;
mod admin;
pub mod audit;
pub mod auth;
pub mod blobs;
pub mod contracts;
pub mod domain;
mod error;
mod extract;
mod health;
pub mod lawyers;
pub mod ledger;
pub mod mail;
mod observe;
pub mod payments;
pub mod recordings;
pub mod referrals;
pub mod reviews;
pub mod scheduling;
mod state;
pub mod support;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::{Request, StatusCode};
use axum::routing::any;
use axum::{middleware, Router};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

pub use error::{violated_constraint, ApiError, ErrorBody};
pub use observe::STALE_GAUGES_AFTER;
pub use state::{ApiSettings, AppState, Clock, LiveCalls, Services, SystemClock};

#[derive(OpenApi)]
#[openapi(
    info(title = "Tribuna API", description = "Paid legal video consultations. Cookie sessions; writes need the X-CSRF-Token header."),
    tags(
        (name = "auth", description = "Sign-up, login, logout, the current user"),
        (name = "accounts", description = "User accounts"),
        (name = "lawyers", description = "A lawyer's own profile and availability"),
        (name = "directory", description = "The public directory of verified lawyers"),
        (name = "payments", description = "Stripe Checkout, webhooks, receipts"),
        (name = "sessions", description = "Scheduling and the session lifecycle"),
        (name = "reviews", description = "Reviews, replies and moderation"),
        (name = "support", description = "Contact, no-show reports and their outcomes"),
        (name = "referrals", description = "Partners' invite codes and attribution"),
        (name = "ledger", description = "Earnings, commissions, statements and reports"),
        (name = "contracts", description = "Engagement terms: templates, versions, answers, PDFs"),
        (name = "recordings", description = "Legal Mode recordings: their state, hashes and requests for copies"),
        (name = "admin", description = "The admin control API")
    )
)]
struct ApiDoc;

/// The API's OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_routes().split_for_parts().1
}

fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(accounts::router())
        .merge(lawyers::router())
        .merge(payments::router())
        .merge(scheduling::router())
        .merge(reviews::router())
        .merge(support::router())
        .merge(referrals::router())
        .merge(ledger::router())
        .merge(contracts::router())
        .merge(recordings::router())
        .merge(admin::router())
}

/// Every HTTP route of the API, with request ids, tracing, metrics and body limits.
pub fn router(state: AppState) -> Router {
    let (routes, openapi) = api_routes().split_for_parts();
    routes
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi))
        .merge(health::router())
        .route("/api/{*rest}", any(unknown_route))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(observe::track_requests))
        .layer(DefaultBodyLimit::max(state.settings.max_body_bytes))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
                let route = req
                    .extensions()
                    .get::<MatchedPath>()
                    .map_or("-", MatchedPath::as_str);
                let request_id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), route, request_id)
            }),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

async fn unknown_route() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no_such_route",
        "no API route has this path",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method",
    )
}
