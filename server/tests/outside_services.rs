//! The real outside services of tests/common/outside.rs work as the delivery tests
//! expect: the SMTP server keeps and parses what it accepts and bounces `bounce…`
//! recipients; the push service subscribes, and answers 410 once a subscription expired.
mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::outside::{PushService, SmtpServer};

/// One SMTP exchange over a plain connection.
struct Conversation {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conversation {
    fn open(port: u16) -> Conversation {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the SMTP server");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let writer = stream.try_clone().unwrap();
        let mut conversation = Conversation {
            reader: BufReader::new(stream),
            writer,
        };
        conversation.expect(220);
        conversation
    }

    /// Reads a (possibly multi-line) reply; checks its code.
    fn expect(&mut self, code: u16) -> String {
        let mut reply = String::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).expect("an SMTP reply");
            reply.push_str(&line);
            if line.len() < 4 || line.as_bytes()[3] != b'-' {
                break;
            }
        }
        assert!(
            reply.starts_with(&code.to_string()),
            "expected {code}, got {reply:?}"
        );
        reply
    }

    fn say(&mut self, line: &str, code: u16) -> String {
        self.writer
            .write_all(format!("{line}\r\n").as_bytes())
            .unwrap();
        self.expect(code)
    }
}

/// Quoted-printable, as a mailer would write it (RFC 2045 6.7), lines of at most 76.
fn quoted_printable(text: &str) -> String {
    let mut out = String::new();
    for line in text.split('\n') {
        let mut width = 0;
        for &b in line.as_bytes() {
            let piece = if (b' '..=b'~').contains(&b) && b != b'=' {
                (b as char).to_string()
            } else {
                format!("={b:02X}")
            };
            if width + piece.len() > 75 {
                out.push_str("=\r\n");
                width = 0;
            }
            width += piece.len();
            out.push_str(&piece);
        }
        out.push_str("\r\n");
    }
    out
}

