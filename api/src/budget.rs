//! Participatory budget (громадський бюджет): a hromada's yearly cycle of project
//! submission, review, voting, results and implementation.
//!
//! [`phase`] says which phase a cycle is in from its dates; [`rules`] checks a ballot
//! against the cycle's voting rule and says what is still allowed; [`funding`] ranks the
//! projects by votes and draws the funded line. The server enforces all three; the app
//! uses them to show counters and to refuse a selection before sending it.
//!
//! Amounts are whole hryvnias.

use serde::{Deserialize, Serialize};

use crate::{ErrorCode, FieldError, validate};

/// Longest cycle or project title, in characters.
pub const TITLE_MAX: usize = 150;
/// Shortest project title, in characters.
pub const TITLE_MIN: usize = 5;
/// Longest project description, in characters.
pub const DESCRIPTION_MAX: usize = 8_000;
/// Shortest project description, in characters.
pub const DESCRIPTION_MIN: usize = 50;
/// Longest cost item or note, in characters.
pub const ITEM_MAX: usize = 200;
/// Most cost lines one project may have.
pub const COST_LINES_MAX: usize = 30;
/// Most images one project may carry.
pub const IMAGES_MAX: usize = 5;
/// Largest image, in bytes.
pub const IMAGE_BYTES_MAX: u64 = 10 * 1024 * 1024;
/// Longest review note or reason, in characters.
pub const NOTE_MAX: usize = 2_000;
/// Largest amount anything may cost or a cycle may hold, in hryvnias (one billion).
pub const AMOUNT_MAX: i64 = 1_000_000_000;
/// Most milestones a project's implementation may list.
pub const MILESTONES_MAX: usize = 20;
/// Bounds of "choose up to N".
pub const CHOOSE_RANGE: (u32, u32) = (1, 20);

/// Where a cycle stands. Phases follow each other by their dates, which begin at midnight,
/// Kyiv time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before submission opens.
    Upcoming,
    /// Residents submit projects.
    Submission,
    /// Staff review the projects; authors make the changes asked for.
    Review,
    /// Verified residents vote for the accepted projects.
    Voting,
    /// Voting has closed: the ranking and the funded projects are public.
    Results,
    /// The funded projects are being carried out.
    Implementation,
}

impl Phase {
    pub const ALL: [Phase; 6] = [
        Self::Upcoming,
        Self::Submission,
        Self::Review,
        Self::Voting,
        Self::Results,
        Self::Implementation,
    ];

    /// The code used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Upcoming => "upcoming",
            Self::Submission => "submission",
            Self::Review => "review",
            Self::Voting => "voting",
            Self::Results => "results",
            Self::Implementation => "implementation",
        }
    }

    /// Whether the votes are counted and public (voting has closed).
    pub fn votes_public(self) -> bool {
        self >= Self::Results
    }
}

/// The first day of each phase after "upcoming", as `YYYY-MM-DD` (Kyiv calendar days).
/// Each date is after the one before; voting ends when results begin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleDates {
    pub submission: String,
    pub review: String,
    pub voting: String,
    pub results: String,
    pub implementation: String,
}

impl CycleDates {
    /// The dates in phase order, with their field names.
    pub fn fields(&self) -> [(&'static str, &str); 5] {
        [
            ("dates.submission", &self.submission),
            ("dates.review", &self.review),
            ("dates.voting", &self.voting),
            ("dates.results", &self.results),
            ("dates.implementation", &self.implementation),
        ]
    }

    /// When each phase begins (milliseconds since the epoch: midnight in Kyiv), in phase
    /// order from submission; `None` if a date is not valid.
    pub fn starts(&self) -> Option<[i64; 5]> {
        let mut out = [0; 5];
        for (slot, (_, date)) in out.iter_mut().zip(self.fields()) {
            *slot = crate::workdays::kyiv_midnight(crate::time::parse_date(date)?);
        }
        Some(out)
    }
}

/// Which phase a cycle with these dates is in at `now` (milliseconds since the epoch).
/// Dates that are not valid count as a cycle that never starts.
pub fn phase(dates: &CycleDates, now: i64) -> Phase {
    let Some(starts) = dates.starts() else {
        return Phase::Upcoming;
    };
    let later = [
        Phase::Submission,
        Phase::Review,
        Phase::Voting,
        Phase::Results,
        Phase::Implementation,
    ];
    starts
        .iter()
        .zip(later)
        .rev()
        .find(|(start, _)| now >= **start)
        .map_or(Phase::Upcoming, |(_, p)| p)
}

/// How a cycle's votes are cast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VotingRule {
    /// Up to `max` projects; with `one_per_category`, at most one in each category.
    Choose { max: u32, one_per_category: bool },
    /// Any set of projects whose costs together fit in the cycle's total.
    FitBudget,
}

