//! Picking photos for an upload (an appeal's photos, a budget project's images): previews,
//! removal, and the checks that save a long upload the server would refuse.

use crate::components::form::{FormState, code_text};
use crate::i18n::*;
use hromada_api::{ErrorCode, FieldError};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Media types the server accepts for photos.
pub const PHOTO_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// A photo the person picked, as the checks see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    pub name: String,
    pub media_type: String,
    pub bytes: u64,
}

/// The limits of one upload field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The field's name in the contract (`photos`, `images`).
    pub field: &'static str,
    pub max: usize,
    pub max_bytes: u64,
}

/// Which of `picked` may join the `already` photos, and a field error for the rest (the
/// first problem found). The server checks the content again; this only saves a long
/// upload that would be refused.
pub fn accept_photos(
    limits: Limits,
    already: usize,
    picked: &[Picked],
) -> (Vec<usize>, Option<FieldError>) {
    let mut ok = vec![];
    let mut problem = None;
    for (i, p) in picked.iter().enumerate() {
        let code = if !PHOTO_TYPES.contains(&p.media_type.as_str()) {
            Some(ErrorCode::NotAnImage)
        } else if p.bytes > limits.max_bytes {
            Some(ErrorCode::TooLarge)
        } else if already + ok.len() >= limits.max {
            Some(ErrorCode::TooMany)
        } else {
            None
        };
        match code {
            None => ok.push(i),
            Some(c) => {
                problem.get_or_insert_with(|| FieldError::new(limits.field, c));
            }
        }
    }
    (ok, problem)
}

/// A picked photo, with the preview URL made for it.
#[derive(Clone)]
pub struct Photo {
    pub file: web_sys::File,
    preview: String,
    /// The browser could not show it: not a picture, whatever its name says.
    pub broken: bool,
}

impl Photo {
    /// Frees the preview URL.
    pub fn release(&self) {
        let _ = web_sys::Url::revoke_object_url(&self.preview);
    }
}

/// The photos of one form and the problem with them, if any.
#[derive(Clone, Copy)]
pub struct Photos {
    pub list: RwSignal<Vec<Photo>, LocalStorage>,
    pub error: RwSignal<Option<ErrorCode>>,
    pub limits: Limits,
}

impl Photos {
    /// No photos yet; the previews are freed when the form goes.
    pub fn new(limits: Limits) -> Self {
        let list: RwSignal<Vec<Photo>, LocalStorage> = RwSignal::new_local(vec![]);
        on_cleanup(move || {
            list.try_with_untracked(|p| p.iter().for_each(Photo::release));
        });
        Self {
            list,
            error: RwSignal::new(None),
            limits,
        }
    }

    /// The files to upload.
    pub fn files(&self) -> Vec<web_sys::File> {
        self.list
            .with_untracked(|p| p.iter().map(|x| x.file.clone()).collect())
    }

    /// A field error when a photo cannot be shown by the browser: it would only be refused
    /// after a long upload.
    pub fn problem(&self) -> Option<FieldError> {
        self.list
            .with_untracked(|p| p.iter().any(|x| x.broken))
            .then(|| FieldError::new(self.limits.field, ErrorCode::NotAnImage))
    }

    /// Forgets every photo (after a successful upload).
    pub fn clear(&self) {
        self.list.update(|p| p.drain(..).for_each(|x| x.release()));
        self.error.set(None);
    }

    /// Shows the server's refusal of the photos, if it was about them.
    pub fn show_refusal(&self, errors: &[FieldError]) {
        if let Some(f) = errors.iter().find(|f| f.field == self.limits.field) {
            self.error.set(Some(f.code));
        }
    }

