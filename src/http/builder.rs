//! Settings shared by both platforms' clients: the base URL rules,
//! timeouts and extra headers, checked all at once into the `reqwest`
//! client that carries them and the pipeline that sends every request.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::auth::{Secrets, Token, TokenPlacement, extra_header_name, sensitive_value};
use super::pipeline::{Http, Operations, Stats};
use super::rate_limit::{Limiter, RateLimit};
use super::retry::{OnRetry, RetryPolicy};
use crate::error::Error;
use crate::platform::Platform;

/// Default time allowed to open a connection.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one attempt of a request, from connecting to
/// the end of its body.
pub(crate) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest response body a client reads by default: 64 MiB, far above
/// a real page (a page of 500 ChatbotX conversations is about 1.5 MB), so
/// that only a broken or hostile server reaches it.
///
/// ```
/// assert_eq!(chatdesk::DEFAULT_MAX_RESPONSE_BYTES, 64 * 1024 * 1024);
/// ```
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// Parses and checks a base URL: `http` or `https`, a host, no query or
/// fragment; plain `http` only to a loopback host unless `allow_insecure`.
/// The result has no trailing `/`, because generated paths start with one.
pub(crate) fn base_url(platform: Platform, text: &str, allow_insecure: bool) -> Result<Url, Error> {
    let url = Url::parse(text.trim()).map_err(|e| {
        Error::config(format!(
            "the {platform} base URL {text:?} is not a URL ({e}); \
             give one like https://chat.example.com"
        ))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure || is_loopback(&url) => {}
        "http" => {
            return Err(Error::config(format!(
                "the {platform} base URL {} uses plain http to a host that is not loopback, \
                 which would send the token unencrypted; use https, or call \
                 .allow_insecure_http() if you mean it",
                without_credentials(&url)
            )));
        }
        other => {
            return Err(Error::config(format!(
                "the {platform} base URL must use http or https, not {other:?}"
            )));
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::config(format!(
            "the {platform} base URL {text:?} has no host"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "the {platform} base URL must not have a query or fragment; give only the \
             scheme, host and path prefix"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(format!(
            "the {platform} base URL must not carry credentials; pass the token to the builder"
        )));
    }
    platform.check_base_url(&url).map_err(Error::config)?;
    Ok(url)
}

/// The base URL as the generated client wants it: no trailing `/`.
pub(crate) fn base_url_text(url: &Url) -> String {
    url.as_str().trim_end_matches('/').to_string()
}

pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn without_credentials(url: &Url) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.to_string()
}

/// Connection settings common to both clients.
#[derive(Clone, Debug)]
pub(crate) struct HttpSettings {
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) user_agent: String,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            user_agent: concat!("chatdesk/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }
}

/// The settings a platform's builder gathers; [`BuilderCore::build`] checks
/// them all at once.
#[derive(Clone, Default)]
pub(crate) struct BuilderCore {
    pub(crate) base_url: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) token_in_query: bool,
    pub(crate) allow_insecure_http: bool,
    pub(crate) http: HttpSettings,
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limit: Option<RateLimit>,
    /// Extra headers sent with every request, all of them sensitive.
    pub(crate) extra_headers: Vec<(String, SecretString)>,
    /// `None`: [`DEFAULT_MAX_RESPONSE_BYTES`].
    pub(crate) max_response_bytes: Option<u64>,
    /// Told of each retry.
    pub(crate) on_retry: Option<OnRetry>,
}

impl BuilderCore {
    /// Checks the settings and builds the pipeline of `platform`'s
    /// client: the platform's default base URL is used when none was set,
    /// and its token goes where the platform wants it, unless the user
    /// asked for the query string.
    pub(crate) fn build(self, platform: Platform, operations: Operations) -> Result<Http, Error> {
        let base_url = match (self.base_url.as_deref(), platform.default_base_url()) {
            (Some(url), _) | (None, Some(url)) => url,
            (None, None) => return Err(Error::config(platform.missing_base_url())),
        };
        let base_url = self::base_url(platform, base_url, self.allow_insecure_http)?;
        let token = self.token.ok_or_else(|| {
            Error::config(format!(
                "the {platform} token is missing: give it to the builder, for example from {}",
                platform.token_variable()
            ))
        })?;
        let token = Token::new(platform, token)?;
        let placement = if self.token_in_query {
            TokenPlacement::Query
        } else {
            platform.token_placement()
        };
        let (auth_header, query_token) = match placement {
            TokenPlacement::Bearer => (
                Some((
                    reqwest::header::AUTHORIZATION,
                    format!("Bearer {}", token.expose()),
                )),
                None,
            ),
            TokenPlacement::Header(name) => (
                Some((HeaderName::from_static(name), token.expose().to_string())),
                None,
            ),
            TokenPlacement::Query => (None, Some(token.clone())),
        };
        let mut headers = HeaderMap::new();
        if let Some((name, value)) = auth_header {
            let value = sensitive_value(&value).map_err(|()| {
                Error::config(format!(
                    "the {platform} token contains characters that cannot go in an HTTP header; \
                     check {}",
                    platform.token_variable()
                ))
            })?;
            headers.insert(name, value);
        }
        let mut secrets = vec![token.0.clone()];
        for (name, value) in &self.extra_headers {
            let header = extra_header_name(platform, name, placement)?;
            let sent = sensitive_value(value.expose_secret()).map_err(|()| {
                Error::config(format!(
                    "the value of the extra header {name} contains characters that cannot go \
                     in an HTTP header (a stray newline?)"
                ))
            })?;
            headers.append(header, sent);
            secrets.push(value.clone());
        }
        Ok(Http {
            platform,
            client: http_client(&self.http, headers)?,
            base_url: base_url_text(&base_url),
            query_token,
            secrets: Secrets::new(secrets),
            retry: self.retry,
            limiter: self.rate_limit.map(Limiter::new),
            stats: Stats::default(),
            on_retry: self.on_retry,
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            operations,
        })
    }
}

impl fmt::Debug for BuilderCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("token_in_query", &self.token_in_query)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("http", &self.http)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field(
                "extra_headers",
                &self
                    .extra_headers
                    .iter()
                    .map(|(name, _)| format!("{name}: ***"))
                    .collect::<Vec<_>>(),
            )
            .field("max_response_bytes", &self.max_response_bytes)
            .field("on_retry", &self.on_retry.is_some())
            .finish()
    }
}

