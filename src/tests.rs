//! Component tests, run in headless Chromium by `make wasm-test`.

use crate::components::form::{FormState, TextField};
use crate::components::layout::LanguageSwitch;
use crate::components::states::ErrorView;
use crate::i18n::*;
use hromada_api::{ErrorCode, FieldError, Problem};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a view in a fresh element of its own and returns that element.
fn mount(f: impl FnOnce() -> AnyView + Send + 'static) -> web_sys::HtmlElement {
    let doc = document();
    let host: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        leptos_meta::provide_meta_context();
        view! { <crate::language::LanguageProvider>{f()}</crate::language::LanguageProvider> }
    });
    handle.forget();
    host
}

async fn tick() {
    gloo_timers::future::TimeoutFuture::new(20).await;
}

fn q(host: &web_sys::HtmlElement, sel: &str) -> web_sys::Element {
    host.query_selector(sel)
        .unwrap()
        .unwrap_or_else(|| panic!("no {sel}"))
}

#[wasm_bindgen_test]
async fn a_server_field_error_shows_beside_its_field_and_keeps_the_input() {
    let form = FormState::new();
    let value = RwSignal::new("abc".to_owned());
    let host = mount(move || {
        view! { <TextField form name="password" value kind="password">"Password"</TextField> }
            .into_any()
    });
    tick().await;
    let input: web_sys::HtmlInputElement = q(&host, "#f-password").unchecked_into();
    assert_eq!(input.value(), "abc");
    assert_eq!(
        input.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );

    let err = crate::api::ApiError::Invalid(Problem {
        kind: "about:blank".into(),
        title: "Invalid".into(),
        status: 422,
        detail: None,
        errors: vec![FieldError::new("password", ErrorCode::TooShort)],
    });
    form.fail(test_i18n(), &err);
    tick().await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    let text = q(&host, "#f-password-error")
        .text_content()
        .unwrap_or_default();
    assert!(!text.is_empty(), "the error is shown");
    assert!(
        input
            .get_attribute("aria-describedby")
            .unwrap_or_default()
            .contains("f-password-error"),
        "the error is tied to the input for screen readers"
    );
    assert_eq!(input.value(), "abc", "what was typed is kept");
}

/// An i18n context for calls made from the test body, outside the mounted tree.
fn test_i18n() -> leptos_i18n::I18nContext<Locale> {
    #[allow(deprecated)] // the component form needs a view; a plain context is enough here
    Owner::new().with(provide_i18n_context)
}

#[wasm_bindgen_test]
async fn the_language_switch_changes_texts_and_html_lang() {
    let host = mount(|| {
        view! {
            <LanguageSwitch />
            <ErrorView errors=ArcRwSignal::new(Errors::default()) retry=|_| () />
        }
        .into_any()
    });
    tick().await;
    let en = q(&host, "button[lang=en]");
    let uk = q(&host, "button[lang=uk]");
    uk.unchecked_ref::<web_sys::HtmlElement>().click();
    tick().await;
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("uk")
    );
    assert_eq!(
        q(&host, "button.button").text_content().as_deref(),
        Some("Спробувати ще раз")
    );
    en.unchecked_ref::<web_sys::HtmlElement>().click();
    tick().await;
    assert_eq!(en.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(uk.get_attribute("aria-pressed").as_deref(), Some("false"));
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("en")
    );
    assert_eq!(
        q(&host, "button.button").text_content().as_deref(),
        Some("Try again")
    );
    uk.unchecked_ref::<web_sys::HtmlElement>().click();
    tick().await;
}

/// The cookies of the test page, as `document.cookie` gives them.
fn cookies() -> String {
    document()
        .unchecked_into::<web_sys::HtmlDocument>()
        .cookie()
        .unwrap_or_default()
}

fn set_cookie(c: &str) {
    document()
        .unchecked_into::<web_sys::HtmlDocument>()
        .set_cookie(c)
        .unwrap();
}

fn html_lang() -> Option<String> {
    document().document_element()?.get_attribute("lang")
}

#[wasm_bindgen_test]
async fn the_app_speaks_ukrainian_unless_english_was_chosen_and_keeps_the_choice() {
    let error_view = || {
        view! {
            <LanguageSwitch />
            <ErrorView errors=ArcRwSignal::new(Errors::default()) retry=|_| () />
        }
        .into_any()
    };
    // No choice yet: Ukrainian, though the test browser prefers English.
    set_cookie("i18n_pref_locale=; path=/; max-age=0");
    let host = mount(error_view);
    tick().await;
    assert_eq!(html_lang().as_deref(), Some("uk"));
    assert_eq!(
        q(&host, "button.button").text_content().as_deref(),
        Some("Спробувати ще раз")
    );

    // English chosen earlier: the app starts in English and stays so.
    set_cookie("i18n_pref_locale=en; path=/");
    let host = mount(error_view);
    tick().await;
    assert_eq!(
        q(&host, "button.button").text_content().as_deref(),
        Some("Try again")
    );
    assert_eq!(html_lang().as_deref(), Some("en"));

    // A choice made with the switch is kept in the cookie.
    q(&host, "button[lang=uk]")
        .unchecked_ref::<web_sys::HtmlElement>()
        .click();
    tick().await;
    assert!(cookies().contains("i18n_pref_locale=uk"), "{}", cookies());
    assert_eq!(
        q(&host, "button.button").text_content().as_deref(),
        Some("Спробувати ще раз")
    );
}

