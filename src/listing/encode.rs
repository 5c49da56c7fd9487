//! A listing's query on the wire: its parameters in the spec's order, each
//! encoded the way the spec says, with a place for what the walk adds to
//! each page (the page number or the cursor); and the JSON body of a POST
//! listing, from its body fields.

use serde_json::Value;

use crate::query::{bracket_pairs, json_text};

use super::spec::{Encoding, ListingSpec, Method, Role};

/// The query pairs every page of a walk shares, and where the walk's own
/// pair (page number or cursor) goes among them.
#[derive(Clone, Debug)]
pub(crate) struct BaseQuery {
    pub(crate) pairs: Vec<(String, String)>,
    /// The index in `pairs` at which the page or cursor pair goes.
    pub(crate) walk_at: usize,
}

impl BaseQuery {
    /// The query of one page: the shared pairs with `walk` at its place.
    pub(crate) fn with(&self, walk: Option<(&str, String)>) -> Vec<(String, String)> {
        let mut pairs = self.pairs.clone();
        if let Some((name, value)) = walk {
            pairs.insert(self.walk_at.min(pairs.len()), (name.to_string(), value));
        }
        pairs
    }
}

/// What the encoder needs of a listing's settings.
pub(crate) struct Settings<'a> {
    /// The value of each parameter, by index in the spec.
    pub(crate) values: &'a [Option<Value>],
    /// The bracket parameters that go as JSON text instead.
    pub(crate) json_objects: bool,
    /// The view's values for the views parameter, when walking views.
    pub(crate) view: Option<&'a [&'a str]>,
}

/// Encodes every parameter the caller set (and the page size), in the
/// spec's order.
pub(crate) fn base_query(spec: &ListingSpec, settings: &Settings<'_>) -> BaseQuery {
    let mut pairs = Vec::new();
    let mut walk_at = None;
    for (index, param) in spec.params.iter().enumerate() {
        let set = settings.values.get(index).and_then(Option::as_ref);
        match param.role {
            Role::Page | Role::Cursor => {
                walk_at.get_or_insert(pairs.len());
            }
            Role::PageSize => {
                let size = set
                    .cloned()
                    .or_else(|| spec.declared.page_size_default.map(Value::from));
                if let Some(size) = size {
                    push(&mut pairs, param.wire, param.encoding, &size, false);
                }
            }
            Role::Filter if matches!(param.encoding, Encoding::Body { .. }) => {}
            Role::Filter => {
                let in_view = spec
                    .views
                    .filter(|views| views.param == param.wire)
                    .and(settings.view);
                match in_view {
                    Some(flags) => {
                        let merged = view_values(spec, set, flags);
                        push(&mut pairs, param.wire, param.encoding, &merged, false);
                    }
                    None => {
                        if let Some(value) = set {
                            push(
                                &mut pairs,
                                param.wire,
                                param.encoding,
                                value,
                                settings.json_objects,
                            );
                        }
                    }
                }
            }
        }
    }
    let walk_at = walk_at.unwrap_or(pairs.len());
    BaseQuery { pairs, walk_at }
}

/// The JSON body of a POST listing: an object of the body fields the
/// caller set, in the spec's order. `None` for a GET listing.
pub(crate) fn body(spec: &ListingSpec, values: &[Option<Value>]) -> Option<Value> {
    if spec.method != Method::Post {
        return None;
    }
    let fields = spec
        .params
        .iter()
        .zip(values)
        .filter(|(param, _)| matches!(param.encoding, Encoding::Body { .. }))
        .filter_map(|(param, value)| Some((param.wire.to_string(), value.clone()?)));
    Some(Value::Object(fields.collect()))
}

/// The caller's values of the views parameter without any value a view
/// names, then the view's own.
fn view_values(spec: &ListingSpec, set: Option<&Value>, flags: &[&str]) -> Value {
    let named_by_views = |value: &Value| {
        spec.views.is_some_and(|views| {
            views
                .views
                .iter()
                .any(|view| view.iter().any(|flag| value.as_str() == Some(flag)))
        })
    };
    let mut merged: Vec<Value> = match set {
        Some(Value::Array(values)) => values
            .iter()
            .filter(|v| !named_by_views(v))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    merged.extend(flags.iter().map(|flag| Value::String((*flag).to_string())));
    Value::Array(merged)
}

/// Appends `value` under `name`, as `encoding` says. Null and empty lists
/// send nothing.
fn push(
    pairs: &mut Vec<(String, String)>,
    name: &str,
    encoding: Encoding,
    value: &Value,
    json_objects: bool,
) {
    let empty = match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        _ => false,
    };
    if empty {
        return;
    }
    match encoding {
        Encoding::JsonText => pairs.push((name.to_string(), json_text(value))),
        Encoding::Brackets { json_alternative } if json_alternative && json_objects => {
            pairs.push((name.to_string(), json_text(value)));
        }
        Encoding::Brackets { .. } => bracket_pairs(name, value, pairs),
        // Not in the query: `body` puts it in the request body.
        Encoding::Body { .. } => {}
        Encoding::Repeated | Encoding::Plain => {
            let items = match value {
                Value::Array(items) => items.as_slice(),
                scalar => std::slice::from_ref(scalar),
            };
            for item in items {
                if let Some(text) = scalar(item) {
                    pairs.push((name.to_string(), text));
                }
            }
        }
    }
}

/// A scalar's text on the wire: strings as they are, numbers and booleans
/// as JSON writes them.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn encoded(encoding: Encoding, value: Value, json_objects: bool) -> Vec<String> {
        let mut pairs = Vec::new();
        push(&mut pairs, "p", encoding, &value, json_objects);
        pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect()
    }

    #[test]
    fn each_encoding_puts_the_value_as_declared() {
        assert_eq!(encoded(Encoding::Plain, json!("a b"), false), ["p=a b"]);
        assert_eq!(encoded(Encoding::Plain, json!(7), false), ["p=7"]);
        assert_eq!(encoded(Encoding::Plain, json!(false), false), ["p=false"]);
        assert_eq!(
            encoded(Encoding::Repeated, json!(["a", "b"]), false),
            ["p=a", "p=b"]
        );
        assert_eq!(
            encoded(Encoding::JsonText, json!(["unread"]), false),
            [r#"p=["unread"]"#]
        );
        let brackets = Encoding::Brackets {
            json_alternative: true,
        };
        assert_eq!(
            encoded(brackets, json!({"operator": "and"}), false),
            ["p[operator]=and"]
        );
        assert_eq!(
            encoded(brackets, json!({"operator": "and"}), true),
            [r#"p={"operator":"and"}"#]
        );
        assert!(encoded(Encoding::JsonText, json!([]), false).is_empty());
        assert!(encoded(Encoding::Repeated, json!([]), false).is_empty());
    }
}
