//! `/admin`: the administrator grants and revokes the staff role of accounts.

use crate::api::use_api;
use crate::components::hromada_search::{HromadaSearch, name_in};
use crate::components::layout::PageHeading;
use crate::components::states::{Empty, ErrorView, Loading, error_text};
use crate::i18n::*;
use gloo_timers::callback::Timeout;
use hromada_api::{AdminUser, HromadaSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The administrator's page.
#[component]
pub fn Admin() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let timer = StoredValue::new_local(None::<Timeout>);
    let users = LocalResource::new(move || {
        let api = api.clone();
        let q = query.get();
        async move { api.admin_users(&q, None).await }
    });
    view! {
        <PageHeading text=move || t_string!(i18n, admin.title).to_string() />
        <p class="lead">{t!(i18n, admin.lead)}</p>
        <div role="search">
            <label for="admin-q">{t!(i18n, admin.search_label)}</label>
            <input
                id="admin-q"
                type="search"
                autocomplete="off"
                prop:value=move || typed.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    typed.set(v.clone());
                    timer.set_value(Some(Timeout::new(250, move || query.set(v))));
                }
            />
        </div>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| users.refetch() /> }>
                {move || Suspend::new(async move {
                    users.await.map(|page| {
                        if page.items.is_empty() {
                            view! { <Empty>{t!(i18n, admin.none_found)}</Empty> }.into_any()
                        } else {
                            view! {
                                <ul class="cards">
                                    {page.items.into_iter().map(|u| view! { <UserCard u /> }).collect_view()}
                                </ul>
                            }
                            .into_any()
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn UserCard(u: AdminUser) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let user = RwSignal::new(u);
    let alert = RwSignal::new(None::<String>);
    let choosing = RwSignal::new(false);
    let set_staff = move |katottg: String, grant: bool| {
        let api = api.clone();
        let id = user.get_untracked().id;
        spawn_local(async move {
            match api.set_staff(&id, &katottg, grant).await {
                Ok(u) => {
                    alert.set(None);
                    user.set(u);
                }
                Err(e) => alert.set(Some(error_text(i18n, &e))),
            }
        });
    };
    let grant_other = {
        let set_staff = set_staff.clone();
        move |h: HromadaSummary| {
            choosing.set(false);
            set_staff(h.katottg, true);
        }
    };
    let heading_id = move || format!("user-{}", user.with(|u| u.id.clone()));
    view! {
        <li class="card" aria-labelledby=heading_id>
            <h2 id=heading_id>{move || user.with(|u| u.full_name.clone())}</h2>
            <p>{move || user.with(|u| format!("{} · {}", u.email, name_in(i18n, &u.hromada.name)))}</p>
            {move || user.with(|u| u.admin).then(|| view! { <p class="badge">{t!(i18n, role.admin)}</p> })}
            <h3>{t!(i18n, admin.staff_of)}</h3>
            {let set_staff = set_staff.clone(); move || {
                let staff_of = user.with(|u| u.staff_of.clone());
                if staff_of.is_empty() {
                    view! { <p>{t!(i18n, admin.not_staff)}</p> }.into_any()
                } else {
                    let set_staff = set_staff.clone();
                    view! {
                        <ul class="chips">
                            {staff_of.into_iter().map(|h| {
                                let set_staff = set_staff.clone();
                                let k = h.katottg.clone();
                                view! {
                                    <li>
                                        {name_in(i18n, &h.name)}
                                        " "
                                        <button type="button" class="link-button" on:click=move |_| set_staff(k.clone(), false)>
                                            {t!(i18n, admin.revoke)}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
            <div class="actions">
                {
                    let set_staff = set_staff.clone();
                    move || {
                        let own = user.with(|u| u.hromada.clone());
                        let already = user.with(|u| u.staff_of.iter().any(|h| h.katottg == own.katottg));
                        let set_staff = set_staff.clone();
                        (!already).then(|| view! {
                            <button type="button" class="button" on:click=move |_| set_staff(own.katottg.clone(), true)>
                                {t!(i18n, admin.grant_own, name = name_in(i18n, &own.name))}
                            </button>
                        })
                    }
                }
                <button type="button" class="button button-secondary" on:click=move |_| choosing.update(|c| *c = !*c)>
                    {t!(i18n, admin.grant_other)}
                </button>
            </div>
            <Show when=move || choosing.get()>
                <HromadaSearch input_id="admin-hromada-q" on_choose=Callback::new(grant_other.clone()) />
            </Show>
            {move || alert.get().map(|a| view! { <p class="alert alert-error" role="alert">{a}</p> })}
        </li>
    }
}
