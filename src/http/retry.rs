//! When and how long to wait before sending a failed request again.
//!
//! A request is retried only when sending it again cannot repeat an effect:
//! its method is idempotent (GET, HEAD, PUT, DELETE, OPTIONS), the spec
//! marks its operation safe to repeat (`x-chatdesk-safe-to-repeat`, for
//! POST operations that only read), or it never reached the server (no
//! connection could be made). Such a request is retried on 408, 429,
//! 502, 503 and 504, on connection failures and timeouts, and on a body cut
//! short; never on another status or on a body that decoded into the wrong
//! shape. The wait is the server's `Retry-After` (seconds or an HTTP date)
//! when it sent one, up to [`RetryPolicy::max_retry_after`]; otherwise an
//! exponential backoff with full jitter, capped. A total budget bounds the
//! time from the first attempt's start to the start of the last one, so a
//! retry storm ends.
//!
//! Three bounds hold for every request, each on its own span of time:
//!
//! - **per attempt**: the client's request timeout (default 60 s), from the
//!   moment the attempt starts connecting until its whole body is read;
//!   within it, the connect timeout (default 10 s) bounds opening the
//!   connection;
//! - **between two attempts**: the wait, at most
//!   [`max_backoff`](RetryPolicy::max_backoff) (default 10 s), or a
//!   server's `Retry-After` up to
//!   [`max_retry_after`](RetryPolicy::max_retry_after) (default 60 s);
//! - **in total**: no retry starts later than
//!   [`total_budget`](RetryPolicy::total_budget) (default 2 minutes) after
//!   the first attempt started, the attempts' own time and the waits both
//!   counted; so one request takes at most the budget plus one request
//!   timeout (default 3 minutes), the waits for the client's own rate
//!   limiter aside (before the first attempt, which starts the clock, and
//!   before a retry).
//!
//! What a client is waiting for right now is
//! [`Stats::waiting`](crate::Stats::waiting); each retry as it happens is
//! heard with the builder's
//! [`on_retry`](crate::client::ClientBuilder::on_retry).

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use reqwest::Method;

use crate::error::Error;

