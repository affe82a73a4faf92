//! Polls and surveys: the hromada's staff write a draft, publish it, and residents answer
//! once while it is open; the results show as the poll says.
//!
//! Who may answer and see what is the contract's [`hromada_api::polls::rules`]; what an
//! answer must be is [`hromada_api::polls::validate_response`]. A draft is seen only by
//! the staff of its hromada and administrators (404 for anyone else). Once anyone has
//! answered, only `closes_at` may change (and only while the poll has not closed): the
//! title and introduction are frozen too, so that nobody answers a different text than
//! others did. Results are counted by the database.

use hromada_api::polls::rules::{self, CannotAnswer};
use hromada_api::polls::{
    AnswerValue, Audience, Poll, PollDraft, PollKind, PollResults, PollStatus, Question,
    QuestionKind, QuestionResult, ResponseDraft, ResultsShown, SCALE_MAX, TextAnswer, per_mille,
    status, validate_draft, validate_response,
};
use hromada_api::{ErrorCode, FieldError, Page};

use crate::db::{AnswerRows, Db, PollFilter, PollRow, PollWrite, RespondOutcome, ResponseWrite};
use crate::domain::accounts::Account;
use crate::domain::budget::csv_cell;
use crate::domain::news::{require_hromada, require_staff};
use crate::domain::{clock, cursor, ids, paging};
use crate::error::{ApiError, ApiResult};

const NOT_STAFF: &str = "Only staff of this hromada may do this.";
const NOT_OPEN: &str = "This poll is not open: it has not opened yet, or it has closed.";
const ALREADY_ANSWERED: &str = "You have already answered this poll; answers cannot change.";
const OTHER_HROMADA: &str = "Only verified residents of this hromada answer this poll; you are a \
     resident of another hromada.";
const VERIFY: &str = "Only verified residents answer this poll: ask the hromada's staff to \
     verify your residence (on your account page), then answer.";
const SIGN_IN: &str = "Sign in first.";
const LOCKED: &str = "People have answered this poll: only its closing time may change now.";
const CLOSED_LOCKED: &str = "This poll has closed and has answers: it cannot change any more.";
const PUBLISHED: &str = "Only a draft can be deleted; this poll is published.";
const PUBLISH_CLOSED: &str =
    "This draft's closing time has passed: move it later before publishing.";
const RESULTS_HIDDEN: &str = "The results of this poll are not shown yet: they show after you \
     answer or once the poll closes, as the poll says.";
const DRAFTS_STAFF: &str = "Only staff of this hromada see draft polls.";

// ---------------------------------------------------------------------------------------
// Codes

fn kind_code(k: PollKind) -> &'static str {
    match k {
        PollKind::Poll => "poll",
        PollKind::Survey => "survey",
    }
}

fn audience_code(a: Audience) -> &'static str {
    match a {
        Audience::SignedIn => "signed_in",
        Audience::Verified => "verified",
    }
}

fn shown_code(s: ResultsShown) -> &'static str {
    match s {
        ResultsShown::Always => "always",
        ResultsShown::AfterAnswer => "after_answer",
        ResultsShown::AfterClose => "after_close",
    }
}

fn from_code<T: serde::de::DeserializeOwned>(what: &str, code: &str) -> ApiResult<T> {
    serde_json::from_value(serde_json::Value::String(code.to_owned()))
        .map_err(|_| ApiError::Internal(format!("poll {what} {code}")))
}

/// A stored poll, decoded.
struct Stored {
    row: PollRow,
    kind: PollKind,
    questions: Vec<Question>,
    audience: Audience,
    shown: ResultsShown,
    opens_ms: i64,
    closes_ms: i64,
}

