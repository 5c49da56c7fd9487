//! The `x-chatdesk-pagination` extension of a list operation: how it pages,
//! read from the spec, checked against the operation's parameters and
//! response schema, and written out as a `crate::paginate::Declared` value
//! per operation for the listings to use.

use openapiv3::{OpenAPI, Operation, Parameter, ReferenceOr, Schema, SchemaKind, StatusCode, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::schema::{component, json_content, resolve};

/// The extension's name.
pub const EXTENSION: &str = "x-chatdesk-pagination";

/// The keys the extension may hold.
const KEYS: [&str; 16] = [
    "style",
    "items",
    "cursor",
    "next-cursor",
    "start",
    "window",
    "page",
    "page-count",
    "total",
    "page-count-hook",
    "page-size",
    "page-size-default",
    "page-size-max",
    "single-page-when",
    "concurrency-default",
    // Not read: comments in YAML are the place for notes, but a key keeps
    // a note with the data in JSON.
    "note",
];

/// One operation's declaration.
pub struct Pagination {
    /// The operation's `operationId`.
    pub operation: String,
    pub style: Style,
    pub items: Vec<String>,
    pub cursor: Option<String>,
    pub next_cursor: Vec<String>,
    /// The cursor value a keyset walk starts from.
    pub start: Option<String>,
    /// The most items a keyset window holds (a shorter one is the last).
    pub window: Option<u64>,
    pub page: Option<String>,
    /// The path of the page count, or of the item total with `total`.
    pub page_count: Vec<String>,
    /// `page_count` holds the number of items, not of pages.
    pub counts_items: bool,
    pub page_count_hook: Option<String>,
    pub page_size: Option<String>,
    pub page_size_default: Option<u64>,
    pub page_size_max: Option<u64>,
    /// Query parameters with which the server answers everything at once.
    pub single_page_when: Vec<String>,
    /// Pages fetched at once by default (page-number listings).
    pub concurrency_default: Option<u64>,
}

/// How a listing pages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The server sends the next cursor.
    Cursor,
    /// The next page is asked for with the largest item id of the page.
    Keyset,
    /// Page numbers from 1.
    PageNumber,
    /// One response holds every item.
    Whole,
}

impl Style {
    /// Whether the walk goes by a cursor (sent or derived).
    pub fn by_cursor(self) -> bool {
        matches!(self, Style::Cursor | Style::Keyset)
    }
}

/// Every list operation's declaration, checked.
pub fn collect(spec: &OpenAPI) -> Result<Vec<Pagination>, String> {
    let mut found = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            let Some(value) = operation.extensions.get(EXTENSION) else {
                continue;
            };
            let id = operation.operation_id.clone().unwrap_or_default();
            let declared = parse(&id, value)
                .and_then(|declared| check(spec, operation, &declared).map(|()| declared))
                .map_err(|e| {
                    format!(
                        "operation `{id}` ({} {path}), `{EXTENSION}`: {e}",
                        method.to_uppercase()
                    )
                })?;
            found.push(declared);
        }
    }
    Ok(found)
}

