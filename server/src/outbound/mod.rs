//! The one delivery layer: everything the server sends outward (Web Push, email) goes
//! through the `deliveries` table, written in the transaction of its cause. The worker
//! here takes due rows under a lease (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so each is
//! taken by one process), sends them, retries failures with backoff, and marks them
//! done. A process killed half-way leaves its rows leased; when the lease runs out any
//! process takes them again, and a retry never shows twice: pushes carry a `Topic` and
//! a notification `tag`, emails a stable `Message-ID`.

pub mod ece;
pub mod mail;
pub mod push;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use hromada_api::appeals::Step;
use hromada_api::delivery::{EmailFrequency, Topic, TopicSetting, topic_of};
use hromada_api::news::{Alert, Severity};
use hromada_api::notifications::NotificationKind;
use lettre::message::Mailbox;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::config::Config;
use crate::db::{About, Db, DeliveryRow, DeliveryWrite, DeviceRow, NotificationRow, UserRow};
use crate::domain::delivery::{
    EmailWay, LEASE_MS, MAX_ATTEMPTS, backoff_ms, channels, message_id, next_digest_ms, push_topic,
    setting_of, unsubscribe_token,
};
use crate::domain::messages::{self, Lang, Mail, MailParts};
use crate::domain::secrets::{ServerKey, Vapid};
use crate::domain::{clock, ids, notifications};
use mail::{MailOutcome, MailSender, Outgoing};
use push::{PushMessage, PushOutcome, PushSender};

/// Deliveries taken in one round.
const BATCH: i64 = 1000;
/// Pushes in flight at once.
const CONCURRENCY: usize = 256;
/// How long a notification's push is worth delivering.
const NOTIFICATION_TTL_SECS: u64 = 4 * 24 * 3600;
/// How often an idle worker looks for due rows made by other processes.
const POLL: Duration = Duration::from_millis(500);

/// An email as the table keeps it (sealed: it may hold a one-time link).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SealedMail {
    #[serde(flatten)]
    pub mail: Mail,
    #[serde(default)]
    pub unsubscribe: Option<String>,
}

/// Why the delivery layer could not start.
#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    #[error("{0}")]
    Key(#[from] crate::domain::secrets::KeyError),
    #[error("HROMADA_MAIL_FROM: {0}")]
    From(String),
    #[error("{0}")]
    Smtp(String),
    #[error("push client: {0}")]
    Push(#[from] reqwest::Error),
}

struct Inner {
    db: Db,
    key: ServerKey,
    vapid: Vapid,
    push: PushSender,
    mail: MailSender,
    from: Mailbox,
    public_url: String,
    host: String,
    wake: Notify,
}

/// The delivery layer: what handlers use to enqueue, and the worker.
#[derive(Clone)]
pub struct Outbound(Arc<Inner>);

impl std::fmt::Debug for Outbound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Outbound")
    }
}

fn rfc(ms: i64) -> String {
    clock::rfc3339(ms)
}

