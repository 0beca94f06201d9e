//! Polite, guarded HTTP GETs of feeds and article pages.
//!
//! - A user agent naming Frontline; conditional GET with the validators
//!   of the last good answer (ETag, Last-Modified).
//! - Timeouts, a size limit on the (decompressed) body, at most
//!   `max_redirects` redirects, followed here one by one so that each
//!   target is checked.
//! - Requests to one host are spaced by `host_interval` ([`HostLimiter`]).
//! - The SSRF guard: unless private addresses are allowed, a URL whose
//!   host is, or resolves to, a loopback, private, link-local, multicast
//!   or otherwise non-public address is refused before any request, and
//!   the connection itself goes through a resolver that refuses them
//!   again (a name that changed its answer in between is still caught).

use crate::error::{Error, Result};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::StatusCode;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

/// What fetching needs to know: plain settings.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    pub allow_private_addresses: bool,
    pub timeout: Duration,
    pub max_bytes: usize,
    pub max_redirects: usize,
    pub host_interval: Duration,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            allow_private_addresses: false,
            timeout: Duration::from_secs(20),
            max_bytes: 5 << 20,
            max_redirects: 5,
            host_interval: Duration::from_secs(1),
        }
    }
}

/// The validators of a previous answer, sent back for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A fetched document.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// 304: unchanged since the validators were given.
    NotModified,
    Body(Document),
}

#[derive(Debug, Clone)]
pub struct Document {
    /// Where it was found, after redirects.
    pub url: Url,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
    pub validators: Validators,
}

/// The HTTP client of feeds and pages.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
    limiter: Arc<HostLimiter>,
}

/// The user agent: who is asking, and for what.
pub fn user_agent() -> String {
    format!(
        "Frontline/{} (news-feed reader for a map of events)",
        env!("CARGO_PKG_VERSION")
    )
}

impl Fetcher {
    pub fn new(settings: FetchSettings) -> Result<Fetcher> {
        let mut builder = reqwest::Client::builder()
            .user_agent(user_agent())
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            // Redirects are followed in `get`, each target checked.
            .redirect(reqwest::redirect::Policy::none())
            // A proxy would connect for us, beyond the address check.
            .no_proxy();
        if !settings.allow_private_addresses {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        let client = builder
            .build()
            .map_err(|e| Error::Internal(format!("the HTTP client: {e}")))?;
        Ok(Fetcher {
            client,
            limiter: Arc::new(HostLimiter::new(settings.host_interval)),
            settings,
        })
    }

    pub fn settings(&self) -> &FetchSettings {
        &self.settings
    }

    /// GET `url`, following at most `max_redirects` redirects; with
    /// `validators`, a conditional GET that may answer [`Fetched::NotModified`].
    pub async fn get(&self, url: &str, validators: Option<&Validators>) -> Result<Fetched> {
        let mut current = parse_url(url)?;
        let mut hops = 0;
        loop {
            self.check(&current).await?;
            if let Some(host) = current.host_str() {
                self.limiter.wait(host).await;
            }
            let response = self
                .client
                .get(current.clone())
                .headers(request_headers(validators))
                .send()
                .await
                .map_err(|e| fetch_error(&current, &e))?;
            let status = response.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                if hops == self.settings.max_redirects {
                    return Err(Error::fetch(
                        url,
                        format!(
                            "more than {} redirects (the last to {current})",
                            self.settings.max_redirects
                        ),
                    ));
                }
                current = redirect_target(&current, response.headers())?;
                hops += 1;
                continue;
            }
            if status == StatusCode::NOT_MODIFIED && validators.is_some() {
                return Ok(Fetched::NotModified);
            }
            if !status.is_success() {
                return Err(Error::fetch(current.as_str(), format!("HTTP {status}")));
            }
            return self.read(current, response).await.map(Fetched::Body);
        }
    }

