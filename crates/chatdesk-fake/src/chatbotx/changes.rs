//! What changes in the ChatbotX data while the fake runs, through the
//! public API: a message arrives from a contact, a conversation gets a
//! status, contacts are created. Each change keeps the data set
//! consistent: the contact's conversation (in the conversation listing
//! and on the contact) shows the new times, and the listings keep their
//! order.

use serde_json::{Value, json};

use super::generate::{ContactPlan, incoming_message, make_contact, make_conversation};
use super::model::sort_conversations;
use super::{Data, Fake};
use crate::server::write;
use crate::text::{iso_millis, parse_iso_millis, put};

/// The conversation statuses [`Fake::set_status`] sets: the listing's
/// `status` flags that belong to the conversation (`blocked` belongs to
/// the contact), and their opposites as the server's actions set them
/// (read, unfollow, unarchive). The server keeps no status column; each
/// flag is a field of the conversation.
const STATUSES: &[&str] = &[
    "unread",
    "read",
    "followUp",
    "unfollowed",
    "archived",
    "unarchived",
    "noAdminReply",
];

impl Fake {
    /// A new incoming message from the contact with id `id` (`id:` prefix
    /// optional), newer than any other and with the largest message id.
    /// Its conversation gets it as its newest message, with activity
    /// newer than any other conversation's (so it lists first); a contact
    /// without a conversation gets one. Returns the message id, or `None`
    /// for an unknown contact.
    pub(crate) fn add_message(&self, id: &str, now: i64) -> Option<String> {
        let id = id.trim();
        let id = id.strip_prefix("id:").unwrap_or(id);
        let mut guard = write(&self.data);
        let data = &mut *guard;
        let index = data.contacts.iter().position(|c| c.person.id == id)?;
        let top = newest_activity(data);
        let floor = data
            .contacts
            .iter()
            .flat_map(|c| c.messages.iter().map(|m| m.id))
            .max()
            .unwrap_or(0);
        let contact = &mut data.contacts[index];
        let at = now
            .max(top + 1)
            .max(contact.messages.first().map_or(0, |m| m.created));
        let message = incoming_message(&mut data.generator, at, floor);
        let message_id = message.id;
        contact.messages.insert(0, message);
        if contact.has_conversation() {
            let conversation_id = contact.conversation_id;
            let newest = contact.message_json(&contact.messages[0]);
            let stamp = json!(iso_millis(at));
            let fields = [
                ("lastActivityAt", stamp.clone()),
                ("updatedAt", stamp.clone()),
                ("contactRepliedAt", stamp),
            ];
            patch_json(&mut contact.conversation, &fields);
            if let Some(conversation) = data
                .conversations
                .iter_mut()
                .find(|c| c.id == conversation_id)
            {
                conversation.last = at;
                conversation.unread = true;
                // The contact wrote after any reply.
                conversation.no_admin_reply = true;
                patch_json(&mut conversation.json, &fields);
                put(&mut conversation.json, "messages", json!([newest]));
            }
        } else {
            let conversation =
                make_conversation(&mut data.generator, contact, true, false, Some(at));
            data.conversations.push(conversation);
        }
        sort_conversations(&mut data.conversations);
        Some(message_id.to_string())
    }

    /// Conversation `id` gets `status` (one of [`STATUSES`]): its field
    /// is set as the server's action sets it, and `updatedAt` (which the
    /// server's ORM sets on every update) becomes newer than any other
    /// conversation's. `lastActivityAt` stays, as on the server, so the
    /// conversation keeps its place in the listing. `false` for an
    /// unknown id or status.
    pub(crate) fn set_status(&self, id: &str, status: &str, now: i64) -> bool {
        let Ok(id) = id.trim().parse::<u64>() else {
            return false;
        };
        if !STATUSES.contains(&status) {
            return false;
        }
        let mut guard = write(&self.data);
        let data = &mut *guard;
        let at = now.max(newest_update(data) + 1);
        let Some(conversation) = data.conversations.iter_mut().find(|c| c.id == id) else {
            return false;
        };
        let stamp = json!(iso_millis(at));
        let mut fields = vec![("updatedAt", stamp.clone())];
        match status {
            // The server sets the read time back to an incoming message
            // before the last activity; the fake to just before it.
            "unread" => fields.push(("agentLastReadAt", json!(iso_millis(conversation.last - 1)))),
            "read" => fields.push(("agentLastReadAt", stamp.clone())),
            "followUp" | "unfollowed" => {
                conversation.followed = status == "followUp";
                fields.push(("followed", json!(conversation.followed)));
            }
            "archived" => {
                conversation.archived = true;
                fields.push(("archivedAt", stamp));
            }
            "unarchived" => {
                conversation.archived = false;
                fields.push(("archivedAt", Value::Null));
            }
            _ => {
                conversation.no_admin_reply = true;
                fields.push(("adminRepliedAt", Value::Null));
            }
        }
        patch_json(&mut conversation.json, &fields);
        // Unread: the agent has not read it since its last activity.
        let agent_read = conversation
            .json
            .get("agentLastReadAt")
            .and_then(Value::as_str)
            .and_then(parse_iso_millis);
        let last = conversation.last;
        conversation.unread = agent_read.is_none_or(|read| read < last);
        let contact_id = conversation.person.id.clone();
        if let Some(contact) = data.contacts.iter_mut().find(|c| c.person.id == contact_id)
            && contact.conversation_id == id
        {
            patch_json(&mut contact.conversation, &fields);
        }
        sort_conversations(&mut data.conversations);
        true
    }

    /// `count` new listed contacts, created now (newer than any other,
    /// so they list first), without messages or a conversation. Returns
    /// their ids, newest first as the listing shows them.
    pub(crate) fn add_contacts(&self, count: usize, now: i64) -> Vec<String> {
        let mut guard = write(&self.data);
        let data = &mut *guard;
        let newest = data
            .contacts
            .iter()
            .map(|c| c.created)
            .max()
            .unwrap_or(0)
            .max(now - 1);
        let mut ids = Vec::with_capacity(count);
        for step in 1..=count {
            let created = newest + i64::try_from(step).unwrap_or(i64::MAX);
            let contact = make_contact(
                &mut data.generator,
                ContactPlan {
                    created,
                    newest: created,
                    short_id: None,
                    listed: true,
                    blocked: false,
                    with_messages: false,
                },
            );
            ids.push(contact.person.id.clone());
            data.contacts.insert(0, contact);
        }
        ids.reverse();
        ids
    }
}

/// The newest conversation `updatedAt`.
fn newest_update(data: &Data) -> i64 {
    data.conversations
        .iter()
        .filter_map(|c| c.json.get("updatedAt").and_then(Value::as_str))
        .filter_map(parse_iso_millis)
        .max()
        .unwrap_or(0)
}

/// The newest conversation activity.
fn newest_activity(data: &Data) -> i64 {
    data.conversations.iter().map(|c| c.last).max().unwrap_or(0)
}

/// Sets `fields` of a JSON object (nothing for `null`, a contact without
/// a conversation).
fn patch_json(value: &mut Value, fields: &[(&str, Value)]) {
    if let Value::Object(map) = value {
        for (key, field) in fields {
            map.insert((*key).to_string(), field.clone());
        }
    }
}
