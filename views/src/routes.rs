//! Every path of the app, written once: [`Page`] builds links, and the router matches the
//! same segments.

/// Path segment of a hromada's pages: `/h/{katottg}`.
pub const SEG_HROMADA: &str = "h";
/// Path segment of the hromada picker.
pub const SEG_HROMADAS: &str = "hromadas";
/// Path segment of sign-up.
pub const SEG_SIGN_UP: &str = "signup";
/// Path segment of sign-in.
pub const SEG_SIGN_IN: &str = "signin";
/// Path segment of the account page.
pub const SEG_ACCOUNT: &str = "account";
/// Path segment of a hromada's staff desk: `/h/{katottg}/staff`.
pub const SEG_STAFF: &str = "staff";
/// Path segment of the administrator's page.
pub const SEG_ADMIN: &str = "admin";
/// Path segment of news: `/h/{katottg}/news`, `/news/{id}`, `/h/{katottg}/staff/news`.
pub const SEG_NEWS: &str = "news";
/// Path segment of alerts: `/h/{katottg}/staff/alerts`.
pub const SEG_ALERTS: &str = "alerts";
/// Path segment of a new item: `/h/{katottg}/staff/news/new`.
pub const SEG_NEW: &str = "new";
/// Path segment of editing: `/news/{id}/edit`.
pub const SEG_EDIT: &str = "edit";
/// Path segment of appeals: `/appeals` (mine), `/appeals/{id}`, `/h/{katottg}/appeals`
/// (the public list), `/h/{katottg}/appeals/new`, `/h/{katottg}/staff/appeals` (the inbox).
pub const SEG_APPEALS: &str = "appeals";
/// Path segment of the list of appeal categories: `/h/{katottg}/staff/appeals/categories`.
pub const SEG_CATEGORIES: &str = "categories";
/// Path segment of petitions: `/petitions` (mine), `/petitions/{id}`, `/h/{katottg}/petitions`,
/// `/h/{katottg}/petitions/new`, `/h/{katottg}/staff/petitions`.
pub const SEG_PETITIONS: &str = "petitions";
/// Path segment of the participatory budget: `/h/{katottg}/budget` (the cycles),
/// `/budget/{cycle}` (its projects), `/budget/{cycle}/new`, `/budget/{cycle}/vote`,
/// `/budget/{cycle}/results`, `/h/{katottg}/staff/budget`.
pub const SEG_BUDGET: &str = "budget";
/// Path segment of a budget project: `/projects/{id}`, `/projects/{id}/edit`.
pub const SEG_PROJECTS: &str = "projects";
/// Path segment of the ballot: `/budget/{cycle}/vote`.
pub const SEG_VOTE: &str = "vote";
/// Path segment of a cycle's results: `/budget/{cycle}/results`.
pub const SEG_RESULTS: &str = "results";
/// Path segment of polls: `/h/{katottg}/polls`, `/polls/{id}`, `/polls/{id}/edit`,
/// `/h/{katottg}/staff/polls`, `/h/{katottg}/staff/polls/new`.
pub const SEG_POLLS: &str = "polls";
/// Path segment of the services catalogue: `/h/{katottg}/services`, `/services/{id}`,
/// `/services/{id}/edit`, `/h/{katottg}/staff/services`, `/h/{katottg}/staff/services/new`.
pub const SEG_SERVICES: &str = "services";
/// Path segment of answers to frequent questions: `/answers/{id}`, `/answers/{id}/edit`,
/// `/h/{katottg}/staff/answers/new`.
pub const SEG_ANSWERS: &str = "answers";
/// Path segment of asking a question: `/h/{katottg}/ask`.
pub const SEG_ASK: &str = "ask";
/// Path segment of consultations: `/consultations` (mine), `/consultations/{id}`,
/// `/h/{katottg}/staff/consultations`.
pub const SEG_CONSULTATIONS: &str = "consultations";
/// Path segment of the person's notifications: `/notifications`.
pub const SEG_NOTIFICATIONS: &str = "notifications";
/// Path segment of the outbox, what waits for the network: `/outbox`.
pub const SEG_OUTBOX: &str = "outbox";
/// Path segment of the installed app's shortcuts: `/go/appeal`, `/go/petitions`.
pub const SEG_GO: &str = "go";
/// Path segment of asking for a password reset link: `/forgot-password`.
pub const SEG_FORGOT_PASSWORD: &str = "forgot-password";
/// Path segment of the emailed reset link: `/reset-password?token=…`.
pub const SEG_RESET_PASSWORD: &str = "reset-password";
/// Path segment of the emailed confirmation link: `/confirm-email?token=…`.
pub const SEG_CONFIRM_EMAIL: &str = "confirm-email";
/// Path segment of the emailed unsubscribe link: `/unsubscribe/{token}`.
pub const SEG_UNSUBSCRIBE: &str = "unsubscribe";

