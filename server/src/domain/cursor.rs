//! Opaque cursors for keyset pagination: the sort values of the last item of a page,
//! base64url-encoded. Clients must not look inside; the server checks them on the way in.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Longest cursor accepted, in bytes.
pub const MAX_LEN: usize = 1024;
const SEP: char = '\u{1f}';

/// Encodes the sort values of the last item of a page.
pub fn encode(parts: &[&str]) -> String {
    URL_SAFE_NO_PAD.encode(parts.join(&SEP.to_string()))
}

/// Decodes a cursor made by [`encode`] with exactly `n` parts; `None` if it is not one.
pub fn decode(cursor: &str, n: usize) -> Option<Vec<String>> {
    if cursor.is_empty() || cursor.len() > MAX_LEN {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let parts: Vec<String> = text.split(SEP).map(str::to_owned).collect();
    (parts.len() == n).then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let c = encode(&["хер", "UA65100150000057191"]);
        assert!(
            c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(decode(&c, 2).unwrap(), vec!["хер", "UA65100150000057191"]);
    }

    #[test]
    fn refuses_garbage() {
        assert_eq!(decode("", 2), None);
        assert_eq!(decode("!!!", 2), None);
        assert_eq!(decode(&encode(&["a"]), 2), None);
        assert_eq!(decode(&"a".repeat(MAX_LEN + 1), 1), None);
        assert_eq!(decode("_w", 1), None); // not UTF-8
    }
}
