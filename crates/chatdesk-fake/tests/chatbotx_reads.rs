#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The fake ChatbotX's read routes beyond the three listings, over plain
//! HTTP: their shapes, paging, identifiers, errors in both server
//! versions, the one data set they share, and data that changes while the
//! fake runs.

use std::collections::HashSet;

use serde_json::{Value, json};

use chatdesk_fake::*;

/// What one request got back.
struct Got {
    status: u16,
    body: String,
}

impl Got {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn get(url: &str, headers: &[(&str, &str)]) -> Got {
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    Got { status, body }
}

/// One request with the fake's token; `path` starts at `/v1`.
async fn cb(fake: &RunningFake, path_and_query: &str) -> Got {
    let url = format!("{}{}", fake.base_url(), path_and_query);
    let bearer = format!("Bearer {}", fake.token());
    get(&url, &[("authorization", bearer.as_str())]).await
}

/// The body of a 200 answer.
async fn ok(fake: &RunningFake, path_and_query: &str) -> Value {
    let got = cb(fake, path_and_query).await;
    assert_eq!(got.status, 200, "{path_and_query}: {}", got.body);
    got.json()
}

async fn fake(version: ChatbotxVersion) -> RunningFake {
    FakeChatbotx::builder()
        .version(version)
        .start()
        .await
        .unwrap()
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn sorted<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut names = names.to_vec();
    names.sort_unstable();
    names
}

fn is_digits(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
}

/// ISO time with milliseconds and `Z`.
fn is_iso_millis(value: &Value) -> bool {
    value.as_str().is_some_and(|s| {
        s.len() == 24 && s.ends_with('Z') && s.as_bytes()[19] == b'.' && s.as_bytes()[10] == b'T'
    })
}

fn data(body: &Value) -> &Vec<Value> {
    body["data"].as_array().unwrap()
}

fn ids(body: &Value) -> Vec<String> {
    data(body)
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_string())
        .collect()
}

