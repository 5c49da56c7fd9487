//! Settings shared by both platforms' clients: the base URL rules, the
//! token, and the `reqwest` client that carries them.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::error::{Error, Platform};
use crate::rate_limit::{Limiter, RateLimit};
use crate::retry::RetryPolicy;

/// Default time allowed to open a connection.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole request, body included.
pub(crate) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest response body a client reads by default: 64 MiB, far above
/// a real page (a page of 500 ChatbotX conversations is about 1.5 MB), so
/// that only a broken or hostile server reaches it.
///
/// ```
/// assert_eq!(chatdesk::DEFAULT_MAX_RESPONSE_BYTES, 64 * 1024 * 1024);
/// ```
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// A token held so that it never shows in `Debug` output.
#[derive(Clone)]
pub(crate) struct Token(SecretString);

impl Token {
    pub(crate) fn new(platform: Platform, value: String) -> Result<Self, Error> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(Error::config(format!(
                "the {platform} token is empty; set it from {}",
                platform.token_variable()
            )));
        }
        if trimmed.chars().any(|c| c.is_control()) {
            return Err(Error::config(format!(
                "the {platform} token contains a control character (a stray newline?); \
                 check {}",
                platform.token_variable()
            )));
        }
        Ok(Token(SecretString::from(trimmed.to_string())))
    }

    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Every secret a client sends: its token and the values of its extra
/// sensitive headers. Errors and traces are scrubbed of each of them.
#[derive(Clone, Default)]
pub(crate) struct Secrets(Vec<SecretString>);

impl Secrets {
    /// The secrets, empty ones dropped and the longest first (sorted once
    /// here rather than on every answer), so that a secret containing
    /// another is replaced whole.
    fn new(mut secrets: Vec<SecretString>) -> Self {
        secrets.retain(|s| !s.expose_secret().is_empty());
        secrets.sort_by_key(|s| std::cmp::Reverse(s.expose_secret().len()));
        Secrets(secrets)
    }

    /// The secrets as text, longest first.
    pub(crate) fn exposed(&self) -> Vec<&str> {
        self.0.iter().map(|s| s.expose_secret()).collect()
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} secrets]", self.0.len())
    }
}

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
    Ok(url)
}

/// The base URL as the generated client wants it: no trailing `/`.
pub(crate) fn base_url_text(url: &Url) -> String {
    url.as_str().trim_end_matches('/').to_string()
}

