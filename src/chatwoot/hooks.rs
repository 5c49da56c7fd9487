//! The Chatwoot quirks the spec cannot declare, each a small named function
//! that the spec names (`page-count-hook: chatwoot_assignee_count`) and the
//! generated listings call.

use serde_json::value::RawValue;

use super::types::{AssigneeTypeFilter, ConversationCounts};

/// Conversations per page on a Chatwoot server with default settings.
///
/// ```
/// assert_eq!(chatdesk::chatwoot::SERVER_PAGE_SIZE, 25);
/// ```
pub const SERVER_PAGE_SIZE: u64 = 25;

/// The page count of a conversation listing, from the counts in
/// `data.meta` (`meta`), the query the page was fetched with, and the
/// number of conversations on the page (`page_len`).
///
/// The counts are computed before the `assignee_type` filter, so the one
/// that matches the filter is used (`mine_count` for `me`,
/// `unassigned_count`, `assigned_count`, `all_count` otherwise); it is
/// divided by the size of a full page. `None` when the page has no
/// readable meta: the walk then goes one page at a time until an empty one.
///
/// ```
/// use chatdesk::chatwoot::hooks::chatwoot_assignee_count;
/// let meta = serde_json::value::RawValue::from_string(
///     r#"{"mine_count":3,"unassigned_count":60,"assigned_count":5,"all_count":68}"#.into(),
/// ).unwrap();
/// let query = [("assignee_type".to_string(), "unassigned".to_string())];
/// assert_eq!(chatwoot_assignee_count(Some(&meta), &query, 25), Some(3));
/// assert_eq!(chatwoot_assignee_count(Some(&meta), &[], 25), Some(3));
/// assert_eq!(chatwoot_assignee_count(None, &query, 25), None);
/// ```
pub fn chatwoot_assignee_count(
    meta: Option<&RawValue>,
    query: &[(String, String)],
    page_len: u64,
) -> Option<u64> {
    let meta: ConversationCounts = serde_json::from_str(meta?.get()).ok()?;
    let assignee_type = query
        .iter()
        .find(|(name, _)| name == "assignee_type")
        .map(|(_, value)| AssigneeTypeFilter::from_value(value));
    let count = match assignee_type {
        Some(AssigneeTypeFilter::Me) => meta.mine_count,
        Some(AssigneeTypeFilter::Unassigned) => meta.unassigned_count,
        Some(AssigneeTypeFilter::Assigned) => meta.assigned_count,
        _ => meta.all_count,
    };
    Some(page_count(u64::try_from(count).unwrap_or(0), page_len))
}

/// Pages needed for `count` items, from the size of a full page. A page
/// smaller than `count` is full, so its size is the server's page size
/// (25 unless the server's operator changed it).
fn page_count(count: u64, page_len: u64) -> u64 {
    crate::listing::pages_for_total(count, page_len, Some(SERVER_PAGE_SIZE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_count_uses_the_matching_count_and_a_full_page() {
        assert_eq!(page_count(0, 0), 0);
        assert_eq!(page_count(25, 25), 1);
        assert_eq!(page_count(26, 25), 2);
        assert_eq!(page_count(10_000, 25), 400);
        // A server configured for 10 per page.
        assert_eq!(page_count(95, 10), 10);
    }
}
