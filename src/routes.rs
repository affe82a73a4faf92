//! Every path of the app, written once in [`hromada_views::routes`] (the server's first
//! views build the same links).

pub use hromada_views::routes::*;
