//! What the spec says of one listing, as `build.rs` writes it: the
//! parameters in wire order, how each is encoded and checked, and how the
//! walk drives the pages. The generated `listings` module of each platform
//! holds one [`ListingSpec`] per list operation.

use serde_json::value::RawValue;

use crate::error::Platform;
use crate::paginate::{Declared, Item};

/// A list operation of a spec, as a type: what its pages hold and how they
/// are walked. `build.rs` writes one per operation with the
/// `x-chatdesk-pagination` extension (`chatbotx::listings::ListContacts`,
/// ...); [`Listing`](super::Listing) is generic over it.
///
/// ```
/// # #[cfg(feature = "chatbotx")] {
/// use chatdesk::listing::ListOperation;
/// use chatdesk::chatbotx::listings::ListContacts;
///
/// assert_eq!(ListContacts::SPEC.operation_id(), "listContacts");
/// # }
/// ```
pub trait ListOperation: 'static {
    /// The type of the items, generated from the spec's schema.
    type Item: Item<Key = String>;
    /// [`ByCursor`] or [`ByPage`]: which walk settings the listing has.
    type Walk;
    /// The operation, as its spec declares it.
    const SPEC: &'static ListingSpec;
}

/// Marks a listing walked by cursor: it has
/// [`start_cursor`](super::Listing::start_cursor).
///
/// ```
/// # #[cfg(feature = "chatbotx")] {
/// use chatdesk::listing::{ByCursor, ListOperation};
/// fn by_cursor<Op: ListOperation<Walk = ByCursor>>() {}
/// by_cursor::<chatdesk::chatbotx::listings::ListConversations>();
/// # }
/// ```
#[derive(Debug)]
pub enum ByCursor {}

/// Marks a listing the server answers in one response: no position to
/// start from but the start.
///
/// ```
/// # #[cfg(feature = "chatwoot")] {
/// use chatdesk::listing::{Whole, ListOperation};
/// fn whole<Op: ListOperation<Walk = Whole>>() {}
/// whole::<chatdesk::chatwoot::listings::ListInboxes>();
/// # }
/// ```
#[derive(Debug)]
pub enum Whole {}

/// Marks a listing walked by page number: it has
/// [`start_page`](super::Listing::start_page) and
/// [`concurrency`](super::Listing::concurrency).
///
/// ```
/// # #[cfg(feature = "chatbotx")] {
/// use chatdesk::listing::{ByPage, ListOperation};
/// fn by_page<Op: ListOperation<Walk = ByPage>>() {}
/// by_page::<chatdesk::chatbotx::listings::ListContacts>();
/// # }
/// ```
#[derive(Debug)]
pub enum ByPage {}

/// One list operation as its spec declares it; written by `build.rs`.
///
/// ```
/// # #[cfg(feature = "chatwoot")] {
/// use chatdesk::listing::ListOperation;
/// let spec = chatdesk::chatwoot::listings::ListConversations::SPEC;
/// assert_eq!(spec.path(), "/api/v1/accounts/{account_id}/conversations");
/// # }
/// ```
#[derive(Debug)]
pub struct ListingSpec {
    /// The platform, for errors and traces.
    pub(crate) platform: Platform,
    /// The `operationId`.
    pub(crate) operation: &'static str,
    /// What errors call the listing: `chatbotx contact messages`.
    pub(crate) label: &'static str,
    /// GET, or a POST that only reads, with the body fields in its body.
    pub(crate) method: Method,
    /// The path template, with `{name}` for each path parameter.
    pub(crate) path: &'static str,
    /// The path parameters, in path order.
    pub(crate) path_params: &'static [PathParam],
    /// The query parameters, in the order they go on the wire.
    pub(crate) params: &'static [Param],
    /// How it pages.
    pub(crate) declared: &'static Declared,
    /// How the page count is read from the value at `page-count`.
    pub(crate) page_count: PageCount,
    /// Query parameters that make the server answer everything in one
    /// response (`single-page-when`).
    pub(crate) single_page_when: &'static [&'static str],
    /// The views one walk goes through in turn (`x-chatdesk-views`).
    pub(crate) views: Option<Views>,
    /// Pages fetched at once by default (page-number listings).
    pub(crate) concurrency_default: usize,
}