fn is_loopback(url: &Url) -> bool {
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

/// Where a platform's token goes on each request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// With one platform compiled, the other platform's placement is unused.
#[cfg_attr(not(all(feature = "chatbotx", feature = "chatwoot")), allow(dead_code))]
pub(crate) enum TokenPlacement {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// A header holding the token itself.
    Header(&'static str),
    /// The query parameter `token=<token>`.
    Query,
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
}

/// What a checked builder yields.
pub(crate) struct BuiltParts {
    pub(crate) base_url: Url,
    pub(crate) http: reqwest::Client,
    /// The token, when it travels in the query string.
    pub(crate) query_token: Option<Token>,
    pub(crate) secrets: Secrets,
    pub(crate) retry: RetryPolicy,
    pub(crate) limiter: Option<Limiter>,
    pub(crate) max_response_bytes: u64,
}

impl BuilderCore {
    /// Checks the settings and builds the HTTP client. `default_base_url`
    /// is used when none was set; `missing_base_url` explains what to do
    /// when there is neither. `placement` says where the token goes, unless
    /// the user asked for it in the query.
    pub(crate) fn build(
        self,
        platform: Platform,
        default_base_url: Option<&str>,
        missing_base_url: &str,
        placement: TokenPlacement,
    ) -> Result<BuiltParts, Error> {
        let base_url = match (self.base_url.as_deref(), default_base_url) {
            (Some(url), _) | (None, Some(url)) => url,
            (None, None) => return Err(Error::config(missing_base_url)),
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
            placement
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
        let http = http_client(&self.http, headers)?;
        Ok(BuiltParts {
            base_url,
            http,
            query_token,
            secrets: Secrets::new(secrets),
            retry: self.retry,
            limiter: self.rate_limit.map(Limiter::new),
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
        })
    }
}

/// A header value marked sensitive, so that `reqwest` and `http` never
/// show it in `Debug` output.
fn sensitive_value(text: &str) -> Result<HeaderValue, ()> {
    let mut value = HeaderValue::from_str(text).map_err(|_| ())?;
    value.set_sensitive(true);
    Ok(value)
}

/// Checks the name of an extra header: a valid name that does not replace
/// the token's own header.
fn extra_header_name(
    platform: Platform,
    name: &str,
    placement: TokenPlacement,
) -> Result<HeaderName, Error> {
    let header = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
        Error::config(format!(
            "{name:?} is not a valid HTTP header name (give the name alone, such as Cookie, \
             and the value separately)"
        ))
    })?;
    let token_header = match placement {
        TokenPlacement::Bearer => Some(reqwest::header::AUTHORIZATION),
        TokenPlacement::Header(own) => Some(HeaderName::from_static(own)),
        TokenPlacement::Query => None,
    };
    if token_header.as_ref() == Some(&header) {
        return Err(Error::config(format!(
            "the extra header {header} would replace the {platform} token's own header; give \
             the token to the builder instead"
        )));
    }
    Ok(header)
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

/// The builder setters both platforms share, with doc examples naming the
/// platform module `$platform`.
macro_rules! shared_builder_setters {
    ($platform:literal) => {
        /// Allows a plain `http://` base URL to a host that is not loopback.
        /// The token then travels unencrypted; use it only on a trusted
        /// network. Loopback hosts (`localhost`, `127.0.0.1`, `[::1]`) never
        /// need it.
        ///
        /// ```
        #[doc = concat!("let builder = chatdesk::", $platform, "::Client::builder()")]
        ///     .base_url("http://helpdesk.internal:3000")
        ///     .allow_insecure_http();
        /// ```
        pub fn allow_insecure_http(mut self) -> Self {
            self.core.allow_insecure_http = true;
            self
        }

        /// Time allowed to open a connection (default 10 s).
        ///
        /// ```
        #[doc = concat!("let builder = chatdesk::", $platform, "::Client::builder()")]
        ///     .connect_timeout(std::time::Duration::from_secs(3));
        /// ```
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.core.http.connect_timeout = timeout;
            self
        }

        /// Time allowed for a whole request, body included (default 60 s).
        ///
        /// ```
        #[doc = concat!("let builder = chatdesk::", $platform, "::Client::builder()")]
        ///     .request_timeout(std::time::Duration::from_secs(30));
        /// ```
        pub fn request_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.core.http.request_timeout = timeout;
            self
        }

        /// How failed requests are retried, the listings' and the generated
        /// calls' alike (default
        /// [`RetryPolicy::default`](crate::retry::RetryPolicy::default); turn
        /// retries off with [`RetryPolicy::none`](crate::retry::RetryPolicy::none)).
        ///
        /// ```
        /// use chatdesk::retry::RetryPolicy;
        #[doc = concat!("let builder = chatdesk::", $platform, "::Client::builder()")]
        ///     .retry_policy(RetryPolicy::default().max_attempts(8));
        /// ```
        pub fn retry_policy(mut self, policy: crate::retry::RetryPolicy) -> Self {
            self.core.retry = policy;
            self
        }

        /// Limits the request rate of every request, shared by clones of
        /// the client (off by default).
        ///
        /// ```
        /// use chatdesk::rate_limit::RateLimit;
        #[doc = concat!("let builder = chatdesk::", $platform, "::Client::builder()")]
        #[doc = concat!("    .rate_limit(RateLimit::", $platform, "());")]
        /// ```
        pub fn rate_limit(mut self, limit: crate::rate_limit::RateLimit) -> Self {
            self.core.rate_limit = Some(limit);
            self
        }

        /// An extra header sent with every request, such as the session
        /// `Cookie` a server may want besides the token (the open-source
        /// ChatbotX server does on `/v1/conversations`). Its value is
        /// treated like the token: marked sensitive, shown as `***` in
        /// `Debug`, scrubbed from errors and traces, and never sent to
        /// another origin. Call again to add more headers.
        ///
        /// ```
        #[doc = concat!("let builder = chatdesk::", $platform, "::Client::builder()")]
        ///     .header("Cookie", "session=abc123");
        /// assert!(!format!("{builder:?}").contains("abc123"));
        /// ```
        pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.core
                .extra_headers
                .push((name.into(), secrecy::SecretString::from(value.into())));
            self
        }

        /// The largest response body read, in bytes (default
        /// [`DEFAULT_MAX_RESPONSE_BYTES`](crate::DEFAULT_MAX_RESPONSE_BYTES),
        /// 64 MiB). A larger body fails with
        /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge) as
        /// soon as the limit is passed, without reading the rest, and is not
        /// retried: memory stays bounded whatever a server sends.
        ///
        /// ```
        #[doc = concat!("let builder = chatdesk::", $platform, "::Client::builder()")]
        ///     .max_response_bytes(256 * 1024 * 1024);
        /// ```
        pub fn max_response_bytes(mut self, bytes: u64) -> Self {
            self.core.max_response_bytes = Some(bytes);
            self
        }

        /// The `User-Agent` header (default `chatdesk/<version>`).
        ///
        /// ```
        #[doc = concat!("let builder = chatdesk::", $platform, "::Client::builder()")]
        ///     .user_agent("my-crm-sync/1.0");
        /// ```
        pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
            self.core.http.user_agent = user_agent.into();
            self
        }
    };
}

