//! Polls and surveys: the hromada's active and past polls, one poll with its questions,
//! answering once, and the results as charts with tables.

use crate::api::{ApiError, PollState, new_idempotency_key, use_api};
use crate::components::form::{FormMessages, FormState, code_text};
use crate::components::layout::PageHeading;
use crate::components::more::{MoreButton, MorePages, PagedCards};
use crate::components::states::{AfterSession, ErrorView, Loading};
use crate::i18n::*;
use crate::routes::Page;
use crate::state::use_session;
use hromada_api::Verification;
use hromada_api::polls::rules::{CannotAnswer, can_answer};
use hromada_api::polls::{
    Answer, AnswerValue, Poll, Question, QuestionKind, ResponseDraft, SCALE_MAX, validate_response,
};
use hromada_views::polls::{
    Figures, Intro, NotOpen, PollHead, PollsTop, ResultsLater, ResultsSection, SignInToAnswer, Tab,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// What the person has put in for one question so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Given {
    pub chosen: Vec<u32>,
    pub scale: Option<u8>,
    pub text: String,
}

/// The response to send: each question that has something in it, in question order.
pub fn response_of(questions: &[Question], given: &[Given]) -> ResponseDraft {
    let answers = questions
        .iter()
        .zip(given)
        .enumerate()
        .filter_map(|(i, (q, g))| {
            let value = match q.kind {
                QuestionKind::Single { .. } | QuestionKind::Multiple { .. } => {
                    (!g.chosen.is_empty()).then(|| AnswerValue::Choice {
                        options: g.chosen.clone(),
                    })
                }
                QuestionKind::Scale => g.scale.map(|value| AnswerValue::Scale { value }),
                QuestionKind::Text => (!g.text.trim().is_empty()).then(|| AnswerValue::Text {
                    text: g.text.trim().to_owned(),
                }),
            }?;
            Some(Answer {
                question: i as u32,
                value,
            })
        })
        .collect();
    ResponseDraft { answers }
}

pub use hromada_views::polls::{PollCard, kind_label, status_label};

/// `/h/{katottg}/polls?state=active|past`.
#[component]
pub fn Polls() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let params = use_params_map();
    let query = use_query_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let state = Memo::new(move |_| {
        query
            .read()
            .get("state")
            .and_then(|s| PollState::from_code(&s))
            .filter(|s| *s != PollState::Draft)
            .unwrap_or_default()
    });
    let first = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, k, s) = (api.clone(), katottg.get(), state.get());
            async move { api.polls(&k, s, None).await }
        })
    };
    let more = MorePages::after(first);
    let load_more = move |_| {
        let (api, k, s) = (api.clone(), katottg.get_untracked(), state.get_untracked());
        more.load(move |c| async move { api.polls(&k, s, Some(&c)).await });
    };
    let staff = move || {
        session
            .me()
            .is_some_and(|me| me.is_staff_of(&katottg.get()) || me.admin)
    };
    let tab = Signal::derive(move || Tab::from_code(state.get().code()));
    let staff = view! {
        <Show when=staff>
            <p class="actions"><A href=move || Page::StaffPolls(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, polls.staff_title)}</A></p>
        </Show>
    }
    .into_any();
    view! {
        <PollsTop katottg tab staff />
        <PagedCards first more heading=true empty=move || t_string!(i18n, polls.none).to_string()
            row=|p| view! { <PollCard p /> }.into_any() />
        <MoreButton pages=more on_click=load_more />
    }
}

/// `/polls/{id}`: the poll, answering it, and its results. A draft is the staff's preview.
#[component]
pub fn PollPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let poll = LocalResource::new(move || {
        let (api, id) = (api.clone(), id.get());
        async move { api.poll(&id).await }
    });
    let changed = Callback::new(move |_: ()| poll.refetch());
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! {
                <PageHeading text=move || t_string!(i18n, polls.one).to_string() />
                <ErrorView errors retry=move |_| poll.refetch() />
            }>
                <AfterSession>
                    {move || Suspend::new(async move {
                        poll.await.map(|p| view! { <PollView p changed /> })
                    })}
                </AfterSession>
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn PollView(p: Poll, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let k = p.katottg.clone();
    Effect::new(move |_| crate::state::remember_hromada(k.clone()));
    let staff = session
        .me()
        .is_some_and(|me| me.is_staff_of(&p.katottg) || me.admin);
    let me = session.me();
    let allowed = can_answer(
        p.status,
        p.audience,
        me.is_some(),
        me.as_ref().is_some_and(|m| m.hromada.katottg == p.katottg),
        me.as_ref()
            .is_some_and(|m| m.verification == Verification::Verified),
        p.answered,
    );
    let answer = match allowed {
        Ok(()) => view! { <AnswerForm p=p.clone() changed /> }.into_any(),
        Err(CannotAnswer::Answered) => view! {
            <p class="alert alert-ok" id="answered" role="status">{t!(i18n, polls.you_answered)}</p>
        }
        .into_any(),
        Err(CannotAnswer::NotOpen) => view! { <NotOpen p=p.clone() /> }.into_any(),
        Err(CannotAnswer::SignIn) => {
            view! { <SignInToAnswer id=p.id.clone() questions=p.questions.clone() /> }.into_any()
        }
        Err(CannotAnswer::OtherHromada) => view! {
            <p class="card">{t!(i18n, polls.other_hromada)}</p>
        }
        .into_any(),
        Err(CannotAnswer::Verify) => view! {
            <div class="card card-warn" id="verify-hint">
                <p>{t!(i18n, polls.verify_to_answer)}</p>
                <p><A href=Page::Account.path() attr:class="button">{t!(i18n, budget.verify_go)}</A></p>
            </div>
        }
        .into_any(),
    };
    let results = if p.results_visible {
        view! { <ResultsView p=p.clone() /> }.into_any()
    } else {
        view! { <ResultsLater p=p.clone() /> }.into_any()
    };
    view! {
        <PollHead p=p.clone() />
        {staff.then(|| view! { <crate::pages::staff::PollStaffPanel p=p.clone() changed /> })}
        <Intro text=p.intro.clone() />
        {answer}
        <ResultsSection>{results}</ResultsSection>
    }
}

