//! Build step: turns each OpenAPI spec under `openapi/` into a typed client.
//!
//! For every platform whose cargo feature is on, this script
//! 1. reads `openapi/<platform>.yaml` and parses it with `openapiv3`;
//! 2. checks what the generator relies on (OpenAPI 3.0.x, a unique
//!    `operationId` on every operation);
//! 3. adapts, in memory only, what progenitor cannot take (listed in
//!    `build/adapt.rs`); the YAML keeps describing the real wire
//!    format, so it stays true for other tools;
//! 4. generates open enums (an unknown value is kept, not an error) for every
//!    enum schema, and maps schemas marked `x-chatdesk-rust-type` to the named
//!    handwritten type;
//! 5. runs progenitor and writes `<platform>.rs` and `<platform>_enums.rs`
//!    into `OUT_DIR`, and `<platform>_operations.rs`: what the request
//!    pipeline needs of the spec (the POST operations marked
//!    `x-chatdesk-safe-to-repeat`, which it retries like a GET) and how each
//!    list operation pages (`x-chatdesk-pagination`, read and checked by
//!    `build/pagination.rs`).
//!
//! When any step fails, the build stops with a message that names the spec
//! file and the operation or schema at fault, never with a bare panic from
//! inside the generator.

#[path = "build/adapt.rs"]
mod adapt;
#[path = "build/listing.rs"]
mod listing;
#[path = "build/names.rs"]
mod names;
#[path = "build/pagination.rs"]
mod pagination;
#[path = "build/schema.rs"]
mod schema;
#[path = "build/spec.rs"]
mod spec;

use std::collections::BTreeMap;
use std::env;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use adapt::{adapt_for_progenitor, adaptation_notes};
use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle, TypeImpl};
use quote::{format_ident, quote};

/// The platforms, each a cargo feature of the same name and a spec file.
const PLATFORMS: [&str; 2] = ["chatbotx", "chatwoot"];

/// Extension giving Rust variant names to an enum (required for integers).
const VARNAMES_EXTENSION: &str = "x-enum-varnames";
/// Extension saying that the server sends known enum values in several cases.
const CASE_INSENSITIVE_EXTENSION: &str = "x-chatdesk-case-insensitive";
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out_dir = match env::var_os("OUT_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => fail("OUT_DIR is not set; run this build script through cargo"),
    };
    for platform in PLATFORMS {
        let spec_path = format!("openapi/{platform}.yaml");
        println!("cargo:rerun-if-changed={spec_path}");
        let feature = format!("CARGO_FEATURE_{}", platform.to_uppercase());
        if env::var_os(feature).is_none() {
            continue;
        }
        let target = listing_target(platform, platform);
        if let Err(message) = generate(platform, &target, Path::new(&spec_path), &out_dir) {
            fail(&format!("{spec_path}: {message}"));
        }
    }
    // The test spec: one listing of each style, generated like the shipped
    // specs for the library's own tests (`src/example.rs`, compiled in
    // tests only). A packaged crate has no `tests/`, and skips it.
    let example = Path::new(EXAMPLE_SPEC);
    if example.exists() {
        println!("cargo:rerun-if-changed={EXAMPLE_SPEC}");
        // Its errors and traces say `chatbotx`: a platform must be one of
        // `chatdesk::Platform`'s.
        let target = listing_target("example", "chatbotx");
        if let Err(message) = generate("example", &target, example, &out_dir) {
            fail(&format!("{EXAMPLE_SPEC}: {message}"));
        }
    }
}

/// The test spec, generated for the library's own tests.
const EXAMPLE_SPEC: &str = "tests/spec/example.yaml";

/// Stops the build with `message`, shown by cargo under the build script's
/// output.
fn fail(message: &str) -> ! {
    eprintln!("error: chatdesk code generation failed\n  {message}");
    std::process::exit(1);
}

