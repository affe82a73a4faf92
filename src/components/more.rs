//! "Show more" for cursor-paged lists: the pages after the first, and the button.

use crate::api::ApiError;
use crate::components::states::error_text;
use crate::i18n::*;
use hromada_api::Page;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// The pages of a list after its first one (which a resource loads).
pub struct MorePages<T: Send + Sync + 'static> {
    /// The items of the pages loaded so far after the first.
    pub items: RwSignal<Vec<T>>,
    next: RwSignal<Option<String>>,
    loading: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
}

impl<T: Send + Sync + 'static> Clone for MorePages<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for MorePages<T> {}

impl<T: Clone + Send + Sync + 'static> MorePages<T> {
    /// Follows `first`: each time it loads again, the extra pages go and its cursor is kept.
    pub fn after(first: LocalResource<Result<Page<T>, ApiError>>) -> Self {
        let pages = Self {
            items: RwSignal::new(vec![]),
            next: RwSignal::new(None),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
        };
        Effect::new(move |_| {
            if let Some(Ok(page)) = first.get() {
                pages.items.set(vec![]);
                pages.next.set(page.next_cursor.clone());
                pages.error.set(None);
            }
        });
        pages
    }

    /// Loads the next page with `fetch(cursor)`; a failure is shown beside the button.
    pub fn load<F, Fut>(&self, fetch: F)
    where
        F: FnOnce(String) -> Fut,
        Fut: Future<Output = Result<Page<T>, ApiError>> + 'static,
    {
        let Some(cursor) = self.next.get_untracked() else {
            return;
        };
        if self.loading.get_untracked() {
            return;
        }
        let pages = *self;
        pages.loading.set(true);
        let request = fetch(cursor);
        spawn_local(async move {
            match request.await {
                Ok(page) => {
                    pages.items.update(|m| m.extend(page.items));
                    pages.next.set(page.next_cursor);
                    pages.error.set(None);
                }
                Err(e) => pages.error.set(Some(e)),
            }
            pages.loading.set(false);
        });
    }
}

/// The "show more" button, while there is more; says why when loading failed.
#[component]
pub fn MoreButton<T: Clone + Send + Sync + 'static>(
    pages: MorePages<T>,
    #[prop(into)] on_click: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || pages.next.get().is_some()>
            {move || pages.error.get().map(|e| view! { <p class="alert alert-error" role="alert">{error_text(i18n, &e)}</p> })}
            <button type="button" class="button button-secondary" on:click=move |_| on_click.run(()) disabled=move || pages.loading.get()>
                {t!(i18n, state.more)}
            </button>
        </Show>
    }
}
