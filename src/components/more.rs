//! "Show more" for cursor-paged lists: the pages after the first, and the button.

use crate::api::ApiError;
use crate::components::states::{Empty, ErrorView, Loading, error_text};
use crate::i18n::*;
use hromada_api::Page;
use hromada_api::appeals::{AppealSummary, Inbox, Notification, Notifications};
use hromada_views::more::MoreControl;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// A page of a cursor-paged list, whatever else its response carries.
pub trait Paged {
    type Item;
    /// Takes the page apart into its items and the cursor of the next page.
    fn into_parts(self) -> (Vec<Self::Item>, Option<String>);
    /// The cursor of the next page.
    fn next(&self) -> Option<String>;
}

impl<T> Paged for Page<T> {
    type Item = T;
    fn into_parts(self) -> (Vec<T>, Option<String>) {
        (self.items, self.next_cursor)
    }
    fn next(&self) -> Option<String> {
        self.next_cursor.clone()
    }
}

impl Paged for Inbox {
    type Item = AppealSummary;
    fn into_parts(self) -> (Vec<AppealSummary>, Option<String>) {
        (self.items, self.next_cursor)
    }
    fn next(&self) -> Option<String> {
        self.next_cursor.clone()
    }
}

impl Paged for Notifications {
    type Item = Notification;
    fn into_parts(self) -> (Vec<Notification>, Option<String>) {
        (self.items, self.next_cursor)
    }
    fn next(&self) -> Option<String> {
        self.next_cursor.clone()
    }
}

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
    pub fn after<P: Paged<Item = T> + Clone + 'static>(
        first: LocalResource<Result<P, ApiError>>,
    ) -> Self {
        let pages = Self {
            items: RwSignal::new(vec![]),
            next: RwSignal::new(None),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
        };
        Effect::new(move |_| {
            if let Some(Ok(page)) = first.get() {
                pages.items.set(vec![]);
                pages.next.set(page.next());
                pages.error.set(None);
            }
        });
        pages
    }

    /// Loads the next page with `fetch(cursor)`; a failure is shown beside the button.
    pub fn load<P, F, Fut>(&self, fetch: F)
    where
        P: Paged<Item = T>,
        F: FnOnce(String) -> Fut,
        Fut: Future<Output = Result<P, ApiError>> + 'static,
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
                    let (items, next) = page.into_parts();
                    pages.items.update(|m| m.extend(items));
                    pages.next.set(next);
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
            <MoreControl on_click busy=pages.loading />
        </Show>
    }
}

/// A cursor-paged list of cards: loading, error with retry, the empty message, the first
/// page and the pages after it. `row` renders one item.
#[component]
pub fn PagedCards<P, T, F>(
    first: LocalResource<Result<P, ApiError>>,
    more: MorePages<T>,
    /// Shown when there is nothing at all.
    #[prop(into)]
    empty: Signal<String>,
    row: F,
    #[prop(default = "cards")] class: &'static str,
    /// Gives the list a heading of its own (read by screen readers, not shown), for a list
    /// right under the page's title: its cards' headings are then one level below it.
    #[prop(optional)]
    heading: bool,
) -> impl IntoView
where
    P: Paged<Item = T> + Clone + 'static,
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> AnyView + Copy + Send + Sync + 'static,
{
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| first.refetch() /> }>
                {move || Suspend::new(async move {
                    first.await.map(|page| {
                        let (items, _) = page.into_parts();
                        if items.is_empty() {
                            return view! { <Empty>{move || empty.get()}</Empty> }.into_any();
                        }
                        view! {
                            {heading.then(|| view! { <ListHeading /> })}
                            <ul class=class>
                                {items.into_iter().map(row).collect_view()}
                                {move || more.items.get().into_iter().map(row).collect_view()}
                            </ul>
                        }
                        .into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

pub use hromada_views::news::ListHeading;