/// The hromada a page is about, when its address says: `/h/{katottg}/…` → `katottg`.
pub fn hromada_in_path(path: &str) -> Option<&str> {
    let rest = path.strip_prefix(&format!("/{SEG_HROMADA}/"))?;
    let k = rest.split('/').next()?;
    hromada_api::validate::is_katottg(k).then_some(k)
}

/// Where an installed app's shortcut leads, in the remembered hromada.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    /// A new appeal.
    Appeal,
    /// The hromada's petitions.
    Petitions,
}

impl Shortcut {
    /// The shortcut's path segment.
    pub fn code(self) -> &'static str {
        match self {
            Self::Appeal => "appeal",
            Self::Petitions => "petitions",
        }
    }

    /// The shortcut with this segment.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Appeal, Self::Petitions]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// The page it opens in `katottg`.
    pub fn page(self, katottg: String) -> Page {
        match self {
            Self::Appeal => Page::AppealNew(katottg),
            Self::Petitions => Page::Petitions(katottg),
        }
    }
}

/// A place in the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// `/`: the remembered hromada, or the picker.
    Home,
    /// `/hromadas`: find a community.
    Hromadas,
    /// `/h/{katottg}`: a community's home page.
    Hromada(String),
    /// `/h/{katottg}/staff`: the staff desk of a community.
    Staff(String),
    SignUp,
    SignIn,
    Account,
    Admin,
    /// `/h/{katottg}/news`: the news feed.
    News(String),
    /// `/news/{id}`: one news item, with its own shareable URL.
    NewsItem(String),
    /// `/h/{katottg}/staff/news`: every item, drafts too.
    StaffNews(String),
    /// `/h/{katottg}/staff/news/new`.
    NewsNew(String),
    /// `/news/{id}/edit`.
    NewsEdit(String),
    /// `/h/{katottg}/staff/alerts`.
    StaffAlerts(String),
    /// `/appeals`: the signed-in person's appeals.
    MyAppeals,
    /// `/appeals/{id}`: one appeal and its timeline.
    Appeal(String),
    /// `/h/{katottg}/appeals`: the appeals residents made public.
    PublicAppeals(String),
    /// `/h/{katottg}/appeals/new`: write an appeal.
    AppealNew(String),
    /// `/h/{katottg}/staff/appeals`: the staff's inbox.
    StaffAppeals(String),
    /// `/h/{katottg}/staff/appeals/categories`.
    StaffCategories(String),
    /// `/notifications`.
    Notifications,
    /// `/outbox`: submissions waiting for the network.
    Outbox,
    /// `/go/{shortcut}`: a shortcut of the installed app.
    Go(Shortcut),
    /// `/h/{katottg}/petitions`: the hromada's petitions, by tab.
    Petitions(String),
    /// `/h/{katottg}/petitions/new`.
    PetitionNew(String),
    /// `/petitions/{id}`.
    Petition(String),
    /// `/petitions`: the petitions the person wrote.
    MyPetitions,
    /// `/h/{katottg}/staff/petitions`: moderation and the hromada's petition rules.
    StaffPetitions(String),
    /// `/h/{katottg}/budget`: the hromada's budget cycles, the current one first.
    Budget(String),
    /// `/budget/{cycle}`: a cycle, its phases and its projects.
    BudgetCycle(String),
    /// `/budget/{cycle}/new`: submit a project.
    BudgetProjectNew(String),
    /// `/budget/{cycle}/vote`: the ballot.
    BudgetVote(String),
    /// `/budget/{cycle}/results`: the ranking and the funded line.
    BudgetResults(String),
    /// `/projects/{id}`: one project.
    BudgetProject(String),
    /// `/projects/{id}/edit`: the author changes a project in review.
    BudgetProjectEdit(String),
    /// `/h/{katottg}/staff/budget`: cycles and the review queue.
    StaffBudget(String),
    /// `/h/{katottg}/polls`: active and past polls.
    Polls(String),
    /// `/polls/{id}`: one poll (a draft is its preview).
    Poll(String),
    /// `/h/{katottg}/staff/polls`: the staff's polls, drafts too.
    StaffPolls(String),
    /// `/h/{katottg}/staff/polls/new`.
    PollNew(String),
    /// `/polls/{id}/edit`.
    PollEdit(String),
    /// `/h/{katottg}/services`: the catalogue, its search and the frequent questions.
    Services(String),
    /// `/services/{id}`: one service, with everything needed to apply.
    Service(String),
    /// `/services/{id}/edit` (staff).
    ServiceEdit(String),
    /// `/h/{katottg}/staff/services/new`.
    ServiceNew(String),
    /// `/h/{katottg}/staff/services`: the catalogue, the answers and the centre, for staff.
    StaffServices(String),
    /// `/answers/{id}`: one frequent question and its answer.
    Answer(String),
    /// `/answers/{id}/edit` (staff).
    AnswerEdit(String),
    /// `/h/{katottg}/staff/answers/new`.
    AnswerNew(String),
    /// `/h/{katottg}/ask`: ask a question; the assistant suggests while it is typed.
    Ask(String),
    /// `/consultations`: the person's consultations.
    MyConsultations,
    /// `/consultations/{id}`: one conversation.
    Consultation(String),
    /// `/h/{katottg}/staff/consultations`: the staff's queue, oldest first.
    StaffConsultations(String),
    /// `/forgot-password`: ask for a link to set a new password.
    ForgotPassword,
    /// `/reset-password?token=…`: the emailed link; set a new password.
    ResetPassword,
    /// `/confirm-email?token=…`: the emailed link that proves an address.
    ConfirmEmail,
    /// `/unsubscribe/{token}`: the emailed link that switches a kind of email off (by a
    /// button, never on opening).
    Unsubscribe(String),
}

