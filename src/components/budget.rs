//! Widgets of the participatory budget, written once in the shared views (labels, the
//! phases of a cycle, a project's card), and what the app adds: amounts' errors.

use crate::i18n::*;
use leptos_i18n::I18nContext;

pub use hromada_views::budget::{
    CycleCard, PhaseSteps, ProjectCard, category_label, phase_label, project_status_label,
    rule_text,
};

/// What is wrong with an amount, for a person.
pub fn amount_error(i18n: I18nContext<Locale>, code: hromada_api::ErrorCode) -> String {
    use hromada_api::ErrorCode;
    match code {
        ErrorCode::Invalid => t_string!(i18n, budget.amount_invalid).to_string(),
        ErrorCode::TooLarge => t_string!(i18n, budget.amount_too_large).to_string(),
        other => crate::components::form::code_text(i18n, other),
    }
}
