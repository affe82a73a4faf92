//! The rules of the service, independent of HTTP: who may do what, what is valid,
//! and how accounts, sessions and verification behave. SQL stays in [`crate::db`].

pub mod accounts;
pub mod admin;
pub mod alerts;
pub mod appeals;
pub mod budget;
pub mod clock;
pub mod csp;
pub mod cursor;
pub mod delivery;
pub mod devices;
pub mod hromadas;
pub mod idempotency;
pub mod ids;
pub mod live;
pub mod markdown;
pub mod media;
pub mod messages;
pub mod news;
pub mod notifications;
pub mod paging;
pub mod password;
pub mod petitions;
pub mod polls;
pub mod push_endpoint;
pub mod recovery;
pub mod scheduler;
pub mod search;
pub mod secrets;
pub mod services;
pub mod throttle;
pub mod verification;