/// Every contact, whole, from the contact listing.
async fn all_contacts(fake: &RunningFake) -> Vec<Value> {
    let mut contacts = Vec::new();
    for page in 1.. {
        let body = ok(fake, &format!("/v1/contacts?perPage=50&page={page}")).await;
        if data(&body).is_empty() {
            break;
        }
        contacts.extend(data(&body).iter().cloned());
    }
    contacts
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

// ------------------------------------------------------------- shapes

#[tokio::test]
async fn catalog_lists_have_their_shapes() {
    let fake = fake(ChatbotxVersion::Current).await;
    let tags = ok(&fake, "/v1/tags").await;
    assert_eq!(keys(&tags), ["data"]);
    assert!(!data(&tags).is_empty());
    for tag in data(&tags) {
        assert_eq!(keys(tag), ["id", "name"]);
        assert!(is_digits(&tag["id"]));
    }
    let fields = ok(&fake, "/v1/custom-fields").await;
    assert_eq!(keys(&fields), ["data"]);
    for field in data(&fields) {
        assert_eq!(keys(field), ["description", "id", "name", "type"]);
        assert!(is_digits(&field["id"]));
        assert!(field["description"].is_null() || field["description"].is_string());
    }
    assert!(data(&fields).iter().any(|f| f["description"].is_null()));
    let bot_fields = ok(&fake, "/v1/bot-fields").await;
    assert_eq!(keys(&bot_fields), ["data"]);
    for field in data(&bot_fields) {
        assert_eq!(keys(field), ["id", "name", "type", "value"]);
        assert!(is_digits(&field["id"]));
    }
    assert!(data(&bot_fields).iter().any(|f| f["value"].is_null()));
    let workspace = ok(&fake, "/v1/workspaces").await;
    assert_eq!(
        keys(&workspace),
        sorted(&[
            "id",
            "createdAt",
            "updatedAt",
            "name",
            "defaultReply",
            "targetCountry",
            "language",
            "timezone",
            "brandColor",
            "developmentMode",
            "logo",
            "ownerId",
            "tenantId"
        ])
    );
    assert!(workspace.get("token").is_none());
    assert!(is_digits(&workspace["id"]) && is_digits(&workspace["ownerId"]));
    assert!(is_iso_millis(&workspace["createdAt"]));
    assert!(workspace["logo"].is_null());
}

#[tokio::test]
async fn people_and_channels_have_their_shapes() {
    let fake = fake(ChatbotxVersion::Current).await;
    let members = ok(&fake, "/v1/members").await;
    assert_eq!(keys(&members), ["data", "pageCount"]);
    assert_eq!(members["pageCount"], 1);
    for member in data(&members) {
        assert_eq!(
            keys(member),
            sorted(&[
                "id",
                "createdAt",
                "updatedAt",
                "workspaceId",
                "userId",
                "role",
                "notificationChannels",
                "notificationTypes",
                "permissions",
                "user"
            ])
        );
        assert_eq!(keys(&member["user"]), ["id", "image", "name"]);
        assert_eq!(member["user"]["id"], member["userId"]);
        assert!(["owner", "agent"].contains(&member["role"].as_str().unwrap()));
        assert_eq!(keys(&member["permissions"]).len(), 8);
        assert!(is_digits(&member["id"]) && is_digits(&member["userId"]));
    }
    let teams = ok(&fake, "/v1/teams").await;
    assert_eq!(keys(&teams), ["data"]);
    for team in data(&teams) {
        assert_eq!(
            keys(team),
            sorted(&[
                "id",
                "createdAt",
                "updatedAt",
                "workspaceId",
                "name",
                "inboxTeamMembers"
            ])
        );
        for member in team["inboxTeamMembers"].as_array().unwrap() {
            assert_eq!(
                keys(member),
                sorted(&[
                    "id",
                    "createdAt",
                    "updatedAt",
                    "inboxTeamId",
                    "userId",
                    "user"
                ])
            );
            assert_eq!(member["inboxTeamId"], team["id"]);
            assert_eq!(member["user"]["id"], member["userId"]);
            assert!(member["user"]["email"].is_string(), "the whole user");
        }
    }
    assert!(
        data(&teams)
            .iter()
            .any(|t| !t["inboxTeamMembers"].as_array().unwrap().is_empty())
    );
    let channels = ok(&fake, "/v1/channels").await;
    assert_eq!(keys(&channels), ["data", "pageCount"]);
    for channel in data(&channels) {
        assert_eq!(keys(channel), ["channel", "id", "name", "status"]);
        assert!(is_digits(&channel["id"]), "{channel}");
        // Only connected inboxes.
        assert_eq!(channel["status"], "active");
    }
}

#[tokio::test]
async fn one_contact_is_the_listing_contact_with_every_relation() {
    for version in [ChatbotxVersion::Current, ChatbotxVersion::OpenSource] {
        let fake = fake(version).await;
        let contacts = all_contacts(&fake).await;
        for listed in contacts.iter().take(20) {
            let id = listed["id"].as_str().unwrap();
            let one = ok(&fake, &format!("/v1/contacts/id:{id}")).await;
            assert_eq!(&one, listed, "{version:?}");
            for key in [
                "tags",
                "contactCustomFields",
                "contactInboxes",
                "conversation",
            ] {
                assert!(one.get(key).is_some(), "{key}");
            }
            assert!(is_iso_millis(&one["createdAt"]));
        }
        // `include` only trims the listing: one contact has them all.
        let trimmed = ok(&fake, "/v1/contacts?include[]=tags&perPage=1").await;
        let id = ids(&trimmed)[0].clone();
        let one = ok(&fake, &format!("/v1/contacts/id:{id}")).await;
        assert!(one.get("contactInboxes").is_some());
    }
}

#[tokio::test]
async fn contact_tags_and_custom_fields_are_the_contacts_own() {
    let fake = fake(ChatbotxVersion::Current).await;
    let contacts = all_contacts(&fake).await;
    let mut with_tags = 0;
    let mut with_fields = 0;
    for contact in &contacts {
        let id = contact["id"].as_str().unwrap();
        let tags = ok(&fake, &format!("/v1/contacts/id:{id}/tags")).await;
        assert_eq!(keys(&tags), ["data"]);
        let own: Vec<Value> = contact["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| json!({"id": t["id"], "name": t["name"]}))
            .collect();
        assert_eq!(data(&tags), &own);
        with_tags += usize::from(!own.is_empty());
        let fields = ok(&fake, &format!("/v1/contacts/id:{id}/custom-fields")).await;
        let rows = contact["contactCustomFields"].as_array().unwrap();
        assert_eq!(data(&fields).len(), rows.len());
        for (field, row) in data(&fields).iter().zip(rows) {
            assert_eq!(keys(field), ["description", "id", "name", "type", "value"]);
            assert_eq!(field["id"], row["customFieldId"]);
            assert_eq!(field["value"], row["value"]);
        }
        with_fields += usize::from(!rows.is_empty());
    }
    assert!(with_tags > 0 && with_fields > 0);
}

#[tokio::test]
async fn a_message_by_id_is_the_listing_message() {
    let fake = FakeChatbotx::builder()
        .messages_per_contact(6)
        .start()
        .await
        .unwrap();
    let contact = fake.contact_ids()[2].clone();
    let listing = ok(
        &fake,
        &format!("/v1/contacts/id:{contact}/messages?perPage=50"),
    )
    .await;
    assert_eq!(data(&listing).len(), 6);
    for message in data(&listing) {
        let id = message["id"].as_str().unwrap();
        let one = ok(&fake, &format!("/v1/contacts/id:{contact}/messages/{id}")).await;
        assert_eq!(&one, message);
    }
    // A message of another contact, or none: 404 `notFound`.
    let other = fake.contact_ids()[3].clone();
    let foreign = fake.message_ids(&other)[0].clone();
    for id in [foreign.as_str(), "1", "99999999999999999999999"] {
        let got = cb(&fake, &format!("/v1/contacts/id:{contact}/messages/{id}")).await;
        assert_eq!(got.status, 404, "{id}");
        assert_eq!(
            got.json(),
            json!({"defined": true, "code": "notFound", "status": 404, "message": "Message not found"})
        );
    }
}

// ------------------------------------------------------------- identifiers

#[tokio::test]
async fn identifiers_by_id_email_and_phone() {
    let fake = fake(ChatbotxVersion::Current).await;
    let contacts = all_contacts(&fake).await;
    let with_email = contacts.iter().find(|c| c["email"].is_string()).unwrap();
    let email = with_email["email"].as_str().unwrap();
    let with_phone = contacts
        .iter()
        .find(|c| {
            c["phoneNumber"]
                .as_str()
                .is_some_and(|p| p.starts_with('+'))
        })
        .unwrap();
    let phone = with_phone["phoneNumber"].as_str().unwrap();
    for (identifier, expected) in [
        (format!("email:{}", email.replace('@', "%40")), with_email),
        (format!("email:{email}"), with_email),
        (format!("phone:{}", phone.replace('+', "%2B")), with_phone),
        (
            format!("id:{}", with_phone["id"].as_str().unwrap()),
            with_phone,
        ),
    ] {
        let one = ok(&fake, &format!("/v1/contacts/{identifier}")).await;
        assert_eq!(one["id"], expected["id"], "{identifier}");
        let tags = cb(&fake, &format!("/v1/contacts/{identifier}/tags")).await;
        assert_eq!(tags.status, 200);
        let fields = cb(&fake, &format!("/v1/contacts/{identifier}/custom-fields")).await;
        assert_eq!(fields.status, 200);
        let messages = ok(&fake, &format!("/v1/contacts/{identifier}/messages")).await;
        let id = expected["id"].as_str().unwrap();
        assert_eq!(
            ids(&messages),
            fake.message_ids(id)[..messages["data"].as_array().unwrap().len()]
        );
    }
    let not_found =
        json!({"defined": true, "code": "notFound", "status": 404, "message": "Contact not found"});
    for bad in [
        "42",
        "id:abc",
        "id:",
        "name:x",
        "id:1",
        &encode("email:nobody@nowhere.example"),
        "phone:%2B0",
    ] {
        for tail in ["", "/tags", "/custom-fields", "/messages", "/messages/1"] {
            let got = cb(&fake, &format!("/v1/contacts/{bad}{tail}")).await;
            assert_eq!(got.status, 404, "{bad}{tail}");
            assert_eq!(got.json(), not_found, "{bad}{tail}");
        }
    }
}

// ------------------------------------------------------------- paging

#[tokio::test]
async fn members_page_and_filter_by_keyword() {
    let fake = fake(ChatbotxVersion::Current).await;
    let all = ok(&fake, "/v1/members").await;
    let total = data(&all).len();
    assert!(total >= 2);
    let mut walked = Vec::new();
    for page in 1..=total {
        let body = ok(&fake, &format!("/v1/members?perPage=1&page={page}")).await;
        assert_eq!(body["pageCount"], total);
        walked.extend(ids(&body));
    }
    assert_eq!(walked, ids(&all));
    let past = ok(&fake, &format!("/v1/members?perPage=1&page={}", total + 1)).await;
    assert!(data(&past).is_empty());
    // A page size above 50 is cut to 50.
    assert_eq!(ok(&fake, "/v1/members?perPage=500").await["pageCount"], 1);
    // `keyword`: part of the user's name, any case; `%` a wildcard.
    let name = data(&all)[1]["user"]["name"].as_str().unwrap().to_string();
    let part: String = name.chars().skip(1).take(3).collect();
    let found = ok(
        &fake,
        &format!("/v1/members?keyword={}", encode(&part.to_uppercase())),
    )
    .await;
    assert!(ids(&found).contains(&ids(&all)[1]));
    let none = ok(&fake, "/v1/members?keyword=zzzzzz").await;
    assert!(data(&none).is_empty());
    assert_eq!(none["pageCount"], 0);
    assert_eq!(
        data(&ok(&fake, "/v1/members?keyword=%25").await).len(),
        total
    );
    // `sort` is read and not applied.
    let sorted = ok(
        &fake,
        &format!(
            "/v1/members?sort={}",
            encode(r#"[{"id":"createdAt","desc":true}]"#)
        ),
    )
    .await;
    assert_eq!(ids(&sorted), ids(&all));
}

#[tokio::test]
async fn channels_page_as_the_server_counts() {
    let fake = fake(ChatbotxVersion::Current).await;
    let all = ok(&fake, "/v1/channels").await;
    let total = data(&all).len();
    assert!(total > 2);
    // Without `perPage`, pages of 20 counted as pages of 10.
    assert_eq!(all["pageCount"], total.div_ceil(10));
    let mut walked = Vec::new();
    for page in 1..=total.div_ceil(2) {
        let body = ok(&fake, &format!("/v1/channels?perPage=2&page={page}")).await;
        assert_eq!(body["pageCount"], total.div_ceil(2));
        walked.extend(ids(&body));
    }
    assert_eq!(walked, ids(&all));
    let ok_includes = cb(&fake, "/v1/channels?includes[]=integration").await;
    assert_eq!(ok_includes.status, 200);
    assert_eq!(ids(&ok_includes.json()), ids(&all));
    let bad = cb(&fake, "/v1/channels?includes[]=inbox").await;
    assert_eq!(bad.status, 422);
}

// ------------------------------------------------------------- errors

#[tokio::test]
async fn auth_failures_in_both_versions() {
    for (version, status, body) in [
        (
            ChatbotxVersion::Current,
            401,
            json!({"defined": true, "code": "INVALID_CHATBOT_TOKEN", "status": 401, "message": "Invalid or missing workspace API token"}),
        ),
        (
            ChatbotxVersion::OpenSource,
            500,
            json!({"defined": false, "code": "INVALID_CHATBOT_TOKEN", "status": 500, "message": "INVALID_CHATBOT_TOKEN"}),
        ),
    ] {
        let fake = fake(version).await;
        let contact = fake.contact_ids()[0].clone();
        let message = fake.message_ids(&contact)[0].clone();
        for path in routes(&contact, &message) {
            let url = format!("{}{path}", fake.base_url());
            let missing = get(&url, &[]).await;
            assert_eq!(missing.status, status, "{version:?} {path}");
            assert_eq!(missing.json(), body);
            let wrong = get(&url, &[("authorization", "Bearer cbx_ws_wrong")]).await;
            assert_eq!(wrong.status, status);
            assert_eq!(wrong.json(), body);
            let in_query = get(&format!("{url}?token={}", fake.token()), &[]).await;
            assert_eq!(
                in_query.status, 200,
                "{version:?} {path}: {}",
                in_query.body
            );
        }
    }
}

fn routes(contact: &str, message: &str) -> Vec<String> {
    vec![
        format!("/v1/contacts/id:{contact}"),
        format!("/v1/contacts/id:{contact}/tags"),
        format!("/v1/contacts/id:{contact}/custom-fields"),
        format!("/v1/contacts/id:{contact}/messages/{message}"),
        "/v1/tags".to_string(),
        "/v1/custom-fields".to_string(),
        "/v1/bot-fields".to_string(),
        "/v1/channels".to_string(),
        "/v1/members".to_string(),
        "/v1/teams".to_string(),
        "/v1/workspaces".to_string(),
    ]
}

#[tokio::test]
async fn unknown_query_keys_are_refused_in_both_versions() {
    for (version, status, code) in [
        (ChatbotxVersion::Current, 422, "invalidRequestData"),
        (ChatbotxVersion::OpenSource, 400, "BAD_REQUEST"),
    ] {
        let fake = fake(version).await;
        let contact = fake.contact_ids()[0].clone();
        let message = fake.message_ids(&contact)[0].clone();
        for path in routes(&contact, &message) {
            let got = cb(&fake, &format!("{path}?foo=1")).await;
            if path == "/v1/teams" || path == "/v1/workspaces" {
                // These routes declare no input: nothing is validated.
                assert_eq!(got.status, 200, "{version:?} {path}");
                continue;
            }
            assert_eq!(got.status, status, "{version:?} {path}: {}", got.body);
            let body = got.json();
            assert_eq!(body["code"], code);
            let issues = body["data"]["issues"].as_array().unwrap();
            assert!(
                issues
                    .iter()
                    .any(|i| i["path"] == json!(["foo"]) && i["message"] == "Unrecognized key: foo"),
                "{body}"
            );
        }
        // Bad values, worded by version.
        for path in [
            "/v1/members?perPage=0",
            "/v1/channels?page=0",
            "/v1/members?page=abc",
        ] {
            let got = cb(&fake, path).await;
            assert_eq!(got.status, status, "{version:?} {path}");
        }
        let below = cb(&fake, "/v1/members?perPage=0").await.json();
        let message = &below["data"]["issues"][0]["message"];
        match version {
            ChatbotxVersion::Current => assert_eq!(message, "Too small: expected number to be >=1"),
            ChatbotxVersion::OpenSource => {
                assert_eq!(message, "Number must be greater than or equal to 1");
            }
        }
        // A message id that is not digits.
        let got = cb(&fake, &format!("/v1/contacts/id:{contact}/messages/abc")).await;
        assert_eq!(got.status, status);
        assert_eq!(
            got.json()["data"]["issues"][0]["path"],
            json!(["messageId"])
        );
    }
}

#[tokio::test]
async fn session_is_wanted_where_the_server_asks_for_the_user() {
    let fake = FakeChatbotx::builder()
        .require_session("better-auth.session_token=abc")
        .start()
        .await
        .unwrap();
    let bearer = format!("Bearer {}", fake.token());
    for path in ["/v1/channels", "/v1/members", "/v1/teams"] {
        let url = format!("{}{path}", fake.base_url());
        let without = get(&url, &[("authorization", &bearer)]).await;
        assert_eq!(without.status, 400, "{path}");
        assert_eq!(
            without.json(),
            json!({"defined": false, "code": "systemError", "status": 400, "message": "User is not associated with this workspace"})
        );
        let with = get(
            &url,
            &[
                ("authorization", &bearer),
                ("cookie", "better-auth.session_token=abc"),
            ],
        )
        .await;
        assert_eq!(with.status, 200, "{path}");
    }
    for path in [
        "/v1/tags",
        "/v1/custom-fields",
        "/v1/bot-fields",
        "/v1/workspaces",
    ] {
        assert_eq!(cb(&fake, path).await.status, 200, "{path}");
    }
}

// ------------------------------------------------------------- one data set

#[tokio::test]
async fn everything_a_contact_or_conversation_names_is_listed() {
    let fake = FakeChatbotx::builder()
        .conversations(200)
        .contacts(150)
        .start()
        .await
        .unwrap();
    let tag_ids: HashSet<String> = ids(&ok(&fake, "/v1/tags").await).into_iter().collect();
    let field_ids: HashSet<String> = ids(&ok(&fake, "/v1/custom-fields").await)
        .into_iter()
        .collect();
    let members = ok(&fake, "/v1/members").await;
    let user_ids: HashSet<&str> = data(&members)
        .iter()
        .map(|m| m["userId"].as_str().unwrap())
        .collect();
    let teams = ok(&fake, "/v1/teams").await;
    let team_ids: HashSet<String> = ids(&teams).into_iter().collect();
    let workspace = ok(&fake, "/v1/workspaces").await;
    assert!(user_ids.contains(workspace["ownerId"].as_str().unwrap()));
    for team in data(&teams) {
        for member in team["inboxTeamMembers"].as_array().unwrap() {
            assert!(user_ids.contains(member["userId"].as_str().unwrap()));
        }
    }
    let channels = ok(&fake, "/v1/channels?perPage=50").await;
    let source_ids: HashSet<String> = ids(&channels).into_iter().collect();

    let mut seen_tags = HashSet::new();
    let mut seen_fields = HashSet::new();
    for contact in all_contacts(&fake).await {
        assert_eq!(contact["workspaceId"], workspace["id"]);
        for tag in contact["tags"].as_array().unwrap() {
            assert!(tag_ids.contains(tag["id"].as_str().unwrap()), "{tag}");
            seen_tags.insert(tag["id"].as_str().unwrap().to_string());
        }
        for row in contact["contactCustomFields"].as_array().unwrap() {
            assert!(
                field_ids.contains(row["customFieldId"].as_str().unwrap()),
                "{row}"
            );
            seen_fields.insert(row["customFieldId"].as_str().unwrap().to_string());
        }
        for inbox in contact["contactInboxes"].as_array().unwrap() {
            let inbox = &inbox["inbox"];
            assert_eq!(inbox["workspaceId"], workspace["id"]);
            assert!(is_digits(&inbox["sourceId"]), "{inbox}");
            if inbox["status"] == "active" {
                assert!(
                    source_ids.contains(inbox["sourceId"].as_str().unwrap()),
                    "{inbox}"
                );
            }
        }
    }
    assert!(!seen_tags.is_empty() && !seen_fields.is_empty());
    let mut assigned = 0;
    for tags in [
        "",
        "[\"archived\"]",
        "[\"blocked\"]",
        "[\"archived\",\"blocked\"]",
    ] {
        let mut cursor: Option<String> = None;
        loop {
            let mut query = format!("/v1/conversations?perPage=100&tags={}", encode(tags));
            if tags.is_empty() {
                query = "/v1/conversations?perPage=100".to_string();
            }
            if let Some(c) = &cursor {
                query.push_str(&format!("&cursor={}", encode(c)));
            }
            let page = ok(&fake, &query).await;
            for conversation in data(&page) {
                assert_eq!(conversation["workspaceId"], workspace["id"]);
                if let Some(user) = conversation["assignedUserId"].as_str() {
                    assert!(user_ids.contains(user), "{user}");
                    assigned += 1;
                }
                if let Some(team) = conversation["assignedInboxTeamId"].as_str() {
                    assert!(team_ids.contains(team), "{team}");
                }
            }
            match page["nextCursor"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => break,
            }
        }
    }
    assert!(assigned > 0);
}

#[tokio::test]
async fn every_id_is_text_of_digits_and_every_time_has_milliseconds() {
    fn check(value: &Value, path: &str) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    let here = format!("{path}.{key}");
                    if (key == "id" || key.ends_with("Id")) && !item.is_null() && key != "sourceId"
                    {
                        assert!(is_digits(item), "{here}: {item}");
                    }
                    if key.ends_with("At") && !item.is_null() {
                        assert!(is_iso_millis(item), "{here}: {item}");
                    }
                    check(item, &here);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| check(item, path)),
            _ => {}
        }
    }
    let fake = fake(ChatbotxVersion::Current).await;
    let contact = fake.contact_ids()[0].clone();
    let message = fake.message_ids(&contact)[0].clone();
    for path in routes(&contact, &message) {
        check(&ok(&fake, &path).await, &path);
    }
}

