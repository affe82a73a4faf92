//! Configuration from the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

/// How the server runs. Built by [`Config::from_env`], or by hand in tests.
#[derive(Debug, Clone)]
pub struct Config {
    /// `HROMADA_ADDR`: where to listen (default `127.0.0.1:8080`).
    pub addr: SocketAddr,
    /// `DATABASE_URL`: `sqlite://…` (default `sqlite://data/hromada.db?mode=rwc`) or `postgres://…`.
    pub database_url: String,
    /// `HROMADA_DEMO=1`: load the demo content into an empty database.
    pub demo: bool,
    /// `HROMADA_STATIC_DIR`: the built web app (default `dist`).
    pub static_dir: PathBuf,
    /// `HROMADA_ALLOWED_ORIGINS`: comma-separated origins that may call the API from
    /// elsewhere (CORS with credentials, Origin check, `connect-src`).
    pub allowed_origins: Vec<String>,
    /// `HROMADA_SECURE_COOKIES=1`: served behind TLS: mark cookies `Secure` and send
    /// `Strict-Transport-Security` (both also done per request when
    /// `X-Forwarded-Proto: https`).
    pub secure_cookies: bool,
    /// `HROMADA_MEDIA_DIR`: where uploaded images are stored (default `data/media`).
    pub media_dir: PathBuf,
    /// `HROMADA_FIRST_VIEW=0`: serve the bare `index.html` for every page, without the first
    /// view of a hromada, its news or a petition (default: with it).
    pub first_view: bool,
    /// `HROMADA_PUBLIC_URL`: where people reach the app (links in emails, `og:url`);
    /// default `http://{HROMADA_ADDR}`.
    pub public_url: String,
    /// `HROMADA_SMTP_URL`: `smtp://host:port` (STARTTLS when offered), `smtps://user:pass@host`
    /// (TLS) or `smtp+plain://host:port` (no TLS, for a local relay). Unset: every
    /// message is written as an `.eml` file under [`Config::mail_dir`].
    pub smtp_url: Option<String>,
    /// `HROMADA_MAIL_FROM`: the sender of every email (default `Громада <noreply@localhost>`).
    pub mail_from: String,
    /// `HROMADA_MAIL_DIR`: where messages go without SMTP (default `data/mail`).
    pub mail_dir: PathBuf,
    /// `HROMADA_SECRET_KEY`: 32 bytes, base64url, that seal the secrets kept in the
    /// database (the VAPID private key, links waiting to be emailed). Every process of
    /// one deployment needs the same. Unset: read from (or made once in)
    /// [`Config::secret_key_file`].
    pub secret_key: Option<String>,
    /// `HROMADA_SECRET_KEY_FILE`: default `data/secret.key`.
    pub secret_key_file: PathBuf,
    /// `HROMADA_VAPID_PRIVATE_KEY`: the VAPID key (a P-256 scalar, base64url) instead of the
    /// one made at first start and kept in the database.
    pub vapid_private_key: Option<String>,
    /// `HROMADA_VAPID_SUBJECT`: the `mailto:` or `https:` contact push services may use
    /// (default `mailto:` the sender's address).
    pub vapid_subject: Option<String>,
    /// `HROMADA_PUSH_ORIGINS`: origins added to the known push services, comma-separated
    /// (a local push service in tests: `http://localhost:8090`).
    pub push_origins: Vec<String>,
    /// `HROMADA_TRUSTED_PROXIES`: comma-separated addresses of the load balancers in front
    /// (e.g. `127.0.0.1`). A request from one of them is throttled by the client address
    /// it forwards (the last of `X-Forwarded-For`), not by the balancer's own. Default: none.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `HROMADA_DELIVERY_WORKER=0`: this process enqueues but sends nothing (another
    /// process of the deployment sends). Default: it sends.
    pub delivery_worker: bool,
}

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    name: &'static str,
    problem: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://data/hromada.db?mode=rwc".to_owned(),
            demo: false,
            static_dir: PathBuf::from("dist"),
            allowed_origins: Vec::new(),
            secure_cookies: false,
            media_dir: PathBuf::from("data/media"),
            first_view: true,
            public_url: "http://127.0.0.1:8080".to_owned(),
            smtp_url: None,
            mail_from: "Громада <noreply@localhost>".to_owned(),
            mail_dir: PathBuf::from("data/mail"),
            secret_key: None,
            secret_key_file: PathBuf::from("data/secret.key"),
            vapid_private_key: None,
            vapid_subject: None,
            push_origins: Vec::new(),
            delivery_worker: true,
            trusted_proxies: Vec::new(),
        }
    }
}