fn decode(row: PollRow) -> ApiResult<Stored> {
    let questions: Vec<Question> = serde_json::from_str(&row.questions)
        .map_err(|e| ApiError::Internal(format!("poll questions: {e}")))?;
    let time = |s: &str| {
        clock::parse_rfc3339(s).ok_or_else(|| ApiError::Internal(format!("poll time {s}")))
    };
    Ok(Stored {
        kind: from_code("kind", &row.kind)?,
        audience: from_code("audience", &row.audience)?,
        shown: from_code("results_shown", &row.results_shown)?,
        opens_ms: time(&row.opens_at)?,
        closes_ms: time(&row.closes_at)?,
        questions,
        row,
    })
}

impl Stored {
    fn status(&self, now_ms: i64) -> PollStatus {
        status(
            self.row.published_at.is_some(),
            self.opens_ms,
            self.closes_ms,
            now_ms,
        )
    }
}

/// Whether `viewer` is staff of the poll's hromada (or an administrator).
fn is_staff(s: &Stored, viewer: Option<&Account>) -> bool {
    viewer.is_some_and(|v| v.may_manage(&s.row.katottg))
}

fn view(s: &Stored, viewer: Option<&Account>, now_ms: i64) -> Poll {
    let st = s.status(now_ms);
    Poll {
        id: s.row.id.clone(),
        katottg: s.row.katottg.clone(),
        kind: s.kind,
        title: s.row.title.clone(),
        intro: s.row.intro.clone(),
        questions: s.questions.clone(),
        audience: s.audience,
        results_shown: s.shown,
        opens_at: s.row.opens_at.clone(),
        closes_at: s.row.closes_at.clone(),
        status: st,
        responses: s.row.responses,
        answered: s.row.answered,
        results_visible: rules::results_visible(s.shown, st, s.row.answered, is_staff(s, viewer)),
    }
}

/// Loads a poll with whether `viewer` answered it; 404 for a malformed id, an unknown
/// one, or a draft `viewer` may not see.
async fn load(db: &Db, viewer: Option<&Account>, id: &str) -> ApiResult<Stored> {
    if !ids::is_id(id) {
        return Err(ApiError::NotFound);
    }
    let row = db
        .poll(id, viewer.map(|v| v.user.id.as_str()))
        .await?
        .ok_or(ApiError::NotFound)?;
    let s = decode(row)?;
    if s.row.published_at.is_none() && !is_staff(&s, viewer) {
        return Err(ApiError::NotFound);
    }
    Ok(s)
}

/// Loads a poll for its hromada's staff: 404 to whoever may not see it, 403 to those
/// who may see it but are not its staff.
async fn load_for_staff(db: &Db, actor: &Account, id: &str) -> ApiResult<Stored> {
    let s = load(db, Some(actor), id).await?;
    if is_staff(&s, Some(actor)) {
        Ok(s)
    } else {
        Err(ApiError::Forbidden(NOT_STAFF))
    }
}

async fn reload(db: &Db, actor: &Account, id: &str) -> ApiResult<Poll> {
    let s = load(db, Some(actor), id).await?;
    Ok(view(&s, Some(actor), clock::now_millis()))
}

/// `GET /polls/{id}`.
pub async fn get(db: &Db, viewer: Option<&Account>, id: &str) -> ApiResult<Poll> {
    let s = load(db, viewer, id).await?;
    Ok(view(&s, viewer, clock::now_millis()))
}

// ---------------------------------------------------------------------------------------
// Writing

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A checked draft, tidied: titles and options on one line, the introduction trimmed,
/// the times in the stored form.
struct Clean {
    kind: PollKind,
    title: String,
    intro: String,
    questions: Vec<Question>,
    questions_json: String,
    audience: Audience,
    shown: ResultsShown,
    opens_at: String,
    closes_at: String,
}

