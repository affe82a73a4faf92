//! News bodies: Markdown parsed into [`Block`]s, never HTML.
//!
//! Only what a reader needs survives: headings (level 2 to 4), paragraphs, lists (nested
//! lists flattened into their item), quotes, images from this site's media or `https:`,
//! and bold, italic and links to `http:`, `https:`, `mailto:`, `tel:` or a path on this
//! site. Raw HTML and code become plain text: the app shows text, so nothing an author
//! writes can ever run in a reader's browser.

use hromada_api::news::{Block, Inline};
/// The rules for links and pictures, shared with the app and the first views.
pub use hromada_api::news::{safe_href, safe_image_src};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    strong: u32,
    emphasis: u32,
    links: Vec<Option<String>>,
    /// Inside an image: its source (if allowed) and the alt text collected so far.
    image: Option<(Option<String>, String)>,
    heading: Option<u8>,
    quote: u32,
    /// Nesting of lists; only the outermost one makes a block.
    lists: u32,
    list_ordered: bool,
    items: Vec<Vec<Inline>>,
    /// Inside a code or HTML block at the top level.
    raw_block: bool,
}

impl Builder {
    fn nested(&self) -> bool {
        self.lists > 0 || self.quote > 0 || self.heading.is_some()
    }

    fn text(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        if let Some((_, alt)) = &mut self.image {
            alt.push_str(t);
            return;
        }
        let href = self.links.last().cloned().flatten();
        let (strong, emphasis) = (self.strong > 0, self.emphasis > 0);
        if let Some(last) = self.inlines.last_mut()
            && last.strong == strong
            && last.emphasis == emphasis
            && last.href == href
        {
            last.text.push_str(t);
            return;
        }
        self.inlines.push(Inline {
            text: t.to_owned(),
            strong,
            emphasis,
            href,
        });
    }

    /// Adds a separator between two parts merged into one run (paragraphs of a quote,
    /// nested list items), unless the run is empty or already ends in white space.
    fn separate(&mut self, sep: &str) {
        let ends_blank = self
            .inlines
            .last()
            .is_none_or(|i| i.text.ends_with(char::is_whitespace) || i.text.is_empty());
        if !ends_blank {
            let saved = (self.strong, self.emphasis, self.links.len());
            self.strong = 0;
            self.emphasis = 0;
            self.links.push(None);
            self.text(sep);
            self.links.pop();
            (self.strong, self.emphasis) = (saved.0, saved.1);
        }
    }

    fn take_inlines(&mut self) -> Option<Vec<Inline>> {
        let mut v = std::mem::take(&mut self.inlines);
        // Trim white space at both ends of the run.
        while v.first().is_some_and(|i| i.text.trim().is_empty()) {
            v.remove(0);
        }
        while v.last().is_some_and(|i| i.text.trim().is_empty()) {
            v.pop();
        }
        if let Some(f) = v.first_mut() {
            f.text = f.text.trim_start().to_owned();
        }
        if let Some(l) = v.last_mut() {
            l.text = l.text.trim_end().to_owned();
        }
        (!v.is_empty()).then_some(v)
    }

