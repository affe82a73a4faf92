//! Web Push (RFC 8030) with aes128gcm payloads (RFC 8291) and VAPID (RFC 8292). One
//! HTTP client for every push service (connections reused, HTTP/2 where offered),
//! never following redirects, and connecting only to public addresses unless the
//! service is one the operator listed. A VAPID token is signed once per push service
//! and reused until an hour before it expires.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use web_push_native::jwt_simple::algorithms::ECDSAP256KeyPairLike;
use web_push_native::jwt_simple::claims::Claims;
use web_push_native::jwt_simple::prelude::Duration as JwtDuration;

use crate::domain::push_endpoint::is_public_address;
use crate::domain::secrets::Vapid;

/// How long a VAPID token is valid (RFC 8292 allows at most 24 hours).
const TOKEN_HOURS: u64 = 12;

/// What a push service said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// Accepted (201).
    Sent,
    /// The subscription is gone (404, 410): forget the device.
    Gone,
    /// Try again later (429, 5xx, network), after `Retry-After` seconds if given.
    Retry(String, Option<u64>),
    /// Refused for good (400, 401, 403, 413, a redirect, an address not allowed).
    Failed(String),
}

/// One message to one device.
#[derive(Debug, Clone)]
pub struct PushMessage<'a> {
    pub endpoint: &'a str,
    pub origin: &'a str,
    pub p256dh: &'a str,
    pub auth: &'a str,
    pub payload: &'a [u8],
    pub ttl_secs: u64,
    /// `very-low`, `low`, `normal` or `high`.
    pub urgency: &'a str,
    pub topic: &'a str,
}

/// Resolves names to public addresses only, except the hosts the operator listed.
struct PublicOnly {
    listed: HashSet<String>,
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_ascii_lowercase();
        let listed = self.listed.contains(&host);
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| listed || is_public_address(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// Sends pushes.
#[derive(Clone)]
pub struct PushSender {
    client: reqwest::Client,
    vapid: Vapid,
    subject: Arc<str>,
    /// Per push service origin: the `Authorization` header and when to sign anew (ms).
    tokens: Arc<Mutex<HashMap<String, (String, i64)>>>,
}

impl std::fmt::Debug for PushSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PushSender")
    }
}

impl PushSender {
    /// A sender signing with `vapid` as `subject`; `listed` are the operator's origins.
    pub fn new(vapid: Vapid, subject: &str, listed: &[String]) -> Result<Self, reqwest::Error> {
        let hosts = listed
            .iter()
            .filter_map(|o| url::Url::parse(o).ok())
            .filter_map(|u| u.host_str().map(str::to_ascii_lowercase))
            .collect();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // Straight to the push service: a proxy from the environment would resolve the
            // name itself, around the check of its addresses.
            .no_proxy()
            .dns_resolver(Arc::new(PublicOnly { listed: hosts }))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_max_idle_per_host(64)
            .user_agent("Hromada")
            .build()?;
        Ok(Self {
            client,
            vapid,
            subject: subject.into(),
            tokens: Arc::default(),
        })
    }

    /// The `Authorization` header for a push service, signed at most once per
    /// [`TOKEN_HOURS`] less an hour.
    fn authorization(&self, origin: &str, now_ms: i64) -> Result<String, String> {
        if let Ok(cache) = self.tokens.lock()
            && let Some((h, renew_at)) = cache.get(origin)
            && now_ms < *renew_at
        {
            return Ok(h.clone());
        }
        let claims = Claims::create(JwtDuration::from_hours(TOKEN_HOURS))
            .with_audience(origin)
            .with_subject(&*self.subject);
        let token = self
            .vapid
            .key
            .sign(claims)
            .map_err(|e| format!("VAPID signature: {e}"))?;
        let header = format!("vapid t={token}, k={}", self.vapid.public_key);
        let renew_at = now_ms + (TOKEN_HOURS as i64 - 1) * 3_600_000;
        if let Ok(mut cache) = self.tokens.lock() {
            cache.insert(origin.to_owned(), (header.clone(), renew_at));
        }
        Ok(header)
    }

    /// Encrypts and sends one message.
    pub async fn send(&self, m: &PushMessage<'_>, now_ms: i64) -> PushOutcome {
        let key = match URL_SAFE_NO_PAD.decode(m.p256dh.trim_end_matches('=')) {
            Ok(k) if k.len() == 65 => k,
            _ => return PushOutcome::Failed("the device's p256dh key is not valid".into()),
        };
        let auth = match URL_SAFE_NO_PAD.decode(m.auth.trim_end_matches('=')) {
            Ok(a) if a.len() == 16 => a,
            _ => return PushOutcome::Failed("the device's auth secret is not valid".into()),
        };
        let body = match super::ece::encrypt(m.payload, &key, &auth) {
            Ok(b) => b,
            Err(e) => return PushOutcome::Failed(format!("encryption: {e}")),
        };
        let authorization = match self.authorization(m.origin, now_ms) {
            Ok(a) => a,
            Err(e) => return PushOutcome::Failed(e),
        };
        let r = self
            .client
            .post(m.endpoint)
            .header("TTL", m.ttl_secs.to_string())
            .header("Urgency", m.urgency)
            .header("Topic", m.topic)
            .header("Content-Encoding", "aes128gcm")
            .header("Content-Type", "application/octet-stream")
            .header("Authorization", authorization)
            .body(body)
            .send()
            .await;
        let r = match r {
            Ok(r) => r,
            Err(e) => {
                let what = if e.is_connect() {
                    "cannot connect"
                } else if e.is_timeout() {
                    "timed out"
                } else {
                    "request failed"
                };
                return PushOutcome::Retry(format!("{what}: {}", e.without_url()), None);
            }
        };
        let status = r.status().as_u16();
        let retry_after = r
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        match status {
            200..=299 => PushOutcome::Sent,
            404 | 410 => PushOutcome::Gone,
            429 | 500..=599 => PushOutcome::Retry(format!("HTTP {status}"), retry_after),
            300..=399 => PushOutcome::Failed(format!("HTTP {status}: redirects are not followed")),
            _ => PushOutcome::Failed(format!("HTTP {status}")),
        }
    }
}
