//! The Chatwoot fake's data: conversations with their whole message
//! history, and the contacts they belong to. Each keeps what the filters,
//! sorts and routes look at, next to the JSON parts built once when it is
//! generated; what depends on the history (the newest message, the last
//! activity) is derived again whenever the history changes.

use serde_json::Value;

/// The user the token belongs to (`assignee_type=me`); an administrator.
pub(crate) const ME: i64 = 1;
/// The conversation priorities, lowest first; a conversation keeps the
/// index of its own.
pub(crate) const PRIORITIES: &[&str] = &["low", "medium", "high", "urgent"];
/// The conversation statuses, in the order of the server's enum.
pub(crate) const STATUSES: &[&str] = &["open", "resolved", "pending", "snoozed"];

/// Who a conversation is assigned to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Assignee {
    Nobody,
    User(i64),
    Bot,
}

/// Who sent a message.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sender {
    Contact,
    /// The agent at this index of the cast.
    Agent(usize),
    /// The bot at this index of the cast.
    Bot(usize),
    Assistant,
    /// Activity lines have no sender.
    Nobody,
}

/// The server's `message_type` numbers.
pub(crate) const INCOMING: i64 = 0;
pub(crate) const OUTGOING: i64 = 1;
pub(crate) const ACTIVITY: i64 = 2;
pub(crate) const TEMPLATE: i64 = 3;

/// One message of a conversation's history. The parts of its JSON that
/// are drawn at random (source id, attachments, content attributes) come
/// from `seed`, so that every view of the message shows the same ones.
pub(crate) struct Message {
    pub(crate) id: i64,
    pub(crate) content: Option<&'static str>,
    pub(crate) message_type: i64,
    pub(crate) content_type: &'static str,
    pub(crate) private: bool,
    pub(crate) status: &'static str,
    pub(crate) created_at: i64,
    pub(crate) sender: Sender,
    pub(crate) attachments: bool,
    pub(crate) seed: u64,
}

impl Message {
    /// What `filter_internal_messages` leaves out: private notes and
    /// activity lines.
    pub(crate) fn internal(&self) -> bool {
        self.private || self.message_type == ACTIVITY
    }
}

/// One conversation: what the filters look at, its messages, and its
/// JSON.
pub(crate) struct Conversation {
    pub(crate) id: i64,
    pub(crate) status: &'static str,
    pub(crate) assignee: Assignee,
    pub(crate) inbox_id: i64,
    pub(crate) team_id: Option<i64>,
    pub(crate) labels: Vec<&'static str>,
    /// The contents of the messages it shows, lowercased, for `q`.
    pub(crate) text: String,
    pub(crate) source_id: String,
    pub(crate) contact_id: i64,
    pub(crate) mentioned: bool,
    pub(crate) priority: Option<usize>,
    pub(crate) created_at: i64,
    pub(crate) last_activity_at: i64,
    pub(crate) waiting_since: i64,
    pub(crate) updated_at: f64,
    pub(crate) unread_count: i64,
    pub(crate) snoozed_until: Option<String>,
    /// When an agent, and the assignee, last read it (Unix milliseconds).
    pub(crate) agent_seen_millis: Option<i64>,
    pub(crate) assignee_seen_millis: Option<i64>,
    /// The agent (cast index) who writes its replies.
    pub(crate) reply_agent: usize,
    /// Oldest first; ids grow with time.
    pub(crate) messages: Vec<Message>,
    pub(crate) json: Value,
}

impl Conversation {
    /// The newest message, of any kind.
    pub(crate) fn newest(&self) -> Option<&Message> {
        self.messages.last()
    }

    /// The newest message that is neither an activity line nor private.
    pub(crate) fn last_non_activity(&self) -> Option<&Message> {
        self.messages
            .iter()
            .rev()
            .find(|m| m.message_type != ACTIVITY && !m.private)
    }

    /// The assignee's user id, if a person is assigned.
    pub(crate) fn assignee_id(&self) -> Option<i64> {
        match self.assignee {
            Assignee::User(user) => Some(user),
            Assignee::Nobody | Assignee::Bot => None,
        }
    }
}

/// One contact. Its JSON is rendered when asked for (a data set holds
/// many contacts); the parts drawn at random (avatar, custom attributes)
/// come from `seed`.
pub(crate) struct Contact {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) email: Option<String>,
    pub(crate) phone_number: Option<String>,
    pub(crate) identifier: Option<String>,
    pub(crate) blocked: bool,
    pub(crate) created_at: i64,
    pub(crate) last_activity_at: Option<i64>,
    pub(crate) city: &'static str,
    pub(crate) country_code: &'static str,
    pub(crate) country: &'static str,
    pub(crate) company: Option<&'static str>,
    /// Its labels: the contact listing's `labels[]` reads them.
    pub(crate) labels: Vec<&'static str>,
    /// The inboxes it wrote to, with its source id in each.
    pub(crate) inboxes: Vec<(i64, String)>,
    pub(crate) seed: u64,
}

impl Contact {
    /// Listed by the contact listing: anonymous visitors (no email, phone
    /// or identifier) are not.
    pub(crate) fn listed(&self) -> bool {
        let present = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
        present(&self.email) || present(&self.phone_number) || present(&self.identifier)
    }
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
