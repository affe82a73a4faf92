//! What a link to a page shows where it is shared (Telegram, Viber, Facebook): the
//! document's title and description, OpenGraph and Twitter's card.

use crate::i18n::*;
use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::CustomAttribute;

/// `<meta property=… content=…>`, as OpenGraph writes its tags.
fn og(property: &'static str, content: String) -> impl IntoView {
    leptos::html::meta()
        .attr("property", property)
        .attr("content", content)
}

/// What kind of thing a page is, for OpenGraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A section or a list.
    Website,
    /// One item: a news item, a petition, a project, a poll.
    Article,
}

/// A page's preview, in the visitor's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The page's own title, without the product's name.
    pub title: String,
    pub description: String,
    pub kind: Kind,
    /// The page's path and query, as its link has it.
    pub path: String,
    /// Its picture (the cover, the first image), as a path or an absolute URL.
    pub image: Option<String>,
}

/// The longest description written, in characters; previews cut theirs near 200.
pub const DESCRIPTION_MAX: usize = 200;

/// `text` on one line, cut at a word to at most `max` characters with "…".
pub fn clip(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let cut: String = line.chars().take(max.saturating_sub(1)).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if i > cut.len() / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches([',', '.', ';', ':', ' ']))
}

/// `path` as an absolute URL under `public_url` (an absolute URL stays as it is).
pub fn absolute(public_url: &str, path: &str) -> String {
    if path.starts_with("https://") || path.starts_with("http://") {
        return path.to_owned();
    }
    format!("{}{}", public_url.trim_end_matches('/'), path)
}

/// The tags of the document's head that describe the page: `<title>`, the description,
/// OpenGraph and `twitter:card`.
#[component]
pub fn PreviewTags(preview: Preview, public_url: String) -> impl IntoView {
    let i18n = use_i18n();
    let site = t_string!(i18n, app.name);
    let title = if preview.title.is_empty() {
        site.to_owned()
    } else {
        format!("{} · {site}", preview.title)
    };
    let og_title = if preview.title.is_empty() {
        site.to_owned()
    } else {
        preview.title.clone()
    };
    let description = clip(&preview.description, DESCRIPTION_MAX);
    let locale = match i18n.get_locale() {
        Locale::uk => "uk_UA",
        Locale::en => "en_GB",
    };
    let kind = match preview.kind {
        Kind::Website => "website",
        Kind::Article => "article",
    };
    let card = if preview.image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    let image = preview
        .image
        .map(|src| absolute(&public_url, &src))
        .map(|src| og("og:image", src));
    view! {
        <title>{title}</title>
        <meta name="description" content=description.clone() />
        {og("og:title", og_title)}
        {og("og:description", description)}
        {og("og:type", kind.to_owned())}
        {og("og:url", absolute(&public_url, &preview.path))}
        {og("og:locale", locale.to_owned())}
        {og("og:site_name", site.to_owned())}
        {image}
        <meta name="twitter:card" content=card />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_at_a_word() {
        assert_eq!(clip("  Вода\n\nі світло  ", 50), "Вода і світло");
        assert_eq!(clip("один два три чотири", 12), "один два…");
        assert_eq!(clip("абвгдежзийклмн", 6), "абвгд…");
        assert!(clip(&"слово ".repeat(100), DESCRIPTION_MAX).chars().count() <= DESCRIPTION_MAX);
    }

    #[test]
    fn absolute_urls() {
        assert_eq!(
            absolute("https://h.example.org/", "/petitions/p1"),
            "https://h.example.org/petitions/p1"
        );
        assert_eq!(
            absolute("https://a.b", "https://c.d/x.png"),
            "https://c.d/x.png"
        );
    }
}