/// How a client retries failed requests. A value: build one, set it on the
/// client builder with `.retry_policy(..)`, or turn retries off with
/// [`RetryPolicy::none`].
///
/// ```
/// use std::time::Duration;
/// use chatdesk::retry::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(8)
///     .initial_backoff(Duration::from_millis(500))
///     .max_backoff(Duration::from_secs(30))
///     .total_budget(Duration::from_secs(300));
/// assert_eq!(patient.attempts(), 8);
/// assert_eq!(RetryPolicy::none().attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    multiplier: f64,
    jitter: bool,
    total_budget: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Up to 5 attempts; backoff from 250 ms doubling to at most 10 s, with
    /// full jitter; `Retry-After` honoured up to 60 s; no retry starts more
    /// than 2 minutes after the first attempt started.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            multiplier: 2.0,
            jitter: true,
            total_budget: Duration::from_secs(120),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    ///
    /// ```
    /// assert_eq!(chatdesk::retry::RetryPolicy::none().attempts(), 1);
    /// ```
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    ///
    /// ```
    /// let p = chatdesk::retry::RetryPolicy::default().max_attempts(3);
    /// assert_eq!(p.attempts(), 3);
    /// ```
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry, doubled (by default) each time.
    ///
    /// ```
    /// let p = chatdesk::retry::RetryPolicy::default().initial_backoff(std::time::Duration::from_secs(1));
    /// ```
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest backoff between two attempts (default 10 s), when the
    /// server sent no `Retry-After`.
    ///
    /// ```
    /// let p = chatdesk::retry::RetryPolicy::default().max_backoff(std::time::Duration::from_secs(5));
    /// ```
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The growth of the backoff per attempt (default 2; at least 1).
    ///
    /// ```
    /// let p = chatdesk::retry::RetryPolicy::default().multiplier(1.5);
    /// ```
    pub fn multiplier(mut self, multiplier: f64) -> Self {
        self.multiplier = if multiplier.is_finite() {
            multiplier.max(1.0)
        } else {
            2.0
        };
        self
    }

    /// Whether waits are drawn at random between zero and the backoff
    /// ("full jitter", the default), so that many clients do not retry in
    /// step. Without jitter the wait is exactly the backoff.
    ///
    /// ```
    /// let exact = chatdesk::retry::RetryPolicy::default().jitter(false);
    /// ```
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The longest time from the start of a request's first attempt to the
    /// start of its last, the attempts' own time and the waits between them
    /// both counted (default 2 minutes): a retry that would start later is
    /// not made, and the last error is returned. The last attempt then has
    /// its own request timeout, so a request ends at most a budget plus a
    /// request timeout after its first attempt started (the waits for the
    /// client's own rate limiter aside).
    ///
    /// ```
    /// let p = chatdesk::retry::RetryPolicy::default().total_budget(std::time::Duration::from_secs(30));
    /// ```
    pub fn total_budget(mut self, budget: Duration) -> Self {
        self.total_budget = budget;
        self
    }

    /// The longest `Retry-After` honoured (default 60 s); a server asking
    /// for more is waited for this long. The wait still counts against the
    /// [`total_budget`](Self::total_budget).
    ///
    /// ```
    /// let p = chatdesk::retry::RetryPolicy::default().max_retry_after(std::time::Duration::from_secs(15));
    /// ```
    pub fn max_retry_after(mut self, bound: Duration) -> Self {
        self.max_retry_after = bound;
        self
    }

    /// Attempts in all, the first included.
    ///
    /// ```
    /// assert_eq!(chatdesk::retry::RetryPolicy::default().attempts(), 5);
    /// ```
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff before retry number `retry` (1 for the first retry),
    /// before jitter.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = chatdesk::retry::RetryPolicy::default().jitter(false);
    /// assert_eq!(p.backoff(1), Duration::from_millis(250));
    /// assert_eq!(p.backoff(3), Duration::from_secs(1));
    /// assert_eq!(p.backoff(30), Duration::from_secs(10));
    /// ```
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = self.multiplier.powi(retry.saturating_sub(1).min(64) as i32);
        let wait = self.initial_backoff.as_secs_f64() * factor;
        if !wait.is_finite() || wait >= self.max_backoff.as_secs_f64() {
            self.max_backoff
        } else {
            Duration::from_secs_f64(wait)
        }
    }

    /// The wait before retry number `retry` after `error`, or `None` when
    /// the error is not retried, the attempts are used up, or the retry
    /// would start past the budget (`elapsed` since the first attempt
    /// started).
    pub(crate) fn wait_before(
        &self,
        retry: u32,
        error: &Error,
        elapsed: Duration,
    ) -> Option<Duration> {
        if retry >= self.max_attempts || !error.is_retryable() {
            return None;
        }
        let retry_after = match error {
            Error::Api(api) => api.retry_after,
            _ => None,
        };
        let wait = match retry_after {
            Some(asked) => asked.min(self.max_retry_after),
            None if self.jitter => self.backoff(retry).mul_f64(fastrand::f64()),
            None => self.backoff(retry),
        };
        (elapsed + wait <= self.total_budget).then_some(wait)
    }
}

/// Runs `attempt` (given the attempt number, from 1) until it succeeds, fails
/// for good, or `policy` says stop, sleeping between attempts on tokio's
/// clock. A retryable error is retried only where `may_repeat` allows (the
/// request's idempotency). `on_retry` hears of each retry: the attempt that
/// failed, the wait and the error. The budget's clock starts now.
pub(crate) async fn run<T, F, Fut>(
    policy: &RetryPolicy,
    mut attempt: F,
    may_repeat: impl Fn(&Error) -> bool,
    mut on_retry: impl FnMut(u32, Duration, &Error),
) -> Result<T, Error>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let started = tokio::time::Instant::now();
    let mut number = 1;
    loop {
        let error = match attempt(number).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let wait = may_repeat(&error)
            .then(|| policy.wait_before(number, &error, started.elapsed()))
            .flatten();
        let Some(wait) = wait else {
            return Err(error);
        };
        on_retry(number, wait, &error);
        tokio::time::sleep(wait).await;
        number += 1;
    }
}

