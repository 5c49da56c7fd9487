//! Reading schemas of a spec: references followed to what they point at,
//! and the component schemas written out in it.

use openapiv3::{Content, OpenAPI, ReferenceOr, Schema};

/// The schema of a body or parameter's `application/json` content.
pub fn json_content(content: &Content) -> Option<&ReferenceOr<Schema>> {
    content
        .get("application/json")
        .and_then(|media| media.schema.as_ref())
}

/// The schema itself, or the component a reference points at.
pub fn resolve<'a>(
    spec: &'a OpenAPI,
    schema: &'a ReferenceOr<Schema>,
) -> Result<&'a Schema, String> {
    match schema {
        ReferenceOr::Item(schema) => Ok(schema),
        ReferenceOr::Reference { reference } => component(spec, reference),
    }
}

/// The component schema `reference` points at, references followed.
pub fn component<'a>(spec: &'a OpenAPI, reference: &str) -> Result<&'a Schema, String> {
    let name = reference.trim_start_matches("#/components/schemas/");
    let found = spec
        .components
        .as_ref()
        .and_then(|c| c.schemas.get(name))
        .ok_or_else(|| format!("`{reference}` does not exist"))?;
    resolve(spec, found)
}

/// The component schemas written out in the spec (not references), by name.
pub fn components(spec: &OpenAPI) -> impl Iterator<Item = (&String, &Schema)> {
    spec.components
        .iter()
        .flat_map(|c| c.schemas.iter())
        .filter_map(|(name, schema)| match schema {
            ReferenceOr::Item(schema) => Some((name, schema)),
            ReferenceOr::Reference { .. } => None,
        })
}
