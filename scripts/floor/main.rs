//! The smallest app built like Hromada's (scripts/size-floor.sh): a router with two
//! pages, one of which loads a JSON list with `LocalResource` and draws it inside
//! `<Suspense>` and `<ErrorBoundary>`, and a counter. No translations, no contexts.
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes, A},
    path,
};
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize, PartialEq)]
struct Item {
    id: u64,
    title: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
struct List {
    items: Vec<Item>,
    next_cursor: Option<String>,
}

async fn load() -> Result<List, String> {
    let response = gloo_net::http::Request::get("/api/v1/items")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("status {}", response.status()));
    }
    response.json::<List>().await.map_err(|e| e.to_string())
}

#[component]
fn Home() -> impl IntoView {
    let list = LocalResource::new(load);
    let count = RwSignal::new(0);
    view! {
        <h1>"Home"</h1>
        <button on:click=move |_| count.update(|c| *c += 1)>{move || count.get()}</button>
        <Suspense fallback=|| view! { <p>"Loading"</p> }>
            <ErrorBoundary fallback=|_| view! { <p>"Error"</p> }>
                {move || Suspend::new(async move {
                    list.await
                        .map(|list| {
                            view! {
                                <ul>
                                    {list
                                        .items
                                        .into_iter()
                                        .map(|i| view! { <li><A href=format!("/items/{}", i.id)>{i.title}</A></li> })
                                        .collect_view()}
                                </ul>
                                {list.next_cursor.map(|c| view! { <A href=format!("/?after={c}")>"More"</A> })}
                            }
                        })
                        .map_err(|e| Error::from(std::io::Error::other(e)))
                })}
            </ErrorBoundary>
        </Suspense>
    }
    .into_any()
}

#[component]
fn Other() -> impl IntoView {
    view! { <p>"Other"</p> }.into_any()
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <nav>
                <A href="/">"Home"</A>
                <A href="/other">"Other"</A>
            </nav>
            <Routes fallback=|| "Not found">
                <Route path=path!("/") view=Home />
                <Route path=path!("/other") view=Other />
            </Routes>
        </Router>
    }
}

fn main() {
    leptos::mount::mount_to_body(App)
}
