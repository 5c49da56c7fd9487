//! The listings of a spec: for each operation with `x-chatdesk-pagination`,
//! a type for the operation, the setters of its query parameters and a
//! method on the platform's `Client`, all written from the YAML.
//!
//! What each parameter becomes:
//! - its setter is named after it in snake case, without a trailing `[]`
//!   (`x-chatdesk-setter` renames it); a list also gets a one-value setter
//!   when `x-chatdesk-setter-one` names it;
//! - the setter's type comes from the schema: text takes
//!   `impl Into<String>`, integers `i64`, booleans `bool`, a component
//!   schema its generated type, a list `impl IntoIterator` of its items, and
//!   `x-chatdesk-setter-type` (on the parameter or the schema) a handwritten
//!   type;
//! - its encoding comes from the parameter: `content: application/json` is
//!   JSON text, `style: deepObject` bracket notation, a `form` list one
//!   pair per value, anything else one pair;
//! - its checks come from the schema's `minimum`, `maximum`, `minLength`,
//!   `maxItems` and `format: digits`;
//! - `x-chatdesk-setter-hook` names a function of the platform's `hooks`
//!   module the value goes through, and `x-chatdesk-json-alternative` names
//!   a setter that sends a bracket parameter as JSON text instead.
//!
//! The parameters go on the wire in the spec's order; the walk puts the
//! page number or cursor at its parameter's place.

use openapiv3::{
    OpenAPI, Operation, Parameter, ParameterData, ParameterSchemaOrContent, QueryStyle,
    ReferenceOr, Schema, SchemaKind, Type,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::names::{snake_case, upper_camel};
use super::pagination::{EXTENSION, Pagination, Style, success_schema, walk};
use super::schema::{json_content, resolve};

/// Renames a parameter's setter.
const SETTER: &str = "x-chatdesk-setter";
/// Names a one-value setter for a list parameter.
const SETTER_ONE: &str = "x-chatdesk-setter-one";
/// The handwritten Rust type a setter takes.
const SETTER_TYPE: &str = "x-chatdesk-setter-type";
/// A Rust expression of the setter's type, for its doc example.
const EXAMPLE: &str = "x-chatdesk-example";
/// A function of the platform's `hooks` module a text value goes through.
const SETTER_HOOK: &str = "x-chatdesk-setter-hook";
/// A setter that sends a bracket parameter as JSON text instead.
const JSON_ALTERNATIVE: &str = "x-chatdesk-json-alternative";
/// The views one walk goes through in turn.
const VIEWS: &str = "x-chatdesk-views";
/// Leaves a query parameter out of the listing (the request builder keeps
/// it): one that would break the walk, or that the server ignores during it.
const NO_SETTER: &str = "x-chatdesk-no-setter";

/// Where the generated code lives: the platform's module, its `Platform`
/// variant, and its name in messages.
pub struct Target {
    /// The module path inside the crate (`chatbotx`).
    pub module: String,
    /// The crate path the generated code uses for it (`crate::chatbotx`).
    pub crate_path: TokenStream,
    /// The path doc examples use (`chatdesk::chatbotx`).
    pub doc_path: String,
    /// The `crate::error::Platform` variant.
    pub platform: TokenStream,
    /// The platform's name in messages (`chatbotx`).
    pub label: String,
}

/// The listings module of a spec.
pub fn generate(
    spec: &OpenAPI,
    declared: &[Pagination],
    target: &Target,
) -> Result<TokenStream, String> {
    let mut code = TokenStream::new();
    let mut keyed: Vec<String> = Vec::new();
    for pagination in declared {
        let (path, method, operation) = find(spec, &pagination.operation)?;
        let listing =
            Listing::read(spec, path, &method, operation, pagination, target).map_err(|e| {
                format!(
                    "operation `{}` ({} {path}), its listing: {e}",
                    pagination.operation,
                    method.to_uppercase()
                )
            })?;
        code.extend(listing.tokens(target));
        if !keyed.contains(&listing.item) {
            code.extend(item_key(target, &listing.item));
            keyed.push(listing.item.clone());
        }
    }
    Ok(code)
}

/// The operation with `id`, its path and method.
fn find<'a>(spec: &'a OpenAPI, id: &str) -> Result<(&'a str, String, &'a Operation), String> {
    for (path, item) in &spec.paths.paths {
        if let ReferenceOr::Item(item) = item {
            for (method, operation) in item.iter() {
                if operation.operation_id.as_deref() == Some(id) {
                    return Ok((path.as_str(), method.to_string(), operation));
                }
            }
        }
    }
    Err(format!("operation `{id}` does not exist"))
}

