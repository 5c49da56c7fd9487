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
    /// What a person can do about this status.
    fn advice(&self) -> String {
        let old_chatbotx_token_error = self.platform == Platform::Chatbotx
            && self.status == StatusCode::INTERNAL_SERVER_ERROR
            && self.code.as_deref() == Some("INTERNAL_SERVER_ERROR");
        match self.status.as_u16() {
            401 => format!(
                "check {}: the token is missing, wrong or revoked",
                self.platform.token_variable()
            ),
            403 => format!(
                "the token in {} may not do this (a read-only or scoped token?)",
                self.platform.token_variable()
            ),
            404 => "check the base URL and the ids in the request (account id, contact identifier)"
                .to_string(),
            400 | 422 => "the server refused a parameter; see its message".to_string(),
            429 => "rate limited: wait and retry, or turn on client-side rate limiting".to_string(),
            500 if old_chatbotx_token_error => format!(
                "older ChatbotX servers answer a bad token this way: check {}, then retry",
                self.platform.token_variable()
            ),
            500..=599 => "the server or a proxy failed; retry later".to_string(),
            _ => "unexpected status; see the body excerpt".to_string(),
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
            write!(f, " at `{}`", self.path)?;
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

    /// The HTTP status, when the server answered.
    ///
    /// ```
    /// assert_eq!(chatdesk::Error::config("x").status(), None);
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
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
    /// 503, 504, and connection failures and timeouts.
    ///
    /// ```
    /// assert!(!chatdesk::Error::config("x").is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => matches!(e.status.as_u16(), 408 | 429 | 502 | 503 | 504),
            Error::Transport(_) => true,
            _ => false,
        }
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
                                None,
                                false,
                            )
                        } else {
                            api_error(platform, status, &headers, &body, None)
                        }
                    }
                    Err(e) => transport(platform, e),
                }
            }
            Generated::ErrorResponse(response) => {
                api_error(platform, response.status(), response.headers(), &[], None)
            }
            Generated::InvalidResponsePayload(body, e) => {
                let path = json_path_of(&body);
                decode_error(
                    platform,
                    operation,
                    None,
                    &path,
                    &e.to_string(),
                    &body,
                    None,
                    e.is_eof(),
                )
            }
            Generated::CommunicationError(e)
            | Generated::ResponseBodyError(e)
            | Generated::InvalidUpgrade(e) => transport(platform, e),
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
    crate::request::decode(platform, operation, StatusCode::OK, body, None)
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
    api_error(platform, status, headers, body, None)
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
    secret: Option<&str>,
    truncated: bool,
) -> Error {
    Error::Decode(Box::new(DecodeError {
        platform,
        operation,
        status,
        truncated,
        path: scrub(path, secret),
        // The decoder quotes the values it rejects, which may be the token.
        message: scrub(message, secret),
        body_excerpt: excerpt(body, secret),
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
    secret: Option<&str>,
) -> Error {
    let (code, message) = parse_error_body(body);
    Error::Api(Box::new(ApiError {
        platform,
        status,
        code: code.map(|c| scrub(&c, secret)),
        message: message.map(|m| scrub(&m, secret)),
        retry_after: retry_after(headers),
        body_excerpt: excerpt(body, secret),
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

/// `text` with every occurrence of `secret` replaced by `***`.
fn scrub(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(secret) if !secret.is_empty() => text.replace(secret, "***"),
        _ => text.to_string(),
    }
}

/// The start of a body for an error message, scrubbed of `secret`. The
/// secret is replaced before the cut, so a token straddling the limit
/// cannot leave a readable prefix.
pub(crate) fn excerpt(body: &[u8], secret: Option<&str>) -> String {
    let head = &body[..body
        .len()
        .min(BODY_EXCERPT_LIMIT + 4 + secret.map_or(0, str::len))];
    bounded(&scrub(&String::from_utf8_lossy(head), secret))
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
        let cut = excerpt(body.as_bytes(), None);
        assert!(cut.len() <= BODY_EXCERPT_LIMIT + '…'.len_utf8());
    }

    #[test]
    fn excerpt_scrubs_the_secret() {
        assert_eq!(excerpt(b"token=abc123", Some("abc123")), "token=***");
    }
}
