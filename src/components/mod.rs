//! Widgets shared by the pages.

pub mod appeals;
pub mod budget;
pub mod charts;
pub mod email;
pub mod form;
pub mod hromada_search;
pub mod layout;
pub mod more;
pub mod news;
pub mod offline;
pub mod petitions;
pub mod photos;
pub mod push;
pub mod services;
pub mod states;
