//! Local electronic petitions (Article 23-1 of the Law "On citizens' appeals" and the
//! hromada's statute): submission and moderation, signatures, the move to consideration
//! when the number is reached, the council's answer, and the hand-over of a petition
//! whose period ended without the number to the appeals inbox.
//!
//! The terms and who may sign are the contract's [`hromada_api::petitions::terms`] and
//! [`hromada_api::petitions::rules`]; this module enforces them. A petition in moderation
//! is seen only by its author and the staff of its hromada (404 for anyone else); all
//! others are public, with their signers' names.

use hromada_api::notifications::{Notification, NotificationKind};
use hromada_api::petitions::{
    AnswerDraft, Decision, Moderation, NewPetition, Petition, PetitionAnswer, PetitionSettings,
    PetitionSort, PetitionStatus, PetitionSummary, Signed, Signer, rules, terms, validate_answer,
    validate_moderation, validate_new, validate_settings,
};
use hromada_api::{Hromada, HromadaSettings, Page};

use crate::db::{
    About, Db, ListKey, ListOrder, NewPetitionRow, NotificationWrite, PetitionRow, PublishWrite,
    SignOutcome,
};
use crate::domain::accounts::Account;
use crate::domain::appeals::{HandedOver, OnBehalf};
use crate::domain::live::Live;
use crate::domain::news::{require_hromada, require_staff};
use crate::domain::{clock, cursor, ids, notifications, paging, search};
use crate::error::{ApiError, ApiResult};

/// Petitions one person may submit within [`DAILY_WINDOW_MS`].
pub const DAILY_LIMIT: i64 = 10;
/// The window of [`DAILY_LIMIT`]: 24 hours.
pub const DAILY_WINDOW_MS: i64 = 86_400_000;
/// Signatures one person may give within [`SIGNING_WINDOW_MS`] (the author's own at
/// publication count too): far more than anyone signs by hand, few enough to stop a
/// script signing everything with one account.
pub const SIGNING_LIMIT: i64 = 60;
/// The window of [`SIGNING_LIMIT`]: an hour.
pub const SIGNING_WINDOW_MS: i64 = 60 * 60 * 1000;
/// Most ended petitions one tick of the ticker hands over (the rest on the next ticks).
pub const HAND_OVER_BATCH: i64 = 50;

const NOT_STAFF: &str = "Only staff of this hromada may do this.";
const NOT_RESIDENT_SUBMIT: &str = "Only residents of this hromada may submit petitions to it.";
const VERIFY_SUBMIT: &str = "This hromada accepts petitions only from verified residents: \
     ask its staff to verify your residence (on your account page), then submit again.";
const NOT_RESIDENT_SIGN: &str = "Only residents of this hromada may sign its petitions.";
const VERIFY_SIGN: &str = "This hromada accepts signatures only from verified residents: \
     ask its staff to verify your residence (on your account page), then sign.";
const ALREADY_SIGNED: &str = "You have already signed this petition; a signature is given once.";
const NOT_COLLECTING: &str =
    "This petition is not collecting signatures: it is in moderation, or signing has ended.";
const NOT_IN_MODERATION: &str =
    "Only a petition in moderation can be published or rejected; this one was decided already.";
const NOT_IN_CONSIDERATION: &str =
    "Only a petition under consideration (one that reached its number) can be answered.";

// ---------------------------------------------------------------------------------------
// Views

fn status_of(code: &str) -> ApiResult<PetitionStatus> {
    PetitionStatus::from_code(code)
        .ok_or_else(|| ApiError::Internal(format!("petition status {code}")))
}

fn decision_of(code: &str) -> ApiResult<Decision> {
    Decision::ALL
        .into_iter()
        .find(|d| d.code() == code)
        .ok_or_else(|| ApiError::Internal(format!("petition decision {code}")))
}

