//! Every page is drawn in a task of its own, after the shell.
//!
//! On a slow phone, starting the app is long work on the main thread: the browser compiles
//! each wasm function the first time it runs, and the first draw runs thousands of them.
//! A route's view given as [`Deferred`] first hands the main thread back to the browser (a
//! zero-delay timer) and only then draws its page, so the shell (header, navigation,
//! alerts) and the page are two tasks instead of one long one, and the browser can answer
//! a tap between them. Following a link works the same way: the click's task ends at once,
//! and the new page is drawn in the next one.
//!
//! [`Later`] does the same for a part of the shell that the first frame can do without.
//!
//! While the app starts, the server's first view (`#boot`, when it sent one) stays on
//! screen and the app's own elements stay hidden (style/main.css, `#boot ~ :not(noscript)`); the
//! placeholder is removed in the same task that draws the first page, so no frame shows
//! the shell without its page. A first view stays until the app's page has its data too, so
//! that a resident on a slow connection is never taken from a readable page to "loading".

use crate::components::layout::focus_main_heading;
use leptos::prelude::*;
use leptos_router::ChooseView;
use std::time::Duration;

/// A route's view drawn in the task after the one that chose it.
#[derive(Clone)]
pub struct Deferred<F>(pub F);

impl<F, V> ChooseView for Deferred<F>
where
    F: Fn() -> V + Send + Clone + 'static,
    V: IntoView + 'static,
{
    async fn choose(self) -> AnyView {
        gloo_timers::future::TimeoutFuture::new(0).await;
        let view = (self.0)().into_any();
        // The router puts the page in the document in this same task (its microtasks);
        // what follows a drawn page runs in one of them too, before the next frame.
        leptos::task::spawn_local(async { page_drawn() });
        view
    }

    async fn preload(&self) {}
}

/// What follows a page drawn by the router. The app's first page replaces the loading
/// placeholder or the server's first view (`#boot`); any later one is a navigation, and
/// its heading takes the focus, so that keyboard and screen-reader users start reading
/// the new page.
pub fn page_drawn() {
    match boot() {
        // The router has put the page in the document by the next frame.
        Some(boot) if is_first_view(&boot) => {
            request_animation_frame(|| remove_boot_when_loaded(FIRST_VIEW_WAIT));
        }
        Some(boot) => boot.remove(),
        None => request_animation_frame(focus_main_heading),
    }
}

/// How long the server's first view may stay while the app's page still loads its data.
pub const FIRST_VIEW_WAIT: Duration = Duration::from_secs(8);
const FIRST_VIEW_POLL: Duration = Duration::from_millis(50);

/// Removes `#boot` now, or, when it holds the server's first view (a page with its own
/// `main`) and the app's page is still loading, once it has loaded or `wait` has passed.
pub fn remove_boot_when_loaded(wait: Duration) {
    // A deadline on the clock: timers in a hidden tab may run a second late each.
    remove_boot_by(js_sys::Date::now() + wait.as_secs_f64() * 1000.0);
}

fn remove_boot_by(deadline_ms: f64) {
    let Some(boot) = boot() else { return };
    if !is_first_view(&boot) || js_sys::Date::now() >= deadline_ms || !app_page_loading() {
        boot.remove();
        return;
    }
    set_timeout(move || remove_boot_by(deadline_ms), FIRST_VIEW_POLL);
}

/// Whether `#boot` holds the server's first view of a page rather than the bare "loading"
/// placeholder of `index.html`.
fn is_first_view(boot: &web_sys::Element) -> bool {
    boot.query_selector("main").ok().flatten().is_some()
}

/// Whether the app's page (the elements after `#boot`) still shows a loading state.
fn app_page_loading() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("#boot ~ * .state-loading").ok().flatten())
        .is_some()
}

/// The loading placeholder or the server's first view, while it is there.
pub fn boot() -> Option<web_sys::Element> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
}

/// Draws its children in a task after the one that drew it (a zero-delay timer), so that
/// starting the app is several shorter tasks. Timers run in the order they were set: a part
/// of the shell drawn later is still drawn before the first page, while `#boot` hides it.
#[component]
pub fn Later(children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    // The view may be gone by then (a quick navigation): nothing to draw.
    set_timeout(move || _ = ready.try_set(true), Duration::ZERO);
    move || ready.get().then(|| children())
}
