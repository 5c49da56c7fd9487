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
use reqwest::header::HeaderMap;

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

/// The platform a request went to.
///
/// ```
/// assert_eq!(chatdesk::Platform::Chatwoot.to_string(), "chatwoot");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// ChatbotX.
    Chatbotx,
    /// Chatwoot.
    Chatwoot,
}

impl Platform {
    /// The environment variable that the examples and the docs read the
    /// platform's token from, named in error messages about the token.
    ///
    /// ```
    /// use chatdesk::Platform;
    /// assert_eq!(Platform::Chatbotx.token_variable(), "CHATBOTX_TOKEN");
    /// ```
    pub fn token_variable(self) -> &'static str {
        match self {
            Platform::Chatbotx => "CHATBOTX_TOKEN",
            Platform::Chatwoot => "CHATWOOT_API_ACCESS_TOKEN",
        }
    }

    /// What a base URL of the platform looks like, for messages about a
    /// wrong one.
    ///
    /// ```
    /// use chatdesk::Platform;
    /// assert!(Platform::Chatbotx.base_url_form().contains("/api"));
    /// ```
    pub fn base_url_form(self) -> &'static str {
        match self {
            Platform::Chatbotx => {
                "the API's address, ending in /api, such as https://app.chatbotx.io/api"
            }
            Platform::Chatwoot => {
                "the server's root address, without /api or /app, such as \
                 https://app.chatwoot.com or https://chat.example.com"
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            Platform::Chatbotx => "chatbotx",
            Platform::Chatwoot => "chatwoot",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

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
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The server answered with a success status but a body that is not what
    /// the spec describes.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// The request did not complete: connection refused, reset, timed out,
    /// or a body cut short.
    #[error("{0}")]
    Transport(Box<TransportError>),
    /// The server answered with a redirect that was not followed: to
    /// another origin, where the token must not go, or one too many. The
    /// base URL needs changing.
    #[error("{0}")]
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
            404 => match self.platform {
                Platform::Chatwoot => "check the base URL and the account id".to_string(),
                Platform::Chatbotx => {
                    "check the base URL and the contact identifier (id:N, email:X or phone:X)"
                        .to_string()
                }
            },
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
        write!(f, "request to {} {what}: {}", self.platform, self.source)?;
        let mut cause = std::error::Error::source(&self.source);
        while let Some(inner) = cause {
            write!(f, ": {inner}")?;
            cause = inner.source();
        }
        f.write_str(" — check the network and the base URL; the request can be retried")
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
    pub(crate) fn detail(&self) -> String {
        match self {
            Error::InvalidInput(message) | Error::Config(message) => message.clone(),
            other => other.to_string(),
        }
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

    /// Converts an error of a generated client (`api()`) into an [`Error`],
    /// reading the body of an error response to find the server's message.
    ///
    /// ```no_run
    /// # #[cfg(feature = "chatwoot")]
    /// # async fn run(client: chatdesk::chatwoot::Client) -> Result<(), chatdesk::Error> {
    /// use chatdesk::{Error, Platform};
    /// let request = client.api().list_conversations().account_id(1);
    /// let page = match request.send().await {
    ///     Ok(page) => page.into_inner(),
    ///     Err(e) => return Err(Error::from_generated(Platform::Chatwoot, "listConversations", e).await),
    /// };
    /// println!("{} conversations", page.data.meta.all_count);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn from_generated(
        platform: Platform,
        operation: &'static str,
        error: progenitor_client::Error<()>,
    ) -> Error {
        use progenitor_client::Error as Generated;
        match error {
            Generated::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                match response.bytes().await {
                    Ok(body) => {
                        if status.is_success() {
                            decode_error(
                                platform,
                                operation,
                                Some(status),
                                "",
                                "unexpected success status",
                                &body,
                                &[],
                                false,
                            )
                        } else {
                            api_error(platform, status, &headers, &body, &[])
                        }
                    }
                    Err(e) => carried(&e).unwrap_or_else(|| transport(platform, e)),
                }
            }
            Generated::ErrorResponse(response) => {
                api_error(platform, response.status(), response.headers(), &[], &[])
            }
            Generated::InvalidResponsePayload(body, e) => {
                let path = json_path_of(&body);
                // An empty body is not one cut short.
                let cut_short = e.is_eof() && !body.iter().all(u8::is_ascii_whitespace);
                decode_error(
                    platform,
                    operation,
                    None,
                    &path,
                    &e.to_string(),
                    &body,
                    &[],
                    cut_short,
                )
            }
            Generated::CommunicationError(e)
            | Generated::ResponseBodyError(e)
            | Generated::InvalidUpgrade(e) => carried(&e).unwrap_or_else(|| transport(platform, e)),
            Generated::InvalidRequest(message) | Generated::Custom(message) => {
                Error::InvalidInput(message)
            }
        }
    }
}