/// A stored petition as lists show it.
fn summary(row: &PetitionRow) -> ApiResult<PetitionSummary> {
    Ok(PetitionSummary {
        id: row.id.clone(),
        katottg: row.katottg.clone(),
        title: row.title.clone(),
        author_name: row.author_name.clone(),
        status: status_of(&row.status)?,
        signatures: row.signatures,
        needed: row.needed,
        submitted_at: row.submitted_at.clone(),
        published_at: row.published_at.clone(),
        ends_at: row.ends_at.clone(),
        due_at: row.due_at.clone(),
        decision: row.decision.as_deref().map(decision_of).transpose()?,
    })
}

/// How a reader stands to a petition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reader {
    mine: bool,
    /// Staff of its hromada, or an administrator.
    staff: bool,
}

fn reader(row: &PetitionRow, viewer: Option<&Account>) -> Reader {
    Reader {
        mine: viewer.is_some_and(|v| v.user.id == row.author_id),
        staff: viewer.is_some_and(|v| v.may_manage(&row.katottg)),
    }
}

/// Whether `r` may see the petition at all: one in moderation only its author and staff.
fn visible(row: &PetitionRow, r: Reader) -> bool {
    row.status != PetitionStatus::Moderation.code() || r.mine || r.staff
}

/// The whole petition as `r` sees it.
fn view(row: &PetitionRow, r: Reader, signed: bool) -> ApiResult<Petition> {
    let answer = match (&row.decision, &row.answer_text, &row.answered_at) {
        (Some(d), Some(text), Some(at)) => Some(PetitionAnswer {
            decision: decision_of(d)?,
            text: text.clone(),
            at: at.clone(),
            by: row.answered_by_name.clone().unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(Petition {
        summary: summary(row)?,
        text: row.body.clone(),
        author_email: row.author_email.clone(),
        answer,
        rejection_reason: row.rejection_reason.clone(),
        // The appeal is private: only its author and staff could open it.
        appeal_id: if r.mine || r.staff {
            row.appeal_id.clone()
        } else {
            None
        },
        signed,
        mine: r.mine,
    })
}

/// Loads a petition with whether `viewer` signed it; 404 for a malformed id, an unknown
/// one, or one in moderation that `viewer` may not see.
async fn load(db: &Db, viewer: Option<&Account>, id: &str) -> ApiResult<(PetitionRow, bool)> {
    if !ids::is_id(id) {
        return Err(ApiError::NotFound);
    }
    let (row, signed) = db
        .petition(id, viewer.map(|v| v.user.id.as_str()))
        .await?
        .ok_or(ApiError::NotFound)?;
    if !visible(&row, reader(&row, viewer)) {
        return Err(ApiError::NotFound);
    }
    Ok((row, signed))
}

/// Loads a petition for its hromada's staff: 404 to whoever may not see it, 403 to
/// those who may see it but are not its staff.
async fn load_for_staff(db: &Db, actor: &Account, id: &str) -> ApiResult<(PetitionRow, bool)> {
    let (row, signed) = load(db, Some(actor), id).await?;
    if actor.may_manage(&row.katottg) {
        Ok((row, signed))
    } else {
        Err(ApiError::Forbidden(NOT_STAFF))
    }
}

async fn reload(db: &Db, actor: &Account, id: &str) -> ApiResult<Petition> {
    let (row, signed) = load(db, Some(actor), id).await?;
    view(&row, reader(&row, Some(actor)), signed)
}

/// `GET /petitions/{id}`.
pub async fn get(db: &Db, viewer: Option<&Account>, id: &str) -> ApiResult<Petition> {
    let (row, signed) = load(db, viewer, id).await?;
    view(&row, reader(&row, viewer), signed)
}

fn notification(id: &str, kind: NotificationKind, at: &str, row: &PetitionRow) -> Notification {
    notifications::made(
        id,
        kind,
        at,
        About::Petition {
            id: row.id.clone(),
            title: row.title.clone(),
        },
    )
}

fn send_all(
    live: &Live,
    made: &[(String, String)],
    kind: NotificationKind,
    at: &str,
    row: &PetitionRow,
) {
    for (user, nid) in made {
        live.notify(user, notification(nid, kind, at, row));
    }
}

// ---------------------------------------------------------------------------------------
// Submitting

fn is_verified(actor: &Account) -> bool {
    actor.user.verification == "verified"
}

/// 429 when the person submitted [`DAILY_LIMIT`] petitions within the last 24 hours.
async fn throttle(db: &Db, actor: &Account, now_ms: i64) -> ApiResult<()> {
    let since = clock::rfc3339(now_ms - DAILY_WINDOW_MS);
    let (n, oldest) = db.petitions_by_author_since(&actor.user.id, &since).await?;
    super::throttle::submissions(n, oldest.as_deref(), now_ms, DAILY_LIMIT, DAILY_WINDOW_MS)
}

/// Stores a checked petition in moderation, submitted at `at_ms` by `author`.
async fn submit(
    db: &Db,
    katottg: &str,
    author: &Account,
    p: &NewPetition,
    needed: u32,
    at_ms: i64,
) -> ApiResult<String> {
    let id = ids::new_id();
    let title = p.title.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = p.text.trim().to_owned();
    let search_text = format!("{} {}", search::normalize(&title), search::normalize(&text));
    let at = clock::rfc3339(at_ms);
    let due = clock::rfc3339(terms::moderation_due(at_ms));
    db.insert_petition(&NewPetitionRow {
        id: &id,
        katottg,
        author_id: &author.user.id,
        author_name: &author.user.full_name,
        author_email: &author.user.email,
        title: &title,
        body: &text,
        search_text: &search_text,
        needed,
        submitted_at: &at,
        due_at: &due,
    })
    .await?;
    Ok(id)
}

/// `POST /hromadas/{katottg}/petitions`: a resident of the hromada (a verified one, when
/// the hromada says so) submits a petition; it goes to moderation, due within 2 working
/// days.
pub async fn create(
    db: &Db,
    actor: &Account,
    katottg: &str,
    p: &NewPetition,
) -> ApiResult<Petition> {
    let hromada = crate::domain::hromadas::get(db, katottg).await?;
    if actor.user.hromada != katottg {
        return Err(ApiError::Forbidden(NOT_RESIDENT_SUBMIT));
    }
    if hromada.settings.petition_verified_only && !is_verified(actor) {
        return Err(ApiError::Forbidden(VERIFY_SUBMIT));
    }
    let errors = validate_new(p);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now_ms = clock::now_millis();
    throttle(db, actor, now_ms).await?;
    let id = submit(
        db,
        katottg,
        actor,
        p,
        hromada.settings.petition_signatures,
        now_ms,
    )
    .await?;
    reload(db, actor, &id).await
}

// ---------------------------------------------------------------------------------------
// Lists

fn bad_param(field: &str) -> ApiError {
    ApiError::BadParams(vec![hromada_api::FieldError::new(
        field,
        hromada_api::ErrorCode::Invalid,
    )])
}

fn non_empty(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// The column "ending soonest" runs on in a tab: the end of signing, or for moderation
/// and consideration the decision's due date; a rejected petition has neither, so that
/// tab keeps the newest first.
fn soonest_column(status: PetitionStatus) -> Option<&'static str> {
    match status {
        PetitionStatus::Moderation | PetitionStatus::Consideration => Some("p.due_at"),
        PetitionStatus::Collecting | PetitionStatus::Answered | PetitionStatus::NotSupported => {
            Some("p.ends_at")
        }
        PetitionStatus::Rejected => None,
    }
}

fn order_of(status: PetitionStatus, sort: PetitionSort) -> ListOrder {
    match sort {
        PetitionSort::Newest => ListOrder::Newest,
        PetitionSort::MostSigned => ListOrder::MostSigned,
        PetitionSort::EndingSoon => {
            soonest_column(status).map_or(ListOrder::Newest, ListOrder::Soonest)
        }
    }
}

/// The sort value of a row in `order`, for the next page's cursor.
fn key_of(row: &PetitionRow, order: ListOrder) -> String {
    match order {
        ListOrder::Newest => row.listed_at.clone(),
        ListOrder::MostSigned => row.signatures.to_string(),
        ListOrder::Soonest("p.due_at") => row.due_at.clone().unwrap_or_default(),
        ListOrder::Soonest(_) => row.ends_at.clone().unwrap_or_default(),
    }
}

fn list_cursor(raw: Option<&str>, order: ListOrder) -> ApiResult<Option<(ListKey, String)>> {
    let Some(c) = raw else { return Ok(None) };
    let p = cursor::decode(c, 2).ok_or_else(paging::bad_cursor)?;
    if !ids::is_id(&p[1]) {
        return Err(paging::bad_cursor());
    }
    let key = match order {
        ListOrder::MostSigned => ListKey::Number(
            p[0].parse::<u32>()
                .map_err(|_| paging::bad_cursor())?
                .into(),
        ),
        _ => {
            if clock::parse_rfc3339(&p[0]).is_none() {
                return Err(paging::bad_cursor());
            }
            ListKey::Text(p[0].clone())
        }
    };
    Ok(Some((key, p[1].clone())))
}

/// `GET /hromadas/{katottg}/petitions` parameters, as given.
#[derive(Debug, Default)]
pub struct ListParams<'a> {
    pub status: Option<&'a str>,
    pub sort: Option<&'a str>,
    pub q: Option<&'a str>,
    pub cursor: Option<&'a str>,
    pub limit: Option<&'a str>,
}

/// `GET /hromadas/{katottg}/petitions?status=&sort=&q=&cursor=&limit=`: one tab (by
/// default those collecting signatures), newest first, most signed first or ending
/// soonest first; `q` searches titles and texts. The moderation tab is for the hromada's
/// staff only.
pub async fn list(
    db: &Db,
    viewer: Option<&Account>,
    katottg: &str,
    p: &ListParams<'_>,
) -> ApiResult<Page<PetitionSummary>> {
    let limit = paging::limit(p.limit)?;
    let q = paging::query(p.q)?;
    let status = match non_empty(p.status) {
        None => PetitionStatus::Collecting,
        Some(s) => PetitionStatus::from_code(s).ok_or_else(|| bad_param("status"))?,
    };
    let sort = match non_empty(p.sort) {
        None => PetitionSort::Newest,
        Some(s) => PetitionSort::from_code(s).ok_or_else(|| bad_param("sort"))?,
    };
    let order = order_of(status, sort);
    let after = list_cursor(p.cursor, order)?;
    require_hromada(db, katottg).await?;
    if status == PetitionStatus::Moderation {
        match viewer {
            None => return Err(ApiError::Unauthorized("Sign in first.")),
            Some(a) if a.may_manage(katottg) => {}
            Some(_) => {
                return Err(ApiError::Forbidden(
                    "Only staff of this hromada see petitions in moderation.",
                ));
            }
        }
    }
    let pattern = q.as_deref().map(search::contains_pattern);
    let mut rows = db
        .petitions_list(
            katottg,
            status.code(),
            order,
            pattern.as_deref(),
            after.as_ref().map(|(k, id)| (k, id.as_str())),
            limit + 1,
        )
        .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| cursor::encode(&[&key_of(r, order), &r.id]))
    } else {
        None
    };
    Ok(Page {
        items: rows.iter().map(summary).collect::<ApiResult<_>>()?,
        next_cursor,
    })
}

