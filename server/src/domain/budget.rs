//! The participatory budget (громадський бюджет): a hromada's cycles, the projects its
//! residents submit with their estimates and images, staff's review and cost changes,
//! the ballots of verified residents, the results with the funded line, and the
//! implementation of the funded projects.
//!
//! The phases, the voting rules and the funding line are the contract's
//! [`hromada_api::budget::phase`], [`hromada_api::budget::rules`] and
//! [`hromada_api::budget::funding`]; this module enforces them with the server's clock.
//! A project waiting for review or with changes requested is seen only by its author and
//! the staff of its hromada (404 for anyone else); accepted and rejected ones are public.
//! Votes are secret until voting closes: then the counts, the ranking and the funded
//! projects are public.
//!
//! Staff may review a project again (accept one they rejected, or the reverse) as long as
//! the cycle is in its submission or review phase; each review notifies the author. The
//! author may change a project waiting for review or with changes requested in those
//! phases: it goes back to review with its new estimate (a cost staff set for the old
//! one is dropped), keeping its images and the last review note.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hromada_api::budget::funding::{self, Entry};
use hromada_api::budget::rules::{self, CannotVote, Choice};
use hromada_api::budget::{
    Ballot, BallotDraft, CostAdjustment, CostLine, Cycle, CycleDates, CycleDraft, IMAGES_MAX,
    Implementation, Milestone, NewProject, Phase, Project, ProjectCategory, ProjectImage,
    ProjectSort, ProjectStatus, ProjectSummary, ResultRow, Results, Review, VotingRule, phase,
    validate_cost, validate_cycle, validate_implementation, validate_project, validate_review,
};
use hromada_api::notifications::{Notification, NotificationKind};
use hromada_api::{ErrorCode, FieldError};

use crate::db::{
    About, CycleRow, CycleWrite, Db, MilestoneRow, NotificationWrite, ProjectFilter, ProjectRow,
    ProjectWrite,
};
use crate::domain::accounts::Account;
use crate::domain::appeals::{
    Prepared, Upload, Uploads, commit_with_files, main_path, prepare_blocking, thumb_path,
};
use crate::domain::live::Live;
use crate::domain::news::require_staff;
use crate::domain::{clock, ids, notifications};
use crate::error::{ApiError, ApiResult};

/// Projects one person may submit within [`DAILY_WINDOW_MS`].
pub const DAILY_LIMIT: i64 = 10;
/// The window of [`DAILY_LIMIT`]: 24 hours.
pub const DAILY_WINDOW_MS: i64 = 86_400_000;
/// The folder of project images inside the media folder.
pub const SUBDIR: &str = "budget";

const NOT_STAFF: &str = "Only staff of this hromada may do this.";
const NOT_RESIDENT_SUBMIT: &str =
    "Only residents of this hromada may submit projects to its participatory budget.";
const NOT_SUBMISSION: &str = "Projects are submitted only in the submission phase of the cycle.";
const NOT_AUTHOR: &str = "Only the author of this project may change it.";
const NOT_EDITABLE: &str = "The author may change a project only while it waits for review or \
     changes are asked for, in the submission or review phase of the cycle.";
const NOT_REVIEWABLE: &str =
    "Projects are reviewed only in the submission and review phases of the cycle.";
const COST_FROZEN: &str = "The cost of a project cannot change once voting has begun.";
const NOT_FUNDED: &str =
    "Only the implementation of a funded project is reported, once voting has closed.";
const NOT_CLOSED: &str = "The results are published when voting closes.";
const FROZEN_RULE: &str =
    "The total and the voting rule cannot change once voting has begun; the dates can.";
const NOT_VOTING: &str = "Voting is not open in this cycle: it has not begun, or it has closed.";
const OTHER_HROMADA: &str = "Only residents of this hromada vote in its participatory budget; you are a resident of \
     another hromada.";
const VERIFY: &str = "Only verified residents vote: ask the hromada's staff to verify your \
     residence (on your account page), then vote.";
const SIGN_IN: &str = "Sign in first.";

// ---------------------------------------------------------------------------------------
// Cycles

/// The stored columns of a voting rule: kind, the maximum, one per category.
fn rule_columns(rule: VotingRule) -> (&'static str, Option<i64>, bool) {
    match rule {
        VotingRule::Choose {
            max,
            one_per_category,
        } => ("choose", Some(i64::from(max)), one_per_category),
        VotingRule::FitBudget => ("fit_budget", None, false),
    }
}

fn rule_of(row: &CycleRow) -> ApiResult<VotingRule> {
    match (row.rule_kind.as_str(), row.rule_max) {
        ("choose", Some(max)) => Ok(VotingRule::Choose {
            max: u32::try_from(max).map_err(|e| ApiError::Internal(e.to_string()))?,
            one_per_category: row.one_per_category,
        }),
        ("fit_budget", _) => Ok(VotingRule::FitBudget),
        (kind, _) => Err(ApiError::Internal(format!("voting rule {kind}"))),
    }
}

fn dates_of(row: &CycleRow) -> CycleDates {
    CycleDates {
        submission: row.submission_on.clone(),
        review: row.review_on.clone(),
        voting: row.voting_on.clone(),
        results: row.results_on.clone(),
        implementation: row.implementation_on.clone(),
    }
}

/// The phase of a stored cycle at `now_ms`.
fn phase_of(row: &CycleRow, now_ms: i64) -> Phase {
    phase(&dates_of(row), now_ms)
}

