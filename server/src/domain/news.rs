//! News of a hromada: the public feed, and what staff write, schedule, unpublish and delete.

use hromada_api::news::{
    BODY_MAX, LiveEvent, NewsCategory, NewsDraft, NewsItem, NewsStatus, NewsSummary, PublishMode,
    SUMMARY_MAX, TITLE_MAX,
};
use hromada_api::{ErrorCode, FieldError, Page, validate};

use crate::db::{Db, NewsFilter, NewsRow, NewsWrite};
use crate::domain::accounts::Account;
use crate::domain::live::{FeedCache, Live};
use crate::domain::{clock, cursor, ids, markdown, media, paging, search};
use crate::error::{ApiError, ApiResult};
use axum::body::Bytes;

/// Length of a summary made from the body when staff give none.
pub const DERIVED_SUMMARY: usize = 200;

/// 404 unless the hromada exists.
pub async fn require_hromada(db: &Db, katottg: &str) -> ApiResult<()> {
    if validate::is_katottg(katottg) && db.hromada_name(katottg).await?.is_some() {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// 404 unless the hromada exists; 403 unless `actor` is its staff (or an administrator).
pub async fn require_staff(db: &Db, actor: &Account, katottg: &str) -> ApiResult<()> {
    require_hromada(db, katottg).await?;
    if actor.may_manage(katottg) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "Only staff of this hromada may do this.",
        ))
    }
}

fn category(code: &str) -> NewsCategory {
    NewsCategory::from_code(code).unwrap_or(NewsCategory::Official)
}

/// The status of a stored item at `now`.
fn status(row: &NewsRow, now: &str) -> NewsStatus {
    match row.published_at.as_deref() {
        None => NewsStatus::Draft,
        Some(at) if at > now => NewsStatus::Scheduled,
        Some(_) => NewsStatus::Published,
    }
}

fn is_public(row: &NewsRow, now: &str) -> bool {
    status(row, now) == NewsStatus::Published
}

/// A stored item as feeds show it.
pub fn summary(row: &NewsRow, now: &str) -> NewsSummary {
    NewsSummary {
        id: row.id.clone(),
        katottg: row.katottg.clone(),
        title: row.title.clone(),
        summary: row.summary.clone(),
        category: category(&row.category),
        cover: match (&row.cover_id, &row.cover_sizes) {
            (Some(id), Some(sizes)) => Some(media::image(id, sizes)),
            _ => None,
        },
        status: status(row, now),
        published_at: row.published_at.clone(),
        updated_at: row.updated_at.clone(),
    }
}

fn item(row: NewsRow, now: &str, staff: bool) -> ApiResult<NewsItem> {
    let (source, json) = row.body.clone().unwrap_or_default();
    let body = serde_json::from_str(&json)
        .map_err(|e| ApiError::Internal(format!("stored body of {}: {e}", row.id)))?;
    Ok(NewsItem {
        summary: summary(&row, now),
        body,
        body_source: staff.then_some(source),
    })
}

