//! The fake Chatwoot: the read side of the account API
//! (`/api/v1/accounts/{account_id}/...`): conversations and their
//! messages, contacts, inboxes, agents, teams, labels and custom
//! attribute definitions, and the conversation filter.
//!
//! This module holds the fake's state (its settings, its conversations
//! with their messages, its contacts) and the ids the public API lists.
//! The rest is by job: [`routes`] answers a request, [`validation`] and
//! [`params`] read the query string, [`filters`] picks and orders the
//! listed conversations, [`conditions`] runs the filter payload,
//! [`sorting`] orders contacts, [`changes`] is what the public API does to
//! the data while the fake runs, [`errors`] holds the error bodies,
//! [`model`] the data types and [`generate`] the seeded data.

use std::sync::RwLock;

use crate::server::read;

mod changes;
mod conditions;
mod dataset;
mod errors;
mod filters;
mod generate;
mod model;
mod params;
mod routes;
mod sorting;
mod validation;

pub(crate) use errors::{server_error, too_many_requests};
pub(crate) use generate::Sizes;
use model::{Contact, Conversation};

/// Where the data set's attachment URLs begin (see `storage_base` of the
/// builders).
pub(crate) const STORAGE_BASE: &str = "https://chat.vietmart.example/rails/active_storage";

/// The fake's "now" when it starts: 2026-01-14T11:06:40Z, in Unix seconds.
pub(crate) const CLOCK_BASE_SECS: i64 = 1_768_388_800;

/// What the fake was built with.
pub(crate) struct Config {
    pub(crate) account_id: i64,
    pub(crate) token: String,
    pub(crate) page_size: u64,
}

/// The conversations and contacts, and where the generator is for the
/// ones to come.
pub(crate) struct Data {
    /// Newest activity first; ties by id descending.
    conversations: Vec<Conversation>,
    /// By id, ascending (the order they were created in).
    contacts: Vec<Contact>,
    rng: fastrand::Rng,
    next_id: i64,
    /// The highest message id given so far.
    next_message_id: i64,
    /// The highest contact id given so far.
    next_contact_id: i64,
    messages_per_conversation: usize,
}

impl Data {
    /// Conversation `id`, if there is one.
    fn conversation(&self, id: i64) -> Option<&Conversation> {
        self.conversations.iter().find(|c| c.id == id)
    }

    /// Contact `id`, if there is one.
    fn contact(&self, id: i64) -> Option<&Contact> {
        generate::contact_index(&self.contacts, id).and_then(|i| self.contacts.get(i))
    }
}

/// The Chatwoot fake's data and settings.
pub(crate) struct Fake {
    pub(crate) config: Config,
    data: RwLock<Data>,
}

impl Fake {
    /// Generates the data set `sizes` describe.
    pub(crate) fn generate(config: Config, sizes: &Sizes) -> Fake {
        let data = generate::data_set(&config, sizes);
        Fake {
            config,
            data: RwLock::new(data),
        }
    }

    /// Every conversation id, newest activity first.
    pub(crate) fn ids(&self) -> Vec<String> {
        read(&self.data)
            .conversations
            .iter()
            .map(|c| c.id.to_string())
            .collect()
    }

    /// The ids the contact listing shows, in its default order (by id).
    pub(crate) fn contact_ids(&self) -> Vec<String> {
        read(&self.data)
            .contacts
            .iter()
            .filter(|c| c.listed())
            .map(|c| c.id.to_string())
            .collect()
    }

    /// The message ids of conversation `id`, oldest first; empty for an
    /// unknown conversation.
    pub(crate) fn message_ids(&self, id: &str) -> Vec<String> {
        let Ok(id) = id.trim().parse::<i64>() else {
            return Vec::new();
        };
        read(&self.data)
            .conversation(id)
            .map(|c| c.messages.iter().map(|m| m.id.to_string()).collect())
            .unwrap_or_default()
    }
}