fn parse(operation: &str, value: &serde_json::Value) -> Result<Pagination, String> {
    let map = value
        .as_object()
        .ok_or("must be a mapping of keys to values")?;
    if let Some(unknown) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!(
            "unknown key `{unknown}`; the keys are {}",
            KEYS.join(", ")
        ));
    }
    let text = |key: &str| -> Result<Option<String>, String> {
        match map.get(key) {
            None => Ok(None),
            Some(serde_json::Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(other) => Err(format!("`{key}` must be a non-empty string, not {other}")),
        }
    };
    let number = |key: &str| -> Result<Option<u64>, String> {
        match map.get(key) {
            None => Ok(None),
            Some(value) => value
                .as_u64()
                .filter(|n| *n > 0)
                .map(Some)
                .ok_or_else(|| format!("`{key}` must be a whole number above 0, not {value}")),
        }
    };
    // `$` is the whole body (an array of items).
    let path = |key: &str| -> Result<Vec<String>, String> {
        Ok(text(key)?
            .filter(|p| p != "$")
            .map(|p| p.split('.').map(str::to_string).collect())
            .unwrap_or_default())
    };
    let style = match text("style")?.as_deref() {
        Some("cursor") => Style::Cursor,
        Some("keyset") => Style::Keyset,
        Some("page-number") => Style::PageNumber,
        Some("whole") => Style::Whole,
        Some(other) => {
            return Err(format!(
                "`style` is `cursor`, `keyset`, `page-number` or `whole`, not `{other}`"
            ));
        }
        None => {
            return Err("`style` is missing (`cursor`, `keyset`, `page-number` or `whole`)".into());
        }
    };
    let total = path("total")?;
    let page_count = path("page-count")?;
    if !total.is_empty() && !page_count.is_empty() {
        return Err("`page-count` and `total` are two ways to count pages; give one".into());
    }
    let counts_items = !total.is_empty();
    let declared = Pagination {
        operation: operation.to_string(),
        style,
        items: path("items")?,
        cursor: text("cursor")?,
        next_cursor: path("next-cursor")?,
        start: text("start")?,
        window: number("window")?,
        page: text("page")?,
        page_count: if counts_items { total } else { page_count },
        counts_items,
        page_count_hook: text("page-count-hook")?,
        page_size: text("page-size")?,
        page_size_default: number("page-size-default")?,
        page_size_max: number("page-size-max")?,
        single_page_when: match map.get("single-page-when") {
            None => Vec::new(),
            Some(serde_json::Value::Array(names)) => names
                .iter()
                .map(|n| {
                    n.as_str()
                        .filter(|n| !n.is_empty())
                        .map(str::to_string)
                        .ok_or_else(|| format!("`single-page-when` lists parameter names, not {n}"))
                })
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(format!(
                    "`single-page-when` must be a list of query parameter names, not {other}"
                ));
            }
        },
        concurrency_default: number("concurrency-default")?,
    };
    if !map.contains_key("items") {
        return Err(
            "`items` is missing: the dotted path of the item array (`$` for the whole body)".into(),
        );
    }
    match style {
        Style::Cursor if declared.cursor.is_none() || declared.next_cursor.is_empty() => {
            return Err("a cursor listing needs `cursor` and `next-cursor`".into());
        }
        Style::Keyset if declared.cursor.is_none() || !declared.next_cursor.is_empty() => {
            return Err(
                "a keyset listing needs `cursor` (the parameter that takes the largest id \
                 seen) and no `next-cursor`"
                    .into(),
            );
        }
        Style::PageNumber if declared.page.is_none() || declared.page_count.is_empty() => {
            return Err("a page-number listing needs `page`, and `page-count` or `total`".into());
        }
        Style::Whole => {
            let walk_keys = [
                "cursor",
                "next-cursor",
                "page",
                "page-count",
                "total",
                "page-size",
                "single-page-when",
                "concurrency-default",
            ];
            if let Some(key) = walk_keys.iter().find(|k| map.contains_key(**k)) {
                return Err(format!(
                    "`{key}` is for listings that page; a `whole` listing has one response"
                ));
            }
        }
        _ => {}
    }
    if declared.start.is_some() && style != Style::Keyset {
        return Err("`start` is for keyset listings".into());
    }
    if declared.window.is_some() && style != Style::Keyset {
        return Err("`window` is for keyset listings".into());
    }
    if declared.counts_items && declared.page_count_hook.is_some() {
        return Err(
            "`total` counts pages by itself; `page-count-hook` goes with `page-count`".into(),
        );
    }
    if let (Some(default), Some(max)) = (declared.page_size_default, declared.page_size_max)
        && default > max
    {
        return Err(format!(
            "`page-size-default` {default} is above `page-size-max` {max}"
        ));
    }
    Ok(declared)
}

