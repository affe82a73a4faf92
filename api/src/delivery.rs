//! Reaching a person when the app is closed: Web Push devices, urgent-alert
//! subscriptions, what each kind of notification is sent by, getting an account back,
//! confirming an email address, and the record of what was sent.

use serde::{Deserialize, Serialize};

use crate::notifications::NotificationKind;

/// `GET /push/key`: the server's VAPID public key, the `applicationServerKey` a browser
/// subscribes with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushKey {
    /// The uncompressed P-256 point, base64url without padding.
    pub public_key: String,
}

/// The `keys` of a browser's `PushSubscription.toJSON()`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushKeys {
    /// The device's P-256 public key, base64url.
    pub p256dh: String,
    /// The 16-byte authentication secret, base64url.
    pub auth: String,
}

/// A browser's `PushSubscription.toJSON()`, as `POST /me/push-subscriptions` and
/// `POST /hromadas/{katottg}/alert-subscriptions` take it. Two optional fields of
/// Hromada's own may come with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSubscriptionJson {
    /// The push service's URL for this device. Only `https` URLs of the known push
    /// services are accepted (and origins the server's operator adds).
    pub endpoint: String,
    /// When the browser says the subscription ends, in milliseconds since the epoch.
    #[serde(
        rename = "expirationTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub expiration_time: Option<i64>,
    pub keys: PushKeys,
    /// The language pushes to this device are written in (`uk` or `en`); a signed-in
    /// person's device follows the person's profile instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Alert subscriptions only: also the alerts "for your information", not only
    /// warnings and danger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<bool>,
}

/// A device that receives pushes: `GET /me/push-subscriptions`, and the answer to
/// registering one (on either path).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushDevice {
    pub id: String,
    /// The push service's host (`fcm.googleapis.com`, …), to tell devices apart.
    pub service: String,
    pub created_at: String,
    /// The hromadas whose urgent alerts this device gets.
    #[serde(default)]
    pub alerts: Vec<crate::HromadaRef>,
}

/// `DELETE /hromadas/{katottg}/alert-subscriptions`: which device stops getting the
/// hromada's alerts. Knowing the endpoint is what proves it is yours.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertUnsubscribe {
    pub endpoint: String,
}

/// What a notification setting is about. Each [`NotificationKind`] belongs to one topic;
/// the staff's topics tell about new work waiting in their hromada.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// The person's own appeals.
    Appeals,
    /// Petitions the person wrote.
    Petitions,
    /// Petitions the person signed.
    SignedPetitions,
    /// The person's participatory-budget projects.
    Projects,
    /// The person's consultations.
    Consultations,
    /// Staff: a new appeal waits in their hromada.
    StaffAppeals,
    /// Staff: a new consultation waits in their hromada.
    StaffConsultations,
    /// Staff: a new petition waits for moderation in their hromada.
    StaffPetitions,
}

impl Topic {
    /// Every topic, in the order the settings show them.
    pub const ALL: [Topic; 8] = [
        Topic::Appeals,
        Topic::Petitions,
        Topic::SignedPetitions,
        Topic::Projects,
        Topic::Consultations,
        Topic::StaffAppeals,
        Topic::StaffConsultations,
        Topic::StaffPetitions,
    ];

    /// Its stable code, as stored and as the unsubscribe link names it.
    pub fn code(self) -> &'static str {
        match self {
            Topic::Appeals => "appeals",
            Topic::Petitions => "petitions",
            Topic::SignedPetitions => "signed_petitions",
            Topic::Projects => "projects",
            Topic::Consultations => "consultations",
            Topic::StaffAppeals => "staff_appeals",
            Topic::StaffConsultations => "staff_consultations",
            Topic::StaffPetitions => "staff_petitions",
        }
    }

    /// The topic with this code.
    pub fn from_code(code: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Whether only staff have it.
    pub fn is_staff(self) -> bool {
        matches!(
            self,
            Topic::StaffAppeals | Topic::StaffConsultations | Topic::StaffPetitions
        )
    }

    /// The channels a person has for this topic before changing anything: the app and
    /// push for everything of their own, and email at once for their own appeals,
    /// consultations, petitions and projects. Staff topics are email only, off.
    pub fn default_setting(self) -> TopicSetting {
        let own_email = matches!(
            self,
            Topic::Appeals | Topic::Petitions | Topic::Projects | Topic::Consultations
        );
        TopicSetting {
            topic: self,
            in_app: !self.is_staff(),
            push: !self.is_staff(),
            email: own_email,
        }
    }
}