/// The kept language is the only one drawn: no text or `<html lang>` is first drawn in the
/// browser's preferred language (English in the test browser) and then replaced.
#[wasm_bindgen_test]
async fn only_the_kept_language_is_drawn() {
    use std::{cell::RefCell, rc::Rc};
    set_cookie("i18n_pref_locale=uk; path=/");
    document()
        .document_element()
        .unwrap()
        .set_attribute("lang", "uk")
        .unwrap();
    let replaced = Rc::new(RefCell::new(Vec::<String>::new()));
    let seen = replaced.clone();
    let record = wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(
        move |records: js_sys::Array| {
            for r in records.iter() {
                let r: web_sys::MutationRecord = r.unchecked_into();
                seen.borrow_mut().extend(r.old_value());
            }
        },
    );
    let observer = web_sys::MutationObserver::new(record.as_ref().unchecked_ref()).unwrap();
    let init = web_sys::MutationObserverInit::new();
    init.set_subtree(true);
    init.set_character_data(true);
    init.set_character_data_old_value(true);
    init.set_attribute_old_value(true);
    init.set_attribute_filter(&js_sys::Array::of1(&"lang".into()));
    observer
        .observe_with_options(&document().document_element().unwrap(), &init)
        .unwrap();
    let host = mount(|| {
        view! { <ErrorView errors=ArcRwSignal::new(Errors::default()) retry=|_| () /> }.into_any()
    });
    tick().await;
    observer.disconnect();
    assert_eq!(
        q(&host, "button.button").text_content().as_deref(),
        Some("Спробувати ще раз")
    );
    assert_eq!(html_lang().as_deref(), Some("uk"));
    let replaced = replaced.borrow();
    assert!(
        !replaced
            .iter()
            .any(|v| v == "en" || v.contains("Try again")),
        "English was drawn and replaced: {replaced:?}"
    );
}

#[wasm_bindgen_test]
async fn the_error_view_explains_and_retries() {
    let retried = RwSignal::new(0);
    let errors = ArcRwSignal::new(Errors::default());
    errors.update(|e| e.insert_with_default_key(crate::api::ApiError::Network));
    let host = mount(move || {
        view! { <ErrorView errors=errors.clone() retry=move |_| retried.update(|n| *n += 1) /> }
            .into_any()
    });
    tick().await;
    let alert = q(&host, "[role=alert]");
    assert!(
        alert.text_content().unwrap_or_default().contains("зв’язку"),
        "{:?}",
        alert.text_content()
    );
    q(&host, "button")
        .unchecked_ref::<web_sys::HtmlElement>()
        .click();
    tick().await;
    assert_eq!(retried.get_untracked(), 1);
}

fn summary(
    status: hromada_api::appeals::AppealStatus,
    due_at: &str,
) -> hromada_api::appeals::AppealSummary {
    use hromada_api::appeals::{AppealKind, AppealSummary, CategoryRef};
    AppealSummary {
        id: "a1".into(),
        number: "ЗВ-2026-000001".into(),
        katottg: "UA1".into(),
        kind: AppealKind::Complaint,
        category: CategoryRef {
            id: "c1".into(),
            name: "Дороги".into(),
        },
        subject: "Яма".into(),
        status,
        registered_at: "2026-10-01T10:00:00.000Z".into(),
        due_at: due_at.into(),
        term_days: 30,
        public: false,
        assignee: None,
        updated_at: "2026-10-01T10:00:00.000Z".into(),
    }
}

