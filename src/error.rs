//! The one error type of the crate, and the parsing of the platforms' error
//! bodies.
//!
//! Every failure a caller can meet, from a refused configuration to an HTML
//! page from a proxy, becomes a [`Error`] that says what happened and what to
//! do. Nothing in an error ever holds a token: transport errors drop their
//! URL (a ChatbotX token may travel in the query string) and body excerpts
//! are bounded and scrubbed of the client's token.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

/// The code ChatbotX sends for a bad or missing token (with 401 on newer
/// servers, 500 on older ones).
const INVALID_CHATBOT_TOKEN: &str = "INVALID_CHATBOT_TOKEN";

/// The longest JSON path a message shows whole; a longer one keeps its
/// start and end around `…` (the full path stays in [`DecodeError::path`]).
const SHOWN_PATH_LIMIT: usize = 120;

/// How many bytes of a response body an error keeps, for a person to read.
///
/// ```
/// assert_eq!(chatdesk::error::BODY_EXCERPT_LIMIT, 512);
/// ```
pub const BODY_EXCERPT_LIMIT: usize = 512;

pub use crate::platform::Platform;

/// Everything that can go wrong in `chatdesk`.
///
/// Match on the variant for the kind of failure, or use the accessors
/// ([`Error::status`], [`Error::code`], [`Error::is_retryable`]) that work
/// across kinds. The `Display` form is written for a person: it names the
/// platform, the status and the server's own message, and says what to do.
///
/// ```
/// use chatdesk::Error;
///
/// let error = Error::config("the base URL is missing");
/// assert!(!error.is_retryable());
/// assert_eq!(error.status(), None);
/// assert!(error.to_string().contains("base URL"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The server answered with a success status but a body that is not what
    /// the spec describes.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The request did not complete: connection refused, reset, timed out,
    /// or a body cut short.
    #[error(transparent)]
    Transport(Box<TransportError>),
    /// The server answered with a redirect that was not followed: to
    /// another origin, where the token must not go, or one too many. The
    /// base URL needs changing.
    #[error(transparent)]
    Redirect(Box<RedirectError>),
    /// The client was set up with something it cannot use.
    #[error("invalid chatdesk configuration: {0}")]
    Config(String),
    /// A value given to a request or a listing cannot be sent.
    #[error("invalid request argument: {0}")]
    InvalidInput(String),
    /// A listing cannot go on without risking a loop or a lost page.
    #[error("{platform} listing stopped: {message}")]
    Pagination {
        /// The platform listed.
        platform: Platform,
        /// What went wrong and what to do.
        message: String,
    },
    /// A response body was larger than the client's limit; reading stopped
    /// at the limit. Not retried: the same request would bring the same
    /// body.
    #[error(
        "the {platform} response to {operation} is larger than the limit of {limit} bytes \
         ({}), so reading stopped there — a real page is far smaller, so the server may be \
         broken; if the answer is genuine, raise the limit with the client builder's \
         .max_response_bytes(..)",
        mebibytes(*limit)
    )]
    ResponseTooLarge {
        /// The platform that answered.
        platform: Platform,
        /// The operation whose response it was, such as `listContacts`.
        operation: &'static str,
        /// The limit that was passed, in bytes.
        limit: u64,
    },
}

/// The statuses that may succeed when sent again: 408, 429, 502, 503 and
/// 504. The one list both [`Error::is_retryable`] and the pipeline's
/// generated-call path read.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
}