/// Which topic a notification of this kind belongs to, for its author; `signer` says the
/// person receives it as a signer of someone else's petition.
pub fn topic_of(kind: NotificationKind, signer: bool) -> Topic {
    use NotificationKind as K;
    match kind {
        K::AppealRegistered
        | K::AppealAssigned
        | K::AppealNoFurtherStudy
        | K::AppealExtended
        | K::AppealReturned
        | K::AppealForwarded
        | K::AppealAnswered
        | K::AppealClosed => Topic::Appeals,
        K::PetitionReached | K::PetitionAnswered if signer => Topic::SignedPetitions,
        K::PetitionPublished
        | K::PetitionRejected
        | K::PetitionReached
        | K::PetitionAnswered
        | K::PetitionNotSupported => Topic::Petitions,
        K::ProjectAccepted
        | K::ProjectChangesRequested
        | K::ProjectRejected
        | K::ProjectCostChanged => Topic::Projects,
        K::ConsultationAnswered => Topic::Consultations,
    }
}

/// Whether the law makes this kind go by email whatever the settings say: the official
/// answer to an appeal (Article 5) and the decision on a petition (Article 23-1).
pub fn email_required(kind: NotificationKind) -> bool {
    matches!(
        kind,
        NotificationKind::AppealAnswered | NotificationKind::PetitionAnswered
    )
}

/// The channels of one topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicSetting {
    pub topic: Topic,
    /// In the app's list (the bell).
    pub in_app: bool,
    /// On the person's devices.
    pub push: bool,
    /// By email, at the person's frequency.
    pub email: bool,
}

/// How often email that can be switched off is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EmailFrequency {
    /// Each message as it happens.
    #[default]
    Immediately,
    /// One digest a day, at [`DIGEST_HOUR_KYIV`] Kyiv time.
    Daily,
    /// None (the law's messages still go).
    Never,
}

/// The hour (Kyiv time) the daily digest goes out.
pub const DIGEST_HOUR_KYIV: u32 = 8;

/// `GET` and `PUT /me/notification-settings`. A `PUT` may leave topics out (they keep
/// their setting); staff topics are shown to staff only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings {
    pub topics: Vec<TopicSetting>,
    pub email_frequency: EmailFrequency,
}

/// `POST /auth/password-reset`: the address of the account. The answer is 202 with
/// [`Accepted`] whether or not an account has it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// `POST /auth/password-reset/confirm`: the token from the emailed link and the new
/// password (the rules of sign-up).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordResetConfirm {
    pub token: String,
    pub password: String,
}

/// `POST /auth/email-confirmation`: the token from the emailed link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailConfirm {
    pub token: String,
}

/// The answer of requests that send an email and tell nothing more (202).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    pub accepted: bool,
}

/// `GET /unsubscribe/{token}` (API): what the link switches off, for the page that
/// asks to confirm. `POST` switches it off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unsubscribe {
    /// The topic whose email stops; `None`: the daily digest (the frequency becomes
    /// "never").
    pub topic: Option<Topic>,
    /// The address, partly hidden (`o***@example.org`).
    pub email: String,
    /// Whether that email is already off.
    pub done: bool,
}

/// How a message went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Push,
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting, or being retried.
    Pending,
    /// Accepted by the mail server or push service.
    Sent,
    /// Given up: refused for good, or too many failures.
    Failed,
}

/// One message sent about an appeal: `GET /appeals/{id}/deliveries` (its author and
/// the hromada's staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub channel: Channel,
    pub kind: NotificationKind,
    /// The email address it went to (push: the push service's host).
    pub to: String,
    pub state: DeliveryState,
    pub created_at: String,
    #[serde(default)]
    pub sent_at: Option<String>,
    /// Why it failed, when it did.
    #[serde(default)]
    pub error: Option<String>,
}

/// A push message's JSON payload, as the service worker reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushPayload {
    pub title: String,
    pub body: String,
    /// The app's path to open on a tap (`/appeals/…`).
    pub url: String,
    /// Replaces an earlier notification with the same tag.
    pub tag: String,
}
