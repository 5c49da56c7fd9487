//! Listings: every list operation of a spec, walked page after page as one
//! stream.
//!
//! `build.rs` reads each list operation's `x-chatdesk-pagination` extension
//! and writes, in the platform's `listings` module, a type for the
//! operation ([`ListOperation`]), its query setters on [`Listing`], and a
//! method on the platform's `Client` named after the `operationId`
//! (`list_contacts()`). Everything else a listing does is here, once, for
//! every operation:
//! - [`spec`]: what the generated code says of an operation;
//! - `values`: the setters' checks, from the spec's constraints;
//! - `encode`: the query (and a POST's body) on the wire, as the spec
//!   declares each parameter;
//! - `walk`: the walk (cursor, keyset, views, page numbers, one response).

mod encode;
pub mod spec;
pub(crate) mod values;
mod walk;

#[cfg_attr(not(feature = "chatwoot"), allow(unused_imports))] // for the Chatwoot count hook
pub(crate) use walk::pages_for_total;

use std::fmt;
use std::marker::PhantomData;

use serde_json::Value;

use crate::http::Http;
use crate::paginate::{self, ItemStream, PageStream, Position};
use crate::raw::RawItem;

pub use spec::{ByCursor, ByPage, ListOperation, ListingSpec, Whole};

/// A listing of `Op` with its settings: nothing is sent until
/// [`stream`](Self::stream) or [`pages`](Self::pages) is polled.
///
/// Made by the platform client's listing methods (`list_conversations`,
/// `list_contacts`, ...); the query setters of each operation are generated
/// from its spec. A bad setting does not fail the setter: the stream yields
/// one [`Error::InvalidInput`](crate::Error::InvalidInput) naming it, and
/// sends nothing.
///
/// ```no_run
/// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
/// use futures::TryStreamExt;
/// let mut contacts = client.list_contacts().keyword("Thảo").max_items(100).stream();
/// while let Some(contact) = contacts.try_next().await? {
///     println!("{}", contact.id);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a listing does nothing until you call .stream() or .pages()"]
pub struct Listing<Op> {
    http: Http,
    /// The path, path parameters filled in and encoded.
    path: String,
    /// The value of each query parameter, by index in the spec.
    values: Vec<Option<Value>>,
    /// Bracket parameters with a JSON alternative go as JSON text.
    json_objects: bool,
    /// Walk every view the spec declares.
    all_views: bool,
    start_view: u32,
    start_cursor: Option<String>,
    start_page: u64,
    concurrency: Option<usize>,
    max_items: Option<u64>,
    /// The first bad setting.
    invalid: Option<String>,
    op: PhantomData<fn() -> Op>,
}

impl<Op> Clone for Listing<Op> {
    fn clone(&self) -> Self {
        Listing {
            http: self.http.clone(),
            path: self.path.clone(),
            values: self.values.clone(),
            json_objects: self.json_objects,
            all_views: self.all_views,
            start_view: self.start_view,
            start_cursor: self.start_cursor.clone(),
            start_page: self.start_page,
            concurrency: self.concurrency,
            max_items: self.max_items,
            invalid: self.invalid.clone(),
            op: PhantomData,
        }
    }
}

impl<Op: ListOperation> fmt::Debug for Listing<Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set: Vec<(&str, &Value)> = Op::SPEC
            .params
            .iter()
            .zip(&self.values)
            .filter_map(|(param, value)| Some((param.wire, value.as_ref()?)))
            .collect();
        f.debug_struct("Listing")
            .field("operation", &Op::SPEC.operation)
            .field("path", &self.path)
            .field("query", &set)
            .field("max_items", &self.max_items)
            .field("invalid", &self.invalid)
            .finish_non_exhaustive()
    }
}

impl<Op: ListOperation> Listing<Op> {
    /// A listing of `Op` at the path its spec declares, with `path_args`
    /// (each path parameter's segment, or why it is bad) in path order.
    pub(crate) fn new(http: Http, path_args: Vec<Result<String, String>>) -> Self {
        let spec = Op::SPEC;
        let mut path = spec.path.to_string();
        let mut invalid = None;
        for (param, arg) in spec.path_params.iter().zip(path_args) {
            match arg {
                Ok(segment) => path = path.replace(&format!("{{{}}}", param.name), &segment),
                Err(why) => {
                    invalid.get_or_insert(why);
                }
            }
        }
        Listing {
            http,
            path,
            values: vec![None; spec.params.len()],
            json_objects: false,
            all_views: false,
            start_view: 0,
            start_cursor: None,
            start_page: 1,
            concurrency: None,
            max_items: None,
            invalid,
            op: PhantomData,
        }
    }

    /// Walks every view the spec declares (the setter `x-chatdesk-views`
    /// names).
    pub(crate) fn walk_all_views(mut self) -> Self {
        self.all_views = true;
        self
    }

    /// Sends the bracket parameters that have a JSON alternative as JSON
    /// text (`true`) or in brackets.
    pub(crate) fn objects_as_json(mut self, json: bool) -> Self {
        self.json_objects = json;
        self
    }

    /// Stops after this many items.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let sample = client.list_contacts().max_items(100);
    /// # }
    /// ```
    pub fn max_items(mut self, max_items: u64) -> Self {
        self.max_items = Some(max_items);
        self
    }

