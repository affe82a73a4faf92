//! Hromada's pages as views of contract types, written once: the web app mounts them in
//! the browser (feature `csr`), and the reference server renders them to HTML as the
//! first view of a page (feature `ssr`). Loading the data is each side's own business;
//! a view here takes what it shows as arguments.

pub mod account;
pub mod appeals;
pub mod budget;
pub mod charts;
#[cfg(feature = "ssr")]
pub mod first_view;
pub mod form;
pub mod format;
pub mod frame;
pub mod hromada;
pub mod more;
pub mod news;
pub mod petitions;
pub mod polls;
pub mod preview;
#[cfg(feature = "ssr")]
pub mod render;
pub mod routes;
pub mod services;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
