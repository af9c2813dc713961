use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// Login attempts per email address and per client IP address.
pub(crate) struct LoginLimiter {
    by_email: DefaultKeyedRateLimiter<String>,
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl LoginLimiter {
    pub fn new(per_minute_per_email: NonZeroU32) -> Self {
        let per_ip = per_minute_per_email.saturating_mul(NonZeroU32::new(5).expect("nonzero"));
        LoginLimiter {
            by_email: RateLimiter::keyed(Quota::per_minute(per_minute_per_email)),
            by_ip: RateLimiter::keyed(Quota::per_minute(per_ip)),
            clock: DefaultClock::default(),
        }
    }

    /// Spends one attempt for both keys, or says how long to wait.
    pub fn check(&self, ip: IpAddr, email: &str) -> Result<(), ApiError> {
        if self.by_email.len() > 100_000 {
            self.by_email.retain_recent();
            self.by_ip.retain_recent();
        }
        let wait = |n: governor::NotUntil<_>| ApiError::TooManyRequests {
            retry_after_secs: n.wait_time_from(self.clock.now()).as_secs().max(1),
        };
        self.by_ip.check_key(&ip).map_err(wait)?;
        self.by_email.check_key(&email.to_owned()).map_err(wait)?;
        Ok(())
    }
}