/// The categories of projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectCategory {
    Education,
    Health,
    Culture,
    Sport,
    Environment,
    Transport,
    Safety,
    Social,
    Other,
}

impl ProjectCategory {
    pub const ALL: [ProjectCategory; 9] = [
        Self::Education,
        Self::Health,
        Self::Culture,
        Self::Sport,
        Self::Environment,
        Self::Transport,
        Self::Safety,
        Self::Social,
        Self::Other,
    ];

    /// The code used in URLs and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Education => "education",
            Self::Health => "health",
            Self::Culture => "culture",
            Self::Sport => "sport",
            Self::Environment => "environment",
            Self::Transport => "transport",
            Self::Safety => "safety",
            Self::Social => "social",
            Self::Other => "other",
        }
    }

    /// The category with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A cycle: `GET /budget-cycles/{id}`, and the items of `GET /hromadas/{katottg}/budget-cycles`
/// (newest year first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cycle {
    pub id: String,
    pub katottg: String,
    pub year: i32,
    pub title: String,
    /// The money to share, in hryvnias.
    pub total: i64,
    pub dates: CycleDates,
    pub rule: VotingRule,
    /// The phase now, by the server's clock.
    pub phase: Phase,
    /// Projects the public sees (accepted, rejected and those past review).
    pub projects: u32,
    /// People who have a ballot in this cycle; public once voting has closed.
    #[serde(default)]
    pub voters: Option<u32>,
}

/// What staff write: `POST /hromadas/{katottg}/budget-cycles`, `PUT /budget-cycles/{id}`.
/// The total and the rule cannot change once voting has begun (409).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleDraft {
    pub year: i32,
    pub title: String,
    pub total: i64,
    pub dates: CycleDates,
    pub rule: VotingRule,
}

/// One line of a project's estimated cost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostLine {
    pub item: String,
    /// Hryvnias; more than zero.
    pub amount: i64,
}

/// Where a project stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    /// Waiting for review. Seen only by its author and staff.
    Submitted,
    /// Staff asked the author for changes. Seen only by its author and staff.
    ChangesRequested,
    /// On the ballot.
    Accepted,
    /// Refused, with a reason (public).
    Rejected,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 4] = [
        Self::Submitted,
        Self::ChangesRequested,
        Self::Accepted,
        Self::Rejected,
    ];

    /// The code used in URLs and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::ChangesRequested => "changes_requested",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The order of a list of projects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectSort {
    #[default]
    Newest,
    CostAsc,
    CostDesc,
    /// Most votes first; only once voting has closed (before that, newest).
    Votes,
}

impl ProjectSort {
    pub const ALL: [ProjectSort; 4] = [Self::Newest, Self::CostAsc, Self::CostDesc, Self::Votes];

    /// The code used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::CostAsc => "cost_asc",
            Self::CostDesc => "cost_desc",
            Self::Votes => "votes",
        }
    }

    /// The order with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// An image of a project, re-encoded by the server (metadata removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectImage {
    pub id: String,
    pub url: String,
    pub thumbnail_url: String,
}

/// A project as lists show it: `GET /budget-cycles/{id}/projects?category=&status=&sort=&mine=`
/// (all of them, not paged: a cycle holds tens of projects).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub id: String,
    pub cycle_id: String,
    pub title: String,
    pub category: ProjectCategory,
    pub address: String,
    pub author_name: String,
    /// The cost now: the author's total, or the one staff set after review.
    pub cost: i64,
    pub status: ProjectStatus,
    pub submitted_at: String,
    /// Votes, once voting has closed; `None` before.
    #[serde(default)]
    pub votes: Option<u32>,
    /// Whether it is funded, once voting has closed.
    #[serde(default)]
    pub funded: Option<bool>,
    /// Implementation progress, per cent, for funded projects.
    #[serde(default)]
    pub progress: Option<u8>,
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    /// Whether the reader wrote it.
    #[serde(default)]
    pub mine: bool,
}

