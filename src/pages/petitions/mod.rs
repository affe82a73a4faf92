//! Local petitions: the hromada's list in tabs, one petition with its signatures, writing
//! one, and the person's own.

mod new;

pub use new::NewPetition;

use crate::api::{ApiError, PetitionQuery, new_idempotency_key, use_api};
use crate::components::form::{FormMessages, FormState};
use crate::components::layout::PageHeading;
use crate::components::more::{MoreButton, MorePages, PagedCards};
use crate::components::petitions::PetitionCard;
use crate::components::states::{AfterSession, ErrorView, Loading};
use crate::format::date;
use crate::i18n::*;
use crate::routes::{Page, sign_in_then};
use crate::state::{Auth, use_session};
use hromada_api::Verification;
use hromada_api::petitions::Petition;
use hromada_api::petitions::rules::{CannotSign, Reader, can_sign};
use hromada_views::petitions::{
    ListFilter, PetitionDetails, PetitionsTop, ShareButton, SignCard, SignInToSign, counts,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use wasm_bindgen::JsCast;

/// `/h/{katottg}/petitions?status=&sort=&q=`: the hromada's petitions in tabs.
#[component]
pub fn Petitions() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let query = use_query_map();
    let navigate = use_navigate();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let filter = Memo::new(move |_| {
        let q = query.read();
        let pairs = ["status", "sort", "q"].map(|k| (k, q.get(k).unwrap_or_default()));
        ListFilter::from_query(pairs.iter().map(|(k, v)| (*k, v.as_str())))
    });
    let first = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, k, f) = (api.clone(), katottg.get(), filter.get());
            let q = PetitionQuery {
                status: f.status,
                sort: f.sort,
                q: f.q,
            };
            async move { api.petitions(&k, &q, None).await }
        })
    };
    let more = MorePages::after(first);
    let load_more = move |_| {
        let (api, k, f) = (api.clone(), katottg.get_untracked(), filter.get_untracked());
        let q = PetitionQuery {
            status: f.status,
            sort: f.sort,
            q: f.q,
        };
        more.load(move |c| async move { api.petitions(&k, &q, Some(&c)).await });
    };
    // The URL holds the tab, the order and the search, so a list can be shared.
    let typed = RwSignal::new(filter.get_untracked().q);
    let go = move |f: ListFilter| navigate(&f.href(&katottg.get_untracked()), Default::default());
    let on_search = {
        let go = go.clone();
        Callback::new(move |()| {
            go(ListFilter {
                q: typed.get_untracked(),
                ..filter.get_untracked()
            })
        })
    };
    let on_sort = Callback::new(move |sort| {
        go(ListFilter {
            sort,
            ..filter.get_untracked()
        })
    });
    view! {
        <PetitionsTop katottg filter typed on_search on_sort />
        <PagedCards first more heading=true empty=move || t_string!(i18n, petitions.none).to_string()
            row=|p| view! { <PetitionCard p /> }.into_any() />
        <MoreButton pages=more on_click=load_more />
    }
}

/// `/petitions`: the petitions the person wrote, whatever their state.
#[component]
pub fn MyPetitions() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <PageHeading text=move || t_string!(i18n, petitions.mine_title).to_string() />
        {move || match session.0.get() {
            Auth::Checking => view! { <Loading /> }.into_any(),
            Auth::SignedOut => view! {
                <div class="card">
                    <p>{t!(i18n, petitions.sign_in_to_write)}</p>
                    <p class="actions"><A href=sign_in_then(&Page::MyPetitions.path()) attr:class="button">{t!(i18n, nav.sign_in)}</A></p>
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
    let first = {
        let api = api.clone();
        LocalResource::new(move || {
            let api = api.clone();
            async move { api.my_petitions(None).await }
        })
    };
    let more = MorePages::after(first);
    let load_more = move |_| {
        let api = api.clone();
        more.load(move |c| async move { api.my_petitions(Some(&c)).await });
    };
    view! {
        <p class="actions">
            <A href=Page::PetitionNew(home).path() attr:class="button">{t!(i18n, petitions.write)}</A>
        </p>
        <PagedCards first more heading=true empty=move || t_string!(i18n, petitions.mine_none).to_string()
            row=|p| view! { <PetitionCard p /> }.into_any() />
        <MoreButton pages=more on_click=load_more />
    }
}

/// `/petitions/{id}`: the petition, its progress, signing, its signers and the answer.
#[component]
pub fn PetitionPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let live = crate::live::use_live();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let place = crate::state::use_place();
    let petition = LocalResource::new(move || {
        let (api, id) = (api.clone(), id.get());
        async move {
            let p = api.petition(&id).await?;
            crate::live::enter_hromada(&api, place, &p.summary.katottg).await;
            Ok::<_, ApiError>(p)
        }
    });
    // Reaching the number or the answer arrives live to signers: show it.
    Effect::new(move |_| {
        if let Some(n) = live.notice.get()
            && n.petition.is_some_and(|p| p.id == id.get_untracked())
        {
            petition.refetch();
        }
    });
    let changed = Callback::new(move |_: ()| petition.refetch());
    // The outcome of signing lives outside the view that the reload redraws.
    let sign_note = RwSignal::new(None::<SignNote>);
    Effect::new(move |_| {
        id.track();
        sign_note.set(None);
    });
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! {
                <PageHeading text=move || t_string!(i18n, petitions.one).to_string() />
                <ErrorView errors retry=move |_| petition.refetch() />
            }>
                <AfterSession>
                    {move || Suspend::new(async move {
                        petition.await.map(|p| view! { <PetitionView p changed sign_note /> })
                    })}
                </AfterSession>
            </ErrorBoundary>
        </Transition>
    }
}

