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
//! time spent waiting, so a retry storm ends.

use std::future::Future;
use std::time::Duration;

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
    /// full jitter; `Retry-After` honoured up to 60 s; at most 2 minutes of
    /// waiting in all for one request.
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

    /// The longest wait between two attempts.
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

    /// The most time spent waiting between attempts of one request; a retry
    /// whose wait would exceed it is not made.
    ///
    /// ```
    /// let p = chatdesk::retry::RetryPolicy::default().total_budget(std::time::Duration::from_secs(30));
    /// ```
    pub fn total_budget(mut self, budget: Duration) -> Self {
        self.total_budget = budget;
        self
    }

    /// The longest `Retry-After` honoured; a server asking for more is
    /// waited for this long.
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
    /// the error is not retried, the attempts are used up, or the wait
    /// would overrun the budget (`waited` so far).
    pub(crate) fn wait_before(
        &self,
        retry: u32,
        error: &Error,
        waited: Duration,
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
        (waited + wait <= self.total_budget).then_some(wait)
    }
}

/// Runs `attempt` (given the attempt number, from 1) until it succeeds, fails
/// for good, or `policy` says stop, sleeping between attempts on tokio's
/// clock. A retryable error is retried only where `may_repeat` allows (the
/// request's idempotency). `on_retry` hears of each retry: the attempt that
/// failed, the wait and the error.
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
    let mut waited = Duration::ZERO;
    let mut number = 1;
    loop {
        let error = match attempt(number).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let wait = may_repeat(&error)
            .then(|| policy.wait_before(number, &error, waited))
            .flatten();
        let Some(wait) = wait else {
            return Err(error);
        };
        on_retry(number, wait, &error);
        tokio::time::sleep(wait).await;
        waited += wait;
        number += 1;
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
