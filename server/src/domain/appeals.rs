//! Appeals of residents to the hromada's authority (Law "On citizens' appeals"): the
//! hromada's categories, registration with photos, who may see what, the staff's steps
//! under the legal terms, the official answer with its files, and the author's rating.
//!
//! The terms and which step is allowed when are the contract's
//! [`hromada_api::appeals::deadline`] and [`hromada_api::appeals::rules`]; this module
//! enforces them. An appeal is private: only its author and the staff of its hromada (or
//! an administrator) see it; anyone else sees a public one without personal data, and gets
//! 404 for a private one, so that its existence is never revealed.

use std::path::{Path, PathBuf};

use hromada_api::appeals::{
    ANSWER_FILE_MAX_BYTES, ANSWER_FILES_MAX, ASSIGNEE_MAX, AnswerDraft, Appeal, AppealCategory,
    AppealFile, AppealKind, AppealStatus, AppealSummary, AppealVisibility, Author, CATEGORIES_MAX,
    CategoryDraft, CategoryRef, Inbox, NewAppeal, Notification, NotificationKind, PHOTO_MAX_BYTES,
    PHOTOS_MAX, Rating, RatingDraft, StaffAction, Step, TimelineEntry, deadline,
    registration_number, rules, validate_action, validate_answer, validate_category, validate_new,
    validate_rating,
};
use hromada_api::{ErrorCode, FieldError, Page, validate};

use crate::db::{
    About, AppealChange, AppealExpect, AppealFilter, AppealRow, CategoryRow, Db, FileRow,
    FileWrite, NewAppealRow, NotificationWrite, StepWrite,
};
use crate::domain::accounts::Account;
use crate::domain::live::Live;
use crate::domain::news::{require_hromada, require_staff};
use crate::domain::{clock, cursor, ids, media, notifications, paging, search};
use crate::error::{ApiError, ApiResult};

/// The list a hromada starts with, in this order.
pub const DEFAULT_CATEGORIES: [&str; 8] = [
    "Дороги",
    "Освітлення",
    "Водопостачання",
    "Вивіз сміття",
    "Транспорт",
    "Парки і сквери",
    "Соціальна підтримка",
    "Інше",
];
/// Appeals one person may register within [`DAILY_WINDOW_MS`].
pub const DAILY_LIMIT: i64 = 20;
/// The window of [`DAILY_LIMIT`]: 24 hours.
pub const DAILY_WINDOW_MS: i64 = deadline::DAY_MS;
/// Longest side of a stored photo, in pixels.
pub const FULL_SIDE: u32 = 1600;
/// Longest side of a thumbnail, in pixels.
pub const THUMB_SIDE: u32 = 320;
/// The folder of appeal files inside the media folder.
pub const SUBDIR: &str = "appeals";

const NOT_STAFF: &str = "Only staff of this hromada may do this.";
const NOT_AUTHOR: &str = "Only the author of this appeal may do this.";

// ---------------------------------------------------------------------------------------
// Categories

fn category_api(c: &CategoryRow) -> AppealCategory {
    AppealCategory {
        id: c.id.clone(),
        name: c.name.clone(),
        archived: c.archived,
    }
}

/// A category name as stored: trimmed, single spaces.
fn clean_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Gives a hromada that has no categories at all the default list.
pub async fn ensure_categories(db: &Db, katottg: &str) -> ApiResult<()> {
    if db.appeal_category_count(katottg).await? > 0 {
        return Ok(());
    }
    let items: Vec<(String, String, String)> = DEFAULT_CATEGORIES
        .iter()
        .map(|n| (ids::new_id(), (*n).to_owned(), search::normalize(n)))
        .collect();
    db.insert_appeal_categories(katottg, &items, &clock::now_rfc3339())
        .await?;
    Ok(())
}

/// `GET /hromadas/{katottg}/appeal-categories?archived=`: the active ones in list order;
/// with `archived=true` (its staff only) the archived ones too.
pub async fn categories(
    db: &Db,
    viewer: Option<&Account>,
    katottg: &str,
    archived: Option<&str>,
) -> ApiResult<Vec<AppealCategory>> {
    let with_archived = match archived.map(str::trim) {
        None | Some("" | "false" | "0") => false,
        Some("true" | "1") => true,
        Some(_) => {
            return Err(ApiError::BadParams(vec![FieldError::new(
                "archived",
                ErrorCode::Invalid,
            )]));
        }
    };
    require_hromada(db, katottg).await?;
    if with_archived {
        match viewer {
            None => return Err(ApiError::Unauthorized("Sign in first.")),
            Some(a) => require_staff(db, a, katottg).await?,
        }
    }
    ensure_categories(db, katottg).await?;
    Ok(db
        .appeal_categories(katottg, with_archived)
        .await?
        .iter()
        .map(category_api)
        .collect())
}

/// `POST /hromadas/{katottg}/appeal-categories` (staff). A name the hromada archived
/// before brings that category back.
pub async fn create_category(
    db: &Db,
    actor: &Account,
    katottg: &str,
    d: &CategoryDraft,
) -> ApiResult<AppealCategory> {
    require_staff(db, actor, katottg).await?;
    let errors = validate_category(d);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    ensure_categories(db, katottg).await?;
    let name = clean_name(&d.name);
    let key = search::normalize(&name);
    if let Some(existing) = db.appeal_category_by_key(katottg, &key).await? {
        if !existing.archived {
            return Err(ApiError::Conflict(
                "This hromada already has a category with this name.",
            ));
        }
        db.set_appeal_category_archived(&existing.id, false).await?;
        let back = db
            .appeal_category(&existing.id)
            .await?
            .ok_or(ApiError::NotFound)?;
        return Ok(category_api(&back));
    }
    if db.appeal_category_count(katottg).await? >= CATEGORIES_MAX as i64 {
        return Err(ApiError::Conflict(
            "A hromada may have at most 50 categories, archived ones included.",
        ));
    }
    let id = ids::new_id();
    let added = db
        .insert_appeal_categories(katottg, &[(id.clone(), name, key)], &clock::now_rfc3339())
        .await?;
    if added == 0 {
        return Err(ApiError::Conflict(
            "This hromada already has a category with this name.",
        ));
    }
    let c = db.appeal_category(&id).await?.ok_or(ApiError::NotFound)?;
    Ok(category_api(&c))
}

async fn category_for_staff(db: &Db, actor: &Account, id: &str) -> ApiResult<CategoryRow> {
    if !ids::is_id(id) {
        return Err(ApiError::NotFound);
    }
    let c = db.appeal_category(id).await?.ok_or(ApiError::NotFound)?;
    if !actor.may_manage(&c.katottg) {
        return Err(ApiError::Forbidden(NOT_STAFF));
    }
    Ok(c)
}

