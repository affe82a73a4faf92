//! Public services and consultations: the hromada's catalogue of administrative services
//! (its ЦНАП) and answers to frequent questions, which its staff write and everyone reads;
//! the catalogue's search; and consultations, in which a signed-in person asks and the
//! hromada's staff answer.
//!
//! What is valid is the contract's [`hromada_api::services`]; the search is
//! [`hromada_api::search`] over [`hromada_api::services::index`], the same as the app's.
//! A consultation is private: only its author and the hromada's staff (or an
//! administrator) see it; anyone else gets 404.

use hromada_api::news::LiveEvent;
use hromada_api::notifications::NotificationKind;
use hromada_api::services::{
    self as contract, Answer, AnswerDraft, Centre, Consultation, ConsultationStatus,
    ConsultationSummary, Hit, Link, LinkRef, Message, NewMessage, RefKind, SearchAnswer,
    SearchResults, SearchService, Searchable, Sender, Service, ServiceDraft, ServiceLink,
    ServiceSummary, Situation, Term,
};
use hromada_api::{ErrorCode, FieldError, Page, validate};

use crate::db::{
    About, AnswerRow, AnswerWrite, CentreRow, ConsultationRow, Db, MessageRow, MessageWrite,
    NotificationWrite, QueueOrder, ServiceRow, ServiceWrite,
};
use crate::domain::accounts::Account;
use crate::domain::live::Live;
use crate::domain::news::{require_hromada, require_staff};
use crate::domain::{clock, cursor, ids, notifications, paging, search};
use crate::error::{ApiError, ApiResult};

/// Most consultations one person starts within [`DAILY_WINDOW_MS`].
pub const DAILY_CONSULTATIONS: i64 = 20;
/// Most messages one person writes in consultations within [`DAILY_WINDOW_MS`].
pub const DAILY_MESSAGES: i64 = 200;
/// The window of the daily limits: 24 hours.
pub const DAILY_WINDOW_MS: i64 = 24 * 3_600_000;
/// How long a hit's snippet is, in characters.
pub const SNIPPET: usize = 160;

const NOT_STAFF: &str = "Only staff of this hromada may do this.";

// ---------------------------------------------------------------------------------------
// Decoding

fn situation(code: &str) -> ApiResult<Situation> {
    Situation::from_code(code).ok_or_else(|| ApiError::Internal(format!("situation {code}")))
}

fn situation_pos(s: Situation) -> i64 {
    Situation::ALL.iter().position(|x| *x == s).unwrap_or(6) as i64
}

fn strings(json: &str) -> ApiResult<Vec<String>> {
    serde_json::from_str(json).map_err(|e| ApiError::Internal(format!("stored list: {e}")))
}

fn fee(row: &ServiceRow) -> Option<u64> {
    row.fee.and_then(|f| u64::try_from(f).ok())
}

fn summary(row: &ServiceRow) -> ApiResult<ServiceSummary> {
    Ok(ServiceSummary {
        id: row.id.clone(),
        katottg: row.katottg.clone(),
        situation: situation(&row.situation)?,
        title: row.title.clone(),
        purpose: row.purpose.clone(),
        fee: fee(row),
        term: Term {
            days: u16::try_from(row.term_days).unwrap_or(0),
            working: row.term_working,
        },
        online: row.online_url.is_some(),
    })
}

fn answer_view(row: &AnswerRow) -> Answer {
    Answer {
        id: row.id.clone(),
        katottg: row.katottg.clone(),
        question: row.question.clone(),
        answer: row.answer.clone(),
        service: match (&row.service_id, &row.service_title) {
            (Some(id), Some(title)) => Some(ServiceLink {
                id: id.clone(),
                title: title.clone(),
            }),
            _ => None,
        },
        updated_at: row.updated_at.clone(),
    }
}

fn centre_view(c: CentreRow) -> Centre {
    Centre {
        name: c.name,
        address: c.address,
        hours: c.hours,
        phone: c.phone,
        email: c.email,
    }
}

