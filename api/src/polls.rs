//! Polls and surveys: the authority asks, residents answer once, everyone sees the result
//! as the poll says.
//!
//! Questions and options are addressed by their position (0-based): a published poll's
//! questions cannot change once anyone has answered, so positions are stable. [`rules`]
//! says who may answer and who may see results when; [`validate_response`] checks an
//! answer against the questions (the app before sending, the server again).

use serde::{Deserialize, Serialize};

use crate::{ErrorCode, FieldError, validate};

/// Longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// Shortest title, in characters.
pub const TITLE_MIN: usize = 5;
/// Longest introduction, in characters.
pub const INTRO_MAX: usize = 4_000;
/// Longest question, in characters.
pub const QUESTION_MAX: usize = 500;
/// Longest option, in characters.
pub const OPTION_MAX: usize = 200;
/// Most questions in one poll or survey.
pub const QUESTIONS_MAX: usize = 30;
/// Fewest and most options of a choice question.
pub const OPTIONS_RANGE: (usize, usize) = (2, 10);
/// Longest free-text answer, in characters.
pub const TEXT_ANSWER_MAX: usize = 1_000;
/// The scale runs from 1 to this.
pub const SCALE_MAX: u8 = 5;

/// A poll (a question or two) or a survey (a longer questionnaire); only the wording differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PollKind {
    Poll,
    Survey,
}

/// What a question asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One of the options.
    Single { options: Vec<String> },
    /// Up to `max` of the options.
    Multiple { options: Vec<String>, max: u32 },
    /// A number from 1 to [`SCALE_MAX`].
    Scale,
    /// A short free text.
    Text,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub title: String,
    pub required: bool,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

/// Who may answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Anyone signed in.
    SignedIn,
    /// Verified residents only.
    Verified,
}

/// When results show to residents (staff always see them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultsShown {
    /// To everyone, from the start.
    Always,
    /// To those who answered, and to everyone once the poll has closed.
    AfterAnswer,
    /// To everyone once the poll has closed.
    AfterClose,
}

/// Where a poll stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PollStatus {
    /// Not published: only staff see it (the preview).
    Draft,
    /// Published, opening later.
    Scheduled,
    /// Taking answers.
    Open,
    /// No longer taking answers.
    Closed,
}

impl PollStatus {
    /// The code used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Scheduled => "scheduled",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }
}

/// The status of a poll at `now` (milliseconds since the epoch).
pub fn status(published: bool, opens_at: i64, closes_at: i64, now: i64) -> PollStatus {
    if !published {
        PollStatus::Draft
    } else if now < opens_at {
        PollStatus::Scheduled
    } else if now < closes_at {
        PollStatus::Open
    } else {
        PollStatus::Closed
    }
}

/// A poll: `GET /polls/{id}` (a draft is a 404 to anyone but staff), and the items of
/// `GET /hromadas/{katottg}/polls?state=active|past` (active: scheduled and open; past:
/// closed; staff may ask `state=draft`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poll {
    pub id: String,
    pub katottg: String,
    pub kind: PollKind,
    pub title: String,
    pub intro: String,
    pub questions: Vec<Question>,
    pub audience: Audience,
    pub results_shown: ResultsShown,
    pub opens_at: String,
    pub closes_at: String,
    pub status: PollStatus,
    /// People who answered.
    pub responses: u32,
    /// Whether the reader answered.
    #[serde(default)]
    pub answered: bool,
    /// Whether the reader may see the results now.
    #[serde(default)]
    pub results_visible: bool,
}

/// What staff write: `POST /hromadas/{katottg}/polls` (a draft), `PUT /polls/{id}`.
/// Once anyone has answered, only `closes_at` may change (409 otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollDraft {
    pub kind: PollKind,
    pub title: String,
    pub intro: String,
    pub questions: Vec<Question>,
    pub audience: Audience,
    pub results_shown: ResultsShown,
    pub opens_at: String,
    pub closes_at: String,
}

/// The answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnswerValue {
    /// Positions of the chosen options (single: exactly one).
    Choice {
        options: Vec<u32>,
    },
    Scale {
        value: u8,
    },
    Text {
        text: String,
    },
}