/// A stage of carrying out a funded project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub done: bool,
}

/// A whole project: `GET /budget-projects/{id}`. One in review is seen only by its author
/// and staff (404 for anyone else).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    #[serde(flatten)]
    pub summary: ProjectSummary,
    pub description: String,
    /// The author's estimate, line by line.
    pub cost_lines: Vec<CostLine>,
    /// The author's total, when staff changed the cost after review.
    #[serde(default)]
    pub original_cost: Option<i64>,
    /// Why staff changed the cost.
    #[serde(default)]
    pub cost_note: Option<String>,
    pub images: Vec<ProjectImage>,
    /// What staff asked to change, or why they rejected it.
    #[serde(default)]
    pub review_note: Option<String>,
    #[serde(default)]
    pub reviewed_at: Option<String>,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    /// Where it stands in the ranking once voting has closed (1 = most votes).
    #[serde(default)]
    pub rank: Option<u32>,
}

/// What a resident submits: `POST /budget-cycles/{id}/projects` as JSON, or as
/// `multipart/form-data` with this JSON in the part `project` and up to [`IMAGES_MAX`]
/// images in parts named `images`. Also `PUT /budget-projects/{id}` (JSON; the images
/// stay) by its author while it is submitted or changes are requested, which sends it back
/// to review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewProject {
    pub title: String,
    pub description: String,
    /// A [`ProjectCategory`] code.
    pub category: String,
    pub address: String,
    pub cost_lines: Vec<CostLine>,
    /// The total the author sees; it must equal the sum of the lines.
    pub total: i64,
}

/// Staff's review: `POST /budget-projects/{id}/review`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Review {
    Accept,
    /// Back to the author with what to change.
    RequestChanges {
        note: String,
    },
    Reject {
        reason: String,
    },
}

/// Staff change the cost after review: `POST /budget-projects/{id}/cost` (before voting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostAdjustment {
    pub cost: i64,
    pub note: String,
}

/// Staff report progress of a funded project: `PUT /budget-projects/{id}/implementation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Implementation {
    pub progress: u8,
    pub milestones: Vec<Milestone>,
}

/// The reader's ballot: `GET /budget-cycles/{id}/ballot` (empty when they have not voted),
/// `PUT /budget-cycles/{id}/ballot` with [`BallotDraft`] during voting. One per person
/// per cycle; an empty selection withdraws the vote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    pub project_ids: Vec<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// The selection a voter sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotDraft {
    pub project_ids: Vec<String>,
}

/// One row of the results, in rank order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultRow {
    pub rank: u32,
    pub project: ProjectSummary,
    pub votes: u32,
    pub funded: bool,
}

/// `GET /budget-cycles/{id}/results` once voting has closed (409 before);
/// `GET /budget-cycles/{id}/results.csv` (staff) has the same rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Results {
    pub total: i64,
    pub voters: u32,
    /// The sum of the funded projects' costs.
    pub funded_cost: i64,
    pub rows: Vec<ResultRow>,
}

/// Checking a selection against a voting rule, and what is still allowed.
pub mod rules {
    use super::{Phase, ProjectCategory, VotingRule};

