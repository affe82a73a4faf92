//! Which push endpoints the server will POST to. A push endpoint is a URL a browser
//! hands over, so accepting any would let anyone make the server send requests where
//! they like (server-side request forgery). Only `https` endpoints of the known push
//! services are taken, plus origins the operator lists (`HROMADA_PUSH_ORIGINS`); the
//! addresses a name resolves to are checked again when sending (see
//! [`is_public_address`]), and redirects are never followed.

use std::net::IpAddr;

/// The hosts of the push services browsers use: Google's (Chrome, Edge on Android,
/// Opera, Samsung), Mozilla's (Firefox), Apple's (Safari) and Microsoft's (Edge on
/// Windows). An entry starting with `.` matches any subdomain.
pub const KNOWN_HOSTS: &[&str] = &[
    "fcm.googleapis.com",
    "android.googleapis.com",
    "updates.push.services.mozilla.com",
    "push.services.mozilla.com",
    "web.push.apple.com",
    ".push.apple.com",
    ".notify.windows.com",
];

/// The longest endpoint accepted.
pub const MAX_LEN: usize = 2048;

/// Why an endpoint is refused (said in the 422's message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a URL, or longer than [`MAX_LEN`].
    Malformed,
    /// Not `https` (and not a listed origin).
    NotHttps,
    /// An address rather than a name, or a name of a private network.
    Address,
    /// A host that is not a known push service.
    UnknownService,
    /// User name, password or fragment in the URL.
    Credentials,
}

impl Refusal {
    /// An English explanation for the problem document.
    pub fn message(self) -> &'static str {
        match self {
            Self::Malformed => "The endpoint is not a valid URL.",
            Self::NotHttps => "The endpoint must be an https URL.",
            Self::Address => "The endpoint must name a push service, not an address.",
            Self::UnknownService => "The endpoint is not on a known push service.",
            Self::Credentials => "The endpoint must not carry credentials or a fragment.",
        }
    }
}

/// `scheme://host[:port]` of a URL (the port only when not the scheme's default), in
/// lower case; `None` unless it is an `http` or `https` URL with a host.
pub fn origin_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return None;
    }
    let origin = u.origin().ascii_serialization();
    (origin != "null").then_some(origin)
}

/// Checks an endpoint against the rule; returns its origin when accepted. `extra` are
/// the operator's added origins (as [`origin_of`] writes them).
pub fn check(endpoint: &str, extra: &[String]) -> Result<String, Refusal> {
    if endpoint.len() > MAX_LEN || endpoint.trim() != endpoint {
        return Err(Refusal::Malformed);
    }
    let u = url::Url::parse(endpoint).map_err(|_| Refusal::Malformed)?;
    if !u.username().is_empty() || u.password().is_some() || u.fragment().is_some() {
        return Err(Refusal::Credentials);
    }
    let origin = origin_of(endpoint).ok_or(match u.scheme() {
        "http" | "https" => Refusal::Malformed,
        _ => Refusal::NotHttps,
    })?;
    if extra.contains(&origin) {
        return Ok(origin);
    }
    if u.scheme() != "https" {
        return Err(Refusal::NotHttps);
    }
    let host = match u.host() {
        Some(url::Host::Domain(d)) => d.to_ascii_lowercase(),
        Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) | None => return Err(Refusal::Address),
    };
    if host == "localhost" || host.ends_with(".localhost") || host.ends_with(".local") {
        return Err(Refusal::Address);
    }
    if u.port().is_some() {
        // The push services listen on 443 only.
        return Err(Refusal::UnknownService);
    }
    if is_known_host(&host) {
        Ok(origin)
    } else {
        Err(Refusal::UnknownService)
    }
}

fn is_known_host(host: &str) -> bool {
    KNOWN_HOSTS.iter().any(|k| match k.strip_prefix('.') {
        Some(suffix) => host
            .strip_suffix(suffix)
            .is_some_and(|rest| rest.ends_with('.') && rest.len() > 1),
        None => host == *k,
    })
}

