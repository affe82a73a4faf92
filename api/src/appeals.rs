//! Appeals of residents to the hromada's authority (Law of Ukraine "On citizens'
//! appeals"), their timeline, and the notifications that tell the author what changed.
//!
//! [`deadline`] holds the legal terms; [`rules`] says which step is allowed when. Both are
//! plain functions used by the server (which enforces them) and the app (which shows
//! only what is allowed, and the time left).

use serde::{Deserialize, Serialize};

use crate::{ErrorCode, FieldError, validate};

pub use crate::notifications::{AppealRef, Notification, NotificationKind, Notifications};

/// Longest subject, in characters.
pub const SUBJECT_MAX: usize = 200;
/// Shortest subject, in characters.
pub const SUBJECT_MIN: usize = 3;
/// Longest text of an appeal, in characters.
pub const TEXT_MAX: usize = 4_000;
/// Shortest text of an appeal, in characters.
pub const TEXT_MIN: usize = 10;
/// Longest location (an address typed by hand), in characters.
pub const LOCATION_MAX: usize = 300;
/// Most photos one appeal may carry.
pub const PHOTOS_MAX: usize = 5;
/// Largest photo, in bytes.
pub const PHOTO_MAX_BYTES: usize = 10 * 1024 * 1024;
/// Most files one answer may carry.
pub const ANSWER_FILES_MAX: usize = 5;
/// Largest answer file, in bytes.
pub const ANSWER_FILE_MAX_BYTES: usize = 10 * 1024 * 1024;
/// Longest official answer, in characters.
pub const ANSWER_MAX: usize = 20_000;
/// Longest reason (extension, return, forwarding), in characters.
pub const REASON_MAX: usize = 1_000;
/// Longest assignee (a department or a person), in characters.
pub const ASSIGNEE_MAX: usize = 200;
/// Longest name of the body an appeal is forwarded to, in characters.
pub const BODY_NAME_MAX: usize = 300;
/// Longest comment on a rating, in characters.
pub const COMMENT_MAX: usize = 1_000;
/// Longest category name, in characters.
pub const CATEGORY_NAME_MAX: usize = 100;
/// Most categories a hromada may have (archived ones included).
pub const CATEGORIES_MAX: usize = 50;

/// The three types of appeal the law knows (Article 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealKind {
    /// A proposal or remark (пропозиція, зауваження).
    Proposal,
    /// An application or request (заява, клопотання).
    Application,
    /// A complaint (скарга).
    Complaint,
}

impl AppealKind {
    /// Every type, in the order the form shows them.
    pub const ALL: [AppealKind; 3] = [Self::Proposal, Self::Application, Self::Complaint];

    /// The code used in URLs and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Proposal => "proposal",
            Self::Application => "application",
            Self::Complaint => "complaint",
        }
    }

    /// The type with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Where an appeal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealStatus {
    /// Received and numbered; nobody works on it yet.
    Registered,
    /// Assigned to a department or person.
    InProgress,
    /// Sent to the competent body (final for this hromada).
    Forwarded,
    /// Returned as incomplete (final; the person may write again).
    Returned,
    /// The official answer was given.
    Answered,
    /// Closed after the answer.
    Closed,
}

impl AppealStatus {
    /// Every status, in the order filters show them.
    pub const ALL: [AppealStatus; 6] = [
        Self::Registered,
        Self::InProgress,
        Self::Forwarded,
        Self::Returned,
        Self::Answered,
        Self::Closed,
    ];

    /// The code used in URLs and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::InProgress => "in_progress",
            Self::Forwarded => "forwarded",
            Self::Returned => "returned",
            Self::Answered => "answered",
            Self::Closed => "closed",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the hromada still owes an answer: its deadline runs.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Registered | Self::InProgress)
    }
}

/// A category of the hromada's list: `GET /hromadas/{katottg}/appeal-categories`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealCategory {
    pub id: String,
    pub name: String,
    /// Removed from the list: old appeals keep it, new ones cannot choose it.
    #[serde(default)]
    pub archived: bool,
}

/// What staff write: `POST /hromadas/{katottg}/appeal-categories`,
/// `PUT /appeal-categories/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryDraft {
    pub name: String,
}

/// A file attached to an appeal (a photo) or to its answer (a photo or a PDF). Served only
/// to whoever may see the appeal, from `url`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealFile {
    pub id: String,
    /// The name it was uploaded with, for display and download.
    pub name: String,
    /// `image/jpeg` (photos are re-encoded) or `application/pdf`.
    pub media_type: String,
    pub bytes: u64,
    pub url: String,
    /// A small JPEG of a photo, for lists and previews.
    #[serde(default)]
    pub thumbnail_url: Option<String>,
}