    /// What the rule needs to know about a chosen project.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Choice {
        pub category: ProjectCategory,
        pub cost: i64,
    }

    /// Why a selection is refused.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Refusal {
        /// More than `max` projects.
        TooMany { max: u32 },
        /// Two projects in one category where only one is allowed.
        SameCategory(ProjectCategory),
        /// The costs together exceed the total by `over` hryvnias.
        OverBudget { over: i64 },
        /// The same project twice.
        Duplicate,
    }

    /// What the rule still allows: the live counter of the ballot.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Allowance {
        /// `chosen` of `max` projects chosen.
        Choose { chosen: u32, max: u32 },
        /// `left` of `total` hryvnias left.
        Budget { left: i64, total: i64 },
    }

    /// Whether the rule allows this selection; the first reason otherwise. `ids` are the
    /// chosen projects' ids, in the same order as `choices`.
    pub fn check(
        rule: VotingRule,
        total: i64,
        ids: &[&str],
        choices: &[Choice],
    ) -> Result<(), Refusal> {
        let mut seen: Vec<&str> = ids.to_vec();
        seen.sort_unstable();
        if seen.windows(2).any(|w| w[0] == w[1]) {
            return Err(Refusal::Duplicate);
        }
        match rule {
            VotingRule::Choose {
                max,
                one_per_category,
            } => {
                if choices.len() > max as usize {
                    return Err(Refusal::TooMany { max });
                }
                if one_per_category {
                    let mut cats: Vec<ProjectCategory> =
                        choices.iter().map(|c| c.category).collect();
                    cats.sort_unstable();
                    if let Some(w) = cats.windows(2).find(|w| w[0] == w[1]) {
                        return Err(Refusal::SameCategory(w[0]));
                    }
                }
                Ok(())
            }
            VotingRule::FitBudget => {
                let spent: i64 = choices.iter().map(|c| c.cost).sum();
                if spent > total {
                    Err(Refusal::OverBudget {
                        over: spent - total,
                    })
                } else {
                    Ok(())
                }
            }
        }
    }

    /// What the rule still allows after `choices`.
    pub fn allowance(rule: VotingRule, total: i64, choices: &[Choice]) -> Allowance {
        match rule {
            VotingRule::Choose { max, .. } => Allowance::Choose {
                chosen: choices.len() as u32,
                max,
            },
            VotingRule::FitBudget => Allowance::Budget {
                left: total - choices.iter().map(|c| c.cost).sum::<i64>(),
                total,
            },
        }
    }

    /// Whether adding `candidate` to `choices` would still be allowed: the app disables
    /// the projects that no longer fit.
    pub fn can_add(rule: VotingRule, total: i64, choices: &[Choice], candidate: Choice) -> bool {
        let mut with: Vec<Choice> = choices.to_vec();
        with.push(candidate);
        let ids: Vec<String> = (0..with.len()).map(|i| i.to_string()).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        check(rule, total, &ids, &with).is_ok()
    }

    impl Refusal {
        /// The field error a server answers with (field `project_ids`, 422).
        pub fn field_error(self) -> crate::FieldError {
            use crate::ErrorCode;
            let code = match self {
                Self::TooMany { .. } => ErrorCode::TooMany,
                Self::SameCategory(_) => ErrorCode::SameCategory,
                Self::OverBudget { .. } => ErrorCode::OverBudget,
                Self::Duplicate => ErrorCode::Invalid,
            };
            crate::FieldError::new("project_ids", code)
        }
    }

    /// Why someone cannot vote.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum CannotVote {
        /// Voting is not open (not yet, or closed).
        NotVoting,
        /// Not signed in: sign in and come back.
        SignIn,
        /// A resident of another hromada.
        OtherHromada,
        /// Only verified residents vote: ask for verification.
        Verify,
    }

    /// Whether a reader may vote in a cycle in `phase`; the first obstacle otherwise.
    pub fn can_vote(
        phase: Phase,
        signed_in: bool,
        resident: bool,
        verified: bool,
    ) -> Result<(), CannotVote> {
        if phase != Phase::Voting {
            return Err(CannotVote::NotVoting);
        }
        if !signed_in {
            return Err(CannotVote::SignIn);
        }
        if !resident {
            return Err(CannotVote::OtherHromada);
        }
        if !verified {
            return Err(CannotVote::Verify);
        }
        Ok(())
    }
}

/// Ranking by votes and drawing the funded line.
pub mod funding {
    /// What the computation needs to know about an accepted project.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Entry {
        pub id: String,
        pub cost: i64,
        pub votes: u32,
        /// RFC 3339; an earlier submission wins a tie of votes.
        pub submitted_at: String,
    }

    /// One entry placed: its rank (1 = most votes) and whether it is funded.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Placed {
        pub entry: Entry,
        pub rank: u32,
        pub funded: bool,
    }

    /// Ranks the entries by votes (ties: the earlier submission first, then the id), then
    /// goes down the ranking funding each project whose cost still fits in what is left
    /// of `total`; one that does not fit is skipped and the next ones are tried. A project
    /// with no votes is never funded.
    pub fn allocate(total: i64, mut entries: Vec<Entry>) -> Vec<Placed> {
        entries.sort_by(|a, b| {
            b.votes
                .cmp(&a.votes)
                .then_with(|| a.submitted_at.cmp(&b.submitted_at))
                .then_with(|| a.id.cmp(&b.id))
        });
        let mut left = total;
        entries
            .into_iter()
            .enumerate()
            .map(|(i, entry)| {
                let funded = entry.votes > 0 && entry.cost <= left;
                if funded {
                    left -= entry.cost;
                }
                Placed {
                    rank: i as u32 + 1,
                    funded,
                    entry,
                }
            })
            .collect()
    }
}

