//! Every one-response read operation, called through the generated request
//! builders against the fake servers: the fakes answer each with what the
//! spec's types decode, and the answers agree with one another (the
//! contact of a conversation is found by id, a contact's conversations
//! are the account's, a team's members are agents).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(feature = "chatwoot")]
mod chatwoot {
    use chatdesk::chatwoot;
    use chatdesk_fake::FakeChatwoot;

    #[tokio::test]
    async fn every_read_of_the_fake_chatwoot_decodes_and_agrees() {
        let fake = FakeChatwoot::builder()
            .conversations(40)
            .start()
            .await
            .unwrap();
        let client = chatwoot::Client::builder()
            .base_url(fake.base_url())
            .api_access_token(fake.token())
            .build()
            .unwrap();
        let api = client.api();
        let conversation_id: u64 = fake.conversation_ids()[0].parse().unwrap();
        let conversation = api
            .get_conversation()
            .account_id(1)
            .conversation_id(conversation_id)
            .send()
            .await
            .unwrap()
            .into_inner();
        assert_eq!(conversation.id.to_string(), conversation_id.to_string());

        let contact_id: u64 = fake.contact_ids()[0].parse().unwrap();
        let contact = api
            .get_contact()
            .account_id(1)
            .id(contact_id)
            .send()
            .await
            .unwrap()
            .into_inner();
        assert_eq!(contact.payload.id.to_string(), contact_id.to_string());
        let theirs = api
            .list_contact_conversations()
            .account_id(1)
            .id(contact_id)
            .send()
            .await
            .unwrap()
            .into_inner();
        let all = fake.conversation_ids();
        for c in &theirs.payload {
            assert!(all.contains(&c.id.to_string()), "{}", c.id);
        }

        let inboxes = api.list_inboxes().account_id(1).send().await.unwrap();
        assert!(!inboxes.payload.is_empty());
        for c in &theirs.payload {
            assert!(
                inboxes.payload.iter().any(|i| i.id == c.inbox_id),
                "{}",
                c.inbox_id
            );
        }
        let agents = api.list_agents().account_id(1).send().await.unwrap();
        assert!(!agents.is_empty());
        let teams = api.list_teams().account_id(1).send().await.unwrap();
        let team = teams.first().expect("a team");
        let members = api
            .list_team_members()
            .account_id(1)
            .team_id(u64::try_from(team.id).unwrap())
            .send()
            .await
            .unwrap();
        for member in members.iter() {
            assert!(agents.iter().any(|a| a.id == member.id), "{}", member.id);
        }
        let labels = api.list_labels().account_id(1).send().await.unwrap();
        for label in &conversation.labels {
            assert!(labels.payload.iter().any(|l| &l.title == label), "{label}");
        }
        let definitions = api
            .list_custom_attribute_definitions()
            .account_id(1)
            .send()
            .await
            .unwrap();
        assert!(!definitions.is_empty());
    }
}

#[cfg(feature = "chatbotx")]
mod chatbotx {
    use chatdesk::chatbotx;
    use chatdesk_fake::FakeChatbotx;

    #[tokio::test]
    async fn every_read_of_the_fake_chatbotx_decodes_and_agrees() {
        let fake = FakeChatbotx::builder()
            .conversations(20)
            .contacts(20)
            .messages_per_contact(3)
            .start()
            .await
            .unwrap();
        let client = chatbotx::Client::builder()
            .base_url(fake.base_url())
            .token(fake.token())
            .build()
            .unwrap();
        let api = client.api();
        let contact_id = fake.contact_ids()[0].clone();
        let identifier = format!("id:{contact_id}");
        let contact = api
            .get_contact()
            .identifier(identifier.as_str())
            .send()
            .await
            .unwrap()
            .into_inner();
        assert_eq!(contact.id, contact_id);
        let tags = api
            .list_contact_tags()
            .identifier(identifier.as_str())
            .send()
            .await
            .unwrap()
            .into_inner();
        let all_tags = api.list_tags().send().await.unwrap().into_inner();
        for tag in &tags.data {
            assert!(all_tags.data.iter().any(|t| t.id == tag.id), "{}", tag.id);
        }
        let fields = api
            .list_contact_custom_fields()
            .identifier(identifier.as_str())
            .send()
            .await
            .unwrap()
            .into_inner();
        let all_fields = api.list_custom_fields().send().await.unwrap().into_inner();
        for field in &fields.data {
            assert!(
                all_fields.data.iter().any(|f| f.id == field.id),
                "{}",
                field.id
            );
        }
        let message_id = fake.message_ids(&contact_id)[0].clone();
        let message = api
            .get_contact_message()
            .identifier(identifier.as_str())
            .message_id(message_id.as_str())
            .send()
            .await
            .unwrap()
            .into_inner();
        assert_eq!(message.id, message_id);
        api.list_bot_fields().send().await.unwrap();
        let teams = api.list_teams().send().await.unwrap().into_inner();
        assert!(!teams.data.is_empty());
        let workspace = api.list_workspaces().send().await.unwrap().into_inner();
        assert_eq!(contact.workspace_id, Some(workspace.id));
    }
}