#[wasm_bindgen_test]
async fn a_deadline_shows_the_time_left_and_an_overdue_one_stands_out() {
    use crate::components::appeals::Deadline;
    use hromada_api::appeals::AppealStatus;
    let host = mount(|| {
        view! {
            <div id="late"><Deadline a=summary(AppealStatus::InProgress, "2000-01-01T00:00:00.000Z") /></div>
            <div id="later"><Deadline a=summary(AppealStatus::Registered, "2999-01-01T00:00:00.000Z") /></div>
            <div id="done"><Deadline a=summary(AppealStatus::Answered, "2000-01-01T00:00:00.000Z") /></div>
        }
        .into_any()
    });
    tick().await;
    let late = q(&host, "#late .deadline");
    assert!(late.class_list().contains("deadline-overdue"));
    let text = late.text_content().unwrap_or_default();
    assert!(
        text.contains("01.01.2000") && text.contains("прострочено"),
        "{text}"
    );
    let later = q(&host, "#later .deadline");
    assert!(!later.class_list().contains("deadline-overdue"));
    assert!(later.text_content().unwrap_or_default().contains("ще "));
    let done = q(&host, "#done .deadline");
    assert!(
        !done.class_list().contains("deadline-overdue"),
        "an answered appeal is never overdue"
    );
    assert!(
        !done
            .text_content()
            .unwrap_or_default()
            .contains("прострочено")
    );
}

#[wasm_bindgen_test]
async fn the_timeline_lists_steps_in_order_with_who_and_why() {
    use crate::components::appeals::Timeline;
    use hromada_api::appeals::{Step, TimelineEntry};
    let entries = vec![
        TimelineEntry {
            at: "2026-10-01T10:00:00.000Z".into(),
            by: None,
            step: Step::Registered,
        },
        TimelineEntry {
            at: "2026-10-02T10:00:00.000Z".into(),
            by: Some("Петренко Олена".into()),
            step: Step::Extended {
                due_at: "2026-11-15T10:00:00.000Z".into(),
                reason: "Потрібна експертиза".into(),
            },
        },
    ];
    let host = mount(move || view! { <Timeline entries /> }.into_any());
    tick().await;
    let steps = host.query_selector_all("li.step").unwrap();
    assert_eq!(steps.length(), 2);
    let second = steps.get(1).unwrap().text_content().unwrap_or_default();
    assert!(second.contains("15.11.2026"), "{second}");
    assert!(second.contains("Петренко Олена") && second.contains("Потрібна експертиза"));
    assert!(
        q(&host, "li.step:first-child")
            .class_list()
            .contains("step-registered")
    );
}

#[wasm_bindgen_test]
fn the_signed_in_hint_is_read_from_the_cookies() {
    use crate::state::has_cookie;
    assert!(has_cookie(
        "i18n_pref_locale=uk; hromada_signed_in=1",
        "hromada_signed_in"
    ));
    assert!(!has_cookie("i18n_pref_locale=uk", "hromada_signed_in"));
    assert!(!has_cookie("hromada_signed_in=", "hromada_signed_in"));
    assert!(!has_cookie("xhromada_signed_in=1", "hromada_signed_in"));
}

#[wasm_bindgen_test]
async fn later_draws_its_children_in_the_next_task() {
    use crate::pages::deferred::Later;
    let host = mount(|| view! { <Later><p id="late">"later"</p></Later> }.into_any());
    assert!(
        host.query_selector("#late").unwrap().is_none(),
        "drawn in the task that mounted it"
    );
    tick().await;
    assert_eq!(q(&host, "#late").text_content().as_deref(), Some("later"));
}

