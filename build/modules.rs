//! The module declarations of a platform's generated code, written into
//! `OUT_DIR` as `<platform>_modules.rs` and included by the platform's
//! `mod.rs`: `api`, `enums`, `types`, `listings` and `operations`, and the
//! request hook that sends every call of the generated client through the
//! crate's pipeline, and the platform's marker for the generic client. Written here rather than by a macro, so that
//! go-to-definition and rustdoc see plain modules.

use proc_macro2::TokenStream;
use quote::quote;

use super::names::upper_camel;

/// The modules of `platform` (`chatwoot`), whose name in prose is `name`
/// (`Chatwoot`), and its marker type for the generic client, which reports
/// as `reported` (a `crate::Platform` variant).
pub fn tokens(platform: &str, name: &str, reported: &TokenStream) -> TokenStream {
    let marker = upper_camel(platform);
    let marker_doc = format!(
        "{name}, as the generic client and builder see it.\n\n```\nuse \
         chatdesk::client::PlatformApi;\nassert_eq!(chatdesk::{platform}::{marker}::PLATFORM.\
         to_string(), \"{platform}\");\n```"
    );
    let marker = quote::format_ident!("{marker}");
    let file = |suffix: &str| format!("/{platform}{suffix}");
    let (api, enums, listings, operations, notes) = (
        file(".rs"),
        file("_enums.rs"),
        file("_listings.rs"),
        file("_operations.rs"),
        file("_notes.md"),
    );
    let listings_doc = format!(
        "The listings of the {name} spec: for each list operation, a type naming it, its \
         listing (`List...Request`, with one setter per query parameter) and the `Client` \
         method that starts it, all generated from the operation's `x-chatdesk-pagination` \
         extension."
    );
    let types_doc =
        format!("Every type of the {name} API: the generated structs and the open enums.");
    quote! {
        #[doc = include_str!(concat!(env!("OUT_DIR"), #notes))]
        #[allow(
            missing_docs,
            unused_imports,
            clippy::all,
            clippy::pedantic,
            clippy::unwrap_used,
            clippy::expect_used
        )]
        pub mod api {
            include!(concat!(env!("OUT_DIR"), #api));
        }

        /// Open enums generated from the spec's enum schemas: a value the
        /// spec does not list is kept in the `Unknown` variant instead of
        /// failing the page.
        #[allow(clippy::all)]
        pub mod enums {
            include!(concat!(env!("OUT_DIR"), #enums));
        }

        #[doc = #listings_doc]
        pub mod listings {
            include!(concat!(env!("OUT_DIR"), #listings));
        }

        /// What the request pipeline learns of the operations from the spec.
        pub(crate) mod operations {
            include!(concat!(env!("OUT_DIR"), #operations));
        }

        #[doc = #types_doc]
        pub mod types {
            pub use super::api::types::*;
            pub use super::enums::*;
        }

        #[doc = #marker_doc]
        #[derive(Debug)]
        pub enum #marker {}

        impl crate::client::PlatformApi for #marker {
            const PLATFORM: crate::Platform = #reported;
            type Api = api::Client;
            const OPERATIONS: crate::http::Operations = crate::http::Operations {
                ids: operations::OPERATION_IDS,
                safe_to_repeat: operations::SAFE_TO_REPEAT,
            };
            fn generated(http: &crate::http::Http) -> api::Client {
                api::Client::new_with_client(&http.base_url, http.client.clone(), http.clone())
            }
        }

        /// Every call of the generated client goes through the client's
        /// pipeline: progenitor calls `exec` for each operation.
        impl progenitor_client::ClientHooks<crate::http::Http> for api::Client {
            async fn exec(
                &self,
                request: reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                use progenitor_client::ClientInfo;
                self.inner().exec(request, info.operation_id).await
            }
        }
    }
}