/// All problems of a cycle.
pub fn validate_cycle(c: &CycleDraft) -> Vec<FieldError> {
    let mut out = Vec::new();
    if !(2000..=2100).contains(&c.year) {
        out.push(FieldError::new("year", ErrorCode::Invalid));
    }
    validate::text("title", &c.title, TITLE_MIN, TITLE_MAX, &mut out);
    amount("total", c.total, &mut out);
    let mut previous: Option<i64> = None;
    for (field, date) in c.dates.fields() {
        match crate::time::parse_date(date) {
            None if date.trim().is_empty() => out.push(FieldError::new(field, ErrorCode::Required)),
            None => out.push(FieldError::new(field, ErrorCode::Invalid)),
            Some(day) => {
                if previous.is_some_and(|p| day <= p) {
                    out.push(FieldError::new(field, ErrorCode::BeforeStart));
                }
                previous = Some(day);
            }
        }
    }
    if let VotingRule::Choose { max, .. } = c.rule
        && !(CHOOSE_RANGE.0..=CHOOSE_RANGE.1).contains(&max)
    {
        out.push(FieldError::new("rule.max", ErrorCode::Invalid));
    }
    out
}

fn amount(field: &str, value: i64, out: &mut Vec<FieldError>) {
    if value <= 0 {
        out.push(FieldError::new(field, ErrorCode::Invalid));
    } else if value > AMOUNT_MAX {
        out.push(FieldError::new(field, ErrorCode::TooLarge));
    }
}

/// The sum of the cost lines.
pub fn lines_total(lines: &[CostLine]) -> i64 {
    lines.iter().map(|l| l.amount.clamp(0, AMOUNT_MAX)).sum()
}

/// All problems of a project (images are checked where they are read). Cost lines are
/// named `cost_lines[i].item` and `cost_lines[i].amount`; a total that is not their sum is
/// `total`/`invalid`.
pub fn validate_project(p: &NewProject) -> Vec<FieldError> {
    let mut out = Vec::new();
    validate::text("title", &p.title, TITLE_MIN, TITLE_MAX, &mut out);
    validate::multiline(
        "description",
        &p.description,
        DESCRIPTION_MIN,
        DESCRIPTION_MAX,
        &mut out,
    );
    if p.category.trim().is_empty() {
        out.push(FieldError::new("category", ErrorCode::Required));
    } else if ProjectCategory::from_code(&p.category).is_none() {
        out.push(FieldError::new("category", ErrorCode::Invalid));
    }
    validate::text(
        "address",
        &p.address,
        validate::ADDRESS_MIN,
        validate::ADDRESS_MAX,
        &mut out,
    );
    if p.cost_lines.is_empty() {
        out.push(FieldError::new("cost_lines", ErrorCode::Required));
    } else if p.cost_lines.len() > COST_LINES_MAX {
        out.push(FieldError::new("cost_lines", ErrorCode::TooMany));
    }
    for (i, line) in p.cost_lines.iter().enumerate() {
        validate::text(
            &format!("cost_lines[{i}].item"),
            &line.item,
            2,
            ITEM_MAX,
            &mut out,
        );
        amount(&format!("cost_lines[{i}].amount"), line.amount, &mut out);
    }
    if p.total != lines_total(&p.cost_lines) {
        out.push(FieldError::new("total", ErrorCode::Invalid));
    } else if p.total > AMOUNT_MAX {
        out.push(FieldError::new("total", ErrorCode::TooLarge));
    }
    out
}

/// All problems of a review.
pub fn validate_review(r: &Review) -> Vec<FieldError> {
    let mut out = Vec::new();
    match r {
        Review::Accept => {}
        Review::RequestChanges { note } => validate::multiline("note", note, 1, NOTE_MAX, &mut out),
        Review::Reject { reason } => validate::multiline("reason", reason, 1, NOTE_MAX, &mut out),
    }
    out
}

