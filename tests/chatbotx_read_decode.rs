//! The ChatbotX read operations' responses, shaped like the server's
//! output (see `tests/fixtures/README.md`), decode into the generated types
//! with their quirks kept: ids as text, nulls, absent relations, open enums.

#![cfg(feature = "chatbotx")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chatdesk::chatbotx::types::*;
use common::*;
use serde_json::Value;

/// Decodes `value` as `T`, reporting the JSON path on failure.
fn decode<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, String> {
    let text = value.to_string();
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| format!("{}: {}", e.path(), e.inner()))
}

fn json_fixture(name: &str) -> Value {
    serde_json::from_slice(&fixture(&format!("chatbotx/{name}"))).unwrap()
}

fn load<T: serde::de::DeserializeOwned>(name: &str) -> T {
    decode(json_fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A 17-digit snowflake above 2^53, kept as text.
fn is_snowflake(id: &str) -> bool {
    id.len() == 17 && id.parse::<u64>().is_ok_and(|n| n > 1 << 53)
}

#[test]
fn one_contact_decodes_with_its_relations() {
    let contact: Contact = load("contact_show.json");
    assert!(is_snowflake(&contact.id));
    assert_eq!(contact.gender, Some(Gender::Female));
    assert_eq!(contact.phone_number.as_deref(), Some("+84912345678"));
    assert_eq!(contact.last_read_at, None);
    assert!(contact.location.as_ref().unwrap().is_object());
    assert!(contact.contact_notes.is_empty(), "never loaded");
    assert!(contact.last_activity_at.is_none(), "newer servers omit it");
    // A deleted tag is still on the contact, with `deletedAt` set.
    assert!(contact.tags.iter().any(|t| t.deleted_at.is_some()));
    assert!(contact.tags.iter().any(|t| t.folder_id.is_none()));
    assert_eq!(contact.contact_custom_fields[1].value.as_deref(), Some(""));
    let inbox = contact.contact_inboxes[0].inbox.as_ref().unwrap();
    assert_eq!(inbox.status.as_deref(), Some("connected"));
    let conversation = contact.conversation.as_ref().unwrap();
    assert!(conversation.inbox.is_none(), "not loaded");
    assert!(conversation.messages.is_empty() && conversation.contact_inboxes.is_empty());
    assert_eq!(conversation.additional_attributes, None);
    assert_eq!(conversation.assigned_inbox_team, None);
    let user = conversation.assigned_user.as_ref().unwrap();
    assert_eq!(user.tenant_id.as_deref(), Some("1"));
}

#[test]
fn a_contacts_tags_have_only_id_and_name() {
    for name in ["contact_tags.json", "tags.json"] {
        let list: TagList = load(name);
        assert!(!list.data.is_empty(), "{name}");
        for tag in &list.data {
            assert!(tag.id.chars().all(|c| c.is_ascii_digit()), "{name}");
            assert!(tag.name.is_some(), "{name}");
            assert!(
                tag.workspace_id.is_none() && tag.created_at.is_none(),
                "{name}"
            );
        }
        assert!(list.data.iter().any(|t| is_snowflake(&t.id)), "{name}");
        assert!(
            list.data.iter().any(|t| t.id.len() < 4),
            "{name}: old short ids"
        );
    }
    let tags: TagList = load("contact_tags.json");
    assert_eq!(tags.data[1].name.as_deref(), Some("ลูกค้าใหม่ 🆕"));
}

#[test]
fn a_contacts_custom_fields_carry_the_field_id_and_the_value() {
    let list: ContactCustomFieldValueList = load("contact_custom_fields.json");
    let first = &list.data[0];
    assert_eq!(first.id, "72057594043000001", "the custom field's id");
    assert_eq!(first.type_, Some(CustomFieldType::LongText));
    assert_eq!(first.value.as_deref(), Some("Thủ Đức, TP.HCM"));
    assert_eq!(list.data[1].description, None);
    assert_eq!(list.data[2].value.as_deref(), Some(""));
    assert_eq!(list.data[2].name.as_deref(), Some("誕生日"));
    let unknown = list.data[3].type_.as_ref().unwrap();
    assert!(!unknown.is_known());
    assert_eq!(unknown.as_str(), "multiSelect");
}

#[test]
fn one_message_decodes_without_its_relations() {
    let message: Message = load("message_show.json");
    assert!(is_snowflake(&message.id));
    assert_eq!(message.sender_type, Some(MessageSenderType::Contact));
    assert_eq!(message.message_type, Some(MessageType::Incoming));
    assert_eq!(message.sender_id.as_deref(), Some("72057594071112449"));
    assert_eq!(message.content_attributes, None);
    assert!(message.user.is_none() && message.contact.is_none());
    assert!(message.client_id.is_none());
    assert!(message.text.as_deref().unwrap().ends_with('👗'));
    let attachment = &message.attachments[0];
    assert_eq!(attachment.file_type, Some(AttachmentFileType::Image));
    assert!(attachment.url.as_deref().unwrap().starts_with("https://"));
    assert_eq!(attachment.source_id, None);
    let created = message.created_at.as_ref().unwrap();
    assert_eq!(
        created.to_datetime().unwrap().timestamp_subsec_millis(),
        762
    );
}

#[test]
fn custom_and_bot_fields_decode() {
    let fields: CustomFieldList = load("custom_fields.json");
    assert_eq!(fields.data.len(), 5);
    assert!(
        fields
            .data
            .iter()
            .all(|f| f.type_.as_ref().unwrap().is_known())
    );
    assert_eq!(fields.data[3].description.as_deref(), Some(""));
    assert_eq!(fields.data[4].type_, Some(CustomFieldType::Boolean));
    let bot: BotFieldList = load("bot_fields.json");
    assert_eq!(bot.data[2].value, None, "unset");
    assert_eq!(bot.data[2].type_, Some(CustomFieldType::Datetime));
    assert_eq!(bot.data[0].value.as_deref(), Some("8:00–21:00 🕗"));
    assert_eq!(bot.data[3].value.as_deref(), Some(""));
}

#[test]
fn channels_carry_the_source_id_as_their_id() {
    let page: ChannelInboxList = load("channels.json");
    assert_eq!(page.page_count, Some(3));
    let zalo = &page.data[0];
    assert_eq!(
        zalo.id, "4318807062113927463",
        "the Zalo OA id, not an inbox id"
    );
    assert_eq!(zalo.channel.as_deref(), Some("zalo"));
    assert!(
        page.data
            .iter()
            .all(|c| c.status.as_deref() == Some("connected"))
    );
    assert!(
        page.data.iter().any(|c| is_snowflake(&c.id)),
        "webchat: the inbox id"
    );
}

#[test]
fn members_decode_with_their_small_user() {
    let page: MemberList = load("members.json");
    assert_eq!(page.page_count, Some(2));
    let owner = &page.data[0];
    assert_eq!(owner.role, Some(MemberRole::Owner));
    assert_eq!(owner.permissions.as_ref().unwrap().super_admin, Some(true));
    assert_eq!(owner.notification_types.as_ref().unwrap()["newOrder"], true);
    let user = owner.user.as_ref().unwrap();
    assert_eq!(user.id, owner.user_id.clone().unwrap());
    assert_eq!(user.image, None);
    let agent = &page.data[1];
    assert_eq!(agent.role, Some(MemberRole::Agent));
    assert_eq!(agent.notification_channels, Some(serde_json::json!({})));
    assert_eq!(
        agent.permissions.as_ref().unwrap().only_assigned_contacts,
        Some(true)
    );
    let old = &page.data[2];
    assert_eq!(old.id, "31");
    assert!(!old.role.as_ref().unwrap().is_known());
    assert_eq!(old.user.as_ref().unwrap().name, None);
}

#[test]
fn teams_decode_with_full_users() {
    let list: TeamList = load("teams.json");
    assert_eq!(list.data.len(), 2);
    let team = &list.data[0];
    assert_eq!(team.name.as_deref(), Some("Chăm sóc khách hàng 💬"));
    let tenants: Vec<Option<&str>> = team
        .inbox_team_members
        .iter()
        .map(|m| m.user.as_ref().unwrap().tenant_id.as_deref())
        .collect();
    assert_eq!(tenants, [Some("1"), Some("72057594037990001")]);
    assert!(
        team.inbox_team_members
            .iter()
            .all(|m| m.inbox_team_id.as_deref() == Some(team.id.as_str()))
    );
    assert!(list.data[1].inbox_team_members.is_empty());
}

#[test]
fn the_workspace_is_one_object_without_its_token() {
    let workspace: Workspace = load("workspaces.json");
    assert_eq!(workspace.id, "7");
    assert_eq!(workspace.tenant_id.as_deref(), Some("1"));
    assert!(is_snowflake(workspace.owner_id.as_deref().unwrap()));
    assert_eq!(workspace.target_country, None);
    assert_eq!(workspace.development_mode, Some(false));
    assert!(workspace.name.as_deref().unwrap().ends_with("🛍️"));
    let raw = json_fixture("workspaces.json");
    assert!(raw.get("token").is_none());
    assert!(raw.get("data").is_none());
}
