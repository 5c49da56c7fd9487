#![allow(clippy::unwrap_used, clippy::expect_used)]

//! `RunningFake::dataset`: every table a backup fills, with as many rows
//! as the builder asked for, each row equal to the item a plain HTTP GET
//! of the fake's listing returns, before and after the data changes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use chatdesk_fake::{ChatbotxVersion, FakeChatbotx, FakeChatwoot, RunningFake};

type Dataset = BTreeMap<String, BTreeMap<String, Value>>;

const CHATWOOT_TABLES: &[&str] = &[
    "conversations",
    "messages",
    "contacts",
    "inboxes",
    "agents",
    "teams",
    "team_members",
    "labels",
    "custom_attribute_definitions",
];

const CHATBOTX_TABLES: &[&str] = &[
    "conversations",
    "contacts",
    "messages",
    "contact_tags",
    "contact_custom_fields",
    "tags",
    "custom_fields",
    "bot_fields",
    "channels",
    "members",
    "teams",
];

/// A GET with the fake's credentials; the answer must be 200 JSON.
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

fn array<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    let list = if key.is_empty() { value } else { &value[key] };
    list.as_array()
        .unwrap_or_else(|| panic!("no array {key}: {value}"))
}

fn id_text(item: &Value) -> String {
    match &item["id"] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("id {other}"),
    }
}

/// Every item of `items` is the row of `table` its id names, and (with
/// `all`) the table holds nothing else.
fn same_rows(dataset: &Dataset, table: &str, parent: Option<&str>, items: &[Value], all: bool) {
    let rows: Vec<(String, &Value)> = dataset[table]
        .iter()
        .filter(|(key, _)| parent.is_none_or(|p| key.starts_with(&format!("{p}:"))))
        .map(|(k, v)| (k.clone(), v))
        .collect();
    assert!(!items.is_empty(), "{table}: nothing listed");
    for item in items {
        let key = match parent {
            Some(p) => format!("{p}:{}", id_text(item)),
            None => id_text(item),
        };
        let row = dataset[table]
            .get(&key)
            .unwrap_or_else(|| panic!("{table}: no row {key}"));
        assert_eq!(row, item, "{table} row {key}");
    }
    if all {
        assert_eq!(
            rows.len(),
            items.len(),
            "{table}: rows besides the listing's"
        );
    }
}

fn tables(dataset: &Dataset) -> Vec<&str> {
    dataset.keys().map(String::as_str).collect()
}

