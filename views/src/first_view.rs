//! First views: a page as the server sends it before the app has started, drawn with the
//! app's own views inside its frame ([`FirstViewFrame`]), as HTML, with its link preview
//! for the document's head.

use crate::account::{HromadaFieldWaiting, SignInForm, SignUpForm};
use crate::appeals::{
    AppealFields, AppealFormView, CategorySelect, PhotosWaiting, PositionControl,
};
use crate::budget::{BudgetTop, CyclePage, Cycles, ProjectDetails, ProjectFilter, ResultsPage};
use crate::form::FormState;
use crate::frame::{FirstViewFrame, Visit, name_in};
use crate::hromada::{
    HromadaHome, JoinCard, LatestList, LatestNews, PickerPage, PushCard, PushOff, where_is,
};
use crate::i18n::*;
use crate::news::{Article, FeedPage, Heading, category_label};
use crate::petitions::{ListFilter, PetitionPage, PetitionsPage, status_label};
use crate::polls::{PollPage, PollsPage, Tab};
use crate::preview::{Kind, Preview, PreviewTags, clip};
use crate::render::to_html;
use crate::routes::Page;
use crate::services::{AnswerDetails, ServiceDetails, ServicesPage};
use hromada_api::appeals::{AppealCategory, AppealSummary};
use hromada_api::budget::{Cycle, Project, ProjectSummary, Results as Outcome};
use hromada_api::news::{NewsItem, NewsSummary};
use hromada_api::petitions::{Petition, PetitionSummary};
use hromada_api::polls::{Poll, PollResults};
use hromada_api::services::{Answer, Centre, Service, ServiceSummary};
use hromada_api::text::hryvnias;
use hromada_api::{Hromada, HromadaSummary, Me};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// A first view: the tags of the document's head, and the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstView {
    pub head: String,
    pub body: String,
    /// The hromada the page belongs to, which the app's start is told (its alerts come
    /// before the app's page takes the first view's place).
    pub katottg: Option<String>,
}

/// Renders a page: `preview` for the head, and `page` inside the frame.
fn render<V: IntoView + 'static>(
    locale: Locale,
    visit: Visit,
    preview: impl FnOnce(I18nContext<Locale>) -> Preview + Send + 'static,
    page: impl FnOnce() -> V + Send + 'static,
) -> FirstView {
    let public_url = visit.public_url.clone();
    let katottg = visit.place.as_ref().map(|h| h.katottg.clone());
    let head = to_html(locale, move || {
        let preview = preview(use_i18n());
        view! { <PreviewTags preview public_url /> }
    });
    let body = to_html(locale, move || {
        view! { <FirstViewFrame visit>{page()}</FirstViewFrame> }
    });
    FirstView {
        head,
        body,
        katottg,
    }
}

/// "Херсонська громада", in the current language.
fn hromada_title(i18n: I18nContext<Locale>, name: &str) -> String {
    format!(
        "{} {}",
        name_in(i18n, name),
        t_string!(i18n, hromada.hromada_word)
    )
}

/// The hromada of the visit, by name, for the titles of its sections.
fn place_title(i18n: I18nContext<Locale>, visit: &Visit) -> String {
    visit
        .place
        .as_ref()
        .map(|h| hromada_title(i18n, &h.name))
        .unwrap_or_default()
}

/// `/` and `/hromadas`: choosing a hromada, with the first of them listed.
pub fn start(locale: Locale, visit: Visit, items: Vec<HromadaSummary>, more: bool) -> FirstView {
    let path = visit.here.clone();
    render(
        locale,
        visit,
        move |i18n| Preview {
            title: t_string!(i18n, hromada.pick_title).to_owned(),
            description: t_string!(i18n, app.description).to_owned(),
            kind: Kind::Website,
            path,
            image: None,
        },
        move || view! { <PickerPage items more /> },
    )
}

