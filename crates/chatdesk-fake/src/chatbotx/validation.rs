//! The ChatbotX query string, checked as the server's schemas check it:
//! each key known to the listing and of its form (one value, an array,
//! JSON text, an object in bracket notation), numbers and enumerations
//! read, contact filters of the right shape. Every problem is noted as an
//! issue (worded by [`super::issues`] for the server version), and a
//! request with issues gets the validation failure instead of data.

use serde_json::{Value, json};

use super::issues;
use super::js::js_number;
use super::params::Params;
use crate::ChatbotxVersion;
use crate::server::Reply;

/// Items per page when `perPage` is not sent.
pub(crate) const DEFAULT_PER_PAGE: u64 = 20;
/// The most contacts a page holds, whatever `perPage` asks.
pub(crate) const MAX_CONTACTS_PER_PAGE: u64 = 50;

/// The values of each enumerated parameter.
pub(crate) const CHANNELS: &[&str] = &[
    "omnichannel",
    "webchat",
    "messenger",
    "whatsapp",
    "zalo",
    "smtp",
    "telegram",
    "instagram",
    "threads",
    "tiktok",
    "api",
];
pub(crate) const BOT_CATEGORIES: &[&str] = &["bot", "human", "all"];
pub(crate) const FLAGS: &[&str] = &["noAdminReply", "unread", "followUp", "archived", "blocked"];
pub(crate) const INCLUDES: &[&str] = &["tags", "customFields", "inboxes", "conversation"];
pub(crate) const BOOLEANS: &[&str] = &["true", "false"];
pub(crate) const FILTER_OPERATORS: &[&str] = &["and", "or"];
pub(crate) const CONDITION_OPERATORS: &[&str] = &[
    "in",
    "notIn",
    "isEmpty",
    "isNotEmpty",
    "eq",
    "ne",
    "startsWith",
    "endsWith",
    "contains",
    "notContains",
    "lt",
    "lte",
    "gt",
    "gte",
    "isBetween",
    "notBetween",
];

/// How many messages a page of the message listing holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MessageLimit {
    /// This many.
    Rows(u64),
    /// None, and no cursor (the open-source server: `perPage` 0 or -1).
    Nothing,
    /// The database refuses the limit and the server answers 500 (the
    /// open-source server: a fractional `perPage`, or -2 and below).
    Fails,
}

/// Collects validation issues in the form the server version uses.
pub(crate) struct Checker {
    pub(crate) version: ChatbotxVersion,
    issues: Vec<Value>,
}

impl Checker {
    /// A checker for a request to a server of `version`.
    pub(crate) fn new(version: ChatbotxVersion) -> Checker {
        Checker {
            version,
            issues: Vec::new(),
        }
    }

    /// Notes one issue.
    pub(crate) fn push(&mut self, issue: Value) {
        self.issues.push(issue);
    }

    /// A whole number of at least 1, or `default` when absent.
    pub(crate) fn positive(&mut self, params: &Params, name: &str, default: u64) -> u64 {
        let Some(text) = params.scalar(name) else {
            return default;
        };
        match text.trim().parse::<f64>() {
            Ok(n) if n.is_finite() && n.fract() == 0.0 && n >= 1.0 => n as u64,
            Ok(n) if n.is_finite() && n.fract() == 0.0 => {
                self.push(issues::below_one(self.version, name));
                default
            }
            Ok(n) if n.is_finite() => {
                self.push(issues::wrong_type(
                    self.version,
                    json!([name]),
                    "int",
                    "number",
                ));
                default
            }
            _ => {
                self.push(issues::not_a_number(self.version, name));
                default
            }
        }
    }

