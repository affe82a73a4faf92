//! Widgets of petitions, written once in the shared views: labels of statuses and
//! decisions, the progress toward the number of signatures, and a card of a list.

pub use hromada_views::petitions::{
    PetitionCard, Progress, decision_label, status_label, when_text,
};
