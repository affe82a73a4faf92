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
/// Path segment of the person's notifications: `/notifications`.
pub const SEG_NOTIFICATIONS: &str = "notifications";

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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn paths() {
        assert_eq!(Page::Home.path(), "/");
        assert_eq!(Page::Hromada("UA1".into()).path(), "/h/UA1");
        assert_eq!(Page::Staff("UA1".into()).path(), "/h/UA1/staff");
        assert_eq!(Page::SignIn.path(), "/signin");
        assert_eq!(Page::News("UA1".into()).path(), "/h/UA1/news");
        assert_eq!(Page::NewsEdit("n1".into()).path(), "/news/n1/edit");
        assert_eq!(Page::NewsNew("UA1".into()).path(), "/h/UA1/staff/news/new");
        assert_eq!(Page::Appeal("a1".into()).path(), "/appeals/a1");
        assert_eq!(Page::AppealNew("UA1".into()).path(), "/h/UA1/appeals/new");
        assert_eq!(
            Page::StaffCategories("UA1".into()).path(),
            "/h/UA1/staff/appeals/categories"
        );
    }
}
