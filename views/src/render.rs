//! Rendering a view to HTML on the server (feature `ssr`), in a language.

use crate::i18n::Locale;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use std::sync::OnceLock;

/// The translations of one language, made once for the life of the process: the
/// library's context keeps an effect that must outlive every render.
struct Language {
    _root: Owner,
    context: I18nContext<Locale>,
}

fn language(locale: Locale) -> I18nContext<Locale> {
    static LANGUAGES: OnceLock<Vec<(Locale, Language)>> = OnceLock::new();
    let all = LANGUAGES.get_or_init(|| {
        // The context's effect is a task: it needs an executor, whatever the server runs.
        let _ = any_spawner::Executor::init_futures_executor();
        [Locale::uk, Locale::en]
            .into_iter()
            .map(|l| {
                let root = Owner::new();
                let context = root
                    .with(|| leptos_i18n::context::init_i18n_subcontext(Some(Signal::stored(l))));
                (
                    l,
                    Language {
                        _root: root,
                        context,
                    },
                )
            })
            .collect()
    });
    all.iter()
        .find(|(l, _)| *l == locale)
        .map(|(_, lang)| lang.context)
        .unwrap_or_else(|| all[0].1.context)
}

/// The HTML of the view `make` draws, in `locale`.
pub fn to_html<V: IntoView + 'static>(locale: Locale, make: impl FnOnce() -> V) -> String {
    let context = language(locale);
    let owner = Owner::new();
    owner.with(|| {
        provide_context(context);
        make().to_html()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::*;

    #[component]
    fn Hello() -> impl IntoView {
        let i18n = use_i18n();
        view! { <p class="x">{t!(i18n, nav.news)}" "<b>"<&>"</b></p> }
    }

    #[test]
    fn renders_in_each_language_and_escapes() {
        for _ in 0..3 {
            // `<!>` marks where text nodes meet (the hydration feature's markers).
            assert_eq!(
                to_html(Locale::en, || view! { <Hello/> }).replace("<!>", ""),
                r#"<p class="x">News <b>&lt;&amp;&gt;</b></p>"#
            );
            assert!(to_html(Locale::uk, || view! { <Hello/> }).contains("Новини"));
        }
    }
}
