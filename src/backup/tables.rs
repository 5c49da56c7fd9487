//! The tables of a backup, one per resource and platform, declared once so
//! that every store and the engine agree on them.
//!
//! Each table keeps the item's id and JSON; the columns below are the few
//! that people filter on (foreign ids, status, times), extracted from the
//! JSON by the field names of `openapi/chatwoot.yaml` and
//! `openapi/chatbotx.yaml`. Times are as the server sends them: Unix seconds
//! for Chatwoot, ISO 8601 text for ChatbotX.
//!
//! ```
//! use chatdesk::backup::tables;
//!
//! assert!(tables::CHATWOOT.iter().chain(tables::CHATBOTX).all(|t| t.check().is_ok()));
//! assert_eq!(tables::chatwoot::MESSAGES.name, "messages");
//! ```

use super::{Column, Table};

/// Shorthand for the declarations below.
const fn col(name: &'static str, path: &'static str) -> Column {
    Column { name, path }
}

/// The downloaded attachments, the same on both platforms: the row's id is
/// the URL, its JSON `{"url", "sha256", "file", "bytes", "message_id",
/// "content_type"}`, or `{"url", "message_id", "status", "error"}` for a
/// download that failed (`status` is the HTTP status, null when no answer
/// came).
const ATTACHMENTS: Table = Table {
    name: "attachments",
    parent: None,
    columns: &[
        col("sha256", "$.sha256"),
        col("file", "$.file"),
        col("bytes", "$.bytes"),
        col("message_id", "$.message_id"),
        col("status", "$.status"),
    ],
};

/// Chatwoot's tables, named after the resources they hold.
pub mod chatwoot {
    use super::{Table, col};

    /// Conversations; the contact is `meta.sender`, the assignee and team
    /// are under `meta` too.
    pub const CONVERSATIONS: Table = Table {
        name: "conversations",
        parent: None,
        columns: &[
            col("inbox_id", "$.inbox_id"),
            col("contact_id", "$.meta.sender.id"),
            col("assignee_id", "$.meta.assignee.id"),
            col("team_id", "$.meta.team.id"),
            col("status", "$.status"),
            col("created_at", "$.created_at"),
            col("last_activity_at", "$.last_activity_at"),
        ],
    };
    /// Every message of every conversation.
    pub const MESSAGES: Table = Table {
        name: "messages",
        parent: None,
        columns: &[
            col("conversation_id", "$.conversation_id"),
            col("inbox_id", "$.inbox_id"),
            col("message_type", "$.message_type"),
            col("sender_id", "$.sender.id"),
            col("created_at", "$.created_at"),
        ],
    };
    /// Contacts.
    pub const CONTACTS: Table = Table {
        name: "contacts",
        parent: None,
        columns: &[
            col("email", "$.email"),
            col("phone_number", "$.phone_number"),
            col("created_at", "$.created_at"),
            col("last_activity_at", "$.last_activity_at"),
        ],
    };
    /// Inboxes (their credentials are in the JSON as the server sent them).
    pub const INBOXES: Table = Table {
        name: "inboxes",
        parent: None,
        columns: &[
            col("channel_type", "$.channel_type"),
            col("channel_id", "$.channel_id"),
        ],
    };
    /// Agents of the account.
    pub const AGENTS: Table = Table {
        name: "agents",
        parent: None,
        columns: &[
            col("role", "$.role"),
            col("availability_status", "$.availability_status"),
        ],
    };
    /// Teams.
    pub const TEAMS: Table = Table {
        name: "teams",
        parent: None,
        columns: &[col("name", "$.name")],
    };
    /// A team's members: agents, keyed `"<team id>:<agent id>"` since an
    /// agent belongs to several teams and the item does not name its team.
    pub const TEAM_MEMBERS: Table = Table {
        name: "team_members",
        parent: Some("team_id"),
        columns: &[col("agent_id", "$.id")],
    };
    /// Labels.
    pub const LABELS: Table = Table {
        name: "labels",
        parent: None,
        columns: &[col("title", "$.title")],
    };
    /// Custom attribute definitions (of contacts and of conversations).
    pub const CUSTOM_ATTRIBUTE_DEFINITIONS: Table = Table {
        name: "custom_attribute_definitions",
        parent: None,
        columns: &[
            col("attribute_model", "$.attribute_model"),
            col("attribute_key", "$.attribute_key"),
        ],
    };
    /// Message attachments downloaded with [`Options::attachments`](crate::backup::Options::attachments),
    /// keyed by URL (`attachments[].data_url` of a message): the file's
    /// SHA-256, its name in the directory, its size, the first message that
    /// carried it and its content type; a failed download keeps the HTTP
    /// status (if any) and the error instead.
    pub const ATTACHMENTS: Table = super::ATTACHMENTS;
}

/// ChatbotX's tables, named after the resources they hold.
pub mod chatbotx {
    use super::{Table, col};