/// The methods both platforms' clients share, and their redacted `Debug`;
/// the client has fields `api` (the generated client) and `http`.
macro_rules! shared_client_methods {
    ($platform:literal) => {
        /// The generated client, for operations the helpers do not cover.
        /// Its requests go through the same pipeline as the listings'
        /// (token, rate limit, retries by idempotency, response size limit,
        /// tracing, [`stats`](Self::stats)); turn its errors into
        /// [`Error`](crate::Error) with
        /// [`Error::from_generated`](crate::Error::from_generated).
        ///
        /// ```no_run
        #[doc = concat!("# async fn run(client: chatdesk::", $platform, "::Client) {")]
        /// let request = client.api().list_conversations();
        /// # }
        /// ```
        pub fn api(&self) -> &api::Client {
            &self.api
        }

        /// Counters of the requests and retries this client has sent (the
        /// listings' and the generated calls'),
        /// shared by clones of this client.
        ///
        /// ```no_run
        #[doc = concat!("# fn f(client: &chatdesk::", $platform, "::Client) {")]
        /// println!("{} requests, {} retries", client.stats().requests(), client.stats().retries());
        /// # }
        /// ```
        pub fn stats(&self) -> &crate::Stats {
            &self.http.stats
        }

        /// The base URL requests go to, without a trailing `/`.
        ///
        /// ```no_run
        #[doc = concat!("# fn f(client: &chatdesk::", $platform, "::Client) {")]
        /// println!("talking to {}", client.base_url());
        /// # }
        /// ```
        pub fn base_url(&self) -> &str {
            &self.http.base_url
        }
    };
}

/// Sends every request of a generated client through the client's
/// pipeline ([`Http::exec`](crate::request::Http)): progenitor calls
/// `exec` for each operation.
macro_rules! request_hook {
    ($client:ty) => {
        impl progenitor_client::ClientHooks<$crate::request::Http> for $client {
            async fn exec(
                &self,
                request: reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                use progenitor_client::ClientInfo;
                self.inner().exec(request, info.operation_id).await
            }
        }
    };
}

pub(crate) use {request_hook, shared_builder_setters, shared_client_methods};

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