/// One retry, as the builder's
/// [`on_retry`](crate::client::ClientBuilder::on_retry) callback hears it,
/// just before the client waits: which request, the attempt to come, the
/// wait, and the error of the attempt that failed. It holds no secret: the
/// path has no query string (a ChatbotX token may travel there) and no
/// header is in it.
///
/// ```
/// # fn run() -> Result<(), chatdesk::Error> {
/// let client = chatdesk::chatwoot::Client::builder()
///     .base_url("https://chat.example.com")
///     .api_access_token("a-user-access-token")
///     .on_retry(|retry| {
///         eprintln!(
///             "retrying {} {} ({}) in {:.1} s, attempt {} of {}: {}",
///             retry.method,
///             retry.path,
///             retry.operation,
///             retry.wait.as_secs_f64(),
///             retry.attempt,
///             retry.max_attempts,
///             retry.error,
///         );
///     })
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Retry<'a> {
    /// The operation id from the spec, such as `listConversations`.
    pub operation: &'static str,
    /// The request's method.
    pub method: &'a Method,
    /// The URL path requested, the base URL's own path included, without
    /// the query string: `/api/v1/accounts/1/conversations`.
    pub path: &'a str,
    /// The number of the attempt that will be sent after the wait: 2 for
    /// the first retry.
    pub attempt: u32,
    /// The attempts the policy allows in all, the first included.
    pub max_attempts: u32,
    /// How long the client waits before that attempt.
    pub wait: Duration,
    /// Why the last attempt failed (a retryable status, a timeout, a
    /// connection failure, a body cut short). Scrubbed of the secrets.
    pub error: &'a Error,
}

/// What a request that a client has sent and not finished is doing, in
/// [`Waiting::phase`].
///
/// ```
/// use chatdesk::retry::Phase;
/// let phase = Phase::Retrying { wait: std::time::Duration::from_secs(2) };
/// assert!(matches!(phase, Phase::Retrying { .. }));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Phase {
    /// An attempt is out: connecting, waiting for the answer or reading
    /// its body.
    Sending,
    /// The last attempt failed; the client waits `wait` in all before the
    /// next one (see [`Waiting::phase_elapsed`] for how much has passed).
    Retrying {
        /// The whole wait before the next attempt.
        wait: Duration,
    },
    /// A retry waits for a slot of the client's own rate limiter.
    RateLimited,
}

/// The oldest request a client has sent and not finished, from
/// [`Stats::waiting`](crate::Stats::waiting): enough to tell a person what a
/// program is waiting for when a server is slow or does not answer. Like
/// [`Retry`], it holds no secret (a path without its query, no header).
///
/// ```no_run
/// # fn show(client: &chatdesk::chatwoot::Client) {
/// if let Some(waiting) = client.stats().waiting() {
///     if waiting.elapsed.as_secs() >= 3 {
///         eprintln!(
///             "waiting for {} {} ({}), attempt {} of {}, {} s",
///             waiting.method,
///             waiting.path,
///             waiting.operation,
///             waiting.attempt,
///             waiting.max_attempts,
///             waiting.elapsed.as_secs(),
///         );
///     }
/// }
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Waiting {
    /// The operation id from the spec, such as `listConversations`.
    pub operation: &'static str,
    /// The request's method.
    pub method: Method,
    /// The URL path requested, the base URL's own path included, without
    /// the query string.
    pub path: String,
    /// The attempt being sent, or the one waited for when
    /// [`phase`](Self::phase) is a retry's wait: 1 for the first.
    pub attempt: u32,
    /// The attempts the policy allows in all, the first included.
    pub max_attempts: u32,
    /// The time since the first attempt started (after the rate limiter let
    /// it go), the retries' waits and attempts included.
    pub elapsed: Duration,
    /// What the request is doing now.
    pub phase: Phase,
    /// The time since the request entered its phase: how long this attempt
    /// has been out, or how long this retry has waited so far.
    pub phase_elapsed: Duration,
    /// The message of the last failed attempt's error, once an attempt
    /// failed. Scrubbed of the secrets.
    pub last_error: Option<String>,
    /// How many requests of the client (and its clones) are out in all,
    /// this one included.
    pub outstanding: usize,
}

/// The requests of a client that have started and not finished, oldest
/// first, behind one lock taken a few times per request.
#[derive(Debug, Default)]
pub(crate) struct Outstanding {
    next: u64,
    requests: BTreeMap<u64, Entry>,
}

/// One request in [`Outstanding`].
#[derive(Debug)]
struct Entry {
    operation: &'static str,
    method: Method,
    path: String,
    attempt: u32,
    max_attempts: u32,
    started: Instant,
    phase: Phase,
    phase_started: Instant,
    last_error: Option<String>,
}

