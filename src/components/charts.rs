//! Bar charts in SVG with their tables, written once in the shared views.

pub use hromada_views::charts::*;
