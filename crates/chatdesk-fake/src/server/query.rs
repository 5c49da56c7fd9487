//! The query string in bracket notation (`a[b][0]=x`), as the ChatbotX
//! server's parser reads it: the base name of a key, its bracket segments,
//! and the object a group of bracketed pairs describes.

/// Where a query key's name ends: `contactFilter[operator]` is `contactFilter`.
pub(crate) fn base_name(key: &str) -> &str {
    key.find('[').map_or(key, |i| &key[..i])
}

/// The bracket segments after the base name: `a[b][0][]` gives
/// `["b", "0", ""]`; `None` when the key is not well-formed bracket
/// notation.
pub(crate) fn bracket_segments(key: &str) -> Option<Vec<&str>> {
    let mut rest = &key[base_name(key).len()..];
    let mut segments = Vec::new();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[')?;
        let close = inner.find(']')?;
        segments.push(&inner[..close]);
        rest = &inner[close + 1..];
    }
    Some(segments)
}

/// Builds the object that bracket-notation pairs describe, such as
/// `{"operator": "and", "conditions": [{"field": "email"}]}` from
/// `x[operator]=and&x[conditions][0][field]=email`. Objects whose keys are
/// all numbers become arrays (in index order); `[]` appends.
pub(crate) fn bracket_object<'a>(
    pairs: impl IntoIterator<Item = (&'a [&'a str], &'a str)>,
) -> serde_json::Value {
    use serde_json::{Map, Value};
    let mut root = Value::Object(Map::new());
    for (segments, value) in pairs {
        insert_path(&mut root, segments, value);
    }
    arrays_from_indexes(root)
}

fn insert_path(node: &mut serde_json::Value, segments: &[&str], value: &str) {
    use serde_json::{Map, Value};
    let Some((first, rest)) = segments.split_first() else {
        *node = Value::String(value.to_string());
        return;
    };
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    let Value::Object(map) = node else {
        return;
    };
    let key = if first.is_empty() {
        // `[]`: the next free index.
        (0..)
            .map(|i: usize| i.to_string())
            .find(|k| !map.contains_key(k))
            .unwrap_or_default()
    } else {
        (*first).to_string()
    };
    let child = map.entry(key).or_insert(Value::Null);
    insert_path(child, rest, value);
}

fn arrays_from_indexes(node: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match node {
        Value::Object(map) => {
            let numeric = !map.is_empty() && map.keys().all(|k| k.parse::<usize>().is_ok());
            if numeric {
                let mut items: Vec<(usize, Value)> = map
                    .into_iter()
                    .filter_map(|(k, v)| {
                        k.parse::<usize>().ok().map(|i| (i, arrays_from_indexes(v)))
                    })
                    .collect();
                items.sort_by_key(|(i, _)| *i);
                Value::Array(items.into_iter().map(|(_, v)| v).collect())
            } else {
                Value::Object(
                    map.into_iter()
                        .map(|(k, v)| (k, arrays_from_indexes(v)))
                        .collect(),
                )
            }
        }
        other => other,
    }
}