    fn flush_paragraph(&mut self) {
        if let Some(content) = self.take_inlines() {
            self.blocks.push(Block::Paragraph { content });
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                if self.nested() {
                    self.separate(" ");
                } else {
                    self.flush_paragraph();
                    self.heading = Some((level as u8).clamp(2, 4));
                }
            }
            Tag::BlockQuote(_) => {
                if self.lists == 0 && self.quote == 0 {
                    self.flush_paragraph();
                } else {
                    self.separate(" ");
                }
                self.quote += 1;
            }
            Tag::CodeBlock(_) | Tag::HtmlBlock => {
                if self.nested() {
                    self.separate(" ");
                } else {
                    self.flush_paragraph();
                    self.raw_block = true;
                }
            }
            Tag::List(start) => {
                if self.lists == 0 && self.quote == 0 {
                    self.flush_paragraph();
                    self.list_ordered = start.is_some();
                    self.items.clear();
                } else {
                    self.separate(" ");
                }
                self.lists += 1;
            }
            Tag::Item => {
                if self.lists == 1 && self.quote == 0 {
                    self.inlines.clear();
                } else {
                    self.separate("; ");
                }
            }
            Tag::Emphasis => self.emphasis += 1,
            Tag::Strong => self.strong += 1,
            Tag::Link { dest_url, .. } => self.links.push(safe_href(&dest_url)),
            Tag::Image { dest_url, .. } => {
                self.image = Some((safe_image_src(&dest_url), String::new()));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                if self.nested() {
                    self.separate(" ");
                } else {
                    self.flush_paragraph();
                }
            }
            TagEnd::Heading(_) => {
                if let Some(level) = self.heading.take() {
                    if let Some(content) = self.take_inlines() {
                        self.blocks.push(Block::Heading { level, content });
                    }
                } else {
                    self.separate(" ");
                }
            }
            TagEnd::BlockQuote(_) => {
                self.quote = self.quote.saturating_sub(1);
                if self.quote == 0 && self.lists == 0 {
                    if let Some(content) = self.take_inlines() {
                        self.blocks.push(Block::Quote { content });
                    }
                } else {
                    self.separate(" ");
                }
            }
            TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                if self.raw_block {
                    self.raw_block = false;
                    self.flush_paragraph();
                } else {
                    self.separate(" ");
                }
            }
            TagEnd::List(_) => {
                self.lists = self.lists.saturating_sub(1);
                if self.lists == 0 && self.quote == 0 {
                    let items = std::mem::take(&mut self.items);
                    if !items.is_empty() {
                        self.blocks.push(Block::List {
                            ordered: self.list_ordered,
                            items,
                        });
                    }
                }
            }
            TagEnd::Item if self.lists == 1 && self.quote == 0 => {
                if let Some(item) = self.take_inlines() {
                    self.items.push(item);
                }
            }
            TagEnd::Emphasis => self.emphasis = self.emphasis.saturating_sub(1),
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Link => {
                self.links.pop();
            }
            TagEnd::Image => {
                let Some((src, alt)) = self.image.take() else {
                    return;
                };
                let alt = alt.trim().to_owned();
                match src {
                    // An image of its own only at the top level; elsewhere its alt text.
                    Some(src) if !self.nested() => {
                        self.flush_paragraph();
                        self.blocks.push(Block::Image { src, alt });
                    }
                    _ => self.text(&alt),
                }
            }
            _ => {}
        }
    }
}

/// Parses a Markdown body into blocks.
pub fn parse(source: &str) -> Vec<Block> {
    let mut b = Builder::default();
    for event in Parser::new_ext(source, Options::empty()) {
        match event {
            Event::Start(tag) => b.start(tag),
            Event::End(tag) => b.end(tag),
            Event::Text(t) | Event::Code(t) => b.text(&t),
            // Raw HTML is shown as the text it is, never interpreted.
            Event::Html(t) | Event::InlineHtml(t) => b.text(&t),
            Event::SoftBreak => b.text(" "),
            Event::HardBreak => b.text("\n"),
            _ => {}
        }
    }
    b.flush_paragraph();
    b.blocks
}

/// The plain text of blocks, for search and summaries.
pub fn plain_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut push = |inl: &[Inline]| {
        for i in inl {
            out.push_str(&i.text);
        }
        out.push('\n');
    };
    for b in blocks {
        match b {
            Block::Heading { content, .. }
            | Block::Paragraph { content }
            | Block::Quote { content } => push(content),
            Block::List { items, .. } => items.iter().for_each(|i| push(i)),
            Block::Image { .. } => {}
        }
    }
    out
}

/// The text of the first paragraph, cut at a word boundary to about `max` characters.
pub fn first_paragraph(blocks: &[Block], max: usize) -> String {
    let text = blocks
        .iter()
        .find_map(|b| match b {
            Block::Paragraph { content } => {
                Some(content.iter().map(|i| i.text.as_str()).collect::<String>())
            }
            _ => None,
        })
        .unwrap_or_default();
    shorten(&text, max)
}

