//! The one request pipeline: every request of a client, a listing's page or
//! a generated `api()` call, goes through [`Http`], which adds the query
//! token, waits for the rate limiter, sends, reads the body against the
//! size limit, retries by the policy and the request's idempotency, counts
//! it in [`Stats`] and traces it in a `chatdesk.request` span, with no
//! secret anywhere.
//!
//! The listings send their own GET requests through [`Http::get_json`],
//! which also turns error statuses into [`Error`] and decodes the body with
//! the JSON path of any failure. The generated client reaches the same
//! pipeline through progenitor's `ClientHooks::exec` ([`Http::exec`]): it
//! gets the final answer back (after retries) and decodes it itself, so
//! its API stays progenitor's.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::auth::{Secrets, Token};
use super::decode::{Decoder, PageDecoder, decode_with};
use super::error_body;
use crate::error::{Error, Platform};
use crate::paginate::Declared;
use crate::rate_limit::Limiter;
use crate::retry::{OnRetry, Outstanding, Phase, Retry, RetryPolicy, Waiting, Watch};

/// Counters of what a client has sent, and what it is waiting for now,
/// shared by its clones.
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
    outstanding: Arc<Mutex<Outstanding>>,
}

impl Stats {
    /// Requests sent, listings' and generated calls' alike, retries
    /// included.
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

    /// The oldest request that has started and not finished (sending, or
    /// waiting to be retried), or `None` when nothing is out. A program
    /// calls it now and then, from a progress display for example, to say
    /// what it is waiting for when a server is slow or does not answer:
    /// which request, which attempt of how many, for how long, and the last
    /// error. Cheap: one short lock. A request counts from its first
    /// attempt's start; one still waiting for the client's rate limiter
    /// before its first attempt is not out yet.
    ///
    /// ```no_run
    /// # fn show(client: &chatdesk::chatwoot::Client) {
    /// use chatdesk::retry::Phase;
    /// if let Some(w) = client.stats().waiting() {
    ///     let doing = match w.phase {
    ///         Phase::Retrying { .. } => "waiting to retry",
    ///         _ => "waiting for",
    ///     };
    ///     eprintln!(
    ///         "{doing} {} {} ({}), attempt {} of {}, {} s",
    ///         w.method, w.path, w.operation, w.attempt, w.max_attempts, w.elapsed.as_secs()
    ///     );
    /// }
    /// # }
    /// ```
    pub fn waiting(&self) -> Option<Waiting> {
        self.outstanding
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .oldest()
    }
}

/// The request pipeline of one platform client, shared by its listings and
/// its generated client (whose inner state it is). Its `Debug` shows no
/// secret.
#[derive(Clone, Debug)]
pub struct Http {
    pub(crate) platform: Platform,
    pub(crate) client: reqwest::Client,
    /// The base URL, without a trailing `/`.
    pub(crate) base_url: String,
    /// The token, when it travels in the query string.
    pub(crate) query_token: Option<Token>,
    /// The token and extra header values, to scrub from errors.
    pub(crate) secrets: Secrets,
    pub(crate) retry: RetryPolicy,
    pub(crate) limiter: Option<Limiter>,
    pub(crate) stats: Stats,
    /// Told of each retry, when the builder was given one.
    pub(crate) on_retry: Option<OnRetry>,
    /// The largest body read; see [`read_body`].
    pub(crate) max_response_bytes: u64,
    /// What the spec says of the operations.
    pub(crate) operations: Operations,
}

/// What the pipeline needs of a platform's operations, generated from its
/// spec by `build.rs`.
#[derive(Clone, Copy, Debug)]
pub struct Operations {
    /// Each operation's method name in the generated client and its
    /// `operationId`.
    pub(crate) ids: &'static [(&'static str, &'static str)],
    /// The operations that only read although their method is POST (the
    /// spec's `x-chatdesk-safe-to-repeat`): retried like a GET.
    pub(crate) safe_to_repeat: &'static [&'static str],
}