async fn service_view(db: &Db, row: &ServiceRow) -> ApiResult<Service> {
    let answers = db.answers_of_service(&row.id).await?;
    Ok(Service {
        summary: summary(row)?,
        who: row.who.clone(),
        documents: strings(&row.documents)?,
        fee_note: row.fee_note.clone(),
        term_note: row.term_note.clone(),
        online_url: row.online_url.clone(),
        keywords: strings(&row.keywords)?,
        centre: db.service_centre(&row.katottg).await?.map(centre_view),
        answers: answers.iter().map(answer_view).collect(),
        updated_at: row.updated_at.clone(),
    })
}

/// Loads a service by id; 404 for a malformed or unknown one.
async fn load_service(db: &Db, id: &str) -> ApiResult<ServiceRow> {
    if !ids::is_id(id) {
        return Err(ApiError::NotFound);
    }
    db.service(id).await?.ok_or(ApiError::NotFound)
}

/// Loads an answer by id; 404 for a malformed or unknown one.
async fn load_answer(db: &Db, id: &str) -> ApiResult<AnswerRow> {
    if !ids::is_id(id) {
        return Err(ApiError::NotFound);
    }
    db.answer(id).await?.ok_or(ApiError::NotFound)
}

fn staff_of(actor: &Account, katottg: &str) -> ApiResult<()> {
    if actor.may_manage(katottg) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(NOT_STAFF))
    }
}

// ---------------------------------------------------------------------------------------
// The catalogue

/// `GET /hromadas/{katottg}/services?cursor=&limit=`: the catalogue by life situation,
/// then by title.
pub async fn list(
    db: &Db,
    katottg: &str,
    cursor_raw: Option<&str>,
    limit_raw: Option<&str>,
) -> ApiResult<Page<ServiceSummary>> {
    require_hromada(db, katottg).await?;
    let limit = paging::limit(limit_raw)?;
    let after = match cursor_raw {
        None => None,
        Some(c) => {
            let p = cursor::decode(c, 3).ok_or_else(paging::bad_cursor)?;
            let pos: i64 = p[0].parse().map_err(|_| paging::bad_cursor())?;
            if !search::is_sort_key(&p[1]) || !ids::is_id(&p[2]) {
                return Err(paging::bad_cursor());
            }
            Some((pos, p[1].clone(), p[2].clone()))
        }
    };
    let rows = db
        .services_page(
            katottg,
            after.as_ref().map(|(p, k, i)| (*p, k.as_str(), i.as_str())),
            limit + 1,
        )
        .await?;
    let more = rows.len() as i64 > limit;
    let rows = &rows[..rows.len().min(limit as usize)];
    let next_cursor = match rows.last() {
        Some(r) if more => Some(cursor::encode(&[
            &r.situation_pos.to_string(),
            &r.sort_key,
            &r.id,
        ])),
        _ => None,
    };
    Ok(Page {
        items: rows.iter().map(summary).collect::<ApiResult<_>>()?,
        next_cursor,
    })
}

/// `GET /services/{id}`.
pub async fn get(db: &Db, id: &str) -> ApiResult<Service> {
    let row = load_service(db, id).await?;
    service_view(db, &row).await
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A checked service draft, tidied for storing.
struct CleanService {
    situation: Situation,
    title: String,
    purpose: String,
    who: String,
    documents: String,
    keywords: String,
    fee: Option<i64>,
    fee_note: String,
    term: Term,
    term_note: String,
    online_url: Option<String>,
}

fn clean_service(d: &ServiceDraft) -> ApiResult<CleanService> {
    let errors = contract::validate_service(d);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let list = |items: &[String]| {
        let v: Vec<String> = items.iter().map(|s| one_line(s)).collect();
        serde_json::to_string(&v).map_err(|e| ApiError::Internal(e.to_string()))
    };
    Ok(CleanService {
        situation: d.situation,
        title: one_line(&d.title),
        purpose: d.purpose.trim().to_owned(),
        who: d.who.trim().to_owned(),
        documents: list(&d.documents)?,
        keywords: list(&d.keywords)?,
        fee: d.fee.and_then(|f| i64::try_from(f).ok()),
        fee_note: one_line(&d.fee_note),
        term: d.term,
        term_note: one_line(&d.term_note),
        online_url: d
            .online_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned),
    })
}

