//! The conversation filter's payload (`POST .../conversations/filter`):
//! its checks, in the server's order, and what each condition keeps.
//!
//! The server turns the payload into one SQL `WHERE`: each condition
//! followed by its `query_operator`, so `AND` binds tighter than `OR`,
//! and a comparison with a null column is neither true nor false (a
//! conversation without a team matches neither `team_id = 1` nor
//! `team_id != 1`). The checks and their 422 messages:
//!
//! - a `query_operator` other than `AND` or `OR` (any case), or one on
//!   the last condition: `Query operator must be either "AND" or "OR".`;
//! - per condition, in order: an operator the attribute does not allow
//!   (`Invalid operator. The allowed operators for KEY are [...]`), blank
//!   `values` for an operator other than `is_present`/`is_not_present`,
//!   objects among them, or `status`/`priority` values that are not a
//!   list of texts (`Invalid value. The values provided for KEY are
//!   invalid`), then an attribute that is neither a filter attribute nor
//!   a conversation custom attribute (`Invalid attribute key - [KEY]. The
//!   key should be one of [...] or a custom attribute defined in the
//!   account.`).
//!
//! What makes the SQL fail gives a 500 instead: no `payload` list, a
//! condition before the last without `query_operator`, a value an integer
//! column or a date cannot take.

use serde_json::Value;

use super::generate::settings;
use super::model::{Assignee, Conversation, PRIORITIES, STATUSES};
use super::params::to_i;

/// Why a payload was refused.
pub(crate) enum Refusal {
    /// 422 with this message.
    Unprocessable(String),
    /// The server fails (500).
    Fails,
}

/// The filter attributes, in the server's order, with their operators.
const ATTRIBUTES: &[(&str, &[&str])] = &[
    ("status", EQ),
    ("assignee_id", EQ_PRESENT),
    ("inbox_id", EQ_PRESENT),
    ("team_id", EQ_PRESENT),
    ("contact_id", EQ),
    ("priority", EQ),
    ("display_id", EQ_LIKE),
    ("campaign_id", EQ_PRESENT),
    ("labels", EQ_PRESENT),
    ("browser_language", EQ),
    ("conversation_language", EQ),
    ("referer", EQ_LIKE),
    ("created_at", DATES),
    ("last_activity_at", DATES),
    ("mail_subject", EQ_LIKE),
];
const EQ: &[&str] = &["equal_to", "not_equal_to"];
const EQ_PRESENT: &[&str] = &["equal_to", "not_equal_to", "is_present", "is_not_present"];
const EQ_LIKE: &[&str] = &["equal_to", "not_equal_to", "contains", "does_not_contain"];
const DATES: &[&str] = &["is_greater_than", "is_less_than", "days_before"];

/// How a condition joins the next one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Join {
    And,
    Or,
}

/// One checked condition.
pub(crate) struct Condition {
    key: String,
    operator: String,
    values: Vec<Value>,
    custom: bool,
    join: Option<Join>,
}

fn invalid_value(key: &str) -> Refusal {
    Refusal::Unprocessable(format!(
        "Invalid value. The values provided for {key} are invalid"
    ))
}

fn invalid_query_operator() -> Refusal {
    Refusal::Unprocessable("Query operator must be either \"AND\" or \"OR\".".to_string())
}