/// One listing, read from its operation.
struct Listing {
    operation: String,
    method: String,
    path: String,
    docs: String,
    /// The schema name of the items.
    item: String,
    style: Style,
    /// `true` for a POST, whose body holds the body fields.
    post: bool,
    path_params: Vec<PathParam>,
    params: Vec<QueryParam>,
    single_page_when: Vec<String>,
    concurrency_default: u64,
    page_count_hook: Option<String>,
    counts_items: bool,
    views: Option<Views>,
}

struct PathParam {
    name: String,
    kind: Kind,
    minimum: Option<i64>,
    min_length: Option<u64>,
}

struct QueryParam {
    wire: String,
    setter: String,
    one: Option<String>,
    role: Role,
    encoding: Encoding,
    kind: Kind,
    check: Check,
    hook: Option<String>,
    json_alternative: Option<String>,
    docs: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Role {
    Filter,
    PageSize,
    Page,
    Cursor,
}

#[derive(Clone, Copy, PartialEq)]
enum Encoding {
    Plain,
    Repeated,
    JsonText,
    Brackets,
    /// A property of the JSON request body.
    Body {
        required: bool,
    },
}

#[derive(Default)]
struct Check {
    minimum: Option<i64>,
    maximum: Option<i64>,
    min_length: Option<u64>,
    digits: bool,
    max_items: Option<u64>,
}

/// What a setter takes.
#[derive(Clone)]
enum Kind {
    Text,
    Integer,
    Boolean,
    Number,
    /// A generated type (an enum or an object of the spec), by schema name,
    /// with a doc example.
    Generated {
        name: String,
        example: String,
    },
    /// A handwritten type, by Rust path, with a doc example.
    Custom {
        path: String,
        example: String,
    },
    List(Box<Kind>),
}

struct Views {
    setter: String,
    param: String,
    views: Vec<Vec<String>>,
    docs: String,
}

impl Listing {
    fn read(
        spec: &OpenAPI,
        path: &str,
        method: &str,
        operation: &Operation,
        pagination: &Pagination,
        target: &Target,
    ) -> Result<Self, String> {
        let post = match method {
            "get" => false,
            "post" => true,
            other => {
                return Err(format!(
                    "a listing is a GET, or a POST that only reads; not {}",
                    other.to_uppercase()
                ));
            }
        };
        let mut path_params = Vec::new();
        let mut params = Vec::new();
        for parameter in &operation.parameters {
            let ReferenceOr::Item(parameter) = parameter else {
                return Err("a parameter is a reference; write it inline".into());
            };
            match parameter {
                Parameter::Path { parameter_data, .. } => {
                    path_params.push(read_path_param(spec, parameter_data, target)?);
                }
                Parameter::Query { parameter_data, .. }
                    if parameter_data.extensions.get(NO_SETTER)
                        == Some(&serde_json::Value::Bool(true)) => {}
                Parameter::Query {
                    parameter_data,
                    style,
                    ..
                } => params.push(read_query_param(
                    spec,
                    parameter_data,
                    style,
                    pagination,
                    target,
                )?),
                Parameter::Header { .. } | Parameter::Cookie { .. } => {
                    return Err("header and cookie parameters are not supported in listings".into());
                }
            }
        }
        // Path parameters in the order of the path.
        path_params.sort_by_key(|p| path.find(&format!("{{{}}}", p.name)).unwrap_or(usize::MAX));
        if let Some(missing) = path_params
            .iter()
            .find(|p| !path.contains(&format!("{{{}}}", p.name)))
        {
            return Err(format!(
                "path parameter `{}` is not in the path",
                missing.name
            ));
        }
        let safe = operation
            .extensions
            .get(super::spec::SAFE_TO_REPEAT_EXTENSION)
            == Some(&serde_json::Value::Bool(true));
        if post && !safe {
            return Err(
                "a POST listing must be marked `x-chatdesk-safe-to-repeat: true`: a walk \
                 retries its pages, which only a read may have"
                    .into(),
            );
        }
        match (&operation.request_body, post) {
            (Some(body), true) => params.extend(read_body_fields(spec, body, target)?),
            (Some(_), false) => return Err("a GET listing has no request body".into()),
            (None, _) => {}
        }
        let views = read_views(operation, &params)?;
        if pagination.style.by_cursor() && !pagination.single_page_when.is_empty() {
            return Err(format!(
                "`{EXTENSION}`: `single-page-when` is for page-number listings"
            ));
        }
        if views.is_some() && pagination.style != Style::Cursor {
            return Err(format!("`{VIEWS}` is for cursor listings"));
        }
        let mut docs = operation.summary.clone().unwrap_or_default();
        if let Some(description) = &operation.description {
            docs.push_str("\n\n");
            docs.push_str(description.trim_end());
        }
        Ok(Listing {
            operation: pagination.operation.clone(),
            method: snake_case(&pagination.operation),
            path: path.to_string(),
            docs,
            item: item_schema(spec, operation, &pagination.items)?,
            style: pagination.style,
            post,
            path_params,
            params,
            single_page_when: pagination.single_page_when.clone(),
            concurrency_default: pagination.concurrency_default.unwrap_or(4),
            page_count_hook: pagination.page_count_hook.clone(),
            counts_items: pagination.counts_items,
            views,
        })
    }

