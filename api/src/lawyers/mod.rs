//! Lawyers: onboarding (OAB), availability, verification, and the public directory.

mod directory;
mod own;
pub mod store;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub use own::OwnProfile as AdminLawyerView;
pub use store::RatingSummary;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(own::router())
        .merge(directory::router())
}

/// The rating prior: C virtual reviews of m stars (see the `lawyer_ratings` view).
pub const RATING_PRIOR_COUNT: f64 = 5.0;
pub const RATING_PRIOR_MEAN: f64 = 4.0;

use chrono::{DateTime, Duration, Utc};

use crate::scheduling::slots::{free_slots, Busy, Slot, SlotRules};

/// The free slots of `lawyer` starting in `[from, to)`, given their live sessions.
pub fn slots_of(
    lawyer: &store::Lawyer,
    busy: &[Busy],
    now: DateTime<Utc>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Slot> {
    let (Ok(availability), Ok(time_zone)) =
        (lawyer.availability.0.parse(), lawyer.time_zone.parse())
    else {
        // Stored rules were validated on the way in; a lawyer whose rules no longer parse has no slots.
        return Vec::new();
    };
    let rules = SlotRules {
        time_zone,
        length: Duration::minutes(lawyer.consultation_minutes.into()),
        availability: &availability,
    };
    free_slots(&rules, busy, now, from, to)
}