// ------------------------------------------------------------- changes

#[tokio::test]
async fn a_new_message_lists_first_and_is_found_by_id() {
    let fake = fake(ChatbotxVersion::Current).await;
    let contact = fake.contact_ids()[40].clone();
    let before = fake.message_ids(&contact);
    let largest = fake
        .contact_ids()
        .iter()
        .flat_map(|c| fake.message_ids(c))
        .map(|id| id.parse::<u64>().unwrap())
        .max()
        .unwrap();
    let id = fake.add_message(&format!("id:{contact}")).unwrap();
    assert!(id.parse::<u64>().unwrap() > largest);
    assert_eq!(fake.message_ids(&contact)[0], id);
    assert_eq!(fake.message_ids(&contact)[1..], before[..]);
    let listing = ok(&fake, &format!("/v1/contacts/id:{contact}/messages")).await;
    assert_eq!(ids(&listing)[0], id);
    let one = ok(&fake, &format!("/v1/contacts/id:{contact}/messages/{id}")).await;
    assert_eq!(one, data(&listing)[0]);
    assert_eq!(one["messageType"], "incoming");
    assert_eq!(one["senderType"], "contact");
    assert_eq!(one["senderId"], contact.as_str());
    // Its conversation lists first, with the message's time.
    let whole = ok(&fake, &format!("/v1/contacts/id:{contact}")).await;
    let conversation_id = whole["conversation"]["id"].as_str().unwrap().to_string();
    assert_eq!(whole["conversation"]["lastActivityAt"], one["createdAt"]);
    assert_eq!(one["conversationId"], conversation_id.as_str());
    let first = ok(&fake, "/v1/conversations?perPage=1").await;
    assert_eq!(ids(&first), vec![conversation_id.clone()]);
    assert_eq!(data(&first)[0]["updatedAt"], one["createdAt"]);
    assert_eq!(data(&first)[0]["messages"][0]["id"], id.as_str());
    assert_eq!(fake.conversation_ids()[0], conversation_id);
    // An unknown contact gets none.
    assert_eq!(fake.add_message("id:1"), None);
}

