//! Responses shaped like the real servers' decode into the generated types,
//! with every quirk the servers are known for, and the forms the reference
//! pages show decode too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{Value, json};

/// Decodes `value` as `T`, reporting the JSON path on failure.
fn decode<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, String> {
    let text = value.to_string();
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| format!("{}: {}", e.path(), e.inner()))
}

fn json_fixture(path: &str) -> Value {
    serde_json::from_slice(&fixture(path)).unwrap()
}

#[cfg(feature = "chatwoot")]
mod chatwoot {
    use super::*;
    use chatdesk::chatwoot::types::*;

    fn page() -> ConversationList {
        decode(json_fixture("chatwoot/conversations_page.json")).unwrap()
    }

    #[test]
    fn a_real_looking_page_decodes() {
        let page = page();
        assert_eq!(page.data.payload.len(), 4);
        assert_eq!(page.data.meta.all_count, page.data.meta.all_count.max(4));
    }

    #[test]
    fn ids_beyond_2_pow_53_are_exact() {
        let ids: Vec<i64> = page().data.payload.iter().map(|c| c.id).collect();
        assert!(ids.contains(&9_007_199_254_740_993), "{ids:?}");
    }

    #[test]
    fn times_in_every_form_the_server_uses() {
        for conversation in page().data.payload {
            // `updated_at` is a float with a fraction.
            let updated = conversation.updated_at.as_ref().unwrap();
            assert!(updated.to_datetime().is_some());
            // `timestamp` is an integer, or a string on one reference page.
            assert!(
                conversation
                    .timestamp
                    .as_ref()
                    .unwrap()
                    .to_datetime()
                    .is_some()
            );
            // `created_at` is whole seconds.
            assert!(
                conversation
                    .created_at
                    .as_ref()
                    .unwrap()
                    .unix_seconds()
                    .is_some()
            );
            // A message's `updated_at` is an ISO string while `created_at` is an integer.
            for message in &conversation.messages {
                assert!(message.updated_at.as_ref().unwrap().to_datetime().is_some());
                assert!(message.created_at.as_ref().unwrap().to_datetime().is_some());
            }
        }
        let snoozed: Vec<_> = page()
            .data
            .payload
            .into_iter()
            .filter_map(|c| c.snoozed_until)
            .collect();
        assert_eq!(snoozed.len(), 1, "one snoozed conversation, null elsewhere");
        assert!(snoozed[0].to_datetime().is_some());
    }

    #[test]
    fn zero_means_a_time_that_has_not_happened() {
        let unset = page()
            .data
            .payload
            .iter()
            .filter_map(|c| c.first_reply_created_at.clone())
            .filter(|t| t.is_unset())
            .count();
        assert!(unset >= 1);
    }

    #[test]
    fn assignees_person_bot_or_absent() {
        let page = page();
        let kinds: Vec<_> = page
            .data
            .payload
            .iter()
            .map(|c| {
                let meta = c.meta.as_ref().unwrap();
                (meta.assignee_type.clone(), meta.assignee.is_some())
            })
            .collect();
        assert!(kinds.contains(&(Some(AssigneeKind::User), true)));
        assert!(kinds.contains(&(Some(AssigneeKind::AgentBot), true)));
        assert!(kinds.contains(&(None, false)));
    }

    #[test]
    fn enterprise_only_keys_absent_or_present() {
        let page = page();
        let with_sla: Vec<_> = page
            .data
            .payload
            .iter()
            .filter(|c| c.applied_sla.is_some())
            .collect();
        assert_eq!(with_sla.len(), 1);
        assert!(!with_sla[0].sla_events.is_empty());
    }

    #[test]
    fn message_enums_decode_including_class_names() {
        let page = page();
        let messages: Vec<&Message> = page
            .data
            .payload
            .iter()
            .flat_map(|c| {
                c.messages
                    .iter()
                    .chain(c.last_non_activity_message.as_ref())
            })
            .collect();
        let types: Vec<_> = messages
            .iter()
            .filter_map(|m| m.message_type.clone())
            .collect();
        for expected in [
            MessageType::Incoming,
            MessageType::Outgoing,
            MessageType::Activity,
            MessageType::Template,
        ] {
            assert!(types.contains(&expected), "{expected:?} in {types:?}");
        }
        let senders: Vec<_> = messages.iter().map(|m| m.sender_type.clone()).collect();
        assert!(senders.contains(&Some(MessageSenderType::CaptainAssistant)));
        assert!(
            senders.contains(&None),
            "activity messages have no sender type"
        );
        let with_attachments = messages.iter().find(|m| !m.attachments.is_empty()).unwrap();
        assert!(
            with_attachments
                .attachments
                .iter()
                .all(|a| a.file_type.is_some())
        );
        assert!(
            messages
                .iter()
                .all(|m| m.status.as_ref().is_some_and(|s| s.is_known()))
        );
    }

