//! Every paginated read operation walked end to end against the fake
//! servers, through the generated listings: the walk finds exactly what the
//! fake holds, in the fake's order, with no duplicate, and data that moves
//! during the walk (new messages, new contacts, status changes) is neither
//! lost nor repeated.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use futures::TryStreamExt;

/// The ids `items` holds, in order, checking that none repeats.
fn distinct(ids: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    for id in &ids {
        assert!(seen.insert(id.clone()), "{id} came twice");
    }
    ids
}

#[cfg(feature = "chatbotx")]
mod chatbotx {
    use super::*;
    use chatdesk::chatbotx;
    use chatdesk_fake::{FakeChatbotx, RunningFake};

    async fn fake() -> (RunningFake, chatbotx::Client) {
        let fake = FakeChatbotx::builder()
            .conversations(30)
            .contacts(30)
            .messages_per_contact(12)
            .start()
            .await
            .unwrap();
        let client = chatbotx::Client::builder()
            .base_url(fake.base_url())
            .token(fake.token())
            .build()
            .unwrap();
        (fake, client)
    }

    #[tokio::test]
    async fn one_response_listings_stream_what_the_builders_return() {
        let (fake, client) = fake().await;
        let contact = fake.contact_ids()[0].clone();
        let identifier = chatbotx::Identifier::id(contact.parse::<u64>().unwrap());
        let api = client.api();
        let ids = |items: Vec<String>| distinct(items);
        let streamed = |s: chatdesk::paginate::ItemStream<chatdesk::RawItem>| async move {
            let items: Vec<chatdesk::RawItem> = s.try_collect().await.unwrap();
            ids(items
                .iter()
                .map(|i| i.id().trim_matches('"').to_string())
                .collect())
        };
        let tags = api.list_tags().send().await.unwrap().into_inner().data;
        assert_eq!(
            streamed(client.list_tags().stream_raw()).await,
            tags.into_iter().map(|t| t.id).collect::<Vec<_>>()
        );
        let teams = api.list_teams().send().await.unwrap().into_inner().data;
        assert_eq!(
            streamed(client.list_teams().stream_raw()).await,
            teams.into_iter().map(|t| t.id).collect::<Vec<_>>()
        );
        let fields = api
            .list_custom_fields()
            .send()
            .await
            .unwrap()
            .into_inner()
            .data;
        assert_eq!(
            streamed(client.list_custom_fields().stream_raw()).await,
            fields.into_iter().map(|f| f.id).collect::<Vec<_>>()
        );
        let bot_fields = api
            .list_bot_fields()
            .send()
            .await
            .unwrap()
            .into_inner()
            .data;
        assert_eq!(
            streamed(client.list_bot_fields().stream_raw()).await,
            bot_fields.into_iter().map(|f| f.id).collect::<Vec<_>>()
        );
        let contact_tags: Vec<String> = client
            .list_contact_tags(identifier.clone())
            .stream()
            .map_ok(|t| t.id)
            .try_collect()
            .await
            .unwrap();
        let contact_fields: Vec<String> = client
            .list_contact_custom_fields(identifier)
            .stream()
            .map_ok(|f| f.id)
            .try_collect()
            .await
            .unwrap();
        let tags: Vec<String> = client
            .list_tags()
            .stream()
            .map_ok(|t| t.id)
            .try_collect()
            .await
            .unwrap();
        for tag in &contact_tags {
            assert!(tags.contains(tag), "{tag}");
        }
        let fields: Vec<String> = client
            .list_custom_fields()
            .stream()
            .map_ok(|f| f.id)
            .try_collect()
            .await
            .unwrap();
        for field in &contact_fields {
            assert!(fields.contains(field), "{field}");
        }
        // One request per listing, and nothing to resume but the start.
        let resumed: Result<Vec<_>, _> = client
            .list_tags()
            .resume(&chatdesk::paginate::Position::Number(2))
            .stream()
            .try_collect()
            .await;
        assert!(
            matches!(resumed, Err(chatdesk::Error::InvalidInput(_))),
            "{resumed:?}"
        );
    }

