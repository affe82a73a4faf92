//! Email: through SMTP (`HROMADA_SMTP_URL`, lettre's tokio transport, connections
//! pooled), or, with no SMTP set, written as `.eml` files a person trying the product
//! can open.

use std::path::PathBuf;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::domain::messages::Mail;

/// What the mail server said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailOutcome {
    Sent,
    /// Refused for good (5xx): the address does not take mail.
    Bounced(String),
    /// Try again later.
    Retry(String),
    /// The message itself cannot be made (a malformed address).
    Failed(String),
}

/// One email to send.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub mail: &'a Mail,
    pub message_id: &'a str,
    /// The one-click unsubscribe URL (RFC 8058), for mail that can be switched off.
    pub unsubscribe: Option<&'a str>,
}

/// Where mail goes.
#[derive(Clone)]
pub enum MailSender {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl std::fmt::Debug for MailSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp(_) => f.write_str("MailSender::Smtp"),
            Self::Files(d) => write!(f, "MailSender::Files({})", d.display()),
        }
    }
}

impl MailSender {
    /// SMTP at `url` (`smtp://` plain or with `?tls=required`, `smtps://` TLS), or
    /// files in `dir`.
    pub fn new(url: Option<&str>, dir: PathBuf) -> Result<Self, String> {
        match url {
            Some(u) => AsyncSmtpTransport::<Tokio1Executor>::from_url(u)
                .map(|b| Self::Smtp(b.timeout(Some(std::time::Duration::from_secs(30))).build()))
                .map_err(|e| format!("HROMADA_SMTP_URL: {e}")),
            None => Ok(Self::Files(dir)),
        }
    }

    /// Sends one message from `from`.
    pub async fn send(&self, from: &Mailbox, m: &Outgoing<'_>) -> MailOutcome {
        let to: Mailbox = match m.to.parse() {
            Ok(t) => t,
            Err(e) => return MailOutcome::Failed(format!("address: {e}")),
        };
        let mut builder = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(&m.mail.subject)
            .message_id(Some(m.message_id.to_owned()));
        if let Some(u) = m.unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{u}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let message = builder.multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(m.mail.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(m.mail.html.clone()),
                ),
        );
        let message = match message {
            Ok(msg) => msg,
            Err(e) => return MailOutcome::Failed(format!("message: {e}")),
        };
        match self {
            Self::Smtp(t) => match t.send(message).await {
                Ok(_) => MailOutcome::Sent,
                Err(e) if e.is_permanent() => MailOutcome::Bounced(e.to_string()),
                Err(e) => MailOutcome::Retry(e.to_string()),
            },
            Self::Files(dir) => {
                let name = format!(
                    "{}-{}.eml",
                    crate::domain::clock::now_millis(),
                    m.message_id
                        .trim_matches(|c| c == '<' || c == '>')
                        .split('@')
                        .next()
                        .unwrap_or("mail")
                );
                let path = dir.join(name);
                let bytes = message.formatted();
                let write = async {
                    tokio::fs::create_dir_all(dir).await?;
                    tokio::fs::write(&path, bytes).await
                };
                match write.await {
                    Ok(()) => {
                        tracing::info!(path = %path.display(), "email written (no SMTP set)");
                        MailOutcome::Sent
                    }
                    Err(e) => MailOutcome::Retry(format!("{}: {e}", path.display())),
                }
            }
        }
    }
}
