//! Public services and consultations: the hromada's catalogue of administrative services
//! (its ЦНАП), frequently asked questions with answers, and conversations in which the
//! assistant suggests from the catalogue and staff answer what it cannot.
//!
//! The catalogue is found with [`crate::search`]; [`index`] builds its index the same way
//! on the server and in the app, so suggestions are the same everywhere.

use serde::{Deserialize, Serialize};

use crate::search::{Field, Index, Matched, Weight};
use crate::{ErrorCode, FieldError, validate};

/// Bounds of a service's name, in characters.
pub const TITLE_MIN: usize = 5;
pub const TITLE_MAX: usize = 200;
/// Bounds of what a service is for.
pub const PURPOSE_MIN: usize = 10;
pub const PURPOSE_MAX: usize = 1_000;
/// Longest "who may apply".
pub const WHO_MAX: usize = 1_000;
/// Most documents a service lists, and the longest one.
pub const DOCUMENTS_MAX: usize = 20;
pub const DOCUMENT_MAX: usize = 300;
/// Longest note on the fee or on the term.
pub const NOTE_MAX: usize = 300;
/// Most search words staff add to a service, and the longest one.
pub const KEYWORDS_MAX: usize = 20;
pub const KEYWORD_MAX: usize = 60;
/// Longest link to an online version.
pub const URL_MAX: usize = 500;
/// Longest term, in days.
pub const TERM_DAYS_MAX: u16 = 365;
/// Highest fee, in kopiyky (₴ 1 000 000).
pub const FEE_MAX: u64 = 100_000_000;
/// Bounds of a frequently asked question and of its answer.
pub const QUESTION_MIN: usize = 5;
pub const QUESTION_MAX: usize = 300;
pub const ANSWER_MIN: usize = 10;
pub const ANSWER_MAX: usize = 4_000;
/// Longest message in a consultation, in characters.
pub const MESSAGE_MAX: usize = 2_000;
/// Most catalogue links in one reply.
pub const LINKS_MAX: usize = 5;
/// Most suggestions the search returns.
pub const SEARCH_LIMIT: usize = 8;
/// Longest search query, in characters (longer ones are cut, not refused).
pub const QUERY_MAX: usize = MESSAGE_MAX;
/// Bounds of the service centre's texts.
pub const CENTRE_NAME_MAX: usize = 200;
pub const CENTRE_TEXT_MAX: usize = 1_000;

/// The life situation a service belongs to; the catalogue is grouped by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Situation {
    /// Birth of a child.
    Child,
    /// Moving home: registration of residence.
    Moving,
    /// Land and property.
    Property,
    /// Starting or closing a business.
    Business,
    /// Social support.
    Social,
    /// Passports, ID cards, certificates.
    Documents,
    Other,
}

impl Situation {
    /// Every situation, in the catalogue's order.
    pub const ALL: [Situation; 7] = [
        Self::Child,
        Self::Moving,
        Self::Property,
        Self::Business,
        Self::Social,
        Self::Documents,
        Self::Other,
    ];

    /// The code used in JSON and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Self::Child => "child",
            Self::Moving => "moving",
            Self::Property => "property",
            Self::Business => "business",
            Self::Social => "social",
            Self::Documents => "documents",
            Self::Other => "other",
        }
    }

    /// The situation with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// How long a service takes: `days` of 0 means the same day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub days: u16,
    /// Working days (Monday to Friday) rather than calendar days.
    pub working: bool,
}

/// The hromada's administrative service centre (ЦНАП): where and when services are given.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Centre {
    pub name: String,
    pub address: String,
    /// Opening hours, one line per group of days.
    pub hours: String,
    pub phone: String,
    pub email: String,
}

/// A service as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSummary {
    pub id: String,
    pub katottg: String,
    pub situation: Situation,
    pub title: String,
    pub purpose: String,
    /// In kopiyky; `None` when the service is free.
    pub fee: Option<u64>,
    pub term: Term,
    /// Whether the service can also be had online.
    pub online: bool,
}