/// `PUT /appeal-categories/{id}` (staff): renames it.
pub async fn rename_category(
    db: &Db,
    actor: &Account,
    id: &str,
    d: &CategoryDraft,
) -> ApiResult<AppealCategory> {
    let c = category_for_staff(db, actor, id).await?;
    let errors = validate_category(d);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let name = clean_name(&d.name);
    let key = search::normalize(&name);
    if let Some(other) = db.appeal_category_by_key(&c.katottg, &key).await?
        && other.id != c.id
    {
        return Err(ApiError::Conflict(
            "This hromada already has a category with this name.",
        ));
    }
    match db.rename_appeal_category(&c.id, &name, &key).await {
        Ok(_) => {}
        Err(e) if crate::db::is_unique_violation(&e) => {
            return Err(ApiError::Conflict(
                "This hromada already has a category with this name.",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let c = db.appeal_category(&c.id).await?.ok_or(ApiError::NotFound)?;
    Ok(category_api(&c))
}

/// `DELETE /appeal-categories/{id}` (staff): archives it; old appeals keep it.
pub async fn archive_category(db: &Db, actor: &Account, id: &str) -> ApiResult<()> {
    let c = category_for_staff(db, actor, id).await?;
    db.set_appeal_category_archived(&c.id, true).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Files

/// A file as received in a request.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The name it was sent with (only shown; never used as a path).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Which files a request carries: photos of a new appeal, files of an answer, or images
/// of a participatory-budget project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uploads {
    Photos,
    AnswerFiles,
    ProjectImages,
}

impl Uploads {
    /// The multipart part (and the field errors name).
    pub fn field(self) -> &'static str {
        match self {
            Self::Photos => "photos",
            Self::AnswerFiles => "files",
            Self::ProjectImages => "images",
        }
    }

    /// Most files of a request.
    pub fn max_count(self) -> usize {
        match self {
            Self::Photos => PHOTOS_MAX,
            Self::AnswerFiles => ANSWER_FILES_MAX,
            Self::ProjectImages => hromada_api::budget::IMAGES_MAX,
        }
    }

    /// Largest file, in bytes.
    pub fn max_bytes(self) -> usize {
        match self {
            Self::Photos => PHOTO_MAX_BYTES,
            Self::AnswerFiles => ANSWER_FILE_MAX_BYTES,
            Self::ProjectImages => {
                usize::try_from(hromada_api::budget::IMAGE_BYTES_MAX).unwrap_or(PHOTO_MAX_BYTES)
            }
        }
    }

    fn role(self) -> &'static str {
        match self {
            Self::Photos | Self::ProjectImages => "photo",
            Self::AnswerFiles => "answer",
        }
    }

    /// 422: more files than allowed.
    pub fn too_many(self) -> ApiError {
        ApiError::field(self.field(), ErrorCode::TooMany)
    }

    /// 413: a file over the limit.
    pub fn too_large(self, name: Option<&str>) -> ApiError {
        let mut fe = FieldError::new(self.field(), ErrorCode::TooLarge);
        fe.message = match name.filter(|n| !n.is_empty()) {
            Some(n) => format!("{}: the file is over 10 MB.", shown(n)),
            None => "A file is over 10 MB.".to_owned(),
        };
        ApiError::TooLarge(vec![fe])
    }

    fn wrong_type(self, name: &str) -> ApiError {
        let code = match self {
            Self::Photos | Self::ProjectImages => ErrorCode::NotAnImage,
            Self::AnswerFiles => ErrorCode::NotAFile,
        };
        let mut fe = FieldError::new(self.field(), code);
        fe.message = format!("{}: {}", shown(name), code.message());
        ApiError::UnsupportedMedia(vec![fe])
    }

    fn undecodable(self, name: &str) -> ApiError {
        let code = match self {
            Self::Photos | Self::ProjectImages => ErrorCode::NotAnImage,
            Self::AnswerFiles => ErrorCode::NotAFile,
        };
        let mut fe = FieldError::new(self.field(), code);
        fe.message = format!("{}: the image could not be read.", shown(name));
        ApiError::Validation(vec![fe])
    }
}

fn shown(name: &str) -> String {
    let n: String = name.chars().filter(|c| !c.is_control()).take(100).collect();
    if n.is_empty() { "file".to_owned() } else { n }
}

/// A file made from an upload, ready to write: the main file (a re-encoded JPEG or the
/// PDF as sent) and, for images, a thumbnail.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub id: String,
    pub name: String,
    pub media_type: &'static str,
    pub main: Vec<u8>,
    pub thumbnail: Option<Vec<u8>>,
}

/// The name shown for a file: the last part of what was sent, without control
/// characters, at most 150 characters; images become `.jpg` (they are re-encoded).
fn display_name(raw: &str, index: usize, pdf: bool) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(150).collect();
    let clean = clean.trim();
    let stem = match clean.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 5 => stem,
        _ => clean,
    };
    match (pdf, stem.is_empty()) {
        (true, true) => format!("document-{}.pdf", index + 1),
        (true, false) => format!("{stem}.pdf"),
        (false, true) => format!("photo-{}.jpg", index + 1),
        (false, false) => format!("{stem}.jpg"),
    }
}

/// Checks and converts every upload before anything is written: the count, the size,
/// the type by content (JPEG, PNG, WebP; PDF for answers), and for images decoding,
/// turning upright, and re-encoding without metadata (full size and thumbnail).
pub fn prepare(kind: Uploads, uploads: Vec<Upload>) -> ApiResult<Vec<Prepared>> {
    if uploads.len() > kind.max_count() {
        return Err(kind.too_many());
    }
    let mut out = Vec::with_capacity(uploads.len());
    for (i, u) in uploads.into_iter().enumerate() {
        if u.bytes.len() > kind.max_bytes() {
            return Err(kind.too_large(Some(&u.name)));
        }
        match media::sniff(&u.bytes) {
            Some(media::Sniffed::Pdf) if kind == Uploads::AnswerFiles => {
                out.push(Prepared {
                    id: ids::new_id(),
                    name: display_name(&u.name, i, true),
                    media_type: "application/pdf",
                    main: u.bytes,
                    thumbnail: None,
                });
            }
            Some(media::Sniffed::Jpeg | media::Sniffed::Png | media::Sniffed::WebP) => {
                let img =
                    media::decode_upright(&u.bytes).ok_or_else(|| kind.undecodable(&u.name))?;
                let (_, _, main) = media::encode_fit(&img, FULL_SIDE)?;
                let (_, _, thumb) = media::encode_fit(&img, THUMB_SIDE)?;
                out.push(Prepared {
                    id: ids::new_id(),
                    name: display_name(&u.name, i, false),
                    media_type: "image/jpeg",
                    main,
                    thumbnail: Some(thumb),
                });
            }
            _ => return Err(kind.wrong_type(&u.name)),
        }
    }
    Ok(out)
}

/// [`prepare`] on a blocking thread.
pub(crate) async fn prepare_blocking(
    kind: Uploads,
    uploads: Vec<Upload>,
) -> ApiResult<Vec<Prepared>> {
    if uploads.is_empty() {
        return Ok(Vec::new());
    }
    tokio::task::spawn_blocking(move || prepare(kind, uploads))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
}

