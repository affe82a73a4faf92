//! Local electronic petitions (Article 23-1 of the Law of Ukraine "On citizens' appeals"
//! and the hromada's statute): moderation, signatures, consideration and the answer.
//!
//! [`terms`] holds the legal terms in working days (see [`crate::workdays`]); [`rules`]
//! says who may sign and which step is allowed when. The server enforces them; the app
//! uses them to show what a person can do.

use serde::{Deserialize, Serialize};

use crate::{ErrorCode, FieldError, validate};

/// Longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// Shortest title, in characters.
pub const TITLE_MIN: usize = 5;
/// Longest text, in characters.
pub const TEXT_MAX: usize = 10_000;
/// Shortest text, in characters.
pub const TEXT_MIN: usize = 20;
/// Longest official answer, in characters.
pub const ANSWER_MAX: usize = 20_000;
/// Longest reason of a rejection, in characters.
pub const REASON_MAX: usize = 1_000;
/// Bounds of the number of signatures a hromada may require.
pub const SIGNATURES_RANGE: (u32, u32) = (10, 100_000);
/// Bounds of the collection period a hromada may set, in days.
pub const DAYS_RANGE: (u32, u32) = (7, 365);

/// Where a petition stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PetitionStatus {
    /// Submitted; staff publish or reject it within 2 working days. Only its author and
    /// staff see it.
    Moderation,
    /// Published: collecting signatures until `ends_at`.
    Collecting,
    /// Reached its number: the answer is due within 10 working days.
    Consideration,
    /// Answered, with a decision.
    Answered,
    /// The period ended without the number; handled as an ordinary appeal.
    NotSupported,
    /// Refused at moderation, with a reason.
    Rejected,
}

impl PetitionStatus {
    /// The statuses the public tabs show, in order.
    pub const TABS: [PetitionStatus; 5] = [
        Self::Collecting,
        Self::Consideration,
        Self::Answered,
        Self::NotSupported,
        Self::Rejected,
    ];

    /// The code used in URLs and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Moderation => "moderation",
            Self::Collecting => "collecting",
            Self::Consideration => "consideration",
            Self::Answered => "answered",
            Self::NotSupported => "not_supported",
            Self::Rejected => "rejected",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Moderation]
            .into_iter()
            .chain(Self::TABS)
            .find(|s| s.code() == code)
    }
}

/// The council's decision on a petition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Supported,
    PartlySupported,
    NotSupported,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Self::Supported, Self::PartlySupported, Self::NotSupported];

    /// The code used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Supported => "supported",
            Self::PartlySupported => "partly_supported",
            Self::NotSupported => "not_supported",
        }
    }
}

/// The order of a list of petitions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PetitionSort {
    #[default]
    Newest,
    MostSigned,
    EndingSoon,
}

impl PetitionSort {
    pub const ALL: [PetitionSort; 3] = [Self::Newest, Self::MostSigned, Self::EndingSoon];

    /// The code used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::MostSigned => "most_signed",
            Self::EndingSoon => "ending_soon",
        }
    }

    /// The order with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A petition as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionSummary {
    pub id: String,
    pub katottg: String,
    pub title: String,
    pub author_name: String,
    pub status: PetitionStatus,
    /// Signatures given so far (the author's included).
    pub signatures: u32,
    /// Signatures needed, as the hromada's setting was when the petition was published.
    pub needed: u32,
    pub submitted_at: String,
    /// When signing began (publication); `None` in moderation or when rejected.
    #[serde(default)]
    pub published_at: Option<String>,
    /// When signing ends.
    #[serde(default)]
    pub ends_at: Option<String>,
    /// When the decision is due: moderation (2 working days from submission) or
    /// consideration (10 working days from reaching the number).
    #[serde(default)]
    pub due_at: Option<String>,
    #[serde(default)]
    pub decision: Option<Decision>,
}

/// The council's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionAnswer {
    pub decision: Decision,
    pub text: String,
    pub at: String,
    /// The staff member who published it.
    pub by: String,
}