fn clean(d: &PollDraft) -> ApiResult<Clean> {
    let errors = validate_draft(d);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let time = |field: &str, s: &str| {
        clock::parse_rfc3339(s)
            .map(clock::rfc3339)
            .ok_or_else(|| ApiError::field(field, ErrorCode::Invalid))
    };
    let questions: Vec<Question> = d
        .questions
        .iter()
        .map(|q| Question {
            title: one_line(&q.title),
            required: q.required,
            kind: match &q.kind {
                QuestionKind::Single { options } => QuestionKind::Single {
                    options: options.iter().map(|o| one_line(o)).collect(),
                },
                QuestionKind::Multiple { options, max } => QuestionKind::Multiple {
                    options: options.iter().map(|o| one_line(o)).collect(),
                    max: *max,
                },
                QuestionKind::Scale => QuestionKind::Scale,
                QuestionKind::Text => QuestionKind::Text,
            },
        })
        .collect();
    let questions_json =
        serde_json::to_string(&questions).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Clean {
        kind: d.kind,
        title: one_line(&d.title),
        intro: d.intro.trim().to_owned(),
        questions,
        questions_json,
        audience: d.audience,
        shown: d.results_shown,
        opens_at: time("opens_at", &d.opens_at)?,
        closes_at: time("closes_at", &d.closes_at)?,
    })
}

fn write<'a>(c: &'a Clean, now: &'a str) -> PollWrite<'a> {
    PollWrite {
        kind: kind_code(c.kind),
        title: &c.title,
        intro: &c.intro,
        questions: &c.questions_json,
        question_count: c.questions.len() as i64,
        audience: audience_code(c.audience),
        results_shown: shown_code(c.shown),
        opens_at: &c.opens_at,
        closes_at: &c.closes_at,
        now,
    }
}

/// Stores a checked draft of `author`; returns its id.
async fn insert(db: &Db, author: &Account, katottg: &str, d: &PollDraft) -> ApiResult<String> {
    let c = clean(d)?;
    let id = ids::new_id();
    let now = clock::now_rfc3339();
    db.insert_poll(&id, katottg, &author.user.id, &write(&c, &now))
        .await?;
    Ok(id)
}

/// `POST /hromadas/{katottg}/polls` (its staff or an administrator): a draft.
pub async fn create(db: &Db, actor: &Account, katottg: &str, d: &PollDraft) -> ApiResult<Poll> {
    require_staff(db, actor, katottg).await?;
    let id = insert(db, actor, katottg, d).await?;
    reload(db, actor, &id).await
}

/// `PUT /polls/{id}` (its hromada's staff): anything may change until someone answers;
/// then only `closes_at`, while the poll has not closed (409 otherwise).
pub async fn update(db: &Db, actor: &Account, id: &str, d: &PollDraft) -> ApiResult<Poll> {
    let s = load_for_staff(db, actor, id).await?;
    let c = clean(d)?;
    let now_ms = clock::now_millis();
    let now = clock::rfc3339(now_ms);
    // Someone may answer in the meantime: then the edit is judged as a locked one.
    if s.row.responses == 0 && db.update_poll(id, &write(&c, &now)).await? {
        return reload(db, actor, id).await;
    }
    let s = load_for_staff(db, actor, id).await?;
    if s.status(now_ms) == PollStatus::Closed {
        return Err(ApiError::Conflict(CLOSED_LOCKED));
    }
    let same = c.kind == s.kind
        && c.title == s.row.title
        && c.intro == s.row.intro
        && c.questions == s.questions
        && c.audience == s.audience
        && c.shown == s.shown
        && c.opens_at == s.row.opens_at;
    if !same {
        return Err(ApiError::Conflict(LOCKED));
    }
    if c.closes_at != s.row.closes_at && !db.set_poll_closes_at(id, &c.closes_at, &now).await? {
        return Err(ApiError::Conflict(CLOSED_LOCKED));
    }
    reload(db, actor, id).await
}