/// The folder of appeal files.
pub fn files_dir(media_dir: &Path) -> PathBuf {
    media_dir.join(SUBDIR)
}

/// The main file of a stored upload.
pub(crate) fn main_path(dir: &Path, id: &str, media_type: &str) -> PathBuf {
    if media_type == "application/pdf" {
        dir.join(format!("{id}.pdf"))
    } else {
        dir.join(format!("{id}.jpg"))
    }
}

/// The thumbnail of a stored image.
pub(crate) fn thumb_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}_thumb.jpg"))
}

async fn remove_files(paths: &[PathBuf]) {
    for p in paths {
        if let Err(e) = tokio::fs::remove_file(p).await {
            tracing::warn!(path = %p.display(), error = %e, "could not remove an appeal file");
        }
    }
}

/// Writes the prepared files (each through a temporary name); on failure removes what
/// it wrote. Returns the paths written.
async fn write_files(dir: &Path, files: &[Prepared]) -> ApiResult<Vec<PathBuf>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| ApiError::Internal(format!("media dir {}: {e}", dir.display())))?;
    let mut written = Vec::new();
    for f in files {
        let mut parts = vec![(main_path(dir, &f.id, f.media_type), &f.main)];
        if let Some(t) = &f.thumbnail {
            parts.push((thumb_path(dir, &f.id), t));
        }
        for (path, bytes) in parts {
            let tmp = path.with_extension("tmp");
            let res = async {
                tokio::fs::write(&tmp, bytes).await?;
                tokio::fs::rename(&tmp, &path).await
            }
            .await;
            if let Err(e) = res {
                let _ = tokio::fs::remove_file(&tmp).await;
                remove_files(&written).await;
                return Err(ApiError::Internal(format!("{}: {e}", path.display())));
            }
            written.push(path);
        }
    }
    Ok(written)
}

