//! The fault rolls and the counters: what [`Faults`] decide for each
//! request, drawn from the fault seed, and what the fake has answered so
//! far ([`FakeStats`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;

use crate::{FakeStats, Faults};

/// The fault settings with their random source and the rate-limit window.
pub(super) struct FaultState {
    faults: Faults,
    rng: fastrand::Rng,
    /// When the current rate-limit window began; none before the first
    /// request.
    window_start: Option<Instant>,
    window_count: u64,
}

/// What the faults decided for one request.
#[derive(Default)]
pub(super) struct Decision {
    pub(super) latency: Duration,
    pub(super) rate_limited: bool,
    pub(super) error: Option<StatusCode>,
    pub(super) drop: bool,
    pub(super) truncate: bool,
    pub(super) slow: Option<Duration>,
}

impl FaultState {
    pub(super) fn new(faults: Faults) -> Self {
        FaultState {
            rng: fastrand::Rng::with_seed(faults.seed),
            faults,
            window_start: None,
            window_count: 0,
        }
    }

    /// Rolls every fault for one request. Every roll is drawn each time,
    /// whatever the rates, so a fault seed gives the same sequence of
    /// decisions for the same sequence of requests.
    pub(super) fn decide(&mut self) -> Decision {
        let FaultState {
            faults,
            rng,
            window_start,
            window_count,
        } = self;
        let error_roll = rng.f64();
        let error_pick = rng.usize(..3);
        let burst_roll = rng.f64();
        let drop_roll = rng.f64();
        let truncate_roll = rng.f64();
        let slow_roll = rng.f64();

        let mut rate_limited = burst_roll < faults.burst_429_rate;
        if let Some(limit) = &faults.rate_limit {
            let now = Instant::now();
            let expired =
                window_start.is_none_or(|start| now.duration_since(start) >= limit.window);
            if expired || limit.window.is_zero() {
                *window_start = Some(now);
                *window_count = 0;
            }
            *window_count += 1;
            if *window_count > u64::from(limit.requests) {
                rate_limited = true;
            }
        }
        let error = (error_roll < faults.error_rate).then(|| {
            [
                StatusCode::INTERNAL_SERVER_ERROR,
                StatusCode::BAD_GATEWAY,
                StatusCode::SERVICE_UNAVAILABLE,
            ][error_pick]
        });
        Decision {
            latency: faults.latency,
            rate_limited,
            error,
            drop: drop_roll < faults.drop_rate,
            truncate: truncate_roll < faults.truncate_rate,
            slow: (slow_roll < faults.slow_body_rate).then_some(faults.slow_body_delay),
        }
    }
}

/// What the fake has answered so far, counted as it goes.
#[derive(Default)]
pub(super) struct Counters {
    pub(super) requests: AtomicU64,
    pub(super) errors: AtomicU64,
    pub(super) rate_limited: AtomicU64,
    pub(super) dropped: AtomicU64,
    pub(super) truncated: AtomicU64,
    pub(super) slow: AtomicU64,
}

impl Counters {
    /// Adds one to `counter`.
    pub(super) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The counts as they stand.
    pub(super) fn stats(&self) -> FakeStats {
        FakeStats {
            requests: self.requests.load(Ordering::Relaxed),
            errors: self.errors.load(Ordering::Relaxed),
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            truncated: self.truncated.load(Ordering::Relaxed),
            slow: self.slow.load(Ordering::Relaxed),
        }
    }
}