    /// Refuse what may not be fetched: other schemes, and (unless allowed)
    /// hosts that are or resolve to non-public addresses.
    async fn check(&self, url: &Url) -> Result<()> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::fetch(
                url.as_str(),
                format!(
                    "only http and https URLs are fetched, not {}:",
                    url.scheme()
                ),
            ));
        }
        if self.settings.allow_private_addresses {
            return Ok(());
        }
        let host = match url.host() {
            Some(url::Host::Ipv4(ip)) => return check_ip(url, IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => return check_ip(url, IpAddr::V6(ip)),
            Some(url::Host::Domain(d)) => d.to_string(),
            None => return Err(Error::fetch(url.as_str(), "the URL has no host")),
        };
        let port = url.port_or_known_default().unwrap_or(80);
        let addrs = tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|e| Error::fetch(url.as_str(), format!("cannot resolve {host}: {e}")))?;
        for addr in addrs {
            check_ip(url, addr.ip())?;
        }
        Ok(())
    }

    /// Read the body up to the size limit.
    async fn read(&self, url: Url, mut response: reqwest::Response) -> Result<Document> {
        let limit = self.settings.max_bytes;
        let too_large = || {
            Error::fetch(
                url.as_str(),
                format!("the answer is larger than the limit of {limit} bytes"),
            )
        };
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let headers = response.headers();
        let text = |name: header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = text(header::CONTENT_TYPE);
        let validators = Validators {
            etag: text(header::ETAG),
            last_modified: text(header::LAST_MODIFIED),
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| fetch_error(&url, &e))? {
            if bytes.len() + chunk.len() > limit {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Document {
            url,
            content_type,
            bytes,
            validators,
        })
    }
}

fn parse_url(url: &str) -> Result<Url> {
    Url::parse(url.trim()).map_err(|e| Error::fetch(url, format!("not a URL: {e}")))
}

fn request_headers(validators: Option<&Validators>) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        header::ACCEPT,
        HeaderValue::from_static(
            "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, text/html;q=0.9, application/xml;q=0.8, */*;q=0.5",
        ),
    );
    h.insert(
        header::ACCEPT_LANGUAGE,
        HeaderValue::from_static("fr, *;q=0.5"),
    );
    if let Some(v) = validators {
        let mut put = |name, value: &Option<String>| {
            if let Some(value) = value.as_deref().and_then(|s| HeaderValue::from_str(s).ok()) {
                h.insert(name, value);
            }
        };
        put(header::IF_NONE_MATCH, &v.etag);
        put(header::IF_MODIFIED_SINCE, &v.last_modified);
    }
    h
}

/// Where a redirect leads, resolved against the URL that answered it.
fn redirect_target(from: &Url, headers: &HeaderMap) -> Result<Url> {
    let location = headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| Error::fetch(from.as_str(), "a redirect without a Location"))?;
    from.join(location).map_err(|e| {
        Error::fetch(
            from.as_str(),
            format!("a redirect to {location:?}, which is not a URL: {e}"),
        )
    })
}

/// A reqwest error with its causes (the resolver's refusal among them).
fn fetch_error(url: &Url, e: &reqwest::Error) -> Error {
    let mut message = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "cannot connect".to_string()
    } else {
        "the request failed".to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = s.source();
    }
    Error::fetch(url.as_str(), message)
}

fn check_ip(url: &Url, ip: IpAddr) -> Result<()> {
    match non_public(ip) {
        None => Ok(()),
        Some(kind) => Err(Error::fetch(
            url.as_str(),
            refusal(url.host_str().unwrap_or(""), ip, kind),
        )),
    }
}

fn refusal(host: &str, ip: IpAddr, kind: &str) -> String {
    let shown = host.trim_start_matches('[').trim_end_matches(']');
    let at = if shown == ip.to_string() {
        format!("{ip} is")
    } else {
        format!("{host} resolves to {ip},")
    };
    format!(
        "refused: {at} a {kind} address (use --allow-private-addresses to fetch from private networks)"
    )
}

/// What kind of non-public address `ip` is, or `None` for a public one.
pub fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => non_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return non_public_v4(v4);
            }
            non_public_v6(v6)
        }
    }
}

fn non_public_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_private() {
        Some("private")
    } else if ip.is_link_local() {
        Some("link-local")
    } else if ip.is_multicast() {
        Some("multicast")
    } else if ip.is_unspecified() || a == 0 {
        Some("unspecified")
    } else if ip.is_broadcast() || a >= 240 {
        Some("reserved")
    } else if a == 100 && (64..128).contains(&b) {
        Some("shared (carrier-grade NAT)")
    } else {
        None
    }
}

fn non_public_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_unspecified() {
        Some("unspecified")
    } else if ip.is_multicast() {
        Some("multicast")
    } else if first & 0xfe00 == 0xfc00 {
        Some("private (unique local)")
    } else if first & 0xffc0 == 0xfe80 || first & 0xffc0 == 0xfec0 {
        Some("link-local")
    } else {
        None
    }
}