#[tokio::test]
async fn a_status_change_shows_in_the_listings() {
    let fake = fake(ChatbotxVersion::Current).await;
    let ids_before = fake.conversation_ids();
    let id = ids_before[50].clone();
    assert!(!fake.set_conversation_status(&id, "no-such-status"));
    assert!(!fake.set_conversation_status("1", "followUp"));
    let before = data(&ok(&fake, "/v1/conversations?perPage=100").await)[50].clone();
    assert_eq!(before["id"], id.as_str());
    assert!(fake.set_conversation_status(&id, "followUp"));
    // As on the server: the field and `updatedAt` change, the activity and
    // the place in the listing stay.
    let page = ok(&fake, "/v1/conversations?perPage=100").await;
    assert_eq!(ids(&page), ids_before[..100]);
    let after = &data(&page)[50];
    assert_eq!(after["followed"], true);
    assert_eq!(after["lastActivityAt"], before["lastActivityAt"]);
    assert!(after["updatedAt"].as_str() > before["updatedAt"].as_str());
    let newest_update = data(&page)
        .iter()
        .filter(|c| c["id"] != id.as_str())
        .filter_map(|c| c["updatedAt"].as_str())
        .max()
        .unwrap();
    assert!(after["updatedAt"].as_str().unwrap() > newest_update);
    let followed = ok(
        &fake,
        &format!(
            "/v1/conversations?perPage=100&tags={}",
            encode("[\"followUp\"]")
        ),
    )
    .await;
    assert!(ids(&followed).contains(&id));
    assert!(fake.set_conversation_status(&id, "unread"));
    let unread = ok(
        &fake,
        &format!(
            "/v1/conversations?perPage=100&tags={}",
            encode("[\"unread\"]")
        ),
    )
    .await;
    assert!(ids(&unread).contains(&id));
    let row = data(&unread)
        .iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap()
        .clone();
    assert!(row["agentLastReadAt"].as_str() < row["lastActivityAt"].as_str());
    assert!(fake.set_conversation_status(&id, "read"));
    let unread = ok(
        &fake,
        &format!(
            "/v1/conversations?perPage=100&tags={}",
            encode("[\"unread\"]")
        ),
    )
    .await;
    assert!(!ids(&unread).contains(&id));
    // Archived: out of the default view, into the archived one.
    assert!(fake.set_conversation_status(&id, "archived"));
    assert!(!fake.conversation_ids().contains(&id));
    let archived = ok(
        &fake,
        &format!(
            "/v1/conversations?perPage=100&tags={}",
            encode("[\"archived\"]")
        ),
    )
    .await;
    let row = data(&archived)
        .iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap();
    assert!(is_iso_millis(&row["archivedAt"]));
    // Unarchived: back in the default view, in its place.
    assert!(fake.set_conversation_status(&id, "unarchived"));
    assert_eq!(fake.conversation_ids(), ids_before);
    let page = ok(&fake, "/v1/conversations?perPage=100").await;
    assert!(data(&page)[50]["archivedAt"].is_null());
    assert!(fake.set_conversation_status(&id, "unfollowed"));
    let page = ok(&fake, "/v1/conversations?perPage=100").await;
    assert_eq!(data(&page)[50]["followed"], false);
}