    #[test]
    fn both_reference_page_forms_decode() {
        for fixture in [
            "chatwoot/conversations_reference_a.json",
            "chatwoot/conversations_reference_b.json",
        ] {
            let page: ConversationList =
                decode(json_fixture(fixture)).unwrap_or_else(|e| panic!("{fixture}: {e}"));
            assert_eq!(page.data.payload.len(), 1, "{fixture}");
        }
        let b: ConversationList =
            decode(json_fixture("chatwoot/conversations_reference_b.json")).unwrap();
        let message = &b.data.payload[0].messages[0];
        // The second reference page writes the class name in lowercase.
        assert_eq!(message.sender_type, Some(MessageSenderType::Contact));
        // The reference pages' single `attachment` object is kept as JSON.
        assert!(message.attachment.is_some());
    }

    /// The tokens of the user assignee in the reference-page fixtures.
    const REFERENCE_ACCESS_TOKEN: &str = "tQ3x8VqJ2nLmR7sKpW4yZ9aB";
    const REFERENCE_PUBSUB_TOKEN: &str = "Zk7hQ2mN9pR4sT6vW8xY1aB3";

    fn reference_assignee(page: &ConversationList) -> &Assignee {
        page.data.payload[0]
            .meta
            .as_ref()
            .and_then(|meta| meta.assignee.as_ref())
            .unwrap()
    }

    #[test]
    fn a_full_user_assignee_decodes_into_typed_fields() {
        for fixture in [
            "chatwoot/conversations_reference_a.json",
            "chatwoot/conversations_reference_b.json",
        ] {
            let page: ConversationList =
                decode(json_fixture(fixture)).unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let assignee = reference_assignee(&page);
            assert_eq!(
                assignee.access_token.as_ref().map(|t| t.expose()),
                Some(REFERENCE_ACCESS_TOKEN),
                "{fixture}"
            );
            assert_eq!(
                assignee.pubsub_token.as_ref().map(|t| t.expose()),
                Some(REFERENCE_PUBSUB_TOKEN),
                "{fixture}"
            );
            assert!(
                assignee
                    .message_signature
                    .as_deref()
                    .is_some_and(|s| s.contains('\n')),
                "{fixture}: a multi-line signature"
            );
            assert_eq!(
                assignee.hmac_identifier.as_ref().map(String::len),
                Some(64),
                "{fixture}"
            );
            assert_eq!(assignee.inviter_id, Some(1), "{fixture}");
            assert_eq!(assignee.provider.as_deref(), Some("email"), "{fixture}");
            assert_eq!(assignee.uid, assignee.email, "{fixture}");
            let settings = assignee.ui_settings.as_ref().unwrap();
            assert_eq!(settings["locale"], "vi", "{fixture}");
            assert_eq!(settings["is_contact_sidebar_open"], true, "{fixture}");

            assert_eq!(assignee.accounts.len(), 1, "{fixture}");
            let account = &assignee.accounts[0];
            assert_eq!(account.id, 3);
            assert_eq!(account.status.as_deref(), Some("active"));
            assert!(account.active_at.as_ref().unwrap().to_datetime().is_some());
            assert_eq!(account.role.as_deref(), Some("agent"));
            assert_eq!(
                account.permissions,
                ["conversation_manage", "contact_manage"]
            );
            assert_eq!(account.availability.as_deref(), Some("online"));
            assert_eq!(account.availability_status.as_deref(), Some("online"));
            assert_eq!(account.auto_offline, Some(true));
            assert_eq!(account.custom_role_id, Some(4));
            let role = account.custom_role.as_ref().unwrap();
            assert_eq!(role.id, 4);
            assert!(role.name.as_deref().is_some_and(|n| !n.is_empty()));
            assert!(role.description.is_some());
            assert_eq!(role.permissions, account.permissions);
        }
    }