    /// Every item, in the server's order, each once (by `id`); an error
    /// ends the stream after every good item before it.
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
    /// use futures::TryStreamExt;
    /// let mut conversations = client.list_conversations().stream();
    /// while let Some(conversation) = conversations.try_next().await? {
    ///     println!("{}", conversation.id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream(self) -> ItemStream<Op::Item> {
        let max_items = self.max_items;
        paginate::items(self.walk(), max_items)
    }

    /// Whole pages, each with the position that produced it and the next
    /// one, for checkpoints. Items an earlier page yielded are left out.
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
    /// use futures::TryStreamExt;
    /// let mut pages = client.list_contacts().pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} contacts; resume at {:?}", page.items.len(), page.next);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn pages(self) -> PageStream<Op::Item> {
        let max_items = self.max_items;
        paginate::limit_pages(self.walk(), max_items)
    }

    /// Like [`stream`](Self::stream), but each item exactly as the server
    /// sent it, fields the spec does not know included.
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
    /// use futures::TryStreamExt;
    /// let mut contacts = client.list_contacts().stream_raw();
    /// while let Some(contact) = contacts.try_next().await? {
    ///     println!("{}", contact.json());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream_raw(self) -> ItemStream<RawItem> {
        let max_items = self.max_items;
        paginate::items(self.walk(), max_items)
    }

    /// Like [`pages`](Self::pages), but each item exactly as the server
    /// sent it.
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
    /// use futures::TryStreamExt;
    /// let mut pages = client.list_contacts().pages_raw();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} contacts; resume at {:?}", page.items.len(), page.next);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn pages_raw(self) -> PageStream<RawItem> {
        let max_items = self.max_items;
        paginate::limit_pages(self.walk(), max_items)
    }

    /// Resumes at a [`Position`] saved from a page's
    /// [`next`](crate::paginate::Page::next): a cursor for a cursor
    /// listing, a page number for a numbered one, a view's position for a
    /// walk over views.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// use chatdesk::paginate::Position;
    /// let contacts = client.list_contacts().resume(&Position::Number(12));
    /// let conversations = client.list_conversations().resume(&Position::Cursor("eyJpZCI6IjcifQ==".into()));
    /// # }
    /// ```
    pub fn resume(mut self, position: &Position) -> Self {
        let spec = Op::SPEC;
        let by_cursor = matches!(
            spec.declared.style,
            paginate::Style::Cursor | paginate::Style::Keyset
        );
        if spec.declared.style == paginate::Style::Whole
            && !matches!(position, Position::Start | Position::Number(1))
        {
            return self.invalid(format!(
                "resume: the {} answers in one response; there is no position to resume \
                 from but its start",
                spec.label
            ));
        }
        match (position, by_cursor) {
            (Position::Start, _) => {
                self.start_cursor = None;
                self.start_page = 1;
                self.start_view = 0;
                self
            }
            (Position::Cursor(cursor), true) => self.cursor_from(cursor.clone()),
            (Position::Number(page), false) => self.page_from(*page),
            (Position::View { view, position }, true) => {
                let Some(views) = spec.views else {
                    return self.invalid(format!(
                        "resume: the position is from a walk over several views, not from \
                         the {}",
                        spec.label
                    ));
                };
                if *view as usize >= views.views.len() {
                    return self.invalid(format!(
                        "resume: view {view} does not exist; a walk over every view has {}",
                        views.views.len()
                    ));
                }
                self.start_view = *view;
                match position.as_ref() {
                    Position::Start => {
                        self.start_cursor = None;
                        self
                    }
                    Position::Cursor(cursor) => self.cursor_from(cursor.clone()),
                    _ => self.invalid("resume: a view's position is its start or a cursor".into()),
                }
            }
            (_, true) => {
                self.invalid("resume: this listing goes by cursor, not by page number".into())
            }
            (_, false) => self
                .invalid("resume: this listing goes by page number, not by cursor or view".into()),
        }
    }

    fn cursor_from(mut self, cursor: String) -> Self {
        if cursor.is_empty() {
            return self.invalid("start_cursor: the cursor is empty".into());
        }
        self.start_cursor = Some(cursor);
        self
    }

    fn page_from(mut self, page: u64) -> Self {
        if page == 0 {
            return self.invalid("start_page: pages are numbered from 1".into());
        }
        self.start_page = page;
        self
    }
}

impl<Op: ListOperation<Walk = ByCursor>> Listing<Op> {
    /// Starts after this cursor, the `next` of a page saved earlier.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client, saved: String) {
    /// let resumed = client.list_conversations().start_cursor(saved);
    /// # }
    /// ```
    pub fn start_cursor(self, cursor: impl Into<String>) -> Self {
        self.cursor_from(cursor.into())
    }
}

impl<Op: ListOperation<Walk = ByPage>> Listing<Op> {
    /// Starts at this page (from 1), for example the `next` of a page saved
    /// by an earlier walk.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let resumed = client.list_contacts().start_page(12);
    /// # }
    /// ```
    pub fn start_page(self, page: u64) -> Self {
        self.page_from(page)
    }

    /// How many pages are fetched at once (the spec's default unless set).
    /// Output stays in order; memory grows with this number of pages.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let gentle = client.list_contacts().concurrency(1);
    /// # }
    /// ```
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        if concurrency == 0 {
            return self
                .invalid("concurrency must be at least 1 (1 fetches one page at a time)".into());
        }
        self.concurrency = Some(concurrency);
        self
    }
}

/// How a bracket-notation parameter with a JSON alternative goes on the
/// wire (the contact filter of the ChatbotX contact listing, for one).
///
/// ```
/// assert_eq!(chatdesk::listing::ObjectEncoding::default(), chatdesk::listing::ObjectEncoding::Brackets);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ObjectEncoding {
    /// Bracket notation (`contactFilter[operator]=and&...`): read by every
    /// server version. The default.
    #[default]
    Brackets,
    /// JSON text in one value: read by newer servers only (older ones
    /// answer 400 "expected object, received string").
    Json,
}