impl Outstanding {
    /// The oldest request, as a [`Waiting`].
    pub(crate) fn oldest(&self) -> Option<Waiting> {
        let (_, entry) = self.requests.first_key_value()?;
        let now = Instant::now();
        Some(Waiting {
            operation: entry.operation,
            method: entry.method.clone(),
            path: entry.path.clone(),
            attempt: entry.attempt,
            max_attempts: entry.max_attempts,
            elapsed: now.saturating_duration_since(entry.started),
            phase: entry.phase,
            phase_elapsed: now.saturating_duration_since(entry.phase_started),
            last_error: entry.last_error.clone(),
            outstanding: self.requests.len(),
        })
    }
}

/// One request's place in [`Outstanding`], from its first attempt to its
/// end: dropped (finished, failed or cancelled), it leaves.
pub(crate) struct Watch {
    all: Arc<Mutex<Outstanding>>,
    id: u64,
}

impl Watch {
    /// Enters a request whose first attempt starts now.
    pub(crate) fn start(
        all: &Arc<Mutex<Outstanding>>,
        operation: &'static str,
        method: &Method,
        path: &str,
        max_attempts: u32,
    ) -> Watch {
        let now = Instant::now();
        let mut guard = all.lock().unwrap_or_else(PoisonError::into_inner);
        let id = guard.next;
        guard.next += 1;
        guard.requests.insert(
            id,
            Entry {
                operation,
                method: method.clone(),
                path: path.to_owned(),
                attempt: 1,
                max_attempts,
                started: now,
                phase: Phase::Sending,
                phase_started: now,
                last_error: None,
            },
        );
        drop(guard);
        Watch {
            all: Arc::clone(all),
            id,
        }
    }