/// `POST /polls/{id}/publish` (staff): a draft becomes published (scheduled or open as
/// its times say). Publishing a published poll returns it unchanged; a draft whose
/// closing time has passed is refused (409).
pub async fn publish(db: &Db, actor: &Account, id: &str) -> ApiResult<Poll> {
    let s = load_for_staff(db, actor, id).await?;
    let now_ms = clock::now_millis();
    if s.row.published_at.is_none() {
        if s.closes_ms <= now_ms {
            return Err(ApiError::Conflict(PUBLISH_CLOSED));
        }
        db.publish_poll(id, &clock::rfc3339(now_ms)).await?;
    }
    reload(db, actor, id).await
}

/// `DELETE /polls/{id}` (staff): drafts only (409 once published).
pub async fn delete(db: &Db, actor: &Account, id: &str) -> ApiResult<()> {
    load_for_staff(db, actor, id).await?;
    if db.delete_poll(id).await? {
        Ok(())
    } else {
        Err(ApiError::Conflict(PUBLISHED))
    }
}

// ---------------------------------------------------------------------------------------
// Lists

/// `GET /hromadas/{katottg}/polls?state=&cursor=&limit=`: `active` (the default:
/// scheduled and open, soonest closing first), `past` (closed, newest closed first) or
/// `draft` (staff only, newest created first).
pub async fn list(
    db: &Db,
    viewer: Option<&Account>,
    katottg: &str,
    state: Option<&str>,
    cursor_raw: Option<&str>,
    limit_raw: Option<&str>,
) -> ApiResult<Page<Poll>> {
    let limit = paging::limit(limit_raw)?;
    let filter = match state.map(str::trim).filter(|s| !s.is_empty()) {
        None | Some("active") => PollFilter::Active,
        Some("past") => PollFilter::Past,
        Some("draft") => PollFilter::Draft,
        Some(_) => {
            return Err(ApiError::BadParams(vec![FieldError::new(
                "state",
                ErrorCode::Invalid,
            )]));
        }
    };
    let after = match cursor_raw {
        None => None,
        Some(c) => {
            let p = cursor::decode(c, 2).ok_or_else(paging::bad_cursor)?;
            if clock::parse_rfc3339(&p[0]).is_none() || !ids::is_id(&p[1]) {
                return Err(paging::bad_cursor());
            }
            Some(p)
        }
    };
    require_hromada(db, katottg).await?;
    if filter == PollFilter::Draft {
        match viewer {
            None => return Err(ApiError::Unauthorized(SIGN_IN)),
            Some(a) if a.may_manage(katottg) => {}
            Some(_) => return Err(ApiError::Forbidden(DRAFTS_STAFF)),
        }
    }
    let now_ms = clock::now_millis();
    let mut rows = db
        .polls_list(
            katottg,
            filter,
            &clock::rfc3339(now_ms),
            after.as_ref().map(|p| (p[0].as_str(), p[1].as_str())),
            viewer.map(|v| v.user.id.as_str()),
            limit + 1,
        )
        .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| {
            let key = if filter == PollFilter::Draft {
                &r.created_at
            } else {
                &r.closes_at
            };
            cursor::encode(&[key, &r.id])
        })
    } else {
        None
    };
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(view(&decode(row)?, viewer, now_ms));
    }
    Ok(Page { items, next_cursor })
}

// ---------------------------------------------------------------------------------------
// Answering

fn is_verified(actor: &Account) -> bool {
    actor.user.verification == "verified"
}

fn cannot(e: CannotAnswer) -> ApiError {
    match e {
        CannotAnswer::Answered => ApiError::Conflict(ALREADY_ANSWERED),
        CannotAnswer::NotOpen => ApiError::Conflict(NOT_OPEN),
        CannotAnswer::SignIn => ApiError::Unauthorized(SIGN_IN),
        CannotAnswer::OtherHromada => ApiError::Forbidden(OTHER_HROMADA),
        CannotAnswer::Verify => ApiError::Forbidden(VERIFY),
    }
}

