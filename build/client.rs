//! The client progenitor generates from an adapted spec: its settings (the
//! builder interface, the request hook's inner type, the open enums and
//! handwritten types in place of generated ones), and a run of it that
//! turns its errors and panics into a message naming the schema or
//! operation at fault.

use std::panic::{self, AssertUnwindSafe};

use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;

use super::open_enum::OpenEnum;
use super::spec::operations;

/// Progenitor's settings for `platform`: `enums` and `rust_types` (schema
/// name, Rust path) replace the types it would generate.
pub fn settings(
    platform: &str,
    enums: &[OpenEnum],
    rust_types: &[(String, String)],
) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        .with_inner_type(quote!(crate::http::Http));
    for open_enum in enums {
        let path = format!("crate::{platform}::enums::{}", open_enum.name);
        let impls = if open_enum.is_integer {
            vec![TypeImpl::Display]
        } else {
            vec![TypeImpl::Display, TypeImpl::FromStr]
        };
        settings.with_replacement(&open_enum.name, path, impls.into_iter());
    }
    for (name, path) in rust_types {
        settings.with_replacement(name, path, [TypeImpl::Display].into_iter());
    }
    settings
}

/// Checks that the generated client names each operation by its method
/// (progenitor passes that name to the request hook; the pipeline speaks
/// the spec's operationId), given as `(operationId, method name)`.
pub fn check_method_names(
    client: &TokenStream,
    spec_ids: &[String],
    method_names: &[String],
) -> Result<(), String> {
    let client_text = client.to_string();
    for (id, name) in spec_ids.iter().zip(method_names) {
        if !client_text.contains(&format!("operation_id : \"{name}\"")) {
            return Err(format!(
                "operation `{id}`: the generated client does not call it `{name}`; the \
                 pipeline could not tell it by its operationId"
            ));
        }
    }
    Ok(())
}

/// Runs progenitor, turning its errors and panics into a message that names
/// the operation or schema at fault.
pub fn generate(spec: &OpenAPI, settings: &GenerationSettings) -> Result<TokenStream, String> {
    match try_generate(spec, settings) {
        Ok(tokens) => Ok(tokens),
        Err(whole) => Err(diagnose(spec, settings).unwrap_or(whole)),
    }
}

fn try_generate(spec: &OpenAPI, settings: &GenerationSettings) -> Result<TokenStream, String> {
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        Generator::new(settings).generate_tokens(spec)
    }));
    panic::set_hook(previous_hook);
    match outcome {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => Err(format!("the generator refused the spec: {error}")),
        Err(payload) => {
            let text = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "no message".to_string());
            Err(format!("the generator panicked: {text}"))
        }
    }
}

/// Finds which schema or operation makes generation fail by generating the
/// components alone, then each operation alone.
fn diagnose(spec: &OpenAPI, settings: &GenerationSettings) -> Option<String> {
    let mut bare = spec.clone();
    bare.paths.paths.clear();
    if let Err(error) = try_generate(&bare, settings) {
        return Some(format!("in `components.schemas`: {error}"));
    }
    for (path, method, operation) in operations(spec) {
        let mut single = bare.clone();
        let mut item = openapiv3::PathItem::default();
        let slot = match method.as_str() {
            "get" => &mut item.get,
            "put" => &mut item.put,
            "post" => &mut item.post,
            "delete" => &mut item.delete,
            "options" => &mut item.options,
            "head" => &mut item.head,
            "patch" => &mut item.patch,
            _ => &mut item.trace,
        };
        *slot = Some(operation.clone());
        single
            .paths
            .paths
            .insert(path.to_string(), ReferenceOr::Item(item));
        if let Err(error) = try_generate(&single, settings) {
            let id = operation.operation_id.as_deref().unwrap_or("?");
            return Some(format!(
                "in operation `{id}` ({} {path}): {error}",
                method.to_uppercase()
            ));
        }
    }
    None
}