impl Operations {
    /// The `operationId` of the generated method `name` (`name` itself if
    /// the spec has no such method).
    fn spec_id(&self, name: &'static str) -> &'static str {
        self.ids
            .iter()
            .find(|(method, _)| *method == name)
            .map_or(name, |(_, id)| id)
    }
}

/// The most of an error response's body read: enough for any error
/// message, small enough that a huge error page costs nothing.
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// One request of a listing: where it goes and what it is, for errors and
/// traces. A GET, or a POST with a JSON body when `body` is set (a read
/// the spec marks safe to repeat).
pub(crate) struct Get<'a> {
    /// The operation id from the spec, such as `listConversations`.
    pub(crate) operation: &'static str,
    /// The path after the base URL, already percent-encoded, starting `/`.
    pub(crate) path: String,
    /// Query pairs, in order; encoded by `url`'s form encoder.
    pub(crate) query: &'a [(String, String)],
    /// The page or cursor this request asks for, for traces.
    pub(crate) position: String,
    /// The JSON body of a POST listing.
    pub(crate) body: Option<&'a serde_json::Value>,
}

/// One HTTP answer, its body read against the limit (a success's against
/// the client's, an error's against [`ERROR_BODY_LIMIT`]).
pub(crate) struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// What a run of the pipeline ended with: the caller's result, and the
/// last answer the server gave, if any.
struct Outcome<T> {
    result: Result<T, Error>,
    last: Option<Answer>,
}

impl Http {
    /// Sends a listing's GET `request` and reads the page's envelope by the
    /// paths `declared` gives, with items of type `T`.
    pub(crate) async fn get_page<T: DeserializeOwned>(
        &self,
        request: Get<'_>,
        declared: &Declared,
    ) -> Result<crate::envelope::Envelope<T>, Error> {
        let operation = request.operation;
        self.get_with(request, &PageDecoder::<T>::new(declared))
            .await?
            .into_envelope(self.platform, operation, declared)
    }

