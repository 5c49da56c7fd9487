//! The build step's listing generator: the shipped specs give a listing of
//! each list operation, and a parameter or extension the generator cannot
//! turn into a setter stops the build with a message naming the operation,
//! the parameter and what to fix.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "../build/listing.rs"]
mod listing;
#[path = "../build/names.rs"]
mod names;
#[path = "../build/pagination.rs"]
mod pagination;
#[path = "../build/schema.rs"]
mod schema;
#[path = "../build/spec.rs"]
mod spec;

use quote::quote;
use serde_json::{Value, json};

fn spec_value(platform: &str) -> Value {
    let path = format!("{}/openapi/{platform}.yaml", env!("CARGO_MANIFEST_DIR"));
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn generate(spec: &Value) -> Result<String, String> {
    let spec: openapiv3::OpenAPI = serde_json::from_value(spec.clone()).unwrap();
    let declared = pagination::collect(&spec)?;
    let target = listing::Target {
        module: "chatbotx".into(),
        crate_path: quote!(crate::chatbotx),
        doc_path: "chatdesk::chatbotx".into(),
        platform: quote!(crate::error::Platform::Chatbotx),
        label: "chatbotx".into(),
    };
    let code = listing::generate(&spec, &declared, &target)?;
    // The output is Rust.
    syn::parse2::<syn::File>(code.clone()).map_err(|e| format!("not Rust: {e}"))?;
    Ok(code.to_string())
}

#[test]
fn each_list_operation_gets_its_method_and_setters() {
    let code = generate(&spec_value("chatbotx")).unwrap();
    for expected in [
        "pub fn list_conversations",
        "pub fn list_contacts",
        "pub fn list_contact_messages",
        "pub fn all_states",
        "pub fn filter_encoding",
        "pub fn channel",
        "pub type ListContactsRequest",
    ] {
        assert!(code.contains(expected), "{expected}");
    }
}

#[test]
fn a_new_query_parameter_becomes_a_setter() {
    let mut spec = spec_value("chatbotx");
    let parameters = &mut spec["paths"]["/v1/contacts"]["get"]["parameters"];
    parameters.as_array_mut().unwrap().push(json!({
        "name": "lastSeenAfter", "in": "query",
        "schema": {"type": "integer", "format": "int64", "minimum": 0}
    }));
    let code = generate(&spec).unwrap();
    assert!(code.contains("pub fn last_seen_after (self , value : i64)"));
    assert!(code.contains("wire : \"lastSeenAfter\""));
}

#[test]
fn parameters_that_cannot_be_setters_are_refused_with_what_to_fix() {
    let contacts = |change: &dyn Fn(&mut Vec<Value>)| {
        let mut spec = spec_value("chatbotx");
        let parameters = spec["paths"]["/v1/contacts"]["get"]["parameters"]
            .as_array_mut()
            .unwrap();
        change(parameters);
        generate(&spec).unwrap_err()
    };
    let named = |parameters: &mut Vec<Value>, name: &str| -> usize {
        parameters.iter().position(|p| p["name"] == name).unwrap()
    };
    for (change, needle) in [
        (
            &(|p: &mut Vec<Value>| {
                let i = named(p, "keyword");
                p[i]["x-chatdesk-setter-one"] = json!("word");
            }) as &dyn Fn(&mut Vec<Value>),
            "query parameter `keyword`: `x-chatdesk-setter-one` is for list parameters",
        ),
        (
            &|p: &mut Vec<Value>| {
                let i = named(p, "keyword");
                p[i]["x-chatdesk-setter"] = json!("Keyword");
            },
            "`x-chatdesk-setter` must be a Rust name",
        ),
        (
            &|p: &mut Vec<Value>| {
                let i = named(p, "keyword");
                p[i]["schema"] = json!({"type": "string", "enum": ["a", "b"]});
            },
            "an enum must be a component schema",
        ),
        (
            &|p: &mut Vec<Value>| {
                let i = named(p, "withCount");
                p[i]["x-chatdesk-setter-hook"] = json!("count_hook");
            },
            "`x-chatdesk-setter-hook` is for text parameters",
        ),
        (
            &|p: &mut Vec<Value>| {
                let i = named(p, "keyword");
                p[i]["x-chatdesk-setter-type"] = json!("crate::Keyword");
            },
            "needs `x-chatdesk-example`",
        ),
        (
            &|p: &mut Vec<Value>| {
                let i = named(p, "channels[]");
                p[i]["explode"] = json!(false);
            },
            "a list goes as `style: form, explode: true`",
        ),
    ] {
        let error = contacts(change);
        assert!(error.contains(needle), "{needle:?} not in: {error}");
        assert!(
            error.contains("operation `listContacts` (GET /v1/contacts)"),
            "{error}"
        );
    }
}

#[test]
fn views_must_name_a_list_parameter() {
    let mut spec = spec_value("chatbotx");
    spec["paths"]["/v1/conversations"]["get"]["x-chatdesk-views"]["parameter"] = json!("keyword");
    let error = generate(&spec).unwrap_err();
    assert!(
        error.contains("`keyword` is not a list parameter"),
        "{error}"
    );
}

#[test]
fn a_listing_that_posts_must_be_a_read_with_an_object_body() {
    // `/v1/contacts` moved to POST, its filter in the body.
    let posted = |change: &dyn Fn(&mut Value)| {
        let mut spec = spec_value("chatbotx");
        let paths = spec["paths"].as_object_mut().unwrap();
        let mut item = paths.remove("/v1/contacts").unwrap();
        let operation = item.as_object_mut().unwrap().remove("get").unwrap();
        item["post"] = operation;
        item["post"]["requestBody"] = json!({
            "content": {"application/json": {"schema": {
                "type": "object",
                "required": ["payload"],
                "properties": {
                    "payload": {"type": "array", "items": {"type": "string"}},
                    "type": {"type": "string"}
                }
            }}}
        });
        change(&mut item["post"]);
        paths.insert("/v1/contacts".into(), item);
        generate(&spec)
    };
    let error = posted(&|_| {}).unwrap_err();
    assert!(
        error.contains("a POST listing must be marked `x-chatdesk-safe-to-repeat: true`"),
        "{error}"
    );
    let error = posted(&|op| op["x-chatdesk-safe-to-repeat"] = json!(true)).unwrap_err();
    assert!(
        error.contains("request body property `type`: the setter name `type` is not a Rust name"),
        "{error}"
    );
    let code = posted(&|op| {
        op["x-chatdesk-safe-to-repeat"] = json!(true);
        op["requestBody"]["content"]["application/json"]["schema"]["properties"]
            .as_object_mut()
            .unwrap()
            .remove("type");
    })
    .unwrap();
    assert!(
        code.contains("method : crate :: listing :: spec :: Method :: Post"),
        "{code}"
    );
    assert!(
        code.contains("Encoding :: Body { required : true }"),
        "{code}"
    );
    assert!(code.contains("pub fn payload"), "{code}");
}

#[test]
fn a_parameter_marked_no_setter_stays_out_of_the_listing() {
    fn parameters_of(spec: &mut Value) -> &mut Vec<Value> {
        spec["paths"]["/v1/contacts"]["get"]["parameters"]
            .as_array_mut()
            .unwrap()
    }
    let mut spec = spec_value("chatbotx");
    let keyword = parameters_of(&mut spec)
        .iter()
        .position(|p| p["name"] == "keyword")
        .unwrap();
    let before = generate(&spec).unwrap();
    parameters_of(&mut spec)[keyword]["x-chatdesk-no-setter"] = json!(true);
    let after = generate(&spec).unwrap();
    // `listConversations` keeps its own `keyword`.
    let count = |code: &str| code.matches("wire : \"keyword\"").count();
    assert_eq!(count(&after), count(&before) - 1);
    assert_eq!(
        after.matches("pub fn keyword").count(),
        before.matches("pub fn keyword").count() - 1
    );
}