impl Page {
    /// The path of this page.
    pub fn path(&self) -> String {
        match self {
            Self::Home => "/".to_owned(),
            Self::Hromadas => format!("/{SEG_HROMADAS}"),
            Self::Hromada(k) => format!("/{SEG_HROMADA}/{k}"),
            Self::Staff(k) => format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}"),
            Self::SignUp => format!("/{SEG_SIGN_UP}"),
            Self::SignIn => format!("/{SEG_SIGN_IN}"),
            Self::Account => format!("/{SEG_ACCOUNT}"),
            Self::Admin => format!("/{SEG_ADMIN}"),
            Self::News(k) => format!("/{SEG_HROMADA}/{k}/{SEG_NEWS}"),
            Self::NewsItem(id) => format!("/{SEG_NEWS}/{id}"),
            Self::StaffNews(k) => format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}/{SEG_NEWS}"),
            Self::NewsNew(k) => format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}/{SEG_NEWS}/{SEG_NEW}"),
            Self::NewsEdit(id) => format!("/{SEG_NEWS}/{id}/{SEG_EDIT}"),
            Self::StaffAlerts(k) => format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}/{SEG_ALERTS}"),
            Self::MyAppeals => format!("/{SEG_APPEALS}"),
            Self::Appeal(id) => format!("/{SEG_APPEALS}/{id}"),
            Self::PublicAppeals(k) => format!("/{SEG_HROMADA}/{k}/{SEG_APPEALS}"),
            Self::AppealNew(k) => format!("/{SEG_HROMADA}/{k}/{SEG_APPEALS}/{SEG_NEW}"),
            Self::StaffAppeals(k) => format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}/{SEG_APPEALS}"),
            Self::StaffCategories(k) => {
                format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}/{SEG_APPEALS}/{SEG_CATEGORIES}")
            }
            Self::Notifications => format!("/{SEG_NOTIFICATIONS}"),
            Self::Outbox => format!("/{SEG_OUTBOX}"),
            Self::Go(s) => format!("/{SEG_GO}/{}", s.code()),
            Self::Petitions(k) => format!("/{SEG_HROMADA}/{k}/{SEG_PETITIONS}"),
            Self::PetitionNew(k) => format!("/{SEG_HROMADA}/{k}/{SEG_PETITIONS}/{SEG_NEW}"),
            Self::Petition(id) => format!("/{SEG_PETITIONS}/{id}"),
            Self::MyPetitions => format!("/{SEG_PETITIONS}"),
            Self::StaffPetitions(k) => format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}/{SEG_PETITIONS}"),
            Self::Budget(k) => format!("/{SEG_HROMADA}/{k}/{SEG_BUDGET}"),
            Self::BudgetCycle(c) => format!("/{SEG_BUDGET}/{c}"),
            Self::BudgetProjectNew(c) => format!("/{SEG_BUDGET}/{c}/{SEG_NEW}"),
            Self::BudgetVote(c) => format!("/{SEG_BUDGET}/{c}/{SEG_VOTE}"),
            Self::BudgetResults(c) => format!("/{SEG_BUDGET}/{c}/{SEG_RESULTS}"),
            Self::BudgetProject(id) => format!("/{SEG_PROJECTS}/{id}"),
            Self::BudgetProjectEdit(id) => format!("/{SEG_PROJECTS}/{id}/{SEG_EDIT}"),
            Self::StaffBudget(k) => format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}/{SEG_BUDGET}"),
            Self::Polls(k) => format!("/{SEG_HROMADA}/{k}/{SEG_POLLS}"),
            Self::Poll(id) => format!("/{SEG_POLLS}/{id}"),
            Self::StaffPolls(k) => format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}/{SEG_POLLS}"),
            Self::PollNew(k) => format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}/{SEG_POLLS}/{SEG_NEW}"),
            Self::PollEdit(id) => format!("/{SEG_POLLS}/{id}/{SEG_EDIT}"),
            Self::Services(k) => format!("/{SEG_HROMADA}/{k}/{SEG_SERVICES}"),
            Self::Service(id) => format!("/{SEG_SERVICES}/{id}"),
            Self::ServiceEdit(id) => format!("/{SEG_SERVICES}/{id}/{SEG_EDIT}"),
            Self::ServiceNew(k) => {
                format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}/{SEG_SERVICES}/{SEG_NEW}")
            }
            Self::StaffServices(k) => format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}/{SEG_SERVICES}"),
            Self::Answer(id) => format!("/{SEG_ANSWERS}/{id}"),
            Self::AnswerEdit(id) => format!("/{SEG_ANSWERS}/{id}/{SEG_EDIT}"),
            Self::AnswerNew(k) => format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}/{SEG_ANSWERS}/{SEG_NEW}"),
            Self::Ask(k) => format!("/{SEG_HROMADA}/{k}/{SEG_ASK}"),
            Self::MyConsultations => format!("/{SEG_CONSULTATIONS}"),
            Self::Consultation(id) => format!("/{SEG_CONSULTATIONS}/{id}"),
            Self::StaffConsultations(k) => {
                format!("/{SEG_HROMADA}/{k}/{SEG_STAFF}/{SEG_CONSULTATIONS}")
            }
            Self::ForgotPassword => format!("/{SEG_FORGOT_PASSWORD}"),
            Self::ResetPassword => format!("/{SEG_RESET_PASSWORD}"),
            Self::ConfirmEmail => format!("/{SEG_CONFIRM_EMAIL}"),
            Self::Unsubscribe(token) => format!("/{SEG_UNSUBSCRIBE}/{token}"),
        }
    }
}

