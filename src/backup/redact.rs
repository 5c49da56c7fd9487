//! Credentials out of stored items: the values of a platform's credential
//! keys replaced, wherever the keys appear in an item.

use serde_json::Value;

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
    let mut value: Value = serde_json::from_str(json).ok()?;
    let replaced = replace(&mut value, keys);
    if replaced == 0 {
        return None;
    }
    Some((value.to_string(), replaced))
}

/// Whether `json` has `"key"` in it (as a key or a value; a false positive
/// only costs a parse).
fn mentions(json: &str, key: &str) -> bool {
    json.match_indices(key)
        .any(|(at, _)| json[..at].ends_with('"') && json[at + key.len()..].starts_with('"'))
}

fn replace(value: &mut Value, keys: &[&str]) -> u64 {
    match value {
        Value::Object(map) => map
            .iter_mut()
            .map(|(key, inner)| {
                if keys.contains(&key.as_str()) && !is_empty(inner) {
                    *inner = Value::String(REDACTED.to_owned());
                    1
                } else {
                    replace(inner, keys)
                }
            })
            .sum(),
        Value::Array(items) => items.iter_mut().map(|v| replace(v, keys)).sum(),
        _ => 0,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty() || s == REDACTED,
        Value::Object(map) => map.is_empty(),
        Value::Array(items) => items.is_empty(),
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
