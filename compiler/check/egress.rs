//! An app handed an external HTTPS URL will connect to it, so it must be allowed out on 443:
//! the seed's API crash-looped fetching RSS feeds its network policy did not let it reach.

use super::SiteView;
use crate::diag::Error;
use crate::model::EnvSource;

/// The first external `https://` URL in `text`: one whose host is not a cluster name.
fn external_https(text: &str) -> Option<&str> {
    let start = text.find("https://")?;
    let url = &text[start..];
    let end = url
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '"' | '\''))
        .unwrap_or(url.len());
    let url = &url[..end];
    let host = url["https://".len()..]
        .split(['/', ':', '?', '#'])
        .next()
        .unwrap_or_default();
    let internal = !host.contains('.')
        || host.ends_with(".svc")
        || host.ends_with(".cluster.local")
        || host.ends_with(".svc.cluster.local");
    (!host.is_empty() && !internal).then_some(url)
}

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    for app in &view.site.apps {
        if app
            .egress
            .iter()
            .any(|e| e.ports.iter().any(|p| p.value == 443))
        {
            continue;
        }
        for env in &app.env {
            if let EnvSource::Literal(value) = &env.source {
                if let Some(url) = external_https(value) {
                    errors.push(Error::HttpsEgressUndeclared {
                        app: app.name.to_string(),
                        url: url.to_string(),
                        span: env.name.span,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::external_https;

    #[test]
    fn only_hosts_outside_the_cluster_count() {
        assert_eq!(
            external_https("https://feeds.example.org/rss"),
            Some("https://feeds.example.org/rss")
        );
        assert_eq!(external_https("https://was.blog.svc.cluster.local/x"), None);
        assert_eq!(external_https("https://was:8443"), None);
        assert_eq!(external_https("http://feeds.example.org"), None);
    }
}
