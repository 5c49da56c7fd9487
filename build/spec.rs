//! Reading a spec and checking what the generator and the handwritten layer
//! rely on: OpenAPI 3.0.x, a unique `operationId` on every operation. Also
//! what the build reads of the spec besides the client itself: the list of
//! operations, those marked `x-chatdesk-safe-to-repeat`, and the schemas
//! marked `x-chatdesk-rust-type`.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use openapiv3::{OpenAPI, Operation, ReferenceOr};

use super::schema::components;

/// Extension naming the handwritten Rust type that decodes a schema.
const RUST_TYPE_EXTENSION: &str = "x-chatdesk-rust-type";
/// Marks an operation whose method is not idempotent but which only reads
/// (Chatwoot's POST filter endpoints): the pipeline retries it like a GET.
pub const SAFE_TO_REPEAT_EXTENSION: &str = "x-chatdesk-safe-to-repeat";

/// Reads the spec at `path`, parses and checks it.
pub fn read(path: &Path) -> Result<OpenAPI, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read the spec: {e}"))?;
    parse(&text)
}

/// Parses a spec's YAML (or JSON) text and checks it.
pub fn parse(text: &str) -> Result<OpenAPI, String> {
    let spec: OpenAPI = serde_yaml_ng::from_str(text)
        .map_err(|e| format!("not a valid OpenAPI 3.0 document: {e}"))?;
    check(&spec)?;
    Ok(spec)
}

/// Checks what the generator and the handwritten layer rely on.
pub fn check(spec: &OpenAPI) -> Result<(), String> {
    if !spec.openapi.starts_with("3.0.") {
        return Err(format!(
            "`openapi: {}` is not supported: progenitor reads OpenAPI 3.0.x only",
            spec.openapi
        ));
    }
    let mut seen = BTreeSet::new();
    for (path, method, operation) in operations(spec) {
        let Some(id) = &operation.operation_id else {
            return Err(format!(
                "operation `{} {path}` has no operationId; every operation needs a unique one",
                method.to_uppercase()
            ));
        };
        if !seen.insert(id.clone()) {
            return Err(format!("operationId `{id}` is used twice"));
        }
    }
    Ok(())
}

/// Every operation of the spec with its path and lowercase method.
pub fn operations(spec: &OpenAPI) -> Vec<(&str, String, &Operation)> {
    let mut found = Vec::new();
    for (path, item) in &spec.paths.paths {
        if let ReferenceOr::Item(item) = item {
            for (method, operation) in item.iter() {
                found.push((path.as_str(), method.to_string(), operation));
            }
        }
    }
    found
}

/// The `operationId`s marked `x-chatdesk-safe-to-repeat: true`.
pub fn safe_to_repeat(spec: &OpenAPI) -> Result<Vec<String>, String> {
    let mut safe = Vec::new();
    for (path, method, operation) in operations(spec) {
        let id = operation.operation_id.clone().unwrap_or_default();
        match operation.extensions.get(SAFE_TO_REPEAT_EXTENSION) {
            None | Some(serde_json::Value::Bool(false)) => {}
            Some(serde_json::Value::Bool(true)) => safe.push(id),
            Some(other) => {
                return Err(format!(
                    "operation `{id}` ({} {path}): `{SAFE_TO_REPEAT_EXTENSION}` must be true or \
                     false, not {other}",
                    method.to_uppercase()
                ));
            }
        }
    }
    Ok(safe)
}

/// Schemas marked `x-chatdesk-rust-type`, as `(schema name, Rust path)`.
pub fn rust_types(spec: &OpenAPI) -> Result<Vec<(String, String)>, String> {
    let mut found = Vec::new();
    for (name, schema) in components(spec) {
        if let Some(value) = schema.schema_data.extensions.get(RUST_TYPE_EXTENSION) {
            let path = value.as_str().ok_or_else(|| {
                format!("schema `{name}`: `{RUST_TYPE_EXTENSION}` must be a Rust path string")
            })?;
            found.push((name.clone(), path.to_string()));
        }
    }
    Ok(found)
}