/// Generates the client of one platform into `out_dir`.
fn generate(
    platform: &str,
    target: &listing::Target,
    spec_path: &Path,
    out_dir: &Path,
) -> Result<(), String> {
    let spec = spec::read(spec_path)?;

    let enums = collect_open_enums(&spec)?;
    let rust_types = spec::rust_types(&spec)?;
    let safe_to_repeat = spec::safe_to_repeat(&spec)?;
    let paginated = pagination::collect(&spec)?;
    let declared: Vec<TokenStream> = paginated
        .iter()
        .map(|p| p.to_tokens(&names::snake_case(&p.operation).to_uppercase()))
        .collect();
    let listings = listing::generate(&spec, &paginated, target)?;
    let spec_ids: Vec<String> = spec::operations(&spec)
        .iter()
        .filter_map(|(_, _, operation)| operation.operation_id.clone())
        .collect();
    let method_names: Vec<String> = spec_ids.iter().map(|id| names::snake_case(id)).collect();
    let (adapted, adaptations) = adapt_for_progenitor(spec);

    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        .with_inner_type(quote!(crate::request::Http));
    for open_enum in &enums {
        let path = format!("crate::{platform}::enums::{}", open_enum.name);
        let impls = if open_enum.is_integer {
            vec![TypeImpl::Display]
        } else {
            vec![TypeImpl::Display, TypeImpl::FromStr]
        };
        settings.with_replacement(&open_enum.name, path, impls.into_iter());
    }
    for (name, path) in &rust_types {
        settings.with_replacement(name, path, [TypeImpl::Display].into_iter());
    }

    let client = generate_checked(&adapted, &settings)?;
    // The generated client names each operation by its method (progenitor
    // passes that name to the request hook); the pipeline speaks the
    // spec's operationId. Check that each name is really there.
    let client_text = client.to_string();
    for (id, name) in spec_ids.iter().zip(&method_names) {
        if !client_text.contains(&format!("operation_id : \"{name}\"")) {
            return Err(format!(
                "operation `{id}`: the generated client does not call it `{name}`; the \
                 pipeline could not tell it by its operationId"
            ));
        }
    }
    write_rust(
        &out_dir.join(format!("{platform}_operations.rs")),
        quote! {
            /// Each operation's name in the generated client (what progenitor
            /// passes to the request hook) and its `operationId` in the spec.
            pub(crate) const OPERATION_IDS: &[(&str, &str)] = &[ #( (#method_names, #spec_ids) ),* ];
            /// The operations the spec marks `x-chatdesk-safe-to-repeat`:
            /// not idempotent by method, but reads only, so retried like a GET.
            pub(crate) const SAFE_TO_REPEAT: &[&str] = &[ #( #safe_to_repeat ),* ];
            /// How each list operation pages (`x-chatdesk-pagination`).
            pub(crate) mod pagination {
                #( #declared )*
            }
        },
    )?;
    write_rust(&out_dir.join(format!("{platform}.rs")), client)?;
    write_rust(&out_dir.join(format!("{platform}_listings.rs")), listings)?;
    let notes = out_dir.join(format!("{platform}_notes.md"));
    fs::write(&notes, adaptation_notes(spec_path, &adaptations))
        .map_err(|e| format!("cannot write {}: {e}", notes.display()))?;
    let enum_code: TokenStream = enums.iter().map(|e| e.to_tokens(platform)).collect();
    write_rust(&out_dir.join(format!("{platform}_enums.rs")), enum_code)
}

/// Where a platform's listings live in the crate (`module`), and the
/// `chatdesk::Platform` they report as (`reported`).
fn listing_target(module: &str, reported: &str) -> listing::Target {
    let platform = module;
    let variant: String = reported
        .chars()
        .enumerate()
        .map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c })
        .collect();
    let module = format_ident!("{platform}");
    let variant = format_ident!("{variant}");
    listing::Target {
        module: platform.to_string(),
        crate_path: quote!(crate::#module),
        doc_path: format!("chatdesk::{platform}"),
        platform: quote!(crate::error::Platform::#variant),
        label: reported.to_string(),
    }
}

/// Runs progenitor, turning its errors and panics into a message that names
/// the operation or schema at fault.
fn generate_checked(spec: &OpenAPI, settings: &GenerationSettings) -> Result<TokenStream, String> {
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
    for (path, method, operation) in spec::operations(spec) {
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

/// One enum schema, generated as an open enum.
struct OpenEnum {
    name: String,
    description: Option<String>,
    is_integer: bool,
    case_insensitive: bool,
    /// `(Rust variant, wire value)`; the value is a string or an integer.
    variants: Vec<(String, EnumValue)>,
}

enum EnumValue {
    Text(String),
    Integer(i64),
}

/// Every component schema with an `enum`, as an open enum.
fn collect_open_enums(spec: &OpenAPI) -> Result<Vec<OpenEnum>, String> {
    let mut enums = Vec::new();
    for (name, schema) in schema::components(spec) {
        let schema_error = |message: String| format!("schema `{name}`: {message}");
        let data = &schema.schema_data;
        let case_insensitive = data
            .extensions
            .get(CASE_INSENSITIVE_EXTENSION)
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false);
        let (is_integer, variants) = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let names = varnames(data, s.enumeration.len()).map_err(schema_error)?;
                let mut variants = Vec::new();
                for (index, value) in s.enumeration.iter().enumerate() {
                    let value = value.clone().ok_or_else(|| {
                        schema_error("null is not allowed among enum values".into())
                    })?;
                    let variant = match &names {
                        Some(names) => names[index].clone(),
                        None => variant_name(&value),
                    };
                    variants.push((variant, EnumValue::Text(value)));
                }
                (false, variants)
            }
            SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => {
                let names = varnames(data, i.enumeration.len())
                    .map_err(schema_error)?
                    .ok_or_else(|| {
                        schema_error(format!("an integer enum needs `{VARNAMES_EXTENSION}`"))
                    })?;
                let mut variants = Vec::new();
                for (value, name) in i.enumeration.iter().zip(names) {
                    let value = value.ok_or_else(|| {
                        schema_error("null is not allowed among enum values".into())
                    })?;
                    variants.push((name, EnumValue::Integer(value)));
                }
                (true, variants)
            }
            _ => continue,
        };
        if !is_pascal_identifier(name) {
            return Err(schema_error(
                "an enum schema name must be PascalCase".into(),
            ));
        }
        let mut unique = BTreeMap::new();
        for (variant, _) in &variants {
            if variant.is_empty() || variant == "Unknown" || unique.insert(variant, ()).is_some() {
                return Err(schema_error(format!(
                    "enum values give the Rust variant `{variant}` twice, an empty one, or `Unknown`"
                )));
            }
        }
        enums.push(OpenEnum {
            name: name.clone(),
            description: data.description.clone(),
            is_integer,
            case_insensitive,
            variants,
        });
    }
    Ok(enums)
}

/// The `x-enum-varnames` of a schema, checked against the number of values.
fn varnames(data: &openapiv3::SchemaData, count: usize) -> Result<Option<Vec<String>>, String> {
    let Some(names) = data.extensions.get(VARNAMES_EXTENSION) else {
        return Ok(None);
    };
    let names: Vec<String> = names
        .as_array()
        .and_then(|names| names.iter().map(|n| n.as_str().map(variant_name)).collect())
        .ok_or_else(|| format!("`{VARNAMES_EXTENSION}` must be a list of strings"))?;
    if names.len() != count {
        return Err(format!(
            "`{VARNAMES_EXTENSION}` has {} names for {count} values",
            names.len()
        ));
    }
    Ok(Some(names))
}

fn is_pascal_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A wire value as a Rust variant: `followUp` -> `FollowUp`,
/// `input_text` -> `InputText`, `Captain::Assistant` -> `CaptainAssistant`.
fn variant_name(value: &str) -> String {
    let mut out = String::new();
    for word in value.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

impl OpenEnum {
    fn to_tokens(&self, platform: &str) -> TokenStream {
        let name = format_ident!("{}", self.name);
        let name_text = &self.name;
        let description = self
            .description
            .clone()
            .unwrap_or_else(|| format!("`{}` values.", self.name));
        let known_list = self
            .variants
            .iter()
            .map(|(_, value)| match value {
                EnumValue::Text(t) => format!("`{t}`"),
                EnumValue::Integer(i) => format!("`{i}`"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let open_note = format!(
            "Open enum: the known values are {known_list}; any other value the server sends is \
             kept in [`{name_text}::Unknown`] rather than failing the response."
        );
        let idents: Vec<_> = self
            .variants
            .iter()
            .map(|(v, _)| format_ident!("{v}"))
            .collect();
        let variant_docs: Vec<_> = self
            .variants
            .iter()
            .map(|(_, value)| match value {
                EnumValue::Text(t) => format!("`{t}`"),
                EnumValue::Integer(i) => format!("`{i}`"),
            })
            .collect();
        let unknown_type = if self.is_integer {
            quote!(i64)
        } else {
            quote!(::std::string::String)
        };
        let example_value = match &self.variants[0].1 {
            EnumValue::Text(t) => format!("\"{t}\""),
            EnumValue::Integer(i) => i.to_string(),
        };
        let example = format!(
            "```\n# use chatdesk::{platform}::enums::{name_text};\n\
             let value: {name_text} = serde_json::from_str(\"{escaped}\").unwrap();\n\
             assert_eq!(value, {name_text}::{first});\n```",
            escaped = example_value.replace('"', "\\\""),
            first = self.variants[0].0,
        );
        let accessors = if self.is_integer {
            let values: Vec<i64> = self
                .variants
                .iter()
                .map(|(_, v)| match v {
                    EnumValue::Integer(i) => *i,
                    EnumValue::Text(_) => 0,
                })
                .collect();
            quote! {
                /// The value as sent on the wire.
                pub fn value(&self) -> i64 {
                    match self {
                        #( Self::#idents => #values, )*
                        Self::Unknown(other) => *other,
                    }
                }

                /// The known variant for `value`, or [`Self::Unknown`].
                pub fn from_value(value: i64) -> Self {
                    match value {
                        #( #values => Self::#idents, )*
                        other => Self::Unknown(other),
                    }
                }
            }
        } else {
            let values: Vec<&str> = self
                .variants
                .iter()
                .map(|(_, v)| match v {
                    EnumValue::Text(t) => t.as_str(),
                    EnumValue::Integer(_) => "",
                })
                .collect();
            let fallback = if self.case_insensitive {
                quote! {
                    #( if value.eq_ignore_ascii_case(#values) { return Self::#idents; } )*
                }
            } else {
                quote! {}
            };
            quote! {
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#idents => #values, )*
                        Self::Unknown(other) => other.as_str(),
                    }
                }

                /// The known variant for `value`, or [`Self::Unknown`] holding it.
                pub fn from_value(value: &str) -> Self {
                    match value {
                        #( #values => return Self::#idents, )*
                        _ => {}
                    }
                    #fallback
                    Self::Unknown(value.to_string())
                }
            }
        };
        let (serialize_body, visitor, schema_json) = if self.is_integer {
            let values: Vec<i64> = self
                .variants
                .iter()
                .filter_map(|(_, v)| match v {
                    EnumValue::Integer(i) => Some(*i),
                    EnumValue::Text(_) => None,
                })
                .collect();
            (
                quote! { serializer.serialize_i64(self.value()) },
                quote! {
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        write!(f, "an integer ({})", #known_list)
                    }
                    fn visit_i64<E: ::serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                        Ok(#name::from_value(v))
                    }
                    fn visit_u64<E: ::serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                        i64::try_from(v)
                            .map(#name::from_value)
                            .map_err(|_| E::invalid_value(::serde::de::Unexpected::Unsigned(v), &self))
                    }
                },
                quote! {
                    ::schemars::json_schema!({
                        "description": #description,
                        "anyOf": [ { "type": "integer", "enum": [ #( #values ),* ] }, { "type": "integer" } ]
                    })
                },
            )
        } else {
            let values: Vec<&str> = self
                .variants
                .iter()
                .filter_map(|(_, v)| match v {
                    EnumValue::Text(t) => Some(t.as_str()),
                    EnumValue::Integer(_) => None,
                })
                .collect();
            (
                quote! { serializer.serialize_str(self.as_str()) },
                quote! {
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        write!(f, "a string ({})", #known_list)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                        Ok(#name::from_value(v))
                    }
                },
                quote! {
                    ::schemars::json_schema!({
                        "description": #description,
                        "anyOf": [ { "type": "string", "enum": [ #( #values ),* ] }, { "type": "string" } ]
                    })
                },
            )
        };
        let from_str = if self.is_integer {
            quote! {}
        } else {
            quote! {
                impl ::std::str::FromStr for #name {
                    type Err = ::std::convert::Infallible;
                    fn from_str(value: &str) -> Result<Self, Self::Err> {
                        Ok(Self::from_value(value))
                    }
                }
                impl ::std::convert::From<&str> for #name {
                    fn from(value: &str) -> Self {
                        Self::from_value(value)
                    }
                }
                impl ::std::convert::TryFrom<&::std::string::String> for #name {
                    type Error = ::std::convert::Infallible;
                    fn try_from(value: &::std::string::String) -> Result<Self, Self::Error> {
                        Ok(Self::from_value(value))
                    }
                }
                impl ::std::convert::TryFrom<::std::string::String> for #name {
                    type Error = ::std::convert::Infallible;
                    fn try_from(value: ::std::string::String) -> Result<Self, Self::Error> {
                        Ok(Self::from_value(&value))
                    }
                }
            }
        };
        let display_body = if self.is_integer {
            quote! { write!(f, "{}", self.value()) }
        } else {
            quote! { f.write_str(self.as_str()) }
        };
        let visitor_name = format_ident!("{}Visitor", self.name);
        let unknown_doc = format!(
            "A value this version of the spec does not list, kept as sent ({wire}).",
            wire = if self.is_integer {
                "an integer"
            } else {
                "a string"
            }
        );
        quote! {
            #[doc = #description]
            #[doc = ""]
            #[doc = #open_note]
            #[doc = ""]
            #[doc = #example]
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum #name {
                #( #[doc = #variant_docs] #idents, )*
                #[doc = #unknown_doc]
                Unknown(#unknown_type),
            }

            impl #name {
                /// The values this version of the spec lists.
                pub const KNOWN: &'static [Self] = &[ #( Self::#idents ),* ];

                #accessors

                /// Whether the value is one the spec lists.
                pub fn is_known(&self) -> bool {
                    !matches!(self, Self::Unknown(_))
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #display_body
                }
            }

            #from_str

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    #serialize_body
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    struct #visitor_name;
                    impl<'de> ::serde::de::Visitor<'de> for #visitor_name {
                        type Value = #name;
                        #visitor
                    }
                    deserializer.deserialize_any(#visitor_name)
                }
            }

            impl ::schemars::JsonSchema for #name {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(#name_text)
                }
                fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                    #schema_json
                }
            }
        }
    }
}

/// Formats `tokens` as Rust source and writes them to `path`.
fn write_rust(path: &Path, tokens: TokenStream) -> Result<(), String> {
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|e| format!("generated code does not parse as Rust: {e}"))?;
    let text = prettyplease::unparse(&file);
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
