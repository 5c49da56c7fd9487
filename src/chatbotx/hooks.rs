//! The ChatbotX quirks the spec cannot declare, each a small named function
//! that the spec names (`x-chatdesk-setter-hook: prefix_bare_user_id`) and
//! the generated listings call.

/// The `assignedId` filter of the conversation listing: `u_<userId>`,
/// `t_<teamId>` or `unassigned`. The server silently ignores a bare id (the
/// whole list comes back), so a value of digits alone is taken as a user id
/// and sent as `u_<id>`.
///
/// ```
/// use chatdesk::chatbotx::hooks::prefix_bare_user_id;
/// assert_eq!(prefix_bare_user_id("72057594037927936".into()), "u_72057594037927936");
/// assert_eq!(prefix_bare_user_id("t_12".into()), "t_12");
/// assert_eq!(prefix_bare_user_id("unassigned".into()), "unassigned");
/// ```
pub fn prefix_bare_user_id(assignee: String) -> String {
    if !assignee.is_empty() && assignee.bytes().all(|b| b.is_ascii_digit()) {
        format!("u_{assignee}")
    } else {
        assignee
    }
}