/// A whole petition: `GET /petitions/{id}`. One in moderation is seen only by its author
/// and the hromada's staff (404 for anyone else); a rejected one is public, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petition {
    #[serde(flatten)]
    pub summary: PetitionSummary,
    pub text: String,
    /// The author's email, which the law requires a petition to show.
    pub author_email: String,
    #[serde(default)]
    pub answer: Option<PetitionAnswer>,
    /// Why moderation refused it.
    #[serde(default)]
    pub rejection_reason: Option<String>,
    /// The appeal it became when its period ended without the number.
    #[serde(default)]
    pub appeal_id: Option<String>,
    /// Whether the reader signed it.
    #[serde(default)]
    pub signed: bool,
    /// Whether the reader wrote it.
    #[serde(default)]
    pub mine: bool,
}

/// One signer in the public list: `GET /petitions/{id}/signatures` (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub full_name: String,
    pub at: String,
}

/// The result of signing: `POST /petitions/{id}/signatures` (201; 409 if already signed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    pub signatures: u32,
    pub status: PetitionStatus,
}

/// What a resident writes: `POST /hromadas/{katottg}/petitions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPetition {
    pub title: String,
    pub text: String,
}

/// Staff's moderation: `POST /petitions/{id}/moderation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Moderation {
    /// Signing starts now.
    Publish,
    Reject {
        reason: String,
    },
}

/// Staff publish the answer: `POST /petitions/{id}/answer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerDraft {
    pub decision: Decision,
    pub text: String,
}

/// The hromada's petition rules: `PUT /hromadas/{katottg}/petition-settings` (staff or
/// an administrator); read with the hromada (`Hromada.settings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionSettings {
    pub signatures: u32,
    pub days: u32,
    pub verified_only: bool,
}

/// The legal terms, in working days.
pub mod terms {
    use crate::workdays;

    /// Staff publish or reject within this many working days of submission.
    pub const MODERATION_DAYS: u32 = 2;
    /// The answer is due within this many working days of reaching the number.
    pub const CONSIDERATION_DAYS: u32 = 10;

    /// When moderation is due for a petition submitted at `submitted`.
    pub fn moderation_due(submitted: i64) -> i64 {
        workdays::add_working_days(submitted, MODERATION_DAYS)
    }

    /// When the answer is due for a petition that reached its number at `reached`.
    pub fn answer_due(reached: i64) -> i64 {
        workdays::add_working_days(reached, CONSIDERATION_DAYS)
    }

    /// When signing ends: `days` calendar days after publication.
    pub fn ends(published: i64, days: u32) -> i64 {
        published + i64::from(days) * 86_400_000
    }
}

/// Who may do what, and why not.
pub mod rules {
    use super::PetitionStatus;

    /// Why someone cannot sign.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum CannotSign {
        /// Not signed in: sign in (or sign up) and come back.
        SignIn,
        /// The hromada accepts only verified residents: ask for verification.
        Verify,
        /// A resident of another hromada.
        OtherHromada,
        /// Already signed.
        Signed,
        /// Not collecting signatures (in moderation, or closed).
        NotCollecting,
    }

    /// What the rules need to know about the reader.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Reader {
        pub signed_in: bool,
        pub verified: bool,
        /// A resident of the petition's hromada.
        pub resident: bool,
    }

    /// Whether `reader` may sign now; the first obstacle otherwise.
    pub fn can_sign(
        status: PetitionStatus,
        verified_only: bool,
        reader: Reader,
        signed: bool,
    ) -> Result<(), CannotSign> {
        if status != PetitionStatus::Collecting {
            return Err(CannotSign::NotCollecting);
        }
        if !reader.signed_in {
            return Err(CannotSign::SignIn);
        }
        if signed {
            return Err(CannotSign::Signed);
        }
        if !reader.resident {
            return Err(CannotSign::OtherHromada);
        }
        if verified_only && !reader.verified {
            return Err(CannotSign::Verify);
        }
        Ok(())
    }

    /// The progress toward the number, in whole per cent (at most 100).
    pub fn progress_percent(signatures: u32, needed: u32) -> u32 {
        if needed == 0 {
            return 100;
        }
        (u64::from(signatures) * 100 / u64::from(needed)).min(100) as u32
    }
}

/// All problems of a new petition.
pub fn validate_new(p: &NewPetition) -> Vec<FieldError> {
    let mut out = Vec::new();
    validate::text("title", &p.title, TITLE_MIN, TITLE_MAX, &mut out);
    validate::multiline("text", &p.text, TEXT_MIN, TEXT_MAX, &mut out);
    out
}

