//! The ChatbotX fake's error answers other than validation failures
//! (which [`super::validation`] words): unknown paths, bad tokens (by
//! server version), a missing login session, server failures and
//! throttling, as the oRPC API (or the proxy in front of it) sends them.

use axum::http::StatusCode;
use serde_json::json;

use crate::ChatbotxVersion;
use crate::server::Reply;

/// An unknown path, method or contact, with what was not found.
pub(crate) fn not_found(message: &str) -> Reply {
    Reply::json(
        StatusCode::NOT_FOUND,
        &json!({"defined": true, "code": "notFound", "status": 404, "message": message}),
    )
}

/// What a bad or missing token gets. The current server answers 401
/// with its own error body. The open-source server's auth middleware
/// throws an oRPC error with only a code, so oRPC fills in status 500,
/// the code as the message and `defined: false` (no procedure declares
/// the code).
pub(crate) fn invalid_token(version: ChatbotxVersion) -> Reply {
    match version {
        ChatbotxVersion::Current => Reply::json(
            StatusCode::UNAUTHORIZED,
            &json!({
                "defined": true,
                "code": "INVALID_CHATBOT_TOKEN",
                "status": 401,
                "message": "Invalid or missing workspace API token",
            }),
        ),
        ChatbotxVersion::OpenSource => Reply::json(
            StatusCode::INTERNAL_SERVER_ERROR,
            &json!({
                "defined": false,
                "code": "INVALID_CHATBOT_TOKEN",
                "status": 500,
                "message": "INVALID_CHATBOT_TOKEN",
            }),
        ),
    }
}

/// What `/v1/conversations` sends without the login session: the query
/// asks for the session's user and throws the server's own exception,
/// which the API turns into its code and HTTP status.
pub(crate) fn no_session() -> Reply {
    Reply::json(
        StatusCode::BAD_REQUEST,
        &json!({
            "defined": false,
            "code": "systemError",
            "status": 400,
            "message": "User is not associated with this workspace",
        }),
    )
}

/// A failure of the server itself, as its JSON error body.
pub(crate) fn internal_error() -> Reply {
    Reply::json(
        StatusCode::INTERNAL_SERVER_ERROR,
        &json!({
            "defined": false,
            "code": "INTERNAL_SERVER_ERROR",
            "status": 500,
            "message": "Internal server error",
        }),
    )
}

/// What a throttled request gets.
pub(crate) fn too_many_requests() -> Reply {
    Reply::json(
        StatusCode::TOO_MANY_REQUESTS,
        &json!({"defined": true, "code": "tooManyRequests", "status": 429, "message": "Too many requests"}),
    )
}

/// A server failure: the JSON error body, or the proxy's HTML page for 502.
pub(crate) fn server_error(status: StatusCode) -> Reply {
    match status.as_u16() {
        502 => Reply::html(
            status,
            "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<center>The upstream application did not answer in time.</center>\n<hr><center>nginx</center>\n</body>\n</html>\n",
        ),
        503 => Reply::json(
            status,
            &json!({"defined": false, "code": "SERVICE_UNAVAILABLE", "status": 503, "message": "Service unavailable"}),
        ),
        _ => internal_error(),
    }
}