/// Checks that the named parameters are the operation's query parameters
/// and the paths lead somewhere in its 200 response.
fn check(spec: &OpenAPI, operation: &Operation, declared: &Pagination) -> Result<(), String> {
    let query: Vec<&str> = operation
        .parameters
        .iter()
        .filter_map(|p| match p {
            ReferenceOr::Item(Parameter::Query { parameter_data, .. }) => {
                Some(parameter_data.name.as_str())
            }
            _ => None,
        })
        .collect();
    let single: Vec<Option<String>> = declared
        .single_page_when
        .iter()
        .cloned()
        .map(Some)
        .collect();
    let named = [
        ("cursor", &declared.cursor),
        ("page", &declared.page),
        ("page-size", &declared.page_size),
    ]
    .into_iter()
    .chain(single.iter().map(|name| ("single-page-when", name)));
    for (key, name) in named {
        if let Some(name) = name
            && !query.contains(&name.as_str())
        {
            return Err(format!(
                "`{key}: {name}` is not a query parameter of the operation (it has {})",
                query.join(", ")
            ));
        }
    }
    let response = success_schema(spec, operation)?;
    let items = walk(spec, response, &declared.items)?;
    if !matches!(items.schema_kind, SchemaKind::Type(Type::Array(_))) {
        return Err(format!(
            "`items: {}` is not an array",
            declared.items.join(".")
        ));
    }
    for (key, path) in [
        ("next-cursor", &declared.next_cursor),
        (
            if declared.counts_items {
                "total"
            } else {
                "page-count"
            },
            &declared.page_count,
        ),
    ] {
        if !path.is_empty() {
            walk(spec, response, path).map_err(|e| format!("`{key}`: {e}"))?;
        }
    }
    Ok(())
}

/// The JSON schema of the operation's 200 response.
pub fn success_schema<'a>(
    spec: &'a OpenAPI,
    operation: &'a Operation,
) -> Result<&'a Schema, String> {
    let response = operation
        .responses
        .responses
        .get(&StatusCode::Code(200))
        .ok_or("the operation has no 200 response")?;
    let ReferenceOr::Item(response) = response else {
        return Err("the 200 response is a reference; write it inline".into());
    };
    let schema =
        json_content(&response.content).ok_or("the 200 response has no application/json schema")?;
    resolve(spec, schema)
}

/// The schema at `path` below `schema`, through object properties.
pub fn walk<'a>(
    spec: &'a OpenAPI,
    schema: &'a Schema,
    path: &[String],
) -> Result<&'a Schema, String> {
    let mut here = schema;
    for (depth, key) in path.iter().enumerate() {
        let SchemaKind::Type(Type::Object(object)) = &here.schema_kind else {
            return Err(format!(
                "`{}` is not inside an object",
                path[..=depth].join(".")
            ));
        };
        let property = object
            .properties
            .get(key)
            .ok_or_else(|| format!("the response has no `{}`", path[..=depth].join(".")))?;
        here = match property {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } => component(spec, reference)?,
        };
    }
    Ok(here)
}

impl Pagination {
    /// The `crate::paginate::Declared` constant of this operation, named
    /// after its `operationId` in capitals (`LIST_CONTACTS`).
    pub fn to_tokens(&self, constant: &str) -> TokenStream {
        let name = format_ident!("{constant}");
        let style = match self.style {
            Style::Cursor => quote!(crate::paginate::Style::Cursor),
            Style::Keyset => quote!(crate::paginate::Style::Keyset),
            Style::PageNumber => quote!(crate::paginate::Style::PageNumber),
            Style::Whole => quote!(crate::paginate::Style::Whole),
        };
        let option = |value: &Option<String>| match value {
            Some(v) => quote!(Some(#v)),
            None => quote!(None),
        };
        let number = |value: Option<u64>| match value {
            Some(v) => quote!(Some(#v)),
            None => quote!(None),
        };
        let items = &self.items;
        let next_cursor = &self.next_cursor;
        let page_count = &self.page_count;
        let cursor = option(&self.cursor);
        let page = option(&self.page);
        let start = option(&self.start);
        let window = number(self.window);
        let default = number(self.page_size_default);
        let max = number(self.page_size_max);
        let doc = format!("How `{}` pages, as its spec declares it.", self.operation);
        quote! {
            #[doc = #doc]
            pub(crate) const #name: crate::paginate::Declared = crate::paginate::Declared {
                style: #style,
                items: &[ #( #items ),* ],
                cursor: #cursor,
                next_cursor: &[ #( #next_cursor ),* ],
                start: #start,
                window: #window,
                page: #page,
                page_count: &[ #( #page_count ),* ],
                page_size_default: #default,
                page_size_max: #max,
            };
        }
    }
}
