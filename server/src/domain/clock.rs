//! Time as the server stores it: seconds since the epoch for arithmetic, fixed-width
//! RFC 3339 UTC text (`YYYY-MM-DDTHH:MM:SS.mmmZ`) for storage and the API, so text order
//! is time order on every database.

use std::time::{SystemTime, UNIX_EPOCH};

pub use hromada_api::time::{parse_rfc3339, rfc3339};

/// Milliseconds since the Unix epoch, now.
pub fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Seconds since the Unix epoch, now.
pub fn now_epoch() -> i64 {
    now_millis().div_euclid(1000)
}

/// Now, as fixed-width RFC 3339 UTC text.
pub fn now_rfc3339() -> String {
    rfc3339(now_millis())
}
