//! The build step's adaptation of a spec for progenitor 0.15: what it
//! cannot take is changed in memory (JSON text in a query value becomes a
//! string, a `deepObject` parameter goes, a `minLength` on list items goes,
//! only 2xx responses keep a type), each change is reported in the
//! generated module's notes, and everything else is left as it was.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "../build/adapt.rs"]
mod adapt;

use std::path::Path;

use adapt::{adapt_for_progenitor, adaptation_notes};
use openapiv3::{
    OpenAPI, Operation, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, StatusCode, Type,
};

const SPEC: &str = "
openapi: 3.0.3
info: {title: test, version: '1'}
paths:
  /accounts/{account_id}/conversations:
    get:
      operationId: listConversations
      parameters:
        - {name: account_id, in: path, required: true, schema: {type: integer}}
        - name: filter
          in: query
          content:
            application/json:
              schema: {type: object}
        - {name: labels, in: query, style: deepObject, explode: true, schema: {type: object}}
        - name: channels[]
          in: query
          style: form
          explode: true
          schema:
            type: array
            items: {type: string, minLength: 1}
        - {name: keyword, in: query, schema: {type: string, minLength: 2}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        '200': {description: ok}
        '2XX': {description: also ok}
        '401': {description: no}
        '4XX': {description: no}
        default: {description: no}
    post:
      operationId: createConversation
      responses:
        '201': {description: created}
";

fn spec() -> OpenAPI {
    serde_yaml_ng::from_str(SPEC).unwrap()
}

fn operation<'a>(spec: &'a OpenAPI, method: &str) -> &'a Operation {
    let ReferenceOr::Item(item) = &spec.paths.paths["/accounts/{account_id}/conversations"] else {
        panic!("a reference");
    };
    item.iter()
        .find(|(m, _)| *m == method)
        .map(|(_, operation)| operation)
        .unwrap()
}

/// The parameters of an operation by name, each with what it holds.
fn parameters(operation: &Operation) -> Vec<(String, &ParameterSchemaOrContent)> {
    operation
        .parameters
        .iter()
        .map(|p| match p {
            ReferenceOr::Item(p) => {
                let data = p.parameter_data_ref();
                (data.name.clone(), &data.format)
            }
            ReferenceOr::Reference { .. } => panic!("a reference"),
        })
        .collect()
}

/// The inline schema of an operation's parameter `name`.
fn schema_of(operation: &Operation, name: &str) -> Schema {
    let (_, format) = parameters(operation)
        .into_iter()
        .find(|(found, _)| found == name)
        .unwrap();
    match format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => schema.clone(),
        other => panic!("{name}: {other:?}"),
    }
}

fn pairs(list: &[(String, String)]) -> Vec<(&str, &str)> {
    list.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

#[test]
fn json_text_in_a_query_value_becomes_a_string() {
    let (adapted, notes) = adapt_for_progenitor(spec());
    let schema = schema_of(operation(&adapted, "get"), "filter");
    assert!(matches!(
        schema.schema_kind,
        SchemaKind::Type(Type::String(_))
    ));
    assert_eq!(
        pairs(&notes.json_parameters),
        [("listConversations", "filter")]
    );
}

#[test]
fn a_deep_object_parameter_is_left_out() {
    let (adapted, notes) = adapt_for_progenitor(spec());
    let names: Vec<String> = parameters(operation(&adapted, "get"))
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        names,
        ["account_id", "filter", "channels[]", "keyword", "X-Trace"]
    );
    assert_eq!(
        pairs(&notes.removed_parameters),
        [("listConversations", "labels")]
    );
}

#[test]
fn min_length_goes_from_inline_list_items_only() {
    let (adapted, notes) = adapt_for_progenitor(spec());
    let get = operation(&adapted, "get");
    let SchemaKind::Type(Type::Array(list)) = schema_of(get, "channels[]").schema_kind else {
        panic!("not a list");
    };
    let Some(ReferenceOr::Item(item)) = list.items else {
        panic!("no inline items");
    };
    let SchemaKind::Type(Type::String(text)) = item.schema_kind else {
        panic!("not text items");
    };
    assert_eq!(text.min_length, None);
    // A plain text parameter keeps its own `minLength`.
    let SchemaKind::Type(Type::String(keyword)) = schema_of(get, "keyword").schema_kind else {
        panic!("not text");
    };
    assert_eq!(keyword.min_length, Some(2));
    assert_eq!(
        pairs(&notes.item_checks),
        [("listConversations", "channels[]")]
    );
}

#[test]
fn only_2xx_responses_keep_their_type() {
    let (adapted, notes) = adapt_for_progenitor(spec());
    let get = operation(&adapted, "get");
    let kept: Vec<StatusCode> = get.responses.responses.keys().cloned().collect();
    assert_eq!(kept, [StatusCode::Code(200), StatusCode::Range(2)]);
    assert!(get.responses.default.is_none());
    assert_eq!(
        pairs(&notes.untyped_responses),
        [
            ("listConversations", "default"),
            ("listConversations", "401"),
            ("listConversations", "4XX"),
        ]
    );
}

#[test]
fn the_notes_name_the_spec_and_each_adaptation() {
    let (_, adaptations) = adapt_for_progenitor(spec());
    let notes = adaptation_notes(Path::new("openapi/test.yaml"), &adaptations);
    assert_eq!(
        notes.lines().collect::<Vec<_>>(),
        [
            "The client generated by progenitor from `openapi/test.yaml` at build time; edit \
             the spec, never this code.",
            "",
            "Adapted in memory for the generator (the spec itself is unchanged):",
            "",
            "- `listConversations`: `filter` takes the JSON text to send.",
            "- `listConversations`: `labels` (bracket notation) is left out; the listing's \
             setter sends it.",
            "- `listConversations`: the values of `channels[]` are plain strings here (a \
             `minLength` on them would make each a newtype); the listing's setter checks them.",
            // One line for all the untyped statuses of an operation.
            "- `listConversations`: error statuses are untyped here and parsed by \
             `chatdesk::Error`.",
        ]
    );
}

#[test]
fn a_spec_with_nothing_to_adapt_comes_back_unchanged() {
    let mut original = spec();
    let Some(ReferenceOr::Item(item)) = original
        .paths
        .paths
        .get_mut("/accounts/{account_id}/conversations")
    else {
        panic!("no path");
    };
    item.get = None;
    let (adapted, notes) = adapt_for_progenitor(original.clone());
    assert_eq!(adapted, original);
    assert!(notes.json_parameters.is_empty());
    assert!(notes.removed_parameters.is_empty());
    assert!(notes.item_checks.is_empty());
    assert!(notes.untyped_responses.is_empty());
}