fn bad_text(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// A checked draft, ready to store.
struct Checked {
    title: String,
    summary: String,
    category: NewsCategory,
    body_source: String,
    body_json: String,
    search_text: String,
    cover_id: Option<String>,
    /// `None`: draft; `Some(None)`: now; `Some(Some(t))`: at `t`.
    publish: Option<Option<String>>,
}

async fn check(db: &Db, katottg: &str, d: &NewsDraft) -> ApiResult<Checked> {
    let mut errors = Vec::new();
    let title = d.title.trim();
    let n = title.chars().count();
    if n == 0 {
        errors.push(FieldError::new("title", ErrorCode::Required));
    } else if n > TITLE_MAX {
        errors.push(FieldError::new("title", ErrorCode::TooLong));
    } else if title.chars().any(char::is_control) {
        errors.push(FieldError::new("title", ErrorCode::Invalid));
    }
    let summary_in = d.summary.trim();
    if summary_in.chars().count() > SUMMARY_MAX {
        errors.push(FieldError::new("summary", ErrorCode::TooLong));
    } else if bad_text(summary_in) {
        errors.push(FieldError::new("summary", ErrorCode::Invalid));
    }
    let cat = d.category.trim();
    let category = if cat.is_empty() {
        errors.push(FieldError::new("category", ErrorCode::Required));
        None
    } else {
        let c = NewsCategory::from_code(cat);
        if c.is_none() {
            errors.push(FieldError::new("category", ErrorCode::Invalid));
        }
        c
    };
    if d.body.chars().count() > BODY_MAX {
        errors.push(FieldError::new("body", ErrorCode::TooLong));
    } else if bad_text(&d.body) {
        errors.push(FieldError::new("body", ErrorCode::Invalid));
    }
    let cover_id = d
        .cover_id
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(c) = cover_id
        && (!ids::is_id(c) || db.media_sizes(c, katottg).await?.is_none())
    {
        errors.push(FieldError::new("cover_id", ErrorCode::Invalid));
    }
    let publish = match d.publish {
        PublishMode::Draft => None,
        PublishMode::Now => Some(None),
        PublishMode::At => match d.publish_at.as_deref().map(str::trim) {
            None | Some("") => {
                errors.push(FieldError::new("publish_at", ErrorCode::Required));
                None
            }
            Some(t) => match clock::parse_rfc3339(t) {
                Some(ms) => Some(Some(clock::rfc3339(ms))),
                None => {
                    errors.push(FieldError::new("publish_at", ErrorCode::Invalid));
                    None
                }
            },
        },
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let blocks = markdown::parse(&d.body);
    let summary = if summary_in.is_empty() {
        markdown::first_paragraph(&blocks, DERIVED_SUMMARY)
    } else {
        summary_in.to_owned()
    };
    let search_text = search::normalize(&format!(
        "{title}\n{summary}\n{}",
        markdown::plain_text(&blocks)
    ));
    Ok(Checked {
        title: title.to_owned(),
        summary,
        category: category.unwrap_or(NewsCategory::Official),
        body_source: d.body.clone(),
        body_json: serde_json::to_string(&blocks).map_err(|e| ApiError::Internal(e.to_string()))?,
        search_text,
        cover_id: cover_id.map(str::to_owned),
        publish,
    })
}

/// Where a saved item stands: `(status, published_at, feed_at)`.
fn placement(
    c: &Checked,
    now: &str,
    before: Option<&NewsRow>,
) -> (&'static str, Option<String>, String) {
    match &c.publish {
        None => ("draft", None, now.to_owned()),
        Some(Some(at)) => ("published", Some(at.clone()), at.clone()),
        Some(None) => {
            // Publishing again what is already public keeps its date.
            let at = before
                .filter(|b| is_public(b, now))
                .and_then(|b| b.published_at.clone())
                .unwrap_or_else(|| now.to_owned());
            ("published", Some(at.clone()), at)
        }
    }
}

/// Tells listeners what a change did to an item's visibility.
fn announce(live: &Live, was_public: bool, row: &NewsRow, now: &str) {
    if is_public(row, now) {
        live.publish(&row.katottg, LiveEvent::News(summary(row, now)));
    } else if was_public {
        live.publish(&row.katottg, LiveEvent::NewsRemoved { id: row.id.clone() });
    }
}

async fn load(db: &Db, id: &str) -> ApiResult<NewsRow> {
    if !ids::is_id(id) {
        return Err(ApiError::NotFound);
    }
    db.news_item(id).await?.ok_or(ApiError::NotFound)
}

/// Loads an item for staff to change: 404 if it does not exist or is not public and
/// the actor is not its staff; 403 if it is public and the actor is not its staff.
async fn load_for_staff(db: &Db, actor: &Account, id: &str, now: &str) -> ApiResult<NewsRow> {
    let row = load(db, id).await?;
    if actor.may_manage(&row.katottg) {
        Ok(row)
    } else if is_public(&row, now) {
        Err(ApiError::Forbidden(
            "Only staff of this hromada may do this.",
        ))
    } else {
        Err(ApiError::NotFound)
    }
}

/// `POST /hromadas/{katottg}/news`.
pub async fn create(
    db: &Db,
    live: &Live,
    actor: &Account,
    katottg: &str,
    d: &NewsDraft,
) -> ApiResult<NewsItem> {
    require_staff(db, actor, katottg).await?;
    let c = check(db, katottg, d).await?;
    let now = clock::now_rfc3339();
    let (status, published_at, feed_at) = placement(&c, &now, None);
    let id = ids::new_id();
    db.insert_news(
        &id,
        katottg,
        Some(&actor.user.id),
        &write(&c, status, published_at.as_deref(), &feed_at, &now),
    )
    .await?;
    let row = load(db, &id).await?;
    announce(live, false, &row, &now);
    item(row, &now, true)
}

fn write<'a>(
    c: &'a Checked,
    status: &'a str,
    published_at: Option<&'a str>,
    feed_at: &'a str,
    now: &'a str,
) -> NewsWrite<'a> {
    NewsWrite {
        title: &c.title,
        summary: &c.summary,
        category: c.category.code(),
        body_source: &c.body_source,
        body_json: &c.body_json,
        search_text: &c.search_text,
        cover_id: c.cover_id.as_deref(),
        status,
        published_at,
        feed_at,
        updated_at: now,
    }
}

/// `PUT /news/{id}`.
pub async fn update(
    db: &Db,
    live: &Live,
    actor: &Account,
    id: &str,
    d: &NewsDraft,
) -> ApiResult<NewsItem> {
    let now = clock::now_rfc3339();
    let before = load_for_staff(db, actor, id, &now).await?;
    let c = check(db, &before.katottg, d).await?;
    let (status, published_at, feed_at) = placement(&c, &now, Some(&before));
    if !db
        .update_news(
            id,
            &write(&c, status, published_at.as_deref(), &feed_at, &now),
        )
        .await?
    {
        return Err(ApiError::NotFound);
    }
    let row = load(db, id).await?;
    announce(live, is_public(&before, &now), &row, &now);
    item(row, &now, true)
}

