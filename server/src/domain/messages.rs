//! What a push or an email says, in the person's language. Notification titles come
//! from the app's own catalogs (`locales/*.json`), so the bell, the push and the email
//! say the same words; what only mail says is in `server/locales/*.json`.

use std::collections::HashMap;
use std::sync::OnceLock;

use hromada_api::delivery::PushPayload;
use hromada_api::news::{Alert, Severity};

use crate::db::About;

/// A language of the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Uk,
    En,
}

impl Lang {
    /// `en` is English; anything else Ukrainian, the default.
    pub fn parse(code: &str) -> Self {
        if code.trim().eq_ignore_ascii_case("en") {
            Self::En
        } else {
            Self::Uk
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Uk => "uk",
            Self::En => "en",
        }
    }
}

struct Catalog {
    /// The app's `notifications.*` and `alerts.*`.
    app: HashMap<String, String>,
    /// The server's mail strings.
    mail: HashMap<String, String>,
}

fn load(app: &str, mail: &str) -> Catalog {
    let mut flat = HashMap::new();
    if let Ok(serde_json::Value::Object(root)) = serde_json::from_str::<serde_json::Value>(app) {
        for section in ["notifications", "alerts"] {
            if let Some(serde_json::Value::Object(m)) = root.get(section) {
                for (k, v) in m {
                    if let Some(s) = v.as_str() {
                        flat.insert(format!("{section}.{k}"), s.to_owned());
                    }
                }
            }
        }
    }
    Catalog {
        app: flat,
        mail: serde_json::from_str(mail).unwrap_or_default(),
    }
}

fn catalog(lang: Lang) -> &'static Catalog {
    static UK: OnceLock<Catalog> = OnceLock::new();
    static EN: OnceLock<Catalog> = OnceLock::new();
    match lang {
        Lang::Uk => UK.get_or_init(|| {
            load(
                include_str!("../../../views/locales/uk.json"),
                include_str!("../../locales/uk.json"),
            )
        }),
        Lang::En => EN.get_or_init(|| {
            load(
                include_str!("../../../views/locales/en.json"),
                include_str!("../../locales/en.json"),
            )
        }),
    }
}