/// All problems of a cost adjustment.
pub fn validate_cost(c: &CostAdjustment) -> Vec<FieldError> {
    let mut out = Vec::new();
    amount("cost", c.cost, &mut out);
    validate::multiline("note", &c.note, 1, NOTE_MAX, &mut out);
    out
}

/// All problems of an implementation report.
pub fn validate_implementation(i: &Implementation) -> Vec<FieldError> {
    let mut out = Vec::new();
    if i.progress > 100 {
        out.push(FieldError::new("progress", ErrorCode::Invalid));
    }
    if i.milestones.len() > MILESTONES_MAX {
        out.push(FieldError::new("milestones", ErrorCode::TooMany));
    }
    for (n, m) in i.milestones.iter().enumerate() {
        validate::text(
            &format!("milestones[{n}].title"),
            &m.title,
            2,
            ITEM_MAX,
            &mut out,
        );
        if crate::time::parse_date(&m.date).is_none() {
            out.push(FieldError::new(
                &format!("milestones[{n}].date"),
                ErrorCode::Invalid,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::funding::{Entry, allocate};
    use super::rules::{
        Allowance, CannotVote, Choice, Refusal, allowance, can_add, can_vote, check,
    };
    use super::*;

    fn dates() -> CycleDates {
        CycleDates {
            submission: "2026-03-01".into(),
            review: "2026-04-01".into(),
            voting: "2026-05-01".into(),
            results: "2026-06-01".into(),
            implementation: "2026-07-01".into(),
        }
    }

    fn at(s: &str) -> i64 {
        crate::time::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn the_phase_follows_the_dates_in_kyiv() {
        let d = dates();
        assert_eq!(phase(&d, at("2026-02-28T21:59:59Z")), Phase::Upcoming);
        // Midnight in Kyiv on 1 March is 22:00 UTC the day before (winter time, +2).
        assert_eq!(phase(&d, at("2026-02-28T22:00:00Z")), Phase::Submission);
        assert_eq!(phase(&d, at("2026-04-15T12:00:00Z")), Phase::Review);
        // Summer time (+3): voting opens at 21:00 UTC on 30 April.
        assert_eq!(phase(&d, at("2026-04-30T20:59:59Z")), Phase::Review);
        assert_eq!(phase(&d, at("2026-04-30T21:00:00Z")), Phase::Voting);
        assert_eq!(phase(&d, at("2026-05-31T20:59:59Z")), Phase::Voting);
        assert_eq!(phase(&d, at("2026-05-31T21:00:00Z")), Phase::Results);
        assert_eq!(phase(&d, at("2027-01-01T00:00:00Z")), Phase::Implementation);
        let broken = CycleDates {
            voting: "2026-13-01".into(),
            ..d
        };
        assert_eq!(phase(&broken, at("2026-05-15T00:00:00Z")), Phase::Upcoming);
        assert!(Phase::Results.votes_public() && !Phase::Voting.votes_public());
    }

    #[test]
    fn codes_round_trip() {
        for c in ProjectCategory::ALL {
            assert_eq!(ProjectCategory::from_code(c.code()), Some(c));
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.code())
            );
        }
        for s in ProjectStatus::ALL {
            assert_eq!(ProjectStatus::from_code(s.code()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
        for s in ProjectSort::ALL {
            assert_eq!(ProjectSort::from_code(s.code()), Some(s));
        }
        for p in Phase::ALL {
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.code())
            );
        }
        assert_eq!(
            serde_json::to_string(&VotingRule::Choose {
                max: 3,
                one_per_category: true
            })
            .unwrap(),
            r#"{"kind":"choose","max":3,"one_per_category":true}"#
        );
        assert_eq!(
            serde_json::to_string(&VotingRule::FitBudget).unwrap(),
            r#"{"kind":"fit_budget"}"#
        );
        assert_eq!(
            serde_json::to_string(&Review::RequestChanges { note: "x".into() }).unwrap(),
            r#"{"decision":"request_changes","note":"x"}"#
        );
    }

    const EDU: ProjectCategory = ProjectCategory::Education;
    const SPORT: ProjectCategory = ProjectCategory::Sport;

    fn choice(category: ProjectCategory, cost: i64) -> Choice {
        Choice { category, cost }
    }

    #[test]
    fn choose_up_to_n() {
        let rule = VotingRule::Choose {
            max: 2,
            one_per_category: false,
        };
        let two = [choice(EDU, 10), choice(EDU, 20)];
        assert_eq!(check(rule, 0, &["a", "b"], &two), Ok(()));
        let three = [choice(EDU, 10), choice(EDU, 20), choice(SPORT, 5)];
        assert_eq!(
            check(rule, 0, &["a", "b", "c"], &three),
            Err(Refusal::TooMany { max: 2 })
        );
        assert_eq!(check(rule, 0, &[], &[]), Ok(()));
        assert_eq!(check(rule, 0, &["a", "a"], &two), Err(Refusal::Duplicate));
        assert_eq!(
            allowance(rule, 0, &two[..1]),
            Allowance::Choose { chosen: 1, max: 2 }
        );
        assert!(can_add(rule, 0, &two[..1], choice(SPORT, 1)));
        assert!(!can_add(rule, 0, &two, choice(SPORT, 1)));
    }

    #[test]
    fn one_per_category() {
        let rule = VotingRule::Choose {
            max: 5,
            one_per_category: true,
        };
        assert_eq!(
            check(rule, 0, &["a", "b"], &[choice(EDU, 1), choice(SPORT, 1)]),
            Ok(())
        );
        assert_eq!(
            check(
                rule,
                0,
                &["a", "b", "c"],
                &[choice(EDU, 1), choice(SPORT, 1), choice(EDU, 2)]
            ),
            Err(Refusal::SameCategory(EDU))
        );
        assert!(!can_add(rule, 0, &[choice(EDU, 1)], choice(EDU, 1)));
        assert!(can_add(rule, 0, &[choice(EDU, 1)], choice(SPORT, 1)));
    }

    #[test]
    fn fit_the_budget() {
        let rule = VotingRule::FitBudget;
        let picks = [choice(EDU, 400_000), choice(SPORT, 600_000)];
        assert_eq!(check(rule, 1_000_000, &["a", "b"], &picks), Ok(()));
        assert_eq!(
            check(rule, 999_999, &["a", "b"], &picks),
            Err(Refusal::OverBudget { over: 1 })
        );
        assert_eq!(
            allowance(rule, 1_000_000, &picks[..1]),
            Allowance::Budget {
                left: 600_000,
                total: 1_000_000
            }
        );
        assert!(can_add(
            rule,
            1_000_000,
            &picks[..1],
            choice(SPORT, 600_000)
        ));
        assert!(!can_add(
            rule,
            1_000_000,
            &picks[..1],
            choice(SPORT, 600_001)
        ));
    }

    #[test]
    fn who_may_vote() {
        assert_eq!(can_vote(Phase::Voting, true, true, true), Ok(()));
        assert_eq!(
            can_vote(Phase::Results, true, true, true),
            Err(CannotVote::NotVoting)
        );
        assert_eq!(
            can_vote(Phase::Voting, false, false, false),
            Err(CannotVote::SignIn)
        );
        assert_eq!(
            can_vote(Phase::Voting, true, false, true),
            Err(CannotVote::OtherHromada)
        );
        assert_eq!(
            can_vote(Phase::Voting, true, true, false),
            Err(CannotVote::Verify)
        );
    }

    fn entry(id: &str, cost: i64, votes: u32, submitted: &str) -> Entry {
        Entry {
            id: id.into(),
            cost,
            votes,
            submitted_at: format!("2026-03-{submitted}T10:00:00.000Z"),
        }
    }

    fn funded(placed: &[funding::Placed]) -> Vec<(&str, u32, bool)> {
        placed
            .iter()
            .map(|p| (p.entry.id.as_str(), p.rank, p.funded))
            .collect()
    }

    #[test]
    fn funding_goes_down_the_ranking_and_skips_what_does_not_fit() {
        let placed = allocate(
            1_000,
            vec![
                entry("c", 300, 50, "03"),
                entry("a", 600, 90, "01"),
                entry("b", 500, 70, "02"),
                entry("d", 100, 10, "04"),
            ],
        );
        // a (600) fits; b (500) does not fit in the 400 left; c (300) does; d (100) does.
        assert_eq!(
            funded(&placed),
            [
                ("a", 1, true),
                ("b", 2, false),
                ("c", 3, true),
                ("d", 4, true)
            ]
        );
    }

    #[test]
    fn ties_go_to_the_earlier_submission() {
        let placed = allocate(
            500,
            vec![entry("late", 500, 40, "20"), entry("early", 500, 40, "02")],
        );
        assert_eq!(funded(&placed), [("early", 1, true), ("late", 2, false)]);
        // Same votes and time: the id decides, so the result never depends on input order.
        let a = allocate(
            100,
            vec![entry("y", 100, 5, "01"), entry("x", 100, 5, "01")],
        );
        let b = allocate(
            100,
            vec![entry("x", 100, 5, "01"), entry("y", 100, 5, "01")],
        );
        assert_eq!(funded(&a), funded(&b));
        assert_eq!(funded(&a), [("x", 1, true), ("y", 2, false)]);
    }

    #[test]
    fn a_project_costing_more_than_everything_is_skipped() {
        let placed = allocate(
            1_000,
            vec![
                entry("huge", 5_000, 999, "01"),
                entry("small", 200, 3, "02"),
            ],
        );
        assert_eq!(funded(&placed), [("huge", 1, false), ("small", 2, true)]);
        // Exactly the whole budget fits.
        assert_eq!(
            funded(&allocate(1_000, vec![entry("all", 1_000, 1, "01")])),
            [("all", 1, true)]
        );
        // Nothing to share, or no votes: nothing funded.
        assert_eq!(
            funded(&allocate(1_000, vec![entry("none", 10, 0, "01")])),
            [("none", 1, false)]
        );
        assert!(allocate(1_000, vec![]).is_empty());
    }

    fn project() -> NewProject {
        NewProject {
            title: "Сквер біля школи № 3".into(),
            description:
                "Облаштувати сквер: лавки, освітлення, доріжки та клумби для дітей і батьків."
                    .into(),
            category: "environment".into(),
            address: "вул. Шкільна, 3".into(),
            cost_lines: vec![
                CostLine {
                    item: "Лавки".into(),
                    amount: 60_000,
                },
                CostLine {
                    item: "Освітлення".into(),
                    amount: 140_000,
                },
            ],
            total: 200_000,
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<(String, ErrorCode)> {
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn projects_are_checked_line_by_line() {
        assert!(validate_project(&project()).is_empty());
        let mut p = project();
        p.total = 199_999;
        assert_eq!(
            fields(validate_project(&p)),
            [("total".to_owned(), ErrorCode::Invalid)]
        );
        let mut p = project();
        p.cost_lines[1].amount = -140_000;
        p.total = 60_000 - 140_000;
        assert_eq!(
            fields(validate_project(&p)),
            [
                ("cost_lines[1].amount".to_owned(), ErrorCode::Invalid),
                ("total".to_owned(), ErrorCode::Invalid)
            ]
        );
        let mut p = project();
        p.cost_lines.clear();
        p.total = 0;
        p.category = "rockets".into();
        assert_eq!(
            fields(validate_project(&p)),
            [
                ("category".to_owned(), ErrorCode::Invalid),
                ("cost_lines".to_owned(), ErrorCode::Required)
            ]
        );
    }

    #[test]
    fn cycles_need_dates_in_order() {
        let ok = CycleDraft {
            year: 2026,
            title: "Громадський бюджет 2026".into(),
            total: 1_000_000,
            dates: dates(),
            rule: VotingRule::FitBudget,
        };
        assert!(validate_cycle(&ok).is_empty());
        let bad = CycleDraft {
            total: 0,
            dates: CycleDates {
                voting: "2026-03-15".into(),
                results: String::new(),
                ..dates()
            },
            rule: VotingRule::Choose {
                max: 0,
                one_per_category: false,
            },
            ..ok
        };
        assert_eq!(
            fields(validate_cycle(&bad)),
            [
                ("total".to_owned(), ErrorCode::Invalid),
                ("dates.voting".to_owned(), ErrorCode::BeforeStart),
                ("dates.results".to_owned(), ErrorCode::Required),
                ("rule.max".to_owned(), ErrorCode::Invalid),
            ]
        );
    }
}
