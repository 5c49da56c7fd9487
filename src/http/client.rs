//! The client and its builder, one generic type for every platform: what
//! they share (the settings, the generated client, the stats) is written
//! once here; each platform module adds its token setters, its `build` and
//! its listings to `Client<ItsPlatform>` and `ClientBuilder<ItsPlatform>`.

use std::fmt;
use std::marker::PhantomData;

use super::builder::BuilderCore;
use super::pipeline::{Http, Operations};
use crate::error::Error;
use crate::platform::Platform;

/// A platform as the generic client sees it: its generated client and what
/// the pipeline needs of its spec. Implemented by each platform module's
/// marker ([`chatwoot::Chatwoot`](crate::chatwoot::Chatwoot),
/// [`chatbotx::Chatbotx`](crate::chatbotx::Chatbotx)).
///
/// ```
/// # #[cfg(feature = "chatwoot")] {
/// use chatdesk::client::PlatformApi;
/// assert_eq!(chatdesk::chatwoot::Chatwoot::PLATFORM, chatdesk::Platform::Chatwoot);
/// # }
/// ```
pub trait PlatformApi: 'static {
    /// The platform.
    const PLATFORM: Platform;
    /// The client generated from the platform's spec.
    type Api: Clone;
    /// What the pipeline needs of the spec's operations.
    #[doc(hidden)]
    const OPERATIONS: Operations;
    /// The generated client, sending through `http`.
    #[doc(hidden)]
    fn generated(http: &Http) -> Self::Api;
}

/// A client of platform `P`, for one server and one token. Cheap to clone:
/// clones share the connection pool, the rate limiter and the stats.
///
/// Each platform module names it `Client` (`chatwoot::Client`,
/// `chatbotx::Client`) and adds its listings.
///
/// ```
/// # fn run() -> Result<(), chatdesk::Error> {
/// let client = chatdesk::chatwoot::Client::builder()
///     .base_url("https://chat.example.com")
///     .api_access_token("a-user-access-token")
///     .build()?;
/// assert!(!format!("{client:?}").contains("a-user-access-token"));
/// # Ok(())
/// # }
/// ```
pub struct Client<P: PlatformApi> {
    api: P::Api,
    http: Http,
}

impl<P: PlatformApi> Clone for Client<P> {
    fn clone(&self) -> Self {
        Client {
            api: self.api.clone(),
            http: self.http.clone(),
        }
    }
}

impl<P: PlatformApi> Client<P> {
    /// The client of a built pipeline.
    pub(crate) fn new(http: Http) -> Self {
        Client {
            api: P::generated(&http),
            http,
        }
    }

    /// The request pipeline, for the generated listings.
    pub(crate) fn http(&self) -> &Http {
        &self.http
    }

    /// The generated client, for operations the helpers do not cover.
    /// Its requests go through the same pipeline as the listings'
    /// (token, rate limit, retries by idempotency, response size limit,
    /// tracing, [`stats`](Self::stats)); turn its errors into
    /// [`Error`](crate::Error) with
    /// [`Error::from_generated`](crate::Error::from_generated).
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatwoot::Client) {
    /// let request = client.api().list_conversations();
    /// # }
    /// ```
    pub fn api(&self) -> &P::Api {
        &self.api
    }

    /// Counters of the requests and retries this client has sent (the
    /// listings' and the generated calls'),
    /// shared by clones of this client.
    ///
    /// ```no_run
    /// # fn f(client: &chatdesk::chatwoot::Client) {
    /// println!("{} requests, {} retries", client.stats().requests(), client.stats().retries());
    /// # }
    /// ```
    pub fn stats(&self) -> &crate::Stats {
        &self.http.stats
    }

    /// The base URL requests go to, without a trailing `/`.
    ///
    /// ```no_run
    /// # fn f(client: &chatdesk::chatwoot::Client) {
    /// println!("talking to {}", client.base_url());
    /// # }
    /// ```
    pub fn base_url(&self) -> &str {
        &self.http.base_url
    }
}

impl<P: PlatformApi> fmt::Debug for Client<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = "***";
        f.debug_struct(&format!("{}::Client", P::PLATFORM))
            .field("base_url", &self.base_url())
            .field("token", &token)
            .finish()
    }
}

/// Builds a [`Client`] of platform `P`; every check happens in `build`.
/// Each platform module names it `ClientBuilder` and adds its token
/// setters and `build`.
///
/// ```
/// # fn run() -> Result<(), chatdesk::Error> {
/// let client = chatdesk::chatbotx::Client::builder()
///     .token("cbx_ws_example")
///     .connect_timeout(std::time::Duration::from_secs(5))
///     .build()?;
/// # Ok(())
/// # }
/// ```
pub struct ClientBuilder<P: PlatformApi> {
    pub(crate) core: BuilderCore,
    platform: PhantomData<fn() -> P>,
}

impl<P: PlatformApi> Default for ClientBuilder<P> {
    fn default() -> Self {
        ClientBuilder {
            core: BuilderCore::default(),
            platform: PhantomData,
        }
    }
}

impl<P: PlatformApi> Clone for ClientBuilder<P> {
    fn clone(&self) -> Self {
        ClientBuilder {
            core: self.core.clone(),
            platform: PhantomData,
        }
    }
}

impl<P: PlatformApi> fmt::Debug for ClientBuilder<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}::{:?}", P::PLATFORM, self.core)
    }
}