/// A mail string with `{name}` filled in.
pub fn mail(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = catalog(lang)
        .mail
        .get(key)
        .cloned()
        .unwrap_or_else(|| key.to_owned());
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

fn app(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = catalog(lang)
        .app
        .get(key)
        .cloned()
        .unwrap_or_else(|| key.to_owned());
    for (k, v) in args {
        s = s.replace(&format!("{{{{ {k} }}}}"), v);
    }
    s
}

/// The app's key of a notification kind's title.
fn title_key(kind: &str) -> String {
    let short = kind.strip_prefix("appeal_").unwrap_or(kind);
    format!("notifications.{short}")
}

/// A notification's title, as the bell shows it.
pub fn notification_title(lang: Lang, kind: &str, about: &About) -> String {
    let number = match about {
        About::Appeal { number, .. } => number.as_str(),
        _ => "",
    };
    app(lang, &title_key(kind), &[("number", number)])
}

/// What the notification is about, in a line.
pub fn about_line(lang: Lang, about: &About) -> String {
    match about {
        About::Appeal {
            number, subject, ..
        } => mail(
            lang,
            "about_appeal",
            &[("number", number), ("subject", subject)],
        ),
        About::Petition { title, .. } => mail(lang, "about_petition", &[("title", title)]),
        About::Project { title, .. } => mail(lang, "about_project", &[("title", title)]),
        About::Consultation { subject, .. } => {
            mail(lang, "about_consultation", &[("subject", subject)])
        }
    }
}

/// The app's path of what a notification is about.
pub fn about_path(about: &About) -> String {
    match about {
        About::Appeal { id, .. } => format!("/appeals/{id}"),
        About::Petition { id, .. } => format!("/petitions/{id}"),
        About::Project { id, .. } => format!("/projects/{id}"),
        About::Consultation { id, .. } => format!("/consultations/{id}"),
    }
}

/// A notification as a push.
pub fn notification_push(lang: Lang, kind: &str, about: &About, tag: &str) -> PushPayload {
    PushPayload {
        title: notification_title(lang, kind, about),
        body: about_line(lang, about),
        url: about_path(about),
        tag: tag.to_owned(),
    }
}

/// "27.01.2027, 10:23": an RFC 3339 instant in Kyiv time, as the app writes it (emails,
/// pushes and the first views).
pub fn kyiv_time(rfc3339: &str) -> String {
    hromada_api::time::kyiv_date_time(rfc3339)
}

/// An urgent alert as a push.
pub fn alert_push(lang: Lang, alert: &Alert, hromada: &str, katottg: &str) -> PushPayload {
    let key = match alert.severity {
        Severity::Info => "alert_title_info",
        Severity::Warning => "alert_title_warning",
        Severity::Danger => "alert_title_danger",
    };
    let mut body = alert.text.clone();
    if let Some(area) = &alert.area {
        body = format!("{area}: {body}");
    }
    let until = mail(
        lang,
        "alert_until",
        &[("time", &kyiv_time(&alert.expires_at))],
    );
    PushPayload {
        title: mail(lang, key, &[("hromada", hromada)]),
        body: shorten(&format!("{body}\n{until}"), 600),
        url: format!("/h/{katottg}"),
        tag: format!("alert-{}", alert.id),
    }
}

/// At most `max` characters, with an ellipsis when cut (a push payload stays small).
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// An email, ready to be sent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What an email says, to be laid out as text and HTML alike.
#[derive(Debug, Clone, Default)]
pub struct MailParts {
    pub subject: String,
    pub greeting: Option<String>,
    pub heading: Option<String>,
    pub paragraphs: Vec<String>,
    /// A quoted text: the official answer.
    pub quote: Option<String>,
    pub action: Option<(String, String)>,
    pub note: Option<String>,
    /// The one-click unsubscribe URL, for mail that can be switched off.
    pub unsubscribe: Option<String>,
    pub settings_url: Option<String>,
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

fn html_paragraphs(s: &str) -> String {
    s.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", esc(p.trim()).replace('\n', "<br>")))
        .collect()
}

/// Lays an email out: a plain-text part and a simple HTML part with the same words,
/// no remote images, no scripts.
pub fn layout(lang: Lang, p: &MailParts) -> Mail {
    let mut text = String::new();
    let mut body = String::new();
    if let Some(g) = &p.greeting {
        text.push_str(g);
        text.push_str("\n\n");
        body.push_str(&format!("<p>{}</p>", esc(g)));
    }
    if let Some(h) = &p.heading {
        text.push_str(h);
        text.push_str("\n\n");
        body.push_str(&format!(
            "<h1 style=\"font-size:20px;margin:0 0 16px\">{}</h1>",
            esc(h)
        ));
    }
    for para in &p.paragraphs {
        text.push_str(para);
        text.push_str("\n\n");
        body.push_str(&html_paragraphs(para));
    }
    if let Some(q) = &p.quote {
        for line in q.lines() {
            text.push_str("> ");
            text.push_str(line);
            text.push('\n');
        }
        text.push('\n');
        body.push_str(&format!(
            "<blockquote style=\"margin:0 0 16px;padding:8px 16px;border-left:4px solid #0057b7;background:#f3f6fb\">{}</blockquote>",
            html_paragraphs(q)
        ));
    }
    if let Some((label, url)) = &p.action {
        text.push_str(&format!("{label}: {url}\n\n"));
        body.push_str(&format!(
            "<p><a href=\"{}\" style=\"display:inline-block;padding:10px 16px;background:#0057b7;color:#ffffff;text-decoration:none;border-radius:4px\">{}</a></p>\
             <p style=\"font-size:13px;color:#444\">{}</p>",
            esc(url),
            esc(label),
            esc(url)
        ));
    }
    if let Some(n) = &p.note {
        text.push_str(n);
        text.push_str("\n\n");
        body.push_str(&format!(
            "<p style=\"font-size:13px;color:#444\">{}</p>",
            esc(n)
        ));
    }
    text.push_str("-- \n");
    text.push_str(&mail(lang, "footer", &[]));
    text.push('\n');
    let mut foot = format!("<p>{}</p>", esc(&mail(lang, "footer", &[])));
    if let Some(u) = &p.settings_url {
        text.push_str(&format!("{}: {u}\n", mail(lang, "settings", &[])));
        foot.push_str(&format!(
            "<p><a href=\"{}\" style=\"color:#0057b7\">{}</a></p>",
            esc(u),
            esc(&mail(lang, "settings", &[]))
        ));
    }
    if let Some(u) = &p.unsubscribe {
        text.push_str(&format!("{}: {u}\n", mail(lang, "unsubscribe", &[])));
        foot.push_str(&format!(
            "<p><a href=\"{}\" style=\"color:#0057b7\">{}</a></p>",
            esc(u),
            esc(&mail(lang, "unsubscribe", &[]))
        ));
    }
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{}</title></head>\
         <body style=\"margin:0;padding:16px;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5\">\
         <div style=\"max-width:600px;margin:0 auto\">{body}\
         <hr style=\"border:0;border-top:1px solid #ccc;margin:24px 0 8px\">\
         <div style=\"font-size:13px;color:#444\">{foot}</div></div></body></html>",
        lang.code(),
        esc(&p.subject)
    );
    Mail {
        subject: p.subject.clone(),
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_apps_catalog_in_both_languages() {
        let about = About::Appeal {
            id: "a".into(),
            number: "ЗВ-2026-000001".into(),
            subject: "Яма".into(),
        };
        assert_eq!(
            notification_title(Lang::Uk, "appeal_answered", &about),
            "На звернення ЗВ-2026-000001 надано відповідь"
        );
        assert_eq!(
            notification_title(Lang::En, "appeal_answered", &about),
            "Appeal ЗВ-2026-000001 answered"
        );
        let p = About::Petition {
            id: "p".into(),
            title: "Сквер".into(),
        };
        assert_eq!(
            notification_title(Lang::En, "petition_reached", &p),
            "A petition reached its number of signatures"
        );
        assert_eq!(about_path(&p), "/petitions/p");
        // Every kind has a title in both catalogs.
        for kind in [
            "appeal_registered",
            "appeal_assigned",
            "appeal_no_further_study",
            "appeal_extended",
            "appeal_returned",
            "appeal_forwarded",
            "appeal_answered",
            "appeal_closed",
            "petition_published",
            "petition_rejected",
            "petition_reached",
            "petition_answered",
            "petition_not_supported",
            "project_accepted",
            "project_changes_requested",
            "project_rejected",
            "project_cost_changed",
            "consultation_answered",
        ] {
            for lang in [Lang::Uk, Lang::En] {
                assert!(
                    !notification_title(lang, kind, &p).starts_with("notifications."),
                    "{kind}"
                );
            }
        }
    }

    #[test]
    fn mail_is_escaped_and_has_both_parts() {
        let m = layout(
            Lang::En,
            &MailParts {
                subject: "S <b>".into(),
                heading: Some("H & h".into()),
                paragraphs: vec!["one\ntwo".into()],
                quote: Some("<script>alert(1)</script>".into()),
                action: Some(("Go".into(), "https://x.example/a?b=1&c=2".into())),
                unsubscribe: Some("https://x.example/unsubscribe/t".into()),
                ..MailParts::default()
            },
        );
        assert!(m.text.contains("> <script>alert(1)</script>"));
        assert!(m.html.contains("&lt;script&gt;"));
        assert!(!m.html.contains("<script>"));
        assert!(m.html.contains("b=1&amp;c=2"));
        assert!(
            m.text
                .contains("Stop emails about this: https://x.example/unsubscribe/t")
        );
        assert!(!m.html.contains("<img"));
    }

    #[test]
    fn kyiv_time_follows_summer_time() {
        assert_eq!(kyiv_time("2026-07-01T09:00:00.000Z"), "01.07.2026, 12:00");
        assert_eq!(kyiv_time("2026-12-01T09:00:00.000Z"), "01.12.2026, 11:00");
    }
}
