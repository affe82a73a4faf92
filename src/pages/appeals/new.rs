//! Writing an appeal: a guided form whose draft is kept in the browser as it is typed.

use super::draft::Draft;
use crate::api::{ApiError, new_idempotency_key, use_api};
use crate::components::form::FormState;
use crate::components::layout::PageHeading;
use crate::components::photos::{Limits, PhotoPicker, Photos};
use crate::components::states::{ErrorView, Loading};
use crate::format::date;
use crate::i18n::*;
use crate::routes::Page;
use crate::state::{Auth, use_session};
use hromada_api::appeals::{self, Appeal};
use hromada_views::appeals::{AppealFields, AppealFormView, CategorySelect, PositionControl};
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
    let fields = AppealFields {
        kind: RwSignal::new(d.kind.clone()),
        category: RwSignal::new(d.category_id.clone()),
        subject: RwSignal::new(d.subject.clone()),
        text: RwSignal::new(d.text.clone()),
        location: RwSignal::new(d.location.clone()),
        position: RwSignal::new(d.latitude.zip(d.longitude)),
        full_name: RwSignal::new(d.full_name.clone()),
        address: RwSignal::new(d.address.clone()),
        email: RwSignal::new(d.email.clone()),
        public: RwSignal::new(d.public),
    };
    let AppealFields {
        kind,
        category,
        subject,
        text,
        location,
        position,
        full_name,
        address,
        email,
        public,
    } = fields;
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

    let locate = move |()| {
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
        move |_: leptos::ev::SubmitEvent| {
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

    let categories = view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| categories.refetch() /> }>
                {move || Suspend::new(async move {
                    categories.await.map(|list| view! { <CategorySelect form category list /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
    .into_any();
    let position = view! {
        <PositionControl position locating on_locate=Callback::new(locate) />
        <Show when=move || locate_failed.get()>
            <p class="field-error" role="status">{t!(i18n, appeals.position_failed)}</p>
        </Show>
    }
    .into_any();
    let photos = view! {
        <PhotoPicker photos form
            legend=Signal::derive(move || t_string!(i18n, appeals.photos).to_string())
            hint=Signal::derive(move || t_string!(i18n, appeals.photos_hint).to_string()) />
    }
    .into_any();
    view! {
        <Show when=move || was_restored.get()>
            <div class="alert alert-ok" role="status">
                <p>{t!(i18n, appeals.restored)}</p>
                <button type="button" class="button button-secondary button-small" on:click=start_over.clone()>{t!(i18n, appeals.start_over)}</button>
            </div>
        </Show>
        <AppealFormView form fields categories position photos on_submit=Callback::new(submit) />
    }
}

/// Six decimal places (about 10 cm) are more than a phone knows.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