/// All problems of a moderation decision.
pub fn validate_moderation(m: &Moderation) -> Vec<FieldError> {
    let mut out = Vec::new();
    if let Moderation::Reject { reason } = m {
        validate::multiline("reason", reason, 1, REASON_MAX, &mut out);
    }
    out
}

/// All problems of an answer.
pub fn validate_answer(a: &AnswerDraft) -> Vec<FieldError> {
    let mut out = Vec::new();
    validate::multiline("text", &a.text, 1, ANSWER_MAX, &mut out);
    out
}

/// All problems of the hromada's settings.
pub fn validate_settings(s: &PetitionSettings) -> Vec<FieldError> {
    let mut out = Vec::new();
    if !(SIGNATURES_RANGE.0..=SIGNATURES_RANGE.1).contains(&s.signatures) {
        out.push(FieldError::new("signatures", ErrorCode::Invalid));
    }
    if !(DAYS_RANGE.0..=DAYS_RANGE.1).contains(&s.days) {
        out.push(FieldError::new("days", ErrorCode::Invalid));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::rules::{CannotSign, Reader, can_sign, progress_percent};
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in PetitionStatus::TABS {
            assert_eq!(PetitionStatus::from_code(s.code()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
        assert_eq!(
            PetitionStatus::from_code("moderation"),
            Some(PetitionStatus::Moderation)
        );
        for s in PetitionSort::ALL {
            assert_eq!(PetitionSort::from_code(s.code()), Some(s));
        }
        for d in Decision::ALL {
            assert_eq!(
                serde_json::to_string(&d).unwrap(),
                format!("\"{}\"", d.code())
            );
        }
    }

    #[test]
    fn signing_tells_what_to_do_instead() {
        let guest = Reader {
            signed_in: false,
            verified: false,
            resident: false,
        };
        let resident = Reader {
            signed_in: true,
            verified: false,
            resident: true,
        };
        let verified = Reader {
            verified: true,
            ..resident
        };
        use PetitionStatus::*;
        assert_eq!(
            can_sign(Collecting, true, guest, false),
            Err(CannotSign::SignIn)
        );
        assert_eq!(
            can_sign(Collecting, true, resident, false),
            Err(CannotSign::Verify)
        );
        assert_eq!(can_sign(Collecting, false, resident, false), Ok(()));
        assert_eq!(can_sign(Collecting, true, verified, false), Ok(()));
        assert_eq!(
            can_sign(Collecting, true, verified, true),
            Err(CannotSign::Signed)
        );
        assert_eq!(
            can_sign(Moderation, true, verified, false),
            Err(CannotSign::NotCollecting)
        );
        assert_eq!(
            can_sign(
                Collecting,
                false,
                Reader {
                    resident: false,
                    ..verified
                },
                false
            ),
            Err(CannotSign::OtherHromada)
        );
    }

    #[test]
    fn progress_is_capped() {
        assert_eq!(progress_percent(0, 250), 0);
        assert_eq!(progress_percent(125, 250), 50);
        assert_eq!(progress_percent(249, 250), 99);
        assert_eq!(progress_percent(300, 250), 100);
    }

    #[test]
    fn titles_and_texts_are_checked() {
        let ok = NewPetition {
            title: "Облаштувати пандус".into(),
            text: "Біля поліклініки немає пандуса для візочків.".into(),
        };
        assert!(validate_new(&ok).is_empty());
        let long = NewPetition {
            title: "я".repeat(TITLE_MAX + 1),
            text: String::new(),
        };
        let fields: Vec<_> = validate_new(&long)
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            fields,
            [
                ("title".to_owned(), ErrorCode::TooLong),
                ("text".to_owned(), ErrorCode::Required)
            ]
        );
        assert!(
            validate_settings(&PetitionSettings {
                signatures: 250,
                days: 60,
                verified_only: true
            })
            .is_empty()
        );
        assert_eq!(
            validate_settings(&PetitionSettings {
                signatures: 0,
                days: 1000,
                verified_only: true
            })
            .len(),
            2
        );
    }
}