/// `/signin`, its fields disabled until the app has started.
pub fn sign_in(locale: Locale, visit: Visit) -> FirstView {
    render(
        locale,
        visit,
        move |i18n| Preview {
            title: t_string!(i18n, account.sign_in_title).to_owned(),
            description: t_string!(i18n, app.description).to_owned(),
            kind: Kind::Website,
            path: Page::SignIn.path(),
            image: None,
        },
        move || {
            let (email, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
            view! { <SignInForm form=FormState::new() email password /> }
        },
    )
}

/// `/signup`, its fields disabled until the app has started.
pub fn sign_up(locale: Locale, visit: Visit) -> FirstView {
    // The app fills in the hromada the visitor chose last.
    let chosen = visit.place.clone();
    render(
        locale,
        visit,
        move |i18n| Preview {
            title: t_string!(i18n, account.sign_up_title).to_owned(),
            description: t_string!(i18n, account.sign_up_lead).to_owned(),
            kind: Kind::Website,
            path: Page::SignUp.path(),
            image: None,
        },
        move || {
            let field = || RwSignal::new(String::new());
            view! {
                <SignUpForm form=FormState::new() email=field() password=field() full_name=field()
                    address=field() hromada=view! { <HromadaFieldWaiting chosen /> }.into_any() />
            }
        },
    )
}

/// `/h/{katottg}`: the hromada's page, with its latest news.
pub fn hromada(locale: Locale, visit: Visit, h: Hromada, news: Vec<NewsSummary>) -> FirstView {
    let guest = visit.me.is_none();
    let (name, raion, oblast, k) = (
        h.name.clone(),
        h.raion.clone(),
        h.oblast.clone(),
        h.katottg.clone(),
    );
    render(
        locale,
        visit,
        move |i18n| Preview {
            title: hromada_title(i18n, &name),
            description: format!(
                "{}. {}",
                where_is(i18n, &raion, &oblast),
                t_string!(i18n, app.description)
            ),
            kind: Kind::Website,
            path: Page::Hromada(k).path(),
            image: None,
        },
        move || {
            let k = h.katottg.clone();
            let push = view! {
                <PushCard><PushOff info=RwSignal::new(false) /></PushCard>
            }
            .into_any();
            let latest =
                view! { <LatestNews katottg=k><LatestList items=news /></LatestNews> }.into_any();
            let you = guest.then(|| view! { <JoinCard /> }).into_any();
            view! { <HromadaHome h push latest you /> }
        },
    )
}

/// `/h/{katottg}/news`, with the category and the words the address holds.
pub fn news_feed(
    locale: Locale,
    visit: Visit,
    katottg: String,
    category: Option<String>,
    q: String,
    items: Vec<NewsSummary>,
) -> FirstView {
    let path = {
        let mut p = Page::News(katottg.clone()).path();
        let mut sep = '?';
        if let Some(c) = &category {
            p.push_str(&format!("{sep}category={c}"));
            sep = '&';
        }
        if !q.is_empty() {
            p.push_str(&format!(
                "{sep}q={}",
                crate::routes::encode_uri_component(&q)
            ));
        }
        p
    };
    let place = visit.clone();
    let chosen = category
        .as_deref()
        .and_then(hromada_api::news::NewsCategory::from_code);
    let titles: Vec<String> = items.iter().take(5).map(|n| n.title.clone()).collect();
    render(
        locale,
        visit,
        move |i18n| Preview {
            title: match chosen {
                Some(c) => format!(
                    "{} · {}",
                    category_label(i18n, c),
                    place_title(i18n, &place)
                ),
                None => format!(
                    "{} · {}",
                    t_string!(i18n, news.title),
                    place_title(i18n, &place)
                ),
            },
            description: items_or(i18n, &titles),
            kind: Kind::Website,
            path,
            image: None,
        },
        move || view! { <FeedPage katottg category q items /> },
    )
}

/// The description of a list: its first items' titles, or the product's own.
fn items_or(i18n: I18nContext<Locale>, titles: &[String]) -> String {
    if titles.is_empty() {
        t_string!(i18n, app.description).to_owned()
    } else {
        titles.join(" · ")
    }
}

/// `/news/{id}`.
pub fn news_item(locale: Locale, visit: Visit, n: NewsItem) -> FirstView {
    let s = n.summary.clone();
    render(
        locale,
        visit,
        move |_| Preview {
            description: if s.summary.is_empty() {
                s.title.clone()
            } else {
                s.summary.clone()
            },
            title: s.title,
            kind: Kind::Article,
            path: Page::NewsItem(s.id).path(),
            image: s
                .cover
                .as_ref()
                .and_then(|c| c.fit(1024))
                .map(|c| c.url.clone()),
        },
        move || {
            let title = n.summary.title.clone();
            view! {
                <Article n heading=view! { <Heading text=title /> }.into_any() can_edit=false />
            }
        },
    )
}

/// `/petitions/{id}`: its description says how many have signed of how many are needed.
pub fn petition(locale: Locale, visit: Visit, p: Petition) -> FirstView {
    let signed_in = visit.me.is_some();
    let s = p.summary.clone();
    let text = p.text.clone();
    render(
        locale,
        visit,
        move |i18n| Preview {
            description: format!(
                "{} · {}. {}",
                status_label(i18n, s.status),
                t_string!(
                    i18n,
                    petitions.count_of,
                    count = s.signatures,
                    needed = s.needed
                ),
                clip(&text, 160)
            ),
            title: s.title,
            kind: Kind::Article,
            path: Page::Petition(s.id).path(),
            image: None,
        },
        move || view! { <PetitionPage p signed_in /> },
    )
}

/// `/h/{katottg}/petitions`, with the tab, the order and the words its address holds.
pub fn petitions(
    locale: Locale,
    visit: Visit,
    katottg: String,
    filter: ListFilter,
    items: Vec<PetitionSummary>,
) -> FirstView {
    let place = visit.clone();
    let path = filter.href(&katottg);
    let titles: Vec<String> = items.iter().take(5).map(|p| p.title.clone()).collect();
    let status = filter.status;
    render(
        locale,
        visit,
        move |i18n| Preview {
            title: format!(
                "{} · {} · {}",
                t_string!(i18n, petitions.title),
                status_label(i18n, status),
                place_title(i18n, &place)
            ),
            description: items_or(i18n, &titles),
            kind: Kind::Website,
            path,
            image: None,
        },
        move || view! { <PetitionsPage katottg filter items /> },
    )
}

/// `/h/{katottg}/polls?state=`: the active or the past polls.
pub fn polls(
    locale: Locale,
    visit: Visit,
    katottg: String,
    tab: Tab,
    items: Vec<Poll>,
) -> FirstView {
    let place = visit.clone();
    let titles: Vec<String> = items.iter().take(5).map(|p| p.title.clone()).collect();
    let path = format!(
        "{}?state={}",
        Page::Polls(katottg.clone()).path(),
        tab.code()
    );
    render(
        locale,
        visit,
        move |i18n| Preview {
            title: format!(
                "{} · {}",
                t_string!(i18n, polls.title),
                place_title(i18n, &place)
            ),
            description: if titles.is_empty() {
                t_string!(i18n, polls.lead).to_owned()
            } else {
                titles.join(" · ")
            },
            kind: Kind::Website,
            path,
            image: None,
        },
        move || view! { <PollsPage katottg tab items /> },
    )
}

/// `/polls/{id}`: a poll, with its results where they are public.
pub fn poll(locale: Locale, visit: Visit, p: Poll, results: Option<PollResults>) -> FirstView {
    let (title, intro, id, status, responses) = (
        p.title.clone(),
        p.intro.clone(),
        p.id.clone(),
        p.status,
        p.responses,
    );
    render(
        locale,
        visit,
        move |i18n| Preview {
            description: format!(
                "{} · {}. {}",
                crate::polls::status_label(i18n, status),
                t_string!(i18n, polls.responses, count = responses),
                clip(&intro, 160)
            ),
            title,
            kind: Kind::Article,
            path: Page::Poll(id).path(),
            image: None,
        },
        move || view! { <PollPage p results /> },
    )
}

/// `/h/{katottg}/services`: the catalogue, the centre and the frequent questions.
pub fn services(
    locale: Locale,
    visit: Visit,
    katottg: String,
    centre: Option<Centre>,
    list: Vec<ServiceSummary>,
    answers: Vec<Answer>,
) -> FirstView {
    let place = visit.clone();
    let path = Page::Services(katottg.clone()).path();
    render(
        locale,
        visit,
        move |i18n| Preview {
            title: format!(
                "{} · {}",
                t_string!(i18n, services.title),
                place_title(i18n, &place)
            ),
            description: t_string!(i18n, services.lead).to_owned(),
            kind: Kind::Website,
            path,
            image: None,
        },
        move || view! { <ServicesPage katottg centre services=list answers /> },
    )
}

/// `/services/{id}`: a service with everything needed to apply.
pub fn service(locale: Locale, visit: Visit, s: Service) -> FirstView {
    let (title, purpose, id) = (
        s.summary.title.clone(),
        s.summary.purpose.clone(),
        s.summary.id.clone(),
    );
    render(
        locale,
        visit,
        move |_| Preview {
            title,
            description: purpose,
            kind: Kind::Article,
            path: Page::Service(id).path(),
            image: None,
        },
        move || view! { <ServiceDetails s /> },
    )
}

/// `/answers/{id}`: one frequent question and its answer.
pub fn answer(locale: Locale, visit: Visit, a: Answer) -> FirstView {
    let (title, text, id) = (a.question.clone(), a.answer.clone(), a.id.clone());
    render(
        locale,
        visit,
        move |_| Preview {
            title,
            description: text,
            kind: Kind::Article,
            path: Page::Answer(id).path(),
            image: None,
        },
        move || view! { <AnswerDetails a /> },
    )
}

/// `/h/{katottg}/budget`: the cycles, the current one in full.
pub fn budget(locale: Locale, visit: Visit, katottg: String, cycles: Vec<Cycle>) -> FirstView {
    let place = visit.clone();
    render(
        locale,
        visit,
        move |i18n| Preview {
            title: format!(
                "{} · {}",
                t_string!(i18n, budget.title),
                place_title(i18n, &place)
            ),
            description: t_string!(i18n, budget.lead).to_owned(),
            kind: Kind::Website,
            path: Page::Budget(katottg).path(),
            image: None,
        },
        move || view! { <BudgetTop /> <Cycles cycles /> },
    )
}

/// `/budget/{id}`: a cycle and its projects, filtered as the address says.
pub fn cycle(
    locale: Locale,
    visit: Visit,
    c: Cycle,
    filter: ProjectFilter,
    list: Vec<ProjectSummary>,
) -> FirstView {
    let (title, total, path) = (c.title.clone(), c.total, filter.href(&c.id));
    let phase = c.phase;
    let count = c.projects;
    render(
        locale,
        visit,
        move |i18n| Preview {
            description: format!(
                "{} · {} · {}",
                crate::budget::phase_label(i18n, phase),
                hryvnias(total),
                t_string!(i18n, budget.projects_count, count = count)
            ),
            title,
            kind: Kind::Website,
            path,
            image: None,
        },
        move || view! { <CyclePage c filter list /> },
    )
}

/// `/budget/{id}/results`: the projects ranked by votes and the funding line.
pub fn results(locale: Locale, visit: Visit, c: Cycle, r: Option<Outcome>) -> FirstView {
    let (title, id) = (c.title.clone(), c.id.clone());
    let summary = r.as_ref().map(|r| (r.funded_cost, r.total, r.voters));
    render(
        locale,
        visit,
        move |i18n| Preview {
            title: format!("{} · {title}", t_string!(i18n, budget.results_title)),
            description: match summary {
                Some((spent, total, voters)) => format!(
                    "{} · {} {voters}",
                    t_string!(
                        i18n,
                        budget.funding_line,
                        spent = hryvnias(spent),
                        total = hryvnias(total)
                    ),
                    t_string!(i18n, budget.voters),
                ),
                None => t_string!(i18n, budget.results_later).to_owned(),
            },
            kind: Kind::Article,
            path: Page::BudgetResults(id).path(),
            image: None,
        },
        move || view! { <ResultsPage c r /> },
    )
}

/// `/projects/{id}`: a participatory-budget project, the link its author shares.
pub fn project(locale: Locale, visit: Visit, p: Project, c: Cycle) -> FirstView {
    let s = p.summary.clone();
    let description = p.description.clone();
    let image = p.images.first().map(|i| i.url.clone());
    render(
        locale,
        visit,
        move |i18n| Preview {
            description: format!(
                "{} · {}. {}",
                crate::budget::category_label(i18n, s.category),
                hryvnias(s.cost),
                clip(&description, 160)
            ),
            title: s.title,
            kind: Kind::Article,
            path: Page::BudgetProject(s.id).path(),
            image,
        },
        move || view! { <ProjectDetails p c /> },
    )
}

/// `/h/{katottg}/appeals`: the appeals residents made public.
pub fn public_appeals(
    locale: Locale,
    visit: Visit,
    katottg: String,
    items: Vec<AppealSummary>,
) -> FirstView {
    let place = visit.clone();
    let path = Page::PublicAppeals(katottg.clone()).path();
    render(
        locale,
        visit,
        move |i18n| Preview {
            title: format!(
                "{} · {}",
                t_string!(i18n, appeals.public_title),
                place_title(i18n, &place)
            ),
            description: t_string!(i18n, appeals.public_intro).to_owned(),
            kind: Kind::Website,
            path,
            image: None,
        },
        move || view! { <crate::appeals::PublicPage katottg items /> },
    )
}

/// `/h/{katottg}/appeals/new`. For a guest, anonymous appeals are not considered, so the
/// page asks to sign in first. For a signed-in person (`form`: who they are and the
/// hromada's categories), the form, empty but for their contacts, disabled until the app
/// has started (it then restores their draft, if any).
pub fn appeal_new(
    locale: Locale,
    visit: Visit,
    katottg: String,
    form: Option<(Me, Vec<AppealCategory>)>,
) -> FirstView {
    let place = visit.clone();
    render(
        locale,
        visit,
        move |i18n| Preview {
            title: format!(
                "{} · {}",
                t_string!(i18n, appeals.new_title),
                place_title(i18n, &place)
            ),
            description: t_string!(i18n, appeals.home_text).to_owned(),
            kind: Kind::Website,
            path: Page::AppealNew(katottg).path(),
            image: None,
        },
        move || {
            let Some((me, categories)) = form else {
                return view! { <crate::appeals::SignInFirst /> }.into_any();
            };
            let i18n = use_i18n();
            let form = FormState::new();
            let fields = AppealFields::with_contacts(&me.full_name, &me.address, &me.email);
            let categories = view! {
                <CategorySelect form category=fields.category list=categories disabled=true />
            }
            .into_any();
            let position = view! { <PositionControl position=fields.position /> }.into_any();
            let photos = view! { <PhotosWaiting /> }.into_any();
            view! {
                <Heading text=Signal::derive(move || t_string!(i18n, appeals.new_title).to_string()) />
                <AppealFormView form fields categories position photos />
            }
            .into_any()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_api::news::{Block, Inline};

    #[test]
    fn article_is_text_with_only_safe_links_and_pictures() {
        use hromada_api::news::{NewsCategory, NewsStatus};
        let run = |text: &str, href: Option<&str>| Inline {
            text: text.into(),
            strong: false,
            emphasis: false,
            href: href.map(Into::into),
        };
        let n = NewsItem {
            summary: NewsSummary {
                id: "n1".into(),
                katottg: "UA1".into(),
                title: "<b>Вода</b> & світло".into(),
                summary: "Графік".into(),
                category: NewsCategory::Utilities,
                cover: None,
                status: NewsStatus::Published,
                published_at: Some("2026-07-01T09:00:00Z".into()),
                updated_at: "2026-07-01T09:00:00Z".into(),
            },
            body: vec![
                Block::Heading {
                    level: 2,
                    content: vec![run("Де", None)],
                },
                Block::Paragraph {
                    content: vec![
                        run("<script>x</script>", None),
                        run("сайт", Some("https://example.org/a?b=1&c=2")),
                        run("погано", Some("javascript:alert(1)")),
                        Inline {
                            text: "важливо".into(),
                            strong: true,
                            emphasis: true,
                            href: Some("/h/UA1".into()),
                        },
                    ],
                },
                Block::List {
                    ordered: true,
                    items: vec![vec![run("один", None)], vec![run("два", None)]],
                },
                Block::Image {
                    src: "/api/v1/media/m1".into(),
                    alt: "\"схема\"".into(),
                },
                Block::Image {
                    src: "http://example.org/x.png".into(),
                    alt: "no".into(),
                },
            ],
            body_source: None,
        };
        let html = news_item(Locale::uk, Visit::default(), n)
            .body
            .replace("<!>", "");
        assert!(html.contains(r#"<h1 tabindex="-1">&lt;b&gt;Вода&lt;/b&gt; &amp; світло</h1>"#));
        assert!(html.contains(r#"<p class="lead">Графік</p>"#));
        assert!(html.contains(r#"<a href="/h/UA1/news?category=utilities">"#));
        assert!(html.contains("<time datetime=\"2026-07-01T09:00:00Z\">01.07.2026, 12:00</time>"));
        assert!(html.contains("<h2>Де</h2>"));
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(html.contains(
            r#"<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">сайт</a>"#
        ));
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("погано"));
        assert!(html.contains(r#"<a href="/h/UA1"><strong><em>важливо</em></strong></a>"#));
        assert!(html.contains("<ol><li>один</li><li>два</li></ol>"));
        assert!(html.contains(
            r#"<img src="/api/v1/media/m1" alt="&quot;схема&quot;" loading="lazy" class="body-image">"#
        ));
        assert!(!html.contains("http://example.org/x.png"), "{html}");
        assert!(html.contains(r#"<a href="/h/UA1/news" class="button button-secondary">"#));
        assert!(!html.contains("<script"), "{html}");
    }
}

#[cfg(test)]
mod frame_tests {
    use super::*;
    use hromada_api::HromadaRef;

    #[test]
    fn the_frame_starts_with_the_skip_link_and_marks_the_section() {
        let visit = Visit {
            place: Some(HromadaRef {
                katottg: "UA65100150000057191".into(),
                name: "Херсонська".into(),
            }),
            here: "/h/UA65100150000057191/news".into(),
            ..Visit::default()
        };
        let html = news_feed(
            Locale::en,
            visit,
            "UA65100150000057191".into(),
            Some("safety".into()),
            "вода".into(),
            vec![],
        )
        .body
        .replace("<!>", "");
        assert!(
            html.starts_with(r##"<a href="#main" class="skip-link">Skip to content</a>"##),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="/h/UA65100150000057191/news" aria-current="page">"#),
            "{html}"
        );
        assert!(html.contains(r#"class="place">Khersonska</a>"#), "{html}");
        assert!(
            html.contains(r#"<a href="/signin" class="button button-small">Sign in</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"value="вода""#), "{html}");
        assert!(
            html.contains(r#"<input type="hidden" name="category" value="safety">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"aria-pressed="true" disabled class="lang">English"#),
            "{html}"
        );
        assert!(!html.contains(r#"class="""#), "{html}");
    }
}

#[cfg(test)]
mod page_tests {
    use super::*;
    use hromada_api::budget::{Cycle, Project};

    fn cycle(phase: &str) -> Cycle {
        serde_json::from_value(serde_json::json!({
            "id": "c1", "katottg": "UA1", "year": 2026, "title": "Бюджет <2026>",
            "total": 5_000_000,
            "dates": {"submission": "2026-01-01", "review": "2026-02-01", "voting": "2026-03-01",
                      "results": "2026-04-01", "implementation": "2026-05-01"},
            "rule": {"kind": "fit_budget"}, "phase": phase, "projects": 3
        }))
        .expect("a cycle")
    }

    fn project() -> Project {
        serde_json::from_value(serde_json::json!({
            "id": "p1", "cycle_id": "c1", "title": "Сквер & <лава>", "category": "environment",
            "address": "вул. Поповича, 15", "author_name": "Олена", "cost": 1_250_000,
            "status": "accepted", "submitted_at": "2026-01-15T10:00:00Z",
            "description": "Перший абзац.\n\n<script>x</script>",
            "cost_lines": [{"item": "Лави", "amount": 250_000}, {"item": "Дерева", "amount": 1_000_000}],
            "images": [{"id": "i1", "url": "/api/v1/media/i1", "thumbnail_url": "/api/v1/media/i1?w=160"}],
            "cost_note": "Без фонтану"
        }))
        .expect("a project")
    }

    fn visit() -> Visit {
        Visit {
            public_url: "https://h.example.org".into(),
            ..Visit::default()
        }
    }

    #[test]
    fn a_project_as_a_guest_sees_it_with_its_preview() {
        let page = super::project(Locale::uk, visit(), project(), cycle("voting"));
        let html = page.body.replace("<!>", "");
        assert!(
            html.contains(r#"<h1 tabindex="-1">Сквер &amp; &lt;лава&gt;</h1>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="/budget/c1">Бюджет &lt;2026&gt;</a>"#),
            "{html}"
        );
        assert!(
            html.contains("<strong>₴\u{a0}1\u{202f}250\u{202f}000</strong>"),
            "{html}"
        );
        assert!(html.contains(r#"<p class="appeal-text">Перший абзац.</p><p class="appeal-text">&lt;script&gt;x&lt;/script&gt;</p>"#), "{html}");
        assert!(
            html.contains(r#"<a href="/budget/c1/vote" class="button button-big">"#),
            "{html}"
        );
        assert!(
            html.contains("<td>Лави</td>") && html.contains("Без фонтану"),
            "{html}"
        );
        assert!(html.contains(r#"alt="Зображення проєкту 1""#), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(
            !html.contains(r#"class="milestones""#),
            "no implementation before funding"
        );
        let head = page.head;
        assert!(
            head.starts_with("<title>Сквер &amp; &lt;лава&gt; · Громада</title>"),
            "{head}"
        );
        assert!(
            head.contains(
                r#"<meta property="og:url" content="https://h.example.org/projects/p1">"#
            ),
            "{head}"
        );
        assert!(
            head.contains(
                r#"<meta property="og:image" content="https://h.example.org/api/v1/media/i1">"#
            ),
            "{head}"
        );
        assert!(
            head.contains(r#"<meta property="og:type" content="article">"#),
            "{head}"
        );
        assert!(
            head.contains(r#"<meta property="og:locale" content="uk_UA">"#),
            "{head}"
        );
        assert!(
            head.contains(r#"<meta name="twitter:card" content="summary_large_image">"#),
            "{head}"
        );
        assert!(head.contains("Довкілля"), "{head}");

        // Funded and under way: the badge says so, the progress and milestones show, and
        // there is nothing to vote for any more.
        let mut p = project();
        p.summary.funded = Some(true);
        p.summary.votes = Some(412);
        p.summary.progress = Some(40);
        p.rank = Some(2);
        p.milestones = serde_json::from_value(serde_json::json!([
            {"title": "Проєкт", "date": "2026-06-01", "done": true},
            {"title": "Будівництво", "date": "2026-09-01", "done": false}
        ]))
        .expect("milestones");
        let html = super::project(Locale::en, visit(), p, cycle("implementation"))
            .body
            .replace("<!>", "");
        assert!(
            html.contains(r#"<span class="badge badge-ok">Funded</span>"#),
            "{html}"
        );
        assert!(
            html.contains("<dd>412</dd>") && html.contains("<dd>2</dd>"),
            "{html}"
        );
        assert!(html.contains(r#"<progress max="100" value="40""#), "{html}");
        assert!(
            html.contains(r#"<li class="done">"#) && html.contains("01.09.2026"),
            "{html}"
        );
        assert!(!html.contains("/vote"), "{html}");
    }

    #[test]
    fn a_petition_says_how_many_signed_of_how_many_are_needed() {
        let p: Petition = serde_json::from_value(serde_json::json!({
            "id": "p1", "katottg": "UA1", "title": "Освітлення <парку>", "author_name": "Олена",
            "status": "collecting", "signatures": 37, "needed": 250,
            "submitted_at": "2026-11-01T10:00:00Z", "published_at": "2026-11-02T10:00:00Z",
            "ends_at": "2026-12-31T10:00:00Z",
            "text": "Просимо встановити ліхтарі вздовж алеї.", "author_email": "o@example.org"
        }))
        .expect("a petition");
        let page = petition(Locale::en, visit(), p);
        let head = page.head.replace("<!>", "");
        assert!(head.contains("37 of 250 signatures"), "{head}");
        assert!(head.contains(r#"<meta name="description" content="Collecting signatures · 37 of 250 signatures. Просимо"#) || head.contains("37 of 250 signatures. Просимо"), "{head}");
        assert!(
            head.contains(r#"<meta name="twitter:card" content="summary">"#),
            "{head}"
        );
        assert!(!head.contains("og:image"), "{head}");
        let html = page.body.replace("<!>", "");
        // A guest is shown the way to sign in and come back; the share button waits.
        assert!(
            html.contains(r#"href="/signin?next=%2Fpetitions%2Fp1""#),
            "{html}"
        );
        assert!(
            html.contains(r#"<button type="button" disabled class="button button-secondary">"#),
            "{html}"
        );
    }

    #[test]
    fn the_petitions_list_holds_its_filter_with_its_controls_disabled() {
        use hromada_api::petitions::{PetitionSort, PetitionStatus};
        let filter = ListFilter {
            status: PetitionStatus::Answered,
            sort: PetitionSort::MostSigned,
            q: "світло & вода".into(),
        };
        let page = petitions(Locale::uk, visit(), "UA1".into(), filter, vec![]);
        let html = page.body.replace("<!>", "");
        assert!(html.contains(r#"href="/h/UA1/petitions?status=answered&amp;sort=most_signed&amp;q=%D1%81%D0%B2%D1%96%D1%82%D0%BB%D0%BE%20%26%20%D0%B2%D0%BE%D0%B4%D0%B0" aria-current="page""#), "{html}");
        assert!(html.contains(r#"value="світло &amp; вода""#), "{html}");
        assert!(
            html.contains(r#"<option value="most_signed" selected>"#),
            "{html}"
        );
        let controls = ["<input id", "<select", "<button"]
            .iter()
            .map(|t| html.matches(t).count())
            .sum::<usize>();
        let disabled = html.matches(" disabled").count();
        assert!(
            controls >= 3 && disabled >= controls,
            "{disabled} of {controls}: {html}"
        );
        assert!(page.head.contains(r#"content="https://h.example.org/h/UA1/petitions?status=answered&amp;sort=most_signed&amp;q="#), "{}", page.head);
    }
}