    #[tokio::test]
    async fn members_walk_in_pages_of_any_size_to_the_same_members() {
        let (_fake, client) = fake().await;
        let all: Vec<String> = client
            .list_members()
            .stream()
            .map_ok(|m| m.id)
            .try_collect()
            .await
            .unwrap();
        assert!(all.len() > 2, "{all:?}");
        let small: Vec<String> = client
            .list_members()
            .per_page(2)
            .concurrency(3)
            .stream()
            .map_ok(|m| m.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(distinct(small), all);
    }

    #[tokio::test]
    async fn channels_walk_in_pages_of_any_size_to_the_same_channels() {
        let (_fake, client) = fake().await;
        let all: Vec<String> = client
            .list_channels()
            .stream()
            .map_ok(|c| c.id)
            .try_collect()
            .await
            .unwrap();
        assert!(all.len() > 1, "{all:?}");
        let small: Vec<String> = client
            .list_channels()
            .per_page(1)
            .stream()
            .map_ok(|c| c.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(distinct(small), all);
    }

    #[tokio::test]
    async fn a_message_arriving_during_a_walk_is_found_by_the_next_one() {
        let (fake, client) = fake().await;
        let contact = fake.contact_ids()[3].clone();
        let identifier = chatbotx::Identifier::id(contact.parse::<u64>().unwrap());
        let mut pages = client
            .list_contact_messages(identifier.clone())
            .per_page(5)
            .pages();
        let first = pages.try_next().await.unwrap().unwrap();
        let new = fake.add_message(&contact).unwrap();
        let mut walked: Vec<String> = first.items.into_iter().map(|m| m.id).collect();
        while let Some(page) = pages.try_next().await.unwrap() {
            walked.extend(page.items.into_iter().map(|m| m.id));
        }
        // Newest first: the walk had passed the top when the message came.
        let before: Vec<String> = fake
            .message_ids(&contact)
            .into_iter()
            .filter(|id| *id != new)
            .collect();
        assert_eq!(distinct(walked), before);
        let again: Vec<String> = client
            .list_contact_messages(identifier)
            .stream()
            .map_ok(|m| m.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(again.first(), Some(&new));
        assert_eq!(again, fake.message_ids(&contact));
    }

    #[tokio::test]
    async fn contacts_added_during_a_page_number_walk_shift_pages_without_losing_any() {
        let (fake, client) = fake().await;
        let before = fake.contact_ids();
        let mut pages = client.list_contacts().per_page(7).concurrency(1).pages();
        let mut walked: Vec<String> = Vec::new();
        let first = pages.try_next().await.unwrap().unwrap();
        walked.extend(first.items.into_iter().map(|c| c.id));
        // Newest first: three new contacts push every page down by three.
        let added = fake.add_contacts(3);
        while let Some(page) = pages.try_next().await.unwrap() {
            walked.extend(page.items.into_iter().map(|c| c.id));
        }
        let walked = distinct(walked);
        for id in &before {
            assert!(walked.contains(id), "{id} was lost");
        }
        assert_eq!(fake.contact_ids().len(), before.len() + added.len());
    }
}

#[cfg(feature = "chatwoot")]
mod chatwoot {
    use super::*;
    use chatdesk::chatwoot::{self, types};
    use chatdesk_fake::{FakeChatwoot, RunningFake};

    async fn fake(conversations: usize, messages: usize) -> (RunningFake, chatwoot::Client) {
        let fake = FakeChatwoot::builder()
            .conversations(conversations)
            .messages_per_conversation(messages)
            .start()
            .await
            .unwrap();
        let client = chatwoot::Client::builder()
            .base_url(fake.base_url())
            .api_access_token(fake.token())
            .build()
            .unwrap();
        (fake, client)
    }

    /// Ids as numbers, sorted: the order of a keyset walk.
    fn ascending(ids: Vec<String>) -> Vec<i64> {
        let mut ids: Vec<i64> = ids.iter().map(|id| id.parse().unwrap()).collect();
        ids.sort_unstable();
        ids
    }

    async fn walk_messages(client: &chatwoot::Client, conversation: i64) -> Vec<i64> {
        client
            .list_messages(1, conversation)
            .stream()
            .map_ok(|m| m.id)
            .try_collect()
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn one_response_listings_stream_what_the_builders_return() {
        let (fake, client) = fake(30, 2).await;
        let api = client.api();
        let as_ids = |items: Vec<i64>| distinct(items.iter().map(i64::to_string).collect());
        let inboxes = api
            .list_inboxes()
            .account_id(1)
            .send()
            .await
            .unwrap()
            .into_inner();
        let streamed: Vec<i64> = client
            .list_inboxes(1)
            .stream()
            .map_ok(|i| i.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            as_ids(streamed),
            as_ids(inboxes.payload.iter().map(|i| i.id).collect())
        );
        let agents = api
            .list_agents()
            .account_id(1)
            .send()
            .await
            .unwrap()
            .into_inner();
        let streamed: Vec<i64> = client
            .list_agents(1)
            .stream()
            .map_ok(|a| a.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            as_ids(streamed),
            as_ids(agents.iter().map(|a| a.id).collect())
        );
        let teams: Vec<i64> = client
            .list_teams(1)
            .stream()
            .map_ok(|t| t.id)
            .try_collect()
            .await
            .unwrap();
        assert!(!teams.is_empty());
        for team in &teams {
            let members: Vec<i64> = client
                .list_team_members(1, *team)
                .stream()
                .map_ok(|a| a.id)
                .try_collect()
                .await
                .unwrap();
            for member in members {
                assert!(agents.iter().any(|a| a.id == member), "{member}");
            }
        }
        let labels: Vec<i64> = client
            .list_labels(1)
            .stream()
            .map_ok(|l| l.id)
            .try_collect()
            .await
            .unwrap();
        assert!(!as_ids(labels).is_empty());
        let definitions: Vec<i64> = client
            .list_custom_attribute_definitions(1)
            .stream()
            .map_ok(|d| d.id)
            .try_collect()
            .await
            .unwrap();
        assert!(!as_ids(definitions).is_empty());
        let contact: i64 = fake.contact_ids()[0].parse().unwrap();
        let theirs: Vec<i64> = client
            .list_contact_conversations(1, contact)
            .stream()
            .map_ok(|c| c.id)
            .try_collect()
            .await
            .unwrap();
        for id in as_ids(theirs) {
            assert!(fake.conversation_ids().contains(&id), "{id}");
        }
    }

    #[tokio::test]
    async fn every_message_of_every_conversation_by_keyset_windows_of_100() {
        let (fake, client) = fake(12, 150).await;
        let mut windows = 0;
        for conversation in fake.conversation_ids() {
            let id: i64 = conversation.parse().unwrap();
            let walked = walk_messages(&client, id).await;
            let held = ascending(fake.message_ids(&conversation));
            assert_eq!(walked, held, "conversation {id}");
            // Full windows of 100, then the short one that ends the walk
            // (empty only when the count is a multiple of 100).
            windows += held.len() / 100 + 1;
        }
        // One request per window of 100, and no empty window after a
        // short one.
        assert_eq!(fake.stats().requests as usize, windows);
    }

    #[tokio::test]
    async fn a_message_arriving_during_a_keyset_walk_is_found_by_the_same_walk() {
        let (fake, client) = fake(5, 250).await;
        let conversation = fake
            .conversation_ids()
            .into_iter()
            .max_by_key(|id| fake.message_ids(id).len())
            .unwrap();
        assert!(fake.message_ids(&conversation).len() > 100);
        let id: i64 = conversation.parse().unwrap();
        let mut pages = client.list_messages(1, id).pages();
        let mut walked: Vec<i64> = Vec::new();
        let first = pages.try_next().await.unwrap().unwrap();
        walked.extend(first.items.iter().map(|m| m.id));
        let new: i64 = fake.add_message(&conversation).unwrap().parse().unwrap();
        while let Some(page) = pages.try_next().await.unwrap() {
            walked.extend(page.items.iter().map(|m| m.id));
        }
        assert_eq!(walked.last(), Some(&new));
        assert_eq!(walked, ascending(fake.message_ids(&conversation)));

        // A later walk resumes after the last id it saw: only what is new.
        let newer: i64 = fake.add_message(&conversation).unwrap().parse().unwrap();
        let resumed: Vec<i64> = client
            .list_messages(1, id)
            .start_cursor(new.to_string())
            .stream()
            .map_ok(|m| m.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(resumed, [newer]);
    }

    #[tokio::test]
    async fn internal_messages_are_left_out_when_asked() {
        let (fake, client) = fake(8, 60).await;
        for conversation in fake.conversation_ids() {
            let id: i64 = conversation.parse().unwrap();
            let public: Vec<types::IndexMessage> = client
                .list_messages(1, id)
                .filter_internal_messages(true)
                .stream()
                .try_collect()
                .await
                .unwrap();
            let all = walk_messages(&client, id).await;
            assert!(public.len() <= all.len());
            for message in &public {
                assert!(!message.private.unwrap_or(false), "{}", message.id);
            }
        }
    }

    #[tokio::test]
    async fn contacts_walk_by_page_number_to_every_listed_contact() {
        let (fake, client) = fake(60, 3).await;
        let walked: Vec<String> = client
            .list_contacts(1)
            .stream()
            .map_ok(|c| c.id.to_string())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(distinct(walked), fake.contact_ids());
        // The count in `meta` told the walk how many pages of 15 to fetch
        // at once, and one more showed the end.
        let pages = fake.contact_ids().len().div_ceil(15);
        assert_eq!(fake.stats().requests as usize, pages + 1);
    }

    #[tokio::test]
    async fn contacts_added_during_a_walk_are_not_lost_nor_repeated() {
        let (fake, client) = fake(60, 3).await;
        let before = fake.contact_ids();
        let mut pages = client.list_contacts(1).concurrency(1).pages();
        let mut walked: Vec<String> = Vec::new();
        let first = pages.try_next().await.unwrap().unwrap();
        walked.extend(first.items.iter().map(|c| c.id.to_string()));
        let added = fake.add_contacts(4);
        while let Some(page) = pages.try_next().await.unwrap() {
            walked.extend(page.items.iter().map(|c| c.id.to_string()));
        }
        let walked = distinct(walked);
        for id in &before {
            assert!(walked.contains(id), "{id} was lost");
        }
        assert_eq!(fake.contact_ids().len(), before.len() + added.len());
    }

    fn status_is(status: &str) -> types::ConversationFilter {
        types::ConversationFilter {
            attribute_key: "status".into(),
            filter_operator: types::ConversationFilterOperator::EqualTo,
            values: vec![types::FilterValue::String(status.into())],
            query_operator: None,
            custom_attribute_type: None,
        }
    }

    async fn listed(client: &chatwoot::Client, status: types::StatusFilter) -> HashSet<i64> {
        client
            .list_conversations(1)
            .status(status)
            .stream()
            .map_ok(|c| c.id)
            .try_collect()
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn the_filter_walks_every_page_of_its_matches() {
        let (_fake, client) = fake(300, 2).await;
        let filtered: Vec<i64> = client
            .filter_conversations(1)
            .payload([status_is("resolved")])
            .stream()
            .map_ok(|c| c.id)
            .try_collect()
            .await
            .unwrap();
        let filtered_set: HashSet<i64> = filtered.iter().copied().collect();
        assert_eq!(filtered_set.len(), filtered.len(), "no duplicate");
        assert!(
            filtered.len() > 25,
            "more than one page: {}",
            filtered.len()
        );
        assert_eq!(
            filtered_set,
            listed(&client, types::StatusFilter::Resolved).await
        );
    }

    #[tokio::test]
    async fn a_conversation_resolved_during_a_filter_walk_is_not_lost() {
        let (fake, client) = fake(130, 2).await;
        let open = listed(&client, types::StatusFilter::Open).await;
        let mut pages = client
            .filter_conversations(1)
            .payload([status_is("open")])
            .concurrency(1)
            .pages();
        let mut walked: Vec<i64> = Vec::new();
        let first = pages.try_next().await.unwrap().unwrap();
        walked.extend(first.items.iter().map(|c| c.id));
        // One not yet seen leaves the open ones: pages shift up by one.
        let leaving = open
            .iter()
            .find(|id| !walked.contains(id))
            .copied()
            .unwrap();
        assert!(fake.set_conversation_status(&leaving.to_string(), "resolved"));
        while let Some(page) = pages.try_next().await.unwrap() {
            walked.extend(page.items.iter().map(|c| c.id));
        }
        let walked: HashSet<i64> = walked.into_iter().collect();
        for id in open.iter().filter(|id| **id != leaving) {
            assert!(walked.contains(id), "{id} was lost");
        }
    }

    #[tokio::test]
    async fn the_filter_listing_refuses_to_start_without_its_conditions() {
        let (fake, client) = fake(3, 1).await;
        let result: Result<Vec<_>, _> = client.filter_conversations(1).stream().try_collect().await;
        match result {
            Err(chatdesk::Error::InvalidInput(message)) => {
                assert!(message.contains("payload is required"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(fake.stats().requests, 0);
    }
}