/// The resolver of the guarded client: it hands out only public addresses.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            for a in &addrs {
                if let Some(kind) = non_public(a.ip()) {
                    let refused: Box<dyn std::error::Error + Send + Sync> =
                        refusal(&host, a.ip(), kind).into();
                    return Err(refused);
                }
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// Spaces the requests to each host by a fixed interval.
pub struct HostLimiter {
    interval: Duration,
    next: Mutex<HashMap<String, Instant>>,
}

impl HostLimiter {
    pub fn new(interval: Duration) -> Self {
        HostLimiter {
            interval,
            next: Mutex::new(HashMap::new()),
        }
    }

    /// Wait for this host's next free slot, and take it.
    pub async fn wait(&self, host: &str) {
        let slot = self.reserve(host, Instant::now());
        tokio::time::sleep_until(slot).await;
    }

    /// The time this host may be asked again, taking that slot.
    fn reserve(&self, host: &str, now: Instant) -> Instant {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        // Forget hosts whose slots have passed, so the map stays small.
        next.retain(|_, t| *t > now);
        let slot = next.get(host).copied().unwrap_or(now).max(now);
        next.insert(host.to_string(), slot + self.interval);
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_public_addresses_are_named() {
        for (ip, kind) in [
            ("127.0.0.1", Some("loopback")),
            ("10.1.2.3", Some("private")),
            ("172.16.0.1", Some("private")),
            ("192.168.1.1", Some("private")),
            ("169.254.169.254", Some("link-local")),
            ("224.0.0.1", Some("multicast")),
            ("0.0.0.0", Some("unspecified")),
            ("100.64.0.1", Some("shared (carrier-grade NAT)")),
            ("::1", Some("loopback")),
            ("fd00::1", Some("private (unique local)")),
            ("fe80::1", Some("link-local")),
            ("ff02::1", Some("multicast")),
            ("::ffff:127.0.0.1", Some("loopback")),
            ("93.184.216.34", None),
            ("2a00:1450:4007:80f::200e", None),
            ("172.32.0.1", None),
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(non_public(ip), kind, "{ip}");
        }
    }

    #[tokio::test]
    async fn loopback_urls_are_refused_by_default_with_the_address_named() {
        let f = Fetcher::new(FetchSettings::default()).unwrap();
        for url in [
            "http://127.0.0.1:9/feed.xml",
            "http://localhost:9/feed.xml",
            "http://[::1]/x",
        ] {
            let e = f.get(url, None).await.unwrap_err().to_string();
            assert!(
                e.contains("refused") && e.contains("loopback"),
                "{url}: {e}"
            );
            assert!(e.contains("--allow-private-addresses"), "{e}");
        }
        let e = f
            .get("http://localhost:9/", None)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("resolves to 127.0.0.1") || e.contains("resolves to ::1"),
            "{e}"
        );
        let e = f
            .get("file:///etc/passwd", None)
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("only http and https"), "{e}");
    }

    #[tokio::test]
    async fn the_resolver_refuses_private_answers_at_connection_time() {
        use reqwest::dns::Resolve;
        let name: reqwest::dns::Name = "localhost".parse().unwrap();
        let e = match PublicOnly.resolve(name).await {
            Err(e) => e.to_string(),
            Ok(_) => panic!("localhost resolved"),
        };
        assert!(
            e.contains("localhost resolves to") && e.contains("loopback"),
            "{e}"
        );
    }

    #[test]
    fn each_host_gets_its_own_slots_spaced_by_the_interval() {
        let l = HostLimiter::new(Duration::from_secs(2));
        let t0 = Instant::now();
        assert_eq!(l.reserve("a.example", t0), t0);
        assert_eq!(l.reserve("a.example", t0), t0 + Duration::from_secs(2));
        assert_eq!(l.reserve("b.example", t0), t0);
        assert_eq!(l.reserve("a.example", t0), t0 + Duration::from_secs(4));
        // Once the slots have passed, a host is free at once.
        let later = t0 + Duration::from_secs(10);
        assert_eq!(l.reserve("a.example", later), later);
    }

    #[test]
    fn conditional_requests_send_back_the_validators() {
        let v = Validators {
            etag: Some("\"abc\"".into()),
            last_modified: Some("Mon, 07 Dec 2026 10:00:00 GMT".into()),
        };
        let h = request_headers(Some(&v));
        assert_eq!(h[header::IF_NONE_MATCH], "\"abc\"");
        assert_eq!(
            h[header::IF_MODIFIED_SINCE],
            "Mon, 07 Dec 2026 10:00:00 GMT"
        );
        assert!(!request_headers(None).contains_key(header::IF_NONE_MATCH));
    }
}