/// The phase of a stored cycle now, by the server's clock.
fn phase_now(row: &CycleRow) -> Phase {
    phase_of(row, clock::now_millis())
}

fn cycle_api(row: &CycleRow, now_ms: i64) -> ApiResult<Cycle> {
    let phase = phase_of(row, now_ms);
    Ok(Cycle {
        id: row.id.clone(),
        katottg: row.katottg.clone(),
        year: row.year,
        title: row.title.clone(),
        total: row.total,
        dates: dates_of(row),
        rule: rule_of(row)?,
        phase,
        projects: row.projects,
        voters: phase.votes_public().then_some(row.voters),
    })
}

/// Loads a cycle; 404 for a malformed id or an unknown one.
async fn load_cycle(db: &Db, id: &str) -> ApiResult<CycleRow> {
    if !ids::is_id(id) {
        return Err(ApiError::NotFound);
    }
    db.cycle(id).await?.ok_or(ApiError::NotFound)
}

/// A date as stored: `YYYY-MM-DD` (validated before).
fn canonical_date(s: &str) -> String {
    hromada_api::time::parse_date(s)
        .map_or_else(|| s.trim().to_owned(), hromada_api::time::format_date)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The checked, cleaned columns of a cycle draft.
struct CleanCycle {
    title: String,
    dates: [String; 5],
    rule: (&'static str, Option<i64>, bool),
}

fn clean_cycle(d: &CycleDraft) -> ApiResult<CleanCycle> {
    let errors = validate_cycle(d);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let f = d.dates.fields();
    Ok(CleanCycle {
        title: one_line(&d.title),
        dates: f.map(|(_, v)| canonical_date(v)),
        rule: rule_columns(d.rule),
    })
}

fn cycle_write<'a>(d: &CycleDraft, c: &'a CleanCycle, now: &'a str) -> CycleWrite<'a> {
    CycleWrite {
        year: d.year,
        title: &c.title,
        total: d.total,
        submission_on: &c.dates[0],
        review_on: &c.dates[1],
        voting_on: &c.dates[2],
        results_on: &c.dates[3],
        implementation_on: &c.dates[4],
        rule_kind: c.rule.0,
        rule_max: c.rule.1,
        one_per_category: c.rule.2,
        now,
    }
}

/// `GET /hromadas/{katottg}/budget-cycles`: newest year first, then the newest
/// submission date.
pub async fn list_cycles(db: &Db, katottg: &str) -> ApiResult<Vec<Cycle>> {
    crate::domain::news::require_hromada(db, katottg).await?;
    let now = clock::now_millis();
    db.cycles(katottg)
        .await?
        .iter()
        .map(|c| cycle_api(c, now))
        .collect()
}

/// `GET /budget-cycles/{id}`.
pub async fn get_cycle(db: &Db, id: &str) -> ApiResult<Cycle> {
    let row = load_cycle(db, id).await?;
    cycle_api(&row, clock::now_millis())
}

/// Stores a checked cycle; returns its id.
async fn insert_cycle(db: &Db, katottg: &str, d: &CycleDraft) -> ApiResult<String> {
    let c = clean_cycle(d)?;
    let id = ids::new_id();
    let now = clock::now_rfc3339();
    db.insert_cycle(&id, katottg, &cycle_write(d, &c, &now))
        .await?;
    Ok(id)
}

/// `POST /hromadas/{katottg}/budget-cycles` (its staff or an administrator).
pub async fn create_cycle(
    db: &Db,
    actor: &Account,
    katottg: &str,
    d: &CycleDraft,
) -> ApiResult<Cycle> {
    require_staff(db, actor, katottg).await?;
    let id = insert_cycle(db, katottg, d).await?;
    get_cycle(db, &id).await
}

/// `PUT /budget-cycles/{id}` (its hromada's staff): the dates may always change; the
/// total and the rule not once voting has begun (409).
pub async fn update_cycle(db: &Db, actor: &Account, id: &str, d: &CycleDraft) -> ApiResult<Cycle> {
    let row = load_cycle(db, id).await?;
    if !actor.may_manage(&row.katottg) {
        return Err(ApiError::Forbidden(NOT_STAFF));
    }
    let c = clean_cycle(d)?;
    if phase_now(&row) >= Phase::Voting && (d.total != row.total || d.rule != rule_of(&row)?) {
        return Err(ApiError::Conflict(FROZEN_RULE));
    }
    let now = clock::now_rfc3339();
    if !db.update_cycle(id, &cycle_write(d, &c, &now)).await? {
        return Err(ApiError::NotFound);
    }
    get_cycle(db, id).await
}

// ---------------------------------------------------------------------------------------
// Who sees what, and how

/// How a reader stands to a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reader {
    mine: bool,
    /// Staff of its hromada, or an administrator.
    staff: bool,
}

fn reader(row: &ProjectRow, viewer: Option<&Account>) -> Reader {
    Reader {
        mine: viewer.is_some_and(|v| v.user.id == row.author_id),
        staff: viewer.is_some_and(|v| v.may_manage(&row.katottg)),
    }
}

fn is_public(status: &str) -> bool {
    status == ProjectStatus::Accepted.code() || status == ProjectStatus::Rejected.code()
}

/// Whether `r` may see the project: one in review only its author and staff.
fn visible(row: &ProjectRow, r: Reader) -> bool {
    is_public(&row.status) || r.mine || r.staff
}

/// Loads a project `viewer` may see; 404 otherwise (malformed, unknown, in review).
async fn load(db: &Db, viewer: Option<&Account>, id: &str) -> ApiResult<ProjectRow> {
    if !ids::is_id(id) {
        return Err(ApiError::NotFound);
    }
    let row = db.project(id).await?.ok_or(ApiError::NotFound)?;
    if visible(&row, reader(&row, viewer)) {
        Ok(row)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Loads a project and its cycle for a step by its hromada's staff: 404 to whoever may not
/// see it, 403 to those who may see it but are not its staff, then 422 with `errors` (the
/// step's own checks) when there are any.
async fn load_for_staff(
    db: &Db,
    actor: &Account,
    id: &str,
    errors: Vec<FieldError>,
) -> ApiResult<(ProjectRow, CycleRow)> {
    let row = load(db, Some(actor), id).await?;
    if !actor.may_manage(&row.katottg) {
        return Err(ApiError::Forbidden(NOT_STAFF));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let cycle = load_cycle(db, &row.cycle_id).await?;
    Ok((row, cycle))
}

fn status_of(code: &str) -> ApiResult<ProjectStatus> {
    ProjectStatus::from_code(code)
        .ok_or_else(|| ApiError::Internal(format!("project status {code}")))
}

fn category_of(code: &str) -> ApiResult<ProjectCategory> {
    ProjectCategory::from_code(code)
        .ok_or_else(|| ApiError::Internal(format!("project category {code}")))
}

/// Where an accepted project stands once voting has closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Placement {
    rank: u32,
    votes: u32,
    funded: bool,
}

/// The accepted projects of a cycle (those on its ballot).
async fn accepted_projects(db: &Db, cycle_id: &str) -> ApiResult<Vec<ProjectRow>> {
    let filter = ProjectFilter {
        status: Some(ProjectStatus::Accepted.code()),
        ..ProjectFilter::default()
    };
    Ok(db.projects(cycle_id, &filter).await?)
}

/// The accepted projects of a cycle in rank order with their placement: votes counted
/// by the database, then the funded line drawn by [`funding::allocate`] with each
/// project's current cost.
async fn ranking(db: &Db, cycle: &CycleRow) -> ApiResult<Vec<(ProjectRow, Placement)>> {
    let accepted = accepted_projects(db, &cycle.id).await?;
    let votes: HashMap<String, u32> = db.votes(&cycle.id).await?.into_iter().collect();
    let entries = accepted
        .iter()
        .map(|p| Entry {
            id: p.id.clone(),
            cost: p.cost,
            votes: votes.get(&p.id).copied().unwrap_or(0),
            submitted_at: p.submitted_at.clone(),
        })
        .collect();
    let mut rows: HashMap<String, ProjectRow> =
        accepted.into_iter().map(|p| (p.id.clone(), p)).collect();
    funding::allocate(cycle.total, entries)
        .into_iter()
        .map(|placed| {
            let row = rows
                .remove(&placed.entry.id)
                .ok_or_else(|| ApiError::Internal("ranked an unknown project".into()))?;
            Ok((
                row,
                Placement {
                    rank: placed.rank,
                    votes: placed.entry.votes,
                    funded: placed.funded,
                },
            ))
        })
        .collect()
}

/// The placement of every accepted project by id, once the votes are public (else
/// empty).
async fn placements(db: &Db, cycle: &CycleRow) -> ApiResult<HashMap<String, Placement>> {
    if !phase_now(cycle).votes_public() {
        return Ok(HashMap::new());
    }
    Ok(ranking(db, cycle)
        .await?
        .into_iter()
        .map(|(r, p)| (r.id, p))
        .collect())
}

fn project_url(id: &str) -> String {
    format!("{}/budget-projects/{id}", hromada_api::API_PREFIX)
}

fn image_api(project_id: &str, image_id: &str) -> ProjectImage {
    let url = format!("{}/images/{image_id}", project_url(project_id));
    ProjectImage {
        id: image_id.to_owned(),
        thumbnail_url: format!("{url}/thumbnail"),
        url,
    }
}

/// A project as lists show it; `place` once the votes are public.
fn summary(row: &ProjectRow, place: Option<Placement>, mine: bool) -> ApiResult<ProjectSummary> {
    Ok(ProjectSummary {
        id: row.id.clone(),
        cycle_id: row.cycle_id.clone(),
        title: row.title.clone(),
        category: category_of(&row.category)?,
        address: row.address.clone(),
        author_name: row.author_name.clone(),
        cost: row.cost,
        status: status_of(&row.status)?,
        submitted_at: row.submitted_at.clone(),
        votes: place.map(|p| p.votes),
        funded: place.map(|p| p.funded),
        progress: place
            .filter(|p| p.funded)
            .map(|_| u8::try_from(row.progress.unwrap_or(0).clamp(0, 100)).unwrap_or(0)),
        thumbnail_url: row
            .first_image
            .as_deref()
            .map(|i| image_api(&row.id, i).thumbnail_url),
        mine,
    })
}

/// The whole project.
async fn view(
    db: &Db,
    row: &ProjectRow,
    place: Option<Placement>,
    mine: bool,
) -> ApiResult<Project> {
    let cost_lines = db
        .cost_lines(&row.id)
        .await?
        .into_iter()
        .map(|(item, amount)| CostLine { item, amount })
        .collect();
    let images = db
        .project_images(&row.id)
        .await?
        .iter()
        .map(|i| image_api(&row.id, &i.id))
        .collect();
    let milestones = db
        .milestones(&row.id)
        .await?
        .into_iter()
        .map(|m| Milestone {
            title: m.title,
            date: m.date,
            done: m.done,
        })
        .collect();
    Ok(Project {
        summary: summary(row, place, mine)?,
        description: row.description.clone(),
        cost_lines,
        original_cost: row.original_cost,
        cost_note: row.cost_note.clone(),
        images,
        review_note: row.review_note.clone(),
        reviewed_at: row.reviewed_at.clone(),
        milestones,
        rank: place.map(|p| p.rank),
    })
}

/// The project as `viewer` sees it now (with its rank once the votes are public).
async fn present(db: &Db, row: &ProjectRow, viewer: Option<&Account>) -> ApiResult<Project> {
    let cycle = load_cycle(db, &row.cycle_id).await?;
    let place = placements(db, &cycle).await?.get(&row.id).copied();
    view(db, row, place, reader(row, viewer).mine).await
}

/// Reloads a project after a change and shows it to `actor`.
async fn reload(db: &Db, actor: &Account, id: &str) -> ApiResult<Project> {
    let row = load(db, Some(actor), id).await?;
    present(db, &row, Some(actor)).await
}

/// `GET /budget-projects/{id}`.
pub async fn get_project(db: &Db, viewer: Option<&Account>, id: &str) -> ApiResult<Project> {
    let row = load(db, viewer, id).await?;
    present(db, &row, viewer).await
}

/// The folder of project images.
pub fn images_dir(media_dir: &Path) -> PathBuf {
    media_dir.join(SUBDIR)
}

/// `GET /budget-projects/{id}/images/{image}` (`thumbnail`: its small copy): the JPEG
/// bytes, to whoever may see the project; 404 otherwise.
pub async fn image(
    db: &Db,
    media_dir: &Path,
    viewer: Option<&Account>,
    id: &str,
    image_id: &str,
    thumbnail: bool,
) -> ApiResult<Vec<u8>> {
    let row = load(db, viewer, id).await?;
    if !ids::is_id(image_id) || !db.has_project_image(&row.id, image_id).await? {
        return Err(ApiError::NotFound);
    }
    let dir = images_dir(media_dir);
    let path = if thumbnail {
        thumb_path(&dir, image_id)
    } else {
        main_path(&dir, image_id, "image/jpeg")
    };
    tokio::fs::read(&path).await.map_err(|e| {
        tracing::warn!(path = %path.display(), error = %e, "project image missing");
        ApiError::NotFound
    })
}

// ---------------------------------------------------------------------------------------
// Lists

fn bad_param(field: &str) -> ApiError {
    ApiError::BadParams(vec![FieldError::new(field, ErrorCode::Invalid)])
}

fn non_empty(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// `GET /budget-cycles/{id}/projects` parameters, as given.
#[derive(Debug, Default)]
pub struct ProjectParams<'a> {
    pub category: Option<&'a str>,
    pub status: Option<&'a str>,
    pub sort: Option<&'a str>,
    pub mine: Option<&'a str>,
}

/// Orders summaries (with their placement) as `sort` says; `votes` only once the votes
/// are public (else newest first). Ties by id, so the order never depends on the input.
fn sort_projects(items: &mut [(ProjectRow, Option<Placement>)], sort: ProjectSort, public: bool) {
    let newest = |a: &ProjectRow, b: &ProjectRow| {
        b.submitted_at
            .cmp(&a.submitted_at)
            .then_with(|| b.id.cmp(&a.id))
    };
    match sort {
        ProjectSort::Votes if public => items.sort_by(|(a, pa), (b, pb)| {
            // Ranked (accepted) projects first in rank order, then the rest newest first.
            let ra = pa.map_or(u32::MAX, |p| p.rank);
            let rb = pb.map_or(u32::MAX, |p| p.rank);
            ra.cmp(&rb).then_with(|| newest(a, b))
        }),
        ProjectSort::Newest | ProjectSort::Votes => items.sort_by(|(a, _), (b, _)| newest(a, b)),
        ProjectSort::CostAsc => {
            items.sort_by(|(a, _), (b, _)| a.cost.cmp(&b.cost).then_with(|| newest(a, b)))
        }
        ProjectSort::CostDesc => {
            items.sort_by(|(a, _), (b, _)| b.cost.cmp(&a.cost).then_with(|| newest(a, b)))
        }
    }
}

/// `GET /budget-cycles/{id}/projects?category=&status=&sort=&mine=`: every project of
/// the cycle the reader may see (accepted and rejected ones; their own in review; all of
/// them for staff), filtered; `mine=true` only the reader's own (401 for a guest).
pub async fn list_projects(
    db: &Db,
    viewer: Option<&Account>,
    cycle_id: &str,
    p: &ProjectParams<'_>,
) -> ApiResult<Vec<ProjectSummary>> {
    let category = non_empty(p.category)
        .map(|c| ProjectCategory::from_code(c).ok_or_else(|| bad_param("category")))
        .transpose()?;
    let status = non_empty(p.status)
        .map(|s| ProjectStatus::from_code(s).ok_or_else(|| bad_param("status")))
        .transpose()?;
    let sort = match non_empty(p.sort) {
        None => ProjectSort::Newest,
        Some(s) => ProjectSort::from_code(s).ok_or_else(|| bad_param("sort"))?,
    };
    let mine = match non_empty(p.mine) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(bad_param("mine")),
    };
    let cycle = load_cycle(db, cycle_id).await?;
    let author = match (mine, viewer) {
        (false, _) => None,
        (true, Some(v)) => Some(v.user.id.as_str()),
        (true, None) => return Err(ApiError::Unauthorized(SIGN_IN)),
    };
    let rows = db
        .projects(
            &cycle.id,
            &ProjectFilter {
                category: category.map(ProjectCategory::code),
                status: status.map(ProjectStatus::code),
                author_id: author,
            },
        )
        .await?;
    let public = phase_now(&cycle).votes_public();
    let placed = placements(db, &cycle).await?;
    let mut items: Vec<(ProjectRow, Option<Placement>)> = rows
        .into_iter()
        .filter(|r| visible(r, reader(r, viewer)))
        .map(|r| {
            let place = placed.get(&r.id).copied();
            (r, place)
        })
        .collect();
    sort_projects(&mut items, sort, public);
    items
        .iter()
        .map(|(r, place)| summary(r, *place, reader(r, viewer).mine))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Submitting and changing

/// The cleaned text of a checked project, as stored.
struct CleanProject {
    title: String,
    description: String,
    category: &'static str,
    address: String,
    lines: Vec<(String, i64)>,
    total: i64,
}

fn clean_project(p: &NewProject) -> ApiResult<CleanProject> {
    let errors = validate_project(p);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let category = ProjectCategory::from_code(&p.category)
        .ok_or_else(|| ApiError::field("category", ErrorCode::Invalid))?;
    Ok(CleanProject {
        title: one_line(&p.title),
        description: p.description.trim().to_owned(),
        category: category.code(),
        address: one_line(&p.address),
        lines: p
            .cost_lines
            .iter()
            .map(|l| (one_line(&l.item), l.amount))
            .collect(),
        total: p.total,
    })
}

fn project_write<'a>(c: &'a CleanProject, at: &'a str) -> ProjectWrite<'a> {
    ProjectWrite {
        title: &c.title,
        description: &c.description,
        category: c.category,
        address: &c.address,
        lines: &c.lines,
        total: c.total,
        at,
    }
}

/// 429 when the person submitted [`DAILY_LIMIT`] projects within the last 24 hours.
async fn throttle(db: &Db, actor: &Account, now_ms: i64) -> ApiResult<()> {
    let since = clock::rfc3339(now_ms - DAILY_WINDOW_MS);
    let (n, oldest) = db.projects_by_author_since(&actor.user.id, &since).await?;
    super::throttle::submissions(n, oldest.as_deref(), now_ms, DAILY_LIMIT, DAILY_WINDOW_MS)
}

/// Writes the images, then the project with its lines and images in one transaction
/// (a failure removes the files). Returns its id.
async fn store_project(
    db: &Db,
    media_dir: &Path,
    cycle_id: &str,
    author: &Account,
    c: CleanProject,
    images: Vec<Prepared>,
    at_ms: i64,
) -> ApiResult<String> {
    let id = ids::new_id();
    let (db2, id2, cycle) = (db.clone(), id.clone(), cycle_id.to_owned());
    let (author_id, author_name) = (author.user.id.clone(), author.user.full_name.clone());
    let at = clock::rfc3339(at_ms);
    commit_with_files(images_dir(media_dir), images, move |images| async move {
        let files: Vec<(String, i64)> = images
            .iter()
            .map(|f| (f.id.clone(), f.main.len() as i64))
            .collect();
        db2.insert_project(
            &id2,
            &cycle,
            (&author_id, &author_name),
            &project_write(&c, &at),
            &files,
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(id)
}

/// `POST /budget-cycles/{id}/projects`: a resident of the cycle's hromada submits a
/// project with up to five images during the submission phase. Everything is checked
/// and converted before anything is written; the project waits for review.
pub async fn create_project(
    db: &Db,
    media_dir: &Path,
    actor: &Account,
    cycle_id: &str,
    p: &NewProject,
    images: Vec<Upload>,
) -> ApiResult<Project> {
    let cycle = load_cycle(db, cycle_id).await?;
    if actor.user.hromada != cycle.katottg {
        return Err(ApiError::Forbidden(NOT_RESIDENT_SUBMIT));
    }
    if phase_now(&cycle) != Phase::Submission {
        return Err(ApiError::Conflict(NOT_SUBMISSION));
    }
    if images.len() > IMAGES_MAX {
        return Err(Uploads::ProjectImages.too_many());
    }
    let c = clean_project(p)?;
    let now_ms = clock::now_millis();
    throttle(db, actor, now_ms).await?;
    let prepared = prepare_blocking(Uploads::ProjectImages, images).await?;
    let id = store_project(db, media_dir, &cycle.id, actor, c, prepared, now_ms).await?;
    reload(db, actor, &id).await
}

/// Whether the author may still change a project in this status and phase.
fn editable(status: &str, phase: Phase) -> bool {
    matches!(phase, Phase::Submission | Phase::Review)
        && (status == ProjectStatus::Submitted.code()
            || status == ProjectStatus::ChangesRequested.code())
}

/// `PUT /budget-projects/{id}` (its author): a new version of a project waiting for
/// review or with changes requested, in the submission or review phase (409 otherwise).
/// It goes back to review; its images stay.
pub async fn update_project(
    db: &Db,
    actor: &Account,
    id: &str,
    p: &NewProject,
) -> ApiResult<Project> {
    let row = load(db, Some(actor), id).await?;
    if row.author_id != actor.user.id {
        return Err(ApiError::Forbidden(NOT_AUTHOR));
    }
    let cycle = load_cycle(db, &row.cycle_id).await?;
    if !editable(&row.status, phase_now(&cycle)) {
        return Err(ApiError::Conflict(NOT_EDITABLE));
    }
    let c = clean_project(p)?;
    let at = clock::now_rfc3339();
    if !db
        .resubmit_project(&row.id, &project_write(&c, &at))
        .await?
    {
        return Err(ApiError::Conflict(NOT_EDITABLE));
    }
    reload(db, actor, &row.id).await
}

// ---------------------------------------------------------------------------------------
// Staff

fn notification(id: &str, kind: NotificationKind, at: &str, row: &ProjectRow) -> Notification {
    notifications::made(
        id,
        kind,
        at,
        About::Project {
            id: row.id.clone(),
            title: row.title.clone(),
        },
    )
}

/// Records a staff step on a project at `at_ms` with the author's notification of `kind`
/// (`write` stores both, in one transaction; `false` when the project is gone); returns
/// the notification.
async fn record_step(
    row: &ProjectRow,
    kind: NotificationKind,
    at_ms: i64,
    write: impl AsyncFnOnce(&NotificationWrite<'_>) -> Result<bool, sqlx::Error>,
) -> ApiResult<Notification> {
    let at = clock::rfc3339(at_ms);
    let nid = ids::new_id();
    let done = write(&NotificationWrite {
        id: &nid,
        user_id: &row.author_id,
        kind: notifications::code(kind),
        appeal_id: None,
        petition_id: None,
        project_id: Some(&row.id),
        consultation_id: None,
        at: &at,
    })
    .await?;
    if !done {
        return Err(ApiError::NotFound);
    }
    Ok(notification(&nid, kind, &at, row))
}

/// Records a review at `at_ms` with the author's notification; returns the notification.
async fn record_review(
    db: &Db,
    row: &ProjectRow,
    r: &Review,
    at_ms: i64,
) -> ApiResult<Notification> {
    let (status, note, kind) = match r {
        Review::Accept => (
            ProjectStatus::Accepted,
            None,
            NotificationKind::ProjectAccepted,
        ),
        Review::RequestChanges { note } => (
            ProjectStatus::ChangesRequested,
            Some(note.trim()),
            NotificationKind::ProjectChangesRequested,
        ),
        Review::Reject { reason } => (
            ProjectStatus::Rejected,
            Some(reason.trim()),
            NotificationKind::ProjectRejected,
        ),
    };
    record_step(row, kind, at_ms, async |n| {
        db.review_project(&row.id, status.code(), note, n).await
    })
    .await
}

/// `POST /budget-projects/{id}/review` (its hromada's staff), in the submission or review
/// phase (409 otherwise): accept it for the ballot, ask the author for changes (with a
/// note), or reject it (with a reason, public). A project may be reviewed again until
/// voting begins; each review notifies the author.
pub async fn review(
    db: &Db,
    live: &Live,
    actor: &Account,
    id: &str,
    r: &Review,
) -> ApiResult<Project> {
    let (row, cycle) = load_for_staff(db, actor, id, validate_review(r)).await?;
    if !matches!(phase_now(&cycle), Phase::Submission | Phase::Review) {
        return Err(ApiError::Conflict(NOT_REVIEWABLE));
    }
    let n = record_review(db, &row, r, clock::now_millis()).await?;
    live.notify(&row.author_id, n);
    reload(db, actor, &row.id).await
}

/// Records a new cost at `at_ms` with the author's notification.
async fn record_cost(
    db: &Db,
    row: &ProjectRow,
    c: &CostAdjustment,
    at_ms: i64,
) -> ApiResult<Notification> {
    let kind = NotificationKind::ProjectCostChanged;
    record_step(row, kind, at_ms, async |n| {
        db.adjust_project_cost(&row.id, c.cost, c.note.trim(), n)
            .await
    })
    .await
}

/// `POST /budget-projects/{id}/cost` (its hromada's staff), before voting begins (409
/// otherwise): the cost becomes the one staff set, the author's total is kept as
/// `original_cost` (the first time), with the reason; the author is notified.
pub async fn adjust_cost(
    db: &Db,
    live: &Live,
    actor: &Account,
    id: &str,
    c: &CostAdjustment,
) -> ApiResult<Project> {
    let (row, cycle) = load_for_staff(db, actor, id, validate_cost(c)).await?;
    if phase_now(&cycle) >= Phase::Voting {
        return Err(ApiError::Conflict(COST_FROZEN));
    }
    let n = record_cost(db, &row, c, clock::now_millis()).await?;
    live.notify(&row.author_id, n);
    reload(db, actor, &row.id).await
}

fn milestone_rows(i: &Implementation) -> Vec<MilestoneRow> {
    i.milestones
        .iter()
        .map(|m| MilestoneRow {
            title: one_line(&m.title),
            date: canonical_date(&m.date),
            done: m.done,
        })
        .collect()
}

/// `PUT /budget-projects/{id}/implementation` (its hromada's staff): the progress and
/// milestones of a funded project, once voting has closed (409 for any other project).
pub async fn implementation(
    db: &Db,
    actor: &Account,
    id: &str,
    i: &Implementation,
) -> ApiResult<Project> {
    let (row, cycle) = load_for_staff(db, actor, id, validate_implementation(i)).await?;
    let funded = placements(db, &cycle)
        .await?
        .get(&row.id)
        .is_some_and(|p| p.funded);
    if !funded {
        return Err(ApiError::Conflict(NOT_FUNDED));
    }
    db.set_implementation(
        &row.id,
        i64::from(i.progress),
        &milestone_rows(i),
        &clock::now_rfc3339(),
    )
    .await?;
    reload(db, actor, &row.id).await
}

// ---------------------------------------------------------------------------------------
// Voting

/// `GET /budget-cycles/{id}/ballot`: the reader's ballot (empty when they have not voted).
pub async fn ballot(db: &Db, actor: &Account, cycle_id: &str) -> ApiResult<Ballot> {
    let cycle = load_cycle(db, cycle_id).await?;
    Ok(db
        .ballot(&cycle.id, &actor.user.id)
        .await?
        .map(|b| Ballot {
            project_ids: b.project_ids,
            updated_at: Some(b.updated_at),
        })
        .unwrap_or_default())
}

fn invalid_choice(message: String) -> ApiError {
    let mut fe = FieldError::new("project_ids", ErrorCode::Invalid);
    fe.message = message;
    ApiError::Validation(vec![fe])
}

/// The choices of a selection among a cycle's accepted projects; 422 naming
/// `project_ids` for one that is unknown, not accepted or of another cycle.
fn choices(selection: &[String], accepted: &HashMap<&str, &ProjectRow>) -> ApiResult<Vec<Choice>> {
    selection
        .iter()
        .map(|id| {
            let p = accepted.get(id.as_str()).ok_or_else(|| {
                let shown: String = id.chars().filter(|c| !c.is_control()).take(40).collect();
                invalid_choice(format!(
                    "{shown}: not a project on this cycle's ballot (unknown, not accepted, or \
                     of another cycle)."
                ))
            })?;
            Ok(Choice {
                category: category_of(&p.category)?,
                cost: p.cost,
            })
        })
        .collect()
}

/// `PUT /budget-cycles/{id}/ballot`: a verified resident of the cycle's hromada chooses
/// projects during voting (409 outside it; 403 for a resident of another hromada or one
/// not verified, saying which). The selection must be accepted projects of this cycle
/// and satisfy its rule (422 naming `project_ids`); an empty one withdraws the vote. It
/// replaces the person's previous selection atomically.
pub async fn vote(db: &Db, actor: &Account, cycle_id: &str, d: &BallotDraft) -> ApiResult<Ballot> {
    let cycle = load_cycle(db, cycle_id).await?;
    let resident = actor.user.hromada == cycle.katottg;
    let verified = actor.user.verification == "verified";
    match rules::can_vote(phase_now(&cycle), true, resident, verified) {
        Ok(()) => {}
        Err(CannotVote::NotVoting) => return Err(ApiError::Conflict(NOT_VOTING)),
        Err(CannotVote::SignIn) => return Err(ApiError::Unauthorized(SIGN_IN)),
        Err(CannotVote::OtherHromada) => return Err(ApiError::Forbidden(OTHER_HROMADA)),
        Err(CannotVote::Verify) => return Err(ApiError::Forbidden(VERIFY)),
    }
    if d.project_ids.is_empty() {
        db.delete_ballot(&cycle.id, &actor.user.id).await?;
        return Ok(Ballot::default());
    }
    let rows = accepted_projects(db, &cycle.id).await?;
    let accepted: HashMap<&str, &ProjectRow> = rows.iter().map(|p| (p.id.as_str(), p)).collect();
    let picked = choices(&d.project_ids, &accepted)?;
    let ids: Vec<&str> = d.project_ids.iter().map(String::as_str).collect();
    rules::check(rule_of(&cycle)?, cycle.total, &ids, &picked)
        .map_err(|r| ApiError::Validation(vec![r.field_error()]))?;
    let at = clock::now_rfc3339();
    db.replace_ballot(&cycle.id, &actor.user.id, &d.project_ids, &at)
        .await?;
    Ok(Ballot {
        project_ids: d.project_ids.clone(),
        updated_at: Some(at),
    })
}

// ---------------------------------------------------------------------------------------
// Results

/// The results of a cycle whose votes are public (409 before).
async fn compute_results(db: &Db, cycle: &CycleRow) -> ApiResult<Results> {
    if !phase_now(cycle).votes_public() {
        return Err(ApiError::Conflict(NOT_CLOSED));
    }
    let ranked = ranking(db, cycle).await?;
    let funded_cost = ranked
        .iter()
        .filter(|(_, p)| p.funded)
        .map(|(r, _)| r.cost)
        .sum();
    let rows = ranked
        .iter()
        .map(|(r, p)| {
            Ok(ResultRow {
                rank: p.rank,
                project: summary(r, Some(*p), false)?,
                votes: p.votes,
                funded: p.funded,
            })
        })
        .collect::<ApiResult<_>>()?;
    Ok(Results {
        total: cycle.total,
        voters: cycle.voters,
        funded_cost,
        rows,
    })
}

/// `GET /budget-cycles/{id}/results`: once voting has closed (409 before), every accepted
/// project in rank order with its votes and whether it is funded.
pub async fn results(db: &Db, cycle_id: &str) -> ApiResult<Results> {
    let cycle = load_cycle(db, cycle_id).await?;
    compute_results(db, &cycle).await
}

/// One CSV cell: a text that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`,
/// tab, carriage return first) gets a leading `'`; a cell with a comma, a quote or a line
/// break is quoted, its quotes doubled (RFC 4180).
pub fn csv_cell(value: &str) -> String {
    let safe = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

/// The results as CSV: a UTF-8 byte order mark (spreadsheets then read Cyrillic right),
/// the header `rank,title,category,cost,votes,funded`, one row per project in rank order
/// (`funded` is `yes` or `no`), lines ending in CRLF.
pub fn results_csv(r: &Results) -> String {
    let mut out = String::from("\u{feff}rank,title,category,cost,votes,funded\r\n");
    for row in &r.rows {
        out.push_str(&format!(
            "{},{},{},{},{},{}\r\n",
            row.rank,
            csv_cell(&row.project.title),
            row.project.category.code(),
            row.project.cost,
            row.votes,
            if row.funded { "yes" } else { "no" }
        ));
    }
    out
}

/// `GET /budget-cycles/{id}/results.csv` (its hromada's staff or an administrator): the
/// cycle's year and the CSV of [`results_csv`]; 409 before voting closes.
pub async fn results_file(db: &Db, actor: &Account, cycle_id: &str) -> ApiResult<(i32, String)> {
    let cycle = load_cycle(db, cycle_id).await?;
    if !actor.may_manage(&cycle.katottg) {
        return Err(ApiError::Forbidden(NOT_STAFF));
    }
    let r = compute_results(db, &cycle).await?;
    Ok((cycle.year, results_csv(&r)))
}

// ---------------------------------------------------------------------------------------
// Demo content

/// Steps of the budget at set times, without the checks of the live API (demo content).
pub mod seed {
    use super::*;

    /// Stores a cycle as given (checked by [`validate_cycle`]); returns its id.
    pub async fn cycle(db: &Db, katottg: &str, d: &CycleDraft) -> ApiResult<String> {
        insert_cycle(db, katottg, d).await
    }

    /// Submits a project at `at_ms` with images already encoded without metadata:
    /// `(full size, thumbnail)` JPEGs. Returns its id.
    pub async fn submit(
        db: &Db,
        media_dir: &Path,
        cycle_id: &str,
        author: &Account,
        p: &NewProject,
        images: Vec<(Vec<u8>, Vec<u8>)>,
        at_ms: i64,
    ) -> ApiResult<String> {
        let c = clean_project(p)?;
        let prepared = images
            .into_iter()
            .enumerate()
            .map(|(i, (main, thumb))| Prepared {
                id: ids::new_id(),
                name: format!("image-{}.jpg", i + 1),
                media_type: "image/jpeg",
                main,
                thumbnail: Some(thumb),
            })
            .collect();
        store_project(db, media_dir, cycle_id, author, c, prepared, at_ms).await
    }

    async fn row(db: &Db, id: &str) -> ApiResult<ProjectRow> {
        db.project(id).await?.ok_or(ApiError::NotFound)
    }

    /// Reviews at `at_ms` (the author is notified).
    pub async fn review(db: &Db, id: &str, r: &Review, at_ms: i64) -> ApiResult<()> {
        let p = row(db, id).await?;
        record_review(db, &p, r, at_ms).await?;
        Ok(())
    }

    /// Changes the cost at `at_ms` (the author is notified).
    pub async fn adjust_cost(db: &Db, id: &str, c: &CostAdjustment, at_ms: i64) -> ApiResult<()> {
        let p = row(db, id).await?;
        record_cost(db, &p, c, at_ms).await?;
        Ok(())
    }

    /// Stores many ballots `(user id, project ids, time)` in one transaction.
    pub async fn ballots(
        db: &Db,
        cycle_id: &str,
        ballots: &[(String, Vec<String>, String)],
    ) -> ApiResult<()> {
        db.insert_ballots(cycle_id, ballots).await?;
        Ok(())
    }

    /// Records the implementation of a project at `at`.
    pub async fn implementation(db: &Db, id: &str, i: &Implementation, at: &str) -> ApiResult<()> {
        let errors = validate_implementation(i);
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        db.set_implementation(id, i64::from(i.progress), &milestone_rows(i), at)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("Сквер"), "Сквер");
        assert_eq!(csv_cell("Лавки, урни"), "\"Лавки, урни\"");
        assert_eq!(
            csv_cell("Сквер «Надія» \"2\""),
            "\"Сквер «Надія» \"\"2\"\"\""
        );
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+380"), "'+380");
        assert_eq!(csv_cell("-5"), "'-5");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("два\nрядки"), "\"два\nрядки\"");
    }

    #[test]
    fn rules_are_stored_and_read_back() {
        for rule in [
            VotingRule::FitBudget,
            VotingRule::Choose {
                max: 3,
                one_per_category: true,
            },
        ] {
            let (kind, max, one) = rule_columns(rule);
            let row = CycleRow {
                id: String::new(),
                katottg: String::new(),
                year: 2026,
                title: String::new(),
                total: 1,
                submission_on: String::new(),
                review_on: String::new(),
                voting_on: String::new(),
                results_on: String::new(),
                implementation_on: String::new(),
                rule_kind: kind.into(),
                rule_max: max,
                one_per_category: one,
                projects: 0,
                voters: 0,
            };
            assert_eq!(rule_of(&row).unwrap(), rule);
        }
    }

    #[test]
    fn only_waiting_projects_in_early_phases_are_editable() {
        assert!(editable("submitted", Phase::Submission));
        assert!(editable("changes_requested", Phase::Review));
        assert!(!editable("accepted", Phase::Review));
        assert!(!editable("changes_requested", Phase::Voting));
        assert!(!editable("submitted", Phase::Upcoming));
    }
}