    #[test]
    fn assignee_tokens_never_print_but_are_kept() {
        let page: ConversationList =
            decode(json_fixture("chatwoot/conversations_reference_a.json")).unwrap();
        let assignee = reference_assignee(&page);
        for (what, text) in [
            ("assignee", format!("{:?}", assignee)),
            ("assignee, alternate", format!("{assignee:#?}")),
            ("whole page", format!("{page:?}")),
        ] {
            assert!(
                !text.contains(REFERENCE_ACCESS_TOKEN),
                "{what} shows the access token: {text}"
            );
            assert!(
                !text.contains(REFERENCE_PUBSUB_TOKEN),
                "{what} shows the pubsub token: {text}"
            );
            assert!(text.contains("SecretText(***)"), "{what}: {text}");
        }
        // Serializing keeps them: they are data the caller asked for.
        let again = serde_json::to_value(assignee).unwrap();
        assert_eq!(again["access_token"], REFERENCE_ACCESS_TOKEN);
        assert_eq!(again["pubsub_token"], REFERENCE_PUBSUB_TOKEN);
        let schema = serde_json::to_string(&schemars::schema_for!(Assignee)).unwrap();
        assert!(schema.contains("SecretText"), "{schema}");
    }

    #[test]
    fn assignees_without_the_reference_keys_still_decode() {
        // Today's servers send a short user record and a shorter bot one.
        let page = page();
        let assignees: Vec<&Assignee> = page
            .data
            .payload
            .iter()
            .filter_map(|c| c.meta.as_ref().and_then(|m| m.assignee.as_ref()))
            .collect();
        assert_eq!(assignees.len(), 2, "a person and a bot");
        for assignee in assignees {
            assert!(assignee.access_token.is_none() && assignee.pubsub_token.is_none());
            assert!(assignee.message_signature.is_none() && assignee.hmac_identifier.is_none());
            assert!(assignee.inviter_id.is_none() && assignee.provider.is_none());
            assert!(assignee.ui_settings.is_none() && assignee.uid.is_none());
            assert!(assignee.accounts.is_empty());
            // Absent keys stay absent when written back.
            let again = serde_json::to_value(assignee).unwrap();
            for key in ["access_token", "pubsub_token", "ui_settings", "accounts"] {
                assert!(again.get(key).is_none(), "{key} in {again}");
            }
        }

        // Null where the server's columns allow it.
        let mut value = json_fixture("chatwoot/conversations_reference_a.json");
        let assignee = &mut value["data"]["payload"][0]["meta"]["assignee"];
        for key in ["pubsub_token", "message_signature", "inviter_id"] {
            assignee[key] = Value::Null;
        }
        assignee["accounts"][0]["active_at"] = Value::Null;
        assignee["accounts"][0]["custom_role_id"] = Value::Null;
        assignee["accounts"][0]["custom_role"] = Value::Null;
        let page: ConversationList = decode(value).unwrap();
        let assignee = reference_assignee(&page);
        assert!(assignee.pubsub_token.is_none() && assignee.access_token.is_some());
        assert!(assignee.message_signature.is_none() && assignee.inviter_id.is_none());
        let account = &assignee.accounts[0];
        assert!(account.active_at.is_none() && account.custom_role.is_none());
    }

    #[test]
    fn past_the_last_page_is_empty_with_counts() {
        let page: ConversationList =
            decode(json_fixture("chatwoot/conversations_empty_page.json")).unwrap();
        assert!(page.data.payload.is_empty());
    }

    #[test]
    fn unknown_enum_values_are_kept_not_errors() {
        let mut value = json_fixture("chatwoot/conversations_page.json");
        let first = &mut value["data"]["payload"][0];
        first["status"] = json!("archived");
        first["priority"] = json!("critical");
        first["messages"][0]["message_type"] = json!(9);
        first["messages"][0]["content_type"] = json!("hologram");
        first["messages"][0]["sender_type"] = json!("Captain::Copilot");
        let page: ConversationList = decode(value).unwrap();
        let conversation = &page.data.payload[0];
        assert_eq!(
            conversation.status,
            ConversationStatus::Unknown("archived".into())
        );
        assert_eq!(
            conversation.priority,
            Some(ConversationPriority::Unknown("critical".into()))
        );
        let message = &conversation.messages[0];
        assert_eq!(message.message_type, Some(MessageType::Unknown(9)));
        assert_eq!(
            message.content_type,
            Some(MessageContentType::Unknown("hologram".into()))
        );
        assert_eq!(
            message.sender_type,
            Some(MessageSenderType::Unknown("Captain::Copilot".into()))
        );
        // And they are written back as they came.
        let again = serde_json::to_value(conversation).unwrap();
        assert_eq!(again["status"], "archived");
        assert_eq!(again["messages"][0]["message_type"], 9);
    }

