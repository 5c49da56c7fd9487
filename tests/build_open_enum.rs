//! The build step's open enums: every enum schema becomes a Rust enum with
//! an `Unknown` variant that keeps a value the spec does not list; string
//! enums match known values exactly, or in any case when the schema says
//! `x-chatdesk-case-insensitive`; integer enums name their variants with
//! `x-enum-varnames`; a schema that cannot give sound Rust names is refused
//! with a message naming it.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "../build/open_enum.rs"]
mod open_enum;
#[path = "../build/schema.rs"]
mod schema;

use open_enum::{EnumValue, OpenEnum};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// The open enums of a spec whose `components.schemas` are `schemas`
/// (YAML, indented by four spaces).
fn collect(schemas: &str) -> Result<Vec<OpenEnum>, String> {
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: test, version: '1'}}\npaths: {{}}\n\
         components:\n  schemas:\n{schemas}"
    );
    let spec: openapiv3::OpenAPI = serde_yaml_ng::from_str(&text).unwrap();
    open_enum::collect(&spec)
}

fn one(schemas: &str) -> OpenEnum {
    let mut enums = collect(schemas).unwrap();
    assert_eq!(enums.len(), 1);
    enums.remove(0)
}

/// The generated code, checked to be Rust, and its enum.
fn generated(open_enum: &OpenEnum) -> (String, syn::ItemEnum) {
    let code = open_enum.to_tokens("chatwoot");
    let file = syn::parse2::<syn::File>(code.clone()).unwrap();
    let item = file
        .items
        .into_iter()
        .find_map(|item| match item {
            syn::Item::Enum(item) => Some(item),
            _ => None,
        })
        .unwrap();
    (code.to_string(), item)
}

fn variants(item: &syn::ItemEnum) -> Vec<String> {
    item.variants.iter().map(|v| v.ident.to_string()).collect()
}

/// The type the `Unknown` variant holds.
fn unknown_holds(item: &syn::ItemEnum) -> String {
    let unknown = item.variants.iter().find(|v| v.ident == "Unknown").unwrap();
    unknown.fields.to_token_stream().to_string()
}

fn contains(code: &str, expected: TokenStream) -> bool {
    code.contains(&expected.to_string())
}

const STATUS: &str = "    ConversationStatus:
      type: string
      description: Where a conversation stands.
      enum: [open, resolved, pending]
";

