//! A lawyer's availability rules, as edited and stored (JSON), and their validated form.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::DomainError;

/// Working hours for one weekday, in the lawyer's time zone (`"09:00"` to `"12:30"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeeklyHours {
    /// `mon`, `tue`, `wed`, `thu`, `fri`, `sat` or `sun`.
    pub weekday: String,
    pub start: String,
    pub end: String,
}

/// One date's hours replace its weekday's; no hours means a day off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DateOverride {
    /// `YYYY-MM-DD` in the lawyer's time zone.
    pub date: String,
    #[serde(default)]
    pub hours: Vec<HoursRange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursRange {
    pub start: String,
    pub end: String,
}

/// The availability document a lawyer edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityDoc {
    pub weekly: Vec<WeeklyHours>,
    #[serde(default)]
    pub overrides: Vec<DateOverride>,
    /// Free time kept before and after each session.
    #[serde(default)]
    pub buffer_before_minutes: u32,
    #[serde(default)]
    pub buffer_after_minutes: u32,
    /// How long before a slot it may still be booked.
    #[serde(default = "default_notice")]
    pub min_notice_minutes: u32,
    /// How far ahead slots are offered.
    #[serde(default = "default_window")]
    pub booking_window_days: u32,
    /// At most this many sessions on one day (in the lawyer's time zone).
    #[serde(default)]
    pub max_per_day: Option<u32>,
}

fn default_notice() -> u32 {
    120
}
fn default_window() -> u32 {
    30
}

impl Default for AvailabilityDoc {
    fn default() -> Self {
        AvailabilityDoc {
            weekly: Vec::new(),
            overrides: Vec::new(),
            buffer_before_minutes: 0,
            buffer_after_minutes: 0,
            min_notice_minutes: default_notice(),
            booking_window_days: default_window(),
            max_per_day: None,
        }
    }
}

/// Validated availability: sorted, non-overlapping local time ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    pub weekly: HashMap<Weekday, Vec<(NaiveTime, NaiveTime)>>,
    pub overrides: BTreeMap<NaiveDate, Vec<(NaiveTime, NaiveTime)>>,
    pub buffer_before: Duration,
    pub buffer_after: Duration,
    pub min_notice: Duration,
    pub booking_window: Duration,
    pub max_per_day: Option<u32>,
}

fn bad(message: impl Into<String>) -> DomainError {
    DomainError::new("availability", message)
}

fn time(s: &str) -> Result<NaiveTime, DomainError> {
    NaiveTime::parse_from_str(s, "%H:%M")
        .map_err(|_| bad(format!("{s:?} is not a time like 09:30")))
}

fn weekday(s: &str) -> Result<Weekday, DomainError> {
    Ok(match s {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return Err(bad(format!("{s:?} is not a weekday (mon … sun)"))),
    })
}

/// Adds `start..end` to `ranges`, refusing empty, reversed or overlapping ranges.
fn add_range(
    ranges: &mut Vec<(NaiveTime, NaiveTime)>,
    start: &str,
    end: &str,
    what: &str,
) -> Result<(), DomainError> {
    let (s, e) = (time(start)?, time(end)?);
    if s >= e {
        return Err(bad(format!("{what}: {start}–{end} ends before it starts")));
    }
    if ranges.iter().any(|&(a, b)| s < b && a < e) {
        return Err(bad(format!("{what}: {start}–{end} overlaps other hours")));
    }
    ranges.push((s, e));
    ranges.sort();
    Ok(())
}

impl AvailabilityDoc {
    pub fn parse(&self) -> Result<Availability, DomainError> {
        let mut weekly: HashMap<Weekday, Vec<_>> = HashMap::new();
        for w in &self.weekly {
            add_range(
                weekly.entry(weekday(&w.weekday)?).or_default(),
                &w.start,
                &w.end,
                &w.weekday,
            )?;
        }
        let mut overrides = BTreeMap::new();
        for o in &self.overrides {
            let date = NaiveDate::parse_from_str(&o.date, "%Y-%m-%d")
                .map_err(|_| bad(format!("{:?} is not a date like 2026-12-24", o.date)))?;
            if overrides.contains_key(&date) {
                return Err(bad(format!("{} is overridden twice", o.date)));
            }
            let mut ranges = Vec::new();
            for h in &o.hours {
                add_range(&mut ranges, &h.start, &h.end, &o.date)?;
            }
            overrides.insert(date, ranges);
        }
        if self.weekly.len() > 70 || self.overrides.len() > 400 {
            return Err(bad("too many entries"));
        }
        if self.buffer_before_minutes > 240 || self.buffer_after_minutes > 240 {
            return Err(bad("buffers are at most 240 minutes"));
        }
        if self.min_notice_minutes > 60 * 24 * 30 {
            return Err(bad("minimum notice is at most 30 days"));
        }
        if !(1..=365).contains(&self.booking_window_days) {
            return Err(bad("the booking window is 1 to 365 days"));
        }
        if matches!(self.max_per_day, Some(n) if !(1..=48).contains(&n)) {
            return Err(bad("the daily limit is 1 to 48 sessions"));
        }
        Ok(Availability {
            weekly,
            overrides,
            buffer_before: Duration::minutes(self.buffer_before_minutes.into()),
            buffer_after: Duration::minutes(self.buffer_after_minutes.into()),
            min_notice: Duration::minutes(self.min_notice_minutes.into()),
            booking_window: Duration::days(self.booking_window_days.into()),
            max_per_day: self.max_per_day,
        })
    }
}

impl Availability {
    /// The hours of `date`: its override if any, else its weekday's.
    pub fn hours_on(&self, date: NaiveDate) -> &[(NaiveTime, NaiveTime)] {
        use chrono::Datelike;
        self.overrides
            .get(&date)
            .or_else(|| self.weekly.get(&date.weekday()))
            .map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(weekly: &[(&str, &str, &str)]) -> AvailabilityDoc {
        AvailabilityDoc {
            weekly: weekly
                .iter()
                .map(|(d, s, e)| WeeklyHours {
                    weekday: (*d).into(),
                    start: (*s).into(),
                    end: (*e).into(),
                })
                .collect(),
            ..AvailabilityDoc::default()
        }
    }

    #[test]
    fn overlapping_reversed_and_malformed_hours_are_refused() {
        assert!(doc(&[("mon", "09:00", "12:00"), ("mon", "11:00", "13:00")])
            .parse()
            .is_err());
        assert!(doc(&[("mon", "12:00", "09:00")]).parse().is_err());
        assert!(doc(&[("monday", "09:00", "12:00")]).parse().is_err());
        assert!(doc(&[("mon", "9h", "12:00")]).parse().is_err());
        assert!(
            doc(&[("mon", "09:00", "12:00"), ("mon", "12:00", "13:00")])
                .parse()
                .is_ok(),
            "touching is fine"
        );
    }

    #[test]
    fn an_override_replaces_the_weekday() {
        let mut d = doc(&[("thu", "09:00", "12:00")]);
        d.overrides.push(DateOverride {
            date: "2026-12-24".into(),
            hours: vec![],
        });
        let a = d.parse().unwrap();
        assert!(a
            .hours_on(NaiveDate::from_ymd_opt(2026, 12, 24).unwrap())
            .is_empty());
        assert_eq!(
            a.hours_on(NaiveDate::from_ymd_opt(2026, 12, 17).unwrap())
                .len(),
            1
        );
    }
}
