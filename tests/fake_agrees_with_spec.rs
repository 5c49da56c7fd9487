//! The fake servers and the specs agree: every query parameter an operation
//! of `openapi/*.yaml` declares, with every value its enum lists, is
//! accepted by the fake that serves the operation, and a parameter the spec
//! does not declare is refused. Renaming a parameter or an enum value in a
//! spec without teaching the fake fails here.

#![cfg(all(feature = "chatwoot", feature = "chatbotx"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chatdesk_fake::{FakeChatbotx, FakeChatwoot, RunningFake};
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, Schema, SchemaKind, Type,
};
use serde_json::json;

fn spec(platform: &str) -> OpenAPI {
    let path = format!("{}/openapi/{platform}.yaml", env!("CARGO_MANIFEST_DIR"));
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `schema`, with a `$ref` to a component schema followed.
fn resolve<'a>(spec: &'a OpenAPI, schema: &'a ReferenceOr<Schema>) -> &'a Schema {
    match schema {
        ReferenceOr::Item(schema) => schema,
        ReferenceOr::Reference { reference } => {
            let name = reference.trim_start_matches("#/components/schemas/");
            let components = spec.components.as_ref().unwrap();
            match &components.schemas[name] {
                ReferenceOr::Item(schema) => schema,
                other => panic!("{name}: nested reference {other:?}"),
            }
        }
    }
}

/// An array's `items`, with a `$ref` followed.
fn boxed_resolve<'a>(spec: &'a OpenAPI, schema: &'a ReferenceOr<Box<Schema>>) -> &'a Schema {
    match schema {
        ReferenceOr::Item(schema) => schema,
        ReferenceOr::Reference { reference } => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(spec, &spec.components.as_ref().unwrap().schemas[name])
        }
    }
}

/// The query pairs of one request.
type Pairs = Vec<(String, String)>;

/// The values an enum schema lists, its example, or one sample value of
/// the type.
fn samples(spec: &OpenAPI, schema: &Schema, name: &str) -> Vec<String> {
    if let Some(example) = &schema.schema_data.example {
        return vec![match example {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        }];
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
            s.enumeration.iter().flatten().cloned().collect()
        }
        SchemaKind::Type(Type::String(s)) if s.pattern.is_some() => vec!["1".into()],
        SchemaKind::Type(Type::String(_)) => vec![match name {
            // Values the fakes check the form of.
            "assignedId" => "u_1".into(),
            _ => "x".into(),
        }],
        SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => i
            .enumeration
            .iter()
            .flatten()
            .map(|v| v.to_string())
            .collect(),
        SchemaKind::Type(Type::Integer(i)) => vec![i.minimum.unwrap_or(1).max(1).to_string()],
        SchemaKind::Type(Type::Number(_)) => vec!["1".into()],
        SchemaKind::Type(Type::Boolean(_)) => vec!["true".into(), "false".into()],
        SchemaKind::Type(Type::Array(a)) => {
            let items = a.items.as_ref().expect("array items");
            samples(spec, boxed_resolve(spec, items), name)
        }
        other => panic!("{name}: no sample for {other:?}"),
    }
}

/// The query pairs that send `value` as the parameter `name` described by
/// `parameter`'s schema or content.
fn pairs_for(
    spec: &OpenAPI,
    name: &str,
    data: &ParameterSchemaOrContent,
) -> Vec<Vec<(String, String)>> {
    match data {
        ParameterSchemaOrContent::Schema(schema) => {
            let schema = resolve(spec, schema);
            samples(spec, schema, name)
                .into_iter()
                .map(|value| vec![(name.to_string(), value)])
                .collect()
        }
        // JSON text: an array of each enum value, or an object sample.
        ParameterSchemaOrContent::Content(content) => {
            let media = content.get("application/json").expect("JSON content");
            let schema = resolve(spec, media.schema.as_ref().expect("schema"));
            match &schema.schema_kind {
                SchemaKind::Type(Type::Array(a)) => {
                    let items = boxed_resolve(spec, a.items.as_ref().unwrap());
                    match &items.schema_kind {
                        SchemaKind::Type(Type::Object(_)) => {
                            vec![vec![(name.to_string(), json!([{"id": "createdAt", "desc": true}]).to_string())]]
                        }
                        _ => samples(spec, items, name)
                            .into_iter()
                            .map(|v| vec![(name.to_string(), json!([v]).to_string())])
                            .collect(),
                    }
                }
                SchemaKind::Type(Type::Object(_)) => vec![vec![(
                    name.to_string(),
                    json!({"operator": "and", "conditions": [{"field": "email", "operator": "isNotEmpty"}]})
                        .to_string(),
                )]],
                other => panic!("{name}: no JSON sample for {other:?}"),
            }
        }
    }
}

