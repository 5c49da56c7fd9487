#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The fake Chatwoot's read surface against raw HTTP: each route's paging
//! and ordering rules, its errors, data that changes while the fake runs,
//! and the consistency of the one data set behind every route.

use std::collections::{HashMap, HashSet};

use chatdesk_fake::{FakeChatwoot, RunningFake};
use serde_json::{Value, json};

struct Got {
    status: u16,
    content_type: String,
    body: String,
}

impl Got {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn send(request: reqwest::RequestBuilder) -> Got {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    Got {
        status,
        content_type,
        body: response.text().await.unwrap(),
    }
}

/// `GET /api/v1/accounts/1{path}` with the fake's token.
async fn get(fake: &RunningFake, path: &str) -> Got {
    let url = format!("{}/api/v1/accounts/1{path}", fake.base_url());
    send(
        reqwest::Client::new()
            .get(url)
            .header("api_access_token", fake.token()),
    )
    .await
}

/// `POST /api/v1/accounts/1/conversations/filter{query}` with `body`.
async fn filter(fake: &RunningFake, query: &str, body: &Value) -> Got {
    let url = format!(
        "{}/api/v1/accounts/1/conversations/filter{query}",
        fake.base_url()
    );
    send(
        reqwest::Client::new()
            .post(url)
            .header("api_access_token", fake.token())
            .json(body),
    )
    .await
}

async fn fake(conversations: usize, messages: usize) -> RunningFake {
    FakeChatwoot::builder()
        .conversations(conversations)
        .messages_per_conversation(messages)
        .start()
        .await
        .unwrap()
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

/// The conversation with the most messages, and its message ids.
fn busiest(fake: &RunningFake) -> (String, Vec<i64>) {
    fake.conversation_ids()
        .into_iter()
        .map(|id| {
            let messages: Vec<i64> = fake
                .message_ids(&id)
                .iter()
                .map(|m| m.parse().unwrap())
                .collect();
            (id, messages)
        })
        .max_by_key(|(_, m)| m.len())
        .unwrap()
}

// ------------------------------------------------------------ messages

#[tokio::test]
async fn messages_page_like_the_message_finder() {
    let fake = fake(10, 160).await;
    let (id, all) = busiest(&fake);
    assert!(all.len() > 120, "{}", all.len());
    assert!(all.windows(2).all(|w| w[0] < w[1]), "ids grow");
    let path = |q: &str| format!("/conversations/{id}/messages{q}");

    // No bound: the newest 20, oldest first.
    let body = get(&fake, &path("")).await.json();
    assert_eq!(ids(&body["payload"]), all[all.len() - 20..]);
    // before: the 20 below it.
    let before = all[60];
    let body = get(&fake, &path(&format!("?before={before}"))).await.json();
    assert_eq!(ids(&body["payload"]), all[40..60]);
    // after: up to 100 above it, ascending.
    let after = all[5];
    let body = get(&fake, &path(&format!("?after={after}"))).await.json();
    assert_eq!(ids(&body["payload"]), all[6..106]);
    // Both: after inclusive, before exclusive.
    let body = get(
        &fake,
        &path(&format!("?after={}&before={}", all[10], all[30])),
    )
    .await
    .json();
    assert_eq!(ids(&body["payload"]), all[10..30]);
    // Ruby's to_i: `abc` is 0, so the oldest 100; leading digits count.
    let body = get(&fake, &path("?after=abc")).await.json();
    assert_eq!(ids(&body["payload"]), all[..100]);
    let body = get(&fake, &path(&format!("?before={}xyz", all[25])))
        .await
        .json();
    assert_eq!(ids(&body["payload"]), all[5..25]);
    // An empty bound is no bound.
    let body = get(&fake, &path("?after=&before=")).await.json();
    assert_eq!(ids(&body["payload"]), all[all.len() - 20..]);
    // Past the end: nothing.
    let last = all[all.len() - 1];
    let body = get(&fake, &path(&format!("?after={last}"))).await.json();
    assert_eq!(body["payload"], json!([]));
}

#[tokio::test]
async fn messages_filter_internal_ones_and_carry_the_conversation_meta() {
    let fake = fake(40, 30).await;
    let mut saw_internal = false;
    let mut saw_assignee = (false, false);
    for id in fake.conversation_ids() {
        let all = get(&fake, &format!("/conversations/{id}/messages?after=0"))
            .await
            .json();
        let internal = |m: &Value| m["private"] == true || m["message_type"] == 2;
        saw_internal |= all["payload"].as_array().unwrap().iter().any(internal);
        let kept = get(
            &fake,
            &format!("/conversations/{id}/messages?after=0&filter_internal_messages=true"),
        )
        .await
        .json();
        let expected: Vec<i64> = all["payload"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| !internal(m))
            .map(|m| m["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids(&kept["payload"]), expected);
        let conversation = get(&fake, &format!("/conversations/{id}")).await.json();
        let meta = &all["meta"];
        assert_eq!(meta["labels"], conversation["labels"]);
        assert_eq!(
            meta["additional_attributes"],
            conversation["additional_attributes"]
        );
        assert_eq!(meta["contact"]["id"], conversation["meta"]["sender"]["id"]);
        assert_eq!(meta["contact"]["type"], "contact");
        for key in ["agent_last_seen_at", "assignee_last_seen_at"] {
            let value = &meta[key];
            assert!(
                value.is_null() || value.as_str().unwrap().ends_with('Z'),
                "{key}: {value}"
            );
            assert_eq!(value.is_null(), conversation[key] == 0, "{key}");
        }
        if conversation["meta"]["assignee_type"] == "User" {
            assert_eq!(
                meta["assignee"]["id"],
                conversation["meta"]["assignee"]["id"]
            );
            saw_assignee.0 = true;
        } else {
            assert!(meta.get("assignee").is_none(), "no person, no assignee");
            saw_assignee.1 = true;
        }
        for m in all["payload"].as_array().unwrap() {
            assert_eq!(m["conversation_id"].to_string(), id);
            assert!(m["created_at"].is_i64());
            assert!(m.get("account_id").is_none() && m.get("sender_type").is_none());
            assert!(
                m.get("attachments")
                    .is_none_or(|a| !a.as_array().unwrap().is_empty())
            );
            assert_eq!(m.get("sender").is_none(), m["message_type"] == 2, "{m}");
        }
        // The newest message is the one the conversation embeds.
        if let Some(newest) = all["payload"].as_array().unwrap().last() {
            assert_eq!(conversation["messages"][0]["id"], newest["id"]);
            assert_eq!(conversation["last_activity_at"], newest["created_at"]);
            assert_eq!(
                conversation["messages"][0]["attachments"],
                newest.get("attachments").cloned().unwrap_or(Value::Null)
            );
        } else {
            assert_eq!(conversation["messages"], json!([]));
        }
    }
    assert!(saw_internal && saw_assignee.0 && saw_assignee.1);
}

// ------------------------------------------------------- conversations

#[tokio::test]
async fn one_conversation_is_the_listed_json_and_unknown_ones_are_404() {
    let fake = fake(30, 4).await;
    let listed = get(&fake, "/conversations?status=all").await.json();
    let first = &listed["data"]["payload"][0];
    let id = first["id"].as_i64().unwrap();
    let got = get(&fake, &format!("/conversations/{id}")).await;
    assert_eq!(got.status, 200);
    assert_eq!(&got.json(), first);
    // The id goes through to_i.
    assert_eq!(
        get(&fake, &format!("/conversations/{id}abc")).await.json(),
        *first
    );
    for missing in ["999999", "abc", "0"] {
        let got = get(&fake, &format!("/conversations/{missing}")).await;
        assert_eq!(got.status, 404, "{missing}");
        assert_eq!(got.json(), json!({"error": "Resource could not be found"}));
        let got = get(&fake, &format!("/conversations/{missing}/messages")).await;
        assert_eq!(got.status, 404, "{missing}");
    }
}

// ------------------------------------------------------------ contacts

#[tokio::test]
async fn contacts_page_by_15_and_echo_the_page_as_sent() {
    let fake = fake(80, 2).await;
    let listed = fake.contact_ids();
    let first = get(&fake, "/contacts").await.json();
    assert_eq!(
        first["meta"],
        json!({"count": listed.len(), "current_page": 1})
    );
    let mut walked = Vec::new();
    for page in 1.. {
        let body = get(&fake, &format!("/contacts?page={page}")).await.json();
        assert_eq!(body["meta"]["current_page"], json!(page.to_string()));
        let page_ids = ids(&body["payload"]);
        assert!(page_ids.len() <= 15);
        if page_ids.is_empty() {
            break;
        }
        walked.extend(page_ids.into_iter().map(|i| i.to_string()));
    }
    assert_eq!(walked, listed);
    for page in ["abc", "0", "-2", ""] {
        let body = get(&fake, &format!("/contacts?page={page}")).await.json();
        assert_eq!(body["meta"]["current_page"], json!(page), "{page}");
        assert_eq!(body["payload"], first["payload"], "{page}");
    }
    // Contact inboxes unless include_contact_inboxes is present and not `true`.
    assert!(first["payload"][0]["contact_inboxes"].is_array());
    let bare = get(&fake, "/contacts?include_contact_inboxes=false")
        .await
        .json();
    assert!(bare["payload"][0].get("contact_inboxes").is_none());
    let inbox = &first["payload"][0]["contact_inboxes"][0];
    assert!(inbox["source_id"].is_string() && inbox["inbox"]["channel_type"].is_string());
}

#[tokio::test]
async fn contacts_sort_and_hide_anonymous_visitors() {
    let fake = fake(150, 1).await;
    let mut all = Vec::new();
    for page in 1..=20 {
        let body = get(&fake, &format!("/contacts?sort=-email&page={page}"))
            .await
            .json();
        all.extend(body["payload"].as_array().unwrap().clone());
    }
    // Descending email: nulls first, then descending.
    let emails: Vec<Option<&str>> = all.iter().map(|c| c["email"].as_str()).collect();
    let first_email = emails.iter().position(Option::is_some).unwrap();
    assert!(emails[first_email..].iter().all(Option::is_some));
    assert!(emails[first_email..].windows(2).all(|w| w[0] >= w[1]));
    let name_page = get(&fake, "/contacts?sort=name").await.json();
    let names: Vec<String> = name_page["payload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    // last_activity_at: nulls last both ways.
    for sort in ["last_activity_at", "-last_activity_at"] {
        let mut times = Vec::new();
        for page in 1..=20 {
            let body = get(&fake, &format!("/contacts?sort={sort}&page={page}"))
                .await
                .json();
            times.extend(
                body["payload"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["last_activity_at"].as_i64()),
            );
        }
        let first_null = times
            .iter()
            .position(Option::is_none)
            .unwrap_or(times.len());
        assert!(times[first_null..].iter().all(Option::is_none), "{sort}");
        let known: Vec<i64> = times.iter().flatten().copied().collect();
        assert!(
            known.windows(2).all(|w| if sort.starts_with('-') {
                w[0] >= w[1]
            } else {
                w[0] <= w[1]
            }),
            "{sort}"
        );
    }
    // Anonymous visitors are not listed, but found by id and through their conversations.
    let listed: HashSet<String> = fake.contact_ids().into_iter().collect();
    let mut anonymous = 0;
    for id in fake.conversation_ids() {
        let c = get(&fake, &format!("/conversations/{id}")).await.json();
        let sender = &c["meta"]["sender"];
        let contact_id = sender["id"].to_string();
        let reachable = ["email", "phone_number", "identifier"]
            .iter()
            .any(|k| sender[*k].is_string());
        assert_eq!(listed.contains(&contact_id), reachable, "{sender}");
        if !reachable {
            anonymous += 1;
            let got = get(&fake, &format!("/contacts/{contact_id}")).await;
            assert_eq!(got.status, 200);
            assert_eq!(got.json()["payload"]["id"], sender["id"]);
        }
    }
    assert!(anonymous > 0);
}

#[tokio::test]
async fn a_contact_and_its_conversations() {
    let fake = fake(200, 1).await;
    let conversations = get(&fake, "/conversations?status=all&updated_within=999999999")
        .await
        .json();
    let mut by_contact: HashMap<i64, Vec<i64>> = HashMap::new();
    for c in conversations["data"]["payload"].as_array().unwrap() {
        by_contact
            .entry(c["meta"]["sender"]["id"].as_i64().unwrap())
            .or_default()
            .push(c["id"].as_i64().unwrap());
    }
    assert!(
        by_contact.values().any(|v| v.len() > 1),
        "some contacts have several conversations"
    );
    for (contact, expected) in &by_contact {
        let got = get(&fake, &format!("/contacts/{contact}/conversations")).await;
        assert_eq!(got.status, 200);
        let body = got.json();
        assert!(body.get("meta").is_none());
        assert_eq!(&ids(&body["payload"]), expected, "newest activity first");
        let one = get(&fake, &format!("/contacts/{contact}")).await.json();
        assert_eq!(one["payload"]["id"], json!(contact));
        assert!(one["payload"]["contact_inboxes"].is_array());
    }
    for missing in ["1", "abc"] {
        assert_eq!(
            get(&fake, &format!("/contacts/{missing}")).await.status,
            404
        );
        assert_eq!(
            get(&fake, &format!("/contacts/{missing}/conversations"))
                .await
                .status,
            404
        );
    }
}

// ------------------------------------------------------------- account

#[tokio::test]
async fn account_listings_have_their_shapes_and_orders() {
    let fake = fake(5, 1).await;
    let agents = get(&fake, "/agents").await.json();
    let names: Vec<String> = agents
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]));
    assert!(
        agents
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a.get("custom_role_id").is_some())
    );
    let labels = get(&fake, "/labels").await.json();
    let titles: Vec<&str> = labels["payload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["title"].as_str().unwrap())
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]));
    let teams = get(&fake, "/teams").await.json();
    assert!(teams.is_array() && !teams.as_array().unwrap().is_empty());
    let members = get(&fake, "/teams/1/team_members").await.json();
    assert!(members.as_array().unwrap().iter().any(|m| m["id"] == 1));
    assert_eq!(teams[0]["is_member"], true);
    assert_eq!(get(&fake, "/teams/99/team_members").await.status, 404);
    let inboxes = get(&fake, "/inboxes").await.json();
    let inboxes = inboxes["payload"].as_array().unwrap().clone();
    let of = |channel: &str| {
        inboxes
            .iter()
            .find(|i| i["channel_type"] == channel)
            .unwrap()
            .clone()
    };
    assert!(of("Channel::WebWidget")["hmac_token"].is_string());
    assert!(of("Channel::Whatsapp")["provider_config"]["api_key"].is_string());
    assert!(of("Channel::Email")["imap_password"].is_string());
    assert!(of("Channel::Email")["smtp_password"].is_string());
    assert!(of("Channel::Telegram")["widget_color"].is_null());
    let both = get(&fake, "/custom_attribute_definitions").await.json();
    let conversation = get(
        &fake,
        "/custom_attribute_definitions?attribute_model=conversation_attribute",
    )
    .await
    .json();
    let contact = get(&fake, "/custom_attribute_definitions?attribute_model=1")
        .await
        .json();
    let len = |v: &Value| v.as_array().unwrap().len();
    assert_eq!(len(&both), len(&conversation) + len(&contact));
    assert!(
        conversation
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["attribute_model"] == "conversation_attribute")
    );
    assert!(
        contact
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["attribute_model"] == "contact_attribute")
    );
    assert!(both[0]["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        get(&fake, "/custom_attribute_definitions?attribute_model=nope")
            .await
            .json(),
        json!([])
    );
    assert_eq!(
        get(&fake, "/custom_attribute_definitions?attribute_model=")
            .await
            .json(),
        both
    );
}