fn service_write<'a>(c: &'a CleanService, sort_key: &'a str, now: &'a str) -> ServiceWrite<'a> {
    ServiceWrite {
        situation: c.situation.code(),
        situation_pos: situation_pos(c.situation),
        title: &c.title,
        sort_key,
        purpose: &c.purpose,
        who: &c.who,
        documents: &c.documents,
        keywords: &c.keywords,
        fee: c.fee,
        fee_note: &c.fee_note,
        term_days: i64::from(c.term.days),
        term_working: c.term.working,
        term_note: &c.term_note,
        online_url: c.online_url.as_deref(),
        now,
    }
}

/// `POST /hromadas/{katottg}/services` (its staff).
pub async fn create(
    db: &Db,
    actor: &Account,
    katottg: &str,
    d: &ServiceDraft,
) -> ApiResult<Service> {
    require_staff(db, actor, katottg).await?;
    let id = seed_service(db, katottg, d).await?;
    get(db, &id).await
}

/// Stores a checked service (also for demo content); returns its id.
pub async fn seed_service(db: &Db, katottg: &str, d: &ServiceDraft) -> ApiResult<String> {
    let c = clean_service(d)?;
    let id = ids::new_id();
    let key = search::sort_key(&c.title);
    let now = clock::now_rfc3339();
    db.insert_service(&id, katottg, &service_write(&c, &key, &now))
        .await?;
    Ok(id)
}

/// `PUT /services/{id}` (its hromada's staff).
pub async fn update(db: &Db, actor: &Account, id: &str, d: &ServiceDraft) -> ApiResult<Service> {
    let row = load_service(db, id).await?;
    staff_of(actor, &row.katottg)?;
    let c = clean_service(d)?;
    let key = search::sort_key(&c.title);
    let now = clock::now_rfc3339();
    if !db
        .update_service(&row.id, &service_write(&c, &key, &now))
        .await?
    {
        return Err(ApiError::NotFound);
    }
    get(db, &row.id).await
}