/// `DELETE /news/{id}`.
pub async fn delete(db: &Db, live: &Live, actor: &Account, id: &str) -> ApiResult<()> {
    let now = clock::now_rfc3339();
    let row = load_for_staff(db, actor, id, &now).await?;
    if db.delete_news(id).await? && is_public(&row, &now) {
        live.publish(&row.katottg, LiveEvent::NewsRemoved { id: row.id });
    }
    Ok(())
}

/// `GET /news/{id}`: drafts and scheduled items only for the hromada's staff (else 404).
pub async fn get(db: &Db, viewer: Option<&Account>, id: &str) -> ApiResult<NewsItem> {
    let now = clock::now_rfc3339();
    let row = load(db, id).await?;
    let staff = viewer.is_some_and(|a| a.may_manage(&row.katottg));
    if !staff && !is_public(&row, &now) {
        return Err(ApiError::NotFound);
    }
    item(row, &now, staff)
}

/// `GET /hromadas/{katottg}/news` parameters, as given.
#[derive(Debug, Default)]
pub struct FeedParams<'a> {
    pub category: Option<&'a str>,
    pub q: Option<&'a str>,
    pub status: Option<&'a str>,
    pub cursor: Option<&'a str>,
    pub limit: Option<&'a str>,
}

/// A hromada's feed, newest first, as JSON; `status=all` (its staff only) adds drafts
/// and scheduled items. Public pages are served from `cache` while fresh.
pub async fn feed(
    db: &Db,
    cache: &FeedCache,
    viewer: Option<&Account>,
    katottg: &str,
    p: &FeedParams<'_>,
) -> ApiResult<Bytes> {
    let limit = paging::limit(p.limit)?;
    let q = paging::query(p.q)?;
    let category = match p.category.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(NewsCategory::from_code(c).ok_or_else(|| {
            ApiError::BadParams(vec![FieldError::new("category", ErrorCode::Invalid)])
        })?),
        None => None,
    };
    let all = match p.status.map(str::trim).filter(|s| !s.is_empty()) {
        None | Some("published") => false,
        Some("all") => {
            require_hromada(db, katottg).await?;
            match viewer {
                None => return Err(ApiError::Unauthorized("Sign in first.")),
                Some(a) if a.may_manage(katottg) => true,
                Some(_) => {
                    return Err(ApiError::Forbidden(
                        "Only staff of this hromada see drafts.",
                    ));
                }
            }
        }
        Some(_) => {
            return Err(ApiError::BadParams(vec![FieldError::new(
                "status",
                ErrorCode::Invalid,
            )]));
        }
    };
    let after = match p.cursor {
        Some(c) => {
            let parts = cursor::decode(c, 2).ok_or_else(paging::bad_cursor)?;
            if clock::parse_rfc3339(&parts[0]).is_none() || !ids::is_id(&parts[1]) {
                return Err(paging::bad_cursor());
            }
            Some(parts)
        }
        None => None,
    };
    let key = format!(
        "{katottg}|{}|{}|{}|{limit}",
        category.map_or("", NewsCategory::code),
        q.as_deref().unwrap_or(""),
        p.cursor.unwrap_or("")
    );
    if !all && let Some(page) = cache.get(&key) {
        return Ok(page);
    }
    let generation = cache.generation();
    if !all {
        require_hromada(db, katottg).await?;
    }
    let now = clock::now_rfc3339();
    let pattern = q.as_deref().map(search::contains_pattern);
    let filter = NewsFilter {
        public_at: (!all).then_some(now.as_str()),
        category: category.map(NewsCategory::code),
        pattern: pattern.as_deref(),
        after: after.as_ref().map(|a| (a[0].as_str(), a[1].as_str())),
    };
    let mut rows = db.news_feed(katottg, &filter, limit + 1).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| cursor::encode(&[&r.feed_at, &r.id]))
    } else {
        None
    };
    let page = Page {
        items: rows.iter().map(|r| summary(r, &now)).collect(),
        next_cursor,
    };
    let body =
        Bytes::from(serde_json::to_vec(&page).map_err(|e| ApiError::Internal(e.to_string()))?);
    if !all {
        cache.put(key, generation, body.clone());
    }
    Ok(body)
}

/// `(katottg, summary)` of the items whose publication time came in `(since, until]`.
pub async fn due(
    db: &Db,
    since: &str,
    until: &str,
) -> Result<Vec<(String, NewsSummary)>, sqlx::Error> {
    let rows = db.news_due(since, until).await?;
    Ok(rows
        .iter()
        .map(|r| (r.katottg.clone(), summary(r, until)))
        .collect())
}

/// Stores an item as given (demo content, benchmarks): published at `published_at`.
pub async fn seed(db: &Db, katottg: &str, d: &NewsDraft, published_at: &str) -> ApiResult<String> {
    let c = check(db, katottg, d).await?;
    let id = ids::new_id();
    db.insert_news(
        &id,
        katottg,
        None,
        &write(
            &c,
            "published",
            Some(published_at),
            published_at,
            published_at,
        ),
    )
    .await?;
    Ok(id)
}
