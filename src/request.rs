//! One GET request of the handwritten layer: build the URL, send with the
//! client's auth, turn error statuses into [`Error::Api`], decode the body
//! with the JSON path of any failure, and trace it all without a secret.
//!
//! The list helpers send their own requests, rather than going through the
//! generated builders, for three reasons the generated client cannot meet:
//! a decode failure must name the JSON path and keep an excerpt of the body;
//! some parameters (bracket notation) cannot be generated; and every
//! request needs the same error, retry and tracing treatment. The response
//! types are still the generated ones.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::config::{ApiState, Secrets};
use crate::error::{self, Error, Platform};
use crate::rate_limit::Limiter;
use crate::retry::RetryPolicy;

/// Counters of what a client has sent, shared by its clones.
///
/// ```no_run
/// # async fn run(client: chatdesk::chatbotx::Client) {
/// let stats = client.stats();
/// println!("{} requests, {} of them retries", stats.requests(), stats.retries());
/// # }
/// ```
#[derive(Clone, Debug, Default)]
pub struct Stats {
    requests: Arc<AtomicU64>,
    retries: Arc<AtomicU64>,
}

impl Stats {
    /// Requests sent by the list helpers, retries included.
    ///
    /// ```
    /// # let stats = chatdesk::Stats::default();
    /// assert_eq!(stats.requests(), 0);
    /// ```
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Requests that were retries of a failed one.
    ///
    /// ```
    /// # let stats = chatdesk::Stats::default();
    /// assert_eq!(stats.retries(), 0);
    /// ```
    pub fn retries(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }
}

/// What one platform client needs to send the list helpers' requests.
#[derive(Clone, Debug)]
pub(crate) struct Http {
    pub(crate) platform: Platform,
    pub(crate) client: reqwest::Client,
    /// The base URL, without a trailing `/`.
    pub(crate) base_url: String,
    pub(crate) state: ApiState,
    /// The token and extra header values, to scrub from errors.
    pub(crate) secrets: Secrets,
    pub(crate) retry: RetryPolicy,
    pub(crate) limiter: Option<Limiter>,
    pub(crate) stats: Stats,
    /// The largest body read; see [`read_body`].
    pub(crate) max_response_bytes: u64,
}

/// The most of an error response's body read: enough for any error
/// message, small enough that a huge error page costs nothing.
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// Appends `name=value` to `query` when there is a value: how the list
/// helpers add their optional parameters.
pub(crate) fn push_some(query: &mut Vec<(String, String)>, name: &str, value: Option<String>) {
    if let Some(value) = value {
        query.push((name.to_string(), value));
    }
}

/// One GET request: where it goes and what it is, for errors and traces.
pub(crate) struct Get<'a> {
    /// The operation id from the spec, such as `listConversations`.
    pub(crate) operation: &'static str,
    /// The path after the base URL, already percent-encoded, starting `/`.
    pub(crate) path: String,
    /// Query pairs, in order; encoded by `url`'s form encoder.
    pub(crate) query: &'a [(String, String)],
    /// The page or cursor this request asks for, for traces.
    pub(crate) position: String,
}

impl Http {
    /// The request settings of a checked builder.
    pub(crate) fn new(platform: Platform, parts: &crate::config::BuiltParts) -> Self {
        Http {
            platform,
            client: parts.http.clone(),
            base_url: crate::config::base_url_text(&parts.base_url),
            state: parts.state.clone(),
            secrets: parts.secrets.clone(),
            retry: parts.retry.clone(),
            limiter: parts.limiter.clone(),
            stats: Stats::default(),
            max_response_bytes: parts.max_response_bytes,
        }
    }

    /// Sends `request` and decodes a success body as `T`.
    pub(crate) async fn get_json<T: DeserializeOwned>(&self, request: Get<'_>) -> Result<T, Error> {
        let span = tracing::debug_span!(
            "chatdesk.request",
            platform = %self.platform,
            operation = request.operation,
            path = %request.path,
            position = %request.position,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        self.with_retries(&request).instrument(span).await
    }

    /// Sends `request` until it succeeds, fails for good, or the retry
    /// policy says stop; each attempt waits for the rate limiter first.
    async fn with_retries<T: DeserializeOwned>(&self, request: &Get<'_>) -> Result<T, Error> {
        crate::retry::run(
            &self.retry,
            |number| async move {
                if let Some(limiter) = &self.limiter {
                    limiter.acquire().await;
                }
                self.stats.requests.fetch_add(1, Ordering::Relaxed);
                tracing::Span::current().record("attempts", number);
                self.attempt(request).await
            },
            |attempt, wait, error| {
                self.stats.retries.fetch_add(1, Ordering::Relaxed);
                tracing::info!(
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    error = %error,
                    "retrying"
                );
            },
        )
        .await
    }

    async fn attempt<T: DeserializeOwned>(&self, request: &Get<'_>) -> Result<T, Error> {
        let started = Instant::now();
        let mut url = url::Url::parse(&format!("{}{}", self.base_url, request.path))
            .map_err(|e| Error::invalid_input(format!("cannot build the request URL: {e}")))?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query);
        }
        let mut http_request = self
            .client
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .build()
            .map_err(|e| error::transport(self.platform, e))?;
        self.state.prepare(&mut http_request);

