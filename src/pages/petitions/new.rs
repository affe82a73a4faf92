//! Writing a petition: title and text with a live preview; it goes to moderation.

use crate::api::{new_idempotency_key, use_api};
use crate::components::form::{FormMessages, FormState, TextField};
use crate::components::layout::PageHeading;
use crate::components::states::Loading;
use crate::format::{date, paragraphs};
use crate::i18n::*;
use crate::routes::{Page, sign_in_then};
use crate::state::{Auth, load, store, use_session};
use hromada_api::petitions::{self, Petition};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

fn draft_key(katottg: &str) -> String {
    format!("hromada.petition-draft.{katottg}")
}

/// `/h/{katottg}/petitions/new`.
#[component]
pub fn NewPetition() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let sent = RwSignal::new(None::<Petition>);
    view! {
        <PageHeading text=move || t_string!(i18n, petitions.new_title).to_string() />
        {move || match (session.0.get(), sent.get()) {
            (_, Some(p)) => {
                let due = p.summary.due_at.as_deref().map(date).unwrap_or_default();
                view! {
                    <section class="card card-ok" role="status">
                        <h2>{t!(i18n, petitions.submitted)}</h2>
                        <p>{move || t_string!(i18n, petitions.submitted_hint, date = due.clone()).to_string()}</p>
                        <p class="actions">
                            <A href=Page::Petition(p.summary.id.clone()).path() attr:class="button">{t!(i18n, petitions.open)}</A>
                            <A href=Page::MyPetitions.path() attr:class="button button-secondary">{t!(i18n, petitions.mine_title)}</A>
                        </p>
                    </section>
                }.into_any()
            }
            (Auth::Checking, _) => view! { <Loading /> }.into_any(),
            (Auth::SignedOut, _) => view! {
                <div class="card">
                    <p>{t!(i18n, petitions.sign_in_to_write)}</p>
                    <p class="actions"><A href=sign_in_then(&Page::PetitionNew(katottg.get()).path()) attr:class="button">{t!(i18n, nav.sign_in)}</A></p>
                </div>
            }.into_any(),
            (Auth::SignedIn(_), None) => view! { <PetitionForm katottg=katottg.get() sent /> }.into_any(),
        }}
    }
}

#[component]
fn PetitionForm(katottg: String, sent: RwSignal<Option<Petition>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let saved: Option<(String, String)> = load(&draft_key(&katottg));
    let (t0, x0) = saved.unwrap_or_default();
    let title = RwSignal::new(t0);
    let text = RwSignal::new(x0);
    let key = StoredValue::new(new_idempotency_key());
    // Nothing typed is lost: the draft is kept as it is typed.
    let k_save = katottg.clone();
    Effect::new(move |_| {
        let (t, x) = (title.get(), text.get());
        let draft = (!t.trim().is_empty() || !x.trim().is_empty()).then_some((t, x));
        store(&draft_key(&k_save), draft.as_ref());
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = petitions::NewPetition {
            title: title.get_untracked().trim().to_owned(),
            text: text.get_untracked().trim().to_owned(),
        };
        if !form.begin(petitions::validate_new(&req)) {
            return;
        }
        let (api, k, key_now) = (api.clone(), katottg.clone(), key.get_value());
        spawn_local(async move {
            match api.create_petition(&k, &req, &key_now).await {
                Ok(p) => {
                    form.succeed(None);
                    store::<(String, String)>(&draft_key(&k), None);
                    sent.set(Some(p));
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    let title_hint = move || {
        let n = title.get().trim().chars().count();
        t_string!(i18n, petitions.title_hint, count = n).to_string()
    };
    view! {
        <p class="hint">{t!(i18n, petitions.law_hint)}</p>
        <div class="compose">
            <form class="form" on:submit=submit novalidate>
                <FormMessages form />
                <TextField form name="title" value=title hint=Signal::derive(title_hint)>{t!(i18n, petitions.title_field)}</TextField>
                <TextField form name="text" value=text multiline=true hint=Signal::derive(move || t_string!(i18n, petitions.text_hint).to_string())>{t!(i18n, petitions.text)}</TextField>
                <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, petitions.submit)}</button>
            </form>
            <section class="card preview-card" aria-labelledby="preview-h">
                <h2 id="preview-h" class="eyebrow">{t!(i18n, petitions.preview)}</h2>
                // An empty heading says nothing to a screen reader: shown once there is a title.
                {move || {
                    let t = title.get();
                    (!t.trim().is_empty()).then(|| view! { <h3>{t}</h3> })
                }}
                {move || paragraphs(&text.get()).into_iter().map(|p| view! { <p class="appeal-text">{p}</p> }).collect_view()}
            </section>
        </div>
    }
}
