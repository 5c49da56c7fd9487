//! The ChatbotX fake's data: contacts with their messages, and
//! conversations, each holding what the filters look at next to the JSON
//! it is served as. A contact's [`Person`] is shared with its
//! conversations, so that filters on the contact apply to both.

use std::sync::Arc;

use serde_json::Value;

use super::filters::ilike_contains;
use crate::text::put;

/// The contact fields the filters look at.
pub(crate) struct Person {
    pub(crate) id: String,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) full_name: String,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) gender: Option<&'static str>,
    /// (id, name)
    pub(crate) tags: Vec<(&'static str, &'static str)>,
    pub(crate) country: &'static str,
    pub(crate) state: &'static str,
    pub(crate) city: &'static str,
    pub(crate) locale: &'static str,
    pub(crate) timezone: &'static str,
    pub(crate) blocked: bool,
    /// Channels and inbox ids of the contact's inboxes.
    pub(crate) inboxes: Vec<(&'static str, &'static str)>,
}

impl Person {
    /// Whether the conversation listing's `keyword` finds this contact:
    /// `firstName ILIKE '%keyword%' OR lastName ILIKE '%keyword%'`, each
    /// name on its own (a keyword spanning both names finds nothing).
    pub(crate) fn names_match(&self, keyword: &str) -> bool {
        [&self.first_name, &self.last_name]
            .into_iter()
            .flatten()
            .any(|name| ilike_contains(name, keyword))
    }

    /// Name, email and phone, lowercased, for `keyword`.
    pub(crate) fn keyword_text(&self) -> String {
        format!(
            "{}\n{}\n{}",
            self.full_name.to_lowercase(),
            self.email.as_deref().unwrap_or("").to_lowercase(),
            self.phone.as_deref().unwrap_or("")
        )
    }
}

/// A message; its JSON is built when it is served, from its own seed.
pub(crate) struct Message {
    pub(crate) id: u64,
    pub(crate) created: i64,
    pub(crate) seed: u64,
    /// An incoming text from the contact whatever the seed draws (the
    /// messages that arrive while the fake runs).
    pub(crate) incoming: bool,
}

/// A contact: its data, its relations as JSON, its messages.
pub(crate) struct Contact {
    pub(crate) person: Arc<Person>,
    pub(crate) numeric_id: u64,
    pub(crate) created: i64,
    pub(crate) updated: i64,
    pub(crate) listed: bool,
    /// The contact's own fields, without relations.
    pub(crate) json: Value,
    /// `contactCustomFields`, `tags` and `contactInboxes` (with `inbox`).
    pub(crate) custom_fields: Value,
    pub(crate) tags: Value,
    pub(crate) inboxes: Value,
    /// `contactInboxes` without `inbox`, as conversation listings show them.
    pub(crate) inboxes_plain: Value,
    /// The contact's conversation as contact listings show it.
    pub(crate) conversation: Value,
    /// The id of the contact's own conversation (its messages carry it).
    pub(crate) conversation_id: u64,
    /// The contact inbox its messages came through.
    pub(crate) contact_inbox_id: String,
    /// Newest first.
    pub(crate) messages: Vec<Message>,
}

/// A conversation: what the filters look at, and its JSON.
pub(crate) struct Conversation {
    pub(crate) id: u64,
    pub(crate) last: i64,
    pub(crate) person: Arc<Person>,
    pub(crate) channel: &'static str,
    pub(crate) bot_enabled: bool,
    pub(crate) assigned_user: Option<&'static str>,
    pub(crate) assigned_team: Option<&'static str>,
    pub(crate) archived: bool,
    pub(crate) followed: bool,
    pub(crate) unread: bool,
    pub(crate) no_admin_reply: bool,
    pub(crate) json: Value,
}

impl Conversation {
    /// Whether the default listing shows it: not archived, contact not
    /// blocked.
    pub(crate) fn in_default_view(&self) -> bool {
        !self.archived && !self.person.blocked
    }
}

impl Contact {
    /// Whether the contact has its own conversation yet (a contact just
    /// created has none until its first message).
    pub(crate) fn has_conversation(&self) -> bool {
        !self.conversation.is_null()
    }

    /// The contact as the contact listing shows it; `include` keeps only
    /// some relations.
    pub(crate) fn listing_json(&self, include: Option<&[&str]>) -> Value {
        let mut json = self.json.clone();
        for (relation, key, value) in [
            ("customFields", "contactCustomFields", &self.custom_fields),
            ("tags", "tags", &self.tags),
            ("inboxes", "contactInboxes", &self.inboxes),
            ("conversation", "conversation", &self.conversation),
        ] {
            if include.is_none_or(|wanted| wanted.contains(&relation)) {
                put(&mut json, key, value.clone());
            }
        }
        json
    }
}

/// Sorts `conversations` as the listing orders them: newest activity
/// first, then id descending.
pub(crate) fn sort_conversations(conversations: &mut [Conversation]) {
    conversations.sort_by(|a, b| b.last.cmp(&a.last).then(b.id.cmp(&a.id)));
}
