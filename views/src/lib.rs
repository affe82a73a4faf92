//! Hromada's pages as views of contract types, written once: the web app mounts them in
//! the browser (feature `csr`), and the reference server renders them to HTML as the
//! first view of a page (feature `ssr`). Loading the data is each side's own business;
//! a view here takes what it shows as arguments.

#[cfg(feature = "ssr")]
pub mod first_view;
pub mod format;
pub mod frame;
pub mod news;
#[cfg(feature = "ssr")]
pub mod render;
pub mod routes;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