impl<P: PlatformApi> ClientBuilder<P> {
    /// The base URL: the API's address for ChatbotX (default
    /// `https://app.chatbotx.io/api`), the server's origin for Chatwoot
    /// (required: it is often self-hosted). A trailing `/` is fine.
    ///
    /// ```
    /// let builder = chatdesk::chatwoot::Client::builder().base_url("https://app.chatwoot.com");
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.core.base_url = Some(url.into());
        self
    }

    /// Allows a plain `http://` base URL to a host that is not loopback.
    /// The token then travels unencrypted; use it only on a trusted
    /// network. Loopback hosts (`localhost`, `127.0.0.1`, `[::1]`) never
    /// need it.
    ///
    /// ```
    /// let builder = chatdesk::chatwoot::Client::builder()
    ///     .base_url("http://helpdesk.internal:3000")
    ///     .allow_insecure_http();
    /// ```
    pub fn allow_insecure_http(mut self) -> Self {
        self.core.allow_insecure_http = true;
        self
    }

    /// Time allowed to open one connection (default 10 s), within the
    /// [`request_timeout`](Self::request_timeout) of the attempt that opens
    /// it. A connection that cannot be made is retried like any transport
    /// failure.
    ///
    /// ```
    /// let builder = chatdesk::chatwoot::Client::builder()
    ///     .connect_timeout(std::time::Duration::from_secs(3));
    /// ```
    pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.core.http.connect_timeout = timeout;
        self
    }

    /// Time allowed for each attempt of a request (default 60 s): from the
    /// moment it starts connecting until its whole response body is read.
    /// It bounds one attempt, not the request: an attempt that runs out of
    /// time is retried by the [`retry_policy`](Self::retry_policy), whose
    /// [`total_budget`](crate::retry::RetryPolicy::total_budget) bounds
    /// when the last retry may start. The wait for the rate limiter is not
    /// part of it.
    ///
    /// ```
    /// let builder = chatdesk::chatwoot::Client::builder()
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
    /// let builder = chatdesk::chatwoot::Client::builder()
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
    /// let builder = chatdesk::chatwoot::Client::builder()
    ///     .rate_limit(RateLimit::chatwoot());
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
    /// let builder = chatdesk::chatwoot::Client::builder()
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
    /// let builder = chatdesk::chatwoot::Client::builder()
    ///     .max_response_bytes(256 * 1024 * 1024);
    /// ```
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.core.max_response_bytes = Some(bytes);
        self
    }

    /// Calls `callback` on each retry, as it happens and before the wait:
    /// which request (operation, method, URL path), the attempt to come,
    /// how long the client waits, and the error that made it retry. It runs
    /// on the task that sends the request, so it should be quick (print a
    /// line, count, send on a channel). Clones of the client share it;
    /// calling this again replaces it. For what is outstanding at any
    /// moment, see [`Stats::waiting`](crate::Stats::waiting).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicU32, Ordering};
    ///
    /// let retries = Arc::new(AtomicU32::new(0));
    /// let counted = Arc::clone(&retries);
    /// let builder = chatdesk::chatwoot::Client::builder().on_retry(move |retry| {
    ///     counted.fetch_add(1, Ordering::Relaxed);
    ///     eprintln!("retrying {} {} in {:?}: {}", retry.method, retry.path, retry.wait, retry.error);
    /// });
    /// ```
    pub fn on_retry(
        mut self,
        callback: impl Fn(&crate::retry::Retry<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.core.on_retry = Some(super::retry::OnRetry(std::sync::Arc::new(callback)));
        self
    }

    /// The `User-Agent` header (default `chatdesk/<version>`).
    ///
    /// ```
    /// let builder = chatdesk::chatwoot::Client::builder()
    ///     .user_agent("my-crm-sync/1.0");
    /// ```
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.core.http.user_agent = user_agent.into();
        self
    }

    /// Checks the settings and builds the pipeline and the client.
    pub(crate) fn build_client(self) -> Result<Client<P>, Error> {
        let http = self.core.build(P::PLATFORM, P::OPERATIONS)?;
        Ok(Client::new(http))
    }
}

/// The host a base URL would send the token to unencrypted: `Some` for a
/// plain `http://` URL whose host is not loopback, which a builder refuses
/// unless [`allow_insecure_http`](ClientBuilder::allow_insecure_http) is
/// called; `None` for https, loopback and text that is not a URL. Only the
/// host, never the whole URL, which may hold a user name and password. A
/// program wording its own advice (a command-line option, a setting) can
/// ask this instead of parsing the builder's error.
///
/// ```
/// use chatdesk::client::insecure_http_host;
/// assert_eq!(insecure_http_host("http://helpdesk.internal:3000").as_deref(), Some("helpdesk.internal"));
/// assert_eq!(insecure_http_host("http://127.0.0.1:3000"), None);
/// assert_eq!(insecure_http_host("http://[::1]:3000"), None);
/// assert_eq!(insecure_http_host("https://chat.example.com"), None);
/// ```
pub fn insecure_http_host(base_url: &str) -> Option<String> {
    let url = url::Url::parse(base_url.trim()).ok()?;
    (url.scheme() == "http" && !super::builder::is_loopback(&url))
        .then(|| url.host_str().map(str::to_owned))
        .flatten()
}