    /// Attempt `attempt` enters `phase`; `error`, when given, is the last
    /// failure's message.
    pub(crate) fn enter(&self, attempt: u32, phase: Phase, error: Option<String>) {
        let mut guard = self.all.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = guard.requests.get_mut(&self.id) {
            entry.attempt = attempt;
            entry.phase = phase;
            entry.phase_started = Instant::now();
            if error.is_some() {
                entry.last_error = error;
            }
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut guard = self.all.lock().unwrap_or_else(PoisonError::into_inner);
        guard.requests.remove(&self.id);
    }
}

/// The builder's retry callback, shared by a client's clones.
#[derive(Clone)]
pub(crate) struct OnRetry(pub(crate) Arc<dyn Fn(&Retry<'_>) + Send + Sync>);

impl std::fmt::Debug for OnRetry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnRetry(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Platform;
    use crate::http::error_body::{api_error, decode_error};
    use reqwest::StatusCode;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
    use std::cell::RefCell;
    use tokio::time::Instant;

    fn status(code: u16) -> Error {
        api_error(
            Platform::Chatwoot,
            StatusCode::from_u16(code).unwrap(),
            &HeaderMap::new(),
            b"Retry later",
            &[],
        )
    }

    fn status_with_retry_after(code: u16, value: &str) -> Error {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        api_error(
            Platform::Chatbotx,
            StatusCode::from_u16(code).unwrap(),
            &headers,
            b"{}",
            &[],
        )
    }

    /// Runs `policy` against `script` (one outcome per attempt, the last one
    /// repeated); returns the attempts made, the virtual time spent and the
    /// waits reported, and whether it succeeded.
    async fn play(
        policy: RetryPolicy,
        script: Vec<fn() -> Result<u32, Error>>,
    ) -> (u32, Duration, Vec<Duration>, bool) {
        let start = Instant::now();
        let waits = RefCell::new(Vec::new());
        let attempts = RefCell::new(0);
        let outcome = run(
            &policy,
            |n| {
                *attempts.borrow_mut() = n;
                let step = script[(n as usize - 1).min(script.len() - 1)];
                async move { step() }
            },
            |_| true,
            |_, wait, _| waits.borrow_mut().push(wait),
        )
        .await;
        (
            attempts.into_inner(),
            start.elapsed(),
            waits.into_inner(),
            outcome.is_ok(),
        )
    }

    fn exact() -> RetryPolicy {
        RetryPolicy::default().jitter(false)
    }

    #[tokio::test(start_paused = true)]
    async fn retryable_statuses_back_off_exponentially_then_succeed() {
        let (attempts, elapsed, waits, ok) = play(
            exact(),
            vec![
                || Err(status(503)),
                || Err(status(429)),
                || Err(status(502)),
                || Ok(1),
            ],
        )
        .await;
        assert!(ok);
        assert_eq!(attempts, 4);
        assert_eq!(
            waits,
            [
                Duration::from_millis(250),
                Duration::from_millis(500),
                Duration::from_secs(1)
            ]
        );
        assert_eq!(elapsed, Duration::from_millis(1750));
    }

    #[tokio::test(start_paused = true)]
    async fn attempts_are_capped() {
        let (attempts, elapsed, waits, ok) = play(exact(), vec![|| Err(status(504))]).await;
        assert!(!ok);
        assert_eq!(attempts, 5);
        assert_eq!(waits.len(), 4);
        assert_eq!(elapsed, Duration::from_millis(250 + 500 + 1000 + 2000));
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_is_obeyed_up_to_the_bound() {
        let (_, elapsed, waits, ok) = play(
            exact(),
            vec![|| Err(status_with_retry_after(429, "7")), || Ok(1)],
        )
        .await;
        assert!(ok);
        assert_eq!(waits, [Duration::from_secs(7)]);
        assert_eq!(elapsed, Duration::from_secs(7));

        let (_, _, waits, _) = play(
            exact(),
            vec![|| Err(status_with_retry_after(503, "3600")), || Ok(1)],
        )
        .await;
        assert_eq!(
            waits,
            [Duration::from_secs(60)],
            "bounded by max_retry_after"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn other_errors_are_not_retried() {
        for script in [
            vec![(|| Err(status(404))) as fn() -> Result<u32, Error>],
            vec![|| Err(status(401))],
            vec![|| Err(status(500))],
            vec![|| Err(status(422))],
            vec![|| Err(Error::invalid_input("x"))],
            vec![|| {
                Err(decode_error(
                    Platform::Chatwoot,
                    "op",
                    None,
                    "data",
                    "wrong type",
                    b"{}",
                    &[],
                    false,
                ))
            }],
        ] {
            let (attempts, elapsed, _, ok) = play(exact(), script).await;
            assert!(!ok);
            assert_eq!((attempts, elapsed), (1, Duration::ZERO));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_cut_short_is_retried() {
        let (attempts, _, _, ok) = play(
            exact(),
            vec![
                || {
                    Err(decode_error(
                        Platform::Chatbotx,
                        "op",
                        None,
                        "",
                        "ends early",
                        b"{\"data\":[",
                        &[],
                        true,
                    ))
                },
                || Ok(1),
            ],
        )
        .await;
        assert!(ok);
        assert_eq!(attempts, 2);
    }

    #[tokio::test(start_paused = true)]
    async fn the_total_budget_ends_a_retry_storm() {
        let policy = exact()
            .max_attempts(100)
            .initial_backoff(Duration::from_secs(1))
            .max_backoff(Duration::from_secs(1))
            .total_budget(Duration::from_secs(5));
        let (attempts, elapsed, waits, ok) = play(policy, vec![|| Err(status(503))]).await;
        assert!(!ok);
        assert_eq!(waits.len(), 5);
        assert_eq!(attempts, 6);
        assert_eq!(elapsed, Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn the_budget_counts_the_attempts_own_time() {
        // Each attempt takes 2 s, each wait 1 s, the budget is 5 s: the
        // second attempt starts at 3 s and fails at 5 s, when a retry would
        // start at 6 s, past the budget.
        let policy = exact()
            .max_attempts(100)
            .initial_backoff(Duration::from_secs(1))
            .max_backoff(Duration::from_secs(1))
            .total_budget(Duration::from_secs(5));
        let start = Instant::now();
        let attempts = RefCell::new(0);
        let outcome: Result<u32, Error> = run(
            &policy,
            |n| {
                *attempts.borrow_mut() = n;
                async {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    Err(status(503))
                }
            },
            |_| true,
            |_, _, _| {},
        )
        .await;
        assert!(outcome.is_err());
        assert_eq!(attempts.into_inner(), 2);
        assert_eq!(start.elapsed(), Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn none_sends_once() {
        let (attempts, elapsed, _, ok) = play(RetryPolicy::none(), vec![|| Err(status(503))]).await;
        assert_eq!((attempts, elapsed, ok), (1, Duration::ZERO, false));
    }

    #[tokio::test(start_paused = true)]
    async fn jitter_stays_within_the_backoff() {
        let (_, _, waits, _) = play(RetryPolicy::default(), vec![|| Err(status(503))]).await;
        let policy = RetryPolicy::default();
        for (i, wait) in waits.iter().enumerate() {
            assert!(*wait <= policy.backoff(i as u32 + 1), "{wait:?}");
        }
    }
}
