//! The fake ChatbotX: `/api/v1/conversations`, `/api/v1/contacts`, one
//! contact with its tags, custom fields and messages, and the workspace's
//! tags, custom fields, bot fields, channels, members, teams and itself.
//!
//! This module holds the fake's state (its settings, contacts and
//! conversations) and what the public API does to it: list the ids, add
//! contacts and conversations at the top, touch a conversation; the
//! other changes while it runs (a message arrives, a status changes,
//! contacts are created) are in [`changes`]. The rest is by job:
//! [`routes`] answers a request (one module per family of routes),
//! [`identifier`] finds the contact a path names,
//! [`params`] sorts the query string out, [`validation`] checks it and
//! [`issues`] words what it finds as the server version does,
//! [`filters`] picks the items, [`cursor`] reads and writes the cursors,
//! [`js`] reads text as the server's JavaScript does, [`errors`] holds
//! the error bodies, [`model`] the data types and [`generate`] the
//! seeded data.

use std::sync::RwLock;

use serde_json::{Value, json};

use crate::ChatbotxVersion;
use crate::server::{read, write};
use crate::text::iso_millis;

mod changes;
mod cursor;
mod dataset;
mod errors;
mod filters;
mod generate;
mod identifier;
mod issues;
mod js;
mod model;
mod params;
mod routes;
mod sorting;
mod validation;

pub(crate) use errors::{server_error, too_many_requests};
use generate::{ContactPlan, Generator, make_contact, make_conversation};
use model::{Contact, Conversation, sort_conversations};

/// Where the data set's attachment URLs begin (see `storage_base` of the
/// builders).
pub(crate) const STORAGE_BASE: &str = "https://cdn.chatbotx.example";

/// The fake's "now" when it starts: 2026-01-14T11:00:00.000Z.
pub(crate) const CLOCK_BASE_MILLIS: i64 = 1_768_388_400_000;

/// What the fake was built with.
pub(crate) struct Config {
    pub(crate) token: String,
    pub(crate) version: ChatbotxVersion,
    /// The `name=value` pair `/v1/conversations` wants in `Cookie`.
    pub(crate) session_cookie: Option<String>,
    /// Conversation pages follow `lastActivityAt < X OR id < Y`.
    pub(crate) broken_cursor: bool,
    /// `status` (conversations), `channels` and `inboxIds` (contacts) are
    /// validated, then not applied.
    pub(crate) ignored_filters: bool,
}

/// How much data to generate.
pub(crate) struct Sizes {
    pub(crate) conversations: usize,
    pub(crate) contacts: usize,
    pub(crate) messages_per_contact: usize,
    pub(crate) seed: u64,
}

/// The contacts and conversations, and the generator for those to come.
struct Data {
    /// Newest first (created descending, id descending); unlisted contacts
    /// (kept only for conversations when no contact is listed) last.
    contacts: Vec<Contact>,
    /// Newest activity first, then id descending.
    conversations: Vec<Conversation>,
    generator: Generator,
    list_new_contacts: bool,
}

/// The ChatbotX fake's data and settings.
pub(crate) struct Fake {
    pub(crate) config: Config,
    data: RwLock<Data>,
}

impl Fake {
    /// Generates the data set of `sizes`.
    pub(crate) fn generate(config: Config, sizes: &Sizes) -> Fake {
        Fake {
            config,
            data: RwLock::new(generate::data_set(sizes)),
        }
    }

    /// The conversations an unfiltered listing returns, in its order.
    pub(crate) fn conversation_ids(&self) -> Vec<String> {
        read(&self.data)
            .conversations
            .iter()
            .filter(|c| c.in_default_view())
            .map(|c| c.id.to_string())
            .collect()
    }

    /// Every conversation of the four views, in listing order.
    pub(crate) fn all_conversation_ids(&self) -> Vec<String> {
        read(&self.data)
            .conversations
            .iter()
            .map(|c| c.id.to_string())
            .collect()
    }

    /// The listed contacts, in listing order.
    pub(crate) fn contact_ids(&self) -> Vec<String> {
        read(&self.data)
            .contacts
            .iter()
            .filter(|c| c.listed)
            .map(|c| c.person.id.clone())
            .collect()
    }

    /// The messages of one contact, newest first.
    pub(crate) fn message_ids(&self, contact_id: &str) -> Vec<String> {
        let id = contact_id.strip_prefix("id:").unwrap_or(contact_id);
        read(&self.data)
            .contacts
            .iter()
            .find(|c| c.person.id == id)
            .map(|c| c.messages.iter().map(|m| m.id.to_string()).collect())
            .unwrap_or_default()
    }

    /// New contacts, each with a conversation newer than any other.
    pub(crate) fn add_at_top(&self, count: usize, now: i64) {
        let mut guard = write(&self.data);
        let data = &mut *guard;
        let mut last = data
            .conversations
            .iter()
            .map(|c| c.last)
            .max()
            .unwrap_or(0)
            .max(now - 1);
        let mut created = data.contacts.first().map_or(0, |c| c.created).max(now - 1);
        let listed = data.list_new_contacts;
        for _ in 0..count {
            last += 1;
            created += 1;
            let newest = last.max(created);
            let mut contact = make_contact(
                &mut data.generator,
                ContactPlan {
                    created,
                    newest,
                    short_id: None,
                    listed,
                    blocked: false,
                    with_messages: true,
                },
            );
            let conversation =
                make_conversation(&mut data.generator, &mut contact, true, false, Some(last));
            data.contacts.insert(0, contact);
            data.conversations.push(conversation);
        }
        sort_conversations(&mut data.conversations);
    }

    /// Gives conversation `id` activity newer than any other.
    pub(crate) fn touch(&self, id: &str, now: i64) {
        let Ok(id) = id.trim().parse::<u64>() else {
            return;
        };
        let mut guard = write(&self.data);
        let data = &mut *guard;
        let top = data.conversations.iter().map(|c| c.last).max().unwrap_or(0);
        let Some(conversation) = data.conversations.iter_mut().find(|c| c.id == id) else {
            return;
        };
        let last = now.max(top + 1);
        conversation.last = last;
        conversation.unread = true;
        let stamp = json!(iso_millis(last));
        let patch = |value: &mut Value| {
            if let Value::Object(map) = value {
                map.insert("lastActivityAt".into(), stamp.clone());
                map.insert("updatedAt".into(), stamp.clone());
            }
        };
        patch(&mut conversation.json);
        let contact_id = conversation.person.id.clone();
        if let Some(contact) = data.contacts.iter_mut().find(|c| c.person.id == contact_id)
            && contact.conversation.get("id") == Some(&json!(id.to_string()))
        {
            patch(&mut contact.conversation);
        }
        sort_conversations(&mut data.conversations);
    }
}