// -------------------------------------------------------------- filter

fn condition(key: &str, op: &str, values: Value, join: Option<&str>) -> Value {
    json!({"attribute_key": key, "filter_operator": op, "values": values, "query_operator": join})
}

#[tokio::test]
async fn filter_pages_by_25_counts_the_filtered_set_and_binds_and_before_or() {
    let fake = FakeChatwoot::builder()
        .conversations(300)
        .page_size(10)
        .start()
        .await
        .unwrap();
    let everything = get(&fake, "/conversations?status=all&updated_within=999999999")
        .await
        .json();
    let all: Vec<Value> = everything["data"]["payload"].as_array().unwrap().clone();
    // status resolved OR (inbox 2 AND team 1)
    let body = json!({"payload": [
        condition("status", "equal_to", json!(["resolved"]), Some("OR")),
        condition("inbox_id", "equal_to", json!([2]), Some("and")),
        condition("team_id", "equal_to", json!(["1"]), None),
    ]});
    let expected: Vec<i64> = all
        .iter()
        .filter(|c| {
            c["status"] == "resolved" || (c["inbox_id"] == 2 && c["meta"]["team"]["id"] == 1)
        })
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    let mut walked = Vec::new();
    for page in 1.. {
        let got = filter(&fake, &format!("?page={page}"), &body).await;
        assert_eq!(got.status, 200);
        let json = got.json();
        assert!(json.get("data").is_none());
        assert_eq!(json["meta"]["all_count"], expected.len());
        assert!(json["meta"].get("assigned_count").is_none());
        let page_ids = ids(&json["payload"]);
        assert!(page_ids.len() <= 25);
        if page_ids.is_empty() {
            break;
        }
        walked.extend(page_ids);
    }
    assert_eq!(walked, expected, "newest activity first");
    // No default status; an empty payload is everything.
    let got = filter(&fake, "", &json!({"payload": []})).await.json();
    assert_eq!(got["meta"]["all_count"], 300);
    assert_eq!(ids(&got["payload"]).len(), 25);
    // Counts over the filtered set; bots count as unassigned.
    let open = filter(
        &fake,
        "",
        &json!({"payload": [condition("status", "equal_to", json!(["open"]), None)]}),
    )
    .await
    .json();
    let open_all: Vec<&Value> = all.iter().filter(|c| c["status"] == "open").collect();
    let person = |c: &&&Value| c["meta"]["assignee_type"] == "User";
    assert_eq!(open["meta"]["all_count"], open_all.len());
    assert_eq!(
        open["meta"]["unassigned_count"],
        open_all.iter().filter(|c| !person(c)).count()
    );
    assert_eq!(
        open["meta"]["mine_count"],
        open_all
            .iter()
            .filter(|c| person(c) && c["meta"]["assignee"]["id"] == 1)
            .count()
    );
    // A null column matches neither = nor !=.
    let count = |payload: Value| {
        let fake = &fake;
        async move {
            filter(fake, "", &json!({ "payload": payload }))
                .await
                .json()["meta"]["all_count"]
                .as_u64()
                .unwrap()
        }
    };
    let with_team = all.iter().filter(|c| c["meta"]["team"].is_object()).count() as u64;
    let eq = count(json!([condition("team_id", "equal_to", json!([1]), None)])).await;
    let ne = count(json!([condition(
        "team_id",
        "not_equal_to",
        json!([1]),
        None
    )]))
    .await;
    assert_eq!(eq + ne, with_team);
    let present = count(json!([condition("team_id", "is_present", json!([]), None)])).await;
    assert_eq!(present, with_team);
    // Labels: any of them; dates by UTC day.
    let vip = count(json!([condition(
        "labels",
        "equal_to",
        json!(["vip"]),
        None
    )]))
    .await;
    assert_eq!(
        vip,
        all.iter()
            .filter(|c| c["labels"].as_array().unwrap().contains(&json!("vip")))
            .count() as u64
    );
    let day = 1_767_225_600; // 2026-01-01
    let after = count(json!([condition(
        "created_at",
        "is_greater_than",
        json!(["2026-01-01"]),
        None
    )]))
    .await;
    assert_eq!(
        after,
        all.iter()
            .filter(|c| c["created_at"].as_i64().unwrap() >= day + 86_400)
            .count() as u64
    );
}