/// A short reference to a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRef {
    pub id: String,
    pub name: String,
}

/// An appeal as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealSummary {
    pub id: String,
    /// The registration number, `ЗВ-2026-000123`.
    pub number: String,
    pub katottg: String,
    pub kind: AppealKind,
    pub category: CategoryRef,
    pub subject: String,
    pub status: AppealStatus,
    pub registered_at: String,
    /// When the answer is due (see [`deadline`]).
    pub due_at: String,
    /// Days the answer may take from registration: 30, 15, or up to 45 when extended.
    pub term_days: u32,
    /// Whether the author made it public.
    pub public: bool,
    /// The department or person working on it; staff and the author see it.
    #[serde(default)]
    pub assignee: Option<String>,
    pub updated_at: String,
}

/// Who wrote an appeal: only the author and the hromada's staff ever see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub full_name: String,
    pub address: String,
    pub email: String,
}

/// One step of an appeal's life, with what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Step {
    Registered,
    Assigned {
        assignee: String,
    },
    /// Marked as needing no further study: the answer is due in 15 days.
    NoFurtherStudy {
        due_at: String,
    },
    Extended {
        due_at: String,
        reason: String,
    },
    Returned {
        reason: String,
    },
    Forwarded {
        to: String,
        reason: String,
    },
    Answered {
        text: String,
        files: Vec<AppealFile>,
    },
    Closed,
}

/// A step in the timeline: what happened, when, and who did it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: String,
    /// The staff member's name; `None` for steps of the author or of the system.
    #[serde(default)]
    pub by: Option<String>,
    pub step: Step,
}

/// The author's rating of the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// 1 to 5.
    pub stars: u8,
    #[serde(default)]
    pub comment: Option<String>,
    pub at: String,
}

/// A whole appeal: `GET /appeals/{id}`. Its author and the hromada's staff see it all;
/// anyone else sees a public appeal without `author`, `location` coordinates and
/// `assignee`, and gets 404 for a private one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appeal {
    #[serde(flatten)]
    pub summary: AppealSummary,
    pub text: String,
    /// The address or place the appeal is about, as typed.
    #[serde(default)]
    pub location: Option<String>,
    /// The phone's position, when the author shared it.
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    pub photos: Vec<AppealFile>,
    /// `None` in the public view.
    #[serde(default)]
    pub author: Option<Author>,
    /// Oldest first.
    pub timeline: Vec<TimelineEntry>,
    #[serde(default)]
    pub rating: Option<Rating>,
    /// Whether the reader is the author (may rate, may make it public).
    #[serde(default)]
    pub mine: bool,
}

/// What a resident sends: `POST /hromadas/{katottg}/appeals`, as JSON, or as
/// `multipart/form-data` with this JSON in the part `appeal` and up to
/// [`PHOTOS_MAX`] files in parts named `photos`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewAppeal {
    /// An [`AppealKind`] code.
    pub kind: String,
    pub category_id: String,
    pub subject: String,
    pub text: String,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    /// The contact details the law requires (Articles 5 and 8).
    pub full_name: String,
    pub address: String,
    pub email: String,
    /// Show the subject, category, text and status in the hromada's public list.
    #[serde(default)]
    pub public: bool,
}

/// A staff step on an appeal: `POST /appeals/{id}/actions`. The answer, which may carry
/// files, has its own path: `POST /appeals/{id}/answer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum StaffAction {
    Assign {
        assignee: String,
    },
    NoFurtherStudy,
    /// `term_days`: the whole term from registration, more than now and at most 45.
    Extend {
        term_days: u32,
        reason: String,
    },
    Return {
        reason: String,
    },
    Forward {
        to: String,
        reason: String,
    },
    Close,
}

/// The official answer: `POST /appeals/{id}/answer`, as JSON, or as
/// `multipart/form-data` with this JSON in the part `answer` and up to
/// [`ANSWER_FILES_MAX`] files (JPEG, PNG, WebP or PDF) in parts named `files`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerDraft {
    pub text: String,
}

/// The author rates the answer: `PUT /appeals/{id}/rating`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingDraft {
    pub stars: u8,
    #[serde(default)]
    pub comment: Option<String>,
}

