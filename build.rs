//! Build step: turns each OpenAPI spec under `openapi/` into a typed client.
//!
//! For every platform whose cargo feature is on, and for the test spec,
//! `build/generate.rs` runs the steps in order, one module each:
//! 1. `build/spec.rs` reads `openapi/<platform>.yaml` and checks what the
//!    generator relies on (OpenAPI 3.0.x, a unique `operationId` on every
//!    operation);
//! 2. `build/open_enum.rs` generates open enums (an unknown value is kept,
//!    not an error) for every enum schema; schemas marked
//!    `x-chatdesk-rust-type` map to the named handwritten type;
//! 3. `build/pagination.rs` reads how each list operation pages, and
//!    `build/listing.rs` writes its listing;
//! 4. `build/adapt.rs` adapts, in memory only, what progenitor cannot take;
//!    the YAML keeps describing the real wire format;
//! 5. `build/client.rs` runs progenitor, `build/modules.rs` writes the
//!    module declarations that include it all, and `build/generate.rs` writes the
//!    results into `OUT_DIR`.
//!
//! When any step fails, the build stops with a message that names the spec
//! file and the operation or schema at fault, never with a bare panic from
//! inside the generator.

#[path = "build/adapt.rs"]
mod adapt;
#[path = "build/client.rs"]
mod client;
#[path = "build/credentials.rs"]
mod credentials;
#[path = "build/generate.rs"]
mod generate;
#[path = "build/listing.rs"]
mod listing;
#[path = "build/modules.rs"]
mod modules;
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
use std::path::{Path, PathBuf};

use generate::{generate, listing_target};

/// The platforms, each a cargo feature of the same name and a spec file.
const PLATFORMS: [(&str, &str); 2] = [("chatbotx", "ChatbotX"), ("chatwoot", "Chatwoot")];

/// The test spec, generated for the library's own tests.
const EXAMPLE_SPEC: &str = "tests/spec/example.yaml";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out_dir = match env::var_os("OUT_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => fail("OUT_DIR is not set; run this build script through cargo"),
    };
    for (platform, name) in PLATFORMS {
        let spec_path = format!("openapi/{platform}.yaml");
        println!("cargo:rerun-if-changed={spec_path}");
        let feature = format!("CARGO_FEATURE_{}", platform.to_uppercase());
        if env::var_os(feature).is_none() {
            continue;
        }
        let target = listing_target(platform, platform);
        if let Err(message) = generate(platform, name, &target, Path::new(&spec_path), &out_dir) {
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
        if let Err(message) = generate("example", "Example", &target, example, &out_dir) {
            fail(&format!("{EXAMPLE_SPEC}: {message}"));
        }
    }
}

/// Stops the build with `message`, shown by cargo under the build script's
/// output.
fn fail(message: &str) -> ! {
    eprintln!("error: chatdesk code generation failed\n  {message}");
    std::process::exit(1);
}