/// `GET /services/{id}`: a service with everything needed to apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    #[serde(flatten)]
    pub summary: ServiceSummary,
    pub who: String,
    pub documents: Vec<String>,
    pub fee_note: String,
    pub term_note: String,
    pub online_url: Option<String>,
    pub keywords: Vec<String>,
    /// Where and when; `None` while the hromada has not described its centre.
    pub centre: Option<Centre>,
    /// The frequently asked questions about this service.
    pub answers: Vec<Answer>,
    pub updated_at: String,
}

/// `POST /hromadas/{katottg}/services` and `PUT /services/{id}` (staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDraft {
    pub situation: Situation,
    pub title: String,
    pub purpose: String,
    #[serde(default)]
    pub who: String,
    #[serde(default)]
    pub documents: Vec<String>,
    /// In kopiyky; `None` (or absent) when free.
    #[serde(default)]
    pub fee: Option<u64>,
    #[serde(default)]
    pub fee_note: String,
    pub term: Term,
    #[serde(default)]
    pub term_note: String,
    #[serde(default)]
    pub online_url: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// A link from an answer or a reply to a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceLink {
    pub id: String,
    pub title: String,
}

/// A frequently asked question and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub id: String,
    pub katottg: String,
    pub question: String,
    pub answer: String,
    /// The service the answer is about, if any.
    pub service: Option<ServiceLink>,
    pub updated_at: String,
}

/// `POST /hromadas/{katottg}/answers` and `PUT /answers/{id}` (staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerDraft {
    pub question: String,
    pub answer: String,
    /// A service of the same hromada.
    #[serde(default)]
    pub service_id: Option<String>,
}

/// What a search hit or a link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    Service,
    Answer,
}

/// One search hit: a service or an answer, with why it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    pub kind: RefKind,
    pub id: String,
    /// The service's name or the answer's question.
    pub title: String,
    /// What the service is for, or the start of the answer.
    pub snippet: String,
    /// Higher is better; comparable within one search only.
    pub score: u32,
    pub matched: Vec<Matched>,
}

/// `GET /hromadas/{katottg}/services/search?q=`: the best hits, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub items: Vec<Hit>,
}

/// A document of the catalogue as the search sees it.
pub enum Searchable<'a> {
    Service(&'a SearchService<'a>),
    Answer(&'a SearchAnswer<'a>),
}

/// The searchable texts of a service.
pub struct SearchService<'a> {
    pub title: &'a str,
    pub keywords: &'a [String],
    pub purpose: &'a str,
    pub who: &'a str,
    pub documents: &'a [String],
}

/// The searchable texts of an answer.
pub struct SearchAnswer<'a> {
    pub question: &'a str,
    pub answer: &'a str,
}

/// Builds the search index of a catalogue, documents in the order given; the same on the
/// server and in the app.
pub fn index<'a>(docs: impl IntoIterator<Item = Searchable<'a>>) -> Index {
    let field = |text: &str, weight| Field {
        text: text.to_owned(),
        weight,
    };
    Index::new(docs.into_iter().map(|d| match d {
        Searchable::Service(s) => vec![
            field(s.title, Weight::Title),
            field(&s.keywords.join(" "), Weight::Keywords),
            field(s.purpose, Weight::Summary),
            field(s.who, Weight::Body),
            field(&s.documents.join(" "), Weight::Body),
        ],
        Searchable::Answer(a) => vec![
            field(a.question, Weight::Summary),
            field(a.answer, Weight::Body),
        ],
    }))
}

/// The first `max` characters of `text` on a word boundary, with "…" when cut.
pub fn snippet(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut,
    };
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == '.')
    )
}

/// A score for the contract: the search's, as a whole number.
pub fn score(s: f64) -> u32 {
    (s * 100.0).round().clamp(0.0, f64::from(u32::MAX)) as u32
}