/// Rails' `blank?` of a `values` entry.
fn blank(values: &Value) -> bool {
    match values {
        Value::Null | Value::Bool(false) => true,
        Value::Array(items) => items.is_empty(),
        Value::String(s) => s.trim().is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// Checks `body` and returns its conditions.
pub(crate) fn parse(body: &Value) -> Result<Vec<Condition>, Refusal> {
    let Some(payload) = body.get("payload").and_then(Value::as_array) else {
        return Err(Refusal::Fails);
    };
    // The query operators are checked first, all of them.
    let mut joins = Vec::with_capacity(payload.len());
    for (index, item) in payload.iter().enumerate() {
        let join = match item.get("query_operator") {
            None | Some(Value::Null) => None,
            Some(Value::String(op)) => match op.to_uppercase().as_str() {
                "AND" => Some(Join::And),
                "OR" => Some(Join::Or),
                _ => return Err(invalid_query_operator()),
            },
            Some(_) => return Err(Refusal::Fails),
        };
        if index + 1 == payload.len() && join.is_some() {
            return Err(invalid_query_operator());
        }
        joins.push(join);
    }
    let mut conditions = Vec::with_capacity(payload.len());
    for (index, (item, join)) in payload.iter().zip(joins).enumerate() {
        let text = |name: &str| {
            item.get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let key = text("attribute_key");
        let operator = text("filter_operator");
        let standard = ATTRIBUTES.iter().find(|(k, _)| *k == key);
        if let Some((_, allowed)) = standard
            && !allowed.contains(&operator.as_str())
        {
            return Err(Refusal::Unprocessable(format!(
                "Invalid operator. The allowed operators for {key} are [{}].",
                allowed.join(",")
            )));
        }
        let raw = item.get("values").cloned().unwrap_or(Value::Null);
        let presence = matches!(operator.as_str(), "is_present" | "is_not_present");
        if !presence && blank(&raw) {
            return Err(invalid_value(&key));
        }
        let is_list = raw.is_array();
        let values = match raw {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            other => vec![other],
        };
        if values.iter().any(Value::is_object)
            || (matches!(key.as_str(), "status" | "priority")
                && !presence
                && (!is_list || !values.iter().all(Value::is_string)))
        {
            return Err(invalid_value(&key));
        }
        let custom = standard.is_none();
        if custom && !settings::conversation_attribute_keys().any(|k| k == key) {
            let keys: Vec<&str> = ATTRIBUTES.iter().map(|(k, _)| *k).collect();
            return Err(Refusal::Unprocessable(format!(
                "Invalid attribute key - [{key}]. The key should be one of [{}] or a custom attribute defined in the account.",
                keys.join(",")
            )));
        }
        // Nothing joins this condition to the next: the SQL does not parse.
        if join.is_none() && index + 1 < payload.len() {
            return Err(Refusal::Fails);
        }
        castable(&key, &operator, &values)?;
        conditions.push(Condition {
            key,
            operator,
            values,
            custom,
            join,
        });
    }
    Ok(conditions)
}

/// Whether the database can cast the values of a condition on an
/// integer or date column; it fails the whole query when it cannot.
fn castable(key: &str, operator: &str, values: &[Value]) -> Result<(), Refusal> {
    let integer = matches!(
        key,
        "assignee_id" | "inbox_id" | "team_id" | "contact_id" | "campaign_id"
    ) || (key == "display_id" && matches!(operator, "equal_to" | "not_equal_to"));
    if integer && matches!(operator, "equal_to" | "not_equal_to") {
        for value in values {
            as_integer(value)?;
        }
    }
    if matches!(key, "created_at" | "last_activity_at") && operator != "days_before" {
        let first = values.first().map(as_text).unwrap_or_default();
        parse_day(first.trim()).ok_or(Refusal::Fails)?;
    }
    Ok(())
}

/// A value as the text SQL compares it as.
fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A value for an integer column: a number, or text PostgreSQL can cast.
fn as_integer(value: &Value) -> Result<i64, Refusal> {
    match value {
        Value::Number(n) => n.as_i64().ok_or(Refusal::Fails),
        Value::String(s) => s.trim().parse::<i64>().map_err(|_| Refusal::Fails),
        _ => Err(Refusal::Fails),
    }
}

/// `column IN (values)` or `NOT IN`, in SQL's three values: `None` is
/// null (no match either way).
fn membership<T: PartialEq>(column: Option<T>, values: &[Option<T>], negate: bool) -> Option<bool> {
    let column = column?;
    if values.iter().any(|v| v.as_ref() == Some(&column)) {
        return Some(!negate);
    }
    if values.iter().any(Option::is_none) {
        return None;
    }
    Some(negate)
}

/// The UTC date (days since the epoch) of Unix time `secs`.
fn day(secs: i64) -> i64 {
    secs.div_euclid(86_400)
}

/// The date a value names: `YYYY-MM-DD`, maybe followed by a time.
fn parse_day(text: &str) -> Option<i64> {
    let date = chrono::NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    Some(
        date.signed_duration_since(chrono::NaiveDate::default())
            .num_days(),
    )
}

impl Condition {
    /// What this condition says of `c` (today being `now_secs`), in SQL's
    /// three values; `Err` where the SQL would fail.
    fn test(&self, c: &Conversation, now_secs: i64) -> Result<Option<bool>, Refusal> {
        let op = self.operator.as_str();
        let negate = matches!(op, "not_equal_to" | "does_not_contain");
        if self.custom {
            let value = c.json["custom_attributes"]
                .get(&self.key)
                .filter(|v| !v.is_null());
            return Ok(self.text_test(value.map(|v| as_text(v).to_lowercase()), negate, true));
        }
        let integers = || -> Result<Vec<Option<i64>>, Refusal> {
            self.values
                .iter()
                .map(|v| as_integer(v).map(Some))
                .collect()
        };
        let int_test = |column: Option<i64>| -> Result<Option<bool>, Refusal> {
            Ok(match op {
                "is_present" => Some(column.is_some()),
                "is_not_present" => Some(column.is_none()),
                _ => membership(column, &integers()?, negate),
            })
        };
        match self.key.as_str() {
            "status" => {
                let values: Vec<Option<&str>> = if self.values.iter().any(|v| v == "all") {
                    STATUSES.iter().map(|s| Some(*s)).collect()
                } else {
                    self.values
                        .iter()
                        .map(|v| {
                            v.as_str()
                                .and_then(|s| STATUSES.iter().copied().find(|x| *x == s))
                        })
                        .collect()
                };
                Ok(membership(Some(c.status), &values, negate))
            }
            "priority" => {
                let values: Vec<Option<usize>> = self
                    .values
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .and_then(|s| PRIORITIES.iter().position(|p| *p == s))
                    })
                    .collect();
                Ok(membership(c.priority, &values, negate))
            }
            // A bot holds a conversation as much as a person does.
            "assignee_id" if matches!(op, "is_present" | "is_not_present") => Ok(Some(
                (c.assignee != Assignee::Nobody) == (op == "is_present"),
            )),
            "assignee_id" => int_test(c.assignee_id()),
            "inbox_id" => int_test(Some(c.inbox_id)),
            "team_id" => int_test(c.team_id),
            "contact_id" => int_test(Some(c.contact_id)),
            "campaign_id" => int_test(None),
            "display_id" if matches!(op, "contains" | "does_not_contain") => {
                Ok(self.text_test(Some(c.id.to_string()), negate, false))
            }
            "display_id" => int_test(Some(c.id)),
            "labels" => Ok(Some(match op {
                "is_present" => !c.labels.is_empty(),
                "is_not_present" => c.labels.is_empty(),
                _ => {
                    let any = self
                        .values
                        .iter()
                        .any(|v| c.labels.contains(&as_text(v).as_str()));
                    any != negate
                }
            })),
            "created_at" | "last_activity_at" => {
                let column = if self.key == "created_at" {
                    c.created_at
                } else {
                    c.last_activity_at
                };
                let first = self.values.first().map(as_text).unwrap_or_default();
                let (limit, less) = if op == "days_before" {
                    (day(now_secs) - to_i(&first), true)
                } else {
                    (
                        parse_day(first.trim()).ok_or(Refusal::Fails)?,
                        op == "is_less_than",
                    )
                };
                Ok(Some(if less {
                    day(column) < limit
                } else {
                    day(column) > limit
                }))
            }
            key => {
                let value = c.json["additional_attributes"]
                    .get(key)
                    .and_then(Value::as_str);
                Ok(self.text_test(value.map(str::to_string), negate, false))
            }
        }
    }

    /// Equality (`IN`), `ILIKE` patterns or presence on a text column.
    /// Custom attributes compare lower-cased text (`lowered`).
    fn text_test(&self, column: Option<String>, negate: bool, lowered: bool) -> Option<bool> {
        let value = |v: &Value| {
            let text = as_text(v);
            if lowered { text.to_lowercase() } else { text }
        };
        match self.operator.as_str() {
            "is_present" => Some(column.is_some()),
            "is_not_present" => Some(column.is_none()),
            "contains" | "does_not_contain" => {
                let column = column?.to_lowercase();
                let any = self
                    .values
                    .iter()
                    .any(|v| column.contains(&value(v).trim().to_lowercase()));
                Some(any != negate)
            }
            _ => {
                let values: Vec<Option<String>> =
                    self.values.iter().map(|v| Some(value(v))).collect();
                membership(column, &values, negate)
            }
        }
    }
}

/// Whether `conditions` keep `c`: `AND` before `OR`, null as no.
pub(crate) fn keeps(
    conditions: &[Condition],
    c: &Conversation,
    now_secs: i64,
) -> Result<bool, Refusal> {
    // No condition at all: no `WHERE`, every conversation.
    if conditions.is_empty() {
        return Ok(true);
    }
    let mut any: Option<bool> = Some(false);
    let mut all: Option<bool> = Some(true);
    for condition in conditions {
        all = and(all, condition.test(c, now_secs)?);
        if condition.join != Some(Join::And) {
            any = or(any, all);
            all = Some(true);
        }
    }
    Ok(any == Some(true))
}

fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn or(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}
