//! The specs under `openapi/` are valid OpenAPI 3.0, and the public API
//! generated from them matches the checked-in snapshots, so that every spec
//! change shows up in review as a snapshot change.
//!
//! To accept an intended change: `INSTA_UPDATE=always cargo test --test specs`
//! (or `cargo insta review`), then commit the updated `tests/snapshots/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use quote::ToTokens;
use serde_json::Value;

const SPECS: [&str; 2] = ["chatbotx", "chatwoot"];

fn spec_text(platform: &str) -> String {
    let path = format!("{}/openapi/{platform}.yaml", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn spec_json(platform: &str) -> Value {
    serde_yaml_ng::from_str(&spec_text(platform)).unwrap()
}

/// The keywords OpenAPI 3.0 allows in a Schema Object.
const SCHEMA_KEYWORDS: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
];

/// Checks what the generator and the reviewers rely on; returns every
/// problem found, each naming where it is.
fn validate(spec: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let version = spec["openapi"].as_str().unwrap_or("");
    if !version.starts_with("3.0.") {
        problems.push(format!("`openapi` is {version:?}, not 3.0.x"));
    }
    if let Err(e) = serde_json::from_value::<openapiv3::OpenAPI>(spec.clone()) {
        problems.push(format!("not an OpenAPI 3.0 document: {e}"));
    }
    let mut ids = BTreeSet::new();
    let empty = serde_json::Map::new();
    let paths = spec["paths"].as_object().unwrap_or(&empty);
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap_or(&empty) {
            let place = format!("{} {path}", method.to_uppercase());
            match operation["operationId"].as_str() {
                None => problems.push(format!("{place}: no operationId")),
                Some(id) if !ids.insert(id.to_string()) => {
                    problems.push(format!("{place}: operationId `{id}` is used twice"))
                }
                Some(_) => {}
            }
            let parameters = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for name in path_template_names(path) {
                let declared = parameters.iter().any(|p| {
                    p["in"] == "path" && p["name"] == name.as_str() && p["required"] == true
                });
                if !declared {
                    problems.push(format!("{place}: path parameter `{name}` is not declared"));
                }
            }
            let ok = &operation["responses"]["200"]["content"]["application/json"]["schema"];
            if ok.is_null() {
                problems.push(format!("{place}: no JSON schema for 200"));
            }
        }
    }
    walk(spec, "", &mut |pointer, node| {
        if let Some(target) = node.get("$ref").and_then(Value::as_str) {
            let resolves = target
                .strip_prefix('#')
                .is_some_and(|p| spec.pointer(p).is_some());
            if !resolves {
                problems.push(format!("{pointer}: `$ref` {target} does not resolve"));
            }
            if node.as_object().is_some_and(|o| o.len() > 1) {
                problems.push(format!(
                    "{pointer}: keys beside `$ref` are ignored in OpenAPI 3.0; wrap it in allOf"
                ));
            }
        }
    });
    for_each_schema(spec, &mut |pointer, schema| {
        let Some(object) = schema.as_object() else {
            return;
        };
        if object.contains_key("$ref") {
            return;
        }
        for key in object.keys() {
            if !key.starts_with("x-") && !SCHEMA_KEYWORDS.contains(&key.as_str()) {
                problems.push(format!("{pointer}: `{key}` is not a schema keyword"));
            }
        }
        if let Some(required) = object.get("required").and_then(Value::as_array) {
            let properties = object.get("properties").and_then(Value::as_object);
            for name in required.iter().filter_map(Value::as_str) {
                if properties.is_none_or(|p| !p.contains_key(name)) {
                    problems.push(format!("{pointer}: required `{name}` is not a property"));
                }
            }
        }
    });
    problems
}

fn path_template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// Calls `visit` on every JSON object of `node`, with its JSON pointer.
fn walk(node: &Value, pointer: &str, visit: &mut dyn FnMut(&str, &Value)) {
    match node {
        Value::Object(map) => {
            visit(pointer, node);
            for (key, child) in map {
                walk(child, &format!("{pointer}/{key}"), visit);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk(child, &format!("{pointer}/{index}"), visit);
            }
        }
        _ => {}
    }
}