/// Checks a service before it is saved; every problem, each beside its field.
pub fn validate_service(d: &ServiceDraft) -> Vec<FieldError> {
    let mut out = Vec::new();
    validate::text("title", &d.title, TITLE_MIN, TITLE_MAX, &mut out);
    validate::multiline("purpose", &d.purpose, PURPOSE_MIN, PURPOSE_MAX, &mut out);
    optional_multiline("who", &d.who, WHO_MAX, &mut out);
    if d.documents.len() > DOCUMENTS_MAX {
        out.push(FieldError::new("documents", ErrorCode::TooMany));
    }
    for (i, doc) in d.documents.iter().enumerate() {
        validate::text(&format!("documents[{i}]"), doc, 2, DOCUMENT_MAX, &mut out);
    }
    if d.fee.is_some_and(|f| f == 0 || f > FEE_MAX) {
        out.push(FieldError::new("fee", ErrorCode::Invalid));
    }
    optional_line("fee_note", &d.fee_note, NOTE_MAX, &mut out);
    if d.term.days > TERM_DAYS_MAX {
        out.push(FieldError::new("term", ErrorCode::Invalid));
    }
    optional_line("term_note", &d.term_note, NOTE_MAX, &mut out);
    if let Some(url) = &d.online_url
        && !url.trim().is_empty()
    {
        if url.trim().chars().count() > URL_MAX {
            out.push(FieldError::new("online_url", ErrorCode::TooLong));
        } else if !is_web_url(url.trim()) {
            out.push(FieldError::new("online_url", ErrorCode::Invalid));
        }
    }
    if d.keywords.len() > KEYWORDS_MAX {
        out.push(FieldError::new("keywords", ErrorCode::TooMany));
    }
    for (i, k) in d.keywords.iter().enumerate() {
        validate::text(&format!("keywords[{i}]"), k, 2, KEYWORD_MAX, &mut out);
    }
    out
}

/// Checks a frequently asked question and its answer.
pub fn validate_answer(d: &AnswerDraft) -> Vec<FieldError> {
    let mut out = Vec::new();
    validate::text(
        "question",
        &d.question,
        QUESTION_MIN,
        QUESTION_MAX,
        &mut out,
    );
    validate::multiline("answer", &d.answer, ANSWER_MIN, ANSWER_MAX, &mut out);
    out
}

/// Checks the centre's description.
pub fn validate_centre(c: &Centre) -> Vec<FieldError> {
    let mut out = Vec::new();
    validate::text("name", &c.name, 3, CENTRE_NAME_MAX, &mut out);
    validate::text("address", &c.address, 5, CENTRE_NAME_MAX, &mut out);
    validate::multiline("hours", &c.hours, 3, CENTRE_TEXT_MAX, &mut out);
    optional_line("phone", &c.phone, 50, &mut out);
    if !c.email.trim().is_empty() {
        validate::email("email", &c.email, &mut out);
    }
    out
}

/// Whether `url` is an absolute http(s) address with a host and no spaces.
pub fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

fn optional_line(field: &str, value: &str, max: usize, out: &mut Vec<FieldError>) {
    if !value.trim().is_empty() {
        validate::text(field, value, 1, max, out);
    }
}

fn optional_multiline(field: &str, value: &str, max: usize, out: &mut Vec<FieldError>) {
    if !value.trim().is_empty() {
        validate::multiline(field, value, 1, max, out);
    }
}

/// Where a consultation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationStatus {
    /// The resident wrote last: staff are to answer.
    Waiting,
    /// Staff answered last.
    Answered,
    /// The resident (or staff) closed it; writing again reopens it.
    Closed,
}

impl ConsultationStatus {
    /// The code used in JSON and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Answered => "answered",
            Self::Closed => "closed",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Waiting, Self::Answered, Self::Closed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sender {
    /// The resident who asked.
    Resident,
    /// The hromada's staff.
    Staff,
}

/// A link in a reply to the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub kind: RefKind,
    pub id: String,
    pub title: String,
}

