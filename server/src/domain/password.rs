//! The password policy and argon2id hashing.

use std::collections::HashSet;
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, password_hash::rand_core::OsRng};
use hromada_api::{ErrorCode, FieldError, validate};

static COMMON_TEXT: &str = include_str!("../../data/common-passwords.txt");

fn common() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        COMMON_TEXT
            .lines()
            .map(|l| l.trim().to_lowercase())
            .filter(|l| !l.is_empty())
            .collect()
    })
}

/// Whether `password` is one of the 10,000 most common passwords, ignoring case.
pub fn is_common(password: &str) -> bool {
    common().contains(&password.to_lowercase())
}

/// Checks a new password: length (shared rule) and not a common one.
pub fn check_new(field: &str, password: &str, out: &mut Vec<FieldError>) {
    let before = out.len();
    validate::new_password(field, password, out);
    if out.len() == before && is_common(password) {
        out.push(FieldError::new(field, ErrorCode::CommonPassword));
    }
}

/// Hashes a password with argon2id (the crate's default parameters), off the async threads.
pub async fn hash(password: String) -> Result<String, HashError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|_| HashError)?
}

/// Hashes a password on this thread.
pub fn hash_blocking(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| HashError)
}

/// Whether `password` matches `hash`, off the async threads. With no hash (unknown
/// account) it checks against a dummy hash, so both cases take the same time.
pub async fn verify(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let stored = match &hash {
            Some(h) => h.as_str(),
            None => dummy_hash(),
        };
        let ok = PasswordHash::new(stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        ok && hash.is_some()
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("not a real password, only for timing").unwrap_or_default())
}

/// Hashing failed (never expected; argon2 with default parameters does not fail).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed")]
pub struct HashError;

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(pw: &str) -> Vec<ErrorCode> {
        let mut out = vec![];
        check_new("password", pw, &mut out);
        out.into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn policy() {
        assert_eq!(codes(""), vec![ErrorCode::Required]);
        assert_eq!(codes("short"), vec![ErrorCode::TooShort]);
        assert_eq!(codes("password"), vec![ErrorCode::CommonPassword]);
        assert_eq!(codes("PassWord"), vec![ErrorCode::CommonPassword]);
        assert_eq!(codes("qwertyuiop"), vec![ErrorCode::CommonPassword]);
        assert!(codes("степовий вітер над Дніпром").is_empty());
        assert_eq!(codes(&"x".repeat(129)), vec![ErrorCode::TooLong]);
        assert!(common().len() > 9_000);
    }

    #[tokio::test]
    async fn hashes_and_verifies() {
        let h = hash("степовий вітер".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("степовий вітер".into(), Some(h.clone())).await);
        assert!(!verify("степовий вітеR".into(), Some(h)).await);
        assert!(!verify("x".into(), None).await);
        assert!(!verify("x".into(), Some("garbage".into())).await);
    }
}
