//! Sign-up, sign-in, and the person's own account.

mod notifications;
mod outbox;
mod profile;
mod recovery;
mod settings;
mod sign_in;
mod sign_up;
pub mod unsubscribe;

pub use notifications::{NotificationsPage, kind_text};
pub use outbox::{Go, OutboxPage};
pub use profile::Profile;
pub use recovery::{ConfirmEmail, ForgotPassword, ResetPassword, new_password_errors};
pub use sign_in::SignIn;
pub use sign_up::SignUp;
pub use unsubscribe::UnsubscribePage;