#[tokio::test]
async fn filter_refuses_bad_payloads_like_the_server() {
    let fake = fake(20, 1).await;
    let unprocessable = [
        (
            json!({"payload": [condition("phone_number", "equal_to", json!(["1"]), None)]}),
            "Invalid attribute key - [phone_number]. The key should be one of [status,assignee_id,inbox_id,team_id,contact_id,priority,display_id,campaign_id,labels,browser_language,conversation_language,referer,created_at,last_activity_at,mail_subject] or a custom attribute defined in the account.",
        ),
        (
            json!({"payload": [condition("status", "contains", json!(["open"]), None)]}),
            "Invalid operator. The allowed operators for status are [equal_to,not_equal_to].",
        ),
        (
            json!({"payload": [condition("status", "equal_to", json!(["open"]), Some("XOR")), condition("status", "equal_to", json!(["open"]), None)]}),
            "Query operator must be either \"AND\" or \"OR\".",
        ),
        (
            json!({"payload": [condition("status", "equal_to", json!(["open"]), Some("AND"))]}),
            "Query operator must be either \"AND\" or \"OR\".",
        ),
        (
            json!({"payload": [condition("inbox_id", "equal_to", json!([]), None)]}),
            "Invalid value. The values provided for inbox_id are invalid",
        ),
        (
            json!({"payload": [condition("status", "equal_to", json!("open"), None)]}),
            "Invalid value. The values provided for status are invalid",
        ),
    ];
    for (body, message) in unprocessable {
        let got = filter(&fake, "", &body).await;
        assert_eq!(got.status, 422, "{body}");
        assert_eq!(got.json(), json!({"error": message}));
    }
    // The custom attributes of conversations are filter keys too.
    let ok = filter(
        &fake,
        "",
        &json!({"payload": [condition("order_id", "is_present", json!([]), None)]}),
    )
    .await;
    assert_eq!(ok.status, 200);
    // What breaks the server: a 500 page.
    for body in [
        json!({}),
        json!({"payload": "status"}),
        json!({"payload": [condition("status", "equal_to", json!(["open"]), None), condition("status", "equal_to", json!(["open"]), None)]}),
        json!({"payload": [condition("inbox_id", "equal_to", json!(["abc"]), None)]}),
        json!({"payload": [condition("created_at", "is_less_than", json!(["soon"]), None)]}),
    ] {
        let got = filter(&fake, "", &body).await;
        assert_eq!(got.status, 500, "{body}");
        assert!(got.content_type.starts_with("text/html"));
    }
}