/// The rows of a checked response.
fn answer_rows(r: &ResponseDraft) -> AnswerRows {
    let mut out = AnswerRows::default();
    for a in &r.answers {
        match &a.value {
            AnswerValue::Choice { options } => {
                out.choices.extend(options.iter().map(|o| (a.question, *o)));
            }
            AnswerValue::Scale { value } => out.scales.push((a.question, *value)),
            AnswerValue::Text { text } => out.texts.push((a.question, text.trim().to_owned())),
        }
    }
    out
}

/// `POST /polls/{id}/responses`: the reader answers, once. 409 if they answered
/// already or the poll is not open; 403 for a poll of verified residents when the
/// reader lives elsewhere or is not verified; 422 naming `answers[{q}]`.
pub async fn respond(db: &Db, actor: &Account, id: &str, r: &ResponseDraft) -> ApiResult<Poll> {
    let s = load(db, Some(actor), id).await?;
    let now_ms = clock::now_millis();
    rules::can_answer(
        s.status(now_ms),
        s.audience,
        true,
        actor.user.hromada == s.row.katottg,
        is_verified(actor),
        s.row.answered,
    )
    .map_err(cannot)?;
    let errors = validate_response(&s.questions, r);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let w = ResponseWrite {
        id: ids::new_id(),
        user_id: actor.user.id.clone(),
        at: clock::rfc3339(now_ms),
        answers: answer_rows(r),
    };
    match db.respond_to_poll(id, &w).await? {
        RespondOutcome::Stored(_) => reload(db, actor, id).await,
        RespondOutcome::AlreadyAnswered => Err(ApiError::Conflict(ALREADY_ANSWERED)),
        RespondOutcome::NotOpen => Err(ApiError::Conflict(NOT_OPEN)),
    }
}

// ---------------------------------------------------------------------------------------
// Results

/// Loads a poll whose results `viewer` may see now (403 otherwise).
async fn load_results(db: &Db, viewer: Option<&Account>, id: &str) -> ApiResult<Stored> {
    let s = load(db, viewer, id).await?;
    if view(&s, viewer, clock::now_millis()).results_visible {
        Ok(s)
    } else {
        Err(ApiError::Forbidden(RESULTS_HIDDEN))
    }
}

/// The figures of a poll, from the database's counts.
async fn compute(db: &Db, s: &Stored) -> ApiResult<PollResults> {
    let t = db.poll_tally(&s.row.id).await?;
    let questions = s
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let i = i as u32;
            match &q.kind {
                QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => {
                    let mut counts = vec![0; options.len()];
                    for (_, o, n) in t.choices.iter().filter(|c| c.0 == i) {
                        if let Some(c) = counts.get_mut(*o as usize) {
                            *c = *n;
                        }
                    }
                    let answered = t
                        .choice_answered
                        .iter()
                        .find(|c| c.0 == i)
                        .map_or(0, |c| c.1);
                    QuestionResult::Choice { counts, answered }
                }
                QuestionKind::Scale => {
                    let mut counts = vec![0; usize::from(SCALE_MAX)];
                    for (_, v, n) in t.scales.iter().filter(|c| c.0 == i) {
                        if let Some(c) = counts.get_mut((*v as usize).wrapping_sub(1)) {
                            *c = *n;
                        }
                    }
                    let avg = t.averages.iter().find(|a| a.0 == i);
                    QuestionResult::Scale {
                        counts,
                        answered: avg.map_or(0, |a| a.1),
                        average_x100: avg.map(|a| a.2),
                    }
                }
                QuestionKind::Text => QuestionResult::Text {
                    answered: t.texts.iter().find(|c| c.0 == i).map_or(0, |c| c.1),
                },
            }
        })
        .collect();
    Ok(PollResults {
        responses: s.row.responses,
        questions,
    })
}

/// `GET /polls/{id}/results`: when the reader may see them (403 otherwise).
pub async fn results(db: &Db, viewer: Option<&Account>, id: &str) -> ApiResult<PollResults> {
    let s = load_results(db, viewer, id).await?;
    compute(db, &s).await
}

