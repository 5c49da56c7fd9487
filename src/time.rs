//! Times as the servers send them.
//!
//! Chatwoot sends most times as Unix seconds (an integer, `0` when the event
//! has not happened), a conversation's `updated_at` as seconds with a
//! fraction, and a few times as ISO-8601 strings; its reference pages show
//! other forms for some of those fields. ChatbotX sends ISO-8601 strings with
//! milliseconds. [`Timestamp`] accepts every one of these forms, so a page
//! never fails to decode because one field changed form, and serializes back
//! to the form it was read from.

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A point in time, kept in the form the server sent it.
///
/// Read it with [`Timestamp::to_datetime`] or [`Timestamp::unix_seconds`];
/// a Chatwoot time of `0` means "not happened yet" and reads as `None`.
///
/// ```
/// use chatdesk::time::Timestamp;
///
/// let from_integer: Timestamp = serde_json::from_str("1736850507").unwrap();
/// let from_text: Timestamp = serde_json::from_str("\"2025-01-14T10:28:27.000Z\"").unwrap();
/// assert_eq!(from_integer.to_datetime(), from_text.to_datetime());
///
/// let unset: Timestamp = serde_json::from_str("0").unwrap();
/// assert!(unset.is_unset());
/// assert_eq!(unset.to_datetime(), None);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Timestamp(Form);

/// The wire form of a [`Timestamp`].
#[derive(Clone, Debug, PartialEq)]
enum Form {
    Seconds(i64),
    Fraction(f64),
    Text(String),
}

impl Timestamp {
    /// A time of `seconds` since the Unix epoch, in the integer form.
    ///
    /// ```
    /// use chatdesk::time::Timestamp;
    /// assert_eq!(Timestamp::from_unix_seconds(60).unix_seconds(), Some(60));
    /// ```
    pub fn from_unix_seconds(seconds: i64) -> Self {
        Self(Form::Seconds(seconds))
    }

    /// A time in the ISO-8601 form, with milliseconds and `Z`.
    ///
    /// ```
    /// use chatdesk::time::Timestamp;
    /// let t = Timestamp::from_datetime(chrono::DateTime::UNIX_EPOCH);
    /// assert_eq!(t.to_string(), "1970-01-01T00:00:00.000Z");
    /// ```
    pub fn from_datetime(time: DateTime<Utc>) -> Self {
        Self(Form::Text(
            time.to_rfc3339_opts(SecondsFormat::Millis, true),
        ))
    }

    /// Whether this is Chatwoot's "not happened yet" value, `0`.
    ///
    /// ```
    /// use chatdesk::time::Timestamp;
    /// assert!(Timestamp::from_unix_seconds(0).is_unset());
    /// ```
    pub fn is_unset(&self) -> bool {
        match &self.0 {
            Form::Seconds(s) => *s == 0,
            Form::Fraction(f) => *f == 0.0,
            Form::Text(t) => t.is_empty() || t == "0",
        }
    }

    /// The time in UTC; `None` when unset or when the text is not a time.
    ///
    /// ```
    /// use chatdesk::time::Timestamp;
    /// let t: Timestamp = serde_json::from_str("1736850507.25").unwrap();
    /// assert_eq!(t.to_datetime().unwrap().timestamp_millis(), 1_736_850_507_250);
    /// ```
    pub fn to_datetime(&self) -> Option<DateTime<Utc>> {
        if self.is_unset() {
            return None;
        }
        match &self.0 {
            Form::Seconds(s) => DateTime::from_timestamp(*s, 0),
            Form::Fraction(f) => fraction_to_datetime(*f),
            Form::Text(text) => parse_text(text),
        }
    }

    /// Whole seconds since the Unix epoch; `None` when unset or unreadable.
    ///
    /// ```
    /// use chatdesk::time::Timestamp;
    /// let t: Timestamp = serde_json::from_str("\"1970-01-01T00:01:00Z\"").unwrap();
    /// assert_eq!(t.unix_seconds(), Some(60));
    /// ```
    pub fn unix_seconds(&self) -> Option<i64> {
        self.to_datetime().map(|t| t.timestamp())
    }
}

fn fraction_to_datetime(seconds: f64) -> Option<DateTime<Utc>> {
    if !seconds.is_finite() {
        return None;
    }
    let millis = (seconds * 1000.0).round();
    if millis.abs() > i64::MAX as f64 {
        return None;
    }
    DateTime::from_timestamp_millis(millis as i64)
}

fn parse_text(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    if let Ok(seconds) = text.parse::<i64>() {
        return DateTime::from_timestamp(seconds, 0);
    }
    text.parse::<f64>().ok().and_then(fraction_to_datetime)
}

impl fmt::Display for Timestamp {
    /// ISO-8601 in UTC when the value is a time, the raw value otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.0, self.to_datetime()) {
            (Form::Text(text), _) => f.write_str(text),
            (_, Some(time)) => f.write_str(&time.to_rfc3339_opts(SecondsFormat::Millis, true)),
            (Form::Seconds(s), None) => write!(f, "{s}"),
            (Form::Fraction(s), None) => write!(f, "{s}"),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Form::Seconds(s) => serializer.serialize_i64(*s),
            Form::Fraction(f) => serializer.serialize_f64(*f),
            Form::Text(t) => serializer.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;

        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time: Unix seconds (integer or float) or an ISO-8601 string")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Ok(Timestamp(Form::Seconds(v)))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                i64::try_from(v)
                    .map(|s| Timestamp(Form::Seconds(s)))
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
                Ok(Timestamp(Form::Fraction(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                if v.is_empty() || v == "0" || parse_text(v).is_some() {
                    Ok(Timestamp(Form::Text(v.to_string())))
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
        }

        deserializer.deserialize_any(TimestampVisitor)
    }
}

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A time: Unix seconds (integer or float) or an ISO-8601 string",
            "anyOf": [
                { "type": "integer" },
                { "type": "number" },
                { "type": "string" }
            ]
        })
    }
}
