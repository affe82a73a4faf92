//! Writing an appeal: a guided form whose draft is kept in the browser as it is typed.

use super::draft::{Draft, PHOTO_TYPES, Picked, accept_photos, chars_left};
use crate::api::{ApiError, new_idempotency_key, use_api};
use crate::components::appeals::kind_label;
use crate::components::form::{FormMessages, FormState, TextField, code_text};
use crate::components::layout::PageHeading;
use crate::components::states::{ErrorView, Loading};
use crate::format::date;
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

/// A photo picked for the appeal, with the preview URL made for it.
#[derive(Clone)]
struct Photo {
    file: web_sys::File,
    preview: String,
    /// The browser could not show it: not a picture, whatever its name says.
    broken: bool,
}

impl Photo {
    fn release(&self) {
        let _ = web_sys::Url::revoke_object_url(&self.preview);
    }
}

/// `/h/{katottg}/appeals/new`.
#[component]
pub fn NewAppeal() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let sent = RwSignal::new(None::<Appeal>);
    view! {
        <PageHeading text=move || t_string!(i18n, appeals.new_title).to_string() />
        {move || match (session.0.get(), sent.get()) {
            (_, Some(a)) => view! { <Sent a /> }.into_any(),
            (Auth::Checking, _) => view! { <Loading /> }.into_any(),
            (Auth::SignedOut, _) => view! {
                <div class="card">
                    <p>{t!(i18n, appeals.sign_in_first)}</p>
                    <p class="actions">
                        <A href=Page::SignIn.path() attr:class="button">{t!(i18n, nav.sign_in)}</A>
                        <A href=Page::SignUp.path() attr:class="button button-secondary">{t!(i18n, account.sign_up_title)}</A>
                    </p>
                </div>
            }.into_any(),
            (Auth::SignedIn(me), None) => {
                let k = katottg.get();
                view! { <AppealForm katottg=k me sent /> }.into_any()
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
    let photos: RwSignal<Vec<Photo>, LocalStorage> = RwSignal::new_local(vec![]);
    let photo_error = RwSignal::new(None::<hromada_api::ErrorCode>);
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
    on_cleanup(move || {
        photos.with_untracked(|p| p.iter().for_each(Photo::release));
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

    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(list) = input.files() else {
            return;
        };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        let picked: Vec<Picked> = files
            .iter()
            .map(|f| Picked {
                name: f.name(),
                media_type: f.type_(),
                bytes: f.size() as u64,
            })
            .collect();
        let (ok, problem) = accept_photos(photos.with_untracked(Vec::len), &picked);
        photo_error.set(problem.map(|p| p.code));
        photos.update(|p| {
            for i in ok {
                let file = files[i].clone();
                if let Ok(preview) = web_sys::Url::create_object_url_with_blob(&file) {
                    p.push(Photo {
                        file,
                        preview,
                        broken: false,
                    });
                }
            }
        });
        // Let the same file be picked again after it was removed.
        input.set_value("");
    };
    let mark_broken = move |i: usize| {
        if photos.with_untracked(|p| p.get(i).is_some_and(|x| !x.broken)) {
            photos.update(|p| p[i].broken = true);
            photo_error.set(Some(hromada_api::ErrorCode::NotAnImage));
        }
    };
    let remove_photo = move |i: usize| {
        photos.update(|p| {
            if i < p.len() {
                p.remove(i).release();
            }
        });
        photo_error.set(None);
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
            photo_error.set(None);
            let mut problems = appeals::validate_new(&request);
            // A file the browser cannot show as a picture would only be refused after a
            // long upload: say so now.
            if photos.with_untracked(|p| p.iter().any(|x| x.broken)) {
                problems.push(hromada_api::FieldError::new(
                    "photos",
                    hromada_api::ErrorCode::NotAnImage,
                ));
            }
            if !form.begin(problems) {
                return;
            }
            let files: Vec<web_sys::File> =
                photos.with_untracked(|p| p.iter().map(|x| x.file.clone()).collect());
            let (api, k) = (api.clone(), k.clone());
            spawn_local(async move {
                match api.create_appeal(&k, &request, &files, &draft.key).await {
                    Ok(a) => {
                        form.succeed(None);
                        Draft::clear(&k);
                        photos.update(|p| p.drain(..).for_each(|x| x.release()));
                        sent.set(Some(a));
                        crate::components::layout::focus_main_heading();
                    }
                    Err(e) => {
                        // Refused input created nothing: a corrected appeal gets a new key.
                        // After a network failure the key stays, so a retry cannot double it.
                        if matches!(e, ApiError::Invalid(_)) {
                            key.set(new_idempotency_key());
                        }
                        if let Some(f) = e.field_errors().iter().find(|f| f.field == "photos") {
                            photo_error.set(Some(f.code));
                        }
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
    let photo_error_text = move || {
        photo_error
            .get()
            .or_else(|| form.error_of("photos"))
            .map(|c| photo_problem(i18n, c))
    };

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
                            <span>{t!(i18n, appeals.position_is)}" "{format!("{lat:.5}, {lon:.5}")}</span>
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
            <fieldset class="field" class:field-invalid=move || photo_error_text().is_some()>
                <legend>{t!(i18n, appeals.photos)}</legend>
                <p class="hint" id="f-photos-hint">{t!(i18n, appeals.photos_hint)}</p>
                <ul class="previews">
                    {move || photos.get().into_iter().enumerate().map(|(i, p)| {
                        let name = p.file.name();
                        let label = name.clone();
                        view! {
                            <li class="preview" class:preview-broken=p.broken>
                                <img src=p.preview.clone() alt=name width="120" height="90"
                                    on:error=move |_| mark_broken(i) />
                                {p.broken.then(|| view! { <p class="field-error">{t!(i18n, appeals.photo_broken)}</p> })}
                                <button type="button" class="button button-secondary button-small"
                                    aria-label=move || t_string!(i18n, appeals.photo_remove_named, name = label.clone()).to_string()
                                    on:click=move |_| remove_photo(i)>{t!(i18n, appeals.photo_remove)}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Show when=move || photos.with(Vec::len) < appeals::PHOTOS_MAX>
                    <input id="f-photos" name="photos" class="visually-hidden" type="file" multiple
                        accept=PHOTO_TYPES.join(",")
                        aria-describedby="f-photos-hint f-photos-error"
                        on:change=on_files />
                    <label class="button button-secondary file-pick" for="f-photos">{t!(i18n, appeals.photos_add)}</label>
                </Show>
                <p class="field-error" id="f-photos-error" aria-live="polite">{photo_error_text}</p>
            </fieldset>
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

/// What is wrong with the photos, for a person.
fn photo_problem(i18n: leptos_i18n::I18nContext<Locale>, code: hromada_api::ErrorCode) -> String {
    use hromada_api::ErrorCode;
    match code {
        ErrorCode::TooMany => t_string!(i18n, appeals.photos_too_many).to_string(),
        ErrorCode::TooLarge => t_string!(i18n, appeals.photos_too_large).to_string(),
        ErrorCode::NotAnImage | ErrorCode::NotAFile => {
            t_string!(i18n, appeals.photos_not_image).to_string()
        }
        other => code_text(i18n, other),
    }
}
