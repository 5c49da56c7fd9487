//! The Chatwoot listing's query string, checked: only the parameters the
//! server knows, each value of the right kind, the error message of the
//! first one that is not. A repeated scalar keeps its last value, as
//! Rails does.

/// The values each enumerated parameter takes.
const ASSIGNEE_TYPES: &[&str] = &["me", "unassigned", "all", "assigned"];
const STATUS_FILTERS: &[&str] = &["all", "open", "resolved", "pending", "snoozed"];
const SORT_BY: &[&str] = &[
    "last_activity_at_asc",
    "last_activity_at_desc",
    "created_at_asc",
    "created_at_desc",
    "priority_asc",
    "priority_desc",
    "waiting_since_asc",
    "waiting_since_desc",
    "priority_desc_created_at_asc",
    "latest",
    "sort_on_created_at",
    "sort_on_priority",
    "sort_on_waiting_since",
];
const CONVERSATION_TYPES: &[&str] = &["mention", "participating", "unattended"];

/// The query parameters the server knows (its spec), by exact key.
const KNOWN: &[&str] = &[
    "assignee_type",
    "status",
    "q",
    "inbox_id",
    "team_id",
    "labels[]",
    "page",
    "sort_by",
    "conversation_type",
    "source_id",
    "updated_within",
];

/// A checked query string.
pub(crate) struct Query {
    pub(crate) assignee_type: &'static str,
    pub(crate) status: &'static str,
    pub(crate) q: Option<String>,
    pub(crate) inbox_id: Option<i64>,
    pub(crate) team_id: Option<i64>,
    pub(crate) labels: Vec<String>,
    pub(crate) page: i64,
    pub(crate) sort_by: &'static str,
    pub(crate) conversation_type: Option<&'static str>,
    pub(crate) source_id: Option<String>,
    pub(crate) updated_within: Option<i64>,
}

/// `value` as one of `allowed`, or an error naming `name`.
fn one_of(
    name: &str,
    value: &str,
    allowed: &'static [&'static str],
) -> Result<&'static str, String> {
    allowed
        .iter()
        .find(|a| **a == value)
        .copied()
        .ok_or_else(|| {
            format!(
                "invalid value for parameter {name}: {value:?} (expected one of {})",
                allowed.join(", ")
            )
        })
}

/// `value` as a whole number, or an error naming `name`.
fn integer(name: &str, value: &str) -> Result<i64, String> {
    value
        .trim()
        .parse::<i64>()
        .map_err(|_| format!("invalid value for parameter {name}: {value:?} (expected an integer)"))
}

impl Query {
    /// The query of `pairs`, or the message of the first problem.
    pub(crate) fn parse(pairs: &[(String, String)]) -> Result<Query, String> {
        let mut query = Query {
            assignee_type: "all",
            status: "open",
            q: None,
            inbox_id: None,
            team_id: None,
            labels: Vec::new(),
            page: 1,
            sort_by: "last_activity_at_desc",
            conversation_type: None,
            source_id: None,
            updated_within: None,
        };
        if let Some((name, _)) = pairs.iter().find(|(k, _)| !KNOWN.contains(&k.as_str())) {
            return Err(format!("unknown parameter: {name}"));
        }
        // A repeated scalar keeps its last value, as Rails does.
        for (name, value) in pairs {
            match name.as_str() {
                "assignee_type" => query.assignee_type = one_of(name, value, ASSIGNEE_TYPES)?,
                "status" => query.status = one_of(name, value, STATUS_FILTERS)?,
                "sort_by" => query.sort_by = one_of(name, value, SORT_BY)?,
                "conversation_type" => {
                    query.conversation_type = Some(one_of(name, value, CONVERSATION_TYPES)?)
                }
                "q" => query.q = (!value.is_empty()).then(|| value.to_lowercase()),
                "inbox_id" => query.inbox_id = Some(integer(name, value)?),
                "team_id" => query.team_id = Some(integer(name, value)?),
                "updated_within" => query.updated_within = Some(integer(name, value)?),
                "source_id" => query.source_id = Some(value.clone()),
                "labels[]" => query.labels.push(value.clone()),
                // 0, negative or not a number: page 1.
                "page" => query.page = value.trim().parse::<i64>().unwrap_or(1).max(1),
                _ => {}
            }
        }
        Ok(query)
    }
}