    #[test]
    fn free_form_objects_keep_any_json() {
        let page = page();
        let attributes: Vec<&Value> = page
            .data
            .payload
            .iter()
            .filter_map(|c| c.custom_attributes.as_ref())
            .collect();
        let kinds: std::collections::BTreeSet<&str> = attributes
            .iter()
            .filter_map(|a| a.as_object())
            .flat_map(|o| o.values())
            .map(|v| match v {
                Value::Null => "null",
                Value::Bool(_) => "bool",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            })
            .collect();
        assert!(
            kinds.len() >= 4,
            "mixed value types expected, got {kinds:?}"
        );
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let mut value = json_fixture("chatwoot/conversations_page.json");
        value["data"]["payload"][2]["inbox_id"] = json!("seven");
        let error = decode::<ConversationList>(value).unwrap_err();
        assert!(error.starts_with("data.payload[2].inbox_id"), "{error}");
        let mut value = json_fixture("chatwoot/conversations_page.json");
        value["data"]["payload"][0]["created_at"] = json!("yesterday");
        let error = decode::<ConversationList>(value).unwrap_err();
        assert!(error.starts_with("data.payload[0].created_at"), "{error}");
    }

    #[test]
    fn decoded_types_describe_themselves_as_json_schema() {
        let schema = schemars::schema_for!(ConversationList);
        let text = serde_json::to_string(&schema).unwrap();
        assert!(text.contains("payload"));
    }
}

#[cfg(feature = "chatbotx")]
mod chatbotx {
    use super::*;
    use chatdesk::chatbotx::types::*;

    #[test]
    fn conversations_page_decodes_with_snowflake_ids_as_text() {
        let page: ConversationList =
            decode(json_fixture("chatbotx/conversations_page.json")).unwrap();
        assert!(!page.data.is_empty());
        assert!(page.next_cursor.is_some());
        assert_eq!(page.prev_cursor, None);
        let ids: Vec<&str> = page.data.iter().map(|c| c.id.as_str()).collect();
        assert!(
            ids.iter()
                .any(|id| id.len() == 17 && id.parse::<u64>().unwrap() > 1 << 53),
            "{ids:?}"
        );
        for conversation in &page.data {
            let contact = conversation.contact.as_ref().unwrap();
            assert!(contact.id.chars().all(|c| c.is_ascii_digit()));
            assert!(conversation.inbox.is_none(), "not loaded on listings");
            let activity = conversation.last_activity_at.as_ref().unwrap();
            assert!(activity.to_datetime().unwrap().timestamp_subsec_millis() < 1000);
            for message in &conversation.messages {
                assert!(message.user.is_none() && message.contact.is_none());
                assert!(message.message_type.as_ref().is_some_and(|t| t.is_known()));
            }
        }
        let last: ConversationList =
            decode(json_fixture("chatbotx/conversations_last_page.json")).unwrap();
        assert_eq!(last.next_cursor, None);
    }

    #[test]
    fn contact_quirks_are_kept_as_sent() {
        let page: ConversationList =
            decode(json_fixture("chatbotx/conversations_page.json")).unwrap();
        let contacts: Vec<&Contact> = page
            .data
            .iter()
            .filter_map(|c| c.contact.as_ref())
            .collect();
        assert!(
            contacts
                .iter()
                .any(|c| c.full_name.as_deref().is_some_and(|n| n.starts_with(' ')))
        );
        assert!(
            contacts
                .iter()
                .any(|c| c.phone_number.as_deref() == Some(""))
        );
        assert!(
            contacts
                .iter()
                .any(|c| c.gender == Some(Gender::Unspecified))
        );
        assert!(
            contacts
                .iter()
                .any(|c| c.avatar.as_deref().is_some_and(|a| !a.starts_with("http")))
        );
    }