/// The questions to answer, checked before sending; answers cannot change afterwards.
#[component]
fn AnswerForm(p: Poll, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let questions = StoredValue::new(p.questions.clone());
    let given = RwSignal::new(vec![Given::default(); p.questions.len()]);
    let key = StoredValue::new(new_idempotency_key());
    let id = p.id.clone();
    let title = p.title.clone();
    // Answered without a network, the answer waited in the outbox: once delivered, the
    // poll shows it (and its results, as the poll says).
    let offline = crate::offline::use_offline();
    Effect::new(move |_| {
        if let Some(d) = offline.delivered.get()
            && d.kind == "poll_answer"
            && d.key.as_deref() == Some(key.get_value().as_str())
        {
            form.succeed(None);
            changed.run(());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let response = questions.with_value(|qs| response_of(qs, &given.get_untracked()));
        let problems = questions.with_value(|qs| validate_response(qs, &response));
        if !form.begin(problems) {
            return;
        }
        let (api, id, title) = (api.clone(), id.clone(), title.clone());
        spawn_local(async move {
            match api
                .answer_poll(&id, &response, &key.get_value(), &title)
                .await
            {
                Ok(_) => {
                    form.succeed(None);
                    changed.run(());
                }
                Err(ApiError::Conflict(_)) => {
                    form.fail_with(t_string!(i18n, polls.already_answered).to_string());
                    changed.run(());
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    let edit = move |i: usize, f: &dyn Fn(&mut Given)| {
        form.notice.set(None);
        given.update(|g| {
            if let Some(x) = g.get_mut(i) {
                f(x);
            }
        })
    };
    view! {
        <form class="form poll-form" on:submit=submit novalidate>
            <FormMessages form />
            {p.questions.iter().cloned().enumerate().map(|(i, q)| {
                let field = format!("answers[{i}]");
                let err_id = format!("q-{i}-error");
                let error = {
                    let field = field.clone();
                    move || form.error_of(&field).map(|c| match c {
                        hromada_api::ErrorCode::TooMany => t_string!(i18n, polls.too_many).to_string(),
                        hromada_api::ErrorCode::Required => t_string!(i18n, polls.required_answer).to_string(),
                        other => code_text(i18n, other),
                    })
                };
                let invalid = {
                    let field = field.clone();
                    Signal::derive(move || form.error_of(&field).is_some())
                };
                let inputs = match q.kind.clone() {
                    QuestionKind::Single { options } => options.into_iter().enumerate().map(|(j, o)| {
                        let oid = format!("q-{i}-{j}");
                        view! {
                            <label class="choice" for=oid.clone()>
                                <input type="radio" id=oid.clone() name=format!("q-{i}") aria-describedby=err_id.clone()
                                    prop:checked=move || given.with(|g| g[i].chosen == [j as u32])
                                    on:change=move |_| edit(i, &|x| x.chosen = vec![j as u32]) />
                                <span>{o}</span>
                            </label>
                        }
                    }).collect_view().into_any(),
                    QuestionKind::Multiple { options, max } => view! {
                        <p class="hint">{move || t_string!(i18n, polls.up_to, max).to_string()}" · "
                            <span aria-live="polite">{move || t_string!(i18n, polls.chosen_of, chosen = given.with(|g| g[i].chosen.len()), max).to_string()}</span></p>
                        {options.into_iter().enumerate().map(|(j, o)| {
                            let oid = format!("q-{i}-{j}");
                            view! {
                                <label class="choice" for=oid.clone()>
                                    <input type="checkbox" id=oid.clone() aria-describedby=err_id.clone()
                                        prop:checked=move || given.with(|g| g[i].chosen.contains(&(j as u32)))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            edit(i, &|x| {
                                                x.chosen.retain(|c| *c != j as u32);
                                                if on { x.chosen.push(j as u32); x.chosen.sort_unstable(); }
                                            })
                                        } />
                                    <span>{o}</span>
                                </label>
                            }
                        }).collect_view()}
                    }.into_any(),
                    QuestionKind::Scale => view! {
                        <div class="scale">
                            {(1..=SCALE_MAX).map(|v| {
                                let oid = format!("q-{i}-{v}");
                                view! {
                                    <label class="scale-point" for=oid.clone()>
                                        <input type="radio" id=oid.clone() name=format!("q-{i}") aria-describedby=err_id.clone()
                                            prop:checked=move || given.with(|g| g[i].scale == Some(v))
                                            on:change=move |_| edit(i, &|x| x.scale = Some(v)) />
                                        <span>{v}</span>
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                        <p class="hint">{t!(i18n, polls.scale_hint)}</p>
                    }.into_any(),
                    QuestionKind::Text => view! {
                        <textarea id=format!("q-{i}-text") aria-label=q.title.clone() aria-describedby=err_id.clone()
                            aria-invalid=move || invalid.get().to_string()
                            prop:value=move || given.with(|g| g[i].text.clone())
                            on:input=move |ev| { let v = event_target_value(&ev); edit(i, &|x| x.text = v.clone()) }></textarea>
                    }.into_any(),
                };
                view! {
                    <fieldset class="field question" id=format!("q-{i}") class:field-invalid=move || invalid.get()>
                        <legend>
                            {q.title.clone()}
                            {q.required.then(|| view! { " "<span class="required">{t!(i18n, polls.required)}</span> })}
                        </legend>
                        {inputs}
                        <p class="field-error" id=err_id.clone() aria-live="polite">{error}</p>
                    </fieldset>
                }
            }).collect_view()}
            <p class="hint" id="once-hint">{t!(i18n, polls.once_hint)}</p>
            <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, polls.send)}</button>
        </form>
    }
}

/// The results: a chart and a table per choice question, counts and the average of a
/// scale, and the free-text answers, paged.
#[component]
fn ResultsView(p: Poll) -> impl IntoView {
    let api = use_api();
    let id = p.id.clone();
    let results = LocalResource::new(move || {
        let (api, id) = (api.clone(), id.clone());
        async move { api.poll_results(&id).await }
    });
    let questions = p.questions.clone();
    let poll_id = p.id.clone();
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| results.refetch() /> }>
                {move || {
                    let (questions, poll_id) = (questions.clone(), poll_id.clone());
                    Suspend::new(async move {
                        let texts = Callback::new(move |question: usize| {
                            view! { <Texts poll_id=poll_id.clone() question /> }.into_any()
                        });
                        results.await.map(|r| view! { <Figures questions r texts /> })
                    })
                }}
            </ErrorBoundary>
        </Transition>
    }
}

/// The free-text answers to one question, newest first, paged.
#[component]
fn Texts(poll_id: String, question: usize) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let first = {
        let (api, id) = (api.clone(), poll_id.clone());
        LocalResource::new(move || {
            let (api, id) = (api.clone(), id.clone());
            async move { api.poll_texts(&id, question, None).await }
        })
    };
    let more = MorePages::after(first);
    let load_more = move |_| {
        let (api, id) = (api.clone(), poll_id.clone());
        more.load(move |c| async move { api.poll_texts(&id, question, Some(&c)).await });
    };
    view! {
        <PagedCards first more class="texts" empty=move || t_string!(i18n, polls.no_answers).to_string()
            row=|t: hromada_api::polls::TextAnswer| view! { <li><p class="appeal-text">{t.text}</p></li> }.into_any() />
        <MoreButton pages=more on_click=load_more />
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn q(kind: QuestionKind) -> Question {
        Question {
            title: "?".into(),
            required: true,
            kind,
        }
    }

    #[wasm_bindgen_test]
    fn only_what_was_given_is_sent() {
        let qs = [
            q(QuestionKind::Single {
                options: vec!["a".into(), "b".into()],
            }),
            q(QuestionKind::Scale),
            q(QuestionKind::Text),
            q(QuestionKind::Multiple {
                options: vec!["a".into(), "b".into(), "c".into()],
                max: 2,
            }),
        ];
        let given = [
            Given {
                chosen: vec![1],
                ..Default::default()
            },
            Given::default(),
            Given {
                text: "  ".into(),
                ..Default::default()
            },
            Given {
                chosen: vec![0, 2],
                ..Default::default()
            },
        ];
        let r = response_of(&qs, &given);
        assert_eq!(
            r.answers,
            [
                Answer {
                    question: 0,
                    value: AnswerValue::Choice { options: vec![1] }
                },
                Answer {
                    question: 3,
                    value: AnswerValue::Choice {
                        options: vec![0, 2]
                    }
                },
            ]
        );
        let errors: Vec<String> = validate_response(&qs, &r)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(errors, ["answers[1]", "answers[2]"]);
    }
}