    fn add(&self, ev: leptos::ev::Event) {
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
        let (ok, problem) = accept_photos(self.limits, self.list.with_untracked(Vec::len), &picked);
        self.error.set(problem.map(|p| p.code));
        self.list.update(|p| {
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
    }

    fn mark_broken(&self, i: usize) {
        if self
            .list
            .with_untracked(|p| p.get(i).is_some_and(|x| !x.broken))
        {
            self.list.update(|p| p[i].broken = true);
            self.error.set(Some(ErrorCode::NotAnImage));
        }
    }

    fn remove(&self, i: usize) {
        self.list.update(|p| {
            if i < p.len() {
                p.remove(i).release();
            }
        });
        self.error.set(None);
    }
}

/// What is wrong with the photos, for a person.
pub fn photo_problem(i18n: leptos_i18n::I18nContext<Locale>, code: ErrorCode) -> String {
    match code {
        ErrorCode::TooMany => t_string!(i18n, photos.too_many).to_string(),
        ErrorCode::TooLarge => t_string!(i18n, photos.too_large).to_string(),
        ErrorCode::NotAnImage | ErrorCode::NotAFile => {
            t_string!(i18n, photos.not_image).to_string()
        }
        other => code_text(i18n, other),
    }
}

/// The photos fieldset: previews with a remove button each, and a button to add more.
/// `legend` and `hint` name what the photos are for.
#[component]
pub fn PhotoPicker(
    photos: Photos,
    form: FormState,
    #[prop(into)] legend: Signal<String>,
    #[prop(into)] hint: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = photos.limits.field;
    let id = format!("f-{field}");
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let described = format!("{hint_id} {err_id}");
    let error_text = move || {
        photos
            .error
            .get()
            .or_else(|| form.error_of(field))
            .map(|c| photo_problem(i18n, c))
    };
    view! {
        <fieldset class="field" class:field-invalid=move || error_text().is_some()>
            <legend>{legend}</legend>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <ul class="previews">
                {move || photos.list.get().into_iter().enumerate().map(|(i, p)| {
                    let name = p.file.name();
                    let label = name.clone();
                    view! {
                        <li class="preview" class:preview-broken=p.broken>
                            <img src=p.preview.clone() alt=name width="120" height="90"
                                on:error=move |_| photos.mark_broken(i) />
                            {p.broken.then(|| view! { <p class="field-error">{t!(i18n, photos.broken)}</p> })}
                            <button type="button" class="button button-secondary button-small"
                                aria-label=move || t_string!(i18n, photos.remove_named, name = label.clone()).to_string()
                                on:click=move |_| photos.remove(i)>{t!(i18n, photos.remove)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || photos.list.with(Vec::len) < photos.limits.max>
                <input id=id.clone() name=field class="visually-hidden" type="file" multiple
                    accept=PHOTO_TYPES.join(",")
                    aria-describedby=described.clone()
                    on:change=move |ev| photos.add(ev) />
                <label class="button button-secondary file-pick" for=id.clone()>{t!(i18n, photos.add)}</label>
            </Show>
            <p class="field-error" id=err_id.clone() aria-live="polite">{error_text}</p>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn pick(t: &str, bytes: u64) -> Picked {
        Picked {
            name: "p".into(),
            media_type: t.into(),
            bytes,
        }
    }

    const LIMITS: Limits = Limits {
        field: "photos",
        max: 5,
        max_bytes: 10 * 1024 * 1024,
    };

    #[wasm_bindgen_test]
    fn photos_are_checked_before_upload() {
        let mb = 1024 * 1024;
        let (ok, err) = accept_photos(
            LIMITS,
            0,
            &[
                pick("image/jpeg", mb),
                pick("application/pdf", mb),
                pick("image/png", 11 * mb),
            ],
        );
        assert_eq!(ok, vec![0]);
        assert_eq!(err.unwrap().code, ErrorCode::NotAnImage);
        let (ok, err) = accept_photos(LIMITS, 4, &[pick("image/webp", mb), pick("image/jpeg", mb)]);
        assert_eq!(ok, vec![0], "a sixth photo is refused");
        assert_eq!(err.unwrap().code, ErrorCode::TooMany);
        let (ok, err) = accept_photos(LIMITS, 0, &[pick("image/jpeg", 10 * mb)]);
        assert_eq!((ok, err), (vec![0], None), "exactly 10 MB is fine");
        let images = Limits {
            field: "images",
            ..LIMITS
        };
        let (_, err) = accept_photos(images, 5, &[pick("image/jpeg", mb)]);
        assert_eq!(err.unwrap().field, "images");
    }
}
