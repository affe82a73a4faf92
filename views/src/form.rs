//! Form plumbing: field errors (from local validation or from the server) shown beside
//! their fields, a form-level alert, and the busy flag.

use crate::i18n::*;
use hromada_api::{ErrorCode, FieldError};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// A sentence for a person about one field error.
pub fn code_text(i18n: I18nContext<Locale>, code: ErrorCode) -> String {
    match code {
        ErrorCode::Required => t_string!(i18n, field.required).to_string(),
        ErrorCode::TooShort => t_string!(i18n, field.too_short).to_string(),
        ErrorCode::TooLong => t_string!(i18n, field.too_long).to_string(),
        ErrorCode::Invalid => t_string!(i18n, field.invalid).to_string(),
        ErrorCode::CommonPassword => t_string!(i18n, field.common_password).to_string(),
        ErrorCode::Taken => t_string!(i18n, field.taken).to_string(),
        ErrorCode::UnknownHromada => t_string!(i18n, field.unknown_hromada).to_string(),
        ErrorCode::WrongPassword => t_string!(i18n, field.wrong_password).to_string(),
        ErrorCode::NotAnImage => t_string!(i18n, field.not_an_image).to_string(),
        ErrorCode::TooLarge => t_string!(i18n, field.too_large).to_string(),
        ErrorCode::BeforeStart => t_string!(i18n, field.before_start).to_string(),
        ErrorCode::TooMany => t_string!(i18n, field.too_many).to_string(),
        ErrorCode::NotAFile => t_string!(i18n, field.not_a_file).to_string(),
        ErrorCode::OverBudget => t_string!(i18n, field.over_budget).to_string(),
        ErrorCode::SameCategory => t_string!(i18n, field.same_category).to_string(),
    }
}

/// What a form needs to know of a failed request: its field errors, whether it only
/// waits in the outbox, and a sentence about it.
pub trait FormError {
    /// The errors of single fields, if the server refused the input.
    fn field_errors(&self) -> &[FieldError];
    /// Not a failure: the request waits in the outbox until the network returns.
    fn is_queued(&self) -> bool;
    /// A sentence for a person.
    fn text(&self, i18n: I18nContext<Locale>) -> String;
}

/// The state of one form (context-free: pass it to the fields).
#[derive(Clone, Copy)]
pub struct FormState {
    errors: RwSignal<Vec<FieldError>>,
    /// Sentences that say more than a field error's code ([`FormState::explain`]).
    texts: RwSignal<Vec<(String, String)>>,
    /// A message about the whole form (network down, wrong credentials…).
    pub alert: RwSignal<Option<String>>,
    /// A success message.
    pub notice: RwSignal<Option<String>>,
    /// A request is on its way.
    pub pending: RwSignal<bool>,
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

impl FormState {
    /// An empty form state.
    pub fn new() -> Self {
        Self {
            errors: RwSignal::new(vec![]),
            texts: RwSignal::new(vec![]),
            alert: RwSignal::new(None),
            notice: RwSignal::new(None),
            pending: RwSignal::new(false),
        }
    }

    /// The first error of a field.
    pub fn error_of(&self, field: &str) -> Option<ErrorCode> {
        self.errors
            .with(|e| e.iter().find(|e| e.field == field).map(|e| e.code))
    }

    /// Says what is wrong with a field that has an error in words of the page's own (two
    /// passwords that differ, say) instead of its code's general sentence.
    pub fn explain(&self, field: &str, text: String) {
        self.texts.update(|t| t.push((field.to_owned(), text)));
    }

    /// The sentence for a field's error: the page's own, else its code's.
    pub fn error_text(&self, i18n: I18nContext<Locale>, field: &str) -> Option<String> {
        let code = self.error_of(field)?;
        self.texts
            .with(|t| t.iter().find(|(f, _)| f == field).map(|(_, s)| s.clone()))
            .or_else(|| Some(code_text(i18n, code)))
    }