/// Writes the files, then runs `commit` (the one transaction that records them); if it
/// fails the files are removed. It runs as its own task, so a client that hangs up
/// midway cannot leave files without their records.
pub(crate) async fn commit_with_files<T, Fut>(
    dir: PathBuf,
    files: Vec<Prepared>,
    commit: impl FnOnce(Vec<Prepared>) -> Fut + Send + 'static,
) -> ApiResult<T>
where
    T: Send + 'static,
    Fut: Future<Output = ApiResult<T>> + Send,
{
    tokio::spawn(async move {
        let written = write_files(&dir, &files).await?;
        match commit(files).await {
            Ok(v) => Ok(v),
            Err(e) => {
                remove_files(&written).await;
                Err(e)
            }
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
}

fn file_url(appeal_id: &str, file_id: &str) -> String {
    format!(
        "{}/appeals/{appeal_id}/files/{file_id}",
        hromada_api::API_PREFIX
    )
}

fn file_api(
    appeal_id: &str,
    id: &str,
    name: &str,
    media_type: &str,
    bytes: u64,
    thumb: bool,
) -> AppealFile {
    AppealFile {
        id: id.to_owned(),
        name: name.to_owned(),
        media_type: media_type.to_owned(),
        bytes,
        url: file_url(appeal_id, id),
        thumbnail_url: thumb.then(|| format!("{}/thumbnail", file_url(appeal_id, id))),
    }
}

fn file_row_api(f: &FileRow) -> AppealFile {
    file_api(
        &f.appeal_id,
        &f.id,
        &f.name,
        &f.media_type,
        u64::try_from(f.bytes).unwrap_or(0),
        f.has_thumbnail,
    )
}

fn file_writes<'a>(kind: Uploads, files: &'a [Prepared]) -> Vec<FileWrite<'a>> {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| FileWrite {
            id: &f.id,
            role: kind.role(),
            sort_order: i as i64,
            name: &f.name,
            media_type: f.media_type,
            bytes: f.main.len() as i64,
            has_thumbnail: f.thumbnail.is_some(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Who sees what

/// How a reader sees an appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reader {
    /// The author or the hromada's staff: everything.
    full: bool,
    /// The author.
    mine: bool,
}

/// How `viewer` sees `row`; `None`: not at all (404).
fn reader(row: &AppealRow, viewer: Option<&Account>) -> Option<Reader> {
    let mine = viewer.is_some_and(|v| row.author_id.as_deref() == Some(v.user.id.as_str()));
    let staff = viewer.is_some_and(|v| v.may_manage(&row.katottg));
    if mine || staff {
        Some(Reader { full: true, mine })
    } else if row.is_public {
        Some(Reader {
            full: false,
            mine: false,
        })
    } else {
        None
    }
}

async fn load(db: &Db, id: &str) -> ApiResult<AppealRow> {
    if !ids::is_id(id) {
        return Err(ApiError::NotFound);
    }
    db.appeal(id).await?.ok_or(ApiError::NotFound)
}

/// Loads an appeal for staff: 404 to whoever may not see it, 403 to those who may see
/// it but are not its hromada's staff.
async fn load_for_staff(db: &Db, actor: &Account, id: &str) -> ApiResult<AppealRow> {
    let row = load(db, id).await?;
    if actor.may_manage(&row.katottg) {
        Ok(row)
    } else if reader(&row, Some(actor)).is_some() {
        Err(ApiError::Forbidden(NOT_STAFF))
    } else {
        Err(ApiError::NotFound)
    }
}

/// Loads an appeal for its author: 404 to whoever may not see it, 403 to others who may.
async fn load_for_author(db: &Db, actor: &Account, id: &str) -> ApiResult<AppealRow> {
    let row = load(db, id).await?;
    match reader(&row, Some(actor)) {
        Some(Reader { mine: true, .. }) => Ok(row),
        Some(_) => Err(ApiError::Forbidden(NOT_AUTHOR)),
        None => Err(ApiError::NotFound),
    }
}

/// Only the author and the hromada's staff may read what was sent about an appeal
/// (its delivery log): 403 to other readers of a public appeal, 404 to the rest.
pub async fn require_reader(db: &Db, actor: &Account, id: &str) -> ApiResult<()> {
    let row = load(db, id).await?;
    if actor.may_manage(&row.katottg) {
        return Ok(());
    }
    match reader(&row, Some(actor)) {
        Some(Reader { mine: true, .. }) => Ok(()),
        Some(_) => Err(ApiError::Forbidden(NOT_AUTHOR)),
        None => Err(ApiError::NotFound),
    }
}

fn kind_of(code: &str) -> ApiResult<AppealKind> {
    AppealKind::from_code(code).ok_or_else(|| ApiError::Internal(format!("appeal kind {code}")))
}

fn status_of(code: &str) -> ApiResult<AppealStatus> {
    AppealStatus::from_code(code).ok_or_else(|| ApiError::Internal(format!("appeal status {code}")))
}

/// An appeal as lists show it; the assignee only to the author and staff.
fn summary(row: &AppealRow, full: bool) -> ApiResult<AppealSummary> {
    Ok(AppealSummary {
        id: row.id.clone(),
        number: row.number.clone(),
        katottg: row.katottg.clone(),
        kind: kind_of(&row.kind)?,
        category: CategoryRef {
            id: row.category_id.clone(),
            name: row.category_name.clone(),
        },
        subject: row.subject.clone(),
        status: status_of(&row.status)?,
        registered_at: row.registered_at.clone(),
        due_at: row.due_at.clone(),
        term_days: row.term_days,
        public: row.is_public,
        assignee: if full { row.assignee.clone() } else { None },
        updated_at: row.updated_at.clone(),
    })
}

/// The whole appeal as `r` sees it. The public view has no author, no coordinates, no
/// assignee (nor the steps that name one) and no staff names.
async fn view(db: &Db, row: &AppealRow, r: Reader) -> ApiResult<Appeal> {
    let photos = db
        .appeal_files(&row.id)
        .await?
        .iter()
        .filter(|f| f.role == "photo")
        .map(file_row_api)
        .collect();
    let mut timeline = Vec::new();
    for s in db.appeal_steps(&row.id).await? {
        let step: Step = serde_json::from_str(&s.data)
            .map_err(|e| ApiError::Internal(format!("stored step of {}: {e}", row.id)))?;
        if !r.full && matches!(step, Step::Assigned { .. }) {
            continue;
        }
        timeline.push(TimelineEntry {
            at: s.at,
            by: if r.full { s.by_name } else { None },
            step,
        });
    }
    let rating = db.appeal_rating(&row.id).await?.map(|x| Rating {
        stars: u8::try_from(x.stars).unwrap_or(0),
        comment: x.comment,
        at: x.at,
    });
    Ok(Appeal {
        summary: summary(row, r.full)?,
        text: row.body.clone(),
        location: row.location.clone(),
        latitude: if r.full { row.latitude } else { None },
        longitude: if r.full { row.longitude } else { None },
        photos,
        author: r.full.then(|| Author {
            full_name: row.author_name.clone(),
            address: row.author_address.clone(),
            email: row.author_email.clone(),
        }),
        timeline,
        rating,
        mine: r.mine,
    })
}

/// `GET /appeals/{id}`.
pub async fn get(db: &Db, viewer: Option<&Account>, id: &str) -> ApiResult<Appeal> {
    let row = load(db, id).await?;
    let r = reader(&row, viewer).ok_or(ApiError::NotFound)?;
    view(db, &row, r).await
}

/// A stored file of an appeal that `viewer` may see: the record and its bytes
/// (`thumbnail`: the small JPEG of an image). 404 otherwise.
pub async fn file(
    db: &Db,
    media_dir: &Path,
    viewer: Option<&Account>,
    id: &str,
    file_id: &str,
    thumbnail: bool,
) -> ApiResult<(FileRow, Vec<u8>)> {
    let row = load(db, id).await?;
    reader(&row, viewer).ok_or(ApiError::NotFound)?;
    if !ids::is_id(file_id) {
        return Err(ApiError::NotFound);
    }
    let f = db
        .appeal_file(&row.id, file_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let dir = files_dir(media_dir);
    let path = if thumbnail {
        if !f.has_thumbnail {
            return Err(ApiError::NotFound);
        }
        thumb_path(&dir, &f.id)
    } else {
        main_path(&dir, &f.id, &f.media_type)
    };
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        tracing::warn!(path = %path.display(), error = %e, "appeal file missing");
        ApiError::NotFound
    })?;
    Ok((f, bytes))
}

// ---------------------------------------------------------------------------------------
// Registering

fn notification_api(id: &str, kind: NotificationKind, at: &str, row: &AppealRow) -> Notification {
    notifications::made(
        id,
        kind,
        at,
        About::Appeal {
            id: row.id.clone(),
            number: row.number.clone(),
            subject: row.subject.clone(),
        },
    )
}

/// The checked fields of a new appeal.
struct CheckedNew {
    kind: AppealKind,
    category_id: String,
    subject: String,
    text: String,
    location: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    full_name: String,
    address: String,
    email: String,
    public: bool,
}

async fn check_new(db: &Db, katottg: &str, a: &NewAppeal) -> ApiResult<CheckedNew> {
    let mut errors = validate_new(a);
    let category_id = a.category_id.trim();
    if !category_id.is_empty() {
        let ok = ids::is_id(category_id)
            && db
                .appeal_category(category_id)
                .await?
                .is_some_and(|c| c.katottg == katottg && !c.archived);
        if !ok {
            errors.push(FieldError::new("category_id", ErrorCode::Invalid));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(CheckedNew {
        kind: AppealKind::from_code(a.kind.trim()).unwrap_or(AppealKind::Application),
        category_id: category_id.to_owned(),
        subject: a.subject.trim().to_owned(),
        text: a.text.trim().to_owned(),
        location: a
            .location
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned),
        latitude: a.latitude,
        longitude: a.longitude,
        full_name: a.full_name.split_whitespace().collect::<Vec<_>>().join(" "),
        address: a.address.trim().to_owned(),
        email: validate::normalize_email(&a.email),
        public: a.public,
    })
}

/// 429 when the person registered [`DAILY_LIMIT`] appeals within the last 24 hours.
async fn throttle(db: &Db, actor: &Account, now_ms: i64) -> ApiResult<()> {
    let since = clock::rfc3339(now_ms - DAILY_WINDOW_MS);
    let (n, oldest) = db.appeals_by_author_since(&actor.user.id, &since).await?;
    super::throttle::submissions(n, oldest.as_deref(), now_ms, DAILY_LIMIT, DAILY_WINDOW_MS)
}

/// The registration of a new appeal (also used for demo content, with a past time).
pub struct Registration<'a> {
    pub katottg: &'a str,
    pub author_id: Option<&'a str>,
    pub appeal: &'a NewAppeal,
    /// When it was received, in milliseconds since the epoch.
    pub at_ms: i64,
}

/// Registers a checked appeal with prepared photos: writes the files, then in one
/// transaction the next number, the appeal, its photos, the `registered` step and the
/// author's notification. Returns the stored appeal and the notification made.
async fn register(
    db: &Db,
    media_dir: &Path,
    reg: &Registration<'_>,
    c: CheckedNew,
    photos: Vec<Prepared>,
) -> ApiResult<(AppealRow, Option<(String, Notification)>)> {
    let id = ids::new_id();
    let at = clock::rfc3339(reg.at_ms);
    let year: i64 = at[..4].parse().unwrap_or(1970);
    let due = clock::rfc3339(deadline::due(reg.at_ms, deadline::STANDARD_DAYS));
    let notification_id = ids::new_id();
    let step =
        serde_json::to_string(&Step::Registered).map_err(|e| ApiError::Internal(e.to_string()))?;
    let (db2, katottg, author) = (
        db.clone(),
        reg.katottg.to_owned(),
        reg.author_id.map(str::to_owned),
    );
    let (id2, at2, due2, nid2) = (id.clone(), at.clone(), due.clone(), notification_id.clone());
    commit_with_files(files_dir(media_dir), photos, move |photos| async move {
        let row = NewAppealRow {
            id: &id2,
            katottg: &katottg,
            kind: c.kind.code(),
            category_id: &c.category_id,
            subject: &c.subject,
            body: &c.text,
            location: c.location.as_deref(),
            latitude: c.latitude,
            longitude: c.longitude,
            author_id: author.as_deref(),
            author_name: &c.full_name,
            author_address: &c.address,
            author_email: &c.email,
            is_public: c.public,
            term_days: deadline::STANDARD_DAYS,
            registered_at: &at2,
            due_at: &due2,
            year,
        };
        let files = file_writes(Uploads::Photos, &photos);
        let notification = author.as_deref().map(|u| NotificationWrite {
            id: &nid2,
            user_id: u,
            kind: notifications::code(NotificationKind::AppealRegistered),
            appeal_id: Some(&id2),
            petition_id: None,
            project_id: None,
            consultation_id: None,
            at: &at2,
        });
        db2.create_appeal(
            &row,
            |seq| registration_number(year, seq),
            &files,
            &StepWrite {
                kind: "registered",
                at: &at2,
                by_user: None,
                by_name: None,
                data: &step,
            },
            notification.as_ref(),
        )
        .await?;
        Ok(())
    })
    .await?;
    let row = load(db, &id).await?;
    let made = reg.author_id.map(|u| {
        (
            u.to_owned(),
            notification_api(
                &notification_id,
                NotificationKind::AppealRegistered,
                &at,
                &row,
            ),
        )
    });
    Ok((row, made))
}

/// `POST /hromadas/{katottg}/appeals`: a signed-in resident registers an appeal with up
/// to five photos. Everything is checked and converted before anything is written.
pub async fn create(
    db: &Db,
    live: &Live,
    media_dir: &Path,
    actor: &Account,
    katottg: &str,
    a: &NewAppeal,
    photos: Vec<Upload>,
) -> ApiResult<Appeal> {
    require_hromada(db, katottg).await?;
    if photos.len() > PHOTOS_MAX {
        return Err(Uploads::Photos.too_many());
    }
    let c = check_new(db, katottg, a).await?;
    let now_ms = clock::now_millis();
    throttle(db, actor, now_ms).await?;
    let prepared = prepare_blocking(Uploads::Photos, photos).await?;
    let reg = Registration {
        katottg,
        author_id: Some(&actor.user.id),
        appeal: a,
        at_ms: now_ms,
    };
    let (row, made) = register(db, media_dir, &reg, c, prepared).await?;
    if let Some((user, n)) = made {
        live.notify(&user, n);
    }
    view(
        db,
        &row,
        Reader {
            full: true,
            mine: true,
        },
    )
    .await
}

/// Registers an appeal as given, at a past time, without throttling (demo content).
/// Returns its id.
pub async fn seed(
    db: &Db,
    media_dir: &Path,
    reg: &Registration<'_>,
    photos: Vec<Upload>,
) -> ApiResult<String> {
    let c = check_new(db, reg.katottg, reg.appeal).await?;
    let prepared = prepare_blocking(Uploads::Photos, photos).await?;
    let (row, _) = register(db, media_dir, reg, c, prepared).await?;
    Ok(row.id)
}

/// An appeal the system registers on a person's behalf: a local petition whose period
/// ended without its number is handled as an ordinary appeal (Article 23-1), in the
/// transaction that closes the petition. An application, registered now with the next
/// number and the ordinary 30-day term.
#[derive(Debug, Clone)]
pub struct HandedOver {
    pub id: String,
    katottg: String,
    category_id: String,
    subject: String,
    text: String,
    author_id: String,
    full_name: String,
    address: String,
    email: String,
    at: String,
    due: String,
    year: i64,
    step: String,
}

/// Who an appeal made by the system is from: the contact details of the person's profile.
pub struct OnBehalf<'a> {
    pub katottg: &'a str,
    pub author_id: &'a str,
    pub full_name: &'a str,
    pub address: &'a str,
    pub email: &'a str,
}

