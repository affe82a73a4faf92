//! Sign-in throttling: after too many failures within a window, refuse for a while.
//! Failures are stored in the database, so the rule holds across server processes.
//! Also the limit on accounts made from one client address, and the daily limit on
//! what one person submits (appeals, petitions, projects).

use crate::domain::clock;
use crate::error::{ApiError, ApiResult};

/// Failures allowed per email address within [`WINDOW_SECS`].
pub const EMAIL_LIMIT: i64 = 5;
/// Failures allowed per client address within [`WINDOW_SECS`].
pub const IP_LIMIT: i64 = 30;
/// The window, in seconds (15 minutes).
pub const WINDOW_SECS: i64 = 15 * 60;

/// Accounts one client address may create within [`SIGNUP_WINDOW_MS`]: a family or an
/// office behind one address signs up in turn; a script making accounts is stopped.
pub const SIGNUP_IP_LIMIT: i64 = 20;
/// The window of [`SIGNUP_IP_LIMIT`]: an hour.
pub const SIGNUP_WINDOW_MS: i64 = 60 * 60 * 1000;

/// Given the failures counted within the window and the time of the oldest of them,
/// returns `Some(seconds to wait)` when the limit is reached.
pub fn retry_after(
    failures: i64,
    oldest_epoch: Option<i64>,
    now_epoch: i64,
    limit: i64,
) -> Option<u64> {
    if failures < limit {
        return None;
    }
    let oldest = oldest_epoch.unwrap_or(now_epoch);
    let wait = (oldest + WINDOW_SECS - now_epoch).clamp(1, WINDOW_SECS);
    Some(wait as u64)
}

/// The earliest failure time still inside the window.
pub fn window_start(now_epoch: i64) -> i64 {
    now_epoch - WINDOW_SECS
}

/// 429 when a person submitted `limit` things (appeals, petitions, projects) within
/// `window_ms` before `now_ms`: `n` of them, the oldest at `oldest` (RFC 3339). The wait
/// is until the oldest leaves the window (at least a second, at most the window).
pub fn submissions(
    n: i64,
    oldest: Option<&str>,
    now_ms: i64,
    limit: i64,
    window_ms: i64,
) -> ApiResult<()> {
    if n < limit {
        return Ok(());
    }
    let oldest = oldest.and_then(clock::parse_rfc3339).unwrap_or(now_ms);
    let wait = ((oldest + window_ms - now_ms) / 1000).clamp(1, window_ms / 1000);
    Err(ApiError::TooManyRequests {
        retry_after: wait as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_until_the_limit() {
        assert_eq!(retry_after(4, Some(100), 200, EMAIL_LIMIT), None);
        assert_eq!(retry_after(5, Some(100), 200, EMAIL_LIMIT), Some(800));
    }

    #[test]
    fn wait_is_at_least_one_second_and_at_most_the_window() {
        assert_eq!(retry_after(5, Some(0), 10_000, EMAIL_LIMIT), Some(1));
        assert_eq!(retry_after(5, Some(10_000), 100, EMAIL_LIMIT), Some(900));
        assert_eq!(retry_after(30, None, 100, IP_LIMIT), Some(900));
        assert_eq!(window_start(1000), 100);
    }
}
