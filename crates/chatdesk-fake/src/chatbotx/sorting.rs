//! The contact listing's `sort`, read and applied as the server does
//! (apps/builder/src/lib/pagination `basePaginationRequest.sort`, then
//! packages/database `parseOrderByAsObject` and a Drizzle `orderBy`
//! object):
//!
//! - The value is percent-decoded once more (`decodeURIComponent`), then
//!   parsed as JSON; it must be an array of `{"id": text, "desc":
//!   boolean}`, `desc` included. Anything else (text that does not decode
//!   or parse, an item without `desc`, a `desc` that is not a boolean) is
//!   no sort at all, silently.
//! - An `id` that is not a column of the contact table is skipped; the
//!   others order the rows in the order given (an `id` given twice keeps
//!   its first place and takes the last `desc`).
//! - PostgreSQL's default null order: nulls last ascending, first
//!   descending.
//!
//! The server adds no tiebreak (ties come in the database's order); the
//! fake breaks ties by id, in the direction of the first key, and with no
//! sort keeps its own order (newest first).

use std::cmp::Ordering;

use serde_json::Value;

use super::model::Contact;

/// The columns of the contact table, as `sort` names them. `fullName` is
/// a generated column; `lastActivityAt` was one until June 2026 and is
/// not any more (a sort on it is skipped).
const COLUMNS: &[&str] = &[
    "id",
    "createdAt",
    "updatedAt",
    "avatar",
    "phoneNumber",
    "email",
    "emailVerified",
    "emailOptIn",
    "firstName",
    "lastName",
    "fullName",
    "gender",
    "lastReadAt",
    "ref",
    "country",
    "state",
    "city",
    "location",
    "locale",
    "timezone",
    "subscribedAt",
    "broadcastSubscribedAt",
    "blockedAt",
    "workspaceId",
];

/// One key of the order: a column, descending or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Key {
    column: &'static str,
    desc: bool,
}

/// The keys `text` (the `sort` parameter as the query string gave it)
/// asks for; none if the server would ignore it.
pub(crate) fn read(text: &str) -> Vec<Key> {
    let Ok(decoded) = percent_encoding::percent_decode_str(text).decode_utf8() else {
        return Vec::new();
    };
    // `decodeURIComponent` throws on a `%` not followed by two hex digits.
    if malformed_escape(text) {
        return Vec::new();
    }
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(&decoded) else {
        return Vec::new();
    };
    let mut keys: Vec<Key> = Vec::new();
    let mut wanted: Vec<(&str, bool)> = Vec::new();
    for item in &items {
        let (Some(Value::String(id)), Some(Value::Bool(desc))) = (item.get("id"), item.get("desc"))
        else {
            return Vec::new();
        };
        wanted.push((id.as_str(), *desc));
    }
    for (id, desc) in wanted {
        let Some(column) = COLUMNS.iter().copied().find(|c| *c == id) else {
            continue;
        };
        match keys.iter_mut().find(|k| k.column == column) {
            Some(key) => key.desc = desc,
            None => keys.push(Key { column, desc }),
        }
    }
    keys
}

/// Whether `text` has a `%` that does not start a two-hex-digit escape.
fn malformed_escape(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, b)| {
        *b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// Orders `contacts` by `keys`; no keys keeps the order.
pub(crate) fn order(contacts: &mut [&Contact], keys: &[Key]) {
    let Some(first) = keys.first() else {
        return;
    };
    let tiebreak_desc = first.desc;
    contacts.sort_by(|a, b| {
        keys.iter()
            .map(|key| {
                let order = compare(a, b, key.column);
                if key.desc { order.reverse() } else { order }
            })
            .find(|o| o.is_ne())
            .unwrap_or_else(|| {
                let order = a.numeric_id.cmp(&b.numeric_id);
                if tiebreak_desc {
                    order.reverse()
                } else {
                    order
                }
            })
    });
}

/// `a` against `b` on `column`, ascending, nulls after every value (so
/// first when descending).
fn compare(a: &Contact, b: &Contact, column: &str) -> Ordering {
    match column {
        "id" => a.numeric_id.cmp(&b.numeric_id),
        "createdAt" => a.created.cmp(&b.created),
        "updatedAt" => a.updated.cmp(&b.updated),
        _ => compare_values(a.json.get(column), b.json.get(column)),
    }
}

/// Two column values: null (or absent) last; text by its bytes (ISO times
/// of one format order as times), booleans false first, anything else by
/// its JSON text.
fn compare_values(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    let a = a.filter(|v| !v.is_null());
    let b = b.filter(|v| !v.is_null());
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(Value::String(a)), Some(Value::String(b))) => a.cmp(b),
        (Some(Value::Bool(a)), Some(Value::Bool(b))) => a.cmp(b),
        (Some(Value::Number(a)), Some(Value::Number(b))) => a
            .as_f64()
            .partial_cmp(&b.as_f64())
            .unwrap_or(Ordering::Equal),
        (Some(a), Some(b)) => a.to_string().cmp(&b.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(column: &'static str, desc: bool) -> Key {
        Key { column, desc }
    }

    #[test]
    fn reads_the_sort_as_the_server_does() {
        assert_eq!(
            read(r#"[{"id":"updatedAt","desc":true}]"#),
            vec![key("updatedAt", true)]
        );
        assert_eq!(
            read(
                r#"[{"id":"email","desc":false},{"id":"createdAt","desc":true},{"id":"email","desc":true}]"#
            ),
            vec![key("email", true), key("createdAt", true)]
        );
        // Unknown columns are skipped, the rest kept.
        assert_eq!(
            read(r#"[{"id":"lastActivityAt","desc":true},{"id":"id","desc":false}]"#),
            vec![key("id", false)]
        );
        // Once more percent-decoded.
        assert_eq!(
            read("%5B%7B%22id%22%3A%22createdAt%22%2C%22desc%22%3Atrue%7D%5D"),
            vec![key("createdAt", true)]
        );
        // The whole sort is ignored when one item is not of the form.
        for ignored in [
            r#"[{"id":"createdAt"}]"#,
            r#"[{"id":"createdAt","desc":"true"}]"#,
            r#"[{"id":"createdAt","desc":true},{"desc":true}]"#,
            r#"{"id":"createdAt","desc":true}"#,
            r#"[{"id":"createdAt","desc":true}] 100%"#,
            "not json",
        ] {
            assert!(read(ignored).is_empty(), "{ignored}");
        }
    }

    #[test]
    fn nulls_come_last_ascending() {
        let text = Value::String("a".into());
        assert_eq!(compare_values(None, Some(&text)), Ordering::Greater);
        assert_eq!(
            compare_values(Some(&Value::Null), Some(&text)),
            Ordering::Greater
        );
        assert_eq!(
            compare_values(Some(&text), Some(&Value::Null)),
            Ordering::Less
        );
        assert_eq!(compare_values(None, Some(&Value::Null)), Ordering::Equal);
    }
}