/// The first `max` characters of `text`.
fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

impl HandedOver {
    /// An appeal with this subject and text (both cut to the appeal's limits), in the
    /// category "Інше" of the hromada (else its first one), registered at `at_ms`.
    pub async fn new(
        db: &Db,
        from: &OnBehalf<'_>,
        subject: &str,
        text: &str,
        at_ms: i64,
    ) -> ApiResult<Self> {
        ensure_categories(db, from.katottg).await?;
        let all = db.appeal_categories(from.katottg, true).await?;
        let other = search::normalize("Інше");
        let pick = all
            .iter()
            .find(|c| !c.archived && search::normalize(&c.name) == other)
            .or_else(|| all.iter().find(|c| !c.archived))
            .or_else(|| all.first())
            .ok_or_else(|| ApiError::Internal(format!("no categories in {}", from.katottg)))?;
        let at = clock::rfc3339(at_ms);
        Ok(Self {
            id: ids::new_id(),
            katottg: from.katottg.to_owned(),
            category_id: pick.id.clone(),
            subject: clip(subject.trim(), hromada_api::appeals::SUBJECT_MAX),
            text: clip(text.trim(), hromada_api::appeals::TEXT_MAX),
            author_id: from.author_id.to_owned(),
            full_name: from.full_name.to_owned(),
            address: from.address.to_owned(),
            email: from.email.to_owned(),
            year: at[..4].parse().unwrap_or(1970),
            due: clock::rfc3339(deadline::due(at_ms, deadline::STANDARD_DAYS)),
            at,
            step: serde_json::to_string(&Step::Registered)
                .map_err(|e| ApiError::Internal(e.to_string()))?,
        })
    }

