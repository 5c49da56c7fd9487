//! Contact filters, for conversation and contact listings.

use serde::Serialize;
use serde_json::{Map, Value};

use super::enums::FilterOperator;

/// A filter on contacts: conditions joined by `and` ([`ContactFilter::all`])
/// or `or` ([`ContactFilter::any`]).
///
/// Conversation listings send it as JSON text; contact listings send it in
/// bracket notation, which every server version reads.
///
/// ```
/// use chatdesk::chatbotx::{Condition, ContactFilter};
///
/// let filter = ContactFilter::all()
///     .condition(Condition::new("tags", "in").values(["42", "43"]))
///     .condition(Condition::new("email", "isNotEmpty"));
/// assert_eq!(
///     serde_json::to_string(&filter).unwrap(),
///     r#"{"operator":"and","conditions":[{"field":"tags","operator":"in","value":["42","43"]},{"field":"email","operator":"isNotEmpty"}]}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContactFilter {
    operator: FilterOperator,
    conditions: Vec<Condition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timezone: Option<String>,
}

impl ContactFilter {
    /// Every condition must hold (`and`).
    ///
    /// ```
    /// let filter = chatdesk::chatbotx::ContactFilter::all();
    /// ```
    pub fn all() -> Self {
        Self::new(FilterOperator::And)
    }

    /// Any condition may hold (`or`).
    ///
    /// ```
    /// let filter = chatdesk::chatbotx::ContactFilter::any();
    /// ```
    pub fn any() -> Self {
        Self::new(FilterOperator::Or)
    }

    fn new(operator: FilterOperator) -> Self {
        ContactFilter {
            operator,
            conditions: Vec::new(),
            timezone: None,
        }
    }

    /// Adds a condition.
    ///
    /// ```
    /// use chatdesk::chatbotx::{Condition, ContactFilter};
    /// let filter = ContactFilter::any().condition(Condition::new("gender", "eq").value("female"));
    /// ```
    pub fn condition(mut self, condition: Condition) -> Self {
        self.conditions.push(condition);
        self
    }

    /// The IANA time zone for time conditions (newer servers).
    ///
    /// ```
    /// let filter = chatdesk::chatbotx::ContactFilter::all().timezone("Asia/Ho_Chi_Minh");
    /// ```
    pub fn timezone(mut self, timezone: impl Into<String>) -> Self {
        self.timezone = Some(timezone.into());
        self
    }

    /// Whether the filter has no condition (it is then not sent).
    ///
    /// ```
    /// assert!(chatdesk::chatbotx::ContactFilter::all().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }

    pub(crate) fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// One condition of a [`ContactFilter`]: a field, an operator and usually a
/// value. The server lists the fields and operators (`tags in`, `email
/// contains`, `lastSeenMinutesAgo lt`, ...); they are passed through as
/// given, so new ones need no new version of this crate.
///
/// ```
/// use chatdesk::chatbotx::Condition;
///
/// let recent = Condition::new("lastSeenMinutesAgo", "lt").value("60");
/// let custom = Condition::new("customField", "eq")
///     .with("customFieldId", "912")
///     .with("valueType", "text")
///     .value("gold");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Condition(Map<String, Value>);

impl Condition {
    /// A condition on `field` with `operator`.
    ///
    /// ```
    /// let c = chatdesk::chatbotx::Condition::new("phone", "isEmpty");
    /// ```
    pub fn new(field: impl Into<String>, operator: impl Into<String>) -> Self {
        let mut map = Map::new();
        map.insert("field".into(), Value::String(field.into()));
        map.insert("operator".into(), Value::String(operator.into()));
        Condition(map)
    }

    /// A group of conditions, one level deep (newer servers).
    ///
    /// ```
    /// use chatdesk::chatbotx::{enums::FilterOperator, Condition};
    /// let either = Condition::group(FilterOperator::Or, [
    ///     Condition::new("email", "isNotEmpty"),
    ///     Condition::new("phone", "isNotEmpty"),
    /// ]);
    /// ```
    pub fn group(
        operator: FilterOperator,
        conditions: impl IntoIterator<Item = Condition>,
    ) -> Self {
        let mut map = Map::new();
        map.insert("type".into(), Value::String("group".into()));
        map.insert("operator".into(), Value::String(operator.to_string()));
        let conditions = conditions.into_iter().map(|c| Value::Object(c.0)).collect();
        map.insert("conditions".into(), Value::Array(conditions));
        Condition(map)
    }

    /// The value: one string.
    ///
    /// ```
    /// let c = chatdesk::chatbotx::Condition::new("email", "contains").value("@example.com");
    /// ```
    pub fn value(self, value: impl Into<String>) -> Self {
        self.with("value", Value::String(value.into()))
    }

    /// The value: a list of strings (`in`, `notIn`, or `[from, to]` for
    /// `isBetween`).
    ///
    /// ```
    /// let c = chatdesk::chatbotx::Condition::new("tags", "in").values(["1", "2"]);
    /// ```
    pub fn values<I, S>(self, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let list = values
            .into_iter()
            .map(|v| Value::String(v.into()))
            .collect();
        self.with("value", Value::Array(list))
    }

    /// Any other key the field needs (`customFieldId`, `valueType`, ...).
    ///
    /// ```
    /// let c = chatdesk::chatbotx::Condition::new("customField", "isEmpty").with("customFieldId", "7");
    /// ```
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }
}

/// A listing's `contact_filter` setter takes the builder: one with no
/// condition is refused (the server would match every contact).
impl crate::listing::values::SetterValue for ContactFilter {
    fn to_value(&self) -> Result<Value, String> {
        if self.is_empty() {
            return Err("the filter has no condition; add one or leave the filter out".into());
        }
        Ok(self.to_json())
    }
}
