//! Open enums: every component schema with an `enum` becomes a Rust enum
//! whose `Unknown` variant keeps a value this version of the spec does not
//! list, so a new value on the server does not fail the response. String
//! enums may match known values in any case
//! (`x-chatdesk-case-insensitive`); integer enums take their variant names
//! from `x-enum-varnames`. Progenitor is told to use these types in place
//! of the ones it would generate.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::schema::components;

/// Extension giving Rust variant names to an enum (required for integers).
const VARNAMES_EXTENSION: &str = "x-enum-varnames";
/// Extension saying that the server sends known enum values in several cases.
const CASE_INSENSITIVE_EXTENSION: &str = "x-chatdesk-case-insensitive";

/// One enum schema, generated as an open enum.
pub struct OpenEnum {
    pub name: String,
    pub description: Option<String>,
    pub is_integer: bool,
    pub case_insensitive: bool,
    /// `(Rust variant, wire value)`; the value is a string or an integer.
    pub variants: Vec<(String, EnumValue)>,
}

/// A wire value of an enum.
pub enum EnumValue {
    Text(String),
    Integer(i64),
}

/// Every component schema with an `enum`, as an open enum, checked.
pub fn collect(spec: &OpenAPI) -> Result<Vec<OpenEnum>, String> {
    let mut enums = Vec::new();
    for (name, schema) in components(spec) {
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
    pub fn to_tokens(&self, platform: &str) -> TokenStream {
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
