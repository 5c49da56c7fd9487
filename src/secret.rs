//! Credentials that servers send inside response data.
//!
//! Some responses carry a credential as an ordinary field: the reference
//! pages of Chatwoot show a user's `access_token` and `pubsub_token` inside a
//! conversation's assignee. The typed clients decode such fields into
//! [`SecretText`], so that printing a decoded page with `{:?}` (in a log
//! line, a panic message or a test failure) never shows the credential.
//!
//! ```
//! use chatdesk::secret::SecretText;
//!
//! let token: SecretText = serde_json::from_str("\"made-up-token-123\"").unwrap();
//! assert_eq!(format!("{token:?}"), "SecretText(***)");
//! assert_eq!(token.expose(), "made-up-token-123");
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Text that is kept but never printed: `Debug` shows `SecretText(***)`.
///
/// It decodes from, and serializes to, a plain JSON string: serializing keeps
/// the value, because the credential is data the caller asked for (an export
/// of a page keeps it). Read it with [`SecretText::expose`]. There is
/// deliberately no `Display`, so `{}` cannot print it by accident.
///
/// The value is held in an ordinary `String`: it is not wiped from memory
/// when dropped.
///
/// ```
/// use chatdesk::secret::SecretText;
///
/// let token = SecretText::new("made-up-token-123");
/// assert_eq!(format!("{token:?}"), "SecretText(***)");
/// assert_eq!(format!("{token:#?}"), "SecretText(***)");
/// assert_eq!(token.expose(), "made-up-token-123");
///
/// // JSON in, the same JSON out.
/// let decoded: SecretText = serde_json::from_str("\"made-up-token-123\"").unwrap();
/// assert_eq!(decoded, token);
/// assert_eq!(serde_json::to_string(&decoded).unwrap(), "\"made-up-token-123\"");
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct SecretText(String);

impl SecretText {
    /// Wraps `value`.
    ///
    /// ```
    /// use chatdesk::secret::SecretText;
    ///
    /// let token = SecretText::new(String::from("made-up-token-123"));
    /// assert_eq!(token.expose(), "made-up-token-123");
    /// ```
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The text itself. Every read of the credential goes through here, so a
    /// search for `expose` finds them all.
    ///
    /// ```
    /// use chatdesk::secret::SecretText;
    ///
    /// let token = SecretText::new("made-up-token-123");
    /// assert!(token.expose().starts_with("made-up"));
    /// ```
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretText {
    /// Always `SecretText(***)`, whatever the value (even when empty).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText(***)")
    }
}

impl From<String> for SecretText {
    /// Wraps `value`, as [`SecretText::new`] does.
    ///
    /// ```
    /// use chatdesk::secret::SecretText;
    ///
    /// let token = SecretText::from(String::from("made-up-token-123"));
    /// assert_eq!(token.expose(), "made-up-token-123");
    /// ```
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SecretText {
    /// Wraps a copy of `value`, as [`SecretText::new`] does.
    ///
    /// ```
    /// use chatdesk::secret::SecretText;
    ///
    /// let token: SecretText = "made-up-token-123".into();
    /// assert_eq!(token.expose(), "made-up-token-123");
    /// ```
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

impl schemars::JsonSchema for SecretText {
    fn schema_name() -> Cow<'static, str> {
        "SecretText".into()
    }

    /// A string: the JSON form is the value itself.
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A credential, as text (hidden from Debug output, kept in JSON)",
            "type": "string"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::SecretText;

    #[test]
    fn debug_never_shows_the_value() {
        for value in ["", "made-up-token-123", "ünïcödé 🔑"] {
            let token = SecretText::new(value);
            let shown = format!("{token:?} {token:#?} {:?}", Some(&token));
            assert_eq!(
                shown,
                "SecretText(***) SecretText(***) Some(SecretText(***))"
            );
        }
    }

    #[test]
    fn json_keeps_the_value() {
        let token: SecretText = serde_json::from_str("\"made-up-token-123\"").unwrap_or_else(|e| {
            panic!("{e}");
        });
        assert_eq!(token.expose(), "made-up-token-123");
        assert_eq!(
            serde_json::to_value(&token).ok(),
            Some(serde_json::json!("made-up-token-123"))
        );
        assert!(serde_json::from_str::<SecretText>("42").is_err());
    }

    #[test]
    fn json_schema_is_a_string() {
        let schema = schemars::schema_for!(SecretText);
        assert_eq!(
            schema.get("type"),
            Some(&serde_json::Value::String("string".into()))
        );
    }
}