/// `DELETE /services/{id}` (its hromada's staff): answers about it keep their text.
pub async fn delete(db: &Db, actor: &Account, id: &str) -> ApiResult<()> {
    let row = load_service(db, id).await?;
    staff_of(actor, &row.katottg)?;
    if db.delete_service(&row.id).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

// ---------------------------------------------------------------------------------------
// Answers to frequent questions

/// `GET /hromadas/{katottg}/answers?cursor=&limit=`: by question.
pub async fn answers(
    db: &Db,
    katottg: &str,
    cursor_raw: Option<&str>,
    limit_raw: Option<&str>,
) -> ApiResult<Page<Answer>> {
    require_hromada(db, katottg).await?;
    let limit = paging::limit(limit_raw)?;
    let after = match cursor_raw {
        None => None,
        Some(c) => {
            let p = cursor::decode(c, 2).ok_or_else(paging::bad_cursor)?;
            if !search::is_sort_key(&p[0]) || !ids::is_id(&p[1]) {
                return Err(paging::bad_cursor());
            }
            Some((p[0].clone(), p[1].clone()))
        }
    };
    let rows = db
        .answers_page(
            katottg,
            after.as_ref().map(|(k, i)| (k.as_str(), i.as_str())),
            limit + 1,
        )
        .await?;
    let more = rows.len() as i64 > limit;
    let rows = &rows[..rows.len().min(limit as usize)];
    let next_cursor = match rows.last() {
        Some(r) if more => Some(cursor::encode(&[&r.sort_key, &r.id])),
        _ => None,
    };
    Ok(Page {
        items: rows.iter().map(answer_view).collect(),
        next_cursor,
    })
}

/// `GET /answers/{id}`.
pub async fn answer(db: &Db, id: &str) -> ApiResult<Answer> {
    Ok(answer_view(&load_answer(db, id).await?))
}

/// Checks an answer; its service, if any, must be of `katottg`.
async fn clean_answer(
    db: &Db,
    katottg: &str,
    d: &AnswerDraft,
) -> ApiResult<(String, String, Option<String>)> {
    let mut errors = contract::validate_answer(d);
    let service_id = d
        .service_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(sid) = service_id {
        let ok = ids::is_id(sid) && db.service(sid).await?.is_some_and(|s| s.katottg == katottg);
        if !ok {
            errors.push(FieldError::new("service_id", ErrorCode::Invalid));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok((
        one_line(&d.question),
        d.answer.trim().to_owned(),
        service_id.map(str::to_owned),
    ))
}

/// `POST /hromadas/{katottg}/answers` (its staff).
pub async fn create_answer(
    db: &Db,
    actor: &Account,
    katottg: &str,
    d: &AnswerDraft,
) -> ApiResult<Answer> {
    require_staff(db, actor, katottg).await?;
    let id = seed_answer(db, katottg, d).await?;
    answer(db, &id).await
}

/// Stores a checked answer (also for demo content); returns its id.
pub async fn seed_answer(db: &Db, katottg: &str, d: &AnswerDraft) -> ApiResult<String> {
    let (question, text, service_id) = clean_answer(db, katottg, d).await?;
    let id = ids::new_id();
    let key = search::sort_key(&question);
    let now = clock::now_rfc3339();
    db.insert_answer(
        &id,
        katottg,
        &AnswerWrite {
            question: &question,
            sort_key: &key,
            answer: &text,
            service_id: service_id.as_deref(),
            now: &now,
        },
    )
    .await?;
    Ok(id)
}

/// `PUT /answers/{id}` (its hromada's staff).
pub async fn update_answer(
    db: &Db,
    actor: &Account,
    id: &str,
    d: &AnswerDraft,
) -> ApiResult<Answer> {
    let row = load_answer(db, id).await?;
    staff_of(actor, &row.katottg)?;
    let (question, text, service_id) = clean_answer(db, &row.katottg, d).await?;
    let key = search::sort_key(&question);
    let now = clock::now_rfc3339();
    let w = AnswerWrite {
        question: &question,
        sort_key: &key,
        answer: &text,
        service_id: service_id.as_deref(),
        now: &now,
    };
    if !db.update_answer(&row.id, &w).await? {
        return Err(ApiError::NotFound);
    }
    answer(db, &row.id).await
}

/// `DELETE /answers/{id}` (its hromada's staff).
pub async fn delete_answer(db: &Db, actor: &Account, id: &str) -> ApiResult<()> {
    let row = load_answer(db, id).await?;
    staff_of(actor, &row.katottg)?;
    if db.delete_answer(&row.id).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

// ---------------------------------------------------------------------------------------
// The service centre

/// `GET /hromadas/{katottg}/centre`: 404 while the hromada has not described it.
pub async fn centre(db: &Db, katottg: &str) -> ApiResult<Centre> {
    require_hromada(db, katottg).await?;
    db.service_centre(katottg)
        .await?
        .map(centre_view)
        .ok_or(ApiError::NotFound)
}

/// `PUT /hromadas/{katottg}/centre` (its staff).
pub async fn put_centre(db: &Db, actor: &Account, katottg: &str, c: &Centre) -> ApiResult<Centre> {
    require_staff(db, actor, katottg).await?;
    seed_centre(db, katottg, c).await?;
    centre(db, katottg).await
}

/// Stores a checked centre description (also for demo content).
pub async fn seed_centre(db: &Db, katottg: &str, c: &Centre) -> ApiResult<()> {
    let errors = contract::validate_centre(c);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let row = CentreRow {
        name: one_line(&c.name),
        address: one_line(&c.address),
        hours: c
            .hours
            .trim()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
        phone: one_line(&c.phone),
        email: if c.email.trim().is_empty() {
            String::new()
        } else {
            validate::normalize_email(&c.email)
        },
    };
    db.put_service_centre(katottg, &row, &clock::now_rfc3339())
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The search

/// A hromada's catalogue as the search sees it: services in catalogue order, then answers.
struct Catalogue {
    services: Vec<(ServiceRow, Vec<String>, Vec<String>)>,
    answers: Vec<AnswerRow>,
}

impl Catalogue {
    async fn load(db: &Db, katottg: &str) -> ApiResult<Self> {
        let mut services = Vec::new();
        for row in db.all_services(katottg).await? {
            let keywords = strings(&row.keywords)?;
            let documents = strings(&row.documents)?;
            services.push((row, keywords, documents));
        }
        Ok(Self {
            services,
            answers: db.all_answers(katottg).await?,
        })
    }

    fn search(&self, q: &str, limit: usize) -> Vec<Hit> {
        let search_services: Vec<SearchService<'_>> = self
            .services
            .iter()
            .map(|(row, keywords, documents)| SearchService {
                title: &row.title,
                keywords,
                purpose: &row.purpose,
                who: &row.who,
                documents,
            })
            .collect();
        let search_answers: Vec<SearchAnswer<'_>> = self
            .answers
            .iter()
            .map(|a| SearchAnswer {
                question: &a.question,
                answer: &a.answer,
            })
            .collect();
        let index = contract::index(
            search_services
                .iter()
                .map(Searchable::Service)
                .chain(search_answers.iter().map(Searchable::Answer)),
        );
        let n = self.services.len();
        index
            .search(q, limit)
            .into_iter()
            .filter_map(|r| {
                let (kind, id, title, text) = if r.doc < n {
                    let row = &self.services.get(r.doc)?.0;
                    (RefKind::Service, &row.id, &row.title, &row.purpose)
                } else {
                    let a = self.answers.get(r.doc - n)?;
                    (RefKind::Answer, &a.id, &a.question, &a.answer)
                };
                Some(Hit {
                    kind,
                    id: id.clone(),
                    title: title.clone(),
                    snippet: contract::snippet(text, SNIPPET),
                    score: contract::score(r.score),
                    matched: r.matched,
                })
            })
            .collect()
    }

    /// The catalogue entry a link names, as the link shows it.
    fn link(&self, l: &LinkRef) -> Option<Link> {
        let title = match l.kind {
            RefKind::Service => self
                .services
                .iter()
                .find(|(s, _, _)| s.id == l.id)
                .map(|(s, _, _)| s.title.clone()),
            RefKind::Answer => self
                .answers
                .iter()
                .find(|a| a.id == l.id)
                .map(|a| a.question.clone()),
        }?;
        Some(Link {
            kind: l.kind,
            id: l.id.clone(),
            title,
        })
    }
}

/// `GET /hromadas/{katottg}/services/search?q=`: the best [`contract::SEARCH_LIMIT`] hits.
/// A query longer than [`contract::QUERY_MAX`] characters is cut; one with no words that
/// count finds nothing.
pub async fn search_catalogue(db: &Db, katottg: &str, q: Option<&str>) -> ApiResult<SearchResults> {
    require_hromada(db, katottg).await?;
    let q: String = q
        .unwrap_or_default()
        .chars()
        .take(contract::QUERY_MAX)
        .collect();
    if q.trim().is_empty() {
        return Ok(SearchResults { items: vec![] });
    }
    let catalogue = Catalogue::load(db, katottg).await?;
    Ok(SearchResults {
        items: catalogue.search(&q, contract::SEARCH_LIMIT),
    })
}

// ---------------------------------------------------------------------------------------
// Consultations

fn status(code: &str) -> ApiResult<ConsultationStatus> {
    ConsultationStatus::from_code(code)
        .ok_or_else(|| ApiError::Internal(format!("consultation status {code}")))
}

fn consultation_summary(row: &ConsultationRow) -> ApiResult<ConsultationSummary> {
    Ok(ConsultationSummary {
        id: row.id.clone(),
        katottg: row.katottg.clone(),
        subject: row.subject.clone(),
        status: status(&row.status)?,
        author: row.author.clone(),
        message_count: row.messages,
        created_at: row.created_at.clone(),
        updated_at: row.updated_at.clone(),
        waiting_since: row.waiting_since.clone(),
    })
}

fn message_view(m: &MessageRow) -> ApiResult<Message> {
    Ok(Message {
        id: m.id.clone(),
        sender: match m.sender.as_str() {
            "staff" => Sender::Staff,
            _ => Sender::Resident,
        },
        name: m.name.clone(),
        text: m.text.clone(),
        links: serde_json::from_str(&m.links)
            .map_err(|e| ApiError::Internal(format!("message links: {e}")))?,
        at: m.at.clone(),
    })
}

async fn consultation_view(
    db: &Db,
    actor: &Account,
    row: &ConsultationRow,
) -> ApiResult<Consultation> {
    let messages = db.consultation_messages(&row.id).await?;
    Ok(Consultation {
        summary: consultation_summary(row)?,
        messages: messages
            .iter()
            .map(message_view)
            .collect::<ApiResult<_>>()?,
        mine: row.user_id == actor.user.id,
    })
}

/// Loads a consultation `actor` may see: its author's or, for its hromada's staff, any;
/// 404 for anyone else.
async fn load_consultation(db: &Db, actor: &Account, id: &str) -> ApiResult<ConsultationRow> {
    if !ids::is_id(id) {
        return Err(ApiError::NotFound);
    }
    let row = db.consultation(id).await?.ok_or(ApiError::NotFound)?;
    if row.user_id == actor.user.id || actor.may_manage(&row.katottg) {
        Ok(row)
    } else {
        Err(ApiError::NotFound)
    }
}

async fn reload(db: &Db, actor: &Account, id: &str) -> ApiResult<Consultation> {
    let row = db.consultation(id).await?.ok_or(ApiError::NotFound)?;
    consultation_view(db, actor, &row).await
}

/// 429 when `actor` reached a daily limit: `(count, oldest)` within the window.
fn daily(counted: (i64, Option<String>), limit: i64, now_ms: i64) -> ApiResult<()> {
    super::throttle::submissions(
        counted.0,
        counted.1.as_deref(),
        now_ms,
        limit,
        DAILY_WINDOW_MS,
    )
}

fn checked_text(m: &NewMessage, links: &[LinkRef]) -> ApiResult<String> {
    let errors = contract::validate_message(&NewMessage {
        text: m.text.clone(),
        links: links.to_vec(),
    });
    if errors.is_empty() {
        Ok(m.text.trim().to_owned())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// `POST /hromadas/{katottg}/consultations` (signed in): asks the hromada's service
/// centre. Links are the staff's and are ignored here.
pub async fn ask(
    db: &Db,
    live: &Live,
    actor: &Account,
    katottg: &str,
    m: &NewMessage,
) -> ApiResult<Consultation> {
    require_hromada(db, katottg).await?;
    let text = checked_text(m, &[])?;
    let now_ms = clock::now_millis();
    let since = clock::rfc3339(now_ms - DAILY_WINDOW_MS);
    daily(
        db.consultations_by_user_since(&actor.user.id, &since)
            .await?,
        DAILY_CONSULTATIONS,
        now_ms,
    )?;
    let id = seed_consultation(db, katottg, &actor.user.id, &text, now_ms).await?;
    live.publish_staff(
        katottg,
        LiveEvent::Consultation {
            id: id.clone(),
            status: ConsultationStatus::Waiting,
        },
    );
    reload(db, actor, &id).await
}

/// Stores a new consultation with its first (checked) question at `at_ms` (also for demo
/// content); returns its id.
pub async fn seed_consultation(
    db: &Db,
    katottg: &str,
    user_id: &str,
    text: &str,
    at_ms: i64,
) -> ApiResult<String> {
    let id = ids::new_id();
    let mid = ids::new_id();
    let at = clock::rfc3339(at_ms);
    db.insert_consultation(
        &id,
        katottg,
        &contract::subject(text),
        &MessageWrite {
            id: &mid,
            sender: "resident",
            author_id: user_id,
            text,
            links: "[]",
            at: &at,
        },
    )
    .await?;
    Ok(id)
}

/// `GET /consultations/{id}`: its author and the hromada's staff.
pub async fn get_consultation(db: &Db, actor: &Account, id: &str) -> ApiResult<Consultation> {
    let row = load_consultation(db, actor, id).await?;
    consultation_view(db, actor, &row).await
}

/// Resolves staff's links against the hromada's catalogue: each problem beside its link.
async fn resolve_links(db: &Db, katottg: &str, links: &[LinkRef]) -> ApiResult<Vec<Link>> {
    if links.is_empty() {
        return Ok(vec![]);
    }
    let catalogue = Catalogue::load(db, katottg).await?;
    let mut out = Vec::with_capacity(links.len());
    let mut errors = Vec::new();
    for (i, l) in links.iter().enumerate() {
        match catalogue.link(l) {
            Some(link) => out.push(link),
            None => errors.push(FieldError::new(&format!("links[{i}]"), ErrorCode::Invalid)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// `POST /consultations/{id}/messages`: its author writes again (staff are awaited, a
/// closed consultation reopens), or its hromada's staff reply (with links to the
/// catalogue; the author is notified).
pub async fn write(
    db: &Db,
    live: &Live,
    actor: &Account,
    id: &str,
    m: &NewMessage,
) -> ApiResult<Consultation> {
    let row = load_consultation(db, actor, id).await?;
    let author = row.user_id == actor.user.id;
    let links = if author {
        checked_text(m, &[])?;
        vec![]
    } else {
        checked_text(m, &m.links)?;
        resolve_links(db, &row.katottg, &m.links).await?
    };
    let text = m.text.trim().to_owned();
    let now_ms = clock::now_millis();
    let since = clock::rfc3339(now_ms - DAILY_WINDOW_MS);
    daily(
        db.messages_by_author_since(&actor.user.id, &since).await?,
        DAILY_MESSAGES,
        now_ms,
    )?;
    let sent = record_message(db, &row, &actor.user.id, author, &text, &links, now_ms).await?;
    live.publish_staff(
        &row.katottg,
        LiveEvent::Consultation {
            id: row.id.clone(),
            status: sent.status,
        },
    );
    if let Some(n) = sent.notification {
        live.notify(&row.user_id, n);
    }
    reload(db, actor, &row.id).await
}

/// What recording a message did.
pub struct Sent {
    pub status: ConsultationStatus,
    pub notification: Option<hromada_api::notifications::Notification>,
}

/// Records a checked message at `at_ms`: the author's sets the consultation waiting, a
/// staff member's answered, with the author's notification (also for demo content).
pub async fn record_message(
    db: &Db,
    row: &ConsultationRow,
    writer_id: &str,
    from_author: bool,
    text: &str,
    links: &[Link],
    at_ms: i64,
) -> ApiResult<Sent> {
    let at = clock::rfc3339(at_ms);
    let mid = ids::new_id();
    let links_json = serde_json::to_string(links).map_err(|e| ApiError::Internal(e.to_string()))?;
    let message = MessageWrite {
        id: &mid,
        sender: if from_author { "resident" } else { "staff" },
        author_id: writer_id,
        text,
        links: &links_json,
        at: &at,
    };
    let status = if from_author {
        ConsultationStatus::Waiting
    } else {
        ConsultationStatus::Answered
    };
    let nid = ids::new_id();
    let kind = NotificationKind::ConsultationAnswered;
    let notification = (!from_author).then(|| NotificationWrite {
        id: &nid,
        user_id: &row.user_id,
        kind: notifications::code(kind),
        appeal_id: None,
        petition_id: None,
        project_id: None,
        consultation_id: Some(&row.id),
        at: &at,
    });
    if !db
        .add_message(&row.id, &message, status.code(), notification.as_ref())
        .await?
    {
        return Err(ApiError::NotFound);
    }
    Ok(Sent {
        status,
        notification: (!from_author).then(|| {
            notifications::made(
                &nid,
                kind,
                &at,
                About::Consultation {
                    id: row.id.clone(),
                    subject: row.subject.clone(),
                },
            )
        }),
    })
}

/// `POST /consultations/{id}/close`: its author or the hromada's staff; closing a closed
/// one changes nothing. Writing again reopens it.
pub async fn close(db: &Db, live: &Live, actor: &Account, id: &str) -> ApiResult<Consultation> {
    let row = load_consultation(db, actor, id).await?;
    if !db
        .close_consultation(&row.id, &clock::now_rfc3339())
        .await?
    {
        return Err(ApiError::NotFound);
    }
    live.publish_staff(
        &row.katottg,
        LiveEvent::Consultation {
            id: row.id.clone(),
            status: ConsultationStatus::Closed,
        },
    );
    reload(db, actor, &row.id).await
}

fn keyset(c: Option<&str>) -> ApiResult<Option<(String, String)>> {
    match c {
        None => Ok(None),
        Some(c) => {
            let p = cursor::decode(c, 2).ok_or_else(paging::bad_cursor)?;
            if clock::parse_rfc3339(&p[0]).is_none() || !ids::is_id(&p[1]) {
                return Err(paging::bad_cursor());
            }
            Ok(Some((p[0].clone(), p[1].clone())))
        }
    }
}

fn page(
    rows: Vec<ConsultationRow>,
    limit: i64,
    key: impl Fn(&ConsultationRow) -> &str,
) -> ApiResult<Page<ConsultationSummary>> {
    let more = rows.len() as i64 > limit;
    let rows = &rows[..rows.len().min(limit as usize)];
    let next_cursor = match rows.last() {
        Some(r) if more => Some(cursor::encode(&[key(r), &r.id])),
        _ => None,
    };
    Ok(Page {
        items: rows
            .iter()
            .map(consultation_summary)
            .collect::<ApiResult<_>>()?,
        next_cursor,
    })
}

/// `GET /hromadas/{katottg}/consultations?status=&cursor=&limit=` (its staff): waiting
/// ones (the default) oldest waiting first; answered or closed ones latest first.
pub async fn queue(
    db: &Db,
    actor: &Account,
    katottg: &str,
    status_raw: Option<&str>,
    cursor_raw: Option<&str>,
    limit_raw: Option<&str>,
) -> ApiResult<Page<ConsultationSummary>> {
    require_staff(db, actor, katottg).await?;
    let status = match status_raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => ConsultationStatus::Waiting,
        Some(s) => ConsultationStatus::from_code(s).ok_or_else(|| {
            ApiError::BadParams(vec![FieldError::new("status", ErrorCode::Invalid)])
        })?,
    };
    let limit = paging::limit(limit_raw)?;
    let after = keyset(cursor_raw)?;
    let order = match status {
        ConsultationStatus::Waiting => QueueOrder::Waiting,
        s => QueueOrder::Latest(s.code()),
    };
    let rows = db
        .consultation_queue(
            katottg,
            order,
            after.as_ref().map(|(a, i)| (a.as_str(), i.as_str())),
            limit + 1,
        )
        .await?;
    page(rows, limit, |r| match order {
        QueueOrder::Waiting => r.waiting_since.as_deref().unwrap_or(&r.updated_at),
        QueueOrder::Latest(_) => &r.updated_at,
    })
}

/// `GET /me/consultations?cursor=&limit=`: the person's own, latest first.
pub async fn mine(
    db: &Db,
    actor: &Account,
    cursor_raw: Option<&str>,
    limit_raw: Option<&str>,
) -> ApiResult<Page<ConsultationSummary>> {
    let limit = paging::limit(limit_raw)?;
    let after = keyset(cursor_raw)?;
    let rows = db
        .consultations_of(
            &actor.user.id,
            after.as_ref().map(|(a, i)| (a.as_str(), i.as_str())),
            limit + 1,
        )
        .await?;
    page(rows, limit, |r| &r.updated_at)
}

/// Loads a consultation for demo content.
pub async fn row(db: &Db, id: &str) -> ApiResult<ConsultationRow> {
    db.consultation(id).await?.ok_or(ApiError::NotFound)
}

/// Resolves links for demo content.
pub async fn links(db: &Db, katottg: &str, links: &[LinkRef]) -> ApiResult<Vec<Link>> {
    resolve_links(db, katottg, links).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn situations_keep_the_catalogue_order() {
        let pos: Vec<i64> = Situation::ALL.iter().map(|s| situation_pos(*s)).collect();
        assert_eq!(pos, [0, 1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn daily_limits_refuse_at_the_limit() {
        let now = 10 * DAILY_WINDOW_MS;
        assert!(daily((DAILY_CONSULTATIONS - 1, None), DAILY_CONSULTATIONS, now).is_ok());
        let oldest = clock::rfc3339(now - DAILY_WINDOW_MS + 60_000);
        match daily(
            (DAILY_CONSULTATIONS, Some(oldest)),
            DAILY_CONSULTATIONS,
            now,
        ) {
            Err(ApiError::TooManyRequests { retry_after }) => assert_eq!(retry_after, 60),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_line_tidies_spaces() {
        assert_eq!(one_line("  Паспорт\n громадянина  "), "Паспорт громадянина");
    }
}
