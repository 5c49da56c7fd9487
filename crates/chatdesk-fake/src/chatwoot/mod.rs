//! The fake Chatwoot: `GET /api/v1/accounts/{account_id}/conversations`.
//!
//! This module holds the fake's state (its settings and its
//! conversations) and what the public API does to it: list the ids, add
//! conversations at the top, touch one. The rest is by job: [`routes`]
//! answers a request, [`validation`] reads the query string, [`filters`]
//! picks and orders the conversations, [`errors`] holds the error bodies,
//! [`model`] the data types and [`generate`] the seeded data.

use std::sync::RwLock;

use serde_json::{Value, json};

use crate::server::{read, write};

mod errors;
mod filters;
mod generate;
mod model;
mod routes;
mod validation;

pub(crate) use errors::{server_error, too_many_requests};
use model::{Conversation, sort};

/// The fake's "now" when it starts: 2026-01-14T11:06:40Z, in Unix seconds.
pub(crate) const CLOCK_BASE_SECS: i64 = 1_768_388_800;

/// What the fake was built with.
pub(crate) struct Config {
    pub(crate) account_id: i64,
    pub(crate) token: String,
    pub(crate) page_size: u64,
}

/// The conversations, and where the generator is for the ones to come.
struct Data {
    /// Newest activity first; ties by id descending.
    conversations: Vec<Conversation>,
    rng: fastrand::Rng,
    next_id: i64,
    next_message_id: i64,
    next_contact_id: i64,
}

/// The Chatwoot fake's data and settings.
pub(crate) struct Fake {
    pub(crate) config: Config,
    data: RwLock<Data>,
}

impl Fake {
    /// Generates `count` conversations from `seed`.
    pub(crate) fn generate(config: Config, count: usize, seed: u64) -> Fake {
        let data = generate::data_set(&config, count, seed);
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

    /// New open conversations with activity newer than any other.
    pub(crate) fn add_at_top(&self, count: usize, now_secs: i64) {
        let mut guard = write(&self.data);
        let data = &mut *guard;
        let mut rng = fastrand::Rng::with_seed(data.rng.u64(..));
        let mut last = data
            .conversations
            .iter()
            .map(|c| c.last_activity_at)
            .max()
            .unwrap_or(0)
            .max(now_secs - 1);
        for _ in 0..count {
            last += 1;
            let id = data.next_id;
            data.next_id += 1;
            let conversation =
                generate::conversation(&mut rng, data, &self.config, id, last - 30, last, true);
            data.conversations.push(conversation);
        }
        sort(&mut data.conversations);
    }

    /// Gives conversation `id` activity newer than any other.
    pub(crate) fn touch(&self, id: &str, now_secs: i64) {
        let Ok(id) = id.trim().parse::<i64>() else {
            return;
        };
        let mut data = write(&self.data);
        let top = data
            .conversations
            .iter()
            .map(|c| c.last_activity_at)
            .max()
            .unwrap_or(0);
        let fraction = f64::from(data.rng.u32(0..1_000_000)) / 1_000_000.0;
        let Some(conversation) = data.conversations.iter_mut().find(|c| c.id == id) else {
            return;
        };
        let last = now_secs.max(top + 1);
        conversation.last_activity_at = last;
        conversation.updated_at = last as f64 + fraction;
        if let Value::Object(map) = &mut conversation.json {
            map.insert("last_activity_at".into(), json!(last));
            map.insert("timestamp".into(), json!(last));
            map.insert("updated_at".into(), json!(conversation.updated_at));
        }
        sort(&mut data.conversations);
    }

    /// A new incoming message in conversation (or contact) `id`.
    /// INTERIM: replaced by the fake's real implementation in this issue.
    pub(crate) fn add_message(&self, id: &str, now_secs: i64) -> Option<String> {
        let _ = (id, now_secs);
        None
    }

    /// Conversation `id` gets `status`.
    /// INTERIM: replaced by the fake's real implementation in this issue.
    pub(crate) fn set_status(&self, id: &str, status: &str, now_secs: i64) -> bool {
        let _ = (id, status, now_secs);
        false
    }

    /// `count` new contacts.
    /// INTERIM: replaced by the fake's real implementation in this issue.
    pub(crate) fn add_contacts(&self, count: usize, now_secs: i64) -> Vec<String> {
        let _ = (count, now_secs);
        Vec::new()
    }
}