/// The author shows or hides an appeal in the public list: `PATCH /appeals/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealVisibility {
    pub public: bool,
}

/// Staff's inbox: `GET /hromadas/{katottg}/appeals/inbox?status=&category=&kind=&assignee=&cursor=`,
/// nearest deadline first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<AppealSummary>,
    pub next_cursor: Option<String>,
    /// Open appeals past their deadline (whatever the filters).
    pub overdue: u32,
    /// Open appeals due within [`deadline::DUE_SOON_DAYS`] days, not yet overdue.
    pub due_soon: u32,
    /// Every assignee named on the hromada's appeals, for the filter.
    pub assignees: Vec<String>,
}

/// The legal terms of Article 20 (and Article 7 for returning and forwarding), in
/// milliseconds since the epoch. Terms are calendar days counted from registration.
pub mod deadline {
    /// One day, in milliseconds.
    pub const DAY_MS: i64 = 86_400_000;
    /// The ordinary term.
    pub const STANDARD_DAYS: u32 = 30;
    /// The term of an appeal that needs no further study.
    pub const BRIEF_DAYS: u32 = 15;
    /// The longest term, extensions included.
    pub const MAX_DAYS: u32 = 45;
    /// An incomplete appeal is returned within this many days of receipt.
    pub const RETURN_DAYS: u32 = 10;
    /// An appeal outside the body's competence is forwarded within this many days.
    pub const FORWARD_DAYS: u32 = 5;
    /// The inbox counts appeals due within this many days.
    pub const DUE_SOON_DAYS: u32 = 3;

    /// When the answer is due, `term_days` after registration.
    pub fn due(registered: i64, term_days: u32) -> i64 {
        registered + i64::from(term_days) * DAY_MS
    }

    /// How long is left until `due`, as a person reads it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TimeLeft {
        /// Whole days left, rounded up (at least one day).
        Days(u32),
        /// Less than a day: whole hours left, rounded up (at least one).
        Hours(u32),
        /// Past due by this many whole days, rounded up (at least one).
        Overdue(u32),
    }

    /// The time left from `now` until `due`.
    pub fn time_left(due: i64, now: i64) -> TimeLeft {
        let left = due - now;
        if left <= 0 {
            TimeLeft::Overdue(ceil_div(-left, DAY_MS).max(1))
        } else if left < DAY_MS {
            TimeLeft::Hours(ceil_div(left, 3_600_000).max(1))
        } else {
            TimeLeft::Days(ceil_div(left, DAY_MS))
        }
    }

    /// Whether an open appeal due at `due` counts as due soon at `now`.
    pub fn is_due_soon(due: i64, now: i64) -> bool {
        due > now && due - now <= i64::from(DUE_SOON_DAYS) * DAY_MS
    }

    fn ceil_div(a: i64, b: i64) -> u32 {
        u32::try_from((a + b - 1) / b).unwrap_or(u32::MAX)
    }
}

/// Which staff step is allowed when, and why not. Times are milliseconds since the epoch.
pub mod rules {
    use super::AppealStatus;
    use super::deadline::{self, DAY_MS};