    /// Sends a listing's `request` and decodes a success body with
    /// `decoder`.
    async fn get_with<D: Decoder>(
        &self,
        request: Get<'_>,
        decoder: &D,
    ) -> Result<D::Output, Error> {
        let full = format!("{}{}", self.base_url, request.path);
        let mut url = url::Url::parse(&full)
            .map_err(|e| Error::invalid_input(format!("cannot build the request URL: {e}")))?;
        let shown = Shown {
            method: if request.body.is_some() {
                reqwest::Method::POST
            } else {
                reqwest::Method::GET
            },
            path: url.path().to_owned(),
            url: full,
        };
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query);
        }
        let builder = match request.body {
            Some(body) => self.client.post(url).json(body),
            None => self.client.get(url),
        };
        let http_request = builder
            .header(reqwest::header::ACCEPT, "application/json")
            .build()
            .map_err(|e| error_body::transport(self.platform, e))?;
        let operation = request.operation;
        let outcome = self
            .run(http_request, operation, &request.position, |answer| {
                self.listing_result(answer, operation, &shown, decoder)
            })
            .await;
        outcome.result
    }

    /// Sends a request of the generated client, the hook progenitor calls
    /// for every operation. Retries and the rate limit apply as for a
    /// listing; the answer goes back to the generated code, which decodes
    /// it. Failures stay `reqwest` errors, without their URL (which may
    /// hold the token); a body over the size limit comes back as a body
    /// whose reading fails with the limit, which
    /// [`Error::from_generated`] turns into [`Error::ResponseTooLarge`].
    pub(crate) async fn exec(
        &self,
        request: reqwest::Request,
        method_name: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let operation = self.operations.spec_id(method_name);
        // What the generated code's messages may show of the URL: no query,
        // which may hold the token.
        let mut shown = request.url().clone();
        shown.set_query(None);
        let sent = Shown {
            method: request.method().clone(),
            url: shown.to_string(),
            path: shown.path().to_owned(),
        };
        let outcome = self
            .run(request, operation, "", |answer| {
                // A redirect or a web page means a wrong base URL, whatever
                // the operation: said as for a listing.
                if let Some(error) = self.wrong_answer(answer, &sent) {
                    Err(error)
                } else if crate::error::is_retryable_status(answer.status) {
                    Err(error_body::api_error(
                        self.platform,
                        answer.status,
                        &answer.headers,
                        &answer.body,
                        &self.secrets.exposed(),
                    )
                    .for_request(operation, &sent.path))
                } else {
                    Ok(())
                }
            })
            .await;
        match (outcome.result, outcome.last) {
            (Err(Error::Transport(transport)), _) => Err(transport.source),
            // The final answer, retried statuses included, goes back whole.
            (Ok(()) | Err(Error::Api(_)), Some(answer)) => Ok(rebuilt(answer, shown)),
            (Err(error), _) => Ok(carrying(error, shown)),
            (Ok(()), None) => Ok(carrying(
                Error::invalid_input(format!("{operation}: the request ended without an answer")),
                shown,
            )),
        }
    }

    /// A listing's result from one answer: the decoded body, or the error
    /// its status, a redirect or an HTML page means.
    fn listing_result<D: Decoder>(
        &self,
        answer: &Answer,
        operation: &'static str,
        shown: &Shown,
        decoder: &D,
    ) -> Result<D::Output, Error> {
        if let Some(error) = self.wrong_answer(answer, shown) {
            return Err(error);
        }
        let status = answer.status;
        let secrets = self.secrets.exposed();
        if !status.is_success() {
            return Err(error_body::api_error(
                self.platform,
                status,
                &answer.headers,
                &answer.body,
                &secrets,
            )
            .for_request(operation, &shown.path));
        }
        decode_with(
            self.platform,
            operation,
            status,
            &answer.body,
            &secrets,
            decoder,
        )
    }

    /// Sends `request` until `finish` accepts an answer, a failure is
    /// final, or the retry policy says stop; each attempt waits for the
    /// rate limiter first. A failure is retried when it is retryable and
    /// sending again cannot repeat an effect: the method is idempotent,
    /// the spec marks the operation safe to repeat, or the request never
    /// reached the server (no connection).
    async fn run<T>(
        &self,
        request: reqwest::Request,
        operation: &'static str,
        position: &str,
        finish: impl Fn(&Answer) -> Result<T, Error>,
    ) -> Outcome<T> {
        let span = tracing::debug_span!(
            "chatdesk.request",
            platform = %self.platform,
            operation,
            method = %request.method(),
            path = %request.url().path(),
            position = %position,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let repeatable =
            is_idempotent(request.method()) || self.operations.safe_to_repeat.contains(&operation);
        let method = request.method().clone();
        // The path only: the query may hold the token.
        let path = request.url().path().to_owned();
        let max_attempts = self.retry.attempts();
        let last = std::sync::Mutex::new(None);
        let result = async {
            // The first attempt's slot comes before the request counts as
            // out, and before the retry budget's clock starts.
            if let Some(limiter) = &self.limiter {
                limiter.acquire().await;
            }
            let watch = Watch::start(
                &self.stats.outstanding,
                operation,
                &method,
                &path,
                max_attempts,
            );
            let watch = &watch;
            crate::retry::run(
                &self.retry,
                |number| {
                    let request = &request;
                    let finish = &finish;
                    let last = &last;
                    async move {
                        if number > 1 {
                            if let Some(limiter) = &self.limiter {
                                watch.enter(number, Phase::RateLimited, None);
                                limiter.acquire().await;
                            }
                            watch.enter(number, Phase::Sending, None);
                        }
                        self.stats.requests.fetch_add(1, Ordering::Relaxed);
                        tracing::Span::current().record("attempts", number);
                        let answer = self.attempt(request, operation).await?;
                        let result = finish(&answer);
                        if let Ok(mut slot) = last.lock() {
                            *slot = Some(answer);
                        }
                        result
                    }
                },
                |error| repeatable || is_connect_failure(error),
                |attempt, wait, error| {
                    self.stats.retries.fetch_add(1, Ordering::Relaxed);
                    let next = attempt + 1;
                    watch.enter(next, Phase::Retrying { wait }, Some(error.to_string()));
                    tracing::info!(
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        error = %error,
                        "retrying"
                    );
                    if let Some(on_retry) = &self.on_retry {
                        (on_retry.0)(&Retry {
                            operation,
                            method: &method,
                            path: &path,
                            attempt: next,
                            max_attempts,
                            wait,
                            error,
                        });
                    }
                },
            )
            .await
        }
        .instrument(span)
        .await;
        Outcome {
            result,
            last: last.into_inner().ok().flatten(),
        }
    }

    /// One attempt: a copy of `request` with the query token, sent; its
    /// answer's body read against the limit.
    async fn attempt(
        &self,
        request: &reqwest::Request,
        operation: &'static str,
    ) -> Result<Answer, Error> {
        let started = Instant::now();
        let Some(mut request) = request.try_clone() else {
            return Err(Error::invalid_input(format!(
                "{operation}: the request body is a stream, which cannot be sent again"
            )));
        };
        if let Some(token) = &self.query_token {
            request
                .url_mut()
                .query_pairs_mut()
                .append_pair("token", token.expose());
        }
        let outcome = self.client.execute(request).await;
        let span = tracing::Span::current();
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        let response = match outcome {
            Ok(response) => response,
            Err(e) => {
                let error = error_body::transport(self.platform, e);
                tracing::debug!(error = %error, "request failed");
                return Err(error);
            }
        };
        let status = response.status();
        span.record("status", status.as_u16());
        let headers = response.headers().clone();
        let limit = if status.is_success() {
            self.max_response_bytes
        } else {
            ERROR_BODY_LIMIT
        };
        // A success announced over the limit is refused before reading.
        let announced_too_large =
            status.is_success() && response.content_length().is_some_and(|n| n > limit);
        let read = if announced_too_large {
            Ok(Body::Cut(Bytes::new()))
        } else {
            read_body(response, limit).await
        };
        let body = match read {
            Ok(Body::Whole(body)) => body,
            // Only the start of an error body is needed for its message.
            Ok(Body::Cut(body)) if !status.is_success() => body,
            Ok(Body::Cut(_)) => {
                return Err(Error::ResponseTooLarge {
                    platform: self.platform,
                    operation,
                    limit,
                });
            }
            Err(e) => return Err(error_body::transport(self.platform, e)),
        };
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        tracing::debug!(bytes = body.len(), "response");
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    /// The error an answer means whatever the request: a redirect the
    /// client did not follow, or an HTML page where JSON was expected (as a
    /// success or a 404: a proxy's error page of another status is the
    /// server's error, said with its status).
    fn wrong_answer(&self, answer: &Answer, shown: &Shown) -> Option<Error> {
        let status = answer.status;
        if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
            return Some(self.refused_redirect(&shown.url, status, &answer.headers));
        }
        if (status.is_success() || status == StatusCode::NOT_FOUND) && is_html(&answer.body) {
            return Some(self.wrong_base_url(shown, status));
        }
        None
    }

    /// The error for a redirect the client did not follow: one to another
    /// origin (scheme, host, port), which would carry the token there, or
    /// too many in a row.
    fn refused_redirect(&self, shown: &str, status: StatusCode, headers: &HeaderMap) -> Error {
        let here = url::Url::parse(&self.base_url).ok();
        let target = headers
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| here.as_ref()?.join(l).ok());
        let origin = |url: &url::Url| url.origin().ascii_serialization();
        Error::Redirect(Box::new(crate::error::RedirectError {
            platform: self.platform,
            status,
            url: shown.to_string(),
            target: target
                .filter(|t| here.as_ref().is_none_or(|h| t.origin() != h.origin()))
                .map(|t| origin(&t)),
            origin: here.as_ref().map(origin).unwrap_or_default(),
        }))
    }

    /// The error for an HTML page where the API's JSON was expected: the
    /// base URL points at a web page, not at the API.
    fn wrong_base_url(&self, shown: &Shown, status: StatusCode) -> Error {
        // What the path shows (a web page's address before the API's
        // path, a doubled /api) says more than the general form.
        let what_to_do = self
            .platform
            .base_path_mistake(&shown.path)
            .unwrap_or_else(|| format!("give {}", self.platform.base_url_form()));
        Error::config(format!(
            "{} {} answered {} with an HTML page instead of the {} API's JSON: the base URL {} \
             is probably wrong; {what_to_do}",
            shown.method,
            shown.url,
            status.as_u16(),
            self.platform,
            self.base_url,
        ))
    }
}

