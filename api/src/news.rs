//! News and urgent alerts of a hromada, and the live events that announce them.

use serde::{Deserialize, Serialize};

/// Longest news title, in characters.
pub const TITLE_MAX: usize = 200;
/// Longest news summary, in characters.
pub const SUMMARY_MAX: usize = 500;
/// Longest news body source (Markdown), in characters.
pub const BODY_MAX: usize = 50_000;
/// Longest alert text, in characters.
pub const ALERT_TEXT_MAX: usize = 1_000;
/// Longest alert area, in characters.
pub const ALERT_AREA_MAX: usize = 200;
/// Largest cover image upload, in bytes.
pub const IMAGE_MAX_BYTES: usize = 10 * 1024 * 1024;

/// What a news item is about. A fixed list, so that feeds can be filtered the same way in
/// every hromada.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NewsCategory {
    /// Decisions and announcements of the council and its executive bodies.
    Official,
    /// Safety, civil protection, shelters.
    Safety,
    /// Water, heating, power, waste.
    Utilities,
    /// Roads and public transport.
    Transport,
    /// Social support, humanitarian aid.
    Social,
    /// Schools and kindergartens.
    Education,
    /// Health care.
    Health,
    /// Culture, sport and events.
    Culture,
    /// Business, jobs and the budget.
    Economy,
}

impl NewsCategory {
    /// Every category, in the order menus show them.
    pub const ALL: [NewsCategory; 9] = [
        Self::Official,
        Self::Safety,
        Self::Utilities,
        Self::Transport,
        Self::Social,
        Self::Education,
        Self::Health,
        Self::Culture,
        Self::Economy,
    ];

    /// The code used in URLs and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Official => "official",
            Self::Safety => "safety",
            Self::Utilities => "utilities",
            Self::Transport => "transport",
            Self::Social => "social",
            Self::Education => "education",
            Self::Health => "health",
            Self::Culture => "culture",
            Self::Economy => "economy",
        }
    }

    /// The category with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Where a news item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NewsStatus {
    /// Not published; only staff see it.
    Draft,
    /// Will be published at `published_at`; only staff see it until then.
    Scheduled,
    /// Public.
    Published,
}

/// One size of an uploaded image, as the server made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageSize {
    /// Absolute path (under the API) or URL of the file.
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// An uploaded image: metadata stripped, re-encoded in the sizes the app shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    pub id: String,
    /// From the smallest to the largest.
    pub sizes: Vec<ImageSize>,
}

impl Image {
    /// The smallest size at least `width` pixels wide, or the largest there is.
    pub fn fit(&self, width: u32) -> Option<&ImageSize> {
        self.sizes
            .iter()
            .find(|s| s.width >= width)
            .or_else(|| self.sizes.last())
    }

    /// A `srcset` value listing every size.
    pub fn srcset(&self) -> String {
        self.sizes
            .iter()
            .map(|s| format!("{} {}w", s.url, s.width))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A news item as feeds show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsSummary {
    pub id: String,
    pub katottg: String,
    pub title: String,
    pub summary: String,
    pub category: NewsCategory,
    pub cover: Option<Image>,
    pub status: NewsStatus,
    /// When it was or will be published; `None` for a draft.
    pub published_at: Option<String>,
    pub updated_at: String,
}

/// A run of text with its formatting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inline {
    pub text: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub strong: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub emphasis: bool,
    /// A link target: only `http:`, `https:`, `mailto:`, `tel:` or a path on this site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One block of a formatted body. Bodies travel as data, never as HTML: whatever an
/// author writes, a reader's browser only ever receives text to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A heading of level 2 to 4 (the title is level 1).
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Paragraph {
        content: Vec<Inline>,
    },
    /// A list; each item is a run of inlines.
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
    Quote {
        content: Vec<Inline>,
    },
    /// An image: `src` is a URL of this site's media or an `https:` URL.
    Image {
        src: String,
        alt: String,
    },
}

/// A URL without surrounding spaces, or `None` when it is empty or holds a space, a control
/// character or a backslash anywhere inside.
fn trimmed_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let bad = |c: char| c.is_control() || c.is_whitespace() || c == '\\';
    (!u.is_empty() && !u.chars().any(bad)).then_some(u)
}

/// Where a link in a body may point: `http(s):`, `mailto:`, `tel:` or a path on this site.
/// The server keeps only such links when it parses a body; the app and the first views
/// check them again before drawing one.
pub fn safe_href(url: &str) -> Option<String> {
    let u = trimmed_url(url)?;
    let lower = u.to_ascii_lowercase();
    let ok = ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len())
        || (u.starts_with('/') && !u.starts_with("//"));
    ok.then(|| u.to_owned())
}

/// Where an image may come from: this site's media or an `https:` URL.
pub fn safe_image_src(url: &str) -> Option<String> {
    let u = trimmed_url(url)?;
    let ok = (u.starts_with("/api/v1/media/") && !u.contains(".."))
        || (u.to_ascii_lowercase().starts_with("https://") && u.len() > "https://".len());
    ok.then(|| u.to_owned())
}