/// `bytes` in MiB, for messages.
fn mebibytes(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// An error status from the server, with what its body said.
///
/// ```no_run
/// # async fn run(client: chatdesk::chatwoot::Client) {
/// use futures::StreamExt;
/// if let Some(Err(chatdesk::Error::Api(api))) = client.conversations(1).stream().next().await {
///     eprintln!("{} {:?} {:?}", api.status, api.code, api.message);
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct ApiError {
    /// The platform that answered.
    pub platform: Platform,
    /// The HTTP status.
    pub status: StatusCode,
    /// The platform's error code (ChatbotX `code`, such as
    /// `INVALID_CHATBOT_TOKEN`), when the body had one.
    pub code: Option<String>,
    /// The server's message (ChatbotX `message`; Chatwoot `error`,
    /// `errors`, `message`), or the title of an HTML page, or the text of a
    /// text body.
    pub message: Option<String>,
    /// How long the server asked the client to wait (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// The start of the body, at most [`BODY_EXCERPT_LIMIT`] bytes.
    pub body_excerpt: String,
    /// The operation that was sent, such as `listConversations`, when
    /// known (not for [`from_response`]).
    pub operation: Option<&'static str>,
    /// The URL path that was requested, the base URL's own path included,
    /// without the query string (which may hold a token), when known:
    /// `/api/v1/accounts/1/conversations`. A wrong base URL shows in it (a
    /// doubled `/api/api`, a web page's address before `/api/v1`).
    pub path: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = self.status.canonical_reason().unwrap_or("");
        write!(
            f,
            "{} {reason} from {}",
            self.status.as_u16(),
            self.platform
        )?;
        if let Some(path) = &self.path {
            write!(f, " for {path}")?;
        }
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, ": {message} ({code})")?,
            (Some(code), None) => write!(f, ": {code}")?,
            (None, Some(message)) => write!(f, ": {message}")?,
            (None, None) => {}
        }
        write!(f, " — {}", self.advice())
    }
}

impl ApiError {
    /// Whether the server refused the credentials: 401, or ChatbotX's
    /// `INVALID_CHATBOT_TOKEN` whatever the status (older servers send it
    /// with 500).
    ///
    /// ```
    /// use chatdesk::{Error, Platform};
    /// use reqwest::{StatusCode, header::HeaderMap};
    ///
    /// let old_server = chatdesk::error::from_response(
    ///     Platform::Chatbotx,
    ///     StatusCode::INTERNAL_SERVER_ERROR,
    ///     &HeaderMap::new(),
    ///     br#"{"defined":true,"code":"INVALID_CHATBOT_TOKEN","status":500}"#,
    /// );
    /// let Error::Api(api) = &old_server else { unreachable!() };
    /// assert!(api.is_auth_failure());
    /// assert!(!old_server.is_retryable());
    /// ```
    pub fn is_auth_failure(&self) -> bool {
        self.status == StatusCode::UNAUTHORIZED
            || self.code.as_deref() == Some(INVALID_CHATBOT_TOKEN)
    }

    /// Whether the open-source ChatbotX server refused a token-only call
    /// because it also wants a logged-in user's session.
    fn wants_session(&self) -> bool {
        self.platform == Platform::Chatbotx
            && self.code.as_deref() == Some("systemError")
            && self
                .message
                .as_deref()
                .is_some_and(|m| m.contains("not associated with this workspace"))
    }

    /// What a person can do about this status.
    fn advice(&self) -> String {
        if self.is_auth_failure() {
            let older = if self.status == StatusCode::UNAUTHORIZED {
                ""
            } else {
                " (older ChatbotX servers answer a bad token this way)"
            };
            return format!(
                "check {}: the token is missing, wrong or revoked{older}",
                self.platform.token_variable()
            );
        }
        if self.wants_session() {
            return "this server wants a logged-in user's session besides the token: send \
                    its session cookie as an extra header (Cookie)"
                .to_string();
        }
        match self.status.as_u16() {
            403 => format!(
                "the token in {} may not do this (a read-only or scoped token?)",
                self.platform.token_variable()
            ),
            404 => self.platform.not_found_advice(self.path.as_deref()),
            400 | 422 => "the server refused a parameter; see its message".to_string(),
            429 => "rate limited: wait and retry, or turn on client-side rate limiting".to_string(),
            500..=599 => "the server or a proxy failed; retry later".to_string(),
            _ => "unexpected status; see the body excerpt".to_string(),
        }
    }
}

