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
