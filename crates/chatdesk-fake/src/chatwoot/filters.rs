//! Which conversations the Chatwoot listing shows, and in what order: the
//! filters of a checked [`Query`], `assignee_type` apart (the counts are
//! taken before it), and the `sort_by` orders.

use super::model::{Assignee, Conversation, ME};
use super::validation::Query;

impl Query {
    /// Every filter but `assignee_type`.
    pub(crate) fn matches(&self, c: &Conversation, now: f64) -> bool {
        (self.status == "all" || c.status == self.status)
            && self.inbox_id.is_none_or(|id| c.inbox_id == id)
            && self.team_id.is_none_or(|id| c.team_id == Some(id))
            && self.labels.iter().all(|l| c.labels.contains(&l.as_str()))
            && self.q.as_ref().is_none_or(|q| c.text.contains(q.as_str()))
            && self.source_id.as_ref().is_none_or(|s| c.source_id == *s)
            && self
                .updated_within
                .is_none_or(|secs| c.updated_at >= now - secs as f64)
            && match self.conversation_type {
                Some("mention") => c.mentioned,
                Some("participating") => c.mentioned || c.assignee == Assignee::User(ME),
                Some("unattended") => c.waiting_since > 0,
                _ => true,
            }
    }

    /// Whether `assignee_type` keeps the conversation.
    pub(crate) fn keeps_assignee(&self, c: &Conversation) -> bool {
        match self.assignee_type {
            "me" => c.assignee == Assignee::User(ME),
            "assigned" => matches!(c.assignee, Assignee::User(_)),
            "unassigned" => !matches!(c.assignee, Assignee::User(_)),
            _ => true,
        }
    }

    /// Sorts `list` by `sort_by`.
    pub(crate) fn order(&self, list: &mut [&Conversation]) {
        // The stored order is last activity descending; the sorts are stable.
        let priority = |c: &Conversation| c.priority.map_or(-1, |p| p as i64);
        match self.sort_by {
            "last_activity_at_asc" => list.sort_by_key(|c| (c.last_activity_at, c.id)),
            "created_at_asc" | "sort_on_created_at" => list.sort_by_key(|c| (c.created_at, c.id)),
            "created_at_desc" => list.sort_by_key(|c| std::cmp::Reverse((c.created_at, c.id))),
            "priority_asc" => list.sort_by_key(|c| priority(c)),
            "priority_desc" | "sort_on_priority" => {
                list.sort_by_key(|c| std::cmp::Reverse(priority(c)))
            }
            "priority_desc_created_at_asc" => {
                list.sort_by_key(|c| (std::cmp::Reverse(priority(c)), c.created_at))
            }
            "waiting_since_asc" | "sort_on_waiting_since" => {
                list.sort_by_key(|c| (c.waiting_since == 0, c.waiting_since))
            }
            "waiting_since_desc" => list.sort_by_key(|c| std::cmp::Reverse(c.waiting_since)),
            _ => {}
        }
    }
}