/// What an error may show of a request: its method, its URL without the
/// query (which may hold the token), and that URL's path.
struct Shown {
    method: reqwest::Method,
    url: String,
    path: String,
}

/// Whether sending `method` twice has the effect of sending it once.
fn is_idempotent(method: &reqwest::Method) -> bool {
    use reqwest::Method;
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
    ]
    .contains(method)
}

/// Whether `error` means the request never reached the server.
fn is_connect_failure(error: &Error) -> bool {
    matches!(error, Error::Transport(t) if t.connect)
}

/// A `reqwest` response from an answer already read, for the generated
/// client, with `url` as its URL.
fn rebuilt(answer: Answer, url: url::Url) -> reqwest::Response {
    respond(
        answer.status,
        answer.headers,
        url,
        reqwest::Body::from(answer.body),
    )
}

/// A response whose body fails when read, with `error` as the source of
/// the `reqwest` error: how a failure the pipeline found (a body over the
/// limit) reaches the generated client's caller, for
/// [`Error::from_generated`] to take back out.
fn carrying(error: Error, url: url::Url) -> reqwest::Response {
    let cause = error_body::Carried::new(error);
    let failing = futures::stream::once(async move { Err::<Bytes, _>(cause) });
    respond(
        StatusCode::OK,
        HeaderMap::new(),
        url,
        reqwest::Body::wrap_stream(failing),
    )
}