/// A link as a reply names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRef {
    pub kind: RefKind,
    pub id: String,
}

/// One message of a consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    pub sender: Sender,
    /// The writer's full name.
    pub name: String,
    pub text: String,
    pub links: Vec<Link>,
    pub at: String,
}

/// A consultation as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationSummary {
    pub id: String,
    pub katottg: String,
    /// The start of the first question.
    pub subject: String,
    pub status: ConsultationStatus,
    /// The resident's full name.
    pub author: String,
    /// How many messages it has.
    pub message_count: u32,
    pub created_at: String,
    /// When the last message was written.
    pub updated_at: String,
    /// Since when staff are awaited (while `waiting`).
    pub waiting_since: Option<String>,
}

/// `GET /consultations/{id}`: the conversation, oldest message first. Only its author and
/// the hromada's staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    #[serde(flatten)]
    pub summary: ConsultationSummary,
    pub messages: Vec<Message>,
    /// Whether the reader is its author.
    pub mine: bool,
}

/// `POST /hromadas/{katottg}/consultations` (signed in) and
/// `POST /consultations/{id}/messages` (its author, or the hromada's staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMessage {
    pub text: String,
    /// Links to the catalogue (staff only; ignored from residents).
    #[serde(default)]
    pub links: Vec<LinkRef>,
}

/// How many characters the subject keeps of the first question.
pub const SUBJECT_MAX: usize = 120;

/// Checks a message: not empty, at most [`MESSAGE_MAX`] characters, at most
/// [`LINKS_MAX`] links, none twice.
pub fn validate_message(m: &NewMessage) -> Vec<FieldError> {
    let mut out = Vec::new();
    validate::multiline("text", &m.text, 1, MESSAGE_MAX, &mut out);
    if m.links.len() > LINKS_MAX {
        out.push(FieldError::new("links", ErrorCode::TooMany));
    } else if m
        .links
        .iter()
        .enumerate()
        .any(|(i, l)| m.links[..i].contains(l))
    {
        out.push(FieldError::new("links", ErrorCode::Invalid));
    }
    out
}

