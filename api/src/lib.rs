//! The Hromada JSON contract.
//!
//! Every type the web app and the reference server exchange lives here, so both sides
//! compile against one definition. The same rules are written down for other backends in
//! `api/openapi.yaml`; a server test keeps that document and the server's routes in step.
//!
//! Conventions (see the README): paths under [`API_PREFIX`], times in RFC 3339 UTC,
//! cursor pages ([`Page`]), errors as RFC 9457 problem details ([`Problem`]).

pub mod appeals;
pub mod budget;
pub mod delivery;
pub mod nav;
pub mod news;
pub mod notifications;
pub mod petitions;
pub mod polls;
pub mod search;
pub mod services;
pub mod text;
pub mod time;
pub mod translit;
pub mod validate;
pub mod workdays;

use serde::{Deserialize, Serialize};

/// Every path of the contract starts with this.
pub const API_PREFIX: &str = "/api/v1";

/// The header that makes a creating POST safe to retry.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// The custom header the app sends with every state-changing request (CSRF defence).
pub const CLIENT_HEADER: &str = "X-Hromada-Client";

/// The media type of error responses.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One page of a list. `next_cursor` is opaque; pass it back as `?cursor=` for the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// An RFC 9457 problem document, as every error response carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// A URI reference naming the kind of problem; `about:blank` when only the status matters.
    #[serde(rename = "type", default = "about_blank")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// One entry per invalid field of the request body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}

/// What is wrong with one field. `code` is stable and machine-readable; clients translate
/// it, `message` is an English explanation for people reading raw responses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: ErrorCode,
    pub message: String,
}

/// The stable codes of field errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Required,
    TooShort,
    TooLong,
    Invalid,
    CommonPassword,
    Taken,
    UnknownHromada,
    WrongPassword,
    /// The upload is not a JPEG, PNG or WebP image.
    NotAnImage,
    /// The upload is over its size limit.
    TooLarge,
    /// An end (expiry) that is not after the start.
    BeforeStart,
    /// More items than allowed (a sixth photo).
    TooMany,
    /// A PDF was expected (or a JPEG, PNG or WebP image) and something else came.
    NotAFile,
    /// The chosen projects together cost more than the budget.
    OverBudget,
    /// Two chosen projects in one category where one is allowed.
    SameCategory,
}

impl ErrorCode {
    /// An English explanation, used in problem documents.
    pub fn message(self) -> &'static str {
        match self {
            Self::Required => "This field is required.",
            Self::TooShort => "This value is too short.",
            Self::TooLong => "This value is too long.",
            Self::Invalid => "This value is not valid.",
            Self::CommonPassword => "This password is among the most common ones; choose another.",
            Self::Taken => "An account with this email already exists.",
            Self::UnknownHromada => "No hromada has this code.",
            Self::WrongPassword => "The current password is not right.",
            Self::NotAnImage => "Upload a JPEG, PNG or WebP image.",
            Self::TooLarge => "The file is too large.",
            Self::BeforeStart => "The end must be after the start.",
            Self::TooMany => "Too many items.",
            Self::NotAFile => "Upload a PDF file or a JPEG, PNG or WebP image.",
            Self::OverBudget => "The chosen projects cost more than the budget.",
            Self::SameCategory => "Choose at most one project in each category.",
        }
    }
}

impl FieldError {
    /// A field error with the code's standard English message.
    pub fn new(field: &str, code: ErrorCode) -> Self {
        Self {
            field: field.to_owned(),
            code,
            message: code.message().to_owned(),
        }
    }
}

/// `GET /health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
    pub database: String,
}

/// A hromada as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HromadaSummary {
    /// The KATOTTG code, the public id of a community.
    pub katottg: String,
    pub name: String,
    /// Empty for Kyiv and Sevastopol.
    pub raion: String,
    pub oblast: String,
}

/// A hromada with its settings: `GET /hromadas/{katottg}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hromada {
    pub katottg: String,
    pub name: String,
    pub raion: String,
    pub oblast: String,
    pub oblast_katottg: String,
    /// Number of settlements (cities, towns, villages).
    pub settlements: u32,
    /// How many of the settlements are cities.
    pub cities: u32,
    pub settings: HromadaSettings,
}

/// What each hromada decides for itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HromadaSettings {
    /// Signatures a local petition needs (Art. 23-1 of the Law on citizens' appeals).
    pub petition_signatures: u32,
    /// Days a local petition collects signatures.
    pub petition_days: u32,
    /// Whether only verified residents may sign petitions.
    #[serde(default = "yes")]
    pub petition_verified_only: bool,
}

fn yes() -> bool {
    true
}

impl Default for HromadaSettings {
    /// A new hromada starts at 250 signatures in 60 days until its staff change it.
    fn default() -> Self {
        Self {
            petition_signatures: 250,
            petition_days: 60,
            petition_verified_only: true,
        }
    }
}