/// `GET /me/petitions?cursor=&limit=`: the person's own petitions, any status, newest
/// submitted first.
pub async fn my_list(
    db: &Db,
    actor: &Account,
    cursor_raw: Option<&str>,
    limit_raw: Option<&str>,
) -> ApiResult<Page<PetitionSummary>> {
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
    let mut rows = db
        .petitions_by_author(
            &actor.user.id,
            after.as_ref().map(|p| (p[0].as_str(), p[1].as_str())),
            limit + 1,
        )
        .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| cursor::encode(&[&r.submitted_at, &r.id]))
    } else {
        None
    };
    Ok(Page {
        items: rows.iter().map(summary).collect::<ApiResult<_>>()?,
        next_cursor,
    })
}

/// `GET /petitions/{id}/signatures?cursor=&limit=`: who signed, in the order they
/// signed (the author first), with the time.
pub async fn signers(
    db: &Db,
    viewer: Option<&Account>,
    id: &str,
    cursor_raw: Option<&str>,
    limit_raw: Option<&str>,
) -> ApiResult<Page<Signer>> {
    let limit = paging::limit(limit_raw)?;
    let after = match cursor_raw {
        None => None,
        Some(c) => {
            let p = cursor::decode(c, 1).ok_or_else(paging::bad_cursor)?;
            let seq = p[0].parse::<u32>().map_err(|_| paging::bad_cursor())?;
            Some(i64::from(seq))
        }
    };
    let (row, _) = load(db, viewer, id).await?;
    let mut rows = db.petition_signers(&row.id, after, limit + 1).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| cursor::encode(&[&r.seq.to_string()]))
    } else {
        None
    };
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| Signer {
                full_name: r.full_name,
                at: r.signed_at,
            })
            .collect(),
        next_cursor,
    })
}