/// Decodes a response body as `T` the way the list helpers do: a failure
/// is an [`Error::Decode`] naming the JSON path, with a bounded excerpt of
/// the body. Useful for bodies stored earlier, or received another way.
///
/// ```
/// # #[cfg(feature = "chatwoot")] {
/// use chatdesk::{Error, Platform, chatwoot::types::ConversationList};
///
/// let body = br#"{"data": {"meta": {"mine_count": 0, "assigned_count": 0,
///     "unassigned_count": 0, "all_count": 0}, "payload": [{"id": "x"}]}}"#;
/// match chatdesk::error::decode::<ConversationList>(Platform::Chatwoot, "listConversations", body) {
///     Err(Error::Decode(e)) => assert_eq!(e.path, "data.payload[0].id"),
///     other => panic!("{other:?}"),
/// }
/// # }
/// ```
pub fn decode<T: serde::de::DeserializeOwned>(
    platform: Platform,
    operation: &'static str,
    body: &[u8],
) -> Result<T, Error> {
    crate::request::decode(platform, operation, StatusCode::OK, body, &[])
}

/// The [`Error`] for an error response of `platform`, as the list helpers
/// build it: the status, the platform's code and message from whichever
/// error body it sent (JSON, HTML or text), `Retry-After`, and a bounded
/// excerpt of the body.
///
/// ```
/// use chatdesk::{Error, Platform};
/// use reqwest::{StatusCode, header::HeaderMap};
///
/// let error = chatdesk::error::from_response(
///     Platform::Chatwoot,
///     StatusCode::UNAUTHORIZED,
///     &HeaderMap::new(),
///     br#"{"error":"Invalid Access Token"}"#,
/// );
/// assert!(error.to_string().contains("Invalid Access Token"));
/// ```
pub fn from_response(
    platform: Platform,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Error {
    api_error(platform, status, headers, body, &[])
}

/// Re-decodes `body` as JSON to find where decoding into a value failed.
/// Only the position of a JSON syntax error is known without the target
/// type, so this names a line and column for those.
fn json_path_of(body: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(_) => String::new(),
        Err(e) => format!("line {} column {}", e.line(), e.column()),
    }
}

/// An [`Error`] of the request pipeline carried to the caller of a
/// generated operation as the source of a `reqwest` body error (progenitor
/// only passes `reqwest` errors through); [`Error::from_generated`] takes
/// it back out.
#[derive(Debug)]
pub(crate) struct Carried(std::sync::Mutex<Option<Error>>);

impl Carried {
    pub(crate) fn new(error: Error) -> Self {
        Carried(std::sync::Mutex::new(Some(error)))
    }
}

impl fmt::Display for Carried {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.lock().ok().as_deref() {
            Some(Some(error)) => write!(f, "{error}"),
            _ => f.write_str("a chatdesk request failed"),
        }
    }
}

impl std::error::Error for Carried {}

/// The pipeline's [`Error`] inside `error`, if it carries one.
fn carried(error: &reqwest::Error) -> Option<Error> {
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        if let Some(carried) = inner.downcast_ref::<Carried>() {
            return carried.0.lock().ok()?.take();
        }
        cause = inner.source();
    }
    None
}

/// Builds a [`Error::Transport`] from a reqwest error, without its URL.
pub(crate) fn transport(platform: Platform, error: reqwest::Error) -> Error {
    Error::Transport(Box::new(TransportError {
        platform,
        timeout: error.is_timeout(),
        connect: error.is_connect(),
        source: error.without_url(),
    }))
}

/// Builds a [`Error::Decode`] for a body that failed to decode.
#[allow(clippy::too_many_arguments)]
pub(crate) fn decode_error(
    platform: Platform,
    operation: &'static str,
    status: Option<StatusCode>,
    path: &str,
    message: &str,
    body: &[u8],
    secrets: &[&str],
    truncated: bool,
) -> Error {
    Error::Decode(Box::new(DecodeError {
        platform,
        operation,
        status,
        truncated,
        path: scrub(path, secrets),
        // The decoder quotes the values it rejects, which may be the token.
        message: scrub(message, secrets),
        body_excerpt: excerpt(body, secrets),
    }))
}

/// Builds a [`Error::Api`] from an error response, reading whichever error
/// body the platform sent: ChatbotX `{defined, code, status, message}`,
/// Chatwoot `{"error"}`, `{"errors": [...]}`, `{"message", "attributes"}`,
/// the reference pages' `{"description", "errors": [{...}]}`, an HTML page
/// or plain text.
pub(crate) fn api_error(
    platform: Platform,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    secrets: &[&str],
) -> Error {
    let (code, message) = parse_error_body(body);
    Error::Api(Box::new(ApiError {
        platform,
        status,
        code: code.map(|c| scrub(&c, secrets)),
        message: message.map(|m| scrub(&m, secrets)),
        retry_after: retry_after(headers),
        body_excerpt: excerpt(body, secrets),
    }))
}

