//! Slot generation: a pure function of (rules, existing sessions, now).
//!
//! Working hours are local to the lawyer's time zone; slots are absolute
//! instants. Windows are resolved to instants once, then stepped in real time,
//! so a night when clocks go back has one more hour of slots, a night when they
//! go forward one fewer, and no slot starts at a local time that does not exist.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use utoipa::ToSchema;

use super::availability::Availability;

/// An existing live session of the lawyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Everything slot generation depends on.
#[derive(Debug, Clone)]
pub struct SlotRules<'a> {
    pub time_zone: Tz,
    pub length: Duration,
    pub availability: &'a Availability,
}

/// The first instant at or after the local time `t` on `date` (skipping a DST gap).
fn resolve(tz: Tz, date: NaiveDate, t: NaiveTime) -> Option<DateTime<Utc>> {
    let local = NaiveDateTime::new(date, t);
    (0..=8).find_map(|q| {
        tz.from_local_datetime(&(local + Duration::minutes(15 * q)))
            .earliest()
            .map(|d| d.with_timezone(&Utc))
    })
}

/// Free slots starting in `[from, to)`.
pub fn free_slots(
    rules: &SlotRules<'_>,
    busy: &[Busy],
    now: DateTime<Utc>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Slot> {
    let a = rules.availability;
    let earliest = from.max(now + a.min_notice);
    let latest = to.min(now + a.booking_window);
    if earliest >= latest || rules.length <= Duration::zero() {
        return Vec::new();
    }
    let step = rules.length + a.buffer_before.max(a.buffer_after);
    let tz = rules.time_zone;
    let first_day = earliest
        .with_timezone(&tz)
        .date_naive()
        .pred_opt()
        .expect("in range");
    let last_day = latest.with_timezone(&tz).date_naive();
    let mut slots = Vec::new();
    for date in first_day.iter_days().take_while(|d| *d <= last_day) {
        if let Some(max) = a.max_per_day {
            let booked = busy
                .iter()
                .filter(|b| b.start.with_timezone(&tz).date_naive() == date)
                .count();
            if booked >= max as usize {
                continue;
            }
        }
        for &(open, close) in a.hours_on(date) {
            let (Some(window_start), Some(window_end)) =
                (resolve(tz, date, open), resolve(tz, date, close))
            else {
                continue;
            };
            let mut start = window_start;
            while start + rules.length <= window_end {
                let slot = Slot {
                    start,
                    end: start + rules.length,
                };
                let blocked_from = slot.start - a.buffer_before;
                let blocked_to = slot.end + a.buffer_after;
                let clashes = busy
                    .iter()
                    .any(|b| blocked_from < b.end && b.start < blocked_to);
                if slot.start >= earliest && slot.start < latest && !clashes {
                    slots.push(slot);
                }
                start += step;
            }
        }
    }
    slots.sort();
    slots.dedup();
    slots
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduling::availability::{AvailabilityDoc, DateOverride, HoursRange, WeeklyHours};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn availability(
        weekly: &[(&str, &str, &str)],
        tweak: impl FnOnce(&mut AvailabilityDoc),
    ) -> Availability {
        let mut doc = AvailabilityDoc {
            weekly: weekly
                .iter()
                .map(|(d, s, e)| WeeklyHours {
                    weekday: (*d).into(),
                    start: (*s).into(),
                    end: (*e).into(),
                })
                .collect(),
            min_notice_minutes: 0,
            booking_window_days: 365,
            ..AvailabilityDoc::default()
        };
        tweak(&mut doc);
        doc.parse().unwrap()
    }

    fn starts(
        tz: &str,
        a: &Availability,
        busy: &[Busy],
        now: &str,
        from: &str,
        to: &str,
    ) -> Vec<String> {
        let rules = SlotRules {
            time_zone: tz.parse().unwrap(),
            length: Duration::minutes(60),
            availability: a,
        };
        free_slots(&rules, busy, utc(now), utc(from), utc(to))
            .iter()
            .map(|s| s.start.format("%Y-%m-%dT%H:%MZ").to_string())
            .collect()
    }

    const NOW: &str = "2026-01-01T00:00:00Z";

    #[test]
    fn weekday_hours_in_sao_paulo_become_utc_instants() {
        let a = availability(&[("mon", "09:00", "12:00")], |_| {});
        let got = starts(
            "America/Sao_Paulo",
            &a,
            &[],
            NOW,
            "2026-12-07T00:00:00Z",
            "2026-12-08T00:00:00Z",
        );
        assert_eq!(
            got,
            [
                "2026-12-07T12:00Z",
                "2026-12-07T13:00Z",
                "2026-12-07T14:00Z"
            ]
        );
    }

    #[test]
    fn spring_forward_night_has_one_hour_less_and_no_nonexistent_times() {
        // New York, Sunday 2026-03-08: 02:00 EST jumps to 03:00 EDT.
        let a = availability(&[("sun", "00:00", "05:00")], |_| {});
        let got = starts(
            "America/New_York",
            &a,
            &[],
            NOW,
            "2026-03-08T00:00:00Z",
            "2026-03-09T00:00:00Z",
        );
        // 00:00 EST, 01:00 EST, 03:00 EDT, 04:00 EDT.
        assert_eq!(
            got,
            [
                "2026-03-08T05:00Z",
                "2026-03-08T06:00Z",
                "2026-03-08T07:00Z",
                "2026-03-08T08:00Z"
            ]
        );
    }

    #[test]
    fn fall_back_night_has_one_hour_more() {
        // New York, Sunday 2026-11-01: 02:00 EDT falls back to 01:00 EST.
        let a = availability(&[("sun", "00:00", "04:00")], |_| {});
        let got = starts(
            "America/New_York",
            &a,
            &[],
            NOW,
            "2026-11-01T00:00:00Z",
            "2026-11-02T00:00:00Z",
        );
        // 00:00 EDT, 01:00 EDT, 01:00 EST, 02:00 EST, 03:00 EST.
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(got.first().unwrap(), "2026-11-01T04:00Z");
        assert_eq!(got.last().unwrap(), "2026-11-01T08:00Z");
    }

    #[test]
    fn a_weekly_hour_keeps_its_local_time_across_a_dst_change() {
        // Lisbon moves from UTC+0 to UTC+1 on 2026-03-29.
        let a = availability(&[("mon", "09:00", "10:00")], |_| {});
        let before = starts(
            "Europe/Lisbon",
            &a,
            &[],
            NOW,
            "2026-03-23T00:00:00Z",
            "2026-03-24T00:00:00Z",
        );
        let after = starts(
            "Europe/Lisbon",
            &a,
            &[],
            NOW,
            "2026-03-30T00:00:00Z",
            "2026-03-31T00:00:00Z",
        );
        assert_eq!(before, ["2026-03-23T09:00Z"]);
        assert_eq!(after, ["2026-03-30T08:00Z"]);
    }

    #[test]
    fn a_window_opening_at_a_midnight_that_never_happened_starts_at_the_first_real_instant() {
        // São Paulo's last DST began 2018-11-04 at 00:00, which became 01:00 (UTC-2).
        let a = availability(&[("sun", "00:00", "03:00")], |_| {});
        let got = starts(
            "America/Sao_Paulo",
            &a,
            &[],
            "2018-01-01T00:00:00Z",
            "2018-11-04T00:00:00Z",
            "2018-11-05T00:00:00Z",
        );
        // 01:00-02 and 02:00-02 fit before 03:00-02 (05:00Z).
        assert_eq!(got, ["2018-11-04T03:00Z", "2018-11-04T04:00Z"]);
    }

    #[test]
    fn sessions_and_buffers_block_slots() {
        let a = availability(&[("mon", "09:00", "13:00")], |d| {
            d.buffer_after_minutes = 15
        });
        // Slots step by 75 minutes: 09:00, 10:15, 11:30 (local, UTC-3).
        let busy = [Busy {
            start: utc("2026-12-07T13:15:00Z"),
            end: utc("2026-12-07T14:15:00Z"),
        }];
        let got = starts(
            "America/Sao_Paulo",
            &a,
            &busy,
            NOW,
            "2026-12-07T00:00:00Z",
            "2026-12-08T00:00:00Z",
        );
        // 09:00 ends 10:00, +15 buffer = 10:15: touches but does not overlap the 10:15 session.
        assert_eq!(got, ["2026-12-07T12:00Z", "2026-12-07T14:30Z"]);
    }

    #[test]
    fn minimum_notice_booking_window_and_daily_limit_apply() {
        let a = availability(
            &[("mon", "09:00", "12:00"), ("tue", "09:00", "12:00")],
            |d| {
                d.min_notice_minutes = 90;
                d.booking_window_days = 2;
                d.max_per_day = Some(1);
            },
        );
        // Monday 09:30 local: 10:00 is too soon, 11:00 is fine; Tuesday already has its one session;
        // Wednesday is past the window anyway.
        let now = "2026-12-07T12:30:00Z";
        let busy = [Busy {
            start: utc("2026-12-08T12:00:00Z"),
            end: utc("2026-12-08T13:00:00Z"),
        }];
        let got = starts(
            "America/Sao_Paulo",
            &a,
            &busy,
            now,
            "2026-12-07T00:00:00Z",
            "2026-12-20T00:00:00Z",
        );
        assert_eq!(got, ["2026-12-07T14:00Z"]);
    }

    #[test]
    fn overrides_take_a_day_off_or_add_hours() {
        let a = availability(&[("thu", "09:00", "11:00")], |d| {
            d.overrides.push(DateOverride {
                date: "2026-12-24".into(),
                hours: vec![],
            });
            d.overrides.push(DateOverride {
                date: "2026-12-26".into(),
                hours: vec![HoursRange {
                    start: "10:00".into(),
                    end: "11:00".into(),
                }],
            });
        });
        let got = starts(
            "America/Sao_Paulo",
            &a,
            &[],
            NOW,
            "2026-12-24T00:00:00Z",
            "2026-12-27T00:00:00Z",
        );
        assert_eq!(
            got,
            ["2026-12-26T13:00Z"],
            "Christmas Eve off, Saturday 26th extra"
        );
    }
}