impl ListingSpec {
    /// The spec's `operationId`.
    ///
    /// ```
    /// # #[cfg(feature = "chatbotx")] {
    /// use chatdesk::listing::ListOperation;
    /// let spec = chatdesk::chatbotx::listings::ListContactMessages::SPEC;
    /// assert_eq!(spec.operation_id(), "listContactMessages");
    /// # }
    /// ```
    pub fn operation_id(&self) -> &'static str {
        self.operation
    }

    /// The path template, `{name}` standing for each path parameter.
    ///
    /// ```
    /// # #[cfg(feature = "chatbotx")] {
    /// use chatdesk::listing::ListOperation;
    /// let spec = chatdesk::chatbotx::listings::ListContactMessages::SPEC;
    /// assert_eq!(spec.path(), "/v1/contacts/{identifier}/messages");
    /// # }
    /// ```
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// The query parameters' names, in the order they go on the wire.
    ///
    /// ```
    /// # #[cfg(feature = "chatwoot")] {
    /// use chatdesk::listing::ListOperation;
    /// let spec = chatdesk::chatwoot::listings::ListConversations::SPEC;
    /// assert_eq!(spec.query_parameters().last(), Some("page"));
    /// # }
    /// ```
    pub fn query_parameters(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.params.iter().map(|p| p.wire)
    }

    /// Pages fetched at once by default, for listings walked by page.
    ///
    /// ```
    /// # #[cfg(feature = "chatwoot")] {
    /// use chatdesk::listing::ListOperation;
    /// assert_eq!(chatdesk::chatwoot::listings::ListConversations::SPEC.default_concurrency(), 12);
    /// # }
    /// ```
    pub const fn default_concurrency(&self) -> usize {
        self.concurrency_default
    }
}

/// A path parameter.
#[derive(Debug)]
pub(crate) struct PathParam {
    /// The name in the path template.
    pub(crate) name: &'static str,
    /// The smallest value allowed (`minimum`), for integers.
    pub(crate) minimum: Option<i64>,
    /// The fewest characters allowed (`minLength`), for text.
    pub(crate) min_length: Option<u64>,
}

/// A query parameter.
#[derive(Debug)]
pub(crate) struct Param {
    /// The name on the wire (`labels[]`, `perPage`).
    pub(crate) wire: &'static str,
    /// The setter's name (`labels`, `per_page`), for messages.
    pub(crate) setter: &'static str,
    /// Who sets it: the caller, or the walk.
    pub(crate) role: Role,
    /// How its value goes on the wire.
    pub(crate) encoding: Encoding,
    /// The checks its values pass.
    pub(crate) check: Check,
}

/// Who sets a query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// The caller, through its setter.
    Filter,
    /// The caller, or the spec's `page-size-default`: the page size.
    PageSize,
    /// The walk: the page number.
    Page,
    /// The walk: the cursor.
    Cursor,
}

/// How a query parameter's value goes on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// One `name=value` pair.
    Plain,
    /// `name=a&name=b`, one pair per element (`style: form, explode:
    /// true`; the name carries the `[]` the server wants).
    Repeated,
    /// The value as compact JSON text (`content: application/json`).
    JsonText,
    /// Bracket notation (`style: deepObject`): `name[key]=value`, nested.
    /// With `json_alternative`, the caller may switch it to JSON text.
    Brackets {
        /// The spec names a setter that switches to JSON text.
        json_alternative: bool,
    },
    /// A property of the JSON request body of a POST listing.
    Body {
        /// The walk refuses to start without it.
        required: bool,
    },
}

/// The HTTP method of a listing's requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    /// A plain read.
    Get,
    /// A read whose filter travels in a JSON body (and which the spec marks
    /// safe to repeat).
    Post,
}

/// The checks of a parameter's values, from the spec's constraints.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Check {
    /// `minimum`, for integers.
    pub(crate) minimum: Option<i64>,
    /// `maximum`, for integers.
    pub(crate) maximum: Option<i64>,
    /// `minLength`, for text: a value that is blank once trimmed is
    /// refused as well.
    pub(crate) min_length: Option<u64>,
    /// `format: digits`, for text: digits only.
    pub(crate) digits: bool,
    /// `maxItems`, for lists.
    pub(crate) max_items: Option<u64>,
}

/// How a page-number listing's page count is read.
#[derive(Clone, Copy)]
pub(crate) enum PageCount {
    /// The value at `page-count` is the number of pages (0: not counted).
    Number,
    /// The value at `total` is the number of items; the pages are that
    /// many divided by the size of a full page (the first page's, when the
    /// server does not say its page size).
    Total,
    /// A named hook reads it (`page-count-hook`), from that value, the
    /// query sent and the number of items on the page.
    Hook(PageCountHook),
}

impl std::fmt::Debug for PageCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageCount::Number => f.write_str("Number"),
            PageCount::Total => f.write_str("Total"),
            PageCount::Hook(_) => f.write_str("Hook"),
        }
    }
}

/// A page-count hook: the value at `page-count` (if any), the query pairs
/// the page was fetched with, and the number of items on the page.
pub(crate) type PageCountHook = fn(Option<&RawValue>, &[(String, String)], u64) -> Option<u64>;

/// The views of a walk that goes through several listings in turn, each
/// with a list parameter set differently (`x-chatdesk-views`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Views {
    /// The setter that turns the walk over every view on.
    pub(crate) setter: &'static str,
    /// The list parameter each view sets.
    pub(crate) param: &'static str,
    /// The values each view adds to the caller's (which lose any value a
    /// view names).
    pub(crate) views: &'static [&'static [&'static str]],
}
