//! What both fakes share: the axum server, the fault injection, the
//! counters and the query-string parsing.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use tokio::sync::watch;

use super::{FakeStats, Faults, chatbotx, chatwoot};

/// A finished answer before the body faults are applied.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    /// A JSON reply.
    pub(crate) fn json(status: StatusCode, value: &serde_json::Value) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            body: serde_json::to_vec(value).unwrap_or_default(),
        }
    }

    /// A JSON reply of an already serialized body.
    pub(crate) fn json_bytes(status: StatusCode, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            body,
        }
    }

    /// An HTML page.
    pub(crate) fn html(status: StatusCode, page: &str) -> Reply {
        Reply {
            status,
            content_type: "text/html; charset=utf-8",
            body: page.as_bytes().to_vec(),
        }
    }

    /// Plain text.
    pub(crate) fn text(status: StatusCode, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: text.as_bytes().to_vec(),
        }
    }
}

/// One incoming request, reduced to what the fakes look at.
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a Method,
    /// The path as sent (still percent-encoded).
    pub(crate) path: &'a str,
    /// The query pairs, decoded, in order.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: &'a HeaderMap,
}

impl Incoming<'_> {
    /// The value of a header, if it is present and text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

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

    fn server_error(&self, status: StatusCode) -> Reply {
        match self {
            Backend::Chatwoot(_) => chatwoot::server_error(status),
            Backend::Chatbotx(_) => chatbotx::server_error(status),
        }
    }
}

/// The fault settings with their random source and the rate-limit window.
struct FaultState {
    faults: Faults,
    rng: fastrand::Rng,
    /// When the current rate-limit window began; none before the first
    /// request.
    window_start: Option<Instant>,
    window_count: u64,
}

impl FaultState {
    fn new(faults: Faults) -> Self {
        FaultState {
            rng: fastrand::Rng::with_seed(faults.seed),
            faults,
            window_start: None,
            window_count: 0,
        }
    }
}

/// What the faults decided for one request.
#[derive(Default)]
struct Decision {
    latency: Duration,
    rate_limited: bool,
    error: Option<StatusCode>,
    drop: bool,
    truncate: bool,
    slow: Option<Duration>,
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    errors: AtomicU64,
    rate_limited: AtomicU64,
    dropped: AtomicU64,
    truncated: AtomicU64,
    slow: AtomicU64,
}

/// The state every request handler shares.
pub(crate) struct Shared {
    pub(crate) backend: Backend,
    faults: Mutex<FaultState>,
    counters: Counters,
    shutdown: watch::Receiver<bool>,
    started: Instant,
    /// The fake's clock at start, in Unix milliseconds.
    clock_base_millis: i64,
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

    pub(crate) fn stats(&self) -> FakeStats {
        let c = &self.counters;
        FakeStats {
            requests: c.requests.load(Ordering::Relaxed),
            errors: c.errors.load(Ordering::Relaxed),
            rate_limited: c.rate_limited.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
            truncated: c.truncated.load(Ordering::Relaxed),
            slow: c.slow.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = FaultState::new(faults);
    }

    /// Rolls every fault for one request. Every roll is drawn each time,
    /// whatever the rates, so a fault seed gives the same sequence of
    /// decisions for the same sequence of requests.
    fn decide(&self) -> Decision {
        let mut state = lock(&self.faults);
        let FaultState {
            faults,
            rng,
            window_start,
            window_count,
        } = &mut *state;
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

/// Starts serving `backend` on a free port of 127.0.0.1.
pub(crate) async fn start(
    backend: Backend,
    faults: Faults,
    clock_base_millis: i64,
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
    counters.requests.fetch_add(1, Ordering::Relaxed);
    let decision = shared.decide();
    shared.sleep(decision.latency).await;

    let reply = if decision.rate_limited {
        counters.rate_limited.fetch_add(1, Ordering::Relaxed);
        shared.backend.too_many_requests()
    } else if let Some(status) = decision.error {
        counters.errors.fetch_add(1, Ordering::Relaxed);
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
        let incoming = Incoming {
            method: request.method(),
            path: request.uri().path(),
            query,
            headers: request.headers(),
        };
        shared.backend.handle(&incoming, shared.now_millis())
    };

    if decision.drop {
        counters.dropped.fetch_add(1, Ordering::Relaxed);
        return dropped(reply);
    }
    if decision.truncate && reply.status == StatusCode::OK {
        counters.truncated.fetch_add(1, Ordering::Relaxed);
        let mut reply = reply;
        let half = reply.body.len() / 2;
        reply.body.truncate(half);
        return plain(reply);
    }
    if let Some(delay) = decision.slow {
        counters.slow.fetch_add(1, Ordering::Relaxed);
        return slow(reply, delay, Arc::clone(&shared));
    }
    plain(reply)
}

fn with_headers(
    reply_status: StatusCode,
    content_type: &'static str,
    length: usize,
    body: Body,
) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = reply_status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    response
}

fn plain(reply: Reply) -> Response {
    let length = reply.body.len();
    with_headers(
        reply.status,
        reply.content_type,
        length,
        Body::from(reply.body),
    )
}

/// Announces the whole length, sends half, then fails the body so that
/// the server aborts the connection.
fn dropped(reply: Reply) -> Response {
    let length = reply.body.len();
    let mut body = Bytes::from(reply.body);
    let first = body.split_to(length / 2);
    let stream = async_stream::stream! {
        yield Ok::<Bytes, std::io::Error>(first);
        // Let the headers and the first half reach the client before the
        // connection is cut.
        tokio::time::sleep(Duration::from_millis(20)).await;
        yield Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fake: connection dropped mid-body",
        ));
    };
    with_headers(
        reply.status,
        reply.content_type,
        length,
        Body::from_stream(stream),
    )
}