#[wasm_bindgen_test]
async fn the_first_drawn_page_replaces_the_placeholder_and_a_later_one_takes_the_focus() {
    use crate::pages::deferred::page_drawn;
    let doc = document();
    let body = doc.body().unwrap();
    let boot = doc.create_element("div").unwrap();
    boot.set_id("boot");
    body.append_child(&boot).unwrap();
    let main = doc.create_element("main").unwrap();
    main.set_inner_html(r#"<h1 id="drawn-heading" tabindex="-1">page</h1>"#);
    body.append_child(&main).unwrap();
    page_drawn();
    assert!(doc.get_element_by_id("boot").is_none(), "placeholder kept");
    tick().await;
    assert_ne!(
        doc.active_element().map(|e| e.id()).as_deref(),
        Some("drawn-heading"),
        "the first page took the focus"
    );
    // A navigation: nothing to remove, the new page's heading takes the focus.
    page_drawn();
    tick().await;
    assert_eq!(
        doc.active_element().map(|e| e.id()).as_deref(),
        Some("drawn-heading")
    );
    main.remove();
}

#[wasm_bindgen_test]
async fn a_first_view_stays_until_the_apps_page_has_its_data() {
    use crate::pages::deferred::{page_drawn, remove_boot_when_loaded};
    let doc = document();
    let body = doc.body().unwrap();
    let sleep = |ms| gloo_timers::future::TimeoutFuture::new(ms);
    let first_view = || {
        let boot = doc.create_element("div").unwrap();
        boot.set_id("boot");
        boot.set_inner_html("<main><h1>first view</h1></main>");
        body.append_child(&boot).unwrap();
    };
    let app = doc.create_element("div").unwrap();
    app.set_inner_html(r#"<main><p class="state state-loading">loading</p></main>"#);
    first_view();
    body.append_child(&app).unwrap();
    page_drawn();
    sleep(200).await;
    assert!(
        doc.get_element_by_id("boot").is_some(),
        "the first view gave way to the app's loading state"
    );
    app.set_inner_html("<main><h1>page</h1></main>");
    sleep(200).await;
    assert!(
        doc.get_element_by_id("boot").is_none(),
        "the first view stayed over the loaded page"
    );
    // A page that never loads takes the first view's place when the wait is over.
    app.set_inner_html(r#"<main><p class="state state-loading">loading</p></main>"#);
    app.remove();
    first_view();
    body.append_child(&app).unwrap();
    remove_boot_when_loaded(std::time::Duration::from_millis(100));
    sleep(50).await;
    assert!(
        doc.get_element_by_id("boot").is_some(),
        "removed before the wait"
    );
    sleep(300).await;
    assert!(
        doc.get_element_by_id("boot").is_none(),
        "the first view outlived its wait"
    );
    app.remove();
}

#[wasm_bindgen_test]
async fn a_field_error_can_say_more_than_its_code() {
    use crate::pages::account::new_password_errors;
    let form = FormState::new();
    let again = RwSignal::new("not-the-same-one".to_owned());
    let host = mount(move || {
        view! { <TextField form name="password_again" value=again kind="password">"Again"</TextField> }
            .into_any()
    });
    tick().await;
    let errors = new_password_errors("a-long-enough-pass-2026", "not-the-same-one");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field, "password_again");
    assert!(!form.begin(errors));
    form.explain("password_again", "The two passwords differ.".into());
    tick().await;
    let input: web_sys::HtmlInputElement = q(&host, "#f-password_again").unchecked_into();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        q(&host, "#f-password_again-error")
            .text_content()
            .as_deref(),
        Some("The two passwords differ.")
    );
    assert_eq!(input.value(), "not-the-same-one", "what was typed is kept");
    // The next attempt starts afresh.
    assert!(form.begin(new_password_errors(
        "a-long-enough-pass-2026",
        "a-long-enough-pass-2026"
    )));
    tick().await;
    assert_eq!(
        q(&host, "#f-password_again-error")
            .text_content()
            .as_deref(),
        Some("")
    );
    // A short password is the first field's problem, not the second's.
    let short = new_password_errors("short", "other");
    assert_eq!(short.len(), 1);
    assert_eq!(short[0].field, "password");
}

#[wasm_bindgen_test]
fn every_push_refusal_is_said_plainly() {
    use crate::components::push::push_error_text;
    use crate::push::PushError;
    // An owner that lives as long as the texts are asked for.
    let owner = Owner::new();
    #[allow(deprecated)]
    let i18n = owner.with(provide_i18n_context);
    let endpoint = crate::api::ApiError::Invalid(Problem {
        kind: "about:blank".into(),
        title: "Invalid".into(),
        status: 422,
        detail: None,
        errors: vec![FieldError::new("endpoint", ErrorCode::Invalid)],
    });
    let texts: Vec<String> = [
        PushError::Unsupported,
        PushError::NeedsHomeScreen,
        PushError::Denied,
        PushError::Dismissed,
        PushError::Refused("Registration failed - permission denied".into()),
        PushError::NoAnswer,
        PushError::Api(endpoint),
        PushError::Api(crate::api::ApiError::Network),
    ]
    .iter()
    .map(|e| push_error_text(i18n, e))
    .collect();
    for (i, t) in texts.iter().enumerate() {
        assert!(!t.is_empty(), "refusal {i} says nothing");
        assert!(
            texts.iter().filter(|o| *o == t).count() == 1,
            "refusal {i} says what another does: {t}"
        );
    }
    assert!(texts[1].contains("iPhone"), "{}", texts[1]);
}

#[wasm_bindgen_test]
async fn the_alerts_button_asks_nothing_until_pressed() {
    use crate::components::push::AlertsOnDevice;
    let host = mount(|| {
        crate::api::provide_api(String::new());
        crate::state::provide_session(None);
        view! { <AlertsOnDevice katottg="UA65100150000057191".to_owned() /> }.into_any()
    });
    // The browser's subscription is looked at; this page has no service worker.
    gloo_timers::future::TimeoutFuture::new(300).await;
    let button = host
        .query_selector("#push-on")
        .unwrap()
        .expect("the button is offered");
    assert!(
        !button.text_content().unwrap_or_default().is_empty(),
        "the button says what it does"
    );
    assert_eq!(
        web_sys::Notification::permission(),
        web_sys::NotificationPermission::Default,
        "permission was asked without a press"
    );
    assert!(host.query_selector("#push-error").unwrap().is_none());
}
