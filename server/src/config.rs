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
        if let Some(dir) = get("HROMADA_MEDIA_DIR").filter(|s| !s.trim().is_empty()) {
            c.media_dir = PathBuf::from(dir.trim());
        }
        c.first_view = !matches!(
            get("HROMADA_FIRST_VIEW").as_deref().map(str::trim),
            Some("0" | "false" | "no" | "off")
        );
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
        assert!(
            Config::from_lookup(|k| (k == "DATABASE_URL").then(|| "mysql://x".into())).is_err()
        );
    }
}
