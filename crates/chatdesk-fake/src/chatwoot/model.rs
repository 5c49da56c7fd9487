//! The Chatwoot fake's data: one [`Conversation`] holds what the filters
//! and sorts look at, next to the JSON it is served as (built once, when
//! it is generated).

use serde_json::Value;

/// The user the token belongs to (`assignee_type=me`).
pub(crate) const ME: i64 = 1;
/// The conversation priorities, lowest first; a conversation keeps the
/// index of its own.
pub(crate) const PRIORITIES: &[&str] = &["low", "medium", "high", "urgent"];

/// Who a conversation is assigned to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Assignee {
    Nobody,
    User(i64),
    Bot,
}

/// One conversation: what the filters look at, and its JSON.
pub(crate) struct Conversation {
    pub(crate) id: i64,
    pub(crate) status: &'static str,
    pub(crate) assignee: Assignee,
    pub(crate) inbox_id: i64,
    pub(crate) team_id: Option<i64>,
    pub(crate) labels: Vec<&'static str>,
    /// Message contents, lowercased, for `q`.
    pub(crate) text: String,
    pub(crate) source_id: String,
    pub(crate) mentioned: bool,
    pub(crate) priority: Option<usize>,
    pub(crate) created_at: i64,
    pub(crate) last_activity_at: i64,
    pub(crate) waiting_since: i64,
    pub(crate) updated_at: f64,
    pub(crate) json: Value,
}

/// Sorts `conversations` as the fake stores them: newest activity first,
/// ties by id descending.
pub(crate) fn sort(conversations: &mut [Conversation]) {
    conversations.sort_by(|a, b| {
        b.last_activity_at
            .cmp(&a.last_activity_at)
            .then(b.id.cmp(&a.id))
    });
}
