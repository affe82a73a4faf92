//! What the staff of a hromada and the administrators do.

mod admin;
mod verifications;

pub use admin::Admin;
pub use verifications::StaffDesk;
