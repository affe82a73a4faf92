//! The sections of the app, as its navigation marks them: which section an address
//! belongs to, for the app's navigation and for the server's first view alike.
//!
//! The addresses are the web app's (`src/routes.rs` writes each once; a test there checks
//! every page against [`section_of`]).

/// A part of the app with a link of its own in the navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// `/` and a hromada's own page, `/h/{katottg}`.
    Home,
    News,
    Appeals,
    Petitions,
    Budget,
    Polls,
    /// The services catalogue, answers to questions and consultations.
    Services,
    /// The hromada picker.
    Hromadas,
    /// A hromada's staff desk and everything staff edit.
    Staff,
    Admin,
    /// Sign-in, sign-up, the profile, notifications and the outbox.
    Account,
}

/// The section of the page at `path` (its query and fragment ignored); `None` for an
/// address of no section, such as a shortcut that only leads elsewhere.
pub fn section_of(path: &str) -> Option<Section> {
    use Section::*;
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    Some(match segs.as_slice() {
        [] | ["h", _] => Home,
        ["h", _, "staff", ..] => Staff,
        ["h", _, section, ..] => match *section {
            "news" => News,
            "appeals" => Appeals,
            "petitions" => Petitions,
            "budget" => Budget,
            "polls" => Polls,
            "services" | "ask" => Services,
            _ => return None,
        },
        // What staff edit; a resident's own budget project is edited in the budget.
        ["news" | "polls" | "services" | "answers", _, "edit"] => Staff,
        [first, ..] => match *first {
            "hromadas" => Hromadas,
            "signin" | "signup" | "account" | "notifications" | "outbox" => Account,
            "admin" => Admin,
            "news" => News,
            "appeals" => Appeals,
            "petitions" => Petitions,
            "budget" | "projects" => Budget,
            "polls" => Polls,
            "services" | "answers" | "consultations" => Services,
            _ => return None,
        },
    })
}

/// The `aria-current` of a navigation link to `href` on the page at `here`: `page` on the
/// page itself, `true` anywhere else in its section, none elsewhere.
pub fn current(href: &str, here: &str) -> Option<&'static str> {
    if href == here {
        return Some("page");
    }
    let section = section_of(href)?;
    (section_of(here) == Some(section)).then_some("true")
}

#[cfg(test)]
mod tests {
    use super::{Section::*, current, section_of};

    #[test]
    fn a_link_is_current_on_its_page_and_in_its_section() {
        let k = "UA12040150000034213";
        let petitions = format!("/h/{k}/petitions");
        assert_eq!(current(&petitions, &petitions), Some("page"));
        assert_eq!(current(&petitions, "/petitions/p1"), Some("true"));
        assert_eq!(
            current("/appeals", &format!("/h/{k}/appeals/new")),
            Some("true")
        );
        assert_eq!(current(&format!("/h/{k}"), "/"), Some("true"));
        assert_eq!(current(&format!("/h/{k}"), &petitions), None);
        assert_eq!(current("/appeals", &format!("/h/{k}/staff/appeals")), None);
        assert_eq!(current("/go/appeal", "/go/petitions"), None);
    }

    #[test]
    fn pages_belong_to_their_section() {
        let k = "UA12040150000034213";
        for (path, section) in [
            ("/".to_owned(), Home),
            (format!("/h/{k}"), Home),
            (format!("/h/{k}/news?q=water"), News),
            ("/news/n1".to_owned(), News),
            ("/appeals".to_owned(), Appeals),
            (format!("/h/{k}/appeals/new"), Appeals),
            ("/appeals/a1#answer".to_owned(), Appeals),
            ("/petitions/p1".to_owned(), Petitions),
            (format!("/h/{k}/petitions/new"), Petitions),
            ("/budget/c1/vote".to_owned(), Budget),
            ("/projects/p1/edit".to_owned(), Budget),
            ("/polls/p1".to_owned(), Polls),
            (format!("/h/{k}/ask"), Services),
            ("/answers/a1".to_owned(), Services),
            ("/consultations/c1".to_owned(), Services),
            ("/hromadas".to_owned(), Hromadas),
            (format!("/h/{k}/staff/appeals/categories"), Staff),
            ("/news/n1/edit".to_owned(), Staff),
            ("/polls/p1/edit".to_owned(), Staff),
            ("/admin".to_owned(), Admin),
            ("/notifications".to_owned(), Account),
            ("/signin?next=%2Fappeals".to_owned(), Account),
        ] {
            assert_eq!(section_of(&path), Some(section), "{path}");
        }
    }

    #[test]
    fn other_addresses_belong_to_none() {
        for path in ["/go/appeal", "/nowhere", "/h/x/elsewhere"] {
            assert_eq!(section_of(path), None, "{path}");
        }
    }
}