/// Calls `visit` on every Schema Object of the spec.
fn for_each_schema(spec: &Value, visit: &mut dyn FnMut(&str, &Value)) {
    fn schema(node: &Value, pointer: &str, visit: &mut dyn FnMut(&str, &Value)) {
        visit(pointer, node);
        for key in ["items", "not", "additionalProperties"] {
            if let Some(child) = node.get(key).filter(|c| c.is_object()) {
                schema(child, &format!("{pointer}/{key}"), visit);
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for (i, child) in node
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                schema(child, &format!("{pointer}/{key}/{i}"), visit);
            }
        }
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            for (name, child) in properties {
                schema(child, &format!("{pointer}/properties/{name}"), visit);
            }
        }
    }
    walk(spec, "", &mut |pointer, node| {
        let is_schema_slot = pointer.starts_with("/components/schemas/")
            && pointer.matches('/').count() == 3
            || pointer.ends_with("/schema");
        if is_schema_slot {
            schema(node, pointer, visit);
        }
    });
}

#[test]
fn both_specs_are_valid_openapi_3_0() {
    for platform in SPECS {
        let problems = validate(&spec_json(platform));
        assert!(
            problems.is_empty(),
            "openapi/{platform}.yaml:\n{}",
            problems.join("\n")
        );
    }
}

#[test]
fn validation_catches_broken_specs() {
    let good = spec_json("chatwoot");

    let mut no_id = good.clone();
    no_id["paths"]["/api/v1/accounts/{account_id}/conversations"]["get"]
        .as_object_mut()
        .unwrap()
        .remove("operationId");
    assert!(
        validate(&no_id)
            .iter()
            .any(|p| p.contains("no operationId"))
    );

    let mut wrong_version = good.clone();
    wrong_version["openapi"] = "3.1.0".into();
    assert!(
        validate(&wrong_version)
            .iter()
            .any(|p| p.contains("not 3.0.x"))
    );

    let mut dangling = good.clone();
    dangling["components"]["schemas"]["ConversationList"]["properties"]["data"]["$ref"] =
        "#/components/schemas/Nowhere".into();
    assert!(
        validate(&dangling)
            .iter()
            .any(|p| p.contains("does not resolve"))
    );

    let mut typo = good.clone();
    typo["components"]["schemas"]["Conversation"]["properties"]["uuid"]["nulable"] = true.into();
    assert!(validate(&typo).iter().any(|p| p.contains("`nulable`")));

    let mut not_openapi = good;
    not_openapi["paths"] = Value::String("nope".into());
    assert!(
        validate(&not_openapi)
            .iter()
            .any(|p| p.contains("not an OpenAPI"))
    );
}

#[test]
fn specs_name_the_schemas_the_clients_rely_on() {
    let expected: [(&str, &[&str]); 2] = [
        (
            "chatbotx",
            &[
                "ConversationList",
                "ContactList",
                "MessageList",
                "Conversation",
                "Contact",
                "Message",
                "Attachment",
                "User",
                "Inbox",
                "InboxTeam",
                "ContactInbox",
                "Tag",
                "ContactCustomField",
                "ContactNote",
                "ErrorBody",
            ],
        ),
        (
            "chatwoot",
            &[
                "ConversationList",
                "Conversation",
                "Message",
                "Attachment",
                "SenderContact",
                "Assignee",
                "Team",
                "AppliedSla",
                "SlaEvent",
                "ErrorBody",
            ],
        ),
    ];
    for (platform, names) in expected {
        let spec = spec_json(platform);
        for name in names {
            assert!(
                spec["components"]["schemas"].get(name).is_some(),
                "openapi/{platform}.yaml lacks schema {name}"
            );
        }
    }
}

/// A one-line-per-item summary of the generated public API: types and their
/// fields, enums and their wire values, operations and their setters.
fn api_summary(platform: &str) -> String {
    let out_dir = env!("OUT_DIR");
    let mut lines = Vec::new();
    for (file, prefix) in [
        (format!("{platform}.rs"), "api"),
        (format!("{platform}_enums.rs"), "enums"),
        (format!("{platform}_listings.rs"), "listings"),
    ] {
        let text = std::fs::read_to_string(format!("{out_dir}/{file}")).unwrap();
        let parsed = syn::parse_file(&text).unwrap();
        summarize_items(&parsed.items, prefix, &mut lines);
    }
    lines.join("\n") + "\n"
}