    /// The first error of a field or of any of its items (`links`, `links[2]`).
    pub fn error_under(&self, field: &str) -> Option<ErrorCode> {
        self.errors.with(|e| {
            e.iter()
                .find(|e| {
                    e.field
                        .strip_prefix(field)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
                })
                .map(|e| e.code)
        })
    }

    /// Starts a submission: shows local validation errors and returns whether to send.
    pub fn begin(&self, local_errors: Vec<FieldError>) -> bool {
        self.alert.set(None);
        self.notice.set(None);
        let ok = local_errors.is_empty();
        self.texts.set(vec![]);
        self.errors.set(local_errors);
        if ok {
            self.pending.set(true);
        } else {
            focus_first_invalid();
        }
        ok
    }

    /// Ends a submission that succeeded.
    pub fn succeed(&self, notice: Option<String>) {
        self.pending.set(false);
        self.errors.set(vec![]);
        self.notice.set(notice);
    }

    /// Ends a submission with a message about the whole form.
    pub fn fail_with(&self, message: String) {
        self.pending.set(false);
        self.alert.set(Some(message));
    }

    /// Ends a submission that failed: field errors go beside their fields; anything else
    /// becomes the form's alert. What the person typed is left as it was.
    pub fn fail(&self, i18n: I18nContext<Locale>, err: &impl FormError) {
        self.pending.set(false);
        if err.is_queued() {
            // Not a failure: the outbox delivers it when the network returns.
            self.errors.set(vec![]);
            self.notice.set(Some(err.text(i18n)));
            return;
        }
        let fields = err.field_errors().to_vec();
        self.texts.set(vec![]);
        if fields.is_empty() {
            self.errors.set(vec![]);
            self.alert.set(Some(err.text(i18n)));
        } else {
            self.errors.set(fields);
            focus_first_invalid();
        }
    }
}

/// Moves the focus to the first field marked invalid (in the browser).
fn focus_first_invalid() {
    #[cfg(feature = "csr")]
    request_animation_frame(|| {
        use leptos::web_sys;
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("[aria-invalid=true]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// A labelled text input with its error beside it. The label is the children.
#[component]
pub fn TextField(
    form: FormState,
    /// The field's name in the contract; also its id.
    name: &'static str,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional)] multiline: bool,
    /// The element's id when one page has several fields of this name (default `f-{name}`).
    #[prop(optional, into)]
    id: Option<String>,
    /// Drawn disabled (a first view's fields, until the app has started).
    #[prop(optional)]
    disabled: bool,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.unwrap_or_else(|| format!("f-{name}"));
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let error = move || form.error_text(i18n, name);
    let invalid = move || form.error_of(name).is_some().to_string();
    let described = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        move || {
            let mut ids = vec![];
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if form.error_of(name).is_some() {
                ids.push(err_id.clone());
            }
            ids.join(" ")
        }
    };
    let input = if multiline {
        view! {
            <textarea
                id=id.clone()
                name=name
                autocomplete=autocomplete
                aria-invalid=invalid
                aria-describedby=described
                disabled=disabled
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            >{value.get_untracked()}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                aria-invalid=invalid
                aria-describedby=described
                disabled=disabled
                value=value.get_untracked()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-invalid=move || form.error_of(name).is_some()>
            <label for=id>{children()}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {input}
            <p class="field-error" id=err_id aria-live="polite">{error}</p>
        </div>
    }
}

/// The form's alert and notice, announced to screen readers.
#[component]
pub fn FormMessages(form: FormState) -> impl IntoView {
    view! {
        <div aria-live="assertive">
            {move || form.alert.get().map(|a| view! { <p class="alert alert-error" role="alert">{a}</p> })}
        </div>
        <div aria-live="polite">
            {move || form.notice.get().map(|n| view! { <p class="alert alert-ok">{n}</p> })}
        </div>
    }
}