/// A whole news item: `GET /news/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsItem {
    #[serde(flatten)]
    pub summary: NewsSummary,
    /// The body, parsed from Markdown by the server.
    pub body: Vec<Block>,
    /// The Markdown the body was written in; only for the hromada's staff, to edit it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_source: Option<String>,
}

/// What staff write: `POST /hromadas/{katottg}/news`, `PUT /news/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsDraft {
    pub title: String,
    pub summary: String,
    /// A [`NewsCategory`] code.
    pub category: String,
    /// Markdown: headings, lists, quotes, links, images, bold and italic.
    pub body: String,
    /// The id of an uploaded cover [`Image`].
    #[serde(default)]
    pub cover_id: Option<String>,
    /// `draft`, `now` or `at` (then `publish_at` says when).
    pub publish: PublishMode,
    #[serde(default)]
    pub publish_at: Option<String>,
}

/// When a news item becomes public.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublishMode {
    /// Keep it as a draft (also: unpublish).
    #[default]
    Draft,
    Now,
    At,
}

/// How urgent an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Danger,
}

/// An urgent notice: air raid, outage, road closure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub id: String,
    pub katottg: String,
    pub severity: Severity,
    pub text: String,
    /// The part of the hromada concerned, if not all of it.
    pub area: Option<String>,
    pub starts_at: String,
    pub expires_at: String,
    /// Set when staff ended it before its expiry.
    pub ended_at: Option<String>,
}

/// What staff write: `POST /hromadas/{katottg}/alerts`, `PUT /alerts/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertDraft {
    /// `info`, `warning` or `danger`.
    pub severity: String,
    pub text: String,
    #[serde(default)]
    pub area: Option<String>,
    /// Defaults to now.
    #[serde(default)]
    pub starts_at: Option<String>,
    pub expires_at: String,
}

/// A live event on `GET /hromadas/{katottg}/events` (Server-Sent Events). The SSE event
/// name is the variant (`news`, `alert`, `alert_ended`, `news_removed`, `notification`, `consultation`);
/// the data is the JSON of its payload. A signed-in reader's stream also carries that
/// person's own notifications, whatever hromada it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
pub enum LiveEvent {
    /// A news item was published (or a published one changed).
    News(NewsSummary),
    /// A news item stopped being public.
    NewsRemoved { id: String },
    /// An alert was issued or changed.
    Alert(Alert),
    /// An alert ended (by staff or at its expiry).
    AlertEnded { id: String },
    /// Something changed for the reader (only on their own stream).
    Notification(crate::appeals::Notification),
    /// A consultation of this hromada changed (only on the streams of its staff).
    Consultation {
        id: String,
        status: crate::services::ConsultationStatus,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_links_and_pictures() {
        for ok in [
            "https://kherson.gov.ua",
            "/h/UA1",
            "mailto:a@b.c",
            "tel:+380",
        ] {
            assert!(safe_href(ok).is_some(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,x",
            "//evil.example",
            "vbscript:x",
        ] {
            assert!(safe_href(bad).is_none(), "{bad}");
        }
        assert!(safe_image_src("/api/v1/media/m1").is_some());
        assert!(safe_image_src("https://kherson.gov.ua/a.png").is_some());
        for bad in [
            "http://x.example/a.png",
            "/api/v1/media/../x",
            "data:image/png;base64,A",
            "",
        ] {
            assert!(safe_image_src(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn category_codes_round_trip() {
        for c in NewsCategory::ALL {
            assert_eq!(NewsCategory::from_code(c.code()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.code()));
        }
        assert_eq!(NewsCategory::from_code("gossip"), None);
    }

    #[test]
    fn blocks_are_tagged() {
        let b = Block::Paragraph {
            content: vec![Inline {
                text: "<script>".into(),
                strong: false,
                emphasis: false,
                href: None,
            }],
        };
        let json = serde_json::to_value(&b).unwrap();
        assert_eq!(json["type"], "paragraph");
        assert_eq!(json["content"][0], serde_json::json!({"text": "<script>"}));
    }

    #[test]
    fn image_fit_picks_the_smallest_large_enough() {
        let img = Image {
            id: "i".into(),
            sizes: vec![
                ImageSize {
                    url: "/a".into(),
                    width: 480,
                    height: 270,
                },
                ImageSize {
                    url: "/b".into(),
                    width: 1024,
                    height: 576,
                },
            ],
        };
        assert_eq!(img.fit(300).unwrap().url, "/a");
        assert_eq!(img.fit(600).unwrap().url, "/b");
        assert_eq!(img.fit(4000).unwrap().url, "/b");
        assert_eq!(img.srcset(), "/a 480w, /b 1024w");
    }

    #[test]
    fn severities_order_by_urgency() {
        assert!(Severity::Danger > Severity::Warning && Severity::Warning > Severity::Info);
    }
}
