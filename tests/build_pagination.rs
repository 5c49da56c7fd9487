//! The build step's reading of `x-chatdesk-pagination`: the shipped specs
//! declare every listing, and a declaration that does not fit its
//! operation stops the build with a message naming the operation and what
//! to fix.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "../build/pagination.rs"]
mod pagination;
#[path = "../build/schema.rs"]
mod schema;

use serde_json::{Value, json};

fn spec_value(platform: &str) -> Value {
    let path = format!("{}/openapi/{platform}.yaml", env!("CARGO_MANIFEST_DIR"));
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn collect(spec: &Value) -> Result<Vec<String>, String> {
    let spec: openapiv3::OpenAPI = serde_json::from_value(spec.clone()).unwrap();
    let mut ids: Vec<String> = pagination::collect(&spec)?
        .into_iter()
        .map(|p| p.operation)
        .collect();
    ids.sort();
    Ok(ids)
}

#[test]
fn the_shipped_specs_declare_every_listing() {
    assert_eq!(
        collect(&spec_value("chatbotx")).unwrap(),
        [
            "listBotFields",
            "listChannels",
            "listContactCustomFields",
            "listContactMessages",
            "listContactTags",
            "listContacts",
            "listConversations",
            "listCustomFields",
            "listMembers",
            "listTags",
            "listTeams"
        ]
    );
    assert_eq!(
        collect(&spec_value("chatwoot")).unwrap(),
        [
            "filterConversations",
            "listAgents",
            "listContactConversations",
            "listContacts",
            "listConversations",
            "listCustomAttributeDefinitions",
            "listInboxes",
            "listLabels",
            "listMessages",
            "listTeamMembers",
            "listTeams"
        ]
    );
}

/// The ChatbotX spec with the contacts listing's declaration replaced.
fn with_contacts_declaration(declaration: Value) -> Value {
    let mut spec = spec_value("chatbotx");
    spec["paths"]["/v1/contacts"]["get"]["x-chatdesk-pagination"] = declaration;
    spec
}

#[test]
fn declarations_that_do_not_fit_are_refused_with_what_to_fix() {
    let good = json!({"style": "page-number", "items": "data", "page": "page",
        "page-count": "pageCount", "page-size": "perPage", "page-size-max": 50});
    assert!(collect(&with_contacts_declaration(good.clone())).is_ok());
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut declaration = good.clone();
        change(&mut declaration);
        collect(&with_contacts_declaration(declaration)).unwrap_err()
    };
    for (change, needle) in [
        (
            &(|d: &mut Value| d["pages"] = json!(1)) as &dyn Fn(&mut Value),
            "unknown key `pages`",
        ),
        (
            &|d: &mut Value| d["style"] = json!("offset"),
            "`style` is `cursor`, `keyset`, `page-number` or `whole`",
        ),
        (
            &|d: &mut Value| {
                d.as_object_mut().unwrap().remove("style");
            },
            "`style` is missing",
        ),
        (
            &|d: &mut Value| d["page"] = json!("pageNumber"),
            "`page: pageNumber` is not a query parameter",
        ),
        (
            &|d: &mut Value| d["page-size"] = json!("size"),
            "`page-size: size` is not a query parameter",
        ),
        (
            &|d: &mut Value| d["items"] = json!("results"),
            "the response has no `results`",
        ),
        (
            &|d: &mut Value| d["items"] = json!("pageCount"),
            "is not an array",
        ),
        (
            &|d: &mut Value| d["page-count"] = json!("meta.pages"),
            "`page-count`",
        ),
        (
            &|d: &mut Value| d["page-size-default"] = json!(80),
            "above `page-size-max`",
        ),
        (
            &|d: &mut Value| d["page-size-max"] = json!(0),
            "whole number above 0",
        ),
        (
            &|d: &mut Value| {
                d.as_object_mut().unwrap().remove("page");
            },
            "needs `page`, and `page-count` or `total`",
        ),
        (
            &|d: &mut Value| d["total"] = json!("totalCount"),
            "`page-count` and `total` are two ways to count pages",
        ),
        (
            &|d: &mut Value| {
                d.as_object_mut().unwrap().remove("page-count");
                d["total"] = json!("totalCount");
                d["page-count-hook"] = json!("chatwoot_assignee_count");
            },
            "`total` counts pages by itself",
        ),
        (
            &|d: &mut Value| {
                d.as_object_mut().unwrap().remove("page-count");
                d["total"] = json!("meta.total");
            },
            "`total`: the response has no `meta`",
        ),
        (
            &|d: &mut Value| d["style"] = json!("whole"),
            "`page` is for listings that page; a `whole` listing has one response",
        ),
        (
            &|d: &mut Value| {
                d.as_object_mut().unwrap().remove("items");
            },
            "`items` is missing",
        ),
        (
            &|d: &mut Value| d["start"] = json!("0"),
            "`start` is for keyset listings",
        ),
        (
            &|d: &mut Value| d["window"] = json!(100),
            "`window` is for keyset listings",
        ),
        (
            &|d: &mut Value| {
                d["style"] = json!("keyset");
                d["cursor"] = json!("page");
                d["next-cursor"] = json!("pageCount");
            },
            "a keyset listing needs `cursor`",
        ),
        (
            &|d: &mut Value| d["style"] = json!("cursor"),
            "needs `cursor` and `next-cursor`",
        ),
        (
            &|d: &mut Value| d["single-page-when"] = json!(["since"]),
            "`single-page-when: since` is not a query parameter",
        ),
        (
            &|d: &mut Value| d["single-page-when"] = json!("keyword"),
            "a list of query parameter names",
        ),
        (
            &|d: &mut Value| d["concurrency-default"] = json!(0),
            "whole number above 0",
        ),
    ] {
        let error = broken(change);
        assert!(error.contains(needle), "{needle:?} not in: {error}");
        assert!(
            error.contains("operation `listContacts` (GET /v1/contacts)"),
            "{error}"
        );
    }
}
