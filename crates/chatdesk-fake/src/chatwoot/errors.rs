//! The Chatwoot fake's error answers, as Rails (or the proxy in front of
//! it) sends them: JSON for a missing or bad token, an unknown account or
//! path and a refused query string; plain text for throttling; HTML pages
//! for server failures.

use axum::http::StatusCode;
use serde_json::json;

use crate::server::Reply;

/// A request without a token.
pub(crate) fn no_token() -> Reply {
    Reply::json(
        StatusCode::UNAUTHORIZED,
        &json!({"errors": ["You need to sign in or sign up before continuing."]}),
    )
}

/// A request with a token the fake does not accept.
pub(crate) fn invalid_token() -> Reply {
    Reply::json(
        StatusCode::UNAUTHORIZED,
        &json!({"error": "Invalid Access Token"}),
    )
}

/// A query string the fake refuses, with what is wrong with it.
pub(crate) fn bad_request(message: &str) -> Reply {
    Reply::json(StatusCode::BAD_REQUEST, &json!({"error": message}))
}

/// An unknown path, method or account.
pub(crate) fn not_found() -> Reply {
    Reply::json(
        StatusCode::NOT_FOUND,
        &json!({"error": "Resource could not be found"}),
    )
}

/// A 422 with the server's message: a refused filter payload.
pub(crate) fn unprocessable(message: &str) -> Reply {
    Reply::json(StatusCode::UNPROCESSABLE_ENTITY, &json!({"error": message}))
}

/// A request body Rails cannot parse as the JSON it says it is: 400 and
/// the framework's page.
pub(crate) fn unparsable_body() -> Reply {
    Reply::html(
        StatusCode::BAD_REQUEST,
        "<!DOCTYPE html>\n<html>\n<head>\n  <title>Bad Request (400)</title>\n</head>\n<body>\n  <h1>Bad Request</h1>\n</body>\n</html>\n",
    )
}

/// What a throttled request gets: `Retry later`, plain text, no Retry-After.
pub(crate) fn too_many_requests() -> Reply {
    Reply::text(StatusCode::TOO_MANY_REQUESTS, "Retry later")
}

/// An HTML error page, as Rails or the proxy in front of it sends.
pub(crate) fn server_error(status: StatusCode) -> Reply {
    let page = match status.as_u16() {
        502 => {
            "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
        }
        503 => {
            "<!DOCTYPE html>\n<html>\n<head><title>Service Unavailable</title></head>\n<body>\n<h1>Service Unavailable</h1>\n<p>The server is temporarily unable to service your request. Please try again later.</p>\n</body>\n</html>\n"
        }
        _ => {
            "<!DOCTYPE html>\n<html>\n<head>\n  <title>We're sorry, but something went wrong (500)</title>\n  <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n</head>\n<body>\n  <div class=\"dialog\">\n    <h1>We're sorry, but something went wrong.</h1>\n    <p>If you are the application owner check the logs for more information.</p>\n  </div>\n</body>\n</html>\n"
        }
    };
    Reply::html(status, page)
}