/// Sends the headers and half the body, waits `delay`, then the rest.
fn slow(reply: Reply, delay: Duration, shared: Arc<Shared>) -> Response {
    let length = reply.body.len();
    let mut rest = Bytes::from(reply.body);
    let first = rest.split_to(length / 2);
    let stream = async_stream::stream! {
        yield Ok::<Bytes, std::io::Error>(first);
        shared.sleep(delay).await;
        yield Ok(rest);
    };
    with_headers(
        reply.status,
        reply.content_type,
        length,
        Body::from_stream(stream),
    )
}

/// Where a query key's name ends: `contactFilter[operator]` is `contactFilter`.
pub(crate) fn base_name(key: &str) -> &str {
    key.find('[').map_or(key, |i| &key[..i])
}

/// The bracket segments after the base name: `a[b][0][]` gives
/// `["b", "0", ""]`; `None` when the key is not well-formed bracket
/// notation.
pub(crate) fn bracket_segments(key: &str) -> Option<Vec<&str>> {
    let mut rest = &key[base_name(key).len()..];
    let mut segments = Vec::new();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[')?;
        let close = inner.find(']')?;
        segments.push(&inner[..close]);
        rest = &inner[close + 1..];
    }
    Some(segments)
}

/// Builds the object that bracket-notation pairs describe, such as
/// `{"operator": "and", "conditions": [{"field": "email"}]}` from
/// `x[operator]=and&x[conditions][0][field]=email`. Objects whose keys are
/// all numbers become arrays (in index order); `[]` appends.
pub(crate) fn bracket_object<'a>(
    pairs: impl IntoIterator<Item = (&'a [&'a str], &'a str)>,
) -> serde_json::Value {
    use serde_json::{Map, Value};
    let mut root = Value::Object(Map::new());
    for (segments, value) in pairs {
        insert_path(&mut root, segments, value);
    }
    arrays_from_indexes(root)
}

fn insert_path(node: &mut serde_json::Value, segments: &[&str], value: &str) {
    use serde_json::{Map, Value};
    let Some((first, rest)) = segments.split_first() else {
        *node = Value::String(value.to_string());
        return;
    };
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    let Value::Object(map) = node else {
        return;
    };
    let key = if first.is_empty() {
        // `[]`: the next free index.
        (0..)
            .map(|i: usize| i.to_string())
            .find(|k| !map.contains_key(k))
            .unwrap_or_default()
    } else {
        (*first).to_string()
    };
    let child = map.entry(key).or_insert(Value::Null);
    insert_path(child, rest, value);
}

fn arrays_from_indexes(node: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match node {
        Value::Object(map) => {
            let numeric = !map.is_empty() && map.keys().all(|k| k.parse::<usize>().is_ok());
            if numeric {
                let mut items: Vec<(usize, Value)> = map
                    .into_iter()
                    .filter_map(|(k, v)| {
                        k.parse::<usize>().ok().map(|i| (i, arrays_from_indexes(v)))
                    })
                    .collect();
                items.sort_by_key(|(i, _)| *i);
                Value::Array(items.into_iter().map(|(_, v)| v).collect())
            } else {
                Value::Object(
                    map.into_iter()
                        .map(|(k, v)| (k, arrays_from_indexes(v)))
                        .collect(),
                )
            }
        }
        other => other,
    }
}