/// What came of the last attempt to sign.
#[derive(Debug, Clone, PartialEq)]
enum SignNote {
    Signed,
    AlreadySigned,
}

#[component]
fn PetitionView(
    p: Petition,
    changed: Callback<()>,
    sign_note: RwSignal<Option<SignNote>>,
) -> impl IntoView {
    let session = use_session();
    let s = p.summary.clone();
    let k = s.katottg.clone();
    Effect::new(move |_| crate::state::remember_hromada(k.clone()));
    let staff = session
        .me()
        .is_some_and(|me| me.is_staff_of(&s.katottg) || me.admin);
    let after = view! {
        {staff.then(|| view! { <crate::pages::staff::PetitionStaffPanel p=p.clone() changed /> })}
        {counts(s.status).then(|| view! { <Signers id=s.id.clone() /> })}
    };
    view! {
        <PetitionDetails
            p=p.clone()
            sign=view! { <SignBox p=p.clone() changed note=sign_note /> }.into_any()
            share=view! { <Share title=s.title.clone() /> }.into_any()
            after=after.into_any()
        />
    }
}

/// Signing: one action, or what to do instead of a dead button.
#[component]
fn SignBox(p: Petition, changed: Callback<()>, note: RwSignal<Option<SignNote>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let form = FormState::new();
    let petition_id = p.summary.id.clone();
    let status = p.summary.status;
    let katottg = p.summary.katottg.clone();
    let hromada = {
        let (api, k) = (api.clone(), katottg.clone());
        LocalResource::new(move || {
            let (api, k) = (api.clone(), k.clone());
            async move { api.hromada(&k).await }
        })
    };
    let signed = p.signed;
    let id = p.summary.id.clone();
    let title = p.summary.title.clone();
    // One key per signature, kept across retries: a retry after a lost answer (or the
    // outbox's delivery) never signs twice.
    let key = StoredValue::new(new_idempotency_key());
    // Signed without a network, the signature waited in the outbox: once delivered, the
    // petition shows it.
    let offline = crate::offline::use_offline();
    // While it waits (answered "queued" just now, or found in the outbox on opening the
    // page) there is nothing to press again: the box says where the signature is.
    let queued = RwSignal::new(false);
    let in_outbox = {
        let path = crate::api::signatures_path(&id);
        Memo::new(move |_| {
            offline
                .outbox
                .with(|items| crate::offline::waits(items, "signature", &path))
        })
    };
    let seen_in_outbox = StoredValue::new(false);
    Effect::new(move |_| {
        if in_outbox.get() {
            seen_in_outbox.set_value(true);
        } else if seen_in_outbox.get_value() {
            // Delivered or refused: the outbox has its answer.
            queued.set(false);
        }
    });
    let waiting = Memo::new(move |_| queued.get() || in_outbox.get());
    Effect::new(move |_| {
        if let Some(d) = offline.delivered.get()
            && d.kind == "signature"
            && d.key.as_deref() == Some(key.get_value().as_str())
        {
            queued.set(false);
            form.succeed(None);
            note.set(Some(SignNote::Signed));
            changed.run(());
        }
    });
    let sign = move |_| {
        let (api, id, title) = (api.clone(), id.clone(), title.clone());
        form.begin(vec![]);
        spawn_local(async move {
            match api.sign_petition(&id, &key.get_value(), &title).await {
                Ok(_) => {
                    form.succeed(None);
                    note.set(Some(SignNote::Signed));
                    changed.run(());
                }
                Err(ApiError::Conflict(_)) => {
                    form.succeed(None);
                    note.set(Some(SignNote::AlreadySigned));
                    changed.run(());
                }
                Err(ApiError::Queued(_)) => {
                    // The box itself says it waits; no second message.
                    form.succeed(None);
                    queued.set(true);
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    let state = Memo::new(move |_| {
        let verified_only = hromada
            .get()
            .and_then(Result::ok)
            .is_none_or(|h| h.settings.petition_verified_only);
        let me = session.me();
        let reader = Reader {
            signed_in: me.is_some(),
            verified: me
                .as_ref()
                .is_some_and(|m| m.verification == Verification::Verified),
            resident: me.as_ref().is_some_and(|m| m.hromada.katottg == katottg),
        };
        // Whoever signed sees it, whatever became of the petition since.
        if signed {
            Err(CannotSign::Signed)
        } else {
            can_sign(status, verified_only, reader, signed)
        }
    });
    let note_view = move || {
        note.get().map(|n| match n {
            SignNote::Signed => view! { <p class="alert alert-ok" role="status">{t!(i18n, petitions.signed_now)}</p> }.into_any(),
            SignNote::AlreadySigned => view! { <p class="alert alert-error" role="alert">{t!(i18n, petitions.already_signed)}</p> }.into_any(),
        })
    };
    move || {
        let body = match state.get() {
            // Nothing to do here: no empty card.
            Err(CannotSign::NotCollecting) => return ().into_any(),
            Ok(()) if waiting.get() => view! {
                <p class="sign-waiting" role="status">{t!(i18n, petitions.sign_waiting)}" "
                    <A href=Page::Outbox.path()>{t!(i18n, petitions.sign_waiting_open)}</A></p>
            }.into_any(),
            Ok(()) => view! {
                <button type="button" class="button button-big" on:click=sign.clone() disabled=move || form.pending.get()>
                    {t!(i18n, petitions.sign)}
                </button>
            }.into_any(),
            Err(CannotSign::Signed) => view! {
                <p class="signed" role="status"><span aria-hidden="true">"✓ "</span>{t!(i18n, petitions.you_signed)}</p>
            }.into_any(),
            Err(CannotSign::SignIn) => view! { <SignInToSign id=petition_id.clone() /> }.into_any(),
            Err(CannotSign::Verify) => view! {
                <p>{t!(i18n, petitions.verify_hint)}</p>
                <p><A href=Page::Account.path() attr:class="button button-secondary">{t!(i18n, petitions.verify_go)}</A></p>
            }.into_any(),
            Err(CannotSign::OtherHromada) => view! { <p>{t!(i18n, petitions.other_hromada)}</p> }.into_any(),
        };
        view! {
            <SignCard>
                <FormMessages form />
                {note_view}
                {body}
            </SignCard>
        }
        .into_any()
    }
}

/// Share: the phone's share sheet where there is one, a copied link elsewhere.
#[component]
fn Share(title: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let share = Callback::new(move |()| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let url = window.location().href().unwrap_or_default();
        let nav = window.navigator();
        let nav_js: &wasm_bindgen::JsValue = nav.as_ref();
        let call = |obj: &wasm_bindgen::JsValue, name: &str, arg: &wasm_bindgen::JsValue| {
            js_sys::Reflect::get(obj, &name.into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .map(|f| f.call1(obj, arg))
        };
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &"title".into(), &title.clone().into());
        let _ = js_sys::Reflect::set(&data, &"url".into(), &url.clone().into());
        if call(nav_js, "share", &data).is_some_and(|r| r.is_ok()) {
            return;
        }
        let clipboard = js_sys::Reflect::get(nav_js, &"clipboard".into()).unwrap_or_default();
        if call(&clipboard, "writeText", &url.into()).is_some_and(|r| r.is_ok()) {
            copied.set(true);
        }
    });
    view! { <ShareButton share copied /> }
}

/// The public list of signers, oldest first, paged.
#[component]
fn Signers(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let first = {
        let (api, id) = (api.clone(), id.clone());
        LocalResource::new(move || {
            let (api, id) = (api.clone(), id.clone());
            async move { api.signers(&id, None).await }
        })
    };
    let more = MorePages::after(first);
    let load_more = move |_| {
        let (api, id) = (api.clone(), id.clone());
        more.load(move |c| async move { api.signers(&id, Some(&c)).await });
    };
    view! {
        <section aria-labelledby="signers-h">
            <h2 id="signers-h">{t!(i18n, petitions.signers)}</h2>
            <PagedCards first more class="signers" empty=move || t_string!(i18n, petitions.no_signers).to_string()
                row=|s: hromada_api::petitions::Signer| view! {
                    <li><span>{s.full_name}</span>" "<time class="meta" datetime=s.at.clone()>{date(&s.at)}</time></li>
                }.into_any() />
            <MoreButton pages=more on_click=load_more />
        </section>
    }
}
