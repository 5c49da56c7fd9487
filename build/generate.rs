//! One platform's generation, step by step: the spec read and checked, its
//! open enums, listings and tables collected, the adapted spec run through
//! progenitor, and the results written into `OUT_DIR` as Rust formatted by
//! prettyplease:
//! - `<platform>.rs`, the progenitor client;
//! - `<platform>_enums.rs`, the open enums;
//! - `<platform>_operations.rs`, what the request pipeline needs of the
//!   spec (operation names, the operations safe to repeat, how each list
//!   operation pages);
//! - `<platform>_listings.rs`, the listings;
//! - `<platform>_notes.md`, what was adapted for progenitor;
//! - `<platform>_modules.rs`, the modules that include the above.

use std::fs;
use std::path::Path;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::adapt::{adapt_for_progenitor, adaptation_notes};
use super::{client, credentials, listing, modules, names, open_enum, pagination, spec};

/// Generates the client of one platform into `out_dir`.
pub fn generate(
    platform: &str,
    name: &str,
    target: &listing::Target,
    spec_path: &Path,
    out_dir: &Path,
) -> Result<(), String> {
    let spec = spec::read(spec_path)?;
    let enums = open_enum::collect(&spec)?;
    let rust_types = spec::rust_types(&spec)?;
    let safe_to_repeat = spec::safe_to_repeat(&spec)?;
    let credential_keys = credentials::keys(&spec)?;
    let credentials_doc = format!(
        "The keys of {name} items that hold credentials, wherever they appear (read from the \
         spec: the properties decoded as `SecretText` and those marked \
         `x-chatdesk-credentials`). A backup redacts them unless told to keep them.\n\n\
         ```\nassert!(chatdesk::{platform}::CREDENTIAL_KEYS.windows(2).all(|w| w[0] < w[1]));\n```"
    );
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

    let settings = client::settings(platform, &enums, &rust_types);
    let client = client::generate(&adapted, &settings)?;
    client::check_method_names(&client, &spec_ids, &method_names)?;
    write_rust(
        &out_dir.join(format!("{platform}_operations.rs")),
        quote! {
            /// Each operation's name in the generated client (what progenitor
            /// passes to the request hook) and its `operationId` in the spec.
            pub(crate) const OPERATION_IDS: &[(&str, &str)] = &[ #( (#method_names, #spec_ids) ),* ];
            /// The operations the spec marks `x-chatdesk-safe-to-repeat`:
            /// not idempotent by method, but reads only, so retried like a GET.
            pub(crate) const SAFE_TO_REPEAT: &[&str] = &[ #( #safe_to_repeat ),* ];
            #[doc = #credentials_doc]
            // Read by the backups of the shipped platforms, not by the
            // test spec's module.
            #[allow(dead_code)]
            pub const CREDENTIAL_KEYS: &[&str] = &[ #( #credential_keys ),* ];
            /// How each list operation pages (`x-chatdesk-pagination`).
            pub(crate) mod pagination {
                #( #declared )*
            }
        },
    )?;
    write_rust(&out_dir.join(format!("{platform}.rs")), client)?;
    write_rust(&out_dir.join(format!("{platform}_listings.rs")), listings)?;
    write_rust(
        &out_dir.join(format!("{platform}_modules.rs")),
        modules::tokens(platform, name, &target.platform),
    )?;
    let notes = out_dir.join(format!("{platform}_notes.md"));
    fs::write(&notes, adaptation_notes(spec_path, &adaptations))
        .map_err(|e| format!("cannot write {}: {e}", notes.display()))?;
    let enum_code: TokenStream = enums.iter().map(|e| e.to_tokens(platform)).collect();
    write_rust(&out_dir.join(format!("{platform}_enums.rs")), enum_code)
}

/// Where a platform's listings live in the crate (`module`), and the
/// `chatdesk::Platform` they report as (`reported`).
pub fn listing_target(module: &str, reported: &str) -> listing::Target {
    let platform = module;
    let module = format_ident!("{platform}");
    let variant = format_ident!("{}", names::upper_camel(reported));
    listing::Target {
        module: platform.to_string(),
        crate_path: quote!(crate::#module),
        doc_path: format!("chatdesk::{platform}"),
        platform: quote!(crate::error::Platform::#variant),
        label: reported.to_string(),
    }
}

/// Formats `tokens` as Rust source and writes them to `path`.
fn write_rust(path: &Path, tokens: TokenStream) -> Result<(), String> {
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|e| format!("generated code does not parse as Rust: {e}"))?;
    let text = prettyplease::unparse(&file);
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
