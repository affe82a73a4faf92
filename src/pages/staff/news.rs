//! Staff write, schedule, publish, unpublish and delete the news of their hromada.

use crate::api::{ApiError, NewsQuery, new_idempotency_key, use_api};
use crate::components::form::{FormMessages, FormState, TextField, code_text};
use crate::components::layout::PageHeading;
use crate::components::more::{MoreButton, MorePages};
use crate::components::news::{NewsCard, category_label};
use crate::components::states::{Empty, ErrorView, Loading};
use crate::format::{local_input_to_utc, utc_to_local_input};
use crate::i18n::*;
use crate::routes::Page;
use hromada_api::news::{self, Image, NewsCategory, NewsDraft, NewsItem, NewsStatus, PublishMode};
use hromada_api::{ErrorCode, FieldError, validate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use wasm_bindgen::JsCast;

/// Checks a draft before it is sent; the server checks again.
pub fn check_draft(d: &NewsDraft) -> Vec<FieldError> {
    let mut out = vec![];
    validate::text("title", &d.title, 1, news::TITLE_MAX, &mut out);
    if d.summary.chars().count() > news::SUMMARY_MAX {
        out.push(FieldError::new("summary", ErrorCode::TooLong));
    }
    if NewsCategory::from_code(&d.category).is_none() {
        out.push(FieldError::new("category", ErrorCode::Required));
    }
    if d.body.chars().count() > news::BODY_MAX {
        out.push(FieldError::new("body", ErrorCode::TooLong));
    }
    if d.publish == PublishMode::At && d.publish_at.is_none() {
        out.push(FieldError::new("publish_at", ErrorCode::Required));
    }
    out
}

/// `/h/{katottg}/staff/news`: every item of the hromada, drafts and scheduled ones too.
#[component]
pub fn StaffNews() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let all = NewsQuery {
        all: true,
        ..Default::default()
    };
    let list = {
        let (api, all) = (api.clone(), all.clone());
        LocalResource::new(move || {
            let (api, k, all) = (api.clone(), katottg.get(), all.clone());
            async move { api.news(&k, &all, None).await }
        })
    };
    let more = MorePages::after(list);
    let load_more = move |_| {
        let (api, k, all) = (api.clone(), katottg.get_untracked(), all.clone());
        more.load(move |cursor| async move { api.news(&k, &all, Some(&cursor)).await });
    };
    view! {
        <PageHeading text=move || t_string!(i18n, staff.news_title).to_string() />
        <p class="actions">
            <A href=move || Page::NewsNew(katottg.get()).path() attr:class="button">{t!(i18n, staff.news_new)}</A>
            <A href=move || Page::Staff(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, staff.back_to_desk)}</A>
        </p>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| list.refetch() /> }>
                {move || Suspend::new(async move {
                    list.await.map(|page| {
                        if page.items.is_empty() {
                            view! { <Empty>{t!(i18n, news.empty)}</Empty> }.into_any()
                        } else {
                            view! {
                                <crate::components::more::ListHeading />
                                <ul class="news-list">
                                    {page.items.into_iter().map(|n| view! { <NewsCard n staff=true /> }).collect_view()}
                                    <For each=move || more.items.get() key=|n| n.id.clone() let:n>
                                        <NewsCard n staff=true />
                                    </For>
                                </ul>
                            }
                            .into_any()
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
        <MoreButton pages=more on_click=load_more />
    }
}

/// `/h/{katottg}/staff/news/new` and `/news/{id}/edit`.
#[component]
pub fn NewsEditor() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let id = params.read_untracked().get("id");
    let katottg = params.read_untracked().get("katottg");
    match id {
        None => view! { <EditorForm katottg=katottg.unwrap_or_default() item=None /> }.into_any(),
        Some(id) => {
            let item = LocalResource::new(move || {
                let (api, id) = (api.clone(), id.clone());
                async move { api.news_item(&id).await }
            });
            view! {
                <Transition fallback=Loading>
                    <ErrorBoundary fallback=move |errors| view! {
                        <PageHeading text=move || t_string!(i18n, news.unavailable).to_string() />
                        <ErrorView errors retry=move |_| item.refetch() />
                    }>
                        {move || Suspend::new(async move {
                            item.await.map(|n| {
                                let k = n.summary.katottg.clone();
                                view! { <EditorForm katottg=k item=Some(n) /> }
                            })
                        })}
                    </ErrorBoundary>
                </Transition>
            }
            .into_any()
        }
    }
}

#[component]
fn EditorForm(katottg: String, item: Option<NewsItem>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let navigate = use_navigate();
    let form = FormState::new();
    let id = item.as_ref().map(|n| n.summary.id.clone());
    let s = item.as_ref().map(|n| &n.summary);
    let title = RwSignal::new(s.map(|s| s.title.clone()).unwrap_or_default());
    let summary = RwSignal::new(s.map(|s| s.summary.clone()).unwrap_or_default());
    let category = RwSignal::new(s.map(|s| s.category.code().to_owned()).unwrap_or_default());
    let body = RwSignal::new(
        item.as_ref()
            .and_then(|n| n.body_source.clone())
            .unwrap_or_default(),
    );
    let cover = RwSignal::new(s.and_then(|s| s.cover.clone()));
    let mode = RwSignal::new(match s.map(|s| s.status) {
        Some(NewsStatus::Published) => PublishMode::Now,
        Some(NewsStatus::Scheduled) => PublishMode::At,
        _ => PublishMode::Draft,
    });
    let publish_at = RwSignal::new(
        s.and_then(|s| s.published_at.as_deref())
            .map(utc_to_local_input)
            .unwrap_or_default(),
    );
    let uploading = RwSignal::new(false);
    let key = StoredValue::new(new_idempotency_key());
    let editing = id.is_some();

    let upload = {
        let (api, k) = (api.clone(), katottg.clone());
        move |ev: leptos::ev::Event| {
            let Some(file) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            else {
                return;
            };
            if !matches!(
                file.type_().as_str(),
                "image/jpeg" | "image/png" | "image/webp"
            ) {
                form.fail(
                    i18n,
                    &ApiError::Invalid(problem_for("cover_id", ErrorCode::NotAnImage)),
                );
                return;
            }
            if file.size() > news::IMAGE_MAX_BYTES as f64 {
                form.fail(
                    i18n,
                    &ApiError::Invalid(problem_for("cover_id", ErrorCode::TooLarge)),
                );
                return;
            }
            let (api, k) = (api.clone(), k.clone());
            uploading.set(true);
            spawn_local(async move {
                match api.upload_image(&k, &file).await {
                    Ok(img) => {
                        form.succeed(None);
                        cover.set(Some(img));
                    }
                    Err(e) => {
                        // The server names the field `file`; show it beside the cover input.
                        let mut e = e;
                        if let ApiError::Invalid(p) = &mut e {
                            for fe in &mut p.errors {
                                fe.field = "cover_id".into();
                            }
                        }
                        form.fail(i18n, &e);
                    }
                }
                uploading.set(false);
            });
        }
    };

    let save = {
        let (api, k, id, navigate) = (api.clone(), katottg.clone(), id.clone(), navigate.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let draft = NewsDraft {
                title: title.get_untracked().trim().to_owned(),
                summary: summary.get_untracked().trim().to_owned(),
                category: category.get_untracked(),
                body: body.get_untracked(),
                cover_id: cover.get_untracked().map(|c: Image| c.id),
                publish: mode.get_untracked(),
                publish_at: match mode.get_untracked() {
                    PublishMode::At => local_input_to_utc(&publish_at.get_untracked()),
                    _ => None,
                },
            };
            if !form.begin(check_draft(&draft)) {
                return;
            }
            let (api, k, id, navigate) = (api.clone(), k.clone(), id.clone(), navigate.clone());
            let key = key.get_value();
            spawn_local(async move {
                let result = match &id {
                    Some(id) => api.update_news(id, &draft).await,
                    None => api.create_news(&k, &draft, &key).await,
                };
                match result {
                    Ok(_) => {
                        form.succeed(None);
                        navigate(&Page::StaffNews(k).path(), Default::default());
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };

    let delete = {
        let (api, k, id, navigate) = (api.clone(), katottg.clone(), id.clone(), navigate.clone());
        move |_| {
            let Some(id) = id.clone() else { return };
            let confirmed = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(t_string!(i18n, staff.news_delete_confirm))
                        .ok()
                })
                .unwrap_or(false);
            if !confirmed {
                return;
            }
            let (api, k, navigate) = (api.clone(), k.clone(), navigate.clone());
            spawn_local(async move {
                match api.delete_news(&id).await {
                    Ok(()) => navigate(&Page::StaffNews(k).path(), Default::default()),
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };

    let field_error =
        move |name: &'static str| move || form.error_of(name).map(|c| code_text(i18n, c));
    let mode_radio = move |m: PublishMode, label: &'static str| {
        let id = format!("publish-{label}");
        let label_for = id.clone();
        view! {
            <label class="radio" for=label_for>
                <input type="radio" id=id name="publish" prop:checked=move || mode.get() == m on:change=move |_| mode.set(m) />
                {move || match m {
                    PublishMode::Draft => t_string!(i18n, staff.publish_draft),
                    PublishMode::Now => t_string!(i18n, staff.publish_now),
                    PublishMode::At => t_string!(i18n, staff.publish_at),
                }}
            </label>
        }
    };
    let body_hint = Signal::derive(move || t_string!(i18n, staff.body_hint).to_string());
    view! {
        <PageHeading text=move || if editing { t_string!(i18n, staff.news_edit).to_string() } else { t_string!(i18n, staff.news_new).to_string() } />
        <form class="form form-wide" on:submit=save novalidate>
            <FormMessages form />
            <TextField form name="title" value=title>{t!(i18n, staff.news_field_title)}</TextField>
            <TextField form name="summary" value=summary multiline=true>{t!(i18n, staff.news_field_summary)}</TextField>
            <div class="field" class:field-invalid=move || form.error_of("category").is_some()>
                <label for="f-category">{t!(i18n, staff.news_field_category)}</label>
                <select id="f-category" name="category"
                    aria-invalid=move || form.error_of("category").is_some().to_string()
                    aria-describedby="f-category-error"
                    on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="" selected=move || category.get().is_empty()>{t!(i18n, staff.choose)}</option>
                    {NewsCategory::ALL.into_iter().map(|c| view! {
                        <option value=c.code() selected=move || category.get() == c.code()>{move || category_label(i18n, c)}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" id="f-category-error">{field_error("category")}</p>
            </div>
            <TextField form name="body" value=body multiline=true hint=body_hint>{t!(i18n, staff.news_field_body)}</TextField>
            <div class="field" class:field-invalid=move || form.error_of("cover_id").is_some()>
                <label for="f-cover_id">{t!(i18n, staff.news_field_cover)}</label>
                {move || cover.get().and_then(|c| c.fit(480).cloned()).map(|small| view! {
                    <img class="cover-preview" src=small.url width=small.width height=small.height alt="" />
                    <button type="button" class="link-button" on:click=move |_| cover.set(None)>{t!(i18n, staff.cover_remove)}</button>
                })}
                <input id="f-cover_id" type="file" accept="image/jpeg,image/png,image/webp"
                    aria-invalid=move || form.error_of("cover_id").is_some().to_string()
                    aria-describedby="f-cover_id-error" on:change=upload />
                <Show when=move || uploading.get()><p class="hint" role="status">{t!(i18n, staff.uploading)}</p></Show>
                <p class="field-error" id="f-cover_id-error">{field_error("cover_id")}</p>
            </div>
            <fieldset class="field">
                <legend>{t!(i18n, staff.publish)}</legend>
                {mode_radio(PublishMode::Draft, "draft")}
                {mode_radio(PublishMode::Now, "now")}
                {mode_radio(PublishMode::At, "at")}
                <Show when=move || mode.get() == PublishMode::At>
                    <label for="f-publish_at">{t!(i18n, staff.publish_when)}</label>
                    <input id="f-publish_at" type="datetime-local" prop:value=move || publish_at.get()
                        aria-invalid=move || form.error_of("publish_at").is_some().to_string()
                        aria-describedby="f-publish_at-error"
                        on:input=move |ev| publish_at.set(event_target_value(&ev)) />
                    <p class="field-error" id="f-publish_at-error">{field_error("publish_at")}</p>
                </Show>
            </fieldset>
            <div class="actions">
                <button type="submit" class="button" disabled=move || form.pending.get() || uploading.get()>{t!(i18n, staff.save)}</button>
                {editing.then(|| view! {
                    <button type="button" class="button button-danger" on:click=delete.clone()>{t!(i18n, staff.news_delete)}</button>
                })}
            </div>
        </form>
    }
}

fn problem_for(field: &str, code: ErrorCode) -> hromada_api::Problem {
    hromada_api::Problem {
        kind: "about:blank".into(),
        title: String::new(),
        status: 422,
        detail: None,
        errors: vec![FieldError::new(field, code)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn drafts_are_checked_before_sending() {
        let ok = NewsDraft {
            title: "Графік подачі води".into(),
            category: "utilities".into(),
            ..Default::default()
        };
        assert!(check_draft(&ok).is_empty());
        let bad = NewsDraft {
            title: "x".repeat(201),
            category: "gossip".into(),
            publish: PublishMode::At,
            ..Default::default()
        };
        let fields: Vec<_> = check_draft(&bad).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["title", "category", "publish_at"]);
    }
}