// ---------------------------------------------------------------------------------------
// Signing

/// Why `actor` cannot sign `row` (given whether they signed already), as an error.
fn may_sign(row: &PetitionRow, actor: &Account, signed: bool) -> ApiResult<()> {
    let r = rules::Reader {
        signed_in: true,
        verified: is_verified(actor),
        resident: actor.user.hromada == row.katottg,
    };
    rules::can_sign(status_of(&row.status)?, row.verified_only, r, signed).map_err(|e| {
        use rules::CannotSign;
        match e {
            CannotSign::SignIn => ApiError::Unauthorized("Sign in first."),
            CannotSign::Verify => ApiError::Forbidden(VERIFY_SIGN),
            CannotSign::OtherHromada => ApiError::Forbidden(NOT_RESIDENT_SIGN),
            CannotSign::Signed => ApiError::Conflict(ALREADY_SIGNED),
            CannotSign::NotCollecting => ApiError::Conflict(NOT_COLLECTING),
        }
    })
}

/// Adds `actor`'s signature at `at_ms`; the database's unique constraint has the last
/// word on "once". Returns the outcome and the notifications made when the number was
/// reached (already sent live).
async fn add_signature(
    db: &Db,
    live: Option<&Live>,
    row: &PetitionRow,
    user_id: &str,
    full_name: &str,
    at_ms: i64,
) -> ApiResult<Signed> {
    let at = clock::rfc3339(at_ms);
    let outcome = db
        .sign_petition(
            &row.id,
            user_id,
            full_name,
            &at,
            || clock::rfc3339(terms::answer_due(at_ms)),
            notifications::code(NotificationKind::PetitionReached),
        )
        .await?;
    match outcome {
        SignOutcome::Signed {
            signatures,
            reached,
        } => {
            let status = match reached {
                Some(made) => {
                    if let Some(live) = live {
                        send_all(live, &made, NotificationKind::PetitionReached, &at, row);
                    }
                    PetitionStatus::Consideration
                }
                None => PetitionStatus::Collecting,
            };
            Ok(Signed { signatures, status })
        }
        SignOutcome::AlreadySigned => Err(ApiError::Conflict(ALREADY_SIGNED)),
        SignOutcome::NotCollecting => Err(ApiError::Conflict(NOT_COLLECTING)),
    }
}