    /// The message listing's `perPage`: on the current server a whole
    /// number of at least 1, as everywhere. On the open-source server
    /// (apps/builder/src/features/contacts/api/workspace-token.ts): any
    /// number JavaScript's `Number` reads, default 20, which the message
    /// repository queries with `LIMIT perPage + 1` and then cuts to
    /// `perPage`. So 0 and -1 give an empty page and no cursor, while a
    /// fractional number or one below -1 makes PostgreSQL fail (500).
    /// Text that is no number is a validation failure.
    pub(crate) fn message_limit(&mut self, params: &Params) -> MessageLimit {
        if self.version == ChatbotxVersion::Current {
            return MessageLimit::Rows(self.positive(params, "perPage", DEFAULT_PER_PAGE));
        }
        let Some(text) = params.scalar("perPage") else {
            return MessageLimit::Rows(DEFAULT_PER_PAGE);
        };
        let n = js_number(text);
        if !n.is_finite() {
            self.push(issues::not_a_number(self.version, "perPage"));
            MessageLimit::Rows(DEFAULT_PER_PAGE)
        } else if n.fract() != 0.0 || n < -1.0 {
            MessageLimit::Fails
        } else if n < 1.0 {
            MessageLimit::Nothing
        } else {
            // Saturates for numbers beyond u64, which is as good as "all".
            MessageLimit::Rows(n as u64)
        }
    }

    /// A scalar that must be one of `allowed`.
    pub(crate) fn one_of(
        &mut self,
        params: &Params,
        name: &str,
        allowed: &'static [&'static str],
    ) -> Option<&'static str> {
        let text = params.scalar(name)?;
        let found = allowed.iter().find(|a| **a == text).copied();
        if found.is_none() {
            self.push(issues::not_allowed(
                self.version,
                json!([name]),
                allowed,
                text,
            ));
        }
        found
    }

    /// An array parameter, each value one of `allowed` if given.
    pub(crate) fn list_of(
        &mut self,
        params: &Params,
        name: &str,
        allowed: Option<&'static [&'static str]>,
    ) -> Vec<String> {
        let Some(values) = params.array(name) else {
            return Vec::new();
        };
        if let Some(allowed) = allowed {
            for (index, value) in values.iter().enumerate() {
                if !allowed.contains(&value.as_str()) {
                    self.push(issues::not_allowed(
                        self.version,
                        json!([name, index]),
                        allowed,
                        value,
                    ));
                }
            }
        }
        values.to_vec()
    }

    /// Checks the shape of a contact filter (operators known, conditions a list).
    pub(crate) fn check_filter(&mut self, filter: &Value, path: Value) {
        let at = |extra: &[Value]| {
            let mut p = path.as_array().cloned().unwrap_or_default();
            p.extend(extra.iter().cloned());
            Value::Array(p)
        };
        let Value::Object(map) = filter else {
            self.push(issues::wrong_type(
                self.version,
                path.clone(),
                "object",
                "string",
            ));
            return;
        };
        let operator = map.get("operator").and_then(Value::as_str).unwrap_or("");
        if !FILTER_OPERATORS.contains(&operator) {
            self.push(issues::not_allowed(
                self.version,
                at(&[json!("operator")]),
                FILTER_OPERATORS,
                operator,
            ));
        }
        let Some(conditions) = map.get("conditions").and_then(Value::as_array) else {
            self.push(issues::wrong_type(
                self.version,
                at(&[json!("conditions")]),
                "array",
                "undefined",
            ));
            return;
        };
        for (index, condition) in conditions.iter().enumerate() {
            if condition.get("type").and_then(Value::as_str) == Some("group") {
                self.check_filter(condition, at(&[json!("conditions"), json!(index)]));
                continue;
            }
            if condition.get("field").and_then(Value::as_str).is_none() {
                self.push(issues::wrong_type(
                    self.version,
                    at(&[json!("conditions"), json!(index), json!("field")]),
                    "string",
                    "undefined",
                ));
            }
            let operator = condition
                .get("operator")
                .and_then(Value::as_str)
                .unwrap_or("");
            if !CONDITION_OPERATORS.contains(&operator) {
                self.push(issues::not_allowed(
                    self.version,
                    at(&[json!("conditions"), json!(index), json!("operator")]),
                    CONDITION_OPERATORS,
                    operator,
                ));
            }
        }
    }

    /// The validation error for the issues found, if any.
    pub(crate) fn failure(&mut self) -> Option<Reply> {
        if self.issues.is_empty() {
            return None;
        }
        let found = std::mem::take(&mut self.issues);
        Some(issues::failure(self.version, found))
    }
}