/// One answered question; questions left out are not answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The question's position.
    pub question: u32,
    #[serde(flatten)]
    pub value: AnswerValue,
}

/// A person's answers: `POST /polls/{id}/responses` (201; 409 if they answered already;
/// 409 when the poll is not open). Field errors are named `answers[{question}]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseDraft {
    pub answers: Vec<Answer>,
}

/// The figures of one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionResult {
    /// How many chose each option, in option order.
    Choice { counts: Vec<u32>, answered: u32 },
    /// How many gave 1, 2, … 5, and the average in hundredths (`None` with no answers).
    Scale {
        counts: Vec<u32>,
        answered: u32,
        average_x100: Option<u32>,
    },
    /// How many answered; the texts are paged at `GET /polls/{id}/questions/{q}/texts`.
    Text { answered: u32 },
}

/// `GET /polls/{id}/results` when the reader may see them (403 otherwise);
/// `GET /polls/{id}/results.csv` (staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollResults {
    pub responses: u32,
    pub questions: Vec<QuestionResult>,
}

/// One free-text answer, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextAnswer {
    pub text: String,
    pub at: String,
}

/// A share in tenths of a per cent, rounded half up: 1 of 3 is 333 (33.3 %).
pub fn per_mille(count: u32, total: u32) -> u32 {
    if total == 0 {
        return 0;
    }
    ((u64::from(count) * 2000 + u64::from(total)) / (u64::from(total) * 2)) as u32
}

/// Who may answer and see what, when.
pub mod rules {
    use super::{Audience, PollStatus, ResultsShown};

    /// Why someone cannot answer.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum CannotAnswer {
        /// Not open (not yet, or closed).
        NotOpen,
        /// Not signed in.
        SignIn,
        /// Only the hromada's verified residents answer this one, and the reader lives
        /// elsewhere.
        OtherHromada,
        /// Only verified residents answer this one.
        Verify,
        /// Answered already; answers cannot change.
        Answered,
    }

    /// Whether a reader may answer now; the first obstacle otherwise.
    pub fn can_answer(
        status: PollStatus,
        audience: Audience,
        signed_in: bool,
        resident: bool,
        verified: bool,
        answered: bool,
    ) -> Result<(), CannotAnswer> {
        if answered {
            return Err(CannotAnswer::Answered);
        }
        if status != PollStatus::Open {
            return Err(CannotAnswer::NotOpen);
        }
        if !signed_in {
            return Err(CannotAnswer::SignIn);
        }
        if audience == Audience::Verified {
            if !resident {
                return Err(CannotAnswer::OtherHromada);
            }
            if !verified {
                return Err(CannotAnswer::Verify);
            }
        }
        Ok(())
    }

    /// Whether a reader may see the results now. Staff always may.
    pub fn results_visible(
        shown: ResultsShown,
        status: PollStatus,
        answered: bool,
        staff: bool,
    ) -> bool {
        if staff {
            return true;
        }
        match (status, shown) {
            (PollStatus::Draft, _) => false,
            (PollStatus::Closed, _) => true,
            (_, ResultsShown::Always) => true,
            (_, ResultsShown::AfterAnswer) => answered,
            (_, ResultsShown::AfterClose) => false,
        }
    }
}

