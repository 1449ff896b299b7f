//! Which URLs may carry patient data. A leaf: both the SMART sign-in ([`crate::smart`]) and the
//! record fetch ([`crate::fetch`]) check their endpoints with it, and neither should need the other
//! for that.

use url::Url;

/// Whether `url` may carry patient data: https anywhere, http only on this machine.
pub fn is_secure(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => match url.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_only_for_this_machine() {
        for ok in
            ["https://ehr.example/fhir", "http://127.0.0.1:8080/fhir", "http://localhost/fhir", "http://[::1]:9/f"]
        {
            assert!(is_secure(&Url::parse(ok).unwrap()), "{ok}");
        }
        for bad in ["http://ehr.example/fhir", "http://10.0.0.5/fhir", "http://127.0.0.1.evil.example/", "ftp://x/"] {
            assert!(!is_secure(&Url::parse(bad).unwrap()), "{bad}");
        }
    }
}