    /// The row to store.
    pub fn row(&self) -> NewAppealRow<'_> {
        NewAppealRow {
            id: &self.id,
            katottg: &self.katottg,
            kind: AppealKind::Application.code(),
            category_id: &self.category_id,
            subject: &self.subject,
            body: &self.text,
            location: None,
            latitude: None,
            longitude: None,
            author_id: Some(&self.author_id),
            author_name: &self.full_name,
            author_address: &self.address,
            author_email: &self.email,
            is_public: false,
            term_days: deadline::STANDARD_DAYS,
            registered_at: &self.at,
            due_at: &self.due,
            year: self.year,
        }
    }

    /// Its registration number, given the sequence number of its hromada and year.
    pub fn number(&self, seq: i64) -> String {
        registration_number(self.year, seq)
    }

    /// The `registered` step of its timeline.
    pub fn step(&self) -> StepWrite<'_> {
        StepWrite {
            kind: "registered",
            at: &self.at,
            by_user: None,
            by_name: None,
            data: &self.step,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Lists

fn newest_cursor(raw: Option<&str>) -> ApiResult<Option<(String, String)>> {
    match raw {
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

fn bad_param(field: &str) -> ApiError {
    ApiError::BadParams(vec![FieldError::new(field, ErrorCode::Invalid)])
}

fn non_empty(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

fn status_param(raw: Option<&str>) -> ApiResult<Option<&str>> {
    match non_empty(raw) {
        None => Ok(None),
        Some("open") => Ok(Some("open")),
        Some(s) => AppealStatus::from_code(s)
            .map(|s| Some(s.code()))
            .ok_or_else(|| bad_param("status")),
    }
}

fn category_param(raw: Option<&str>) -> ApiResult<Option<&str>> {
    match non_empty(raw) {
        None => Ok(None),
        Some(c) if ids::is_id(c) => Ok(Some(c)),
        Some(_) => Err(bad_param("category")),
    }
}

fn page_of(rows: Vec<AppealRow>, limit: i64, full: bool) -> ApiResult<Page<AppealSummary>> {
    let mut rows = rows;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| cursor::encode(&[&r.registered_at, &r.id]))
    } else {
        None
    };
    Ok(Page {
        items: rows
            .iter()
            .map(|r| summary(r, full))
            .collect::<ApiResult<_>>()?,
        next_cursor,
    })
}

/// `GET /hromadas/{katottg}` list parameters, as given.
#[derive(Debug, Default)]
pub struct ListParams<'a> {
    pub status: Option<&'a str>,
    pub category: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub assignee: Option<&'a str>,
    pub cursor: Option<&'a str>,
    pub limit: Option<&'a str>,
}

/// `GET /hromadas/{katottg}/appeals?category=&status=&cursor=&limit=`: the appeals their
/// authors made public, newest first, without assignees.
pub async fn public_list(
    db: &Db,
    katottg: &str,
    p: &ListParams<'_>,
) -> ApiResult<Page<AppealSummary>> {
    let limit = paging::limit(p.limit)?;
    let status = status_param(p.status)?;
    let category = category_param(p.category)?;
    let after = newest_cursor(p.cursor)?;
    require_hromada(db, katottg).await?;
    let f = AppealFilter {
        public_only: true,
        status,
        category_id: category,
        ..AppealFilter::default()
    };
    let rows = db
        .appeals_newest_first(
            Some(katottg),
            &f,
            after.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
            limit + 1,
        )
        .await?;
    page_of(rows, limit, false)
}

/// `GET /me/appeals?cursor=&limit=`: the person's own appeals, newest first.
pub async fn my_list(
    db: &Db,
    actor: &Account,
    cursor_raw: Option<&str>,
    limit_raw: Option<&str>,
) -> ApiResult<Page<AppealSummary>> {
    let limit = paging::limit(limit_raw)?;
    let after = newest_cursor(cursor_raw)?;
    let f = AppealFilter {
        author_id: Some(&actor.user.id),
        ..AppealFilter::default()
    };
    let rows = db
        .appeals_newest_first(
            None,
            &f,
            after.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
            limit + 1,
        )
        .await?;
    page_of(rows, limit, true)
}

/// `GET /hromadas/{katottg}/appeals/inbox?status=&category=&kind=&assignee=&cursor=&limit=`
/// (staff): open appeals first, nearest deadline first, then the rest, last changed
/// first; with the overdue and due-soon counts of all open appeals.
pub async fn inbox(
    db: &Db,
    actor: &Account,
    katottg: &str,
    p: &ListParams<'_>,
) -> ApiResult<Inbox> {
    require_staff(db, actor, katottg).await?;
    let limit = paging::limit(p.limit)?;
    let status = status_param(p.status)?;
    let category = category_param(p.category)?;
    let kind = match non_empty(p.kind) {
        None => None,
        Some(k) => Some(
            AppealKind::from_code(k)
                .ok_or_else(|| bad_param("kind"))?
                .code(),
        ),
    };
    let assignee = match non_empty(p.assignee) {
        Some(a) if a.chars().count() > ASSIGNEE_MAX || a.chars().any(char::is_control) => {
            return Err(bad_param("assignee"));
        }
        other => other,
    };
    let after = match p.cursor {
        None => None,
        Some(c) => {
            let parts = cursor::decode(c, 3).ok_or_else(paging::bad_cursor)?;
            let open = match parts[0].as_str() {
                "0" => true,
                "1" => false,
                _ => return Err(paging::bad_cursor()),
            };
            if clock::parse_rfc3339(&parts[1]).is_none() || !ids::is_id(&parts[2]) {
                return Err(paging::bad_cursor());
            }
            Some((open, parts[1].clone(), parts[2].clone()))
        }
    };
    let f = AppealFilter {
        status,
        category_id: category,
        kind,
        assignee,
        ..AppealFilter::default()
    };
    let mut rows = db
        .appeal_inbox(
            katottg,
            &f,
            after.as_ref().map(|(o, k, i)| (*o, k.as_str(), i.as_str())),
            limit + 1,
        )
        .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| {
            let open = AppealStatus::from_code(&r.status).is_some_and(AppealStatus::is_open);
            if open {
                cursor::encode(&["0", &r.due_at, &r.id])
            } else {
                cursor::encode(&["1", &r.updated_at, &r.id])
            }
        })
    } else {
        None
    };
    let now_ms = clock::now_millis();
    let (overdue, due_soon) = db
        .appeal_deadline_counts(
            katottg,
            &clock::rfc3339(now_ms),
            &clock::rfc3339(now_ms + i64::from(deadline::DUE_SOON_DAYS) * deadline::DAY_MS),
        )
        .await?;
    let mut assignees = db.appeal_assignees(katottg).await?;
    assignees.sort_by_cached_key(|a| (search::sort_key(a), a.clone()));
    Ok(Inbox {
        items: rows
            .iter()
            .map(|r| summary(r, true))
            .collect::<ApiResult<_>>()?,
        next_cursor,
        overdue: u32::try_from(overdue).unwrap_or(u32::MAX),
        due_soon: u32::try_from(due_soon).unwrap_or(u32::MAX),
        assignees,
    })
}

// ---------------------------------------------------------------------------------------
// The author's changes

/// `PATCH /appeals/{id}` (the author): shows or hides it in the public list.
pub async fn set_visibility(
    db: &Db,
    actor: &Account,
    id: &str,
    v: &AppealVisibility,
) -> ApiResult<Appeal> {
    let row = load_for_author(db, actor, id).await?;
    db.set_appeal_public(&row.id, v.public).await?;
    let row = load(db, id).await?;
    let r = reader(&row, Some(actor)).ok_or(ApiError::NotFound)?;
    view(db, &row, r).await
}

