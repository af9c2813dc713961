//! Request metrics, and the process-wide Prometheus recorder behind `/metrics`.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use metrics_util::MetricKindMask;

/// A gauge not set again for this long (a participant who left) leaves `/metrics`.
pub const STALE_GAUGES_AFTER: std::time::Duration = std::time::Duration::from_secs(10);

/// The recorder is global to the process; every `AppState` shares it.
pub fn prometheus() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                ])
                .expect("static buckets")
                // Gauges are set at every scrape for what exists then (calls, participants):
                // the series of a participant who left are dropped once they go stale.
                .idle_timeout(MetricKindMask::GAUGE, Some(STALE_GAUGES_AFTER))
                .install_recorder()
                .expect("the only metrics recorder")
        })
        .clone()
}

pub async fn track_requests(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().to_string();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}
