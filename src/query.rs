//! Query-string encodings the generated client cannot produce.

use serde_json::Value;

/// Appends `value` to `out` in bracket notation under `name`, the form
/// Rails and the ChatbotX server parse as nested objects:
/// `{"operator": "and", "conditions": [{"field": "email"}]}` under
/// `contactFilter` gives `contactFilter[operator]=and` and
/// `contactFilter[conditions][0][field]=email`. Nulls and empty lists or
/// objects send nothing.
pub(crate) fn bracket_pairs(name: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((name.to_string(), b.to_string())),
        Value::Number(n) => out.push((name.to_string(), n.to_string())),
        Value::String(s) => out.push((name.to_string(), s.clone())),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                bracket_pairs(&format!("{name}[{index}]"), item, out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                bracket_pairs(&format!("{name}[{key}]"), item, out);
            }
        }
    }
}

/// `value` as compact JSON text, for parameters the server reads as JSON.
pub(crate) fn json_text<T: serde::Serialize>(value: &T) -> String {
    // Serializing plain data (strings, numbers, maps with string keys) to a
    // string cannot fail; fall back to `null` rather than panic.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_objects_and_lists_use_brackets() {
        let mut out = Vec::new();
        let filter = json!({"operator": "and", "conditions": [
            {"field": "tags", "operator": "in", "value": ["1", "2"]},
            {"field": "email", "operator": "isEmpty", "value": null}
        ]});
        bracket_pairs("contactFilter", &filter, &mut out);
        let text: Vec<String> = out.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            text,
            [
                "contactFilter[conditions][0][field]=tags",
                "contactFilter[conditions][0][operator]=in",
                "contactFilter[conditions][0][value][0]=1",
                "contactFilter[conditions][0][value][1]=2",
                "contactFilter[conditions][1][field]=email",
                "contactFilter[conditions][1][operator]=isEmpty",
                "contactFilter[operator]=and",
            ]
        );
    }
}
