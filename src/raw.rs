//! Items exactly as the server sent them, for exports, backups and
//! migrations that must not lose a field the specs do not know.
//!
//! The typed streams decode into the generated types, which keep only the
//! fields the specs name. The `_raw` streams of every listing
//! (`.stream_raw()`, `.pages_raw()`) yield [`RawItem`]s instead: the item's
//! JSON text, untouched but for line breaks between tokens, and its `id`.
//! They walk, resume and de-duplicate exactly like the typed streams.

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

/// One item of a listing as the server sent it, with its `id`.
///
/// The JSON text keeps every field, the server's key order and its number
/// forms. It is always one line, ready for JSON Lines: an item the server
/// spread over several lines loses the whitespace between its tokens.
///
/// An item must be a JSON object with an `id` (string or number): the walks
/// need it to de-duplicate, and an item without one is a decode error that
/// names its place in the page.
///
/// ```
/// use chatdesk::RawItem;
///
/// let item: RawItem = serde_json::from_str(r#"{"id": 42, "x_new_field": [1.50, "é"]}"#).unwrap();
/// assert_eq!(item.id(), "42");
/// assert_eq!(item.json(), r#"{"id": 42, "x_new_field": [1.50, "é"]}"#);
/// ```
#[derive(Clone)]
pub struct RawItem {
    json: Box<RawValue>,
    id: Box<str>,
}

impl RawItem {
    /// The item's JSON text, on one line.
    ///
    /// ```
    /// # let item: chatdesk::RawItem = serde_json::from_str("{\"id\": \"7\",\n \"a\": 1}").unwrap();
    /// assert_eq!(item.json(), r#"{"id":"7","a":1}"#);
    /// ```
    pub fn json(&self) -> &str {
        self.json.get()
    }

    /// The item's `id` as JSON text: `42` for a number, `"42"` (quotes
    /// included) for a string, so the two never collide.
    ///
    /// ```
    /// # let item: chatdesk::RawItem = serde_json::from_str(r#"{"id":"7"}"#).unwrap();
    /// assert_eq!(item.id(), r#""7""#);
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Decodes the item into a type, such as the listing's generated item
    /// type, when a program wants both the raw text and typed fields.
    ///
    /// ```
    /// # let item: chatdesk::RawItem = serde_json::from_str(r#"{"id":7,"name":"Lan"}"#).unwrap();
    /// #[derive(serde::Deserialize)]
    /// struct Named { name: String }
    /// assert_eq!(item.decode::<Named>().unwrap().name, "Lan");
    /// ```
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.json.get())
    }

    /// The JSON text as a [`RawValue`], to embed in other serde output.
    ///
    /// ```
    /// # let item: chatdesk::RawItem = serde_json::from_str(r#"{"id":7}"#).unwrap();
    /// let raw = item.into_raw_value();
    /// assert_eq!(raw.get(), r#"{"id":7}"#);
    /// ```
    pub fn into_raw_value(self) -> Box<RawValue> {
        self.json
    }
}

impl PartialEq for RawItem {
    fn eq(&self, other: &Self) -> bool {
        self.json.get() == other.json.get()
    }
}

impl Eq for RawItem {}

impl fmt::Debug for RawItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawItem")
            .field("id", &self.id)
            .field("json", &self.json.get())
            .finish()
    }
}

/// The JSON text.
impl fmt::Display for RawItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.json.get())
    }
}

impl Serialize for RawItem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = Box::<RawValue>::deserialize(deserializer)?;
        let id = item_id(json.get()).map_err(de::Error::custom)?;
        let json = if json.get().contains(['\n', '\r']) {
            RawValue::from_string(compact(json.get())).map_err(de::Error::custom)?
        } else {
            json
        };
        Ok(RawItem { json, id })
    }
}

/// The `id` of an item as JSON text, or why the item has none.
fn item_id(text: &str) -> Result<Box<str>, String> {
    #[derive(Deserialize)]
    struct IdOnly<'a> {
        // `present` keeps a JSON `null` as `Some("null")`, to refuse it.
        #[serde(borrow, default, deserialize_with = "present")]
        id: Option<&'a RawValue>,
    }
    fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
        <&RawValue>::deserialize(d).map(Some)
    }
    if !text.starts_with('{') {
        // A derived struct would also take `[id, ...]`.
        return Err(format!(
            "an item must be a JSON object with an `id`, not `{}`",
            text.chars().take(40).collect::<String>()
        ));
    }
    let only: IdOnly<'_> = serde_json::from_str(text)
        .map_err(|e| format!("an item must be a JSON object with an `id` ({e})"))?;
    let Some(id) = only.id else {
        return Err("an item has no `id`, so it cannot be de-duplicated".into());
    };
    let id = id.get();
    match id.as_bytes().first() {
        Some(b'"' | b'-' | b'0'..=b'9') => Ok(id.into()),
        _ => Err(format!(
            "an item's `id` must be a string or a number, not `{id}`"
        )),
    }
}

/// `text` without the whitespace between JSON tokens (string contents are
/// kept as they are).
fn compact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\n' | '\r' | '\t') {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Result<RawItem, serde_json::Error> {
        serde_json::from_str(text)
    }

    #[test]
    fn keeps_every_field_and_number_form_on_one_line() {
        let item =
            raw("{\n  \"id\": \"a b\",\r\n\t\"n\": 1.0e3, \"s\": \"x \\\" y\\n\" }").unwrap();
        assert_eq!(item.json(), r#"{"id":"a b","n":1.0e3,"s":"x \" y\n"}"#);
        assert_eq!(item.id(), r#""a b""#);
    }

    #[test]
    fn refuses_items_without_a_usable_id() {
        for (text, expected) in [
            (r#"{"name":"x"}"#, "has no `id`"),
            (r#"{"id":null}"#, "must be a string or a number, not `null`"),
            (r#"{"id":{"a":1}}"#, "must be a string or a number"),
            ("[1,2]", "must be a JSON object with an `id`"),
            ("17", "must be a JSON object with an `id`"),
        ] {
            let error = raw(text).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn serializes_back_to_the_same_text() {
        let item = raw(r#"{"id":1,"z":true,"a":false}"#).unwrap();
        assert_eq!(serde_json::to_string(&item).unwrap(), item.json());
        assert_eq!(item.to_string(), item.json());
    }
}