/// `POST /petitions/{id}/signatures`: the reader signs. 403 for a resident of another
/// hromada or (when the hromada says so) an unverified one; 409 if already signed or
/// the petition is not collecting; 429 once the reader gave [`SIGNING_LIMIT`] signatures
/// within the last hour. Reaching the number moves the petition to consideration, due
/// within 10 working days, and tells the author and every signer.
pub async fn sign(db: &Db, live: &Live, actor: &Account, id: &str) -> ApiResult<Signed> {
    let (row, signed) = load(db, Some(actor), id).await?;
    may_sign(&row, actor, signed)?;
    let now_ms = clock::now_millis();
    let since = clock::rfc3339(now_ms - SIGNING_WINDOW_MS);
    let (n, oldest) = db.signatures_by_user_since(&actor.user.id, &since).await?;
    super::throttle::submissions(
        n,
        oldest.as_deref(),
        now_ms,
        SIGNING_LIMIT,
        SIGNING_WINDOW_MS,
    )?;
    add_signature(
        db,
        Some(live),
        &row,
        &actor.user.id,
        &actor.user.full_name,
        now_ms,
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Staff

/// Publishes or rejects a petition in moderation at `at_ms`; returns the notification
/// made for the author. Publication freezes `frozen` (signatures, days), by default the
/// hromada's settings now.
async fn decide(
    db: &Db,
    row: &PetitionRow,
    m: &Moderation,
    at_ms: i64,
    frozen: Option<(u32, u32)>,
) -> ApiResult<Notification> {
    let at = clock::rfc3339(at_ms);
    let nid = ids::new_id();
    let (done, kind) = match m {
        Moderation::Publish => {
            let (needed, days) = match frozen {
                Some(f) => f,
                None => {
                    let h = db.hromada(&row.katottg).await?.ok_or(ApiError::NotFound)?;
                    (h.settings.petition_signatures, h.settings.petition_days)
                }
            };
            let ends = clock::rfc3339(terms::ends(at_ms, days));
            let kind = NotificationKind::PetitionPublished;
            let done = db
                .publish_petition(
                    &row.id,
                    &PublishWrite {
                        at: &at,
                        needed,
                        ends_at: &ends,
                        author_id: &row.author_id,
                        author_name: &row.author_name,
                    },
                    &NotificationWrite {
                        id: &nid,
                        user_id: &row.author_id,
                        kind: notifications::code(kind),
                        appeal_id: None,
                        petition_id: Some(&row.id),
                        project_id: None,
                        consultation_id: None,
                        at: &at,
                    },
                )
                .await?;
            (done, kind)
        }
        Moderation::Reject { reason } => {
            let kind = NotificationKind::PetitionRejected;
            let done = db
                .reject_petition(
                    &row.id,
                    reason.trim(),
                    &at,
                    &NotificationWrite {
                        id: &nid,
                        user_id: &row.author_id,
                        kind: notifications::code(kind),
                        appeal_id: None,
                        petition_id: Some(&row.id),
                        project_id: None,
                        consultation_id: None,
                        at: &at,
                    },
                )
                .await?;
            (done, kind)
        }
    };
    if !done {
        return Err(ApiError::Conflict(NOT_IN_MODERATION));
    }
    Ok(notification(&nid, kind, &at, row))
}

/// `POST /petitions/{id}/moderation` (the hromada's staff): publish (signing starts; the
/// number and the period are frozen from the hromada's settings; the author's signature
/// is the first) or reject with a reason. Only from moderation (409 otherwise).
pub async fn moderate(
    db: &Db,
    live: &Live,
    actor: &Account,
    id: &str,
    m: &Moderation,
) -> ApiResult<Petition> {
    let (row, _) = load_for_staff(db, actor, id).await?;
    let errors = validate_moderation(m);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if row.status != PetitionStatus::Moderation.code() {
        return Err(ApiError::Conflict(NOT_IN_MODERATION));
    }
    let n = decide(db, &row, m, clock::now_millis(), None).await?;
    live.notify(&row.author_id, n);
    reload(db, actor, &row.id).await
}

/// Publishes the answer at `at_ms` by `by`; returns who was notified.
async fn record_answer(
    db: &Db,
    row: &PetitionRow,
    d: &AnswerDraft,
    by: (&str, &str),
    at_ms: i64,
) -> ApiResult<(String, Vec<(String, String)>)> {
    let at = clock::rfc3339(at_ms);
    let made = db
        .answer_petition(
            &row.id,
            d.decision.code(),
            d.text.trim(),
            &at,
            by.0,
            by.1,
            notifications::code(NotificationKind::PetitionAnswered),
        )
        .await?
        .ok_or(ApiError::Conflict(NOT_IN_CONSIDERATION))?;
    Ok((at, made))
}

/// `POST /petitions/{id}/answer` (the hromada's staff): the decision and the answer of a
/// petition under consideration; its author and every signer are told.
pub async fn answer(
    db: &Db,
    live: &Live,
    actor: &Account,
    id: &str,
    d: &AnswerDraft,
) -> ApiResult<Petition> {
    let (row, _) = load_for_staff(db, actor, id).await?;
    let errors = validate_answer(d);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if row.status != PetitionStatus::Consideration.code() {
        return Err(ApiError::Conflict(NOT_IN_CONSIDERATION));
    }
    let (at, made) = record_answer(
        db,
        &row,
        d,
        (&actor.user.id, &actor.user.full_name),
        clock::now_millis(),
    )
    .await?;
    send_all(live, &made, NotificationKind::PetitionAnswered, &at, &row);
    reload(db, actor, &row.id).await
}

/// `PUT /hromadas/{katottg}/petition-settings` (its staff or an administrator): the
/// number of signatures, the period and whether only verified residents may sign.
/// Petitions already published keep the numbers they were published with.
pub async fn update_settings(
    db: &Db,
    actor: &Account,
    katottg: &str,
    s: &PetitionSettings,
) -> ApiResult<Hromada> {
    require_staff(db, actor, katottg).await?;
    let errors = validate_settings(s);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    db.update_hromada_settings(
        katottg,
        &HromadaSettings {
            petition_signatures: s.signatures,
            petition_days: s.days,
            petition_verified_only: s.verified_only,
        },
    )
    .await?;
    db.hromada(katottg).await?.ok_or(ApiError::NotFound)
}

// ---------------------------------------------------------------------------------------
// The end of the period

/// The text of the appeal a petition becomes: where it comes from, then the petition's
/// text (the appeal's limit cuts it).
fn appeal_text(row: &PetitionRow) -> String {
    let ends = row
        .ends_at
        .as_deref()
        .map(|e| e.get(..10).unwrap_or(e).to_owned())
        .unwrap_or_default();
    format!(
        "Розглядається як звернення: електронна петиція {} («{}») не набрала потрібної \
         кількості підписів до {ends} ({} з {}).\n\n{}",
        row.id, row.title, row.signatures, row.needed, row.body
    )
}

/// Hands one ended petition over at `at_ms`: it becomes `not_supported`, an appeal is
/// registered from it (from its author, with the contact details of the author's
/// profile) and the author is notified. `None` if it was no longer collecting (another
/// process handed it over, or it reached its number meanwhile).
async fn hand_over(
    db: &Db,
    row: &PetitionRow,
    at_ms: i64,
) -> ApiResult<Option<(String, Notification)>> {
    let author = db.user_by_id(&row.author_id).await?;
    let (name, address, email) = match &author {
        Some(u) => (u.full_name.as_str(), u.address.as_str(), u.email.as_str()),
        None => (row.author_name.as_str(), "", row.author_email.as_str()),
    };
    let appeal = HandedOver::new(
        db,
        &OnBehalf {
            katottg: &row.katottg,
            author_id: &row.author_id,
            full_name: name,
            address,
            email,
        },
        &row.title,
        &appeal_text(row),
        at_ms,
    )
    .await?;
    let at = clock::rfc3339(at_ms);
    let nid = ids::new_id();
    let kind = NotificationKind::PetitionNotSupported;
    let number = db
        .hand_over_petition(
            &row.id,
            &at,
            &appeal.row(),
            |seq| appeal.number(seq),
            &appeal.step(),
            &NotificationWrite {
                id: &nid,
                user_id: &row.author_id,
                kind: notifications::code(kind),
                appeal_id: None,
                petition_id: Some(&row.id),
                project_id: None,
                consultation_id: None,
                at: &at,
            },
        )
        .await?;
    Ok(number.map(|_| (row.author_id.clone(), notification(&nid, kind, &at, row))))
}

/// Hands every collecting petition whose period ended by `now_ms` without its number
/// over to the appeals inbox (the ticker calls this every second; safe in several
/// processes at once). Returns how many this call handed over.
pub async fn hand_over_ended(db: &Db, live: Option<&Live>, now_ms: i64) -> ApiResult<usize> {
    let rows = db
        .petitions_ended(&clock::rfc3339(now_ms), HAND_OVER_BATCH)
        .await?;
    let mut done = 0;
    for row in rows {
        if let Some((user, n)) = hand_over(db, &row, now_ms).await? {
            done += 1;
            if let Some(live) = live {
                live.notify(&user, n);
            }
        }
    }
    Ok(done)
}

// ---------------------------------------------------------------------------------------
// Demo content

/// Steps of a petition at past times, without the checks of the live API (demo content).
pub mod seed {
    use super::*;

    /// Submits a petition at `at_ms`, needing `needed` signatures once published.
    pub async fn submit(
        db: &Db,
        katottg: &str,
        author: &Account,
        p: &NewPetition,
        at_ms: i64,
    ) -> ApiResult<String> {
        let errors = validate_new(p);
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let hromada = db.hromada(katottg).await?.ok_or(ApiError::NotFound)?;
        super::submit(
            db,
            katottg,
            author,
            p,
            hromada.settings.petition_signatures,
            at_ms,
        )
        .await
    }

    async fn row(db: &Db, id: &str) -> ApiResult<PetitionRow> {
        Ok(db.petition(id, None).await?.ok_or(ApiError::NotFound)?.0)
    }

    /// Publishes (needing `needed` signatures in `days` days, as the hromada's settings
    /// were then) or rejects at `at_ms`.
    pub async fn moderate(
        db: &Db,
        id: &str,
        m: &Moderation,
        at_ms: i64,
        needed: u32,
        days: u32,
    ) -> ApiResult<()> {
        let r = row(db, id).await?;
        decide(db, &r, m, at_ms, Some((needed, days))).await?;
        Ok(())
    }

    /// Adds many signatures `(user id, full name, time)` at once, in one transaction,
    /// short of the number (the one that reaches it goes through [`sign`]).
    pub async fn sign_many(
        db: &Db,
        id: &str,
        signers: &[(String, String, String)],
    ) -> ApiResult<()> {
        if !db.add_signatures(id, signers).await? {
            return Err(ApiError::Internal(format!(
                "demo signatures of {id} would reach its number or it is not collecting"
            )));
        }
        Ok(())
    }

    /// Signs for `user_id` at `at_ms`.
    pub async fn sign(
        db: &Db,
        id: &str,
        user_id: &str,
        full_name: &str,
        at_ms: i64,
    ) -> ApiResult<Signed> {
        let r = row(db, id).await?;
        add_signature(db, None, &r, user_id, full_name, at_ms).await
    }

    /// Answers at `at_ms` as `by` (user id, name).
    pub async fn answer(
        db: &Db,
        id: &str,
        d: &AnswerDraft,
        by: (&str, &str),
        at_ms: i64,
    ) -> ApiResult<()> {
        let r = row(db, id).await?;
        record_answer(db, &r, d, by, at_ms).await?;
        Ok(())
    }

    /// Hands over an ended petition at `at_ms`.
    pub async fn hand_over(db: &Db, id: &str, at_ms: i64) -> ApiResult<()> {
        let r = row(db, id).await?;
        super::hand_over(db, &r, at_ms).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_choose_their_deadline() {
        use PetitionStatus::*;
        assert_eq!(
            order_of(Collecting, PetitionSort::EndingSoon),
            ListOrder::Soonest("p.ends_at")
        );
        assert_eq!(
            order_of(Moderation, PetitionSort::EndingSoon),
            ListOrder::Soonest("p.due_at")
        );
        assert_eq!(
            order_of(Rejected, PetitionSort::EndingSoon),
            ListOrder::Newest
        );
        assert_eq!(
            order_of(Answered, PetitionSort::MostSigned),
            ListOrder::MostSigned
        );
    }

    #[test]
    fn cursors_are_checked_for_their_order() {
        let id = "0123456789abcdef0123456789abcdef";
        let c = cursor::encode(&["12", id]);
        assert!(list_cursor(Some(&c), ListOrder::MostSigned).is_ok());
        assert!(list_cursor(Some(&c), ListOrder::Newest).is_err());
        let c = cursor::encode(&["-1", id]);
        assert!(list_cursor(Some(&c), ListOrder::MostSigned).is_err());
        let c = cursor::encode(&["2026-01-01T00:00:00.000Z", id]);
        assert!(list_cursor(Some(&c), ListOrder::Soonest("p.ends_at")).is_ok());
        let c = cursor::encode(&["2026-01-01T00:00:00.000Z", "x"]);
        assert!(list_cursor(Some(&c), ListOrder::Newest).is_err());
    }
}