fn summarize_items(items: &[syn::Item], module: &str, lines: &mut Vec<String>) {
    for item in items {
        match item {
            // The builders of response types mirror their fields; skip them.
            syn::Item::Mod(m)
                if is_pub(&m.vis) && !(module.ends_with("types") && m.ident == "builder") =>
            {
                if let Some((_, inner)) = &m.content {
                    summarize_items(inner, &format!("{module}::{}", m.ident), lines);
                }
            }
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                lines.push(format!("struct {module}::{}", s.ident));
                for field in &s.fields {
                    if !is_pub(&field.vis) {
                        continue;
                    }
                    let name = field
                        .ident
                        .as_ref()
                        .map(|i| i.to_string())
                        .unwrap_or_default();
                    let serde_name = serde_rename(&field.attrs).unwrap_or_else(|| name.clone());
                    lines.push(format!("    {serde_name}: {}", type_text(&field.ty)));
                }
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                lines.push(format!("enum {module}::{}", e.ident));
                for variant in &e.variants {
                    let wire = doc_text(&variant.attrs);
                    lines.push(format!("    {} {wire}", variant.ident));
                }
            }
            syn::Item::Type(alias) if is_pub(&alias.vis) => {
                lines.push(format!(
                    "type {module}::{} = {}",
                    alias.ident,
                    type_text(&alias.ty)
                ));
            }
            syn::Item::Impl(block) => {
                let self_type = type_text(&block.self_ty);
                for member in &block.items {
                    if let syn::ImplItem::Fn(f) = member
                        && is_pub(&f.vis)
                        && block.trait_.is_none()
                    {
                        lines.push(format!(
                            "fn {module}::{self_type}::{}",
                            signature_text(&f.sig)
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| {
        if !attr.path().is_ident("serde") {
            return None;
        }
        let text = attr.meta.to_token_stream().to_string();
        let start = text.find("rename = \"")? + "rename = \"".len();
        let end = text[start..].find('"')? + start;
        Some(text[start..end].to_string())
    })
}

fn doc_text(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .map(|a| a.meta.to_token_stream().to_string())
        .map(|t| t.trim_start_matches("doc = ").trim_matches('"').to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn signature_text(sig: &syn::Signature) -> String {
    let mut text = format!("{}(", sig.ident);
    let args: Vec<String> = sig
        .inputs
        .iter()
        .map(|arg| match arg {
            syn::FnArg::Receiver(_) => "self".to_string(),
            syn::FnArg::Typed(t) => type_text(&t.ty),
        })
        .collect();
    text.push_str(&args.join(", "));
    text.push(')');
    if let Some(where_clause) = &sig.generics.where_clause {
        text.push_str(&format!(
            " where {}",
            tidy(&where_clause.predicates.to_token_stream().to_string())
        ));
    }
    if let syn::ReturnType::Type(_, ty) = &sig.output {
        text.push_str(&format!(" -> {}", type_text(ty)));
    }
    text
}

fn type_text(ty: &syn::Type) -> String {
    tidy(&ty.to_token_stream().to_string())
}

/// Token text made readable: no spaces around punctuation, no std prefixes.
fn tidy(text: &str) -> String {
    let mut out = text
        .replace(" : ", ": ")
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
        .replace("' ", "'");
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::num::",
        "std::convert::",
        "::serde_json::",
    ] {
        out = out.replace(prefix, "");
    }
    out
}

#[test]
#[cfg(feature = "chatbotx")]
fn chatbotx_generated_api_matches_snapshot() {
    insta::assert_snapshot!("chatbotx_api", api_summary("chatbotx"));
}

#[test]
#[cfg(feature = "chatwoot")]
fn chatwoot_generated_api_matches_snapshot() {
    insta::assert_snapshot!("chatwoot_api", api_summary("chatwoot"));
}