impl Outbound {
    /// Loads the server key and the VAPID key, and sets up SMTP (or files) and push.
    pub async fn new(db: Db, config: &Config) -> Result<Self, OutboundError> {
        let key = ServerKey::load(config.secret_key.as_deref(), &config.secret_key_file)?;
        let vapid = Vapid::load(&db, &key, config.vapid_private_key.as_deref()).await?;
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e: lettre::address::AddressError| OutboundError::From(e.to_string()))?;
        let subject = config
            .vapid_subject
            .clone()
            .unwrap_or_else(|| format!("mailto:{}", from.email));
        let push = PushSender::new(vapid.clone(), &subject, &config.push_origins)?;
        let mail = MailSender::new(config.smtp_url.as_deref(), config.mail_dir.clone())
            .map_err(OutboundError::Smtp)?;
        let host = url::Url::parse(&config.public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "localhost".to_owned());
        Ok(Self(Arc::new(Inner {
            db,
            key,
            vapid,
            push,
            mail,
            from,
            public_url: config.public_url.clone(),
            host,
            wake: Notify::new(),
        })))
    }

    /// The VAPID public key (`GET /push/key`).
    pub fn public_key(&self) -> &str {
        &self.0.vapid.public_key
    }

    /// The server key (sealing, unsubscribe links).
    pub fn key(&self) -> &ServerKey {
        &self.0.key
    }

    /// Where links in messages start.
    pub fn public_url(&self) -> &str {
        &self.0.public_url
    }

    /// Tells this process's worker that something was enqueued.
    pub fn wake(&self) {
        self.0.wake.notify_one();
    }

    /// An email delivery row: the message sealed, its `Message-ID` stable.
    pub fn email_row<'a>(&self, w: EmailRow<'a>, sealed: &'a str) -> DeliveryWrite<'a> {
        DeliveryWrite {
            id: w.id,
            job: "email",
            kind: w.kind,
            user_id: w.user_id,
            appeal_id: w.appeal_id,
            recipient: Some(w.to),
            payload: Some(sealed),
            dedup: w.dedup,
            unique_key: w.dedup,
            due_at: w.now,
            created_at: w.now,
            ..DeliveryWrite::default()
        }
    }

    /// Seals a message for the table.
    pub fn seal(&self, mail: &Mail, unsubscribe: Option<String>) -> String {
        let m = SealedMail {
            mail: mail.clone(),
            unsubscribe,
        };
        self.0
            .key
            .seal(serde_json::to_string(&m).unwrap_or_default().as_bytes())
    }

    /// Starts the worker: it runs until the process ends.
    pub fn spawn(&self) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                match me.run_once().await {
                    Ok(0) => {
                        let _ = tokio::time::timeout(POLL, me.0.wake.notified()).await;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "delivery worker");
                        tokio::time::sleep(Duration::from_secs(2)).await;
                    }
                }
            }
        })
    }

    /// Takes one batch of due deliveries and sends it; returns how many were taken.
    pub async fn run_once(&self) -> Result<usize, sqlx::Error> {
        let now = clock::now_millis();
        let rows = self
            .0
            .db
            .claim_deliveries(&rfc(now), &rfc(now + LEASE_MS), BATCH)
            .await?;
        let taken = rows.len();
        let (pushes, others): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.job == "push");
        for r in others {
            let done = match r.job.as_str() {
                "alert" => self.fan_out(&r).await,
                "notification" => self.expand(&r).await,
                "staff" => self.staff(&r).await,
                "email" => self.email(&r).await,
                "digest" => self.digest(&r).await,
                other => Err(Problem::Fail(format!("unknown job {other}"))),
            };
            self.settle(&r, done).await?;
        }
        if !pushes.is_empty() {
            self.pushes(pushes).await?;
        }
        Ok(taken)
    }

    /// Records how a delivery went.
    async fn settle(&self, r: &DeliveryRow, done: Result<(), Problem>) -> Result<(), sqlx::Error> {
        let now = clock::now_millis();
        match done {
            Ok(()) => {
                self.0
                    .db
                    .mark_sent(std::slice::from_ref(&r.id), &rfc(now))
                    .await
            }
            Err(Problem::Db(e)) => {
                tracing::warn!(error = %e, id = %r.id, "delivery: database");
                self.retry(r, "database error", None, now).await
            }
            Err(Problem::Retry(why, after)) => self.retry(r, &why, after, now).await,
            Err(Problem::Fail(why)) => {
                tracing::info!(id = %r.id, job = %r.job, why = %why, "delivery given up");
                self.0.db.fail_delivery(&r.id, &why).await
            }
        }
    }

    async fn retry(
        &self,
        r: &DeliveryRow,
        why: &str,
        after: Option<u64>,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        if r.attempts >= MAX_ATTEMPTS {
            return self.0.db.fail_delivery(&r.id, why).await;
        }
        let due = now + backoff_ms(r.attempts, after);
        self.0.db.retry_delivery(&r.id, &rfc(due), why).await
    }

    /// An alert: one push delivery per device subscribed to its hromada.
    async fn fan_out(&self, r: &DeliveryRow) -> Result<(), Problem> {
        let Some(id) = &r.alert_id else {
            return Ok(());
        };
        let Some(a) = self.0.db.alert(id).await? else {
            return Ok(());
        };
        let now = clock::now_millis();
        let expires = clock::parse_rfc3339(&a.expires_at).unwrap_or(now);
        if a.ended_at.is_some() || expires <= now {
            return Ok(());
        }
        let starts = clock::parse_rfc3339(&a.starts_at).unwrap_or(now);
        if starts > now {
            // Moved later by an edit: wait for the new start.
            let secs = ((starts - now) / 1000).max(1) as u64;
            return Err(Problem::Retry("not started yet".into(), Some(secs)));
        }
        let (info_only, urgency) = match a.severity {
            Severity::Info => (true, "normal"),
            Severity::Warning | Severity::Danger => (false, "high"),
        };
        let n = self
            .0
            .db
            .fan_out_alert(&crate::db::FanOut {
                alert_id: &a.id,
                katottg: &a.katottg,
                info_only,
                dedup: &format!("alert:{}", a.id),
                urgency,
                expires_at: &a.expires_at,
                now: &rfc(now),
            })
            .await?;
        tracing::info!(alert = %a.id, devices = n, "alert fanned out");
        self.wake();
        Ok(())
    }

    /// A notification: pushes to the person's devices and an email (now or in the
    /// digest), as their settings and the law say.
    async fn expand(&self, r: &DeliveryRow) -> Result<(), Problem> {
        let (Some(nid), Some(uid)) = (&r.notification_id, &r.user_id) else {
            return Ok(());
        };
        let db = &self.0.db;
        let Some(n) = db.notification(uid, nid).await? else {
            return Ok(());
        };
        let Some(user) = db.user_by_id(uid).await? else {
            return Ok(());
        };
        let Some(kind) = notifications::kind(&n.kind) else {
            return Err(Problem::Fail(format!("notification kind {}", n.kind)));
        };
        let signer = match &n.about {
            About::Petition { id, .. } => db.petition_author(id).await?.as_deref() != Some(uid),
            _ => false,
        };
        let topic = topic_of(kind, signer);
        let (stored, freq) = db.notification_settings(uid).await?;
        let stored = settings_from_rows(&stored);
        let frequency = frequency_from(&freq);
        let (in_app, push, email) = channels(kind, &setting_of(topic, &stored), frequency);
        let now = clock::now_millis();
        let now_s = rfc(now);
        if !in_app {
            db.mark_notification_read(uid, nid, &now_s).await?;
        }
        let lang = Lang::parse(&user.language);
        let mut owned: Vec<OwnedWrite> = Vec::new();
        if push {
            let payload = messages::notification_push(lang, &n.kind, &n.about, &format!("n-{nid}"));
            let payload = serde_json::to_string(&payload).unwrap_or_default();
            for d in db.user_devices(uid).await? {
                owned.push(OwnedWrite {
                    id: ids::new_id(),
                    job: "push",
                    kind: n.kind.clone(),
                    subscription_id: Some(d.id.clone()),
                    user_id: Some(uid.clone()),
                    appeal_id: r.appeal_id.clone(),
                    recipient: Some(d.origin.clone()),
                    payload: Some(payload.clone()),
                    dedup: format!("n:{nid}"),
                    unique_key: format!("push:n:{nid}:{}", d.id),
                    urgency: Some("normal".into()),
                    expires_at: Some(rfc(now + NOTIFICATION_TTL_SECS as i64 * 1000)),
                    due_at: now_s.clone(),
                });
            }
        }
        match email {
            EmailWay::Now => {
                if let Some((to, mail, unsub)) =
                    self.notification_mail(&user, &n, kind, topic, lang).await?
                {
                    let sealed = self.seal(&mail, unsub);
                    owned.push(OwnedWrite {
                        id: ids::new_id(),
                        job: "email",
                        kind: n.kind.clone(),
                        subscription_id: None,
                        user_id: Some(uid.clone()),
                        appeal_id: r.appeal_id.clone(),
                        recipient: Some(to),
                        payload: Some(sealed),
                        dedup: format!("email:n:{nid}"),
                        unique_key: format!("email:n:{nid}"),
                        urgency: None,
                        expires_at: None,
                        due_at: now_s.clone(),
                    });
                }
            }
            EmailWay::Digest if user.email_confirmed_at.is_some() => {
                let line = DigestLine {
                    title: messages::notification_title(lang, &n.kind, &n.about),
                    about: messages::about_line(lang, &n.about),
                    url: format!("{}{}", self.0.public_url, messages::about_path(&n.about)),
                };
                owned.extend(digest_rows(&user, &n.kind, &format!("n:{nid}"), &line, now));
            }
            EmailWay::Digest | EmailWay::No => {}
        }
        let writes: Vec<DeliveryWrite<'_>> = owned.iter().map(OwnedWrite::as_write).collect();
        db.insert_deliveries(&writes).await?;
        if !writes.is_empty() {
            self.wake();
        }
        Ok(())
    }

    /// New work in a hromada: an email (now or in the digest) to each of its staff who
    /// chose it.
    async fn staff(&self, r: &DeliveryRow) -> Result<(), Problem> {
        let notice: StaffNotice = r
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .ok_or_else(|| Problem::Fail("a staff notice without its payload".into()))?;
        let (topic, key, path) = match r.kind.as_str() {
            "staff_appeal" => (
                Topic::StaffAppeals,
                "staff_appeal",
                format!("/h/{}/staff/appeals", notice.katottg),
            ),
            "staff_petition" => (
                Topic::StaffPetitions,
                "staff_petition",
                format!("/h/{}/staff/petitions", notice.katottg),
            ),
            "staff_consultation" => (
                Topic::StaffConsultations,
                "staff_consultation",
                format!("/h/{}/staff/consultations", notice.katottg),
            ),
            other => return Err(Problem::Fail(format!("staff notice {other}"))),
        };
        let db = &self.0.db;
        let hromada = db.hromada_name(&notice.katottg).await?.unwrap_or_default();
        let now = clock::now_millis();
        let mut owned = Vec::new();
        for st in db.staff_recipients(&notice.katottg, topic.code()).await? {
            let lang = Lang::parse(&st.language);
            let arg = match topic {
                Topic::StaffAppeals => ("number", notice.label.as_str()),
                Topic::StaffPetitions => ("title", notice.label.as_str()),
                _ => ("subject", notice.label.as_str()),
            };
            let title = messages::mail(lang, key, &[arg]);
            let url = format!("{}{path}", self.0.public_url);
            match frequency_from(&st.email_frequency) {
                EmailFrequency::Never => {}
                EmailFrequency::Daily => {
                    let line = DigestLine {
                        title,
                        about: hromada.clone(),
                        url,
                    };
                    let user = StaffRecipientRef(&st);
                    owned.extend(digest_rows(&user, &r.kind, &r.dedup, &line, now));
                }
                EmailFrequency::Immediately => {
                    let token = unsubscribe_token(self.0.key.mac_key(), &st.user_id, Some(topic));
                    let unsubscribe = format!("{}/unsubscribe/{token}", self.0.public_url);
                    let mail = messages::layout(
                        lang,
                        &MailParts {
                            subject: title.clone(),
                            greeting: Some(messages::mail(
                                lang,
                                "greeting",
                                &[("name", &st.full_name)],
                            )),
                            heading: Some(title),
                            paragraphs: vec![hromada.clone()],
                            action: Some((messages::mail(lang, "open", &[]), url)),
                            settings_url: Some(format!("{}/account", self.0.public_url)),
                            unsubscribe: Some(unsubscribe.clone()),
                            ..MailParts::default()
                        },
                    );
                    let key = format!("email:{}:{}", r.dedup, st.user_id);
                    owned.push(OwnedWrite {
                        id: ids::new_id(),
                        job: "email",
                        kind: r.kind.clone(),
                        subscription_id: None,
                        user_id: Some(st.user_id.clone()),
                        appeal_id: None,
                        recipient: Some(st.email.clone()),
                        payload: Some(self.seal(&mail, Some(unsubscribe))),
                        dedup: key.clone(),
                        unique_key: key,
                        urgency: None,
                        expires_at: None,
                        due_at: rfc(now),
                    });
                }
            }
        }
        let writes: Vec<DeliveryWrite<'_>> = owned.iter().map(OwnedWrite::as_write).collect();
        db.insert_deliveries(&writes).await?;
        if !writes.is_empty() {
            self.wake();
        }
        Ok(())
    }

    /// The email of a notification: to whom, what, and the unsubscribe link (`None`
    /// for the law's messages). `None` when nothing may be sent.
    async fn notification_mail(
        &self,
        user: &UserRow,
        n: &NotificationRow,
        kind: NotificationKind,
        topic: Topic,
        lang: Lang,
    ) -> Result<Option<(String, Mail, Option<String>)>, Problem> {
        let db = &self.0.db;
        let title = messages::notification_title(lang, &n.kind, &n.about);
        let link = format!("{}{}", self.0.public_url, messages::about_path(&n.about));
        let mut parts = MailParts {
            subject: title.clone(),
            greeting: Some(messages::mail(
                lang,
                "greeting",
                &[("name", &user.full_name)],
            )),
            heading: Some(title),
            paragraphs: vec![messages::about_line(lang, &n.about)],
            action: Some((messages::mail(lang, "open", &[]), link)),
            settings_url: Some(format!("{}/account", self.0.public_url)),
            ..MailParts::default()
        };
        let mut to = user.email.clone();
        let law = hromada_api::delivery::email_required(kind);
        match (&n.about, kind) {
            (
                About::Appeal {
                    id,
                    number,
                    subject,
                },
                NotificationKind::AppealAnswered,
            ) => {
                if let Some((email, name, answer)) = db.appeal_contact_and_answer(id).await? {
                    to = email;
                    parts.greeting = Some(messages::mail(lang, "greeting", &[("name", &name)]));
                    parts.heading = Some(messages::mail(
                        lang,
                        "appeal_answer_heading",
                        &[("number", number), ("subject", subject)],
                    ));
                    parts.quote = answer
                        .and_then(|a| serde_json::from_str::<Step>(&a).ok())
                        .and_then(|s| match s {
                            Step::Answered { text, .. } => Some(text),
                            _ => None,
                        });
                }
            }
            (About::Petition { id, title }, NotificationKind::PetitionAnswered) => {
                parts.heading = Some(messages::mail(
                    lang,
                    "petition_answer_heading",
                    &[("title", title)],
                ));
                parts.quote = db.petition_answer(id).await?;
            }
            _ => {}
        }
        let unsubscribe = if law {
            parts.note = Some(messages::mail(lang, "law_note", &[]));
            None
        } else {
            if user.email_confirmed_at.is_none() {
                return Ok(None);
            }
            let token = unsubscribe_token(self.0.key.mac_key(), &user.id, Some(topic));
            Some(format!("{}/unsubscribe/{token}", self.0.public_url))
        };
        parts.unsubscribe = unsubscribe.clone();
        Ok(Some((to, messages::layout(lang, &parts), unsubscribe)))
    }

    /// One email.
    async fn email(&self, r: &DeliveryRow) -> Result<(), Problem> {
        let (Some(to), Some(sealed)) = (&r.recipient, &r.payload) else {
            return Err(Problem::Fail("nothing to send".into()));
        };
        let m: SealedMail = self
            .0
            .key
            .open(sealed)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| Problem::Fail("the message cannot be opened with this key".into()))?;
        self.send_mail(to, &m.mail, &r.dedup, m.unsubscribe.as_deref())
            .await
    }

    async fn send_mail(
        &self,
        to: &str,
        mail: &Mail,
        dedup: &str,
        unsubscribe: Option<&str>,
    ) -> Result<(), Problem> {
        let mid = message_id(dedup, &self.0.host);
        let out = self
            .0
            .mail
            .send(
                &self.0.from,
                &Outgoing {
                    to,
                    mail,
                    message_id: &mid,
                    unsubscribe,
                },
            )
            .await;
        match out {
            MailOutcome::Sent => Ok(()),
            MailOutcome::Bounced(why) => {
                self.0
                    .db
                    .mark_email_failing(to, &clock::now_rfc3339())
                    .await?;
                Err(Problem::Fail(why))
            }
            MailOutcome::Retry(why) => Err(Problem::Retry(why, None)),
            MailOutcome::Failed(why) => Err(Problem::Fail(why)),
        }
    }

    /// A person's daily digest: every item gathered for it, in one email.
    async fn digest(&self, r: &DeliveryRow) -> Result<(), Problem> {
        let (Some(uid), Some(to)) = (&r.user_id, &r.recipient) else {
            return Ok(());
        };
        let db = &self.0.db;
        let items = db.digest_items(&r.dedup).await?;
        let Some(user) = db.user_by_id(uid).await? else {
            return Ok(());
        };
        let lang = Lang::parse(&user.language);
        let lines: Vec<String> = items
            .iter()
            .filter_map(|it| it.payload.as_deref())
            .filter_map(|p| serde_json::from_str::<DigestLine>(p).ok())
            .map(|l| format!("{}\n{}\n{}", l.title, l.about, l.url))
            .collect();
        let item_ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
        if !lines.is_empty() {
            let token = unsubscribe_token(self.0.key.mac_key(), uid, None);
            let unsubscribe = format!("{}/unsubscribe/{token}", self.0.public_url);
            let count = lines.len().to_string();
            let mut paragraphs = vec![messages::mail(lang, "digest_intro", &[])];
            paragraphs.extend(lines);
            let mail = messages::layout(
                lang,
                &MailParts {
                    subject: messages::mail(lang, "digest_subject", &[("count", &count)]),
                    greeting: Some(messages::mail(
                        lang,
                        "greeting",
                        &[("name", &user.full_name)],
                    )),
                    paragraphs,
                    settings_url: Some(format!("{}/account", self.0.public_url)),
                    unsubscribe: Some(unsubscribe.clone()),
                    ..MailParts::default()
                },
            );
            // The row's id keeps the Message-ID the same on a retry of this digest, and
            // apart from a digest of late items under the same key.
            self.send_mail(
                to,
                &mail,
                &format!("digest-row:{}", r.id),
                Some(&unsubscribe),
            )
            .await?;
        }
        db.mark_sent(&item_ids, &clock::now_rfc3339()).await?;
        // An item gathered while this digest was being sent goes in a digest of its own
        // at once, rather than waiting under a key that is done.
        if !db.digest_items(&r.dedup).await?.is_empty() {
            let now = clock::now_rfc3339();
            let id = ids::new_id();
            let key = format!("{}:after:{}", r.dedup, r.id);
            db.insert_deliveries(&[DeliveryWrite {
                id: &id,
                job: "digest",
                kind: "digest",
                user_id: Some(uid),
                recipient: Some(to),
                dedup: &r.dedup,
                unique_key: &key,
                due_at: &now,
                created_at: &now,
                ..DeliveryWrite::default()
            }])
            .await?;
        }
        Ok(())
    }

    /// A batch of pushes, sent concurrently over reused connections.
    async fn pushes(&self, rows: Vec<DeliveryRow>) -> Result<(), sqlx::Error> {
        let db = &self.0.db;
        let ids: Vec<String> = rows
            .iter()
            .filter_map(|r| r.subscription_id.clone())
            .collect();
        let devices: HashMap<String, DeviceRow> = db
            .devices_by_id(&ids)
            .await?
            .into_iter()
            .map(|d| (d.id.clone(), d))
            .collect();
        // Each alert once, its payload once per language.
        let mut alerts: HashMap<String, Option<(Alert, String)>> = HashMap::new();
        for r in &rows {
            if let Some(a) = &r.alert_id
                && !alerts.contains_key(a)
            {
                let alert = db.alert(a).await?;
                let named = match alert {
                    Some(al) => {
                        let name = db.hromada_name(&al.katottg).await?.unwrap_or_default();
                        Some((al, name))
                    }
                    None => None,
                };
                alerts.insert(a.clone(), named);
            }
        }
        let mut payloads: HashMap<(String, &'static str), Vec<u8>> = HashMap::new();
        for (id, a) in &alerts {
            if let Some((al, name)) = a {
                for lang in [Lang::Uk, Lang::En] {
                    let p = messages::alert_push(lang, al, name, &al.katottg);
                    payloads.insert(
                        (id.clone(), lang.code()),
                        serde_json::to_vec(&p).unwrap_or_default(),
                    );
                }
            }
        }
        let now = clock::now_millis();
        let mut sent = Vec::new();
        let mut results: Vec<(DeliveryRow, PushOutcome)> = Vec::new();
        let mut jobs = Vec::new();
        for r in rows {
            let Some(d) = r.subscription_id.as_ref().and_then(|s| devices.get(s)) else {
                results.push((r, PushOutcome::Failed("the device was removed".into())));
                continue;
            };
            let expires = r
                .expires_at
                .as_deref()
                .and_then(clock::parse_rfc3339)
                .unwrap_or(now + 86_400_000);
            let alive = match &r.alert_id {
                Some(a) => match alerts.get(a) {
                    Some(Some((al, _))) => al.ended_at.is_none(),
                    _ => false,
                },
                None => true,
            };
            if expires <= now || !alive {
                results.push((
                    r,
                    PushOutcome::Failed("expired before it could be sent".into()),
                ));
                continue;
            }
            let payload: Vec<u8> = match &r.alert_id {
                Some(a) => payloads
                    .get(&(a.clone(), Lang::parse(&d.language).code()))
                    .cloned()
                    .unwrap_or_default(),
                None => r.payload.clone().unwrap_or_default().into_bytes(),
            };
            let ttl = ((expires - now) / 1000).clamp(0, 28 * 86_400) as u64;
            jobs.push((r, d.clone(), payload, ttl));
        }
        let push = self.0.push.clone();
        let sends = futures::stream::iter(jobs)
            .map(move |(r, d, payload, ttl)| {
                let push = push.clone();
                async move {
                    let topic = push_topic(&r.dedup);
                    let urgency = r.urgency.clone().unwrap_or_else(|| "normal".into());
                    let out = push
                        .send(
                            &PushMessage {
                                endpoint: &d.endpoint,
                                origin: &d.origin,
                                p256dh: &d.p256dh,
                                auth: &d.auth,
                                payload: &payload,
                                ttl_secs: ttl,
                                urgency: &urgency,
                                topic: &topic,
                            },
                            now,
                        )
                        .await;
                    (r, out)
                }
            })
            .buffer_unordered(CONCURRENCY);
        let sends: Vec<(DeliveryRow, PushOutcome)> = sends.collect().await;
        results.extend(sends);
        for (r, out) in &results {
            match out {
                PushOutcome::Sent => sent.push(r.id.clone()),
                PushOutcome::Gone => {
                    if let Some(s) = &r.subscription_id {
                        db.delete_device(s).await?;
                    }
                }
                PushOutcome::Retry(why, after) => self.retry(r, why, *after, now).await?,
                PushOutcome::Failed(why) => db.fail_delivery(&r.id, why).await?,
            }
        }
        db.mark_sent(&sent, &rfc(clock::now_millis())).await
    }
}