/// All problems of a draft.
pub fn validate_draft(d: &PollDraft) -> Vec<FieldError> {
    let mut out = Vec::new();
    validate::text("title", &d.title, TITLE_MIN, TITLE_MAX, &mut out);
    if !d.intro.trim().is_empty() {
        validate::multiline("intro", &d.intro, 1, INTRO_MAX, &mut out);
    }
    if d.questions.is_empty() {
        out.push(FieldError::new("questions", ErrorCode::Required));
    } else if d.questions.len() > QUESTIONS_MAX {
        out.push(FieldError::new("questions", ErrorCode::TooMany));
    }
    for (i, q) in d.questions.iter().enumerate() {
        let field = format!("questions[{i}]");
        validate::text(
            &format!("{field}.title"),
            &q.title,
            1,
            QUESTION_MAX,
            &mut out,
        );
        let (options, max) = match &q.kind {
            QuestionKind::Single { options } => (Some(options), None),
            QuestionKind::Multiple { options, max } => (Some(options), Some(*max)),
            QuestionKind::Scale | QuestionKind::Text => (None, None),
        };
        if let Some(options) = options {
            if options.len() < OPTIONS_RANGE.0 {
                out.push(FieldError::new(
                    &format!("{field}.options"),
                    ErrorCode::TooShort,
                ));
            } else if options.len() > OPTIONS_RANGE.1 {
                out.push(FieldError::new(
                    &format!("{field}.options"),
                    ErrorCode::TooMany,
                ));
            }
            for (j, o) in options.iter().enumerate() {
                validate::text(&format!("{field}.options[{j}]"), o, 1, OPTION_MAX, &mut out);
            }
            if let Some(max) = max
                && (max < 1 || max as usize > options.len())
            {
                out.push(FieldError::new(&format!("{field}.max"), ErrorCode::Invalid));
            }
        }
    }
    match (
        crate::time::parse_rfc3339(&d.opens_at),
        crate::time::parse_rfc3339(&d.closes_at),
    ) {
        (None, _) => out.push(FieldError::new("opens_at", ErrorCode::Invalid)),
        (_, None) => out.push(FieldError::new("closes_at", ErrorCode::Invalid)),
        (Some(o), Some(c)) if c <= o => {
            out.push(FieldError::new("closes_at", ErrorCode::BeforeStart))
        }
        _ => {}
    }
    out
}