    /// Conversations.
    pub const CONVERSATIONS: Table = Table {
        name: "conversations",
        parent: None,
        columns: &[
            col("contact_id", "$.contactId"),
            col("assigned_user_id", "$.assignedUserId"),
            col("assigned_inbox_team_id", "$.assignedInboxTeamId"),
            col("archived_at", "$.archivedAt"),
            col("created_at", "$.createdAt"),
            col("updated_at", "$.updatedAt"),
            col("last_activity_at", "$.lastActivityAt"),
        ],
    };
    /// Contacts.
    pub const CONTACTS: Table = Table {
        name: "contacts",
        parent: None,
        columns: &[
            col("email", "$.email"),
            col("phone_number", "$.phoneNumber"),
            col("blocked_at", "$.blockedAt"),
            col("created_at", "$.createdAt"),
            col("updated_at", "$.updatedAt"),
            col("last_activity_at", "$.lastActivityAt"),
        ],
    };
    /// Every message of every contact.
    pub const MESSAGES: Table = Table {
        name: "messages",
        parent: None,
        columns: &[
            col("conversation_id", "$.conversationId"),
            col("message_type", "$.messageType"),
            col("sender_type", "$.senderType"),
            col("created_at", "$.createdAt"),
            col("message_created_at", "$.messageCreatedAt"),
        ],
    };
    /// A contact's tags, keyed `"<contact id>:<tag id>"`: the tag rows the
    /// contact listing carries (or, from a server whose listing leaves them
    /// out, the per-contact answer's `id` and `name`).
    pub const CONTACT_TAGS: Table = Table {
        name: "contact_tags",
        parent: Some("contact_id"),
        columns: &[col("tag_id", "$.id"), col("name", "$.name")],
    };
    /// A contact's custom field values, keyed `"<contact id>:<item id>"`,
    /// as the contact listing carries them (`contactCustomFields`: `id` is
    /// the value row's, `customFieldId` the field's). A server whose
    /// listing leaves them out is asked per contact, whose answer is the
    /// field's definition with the value (`id` is then the field's, and
    /// `custom_field_id` is NULL).
    pub const CONTACT_CUSTOM_FIELDS: Table = Table {
        name: "contact_custom_fields",
        parent: Some("contact_id"),
        columns: &[
            col("custom_field_id", "$.customFieldId"),
            col("value", "$.value"),
        ],
    };
    /// Tags of the workspace.
    pub const TAGS: Table = Table {
        name: "tags",
        parent: None,
        columns: &[
            col("name", "$.name"),
            col("folder_id", "$.folderId"),
            col("deleted_at", "$.deletedAt"),
            col("updated_at", "$.updatedAt"),
        ],
    };
    /// Custom field definitions.
    pub const CUSTOM_FIELDS: Table = Table {
        name: "custom_fields",
        parent: None,
        columns: &[col("name", "$.name"), col("type", "$.type")],
    };
    /// Bot fields (with their values).
    pub const BOT_FIELDS: Table = Table {
        name: "bot_fields",
        parent: None,
        columns: &[col("name", "$.name"), col("type", "$.type")],
    };
    /// Channel inboxes.
    pub const CHANNELS: Table = Table {
        name: "channels",
        parent: None,
        columns: &[col("channel", "$.channel"), col("status", "$.status")],
    };
    /// Workspace members.
    pub const MEMBERS: Table = Table {
        name: "members",
        parent: None,
        columns: &[
            col("user_id", "$.userId"),
            col("role", "$.role"),
            col("created_at", "$.createdAt"),
        ],
    };
    /// Teams.
    pub const TEAMS: Table = Table {
        name: "teams",
        parent: None,
        columns: &[col("name", "$.name"), col("updated_at", "$.updatedAt")],
    };
    /// Message attachments downloaded with [`Options::attachments`](crate::backup::Options::attachments),
    /// keyed by URL (`attachments[].url` of a message), as
    /// [`chatwoot::ATTACHMENTS`](super::chatwoot::ATTACHMENTS).
    pub const ATTACHMENTS: Table = super::ATTACHMENTS;
}

/// Every Chatwoot table, for [`Store::prepare`](super::Store::prepare).
pub const CHATWOOT: &[Table] = &[
    chatwoot::CONVERSATIONS,
    chatwoot::MESSAGES,
    chatwoot::CONTACTS,
    chatwoot::INBOXES,
    chatwoot::AGENTS,
    chatwoot::TEAMS,
    chatwoot::TEAM_MEMBERS,
    chatwoot::LABELS,
    chatwoot::CUSTOM_ATTRIBUTE_DEFINITIONS,
    chatwoot::ATTACHMENTS,
];

/// Every ChatbotX table, for [`Store::prepare`](super::Store::prepare).
pub const CHATBOTX: &[Table] = &[
    chatbotx::CONVERSATIONS,
    chatbotx::CONTACTS,
    chatbotx::MESSAGES,
    chatbotx::CONTACT_TAGS,
    chatbotx::CONTACT_CUSTOM_FIELDS,
    chatbotx::TAGS,
    chatbotx::CUSTOM_FIELDS,
    chatbotx::BOT_FIELDS,
    chatbotx::CHANNELS,
    chatbotx::MEMBERS,
    chatbotx::TEAMS,
    chatbotx::ATTACHMENTS,
];