fn sorted(names: &[&'static str]) -> Vec<&'static str> {
    let mut names = names.to_vec();
    names.sort_unstable();
    names
}

// --------------------------------------------------------------- Chatwoot

async fn chatwoot() -> RunningFake {
    FakeChatwoot::builder()
        .conversations(40)
        .messages_per_conversation(5)
        .contacts(20)
        .page_size(100)
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn chatwoot_counts_match_the_builder_and_the_ids() {
    let fake = chatwoot().await;
    let dataset = fake.dataset();
    assert_eq!(tables(&dataset), sorted(CHATWOOT_TABLES));
    assert_eq!(dataset["conversations"].len(), 40);
    let conversations: BTreeSet<String> = fake.conversation_ids().into_iter().collect();
    assert_eq!(
        dataset["conversations"]
            .keys()
            .cloned()
            .collect::<BTreeSet<_>>(),
        conversations
    );
    let messages: usize = conversations
        .iter()
        .map(|c| fake.message_ids(c).len())
        .sum();
    assert_eq!(dataset["messages"].len(), messages);
    assert!(messages >= 40 * 5 / 2);
    let contacts: BTreeSet<String> = fake.contact_ids().into_iter().collect();
    assert!(contacts.len() >= 20);
    assert_eq!(
        dataset["contacts"].keys().cloned().collect::<BTreeSet<_>>(),
        contacts
    );
    for table in CHATWOOT_TABLES {
        assert!(
            dataset[*table]
                .keys()
                .all(|k| !k.is_empty() && !k.contains('"')),
            "{table}"
        );
    }
    // Team members are keyed by team and agent.
    assert!(!dataset["team_members"].is_empty());
    for (key, agent) in &dataset["team_members"] {
        let (team, id) = key.split_once(':').unwrap();
        assert!(dataset["teams"].contains_key(team));
        assert_eq!(id, id_text(agent));
    }
    // Every message row names a conversation of the data set.
    for message in dataset["messages"].values() {
        assert!(conversations.contains(&message["conversation_id"].to_string()));
    }
}

#[tokio::test]
async fn chatwoot_rows_are_what_the_listings_serve() {
    let fake = chatwoot().await;
    let dataset = fake.dataset();
    let base = "/api/v1/accounts/1";
    let listing = get(&fake, &format!("{base}/conversations?status=all")).await;
    same_rows(
        &dataset,
        "conversations",
        None,
        array(&listing["data"], "payload"),
        true,
    );
    for conversation in fake.conversation_ids().iter().take(8) {
        if fake.message_ids(conversation).is_empty() {
            continue;
        }
        let page = get(
            &fake,
            &format!("{base}/conversations/{conversation}/messages?after=0"),
        )
        .await;
        let items = array(&page, "payload");
        assert_eq!(items.len(), fake.message_ids(conversation).len());
        same_rows(&dataset, "messages", None, items, false);
    }
    let mut contacts = Vec::new();
    for page in 1.. {
        let body = get(&fake, &format!("{base}/contacts?page={page}")).await;
        let items = array(&body, "payload");
        if items.is_empty() {
            break;
        }
        contacts.extend(items.iter().cloned());
    }
    assert!(contacts[0]["contact_inboxes"].is_array());
    same_rows(&dataset, "contacts", None, &contacts, true);
    let inboxes = get(&fake, &format!("{base}/inboxes")).await;
    same_rows(&dataset, "inboxes", None, array(&inboxes, "payload"), true);
    let agents = get(&fake, &format!("{base}/agents")).await;
    same_rows(&dataset, "agents", None, array(&agents, ""), true);
    let teams = get(&fake, &format!("{base}/teams")).await;
    same_rows(&dataset, "teams", None, array(&teams, ""), true);
    let mut members = 0;
    for team in array(&teams, "") {
        let team = id_text(team);
        let body = get(&fake, &format!("{base}/teams/{team}/team_members")).await;
        members += array(&body, "").len();
        if !array(&body, "").is_empty() {
            same_rows(
                &dataset,
                "team_members",
                Some(&team),
                array(&body, ""),
                true,
            );
        }
    }
    assert_eq!(dataset["team_members"].len(), members);
    let labels = get(&fake, &format!("{base}/labels")).await;
    same_rows(&dataset, "labels", None, array(&labels, "payload"), true);
    let definitions = get(&fake, &format!("{base}/custom_attribute_definitions")).await;
    same_rows(
        &dataset,
        "custom_attribute_definitions",
        None,
        array(&definitions, ""),
        true,
    );
}

#[tokio::test]
async fn chatwoot_rows_follow_the_changes() {
    let fake = chatwoot().await;
    let before = fake.dataset();
    let conversation = fake.conversation_ids()[30].clone();
    let message = fake.add_message(&conversation).unwrap();
    let added = fake.add_contacts(2);
    fake.add_conversations_at_top(1);
    let after = fake.dataset();
    assert_eq!(after["conversations"].len(), 41);
    assert!(after["messages"].len() >= before["messages"].len() + 2);
    assert!(after["messages"].contains_key(&message));
    for id in &added {
        assert!(after["contacts"].contains_key(id));
    }
    let row = &after["conversations"][&conversation];
    assert!(
        row["last_activity_at"].as_i64()
            > before["conversations"][&conversation]["last_activity_at"].as_i64()
    );
    assert_eq!(
        row["last_activity_at"],
        after["messages"][&message]["created_at"]
    );
    let one = get(
        &fake,
        &format!("/api/v1/accounts/1/conversations/{conversation}"),
    )
    .await;
    assert_eq!(&one, row);
}

// --------------------------------------------------------------- ChatbotX

async fn chatbotx(version: ChatbotxVersion) -> RunningFake {
    FakeChatbotx::builder()
        .version(version)
        .contacts(30)
        .conversations(30)
        .messages_per_contact(4)
        .start()
        .await
        .unwrap()
}

const INCLUDE: &str = "include[]=tags&include[]=customFields";

#[tokio::test]
async fn chatbotx_counts_match_the_builder_and_the_ids() {
    let fake = chatbotx(ChatbotxVersion::Current).await;
    let dataset = fake.dataset();
    assert_eq!(tables(&dataset), sorted(CHATBOTX_TABLES));
    let all: BTreeSet<String> = fake.all_conversation_ids().into_iter().collect();
    assert!(all.len() > 30);
    assert_eq!(
        dataset["conversations"]
            .keys()
            .cloned()
            .collect::<BTreeSet<_>>(),
        all
    );
    let contacts: BTreeSet<String> = fake.contact_ids().into_iter().collect();
    assert_eq!(contacts.len(), 30);
    assert_eq!(
        dataset["contacts"].keys().cloned().collect::<BTreeSet<_>>(),
        contacts
    );
    let messages: usize = contacts.iter().map(|c| fake.message_ids(c).len()).sum();
    assert_eq!(messages, 30 * 4);
    assert_eq!(dataset["messages"].len(), messages);
    // The relations, keyed by contact.
    let tags: usize = dataset["contacts"]
        .values()
        .map(|c| array(c, "tags").len())
        .sum();
    let fields: usize = dataset["contacts"]
        .values()
        .map(|c| array(c, "contactCustomFields").len())
        .sum();
    assert!(tags > 0 && fields > 0);
    assert_eq!(dataset["contact_tags"].len(), tags);
    assert_eq!(dataset["contact_custom_fields"].len(), fields);
    for (key, value) in &dataset["contact_custom_fields"] {
        let (contact, id) = key.split_once(':').unwrap();
        assert_eq!(value["contactId"], contact);
        assert_eq!(value["id"], id);
    }
    // Only the relations asked for.
    for contact in dataset["contacts"].values() {
        assert!(contact.get("conversation").is_none());
        assert!(contact.get("contactInboxes").is_none());
    }
}

#[tokio::test]
async fn chatbotx_rows_are_what_the_listings_serve() {
    let fake = chatbotx(ChatbotxVersion::Current).await;
    let dataset = fake.dataset();
    let mut conversations = Vec::new();
    for tags in [
        "",
        "&tags=%5B%22archived%22%5D",
        "&tags=%5B%22blocked%22%5D",
        "&tags=%5B%22archived%22%2C%22blocked%22%5D",
    ] {
        let page = get(&fake, &format!("/v1/conversations?perPage=100{tags}")).await;
        assert!(page["nextCursor"].is_null());
        conversations.extend(array(&page, "data").iter().cloned());
    }
    same_rows(&dataset, "conversations", None, &conversations, true);
    let contacts = get(&fake, &format!("/v1/contacts?perPage=50&{INCLUDE}")).await;
    let contacts = array(&contacts, "data");
    same_rows(&dataset, "contacts", None, contacts, true);
    for contact in contacts {
        let id = id_text(contact);
        let tags = array(contact, "tags");
        if !tags.is_empty() {
            same_rows(&dataset, "contact_tags", Some(&id), tags, true);
        }
        let fields = array(contact, "contactCustomFields");
        if !fields.is_empty() {
            same_rows(&dataset, "contact_custom_fields", Some(&id), fields, true);
        }
    }
    for contact in fake.contact_ids().iter().take(6) {
        let page = get(
            &fake,
            &format!("/v1/contacts/id:{contact}/messages?perPage=100"),
        )
        .await;
        let items = array(&page, "data");
        assert_eq!(items.len(), 4);
        same_rows(&dataset, "messages", None, items, false);
    }
    for (table, path) in [
        ("tags", "/v1/tags"),
        ("custom_fields", "/v1/custom-fields"),
        ("bot_fields", "/v1/bot-fields"),
        ("channels", "/v1/channels?perPage=50"),
        ("members", "/v1/members?perPage=50"),
        ("teams", "/v1/teams"),
    ] {
        let body = get(&fake, path).await;
        same_rows(&dataset, table, None, array(&body, "data"), true);
    }
}

/// The contact listing's relations are whole rows; the per-contact routes
/// send other shapes, which the backup does not use.
#[tokio::test]
async fn chatbotx_listing_relations_differ_from_the_contact_routes() {
    let fake = chatbotx(ChatbotxVersion::Current).await;
    let dataset = fake.dataset();
    let (key, tag) = dataset["contact_tags"].iter().next().unwrap();
    let contact = key.split_once(':').unwrap().0;
    let keys = |v: &Value| {
        v.as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<BTreeSet<_>>()
    };
    let names = |n: &[&str]| n.iter().map(|s| (*s).to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        keys(tag),
        names(&[
            "id",
            "createdAt",
            "updatedAt",
            "name",
            "deletedAt",
            "folderId",
            "workspaceId"
        ])
    );
    let route = get(&fake, &format!("/v1/contacts/id:{contact}/tags")).await;
    let short = array(&route, "data")
        .iter()
        .find(|t| t["id"] == tag["id"])
        .unwrap();
    assert_eq!(keys(short), names(&["id", "name"]));
    assert_eq!(short["name"], tag["name"]);

    let (key, value) = dataset["contact_custom_fields"].iter().next().unwrap();
    let contact = key.split_once(':').unwrap().0;
    assert_eq!(
        keys(value),
        names(&[
            "id",
            "createdAt",
            "updatedAt",
            "value",
            "contactId",
            "customFieldId"
        ])
    );
    let route = get(&fake, &format!("/v1/contacts/id:{contact}/custom-fields")).await;
    let field = array(&route, "data")
        .iter()
        .find(|f| f["id"] == value["customFieldId"])
        .unwrap();
    assert_eq!(
        keys(field),
        names(&["id", "name", "type", "description", "value"])
    );
    assert_eq!(field["value"], value["value"]);
}

#[tokio::test]
async fn chatbotx_open_source_contacts_carry_every_relation() {
    let fake = chatbotx(ChatbotxVersion::OpenSource).await;
    let dataset = fake.dataset();
    let contacts = get(&fake, &format!("/v1/contacts?perPage=50&{INCLUDE}")).await;
    same_rows(&dataset, "contacts", None, array(&contacts, "data"), true);
    assert!(
        dataset["contacts"]
            .values()
            .all(|c| c.get("conversation").is_some())
    );
}

#[tokio::test]
async fn chatbotx_without_listed_contacts_keeps_their_messages() {
    let fake = FakeChatbotx::builder()
        .contacts(0)
        .conversations(10)
        .messages_per_contact(3)
        .start()
        .await
        .unwrap();
    let dataset = fake.dataset();
    assert!(dataset["contacts"].is_empty());
    assert!(dataset["contact_tags"].is_empty());
    assert_eq!(
        dataset["conversations"].len(),
        fake.all_conversation_ids().len()
    );
    assert!(dataset["messages"].len() >= 10 * 3);
}

#[tokio::test]
async fn chatbotx_rows_follow_the_changes() {
    let fake = chatbotx(ChatbotxVersion::Current).await;
    let before = fake.dataset();
    let contact = fake.contact_ids()[12].clone();
    let message = fake.add_message(&contact).unwrap();
    let added = fake.add_contacts(2);
    fake.add_conversations_at_top(1);
    let after = fake.dataset();
    assert_eq!(after["contacts"].len(), 33);
    assert!(after["contacts"].contains_key(&added[0]));
    assert_eq!(after["messages"].len(), before["messages"].len() + 1 + 4);
    let row = &after["messages"][&message];
    let conversation = row["conversationId"].as_str().unwrap();
    assert_eq!(
        after["conversations"][conversation]["lastActivityAt"],
        row["createdAt"]
    );
    assert_eq!(
        after["conversations"][conversation]["updatedAt"],
        row["createdAt"]
    );
    let whole = get(&fake, &format!("/v1/contacts?perPage=50&{INCLUDE}")).await;
    same_rows(&after, "contacts", None, array(&whole, "data"), true);
}

#[tokio::test]
async fn status_changes_show_in_the_rows() {
    let fake = chatwoot().await;
    let id = fake.conversation_ids()[20].clone();
    let before = fake.dataset()["conversations"][&id].clone();
    let status = if before["status"] == "resolved" {
        "open"
    } else {
        "resolved"
    };
    assert!(fake.set_conversation_status(&id, status));
    let after = fake.dataset()["conversations"][&id].clone();
    assert_eq!(after["status"], status);
    assert!(after["last_activity_at"].as_i64() > before["last_activity_at"].as_i64());
    assert!(after["updated_at"].as_f64() > before["updated_at"].as_f64());

    let fake = chatbotx(ChatbotxVersion::Current).await;
    let id = fake.conversation_ids()[20].clone();
    let before = fake.dataset()["conversations"][&id].clone();
    assert!(fake.set_conversation_status(&id, "archived"));
    let after = fake.dataset()["conversations"][&id].clone();
    assert!(after["archivedAt"].is_string());
    assert!(after["updatedAt"].as_str() > before["updatedAt"].as_str());
    assert_eq!(after["lastActivityAt"], before["lastActivityAt"]);
    let contact = after["contactId"].as_str().unwrap();
    let whole = get(&fake, &format!("/v1/contacts/id:{contact}")).await;
    if whole["conversation"]["id"] == id.as_str() {
        assert_eq!(whole["conversation"]["archivedAt"], after["archivedAt"]);
    }
}