/// A `reqwest` response made of its parts.
fn respond(
    status: StatusCode,
    headers: HeaderMap,
    url: url::Url,
    body: reqwest::Body,
) -> reqwest::Response {
    use reqwest::ResponseBuilderExt;
    let mut builder = http::Response::builder().status(status).url(url);
    if let Some(slot) = builder.headers_mut() {
        *slot = headers;
    }
    match builder.body(body) {
        Ok(response) => reqwest::Response::from(response),
        // Only an invalid status or header given to the builder fails it,
        // and these came typed; should it fail, the caller gets a 500, not
        // a panic.
        Err(_) => {
            let mut response = http::Response::new(reqwest::Body::from(Bytes::new()));
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            reqwest::Response::from(response)
        }
    }
}

/// A body read against a limit: whole, or cut at the limit.
enum Body {
    Whole(Bytes),
    /// The first `limit` bytes; more followed and were not read.
    Cut(Bytes),
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};

    use super::*;
    use crate::http::builder::BuilderCore;

    /// A pipeline to `base_url` with quick retries, where
    /// `filterConversations` is marked safe to repeat.
    fn pipeline(base_url: &str) -> Http {
        let core = BuilderCore {
            base_url: Some(base_url.to_string()),
            token: Some("cw-token".into()),
            retry: RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(2))
                .max_attempts(3),
            ..BuilderCore::default()
        };
        let operations = Operations {
            ids: &[("filter_conversations", "filterConversations")],
            safe_to_repeat: &["filterConversations"],
        };
        core.build(Platform::Chatwoot, operations).unwrap()
    }

    /// A server answering 503 once, then 200.
    async fn busy_once() -> MockServer {
        let server = MockServer::start().await;
        let count = Arc::new(AtomicUsize::new(0));
        Mock::given(any())
            .respond_with(move |_: &Request| {
                if count.fetch_add(1, Ordering::SeqCst) == 0 {
                    ResponseTemplate::new(503)
                } else {
                    ResponseTemplate::new(200).set_body_string("{}")
                }
            })
            .mount(&server)
            .await;
        server
    }

    async fn post(http: &Http, operation: &'static str) -> reqwest::Response {
        let request = http
            .client
            .post(format!("{}/filter", http.base_url))
            .body("{\"payload\":[]}")
            .build()
            .unwrap();
        http.exec(request, operation).await.unwrap()
    }

    #[tokio::test]
    async fn a_post_that_reached_the_server_is_not_sent_again() {
        let server = busy_once().await;
        let http = pipeline(&server.uri());
        let response = post(&http, "create_message").await;
        assert_eq!(response.status(), 503);
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_post_the_spec_marks_safe_is_retried_like_a_get() {
        let server = busy_once().await;
        let http = pipeline(&server.uri());
        let response = post(&http, "filter_conversations").await;
        assert_eq!(response.status(), 200);
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
        assert_eq!(http.stats.retries(), 1);
    }

    #[tokio::test]
    async fn a_post_that_never_connected_is_retried() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let closed = listener.local_addr().unwrap();
        drop(listener);
        let http = pipeline(&format!("http://{closed}"));
        let request = http
            .client
            .post(format!("{}/messages", http.base_url))
            .body("{}")
            .build()
            .unwrap();
        assert!(http.exec(request, "create_message").await.is_err());
        assert_eq!(http.stats.requests(), 3, "every attempt, as none connected");
    }

    #[tokio::test]
    async fn a_get_is_retried() {
        let server = busy_once().await;
        let http = pipeline(&server.uri());
        let request = http
            .client
            .get(format!("{}/conversations", http.base_url))
            .build()
            .unwrap();
        let response = http.exec(request, "list_conversations").await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }

    /// A pipeline to `base_url` with `retry`, its token in the query
    /// string (where ChatbotX may want it), telling `heard` of each retry
    /// as (operation, method, path, attempt, max attempts, wait, error).
    #[allow(clippy::type_complexity)]
    fn watched(
        base_url: &str,
        retry: RetryPolicy,
    ) -> (
        Http,
        Arc<std::sync::Mutex<Vec<(String, String, String, u32, u32, Duration, String)>>>,
    ) {
        let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = Arc::clone(&heard);
        let core = BuilderCore {
            base_url: Some(base_url.to_string()),
            token: Some("cw-query-token".into()),
            token_in_query: true,
            retry,
            on_retry: Some(OnRetry(Arc::new(move |retry: &Retry<'_>| {
                sink.lock().unwrap().push((
                    retry.operation.to_string(),
                    retry.method.to_string(),
                    retry.path.to_string(),
                    retry.attempt,
                    retry.max_attempts,
                    retry.wait,
                    retry.error.to_string(),
                ));
            }))),
            ..BuilderCore::default()
        };
        let operations = Operations {
            ids: &[("list_conversations", "listConversations")],
            safe_to_repeat: &[],
        };
        (core.build(Platform::Chatwoot, operations).unwrap(), heard)
    }

    fn conversations(http: &Http) -> reqwest::Request {
        http.client
            .get(format!(
                "{}/api/v1/accounts/1/conversations?page=2",
                http.base_url
            ))
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn a_request_the_server_does_not_answer_shows_as_waiting() {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_string("{}")
                    .set_delay(Duration::from_millis(1500)),
            )
            .mount(&server)
            .await;
        let (http, heard) = watched(&server.uri(), RetryPolicy::default().max_attempts(4));
        assert_eq!(http.stats.waiting(), None, "nothing out yet");
        let sending = {
            let http = http.clone();
            tokio::spawn(async move { http.exec(conversations(&http), "list_conversations").await })
        };
        tokio::time::sleep(Duration::from_millis(500)).await;
        let waiting = http.stats.waiting().expect("the request is out");
        assert_eq!(waiting.operation, "listConversations");
        assert_eq!(waiting.method, reqwest::Method::GET);
        assert_eq!(waiting.path, "/api/v1/accounts/1/conversations");
        assert_eq!((waiting.attempt, waiting.max_attempts), (1, 4));
        assert_eq!(waiting.phase, Phase::Sending);
        assert!(waiting.elapsed >= Duration::from_millis(400), "{waiting:?}");
        assert!(waiting.phase_elapsed <= waiting.elapsed);
        assert_eq!(waiting.last_error, None);
        assert_eq!(waiting.outstanding, 1);
        assert!(!format!("{waiting:?}").contains("cw-query-token"));
        let response = sending.await.unwrap().unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(http.stats.waiting(), None, "nothing out after the answer");
        assert!(heard.lock().unwrap().is_empty(), "no retry");
    }

    #[tokio::test]
    async fn each_retry_is_heard_and_its_wait_shows_as_waiting() {
        let server = MockServer::start().await;
        let count = Arc::new(AtomicUsize::new(0));
        Mock::given(any())
            .respond_with(move |_: &Request| {
                if count.fetch_add(1, Ordering::SeqCst) < 2 {
                    ResponseTemplate::new(503).set_body_string("busy")
                } else {
                    ResponseTemplate::new(200).set_body_string("{}")
                }
            })
            .mount(&server)
            .await;
        let wait = Duration::from_millis(600);
        let policy = RetryPolicy::default()
            .max_attempts(5)
            .initial_backoff(wait)
            .max_backoff(wait)
            .jitter(false);
        let (http, heard) = watched(&server.uri(), policy);
        let sending = {
            let http = http.clone();
            tokio::spawn(async move { http.exec(conversations(&http), "list_conversations").await })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        let waiting = http.stats.waiting().expect("the retry's wait");
        assert_eq!(waiting.phase, Phase::Retrying { wait });
        assert_eq!((waiting.attempt, waiting.max_attempts), (2, 5));
        assert!(
            waiting.last_error.as_deref().unwrap_or("").starts_with(
                "503 Service Unavailable from chatwoot for /api/v1/accounts/1/conversations"
            ),
            "{waiting:?}"
        );
        let response = sending.await.unwrap().unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(http.stats.waiting(), None);
        assert_eq!(http.stats.retries(), 2);
        let heard = heard.lock().unwrap().clone();
        let attempts: Vec<_> = heard.iter().map(|h| (h.3, h.4)).collect();
        assert_eq!(
            attempts,
            [(2, 5), (3, 5)],
            "the attempt to come, of how many"
        );
        for (operation, method, path, _, _, heard_wait, error) in &heard {
            assert_eq!(operation, "listConversations");
            assert_eq!(method, "GET");
            assert_eq!(path, "/api/v1/accounts/1/conversations");
            assert_eq!(*heard_wait, wait);
            assert!(error.starts_with("503 Service Unavailable"), "{error}");
            assert!(!error.contains("cw-query-token"), "{error}");
        }
    }

    #[tokio::test]
    async fn a_cancelled_request_is_no_longer_waiting() {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
            .mount(&server)
            .await;
        let (http, _) = watched(&server.uri(), RetryPolicy::default());
        let request = conversations(&http);
        let outcome = tokio::time::timeout(
            Duration::from_millis(200),
            http.exec(request, "list_conversations"),
        )
        .await;
        assert!(outcome.is_err(), "still waiting when dropped");
        assert_eq!(http.stats.waiting(), None);
    }
}
