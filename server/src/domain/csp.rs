//! The Content-Security-Policy. Trunk injects an inline module script into `index.html`
//! whose text changes with every build, so the policy allows exactly the inline scripts
//! of the `index.html` being served, by their SHA-256, and no other inline script.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// `'sha256-…'` sources for every inline `<script>` (one without `src`) in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<script").map(|i| i + from) {
        let Some(tag_end) = lower[start..].find('>').map(|i| i + start) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</script").map(|i| i + tag_end) else {
            break;
        };
        let tag = &lower[start..tag_end];
        let body = &html[tag_end + 1..close];
        if !has_src(tag) && !body.is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!("'sha256-{}'", STANDARD.encode(digest)));
        }
        from = close + "</script".len();
    }
    hashes
}

fn has_src(tag: &str) -> bool {
    tag.split(|c: char| c.is_whitespace())
        .any(|attr| attr == "src" || attr.starts_with("src="))
}

/// The whole policy, given the script hashes and any extra origins the app may call.
pub fn policy(script_hashes: &[String], connect_origins: &[String]) -> String {
    let mut script = String::from("'self' 'wasm-unsafe-eval'");
    for h in script_hashes {
        script.push(' ');
        script.push_str(h);
    }
    let mut connect = String::from("'self'");
    for o in connect_origins {
        connect.push(' ');
        connect.push_str(o);
    }
    format!(
        "default-src 'self'; script-src {script}; style-src 'self'; img-src 'self' data: blob:; \
         font-src 'self'; connect-src {connect}; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'; manifest-src 'self'; worker-src 'self'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_only() {
        let html = r#"<html><head>
<script type="module">import init from '/app-1234.js';init('/app_bg.wasm');</script>
<SCRIPT src="/other.js"></SCRIPT><script defer src=x.js></script>
<script>alert(1)</script>
</head></html>"#;
        let h = inline_script_hashes(html);
        assert_eq!(h.len(), 2);
        let expected = STANDARD.encode(Sha256::digest(b"alert(1)"));
        assert_eq!(h[1], format!("'sha256-{expected}'"));
        assert!(h[0].starts_with("'sha256-"));
    }

    #[test]
    fn policy_has_no_unsafe_inline() {
        let p = policy(&["'sha256-abc'".into()], &["https://api.example".into()]);
        assert!(p.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc';"));
        assert!(p.contains("connect-src 'self' https://api.example;"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(!p.contains("unsafe-inline"));
    }

    #[test]
    fn survives_broken_html() {
        assert!(inline_script_hashes("<script>never closed").is_empty());
        assert!(inline_script_hashes("<script").is_empty());
        assert!(inline_script_hashes("").is_empty());
    }
}
