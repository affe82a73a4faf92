//! The rules of delivery: when a failed send is tried again, when it is given up, how
//! a push's `Topic` and an email's `Message-ID` stay the same on every retry, when the
//! daily digest goes, which channels a notification takes, and the one-click
//! unsubscribe token (the token in the URL is the credential).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use hromada_api::delivery::{EmailFrequency, Topic, TopicSetting, email_required};
use hromada_api::notifications::NotificationKind;
use sha2::{Digest, Sha256};

/// Attempts after which a delivery is given up.
pub const MAX_ATTEMPTS: i64 = 12;

/// How long a worker holds the deliveries it took before another may take them.
pub const LEASE_MS: i64 = 60_000;

/// The wait before the next attempt after `attempts` failures: 10 s, 30 s, 1.5 min, … ,
/// at most 6 hours; a push service's `Retry-After` (seconds) is respected when longer.
pub fn backoff_ms(attempts: i64, retry_after_secs: Option<u64>) -> i64 {
    let n = attempts.clamp(1, 20) as u32 - 1;
    let base = 10_000i64.saturating_mul(3i64.saturating_pow(n));
    let wait = base.min(6 * 3_600_000);
    match retry_after_secs {
        Some(s) => wait.max((s.min(86_400) as i64) * 1000),
        None => wait,
    }
}

/// The push `Topic` (at most 32 characters of the base64url alphabet): the same for
/// every retry of one message, so a push service replaces, never adds.
pub fn push_topic(dedup: &str) -> String {
    let d = Sha256::digest(dedup.as_bytes());
    let mut t = URL_SAFE_NO_PAD.encode(d);
    t.truncate(32);
    t
}

/// The email `Message-ID`: the same for every retry of one message.
pub fn message_id(dedup: &str, host: &str) -> String {
    let d = Sha256::digest(dedup.as_bytes());
    format!("<{}@{}>", crate::domain::ids::hex(&d[..16]), host)
}

/// When a digest made at `now_ms` goes out: the next [`DIGEST_HOUR_KYIV`] o'clock,
/// Kyiv time.
///
/// [`DIGEST_HOUR_KYIV`]: hromada_api::delivery::DIGEST_HOUR_KYIV
pub fn next_digest_ms(now_ms: i64) -> i64 {
    use hromada_api::workdays::{kyiv_day, kyiv_midnight};
    let hour = i64::from(hromada_api::delivery::DIGEST_HOUR_KYIV) * 3_600_000;
    let today = kyiv_day(now_ms);
    let at = kyiv_midnight(today) + hour;
    if at > now_ms {
        at
    } else {
        kyiv_midnight(today + 1) + hour
    }
}

/// How a notification's email goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailWay {
    /// At once.
    Now,
    /// In the next daily digest.
    Digest,
    /// Not at all.
    No,
}

/// What a notification takes, given the person's setting of its topic and frequency:
/// whether it stays unread in the app, goes to their devices, and how it is emailed.
/// The law's messages are emailed at once whatever is set.
pub fn channels(
    kind: NotificationKind,
    setting: &TopicSetting,
    frequency: EmailFrequency,
) -> (bool, bool, EmailWay) {
    let email = if email_required(kind) {
        EmailWay::Now
    } else if !setting.email {
        EmailWay::No
    } else {
        match frequency {
            EmailFrequency::Immediately => EmailWay::Now,
            EmailFrequency::Daily => EmailWay::Digest,
            EmailFrequency::Never => EmailWay::No,
        }
    };
    (setting.in_app, setting.push, email)
}

/// The setting of a topic: the stored one or the default.
pub fn setting_of(topic: Topic, stored: &[TopicSetting]) -> TopicSetting {
    stored
        .iter()
        .find(|s| s.topic == topic)
        .copied()
        .unwrap_or_else(|| topic.default_setting())
}

fn mac(key: &[u8; 32], data: &str) -> [u8; 16] {
    // The key is 32 bytes, which HMAC always takes.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    m.update(b"hromada-unsubscribe\0");
    m.update(data.as_bytes());
    let full = m.finalize().into_bytes();
    let mut out = [0u8; 16];
    out.copy_from_slice(&full[..16]);
    out
}

/// The token of a one-click unsubscribe link: the person, the topic (`None`: the daily
/// digest), and a MAC under the server's key.
pub fn unsubscribe_token(key: &[u8; 32], user_id: &str, topic: Option<Topic>) -> String {
    let data = format!("{user_id}.{}", topic.map_or("digest", Topic::code));
    format!("{data}.{}", URL_SAFE_NO_PAD.encode(mac(key, &data)))
}