/// `GET /polls/{id}/questions/{q}/texts?cursor=&limit=`: the texts given to a text
/// question, newest first; 404 for a question that is not a text question.
pub async fn texts(
    db: &Db,
    viewer: Option<&Account>,
    id: &str,
    question: &str,
    cursor_raw: Option<&str>,
    limit_raw: Option<&str>,
) -> ApiResult<Page<TextAnswer>> {
    let limit = paging::limit(limit_raw)?;
    let after = match cursor_raw {
        None => None,
        Some(c) => {
            let p = cursor::decode(c, 2).ok_or_else(paging::bad_cursor)?;
            if clock::parse_rfc3339(&p[0]).is_none() || !ids::is_id(&p[1]) {
                return Err(paging::bad_cursor());
            }
            Some(p)
        }
    };
    let s = load_results(db, viewer, id).await?;
    let q = question
        .parse::<u32>()
        .ok()
        .filter(|q| {
            s.questions
                .get(*q as usize)
                .is_some_and(|q| q.kind == QuestionKind::Text)
        })
        .ok_or(ApiError::NotFound)?;
    let mut rows = db
        .poll_texts(
            &s.row.id,
            q,
            after.as_ref().map(|p| (p[0].as_str(), p[1].as_str())),
            limit + 1,
        )
        .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| cursor::encode(&[&r.answered_at, &r.response_id]))
    } else {
        None
    };
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| TextAnswer {
                text: r.text,
                at: r.answered_at,
            })
            .collect(),
        next_cursor,
    })
}

/// Tenths of a per cent as text: 333 → `33.3`.
fn percent(per_mille: u32) -> String {
    format!("{}.{}", per_mille / 10, per_mille % 10)
}

/// The results as CSV: a UTF-8 byte order mark, the header
/// `question,option,count,share_percent` and, per question in order:
/// - a choice question: one row per option, its count and its share of the people who
///   answered the question (`33.3`);
/// - a scale: one row per value `1` … `5` likewise, then a row `average` whose `count`
///   is the average with two decimals (`3.67`; empty with no answers) and whose
///   `share_percent` is empty;
/// - a text question: one row with the option `text answers` and the count of answers
///   (the texts themselves are read at `GET /polls/{id}/questions/{q}/texts`).
///
/// Cells are quoted and defused as [`csv_cell`] does; lines end in CRLF.
pub fn results_csv(questions: &[Question], r: &PollResults) -> String {
    let mut out = String::from("\u{feff}question,option,count,share_percent\r\n");
    let mut row = |q: &str, o: &str, count: &str, share: &str| {
        out.push_str(&format!(
            "{},{},{},{}\r\n",
            csv_cell(q),
            csv_cell(o),
            count,
            share
        ));
    };
    for (q, res) in questions.iter().zip(&r.questions) {
        match (&q.kind, res) {
            (
                QuestionKind::Single { options } | QuestionKind::Multiple { options, .. },
                QuestionResult::Choice { counts, answered },
            ) => {
                for (o, n) in options.iter().zip(counts) {
                    row(
                        &q.title,
                        o,
                        &n.to_string(),
                        &percent(per_mille(*n, *answered)),
                    );
                }
            }
            (
                QuestionKind::Scale,
                QuestionResult::Scale {
                    counts,
                    answered,
                    average_x100,
                },
            ) => {
                for (v, n) in counts.iter().enumerate() {
                    row(
                        &q.title,
                        &(v + 1).to_string(),
                        &n.to_string(),
                        &percent(per_mille(*n, *answered)),
                    );
                }
                let avg = average_x100
                    .map(|a| format!("{}.{:02}", a / 100, a % 100))
                    .unwrap_or_default();
                row(&q.title, "average", &avg, "");
            }
            (QuestionKind::Text, QuestionResult::Text { answered }) => {
                row(&q.title, "text answers", &answered.to_string(), "");
            }
            _ => {}
        }
    }
    out
}

