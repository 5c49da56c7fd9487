//! The build step's reading of a spec: what the generator relies on
//! (OpenAPI 3.0.x, a unique `operationId` on every operation) is checked
//! with a message saying what to fix, and the extensions the pipeline reads
//! (`x-chatdesk-safe-to-repeat`, `x-chatdesk-rust-type`) are collected.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "../build/schema.rs"]
mod schema;
#[path = "../build/spec.rs"]
mod spec;

use std::path::Path;

/// A small spec: `openapi` version, then the `paths` and `components`
/// given, indented as top-level keys.
fn spec_text(version: &str, rest: &str) -> String {
    format!("openapi: {version}\ninfo: {{title: test, version: '1'}}\n{rest}")
}

const TWO_OPERATIONS: &str = "
paths:
  /conversations:
    get:
      operationId: listConversations
      responses: {'200': {description: ok}}
    post:
      operationId: filterConversations
      x-chatdesk-safe-to-repeat: true
      responses: {'200': {description: ok}}
  /contacts/{id}:
    delete:
      operationId: deleteContact
      x-chatdesk-safe-to-repeat: false
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses: {'204': {description: gone}}
";

#[test]
fn a_3_0_spec_is_read_with_its_operations_in_order() {
    let spec = spec::parse(&spec_text("3.0.3", TWO_OPERATIONS)).unwrap();
    let operations: Vec<(String, String, String)> = spec::operations(&spec)
        .into_iter()
        .map(|(path, method, operation)| {
            let id = operation.operation_id.clone().unwrap();
            (path.to_string(), method, id)
        })
        .collect();
    let expected = [
        ("/conversations", "get", "listConversations"),
        ("/conversations", "post", "filterConversations"),
        ("/contacts/{id}", "delete", "deleteContact"),
    ]
    .map(|(p, m, i)| (p.to_string(), m.to_string(), i.to_string()));
    assert_eq!(operations, expected);
}

#[test]
fn a_spec_that_is_not_openapi_3_0_is_refused() {
    let error = spec::parse(&spec_text("3.1.0", TWO_OPERATIONS)).unwrap_err();
    assert_eq!(
        error,
        "`openapi: 3.1.0` is not supported: progenitor reads OpenAPI 3.0.x only"
    );
    // Swagger 2.0 has no `openapi` key at all.
    let error =
        spec::parse("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
    assert!(
        error.starts_with("not a valid OpenAPI 3.0 document: "),
        "{error}"
    );
}

#[test]
fn an_operation_without_an_operation_id_is_refused_by_method_and_path() {
    let text = spec_text(
        "3.0.3",
        &TWO_OPERATIONS.replace("operationId: filterConversations", ""),
    );
    assert_eq!(
        spec::parse(&text).unwrap_err(),
        "operation `POST /conversations` has no operationId; every operation needs a unique one"
    );
}

#[test]
fn an_operation_id_used_twice_is_refused() {
    let text = spec_text(
        "3.0.3",
        &TWO_OPERATIONS.replace(
            "operationId: deleteContact",
            "operationId: listConversations",
        ),
    );
    assert_eq!(
        spec::parse(&text).unwrap_err(),
        "operationId `listConversations` is used twice"
    );
}

#[test]
fn a_spec_file_that_cannot_be_read_says_so() {
    let error = spec::read(Path::new("openapi/no-such-platform.yaml")).unwrap_err();
    assert!(error.starts_with("cannot read the spec: "), "{error}");
}

#[test]
fn the_shipped_specs_pass_the_checks() {
    for file in [
        "openapi/chatbotx.yaml",
        "openapi/chatwoot.yaml",
        "tests/spec/example.yaml",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let spec = spec::read(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(!spec::operations(&spec).is_empty(), "{file}");
    }
}

#[test]
fn operations_marked_safe_to_repeat_are_collected() {
    let spec = spec::parse(&spec_text("3.0.3", TWO_OPERATIONS)).unwrap();
    assert_eq!(
        spec::safe_to_repeat(&spec).unwrap(),
        ["filterConversations"]
    );
}

#[test]
fn safe_to_repeat_must_be_a_boolean() {
    let text = spec_text(
        "3.0.3",
        &TWO_OPERATIONS.replace(
            "x-chatdesk-safe-to-repeat: true",
            "x-chatdesk-safe-to-repeat: yes please",
        ),
    );
    let spec = spec::parse(&text).unwrap();
    assert_eq!(
        spec::safe_to_repeat(&spec).unwrap_err(),
        "operation `filterConversations` (POST /conversations): `x-chatdesk-safe-to-repeat` \
         must be true or false, not \"yes please\""
    );
}

const RUST_TYPES: &str = "
paths: {}
components:
  schemas:
    Timestamp:
      type: string
      x-chatdesk-rust-type: crate::time::Timestamp
    Plain:
      type: string
    Alias:
      $ref: '#/components/schemas/Timestamp'
";

#[test]
fn schemas_marked_with_a_rust_type_are_collected() {
    let spec = spec::parse(&spec_text("3.0.3", RUST_TYPES)).unwrap();
    assert_eq!(
        spec::rust_types(&spec).unwrap(),
        [(
            "Timestamp".to_string(),
            "crate::time::Timestamp".to_string()
        )]
    );
}

#[test]
fn a_rust_type_must_be_a_path_string() {
    let text = spec_text(
        "3.0.3",
        &RUST_TYPES.replace("crate::time::Timestamp", "[crate, time]"),
    );
    let spec = spec::parse(&text).unwrap();
    assert_eq!(
        spec::rust_types(&spec).unwrap_err(),
        "schema `Timestamp`: `x-chatdesk-rust-type` must be a Rust path string"
    );
}
