//! Shared test helpers: a local server on 127.0.0.1 that records requests
//! and answers with fixed bodies, and access to the fixtures.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A fixture file's bytes, from `tests/fixtures/`.
pub fn fixture(path: &str) -> Vec<u8> {
    let here = std::path::Path::new(file!())
        .parent()
        .unwrap_or(std::path::Path::new("."));
    let full = format!("{}/../fixtures/{path}", here.display());
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// A fixture file as text.
pub fn fixture_text(path: &str) -> String {
    String::from_utf8(fixture(path)).unwrap()
}

/// A server that answers every request with `status` and `body` of
/// `content_type`.
pub async fn server_answering(
    status: u16,
    content_type: &str,
    body: impl Into<Vec<u8>>,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.into(), content_type))
        .mount(&server)
        .await;
    server
}

/// A server that answers every request with 200 and the JSON `body`.
pub async fn json_server(body: impl Into<Vec<u8>>) -> MockServer {
    server_answering(200, "application/json", body).await
}

/// Every request the server received, in order.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The raw query string of a request, exactly as it arrived ("" if none).
pub fn query(request: &Request) -> &str {
    request.url.query().unwrap_or("")
}

/// A request header as text.
pub fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII header").to_string())
}

/// The User-Agent the crate sends by default.
pub const USER_AGENT: &str = concat!("chatdesk/", env!("CARGO_PKG_VERSION"));

/// Arrival times of requests, shared with a responder closure.
pub type Arrivals = std::sync::Arc<std::sync::Mutex<Vec<std::time::Instant>>>;

/// The largest number of requests that arrived within `window` of each
/// other: how many were in flight at once when each takes `window`.
pub fn max_overlap(arrivals: &Arrivals, window: std::time::Duration) -> usize {
    let mut times = arrivals.lock().unwrap().clone();
    times.sort();
    (0..times.len())
        .map(|i| {
            times[i..]
                .iter()
                .take_while(|t| **t - times[i] < window)
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// A query parameter's value, decoded.
pub fn param(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// An address on 127.0.0.1 where nothing listens: a port bound, then freed.
pub fn closed_address() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// Fast retries, so that tests do not wait.
pub fn quick() -> chatdesk::retry::RetryPolicy {
    chatdesk::retry::RetryPolicy::default()
        .initial_backoff(std::time::Duration::from_millis(1))
        .max_backoff(std::time::Duration::from_millis(5))
        .jitter(false)
}

/// A server that answers the first `failures` requests with `failure`,
/// then 200 with the JSON `body`.
pub async fn failing_then(failures: usize, failure: ResponseTemplate, body: &str) -> MockServer {
    let server = MockServer::start().await;
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let body = body.to_string();
    Mock::given(any())
        .respond_with(move |_: &Request| {
            if count.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < failures {
                failure.clone()
            } else {
                ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json")
            }
        })
        .mount(&server)
        .await;
    server
}

/// A server on 127.0.0.1 that answers every connection with 200 and a
/// chunked JSON body that never ends (a `[` then zeros and commas), or with
/// `announced` as its `Content-Length` and then the same endless bytes.
/// Returns its URL and a counter of the connections it took.
pub async fn endless_server(
    announced: Option<u64>,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicU64>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut request).await;
                let head = match announced {
                    Some(length) => format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\r\n"
                    ),
                    None => "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_string(),
                };
                if tokio::io::AsyncWriteExt::write_all(&mut socket, head.as_bytes())
                    .await
                    .is_err()
                {
                    return;
                }
                let piece = "0,".repeat(32 * 1024);
                let chunk = match announced {
                    Some(_) => piece.clone().into_bytes(),
                    None => format!("{:x}\r\n{piece}\r\n", piece.len()).into_bytes(),
                };
                // The client stops reading at its limit and closes: then
                // the writes fail and this ends.
                while tokio::io::AsyncWriteExt::write_all(&mut socket, &chunk)
                    .await
                    .is_ok()
                {}
            });
        }
    });
    (format!("http://{address}"), connections)
}