    fn tokens(&self, target: &Target) -> TokenStream {
        let crate_path = &target.crate_path;
        let marker = format_ident!("{}", upper_camel(&self.operation));
        let alias = format_ident!("{}Request", upper_camel(&self.operation));
        let constant = format_ident!("{}", self.method.to_uppercase());
        let item = format_ident!("{}", self.item);
        let walk = match self.style {
            Style::Cursor | Style::Keyset => quote!(crate::listing::ByCursor),
            Style::PageNumber => quote!(crate::listing::ByPage),
            Style::Whole => quote!(crate::listing::Whole),
        };
        let operation = &self.operation;
        let label = format!(
            "{} {}",
            target.label,
            words(
                self.operation
                    .strip_prefix("list")
                    .unwrap_or(&self.operation)
            )
        );
        let path = &self.path;
        let platform = &target.platform;
        let path_params = self.path_params.iter().map(|p| {
            let name = &p.name;
            let minimum = option(p.minimum.map(|m| quote!(#m)));
            let min_length = option(p.min_length.map(|m| quote!(#m)));
            quote!(crate::listing::spec::PathParam { name: #name, minimum: #minimum, min_length: #min_length })
        });
        let params = self.params.iter().map(QueryParam::spec_tokens);
        let page_count = match &self.page_count_hook {
            Some(hook) => {
                let hook = format_ident!("{hook}");
                quote!(crate::listing::spec::PageCount::Hook(#crate_path::hooks::#hook))
            }
            None if self.counts_items => quote!(crate::listing::spec::PageCount::Total),
            None => quote!(crate::listing::spec::PageCount::Number),
        };
        let method = if self.post {
            quote!(crate::listing::spec::Method::Post)
        } else {
            quote!(crate::listing::spec::Method::Get)
        };
        let single = &self.single_page_when;
        let views = option(self.views.as_ref().map(|v| {
            let setter = &v.setter;
            let param = &v.param;
            let views = v.views.iter().map(|flags| quote!(&[ #( #flags ),* ]));
            quote!(crate::listing::spec::Views { setter: #setter, param: #param, views: &[ #( #views ),* ] })
        }));
        let concurrency = self.concurrency_default as usize;
        let marker_doc = format!(
            "The `{operation}` operation as a listing: see [`{alias}`] and \
             [`Client::{}`]({}::Client::{}).",
            self.method, "super", self.method
        );
        let example = self.example(target, "");
        let alias_doc = format!("{}\n\n{example}", self.docs);
        let setters = self.setters(target);
        let method_ident = format_ident!("{}", self.method);
        let (args, segments): (Vec<TokenStream>, Vec<TokenStream>) = self
            .path_params
            .iter()
            .enumerate()
            .map(|(index, p)| {
                let name = format_ident!("{}", snake_case(&p.name));
                let (ty, value) = match &p.kind {
                    Kind::Integer => (quote!(i64), quote!(&#name)),
                    Kind::Custom { path, .. } => (rust_path(path), quote!(&#name)),
                    _ => (
                        quote!(impl Into<String>),
                        quote!(&::std::convert::Into::<String>::into(#name)),
                    ),
                };
                let segment = quote! {
                    crate::listing::values::PathValue::segment(
                        #value,
                        &<#marker as crate::listing::ListOperation>::SPEC.path_params[#index],
                    )
                };
                (quote!(#name: #ty), segment)
            })
            .unzip();
        let method_doc = format!(
            "{}\n\nThe listing's setters and walk: [`{alias}`]({}::listings::{alias}).\n\n{example}",
            first_paragraph(&self.docs),
            crate_doc_path(target)
        );
        quote! {
            #[doc = #marker_doc]
            #[derive(Debug)]
            pub enum #marker {}

            impl crate::listing::ListOperation for #marker {
                type Item = #crate_path::types::#item;
                type Walk = #walk;
                const SPEC: &'static crate::listing::ListingSpec = &crate::listing::ListingSpec {
                    platform: #platform,
                    operation: #operation,
                    label: #label,
                    method: #method,
                    path: #path,
                    path_params: &[ #( #path_params ),* ],
                    params: &[ #( #params ),* ],
                    declared: &#crate_path::operations::pagination::#constant,
                    page_count: #page_count,
                    single_page_when: &[ #( #single ),* ],
                    views: #views,
                    concurrency_default: #concurrency,
                };
            }

            #[doc = #alias_doc]
            pub type #alias = crate::listing::Listing<#marker>;

            impl crate::listing::Listing<#marker> {
                #setters
            }

            impl #crate_path::Client {
                #[doc = #method_doc]
                pub fn #method_ident(&self, #( #args ),* ) -> #alias {
                    crate::listing::Listing::new(self.http().clone(), vec![ #( #segments ),* ])
                }
            }
        }
    }

    /// A doc example calling the listing method, then `then`.
    fn example(&self, target: &Target, then: &str) -> String {
        let args: Vec<String> = self
            .path_params
            .iter()
            .map(|p| match &p.kind {
                Kind::Integer => p.minimum.unwrap_or(1).max(1).to_string(),
                Kind::Custom { example, .. } => example.clone(),
                _ => "\"example\"".to_string(),
            })
            .collect();
        format!(
            "```no_run\n# fn f(client: {}::Client) {{\nlet listing = client.{}({}){then};\n# }}\n```",
            target.doc_path,
            self.method,
            args.join(", ")
        )
    }

    fn setters(&self, target: &Target) -> TokenStream {
        let mut code = TokenStream::new();
        for (index, param) in self.params.iter().enumerate() {
            if matches!(param.role, Role::Page | Role::Cursor) {
                continue;
            }
            code.extend(param.setter_tokens(index, target, |then| self.example(target, then)));
        }
        if let Some(views) = &self.views {
            let setter = format_ident!("{}", views.setter);
            let doc = format!(
                "{}\n\n{}",
                views.docs.trim_end(),
                self.example(target, &format!(".{}()", views.setter))
            );
            code.extend(quote! {
                #[doc = #doc]
                pub fn #setter(self) -> Self {
                    self.walk_all_views()
                }
            });
        }
        code
    }
}

impl QueryParam {
    fn spec_tokens(&self) -> TokenStream {
        let wire = &self.wire;
        let setter = &self.setter;
        let role = match self.role {
            Role::Filter => quote!(Filter),
            Role::PageSize => quote!(PageSize),
            Role::Page => quote!(Page),
            Role::Cursor => quote!(Cursor),
        };
        let json_alternative = self.json_alternative.is_some();
        let encoding = match self.encoding {
            Encoding::Plain => quote!(crate::listing::spec::Encoding::Plain),
            Encoding::Repeated => quote!(crate::listing::spec::Encoding::Repeated),
            Encoding::JsonText => quote!(crate::listing::spec::Encoding::JsonText),
            Encoding::Brackets => {
                quote!(crate::listing::spec::Encoding::Brackets { json_alternative: #json_alternative })
            }
            Encoding::Body { required } => {
                quote!(crate::listing::spec::Encoding::Body { required: #required })
            }
        };
        let c = &self.check;
        let minimum = option(c.minimum.map(|m| quote!(#m)));
        let maximum = option(c.maximum.map(|m| quote!(#m)));
        let min_length = option(c.min_length.map(|m| quote!(#m)));
        let digits = c.digits;
        let max_items = option(c.max_items.map(|m| quote!(#m)));
        quote! {
            crate::listing::spec::Param {
                wire: #wire,
                setter: #setter,
                role: crate::listing::spec::Role::#role,
                encoding: #encoding,
                check: crate::listing::spec::Check {
                    minimum: #minimum,
                    maximum: #maximum,
                    min_length: #min_length,
                    digits: #digits,
                    max_items: #max_items,
                },
            }
        }
    }

    fn setter_tokens(
        &self,
        index: usize,
        target: &Target,
        example: impl Fn(&str) -> String,
    ) -> TokenStream {
        let crate_path = &target.crate_path;
        let setter = format_ident!("{}", self.setter);
        let value = format_ident!("value");
        let docs = |call: &str| {
            let mut text = if self.docs.is_empty() {
                format!("Sets `{}`.", self.wire)
            } else {
                self.docs.trim_end().to_string()
            };
            text.push_str(&format!(
                "\n\nSent as `{}`{}.\n\n{}",
                self.wire,
                match self.encoding {
                    Encoding::Plain => "",
                    Encoding::Repeated => ", once per value",
                    Encoding::JsonText => ", as JSON text",
                    Encoding::Brackets => " in bracket notation",
                    Encoding::Body { .. } => " in the JSON body",
                },
                example(call)
            ));
            text
        };
        let mut code = TokenStream::new();
        match &self.kind {
            Kind::List(item) => {
                let item_example = example_of(item);
                let doc = docs(&format!(".{}([{item_example}])", self.setter));
                let (generics, body) = match item.as_ref() {
                    Kind::Text => (
                        quote!(<I, S>(self, values: I) -> Self where I: IntoIterator<Item = S>, S: Into<String>),
                        quote!(self.add_texts(#index, values.into_iter().map(Into::into).collect())),
                    ),
                    other => {
                        let ty = rust_type(other, crate_path);
                        (
                            quote!((self, values: impl IntoIterator<Item = #ty>) -> Self),
                            quote!(self.add_serialized(#index, values)),
                        )
                    }
                };
                code.extend(quote! {
                    #[doc = #doc]
                    pub fn #setter #generics {
                        #body
                    }
                });
                if let Some(one) = &self.one {
                    let one_ident = format_ident!("{one}");
                    let doc = format!(
                        "Adds one value to [`{}`](Self::{}); call again for more.\n\n{}",
                        self.setter,
                        self.setter,
                        example(&format!(".{one}({item_example})"))
                    );
                    let (arg, body) = match item.as_ref() {
                        Kind::Text => (
                            quote!(#value: impl Into<String>),
                            quote!(self.add_texts(#index, vec![#value.into()])),
                        ),
                        other => {
                            let ty = rust_type(other, crate_path);
                            (
                                quote!(#value: #ty),
                                quote!(self.add_serialized(#index, [#value])),
                            )
                        }
                    };
                    code.extend(quote! {
                        #[doc = #doc]
                        pub fn #one_ident(self, #arg) -> Self {
                            #body
                        }
                    });
                }
            }
            kind => {
                let doc = docs(&format!(".{}({})", self.setter, example_of(kind)));
                let (arg, body) = match kind {
                    Kind::Text => {
                        let text = match &self.hook {
                            Some(hook) => {
                                let hook = format_ident!("{hook}");
                                quote!(#crate_path::hooks::#hook(#value.into()))
                            }
                            None => quote!(#value.into()),
                        };
                        (
                            quote!(#value: impl Into<String>),
                            quote!(self.set_text(#index, #text)),
                        )
                    }
                    Kind::Integer => (
                        quote!(#value: i64),
                        quote!(self.set_integer(#index, #value)),
                    ),
                    Kind::Custom { path, .. } => {
                        let ty = rust_path(path);
                        (
                            quote!(#value: #ty),
                            quote!(self.set_custom(#index, &#value)),
                        )
                    }
                    other => {
                        let ty = rust_type(other, crate_path);
                        (
                            quote!(#value: #ty),
                            quote!(self.set_serialized(#index, &#value)),
                        )
                    }
                };
                code.extend(quote! {
                    #[doc = #doc]
                    pub fn #setter(self, #arg) -> Self {
                        #body
                    }
                });
            }
        }
        if let Some(alternative) = &self.json_alternative {
            let ident = format_ident!("{alternative}");
            let doc = format!(
                "How `{}` goes on the wire: in bracket notation (the default, which every \
                 server version reads) or as JSON text.\n\n{}",
                self.wire,
                example(&format!(
                    ".{alternative}(crate::listing::ObjectEncoding::Json)"
                ))
                .replace("crate::", "chatdesk::")
            );
            code.extend(quote! {
                #[doc = #doc]
                pub fn #ident(self, encoding: crate::listing::ObjectEncoding) -> Self {
                    self.objects_as_json(encoding == crate::listing::ObjectEncoding::Json)
                }
            });
        }
        code
    }
}

fn read_path_param(
    spec: &OpenAPI,
    data: &ParameterData,
    target: &Target,
) -> Result<PathParam, String> {
    let schema = parameter_schema(data)?;
    let kind = match custom_type(data, spec, schema)? {
        Some(kind) => kind,
        None => kind_of(spec, schema, target)
            .map_err(|e| format!("path parameter `{}`: {e}", data.name))?,
    };
    if !matches!(kind, Kind::Integer | Kind::Text | Kind::Custom { .. }) {
        return Err(format!(
            "path parameter `{}`: only integers, text and `{SETTER_TYPE}` types are supported",
            data.name
        ));
    }
    let check = check_of(spec, schema);
    Ok(PathParam {
        name: data.name.clone(),
        kind,
        minimum: check.minimum,
        min_length: check.min_length,
    })
}

fn read_query_param(
    spec: &OpenAPI,
    data: &ParameterData,
    style: &QueryStyle,
    pagination: &Pagination,
    target: &Target,
) -> Result<QueryParam, String> {
    let name = &data.name;
    let fail = |e: String| format!("query parameter `{name}`: {e}");
    let (schema, json) = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => (schema, false),
        ParameterSchemaOrContent::Content(content) => {
            let schema = json_content(content)
                .ok_or_else(|| fail("only `content: application/json` is supported".into()))?;
            (schema, true)
        }
    };
    let kind = match custom_type(data, spec, schema)? {
        Some(kind) => kind,
        None => kind_of(spec, schema, target).map_err(fail)?,
    };
    let encoding = if json {
        Encoding::JsonText
    } else if matches!(style, QueryStyle::DeepObject) {
        Encoding::Brackets
    } else if matches!(kind, Kind::List(_)) {
        if !matches!(style, QueryStyle::Form) || data.explode == Some(false) {
            return Err(fail(
                "a list goes as `style: form, explode: true` (one pair per value)".into(),
            ));
        }
        Encoding::Repeated
    } else {
        Encoding::Plain
    };
    let is = |declared: &Option<String>| declared.as_deref() == Some(name.as_str());
    let role = if is(&pagination.page) {
        Role::Page
    } else if is(&pagination.cursor) {
        Role::Cursor
    } else if is(&pagination.page_size) {
        Role::PageSize
    } else {
        Role::Filter
    };
    let text = |key: &str| -> Result<Option<String>, String> {
        match data.extensions.get(key) {
            None => Ok(None),
            Some(serde_json::Value::String(s)) if is_identifier(s) => Ok(Some(s.clone())),
            Some(other) => Err(fail(format!("`{key}` must be a Rust name, not {other}"))),
        }
    };
    let one = text(SETTER_ONE)?;
    if one.is_some() && !matches!(kind, Kind::List(_)) {
        return Err(fail(format!("`{SETTER_ONE}` is for list parameters")));
    }
    let hook = text(SETTER_HOOK)?;
    if hook.is_some() && !matches!(kind, Kind::Text) {
        return Err(fail(format!("`{SETTER_HOOK}` is for text parameters")));
    }
    let json_alternative = text(JSON_ALTERNATIVE)?;
    if json_alternative.is_some() && encoding != Encoding::Brackets {
        return Err(fail(format!(
            "`{JSON_ALTERNATIVE}` is for `style: deepObject` parameters"
        )));
    }
    let setter = match text(SETTER)? {
        Some(setter) => setter,
        None => snake_case(name.trim_end_matches("[]")),
    };
    if !is_identifier(&setter) {
        return Err(fail(format!(
            "the setter name `{setter}` is not a Rust name; rename it with `{SETTER}`"
        )));
    }
    if role == Role::PageSize && !matches!(kind, Kind::Integer) {
        return Err(fail("the page-size parameter must be an integer".into()));
    }
    Ok(QueryParam {
        wire: name.clone(),
        setter,
        one,
        role,
        encoding,
        kind,
        check: check_of(spec, schema),
        hook,
        json_alternative,
        docs: data.description.clone().unwrap_or_default(),
    })
}

/// The properties of a POST listing's JSON body, each a setter like a
/// query parameter's; a required one must be set before the walk.
fn read_body_fields(
    spec: &OpenAPI,
    body: &ReferenceOr<openapiv3::RequestBody>,
    target: &Target,
) -> Result<Vec<QueryParam>, String> {
    let ReferenceOr::Item(body) = body else {
        return Err("the request body is a reference; write it inline".into());
    };
    let schema =
        json_content(&body.content).ok_or("the request body has no application/json schema")?;
    let SchemaKind::Type(Type::Object(object)) = &resolve(spec, schema)?.schema_kind else {
        return Err("the request body must be an object, each property a setter".into());
    };
    let mut fields = Vec::new();
    for (name, property) in &object.properties {
        let fail = |e: String| format!("request body property `{name}`: {e}");
        let property = match property {
            ReferenceOr::Item(schema) => ReferenceOr::Item((**schema).clone()),
            ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                reference: reference.clone(),
            },
        };
        let kind = kind_of(spec, &property, target).map_err(fail)?;
        let setter = snake_case(name);
        if !is_identifier(&setter) {
            return Err(fail(format!(
                "the setter name `{setter}` is not a Rust name"
            )));
        }
        let docs = resolve(spec, &property)?
            .schema_data
            .description
            .clone()
            .unwrap_or_default();
        fields.push(QueryParam {
            wire: name.clone(),
            setter,
            one: None,
            role: Role::Filter,
            encoding: Encoding::Body {
                required: object.required.contains(name),
            },
            kind,
            check: check_of(spec, &property),
            hook: None,
            json_alternative: None,
            docs,
        });
    }
    Ok(fields)
}

fn read_views(operation: &Operation, params: &[QueryParam]) -> Result<Option<Views>, String> {
    let Some(value) = operation.extensions.get(VIEWS) else {
        return Ok(None);
    };
    let fail = |e: &str| format!("`{VIEWS}`: {e}");
    let text = |key: &str| {
        value
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .ok_or_else(|| fail(&format!("`{key}` is missing or not text")))
    };
    let setter = text("setter")?;
    let param = text("parameter")?;
    let docs = text("description")?;
    let views = value
        .get("views")
        .and_then(|v| v.as_array())
        .ok_or_else(|| fail("`views` must be a list of lists of values"))?
        .iter()
        .map(|view| {
            view.as_array()
                .and_then(|flags| {
                    flags
                        .iter()
                        .map(|f| f.as_str().map(str::to_string))
                        .collect()
                })
                .ok_or_else(|| fail("each view is a list of text values"))
        })
        .collect::<Result<Vec<Vec<String>>, String>>()?;
    if views.len() < 2 {
        return Err(fail("a walk over views needs at least two"));
    }
    let Some(target) = params.iter().find(|p| p.wire == param) else {
        return Err(fail(&format!("`{param}` is not a query parameter")));
    };
    if !matches!(target.kind, Kind::List(_)) {
        return Err(fail(&format!("`{param}` is not a list parameter")));
    }
    if !is_identifier(&setter) {
        return Err(fail(&format!("`{setter}` is not a Rust name")));
    }
    Ok(Some(Views {
        setter,
        param,
        views,
        docs,
    }))
}

fn parameter_schema(data: &ParameterData) -> Result<&ReferenceOr<Schema>, String> {
    match &data.format {
        ParameterSchemaOrContent::Schema(schema) => Ok(schema),
        ParameterSchemaOrContent::Content(_) => Err(format!(
            "parameter `{}`: `content` is supported in the query only",
            data.name
        )),
    }
}

/// The handwritten type the parameter or its schema names, if any.
fn custom_type(
    data: &ParameterData,
    spec: &OpenAPI,
    schema: &ReferenceOr<Schema>,
) -> Result<Option<Kind>, String> {
    let from = |setter_type: Option<&serde_json::Value>, example: Option<&serde_json::Value>| {
        setter_type.and_then(|v| v.as_str()).map(|path| {
            let example = example
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .ok_or_else(|| {
                    format!(
                        "parameter `{}`: `{SETTER_TYPE}: {path}` needs `{EXAMPLE}`, a Rust \
                         expression of that type for the docs",
                        data.name
                    )
                })?;
            Ok(Kind::Custom {
                path: path.to_string(),
                example,
            })
        })
    };
    if let Some(kind) = from(
        data.extensions.get(SETTER_TYPE),
        data.extensions.get(EXAMPLE),
    ) {
        return kind.map(Some);
    }
    let extensions = &resolve(spec, schema)?.schema_data.extensions;
    if let Some(kind) = from(extensions.get(SETTER_TYPE), extensions.get(EXAMPLE)) {
        return kind.map(Some);
    }
    Ok(None)
}

/// What a setter of `schema` takes.
fn kind_of(spec: &OpenAPI, schema: &ReferenceOr<Schema>, target: &Target) -> Result<Kind, String> {
    let resolved = resolve(spec, schema)?;
    if let ReferenceOr::Reference { reference } = schema {
        let name = reference
            .trim_start_matches("#/components/schemas/")
            .to_string();
        if let Some(path) = resolved
            .schema_data
            .extensions
            .get(SETTER_TYPE)
            .and_then(|v| v.as_str())
        {
            return Err(format!(
                "schema `{name}` names `{SETTER_TYPE}: {path}`; list items of a handwritten \
                 type are not supported"
            ));
        }
        let example = match &resolved.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let first = s
                    .enumeration
                    .iter()
                    .flatten()
                    .next()
                    .cloned()
                    .unwrap_or_default();
                Some(format!(
                    "{}::types::{name}::from({first:?})",
                    target.doc_path
                ))
            }
            SchemaKind::Type(Type::Object(_)) => Some(
                resolved
                    .schema_data
                    .extensions
                    .get(EXAMPLE)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
                    .ok_or_else(|| {
                        format!(
                            "schema `{name}` needs `{EXAMPLE}`, a Rust expression of its type \
                             for the setters' docs"
                        )
                    })?,
            ),
            _ => None,
        };
        if let Some(example) = example {
            return Ok(Kind::Generated { name, example });
        }
    }
    match &resolved.schema_kind {
        SchemaKind::Type(Type::String(s)) if s.enumeration.is_empty() => Ok(Kind::Text),
        SchemaKind::Type(Type::String(_)) => {
            Err("an enum must be a component schema, so that its type has a name".into())
        }
        SchemaKind::Type(Type::Integer(_)) => Ok(Kind::Integer),
        SchemaKind::Type(Type::Boolean(_)) => Ok(Kind::Boolean),
        SchemaKind::Type(Type::Number(_)) => Ok(Kind::Number),
        SchemaKind::Type(Type::Array(array)) => {
            let items = array.items.as_ref().ok_or("a list without `items`")?;
            let items = match items {
                ReferenceOr::Item(schema) => ReferenceOr::Item((**schema).clone()),
                ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                    reference: reference.clone(),
                },
            };
            let item = kind_of(spec, &items, target)?;
            if matches!(item, Kind::List(_)) {
                return Err("lists of lists are not supported".into());
            }
            Ok(Kind::List(Box::new(item)))
        }
        _ => Err("an object must be a component schema, so that its type has a name".into()),
    }
}

/// The checks the schema's constraints make.
fn check_of(spec: &OpenAPI, schema: &ReferenceOr<Schema>) -> Check {
    let Ok(resolved) = resolve(spec, schema) else {
        return Check::default();
    };
    match &resolved.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => Check {
            minimum: i.minimum,
            maximum: i.maximum,
            ..Check::default()
        },
        SchemaKind::Type(Type::String(s)) => Check {
            min_length: s.min_length.map(|n| n as u64),
            digits: matches!(&s.format, openapiv3::VariantOrUnknownOrEmpty::Unknown(f) if f == "digits"),
            ..Check::default()
        },
        SchemaKind::Type(Type::Array(a)) => {
            let mut check = match &a.items {
                Some(ReferenceOr::Item(item)) => {
                    check_of(spec, &ReferenceOr::Item((**item).clone()))
                }
                Some(ReferenceOr::Reference { reference }) => check_of(
                    spec,
                    &ReferenceOr::Reference {
                        reference: reference.clone(),
                    },
                ),
                None => Check::default(),
            };
            check.max_items = a.max_items.map(|n| n as u64);
            check
        }
        _ => Check::default(),
    }
}

/// The component schema name of the items at `path` in the 200 response.
fn item_schema(spec: &OpenAPI, operation: &Operation, path: &[String]) -> Result<String, String> {
    let items = walk(spec, success_schema(spec, operation)?, path)?;
    array_item_name(items, path)
}

/// The component name of the items of an inline array schema.
fn array_item_name(schema: &Schema, path: &[String]) -> Result<String, String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => match &array.items {
            Some(ReferenceOr::Reference { reference }) => Ok(reference
                .trim_start_matches("#/components/schemas/")
                .to_string()),
            _ => Err(format!(
                "the items at `{}` must be a component schema (`$ref`), so that their type has \
                 a name",
                path.join(".")
            )),
        },
        _ => Err(format!("`{}` is not an array", path.join("."))),
    }
}

/// `impl Item` for the generated item type: items are told apart by `id`.
fn item_key(target: &Target, item: &str) -> TokenStream {
    let crate_path = &target.crate_path;
    let item = format_ident!("{item}");
    quote! {
        impl crate::paginate::Item for #crate_path::types::#item {
            type Key = String;
            fn key(&self) -> String {
                self.id.to_string()
            }
        }
    }
}

fn rust_type(kind: &Kind, crate_path: &TokenStream) -> TokenStream {
    match kind {
        Kind::Text => quote!(String),
        Kind::Integer => quote!(i64),
        Kind::Boolean => quote!(bool),
        Kind::Number => quote!(f64),
        Kind::Generated { name, .. } => {
            let name = format_ident!("{name}");
            quote!(#crate_path::types::#name)
        }
        Kind::Custom { path, .. } => rust_path(path),
        Kind::List(item) => {
            let item = rust_type(item, crate_path);
            quote!(Vec<#item>)
        }
    }
}

fn example_of(kind: &Kind) -> String {
    match kind {
        Kind::Text => "\"example\"".into(),
        Kind::Integer => "1".into(),
        Kind::Boolean => "true".into(),
        Kind::Number => "1.0".into(),
        Kind::Generated { example, .. } | Kind::Custom { example, .. } => example.clone(),
        Kind::List(item) => format!("[{}]", example_of(item)),
    }
}

/// A Rust path written in the spec, as tokens.
fn rust_path(path: &str) -> TokenStream {
    path.parse()
        .unwrap_or_else(|_| quote!(compile_error!("not a Rust path")))
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

/// A lower-case Rust name that is not a keyword (`match` is refused, so
/// that the spec renames the setter rather than the build failing later).
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && syn::parse_str::<syn::Ident>(name).is_ok()
}

/// `ContactMessages` → `contact messages`.
fn words(id: &str) -> String {
    snake_case(id).replace('_', " ")
}

fn first_paragraph(docs: &str) -> &str {
    docs.split("\n\n").next().unwrap_or(docs)
}

/// The platform module's path in intra-doc links.
fn crate_doc_path(target: &Target) -> String {
    format!("crate::{}", target.module)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_operation_id() {
        assert_eq!(upper_camel("listContactMessages"), "ListContactMessages");
        assert_eq!(words("ContactMessages"), "contact messages");
        assert!(is_identifier("per_page"));
        assert!(!is_identifier("perPage"));
        assert!(!is_identifier("labels[]"));
    }
}
