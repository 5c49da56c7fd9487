//! What progenitor 0.15 cannot take, adapted in memory before it runs, and
//! the notes that say so in the generated module's docs. The YAML keeps
//! describing the real wire format, so it stays true for other tools and
//! for the listings, which read it unadapted.

use std::collections::BTreeSet;
use std::path::Path;

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, Schema, SchemaKind,
    StatusCode, Type,
};

/// What `adapt_for_progenitor` changed, for the generated module's docs.
#[derive(Default)]
pub struct Adaptations {
    /// `(operationId, parameter)` sent as a JSON string.
    pub json_parameters: Vec<(String, String)>,
    /// `(operationId, parameter)` left to the handwritten layer.
    pub removed_parameters: Vec<(String, String)>,
    /// `(operationId, parameter)` whose list items' `minLength` only the
    /// listing checks.
    pub item_checks: Vec<(String, String)>,
    /// `(operationId, status)` whose body the handwritten layer parses.
    pub untyped_responses: Vec<(String, String)>,
}

/// Adapts, in memory, the parts of a spec that progenitor 0.15 cannot take.
///
/// - A query parameter with `content: application/json` (a JSON document in
///   a query string) fails generation: it becomes a `string` parameter that
///   carries the JSON text, which is exactly what goes on the wire.
/// - A `style: deepObject` parameter (bracket notation, `a[b]=x`) fails
///   generation: it is left out of the generated operation and sent by the
///   listing's setter.
/// - A `minLength` on the inline string items of a query list makes each
///   value a newtype that a `Vec<String>` does not convert to: it is
///   dropped here, and checked by the listing's setter.
/// - Only 2xx responses keep their type. Progenitor allows one error body
///   type, and a typed error response whose body is not that type (an HTML
///   page from a proxy, `Retry later` as text) becomes an error with no
///   status. Untyped, every error reaches the handwritten error parser with
///   its status, headers and body intact.
pub fn adapt_for_progenitor(mut spec: OpenAPI) -> (OpenAPI, Adaptations) {
    let mut notes = Adaptations::default();
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let slots = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in slots.into_iter().flatten() {
            let id = operation.operation_id.clone().unwrap_or_default();
            operation.parameters.retain_mut(|parameter| {
                let ReferenceOr::Item(Parameter::Query {
                    parameter_data,
                    style,
                    ..
                }) = parameter
                else {
                    return true;
                };
                if matches!(style, QueryStyle::DeepObject) {
                    notes
                        .removed_parameters
                        .push((id.clone(), parameter_data.name.clone()));
                    return false;
                }
                if let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) =
                    &mut parameter_data.format
                    && let SchemaKind::Type(Type::Array(array)) = &mut schema.schema_kind
                    && let Some(ReferenceOr::Item(item)) = &mut array.items
                    && let SchemaKind::Type(Type::String(text)) = &mut item.schema_kind
                    && text.min_length.take().is_some()
                {
                    notes
                        .item_checks
                        .push((id.clone(), parameter_data.name.clone()));
                }
                if let ParameterSchemaOrContent::Content(_) = parameter_data.format {
                    parameter_data.format =
                        ParameterSchemaOrContent::Schema(ReferenceOr::Item(Schema {
                            schema_data: Default::default(),
                            schema_kind: SchemaKind::Type(Type::String(Default::default())),
                        }));
                    notes
                        .json_parameters
                        .push((id.clone(), parameter_data.name.clone()));
                }
                true
            });
            if operation.responses.default.take().is_some() {
                notes.untyped_responses.push((id.clone(), "default".into()));
            }
            operation.responses.responses.retain(|status, _| {
                let success = match status {
                    StatusCode::Code(code) => (200..300).contains(&{ *code }),
                    StatusCode::Range(range) => *range == 2,
                };
                if !success {
                    notes
                        .untyped_responses
                        .push((id.clone(), status.to_string()));
                }
                success
            });
        }
    }
    (spec, notes)
}

/// The generated module's docs: where it comes from and what was adapted.
pub fn adaptation_notes(spec_path: &Path, notes: &Adaptations) -> String {
    let mut lines = vec![
        format!(
            "The client generated by progenitor from `{}` at build time; edit the spec, \
             never this code.",
            spec_path.display()
        ),
        String::new(),
        "Adapted in memory for the generator (the spec itself is unchanged):".to_string(),
        String::new(),
    ];
    for (op, name) in &notes.json_parameters {
        lines.push(format!("- `{op}`: `{name}` takes the JSON text to send."));
    }
    for (op, name) in &notes.removed_parameters {
        lines.push(format!(
            "- `{op}`: `{name}` (bracket notation) is left out; the listing's setter \
             sends it."
        ));
    }
    for (op, name) in &notes.item_checks {
        lines.push(format!(
            "- `{op}`: the values of `{name}` are plain strings here (a `minLength` on \
             them would make each a newtype); the listing's setter checks them."
        ));
    }
    let untyped: BTreeSet<_> = notes.untyped_responses.iter().map(|(op, _)| op).collect();
    for op in untyped {
        lines.push(format!(
            "- `{op}`: error statuses are untyped here and parsed by `chatdesk::Error`."
        ));
    }
    lines.join("\n")
}
