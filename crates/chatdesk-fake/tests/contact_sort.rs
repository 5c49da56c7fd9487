#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The contact listings' `sort` and `include`, over plain HTTP: ChatbotX
//! orders by any column of the contact table (`desc` required, nulls
//! last ascending and first descending), skips other ids and ignores a
//! sort not of its form; Chatwoot puts nulls last in both directions on
//! `last_activity_at` and `created_at`.

use serde_json::Value;

use chatdesk_fake::{FakeChatbotx, FakeChatwoot, RunningFake};

async fn get(fake: &RunningFake, path_and_query: &str) -> Value {
    let url = format!("{}{}", fake.base_url(), path_and_query);
    let request = reqwest::Client::new().get(&url);
    let request = if fake.base_url().ends_with("/api") {
        request.bearer_auth(fake.token())
    } else {
        request.header("api_access_token", fake.token())
    };
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200, "{path_and_query}");
    response.json().await.unwrap()
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Every contact of the ChatbotX listing with `query`, page by page.
async fn chatbotx_contacts(fake: &RunningFake, query: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for page in 1.. {
        let body = get(fake, &format!("/v1/contacts?perPage=50&page={page}{query}")).await;
        let items = body["data"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        all.extend(items.iter().cloned());
    }
    all
}

fn sort(id: &str, desc: bool) -> String {
    format!(
        "&sort={}",
        encode(&format!(r#"[{{"id":"{id}","desc":{desc}}}]"#))
    )
}

fn field<'a>(items: &'a [Value], key: &str) -> Vec<Option<&'a str>> {
    items.iter().map(|c| c[key].as_str()).collect()
}

fn ids(items: &[Value]) -> Vec<&str> {
    items.iter().map(|c| c["id"].as_str().unwrap()).collect()
}

async fn chatbotx() -> RunningFake {
    FakeChatbotx::builder()
        .contacts(120)
        .conversations(60)
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn chatbotx_sorts_by_times_either_way() {
    let fake = chatbotx().await;
    // Contacts created later have older activity now and then.
    fake.add_contacts(2);
    let contact = fake.contact_ids()[90].clone();
    fake.add_message(&contact).unwrap();
    for (column, desc) in [
        ("updatedAt", true),
        ("updatedAt", false),
        ("createdAt", true),
        ("createdAt", false),
    ] {
        let items = chatbotx_contacts(&fake, &sort(column, desc)).await;
        assert_eq!(items.len(), 122);
        let times = field(&items, column);
        let mut sorted = times.clone();
        sorted.sort_unstable();
        if desc {
            sorted.reverse();
        }
        assert_eq!(times, sorted, "{column} desc={desc}");
    }
    // By updatedAt, not the listing's own order (newest created first).
    let by_update = chatbotx_contacts(&fake, &sort("updatedAt", true)).await;
    assert_ne!(
        ids(&by_update),
        fake.contact_ids()
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    // The id column sorts as a number (old rows have short ids).
    let by_id = chatbotx_contacts(&fake, &sort("id", false)).await;
    let numbers: Vec<u64> = ids(&by_id).iter().map(|i| i.parse().unwrap()).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]));
    assert!(numbers[0] < 1_000);
}

#[tokio::test]
async fn chatbotx_puts_nulls_last_ascending_and_first_descending() {
    let fake = chatbotx().await;
    let up = chatbotx_contacts(&fake, &sort("email", false)).await;
    let emails = field(&up, "email");
    let first_null = emails.iter().position(Option::is_none).unwrap();
    assert!(first_null > 0);
    assert!(emails[first_null..].iter().all(Option::is_none));
    assert!(emails[..first_null].windows(2).all(|w| w[0] <= w[1]));
    let down = chatbotx_contacts(&fake, &sort("email", true)).await;
    let emails = field(&down, "email");
    let first_value = emails.iter().position(Option::is_some).unwrap();
    assert!(first_value > 0);
    assert!(emails[first_value..].iter().all(Option::is_some));
    assert!(emails[first_value..].windows(2).all(|w| w[0] >= w[1]));
}

#[tokio::test]
async fn chatbotx_ignores_what_the_server_ignores() {
    let fake = chatbotx().await;
    let unsorted = chatbotx_contacts(&fake, "").await;
    let unsorted = ids(&unsorted);
    // Not a column of the contact table (any more): skipped.
    for query in [
        sort("lastActivityAt", true),
        format!("&sort={}", encode(r#"[{"id":"updatedAt"}]"#)),
        format!("&sort={}", encode(r#"[{"id":"updatedAt","desc":"true"}]"#)),
        format!("&sort={}", encode(r#"{"id":"updatedAt","desc":true}"#)),
        "&sort=updatedAt".to_string(),
    ] {
        let items = chatbotx_contacts(&fake, &query).await;
        assert_eq!(ids(&items), unsorted, "{query}");
    }
    // An unknown id beside a known one: the known one sorts.
    let two = format!(
        "&sort={}",
        encode(r#"[{"id":"lastActivityAt","desc":true},{"id":"createdAt","desc":false}]"#)
    );
    let items = chatbotx_contacts(&fake, &two).await;
    let mut reversed = unsorted.clone();
    reversed.reverse();
    assert_eq!(ids(&items), reversed);
}

#[tokio::test]
async fn chatbotx_include_keeps_the_relations_named() {
    let fake = chatbotx().await;
    let relations = [
        "contactCustomFields",
        "tags",
        "contactInboxes",
        "conversation",
    ];
    let present = |item: &Value| -> Vec<&str> {
        relations
            .iter()
            .copied()
            .filter(|r| item.get(*r).is_some())
            .collect()
    };
    let all = get(&fake, "/v1/contacts?perPage=5").await;
    assert_eq!(present(&all["data"][0]), relations);
    let some = get(
        &fake,
        "/v1/contacts?perPage=5&include[]=tags&include[]=customFields",
    )
    .await;
    assert_eq!(present(&some["data"][0]), ["contactCustomFields", "tags"]);
    let one = get(&fake, "/v1/contacts?perPage=5&include[]=conversation").await;
    assert_eq!(present(&one["data"][0]), ["conversation"]);
}

#[tokio::test]
async fn chatwoot_sorts_with_nulls_last_either_way() {
    let fake = FakeChatwoot::builder()
        .conversations(40)
        .contacts(20)
        .start()
        .await
        .unwrap();
    for (sort, key) in [
        ("-last_activity_at", "last_activity_at"),
        ("last_activity_at", "last_activity_at"),
        ("-created_at", "created_at"),
    ] {
        let mut values: Vec<Option<i64>> = Vec::new();
        for page in 1.. {
            let body = get(
                &fake,
                &format!("/api/v1/accounts/1/contacts?sort={sort}&page={page}"),
            )
            .await;
            let items = body["payload"].as_array().unwrap();
            if items.is_empty() {
                break;
            }
            values.extend(items.iter().map(|c| c[key].as_i64()));
        }
        assert_eq!(values.len(), fake.contact_ids().len());
        let known: Vec<i64> = values.iter().map_while(|v| *v).collect();
        assert!(
            values[known.len()..].iter().all(Option::is_none),
            "{sort}: nulls last"
        );
        let mut sorted = known.clone();
        sorted.sort_unstable();
        if sort.starts_with('-') {
            sorted.reverse();
        }
        assert_eq!(known, sorted, "{sort}");
        if key == "last_activity_at" {
            // The extra contacts have no activity yet.
            assert!(values.iter().any(Option::is_none));
        }
    }
}
