//! What both fakes share: the axum server on 127.0.0.1 and the way every
//! request goes through it (count it, roll the faults, let the platform
//! answer, damage the body if the faults say so). The fault rolls and
//! counters are in [`faults`], the wire forms of a reply in [`body`], the
//! bracket-notation query string in [`query`].

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use tokio::sync::watch;

use crate::{FakeStats, Faults, chatbotx, chatwoot};

mod body;
mod faults;
pub(crate) mod query;
mod reply;

use faults::{Counters, FaultState};
pub(crate) use reply::{Incoming, Reply};

/// Which platform a running fake plays.
pub(crate) enum Backend {
    Chatwoot(chatwoot::Fake),
    Chatbotx(chatbotx::Fake),
}

impl Backend {
    fn handle(&self, request: &Incoming<'_>, now_millis: i64) -> Reply {
        match self {
            Backend::Chatwoot(fake) => fake.handle(request, now_millis),
            Backend::Chatbotx(fake) => fake.handle(request),
        }
    }

    fn too_many_requests(&self) -> Reply {
        match self {
            Backend::Chatwoot(_) => chatwoot::too_many_requests(),
            Backend::Chatbotx(_) => chatbotx::too_many_requests(),
        }
    }

    /// Where the data set's attachment (and avatar) URLs begin.
    fn storage_base(&self) -> &'static str {
        match self {
            Backend::Chatwoot(_) => chatwoot::STORAGE_BASE,
            Backend::Chatbotx(_) => chatbotx::STORAGE_BASE,
        }
    }

    fn server_error(&self, status: StatusCode) -> Reply {
        match self {
            Backend::Chatwoot(_) => chatwoot::server_error(status),
            Backend::Chatbotx(_) => chatbotx::server_error(status),
        }
    }
}

/// The largest request body a fake reads.
const MAX_BODY: usize = 1 << 20;

/// The state every request handler shares.
pub(crate) struct Shared {
    pub(crate) backend: Backend,
    faults: Mutex<FaultState>,
    counters: Counters,
    shutdown: watch::Receiver<bool>,
    started: Instant,
    /// The fake's clock at start, in Unix milliseconds.
    clock_base_millis: i64,
    /// Replaces [`Backend::storage_base`] in the answers.
    storage_base: Option<String>,
}

/// Locks `mutex`, going on with the data if a panic poisoned it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Reads `data`, going on if a panic poisoned it.
pub(crate) fn read<T>(data: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    data.read().unwrap_or_else(PoisonError::into_inner)
}

/// Writes `data`, going on if a panic poisoned it.
pub(crate) fn write<T>(data: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    data.write().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// The fake's clock: the data set's "now" plus the time since start.
    pub(crate) fn now_millis(&self) -> i64 {
        let elapsed = i64::try_from(self.started.elapsed().as_millis()).unwrap_or(i64::MAX / 2);
        self.clock_base_millis.saturating_add(elapsed)
    }

    /// What the fake has answered so far.
    pub(crate) fn stats(&self) -> FakeStats {
        self.counters.stats()
    }

    /// Replaces the faults; the rolls and the rate-limit window restart.
    pub(crate) fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = FaultState::new(faults);
    }

    /// Waits `duration`, or less if the fake shuts down meanwhile.
    async fn sleep(&self, duration: Duration) {
        if duration.is_zero() {
            return;
        }
        let mut shutdown = self.shutdown.clone();
        tokio::select! {
            () = tokio::time::sleep(duration) => {}
            _ = shutdown.wait_for(|stopped| *stopped) => {}
        }
    }
}

/// Replaces `from` with `to` in a reply's body (the storage URLs of a fake
/// told to point them elsewhere).
fn rebase(reply: &mut Reply, from: &str, to: &str) {
    if let Ok(text) = std::str::from_utf8(&reply.body)
        && text.contains(from)
    {
        reply.body = text.replace(from, to).into_bytes();
    }
}

/// Starts serving `backend` on a free port of 127.0.0.1.
pub(crate) async fn start(
    backend: Backend,
    faults: Faults,
    clock_base_millis: i64,
    storage_base: Option<String>,
) -> std::io::Result<(Arc<Shared>, SocketAddr, watch::Sender<bool>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let shared = Arc::new(Shared {
        backend,
        faults: Mutex::new(FaultState::new(faults)),
        counters: Counters::default(),
        shutdown: stopped.clone(),
        started: Instant::now(),
        clock_base_millis,
        storage_base,
    });
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(Arc::clone(&shared));
    let mut until = stopped;
    tokio::spawn(async move {
        let serving = axum::serve(listener, app).with_graceful_shutdown(async move {
            // An error means the sender is gone: stop as well.
            let _ = until.wait_for(|stopped| *stopped).await;
        });
        if let Err(e) = serving.await {
            tracing::debug!(error = %e, "fake server stopped");
        }
    });
    Ok((shared, address, stop))
}

/// Every request: count it, roll the faults, answer, then damage the body
/// if the faults say so.
async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let counters = &shared.counters;
    Counters::bump(&counters.requests);
    let decision = lock(&shared.faults).decide();
    shared.sleep(decision.latency).await;

    let reply = if decision.rate_limited {
        Counters::bump(&counters.rate_limited);
        shared.backend.too_many_requests()
    } else if let Some(status) = decision.error {
        Counters::bump(&counters.errors);
        shared.backend.server_error(status)
    } else {
        let query = request
            .uri()
            .query()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        let (parts, body) = request.into_parts();
        // A body too large or cut short is read as an empty one.
        let body = axum::body::to_bytes(body, MAX_BODY)
            .await
            .unwrap_or_default();
        let incoming = Incoming {
            method: &parts.method,
            path: parts.uri.path(),
            query,
            headers: &parts.headers,
            body: &body,
        };
        let mut reply = shared.backend.handle(&incoming, shared.now_millis());
        if let Some(base) = &shared.storage_base {
            rebase(&mut reply, shared.backend.storage_base(), base);
        }
        reply
    };

    if decision.drop {
        Counters::bump(&counters.dropped);
        return body::dropped(reply);
    }
    if decision.truncate && reply.status == StatusCode::OK {
        Counters::bump(&counters.truncated);
        return body::truncated(reply);
    }
    if let Some(delay) = decision.slow {
        Counters::bump(&counters.slow);
        return body::slow(reply, delay, Arc::clone(&shared));
    }
    body::plain(reply)
}
