//! How a [`Reply`] goes on the wire: whole, cut in half, dropped
//! mid-body or sent slowly, always with its `Content-Type` and a
//! `Content-Length`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;

use super::Shared;
use super::reply::Reply;

/// A response with the reply's status, `Content-Type` and `length` as
/// `Content-Length`.
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

/// The whole reply.
pub(super) fn plain(reply: Reply) -> Response {
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
pub(super) fn dropped(reply: Reply) -> Response {
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
pub(super) fn slow(reply: Reply, delay: Duration, shared: Arc<Shared>) -> Response {
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

/// The first half of the body only, with a `Content-Length` that matches
/// the cut body.
pub(super) fn truncated(mut reply: Reply) -> Response {
    let half = reply.body.len() / 2;
    reply.body.truncate(half);
    plain(reply)
}