    /// Why a step is refused.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Refusal {
        /// The appeal is forwarded, returned, answered or closed.
        NotOpen,
        /// The term already passed the point where the law allows this step.
        TooLate,
        /// An extension must make the term longer, and at most 45 days.
        BadTerm,
        /// Only an answered appeal can be closed.
        NotAnswered,
        /// Only an answered or closed appeal can be rated.
        NothingToRate,
    }

    /// What the rules need to know about an appeal.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Facts {
        pub status: AppealStatus,
        pub registered: i64,
        pub term_days: u32,
    }

    fn open(f: &Facts) -> Result<(), Refusal> {
        if f.status.is_open() {
            Ok(())
        } else {
            Err(Refusal::NotOpen)
        }
    }

    /// Assigning (or reassigning) to a department or person.
    pub fn assign(f: &Facts) -> Result<(), Refusal> {
        open(f)
    }

    /// Marking as needing no further study: only from the ordinary term, and only while
    /// the 15-day term has not passed.
    pub fn no_further_study(f: &Facts, now: i64) -> Result<(), Refusal> {
        open(f)?;
        if f.term_days != deadline::STANDARD_DAYS {
            return Err(Refusal::BadTerm);
        }
        if now >= deadline::due(f.registered, deadline::BRIEF_DAYS) {
            return Err(Refusal::TooLate);
        }
        Ok(())
    }

    /// Extending to a whole term of `term_days`: longer than now, at most 45 days.
    pub fn extend(f: &Facts, term_days: u32) -> Result<(), Refusal> {
        open(f)?;
        if term_days <= f.term_days || term_days > deadline::MAX_DAYS {
            return Err(Refusal::BadTerm);
        }
        Ok(())
    }

    /// The longest term an extension may still set, or `None` when it cannot be extended.
    pub fn extension_range(f: &Facts) -> Option<(u32, u32)> {
        (f.status.is_open() && f.term_days < deadline::MAX_DAYS)
            .then_some((f.term_days + 1, deadline::MAX_DAYS))
    }

    /// Returning as incomplete: within 10 days of receipt.
    pub fn return_incomplete(f: &Facts, now: i64) -> Result<(), Refusal> {
        open(f)?;
        within(f.registered, deadline::RETURN_DAYS, now)
    }

    /// Forwarding to the competent body: within 5 days of receipt.
    pub fn forward(f: &Facts, now: i64) -> Result<(), Refusal> {
        open(f)?;
        within(f.registered, deadline::FORWARD_DAYS, now)
    }

    /// Answering.
    pub fn answer(f: &Facts) -> Result<(), Refusal> {
        open(f)
    }

    /// Closing: after the answer.
    pub fn close(f: &Facts) -> Result<(), Refusal> {
        if f.status == AppealStatus::Answered {
            Ok(())
        } else {
            Err(Refusal::NotAnswered)
        }
    }

    /// Rating the answer (by the author).
    pub fn rate(f: &Facts) -> Result<(), Refusal> {
        if matches!(f.status, AppealStatus::Answered | AppealStatus::Closed) {
            Ok(())
        } else {
            Err(Refusal::NothingToRate)
        }
    }

    fn within(registered: i64, days: u32, now: i64) -> Result<(), Refusal> {
        if now <= registered + i64::from(days) * DAY_MS {
            Ok(())
        } else {
            Err(Refusal::TooLate)
        }
    }
}

/// Registration number of the `seq`-th appeal of `year` in a hromada: `ЗВ-2026-000123`.
pub fn registration_number(year: i64, seq: i64) -> String {
    format!("ЗВ-{year}-{seq:06}")
}

/// All problems of a new appeal (photos are checked where they are read).
pub fn validate_new(a: &NewAppeal) -> Vec<FieldError> {
    let mut out = Vec::new();
    if a.kind.trim().is_empty() {
        out.push(FieldError::new("kind", ErrorCode::Required));
    } else if AppealKind::from_code(a.kind.trim()).is_none() {
        out.push(FieldError::new("kind", ErrorCode::Invalid));
    }
    if a.category_id.trim().is_empty() {
        out.push(FieldError::new("category_id", ErrorCode::Required));
    }
    validate::text("subject", &a.subject, SUBJECT_MIN, SUBJECT_MAX, &mut out);
    validate::multiline("text", &a.text, TEXT_MIN, TEXT_MAX, &mut out);
    if let Some(loc) = a.location.as_deref().filter(|l| !l.trim().is_empty()) {
        validate::text("location", loc, 1, LOCATION_MAX, &mut out);
    }
    match (a.latitude, a.longitude) {
        (None, None) => {}
        (Some(lat), Some(lon))
            if lat.is_finite()
                && lon.is_finite()
                && (-90.0..=90.0).contains(&lat)
                && (-180.0..=180.0).contains(&lon) => {}
        _ => out.push(FieldError::new("location", ErrorCode::Invalid)),
    }
    validate::full_name("full_name", &a.full_name, &mut out);
    validate::text(
        "address",
        &a.address,
        validate::ADDRESS_MIN,
        validate::ADDRESS_MAX,
        &mut out,
    );
    validate::email("email", &a.email, &mut out);
    out
}

/// All problems of a staff step's own fields (whether it is allowed now is [`rules`]).
pub fn validate_action(a: &StaffAction) -> Vec<FieldError> {
    let mut out = Vec::new();
    match a {
        StaffAction::Assign { assignee } => {
            validate::text("assignee", assignee, 2, ASSIGNEE_MAX, &mut out);
        }
        StaffAction::NoFurtherStudy | StaffAction::Close => {}
        StaffAction::Extend { term_days, reason } => {
            if *term_days > deadline::MAX_DAYS || *term_days <= deadline::BRIEF_DAYS {
                out.push(FieldError::new("term_days", ErrorCode::Invalid));
            }
            validate::multiline("reason", reason, 1, REASON_MAX, &mut out);
        }
        StaffAction::Return { reason } => {
            validate::multiline("reason", reason, 1, REASON_MAX, &mut out)
        }
        StaffAction::Forward { to, reason } => {
            validate::text("to", to, 3, BODY_NAME_MAX, &mut out);
            validate::multiline("reason", reason, 1, REASON_MAX, &mut out);
        }
    }
    out
}

