//! Writing an appeal: a guided form whose draft is kept in the browser as it is typed.

use super::draft::{Draft, chars_left};
use crate::api::{ApiError, new_idempotency_key, use_api};
use crate::components::appeals::kind_label;
use crate::components::form::{FormMessages, FormState, TextField, code_text};
use crate::components::layout::PageHeading;
use crate::components::photos::{Limits, PhotoPicker, Photos};
use crate::components::states::{ErrorView, Loading};
use crate::format::{date, fixed};
use crate::i18n::*;
use crate::routes::Page;
use crate::state::{Auth, use_session};
use hromada_api::appeals::{self, Appeal, AppealKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// `/h/{katottg}/appeals/new`.
#[component]
pub fn NewAppeal() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let sent = RwSignal::new(None::<Appeal>);
    let heading = move || view! { <PageHeading text=move || t_string!(i18n, appeals.new_title).to_string() /> };
    view! {
        {move || match (session.0.get(), sent.get()) {
            (_, Some(a)) => view! { {heading} <Sent a /> }.into_any(),
            (Auth::Checking, _) => view! { {heading} <Loading /> }.into_any(),
            (Auth::SignedOut, _) => view! { <hromada_views::appeals::SignInFirst /> }.into_any(),
            (Auth::SignedIn(me), None) => {
                let k = katottg.get();
                view! { {heading} <AppealForm katottg=k me sent /> }.into_any()
            }
        }}
    }
}

/// What the person sees once the appeal is registered.
#[component]
fn Sent(a: Appeal) -> impl IntoView {
    let i18n = use_i18n();
    let number = a.summary.number.clone();
    let registered = date(&a.summary.registered_at);
    let due = date(&a.summary.due_at);
    view! {
        <section class="card card-ok" role="status" aria-labelledby="sent-h">
            <h2 id="sent-h">{t!(i18n, appeals.sent_title)}</h2>
            <p class="appeal-number big">{number}</p>
            <dl class="facts">
                <dt>{t!(i18n, appeals.registered_on)}</dt><dd>{registered}</dd>
                <dt>{t!(i18n, appeals.answer_due)}</dt><dd>{due}</dd>
            </dl>
            <p>{t!(i18n, appeals.sent_hint)}</p>
            <p class="actions">
                <A href=Page::Appeal(a.summary.id.clone()).path() attr:class="button">{t!(i18n, appeals.follow)}</A>
                <A href=Page::MyAppeals.path() attr:class="button button-secondary">{t!(i18n, appeals.mine_title)}</A>
            </p>
        </section>
    }
}

