//! Form plumbing, written once in the shared views (field errors beside their fields, a
//! form-level alert, the busy flag), and how the app's errors fill it.

use crate::api::ApiError;
use crate::components::states::error_text;
use crate::i18n::*;
use hromada_api::FieldError;
use leptos_i18n::I18nContext;

pub use hromada_views::form::{FormError, FormMessages, FormState, TextField, code_text};

impl FormError for ApiError {
    fn field_errors(&self) -> &[FieldError] {
        ApiError::field_errors(self)
    }

    fn is_queued(&self) -> bool {
        matches!(self, ApiError::Queued(_))
    }

    fn text(&self, i18n: I18nContext<Locale>) -> String {
        error_text(i18n, self)
    }
}