/// A consultation's subject: the first question's first line, shortened.
pub fn subject(text: &str) -> String {
    let first = text.trim().lines().next().unwrap_or_default();
    snippet(first, SUBJECT_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ServiceDraft {
        ServiceDraft {
            situation: Situation::Documents,
            title: "Видача довідки про склад сім'ї".into(),
            purpose: "Довідка про тих, хто зареєстрований разом із вами.".into(),
            who: String::new(),
            documents: vec!["Паспорт".into()],
            fee: None,
            fee_note: String::new(),
            term: Term {
                days: 0,
                working: true,
            },
            term_note: String::new(),
            online_url: Some("https://diia.gov.ua/services".into()),
            keywords: vec!["справка".into()],
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_good_service_passes() {
        assert!(validate_service(&draft()).is_empty());
    }

    #[test]
    fn a_bad_service_is_refused_field_by_field() {
        let mut d = draft();
        d.title = " ".into();
        d.purpose = "коротко".into();
        d.documents = vec!["Паспорт".into(), "".into()];
        d.fee = Some(0);
        d.term.days = 400;
        d.online_url = Some("diia.gov.ua".into());
        d.keywords = vec!["x".repeat(61)];
        let e = validate_service(&d);
        assert_eq!(
            fields(&e),
            [
                "title",
                "purpose",
                "documents[1]",
                "fee",
                "term",
                "online_url",
                "keywords[0]"
            ]
        );
        d = draft();
        d.documents = vec!["Паспорт".into(); DOCUMENTS_MAX + 1];
        assert_eq!(fields(&validate_service(&d)), ["documents"]);
    }

    #[test]
    fn web_urls() {
        assert!(is_web_url("https://diia.gov.ua/services/x?y=1"));
        assert!(is_web_url("http://kherson.gov.ua"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("https://localhost"));
        assert!(!is_web_url("https://a b.ua"));
        assert!(!is_web_url("ftp://x.ua"));
    }

    #[test]
    fn messages_have_bounds() {
        let m = |text: &str| NewMessage {
            text: text.into(),
            links: vec![],
        };
        assert!(validate_message(&m("Як отримати довідку?")).is_empty());
        assert_eq!(validate_message(&m("  \n "))[0].code, ErrorCode::Required);
        assert_eq!(
            validate_message(&m(&"а".repeat(MESSAGE_MAX + 1)))[0].code,
            ErrorCode::TooLong
        );
        assert!(validate_message(&m(&"а".repeat(MESSAGE_MAX))).is_empty());
        let link = LinkRef {
            kind: RefKind::Service,
            id: "s".into(),
        };
        let twice = NewMessage {
            text: "Ось".into(),
            links: vec![link.clone(), link],
        };
        assert_eq!(validate_message(&twice)[0].field, "links");
    }

    #[test]
    fn subjects_and_snippets_cut_on_words() {
        assert_eq!(
            subject("  Як отримати довідку?\nДякую"),
            "Як отримати довідку?"
        );
        let long = "слово ".repeat(40);
        let s = subject(&long);
        assert!(s.ends_with('…') && s.chars().count() <= SUBJECT_MAX + 1);
        assert!(!s.contains("  "));
        assert_eq!(snippet("коротко", 10), "коротко");
    }

    #[test]
    fn the_index_ranks_services_by_title_and_keywords() {
        let svc = draft();
        let other_keywords = vec!["прописка".to_owned()];
        let s1 = SearchService {
            title: &svc.title,
            keywords: &svc.keywords,
            purpose: &svc.purpose,
            who: &svc.who,
            documents: &svc.documents,
        };
        let s2 = SearchService {
            title: "Реєстрація місця проживання",
            keywords: &other_keywords,
            purpose: "Щоб жити за новою адресою офіційно.",
            who: "",
            documents: &[],
        };
        let a = SearchAnswer {
            question: "Скільки коштує довідка про склад сім'ї?",
            answer: "Безоплатно.",
        };
        let idx = index([
            Searchable::Service(&s1),
            Searchable::Service(&s2),
            Searchable::Answer(&a),
        ]);
        let r = idx.search("справка про склад сімї", 3);
        assert_eq!(r[0].doc, 0);
        assert_eq!(idx.search("прописка", 3)[0].doc, 1);
        assert_eq!(idx.search("скільки коштує", 3)[0].doc, 2);
    }

    #[test]
    fn a_consultation_round_trips_through_json() {
        let c = Consultation {
            summary: ConsultationSummary {
                id: "c".into(),
                katottg: "UA1".into(),
                subject: "Довідка".into(),
                status: ConsultationStatus::Waiting,
                author: "Марія".into(),
                message_count: 1,
                created_at: "2026-11-23T10:00:00.000Z".into(),
                updated_at: "2026-11-23T10:00:00.000Z".into(),
                waiting_since: Some("2026-11-23T10:00:00.000Z".into()),
            },
            messages: vec![Message {
                id: "m".into(),
                sender: Sender::Resident,
                name: "Марія".into(),
                text: "Довідка?".into(),
                links: vec![],
                at: "2026-11-23T10:00:00.000Z".into(),
            }],
            mine: true,
        };
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json.matches("\"messages\"").count(), 1, "{json}");
        assert_eq!(serde_json::from_str::<Consultation>(&json).unwrap(), c);
    }

    #[test]
    fn codes_round_trip() {
        for s in Situation::ALL {
            assert_eq!(Situation::from_code(s.code()), Some(s));
        }
        for s in [
            ConsultationStatus::Waiting,
            ConsultationStatus::Answered,
            ConsultationStatus::Closed,
        ] {
            assert_eq!(ConsultationStatus::from_code(s.code()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.code());
        }
    }
}