/// The person and topic of a genuine token.
pub fn read_unsubscribe_token(key: &[u8; 32], token: &str) -> Option<(String, Option<Topic>)> {
    if token.len() > 200 {
        return None;
    }
    let (data, tag) = token.rsplit_once('.')?;
    let (user, topic) = data.split_once('.')?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    let want = mac(key, data);
    // Constant-time comparison.
    if tag.len() != want.len() || tag.iter().zip(want).fold(0u8, |a, (x, y)| a | (x ^ y)) != 0 {
        return None;
    }
    if !crate::domain::ids::is_id(user) {
        return None;
    }
    if topic == "digest" {
        return Some((user.to_owned(), None));
    }
    Some((user.to_owned(), Some(Topic::from_code(topic)?)))
}

/// `o***@example.org`: enough to recognise an address, not to harvest it.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_six_hours_and_respects_retry_after() {
        assert_eq!(backoff_ms(1, None), 10_000);
        assert_eq!(backoff_ms(2, None), 30_000);
        assert_eq!(backoff_ms(3, None), 90_000);
        assert_eq!(backoff_ms(12, None), 6 * 3_600_000);
        assert_eq!(backoff_ms(1, Some(120)), 120_000);
        assert_eq!(backoff_ms(5, Some(1)), backoff_ms(5, None));
    }

    #[test]
    fn topics_and_message_ids_are_stable_and_short() {
        let t = push_topic("alert:abc");
        assert_eq!(t.len(), 32);
        assert_eq!(t, push_topic("alert:abc"));
        assert_ne!(t, push_topic("alert:abd"));
        assert!(
            t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(message_id("x", "h.example"), message_id("x", "h.example"));
        assert!(message_id("x", "h.example").ends_with("@h.example>"));
    }

    #[test]
    fn digest_goes_at_eight_kyiv_time() {
        // 2026-12-07 05:00 UTC is 07:00 in Kyiv (winter, +2): today at 06:00 UTC.
        let now = hromada_api::time::parse_rfc3339("2026-12-07T05:00:00.000Z").unwrap();
        assert_eq!(
            hromada_api::time::rfc3339(next_digest_ms(now)),
            "2026-12-07T06:00:00.000Z"
        );
        // After eight: tomorrow. Summer (+3): 05:00 UTC.
        let later = hromada_api::time::parse_rfc3339("2026-07-07T06:00:00.000Z").unwrap();
        assert_eq!(
            hromada_api::time::rfc3339(next_digest_ms(later)),
            "2026-07-08T05:00:00.000Z"
        );
    }

    #[test]
    fn the_law_emails_whatever_is_set() {
        let off = TopicSetting {
            topic: Topic::Appeals,
            in_app: true,
            push: false,
            email: false,
        };
        assert_eq!(
            channels(
                NotificationKind::AppealAnswered,
                &off,
                EmailFrequency::Never
            )
            .2,
            EmailWay::Now
        );
        assert_eq!(
            channels(
                NotificationKind::AppealAssigned,
                &off,
                EmailFrequency::Immediately
            ),
            (true, false, EmailWay::No)
        );
        let on = TopicSetting { email: true, ..off };
        assert_eq!(
            channels(NotificationKind::AppealAssigned, &on, EmailFrequency::Daily).2,
            EmailWay::Digest
        );
        assert_eq!(
            setting_of(Topic::SignedPetitions, &[]),
            Topic::SignedPetitions.default_setting()
        );
        assert!(!Topic::SignedPetitions.default_setting().email);
        assert!(Topic::Appeals.default_setting().email);
        assert!(!Topic::StaffAppeals.default_setting().email);
    }

    #[test]
    fn unsubscribe_tokens_are_bound_to_the_key_person_and_topic() {
        let key = [9u8; 32];
        let user = crate::domain::ids::new_id();
        let t = unsubscribe_token(&key, &user, Some(Topic::Petitions));
        assert_eq!(
            read_unsubscribe_token(&key, &t),
            Some((user.clone(), Some(Topic::Petitions)))
        );
        let d = unsubscribe_token(&key, &user, None);
        assert_eq!(read_unsubscribe_token(&key, &d), Some((user.clone(), None)));
        assert_eq!(read_unsubscribe_token(&[8u8; 32], &t), None);
        let forged = t.replace("petitions", "appeals");
        assert_eq!(read_unsubscribe_token(&key, &forged), None);
        assert_eq!(read_unsubscribe_token(&key, "a.b.c"), None);
        assert_eq!(read_unsubscribe_token(&key, ""), None);
        assert_eq!(mask_email("olena@example.org"), "o***@example.org");
    }
}
