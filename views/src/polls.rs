//! Polls and surveys: labels, a card of the list, the list's tabs, a poll's head and
//! questions, and its results as charts with tables.

use crate::charts::BarChart;
use crate::format::date_time;
use crate::i18n::*;
use crate::news::{Empty, Heading, ListHeading};
use crate::routes::{Page, sign_in_then};
use hromada_api::polls::{
    Audience, Poll, PollKind, PollResults, PollStatus, Question, QuestionKind, QuestionResult,
    ResultsShown, SCALE_MAX,
};
use hromada_api::text::paragraphs;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The name of a status.
pub fn status_label(i18n: I18nContext<Locale>, s: PollStatus) -> String {
    match s {
        PollStatus::Draft => t_string!(i18n, polls.status_draft),
        PollStatus::Scheduled => t_string!(i18n, polls.status_scheduled),
        PollStatus::Open => t_string!(i18n, polls.status_open),
        PollStatus::Closed => t_string!(i18n, polls.status_closed),
    }
    .to_string()
}

/// The name of a kind: a poll or a survey.
pub fn kind_label(i18n: I18nContext<Locale>, k: PollKind) -> String {
    match k {
        PollKind::Poll => t_string!(i18n, polls.kind_poll),
        PollKind::Survey => t_string!(i18n, polls.kind_survey),
    }
    .to_string()
}

/// Whether the list shows the polls that are on (scheduled and open) or the past ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Active,
    Past,
}

impl Tab {
    /// The code used in URLs (`?state=`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Past => "past",
        }
    }

    /// The tab of an address's `state`; anything else is the active one.
    pub fn from_code(code: &str) -> Self {
        if code == "past" {
            Self::Past
        } else {
            Self::Active
        }
    }
}

/// A poll in a list.
#[component]
pub fn PollCard(p: Poll) -> impl IntoView {
    let i18n = use_i18n();
    let (kind, status, responses) = (p.kind, p.status, p.responses);
    let title = p.title.clone();
    let (opens, closes) = (date_time(&p.opens_at), date_time(&p.closes_at));
    let when = move || match status {
        PollStatus::Scheduled => t_string!(i18n, polls.opens, at = opens.clone()).to_string(),
        PollStatus::Closed => t_string!(i18n, polls.closed_at, at = closes.clone()).to_string(),
        _ => t_string!(i18n, polls.closes, at = closes.clone()).to_string(),
    };
    view! {
        <li class="card">
            <h3><a href=Page::Poll(p.id.clone()).path()>{title}</a></h3>
            <p class="meta">
                <span class="badge">{move || kind_label(i18n, kind)}</span>" "
                <span class=format!("badge poll-{}", status.code())>{move || status_label(i18n, status)}</span>
                {p.answered.then(|| view! { " "<span class="badge badge-ok">{t!(i18n, polls.you_answered_short)}</span> })}
            </p>
            <p class="meta">{when}" · "{move || t_string!(i18n, polls.responses, count = responses).to_string()}</p>
        </li>
    }
}

/// The polls list's title, lead and tabs; `staff` is the staff's way to their desk.
#[component]
pub fn PollsTop(
    #[prop(into)] katottg: Signal<String>,
    #[prop(into)] tab: Signal<Tab>,
    #[prop(optional)] staff: Option<AnyView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chip = move |s: Tab| {
        view! {
            <a class="chip" href=move || format!("{}?state={}", Page::Polls(katottg.get()).path(), s.code())
                aria-current=move || (tab.get() == s).then_some("page")>
                {move || match s {
                    Tab::Active => t_string!(i18n, polls.active),
                    Tab::Past => t_string!(i18n, polls.past),
                }}
            </a>
        }
    };
    view! {
        <Heading text=Signal::derive(move || t_string!(i18n, polls.title).to_string()) />
        <p class="lead">{t!(i18n, polls.lead)}</p>
        {staff}
        <nav class="chips tabs" aria-label=move || t_string!(i18n, polls.title).to_string()>
            {chip(Tab::Active)}
            {chip(Tab::Past)}
        </nav>
    }
}

/// The polls list before the app has started.
#[component]
pub fn PollsPage(katottg: String, tab: Tab, items: Vec<Poll>) -> impl IntoView {
    let i18n = use_i18n();
    let list = if items.is_empty() {
        view! { <Empty>{t!(i18n, polls.none)}</Empty> }.into_any()
    } else {
        view! {
            <ListHeading />
            <ul class="cards">{items.into_iter().map(|p| view! { <PollCard p /> }).collect_view()}</ul>
        }
        .into_any()
    };
    view! {
        <PollsTop katottg tab />
        {list}
    }
}

/// A poll's title, kind, state, responses, period and audience.
#[component]
pub fn PollHead(p: Poll) -> impl IntoView {
    let i18n = use_i18n();
    let title = p.title.clone();
    let (kind, status, responses, audience) = (p.kind, p.status, p.responses, p.audience);
    let (from, until) = (date_time(&p.opens_at), date_time(&p.closes_at));
    view! {
        <Heading text=Signal::derive(move || title.clone()) />
        <p class="meta">
            <span class="badge">{move || kind_label(i18n, kind)}</span>" "
            <span class=format!("badge poll-{}", status.code())>{move || status_label(i18n, status)}</span>
            " · "{move || t_string!(i18n, polls.responses, count = responses).to_string()}
        </p>
        <p class="meta">
            {move || t_string!(i18n, polls.period, from = from.clone(), until = until.clone()).to_string()}
            " · "{move || if audience == Audience::Verified { t_string!(i18n, polls.audience_verified) } else { t_string!(i18n, polls.audience_signed_in) }}
        </p>
    }
}

