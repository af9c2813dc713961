//! The public directory of verified lawyers: search, profile, free slots, rating.

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, DirectoryFilter, Lawyer, RatingSummary};
use super::{slots_of, RATING_PRIOR_COUNT, RATING_PRIOR_MEAN};
use crate::domain::lawyer::{service_fee, Cents};
use crate::domain::Paging;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{PathParam, QueryParams};
use crate::scheduling::slots::Slot;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(profile))
        .routes(routes!(slots))
        .routes(routes!(rating))
}

/// How many matching lawyers a search ranks at most (the directory is ordered in memory).
const SEARCH_CAP: i64 = 1000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Area of practice code, e.g. `family`.
    area: Option<String>,
    /// Language tag, e.g. `en`.
    language: Option<String>,
    /// Lawyer's fee bounds, in centavos.
    min_fee: Option<i64>,
    max_fee: Option<i64>,
    /// Minimum mean rating (1 to 5); lawyers without reviews are left out when set.
    min_rating: Option<f64>,
    /// `rating` (default: Bayesian average, best first), `price` (cheapest first) or `soonest`.
    sort: Option<String>,
    /// 1-based.
    page: Option<i64>,
    /// 1 to 50, default 20.
    per_page: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LawyerCard {
    pub id: Uuid,
    pub display_name: String,
    pub oab_number: String,
    pub oab_state: String,
    pub areas: Vec<String>,
    pub languages: Vec<String>,
    pub bio: String,
    /// The lawyer's fee, owed in full to the lawyer.
    pub fee_cents: i64,
    /// The platform's service fee, charged separately.
    pub service_fee_cents: i64,
    pub total_cents: i64,
    pub consultation_minutes: i32,
    pub time_zone: String,
    pub rating: RatingSummary,
    pub next_slot: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchPage {
    pub items: Vec<LawyerCard>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

fn card(state: &AppState, l: &Lawyer, next_slot: Option<DateTime<Utc>>) -> LawyerCard {
    let fee = Cents::fee(l.fee_cents).map(|f| {
        service_fee(
            f,
            state.settings.service_fee_bps,
            state.settings.service_fee_min_cents,
        )
    });
    let service = fee.unwrap_or(state.settings.service_fee_min_cents);
    LawyerCard {
        id: l.user_id,
        display_name: l.display_name.clone(),
        oab_number: l.oab_number.clone(),
        oab_state: l.oab_state.clone(),
        areas: l.areas.clone(),
        languages: l.languages.clone(),
        bio: l.bio.clone(),
        fee_cents: l.fee_cents,
        service_fee_cents: service,
        total_cents: l.fee_cents + service,
        consultation_minutes: l.consultation_minutes,
        time_zone: l.time_zone.clone(),
        rating: l.into(),
        next_slot,
    }
}

/// The items of one page.
fn page_of<T>(all: Vec<T>, offset: i64, per_page: i64) -> Vec<T> {
    all.into_iter()
        .skip(offset as usize)
        .take(per_page as usize)
        .collect()
}

/// Next free slot of each lawyer within their booking window.
async fn next_slots(
    state: &AppState,
    lawyers: &[Lawyer],
) -> Result<Vec<Option<DateTime<Utc>>>, ApiError> {
    let now = state.now();
    let ids: Vec<Uuid> = lawyers.iter().map(|l| l.user_id).collect();
    let mut busy: std::collections::HashMap<Uuid, Vec<_>> = std::collections::HashMap::new();
    for (id, b) in store::busy(&state.db, &ids, now, None).await? {
        busy.entry(id).or_default().push(b);
    }
    Ok(lawyers
        .iter()
        .map(|l| {
            let mine = busy.get(&l.user_id).map_or(&[][..], Vec::as_slice);
            slots_of(l, mine, now, now, now + Duration::days(366))
                .first()
                .map(|s| s.start)
        })
        .collect())
}

/// Verified lawyers, filtered, sorted and paginated.
#[utoipa::path(get, path = "/api/lawyers", tag = "directory", params(SearchQuery),
    responses((status = 200, body = SearchPage), (status = 400, body = ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    QueryParams(q): QueryParams<SearchQuery>,
) -> Result<Json<SearchPage>, ApiError> {
    if matches!(q.min_rating, Some(r) if !(1.0..=5.0).contains(&r)) {
        return Err(ApiError::bad_request(
            "invalid_query",
            "min_rating is between 1 and 5",
        ));
    }
    let sort = q.sort.as_deref().unwrap_or("rating");
    if !matches!(sort, "rating" | "price" | "soonest") {
        return Err(ApiError::bad_request(
            "invalid_query",
            "sort is rating, price or soonest",
        ));
    }
    let Paging {
        page,
        per_page,
        offset,
    } = Paging::new(q.page, q.per_page);
    let filter = DirectoryFilter {
        area: q.area,
        language: q.language,
        min_fee: q.min_fee,
        max_fee: q.max_fee,
        min_rating: q.min_rating,
    };
    let mut lawyers = store::listed(&state.db, &filter, SEARCH_CAP).await?;
    let total = lawyers.len() as i64;
    // Free slots are worked out for every match only when they decide the order; otherwise
    // for the page shown.
    let ranked: Vec<(Lawyer, Option<DateTime<Utc>>)> = if sort == "soonest" {
        let next = next_slots(&state, &lawyers).await?;
        let mut all: Vec<_> = lawyers.into_iter().zip(next).collect();
        // Lawyers with no free slot go last.
        all.sort_by_key(|(l, n)| (n.is_none(), *n, l.user_id));
        page_of(all, offset, per_page)
    } else {
        if sort == "price" {
            lawyers.sort_by_key(|l| (l.fee_cents, l.user_id));
        } else {
            lawyers.sort_by(|a, b| {
                b.bayesian
                    .total_cmp(&a.bayesian)
                    .then(b.review_count.cmp(&a.review_count))
                    .then(a.user_id.cmp(&b.user_id))
            });
        }
        let shown = page_of(lawyers, offset, per_page);
        let next = next_slots(&state, &shown).await?;
        shown.into_iter().zip(next).collect()
    };
    let items = ranked.iter().map(|(l, n)| card(&state, l, *n)).collect();
    Ok(Json(SearchPage {
        items,
        page,
        per_page,
        total,
    }))
}

async fn listed(state: &AppState, id: Uuid) -> Result<Lawyer, ApiError> {
    store::get(&state.db, id)
        .await?
        .filter(Lawyer::is_listed)
        .ok_or_else(|| ApiError::not_found("lawyer"))
}

/// A verified lawyer's public profile.
#[utoipa::path(get, path = "/api/lawyers/{id}", tag = "directory", params(("id" = Uuid, Path)),
    responses((status = 200, body = LawyerCard), (status = 404, body = ErrorBody)))]
async fn profile(
    State(state): State<AppState>,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<LawyerCard>, ApiError> {
    let lawyer = listed(&state, id).await?;
    let next = next_slots(&state, std::slice::from_ref(&lawyer)).await?;
    Ok(Json(card(&state, &lawyer, next[0])))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SlotQuery {
    /// Start of the range (RFC 3339); default now.
    from: Option<DateTime<Utc>>,
    /// End of the range; default 14 days after `from`; at most 62 days after it.
    to: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SlotList {
    /// The lawyer's time zone (slots are instants; show them in the viewer's zone).
    pub time_zone: String,
    pub consultation_minutes: i32,
    pub slots: Vec<Slot>,
}

/// A verified lawyer's free slots.
#[utoipa::path(get, path = "/api/lawyers/{id}/slots", tag = "directory", params(("id" = Uuid, Path), SlotQuery),
    responses((status = 200, body = SlotList), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn slots(
    State(state): State<AppState>,
    PathParam(id): PathParam<Uuid>,
    QueryParams(q): QueryParams<SlotQuery>,
) -> Result<Json<SlotList>, ApiError> {
    let now = state.now();
    let from = q.from.unwrap_or(now);
    let to = q.to.unwrap_or(from + Duration::days(14));
    if to <= from || to - from > Duration::days(62) {
        return Err(ApiError::bad_request(
            "invalid_query",
            "to must be after from, at most 62 days later",
        ));
    }
    let lawyer = listed(&state, id).await?;
    let busy: Vec<_> = store::busy(&state.db, &[id], now, None)
        .await?
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    Ok(Json(SlotList {
        slots: slots_of(&lawyer, &busy, now, from, to),
        time_zone: lawyer.time_zone,
        consultation_minutes: lawyer.consultation_minutes,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RatingDetail {
    pub count: i64,
    pub mean: Option<f64>,
    /// (prior_count · prior_mean + Σ ratings) / (prior_count + count)
    pub bayesian: f64,
    pub prior_count: f64,
    pub prior_mean: f64,
    /// Number of visible reviews with 1, 2, 3, 4 and 5 stars.
    pub distribution: [i64; 5],
}

/// A lawyer's rating from visible reviews.
#[utoipa::path(get, path = "/api/lawyers/{id}/rating", tag = "directory", params(("id" = Uuid, Path)),
    responses((status = 200, body = RatingDetail), (status = 404, body = ErrorBody)))]
async fn rating(
    State(state): State<AppState>,
    PathParam(id): PathParam<Uuid>,
) -> Result<Json<RatingDetail>, ApiError> {
    let lawyer = listed(&state, id).await?;
    let stars: Option<(i64, i64, i64, i64, i64)> =
        sqlx::query_as("SELECT stars_1, stars_2, stars_3, stars_4, stars_5 FROM lawyer_ratings WHERE lawyer_id = $1")
            .bind(id)
            .fetch_optional(&state.db)
            .await?;
    let (s1, s2, s3, s4, s5) = stars.unwrap_or_default();
    Ok(Json(RatingDetail {
        count: lawyer.review_count,
        mean: lawyer.mean,
        bayesian: lawyer.bayesian,
        prior_count: RATING_PRIOR_COUNT,
        prior_mean: RATING_PRIOR_MEAN,
        distribution: [s1, s2, s3, s4, s5],
    }))
}
