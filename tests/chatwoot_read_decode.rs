//! The Chatwoot read operations' fixtures decode into the generated types,
//! with the quirks the server's views produce: absent keys, nulls, times as
//! integers in some places and ISO strings in others, a `current_page` that
//! is a string or an integer, credentials hidden from `Debug`, and enum
//! values the spec does not list kept as they came.

#![cfg(feature = "chatwoot")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chatdesk::chatwoot::enums::*;
use chatdesk::chatwoot::types::*;
use common::*;

/// Decodes a fixture as `T`, reporting the JSON path on failure.
fn decode<T: serde::de::DeserializeOwned>(path: &str) -> T {
    let bytes = fixture(path);
    let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(&mut deserializer)
        .unwrap_or_else(|e| panic!("{path}: {}: {}", e.path(), e.inner()))
}

#[test]
fn conversation_show_is_the_bare_conversation() {
    let conversation: Conversation = decode("chatwoot/conversation_show.json");
    assert_eq!(conversation.id, 1287);
    assert!(conversation.meta.as_ref().unwrap().assignee.is_some());
}

#[test]
fn messages_page_decodes_with_its_quirks() {
    let page: MessageList = decode("chatwoot/messages_page.json");
    let ids: Vec<i64> = page.payload.iter().map(|m| m.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "oldest first: {ids:?}");
    // `meta` times are ISO strings (or null), unlike the listing's integers.
    assert!(page.meta.agent_last_seen_at.is_some());
    assert!(page.meta.assignee_last_seen_at.is_none());
    assert_eq!(page.meta.assignee.as_ref().unwrap().id, 12);
    assert_eq!(page.meta.contact.as_ref().unwrap().id, 40911);

    let by_id = |id: i64| page.payload.iter().find(|m| m.id == id).unwrap();
    // An activity message and an outgoing message without a sender: no key.
    assert!(by_id(551902).sender.is_none());
    assert_eq!(by_id(551902).message_type, Some(MessageType::Activity));
    assert!(by_id(551906).sender.is_none());
    assert_eq!(by_id(551906).message_type, Some(MessageType::Outgoing));
    // A private note.
    assert_eq!(by_id(551903).private, Some(true));
    // Attachments and the echo id only where the server has them.
    assert_eq!(by_id(551904).attachments.len(), 1);
    assert_eq!(by_id(551904).echo_id.as_deref(), Some("c0ffee-17"));
    assert!(by_id(551901).attachments.is_empty());
    assert!(by_id(551901).echo_id.is_none());
    // A deleted message.
    let deleted = by_id(551905);
    assert_eq!(deleted.content.as_deref(), Some("This message was deleted"));
    assert_eq!(
        deleted.content_attributes.as_ref().unwrap()["deleted"],
        serde_json::json!(true)
    );
    assert!(deleted.attachments.is_empty());
    // A call, with the newer servers' keys.
    let call = by_id(551907);
    assert!(call.content.is_none());
    assert_eq!(call.content_type, Some(MessageContentType::VoiceCall));
    assert_eq!(call.client_message_id.as_deref(), Some("wa-3EB0C767D26A"));
    assert!(call.call.is_some());
    // Values the spec does not list are kept.
    let odd = by_id(551908);
    assert_eq!(
        odd.content_type.as_ref().map(|t| t.as_str()),
        Some("hologram")
    );
    assert!(!odd.content_type.as_ref().unwrap().is_known());
    assert_eq!(odd.status.as_ref().map(|s| s.as_str()), Some("queued"));
}

#[test]
fn messages_meta_without_assignee() {
    let page: MessageList = decode("chatwoot/messages_page_unassigned.json");
    assert!(page.meta.assignee.is_none());
    assert!(page.meta.agent_last_seen_at.is_none());
    assert!(page.meta.assignee_last_seen_at.is_none());
    assert!(page.payload.is_empty());
}

#[test]
fn contacts_current_page_is_a_string_when_page_was_sent() {
    let page: ContactList = decode("chatwoot/contacts_page.json");
    assert_eq!(page.meta.count, 31);
    assert!(matches!(
        page.meta.current_page,
        Some(ContactCurrentPage::String(ref s)) if s == "2"
    ));
    assert_eq!(page.payload.len(), 3);
    let lan = &page.payload[0];
    assert_eq!(lan.name.as_deref(), Some("Nguyễn Thị Lan 🌸"));
    assert_eq!(lan.contact_inboxes.as_ref().unwrap().len(), 2);
    // No activity yet: the key is absent.
    let blocked = &page.payload[1];
    assert!(blocked.last_activity_at.is_none());
    assert_eq!(blocked.blocked, Some(true));
    assert_eq!(blocked.contact_inboxes.as_deref().map(<[_]>::len), Some(0));
}

#[test]
fn contacts_current_page_is_an_integer_without_page() {
    let page: ContactList = decode("chatwoot/contacts_page_default.json");
    assert!(matches!(
        page.meta.current_page,
        Some(ContactCurrentPage::Int64(1))
    ));
    // `include_contact_inboxes=false`: the key is absent, not empty.
    assert!(page.payload[0].contact_inboxes.is_none());
}

#[test]
fn contact_show_wraps_the_contact_in_payload() {
    let show: ContactShow = decode("chatwoot/contact_show.json");
    assert_eq!(show.payload.id, 40911);
    let inboxes = show.payload.contact_inboxes.unwrap();
    assert_eq!(
        inboxes[1].inbox.as_ref().unwrap().provider.as_deref(),
        Some("whatsapp_cloud")
    );
}