/// `text` with white space collapsed, cut at a word boundary to at most `max`
/// characters (an ellipsis included).
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > cut.len() / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        cut.trim_end_matches([',', ';', ':', ' ', '.', '—', '-'])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Inline {
        Inline {
            text: text.into(),
            strong: false,
            emphasis: false,
            href: None,
        }
    }

    /// Every piece of text in the blocks, and every URL they carry.
    fn texts_and_urls(blocks: &[Block]) -> (Vec<String>, Vec<String>) {
        let mut texts = vec![];
        let mut urls = vec![];
        fn inl(v: &[Inline], texts: &mut Vec<String>, urls: &mut Vec<String>) {
            for i in v {
                texts.push(i.text.clone());
                urls.extend(i.href.clone());
            }
        }
        for b in blocks {
            match b {
                Block::Heading { content, .. }
                | Block::Paragraph { content }
                | Block::Quote { content } => inl(content, &mut texts, &mut urls),
                Block::List { items, .. } => {
                    for i in items {
                        inl(i, &mut texts, &mut urls);
                    }
                }
                Block::Image { src, alt } => {
                    urls.push(src.clone());
                    texts.push(alt.clone());
                }
            }
        }
        (texts, urls)
    }

    #[test]
    fn formats_the_usual_things() {
        let b = parse(
            "# Big\n\nIntro with **bold**, *it* and [a link](https://kherson.example/x).\n\n\
             ###### Small\n\n- one\n- two\n  - nested a\n  - nested b\n\n1. first\n2. second\n\n\
             > quoted\n> text\n\n![Map](/api/v1/media/0123/480.jpg)\n\n`code` and\n\n    block code\n",
        );
        assert_eq!(
            b[0],
            Block::Heading {
                level: 2,
                content: vec![t("Big")]
            }
        );
        let Block::Paragraph { content } = &b[1] else {
            panic!("{b:?}")
        };
        assert_eq!(content[0], t("Intro with "));
        assert!(content[1].strong && content[1].text == "bold");
        assert!(content[3].emphasis && content[3].text == "it");
        assert_eq!(
            content[5].href.as_deref(),
            Some("https://kherson.example/x")
        );
        assert!(matches!(&b[2], Block::Heading { level: 4, .. }));
        let Block::List { ordered, items } = &b[3] else {
            panic!("{b:?}")
        };
        assert!(!ordered);
        assert_eq!(items.len(), 2);
        assert_eq!(items[1], vec![t("two nested a; nested b")]);
        assert!(matches!(&b[4], Block::List { ordered: true, items } if items.len() == 2));
        assert_eq!(
            b[5],
            Block::Quote {
                content: vec![t("quoted text")]
            }
        );
        assert_eq!(
            b[6],
            Block::Image {
                src: "/api/v1/media/0123/480.jpg".into(),
                alt: "Map".into()
            }
        );
        assert_eq!(
            b[7],
            Block::Paragraph {
                content: vec![t("code and")]
            }
        );
        assert_eq!(
            b[8],
            Block::Paragraph {
                content: vec![t("block code")]
            }
        );
    }

    #[test]
    fn scripts_and_handlers_are_only_text() {
        for src in [
            "<script>alert(1)</script>",
            "Hello <script>alert(1)</script> there",
            "<img src=x onerror=alert(1)>",
            "text <img src=x onerror=\"alert(1)\"> more",
            "<div onclick=\"alert(1)\">click</div>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
        ] {
            let b = parse(src);
            assert!(!b.is_empty(), "{src}");
            for block in &b {
                match block {
                    Block::Paragraph { content } => {
                        assert!(content.iter().all(|i| i.href.is_none()), "{src}: {b:?}")
                    }
                    other => panic!("{src}: {other:?}"),
                }
            }
            let (texts, urls) = texts_and_urls(&b);
            assert!(urls.is_empty(), "{src}");
            let all: String = texts.concat();
            // The markup is still there, as text to show.
            assert!(all.contains('<') && all.contains("alert(1)") || all.contains("iframe"));
        }
    }

    #[test]
    fn dangerous_links_and_images_lose_their_target() {
        let b = parse(
            "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](data:text/html,<b>) \
             [w](vbscript:x) [v](//evil.example) [u](/\\evil.example)\n\n\
             ![a](javascript:alert(1))\n\n![b](http://insecure.example/i.png)\n\n\
             ![c](data:image/png;base64,AAAA)\n\n[ok](mailto:rada@kherson.example) \
             [ok2](tel:+380552000000) [ok3](/hromadas/UA65100150000057191)",
        );
        let (texts, urls) = texts_and_urls(&b);
        assert_eq!(
            urls,
            vec![
                "mailto:rada@kherson.example",
                "tel:+380552000000",
                "/hromadas/UA65100150000057191"
            ]
        );
        let all = texts.concat();
        for word in ["x", "y", "z", "w", "v", "u", "a", "b", "c"] {
            assert!(all.contains(word), "{word} in {all}");
        }
        assert!(!b.iter().any(|x| matches!(x, Block::Image { .. })));
    }

    #[test]
    fn summaries() {
        let b = parse("## Head\n\nFirst   paragraph\nhere.\n\nSecond.");
        assert_eq!(first_paragraph(&b, 200), "First paragraph here.");
        let long = "слово ".repeat(100);
        let s = shorten(&long, 50);
        assert!(s.chars().count() <= 50 && s.ends_with('…'), "{s}");
        assert!(plain_text(&b).contains("Head") && plain_text(&b).contains("Second."));
        assert!(parse("").is_empty());
        assert!(parse("   \n\n  ").is_empty());
    }
}