#[component]
fn AppealForm(
    katottg: String,
    me: hromada_api::Me,
    sent: RwSignal<Option<Appeal>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let categories = {
        let (api, k) = (api.clone(), katottg.clone());
        LocalResource::new(move || {
            let (api, k) = (api.clone(), k.clone());
            async move { api.appeal_categories(&k, false).await }
        })
    };
    let restored = Draft::load(&katottg);
    let was_restored = RwSignal::new(restored.is_some());
    let mut d = restored.unwrap_or_default();
    d.fill_contacts(&me.full_name, &me.address, &me.email);
    if d.key.is_empty() {
        d.key = new_idempotency_key();
    }
    let form = FormState::new();
    let kind = RwSignal::new(d.kind.clone());
    let category = RwSignal::new(d.category_id.clone());
    let subject = RwSignal::new(d.subject.clone());
    let text = RwSignal::new(d.text.clone());
    let location = RwSignal::new(d.location.clone());
    let position = RwSignal::new(d.latitude.zip(d.longitude));
    let full_name = RwSignal::new(d.full_name.clone());
    let address = RwSignal::new(d.address.clone());
    let email = RwSignal::new(d.email.clone());
    let public = RwSignal::new(d.public);
    let key = RwSignal::new(d.key.clone());
    let photos = Photos::new(Limits {
        field: "photos",
        max: appeals::PHOTOS_MAX,
        max_bytes: appeals::PHOTO_MAX_BYTES as u64,
    });
    let locating = RwSignal::new(false);
    let locate_failed = RwSignal::new(false);

    let current = move || Draft {
        kind: kind.get(),
        category_id: category.get(),
        subject: subject.get(),
        text: text.get(),
        location: location.get(),
        latitude: position.get().map(|p| p.0),
        longitude: position.get().map(|p| p.1),
        full_name: full_name.get(),
        address: address.get(),
        email: email.get(),
        public: public.get(),
        key: key.get(),
    };
    // Keep the draft as it is typed.
    let k_save = katottg.clone();
    Effect::new(move |_| current().save(&k_save));
    // Sent without a network, the appeal waited in the outbox; once it is delivered (this
    // visit or after a reload), the draft is done and its registration shows.
    let offline = crate::offline::use_offline();
    let k_done = katottg.clone();
    Effect::new(move |_| {
        let Some(d) = offline.delivered.get() else {
            return;
        };
        if d.kind != "appeal" || d.key.as_deref() != Some(key.get_untracked().as_str()) {
            return;
        }
        if let Some(a) = d
            .response
            .and_then(|r| serde_json::from_value::<Appeal>(r).ok())
        {
            form.succeed(None);
            Draft::clear(&k_done);
            photos.clear();
            sent.set(Some(a));
        }
    });

    let start_over = {
        let k = katottg.clone();
        let me = me.clone();
        move |_| {
            Draft::clear(&k);
            kind.set(String::new());
            category.set(String::new());
            subject.set(String::new());
            text.set(String::new());
            location.set(String::new());
            position.set(None);
            full_name.set(me.full_name.clone());
            address.set(me.address.clone());
            email.set(me.email.clone());
            public.set(false);
            key.set(new_idempotency_key());
            was_restored.set(false);
        }
    };

    let locate = move |_| {
        let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            locate_failed.set(true);
            return;
        };
        locating.set(true);
        locate_failed.set(false);
        let ok = Closure::once_into_js(move |pos: wasm_bindgen::JsValue| {
            let coord = |name: &str| {
                js_sys::Reflect::get(&pos, &"coords".into())
                    .and_then(|c| js_sys::Reflect::get(&c, &name.into()))
                    .ok()
                    .and_then(|v| v.as_f64())
            };
            locating.set(false);
            match (coord("latitude"), coord("longitude")) {
                (Some(lat), Some(lon)) => position.set(Some((round6(lat), round6(lon)))),
                _ => locate_failed.set(true),
            }
        });
        let failed = Closure::once_into_js(move |_: wasm_bindgen::JsValue| {
            locating.set(false);
            locate_failed.set(true);
        });
        let opts = web_sys::PositionOptions::new();
        opts.set_enable_high_accuracy(true);
        opts.set_timeout(20_000);
        if geo
            .get_current_position_with_error_callback_and_options(
                ok.unchecked_ref(),
                Some(failed.unchecked_ref()),
                &opts,
            )
            .is_err()
        {
            locating.set(false);
            locate_failed.set(true);
        }
    };

    let submit = {
        let (api, k) = (api.clone(), katottg.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let draft = current();
            let request = draft.to_request();
            photos.error.set(None);
            let mut problems = appeals::validate_new(&request);
            problems.extend(photos.problem());
            if !form.begin(problems) {
                return;
            }
            let files = photos.files();
            let (api, k) = (api.clone(), k.clone());
            spawn_local(async move {
                match api.create_appeal(&k, &request, &files, &draft.key).await {
                    Ok(a) => {
                        form.succeed(None);
                        Draft::clear(&k);
                        photos.clear();
                        sent.set(Some(a));
                        crate::components::layout::focus_main_heading();
                    }
                    Err(e) => {
                        // Refused input created nothing: a corrected appeal gets a new key.
                        // After a network failure the key stays, so a retry cannot double it.
                        if matches!(e, ApiError::Invalid(_)) {
                            key.set(new_idempotency_key());
                        }
                        photos.show_refusal(e.field_errors());
                        if matches!(e, ApiError::Network) {
                            form.fail_with(t_string!(i18n, appeals.offline_kept).to_string());
                        } else {
                            form.fail(i18n, &e);
                        }
                    }
                }
            });
        }
    };

    let counter = move || {
        let left = chars_left(&text.get());
        if left >= 0 {
            t_string!(i18n, appeals.chars_left, count = left).to_string()
        } else {
            t_string!(i18n, appeals.chars_over, count = -left).to_string()
        }
    };
    let error_of = move |f: &'static str| move || form.error_of(f).map(|c| code_text(i18n, c));
    view! {
        <Show when=move || was_restored.get()>
            <div class="alert alert-ok" role="status">
                <p>{t!(i18n, appeals.restored)}</p>
                <button type="button" class="button button-secondary button-small" on:click=start_over.clone()>{t!(i18n, appeals.start_over)}</button>
            </div>
        </Show>
        <p class="hint">{t!(i18n, appeals.law_hint)}</p>
        <form class="form appeal-form" on:submit=submit novalidate>
            <FormMessages form />
            <fieldset class="field" aria-describedby="f-kind-error" aria-invalid=move || form.error_of("kind").is_some().to_string()>
                <legend>{t!(i18n, appeals.kind)}</legend>
                {AppealKind::ALL.into_iter().map(|k| {
                    let id = format!("f-kind-{}", k.code());
                    let label_for = id.clone();
                    view! {
                        <label class="choice" for=label_for>
                            <input type="radio" id=id name="kind" value=k.code()
                                prop:checked=move || kind.get() == k.code()
                                on:change=move |_| kind.set(k.code().to_owned()) />
                            <span>{move || kind_label(i18n, k)}</span>
                        </label>
                    }
                }).collect_view()}
                <p class="field-error" id="f-kind-error" aria-live="polite">{error_of("kind")}</p>
            </fieldset>
            <div class="field" class:field-invalid=move || form.error_of("category_id").is_some()>
                <label for="f-category_id">{t!(i18n, appeals.category)}</label>
                <Transition fallback=Loading>
                    <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| categories.refetch() /> }>
                        {move || Suspend::new(async move {
                            categories.await.map(|list| view! {
                                <select id="f-category_id" name="category_id"
                                    aria-describedby="f-category_id-error"
                                    aria-invalid=move || form.error_of("category_id").is_some().to_string()
                                    on:change=move |ev| category.set(event_target_value(&ev))>
                                    <option value="" selected=move || category.get().is_empty()>{t!(i18n, appeals.choose_category)}</option>
                                    {list.into_iter().map(|c| {
                                        let id = c.id.clone();
                                        view! { <option value=c.id selected=move || category.get() == id>{c.name}</option> }
                                    }).collect_view()}
                                </select>
                            })
                        })}
                    </ErrorBoundary>
                </Transition>
                <p class="field-error" id="f-category_id-error" aria-live="polite">{error_of("category_id")}</p>
            </div>
            <TextField form name="subject" value=subject>{t!(i18n, appeals.subject)}</TextField>
            <TextField form name="text" value=text multiline=true hint=Signal::derive(counter)>{t!(i18n, appeals.text)}</TextField>
            <fieldset class="field">
                <legend>{t!(i18n, appeals.where_title)}</legend>
                <TextField form name="location" value=location autocomplete="street-address" hint=Signal::derive(move || t_string!(i18n, appeals.location_hint).to_string())>{t!(i18n, appeals.location)}</TextField>
                {move || match position.get() {
                    Some((lat, lon)) => view! {
                        <p class="position">
                            <span>{t!(i18n, appeals.position_is)}" "{format!("{}, {}", fixed(lat, 5), fixed(lon, 5))}</span>
                            " "
                            <button type="button" class="button button-secondary button-small" on:click=move |_| position.set(None)>{t!(i18n, appeals.position_remove)}</button>
                        </p>
                    }.into_any(),
                    None => view! {
                        <p>
                            <button type="button" class="button button-secondary button-small" on:click=locate disabled=move || locating.get()>
                                {move || if locating.get() { t_string!(i18n, appeals.locating) } else { t_string!(i18n, appeals.use_position) }}
                            </button>
                        </p>
                    }.into_any(),
                }}
                <Show when=move || locate_failed.get()>
                    <p class="field-error" role="status">{t!(i18n, appeals.position_failed)}</p>
                </Show>
            </fieldset>
            <PhotoPicker photos form
                legend=Signal::derive(move || t_string!(i18n, appeals.photos).to_string())
                hint=Signal::derive(move || t_string!(i18n, appeals.photos_hint).to_string()) />
            <fieldset class="field">
                <legend>{t!(i18n, appeals.contacts)}</legend>
                <p class="hint">{t!(i18n, appeals.contacts_hint)}</p>
                <TextField form name="full_name" value=full_name autocomplete="name">{t!(i18n, account.full_name)}</TextField>
                <TextField form name="address" value=address autocomplete="street-address">{t!(i18n, account.address)}</TextField>
                <TextField form name="email" value=email kind="email" autocomplete="email">{t!(i18n, account.email)}</TextField>
            </fieldset>
            <label class="choice" for="f-public">
                <input type="checkbox" id="f-public" prop:checked=move || public.get() on:change=move |ev| public.set(event_target_checked(&ev)) />
                <span>{t!(i18n, appeals.make_public)}</span>
            </label>
            <p class="hint">{t!(i18n, appeals.public_hint)}</p>
            <div class="actions">
                <button type="submit" class="button" disabled=move || form.pending.get()>
                    {move || if form.pending.get() { t_string!(i18n, appeals.sending) } else { t_string!(i18n, appeals.send) }}
                </button>
            </div>
        </form>
    }
}

/// Six decimal places (about 10 cm) are more than a phone knows.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
