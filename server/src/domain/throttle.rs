//! Sign-in throttling: after too many failures within a window, refuse for a while.
//! Failures are stored in the database, so the rule holds across server processes.

/// Failures allowed per email address within [`WINDOW_SECS`].
pub const EMAIL_LIMIT: i64 = 5;
/// Failures allowed per client address within [`WINDOW_SECS`].
pub const IP_LIMIT: i64 = 30;
/// The window, in seconds (15 minutes).
pub const WINDOW_SECS: i64 = 15 * 60;

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