// ---------------------------------------------------------- every route

#[tokio::test]
async fn every_route_checks_the_token_then_the_account() {
    let fake = fake(3, 1).await;
    let contact = &fake.contact_ids()[0];
    let conversation = &fake.conversation_ids()[0];
    let paths = [
        format!("/conversations/{conversation}"),
        format!("/conversations/{conversation}/messages"),
        "/contacts".to_string(),
        format!("/contacts/{contact}"),
        format!("/contacts/{contact}/conversations"),
        "/inboxes".to_string(),
        "/agents".to_string(),
        "/teams".to_string(),
        "/teams/1/team_members".to_string(),
        "/labels".to_string(),
        "/custom_attribute_definitions".to_string(),
    ];
    let client = reqwest::Client::new();
    for path in &paths {
        let url = format!("{}/api/v1/accounts/1{path}", fake.base_url());
        assert_eq!(get(&fake, path).await.status, 200, "{path}");
        let missing = send(client.get(&url)).await;
        assert_eq!(missing.status, 401, "{path}");
        assert_eq!(
            missing.json(),
            json!({"errors": ["You need to sign in or sign up before continuing."]})
        );
        let wrong = send(client.get(&url).header("api_access_token", "nope")).await;
        assert_eq!(
            wrong.json(),
            json!({"error": "Invalid Access Token"}),
            "{path}"
        );
        let other = send(
            client
                .get(format!("{}/api/v1/accounts/2{path}", fake.base_url()))
                .header("api_access_token", fake.token()),
        )
        .await;
        assert_eq!(other.status, 404, "{path}");
        assert_eq!(
            other.json(),
            json!({"error": "Resource could not be found"})
        );
    }
    let url = format!("{}/api/v1/accounts/1/conversations/filter", fake.base_url());
    assert_eq!(
        send(client.post(&url).json(&json!({"payload": []})))
            .await
            .status,
        401
    );
    let other = format!("{}/api/v1/accounts/2/conversations/filter", fake.base_url());
    let got = send(
        client
            .post(other)
            .header("api_access_token", fake.token())
            .json(&json!({"payload": []})),
    )
    .await;
    assert_eq!(got.status, 404);
    // An unknown path or method is 404 before the token is looked at.
    assert_eq!(
        send(client.get(format!("{}/api/v1/accounts/1/nothing", fake.base_url())))
            .await
            .status,
        404
    );
    assert_eq!(
        send(client.delete(format!("{}/api/v1/accounts/1/labels", fake.base_url())))
            .await
            .status,
        404
    );
}