#[test]
fn contact_conversations_have_no_meta() {
    let list: ContactConversationList = decode("chatwoot/contact_conversations.json");
    assert_eq!(list.payload.len(), 1);
    assert_eq!(list.payload[0].id, 1279);
}

#[test]
fn admin_inboxes_carry_credentials_that_debug_hides() {
    let list: InboxList = decode("chatwoot/inboxes_admin.json");
    assert_eq!(list.payload.len(), 6);
    let text = format!("{list:?}");
    for secret in [
        "HMAC-web-s3cr3t",
        "HMAC-api-s3cr3t",
        "API-webhook-s3cr3t",
        "EAAG-wa-s3cr3t",
        "verify-s3cr3t",
        "IMAP-s3cr3t",
        "SMTP-s3cr3t",
        "TWILIO-s3cr3t",
    ] {
        assert!(!text.contains(secret), "{secret} shows in Debug");
    }
    let by_id = |id: i64| list.payload.iter().find(|i| i.id == id).unwrap();
    // The values are kept, for whoever needs them.
    assert_eq!(
        by_id(1).hmac_token.as_ref().unwrap().expose(),
        "HMAC-web-s3cr3t-5f6e7d"
    );
    let config = by_id(7).provider_config.as_ref().unwrap();
    assert_eq!(
        config.api_key.as_ref().unwrap().expose(),
        "EAAG-wa-s3cr3t-key-998877"
    );
    assert_eq!(config.phone_number_id.as_deref(), Some("109876543210987"));
    assert_eq!(
        by_id(9).imap_password.as_ref().unwrap().expose(),
        "IMAP-s3cr3t-pw"
    );
    assert_eq!(by_id(9).imap_port, Some(993));
    assert_eq!(
        by_id(11).auth_token.as_ref().unwrap().expose(),
        "TWILIO-s3cr3t-auth-0011"
    );
    assert_eq!(
        by_id(12).secret.as_ref().unwrap().expose(),
        "API-webhook-s3cr3t-bb"
    );
    // Channel-specific keys are absent for other channels; shared ones null.
    assert!(by_id(12).help_center.is_none());
    assert!(by_id(1).help_center.is_some());
    assert!(by_id(9).widget_color.is_none());
    assert_eq!(by_id(1).working_hours.len(), 7);
    // A channel this spec does not know, with a key it does not know.
    assert_eq!(by_id(14).channel_type.as_deref(), Some("Channel::Line"));
}

#[test]
fn agent_inboxes_carry_no_credentials() {
    let list: InboxList = decode("chatwoot/inboxes_agent.json");
    for inbox in &list.payload {
        assert!(inbox.hmac_token.is_none(), "{}", inbox.id);
        assert!(inbox.provider_config.is_none(), "{}", inbox.id);
        assert!(inbox.imap_password.is_none(), "{}", inbox.id);
        assert!(inbox.auth_token.is_none(), "{}", inbox.id);
    }
}

#[test]
fn agents_and_team_members_are_bare_arrays() {
    for path in ["chatwoot/agents.json", "chatwoot/team_members.json"] {
        let agents: AgentList = decode(path);
        assert!(!agents.0.is_empty(), "{path}");
    }
    let agents: AgentList = decode("chatwoot/agents.json");
    // `custom_attributes` is absent when empty; `custom_role_id` is
    // enterprise-only.
    assert!(agents.0[0].custom_attributes.is_none());
    assert!(agents.0[0].custom_role_id.is_none());
    assert_eq!(agents.0[2].custom_role_id, Some(4));
    assert_eq!(agents.0[1].role, Some(AgentRole::Administrator));
    // A role the spec does not list is kept.
    assert_eq!(
        agents.0[2].role.as_ref().map(|r| r.as_str()),
        Some("supervisor")
    );
}

#[test]
fn teams_labels_and_definitions() {
    let teams: TeamList = decode("chatwoot/teams.json");
    assert_eq!(teams.0.len(), 2);
    assert!(teams.0[1].description.is_none());
    let labels: LabelList = decode("chatwoot/labels.json");
    assert_eq!(labels.payload[2].title, "ด่วน");
    assert!(labels.payload[2].show_on_sidebar.is_none());
    let definitions: CustomAttributeDefinitionList =
        decode("chatwoot/custom_attribute_definitions.json");
    assert_eq!(definitions.0.len(), 3);
    assert_eq!(
        definitions.0[0].attribute_model,
        Some(CustomAttributeModel::ContactAttribute)
    );
    // ISO-string times.
    assert!(definitions.0[0].created_at.is_some());
    // A display type the spec does not list is kept.
    let odd = definitions.0[2].attribute_display_type.as_ref().unwrap();
    assert_eq!(odd.as_str(), "date_time");
    assert!(!odd.is_known());
}

#[test]
fn filter_page_has_no_data_wrapper_and_no_assigned_count() {
    let page: ConversationFilterList = decode("chatwoot/filter_page.json");
    assert_eq!(page.meta.all_count, 3);
    assert_eq!(page.meta.mine_count, 1);
    assert_eq!(page.meta.unassigned_count, 2);
    assert_eq!(page.payload.len(), 3);
}