/// A poll's introduction.
#[component]
pub fn Intro(text: String) -> impl IntoView {
    paragraphs(&text)
        .into_iter()
        .map(|x| view! { <p class="appeal-text">{x}</p> })
        .collect_view()
}

/// The questions as read-only text, for whoever cannot answer now.
#[component]
pub fn Questions(questions: Vec<Question>) -> impl IntoView {
    view! {
        <ol class="questions-read">
            {questions.into_iter().map(|q| {
                let options = match &q.kind {
                    QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => options.clone(),
                    _ => vec![],
                };
                view! {
                    <li><strong>{q.title}</strong>
                        {(!options.is_empty()).then(|| view! { <ul>{options.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}</ul> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// A guest on an open poll: sign in (and come back) to answer; the questions below.
#[component]
pub fn SignInToAnswer(id: String, questions: Vec<Question>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card">
            <p>{t!(i18n, polls.sign_in_to_answer)}</p>
            <p class="actions"><a href=sign_in_then(&Page::Poll(id).path()) class="button">{t!(i18n, nav.sign_in)}</a></p>
        </div>
        <Questions questions />
    }
}

/// A poll that cannot be answered now (not yet open, closed, or a draft), and its
/// questions.
#[component]
pub fn NotOpen(p: Poll) -> impl IntoView {
    let i18n = use_i18n();
    let status = p.status;
    let opens = date_time(&p.opens_at);
    view! {
        <p class="card" id="not-open">{move || match status {
            PollStatus::Scheduled => t_string!(i18n, polls.not_yet, at = opens.clone()).to_string(),
            PollStatus::Draft => t_string!(i18n, polls.preview_note).to_string(),
            _ => t_string!(i18n, polls.closed_note).to_string(),
        }}</p>
        <Questions questions=p.questions />
    }
}

/// When the results will be shown, for a poll whose results are not public yet.
#[component]
pub fn ResultsLater(p: Poll) -> impl IntoView {
    let i18n = use_i18n();
    let after_answer = p.results_shown == ResultsShown::AfterAnswer && p.status == PollStatus::Open;
    let at = date_time(&p.closes_at);
    view! {
        <p class="hint" id="results-later">{move || if after_answer {
            t_string!(i18n, polls.results_after_answer).to_string()
        } else {
            t_string!(i18n, polls.results_after_close, at = at.clone()).to_string()
        }}</p>
    }
}

/// The results section around what it shows (`children`).
#[component]
pub fn ResultsSection(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="results-h">
            <h2 id="results-h">{t!(i18n, polls.results)}</h2>
            {children()}
        </section>
    }
}

/// The results: a chart and a table per choice question, counts and the average of a
/// scale, and for a text question its count and what `texts` draws for it (the app's
/// paged answers).
#[component]
pub fn Figures(
    questions: Vec<Question>,
    r: PollResults,
    #[prop(optional)] texts: Option<Callback<usize, AnyView>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let responses = r.responses;
    view! {
        <p class="meta">{move || t_string!(i18n, polls.responses, count = responses).to_string()}</p>
        {questions.into_iter().zip(r.questions).enumerate().map(|(i, (q, res))| {
            let title = q.title.clone();
            let body = match (q.kind, res) {
                (QuestionKind::Single { options } | QuestionKind::Multiple { options, .. }, QuestionResult::Choice { counts, answered }) => view! {
                    <p class="meta">{move || t_string!(i18n, polls.answered_count, count = answered).to_string()}</p>
                    <BarChart caption=title.clone() labels=options counts total=answered />
                }.into_any(),
                (QuestionKind::Scale, QuestionResult::Scale { counts, answered, average_x100 }) => {
                    let average = move || match average_x100 {
                        Some(a) => {
                            let text = format!("{}.{:02}", a / 100, a % 100);
                            let text = if i18n.get_locale() == Locale::uk { text.replace('.', ",") } else { text };
                            t_string!(i18n, polls.average, average = text).to_string()
                        }
                        None => t_string!(i18n, polls.no_answers).to_string(),
                    };
                    view! {
                        <p class="scale-average">{average}</p>
                        <BarChart caption=title.clone() labels=(1..=SCALE_MAX).map(|v| v.to_string()).collect() counts total=answered />
                    }.into_any()
                }
                (QuestionKind::Text, QuestionResult::Text { answered }) => view! {
                    <p class="meta">{move || t_string!(i18n, polls.answered_count, count = answered).to_string()}</p>
                    {texts.map(|t| t.run(i))}
                }.into_any(),
                _ => ().into_any(),
            };
            view! {
                <section class="card result-card" aria-labelledby=format!("r-{i}-h")>
                    <h3 id=format!("r-{i}-h")>{title.clone()}</h3>
                    {body}
                </section>
            }
        }).collect_view()}
    }
}

/// A poll before the app has started, as a guest sees it: its head and introduction, the
/// way to sign in to answer (or why it cannot be answered), its questions, and its
/// results where they are public.
#[component]
pub fn PollPage(p: Poll, results: Option<PollResults>) -> impl IntoView {
    let answer = if p.status == PollStatus::Open {
        view! { <SignInToAnswer id=p.id.clone() questions=p.questions.clone() /> }.into_any()
    } else {
        view! { <NotOpen p=p.clone() /> }.into_any()
    };
    let shown = match results {
        Some(r) if p.results_visible => {
            view! { <Figures questions=p.questions.clone() r /> }.into_any()
        }
        _ => view! { <ResultsLater p=p.clone() /> }.into_any(),
    };
    view! {
        <PollHead p=p.clone() />
        <Intro text=p.intro.clone() />
        {answer}
        <ResultsSection>{shown}</ResultsSection>
    }
}