#[tokio::test]
async fn new_contacts_list_first_without_a_conversation() {
    let fake = fake(ChatbotxVersion::Current).await;
    let before = fake.contact_ids();
    let new = fake.add_contacts(3);
    assert_eq!(new.len(), 3);
    assert_eq!(fake.contact_ids()[..3], new[..]);
    assert_eq!(fake.contact_ids()[3..], before[..]);
    let page = ok(&fake, "/v1/contacts?perPage=3").await;
    assert_eq!(ids(&page), new);
    assert_eq!(page["totalCount"], 103);
    let newest = &data(&page)[0];
    assert!(newest["conversation"].is_null());
    assert!(
        newest["createdAt"].as_str()
            > data(&ok(&fake, "/v1/contacts?perPage=4").await)[3]["createdAt"].as_str()
    );
    let one = ok(&fake, &format!("/v1/contacts/id:{}", new[0])).await;
    assert_eq!(&one, newest);
    assert!(fake.message_ids(&new[0]).is_empty());
    // No conversation yet: its messages are not found.
    let got = cb(&fake, &format!("/v1/contacts/id:{}/messages", new[0])).await;
    assert_eq!(got.status, 404);
    assert_eq!(
        got.json(),
        json!({"defined": true, "code": "notFound", "status": 404, "message": "Conversation not found"})
    );
    // Its first message brings the conversation.
    let message = fake.add_message(&new[1]).unwrap();
    let listing = ok(&fake, &format!("/v1/contacts/id:{}/messages", new[1])).await;
    assert_eq!(ids(&listing), vec![message]);
    let whole = ok(&fake, &format!("/v1/contacts/id:{}", new[1])).await;
    let conversation = whole["conversation"]["id"].as_str().unwrap().to_string();
    assert_eq!(fake.conversation_ids()[0], conversation);
    assert_eq!(fake.conversation_ids().len(), 101);
}
