//! Error responses read into [`Error`]s: the status, the platform's code
//! and message from whichever body it sent (ChatbotX and Chatwoot JSON,
//! an HTML page, text), `Retry-After`, and a bounded excerpt scrubbed of
//! the secrets; transport failures without their URL; and the carrier that
//! takes a pipeline error through the generated client.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::auth::{excerpt, scrub};
use super::decode::json_path_of;
use crate::error::{ApiError, BODY_EXCERPT_LIMIT, DecodeError, Error, Platform, TransportError};

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
pub(crate) fn carried(error: &reqwest::Error) -> Option<Error> {
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
        operation: None,
        path: None,
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
pub(crate) fn bounded(text: &str) -> String {
    if text.len() <= BODY_EXCERPT_LIMIT {
        return text.to_string();
    }
    let mut end = BODY_EXCERPT_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

impl Error {
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
                // The pipeline gives the response its URL without the query.
                let path = response.url().path().to_owned();
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
                                .for_request(operation, &path)
                        }
                    }
                    Err(e) => carried(&e).unwrap_or_else(|| transport(platform, e)),
                }
            }
            Generated::ErrorResponse(response) => {
                match api_error(platform, response.status(), response.headers(), &[], &[]) {
                    Error::Api(mut api) => {
                        api.operation = Some(operation);
                        Error::Api(api)
                    }
                    other => other,
                }
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
}
