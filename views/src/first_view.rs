//! First views: a page as the server sends it before the app has started, drawn with the
//! app's own views inside its frame ([`FirstViewFrame`]), as HTML.

use crate::frame::{FirstViewFrame, Visit};
use crate::i18n::*;
use crate::news::{Article, FeedPage, Heading};
use crate::render::to_html;
use hromada_api::news::{NewsItem, NewsSummary};
use leptos::prelude::*;

/// `/h/{katottg}/news`, with the category and the words the address holds.
pub fn news_feed(
    locale: Locale,
    visit: Visit,
    katottg: String,
    category: Option<String>,
    q: String,
    items: Vec<NewsSummary>,
) -> String {
    to_html(locale, move || {
        view! {
            <FirstViewFrame visit>
                <FeedPage katottg category q items />
            </FirstViewFrame>
        }
    })
}

/// `/news/{id}`.
pub fn news_item(locale: Locale, visit: Visit, n: NewsItem) -> String {
    to_html(locale, move || {
        let title = n.summary.title.clone();
        view! {
            <FirstViewFrame visit>
                <Article n heading=view! { <Heading text=title /> }.into_any() can_edit=false />
            </FirstViewFrame>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_api::news::{Block, Inline};

    #[test]
    fn article_is_text_with_only_safe_links_and_pictures() {
        use hromada_api::news::{NewsCategory, NewsStatus};
        let run = |text: &str, href: Option<&str>| Inline {
            text: text.into(),
            strong: false,
            emphasis: false,
            href: href.map(Into::into),
        };
        let n = NewsItem {
            summary: NewsSummary {
                id: "n1".into(),
                katottg: "UA1".into(),
                title: "<b>Вода</b> & світло".into(),
                summary: "Графік".into(),
                category: NewsCategory::Utilities,
                cover: None,
                status: NewsStatus::Published,
                published_at: Some("2026-07-01T09:00:00Z".into()),
                updated_at: "2026-07-01T09:00:00Z".into(),
            },
            body: vec![
                Block::Heading {
                    level: 2,
                    content: vec![run("Де", None)],
                },
                Block::Paragraph {
                    content: vec![
                        run("<script>x</script>", None),
                        run("сайт", Some("https://example.org/a?b=1&c=2")),
                        run("погано", Some("javascript:alert(1)")),
                        Inline {
                            text: "важливо".into(),
                            strong: true,
                            emphasis: true,
                            href: Some("/h/UA1".into()),
                        },
                    ],
                },
                Block::List {
                    ordered: true,
                    items: vec![vec![run("один", None)], vec![run("два", None)]],
                },
                Block::Image {
                    src: "/api/v1/media/m1".into(),
                    alt: "\"схема\"".into(),
                },
                Block::Image {
                    src: "http://example.org/x.png".into(),
                    alt: "no".into(),
                },
            ],
            body_source: None,
        };
        let html = news_item(Locale::uk, Visit::default(), n).replace("<!>", "");
        assert!(html.contains(r#"<h1 tabindex="-1">&lt;b&gt;Вода&lt;/b&gt; &amp; світло</h1>"#));
        assert!(html.contains(r#"<p class="lead">Графік</p>"#));
        assert!(html.contains(r#"<a href="/h/UA1/news?category=utilities">"#));
        assert!(html.contains("<time datetime=\"2026-07-01T09:00:00Z\">01.07.2026, 12:00</time>"));
        assert!(html.contains("<h2>Де</h2>"));
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(html.contains(
            r#"<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">сайт</a>"#
        ));
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("погано"));
        assert!(html.contains(r#"<a href="/h/UA1"><strong><em>важливо</em></strong></a>"#));
        assert!(html.contains("<ol><li>один</li><li>два</li></ol>"));
        assert!(html.contains(
            r#"<img src="/api/v1/media/m1" alt="&quot;схема&quot;" loading="lazy" class="body-image">"#
        ));
        assert!(!html.contains("http://example.org/x.png"), "{html}");
        assert!(html.contains(r#"<a href="/h/UA1/news" class="button button-secondary">"#));
        assert!(!html.contains("<script"), "{html}");
    }
}

#[cfg(test)]
mod frame_tests {
    use super::*;
    use hromada_api::HromadaRef;

    #[test]
    fn the_frame_starts_with_the_skip_link_and_marks_the_section() {
        let visit = Visit {
            place: Some(HromadaRef {
                katottg: "UA65100150000057191".into(),
                name: "Херсонська".into(),
            }),
            here: "/h/UA65100150000057191/news".into(),
            ..Visit::default()
        };
        let html = news_feed(
            Locale::en,
            visit,
            "UA65100150000057191".into(),
            Some("safety".into()),
            "вода".into(),
            vec![],
        )
        .replace("<!>", "");
        assert!(
            html.starts_with(r##"<a href="#main" class="skip-link">Skip to content</a>"##),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="/h/UA65100150000057191/news" aria-current="page">"#),
            "{html}"
        );
        assert!(html.contains(r#"class="place">Khersonska</a>"#), "{html}");
        assert!(
            html.contains(r#"<a href="/signin" class="button button-small">Sign in</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"value="вода""#), "{html}");
        assert!(
            html.contains(r#"<input type="hidden" name="category" value="safety">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"aria-pressed="true" disabled class="lang">English"#),
            "{html}"
        );
        assert!(!html.contains(r#"class="""#), "{html}");
    }
}