/// The sign-in page that brings the person back to `path` afterwards.
pub fn sign_in_then(path: &str) -> String {
    format!(
        "{}?next={}",
        Page::SignIn.path(),
        encode_uri_component(path)
    )
}

/// `text` as JavaScript's `encodeURIComponent` writes it: every byte but the letters,
/// digits and `-_.!~*'()` percent-encoded.
pub fn encode_uri_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where to go after sign-in: only a path of this app (never another site, `//evil`).
pub fn safe_next(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\')).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_javascript_does() {
        assert_eq!(
            encode_uri_component("/a b?c=д&e"),
            "%2Fa%20b%3Fc%3D%D0%B4%26e"
        );
        assert_eq!(encode_uri_component("A-z_0.!~*'()"), "A-z_0.!~*'()");
    }

    #[test]
    fn paths() {
        assert_eq!(Page::Home.path(), "/");
        assert_eq!(Page::Hromada("UA1".into()).path(), "/h/UA1");
        assert_eq!(Page::Staff("UA1".into()).path(), "/h/UA1/staff");
        assert_eq!(Page::SignIn.path(), "/signin");
        assert_eq!(Page::News("UA1".into()).path(), "/h/UA1/news");
        assert_eq!(Page::NewsEdit("n1".into()).path(), "/news/n1/edit");
        assert_eq!(Page::NewsNew("UA1".into()).path(), "/h/UA1/staff/news/new");
        assert_eq!(Page::Appeal("a1".into()).path(), "/appeals/a1");
        assert_eq!(Page::Petition("p1".into()).path(), "/petitions/p1");
        assert_eq!(Page::Budget("UA1".into()).path(), "/h/UA1/budget");
        assert_eq!(Page::BudgetVote("c1".into()).path(), "/budget/c1/vote");
        assert_eq!(
            Page::BudgetProjectEdit("p1".into()).path(),
            "/projects/p1/edit"
        );
        assert_eq!(
            Page::StaffBudget("UA1".into()).path(),
            "/h/UA1/staff/budget"
        );
        assert_eq!(
            sign_in_then("/petitions/p1"),
            "/signin?next=%2Fpetitions%2Fp1"
        );
        assert_eq!(safe_next("/petitions/p1"), Some("/petitions/p1"));
        assert_eq!(safe_next("//evil.example"), None);
        assert_eq!(safe_next("https://evil.example"), None);
        assert_eq!(safe_next("/\\evil.example"), None);
        assert_eq!(Page::AppealNew("UA1".into()).path(), "/h/UA1/appeals/new");
        assert_eq!(Page::Services("UA1".into()).path(), "/h/UA1/services");
        assert_eq!(Page::Outbox.path(), "/outbox");
        assert_eq!(
            hromada_in_path("/h/UA65100150000057191/news"),
            Some("UA65100150000057191")
        );
        assert_eq!(
            hromada_in_path("/h/UA65100150000057191"),
            Some("UA65100150000057191")
        );
        assert_eq!(hromada_in_path("/h/not-a-code/news"), None);
        assert_eq!(hromada_in_path("/petitions/x"), None);
        assert_eq!(Page::Go(Shortcut::Appeal).path(), "/go/appeal");
        assert_eq!(Page::Go(Shortcut::Petitions).path(), "/go/petitions");
        assert_eq!(Shortcut::from_code("petitions"), Some(Shortcut::Petitions));
        assert_eq!(Shortcut::from_code("x"), None);
        assert_eq!(
            Shortcut::Appeal.page("UA1".into()).path(),
            "/h/UA1/appeals/new"
        );
        assert_eq!(Page::Ask("UA1".into()).path(), "/h/UA1/ask");
        assert_eq!(Page::Consultation("c1".into()).path(), "/consultations/c1");
        assert_eq!(
            Page::AnswerNew("UA1".into()).path(),
            "/h/UA1/staff/answers/new"
        );
        assert_eq!(
            Page::StaffConsultations("UA1".into()).path(),
            "/h/UA1/staff/consultations"
        );
        assert_eq!(
            Page::StaffCategories("UA1".into()).path(),
            "/h/UA1/staff/appeals/categories"
        );
        // The links the server puts in its emails.
        assert_eq!(Page::ForgotPassword.path(), "/forgot-password");
        assert_eq!(Page::ResetPassword.path(), "/reset-password");
        assert_eq!(Page::ConfirmEmail.path(), "/confirm-email");
        assert_eq!(Page::Unsubscribe("t1".into()).path(), "/unsubscribe/t1");
    }
}
