//! Appeals to the hromada's authority: writing one, the person's own list, the public list
//! of the hromada, and one appeal with its timeline.

pub mod draft;
mod new;

pub use new::NewAppeal;

use crate::api::use_api;
use crate::components::appeals::{AppealRow, Deadline, Files, StatusBadge, Timeline, kind_label};
use crate::components::form::{FormMessages, FormState, code_text};
use crate::components::layout::PageHeading;
use crate::components::more::{MoreButton, MorePages, PagedCards};
use crate::components::states::{AfterSession, ErrorView, Loading};
use crate::format::{date, fixed, local_date_time};
use crate::i18n::*;
use crate::live::use_live;
use crate::pages::account::kind_text;
use crate::routes::Page;
use crate::state::{Auth, use_place, use_session};
use hromada_api::appeals::{self, Appeal, AppealStatus, RatingDraft};
use hromada_api::delivery::{Channel as DeliveryChannel, Delivery, DeliveryState};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/appeals`: the signed-in person's appeals, newest first, with the time left.
#[component]
pub fn MyAppeals() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <PageHeading text=move || t_string!(i18n, appeals.mine_title).to_string() />
        {move || match session.0.get() {
            Auth::Checking => view! { <Loading /> }.into_any(),
            Auth::SignedOut => view! {
                <div class="card">
                    <p>{t!(i18n, appeals.sign_in_first)}</p>
                    <p class="actions"><A href=Page::SignIn.path() attr:class="button">{t!(i18n, nav.sign_in)}</A></p>
                </div>
            }.into_any(),
            Auth::SignedIn(me) => view! { <MyList home=me.hromada.katottg /> }.into_any(),
        }}
    }
}

#[component]
fn MyList(home: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let live = use_live();
    let place = use_place();
    let first = {
        let api = api.clone();
        LocalResource::new(move || {
            let api = api.clone();
            async move { api.my_appeals(None).await }
        })
    };
    // A step on one of them arrived live: show it.
    Effect::new(move |prev: Option<()>| {
        live.notice.track();
        if prev.is_some() {
            first.refetch();
        }
    });
    let more = MorePages::after(first);
    let load_more = move |_| {
        let api = api.clone();
        more.load(move |c| async move { api.my_appeals(Some(&c)).await });
    };
    let write_to = move || place.0.get().map_or_else(|| home.clone(), |h| h.katottg);
    view! {
        <p class="actions">
            <A href=move || Page::AppealNew(write_to()).path() attr:class="button">{t!(i18n, appeals.write)}</A>
        </p>
        <PagedCards first more heading=true empty=move || t_string!(i18n, appeals.mine_none).to_string() row=|a| view! { <AppealRow a /> }.into_any() />
        <MoreButton pages=more on_click=load_more />
    }
}

/// `/h/{katottg}/appeals`: what residents made public, for others to follow.
#[component]
pub fn PublicAppeals() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let first = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, k) = (api.clone(), katottg.get());
            async move { api.public_appeals(&k, None).await }
        })
    };
    let more = MorePages::after(first);
    let load_more = move |_| {
        let (api, k) = (api.clone(), katottg.get_untracked());
        more.load(move |c| async move { api.public_appeals(&k, Some(&c)).await });
    };
    view! {
        <hromada_views::appeals::PublicTop katottg />
        <PagedCards first more heading=true empty=move || t_string!(i18n, appeals.public_none).to_string() row=|a| view! { <AppealRow a /> }.into_any() />
        <MoreButton pages=more on_click=load_more />
    }
}

/// `/appeals/{id}`: the appeal, its timeline and answer; the author rates it and decides
/// whether it is public; staff take their steps.
#[component]
pub fn AppealPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let live = use_live();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let appeal = LocalResource::new(move || {
        let (api, id) = (api.clone(), id.get());
        async move { api.appeal(&id).await }
    });
    // A step taken elsewhere (staff, another tab) arrives live: show it without a reload.
    Effect::new(move |_| {
        if let Some(n) = live.notice.get()
            && n.appeal.is_some_and(|a| a.id == id.get_untracked())
        {
            appeal.refetch();
        }
    });
    let changed = Callback::new(move |_: ()| appeal.refetch());
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! {
                <PageHeading text=move || t_string!(i18n, appeals.title).to_string() />
                <ErrorView errors retry=move |_| appeal.refetch() />
            }>
                <AfterSession>
                    {move || Suspend::new(async move {
                        appeal.await.map(|a| view! { <AppealView a changed /> })
                    })}
                </AfterSession>
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn AppealView(a: Appeal, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let s = a.summary.clone();
    let subject = s.subject.clone();
    let kind = s.kind;
    let staff = session
        .me()
        .is_some_and(|me| me.is_staff_of(&s.katottg) || me.admin);
    Effect::new(move |_| crate::state::remember_hromada(s.katottg.clone()));
    let registered = local_date_time(&a.summary.registered_at);
    let position = a.latitude.zip(a.longitude);
    let can_rate = a.mine
        && matches!(
            a.summary.status,
            AppealStatus::Answered | AppealStatus::Closed
        );
    view! {
        <PageHeading text=move || subject.clone() />
        <p class="meta">
            <span class="appeal-number">{a.summary.number.clone()}</span>
            " · "{move || kind_label(i18n, kind)}" · "{a.summary.category.name.clone()}
        </p>
        <p class="meta">
            <StatusBadge status=a.summary.status />
            " "
            <Deadline a=a.summary.clone() />
        </p>
        <dl class="facts">
            <dt>{t!(i18n, appeals.registered_on)}</dt>
            <dd><time datetime=a.summary.registered_at.clone()>{registered}</time></dd>
            {a.summary.assignee.clone().map(|who| view! { <dt>{t!(i18n, appeals.assignee)}</dt><dd>{who}</dd> })}
            {a.location.clone().map(|l| view! { <dt>{t!(i18n, appeals.location)}</dt><dd>{l}</dd> })}
            {position.map(|(lat, lon)| view! {
                <dt>{t!(i18n, appeals.position)}</dt>
                <dd><a href=format!("geo:{},{}", fixed(lat, 6), fixed(lon, 6))>{format!("{}, {}", fixed(lat, 5), fixed(lon, 5))}</a></dd>
            })}
            {a.author.clone().map(|au| view! {
                <dt>{t!(i18n, appeals.author)}</dt>
                <dd>{au.full_name}<br />{au.address}<br />{au.email}</dd>
            })}
        </dl>
        <section aria-labelledby="text-h">
            <h2 id="text-h" class="visually-hidden">{t!(i18n, appeals.text)}</h2>
            <p class="appeal-text">{a.text.clone()}</p>
            <Files files=a.photos.clone() />
        </section>
        {a.mine.then(|| view! { <Visibility id=a.summary.id.clone() public=a.summary.public changed /> })}
        {staff.then(|| view! { <crate::pages::staff::StaffPanel a=a.clone() changed /> })}
        <section aria-labelledby="timeline-h">
            <h2 id="timeline-h">{t!(i18n, appeals.timeline)}</h2>
            <Timeline entries=a.timeline.clone() />
        </section>
        {a.rating.clone().map(|r| {
            let stars = r.stars;
            view! {
                <section class="card" aria-labelledby="rating-h">
                    <h2 id="rating-h">{t!(i18n, appeals.rating_title)}</h2>
                    <p class="stars" aria-label=move || t_string!(i18n, appeals.stars_of, count = stars).to_string()>
                        {"★".repeat(usize::from(stars))}{"☆".repeat(5usize.saturating_sub(usize::from(stars)))}
                    </p>
                    {r.comment.map(|c| view! { <p>{c}</p> })}
                    <p class="meta">{date(&r.at)}</p>
                </section>
            }
        })}
        {can_rate.then(|| view! { <RateForm id=a.summary.id.clone() current=a.rating.clone().map(|r| (r.stars, r.comment.unwrap_or_default())) changed /> })}
        {(a.mine || staff).then(|| view! { <Deliveries id=a.summary.id.clone() number=a.summary.number.clone() /> })}
    }
}

/// When and where the answer and the updates of an appeal were emailed or pushed (its
/// author and staff): the record the law's channel needs.
#[component]
fn Deliveries(id: String, number: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let log = LocalResource::new(move || {
        let (api, id) = (api.clone(), id.clone());
        async move { api.appeal_deliveries(&id).await }
    });
    let row = move |d: Delivery| {
        let number = number.clone();
        let kind = d.kind;
        let what = move || kind_text(i18n, kind, &number);
        let how = move || match d.channel {
            DeliveryChannel::Email => t_string!(i18n, deliveries.channel_email),
            DeliveryChannel::Push => t_string!(i18n, deliveries.channel_push),
        };
        let (state_class, state) = match d.state {
            DeliveryState::Pending => (
                "delivery-pending",
                t_string!(i18n, deliveries.state_pending),
            ),
            DeliveryState::Sent => ("delivery-sent", t_string!(i18n, deliveries.state_sent)),
            DeliveryState::Failed => ("delivery-failed", t_string!(i18n, deliveries.state_failed)),
        };
        let state = state.to_string();
        let when = d.sent_at.clone().unwrap_or_else(|| d.created_at.clone());
        let shown = local_date_time(&when);
        view! {
            <tr class="delivery">
                <td>{what}</td>
                <td>{how}</td>
                <td class="delivery-to">{d.to.clone()}</td>
                <td class=state_class>{state}{d.error.clone().map(|e| view! { <br /><span class="meta">{e}</span> })}</td>
                <td><time datetime=when>{shown}</time></td>
            </tr>
        }
    };
    view! {
        <section class="card" aria-labelledby="deliveries-h" id="deliveries">
            <h2 id="deliveries-h">{t!(i18n, deliveries.title)}</h2>
            <p>{t!(i18n, deliveries.lead)}</p>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| log.refetch() /> }>
                    {
                        let row = row.clone();
                        move || {
                            let row = row.clone();
                            Suspend::new(async move {
                                log.await.map(|page| {
                                    if page.items.is_empty() {
                                        view! { <p class="state state-empty" id="deliveries-none">{t!(i18n, deliveries.none)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <table class="deliveries-table">
                                                <thead>
                                                    <tr>
                                                        <th scope="col">{t!(i18n, deliveries.col_what)}</th>
                                                        <th scope="col">{t!(i18n, deliveries.col_how)}</th>
                                                        <th scope="col">{t!(i18n, deliveries.col_to)}</th>
                                                        <th scope="col">{t!(i18n, deliveries.col_state)}</th>
                                                        <th scope="col">{t!(i18n, deliveries.col_when)}</th>
                                                    </tr>
                                                </thead>
                                                <tbody>{page.items.into_iter().map(row.clone()).collect_view()}</tbody>
                                            </table>
                                        }
                                        .into_any()
                                    }
                                })
                            })
                        }
                    }
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The author shows the appeal in the hromada's public list, or hides it again.
#[component]
fn Visibility(id: String, public: bool, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let toggle = move |_| {
        let (api, id) = (api.clone(), id.clone());
        form.begin(vec![]);
        spawn_local(async move {
            match api.set_appeal_public(&id, !public).await {
                Ok(_) => {
                    form.succeed(None);
                    changed.run(());
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="visibility-h">
            <h2 id="visibility-h">{t!(i18n, appeals.visibility)}</h2>
            <FormMessages form />
            <p>{move || if public { t_string!(i18n, appeals.is_public) } else { t_string!(i18n, appeals.is_private) }}</p>
            <button type="button" class="button button-secondary" on:click=toggle disabled=move || form.pending.get()>
                {move || if public { t_string!(i18n, appeals.make_private_button) } else { t_string!(i18n, appeals.make_public_button) }}
            </button>
        </section>
    }
}

/// The author rates the answer: one to five stars and an optional comment.
#[component]
fn RateForm(id: String, current: Option<(u8, String)>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let (s0, c0) = current.unwrap_or_default();
    let stars = RwSignal::new(s0);
    let comment = RwSignal::new(c0);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = comment.get_untracked();
        let draft = RatingDraft {
            stars: stars.get_untracked(),
            comment: (!c.trim().is_empty()).then(|| c.trim().to_owned()),
        };
        if !form.begin(appeals::validate_rating(&draft)) {
            return;
        }
        let (api, id) = (api.clone(), id.clone());
        spawn_local(async move {
            match api.rate_appeal(&id, &draft).await {
                Ok(_) => {
                    form.succeed(Some(t_string!(i18n, appeals.rated).to_string()));
                    changed.run(());
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="rate-h">
            <h2 id="rate-h">{t!(i18n, appeals.rate_title)}</h2>
            <form class="form" on:submit=submit novalidate>
                <FormMessages form />
                <fieldset class="field stars-input" aria-describedby="f-stars-error">
                    <legend>{t!(i18n, appeals.rate_legend)}</legend>
                    {(1u8..=5).map(|n| {
                        let id = format!("f-stars-{n}");
                        let label_for = id.clone();
                        view! {
                            <label class="choice" for=label_for>
                                <input type="radio" id=id name="stars" value=n.to_string()
                                    prop:checked=move || stars.get() == n
                                    on:change=move |_| stars.set(n) />
                                <span>{n}" "{"★".repeat(usize::from(n))}</span>
                            </label>
                        }
                    }).collect_view()}
                    <p class="field-error" id="f-stars-error">{move || form.error_of("stars").map(|_| t_string!(i18n, appeals.rate_pick).to_string())}</p>
                </fieldset>
                <div class="field">
                    <label for="f-comment">{t!(i18n, appeals.rate_comment)}</label>
                    <textarea id="f-comment" aria-describedby="f-comment-error" prop:value=move || comment.get()
                        on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    <p class="field-error" id="f-comment-error">{move || form.error_of("comment").map(|c| code_text(i18n, c))}</p>
                </div>
                <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, appeals.rate_send)}</button>
            </form>
        </section>
    }
}