    #[test]
    fn contacts_pages_from_newer_and_older_servers() {
        let newer: ContactList = decode(json_fixture("chatbotx/contacts_page.json")).unwrap();
        assert_eq!(newer.page_count, Some(4));
        assert_eq!(newer.total_count, Some(61));
        assert_eq!(newer.total_count_capped, Some(false));
        assert!(
            newer.data.iter().all(|c| c.contact_notes.is_empty()),
            "notes are not loaded"
        );
        let channels: Vec<_> = newer
            .data
            .iter()
            .flat_map(|c| c.contact_inboxes.iter())
            .filter_map(|i| i.channel.clone())
            .collect();
        assert!(
            channels.iter().any(|c| c == "line"),
            "plain strings: {channels:?}"
        );
        let older: ContactList =
            decode(json_fixture("chatbotx/contacts_page_old_server.json")).unwrap();
        assert_eq!(older.total_count, None);
        assert!(older.page_count.is_some());
    }

    #[test]
    fn messages_and_attachments_decode() {
        let page: MessageList = decode(json_fixture("chatbotx/messages_page.json")).unwrap();
        assert!(
            page.next_cursor
                .as_deref()
                .is_some_and(|c| c.ends_with('='))
        );
        let attachments: Vec<&Attachment> = page
            .data
            .iter()
            .flat_map(|m| m.attachments.iter())
            .collect();
        assert!(
            attachments
                .iter()
                .any(|a| a.width.is_none() && a.height.is_none()),
            "null for non-images"
        );
        assert!(
            attachments.iter().any(|a| a.size == Some(0)),
            "0 means unknown"
        );
        assert!(
            attachments
                .iter()
                .all(|a| a.file_type.as_ref().is_some_and(|t| t.is_known()))
        );
        assert!(
            page.data.iter().any(|m| m.sender_id.is_none()),
            "bot messages have no sender"
        );
        let last: MessageList = decode(json_fixture("chatbotx/messages_last_page.json")).unwrap();
        assert_eq!(last.next_cursor, None);
    }

    #[test]
    fn a_users_tenant_id_is_kept() {
        let page: ConversationList =
            decode(json_fixture("chatbotx/conversations_page_tenant.json")).unwrap();
        let tenants: Vec<Option<&str>> = page
            .data
            .iter()
            .map(|c| c.assigned_user.as_ref().unwrap().tenant_id.as_deref())
            .collect();
        // A reseller's tenant (a snowflake id, kept as text) and the root one.
        assert_eq!(tenants, [Some("72057594100663297"), Some("1")]);
        let again = serde_json::to_value(&page).unwrap();
        assert_eq!(
            again["data"][0]["assignedUser"]["tenantId"],
            "72057594100663297"
        );
        // Older servers do not send it.
        let older: ConversationList =
            decode(json_fixture("chatbotx/conversations_page.json")).unwrap();
        let users: Vec<&User> = older
            .data
            .iter()
            .filter_map(|c| c.assigned_user.as_ref())
            .collect();
        assert!(!users.is_empty());
        assert!(users.iter().all(|u| u.tenant_id.is_none()));
        let again = serde_json::to_value(users[0]).unwrap();
        assert!(again.get("tenantId").is_none(), "{again}");
    }

    #[test]
    fn april_2026_servers_send_sequences_and_contact_activity() {
        let page: ConversationList =
            decode(json_fixture("chatbotx/conversations_page_april_2026.json")).unwrap();
        let contact = page.data[0].contact.as_ref().unwrap();
        assert!(
            contact
                .last_activity_at
                .as_ref()
                .is_some_and(|t| t.to_datetime().is_some())
        );
        assert_eq!(contact.contacts_on_sequences.len(), 2);
        let running = &contact.contacts_on_sequences[0];
        assert_eq!(running.current_step, Some(2));
        assert!(running.completed_at.is_none() && running.next_run_at.is_some());
        assert!(
            running
                .next_step_id
                .as_deref()
                .is_some_and(|id| id.len() == 17)
        );
        let sequence = running.sequence.as_ref().unwrap();
        assert_eq!(running.sequence_id.as_deref(), Some(sequence.id.as_str()));
        assert_eq!(sequence.subscribers, Some(318));
        assert_eq!(sequence.open_rate, Some(0.62));
        let done = &contact.contacts_on_sequences[1];
        assert!(done.completed_at.is_some() && done.next_step_id.is_none());
        assert_eq!(done.error_count, Some(1));
        let old_sequence = done.sequence.as_ref().unwrap();
        assert_eq!(old_sequence.active, Some(false));
        assert!(old_sequence.open_rate.is_none() && old_sequence.folder_id.is_some());
        let second = page.data[1].contact.as_ref().unwrap();
        assert!(second.contacts_on_sequences.is_empty());
        // Newer servers send neither.
        let newer: ConversationList =
            decode(json_fixture("chatbotx/conversations_page_tenant.json")).unwrap();
        for contact in newer.data.iter().filter_map(|c| c.contact.as_ref()) {
            assert!(contact.last_activity_at.is_none());
            assert!(contact.contacts_on_sequences.is_empty());
        }
    }

