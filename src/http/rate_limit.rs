//! Client-side rate limiting, so that large exports never meet a 429.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::error::Error;
use crate::platform::Platform;

/// At most `requests` requests in any window of `per`. Set it on a client
/// builder with `.rate_limit(..)`; clones of a client share it.
///
/// A sliding window is kept, so no window of that length, wherever it
/// starts, sees more requests: this also satisfies servers that count in
/// fixed windows, such as ChatbotX's 120 requests per 10 seconds.
///
/// ```
/// use std::time::Duration;
/// use chatdesk::rate_limit::RateLimit;
///
/// let chatbotx = RateLimit::chatbotx();
/// assert_eq!(chatbotx, RateLimit::new(120, Duration::from_secs(10)).unwrap());
/// assert!(RateLimit::new(0, Duration::from_secs(1)).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimit {
    requests: u32,
    per: Duration,
}

impl RateLimit {
    /// At most `requests` requests in any window of `per`.
    ///
    /// ```
    /// let ten_a_second = chatdesk::rate_limit::RateLimit::new(10, std::time::Duration::from_secs(1)).unwrap();
    /// ```
    pub fn new(requests: u32, per: Duration) -> Result<Self, Error> {
        if requests == 0 || per.is_zero() {
            return Err(Error::config(
                "a rate limit needs at least one request per window and a window longer than zero",
            ));
        }
        Ok(RateLimit { requests, per })
    }

    /// ChatbotX's limit per workspace: 120 requests per 10 seconds.
    ///
    /// ```
    /// let limit = chatdesk::rate_limit::RateLimit::chatbotx();
    /// ```
    pub fn chatbotx() -> Self {
        Self::of(Platform::Chatbotx)
    }

    /// Chatwoot's default limit per IP address: 3000 requests per minute
    /// (a server's operator can change it).
    ///
    /// ```
    /// let limit = chatdesk::rate_limit::RateLimit::chatwoot();
    /// ```
    pub fn chatwoot() -> Self {
        Self::of(Platform::Chatwoot)
    }

    /// The platform's published limit.
    fn of(platform: Platform) -> Self {
        let (requests, per) = platform.rate_limit();
        RateLimit { requests, per }
    }
}

/// The shared state of a [`RateLimit`]: when the recent requests were sent.
#[derive(Clone, Debug)]
pub(crate) struct Limiter {
    limit: RateLimit,
    sent: Arc<Mutex<VecDeque<Instant>>>,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Limiter {
            sent: Arc::new(Mutex::new(VecDeque::with_capacity(limit.requests as usize))),
            limit,
        }
    }

    /// The window as the limiter keeps it: a little longer than the
    /// server's (2 %, at least 50 ms), because the server counts a request
    /// when it arrives, a moment after the client counted it, and its
    /// window may start with that moment.
    fn window(&self) -> Duration {
        self.limit.per + (self.limit.per / 50).max(Duration::from_millis(50))
    }

    /// Waits until one more request fits in the window, and counts it.
    pub(crate) async fn acquire(&self) {
        let window = self.window();
        loop {
            let wait = {
                let now = Instant::now();
                let mut sent = self
                    .sent
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                while sent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= window)
                {
                    sent.pop_front();
                }
                if sent.len() < self.limit.requests as usize {
                    sent.push_back(now);
                    return;
                }
                // Full: wait until the oldest request leaves the window.
                sent.front().map_or(Duration::ZERO, |oldest| {
                    window.saturating_sub(now.duration_since(*oldest))
                })
            };
            tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limit: waiting");
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn no_window_sees_more_than_the_limit() {
        let limiter = Limiter::new(RateLimit::new(3, Duration::from_secs(10)).unwrap());
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..7 {
            limiter.acquire().await;
            times.push(start.elapsed());
        }
        let secs: Vec<u64> = times.iter().map(|t| t.as_secs()).collect();
        assert_eq!(secs, [0, 0, 0, 10, 10, 10, 20]);
    }
}