// -------------------------------------------------------- changing data

#[tokio::test]
async fn data_changes_while_the_fake_runs() {
    let fake = fake(30, 6).await;
    let listed = get(&fake, "/conversations?status=resolved").await.json();
    let resolved = listed["data"]["payload"][0]["id"].to_string();
    let before = get(&fake, &format!("/conversations/{resolved}"))
        .await
        .json();
    let last = fake
        .message_ids(&resolved)
        .last()
        .cloned()
        .unwrap_or_else(|| "0".into());

    let new = fake.add_message(&resolved).unwrap();
    assert!(new.parse::<i64>().unwrap() > last.parse::<i64>().unwrap());
    let after = get(
        &fake,
        &format!("/conversations/{resolved}/messages?after={last}"),
    )
    .await
    .json();
    assert_eq!(ids(&after["payload"]), vec![new.parse::<i64>().unwrap()]);
    assert_eq!(after["payload"][0]["message_type"], 0);
    let now = get(&fake, &format!("/conversations/{resolved}"))
        .await
        .json();
    assert_eq!(now["status"], "open", "an incoming message reopens");
    assert_eq!(now["messages"][0]["id"].to_string(), new);
    assert!(now["last_activity_at"].as_i64() > before["last_activity_at"].as_i64());
    assert!(now["updated_at"].as_f64() > before["updated_at"].as_f64());
    assert_eq!(now["last_activity_at"], after["payload"][0]["created_at"]);
    assert_eq!(fake.conversation_ids()[0], resolved);
    assert_eq!(fake.add_message("424242"), None);

    // A status change writes an activity line and bumps updated_at.
    let other = fake.conversation_ids()[5].clone();
    let was = get(&fake, &format!("/conversations/{other}")).await.json();
    let target = if was["status"] == "snoozed" {
        "pending"
    } else {
        "snoozed"
    };
    assert!(fake.set_conversation_status(&other, target));
    let is = get(&fake, &format!("/conversations/{other}")).await.json();
    assert_eq!(is["status"], target);
    assert!(is["updated_at"].as_f64() > was["updated_at"].as_f64());
    assert_eq!(is["messages"][0]["message_type"], 2);
    if target == "snoozed" {
        assert!(is["snoozed_until"].is_string());
    }
    let filtered = filter(
        &fake,
        "",
        &json!({"payload": [condition("status", "equal_to", json!([target]), None)]}),
    )
    .await
    .json();
    assert!(ids(&filtered["payload"]).contains(&other.parse().unwrap()));
    assert!(!fake.set_conversation_status(&other, "archived"));

    // New contacts are listed.
    let count = get(&fake, "/contacts").await.json()["meta"]["count"]
        .as_u64()
        .unwrap();
    let added = fake.add_contacts(3);
    assert_eq!(added.len(), 3);
    assert_eq!(
        get(&fake, "/contacts").await.json()["meta"]["count"],
        count + 3
    );
    assert_eq!(fake.contact_ids()[fake.contact_ids().len() - 3..], added);
    for id in &added {
        assert_eq!(
            get(&fake, &format!("/contacts/{id}/conversations"))
                .await
                .json(),
            json!({"payload": []})
        );
    }

    // Touching is new activity: a message the conversation shows.
    let oldest = fake.conversation_ids().last().cloned().unwrap();
    let messages = fake.message_ids(&oldest).len();
    fake.touch_conversation(&oldest);
    assert_eq!(fake.message_ids(&oldest).len(), messages + 1);
    let touched = get(&fake, &format!("/conversations/{oldest}")).await.json();
    assert_eq!(
        touched["messages"][0]["id"].to_string(),
        *fake.message_ids(&oldest).last().unwrap()
    );
    fake.add_conversations_at_top(2);
    let top = fake.conversation_ids();
    for id in &top[..2] {
        let c = get(&fake, &format!("/conversations/{id}")).await.json();
        assert_eq!(c["status"], "open");
        assert_eq!(c["last_activity_at"], c["messages"][0]["created_at"]);
        assert_eq!(
            get(&fake, &format!("/contacts/{}", c["meta"]["sender"]["id"]))
                .await
                .status,
            200
        );
    }
}