/// A line of the daily digest, written in the person's language when it is gathered.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DigestLine {
    title: String,
    about: String,
    url: String,
}

/// What a staff notice says (the `staff` job's payload).
#[derive(Debug, Clone, Deserialize)]
struct StaffNotice {
    katottg: String,
    label: String,
}

/// Who a digest goes to.
trait DigestReader {
    fn id(&self) -> &str;
    fn email(&self) -> &str;
}

impl DigestReader for UserRow {
    fn id(&self) -> &str {
        &self.id
    }
    fn email(&self) -> &str {
        &self.email
    }
}

struct StaffRecipientRef<'a>(&'a crate::db::StaffRecipient);

impl DigestReader for StaffRecipientRef<'_> {
    fn id(&self) -> &str {
        &self.0.user_id
    }
    fn email(&self) -> &str {
        &self.0.email
    }
}

/// A line for a person's next digest, and the digest itself (made once a day).
fn digest_rows(
    user: &dyn DigestReader,
    kind: &str,
    what: &str,
    line: &DigestLine,
    now: i64,
) -> [OwnedWrite; 2] {
    let due = next_digest_ms(now);
    let digest = format!("digest:{}:{}", user.id(), rfc(due));
    [
        OwnedWrite {
            id: ids::new_id(),
            job: "digest_item",
            kind: kind.to_owned(),
            subscription_id: None,
            user_id: Some(user.id().to_owned()),
            appeal_id: None,
            recipient: None,
            payload: Some(serde_json::to_string(line).unwrap_or_default()),
            dedup: digest.clone(),
            unique_key: format!("digest_item:{what}:{}", user.id()),
            urgency: None,
            expires_at: None,
            due_at: rfc(due),
        },
        OwnedWrite {
            id: ids::new_id(),
            job: "digest",
            kind: "digest".into(),
            subscription_id: None,
            user_id: Some(user.id().to_owned()),
            appeal_id: None,
            recipient: Some(user.email().to_owned()),
            payload: None,
            dedup: digest.clone(),
            unique_key: digest,
            urgency: None,
            expires_at: None,
            due_at: rfc(due),
        },
    ]
}

