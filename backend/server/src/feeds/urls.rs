//! URL normalisation: the same page reached by links that differ only by
//! a fragment, tracking parameters or the case of the host is one page.

use url::Url;

/// Query parameters that say how a reader came, never what the page is.
const TRACKING: [&str; 22] = [
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "xtor",
    "xtref",
    "ocid",
    "cmpid",
    "ns_campaign",
    "ns_mchannel",
    "ns_source",
    "ns_linkname",
    "ns_fee",
    "at_medium",
];

fn is_tracking(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("utm_") || key.starts_with("at_") || TRACKING.contains(&key.as_str())
}

/// The normal form of `url`: no fragment, no tracking parameters (the
/// others keep their order), host in lower case, default port dropped.
/// Text that is not an absolute URL comes back trimmed.
pub fn normalize(url: &str) -> String {
    let Ok(mut u) = Url::parse(url.trim()) else {
        return url.trim().to_string();
    };
    u.set_fragment(None);
    let kept: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| !is_tracking(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(kept);
    }
    u.to_string()
}

/// The host of a URL, without a leading `www.` (an outlet's name when
/// nothing better is known).
pub fn host(url: &str) -> Option<String> {
    let u = Url::parse(url).ok()?;
    let h = u.host_str()?;
    Some(h.strip_prefix("www.").unwrap_or(h).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_and_tracking_parameters_go_and_the_rest_stays() {
        assert_eq!(
            normalize(
                "https://WWW.Example.org:443/a/b?utm_source=rss&id=4&xtor=RSS-3&utm_medium=x#top"
            ),
            "https://www.example.org/a/b?id=4"
        );
        assert_eq!(
            normalize(" https://example.org/a?fbclid=1&gclid=2 "),
            "https://example.org/a"
        );
        assert_eq!(
            normalize("https://example.org/a?page=2&q=x"),
            "https://example.org/a?page=2&q=x"
        );
        assert_eq!(normalize("pas une URL"), "pas une URL");
    }

    #[test]
    fn hosts_name_outlets_without_www() {
        assert_eq!(
            host("https://www.veilleur.example/x").as_deref(),
            Some("veilleur.example")
        );
        assert_eq!(host("nope"), None);
    }
}