/// `PUT /appeals/{id}/rating` (the author): rates the answer, 1 to 5; changeable.
pub async fn rate(db: &Db, actor: &Account, id: &str, d: &RatingDraft) -> ApiResult<Appeal> {
    let row = load_for_author(db, actor, id).await?;
    let errors = validate_rating(d);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    rules::rate(&facts(&row)?)
        .map_err(|_| ApiError::Conflict("Only an answered appeal can be rated."))?;
    let comment = d
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    db.upsert_appeal_rating(&row.id, i64::from(d.stars), comment, &clock::now_rfc3339())
        .await?;
    let r = reader(&row, Some(actor)).ok_or(ApiError::NotFound)?;
    view(db, &row, r).await
}

// ---------------------------------------------------------------------------------------
// Staff steps

fn facts(row: &AppealRow) -> ApiResult<rules::Facts> {
    Ok(rules::Facts {
        status: status_of(&row.status)?,
        registered: clock::parse_rfc3339(&row.registered_at)
            .ok_or_else(|| ApiError::Internal(format!("registered_at of {}", row.id)))?,
        term_days: row.term_days,
    })
}

/// What a step does to an appeal.
struct Effect {
    status: AppealStatus,
    term_days: u32,
    assignee: Option<String>,
    step: Step,
    kind: NotificationKind,
}

fn refused(e: rules::Refusal, what: &'static str) -> ApiError {
    use rules::Refusal;
    match e {
        Refusal::NotOpen => ApiError::Conflict(
            "This appeal is no longer open: it was forwarded, returned, answered or closed.",
        ),
        Refusal::NotAnswered => ApiError::Conflict("Only an answered appeal can be closed."),
        Refusal::NothingToRate => ApiError::Conflict("Only an answered appeal can be rated."),
        Refusal::TooLate | Refusal::BadTerm => ApiError::Conflict(what),
    }
}

fn effect(row: &AppealRow, action: &StaffAction, now_ms: i64) -> ApiResult<Effect> {
    let f = facts(row)?;
    let due = |term: u32| clock::rfc3339(deadline::due(f.registered, term));
    let keep = row.assignee.clone();
    Ok(match action {
        StaffAction::Assign { assignee } => {
            rules::assign(&f).map_err(|e| refused(e, ""))?;
            let assignee = assignee.split_whitespace().collect::<Vec<_>>().join(" ");
            Effect {
                status: AppealStatus::InProgress,
                term_days: f.term_days,
                assignee: Some(assignee.clone()),
                step: Step::Assigned { assignee },
                kind: NotificationKind::AppealAssigned,
            }
        }
        StaffAction::NoFurtherStudy => {
            rules::no_further_study(&f, now_ms).map_err(|e| {
                refused(
                    e,
                    match e {
                        rules::Refusal::BadTerm => {
                            "Only an appeal on the ordinary 30-day term can be marked as needing no further study."
                        }
                        _ => "The 15-day term has already passed; the appeal cannot be marked as needing no further study.",
                    },
                )
            })?;
            Effect {
                status: f.status,
                term_days: deadline::BRIEF_DAYS,
                assignee: keep,
                step: Step::NoFurtherStudy {
                    due_at: due(deadline::BRIEF_DAYS),
                },
                kind: NotificationKind::AppealNoFurtherStudy,
            }
        }
        StaffAction::Extend { term_days, reason } => {
            match rules::extend(&f, *term_days) {
                Ok(()) => {}
                // A term that is not longer than now (or over 45 days) is a bad field.
                Err(rules::Refusal::BadTerm) => {
                    let mut fe = FieldError::new("term_days", ErrorCode::Invalid);
                    fe.message = format!(
                        "The new term must be longer than the current {} days and at most {} days.",
                        f.term_days,
                        deadline::MAX_DAYS
                    );
                    return Err(ApiError::Validation(vec![fe]));
                }
                Err(e) => return Err(refused(e, "")),
            }
            Effect {
                status: f.status,
                term_days: *term_days,
                assignee: keep,
                step: Step::Extended {
                    due_at: due(*term_days),
                    reason: reason.trim().to_owned(),
                },
                kind: NotificationKind::AppealExtended,
            }
        }
        StaffAction::Return { reason } => {
            rules::return_incomplete(&f, now_ms).map_err(|e| {
                refused(
                    e,
                    "An appeal can be returned only within 10 days of its registration.",
                )
            })?;
            Effect {
                status: AppealStatus::Returned,
                term_days: f.term_days,
                assignee: keep,
                step: Step::Returned {
                    reason: reason.trim().to_owned(),
                },
                kind: NotificationKind::AppealReturned,
            }
        }
        StaffAction::Forward { to, reason } => {
            rules::forward(&f, now_ms).map_err(|e| {
                refused(
                    e,
                    "An appeal can be forwarded only within 5 days of its registration.",
                )
            })?;
            Effect {
                status: AppealStatus::Forwarded,
                term_days: f.term_days,
                assignee: keep,
                step: Step::Forwarded {
                    to: to.split_whitespace().collect::<Vec<_>>().join(" "),
                    reason: reason.trim().to_owned(),
                },
                kind: NotificationKind::AppealForwarded,
            }
        }
        StaffAction::Close => {
            rules::close(&f).map_err(|e| refused(e, ""))?;
            Effect {
                status: AppealStatus::Closed,
                term_days: f.term_days,
                assignee: keep,
                step: Step::Closed,
                kind: NotificationKind::AppealClosed,
            }
        }
    })
}

fn step_code(s: &Step) -> &'static str {
    match s {
        Step::Registered => "registered",
        Step::Assigned { .. } => "assigned",
        Step::NoFurtherStudy { .. } => "no_further_study",
        Step::Extended { .. } => "extended",
        Step::Returned { .. } => "returned",
        Step::Forwarded { .. } => "forwarded",
        Step::Answered { .. } => "answered",
        Step::Closed => "closed",
    }
}

/// Who did a step and when (demo content gives past times and names).
pub struct Actor<'a> {
    pub user_id: Option<&'a str>,
    pub name: &'a str,
    pub at_ms: i64,
}