/// The `Retry-After` header, in seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// The error code and message from an error body of either platform.
fn parse_error_body(body: &[u8]) -> (Option<String>, Option<String>) {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return (None, None);
    }
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(trimmed) {
        let string = |key: &str| {
            map.get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        };
        let code = string("code");
        let mut message = string("message")
            .or_else(|| string("error"))
            .or_else(|| map.get("errors").and_then(errors_text))
            .or_else(|| string("description"));
        if let Some(issues) = map
            .get("data")
            .and_then(|d| d.get("issues"))
            .and_then(serde_json::Value::as_array)
        {
            let details = issues_text(issues);
            if !details.is_empty() {
                message = Some(match message {
                    Some(m) => format!("{m} ({details})"),
                    None => details,
                });
            }
        }
        if let Some(attributes) = map.get("attributes").and_then(serde_json::Value::as_array) {
            let names: Vec<_> = attributes.iter().filter_map(|a| a.as_str()).collect();
            if !names.is_empty() {
                message = Some(format!(
                    "{} (attributes: {})",
                    message.unwrap_or_default(),
                    names.join(", ")
                ));
            }
        }
        return (code, message.map(|m| bounded(&m)));
    }
    if trimmed.starts_with('<') {
        return (None, html_title(trimmed).map(|t| bounded(&t)));
    }
    (None, Some(bounded(trimmed)))
}

/// Chatwoot's `errors`: an array of strings or of `{field, message, code}`.
fn errors_text(errors: &serde_json::Value) -> Option<String> {
    let items = errors.as_array()?;
    let parts: Vec<String> = items
        .iter()
        .filter_map(|item| match item {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Object(o) => {
                let message = o.get("message").and_then(|m| m.as_str())?;
                Some(match o.get("field").and_then(|f| f.as_str()) {
                    Some(field) => format!("{field}: {message}"),
                    None => message.to_string(),
                })
            }
            _ => None,
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// ChatbotX validation issues: `[{path: [...], message}]`.
fn issues_text(issues: &[serde_json::Value]) -> String {
    issues
        .iter()
        .filter_map(|issue| {
            let message = issue.get("message")?.as_str()?;
            let path: Vec<String> = issue
                .get("path")
                .and_then(|p| p.as_array())
                .map(|p| {
                    p.iter()
                        .map(|part| match part {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            Some(if path.is_empty() {
                message.to_string()
            } else {
                format!("{}: {message}", path.join("."))
            })
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The `<title>` of an HTML page, or its first heading.
fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    for tag in ["title", "h1"] {
        let open = format!("<{tag}");
        let close = format!("</{tag}>");
        if let Some(start) = lower.find(&open) {
            let after_open = lower[start..].find('>').map(|i| start + i + 1)?;
            let end = lower[after_open..].find(&close).map(|i| after_open + i)?;
            let title = html
                .get(after_open..end)?
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if !title.is_empty() {
                return Some(title);
            }
        }
    }
    Some("an HTML page instead of JSON".to_string())
}

/// `text` cut to [`BODY_EXCERPT_LIMIT`] bytes on a character boundary.
fn bounded(text: &str) -> String {
    if text.len() <= BODY_EXCERPT_LIMIT {
        return text.to_string();
    }
    let mut end = BODY_EXCERPT_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// `text` with every occurrence of each secret replaced by `***`.
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut text = text.to_string();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if text.contains(secret) {
            text = text.replace(secret, "***");
        }
    }
    text
}

/// The start of a body for an error message, scrubbed of `secrets`. The
/// secrets are replaced before the cut, so a token straddling the limit
/// cannot leave a readable prefix.
pub(crate) fn excerpt(body: &[u8], secrets: &[&str]) -> String {
    let longest = secrets.iter().map(|s| s.len()).max().unwrap_or(0);
    let head = &body[..body.len().min(BODY_EXCERPT_LIMIT + 4 + longest)];
    bounded(&scrub(&String::from_utf8_lossy(head), secrets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chatbotx_body_gives_code_and_message() {
        let body = br#"{"defined":true,"code":"INVALID_CHATBOT_TOKEN","status":401,"message":"Invalid token"}"#;
        let (code, message) = parse_error_body(body);
        assert_eq!(code.as_deref(), Some("INVALID_CHATBOT_TOKEN"));
        assert_eq!(message.as_deref(), Some("Invalid token"));
    }

    #[test]
    fn chatwoot_errors_array_is_joined() {
        let (code, message) = parse_error_body(br#"{"errors":["a","b"]}"#);
        assert_eq!(code, None);
        assert_eq!(message.as_deref(), Some("a; b"));
    }

    #[test]
    fn html_title_is_the_message() {
        let (_, message) =
            parse_error_body(b"<html><head><title>502 Bad Gateway</title></head></html>");
        assert_eq!(message.as_deref(), Some("502 Bad Gateway"));
    }

    #[test]
    fn excerpt_is_bounded_on_a_char_boundary() {
        let body = "é".repeat(1000);
        let cut = excerpt(body.as_bytes(), &[]);
        assert!(cut.len() <= BODY_EXCERPT_LIMIT + '…'.len_utf8());
    }

    #[test]
    fn excerpt_scrubs_the_secret() {
        assert_eq!(excerpt(b"token=abc123", &["abc123"]), "token=***");
        assert_eq!(
            excerpt(b"token=abc123; session=s3cr3t", &["abc123", "s3cr3t"]),
            "token=***; session=***"
        );
    }

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
