//! What a fake's handlers take and give: the request reduced to what the
//! fakes look at ([`Incoming`]), and the finished answer ([`Reply`]) that
//! [`super::body`] then puts on the wire, damaged or not.

use axum::http::{HeaderMap, Method, StatusCode};
use serde::Serialize;

/// A finished answer before the body faults are applied.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    /// A JSON reply of `body`.
    pub(crate) fn json<T: Serialize + ?Sized>(status: StatusCode, body: &T) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            body: serde_json::to_vec(body).unwrap_or_default(),
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
    /// The request body (empty for most requests).
    pub(crate) body: &'a [u8],
}

impl Incoming<'_> {
    /// The value of a header, if it is present and text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}