// ---------------------------------------------------------- consistency

#[tokio::test]
async fn every_reference_resolves_in_its_listing() {
    let fake = fake(120, 5).await;
    let inboxes: HashSet<i64> = ids(&get(&fake, "/inboxes").await.json()["payload"])
        .into_iter()
        .collect();
    let agents: HashSet<i64> = ids(&get(&fake, "/agents").await.json())
        .into_iter()
        .collect();
    let teams: HashSet<i64> = ids(&get(&fake, "/teams").await.json())
        .into_iter()
        .collect();
    let labels: HashSet<String> = get(&fake, "/labels").await.json()["payload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["title"].as_str().unwrap().to_string())
        .collect();
    let definitions = get(&fake, "/custom_attribute_definitions").await.json();
    let keys = |model: &str| -> HashSet<String> {
        definitions
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["attribute_model"] == model)
            .map(|d| d["attribute_key"].as_str().unwrap().to_string())
            .collect()
    };
    let (conversation_keys, contact_keys) =
        (keys("conversation_attribute"), keys("contact_attribute"));
    let all = get(&fake, "/conversations?status=all&updated_within=999999999")
        .await
        .json();
    for c in all["data"]["payload"].as_array().unwrap() {
        let id = c["id"].as_i64().unwrap();
        assert!(inboxes.contains(&c["inbox_id"].as_i64().unwrap()));
        if c["meta"]["assignee_type"] == "User" {
            assert!(agents.contains(&c["meta"]["assignee"]["id"].as_i64().unwrap()));
        }
        if let Some(team) = c["meta"]["team"]["id"].as_i64() {
            assert!(teams.contains(&team));
        }
        for label in c["labels"].as_array().unwrap() {
            assert!(labels.contains(label.as_str().unwrap()), "{label}");
        }
        for key in c["custom_attributes"].as_object().unwrap().keys() {
            assert!(conversation_keys.contains(key), "{key}");
        }
        let contact = get(&fake, &format!("/contacts/{}", c["meta"]["sender"]["id"])).await;
        assert_eq!(contact.status, 200);
        let contact = contact.json();
        for key in contact["payload"]["custom_attributes"]
            .as_object()
            .unwrap()
            .keys()
        {
            assert!(contact_keys.contains(key), "{key}");
        }
        assert!(
            contact["payload"]["contact_inboxes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|ci| ci["inbox"]["id"] == c["inbox_id"]),
            "the contact has an inbox for each of its conversations"
        );
        let messages = get(&fake, &format!("/conversations/{id}/messages?after=0"))
            .await
            .json();
        for m in messages["payload"].as_array().unwrap() {
            assert_eq!(m["conversation_id"].as_i64(), Some(id));
            assert_eq!(m["inbox_id"], c["inbox_id"]);
            if m["sender"]["type"] == "user" {
                assert!(agents.contains(&m["sender"]["id"].as_i64().unwrap()));
            }
            if m["sender"]["type"] == "contact" {
                assert_eq!(m["sender"]["id"], c["meta"]["sender"]["id"]);
            }
        }
        let created: Vec<i64> = messages["payload"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["created_at"].as_i64().unwrap())
            .collect();
        assert!(
            created.windows(2).all(|w| w[0] <= w[1]),
            "ids grow with time"
        );
        assert!(
            created
                .first()
                .is_none_or(|t| *t >= c["created_at"].as_i64().unwrap())
        );
    }
}

#[tokio::test]
async fn large_data_sets_keep_their_messages() {
    let fake = FakeChatwoot::builder()
        .conversations(10_000)
        .start()
        .await
        .unwrap();
    assert_eq!(fake.conversation_ids().len(), 10_000);
    let total: usize = fake.conversation_ids()[..200]
        .iter()
        .map(|id| fake.message_ids(id).len())
        .sum();
    assert!(total > 200 * 3, "{total}");
}
