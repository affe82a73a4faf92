//! Working days in Kyiv: Monday to Friday (under martial law public holidays are not days
//! off). Terms counted in working days end at midnight, Kyiv time, after their last day.
//! Times are milliseconds since the epoch.

use crate::time::{civil_from_days, days_from_civil};

const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;

/// Kyiv's offset from UTC at `utc_ms`, in milliseconds: +3 h from the last Sunday of March
/// 01:00 UTC to the last Sunday of October 01:00 UTC, +2 h otherwise.
pub fn kyiv_offset(utc_ms: i64) -> i64 {
    let (year, _, _) = civil_from_days(utc_ms.div_euclid(DAY_MS));
    let start = last_sunday(year, 3) * DAY_MS + HOUR_MS;
    let end = last_sunday(year, 10) * DAY_MS + HOUR_MS;
    if (start..end).contains(&utc_ms) {
        3 * HOUR_MS
    } else {
        2 * HOUR_MS
    }
}

/// The day (days since 1970-01-01) of the last Sunday of `month` (March or October: 31 days).
fn last_sunday(year: i64, month: u32) -> i64 {
    let last = days_from_civil(year, month, 31);
    last - weekday(last)
}

/// 0 = Sunday … 6 = Saturday, for a day counted from 1970-01-01 (a Thursday).
pub fn weekday(day: i64) -> i64 {
    (day + 4).rem_euclid(7)
}

/// Whether a day (days since 1970-01-01) is a working day.
pub fn is_working_day(day: i64) -> bool {
    !matches!(weekday(day), 0 | 6)
}

/// The Kyiv calendar day of an instant, as days since 1970-01-01.
pub fn kyiv_day(utc_ms: i64) -> i64 {
    (utc_ms + kyiv_offset(utc_ms)).div_euclid(DAY_MS)
}

/// Midnight at the start of a Kyiv calendar day, as an instant.
pub fn kyiv_midnight(day: i64) -> i64 {
    let guess = day * DAY_MS - 2 * HOUR_MS;
    // The offset at that moment decides; one correction settles it.
    day * DAY_MS - kyiv_offset(guess)
}

/// The end of a term of `n` working days that starts the day after `from`: midnight, Kyiv
/// time, after the `n`-th working day. With `n` = 0, the end of the day of `from`.
pub fn add_working_days(from: i64, n: u32) -> i64 {
    let mut day = kyiv_day(from);
    let mut left = n;
    while left > 0 {
        day += 1;
        if is_working_day(day) {
            left -= 1;
        }
    }
    kyiv_midnight(day + 1)
}

/// Whole working days that have begun since `from` up to `now` (the day of `from` not
/// counted): how long something has waited, as the law counts.
pub fn working_days_since(from: i64, now: i64) -> u32 {
    let (start, end) = (kyiv_day(from), kyiv_day(now));
    ((start + 1)..=end)
        .filter(|d| is_working_day(*d))
        .count()
        .try_into()
        .unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{parse_rfc3339, rfc3339};

    fn t(s: &str) -> i64 {
        parse_rfc3339(s).unwrap()
    }

    #[test]
    fn kyiv_is_two_or_three_hours_ahead() {
        assert_eq!(kyiv_offset(t("2026-01-15T12:00:00Z")), 2 * HOUR_MS);
        assert_eq!(kyiv_offset(t("2026-07-15T12:00:00Z")), 3 * HOUR_MS);
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(kyiv_offset(t("2026-03-29T00:59:59Z")), 2 * HOUR_MS);
        assert_eq!(kyiv_offset(t("2026-03-29T01:00:00Z")), 3 * HOUR_MS);
        assert_eq!(kyiv_offset(t("2026-10-25T00:59:59Z")), 3 * HOUR_MS);
        assert_eq!(kyiv_offset(t("2026-10-25T01:00:00Z")), 2 * HOUR_MS);
    }

    #[test]
    fn weekdays_are_right() {
        // 23 November 2026 is a Monday.
        let monday = kyiv_day(t("2026-11-23T10:00:00Z"));
        assert_eq!(weekday(monday), 1);
        assert!(is_working_day(monday));
        assert!(!is_working_day(monday + 5) && !is_working_day(monday + 6));
        // Late on Friday in UTC is already Saturday in Kyiv.
        let sat = kyiv_day(t("2026-11-27T22:30:00Z"));
        assert_eq!(weekday(sat), 6);
    }

    #[test]
    fn terms_skip_weekends_and_end_at_kyiv_midnight() {
        // Submitted on Thursday: two working days are Friday and Monday; due by the end of
        // Monday, Kyiv time (22:00 UTC in winter).
        assert_eq!(
            rfc3339(add_working_days(t("2026-11-26T09:00:00Z"), 2)),
            "2026-11-30T22:00:00.000Z"
        );
        // Submitted on Saturday: Monday and Tuesday.
        assert_eq!(
            rfc3339(add_working_days(t("2026-11-28T09:00:00Z"), 2)),
            "2026-12-01T22:00:00.000Z"
        );
        // Ten working days from Monday 23 November: due by the end of Monday 7 December.
        assert_eq!(
            rfc3339(add_working_days(t("2026-11-23T09:00:00Z"), 10)),
            "2026-12-07T22:00:00.000Z"
        );
        // In summer Kyiv midnight is 21:00 UTC.
        assert_eq!(
            rfc3339(add_working_days(t("2026-07-01T09:00:00Z"), 1)),
            "2026-07-02T21:00:00.000Z"
        );
        assert_eq!(
            rfc3339(add_working_days(t("2026-11-23T09:00:00Z"), 0)),
            "2026-11-23T22:00:00.000Z"
        );
    }

    #[test]
    fn waiting_counts_working_days_begun() {
        let thu = t("2026-11-26T09:00:00Z");
        assert_eq!(working_days_since(thu, t("2026-11-26T20:00:00Z")), 0);
        assert_eq!(working_days_since(thu, t("2026-11-27T08:00:00Z")), 1);
        assert_eq!(working_days_since(thu, t("2026-11-29T08:00:00Z")), 1);
        assert_eq!(working_days_since(thu, t("2026-11-30T08:00:00Z")), 2);
    }
}