        let outcome = self.client.execute(http_request).await;
        let span = tracing::Span::current();
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        let response = match outcome {
            Ok(response) => response,
            Err(e) => {
                let error = error::transport(self.platform, e);
                tracing::debug!(error = %error, "request failed");
                return Err(error);
            }
        };
        let status = response.status();
        span.record("status", status.as_u16());
        let secrets = self.secrets.exposed();
        if status.is_redirection() {
            return Err(self.refused_redirect(request, status, response.headers()));
        }
        let headers = response.headers().clone();
        if !status.is_success() {
            // Only the start of an error body is needed for its message.
            let body = match read_body(response, ERROR_BODY_LIMIT).await {
                Ok(Body::Whole(body) | Body::Cut(body)) => body,
                Err(e) => return Err(error::transport(self.platform, e)),
            };
            tracing::debug!(bytes = body.len(), "response");
            if status == reqwest::StatusCode::NOT_FOUND && is_html(&body) {
                return Err(self.wrong_base_url(request, status));
            }
            return Err(error::api_error(
                self.platform,
                status,
                &headers,
                &body,
                &secrets,
            ));
        }
        // A body announced over the limit is refused before reading it.
        let announced_too_large = response
            .content_length()
            .is_some_and(|length| length > self.max_response_bytes);
        let read = if announced_too_large {
            Ok(Body::Cut(bytes::Bytes::new()))
        } else {
            read_body(response, self.max_response_bytes).await
        };
        let body = match read {
            Ok(Body::Whole(body)) => body,
            Ok(Body::Cut(_)) => {
                return Err(Error::ResponseTooLarge {
                    platform: self.platform,
                    operation: request.operation,
                    limit: self.max_response_bytes,
                });
            }
            Err(e) => return Err(error::transport(self.platform, e)),
        };
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        tracing::debug!(bytes = body.len(), "response");
        if is_html(&body) {
            return Err(self.wrong_base_url(request, status));
        }
        decode(self.platform, request.operation, status, &body, &secrets)
    }

    /// The error for a redirect the client did not follow: one to another
    /// origin (scheme, host, port), which would carry the token there, or
    /// too many in a row.
    fn refused_redirect(
        &self,
        request: &Get<'_>,
        status: reqwest::StatusCode,
        headers: &reqwest::header::HeaderMap,
    ) -> Error {
        let here = url::Url::parse(&self.base_url).ok();
        let target = headers
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| here.as_ref()?.join(l).ok());
        let origin = |url: &url::Url| url.origin().ascii_serialization();
        Error::Redirect(Box::new(crate::error::RedirectError {
            platform: self.platform,
            status,
            url: self.shown_url(request),
            target: target
                .filter(|t| here.as_ref().is_none_or(|h| t.origin() != h.origin()))
                .map(|t| origin(&t)),
            origin: here.as_ref().map(origin).unwrap_or_default(),
        }))
    }

    /// The error for an HTML page where the API's JSON was expected: the
    /// base URL points at a web page, not at the API.
    fn wrong_base_url(&self, request: &Get<'_>, status: reqwest::StatusCode) -> Error {
        Error::config(format!(
            "{} {} answered {} with an HTML page instead of the {} API's JSON: the base URL \
             {} is probably wrong; give {}",
            "GET",
            self.shown_url(request),
            status.as_u16(),
            self.platform,
            self.base_url,
            self.platform.base_url_form(),
        ))
    }

    /// The URL of `request` without its query (which may hold the token),
    /// so that a doubled or missing path part is visible.
    fn shown_url(&self, request: &Get<'_>) -> String {
        format!("{}{}", self.base_url, request.path)
    }
}

/// A body read against a limit: whole, or cut at the limit.
enum Body {
    Whole(bytes::Bytes),
    /// The first `limit` bytes; more followed and were not read.
    Cut(bytes::Bytes),
}

/// Reads a body chunk by chunk, stopping as soon as it passes `limit`
/// bytes, so that memory stays bounded whatever the server sends.
async fn read_body(mut response: reqwest::Response, limit: u64) -> Result<Body, reqwest::Error> {
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        let room = usize::try_from(limit)
            .unwrap_or(usize::MAX)
            .saturating_sub(body.len());
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok(Body::Cut(body.freeze()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Body::Whole(body.freeze()))
}

/// Whether a body is an HTML page rather than JSON: a wrong base URL
/// answers with the web app or a proxy's error page.
fn is_html(body: &[u8]) -> bool {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &body[i..]);
    let head = &start[..start.len().min(15)];
    let lower = head.to_ascii_lowercase();
    lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html")
}

/// Decodes a success body as `T`; a failure names the JSON path and keeps an
/// excerpt of the body.
///
/// Tracking the path costs about 40 % of the decoding (a string per key),
/// so a body is first decoded without it, and only a body that fails is
/// decoded again to find where.
pub(crate) fn decode<T: DeserializeOwned>(
    platform: Platform,
    operation: &'static str,
    status: reqwest::StatusCode,
    body: &[u8],
    secrets: &[&str],
) -> Result<T, Error> {
    let plain_error = match serde_json::from_slice(body) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let traced = serde_path_to_error::deserialize::<_, T>(&mut deserializer)
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        .and_then(|_| deserializer.end().map_err(|e| (String::new(), e)));
    // Both read the same grammar; should they disagree, the plain error
    // stands, without a path.
    let (path, inner) = traced.err().unwrap_or((String::new(), plain_error));
    let empty = body.iter().all(u8::is_ascii_whitespace);
    let message = if empty {
        "the body is empty".to_string()
    } else if inner.is_eof() {
        format!("the body ends early ({inner}); the connection may have been cut")
    } else if inner.is_syntax() {
        format!("the body is not JSON ({inner})")
    } else {
        inner.to_string()
    };
    Err(error::decode_error(
        platform,
        operation,
        Some(status),
        &path,
        &message,
        body,
        secrets,
        inner.is_eof() && !empty,
    ))
}
