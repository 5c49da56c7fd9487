#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The fakes against plain HTTP requests and against the library's own
//! list helpers.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
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
    let client = reqwest::Client::new();
    let mut request = client.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    Got { status, body }
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

// ---------------------------------------------------------------- Chatwoot

async fn chatwoot(count: usize) -> RunningFake {
    FakeChatwoot::builder()
        .conversations(count)
        .start()
        .await
        .unwrap()
}

/// One Chatwoot listing request with the fake's token.
async fn cw(fake: &RunningFake, query: &str) -> Got {
    let url = format!(
        "{}/api/v1/accounts/1/conversations{}{}",
        fake.base_url(),
        if query.is_empty() { "" } else { "?" },
        query
    );
    get(&url, &[("api_access_token", fake.token())]).await
}

fn payload_ids(page: &Value) -> Vec<String> {
    page["data"]["payload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].to_string())
        .collect()
}

#[tokio::test]
async fn chatwoot_pages_hold_25_and_past_the_end_is_empty_with_the_same_counts() {
    let fake = chatwoot(60).await;
    let mut all = Vec::new();
    let mut metas = Vec::new();
    for page in 1..=4 {
        let got = cw(&fake, &format!("status=all&page={page}")).await;
        assert_eq!(got.status, 200);
        let body = got.json();
        let ids = payload_ids(&body);
        assert_eq!(ids.len(), [25, 25, 10, 0][page - 1], "page {page}");
        all.extend(ids);
        metas.push(body["data"]["meta"].clone());
    }
    assert_eq!(metas[0]["all_count"], 60);
    assert!(metas.iter().all(|m| *m == metas[0]));
    assert_eq!(all, fake.conversation_ids());
}

#[tokio::test]
async fn chatwoot_page_zero_negative_or_not_a_number_is_page_one() {
    let fake = chatwoot(40).await;
    let first = payload_ids(&cw(&fake, "status=all").await.json());
    for page in ["0", "-3", "abc", "1"] {
        let got = cw(&fake, &format!("status=all&page={page}")).await;
        assert_eq!(got.status, 200, "page={page}");
        assert_eq!(payload_ids(&got.json()), first, "page={page}");
    }
}

#[tokio::test]
async fn chatwoot_counts_are_taken_before_the_assignee_filter() {
    let fake = chatwoot(300).await;
    let all = cw(&fake, "status=all").await.json();
    let meta = all["data"]["meta"].clone();
    let count = |v: &Value| v.as_u64().unwrap();
    assert_eq!(
        count(&meta["assigned_count"]) + count(&meta["unassigned_count"]),
        count(&meta["all_count"])
    );
    // Walk every page to check the counts against the data.
    let mut conversations = Vec::new();
    for page in 1.. {
        let body = cw(&fake, &format!("status=all&page={page}")).await.json();
        let items = body["data"]["payload"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        conversations.extend(items);
    }
    assert_eq!(conversations.len(), 300);
    let person = |c: &Value| c["meta"]["assignee_type"] == "User";
    let bots = conversations
        .iter()
        .filter(|c| c["meta"]["assignee_type"] == "AgentBot")
        .count();
    assert!(bots > 0, "some conversations are bot-assigned");
    let mine = conversations
        .iter()
        .filter(|c| person(c) && c["meta"]["assignee"]["id"] == 1)
        .count();
    assert_eq!(count(&meta["mine_count"]), mine as u64);
    assert_eq!(
        count(&meta["assigned_count"]),
        conversations.iter().filter(|c| person(c)).count() as u64
    );
    assert_eq!(
        count(&meta["unassigned_count"]),
        conversations.iter().filter(|c| !person(c)).count() as u64,
        "bot-assigned conversations count as unassigned"
    );
    for (filter, expected) in [
        ("me", mine),
        ("assigned", count(&meta["assigned_count"]) as usize),
        ("unassigned", count(&meta["unassigned_count"]) as usize),
    ] {
        let body = cw(&fake, &format!("status=all&assignee_type={filter}"))
            .await
            .json();
        assert_eq!(body["data"]["meta"], meta, "counts ignore assignee_type");
        let payload = body["data"]["payload"].as_array().unwrap();
        assert_eq!(payload.len(), expected.min(25), "{filter}");
        for c in payload {
            match filter {
                "me" => assert_eq!(c["meta"]["assignee"]["id"], 1),
                "assigned" => assert!(person(c)),
                _ => assert!(!person(c)),
            }
        }
    }
}

#[tokio::test]
async fn chatwoot_filters_apply_to_the_data() {
    let fake = chatwoot(400).await;
    // Default status is open.
    let open = cw(&fake, "").await.json();
    assert!(open["data"]["meta"]["all_count"].as_u64().unwrap() < 400);
    for c in open["data"]["payload"].as_array().unwrap() {
        assert_eq!(c["status"], "open");
    }
    let resolved = cw(&fake, "status=resolved").await.json();
    for c in resolved["data"]["payload"].as_array().unwrap() {
        assert_eq!(c["status"], "resolved");
    }
    let by_inbox = cw(&fake, "status=all&inbox_id=2").await.json();
    assert!(by_inbox["data"]["meta"]["all_count"].as_u64().unwrap() > 0);
    for c in by_inbox["data"]["payload"].as_array().unwrap() {
        assert_eq!(c["inbox_id"], 2);
        assert_eq!(c["meta"]["channel"], "Channel::Whatsapp");
    }
    let by_team = cw(&fake, "status=all&team_id=1").await.json();
    for c in by_team["data"]["payload"].as_array().unwrap() {
        assert_eq!(c["meta"]["team"]["id"], 1);
    }
    let labels = cw(&fake, "status=all&labels[]=vip&labels[]=billing")
        .await
        .json();
    for c in labels["data"]["payload"].as_array().unwrap() {
        let have: Vec<&str> = c["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert!(have.contains(&"vip") && have.contains(&"billing"));
    }
    let q = cw(&fake, &format!("status=all&q={}", encode("HOÀN TIỀN")))
        .await
        .json();
    let found = q["data"]["payload"].as_array().unwrap();
    assert!(!found.is_empty(), "q finds messages case-insensitively");
    for c in found {
        let texts = format!(
            "{} {}",
            c["messages"], c["last_non_activity_message"]["content"]
        )
        .to_lowercase();
        assert!(texts.contains("hoàn tiền"), "{texts}");
    }
    // updated_within: every match in one response, no paging.
    let recent = cw(&fake, "status=all&updated_within=100000000&page=2")
        .await
        .json();
    assert_eq!(recent["data"]["payload"].as_array().unwrap().len(), 400);
}

#[tokio::test]
async fn chatwoot_auth_and_account_errors() {
    let fake = chatwoot(5).await;
    let url = format!("{}/api/v1/accounts/1/conversations", fake.base_url());
    let missing = get(&url, &[]).await;
    assert_eq!(missing.status, 401);
    assert_eq!(
        missing.json(),
        json!({"errors": ["You need to sign in or sign up before continuing."]})
    );
    let wrong = get(&url, &[("api_access_token", "nope")]).await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json(), json!({"error": "Invalid Access Token"}));
    let other_account = get(
        &format!("{}/api/v1/accounts/2/conversations", fake.base_url()),
        &[("api_access_token", fake.token())],
    )
    .await;
    assert_eq!(other_account.status, 404);
    assert_eq!(
        other_account.json(),
        json!({"error": "Resource could not be found"})
    );
}

#[tokio::test]
async fn chatwoot_rejects_parameters_its_spec_does_not_list() {
    let fake = chatwoot(5).await;
    for (query, name) in [
        ("labels=a", "labels"),
        ("per_page=50", "per_page"),
        ("status=all&foo=1", "foo"),
    ] {
        let got = cw(&fake, query).await;
        assert_eq!(got.status, 400, "{query}");
        assert_eq!(
            got.json(),
            json!({"error": format!("unknown parameter: {name}")})
        );
    }
    for (query, name) in [
        ("status=archived", "status"),
        ("assignee_type=mine", "assignee_type"),
        ("sort_by=newest", "sort_by"),
        ("conversation_type=all", "conversation_type"),
        ("inbox_id=abc", "inbox_id"),
        ("team_id=1.5", "team_id"),
        ("updated_within=soon", "updated_within"),
    ] {
        let got = cw(&fake, query).await;
        assert_eq!(got.status, 400, "{query}");
        let message = got.json()["error"].as_str().unwrap().to_string();
        assert!(message.contains(name), "{query}: {message}");
    }
    // Known parameters with good values pass.
    let ok = cw(
        &fake,
        "status=all&assignee_type=all&sort_by=created_at_asc&conversation_type=unattended&source_id=x&q=a",
    )
    .await;
    assert_eq!(ok.status, 200);
}

#[tokio::test]
async fn chatwoot_conversations_are_shaped_like_the_fixtures() {
    let fake = chatwoot(200).await;
    let mut conversations = Vec::new();
    for page in 1..=8 {
        let body = cw(&fake, &format!("status=all&page={page}")).await.json();
        conversations.extend(body["data"]["payload"].as_array().unwrap().clone());
    }
    let any = |f: &dyn Fn(&Value) -> bool| conversations.iter().any(f);
    assert!(any(
        &|c| c["applied_sla"].is_object() && c["sla_events"].is_array()
    ));
    assert!(any(&|c| c.get("applied_sla").is_none()));
    assert!(any(&|c| c["meta"].get("team").is_none()));
    assert!(any(&|c| c["meta"].get("assignee").is_none()));
    assert!(any(&|c| c["snoozed_until"].is_string()));
    assert!(any(&|c| c["messages"] == json!([])));
    assert!(any(
        &|c| c["messages"][0]["sender_type"] == "Captain::Assistant"
    ));
    assert!(any(
        &|c| c["messages"][0]["sender_type"].is_null() && c["messages"][0].is_object()
    ));
    assert!(any(
        &|c| c["last_non_activity_message"]["attachments"].is_array()
    ));
    assert!(any(&|c| c["waiting_since"] == 0));
    assert!(any(&|c| c["first_reply_created_at"] == 0));
    assert!(any(&|c| c["id"] == json!(9_007_199_254_740_993u64)));
    for c in &conversations {
        assert!(c["updated_at"].is_f64(), "{}", c["updated_at"]);
        assert!(c["created_at"].is_i64());
        assert!(c["last_activity_at"].is_i64());
        assert!(c["timestamp"].is_i64());
        assert!(c["snoozed_until"].is_null() || c["snoozed_until"].is_string());
        assert!(c["messages"].as_array().unwrap().len() <= 1);
        if let Some(m) = c["messages"].get(0) {
            assert!(m["created_at"].is_i64());
            assert!(m["updated_at"].is_string());
        }
    }
    let channels: HashSet<String> = conversations
        .iter()
        .map(|c| c["meta"]["channel"].as_str().unwrap().to_string())
        .collect();
    assert!(channels.len() >= 5);
    let text = serde_json::to_string(&conversations).unwrap();
    for sample in ["ơ", "ก", "の", "🤖"] {
        assert!(text.contains(sample), "{sample}");
    }
}

#[tokio::test]
async fn chatwoot_touch_and_add_move_conversations_to_the_top() {
    let fake = chatwoot(30).await;
    let before = fake.conversation_ids();
    let last = before[29].clone();
    fake.touch_conversation(&last);
    let after = fake.conversation_ids();
    assert_eq!(after[0], last);
    assert_eq!(after.len(), 30);
    let listed = payload_ids(&cw(&fake, "status=all").await.json());
    assert_eq!(listed[0], last);
    // The touched conversation is the one updated in the last minute.
    let recent = cw(&fake, "status=all&updated_within=60").await.json();
    assert!(payload_ids(&recent).contains(&last));

    fake.add_conversations_at_top(3);
    let grown = fake.conversation_ids();
    assert_eq!(grown.len(), 33);
    assert_eq!(grown[3], last);
    let open = cw(&fake, "").await.json();
    let open_ids = payload_ids(&open);
    assert_eq!(open_ids[..3], grown[..3], "new conversations are open");
    let unique: HashSet<&String> = grown.iter().collect();
    assert_eq!(unique.len(), 33);
}

#[tokio::test]
async fn chatwoot_same_seed_same_data() {
    let a = FakeChatwoot::builder().seed(9).start().await.unwrap();
    let b = FakeChatwoot::builder().seed(9).start().await.unwrap();
    let c = FakeChatwoot::builder().seed(10).start().await.unwrap();
    assert_eq!(a.conversation_ids(), b.conversation_ids());
    assert_ne!(a.conversation_ids(), c.conversation_ids());
    assert_eq!(
        cw(&a, "status=all").await.body,
        cw(&b, "status=all").await.body
    );
}

#[tokio::test]
async fn chatwoot_library_walk_collects_every_conversation() {
    use futures::TryStreamExt;
    let fake = FakeChatwoot::builder()
        .conversations(1_000)
        .account_id(3)
        .start()
        .await
        .unwrap();
    let client = chatdesk::chatwoot::Client::builder()
        .base_url(fake.base_url())
        .api_access_token(fake.token())
        .build()
        .unwrap();
    let walked: Vec<String> = client
        .conversations(3)
        .status(chatdesk::chatwoot::Status::All)
        .stream()
        .map_ok(|c| c.id.to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(walked, fake.conversation_ids());
    let unassigned: Vec<_> = client
        .conversations(3)
        .status(chatdesk::chatwoot::Status::All)
        .assignee_type(chatdesk::chatwoot::AssigneeType::Unassigned)
        .label("vip")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(!unassigned.is_empty());
}

// ---------------------------------------------------------------- ChatbotX

async fn chatbotx(version: ChatbotxVersion) -> RunningFake {
    FakeChatbotx::builder()
        .version(version)
        .start()
        .await
        .unwrap()
}

/// One ChatbotX request with the fake's token; `path` starts at `/v1`.
async fn cb(fake: &RunningFake, path_and_query: &str) -> Got {
    let url = format!("{}{}", fake.base_url(), path_and_query);
    let bearer = format!("Bearer {}", fake.token());
    get(&url, &[("authorization", bearer.as_str())]).await
}

fn data_ids(body: &Value) -> Vec<String> {
    body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn chatbotx_conversation_cursor_walk_ends_with_a_null_cursor() {
    let fake = chatbotx(ChatbotxVersion::Current).await;
    let mut walked = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let query = match &cursor {
            Some(c) => format!("?perPage=7&cursor={}", encode(c)),
            None => "?perPage=7".to_string(),
        };
        let body = cb(&fake, &format!("/v1/conversations{query}")).await.json();
        pages += 1;
        if cursor.is_none() {
            assert!(body["prevCursor"].is_null());
        } else {
            assert!(body["prevCursor"].is_string());
        }
        walked.extend(data_ids(&body));
        match body["nextCursor"].as_str() {
            Some(next) => {
                let decoded: Value = serde_json::from_slice(&BASE64.decode(next).unwrap()).unwrap();
                assert!(decoded["lastActivityAt"].as_str().unwrap().ends_with('Z'));
                assert!(decoded["id"].is_string());
                cursor = Some(next.to_string());
            }
            None => break,
        }
    }
    assert_eq!(pages, 15);
    assert_eq!(walked, fake.conversation_ids());
    assert_eq!(walked.len(), 100);
    // Default page size 20; a damaged cursor gives the first page again.
    let first = cb(&fake, "/v1/conversations").await.json();
    assert_eq!(data_ids(&first).len(), 20);
    let damaged = cb(&fake, "/v1/conversations?cursor=bm90LWpzb24%3D")
        .await
        .json();
    assert_eq!(data_ids(&damaged), data_ids(&first));
    assert!(damaged["prevCursor"].is_string());
    // No maximum page size.
    let big = cb(&fake, "/v1/conversations?perPage=1000").await.json();
    assert_eq!(data_ids(&big).len(), 100);
    assert!(big["nextCursor"].is_null());
}

#[tokio::test]
async fn chatbotx_conversation_ids_and_fields() {
    let fake = chatbotx(ChatbotxVersion::Current).await;
    let body = cb(&fake, "/v1/conversations?perPage=500").await.json();
    let items = body["data"].as_array().unwrap();
    let big = 1u64 << 53;
    assert!(items.iter().any(|c| {
        let id = c["id"].as_str().unwrap();
        id.len() == 17 && id.parse::<u64>().unwrap() > big
    }));
    assert!(items.iter().any(|c| c["id"].as_str().unwrap().len() < 5));
    for c in items {
        assert!(c["lastActivityAt"].as_str().unwrap().ends_with('Z'));
        assert_eq!(c["lastActivityAt"].as_str().unwrap().len(), 24);
        assert!(c["archivedAt"].is_null());
        assert!(c.get("inbox").is_none());
        assert!(c["contact"].get("contactNotes").is_none());
        assert!(c["contactInboxes"][0]["channel"].is_string());
    }
    // Ordered by lastActivityAt desc, id desc.
    let keys: Vec<(String, u64)> = items
        .iter()
        .map(|c| {
            (
                c["lastActivityAt"].as_str().unwrap().to_string(),
                c["id"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(keys, sorted);
    let text = body.to_string();
    assert!(text.contains("\"phoneNumber\":\"\""));
    assert!(text.contains("\"fullName\":\" "));
    assert!(text.contains("workspaces/7/avatars/"));
}

#[tokio::test]
async fn chatbotx_conversation_filters_read_only_json_text() {
    let fake = chatbotx(ChatbotxVersion::Current).await;
    let all = cb(&fake, "/v1/conversations?perPage=500").await.json();
    let total = data_ids(&all).len();
    assert_eq!(total, 100);
    let json_status = encode("[\"followUp\"]");
    let followed = cb(
        &fake,
        &format!("/v1/conversations?perPage=500&status={json_status}"),
    )
    .await
    .json();
    let followed_items = followed["data"].as_array().unwrap();
    assert!(!followed_items.is_empty() && followed_items.len() < total);
    assert!(followed_items.iter().all(|c| c["followed"] == true));
    // The bracketed, indexed, repeated and plain forms are ignored.
    for query in [
        "status[]=followUp",
        "status[0]=followUp",
        "status=followUp",
        "status=followUp&status=unread",
        "tags[]=followUp",
    ] {
        let body = cb(&fake, &format!("/v1/conversations?perPage=500&{query}")).await;
        assert_eq!(body.status, 200, "{query}");
        assert_eq!(data_ids(&body.json()).len(), total, "{query}");
    }
    // Archived ones come back only when asked for.
    let archived = cb(
        &fake,
        &format!("/v1/conversations?tags={}", encode("[\"archived\"]")),
    )
    .await
    .json();
    let archived_items = archived["data"].as_array().unwrap();
    assert_eq!(archived_items.len(), 5);
    assert!(archived_items.iter().all(|c| c["archivedAt"].is_string()));
    // Scalar filters.
    let zalo = cb(&fake, "/v1/conversations?perPage=500&channel=zalo")
        .await
        .json();
    for c in zalo["data"].as_array().unwrap() {
        assert_eq!(c["contactInboxes"][0]["channel"], "zalo");
    }
    let bot_on = cb(&fake, "/v1/conversations?perPage=500&botEnabled=true")
        .await
        .json();
    assert!(
        bot_on["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["botEnabled"] == true)
    );
    let filter = encode(
        &json!({"operator": "and", "conditions": [{"field": "gender", "operator": "eq", "value": "female"}]})
            .to_string(),
    );
    let women = cb(
        &fake,
        &format!("/v1/conversations?perPage=500&contactFilter={filter}"),
    )
    .await
    .json();
    let women = women["data"].as_array().unwrap();
    assert!(!women.is_empty() && women.len() < total);
    assert!(women.iter().all(|c| c["contact"]["gender"] == "female"));
    let bad = cb(&fake, "/v1/conversations?botEnabled=yes").await;
    assert_eq!(bad.status, 422);
}

#[tokio::test]
async fn chatbotx_per_page_zero_is_a_validation_error() {
    for (version, status) in [
        (ChatbotxVersion::Current, 422),
        (ChatbotxVersion::OpenSource, 400),
    ] {
        let fake = chatbotx(version).await;
        for path in [
            "/v1/conversations?perPage=0",
            "/v1/contacts?perPage=0",
            "/v1/contacts?page=0",
            "/v1/contacts?page=abc",
        ] {
            let got = cb(&fake, path).await;
            assert_eq!(got.status, status, "{version:?} {path}");
            let body = got.json();
            assert_eq!(body["status"], status);
            assert!(body["data"]["issues"].is_array());
        }
        let contact = fake.contact_ids()[0].clone();
        let got = cb(
            &fake,
            &format!("/v1/contacts/id:{contact}/messages?perPage=0"),
        )
        .await;
        match version {
            ChatbotxVersion::Current => assert_eq!(got.status, status),
            // Older servers take any number for messages: 0 is an empty
            // page (see `chatbotx_older_message_per_page_is_any_number`).
            ChatbotxVersion::OpenSource => {
                assert_eq!(got.status, 200);
                assert_eq!(
                    got.json(),
                    json!({"data": [], "nextCursor": null, "prevCursor": null})
                );
            }
        }
    }
}

#[tokio::test]
async fn chatbotx_contacts_pages_clamp_at_50_and_count_pages() {
    let fake = FakeChatbotx::builder().contacts(123).start().await.unwrap();
    let first = cb(&fake, "/v1/contacts").await.json();
    assert_eq!(data_ids(&first).len(), 20);
    assert_eq!(first["pageCount"], 7);
    assert_eq!(first["totalCount"], 123);
    assert_eq!(first["totalCountCapped"], false);
    let clamped = cb(&fake, "/v1/contacts?perPage=80").await.json();
    assert_eq!(data_ids(&clamped).len(), 50);
    assert_eq!(clamped["pageCount"], 3);
    let mut all = Vec::new();
    for page in 1..=4 {
        let body = cb(&fake, &format!("/v1/contacts?perPage=50&page={page}"))
            .await
            .json();
        all.extend(data_ids(&body));
    }
    assert_eq!(all, fake.contact_ids());
    let uncounted = cb(&fake, "/v1/contacts?withCount=false").await.json();
    assert_eq!(uncounted["pageCount"], 0);
    assert_eq!(uncounted["totalCount"], 0);
    assert_eq!(data_ids(&uncounted).len(), 20);
    // include[] keeps only the relations asked for.
    let lean = cb(&fake, "/v1/contacts?include[]=tags").await.json();
    let contact = &lean["data"][0];
    assert!(contact["tags"].is_array());
    assert!(contact.get("contactInboxes").is_none());
    assert!(contact.get("conversation").is_none());
    let full = &first["data"][0];
    assert!(full["contactInboxes"][0]["inbox"]["status"].is_string());
    assert!(full.get("contactNotes").is_none());
    // Older servers send only pageCount.
    let older = FakeChatbotx::builder()
        .contacts(123)
        .version(ChatbotxVersion::OpenSource)
        .start()
        .await
        .unwrap();
    let body = cb(&older, "/v1/contacts").await.json();
    assert_eq!(body["pageCount"], 7);
    assert!(body.get("totalCount").is_none());
    assert!(body.get("totalCountCapped").is_none());
}

#[tokio::test]
async fn chatbotx_auth_answers_of_both_versions() {
    let newer = chatbotx(ChatbotxVersion::Current).await;
    let older = chatbotx(ChatbotxVersion::OpenSource).await;
    for (fake, status, body) in [
        (
            &newer,
            401,
            json!({"defined": true, "code": "INVALID_CHATBOT_TOKEN", "status": 401, "message": "Invalid or missing workspace API token"}),
        ),
        (
            &older,
            500,
            json!({"defined": false, "code": "INVALID_CHATBOT_TOKEN", "status": 500, "message": "INVALID_CHATBOT_TOKEN"}),
        ),
    ] {
        let url = format!("{}/v1/conversations", fake.base_url());
        let missing = get(&url, &[]).await;
        assert_eq!(missing.status, status);
        assert_eq!(missing.json(), body);
        let wrong = get(&url, &[("authorization", "Bearer cbx_ws_wrong")]).await;
        assert_eq!(wrong.status, status);
        assert_eq!(wrong.json(), body);
        let wrong_query = get(&format!("{url}?token=cbx_ws_wrong"), &[]).await;
        assert_eq!(wrong_query.status, status);
        // The token in the query string is accepted, and is not an
        // unknown parameter.
        let in_query = get(&format!("{url}?token={}", fake.token()), &[]).await;
        assert_eq!(in_query.status, 200);
        let contacts = get(
            &format!("{}/v1/contacts?token={}", fake.base_url(), fake.token()),
            &[],
        )
        .await;
        assert_eq!(contacts.status, 200);
    }
}

#[tokio::test]
async fn chatbotx_unknown_parameters_are_named() {
    for (version, status) in [
        (ChatbotxVersion::Current, 422),
        (ChatbotxVersion::OpenSource, 400),
    ] {
        let fake = chatbotx(version).await;
        let contact = fake.contact_ids()[0].clone();
        for (path, name) in [
            ("/v1/conversations?per_page=5".to_string(), "per_page"),
            ("/v1/contacts?foo=1".to_string(), "foo"),
            ("/v1/contacts?channel=zalo".to_string(), "channel"),
            (
                format!("/v1/contacts/id:{contact}/messages?limit=5"),
                "limit",
            ),
        ] {
            let got = cb(&fake, &path).await;
            assert_eq!(got.status, status, "{version:?} {path}");
            let body = got.json();
            let issues = body["data"]["issues"].as_array().unwrap();
            assert!(
                issues.iter().any(|i| i["path"] == json!([name])
                    && i["message"] == format!("Unrecognized key: {name}")),
                "{body}"
            );
            if version == ChatbotxVersion::Current {
                assert_eq!(body["code"], "invalidRequestData");
                assert_eq!(body["defined"], true);
            }
        }
        // What the client sends is accepted.
        let ok = cb(
            &fake,
            "/v1/contacts?page=1&perPage=50&keyword=a&channels[]=zalo&inboxIds[]=9&include[]=tags&withCount=true&integrationWhatsappId=1&integrationMessengerId=2",
        )
        .await;
        assert_eq!(ok.status, 200, "{}", ok.body);
    }
}

#[tokio::test]
async fn chatbotx_contact_filter_in_brackets_and_as_json_text() {
    let filter = json!({"operator": "and", "conditions": [
        {"field": "email", "operator": "contains", "value": "example"},
        {"field": "gender", "operator": "in", "value": ["female", "male"]}
    ]});
    let brackets = "contactFilter[operator]=and\
        &contactFilter[conditions][0][field]=email\
        &contactFilter[conditions][0][operator]=contains\
        &contactFilter[conditions][0][value]=example\
        &contactFilter[conditions][1][field]=gender\
        &contactFilter[conditions][1][operator]=in\
        &contactFilter[conditions][1][value][0]=female\
        &contactFilter[conditions][1][value][1]=male";
    let json_text = format!("contactFilter={}", encode(&filter.to_string()));

    let newer = chatbotx(ChatbotxVersion::Current).await;
    let by_brackets = cb(&newer, &format!("/v1/contacts?perPage=50&{brackets}"))
        .await
        .json();
    let by_json = cb(&newer, &format!("/v1/contacts?perPage=50&{json_text}"))
        .await
        .json();
    let total = newer.contact_ids().len() as u64;
    let matched = by_brackets["totalCount"].as_u64().unwrap();
    assert!(matched > 0 && matched < total, "{matched} of {total}");
    assert_eq!(by_brackets, by_json);
    for contact in by_brackets["data"].as_array().unwrap() {
        assert!(contact["email"].as_str().unwrap().contains("example"));
        let gender = contact["gender"].as_str().unwrap();
        assert!(gender == "female" || gender == "male");
    }

    let older = chatbotx(ChatbotxVersion::OpenSource).await;
    let refused = cb(&older, &format!("/v1/contacts?{json_text}")).await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.json(),
        json!({"defined": false, "code": "BAD_REQUEST", "status": 400, "message": "Input validation failed", "data": {"issues": [{"code": "invalid_type", "expected": "object", "received": "string", "path": ["contactFilter"], "message": "Expected object, received string"}]}})
    );
    let accepted = cb(&older, &format!("/v1/contacts?perPage=50&{brackets}")).await;
    assert_eq!(accepted.status, 200);
    assert_eq!(
        data_ids(&accepted.json()),
        data_ids(&by_brackets),
        "same data set, same filter"
    );

    // More operators and fields.
    for (condition, check) in [
        (
            "[field]=phone&contactFilter[conditions][0][operator]=isEmpty",
            &(|c: &Value| c["phoneNumber"].as_str().unwrap_or("").is_empty())
                as &dyn Fn(&Value) -> bool,
        ),
        (
            "[field]=fullName&contactFilter[conditions][0][operator]=ne&contactFilter[conditions][0][value]=x",
            &|_: &Value| true,
        ),
        (
            "[field]=tags&contactFilter[conditions][0][operator]=in&contactFilter[conditions][0][value][0]=88",
            &|c: &Value| {
                c["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t["id"] == "88")
            },
        ),
        (
            "[field]=tags&contactFilter[conditions][0][operator]=isNotEmpty",
            &|c: &Value| !c["tags"].as_array().unwrap().is_empty(),
        ),
    ] {
        let body = cb(
            &newer,
            &format!(
                "/v1/contacts?perPage=50&contactFilter[operator]=and&contactFilter[conditions][0]{condition}"
            ),
        )
        .await
        .json();
        let items = body["data"].as_array().unwrap();
        assert!(!items.is_empty(), "{condition}");
        assert!(items.iter().all(check), "{condition}");
    }
    let bad_operator = cb(
        &newer,
        "/v1/contacts?contactFilter[operator]=xor&contactFilter[conditions][0][field]=email&contactFilter[conditions][0][operator]=isEmpty",
    )
    .await;
    assert_eq!(bad_operator.status, 422);
    assert_eq!(
        bad_operator.json()["data"]["issues"][0]["path"],
        json!(["contactFilter", "operator"])
    );
}

#[tokio::test]
async fn chatbotx_contact_keyword_and_channels() {
    let fake = chatbotx(ChatbotxVersion::Current).await;
    let zalo = cb(&fake, "/v1/contacts?perPage=50&channels[]=zalo")
        .await
        .json();
    let items = zalo["data"].as_array().unwrap();
    assert!(!items.is_empty());
    for c in items {
        assert!(
            c["contactInboxes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["channel"] == "zalo")
        );
    }
    let keyword = cb(
        &fake,
        &format!("/v1/contacts?perPage=50&keyword={}", encode("NGUYỄN")),
    )
    .await
    .json();
    for c in keyword["data"].as_array().unwrap() {
        assert!(
            c["fullName"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("nguyễn")
        );
    }
}

#[tokio::test]
async fn chatbotx_messages_by_identifier_and_cursor() {
    let fake = FakeChatbotx::builder()
        .messages_per_contact(9)
        .start()
        .await
        .unwrap();
    let contact_id = fake.contact_ids()[3].clone();
    let expected = fake.message_ids(&contact_id);
    assert_eq!(expected.len(), 9);
    let mut walked = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(c) => format!("?perPage=4&cursor={}", encode(c)),
            None => "?perPage=4".to_string(),
        };
        let got = cb(
            &fake,
            &format!("/v1/contacts/id:{contact_id}/messages{query}"),
        )
        .await;
        assert_eq!(got.status, 200);
        let body = got.json();
        assert!(body["prevCursor"].is_null());
        walked.extend(data_ids(&body));
        match body["nextCursor"].as_str() {
            Some(next) => {
                let decoded: Value = serde_json::from_slice(&BASE64.decode(next).unwrap()).unwrap();
                assert_eq!(decoded["direction"], "prev");
                cursor = Some(next.to_string());
            }
            None => break,
        }
    }
    assert_eq!(walked, expected);
    // Newest first.
    let body = cb(&fake, &format!("/v1/contacts/id:{contact_id}/messages"))
        .await
        .json();
    let times: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["createdAt"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);
    // A damaged cursor fails the request.
    let damaged = cb(
        &fake,
        &format!("/v1/contacts/id:{contact_id}/messages?cursor=garbage"),
    )
    .await;
    assert_eq!(damaged.status, 500);
    // By email and phone; anything else is 404.
    let contacts = cb(&fake, "/v1/contacts?perPage=50").await.json();
    let with_email = contacts["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["email"].is_string())
        .unwrap();
    let email = with_email["email"].as_str().unwrap();
    let by_email = cb(
        &fake,
        &format!(
            "/v1/contacts/email:{}/messages",
            encode(email).replace('+', "%20")
        ),
    )
    .await;
    assert_eq!(by_email.status, 200);
    assert_eq!(
        data_ids(&by_email.json()),
        fake.message_ids(with_email["id"].as_str().unwrap())
    );
    let with_phone = contacts["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["phoneNumber"]
                .as_str()
                .is_some_and(|p| p.starts_with('+'))
        })
        .unwrap();
    let phone = with_phone["phoneNumber"]
        .as_str()
        .unwrap()
        .replace('+', "%2B");
    let by_phone = cb(&fake, &format!("/v1/contacts/phone:{phone}/messages")).await;
    assert_eq!(by_phone.status, 200);
    for bad in ["42", "id:abc", "name:x", "id:1"] {
        let got = cb(&fake, &format!("/v1/contacts/{bad}/messages")).await;
        assert_eq!(got.status, 404, "{bad}");
        assert_eq!(
            got.json(),
            json!({"defined": true, "code": "notFound", "status": 404, "message": "Contact not found"})
        );
    }
    // Attachments as the fixtures show them.
    let mut attachments = Vec::new();
    for id in fake.contact_ids() {
        let body = cb(&fake, &format!("/v1/contacts/id:{id}/messages"))
            .await
            .json();
        for m in body["data"].as_array().unwrap() {
            attachments.extend(m["attachments"].as_array().unwrap().clone());
        }
    }
    assert!(
        attachments
            .iter()
            .any(|a| a["fileType"] == "image" && a["width"].is_i64())
    );
    assert!(
        attachments
            .iter()
            .any(|a| a["fileType"] == "file" && a["width"].is_null() && a["size"] == 0)
    );
}

#[tokio::test]
async fn chatbotx_touch_and_add() {
    let fake = chatbotx(ChatbotxVersion::Current).await;
    let ids = fake.conversation_ids();
    let last = ids[99].clone();
    fake.touch_conversation(&last);
    assert_eq!(fake.conversation_ids()[0], last);
    let first = cb(&fake, "/v1/conversations?perPage=1").await.json();
    assert_eq!(data_ids(&first), vec![last.clone()]);
    fake.add_conversations_at_top(2);
    let grown = fake.conversation_ids();
    assert_eq!(grown.len(), 102);
    assert_eq!(grown[2], last);
    assert_eq!(fake.contact_ids().len(), 102);
}

#[tokio::test]
async fn chatbotx_same_seed_same_data() {
    let make = |seed| FakeChatbotx::builder().seed(seed).start();
    let a = make(4).await.unwrap();
    let b = make(4).await.unwrap();
    let c = make(5).await.unwrap();
    assert_eq!(a.conversation_ids(), b.conversation_ids());
    assert_eq!(a.contact_ids(), b.contact_ids());
    let contact = a.contact_ids()[0].clone();
    assert_eq!(a.message_ids(&contact), b.message_ids(&contact));
    assert_ne!(a.contact_ids(), c.contact_ids());
    assert_eq!(
        cb(&a, "/v1/contacts").await.body,
        cb(&b, "/v1/contacts").await.body
    );
    let ids: HashSet<String> = a.conversation_ids().into_iter().collect();
    assert_eq!(ids.len(), 100);
}

/// Every conversation of one listing, with `perPage=500` and the fake's
/// token; `query` is added as it is.
async fn all_items(fake: &RunningFake, query: &str) -> Vec<Value> {
    let got = cb(fake, &format!("/v1/conversations?perPage=500{query}")).await;
    assert_eq!(got.status, 200, "{query}: {}", got.body);
    let body = got.json();
    assert!(body["nextCursor"].is_null(), "{query}: one page holds all");
    body["data"].as_array().unwrap().clone()
}

fn ids_of(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn chatbotx_session_is_wanted_on_conversations_only() {
    const COOKIE: &str = "better-auth.session_token=s3ss10n.S1gn4tur3";
    let fake = FakeChatbotx::builder()
        .require_session(COOKIE)
        .start()
        .await
        .unwrap();
    assert_eq!(fake.session_cookie(), Some(COOKIE));
    let bearer = format!("Bearer {}", fake.token());
    let url = format!("{}/v1/conversations", fake.base_url());
    let no_session = json!({
        "defined": false,
        "code": "systemError",
        "status": 400,
        "message": "User is not associated with this workspace",
    });
    // The token alone is not enough.
    let token_only = get(&url, &[("authorization", bearer.as_str())]).await;
    assert_eq!(token_only.status, 400);
    assert_eq!(token_only.json(), no_session);
    for cookie in [
        "better-auth.session_token=s3ss10n",
        "better-auth.session_token=s3ss10n.S1gn4tur3x",
        "other=better-auth.session_token=s3ss10n.S1gn4tur3",
    ] {
        let wrong = get(
            &url,
            &[("authorization", bearer.as_str()), ("cookie", cookie)],
        )
        .await;
        assert_eq!(wrong.status, 400, "{cookie}");
    }
    // With the session: the listing.
    for cookie in [
        COOKIE.to_string(),
        format!("theme=dark; {COOKIE}; lang=vi"),
        format!("theme=dark;{COOKIE}"),
    ] {
        let with_session = get(
            &url,
            &[
                ("authorization", bearer.as_str()),
                ("cookie", cookie.as_str()),
            ],
        )
        .await;
        assert_eq!(with_session.status, 200, "{cookie}");
        assert_eq!(
            data_ids(&with_session.json()),
            fake.conversation_ids()[..20].to_vec()
        );
    }
    // The token is checked first, the query string next, the session last.
    let no_token = get(&url, &[("cookie", COOKIE)]).await;
    assert_eq!(no_token.status, 401);
    let invalid = get(
        &format!("{url}?botEnabled=yes"),
        &[("authorization", bearer.as_str())],
    )
    .await;
    assert_eq!(invalid.status, 422);
    // Contacts and messages want no session.
    assert_eq!(cb(&fake, "/v1/contacts").await.status, 200);
    let contact = fake.contact_ids()[0].clone();
    let messages = cb(&fake, &format!("/v1/contacts/id:{contact}/messages")).await;
    assert_eq!(messages.status, 200);
    // Older servers answer the same.
    let older = FakeChatbotx::builder()
        .version(ChatbotxVersion::OpenSource)
        .require_session(COOKIE)
        .start()
        .await
        .unwrap();
    let got = cb(&older, "/v1/conversations").await;
    assert_eq!(got.status, 400);
    assert_eq!(got.json(), no_session);
    // By default no session is wanted.
    let plain = chatbotx(ChatbotxVersion::Current).await;
    assert_eq!(plain.session_cookie(), None);
    assert_eq!(cb(&plain, "/v1/conversations").await.status, 200);
}

/// Follows `nextCursor` with `perPage`, for at most `max_pages` pages: the
/// pages' ids and their `nextCursor`s.
async fn walk_pages(
    fake: &RunningFake,
    per_page: usize,
    max_pages: usize,
) -> (Vec<Vec<String>>, Vec<Option<String>>) {
    let mut pages = Vec::new();
    let mut cursors = Vec::new();
    let mut cursor: Option<String> = None;
    while pages.len() < max_pages {
        let query = match &cursor {
            Some(c) => format!("?perPage={per_page}&cursor={}", encode(c)),
            None => format!("?perPage={per_page}"),
        };
        let body = cb(fake, &format!("/v1/conversations{query}")).await.json();
        pages.push(data_ids(&body));
        cursor = body["nextCursor"].as_str().map(str::to_string);
        cursors.push(cursor.clone());
        if cursor.is_none() {
            break;
        }
    }
    (pages, cursors)
}

#[tokio::test]
async fn chatbotx_broken_cursor_repeats_items_when_activity_and_id_orders_differ() {
    // In the data set, activity order and id order already differ: later
    // pages bring back items of earlier ones.
    let broken = FakeChatbotx::builder()
        .broken_cursor(true)
        .start()
        .await
        .unwrap();
    let ids = broken.conversation_ids();
    let mut by_id = ids.clone();
    by_id.sort_by_key(|id| std::cmp::Reverse(id.parse::<u64>().unwrap()));
    assert_ne!(ids, by_id, "activity order differs from id order");
    let (pages, cursors) = walk_pages(&broken, 7, 30).await;
    let mut seen = HashSet::new();
    let mut repeats = 0;
    for page in &pages {
        repeats += page.iter().filter(|id| !seen.insert((*id).clone())).count();
    }
    assert!(repeats > 0, "later pages repeat items of earlier ones");
    // Whether or not it ends, the walk does not give the listing.
    let walked: Vec<String> = pages.into_iter().flatten().collect();
    assert_ne!(walked, ids);
    if cursors.last().is_some_and(Option::is_none) {
        assert!(walked.len() > ids.len());
    }

    // Activity on the conversation with the smallest id: with one item per
    // page, the third page is the first again, and so is its cursor.
    let smallest = ids
        .iter()
        .min_by_key(|id| id.parse::<u64>().unwrap())
        .unwrap()
        .clone();
    broken.touch_conversation(&smallest);
    let (pages, cursors) = walk_pages(&broken, 1, 5).await;
    assert_eq!(pages[0], vec![smallest.clone()]);
    assert_eq!(pages[1], vec![broken.conversation_ids()[1].clone()]);
    assert_eq!(pages[2], pages[0]);
    assert_eq!(cursors[2], cursors[0], "the same cursor comes back");
    assert_eq!(pages[3], pages[1]);

    // The exact cursor (the default) walks each item once, touched or not.
    let exact = chatbotx(ChatbotxVersion::Current).await;
    exact.touch_conversation(&smallest);
    let (pages, cursors) = walk_pages(&exact, 1, 200).await;
    assert!(cursors.last().unwrap().is_none());
    let walked: Vec<String> = pages.into_iter().flatten().collect();
    assert_eq!(walked, exact.conversation_ids());
}

#[tokio::test]
async fn chatbotx_ignored_filters_are_validated_but_not_applied() {
    let fake = FakeChatbotx::builder()
        .ignored_filters(true)
        .start()
        .await
        .unwrap();
    let applied = chatbotx(ChatbotxVersion::Current).await;
    let everything = ids_of(&all_items(&fake, "").await);
    assert_eq!(everything.len(), 100);
    for flags in [
        "[\"followUp\"]",
        "[\"archived\"]",
        "[\"blocked\",\"unread\"]",
    ] {
        let query = format!("&status={}", encode(flags));
        assert_eq!(
            ids_of(&all_items(&fake, &query).await),
            everything,
            "{flags}"
        );
        let filtered = ids_of(&all_items(&applied, &query).await);
        assert_ne!(filtered, everything, "applied by default: {flags}");
    }
    // Still validated.
    let bad = cb(
        &fake,
        &format!("/v1/conversations?status={}", encode("[\"closed\"]")),
    )
    .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.json()["data"]["issues"][0]["path"],
        json!(["status", 0])
    );
    // `tags` is applied.
    let followed = all_items(&fake, &format!("&tags={}", encode("[\"followUp\"]"))).await;
    assert!(!followed.is_empty() && followed.len() < 100);

    // Contacts: channels and inboxIds change nothing.
    let all_contacts = cb(&fake, "/v1/contacts?perPage=50").await.json();
    for query in [
        "channels[]=zalo",
        "inboxIds[]=9",
        "channels[]=zalo&inboxIds[]=9",
    ] {
        let body = cb(&fake, &format!("/v1/contacts?perPage=50&{query}"))
            .await
            .json();
        assert_eq!(body, all_contacts, "{query}");
        assert_eq!(body["totalCount"], 100);
        let filtered = cb(&applied, &format!("/v1/contacts?perPage=50&{query}"))
            .await
            .json();
        assert!(filtered["totalCount"].as_u64().unwrap() < 100, "{query}");
    }
    for query in ["channels[]=fax", "inboxIds[]=abc", "channels=zalo"] {
        let got = cb(&fake, &format!("/v1/contacts?{query}")).await;
        assert_eq!(got.status, 422, "{query}");
    }
}

#[tokio::test]
async fn chatbotx_assigned_id_takes_prefixed_ids() {
    let fake = chatbotx(ChatbotxVersion::Current).await;
    let all = all_items(&fake, "").await;
    assert_eq!(all.len(), 100);
    let count = |f: &dyn Fn(&Value) -> bool| all.iter().filter(|c| f(c)).count();
    let users: HashSet<String> = all
        .iter()
        .filter_map(|c| c["assignedUserId"].as_str().map(str::to_string))
        .collect();
    let teams: HashSet<String> = all
        .iter()
        .filter_map(|c| c["assignedInboxTeamId"].as_str().map(str::to_string))
        .collect();
    assert!(users.len() >= 3 && teams.len() >= 2);
    for user in &users {
        let got = all_items(&fake, &format!("&assignedId=u_{user}")).await;
        assert_eq!(got.len(), count(&|c| c["assignedUserId"] == *user.as_str()));
        assert!(got.iter().all(|c| c["assignedUserId"] == *user.as_str()));
        assert!(!got.is_empty());
        // A bare id filters nothing.
        let bare = all_items(&fake, &format!("&assignedId={user}")).await;
        assert_eq!(bare.len(), 100, "bare {user}");
    }
    for team in &teams {
        let got = all_items(&fake, &format!("&assignedId=t_{team}")).await;
        assert!(!got.is_empty());
        assert_eq!(
            got.len(),
            count(&|c| c["assignedInboxTeamId"] == *team.as_str())
        );
        assert!(
            got.iter()
                .all(|c| c["assignedInboxTeamId"] == *team.as_str())
        );
    }
    let unassigned = all_items(&fake, "&assignedId=unassigned").await;
    let expected = count(&|c| c["assignedUserId"].is_null() && c["assignedInboxTeamId"].is_null());
    assert!(expected > 0);
    assert_eq!(unassigned.len(), expected);
    // Ids are read as JavaScript's BigInt reads them.
    let user_12 = ids_of(&all_items(&fake, "&assignedId=u_12").await);
    assert!(!user_12.is_empty());
    for spelling in ["u_012", "u_0xC", "u_%2B12", "u_%2012%20"] {
        let got = ids_of(&all_items(&fake, &format!("&assignedId={spelling}")).await);
        assert_eq!(got, user_12, "{spelling}");
    }
    // Text the server cannot read as an id filters nothing; an id no one
    // has finds nothing.
    for ignored in ["u_", "u_abc", "u_1.0", "t_x", "U_12", "user_12", "12", ""] {
        let got = all_items(&fake, &format!("&assignedId={ignored}")).await;
        assert_eq!(got.len(), 100, "{ignored:?}");
    }
    for nobody in ["u_999", "t_999", "u_-12", "u_%20"] {
        let got = all_items(&fake, &format!("&assignedId={nobody}")).await;
        assert!(got.is_empty(), "{nobody}");
    }
    // Assigned users carry their tenant's id, as digits.
    let tenants: HashSet<&str> = all
        .iter()
        .filter_map(|c| c["assignedUser"]["tenantId"].as_str())
        .collect();
    assert!(tenants.contains("1") && tenants.len() == 2, "{tenants:?}");
    for c in &all {
        if c["assignedUser"].is_object() {
            let tenant = c["assignedUser"]["tenantId"].as_str().unwrap();
            assert!(tenant.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}

#[tokio::test]
async fn chatbotx_keyword_matches_first_and_last_names_only() {
    let fake = chatbotx(ChatbotxVersion::Current).await;
    let all = all_items(&fake, "").await;
    let name_has = |c: &Value, k: &str| {
        ["firstName", "lastName"].iter().any(|field| {
            c["contact"][field]
                .as_str()
                .is_some_and(|n| n.to_lowercase().contains(k))
        })
    };
    let search = |keyword: &str| {
        let query = format!("&keyword={}", encode(keyword));
        let fake = &fake;
        async move { all_items(fake, &query).await }
    };
    // Either name, whatever the case.
    for keyword in ["nguyễn", "NGUYỄN", "khoa", "田中"] {
        let found = search(keyword).await;
        let lower = keyword.to_lowercase();
        let expected: Vec<&Value> = all.iter().filter(|c| name_has(c, &lower)).collect();
        assert!(!expected.is_empty(), "{keyword}");
        assert_eq!(
            ids_of(&found),
            ids_of(&expected.into_iter().cloned().collect::<Vec<_>>())
        );
    }
    // Not both names at once, not the email, not a message.
    let spanning = "Khoa Trần";
    assert!(all.iter().any(|c| {
        c["contact"]["fullName"]
            .as_str()
            .is_some_and(|n| n.contains(spanning))
    }));
    assert!(search(spanning).await.is_empty());
    let email = all
        .iter()
        .find_map(|c| c["contact"]["email"].as_str())
        .unwrap()
        .to_string();
    assert!(search(&email).await.is_empty());
    assert!(search("khach.").await.is_empty());
    let message = all
        .iter()
        .find_map(|c| c["messages"][0]["text"].as_str())
        .unwrap()
        .to_string();
    assert!(search(&message).await.is_empty(), "{message}");
    // `%` and `_` are wildcards, as in ILIKE.
    let wild = search("tr%minh").await;
    assert!(!wild.is_empty());
    assert!(wild.iter().all(|c| c["contact"]["lastName"] == "Trần Minh"));
    assert_eq!(search("_").await.len(), 100);
    assert_eq!(search("").await.len(), 100);
}

#[tokio::test]
async fn chatbotx_four_views_split_the_conversations() {
    let fake = chatbotx(ChatbotxVersion::Current).await;
    let tags = |t: &str| format!("&tags={}", encode(t));
    let default = all_items(&fake, "").await;
    let archived = all_items(&fake, &tags("[\"archived\"]")).await;
    let blocked = all_items(&fake, &tags("[\"blocked\"]")).await;
    let both = all_items(&fake, &tags("[\"archived\",\"blocked\"]")).await;
    assert_eq!(
        ids_of(&all_items(&fake, &tags("[\"blocked\",\"archived\"]")).await),
        ids_of(&both)
    );
    assert_eq!(ids_of(&default), fake.conversation_ids());
    assert_eq!(default.len(), 100);
    assert_eq!(archived.len(), 5);
    assert_eq!(blocked.len(), 5, "contacts 8, 28, 48, 68 and 88");
    assert_eq!(both.len(), 2);
    for (view, items, is_archived, is_blocked) in [
        ("default", &default, false, false),
        ("archived", &archived, true, false),
        ("blocked", &blocked, false, true),
        ("archived+blocked", &both, true, true),
    ] {
        for c in items {
            assert_eq!(c["archivedAt"].is_string(), is_archived, "{view}");
            assert_eq!(c["contact"]["blockedAt"].is_string(), is_blocked, "{view}");
        }
    }
    // Disjoint; together, every conversation.
    let mut union = HashSet::new();
    for items in [&default, &archived, &blocked, &both] {
        for id in ids_of(items) {
            assert!(union.insert(id), "the views overlap");
        }
    }
    let all = fake.all_conversation_ids();
    assert_eq!(all.len(), union.len());
    assert_eq!(all.iter().cloned().collect::<HashSet<_>>(), union);
    // Other flags narrow a view down.
    let blocked_followed = all_items(&fake, &tags("[\"blocked\",\"followUp\"]")).await;
    assert!(
        blocked_followed
            .iter()
            .all(|c| c["followed"] == true && c["contact"]["blockedAt"].is_string())
    );
    // The contact listing shows blocked contacts.
    let contacts = cb(&fake, "/v1/contacts?perPage=50").await.json();
    assert!(
        contacts["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["blockedAt"].is_string())
    );
    // A small data set has every view too.
    let small = FakeChatbotx::builder()
        .conversations(10)
        .contacts(10)
        .start()
        .await
        .unwrap();
    assert_eq!(small.conversation_ids().len(), 10);
    for view in [
        "[\"archived\"]",
        "[\"blocked\"]",
        "[\"archived\",\"blocked\"]",
    ] {
        assert!(!all_items(&small, &tags(view)).await.is_empty(), "{view}");
    }
}

#[tokio::test]
async fn chatbotx_older_message_per_page_is_any_number() {
    let fake = FakeChatbotx::builder()
        .version(ChatbotxVersion::OpenSource)
        .messages_per_contact(5)
        .start()
        .await
        .unwrap();
    let contact = fake.contact_ids()[0].clone();
    let messages = |query: &str| {
        let path = format!("/v1/contacts/id:{contact}/messages?{query}");
        let fake = &fake;
        async move { cb(fake, &path).await }
    };
    let empty = json!({"data": [], "nextCursor": null, "prevCursor": null});
    for per_page in ["0", "-1", "", "-0", "0x0"] {
        let got = messages(&format!("perPage={per_page}")).await;
        assert_eq!(got.status, 200, "{per_page:?}");
        assert_eq!(got.json(), empty, "{per_page:?}");
    }
    for per_page in ["1.5", "0.5", "-2", "-100", "2.000001"] {
        let got = messages(&format!("perPage={per_page}")).await;
        assert_eq!(got.status, 500, "{per_page}");
        assert_eq!(got.json()["code"], "INTERNAL_SERVER_ERROR");
    }
    for per_page in ["2", "2.0", "0x2", "%202%20", "2e0"] {
        let got = messages(&format!("perPage={per_page}")).await;
        assert_eq!(got.status, 200, "{per_page}");
        let body = got.json();
        assert_eq!(data_ids(&body), fake.message_ids(&contact)[..2].to_vec());
        assert!(body["nextCursor"].is_string());
    }
    for per_page in ["abc", "inf", "NaN", "1,5"] {
        let got = messages(&format!("perPage={per_page}")).await;
        assert_eq!(got.status, 400, "{per_page}");
    }
    // The contact is looked up before the limit fails.
    let unknown = cb(&fake, "/v1/contacts/id:1/messages?perPage=1.5").await;
    assert_eq!(unknown.status, 404);
    // A damaged cursor fails as well.
    let damaged = messages("cursor=garbage").await;
    assert_eq!(damaged.status, 500);
    // Newer servers refuse what is not a whole number of at least 1.
    let newer = chatbotx(ChatbotxVersion::Current).await;
    let contact = newer.contact_ids()[0].clone();
    for per_page in ["0", "-1", "1.5"] {
        let got = cb(
            &newer,
            &format!("/v1/contacts/id:{contact}/messages?perPage={per_page}"),
        )
        .await;
        assert_eq!(got.status, 422, "{per_page}");
    }
}

/// Large data sets come out whole. (How long they take is measured by
/// `cargo bench --features fake --bench fake_generation`.)
#[tokio::test]
async fn large_data_sets_are_generated_whole() {
    let chatwoot = FakeChatwoot::builder()
        .conversations(10_000)
        .start()
        .await
        .unwrap();
    let chatbotx = FakeChatbotx::builder()
        .conversations(10_000)
        .contacts(10_000)
        .start()
        .await
        .unwrap();
    assert_eq!(chatwoot.conversation_ids().len(), 10_000);
    assert_eq!(chatbotx.conversation_ids().len(), 10_000);
    assert_eq!(chatbotx.contact_ids().len(), 10_000);
    let unique: HashSet<String> = chatbotx.conversation_ids().into_iter().collect();
    assert_eq!(unique.len(), 10_000);
    let all = chatbotx.all_conversation_ids();
    let unique_all: HashSet<&String> = all.iter().collect();
    assert_eq!(unique_all.len(), all.len());
    // 500 archived, 200 archived of blocked contacts, and the blocked
    // contacts' conversations (one in 20 contacts is blocked).
    let blocked = all.len() - 10_000 - 500 - 200;
    assert!((500..=600).contains(&blocked), "{blocked}");
}

#[tokio::test]
async fn chatbotx_library_walks_collect_everything() {
    use chatdesk::chatbotx::{Client, Condition, ContactFilter, FilterEncoding, Identifier};
    use futures::TryStreamExt;

    for version in [ChatbotxVersion::Current, ChatbotxVersion::OpenSource] {
        let fake = FakeChatbotx::builder()
            .conversations(1_234)
            .contacts(321)
            .messages_per_contact(7)
            .version(version)
            .start()
            .await
            .unwrap();
        let client = Client::builder()
            .base_url(fake.base_url())
            .token(fake.token())
            .build()
            .unwrap();
        let conversations: Vec<String> = client
            .conversations()
            .stream()
            .map_ok(|c| c.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(conversations, fake.conversation_ids(), "{version:?}");
        let small_pages: Vec<String> = client
            .conversations()
            .per_page(33)
            .stream()
            .map_ok(|c| c.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(small_pages, fake.conversation_ids(), "{version:?}");
        let contacts: Vec<String> = client
            .contacts()
            .stream()
            .map_ok(|c| c.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(contacts, fake.contact_ids(), "{version:?}");
        for contact in fake.contact_ids().iter().take(5) {
            let messages: Vec<String> = client
                .contact_messages(Identifier::id(contact))
                .per_page(2)
                .stream()
                .map_ok(|m| m.id)
                .try_collect()
                .await
                .unwrap();
            assert_eq!(messages, fake.message_ids(contact), "{version:?}");
        }
        // A filtered walk in the default (bracket) encoding works on both.
        let filter = ContactFilter::all().condition(Condition::new("email", "isNotEmpty"));
        let with_email: Vec<_> = client
            .contacts()
            .contact_filter(filter.clone())
            .stream()
            .try_collect()
            .await
            .unwrap();
        assert!(!with_email.is_empty() && with_email.len() < 321);
        let json_text: Result<Vec<_>, _> = client
            .contacts()
            .contact_filter(filter)
            .filter_encoding(FilterEncoding::Json)
            .stream()
            .try_collect()
            .await;
        match version {
            ChatbotxVersion::Current => assert_eq!(json_text.unwrap().len(), with_email.len()),
            ChatbotxVersion::OpenSource => assert!(json_text.is_err()),
        }
    }
}

#[tokio::test]
async fn chatbotx_library_walk_with_token_in_query() {
    use futures::TryStreamExt;
    let fake = FakeChatbotx::builder().start().await.unwrap();
    let client = chatdesk::chatbotx::Client::builder()
        .base_url(fake.base_url())
        .token_in_query(fake.token())
        .build()
        .unwrap();
    let ids: Vec<String> = client
        .conversations()
        .stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, fake.conversation_ids());
}

// ------------------------------------------------------------------ Faults

/// A fake of each platform with `faults`, and a URL that answers 200.
async fn both_with(faults: Faults) -> Vec<(RunningFake, String, Vec<(String, String)>)> {
    let chatwoot = FakeChatwoot::builder()
        .conversations(50)
        .faults(faults.clone())
        .start()
        .await
        .unwrap();
    let chatwoot_url = format!(
        "{}/api/v1/accounts/1/conversations?status=all",
        chatwoot.base_url()
    );
    let chatwoot_headers = vec![("api_access_token".to_string(), chatwoot.token().to_string())];
    let chatbotx = FakeChatbotx::builder()
        .faults(faults)
        .start()
        .await
        .unwrap();
    let chatbotx_url = format!("{}/v1/conversations", chatbotx.base_url());
    let chatbotx_headers = vec![(
        "authorization".to_string(),
        format!("Bearer {}", chatbotx.token()),
    )];
    vec![
        (chatwoot, chatwoot_url, chatwoot_headers),
        (chatbotx, chatbotx_url, chatbotx_headers),
    ]
}

async fn send(url: &str, headers: &[(String, String)]) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers {
        request = request.header(name.as_str(), value.as_str());
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn no_fault_happens_at_rate_zero() {
    let faults = Faults {
        slow_body_delay: Duration::from_secs(30),
        seed: 3,
        ..Faults::default()
    };
    for (fake, url, headers) in both_with(faults).await {
        for _ in 0..40 {
            let response = send(&url, &headers).await;
            assert_eq!(response.status(), 200);
            let body = response.bytes().await.unwrap();
            serde_json::from_slice::<Value>(&body).unwrap();
        }
        let stats = fake.stats();
        assert_eq!(
            stats,
            FakeStats {
                requests: 40,
                ..FakeStats::default()
            }
        );
    }
}

#[tokio::test]
async fn server_errors_at_rate_one() {
    let faults = Faults {
        error_rate: 1.0,
        seed: 11,
        ..Faults::default()
    };
    for (index, (fake, url, headers)) in both_with(faults).await.into_iter().enumerate() {
        let mut seen = HashSet::new();
        for _ in 0..30 {
            let response = send(&url, &headers).await;
            let status = response.status().as_u16();
            assert!([500, 502, 503].contains(&status));
            seen.insert(status);
            let content_type = response.headers()[reqwest::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .to_string();
            let body = response.text().await.unwrap();
            if index == 0 || status == 502 {
                assert!(content_type.starts_with("text/html"), "{content_type}");
                assert!(body.contains("<html"));
            } else {
                let json: Value = serde_json::from_str(&body).unwrap();
                assert_eq!(json["status"], status);
            }
        }
        assert_eq!(seen.len(), 3, "every 5xx kind is picked");
        assert_eq!(fake.stats().errors, 30);
        fake.set_faults(Faults::default());
        assert_eq!(send(&url, &headers).await.status(), 200);
    }
}

#[tokio::test]
async fn rate_limit_window_and_bursts() {
    let faults = Faults {
        rate_limit: Some(RateLimitFault {
            requests: 3,
            window: Duration::from_secs(60),
        }),
        ..Faults::default()
    };
    for (index, (fake, url, headers)) in both_with(faults).await.into_iter().enumerate() {
        for _ in 0..3 {
            assert_eq!(send(&url, &headers).await.status(), 200);
        }
        let limited = send(&url, &headers).await;
        assert_eq!(limited.status(), 429);
        assert!(
            limited
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .is_none()
        );
        let content_type = limited.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_string();
        let body = limited.text().await.unwrap();
        if index == 0 {
            assert!(content_type.starts_with("text/plain"));
            assert_eq!(body, "Retry later");
        } else {
            assert_eq!(
                serde_json::from_str::<Value>(&body).unwrap(),
                json!({"defined": true, "code": "tooManyRequests", "status": 429, "message": "Too many requests"})
            );
        }
        assert_eq!(fake.stats().rate_limited, 1);
        // A short window opens again.
        fake.set_faults(Faults {
            rate_limit: Some(RateLimitFault {
                requests: 1,
                window: Duration::from_secs(1),
            }),
            ..Faults::default()
        });
        assert_eq!(send(&url, &headers).await.status(), 200);
        assert_eq!(send(&url, &headers).await.status(), 429);
        tokio::time::sleep(Duration::from_millis(1_100)).await;
        assert_eq!(send(&url, &headers).await.status(), 200);
        // Bursts: every request, whatever the window.
        fake.set_faults(Faults {
            burst_429_rate: 1.0,
            ..Faults::default()
        });
        for _ in 0..5 {
            assert_eq!(send(&url, &headers).await.status(), 429);
        }
        assert_eq!(fake.stats().rate_limited, 7);
    }
}

#[tokio::test]
async fn dropped_connections_at_rate_one() {
    let faults = Faults {
        drop_rate: 1.0,
        ..Faults::default()
    };
    for (fake, url, headers) in both_with(faults).await {
        for _ in 0..5 {
            let response = send(&url, &headers).await;
            assert_eq!(response.status(), 200);
            let announced = response.content_length().unwrap();
            assert!(announced > 0);
            assert!(response.bytes().await.is_err(), "the body is cut");
        }
        assert_eq!(fake.stats().dropped, 5);
    }
}

#[tokio::test]
async fn truncated_bodies_at_rate_one() {
    let faults = Faults {
        truncate_rate: 1.0,
        ..Faults::default()
    };
    for (fake, url, headers) in both_with(faults).await {
        for _ in 0..5 {
            let response = send(&url, &headers).await;
            assert_eq!(response.status(), 200);
            let announced = response.content_length().unwrap();
            let body = response.bytes().await.unwrap();
            assert_eq!(body.len() as u64, announced);
            let error = serde_json::from_slice::<Value>(&body).unwrap_err();
            assert!(error.is_eof(), "{error}");
        }
        assert_eq!(fake.stats().truncated, 5);
        // Only 200 answers are truncated.
        let unauthorized = send(&url, &[]).await;
        assert_eq!(unauthorized.status(), 401);
        serde_json::from_slice::<Value>(&unauthorized.bytes().await.unwrap()).unwrap();
        assert_eq!(fake.stats().truncated, 5);
    }
}

#[tokio::test]
async fn slow_bodies_at_rate_one_time_out_the_client() {
    let faults = Faults {
        slow_body_rate: 1.0,
        slow_body_delay: Duration::from_secs(3),
        ..Faults::default()
    };
    for (fake, url, headers) in both_with(faults).await {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let mut request = client.get(&url);
        for (name, value) in &headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let started = Instant::now();
        let outcome = match request.send().await {
            Ok(response) => response.bytes().await.map(|_| ()),
            Err(e) => Err(e),
        };
        let error = outcome.unwrap_err();
        assert!(error.is_timeout(), "{error}");
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(fake.stats().slow, 1);
        // A slow body that finishes within the delay is whole.
        fake.set_faults(Faults {
            slow_body_rate: 1.0,
            slow_body_delay: Duration::from_millis(100),
            ..Faults::default()
        });
        let response = send(&url, &headers).await;
        let body = response.bytes().await.unwrap();
        serde_json::from_slice::<Value>(&body).unwrap();
    }
}

#[tokio::test]
async fn latency_is_added_to_every_answer() {
    let faults = Faults {
        latency: Duration::from_millis(120),
        ..Faults::default()
    };
    for (_fake, url, headers) in both_with(faults).await {
        let started = Instant::now();
        assert_eq!(send(&url, &headers).await.status(), 200);
        assert!(started.elapsed() >= Duration::from_millis(120));
    }
}

#[tokio::test]
async fn fault_rolls_follow_the_fault_seed() {
    let faults = Faults {
        error_rate: 0.5,
        seed: 99,
        ..Faults::default()
    };
    let mut runs = Vec::new();
    for _ in 0..2 {
        let fake = FakeChatwoot::builder()
            .conversations(5)
            .faults(faults.clone())
            .start()
            .await
            .unwrap();
        let url = format!("{}/api/v1/accounts/1/conversations", fake.base_url());
        let headers = vec![("api_access_token".to_string(), fake.token().to_string())];
        let mut statuses = Vec::new();
        for _ in 0..30 {
            statuses.push(send(&url, &headers).await.status().as_u16());
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1]);
    let errors = runs[0].iter().filter(|s| **s != 200).count();
    assert!((5..=25).contains(&errors), "{errors} of 30");
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let fake = FakeChatwoot::builder()
        .conversations(3)
        .start()
        .await
        .unwrap();
    let url = format!("{}/api/v1/accounts/1/conversations", fake.base_url());
    let headers = vec![("api_access_token".to_string(), fake.token().to_string())];
    assert_eq!(send(&url, &headers).await.status(), 200);
    drop(fake);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    assert!(client.get(&url).send().await.is_err());
}