/// All problems of an answer's text.
pub fn validate_answer(a: &AnswerDraft) -> Vec<FieldError> {
    let mut out = Vec::new();
    validate::multiline("text", &a.text, 1, ANSWER_MAX, &mut out);
    out
}

/// All problems of a rating.
pub fn validate_rating(r: &RatingDraft) -> Vec<FieldError> {
    let mut out = Vec::new();
    if !(1..=5).contains(&r.stars) {
        out.push(FieldError::new("stars", ErrorCode::Invalid));
    }
    if let Some(c) = r.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        validate::multiline("comment", c, 1, COMMENT_MAX, &mut out);
    }
    out
}

/// All problems of a category name.
pub fn validate_category(c: &CategoryDraft) -> Vec<FieldError> {
    let mut out = Vec::new();
    validate::text("name", &c.name, 2, CATEGORY_NAME_MAX, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::deadline::{DAY_MS, TimeLeft, due, is_due_soon, time_left};
    use super::rules::{self, Facts, Refusal};
    use super::*;
    use crate::time::parse_rfc3339;

    fn facts(status: AppealStatus, term_days: u32) -> Facts {
        Facts {
            status,
            registered: parse_rfc3339("2026-11-01T10:00:00Z").unwrap(),
            term_days,
        }
    }

    #[test]
    fn codes_round_trip() {
        for k in AppealKind::ALL {
            assert_eq!(AppealKind::from_code(k.code()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.code())
            );
        }
        for s in AppealStatus::ALL {
            assert_eq!(AppealStatus::from_code(s.code()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
        assert_eq!(AppealKind::from_code("petition"), None);
    }

    #[test]
    fn terms_are_calendar_days_from_registration() {
        let r = parse_rfc3339("2026-11-01T10:00:00Z").unwrap();
        assert_eq!(
            crate::time::rfc3339(due(r, deadline::STANDARD_DAYS)),
            "2026-12-01T10:00:00.000Z"
        );
        assert_eq!(
            crate::time::rfc3339(due(r, deadline::BRIEF_DAYS)),
            "2026-11-16T10:00:00.000Z"
        );
        assert_eq!(
            crate::time::rfc3339(due(r, deadline::MAX_DAYS)),
            "2026-12-16T10:00:00.000Z"
        );
    }

    #[test]
    fn time_left_reads_like_a_person_would() {
        let d = 1_000 * DAY_MS;
        assert_eq!(time_left(d, d - 12 * DAY_MS), TimeLeft::Days(12));
        assert_eq!(time_left(d, d - 12 * DAY_MS + 1), TimeLeft::Days(12));
        assert_eq!(time_left(d, d - DAY_MS), TimeLeft::Days(1));
        assert_eq!(time_left(d, d - DAY_MS + 1), TimeLeft::Hours(24));
        assert_eq!(time_left(d, d - 1), TimeLeft::Hours(1));
        assert_eq!(time_left(d, d), TimeLeft::Overdue(1));
        assert_eq!(time_left(d, d + 2 * DAY_MS + 5), TimeLeft::Overdue(3));
        assert!(is_due_soon(d, d - 3 * DAY_MS));
        assert!(!is_due_soon(d, d - 3 * DAY_MS - 1));
        assert!(!is_due_soon(d, d));
    }

    #[test]
    fn steps_follow_the_law() {
        let f = facts(AppealStatus::Registered, 30);
        let day = |n: i64| f.registered + n * DAY_MS;
        assert_eq!(rules::assign(&f), Ok(()));
        assert_eq!(rules::no_further_study(&f, day(3)), Ok(()));
        assert_eq!(rules::no_further_study(&f, day(15)), Err(Refusal::TooLate));
        assert_eq!(
            rules::no_further_study(&facts(AppealStatus::InProgress, 40), day(1)),
            Err(Refusal::BadTerm)
        );
        assert_eq!(rules::extend(&f, 45), Ok(()));
        assert_eq!(rules::extend(&f, 46), Err(Refusal::BadTerm));
        assert_eq!(rules::extend(&f, 30), Err(Refusal::BadTerm));
        assert_eq!(rules::extension_range(&f), Some((31, 45)));
        assert_eq!(
            rules::extension_range(&facts(AppealStatus::InProgress, 45)),
            None
        );
        assert_eq!(rules::return_incomplete(&f, day(10)), Ok(()));
        assert_eq!(
            rules::return_incomplete(&f, day(10) + 1),
            Err(Refusal::TooLate)
        );
        assert_eq!(rules::forward(&f, day(5)), Ok(()));
        assert_eq!(rules::forward(&f, day(6)), Err(Refusal::TooLate));
        assert_eq!(rules::close(&f), Err(Refusal::NotAnswered));
        assert_eq!(rules::rate(&f), Err(Refusal::NothingToRate));

        let answered = facts(AppealStatus::Answered, 30);
        assert_eq!(rules::answer(&answered), Err(Refusal::NotOpen));
        assert_eq!(rules::extend(&answered, 40), Err(Refusal::NotOpen));
        assert_eq!(rules::close(&answered), Ok(()));
        assert_eq!(rules::rate(&answered), Ok(()));
        assert_eq!(rules::rate(&facts(AppealStatus::Closed, 30)), Ok(()));
        assert_eq!(
            rules::assign(&facts(AppealStatus::Forwarded, 30)),
            Err(Refusal::NotOpen)
        );
    }

    #[test]
    fn numbers_look_official() {
        assert_eq!(registration_number(2026, 123), "ЗВ-2026-000123");
    }

    fn good() -> NewAppeal {
        NewAppeal {
            kind: "complaint".into(),
            category_id: "c1".into(),
            subject: "Яма на дорозі".into(),
            text: "На вулиці Соборній яма глибиною 20 см.\nПрошу відремонтувати.".into(),
            location: Some("вул. Соборна, 1".into()),
            latitude: Some(46.63),
            longitude: Some(32.61),
            full_name: "Іваненко Марія".into(),
            address: "вул. Соборна, 3, кв. 7".into(),
            email: "maria@example.com".into(),
            public: false,
        }
    }

    #[test]
    fn a_good_appeal_passes() {
        assert!(validate_new(&good()).is_empty());
    }

    #[test]
    fn anonymous_or_overlong_appeals_name_their_fields() {
        let mut a = good();
        a.full_name = " ".into();
        a.address = String::new();
        a.email = "nope".into();
        a.text = "я".repeat(TEXT_MAX + 1);
        a.kind = "petition".into();
        a.latitude = Some(200.0);
        let fields: Vec<_> = validate_new(&a).into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["kind", "text", "location", "full_name", "address", "email"]
        );
        let mut b = good();
        b.text = "я".repeat(TEXT_MAX);
        b.latitude = None;
        b.longitude = None;
        b.location = None;
        assert!(validate_new(&b).is_empty());
    }

    #[test]
    fn staff_steps_and_ratings_are_checked() {
        let bad = validate_action(&StaffAction::Extend {
            term_days: 60,
            reason: String::new(),
        });
        assert_eq!(bad.len(), 2);
        assert!(
            validate_action(&StaffAction::Forward {
                to: "Держгеокадастр".into(),
                reason: "Земельні питання".into()
            })
            .is_empty()
        );
        assert_eq!(
            validate_rating(&RatingDraft {
                stars: 6,
                comment: None
            })[0]
                .field,
            "stars"
        );
        assert!(
            validate_rating(&RatingDraft {
                stars: 5,
                comment: Some("Дякую".into())
            })
            .is_empty()
        );
        assert_eq!(
            validate_category(&CategoryDraft { name: "x".into() })[0].code,
            ErrorCode::TooShort
        );
    }

    #[test]
    fn public_view_has_no_author() {
        let json = r#"{"id":"a","number":"ЗВ-2026-000001","katottg":"UA1","kind":"proposal",
            "category":{"id":"c","name":"Дороги"},"subject":"s","status":"answered",
            "registered_at":"2026-11-01T10:00:00.000Z","due_at":"2026-12-01T10:00:00.000Z",
            "term_days":30,"public":true,"updated_at":"2026-11-02T10:00:00.000Z","text":"t",
            "photos":[],"timeline":[{"at":"2026-11-01T10:00:00.000Z","step":{"type":"registered"}}]}"#;
        let a: Appeal = serde_json::from_str(json).unwrap();
        assert!(a.author.is_none() && !a.mine && a.rating.is_none());
        assert_eq!(a.timeline[0].step, Step::Registered);
    }
}
