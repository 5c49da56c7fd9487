//! The keys of a platform's items that hold credentials, read from the
//! spec: properties whose schema is one the spec decodes as
//! `crate::secret::SecretText`, and properties marked
//! `x-chatdesk-credentials: true` (an object of credentials, hidden
//! whole because a key the spec does not list could be one too). A backup
//! redacts these keys wherever they appear in an item.

use std::collections::BTreeSet;

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

use super::schema::components;

/// Marks a property whose whole value is credentials.
const CREDENTIALS_EXTENSION: &str = "x-chatdesk-credentials";
/// The Rust type of the schemas that are credentials.
const SECRET_TYPE: &str = "crate::secret::SecretText";

/// The credential keys of `spec`, sorted.
pub fn keys(spec: &OpenAPI) -> Result<Vec<String>, String> {
    let secret: BTreeSet<String> = components(spec)
        .filter(|(_, schema)| {
            schema
                .schema_data
                .extensions
                .get("x-chatdesk-rust-type")
                .and_then(|v| v.as_str())
                == Some(SECRET_TYPE)
        })
        .map(|(name, _)| format!("#/components/schemas/{name}"))
        .collect();
    let mut keys = BTreeSet::new();
    for (_, schema) in components(spec) {
        collect(schema, &secret, &mut keys)?;
    }
    Ok(keys.into_iter().collect())
}

/// Adds the credential properties of `schema` and of the schemas inline in
/// it to `keys`.
fn collect(
    schema: &Schema,
    secret: &BTreeSet<String>,
    keys: &mut BTreeSet<String>,
) -> Result<(), String> {
    let inline = |s: &ReferenceOr<Schema>| match s {
        ReferenceOr::Item(s) => Some(s.clone()),
        ReferenceOr::Reference { .. } => None,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            for (name, property) in &object.properties {
                let property = property.clone().unbox();
                if is_credential(&property, secret)? {
                    keys.insert(name.clone());
                }
                if let Some(inner) = inline(&property) {
                    collect(&inner, secret, keys)?;
                }
            }
        }
        SchemaKind::Type(Type::Array(array)) => {
            if let Some(items) = array
                .items
                .clone()
                .map(|i| i.unbox())
                .as_ref()
                .and_then(inline)
            {
                collect(&items, secret, keys)?;
            }
        }
        SchemaKind::AllOf { all_of: parts }
        | SchemaKind::OneOf { one_of: parts }
        | SchemaKind::AnyOf { any_of: parts } => {
            for part in parts.iter().filter_map(inline) {
                collect(&part, secret, keys)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whether a property's schema is a credential: a reference to a secret
/// schema (directly or as the one part of `allOf`/`oneOf`/`anyOf`), or
/// marked with the extension.
fn is_credential(
    property: &ReferenceOr<Schema>,
    secret: &BTreeSet<String>,
) -> Result<bool, String> {
    let schema = match property {
        ReferenceOr::Reference { reference } => return Ok(secret.contains(reference)),
        ReferenceOr::Item(schema) => schema,
    };
    if let Some(flag) = schema.schema_data.extensions.get(CREDENTIALS_EXTENSION) {
        return flag
            .as_bool()
            .ok_or_else(|| format!("`{CREDENTIALS_EXTENSION}` must be true or false"));
    }
    let parts = match &schema.schema_kind {
        SchemaKind::AllOf { all_of: parts }
        | SchemaKind::OneOf { one_of: parts }
        | SchemaKind::AnyOf { any_of: parts } => parts,
        _ => return Ok(false),
    };
    Ok(parts
        .iter()
        .any(|p| matches!(p, ReferenceOr::Reference { reference } if secret.contains(reference))))
}