/// All problems of a response to `questions`: a required question left out, an option or
/// a scale value that does not exist, more choices than allowed, a text too long, a
/// question answered twice or one that does not exist.
pub fn validate_response(questions: &[Question], r: &ResponseDraft) -> Vec<FieldError> {
    let mut out = Vec::new();
    let mut seen = vec![false; questions.len()];
    for a in &r.answers {
        let field = format!("answers[{}]", a.question);
        let Some(q) = questions.get(a.question as usize) else {
            out.push(FieldError::new(&field, ErrorCode::Invalid));
            continue;
        };
        if std::mem::replace(&mut seen[a.question as usize], true) {
            out.push(FieldError::new(&field, ErrorCode::Invalid));
            continue;
        }
        let code = match (&q.kind, &a.value) {
            (QuestionKind::Single { options }, AnswerValue::Choice { options: chosen }) => {
                match chosen.as_slice() {
                    [] => Some(ErrorCode::Required),
                    [one] if (*one as usize) < options.len() => None,
                    [_] => Some(ErrorCode::Invalid),
                    _ => Some(ErrorCode::TooMany),
                }
            }
            (QuestionKind::Multiple { options, max }, AnswerValue::Choice { options: chosen }) => {
                let mut sorted = chosen.clone();
                sorted.sort_unstable();
                sorted.dedup();
                if chosen.is_empty() {
                    Some(ErrorCode::Required)
                } else if sorted.len() != chosen.len()
                    || chosen.iter().any(|c| *c as usize >= options.len())
                {
                    Some(ErrorCode::Invalid)
                } else if chosen.len() > *max as usize {
                    Some(ErrorCode::TooMany)
                } else {
                    None
                }
            }
            (QuestionKind::Scale, AnswerValue::Scale { value }) => {
                (!(1..=SCALE_MAX).contains(value)).then_some(ErrorCode::Invalid)
            }
            (QuestionKind::Text, AnswerValue::Text { text }) => {
                let n = text.trim().chars().count();
                if n == 0 {
                    Some(ErrorCode::Required)
                } else if n > TEXT_ANSWER_MAX {
                    Some(ErrorCode::TooLong)
                } else if text
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                {
                    Some(ErrorCode::Invalid)
                } else {
                    None
                }
            }
            _ => Some(ErrorCode::Invalid),
        };
        if let Some(code) = code {
            out.push(FieldError::new(&field, code));
        }
    }
    for (i, q) in questions.iter().enumerate() {
        if q.required && !seen[i] {
            out.push(FieldError::new(
                &format!("answers[{i}]"),
                ErrorCode::Required,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::rules::{CannotAnswer, can_answer, results_visible};
    use super::*;

    fn questions() -> Vec<Question> {
        vec![
            Question {
                title: "Де облаштувати новий сквер?".into(),
                required: true,
                kind: QuestionKind::Single {
                    options: vec!["Центр".into(), "Таврійський".into(), "Острів".into()],
                },
            },
            Question {
                title: "Що має бути в сквері?".into(),
                required: false,
                kind: QuestionKind::Multiple {
                    options: vec![
                        "Лавки".into(),
                        "Освітлення".into(),
                        "Дитячий майданчик".into(),
                        "Wi-Fi".into(),
                    ],
                    max: 2,
                },
            },
            Question {
                title: "Як ви оцінюєте благоустрій?".into(),
                required: true,
                kind: QuestionKind::Scale,
            },
            Question {
                title: "Ваша пропозиція".into(),
                required: false,
                kind: QuestionKind::Text,
            },
        ]
    }

    fn answer(question: u32, value: AnswerValue) -> Answer {
        Answer { question, value }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<(String, ErrorCode)> {
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_complete_response_passes() {
        let r = ResponseDraft {
            answers: vec![
                answer(0, AnswerValue::Choice { options: vec![1] }),
                answer(
                    1,
                    AnswerValue::Choice {
                        options: vec![0, 2],
                    },
                ),
                answer(2, AnswerValue::Scale { value: 4 }),
                answer(
                    3,
                    AnswerValue::Text {
                        text: "Фонтан".into(),
                    },
                ),
            ],
        };
        assert!(validate_response(&questions(), &r).is_empty());
        let minimal = ResponseDraft {
            answers: vec![
                answer(0, AnswerValue::Choice { options: vec![0] }),
                answer(2, AnswerValue::Scale { value: 1 }),
            ],
        };
        assert!(validate_response(&questions(), &minimal).is_empty());
    }

    #[test]
    fn every_problem_is_named_by_its_question() {
        let r = ResponseDraft {
            answers: vec![
                answer(0, AnswerValue::Choice { options: vec![3] }),
                answer(
                    1,
                    AnswerValue::Choice {
                        options: vec![0, 1, 2],
                    },
                ),
                answer(2, AnswerValue::Scale { value: 6 }),
                answer(
                    3,
                    AnswerValue::Text {
                        text: "я".repeat(TEXT_ANSWER_MAX + 1),
                    },
                ),
                answer(7, AnswerValue::Scale { value: 1 }),
            ],
        };
        assert_eq!(
            fields(validate_response(&questions(), &r)),
            [
                ("answers[0]".to_owned(), ErrorCode::Invalid),
                ("answers[1]".to_owned(), ErrorCode::TooMany),
                ("answers[2]".to_owned(), ErrorCode::Invalid),
                ("answers[3]".to_owned(), ErrorCode::TooLong),
                ("answers[7]".to_owned(), ErrorCode::Invalid),
            ]
        );
        let empty = ResponseDraft::default();
        assert_eq!(
            fields(validate_response(&questions(), &empty)),
            [
                ("answers[0]".to_owned(), ErrorCode::Required),
                ("answers[2]".to_owned(), ErrorCode::Required),
            ]
        );
        let twice = ResponseDraft {
            answers: vec![
                answer(0, AnswerValue::Choice { options: vec![0] }),
                answer(0, AnswerValue::Choice { options: vec![1] }),
                answer(
                    1,
                    AnswerValue::Choice {
                        options: vec![1, 1],
                    },
                ),
                answer(2, AnswerValue::Text { text: "5".into() }),
            ],
        };
        assert_eq!(
            fields(validate_response(&questions(), &twice)),
            [
                ("answers[0]".to_owned(), ErrorCode::Invalid),
                ("answers[1]".to_owned(), ErrorCode::Invalid),
                ("answers[2]".to_owned(), ErrorCode::Invalid),
            ]
        );
    }

    #[test]
    fn drafts_are_checked() {
        let ok = PollDraft {
            kind: PollKind::Survey,
            title: "Новий сквер".into(),
            intro: String::new(),
            questions: questions(),
            audience: Audience::SignedIn,
            results_shown: ResultsShown::AfterAnswer,
            opens_at: "2026-12-01T00:00:00Z".into(),
            closes_at: "2026-12-15T00:00:00Z".into(),
        };
        assert!(validate_draft(&ok).is_empty());
        let mut bad = ok.clone();
        bad.questions[0].kind = QuestionKind::Single {
            options: vec!["Лише один".into()],
        };
        bad.questions[1].kind = QuestionKind::Multiple {
            options: (0..11).map(|i| i.to_string()).collect(),
            max: 12,
        };
        bad.closes_at = bad.opens_at.clone();
        assert_eq!(
            fields(validate_draft(&bad)),
            [
                ("questions[0].options".to_owned(), ErrorCode::TooShort),
                ("questions[1].options".to_owned(), ErrorCode::TooMany),
                ("questions[1].max".to_owned(), ErrorCode::Invalid),
                ("closes_at".to_owned(), ErrorCode::BeforeStart),
            ]
        );
    }

    #[test]
    fn who_may_answer_and_see() {
        use PollStatus::*;
        assert_eq!(
            can_answer(Open, Audience::SignedIn, true, true, false, false),
            Ok(())
        );
        assert_eq!(
            can_answer(Open, Audience::Verified, true, true, false, false),
            Err(CannotAnswer::Verify)
        );
        assert_eq!(
            can_answer(Closed, Audience::SignedIn, true, true, true, true),
            Err(CannotAnswer::Answered),
            "who answered is told so, whatever became of the poll"
        );
        assert_eq!(
            can_answer(Scheduled, Audience::SignedIn, true, true, true, false),
            Err(CannotAnswer::NotOpen)
        );
        assert_eq!(
            can_answer(Open, Audience::SignedIn, false, false, false, false),
            Err(CannotAnswer::SignIn)
        );
        assert_eq!(
            can_answer(Open, Audience::Verified, true, false, true, false),
            Err(CannotAnswer::OtherHromada)
        );
        assert_eq!(
            can_answer(Open, Audience::SignedIn, true, false, false, false),
            Ok(()),
            "anyone signed in may answer an open poll"
        );
        assert!(!results_visible(
            ResultsShown::AfterAnswer,
            Open,
            false,
            false
        ));
        assert!(results_visible(
            ResultsShown::AfterAnswer,
            Open,
            true,
            false
        ));
        assert!(!results_visible(
            ResultsShown::AfterClose,
            Open,
            true,
            false
        ));
        assert!(results_visible(
            ResultsShown::AfterClose,
            Closed,
            false,
            false
        ));
        assert!(results_visible(ResultsShown::AfterClose, Open, false, true));
        assert!(!results_visible(ResultsShown::Always, Draft, false, false));
    }

    #[test]
    fn status_follows_the_times() {
        assert_eq!(status(false, 0, 10, 5), PollStatus::Draft);
        assert_eq!(status(true, 5, 10, 4), PollStatus::Scheduled);
        assert_eq!(status(true, 5, 10, 5), PollStatus::Open);
        assert_eq!(status(true, 5, 10, 10), PollStatus::Closed);
    }

    #[test]
    fn shares_round_half_up_in_tenths() {
        assert_eq!(per_mille(1, 3), 333);
        assert_eq!(per_mille(2, 3), 667);
        assert_eq!(per_mille(1, 8), 125);
        assert_eq!(per_mille(0, 0), 0);
        assert_eq!(per_mille(500, 500), 1000);
    }

    #[test]
    fn the_wire_format() {
        let q = &questions()[1];
        assert_eq!(
            serde_json::to_value(q).unwrap(),
            serde_json::json!({"title":"Що має бути в сквері?","required":false,"kind":"multiple",
                "options":["Лавки","Освітлення","Дитячий майданчик","Wi-Fi"],"max":2})
        );
        let a = answer(2, AnswerValue::Scale { value: 4 });
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            serde_json::json!({"question":2,"kind":"scale","value":4})
        );
    }
}
