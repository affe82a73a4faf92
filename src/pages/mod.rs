//! One folder per section of the app.

pub mod account;
pub mod appeals;
pub mod budget;
pub mod deferred;
pub mod home;
pub mod hromadas;
pub mod news;
pub mod not_found;
pub mod petitions;
pub mod polls;
pub mod services;
pub mod staff;
