//! Which ChatbotX items a listing keeps: the conversation listing's
//! views and filters ([`ConversationFilter`]), the contact listing's
//! ([`ContactFilter`]), the contact filters both take (conditions joined
//! by `and`/`or`, groups one level deep), `assignedId` as the server
//! reads it, and `ILIKE` as PostgreSQL matches it.

use serde_json::Value;

use super::js::parse_bigint_id;
use super::model::{Contact, Conversation, Person};

/// The conversation listing's filters, read from a checked query string.
/// The views: `archivedAt IS NULL` unless `tags` holds `archived` (then
/// `IS NOT NULL`), and the contact's `blockedAt IS NULL` unless `tags`
/// holds `blocked` (then `IS NOT NULL`).
pub(crate) struct ConversationFilter {
    /// `status` and `tags` flags (`status` left out when the server
    /// ignores it).
    pub(crate) flags: Vec<&'static str>,
    pub(crate) channel: Option<&'static str>,
    pub(crate) bot_category: Option<&'static str>,
    pub(crate) bot_enabled: Option<bool>,
    pub(crate) assignee: Assignee,
    /// Not empty.
    pub(crate) keyword: Option<String>,
    pub(crate) contact_filter: Option<Value>,
}

impl ConversationFilter {
    /// Whether the listing shows `conversation`.
    pub(crate) fn matches(&self, conversation: &Conversation) -> bool {
        let wants_archived = self.flags.contains(&"archived");
        let wants_blocked = self.flags.contains(&"blocked");
        conversation.archived == wants_archived
            && conversation.person.blocked == wants_blocked
            && self.flags.iter().all(|flag| match *flag {
                "noAdminReply" => conversation.no_admin_reply,
                "unread" => conversation.unread,
                "followUp" => conversation.followed,
                _ => true,
            })
            && self
                .channel
                .is_none_or(|c| c == "omnichannel" || c == conversation.channel)
            && match self.bot_category {
                Some("bot") => conversation.bot_enabled,
                Some("human") => !conversation.bot_enabled,
                _ => true,
            }
            && self
                .bot_enabled
                .is_none_or(|b| b == conversation.bot_enabled)
            && self.assignee.matches(conversation)
            && self
                .keyword
                .as_deref()
                .is_none_or(|k| conversation.person.names_match(k))
            && self
                .contact_filter
                .as_ref()
                .is_none_or(|f| filter_matches(f, &conversation.person))
    }
}

/// The contact listing's filters, read from a checked query string.
pub(crate) struct ContactFilter {
    /// Lowercased.
    pub(crate) keyword: Option<String>,
    pub(crate) channels: Vec<String>,
    pub(crate) inbox_ids: Vec<String>,
    pub(crate) contact_filter: Option<Value>,
    /// `channels` and `inboxIds` are validated, then not applied.
    pub(crate) ignored_filters: bool,
}

impl ContactFilter {
    /// Whether the listing shows `contact`.
    pub(crate) fn matches(&self, contact: &Contact) -> bool {
        let p = &contact.person;
        contact.listed
            && self
                .keyword
                .as_deref()
                .is_none_or(|k| p.keyword_text().contains(k))
            && (self.channels.is_empty()
                || self.ignored_filters
                || p.inboxes
                    .iter()
                    .any(|(ch, _)| self.channels.iter().any(|c| c == ch)))
            && (self.inbox_ids.is_empty()
                || self.ignored_filters
                || p.inboxes
                    .iter()
                    .any(|(_, id)| self.inbox_ids.iter().any(|i| i == id)))
            && self
                .contact_filter
                .as_ref()
                .is_none_or(|f| filter_matches(f, p))
    }
}

/// Whether `person` passes `filter` (`{"operator", "conditions"}`).
fn filter_matches(filter: &Value, person: &Person) -> bool {
    let Some(conditions) = filter.get("conditions").and_then(Value::as_array) else {
        return true;
    };
    let mut results = conditions.iter().map(|c| {
        if c.get("type").and_then(Value::as_str) == Some("group") {
            filter_matches(c, person)
        } else {
            condition_matches(c, person)
        }
    });
    if filter.get("operator").and_then(Value::as_str) == Some("or") {
        conditions.is_empty() || results.any(|r| r)
    } else {
        results.all(|r| r)
    }
}