#[test]
fn a_string_enum_lists_its_values_and_keeps_any_other_as_unknown() {
    let status = one(STATUS);
    assert_eq!(status.name, "ConversationStatus");
    assert!(!status.is_integer);
    let (code, item) = generated(&status);
    assert_eq!(item.ident, "ConversationStatus");
    assert_eq!(variants(&item), ["Open", "Resolved", "Pending", "Unknown"]);
    assert_eq!(unknown_holds(&item), "(:: std :: string :: String)");
    assert!(
        item.attrs
            .iter()
            .any(|a| a.path().is_ident("non_exhaustive")),
        "not #[non_exhaustive]"
    );
    // A value the spec does not list is kept as sent.
    assert!(contains(
        &code,
        quote!(
            match value {
                "open" => return Self::Open,
                "resolved" => return Self::Resolved,
                "pending" => return Self::Pending,
                _ => {}
            }
            Self::Unknown(value.to_string())
        )
    ));
    assert!(contains(
        &code,
        quote!(Self::Unknown(other) => other.as_str(),)
    ));
    assert!(contains(
        &code,
        quote!(impl ::std::str::FromStr for ConversationStatus)
    ));
    // The schema's description is the type's first doc line.
    assert!(contains(
        &code,
        quote!(#[doc = "Where a conversation stands."])
    ));
}

#[test]
fn matching_is_exact_unless_the_schema_says_case_insensitive() {
    let (exact, _) = generated(&one(STATUS));
    assert!(!exact.contains("eq_ignore_ascii_case"), "{exact}");

    let insensitive = one(&format!(
        "{STATUS}      x-chatdesk-case-insensitive: true\n"
    ));
    assert!(insensitive.case_insensitive);
    let (code, item) = generated(&insensitive);
    assert_eq!(variants(&item), ["Open", "Resolved", "Pending", "Unknown"]);
    // Exact values first, then any case, then `Unknown`.
    let exact_match = code.find(&quote!(_ => {}).to_string()).unwrap();
    let any_case = quote!(
        if value.eq_ignore_ascii_case("open") { return Self::Open; }
        if value.eq_ignore_ascii_case("resolved") { return Self::Resolved; }
        if value.eq_ignore_ascii_case("pending") { return Self::Pending; }
        Self::Unknown(value.to_string())
    )
    .to_string();
    let at = code.find(&any_case).unwrap_or_else(|| panic!("{code}"));
    assert!(exact_match < at);
}

#[test]
fn variant_names_come_from_the_wire_values() {
    let kinds = one("    MessageKind:
      type: string
      enum: [followUp, input_text, 'Captain::Assistant', 24h]
");
    let (_, item) = generated(&kinds);
    assert_eq!(
        variants(&item),
        [
            "FollowUp",
            "InputText",
            "CaptainAssistant",
            "V24h",
            "Unknown"
        ]
    );
    // `x-enum-varnames` names them instead.
    let named = one("    Sender:
      type: string
      enum: ['0', '1']
      x-enum-varnames: [bot, human_agent]
");
    let (code, item) = generated(&named);
    assert_eq!(variants(&item), ["Bot", "HumanAgent", "Unknown"]);
    assert!(contains(&code, quote!("0" => return Self::Bot,)));
}

#[test]
fn an_integer_enum_takes_its_names_from_x_enum_varnames() {
    let priority = one("    Priority:
      type: integer
      enum: [0, 1, 2]
      x-enum-varnames: [low, medium, urgent]
");
    assert!(priority.is_integer);
    let values: Vec<i64> = priority
        .variants
        .iter()
        .map(|(_, value)| match value {
            EnumValue::Integer(i) => *i,
            EnumValue::Text(t) => panic!("text {t}"),
        })
        .collect();
    assert_eq!(values, [0, 1, 2]);
    let (code, item) = generated(&priority);
    assert_eq!(variants(&item), ["Low", "Medium", "Urgent", "Unknown"]);
    assert_eq!(unknown_holds(&item), "(i64)");
    assert!(contains(
        &code,
        quote!(
            pub fn from_value(value: i64) -> Self {
                match value {
                    0i64 => Self::Low,
                    1i64 => Self::Medium,
                    2i64 => Self::Urgent,
                    other => Self::Unknown(other),
                }
            }
        )
    ));
    // Sent as a number, never parsed from text.
    assert!(contains(
        &code,
        quote!(serializer.serialize_i64(self.value()))
    ));
    assert!(!code.contains("FromStr"), "{code}");
}

#[test]
fn schemas_without_an_enum_are_left_to_progenitor() {
    let enums = collect(&format!(
        "{STATUS}    Plain:
      type: string
    Score:
      type: number
      enum: [0.5, 1.5]
    Alias:
      $ref: '#/components/schemas/ConversationStatus'
    Contact:
      type: object
      properties:
        status: {{type: string, enum: [a, b]}}
"
    ))
    .unwrap();
    let names: Vec<&str> = enums.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["ConversationStatus"]);
}

#[test]
fn schemas_that_cannot_give_sound_names_are_refused() {
    for (schemas, expected) in [
        (
            "    Priority:\n      type: integer\n      enum: [0, 1]\n",
            "schema `Priority`: an integer enum needs `x-enum-varnames`",
        ),
        (
            "    Priority:\n      type: integer\n      enum: [0, 1]\n      x-enum-varnames: [low]\n",
            "schema `Priority`: `x-enum-varnames` has 1 names for 2 values",
        ),
        (
            "    Priority:\n      type: integer\n      enum: [0, 1]\n      x-enum-varnames: [low, 1]\n",
            "schema `Priority`: `x-enum-varnames` must be a list of strings",
        ),
        (
            "    conversation_status:\n      type: string\n      enum: [open]\n",
            "schema `conversation_status`: an enum schema name must be PascalCase",
        ),
        (
            "    Status:\n      type: string\n      enum: [open, Open]\n",
            "schema `Status`: enum values give the Rust variant `Open` twice, an empty one, or \
             `Unknown`",
        ),
        (
            "    Status:\n      type: string\n      enum: [open, unknown]\n",
            "schema `Status`: enum values give the Rust variant `Unknown` twice, an empty one, \
             or `Unknown`",
        ),
        (
            "    Status:\n      type: string\n      enum: [open, '--']\n",
            "schema `Status`: enum values give the Rust variant `` twice, an empty one, or \
             `Unknown`",
        ),
        (
            "    Status:\n      type: string\n      nullable: true\n      enum: [open, null]\n",
            "schema `Status`: null is not allowed among enum values",
        ),
    ] {
        match collect(schemas) {
            Ok(_) => panic!("accepted: {schemas}"),
            Err(error) => assert_eq!(error, expected, "{schemas}"),
        }
    }
}
