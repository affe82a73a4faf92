//! The server's key and what it seals: secrets kept in the database are encrypted with
//! AES-256-GCM under a key that is never in the database (`HROMADA_SECRET_KEY`, or a
//! file made once beside it). The VAPID key pair is made at first start, sealed, and
//! read by every process, so all of them sign pushes with the same key.

use std::path::Path;
use std::sync::Arc;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};

use crate::db::Db;
use crate::domain::clock;

/// The key that seals secrets at rest.
#[derive(Clone)]
pub struct ServerKey(Arc<Aes256Gcm>, [u8; 32]);

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(…)")
    }
}

/// Why the key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("HROMADA_SECRET_KEY must be 32 bytes in base64url")]
    Malformed,
    #[error("the secret key file {0}: {1}")]
    File(String, std::io::Error),
    #[error("HROMADA_VAPID_PRIVATE_KEY must be a P-256 private key (32 bytes, base64url)")]
    Vapid,
    #[error("the VAPID key in the database cannot be opened with this server key")]
    Sealed,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

impl ServerKey {
    /// From 32 bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        use sha2::Digest;
        let mut mac = sha2::Sha256::new();
        mac.update(b"hromada-mac\0");
        mac.update(bytes);
        Self(
            Arc::new(Aes256Gcm::new(bytes.into())),
            mac.finalize().into(),
        )
    }

    /// A second key, derived from this one, for MACs (unsubscribe links).
    pub fn mac_key(&self) -> &[u8; 32] {
        &self.1
    }

    /// The configured key (base64url), or the one in `file`, made there (readable by
    /// the owner only) when the file does not exist.
    pub fn load(configured: Option<&str>, file: &Path) -> Result<Self, KeyError> {
        let text = match configured {
            Some(k) => k.to_owned(),
            None => match std::fs::read_to_string(file) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let mut b = [0u8; 32];
                    OsRng.fill_bytes(&mut b);
                    let t = URL_SAFE_NO_PAD.encode(b);
                    write_private(file, &t)
                        .map_err(|e| KeyError::File(file.display().to_string(), e))?;
                    t
                }
                Err(e) => return Err(KeyError::File(file.display().to_string(), e)),
            },
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| KeyError::Malformed)?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(Self::from_bytes(&bytes))
    }

    /// Encrypts `plain`: base64url of a random 96-bit nonce and the ciphertext.
    pub fn seal(&self, plain: &[u8]) -> String {
        let mut nonce = [0u8; 12];
        OsRng.fill_bytes(&mut nonce);
        // Encryption with a fresh nonce and a valid key cannot fail.
        let ct = self
            .0
            .encrypt(Nonce::from_slice(&nonce), plain)
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        URL_SAFE_NO_PAD.encode(out)
    }

    /// Decrypts what [`ServerKey::seal`] made; `None` when it was not sealed with this key.
    pub fn open(&self, sealed: &str) -> Option<Vec<u8>> {
        let raw = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        if raw.len() < 12 + 16 {
            return None;
        }
        let (nonce, ct) = raw.split_at(12);
        self.0.decrypt(Nonce::from_slice(nonce), ct).ok()
    }
}

fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = file.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    use std::io::Write;
    let mut f = options.open(file)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

/// The VAPID key pair every process signs pushes with.
#[derive(Clone)]
pub struct Vapid {
    pub key: Arc<ES256KeyPair>,
    /// The uncompressed public point, base64url: what `GET /push/key` answers.
    pub public_key: String,
}

impl std::fmt::Debug for Vapid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vapid({})", self.public_key)
    }
}

impl Vapid {
    fn from_pair(key: ES256KeyPair) -> Self {
        let public_key =
            URL_SAFE_NO_PAD.encode(key.public_key().public_key().to_bytes_uncompressed());
        Self {
            key: Arc::new(key),
            public_key,
        }
    }

    /// From a private scalar in base64url.
    pub fn from_private(b64: &str) -> Result<Self, KeyError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(b64.trim())
            .map_err(|_| KeyError::Vapid)?;
        // The library panics on a length other than 32.
        if bytes.len() != 32 {
            return Err(KeyError::Vapid);
        }
        let key = ES256KeyPair::from_bytes(&bytes).map_err(|_| KeyError::Vapid)?;
        Ok(Self::from_pair(key))
    }

    /// The configured key, or the one in the database, made and stored (sealed) by the
    /// first process that starts.
    pub async fn load(
        db: &Db,
        key: &ServerKey,
        configured: Option<&str>,
    ) -> Result<Self, KeyError> {
        if let Some(k) = configured {
            return Self::from_private(k);
        }
        if db.secret("vapid").await?.is_none() {
            let pair = ES256KeyPair::generate();
            let sealed = key.seal(&pair.to_bytes());
            let public =
                URL_SAFE_NO_PAD.encode(pair.public_key().public_key().to_bytes_uncompressed());
            db.insert_secret_once("vapid", &sealed, Some(&public), &clock::now_rfc3339())
                .await?;
        }
        let (sealed, _) = db.secret("vapid").await?.ok_or(KeyError::Sealed)?;
        let bytes = key
            .open(&sealed)
            .filter(|b| b.len() == 32)
            .ok_or(KeyError::Sealed)?;
        let pair = ES256KeyPair::from_bytes(&bytes).map_err(|_| KeyError::Sealed)?;
        Ok(Self::from_pair(pair))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_with_their_key_only() {
        let a = ServerKey::from_bytes(&[7; 32]);
        let b = ServerKey::from_bytes(&[8; 32]);
        let s = a.seal(b"the VAPID scalar");
        assert!(!s.contains("VAPID"));
        assert_eq!(a.open(&s).as_deref(), Some(&b"the VAPID scalar"[..]));
        assert_eq!(b.open(&s), None);
        assert_eq!(a.open("garbage"), None);
        // A fresh nonce each time.
        assert_ne!(a.seal(b"x"), a.seal(b"x"));
    }

    #[test]
    fn a_key_file_is_made_once_and_read_after() {
        let dir =
            std::env::temp_dir().join(format!("hromada-key-{}", crate::domain::ids::new_id()));
        let file = dir.join("secret.key");
        let k1 = ServerKey::load(None, &file).unwrap();
        let k2 = ServerKey::load(None, &file).unwrap();
        assert_eq!(k2.open(&k1.seal(b"same")).as_deref(), Some(&b"same"[..]));
        assert!(matches!(
            ServerKey::load(Some("short"), &file),
            Err(KeyError::Malformed)
        ));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn vapid_public_key_is_an_uncompressed_point() {
        let v = Vapid::from_private(&URL_SAFE_NO_PAD.encode([3u8; 32])).unwrap();
        let raw = URL_SAFE_NO_PAD.decode(&v.public_key).unwrap();
        assert_eq!(raw.len(), 65);
        assert_eq!(raw[0], 4);
        assert!(Vapid::from_private("nope").is_err());
        assert!(Vapid::from_private(&URL_SAFE_NO_PAD.encode([3u8; 31])).is_err());
    }
}
