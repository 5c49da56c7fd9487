//! Credentials out of stored items: the values of a platform's credential
//! keys replaced, wherever the keys appear in an item.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

/// What a redacted value becomes.
pub const REDACTED: &str = "[redacted]";

/// `json` with the value of every key in `keys` (at any depth) replaced by
/// [`REDACTED`], and how many values were replaced; `None` when nothing
/// needed replacing (the text is then stored as it came). A `null` or
/// empty value is left alone: it holds no secret, and keeping it tells
/// the reader the server sent none.
///
/// ```
/// let (json, n) = chatdesk::backup::redact(r#"{"id":1,"hmac_token":"s3cr3t","name":"Web"}"#, &["hmac_token"]).unwrap();
/// assert_eq!(json, r#"{"id":1,"hmac_token":"[redacted]","name":"Web"}"#);
/// assert_eq!(n, 1);
/// assert!(chatdesk::backup::redact(r#"{"id":1}"#, &["hmac_token"]).is_none());
/// ```
pub fn redact(json: &str, keys: &[&str]) -> Option<(String, u64)> {
    // Cheap test first: most items name no credential key at all.
    if !keys.iter().any(|key| mentions(json, key)) {
        return None;
    }
    let mut out = String::with_capacity(json.len());
    let replaced = rewrite(json, keys, &mut out).ok()?;
    (replaced > 0).then_some((out, replaced))
}

/// Whether `json` has `"key"` in it (as a key or a value; a false positive
/// only costs a parse).
fn mentions(json: &str, key: &str) -> bool {
    json.match_indices(key)
        .any(|(at, _)| json[..at].ends_with('"') && json[at + key.len()..].starts_with('"'))
}

/// The entries of a JSON object, in the order sent (a `serde_json::Map`
/// would sort them).
struct Entries(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// Writes `json` to `out` with the values of `keys` replaced, keeping the
/// order and the text of everything else; returns how many were replaced.
fn rewrite(json: &str, keys: &[&str], out: &mut String) -> Result<u64, serde_json::Error> {
    match json.trim_start().as_bytes().first() {
        Some(b'{') => {
            let Entries(entries) = serde_json::from_str(json)?;
            let mut replaced = 0;
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(key)?);
                out.push(':');
                if keys.contains(&key.as_str()) && !is_empty(value.get()) {
                    out.push_str(&serde_json::to_string(REDACTED)?);
                    replaced += 1;
                } else {
                    replaced += rewrite(value.get(), keys, out)?;
                }
            }
            out.push('}');
            Ok(replaced)
        }
        Some(b'[') => {
            let items: Vec<Box<RawValue>> = serde_json::from_str(json)?;
            let mut replaced = 0;
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                replaced += rewrite(item.get(), keys, out)?;
            }
            out.push(']');
            Ok(replaced)
        }
        _ => {
            out.push_str(json.trim());
            Ok(0)
        }
    }
}

/// Whether a value holds nothing to hide: `null`, empty, or already
/// redacted.
fn is_empty(json: &str) -> bool {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Null) => true,
        Ok(Value::String(s)) => s.is_empty() || s == REDACTED,
        Ok(Value::Object(map)) => map.is_empty(),
        Ok(Value::Array(items)) => items.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn nested_and_whole_objects() {
        let json = r#"{"id":2,"channel":{"imap_password":"p","provider_config":{"api_key":"k","source":"x"}},"secret":null}"#;
        let (out, n) = redact(json, &["imap_password", "provider_config", "secret"]).unwrap();
        assert_eq!(n, 2);
        assert_eq!(
            out,
            r#"{"id":2,"channel":{"imap_password":"[redacted]","provider_config":"[redacted]"},"secret":null}"#
        );
        // Redacting twice changes nothing more.
        assert!(redact(&out, &["imap_password", "provider_config", "secret"]).is_none());
    }

    #[test]
    fn a_value_naming_a_key_is_not_redacted() {
        assert!(redact(r#"{"id":1,"content":"my \"secret\" plan"}"#, &["secret"]).is_none());
    }
}
