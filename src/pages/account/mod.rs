//! Sign-up, sign-in, and the person's own account.

mod notifications;
mod outbox;
mod profile;
mod sign_in;
mod sign_up;

pub use notifications::NotificationsPage;
pub use outbox::{Go, OutboxPage};
pub use profile::Profile;
pub use sign_in::SignIn;
pub use sign_up::SignUp;
