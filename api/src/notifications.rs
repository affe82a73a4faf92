//! Notifications: what changed for the person, in their appeals, petitions and budget
//! projects.

use serde::{Deserialize, Serialize};

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    AppealRegistered,
    AppealAssigned,
    AppealNoFurtherStudy,
    AppealExtended,
    AppealReturned,
    AppealForwarded,
    AppealAnswered,
    AppealClosed,
    /// The author's petition was published: signing began.
    PetitionPublished,
    /// The author's petition was refused at moderation.
    PetitionRejected,
    /// A petition the person wrote or signed reached its number.
    PetitionReached,
    /// A petition the person wrote or signed was answered.
    PetitionAnswered,
    /// The author's petition ended without its number and became an appeal.
    PetitionNotSupported,
    /// The author's budget project was accepted for the ballot.
    ProjectAccepted,
    /// Staff asked the author to change the project.
    ProjectChangesRequested,
    /// The author's project was rejected at review.
    ProjectRejected,
    /// Staff changed the author's project's cost.
    ProjectCostChanged,
    /// Staff replied in the person's consultation.
    ConsultationAnswered,
}

/// A short reference to an appeal, for notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealRef {
    pub id: String,
    pub number: String,
    pub subject: String,
}

/// A short reference to a petition, for notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionRef {
    pub id: String,
    pub title: String,
}

/// A short reference to a participatory-budget project, for notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectRef {
    pub id: String,
    pub title: String,
}

/// A short reference to a consultation, for notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationRef {
    pub id: String,
    pub subject: String,
}

/// Something that changed for the person: `GET /me/notifications`. Exactly one of
/// `appeal`, `petition`, `project` and `consultation` says what it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    pub kind: NotificationKind,
    pub at: String,
    pub read: bool,
    #[serde(default)]
    pub appeal: Option<AppealRef>,
    #[serde(default)]
    pub petition: Option<PetitionRef>,
    #[serde(default)]
    pub project: Option<ProjectRef>,
    #[serde(default)]
    pub consultation: Option<ConsultationRef>,
}

/// `GET /me/notifications?cursor=`: newest first, with the unread count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    pub items: Vec<Notification>,
    pub next_cursor: Option<String>,
    pub unread: u32,
}