/// What an email row needs.
#[derive(Debug, Clone, Copy)]
pub struct EmailRow<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub to: &'a str,
    pub user_id: Option<&'a str>,
    pub appeal_id: Option<&'a str>,
    pub dedup: &'a str,
    pub now: &'a str,
}

/// How a delivery went wrong.
enum Problem {
    Db(sqlx::Error),
    Retry(String, Option<u64>),
    Fail(String),
}

impl From<sqlx::Error> for Problem {
    fn from(e: sqlx::Error) -> Self {
        Self::Db(e)
    }
}

struct OwnedWrite {
    id: String,
    job: &'static str,
    kind: String,
    subscription_id: Option<String>,
    user_id: Option<String>,
    appeal_id: Option<String>,
    recipient: Option<String>,
    payload: Option<String>,
    dedup: String,
    unique_key: String,
    urgency: Option<String>,
    expires_at: Option<String>,
    due_at: String,
}

impl OwnedWrite {
    fn as_write(&self) -> DeliveryWrite<'_> {
        DeliveryWrite {
            id: &self.id,
            job: self.job,
            kind: &self.kind,
            alert_id: None,
            notification_id: None,
            subscription_id: self.subscription_id.as_deref(),
            user_id: self.user_id.as_deref(),
            appeal_id: self.appeal_id.as_deref(),
            recipient: self.recipient.as_deref(),
            payload: self.payload.as_deref(),
            dedup: &self.dedup,
            unique_key: &self.unique_key,
            urgency: self.urgency.as_deref(),
            expires_at: self.expires_at.as_deref(),
            due_at: &self.due_at,
            created_at: &self.due_at,
        }
    }
}

/// The stored settings as the contract's.
pub fn settings_from_rows(rows: &[crate::db::SettingRow]) -> Vec<TopicSetting> {
    rows.iter()
        .filter_map(|r| {
            Some(TopicSetting {
                topic: Topic::from_code(&r.topic)?,
                in_app: r.in_app,
                push: r.push,
                email: r.email,
            })
        })
        .collect()
}

/// The stored frequency as the contract's.
pub fn frequency_from(code: &str) -> EmailFrequency {
    match code {
        "daily" => EmailFrequency::Daily,
        "never" => EmailFrequency::Never,
        _ => EmailFrequency::Immediately,
    }
}