/// Records a step: the change, the timeline entry, its files and the author's
/// notification in one transaction. Returns the notification to send live.
async fn record(
    db: &Db,
    row: &AppealRow,
    by: &Actor<'_>,
    e: &Effect,
    files: &[FileWrite<'_>],
) -> ApiResult<Option<(String, Notification)>> {
    let at = clock::rfc3339(
        by.at_ms
            .max(clock::parse_rfc3339(&row.updated_at).map_or(by.at_ms, |u| u + 1)),
    );
    let registered = clock::parse_rfc3339(&row.registered_at).unwrap_or(by.at_ms);
    let due = clock::rfc3339(deadline::due(registered, e.term_days));
    let data = serde_json::to_string(&e.step).map_err(|x| ApiError::Internal(x.to_string()))?;
    let nid = ids::new_id();
    let notification = row.author_id.as_deref().map(|u| NotificationWrite {
        id: &nid,
        user_id: u,
        kind: notifications::code(e.kind),
        appeal_id: Some(&row.id),
        petition_id: None,
        project_id: None,
        consultation_id: None,
        at: &at,
    });
    let applied = db
        .apply_appeal_step(
            &row.id,
            &AppealExpect {
                status: &row.status,
                term_days: row.term_days,
                updated_at: &row.updated_at,
            },
            &AppealChange {
                status: e.status.code(),
                term_days: e.term_days,
                due_at: &due,
                assignee: e.assignee.as_deref(),
                updated_at: &at,
            },
            &StepWrite {
                kind: step_code(&e.step),
                at: &at,
                by_user: by.user_id,
                by_name: Some(by.name),
                data: &data,
            },
            files,
            notification.as_ref(),
        )
        .await?;
    if !applied {
        return Err(ApiError::Conflict(
            "This appeal changed meanwhile; reload it and try again.",
        ));
    }
    Ok(row
        .author_id
        .as_ref()
        .map(|u| (u.clone(), notification_api(&nid, e.kind, &at, row))))
}

async fn after_step(
    db: &Db,
    live: &Live,
    actor: &Account,
    id: &str,
    made: Option<(String, Notification)>,
) -> ApiResult<Appeal> {
    if let Some((user, n)) = made {
        live.notify(&user, n);
    }
    let row = load(db, id).await?;
    let r = reader(&row, Some(actor)).ok_or(ApiError::NotFound)?;
    view(db, &row, r).await
}

/// `POST /appeals/{id}/actions` (the hromada's staff): one step under the legal terms.
pub async fn act(
    db: &Db,
    live: &Live,
    actor: &Account,
    id: &str,
    action: &StaffAction,
) -> ApiResult<Appeal> {
    let row = load_for_staff(db, actor, id).await?;
    let errors = validate_action(action);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now_ms = clock::now_millis();
    let e = effect(&row, action, now_ms)?;
    let by = Actor {
        user_id: Some(&actor.user.id),
        name: &actor.user.full_name,
        at_ms: now_ms,
    };
    let made = record(db, &row, &by, &e, &[]).await?;
    after_step(db, live, actor, &row.id, made).await
}

/// `POST /appeals/{id}/answer` (the hromada's staff): the official answer with up to
/// five files. Everything is checked and converted before anything is written.
pub async fn answer(
    db: &Db,
    live: &Live,
    media_dir: &Path,
    actor: &Account,
    id: &str,
    d: &AnswerDraft,
    files: Vec<Upload>,
) -> ApiResult<Appeal> {
    let row = load_for_staff(db, actor, id).await?;
    if files.len() > ANSWER_FILES_MAX {
        return Err(Uploads::AnswerFiles.too_many());
    }
    let errors = validate_answer(d);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    rules::answer(&facts(&row)?).map_err(|e| refused(e, ""))?;
    let prepared = prepare_blocking(Uploads::AnswerFiles, files).await?;
    let now_ms = clock::now_millis();
    let (db2, row2, actor_id, actor_name) = (
        db.clone(),
        row.clone(),
        actor.user.id.clone(),
        actor.user.full_name.clone(),
    );
    let text = d.text.trim().to_owned();
    let made = commit_with_files(files_dir(media_dir), prepared, move |prepared| async move {
        let api_files = prepared
            .iter()
            .map(|f| {
                file_api(
                    &row2.id,
                    &f.id,
                    &f.name,
                    f.media_type,
                    f.main.len() as u64,
                    f.thumbnail.is_some(),
                )
            })
            .collect();
        let e = Effect {
            status: AppealStatus::Answered,
            term_days: row2.term_days,
            assignee: row2.assignee.clone(),
            step: Step::Answered {
                text,
                files: api_files,
            },
            kind: NotificationKind::AppealAnswered,
        };
        let by = Actor {
            user_id: Some(&actor_id),
            name: &actor_name,
            at_ms: now_ms,
        };
        record(
            &db2,
            &row2,
            &by,
            &e,
            &file_writes(Uploads::AnswerFiles, &prepared),
        )
        .await
    })
    .await?;
    after_step(db, live, actor, &row.id, made).await
}

/// Applies a staff step as given, at a past time and without checking the terms
/// (demo content).
pub async fn seed_step(
    db: &Db,
    id: &str,
    by: &Actor<'_>,
    action: Option<&StaffAction>,
    answer: Option<&str>,
) -> ApiResult<()> {
    let row = load(db, id).await?;
    let e = match (action, answer) {
        (Some(a), _) => effect(
            &row,
            a,
            clock::parse_rfc3339(&row.registered_at).unwrap_or(by.at_ms),
        )?,
        (None, Some(text)) => Effect {
            status: AppealStatus::Answered,
            term_days: row.term_days,
            assignee: row.assignee.clone(),
            step: Step::Answered {
                text: text.to_owned(),
                files: Vec::new(),
            },
            kind: NotificationKind::AppealAnswered,
        },
        (None, None) => return Err(ApiError::Internal("no step".into())),
    };
    record(db, &row, by, &e, &[]).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_shown_never_carry_paths() {
        assert_eq!(
            display_name("C:\\Users\\x\\IMG_001.HEIC.png", 0, false),
            "IMG_001.HEIC.jpg"
        );
        assert_eq!(display_name("../../etc/passwd", 1, false), "passwd.jpg");
        assert_eq!(display_name("", 2, false), "photo-3.jpg");
        assert_eq!(display_name("відповідь.pdf", 0, true), "відповідь.pdf");
        assert_eq!(display_name("", 0, true), "document-1.pdf");
    }

    #[test]
    fn uploads_are_checked_by_content() {
        let pdf = Upload {
            name: "scan.jpg".into(),
            bytes: b"%PDF-1.4 not an image".to_vec(),
        };
        let e = prepare(Uploads::Photos, vec![pdf.clone()]).unwrap_err();
        assert_eq!(e.status().as_u16(), 415);
        let ok = prepare(Uploads::AnswerFiles, vec![pdf]).unwrap();
        assert_eq!(ok[0].media_type, "application/pdf");
        assert_eq!(ok[0].name, "scan.pdf");
        let six = vec![
            Upload {
                name: "a".into(),
                bytes: vec![1]
            };
            6
        ];
        assert_eq!(
            prepare(Uploads::Photos, six).unwrap_err().status().as_u16(),
            422
        );
        let broken = Upload {
            name: "b.png".into(),
            bytes: b"\x89PNG\r\n\x1a\n broken".to_vec(),
        };
        assert_eq!(
            prepare(Uploads::Photos, vec![broken])
                .unwrap_err()
                .status()
                .as_u16(),
            422
        );
        let other = Upload {
            name: "c.doc".into(),
            bytes: b"PK\x03\x04".to_vec(),
        };
        let e = prepare(Uploads::AnswerFiles, vec![other]).unwrap_err();
        assert!(
            matches!(&e, ApiError::UnsupportedMedia(v) if v[0].code == ErrorCode::NotAFile && v[0].field == "files")
        );
    }
}