/// A redirect the client did not follow.
///
/// ```no_run
/// # async fn run(client: chatdesk::chatbotx::Client) {
/// use futures::StreamExt;
/// if let Some(Err(chatdesk::Error::Redirect(r))) = client.contacts().stream().next().await {
///     eprintln!("{} redirected to {:?}", r.url, r.target);
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct RedirectError {
    /// The platform that answered.
    pub platform: Platform,
    /// The redirect status (301, 302, 307, ...).
    pub status: StatusCode,
    /// The URL requested, without its query (which may hold the token).
    pub url: String,
    /// The origin (`scheme://host:port`) the server redirected to, when it
    /// differs from the base URL's; `None` for a redirect on the same
    /// origin that was not followed (one too many, or no usable
    /// `Location`).
    pub target: Option<String>,
    /// The origin of the configured base URL.
    pub origin: String,
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.status.as_u16();
        match &self.target {
            Some(target) => write!(
                f,
                "the {} server answered {status} to {} with a redirect to {target}, which was \
                 not followed, so that the token would not leave {}; if that is the right \
                 server, set the base URL to its address ({})",
                self.platform,
                self.url,
                self.origin,
                self.platform.base_url_form(),
            ),
            None => write!(
                f,
                "the {} server answered {status} to {} with a redirect that was not followed \
                 (too many redirects, or no usable Location); check the base URL: {}",
                self.platform,
                self.url,
                self.platform.base_url_form(),
            ),
        }
    }
}

/// A success response whose body does not decode.
///
/// ```no_run
/// # async fn run(client: chatdesk::chatwoot::Client) {
/// use futures::StreamExt;
/// if let Some(Err(chatdesk::Error::Decode(decode))) = client.conversations(1).stream().next().await {
///     eprintln!("field {} of {}: {}", decode.path, decode.operation, decode.message);
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// The platform that answered.
    pub platform: Platform,
    /// The operation whose response failed, such as `listConversations`.
    pub operation: &'static str,
    /// The HTTP status of the response, when known.
    pub status: Option<StatusCode>,
    /// Where in the JSON document decoding stopped, such as
    /// `data.payload[3].status`; empty when the body is not JSON at all.
    pub path: String,
    /// What the decoder found wrong.
    pub message: String,
    /// The start of the body, at most [`BODY_EXCERPT_LIMIT`] bytes.
    pub body_excerpt: String,
    /// Whether the body ended in the middle of the JSON document (a cut
    /// connection, usually): such a response is retried.
    pub truncated: bool,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} response to {} did not decode",
            self.platform, self.operation
        )?;
        if !self.path.is_empty() && self.path != "." {
            write!(f, " at `{}`", shortened(&self.path, SHOWN_PATH_LIMIT))?;
        }
        write!(f, ": {}", self.message)?;
        if self.body_excerpt.is_empty() {
            f.write_str(" (empty body)")?;
        } else {
            write!(f, "; body starts: {:?}", self.body_excerpt)?;
        }
        f.write_str(
            " — the server sent something the spec does not describe; \
             check the base URL, or report it with this message",
        )
    }
}

/// A request that did not complete.
///
/// ```no_run
/// # async fn run(client: chatdesk::chatwoot::Client) {
/// use futures::StreamExt;
/// if let Some(Err(chatdesk::Error::Transport(t))) = client.conversations(1).stream().next().await {
///     eprintln!("timed out: {}, no connection: {}", t.timeout, t.connect);
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// The platform the request went to.
    pub platform: Platform,
    /// Whether the request ran out of time.
    pub timeout: bool,
    /// Whether no connection could be made.
    pub connect: bool,
    /// The underlying error, with its URL removed (a token may be in it).
    pub source: reqwest::Error,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.timeout {
            "timed out"
        } else if self.connect {
            "could not connect"
        } else {
            "failed"
        };
        // The cause is the source, not part of this text: a chain
        // printer (`Report`, anyhow's `{:#}`) shows it once.
        write!(
            f,
            "request to {} {what} — check the network and the base URL; the request can be \
             retried",
            self.platform
        )
    }
}

/// The underlying `reqwest` error is the source.
impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A server's error answer: no underlying error.
impl std::error::Error for ApiError {}

/// A redirect not followed: no underlying error.
impl std::error::Error for RedirectError {}

/// A body that did not decode: the decoder's message is in
/// [`DecodeError::message`].
impl std::error::Error for DecodeError {}