/// `GET /polls/{id}/results.csv` (its hromada's staff or an administrator).
pub async fn results_file(db: &Db, actor: &Account, id: &str) -> ApiResult<String> {
    let s = load_for_staff(db, actor, id).await?;
    let r = compute(db, &s).await?;
    Ok(results_csv(&s.questions, &r))
}

// ---------------------------------------------------------------------------------------
// Demo content

/// Polls and responses at set times, without the checks of the live API (demo content).
pub mod seed {
    use super::*;

    /// Stores a checked draft by `author`; published at `published_at` when given.
    /// Returns its id.
    pub async fn poll(
        db: &Db,
        author: &Account,
        katottg: &str,
        d: &PollDraft,
        published_at: Option<&str>,
    ) -> ApiResult<String> {
        let id = insert(db, author, katottg, d).await?;
        if let Some(at) = published_at {
            db.publish_poll(&id, at).await?;
        }
        Ok(id)
    }

    /// Stores responses `(user id, time, answers)`, each checked against the questions.
    pub async fn responses(
        db: &Db,
        id: &str,
        questions: &[Question],
        responses: &[(String, String, ResponseDraft)],
    ) -> ApiResult<u64> {
        let mut writes = Vec::with_capacity(responses.len());
        for (user, at, r) in responses {
            let errors = validate_response(questions, r);
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            writes.push(ResponseWrite {
                id: ids::new_id(),
                user_id: user.clone(),
                at: at.clone(),
                answers: answer_rows(r),
            });
        }
        Ok(db.insert_poll_responses(id, &writes).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(title: &str, kind: QuestionKind) -> Question {
        Question {
            title: title.into(),
            required: true,
            kind,
        }
    }

    #[test]
    fn the_csv_has_a_row_per_option_value_and_text_question() {
        let questions = vec![
            q(
                "=Де?",
                QuestionKind::Single {
                    options: vec!["Центр, площа".into(), "+Острів".into()],
                },
            ),
            q("Оцінка", QuestionKind::Scale),
            q("Пропозиції", QuestionKind::Text),
        ];
        let r = PollResults {
            responses: 3,
            questions: vec![
                QuestionResult::Choice {
                    counts: vec![1, 2],
                    answered: 3,
                },
                QuestionResult::Scale {
                    counts: vec![0, 0, 1, 1, 1],
                    answered: 3,
                    average_x100: Some(400),
                },
                QuestionResult::Text { answered: 2 },
            ],
        };
        let csv = results_csv(&questions, &r);
        assert_eq!(
            csv,
            "\u{feff}question,option,count,share_percent\r\n\
             '=Де?,\"Центр, площа\",1,33.3\r\n\
             '=Де?,'+Острів,2,66.7\r\n\
             Оцінка,1,0,0.0\r\nОцінка,2,0,0.0\r\nОцінка,3,1,33.3\r\nОцінка,4,1,33.3\r\n\
             Оцінка,5,1,33.3\r\nОцінка,average,4.00,\r\n\
             Пропозиції,text answers,2,\r\n"
        );
    }

    #[test]
    fn stored_codes_round_trip() {
        for k in [PollKind::Poll, PollKind::Survey] {
            assert_eq!(from_code::<PollKind>("kind", kind_code(k)).unwrap(), k);
        }
        for a in [Audience::SignedIn, Audience::Verified] {
            assert_eq!(from_code::<Audience>("a", audience_code(a)).unwrap(), a);
        }
        for s in [
            ResultsShown::Always,
            ResultsShown::AfterAnswer,
            ResultsShown::AfterClose,
        ] {
            assert_eq!(from_code::<ResultsShown>("s", shown_code(s)).unwrap(), s);
        }
        assert_eq!(percent(1000), "100.0");
        assert_eq!(percent(5), "0.5");
    }
}
