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
#[path = "build/open_enum.rs"]
mod open_enum;
#[path = "build/pagination.rs"]
mod pagination;
#[path = "build/schema.rs"]
mod schema;
#[path = "build/spec.rs"]
mod spec;

use std::env;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use adapt::{adapt_for_progenitor, adaptation_notes};
use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle, TypeImpl};
use quote::{format_ident, quote};

/// The platforms, each a cargo feature of the same name and a spec file.
const PLATFORMS: [&str; 2] = ["chatbotx", "chatwoot"];

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

    let enums = open_enum::collect(&spec)?;
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

/// Formats `tokens` as Rust source and writes them to `path`.
fn write_rust(path: &Path, tokens: TokenStream) -> Result<(), String> {
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|e| format!("generated code does not parse as Rust: {e}"))?;
    let text = prettyplease::unparse(&file);
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