impl Config {
    /// Reads the configuration from the environment; unset variables take the defaults.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut c = Self::default();
        if let Some(addr) = get("HROMADA_ADDR").filter(|s| !s.trim().is_empty()) {
            c.addr = addr.trim().parse().map_err(|e| ConfigError {
                name: "HROMADA_ADDR",
                problem: format!("{e} (expected host:port, e.g. 127.0.0.1:8080)"),
            })?;
        }
        if let Some(url) = get("DATABASE_URL").filter(|s| !s.trim().is_empty()) {
            let url = url.trim().to_owned();
            if !(url.starts_with("sqlite:")
                || url.starts_with("postgres://")
                || url.starts_with("postgresql://"))
            {
                return Err(ConfigError {
                    name: "DATABASE_URL",
                    problem: "must start with sqlite:, postgres:// or postgresql://".to_owned(),
                });
            }
            c.database_url = url;
        }
        c.demo = flag(get("HROMADA_DEMO"));
        if let Some(dir) = get("HROMADA_STATIC_DIR").filter(|s| !s.trim().is_empty()) {
            c.static_dir = PathBuf::from(dir.trim());
        }
        if let Some(list) = get("HROMADA_ALLOWED_ORIGINS") {
            c.allowed_origins = list
                .split(',')
                .map(|o| o.trim().trim_end_matches('/').to_owned())
                .filter(|o| !o.is_empty())
                .collect();
            for o in &c.allowed_origins {
                if !(o.starts_with("http://") || o.starts_with("https://"))
                    || o.contains(char::is_whitespace)
                {
                    return Err(ConfigError {
                        name: "HROMADA_ALLOWED_ORIGINS",
                        problem: format!("{o:?} is not an origin like https://example.org"),
                    });
                }
            }
        }
        c.secure_cookies = flag(get("HROMADA_SECURE_COOKIES"));
        if let Some(list) = get("HROMADA_TRUSTED_PROXIES") {
            for a in list.split(',').map(str::trim).filter(|a| !a.is_empty()) {
                c.trusted_proxies.push(a.parse().map_err(|_| ConfigError {
                    name: "HROMADA_TRUSTED_PROXIES",
                    problem: format!("{a:?} is not an IP address like 127.0.0.1"),
                })?);
            }
        }
        if let Some(dir) = get("HROMADA_MEDIA_DIR").filter(|s| !s.trim().is_empty()) {
            c.media_dir = PathBuf::from(dir.trim());
        }
        c.first_view = !matches!(
            get("HROMADA_FIRST_VIEW").as_deref().map(str::trim),
            Some("0" | "false" | "no" | "off")
        );
        c.public_url = match get("HROMADA_PUBLIC_URL").filter(|s| !s.trim().is_empty()) {
            Some(u) => {
                let u = u.trim().trim_end_matches('/').to_owned();
                if !(u.starts_with("http://") || u.starts_with("https://"))
                    || u.contains(char::is_whitespace)
                {
                    return Err(ConfigError {
                        name: "HROMADA_PUBLIC_URL",
                        problem: format!("{u:?} is not a URL like https://hromada.example.org"),
                    });
                }
                u
            }
            None => format!("http://{}", c.addr),
        };
        c.smtp_url = get("HROMADA_SMTP_URL")
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if let Some(u) = &c.smtp_url
            && !(u.starts_with("smtp://")
                || u.starts_with("smtps://")
                || u.starts_with("smtp+plain://"))
        {
            return Err(ConfigError {
                name: "HROMADA_SMTP_URL",
                problem: "must start with smtp://, smtps:// or smtp+plain://".to_owned(),
            });
        }
        if let Some(from) = get("HROMADA_MAIL_FROM").filter(|s| !s.trim().is_empty()) {
            c.mail_from = from.trim().to_owned();
        }
        if let Some(dir) = get("HROMADA_MAIL_DIR").filter(|s| !s.trim().is_empty()) {
            c.mail_dir = PathBuf::from(dir.trim());
        }
        c.secret_key = get("HROMADA_SECRET_KEY")
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if let Some(f) = get("HROMADA_SECRET_KEY_FILE").filter(|s| !s.trim().is_empty()) {
            c.secret_key_file = PathBuf::from(f.trim());
        }
        c.vapid_private_key = get("HROMADA_VAPID_PRIVATE_KEY")
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        c.vapid_subject = get("HROMADA_VAPID_SUBJECT")
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if let Some(s) = &c.vapid_subject
            && !(s.starts_with("mailto:") || s.starts_with("https://"))
        {
            return Err(ConfigError {
                name: "HROMADA_VAPID_SUBJECT",
                problem: "must be a mailto: or https: contact".to_owned(),
            });
        }
        c.delivery_worker = !matches!(
            get("HROMADA_DELIVERY_WORKER").as_deref().map(str::trim),
            Some("0" | "false" | "no" | "off")
        );
        if let Some(list) = get("HROMADA_PUSH_ORIGINS") {
            for o in list.split(',').map(str::trim).filter(|o| !o.is_empty()) {
                match crate::domain::push_endpoint::origin_of(o) {
                    Some(origin) => c.push_origins.push(origin),
                    None => {
                        return Err(ConfigError {
                            name: "HROMADA_PUSH_ORIGINS",
                            problem: format!(
                                "{o:?} is not an origin like https://push.example.org"
                            ),
                        });
                    }
                }
            }
        }
        Ok(c)
    }
}

fn flag(v: Option<String>) -> bool {
    matches!(
        v.as_deref().map(str::trim),
        Some("1" | "true" | "yes" | "on")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let c = Config::from_lookup(|_| None).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert!(c.database_url.starts_with("sqlite:"));
        assert!(!c.demo);
        let c = Config::from_lookup(|k| match k {
            "HROMADA_DEMO" => Some("1".into()),
            "HROMADA_ALLOWED_ORIGINS" => Some("https://a.example/, http://b.example".into()),
            _ => None,
        })
        .unwrap();
        assert!(c.demo);
        assert_eq!(
            c.allowed_origins,
            vec!["https://a.example", "http://b.example"]
        );
        assert!(Config::from_lookup(|k| (k == "HROMADA_ADDR").then(|| "nope".into())).is_err());
        let c = Config::from_lookup(|k| {
            (k == "HROMADA_TRUSTED_PROXIES").then(|| "127.0.0.1, ::1".into())
        })
        .unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
        assert!(
            Config::from_lookup(|k| (k == "HROMADA_TRUSTED_PROXIES").then(|| "nginx".into()))
                .is_err()
        );
        assert!(
            Config::from_lookup(|k| (k == "DATABASE_URL").then(|| "mysql://x".into())).is_err()
        );
    }
}