/// An error with its causes, for a person: `Display` writes the error and
/// each of its [`source`](std::error::Error::source)s, joined by `: `, the
/// way the `chatdesk` command prints them. The error's own `Display` says
/// what happened and what to do; the causes say why.
///
/// ```
/// let error = chatdesk::Error::config("the base URL is missing");
/// let shown = chatdesk::error::Report(&error).to_string();
/// assert!(shown.starts_with("invalid chatdesk configuration: the base URL is missing"));
/// ```
pub struct Report<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(inner) = cause {
            write!(f, ": {inner}")?;
            cause = inner.source();
        }
        Ok(())
    }
}

/// `text` cut to about `limit` bytes by replacing its middle with `…`, on
/// character boundaries.
fn shortened(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_string();
    }
    let mut head = limit / 2;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - limit / 2;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    format!("{}…{}", &text[..head], &text[tail..])
}

impl Error {
    /// A configuration error with `message`.
    ///
    /// ```
    /// let e = chatdesk::Error::config("no token");
    /// assert!(matches!(e, chatdesk::Error::Config(_)));
    /// ```
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config(message.into())
    }

    /// An invalid-argument error with `message`.
    ///
    /// ```
    /// let e = chatdesk::Error::invalid_input("per_page must be at least 1");
    /// assert!(e.to_string().contains("per_page"));
    /// ```
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Error::InvalidInput(message.into())
    }

    /// The message of an argument or configuration error without its
    /// kind's prefix, for wrapping in another such error without saying
    /// "invalid request argument" twice; other errors whole.
    // Only the ChatbotX contact identifier wraps one.
    #[cfg_attr(not(feature = "chatbotx"), allow(dead_code))]
    pub(crate) fn detail(&self) -> String {
        match self {
            Error::InvalidInput(message) | Error::Config(message) => message.clone(),
            other => other.to_string(),
        }
    }

    /// The error with the request it answered, for its message: the
    /// operation and the URL path (never the query).
    pub(crate) fn for_request(mut self, operation: &'static str, path: &str) -> Self {
        if let Error::Api(api) = &mut self {
            api.operation = Some(operation);
            api.path = Some(path.to_owned());
        }
        self
    }

    /// The HTTP status, when the server answered.
    ///
    /// ```
    /// assert_eq!(chatdesk::Error::config("x").status(), None);
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Redirect(e) => Some(e.status),
            Error::Decode(e) => e.status,
            _ => None,
        }
    }

    /// The platform's error code, when the server sent one.
    ///
    /// ```
    /// assert_eq!(chatdesk::Error::config("x").code(), None);
    /// ```
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.code.as_deref(),
            _ => None,
        }
    }

    /// Whether the same request may succeed if sent again: 408, 429, 502,
    /// 503, 504, connection failures and timeouts, and a success whose body
    /// ended early. The client's retries follow this same rule. A refused
    /// token is never retryable, whatever its status.
    ///
    /// ```
    /// assert!(!chatdesk::Error::config("x").is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => !e.is_auth_failure() && is_retryable_status(e.status),
            Error::Transport(_) => true,
            Error::Decode(e) => e.truncated,
            _ => false,
        }
    }

    /// Whether the server refused the credentials (see
    /// [`ApiError::is_auth_failure`]).
    ///
    /// ```
    /// assert!(!chatdesk::Error::config("x").is_auth_failure());
    /// ```
    pub fn is_auth_failure(&self) -> bool {
        matches!(self, Error::Api(e) if e.is_auth_failure())
    }
}

pub use crate::http::decode::decode;
pub use crate::http::error_body::from_response;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paths_keep_their_ends() {
        let path = "data.payload[0]".to_string() + &".children[0]".repeat(100) + ".status";
        let shown = shortened(&path, SHOWN_PATH_LIMIT);
        assert!(shown.len() <= SHOWN_PATH_LIMIT + '…'.len_utf8(), "{shown}");
        assert!(shown.starts_with("data.payload[0]"), "{shown}");
        assert!(shown.ends_with(".status"), "{shown}");
        assert_eq!(shortened("a.b", SHOWN_PATH_LIMIT), "a.b");
    }
}