    #[test]
    fn older_servers_tag_flag_and_contact_activity_are_kept() {
        // Servers until early June 2026 also sent a tag's `syncToMessenger`
        // and a contact's `lastActivityAt` on contact listings.
        let mut value = json_fixture("chatbotx/contacts_page_old_server.json");
        value["data"][0]["tags"][0]["syncToMessenger"] = json!(true);
        value["data"][0]["lastActivityAt"] = json!("2025-08-02T11:58:41.000Z");
        let page: ContactList = decode(value).unwrap();
        let contact = &page.data[0];
        assert_eq!(contact.tags[0].sync_to_messenger, Some(true));
        assert_eq!(
            contact
                .last_activity_at
                .as_ref()
                .and_then(|t| t.unix_seconds()),
            Some(1_754_135_921)
        );
        let newer: ContactList = decode(json_fixture("chatbotx/contacts_page.json")).unwrap();
        assert!(
            newer
                .data
                .iter()
                .flat_map(|c| c.tags.iter())
                .all(|t| t.sync_to_messenger.is_none())
        );
    }

    #[test]
    fn reference_page_placeholders_decode() {
        // The shapes the reference pages show: `-1` sizes, `"<string>"` for
        // objects, `"<unknown>"` ids, times without milliseconds, and the
        // relations the servers leave out.
        let body = json!({
            "data": [{
                "id": "1", "createdAt": "2023-11-07T05:31:56Z", "updatedAt": "2023-11-07T05:31:56Z",
                "conversationId": "2", "contactInboxId": "3", "workspaceId": "4",
                "text": "hi", "contentAttributes": "<string>", "sourceId": "s",
                "attachments": [{
                    "id": "5", "createdAt": "2023-11-07T05:31:56Z", "updatedAt": "2023-11-07T05:31:56Z",
                    "sourceId": "s", "mimeType": "image/png", "width": -1, "height": -1, "size": -1,
                    "thumbnailPath": "t", "originPath": "o", "name": "n",
                    "workspaceId": "<unknown>", "conversationId": "<unknown>", "messageId": "<unknown>",
                    "url": "u"
                }],
                "senderId": null, "clientId": "c",
                "user": {"id": "6", "createdAt": "2023-11-07T05:31:56Z", "updatedAt": "2023-11-07T05:31:56Z",
                         "name": "A", "email": "a@example.com", "emailVerified": true, "image": "i", "isAnonymous": true},
                "contact": {"id": "7", "createdAt": "2023-11-07T05:31:56Z", "updatedAt": "2023-11-07T05:31:56Z",
                            "location": "<string>", "workspaceId": "4"}
            }],
            "nextCursor": "<string>",
            "prevCursor": "<string>"
        });
        let page: MessageList = decode(body).unwrap();
        assert_eq!(page.data[0].attachments[0].size, Some(-1));
        assert!(page.data[0].user.is_some());
    }

    #[test]
    fn unknown_enum_values_are_kept() {
        let mut value = json_fixture("chatbotx/messages_page.json");
        value["data"][0]["messageType"] = json!("reaction");
        value["data"][0]["senderType"] = json!("integration");
        let page: MessageList = decode(value).unwrap();
        assert_eq!(
            page.data[0].message_type,
            Some(MessageType::Unknown("reaction".into()))
        );
        assert_eq!(
            page.data[0].sender_type,
            Some(MessageSenderType::Unknown("integration".into()))
        );
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let mut value = json_fixture("chatbotx/contacts_page.json");
        value["data"][1]["tags"] = json!("vip");
        let error = decode::<ContactList>(value).unwrap_err();
        assert!(error.starts_with("data[1].tags"), "{error}");
    }
}
