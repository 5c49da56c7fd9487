//! The validation issues as each server version words them, and the
//! failure answer that carries them. The current server writes its issues
//! and messages as Zod 4 does and answers 422 `invalidRequestData`; the
//! open-source server as Zod 3 does, and answers 400 `BAD_REQUEST`.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::ChatbotxVersion;
use crate::server::Reply;

/// A query key the listing does not know.
pub(crate) fn unrecognized_key(key: &str) -> Value {
    json!({
        "code": "unrecognized_keys",
        "keys": [key],
        "path": [key],
        "message": format!("Unrecognized key: {key}"),
    })
}

/// A value of the wrong type: `received` where `expected` was wanted.
pub(crate) fn wrong_type(
    version: ChatbotxVersion,
    path: Value,
    expected: &str,
    received: &str,
) -> Value {
    match version {
        ChatbotxVersion::Current => json!({
            "expected": expected,
            "code": "invalid_type",
            "path": path,
            "message": format!("Invalid input: expected {expected}, received {received}"),
        }),
        ChatbotxVersion::OpenSource => json!({
            "code": "invalid_type",
            "expected": expected,
            "received": received,
            "path": path,
            "message": format!("Expected {expected}, received {received}"),
        }),
    }
}

/// A value that is not one of `allowed`.
pub(crate) fn not_allowed(
    version: ChatbotxVersion,
    path: Value,
    allowed: &[&str],
    received: &str,
) -> Value {
    match version {
        ChatbotxVersion::Current => {
            let options: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
            json!({
                "code": "invalid_value",
                "values": allowed,
                "path": path,
                "message": format!("Invalid option: expected one of {}", options.join("|")),
            })
        }
        ChatbotxVersion::OpenSource => {
            let options: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
            json!({
                "received": received,
                "code": "invalid_enum_value",
                "options": allowed,
                "path": path,
                "message": format!("Invalid enum value. Expected {}, received '{received}'", options.join(" | ")),
            })
        }
    }
}

/// An id that is not all digits.
pub(crate) fn not_digits(path: Value) -> Value {
    json!({
        "origin": "string",
        "code": "invalid_format",
        "format": "regex",
        "pattern": "/^\\d+$/",
        "path": path,
        "message": "Invalid string: must match pattern /^\\d+$/",
    })
}

/// A whole number below 1 where at least 1 is wanted.
pub(crate) fn below_one(version: ChatbotxVersion, name: &str) -> Value {
    match version {
        ChatbotxVersion::Current => json!({
            "origin": "number",
            "code": "too_small",
            "minimum": 1,
            "inclusive": true,
            "path": [name],
            "message": "Too small: expected number to be >=1",
        }),
        ChatbotxVersion::OpenSource => json!({
            "code": "too_small",
            "minimum": 1,
            "type": "number",
            "inclusive": true,
            "exact": false,
            "message": "Number must be greater than or equal to 1",
            "path": [name],
        }),
    }
}

/// Text that is no number where a number is wanted.
pub(crate) fn not_a_number(version: ChatbotxVersion, name: &str) -> Value {
    match version {
        ChatbotxVersion::Current => json!({
            "expected": "number",
            "code": "invalid_type",
            "received": "NaN",
            "path": [name],
            "message": "Invalid input: expected number, received NaN",
        }),
        ChatbotxVersion::OpenSource => json!({
            "code": "invalid_type",
            "expected": "number",
            "received": "nan",
            "path": [name],
            "message": "Expected number, received nan",
        }),
    }
}

/// The answer to a request whose query string has `issues`.
pub(crate) fn failure(version: ChatbotxVersion, issues: Vec<Value>) -> Reply {
    match version {
        ChatbotxVersion::Current => Reply::json(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({
                "defined": true,
                "code": "invalidRequestData",
                "status": 422,
                "message": "Input validation failed",
                "data": {"issues": issues},
            }),
        ),
        ChatbotxVersion::OpenSource => Reply::json(
            StatusCode::BAD_REQUEST,
            &json!({
                "defined": false,
                "code": "BAD_REQUEST",
                "status": 400,
                "message": "Input validation failed",
                "data": {"issues": issues},
            }),
        ),
    }
}