#[tokio::test]
async fn the_smtp_server_keeps_mail_and_bounces_bounce_addresses() {
    let smtp = SmtpServer::start();
    assert_eq!(smtp.url(), format!("smtp://127.0.0.1:{}", smtp.port()));
    assert!(smtp.messages().is_empty());

    let subject = "Петицію підписано";
    let text = "Вітаємо! Ваш підпис = 1 з 500.\n.А цей рядок починається з крапки, і він досить довгий, щоб його перенести.";
    let html = "<p>Вітаємо! Ваш підпис <b>1</b> з 500.</p>";
    let html_b64 = STANDARD.encode(html);
    let message = [
        "From: =?utf-8?b?0JPRgNC+0LzQsNC00LA=?= <noreply@hromada.test>".to_string(),
        "To: resident@example.test".to_string(),
        // Split in two words, the first ending in the middle of a character.
        format!(
            "Subject: =?utf-8?B?{}?=\r\n =?utf-8?B?{}?=",
            STANDARD.encode(&subject.as_bytes()[..5]),
            STANDARD.encode(&subject.as_bytes()[5..])
        ),
        "MIME-Version: 1.0".to_string(),
        "Content-Type: multipart/alternative; boundary=\"b1\"".to_string(),
        String::new(),
        "--b1".to_string(),
        "Content-Type: text/plain; charset=utf-8".to_string(),
        "Content-Transfer-Encoding: quoted-printable".to_string(),
        String::new(),
        quoted_printable(text).trim_end().to_string(),
        "--b1".to_string(),
        "Content-Type: text/html; charset=utf-8".to_string(),
        "Content-Transfer-Encoding: base64".to_string(),
        String::new(),
        html_b64,
        "--b1--".to_string(),
    ]
    .join("\r\n");

    let mut smtp_conversation = Conversation::open(smtp.port());
    smtp_conversation.say("EHLO client.hromada.test", 250);
    smtp_conversation.say("MAIL FROM:<noreply@hromada.test>", 250);
    let refused = smtp_conversation.say("RCPT TO:<bounce-7@example.test>", 550);
    assert!(refused.starts_with("550 5.1.1"), "{refused}");
    smtp_conversation.say("RCPT TO:<defer@example.test>", 451);
    smtp_conversation.say("RCPT TO:<resident@example.test>", 250);
    smtp_conversation.say("DATA", 354);
    // Dot-stuffing: a line starting with "." is sent with one more.
    let stuffed = message
        .split("\r\n")
        .map(|l| {
            if l.starts_with('.') {
                format!(".{l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    smtp_conversation.say(&format!("{stuffed}\r\n."), 250);
    smtp_conversation.say("QUIT", 221);

    let mails = smtp.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.mail_from, "noreply@hromada.test");
    assert_eq!(mail.rcpt_to, ["resident@example.test"]);
    assert_eq!(mail.raw_str(), format!("{message}\r\n"));
    assert_eq!(mail.subject(), Some(subject));
    assert_eq!(mail.header("FROM"), Some("Громада <noreply@hromada.test>"));
    assert_eq!(mail.header("to"), Some("resident@example.test"));
    assert_eq!(mail.header_all("mime-version"), ["1.0"]);
    assert_eq!(mail.header("x-missing"), None);
    assert_eq!(mail.text().map(str::trim_end), Some(text));
    assert_eq!(mail.html(), Some(html));
    assert_eq!((mail.text_parts.len(), mail.html_parts.len()), (1, 1));
}

/// The application server key of RFC 8292's example (an uncompressed P-256 point).
const VAPID_PUBLIC_KEY: &str =
    "BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs";

#[test]
fn the_push_service_subscribes_and_answers_410_once_expired() {
    let push = PushService::start();
    assert_eq!(push.origin(), format!("http://localhost:{}", push.port()));

    let (subscription, hash) = push.subscribe(VAPID_PUBLIC_KEY);
    assert_eq!(
        subscription["endpoint"],
        format!("{}/notify/{hash}", push.origin())
    );
    let p256dh = URL_SAFE_NO_PAD
        .decode(subscription["keys"]["p256dh"].as_str().unwrap())
        .unwrap();
    assert_eq!((p256dh.len(), p256dh[0]), (65, 4), "{subscription}");
    let auth = URL_SAFE_NO_PAD
        .decode(subscription["keys"]["auth"].as_str().unwrap())
        .unwrap();
    assert_eq!(auth.len(), 16, "{subscription}");
    assert!(push.messages(&hash).is_empty());

    // Neither signed nor encrypted: refused, and nothing kept.
    let notify = format!("/notify/{hash}");
    let headers = [
        ("TTL", "60"),
        ("Content-Encoding", "aes128gcm"),
        ("Content-Type", "application/octet-stream"),
    ];
    let (status, body) = push.post(&notify, &headers, b"not encrypted");
    assert_eq!(status, 400, "{body}");
    assert!(push.messages(&hash).is_empty());

    push.expire(&hash);
    let (status, body) = push.post(&notify, &headers, b"not encrypted");
    assert_eq!(status, 410, "{body}");
}

/// The server's mailer, lettre, and the SMTP server get on: a multipart message arrives
/// whole, and a `bounce…` recipient is a permanent failure.
#[tokio::test]
async fn lettre_delivers_to_the_smtp_server() {
    use lettre::message::MultiPart;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    let smtp = SmtpServer::start();
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(&smtp.url())
        .expect("an SMTP URL")
        .build();
    let text = "Вітаємо!\nВаш підпис = 1 з 500.";
    let html = "<p>Вітаємо!</p>\n<p>Ваш підпис = 1 з 500.</p>";
    let message = |to: &str| {
        Message::builder()
            .from("Громада <noreply@hromada.test>".parse().unwrap())
            .to(to.parse().unwrap())
            .subject("Петицію підписано")
            .multipart(MultiPart::alternative_plain_html(
                text.to_string(),
                html.to_string(),
            ))
            .unwrap()
    };
    mailer
        .send(message("resident@example.test"))
        .await
        .expect("delivered");
    let error = mailer
        .send(message("bounce@example.test"))
        .await
        .expect_err("bounced");
    assert!(error.is_permanent(), "{error:?}");

    let mails = smtp.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.rcpt_to, ["resident@example.test"]);
    assert_eq!(mail.subject(), Some("Петицію підписано"));
    assert_eq!(mail.header("from"), Some("Громада <noreply@hromada.test>"));
    assert_eq!(mail.text(), Some(text));
    assert_eq!(mail.html(), Some(html));
}