/// Builds the `reqwest` client: the auth and extra headers (all marked
/// sensitive), timeouts, and a redirect policy that never leaves the base URL's origin,
/// so neither an auth header nor a query token reaches another host.
fn http_client(settings: &HttpSettings, headers: HeaderMap) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .default_headers(headers)
        .user_agent(settings.user_agent.clone())
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.request_timeout)
        .redirect(same_origin_redirects())
        .build()
        .map_err(|e| Error::config(format!("cannot build the HTTP client: {}", e.without_url())))
}

/// Follows up to 5 redirects that stay on the origin (scheme, host, port) of
/// the first request; stops at any other, returning the redirect response.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() > 5 || !same_origin {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_slash_is_removed() {
        let url = base_url(Platform::Chatwoot, "https://chat.example.com/", false).unwrap();
        assert_eq!(base_url_text(&url), "https://chat.example.com");
        let url = base_url(Platform::Chatbotx, "https://app.chatbotx.io/api/", false).unwrap();
        assert_eq!(base_url_text(&url), "https://app.chatbotx.io/api");
    }

    #[test]
    fn plain_http_needs_loopback_or_opt_in() {
        assert!(base_url(Platform::Chatwoot, "http://127.0.0.1:3000", false).is_ok());
        assert!(base_url(Platform::Chatwoot, "http://localhost:3000", false).is_ok());
        assert!(base_url(Platform::Chatwoot, "http://[::1]:3000", false).is_ok());
        assert!(base_url(Platform::Chatwoot, "http://chat.example.com", false).is_err());
        assert!(base_url(Platform::Chatwoot, "http://chat.example.com", true).is_ok());
    }

    #[test]
    fn malformed_urls_are_refused() {
        for bad in [
            "",
            "chat.example.com",
            "ftp://x",
            "https://x?a=1",
            "https://u:p@x",
        ] {
            assert!(base_url(Platform::Chatwoot, bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn token_debug_is_redacted() {
        let token = Token::new(Platform::Chatbotx, "cbx_ws_secret".into()).unwrap();
        assert_eq!(format!("{token:?}"), "***");
        assert!(Token::new(Platform::Chatbotx, "  ".into()).is_err());
        assert!(Token::new(Platform::Chatbotx, "a\nb".into()).is_err());
    }
}