/// Whether `person` passes one condition; conditions on fields the fake
/// does not model, and comparisons of text, pass.
fn condition_matches(condition: &Value, person: &Person) -> bool {
    let field = condition.get("field").and_then(Value::as_str).unwrap_or("");
    let operator = condition
        .get("operator")
        .and_then(Value::as_str)
        .unwrap_or("");
    let values: Vec<String> = match condition.get("value") {
        Some(Value::Array(items)) => items.iter().map(value_text).collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![value_text(other)],
    };
    let value = values.first().map(|v| v.to_lowercase()).unwrap_or_default();
    if field == "tags" {
        let has = |v: &str| {
            person
                .tags
                .iter()
                .any(|(id, name)| *id == v || name.to_lowercase() == v.to_lowercase())
        };
        return match operator {
            "in" => values.iter().any(|v| has(v)),
            "notIn" => !values.iter().any(|v| has(v)),
            "eq" => has(&value),
            "ne" => !has(&value),
            "contains" => person
                .tags
                .iter()
                .any(|(_, n)| n.to_lowercase().contains(&value)),
            "notContains" => !person
                .tags
                .iter()
                .any(|(_, n)| n.to_lowercase().contains(&value)),
            "isEmpty" => person.tags.is_empty(),
            "isNotEmpty" => !person.tags.is_empty(),
            _ => true,
        };
    }
    let text: Option<&str> = match field {
        "fullName" | "name" => Some(person.full_name.as_str()),
        "firstName" => person.first_name.as_deref(),
        "lastName" => person.last_name.as_deref(),
        "email" => person.email.as_deref(),
        "phone" | "phoneNumber" => person.phone.as_deref(),
        "gender" => person.gender,
        "country" => Some(person.country),
        "state" => Some(person.state),
        "city" => Some(person.city),
        "locale" => Some(person.locale),
        "timezone" => Some(person.timezone),
        // Fields the fake does not model: the condition is not applied.
        _ => return true,
    };
    let text = text.unwrap_or("").to_lowercase();
    match operator {
        "eq" => text == value,
        "ne" => text != value,
        "contains" => text.contains(&value),
        "notContains" => !text.contains(&value),
        "startsWith" => text.starts_with(&value),
        "endsWith" => text.ends_with(&value),
        "in" => values.iter().any(|v| v.to_lowercase() == text),
        "notIn" => !values.iter().any(|v| v.to_lowercase() == text),
        "isEmpty" => text.trim().is_empty(),
        "isNotEmpty" => !text.trim().is_empty(),
        // Comparisons and ranges are not applied to text fields.
        _ => true,
    }
}

/// A condition's value as text (strings as they are, other JSON as JSON).
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The conversation listing's `assignedId`, read as the server reads it.
pub(crate) enum Assignee {
    /// Absent, or text the server does not act on (a bare id, an id it
    /// cannot read): no filtering.
    Any,
    /// `unassigned`: neither a user nor a team.
    Unassigned,
    /// `u_<id>`: that user (the id as decimal text).
    User(String),
    /// `t_<id>`: that team (the id as decimal text).
    Team(String),
}

impl Assignee {
    /// `assignedId` as the server reads it.
    pub(crate) fn parse(text: Option<&str>) -> Assignee {
        let Some(text) = text else {
            return Assignee::Any;
        };
        if text == "unassigned" {
            Assignee::Unassigned
        } else if let Some(id) = text.strip_prefix("u_") {
            parse_bigint_id(id).map_or(Assignee::Any, Assignee::User)
        } else if let Some(id) = text.strip_prefix("t_") {
            parse_bigint_id(id).map_or(Assignee::Any, Assignee::Team)
        } else {
            Assignee::Any
        }
    }

    /// Whether `conversation` is assigned as `self` asks.
    pub(crate) fn matches(&self, conversation: &Conversation) -> bool {
        match self {
            Assignee::Any => true,
            Assignee::Unassigned => {
                conversation.assigned_user.is_none() && conversation.assigned_team.is_none()
            }
            Assignee::User(id) => conversation.assigned_user == Some(id.as_str()),
            Assignee::Team(id) => conversation.assigned_team == Some(id.as_str()),
        }
    }
}

/// `text ILIKE '%keyword%'` as PostgreSQL reads it: case-insensitive, `%`
/// any run of characters, `_` any one character, `\` takes the next
/// character as it is.
pub(crate) fn ilike_contains(text: &str, keyword: &str) -> bool {
    enum Token {
        Any,
        One,
        Char(char),
    }
    // The server builds the pattern `%keyword%` as text, so a keyword that
    // ends with a backslash escapes the closing `%`.
    let full = format!("%{keyword}%");
    let mut chars = full.chars().flat_map(char::to_lowercase);
    let mut pattern = Vec::new();
    while let Some(c) = chars.next() {
        pattern.push(match c {
            '%' => Token::Any,
            '_' => Token::One,
            // Never the last character: the pattern ends with `%`.
            '\\' => Token::Char(chars.next().unwrap_or('\\')),
            other => Token::Char(other),
        });
    }
    let text: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    // matched[j]: the pattern so far matches the first j characters.
    let mut matched = vec![false; text.len() + 1];
    matched[0] = true;
    for token in &pattern {
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            next[j] = match token {
                Token::Any => matched[j] || (j > 0 && next[j - 1]),
                Token::One => j > 0 && matched[j - 1],
                Token::Char(c) => j > 0 && matched[j - 1] && text[j - 1] == *c,
            };
        }
        matched = next;
    }
    matched[text.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ilike_has_wildcards_and_an_escape() {
        for (text, keyword, found) in [
            ("Trần Minh", "trần", true),
            ("Trần Minh", "TRẦN MINH", true),
            ("Trần Minh", "tr%nh", true),
            ("Trần Minh", "tr_n", true),
            ("Trần Minh", "tr__n", false),
            ("Trần Minh", "", true),
            ("Trần Minh", "%", true),
            ("", "_", false),
            ("100%", "0\\%", true),
            ("1000", "0\\%", false),
            ("a_b", "a\\_b", true),
            ("axb", "a\\_b", false),
            ("back\\slash", "k\\", false),
            ("back\\", "k\\", false),
            ("bank%", "k\\", true),
            ("a\\b", "a\\\\b", true),
            ("Khoa", "khoa trần", false),
        ] {
            assert_eq!(
                ilike_contains(text, keyword),
                found,
                "{text:?} ILIKE %{keyword}%"
            );
        }
    }
}