/// Every query parameter of every GET operation in `spec`,
/// each with the pairs of every value to try: `(path, name, pairs)`.
fn query_cases(spec: &OpenAPI) -> Vec<(String, String, Vec<Pairs>)> {
    let mut cases = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let Some(get) = &item.get else { continue };
        for parameter in &get.parameters {
            let ReferenceOr::Item(Parameter::Query {
                parameter_data,
                style,
                ..
            }) = parameter
            else {
                continue;
            };
            let name = &parameter_data.name;
            let pairs = if matches!(style, QueryStyle::DeepObject) {
                // Bracket notation of a filter object.
                vec![vec![
                    (format!("{name}[operator]"), "and".to_string()),
                    (format!("{name}[conditions][0][field]"), "email".to_string()),
                    (
                        format!("{name}[conditions][0][operator]"),
                        "isNotEmpty".to_string(),
                    ),
                ]]
            } else {
                pairs_for(spec, name, &parameter_data.format)
            };
            cases.push((path.clone(), name.clone(), pairs));
        }
    }
    cases
}

/// Sends `pairs` to `path` of `fake` with its token in `auth`; the status
/// and body.
async fn send(
    fake: &RunningFake,
    path: &str,
    auth: (&str, String),
    pairs: &[(String, String)],
) -> (u16, String) {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", fake.base_url()))
        .header(auth.0, auth.1)
        .query(pairs)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Checks every case against `fake`, with `fill` giving the path
/// parameters their values.
async fn check(
    platform: &str,
    fake: &RunningFake,
    auth: impl Fn() -> (&'static str, String),
    fill: impl Fn(&str) -> String,
) {
    let spec = spec(platform);
    let cases = query_cases(&spec);
    assert!(!cases.is_empty());
    let mut refused = Vec::new();
    for (path, name, tries) in &cases {
        let path = fill(path);
        // A cursor is the server's own text: take one from a first page.
        let tries = if name == "cursor" {
            let (_, body) = send(
                fake,
                &path,
                auth(),
                &[("perPage".to_string(), "1".to_string())],
            )
            .await;
            let page: serde_json::Value = serde_json::from_str(&body).unwrap();
            let cursor = page["nextCursor"].as_str().expect("a next cursor");
            vec![vec![("cursor".to_string(), cursor.to_string())]]
        } else {
            tries.clone()
        };
        for pairs in &tries {
            let (status, body) = send(fake, &path, auth(), pairs).await;
            if status != 200 {
                refused.push(format!("{path} {name} {pairs:?}: {status} {body}"));
            }
        }
    }
    assert!(
        refused.is_empty(),
        "the {platform} fake refused what its spec declares:\n{}",
        refused.join("\n")
    );
    for (path, _, _) in &cases {
        let path = fill(path);
        let (status, body) = send(
            fake,
            &path,
            auth(),
            &[("notInTheSpec".to_string(), "1".to_string())],
        )
        .await;
        assert!(
            (400..500).contains(&status) && body.contains("notInTheSpec"),
            "{platform} {path}: an undeclared parameter got {status} {body}"
        );
    }
}

#[tokio::test]
async fn the_fake_chatbotx_accepts_every_parameter_and_value_of_its_spec() {
    let fake = FakeChatbotx::builder()
        .conversations(20)
        .contacts(10)
        .start()
        .await
        .unwrap();
    let contact = fake.contact_ids()[0].clone();
    let token = fake.token().to_string();
    check(
        "chatbotx",
        &fake,
        || ("authorization", format!("Bearer {token}")),
        |path| path.replace("{identifier}", &format!("id:{contact}")),
    )
    .await;
}

#[tokio::test]
async fn the_fake_chatwoot_accepts_every_parameter_and_value_of_its_spec() {
    let fake = FakeChatwoot::builder()
        .conversations(20)
        .start()
        .await
        .unwrap();
    let token = fake.token().to_string();
    let conversation = fake.conversation_ids()[0].clone();
    let contact = fake.contact_ids()[0].clone();
    check(
        "chatwoot",
        &fake,
        || ("api_access_token", token.clone()),
        |path| {
            path.replace("{account_id}", "1")
                .replace("{conversation_id}", &conversation)
                .replace("{id}", &contact)
        },
    )
    .await;
}