/// Whether the server may connect to this address for a known push service: not
/// loopback, private, link-local, shared, documentation, multicast or unspecified.
pub fn is_public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            !(a.is_loopback()
                || a.is_private()
                || a.is_link_local()
                || a.is_broadcast()
                || a.is_documentation()
                || a.is_unspecified()
                || a.is_multicast()
                || o[0] == 0
                // 100.64.0.0/10, shared address space
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
                // 192.0.0.0/24, protocol assignments
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
                // 198.18.0.0/15, benchmarking
                || (o[0] == 198 && (o[1] & 0xfe) == 18)
                || o[0] >= 240)
        }
        IpAddr::V6(a) => {
            if let Some(v4) = a.to_ipv4_mapped() {
                return is_public_address(IpAddr::V4(v4));
            }
            let s = a.segments();
            !(a.is_loopback()
                || a.is_unspecified()
                || a.is_multicast()
                // fc00::/7 unique local, fe80::/10 link-local, 2001:db8::/32 documentation
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                // 64:ff9b::/96 and ::/96 can reach IPv4 addresses of any kind
                || (s[0] == 0x64 && s[1] == 0xff9b)
                || s[..6].iter().all(|x| *x == 0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_services_over_https_are_taken() {
        for e in [
            "https://fcm.googleapis.com/fcm/send/abc:APA91b",
            "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
            "https://web.push.apple.com/QGuQyavXutnMa",
            "https://db5p.notify.windows.com/w/?token=BQYAAAB",
        ] {
            assert!(check(e, &[]).is_ok(), "{e}");
        }
        assert_eq!(
            check("https://FCM.googleapis.com/fcm/send/x", &[]).unwrap(),
            "https://fcm.googleapis.com"
        );
    }

    #[test]
    fn everything_else_is_refused() {
        use Refusal::*;
        for (e, why) in [
            ("http://fcm.googleapis.com/fcm/send/x", NotHttps),
            ("file:///etc/passwd", NotHttps),
            ("ftp://fcm.googleapis.com/x", NotHttps),
            ("https://127.0.0.1/x", Address),
            ("https://10.0.0.8/x", Address),
            ("https://[::1]/x", Address),
            ("https://169.254.169.254/latest/meta-data", Address),
            ("https://localhost/x", Address),
            ("https://example.org/push", UnknownService),
            ("https://fcm.googleapis.com.evil.example/x", UnknownService),
            ("https://evilfcm.googleapis.com/x", UnknownService),
            ("https://notify.windows.com/x", UnknownService),
            ("https://fcm.googleapis.com:8443/x", UnknownService),
            ("https://user:pw@fcm.googleapis.com/x", Credentials),
            ("not a url", Malformed),
            (" https://fcm.googleapis.com/x", Malformed),
        ] {
            assert_eq!(check(e, &[]), Err(why), "{e}");
        }
        let long = format!("https://fcm.googleapis.com/{}", "a".repeat(MAX_LEN));
        assert_eq!(check(&long, &[]), Err(Malformed));
    }

    #[test]
    fn listed_origins_are_taken_as_they_are() {
        let extra = vec![origin_of("http://localhost:8090/").unwrap()];
        assert_eq!(extra[0], "http://localhost:8090");
        assert_eq!(
            check("http://localhost:8090/notify/ab12", &extra).unwrap(),
            "http://localhost:8090"
        );
        assert_eq!(
            check("http://localhost:8091/notify/ab12", &extra),
            Err(Refusal::NotHttps)
        );
    }

    #[test]
    fn private_addresses_are_not_public() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(!is_public_address(a.parse().unwrap()), "{a}");
        }
        for a in ["142.250.74.106", "2a00:1450:4001:82a::200a"] {
            assert!(is_public_address(a.parse().unwrap()), "{a}");
        }
    }
}