/// `POST /auth/register`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRequest {
    pub email: String,
    pub password: String,
    pub full_name: String,
    /// KATOTTG code of the person's hromada.
    pub hromada: String,
    /// Address of residence, as the law requires for appeals.
    pub address: String,
}

/// `POST /auth/login`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// Where a resident stands with verification of residence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Never asked.
    None,
    /// Asked; staff have not decided yet.
    Pending,
    /// Staff confirmed the residence.
    Verified,
    /// Staff refused; the person may ask again.
    Refused,
}

/// The highest role a person holds, for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    VerifiedResident,
    Staff,
    Admin,
}

/// A short reference to a hromada.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HromadaRef {
    pub katottg: String,
    pub name: String,
}

/// The signed-in person: `GET /me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub address: String,
    pub hromada: HromadaRef,
    pub verification: Verification,
    /// Why staff refused verification, when they did.
    #[serde(default)]
    pub verification_note: Option<String>,
    /// The hromadas this person is staff of.
    pub staff_of: Vec<HromadaRef>,
    pub admin: bool,
    pub created_at: String,
    /// The language of the person's emails and pushes (`uk` or `en`).
    #[serde(default = "default_language")]
    pub language: String,
    /// Whether the person has confirmed the address by the emailed link.
    #[serde(default)]
    pub email_confirmed: bool,
    /// Whether mail to the address bounced for good: the person should correct it.
    #[serde(default)]
    pub email_failing: bool,
    /// A new address waiting for its confirmation before it replaces `email`.
    #[serde(default)]
    pub pending_email: Option<String>,
}

fn default_language() -> String {
    "uk".to_owned()
}

impl Me {
    /// The highest role, as the header shows it.
    pub fn role(&self) -> Role {
        if self.admin {
            Role::Admin
        } else if !self.staff_of.is_empty() {
            Role::Staff
        } else if self.verification == Verification::Verified {
            Role::VerifiedResident
        } else {
            Role::Resident
        }
    }

    /// Whether this person is staff of the hromada with this code.
    pub fn is_staff_of(&self, katottg: &str) -> bool {
        self.staff_of.iter().any(|h| h.katottg == katottg)
    }
}

/// `PATCH /me`: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Moving to another hromada resets verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hromada: Option<String>,
    /// `uk` or `en`: the language of emails and pushes (the app's switch sets it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// A new address: it replaces the old one once confirmed by the link sent to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// `POST /me/password`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

/// A resident waiting for staff to confirm residence:
/// `GET /hromadas/{katottg}/verifications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationRequest {
    pub user_id: String,
    pub full_name: String,
    pub email: String,
    pub address: String,
    pub requested_at: String,
}

/// Staff's decision: `POST /hromadas/{katottg}/verifications/{user_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationDecision {
    pub verify: bool,
    /// Why, when refusing; shown to the person.
    #[serde(default)]
    pub note: Option<String>,
}

/// An account as an administrator sees it: `GET /admin/users?q=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUser {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub hromada: HromadaRef,
    pub verification: Verification,
    pub staff_of: Vec<HromadaRef>,
    pub admin: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_round_trips_with_type_field() {
        let p = Problem {
            kind: "about:blank".into(),
            title: "Bad".into(),
            status: 422,
            detail: None,
            errors: vec![FieldError::new("email", ErrorCode::Invalid)],
        };
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["type"], "about:blank");
        assert_eq!(json["errors"][0]["code"], "invalid");
        let back: Problem = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn problem_without_type_defaults_to_about_blank() {
        let p: Problem = serde_json::from_str(r#"{"title":"x","status":404}"#).unwrap();
        assert_eq!(p.kind, "about:blank");
        assert!(p.errors.is_empty());
    }

    #[test]
    fn role_is_the_highest_held() {
        let mut me = Me {
            id: "1".into(),
            email: "a@b.c".into(),
            full_name: "A".into(),
            address: "x".into(),
            hromada: HromadaRef {
                katottg: "UA1".into(),
                name: "X".into(),
            },
            verification: Verification::None,
            verification_note: None,
            staff_of: vec![],
            admin: false,
            created_at: "2026-01-01T00:00:00Z".into(),
            language: "uk".into(),
            email_confirmed: true,
            email_failing: false,
            pending_email: None,
        };
        assert_eq!(me.role(), Role::Resident);
        me.verification = Verification::Verified;
        assert_eq!(me.role(), Role::VerifiedResident);
        me.staff_of.push(me.hromada.clone());
        assert_eq!(me.role(), Role::Staff);
        assert!(me.is_staff_of("UA1"));
        assert!(!me.is_staff_of("UA2"));
        me.admin = true;
        assert_eq!(me.role(), Role::Admin);
    }

    #[test]
    fn default_settings_follow_the_brief() {
        let s = HromadaSettings::default();
        assert_eq!((s.petition_signatures, s.petition_days), (250, 60));
    }
}
