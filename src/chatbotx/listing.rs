//! The ChatbotX listings as streams: conversations and a contact's messages
//! by cursor, contacts by page number.

use crate::envelope::Envelope;
use crate::error::{Error, Platform};

use crate::paginate::{
    self, CursorPage, Declared, Item, ItemStream, NumberedPage, NumberedWalk, PageStream, Position,
    Style, check_concurrency, check_per_page,
};
use crate::query::{bracket_pairs, json_text};
use crate::raw::RawItem;
use crate::request::{Get, Http, push_some};

use super::filter::ContactFilter;
use super::identifier::Identifier;
use super::operations::pagination;
use super::types::{
    BotCategory, Channel, Contact, ContactInclude, Conversation, ConversationStatusFilter, Message,
    SortField,
};

/// Conversations or messages per request when streaming (the spec's
/// `page-size-default`; the server's own default, 20, without one). The
/// server sets no maximum, so a large page means few round trips; 500
/// conversations are about 1.5 MB of JSON.
///
/// ```
/// assert_eq!(chatdesk::chatbotx::DEFAULT_CURSOR_PAGE_SIZE, 500);
/// ```
pub const DEFAULT_CURSOR_PAGE_SIZE: u64 = pagination::LIST_CONVERSATIONS.default_page_size(20);
/// The most contacts the server serves per page (the spec's
/// `page-size-max`; it clamps larger values).
///
/// ```
/// assert_eq!(chatdesk::chatbotx::MAX_CONTACTS_PER_PAGE, 50);
/// ```
pub const MAX_CONTACTS_PER_PAGE: u64 = match pagination::LIST_CONTACTS.page_size_max {
    Some(max) => max,
    None => u64::MAX,
};
/// Contact pages fetched at once by default.
///
/// ```
/// assert_eq!(chatdesk::chatbotx::DEFAULT_CONCURRENCY, 4);
/// ```
pub const DEFAULT_CONCURRENCY: usize = 4;

/// What every listing builder shares: where it starts, how much to fetch,
/// and the first bad setting (reported by `.stream()` and `.pages()`).
#[derive(Clone, Debug)]
struct Common {
    http: Http,
    per_page: u64,
    max_items: Option<u64>,
    invalid: Option<String>,
}

impl Common {
    fn new(http: Http, per_page: u64) -> Self {
        Common {
            http,
            per_page,
            max_items: None,
            invalid: None,
        }
    }

    fn invalid(&mut self, message: String) {
        self.invalid.get_or_insert(message);
    }

    /// `text`, noting an error if it is blank.
    fn non_blank(&mut self, what: &str, text: String) -> String {
        if text.trim().is_empty() {
            self.invalid(format!("{what} is empty"));
        }
        text
    }

    /// `filter`, noting an error if it has no condition.
    fn non_empty(&mut self, filter: ContactFilter) -> ContactFilter {
        if filter.is_empty() {
            self.invalid("contact_filter has no condition; add one or leave the filter out".into());
        }
        filter
    }

    fn check(&self, what: &str, max_per_page: Option<u64>) -> Result<(), Error> {
        if let Some(message) = &self.invalid {
            return Err(Error::invalid_input(format!("chatbotx {what}: {message}")));
        }
        check_per_page(&format!("chatbotx {what}"), self.per_page, max_per_page)
    }
}

/// The setters every listing has, with doc examples naming `$listing`.
macro_rules! common_setters {
    ($listing:literal, $item:ty) => {
        /// Items per request. Streams default to the fewest round trips the
        /// server allows.
        ///
        /// ```no_run
        /// # fn f(client: chatdesk::chatbotx::Client) {
        #[doc = concat!("let small_pages = client.", $listing, ".per_page(20);")]
        /// # }
        /// ```
        pub fn per_page(mut self, per_page: u64) -> Self {
            self.common.per_page = per_page;
            self
        }

        /// Stops after this many items.
        ///
        /// ```no_run
        /// # fn f(client: chatdesk::chatbotx::Client) {
        #[doc = concat!("let sample = client.", $listing, ".max_items(100);")]
        /// # }
        /// ```
        pub fn max_items(mut self, max_items: u64) -> Self {
            self.common.max_items = Some(max_items);
            self
        }

        /// Every item, in the server's order, each once; an error ends the
        /// stream after every good item before it.
        ///
        /// ```no_run
        /// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
        /// use futures::TryStreamExt;
        #[doc = concat!("let mut items = client.", $listing, ".stream();")]
        /// while let Some(item) = items.try_next().await? {
        ///     println!("{}", item.id);
        /// }
        /// # Ok(())
        /// # }
        /// ```
        pub fn stream(self) -> ItemStream<$item> {
            let max_items = self.common.max_items;
            paginate::items(self.walk(), max_items)
        }

        /// Whole pages, each with the position that produced it and the
        /// next one, for checkpoints.
        ///
        /// ```no_run
        /// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
        /// use futures::TryStreamExt;
        #[doc = concat!("let mut pages = client.", $listing, ".pages();")]
        /// while let Some(page) = pages.try_next().await? {
        ///     println!("{} items; resume at {:?}", page.items.len(), page.next);
        /// }
        /// # Ok(())
        /// # }
        /// ```
        pub fn pages(self) -> PageStream<$item> {
            let max_items = self.common.max_items;
            paginate::limit_pages(self.walk(), max_items)
        }

        /// Like [`stream`](Self::stream), but each item exactly as the
        /// server sent it, fields the spec does not know included.
        ///
        /// ```no_run
        /// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
        /// use futures::TryStreamExt;
        #[doc = concat!("let mut items = client.", $listing, ".stream_raw();")]
        /// while let Some(item) = items.try_next().await? {
        ///     println!("{}", item.json());
        /// }
        /// # Ok(())
        /// # }
        /// ```
        pub fn stream_raw(self) -> ItemStream<RawItem> {
            let max_items = self.common.max_items;
            paginate::items(self.walk(), max_items)
        }

        /// Like [`pages`](Self::pages), but each item exactly as the server
        /// sent it.
        ///
        /// ```no_run
        /// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
        /// use futures::TryStreamExt;
        #[doc = concat!("let mut pages = client.", $listing, ".pages_raw();")]
        /// while let Some(page) = pages.try_next().await? {
        ///     println!("{} items; resume at {:?}", page.items.len(), page.next);
        /// }
        /// # Ok(())
        /// # }
        /// ```
        pub fn pages_raw(self) -> PageStream<RawItem> {
            let max_items = self.common.max_items;
            paginate::limit_pages(self.walk(), max_items)
        }
    };
}

/// The setters of a cursor listing: where to start.
macro_rules! cursor_setters {
    ($listing:literal) => {
        /// Starts after this cursor, the `next` of a page saved earlier.
        ///
        /// ```no_run
        /// # fn f(client: chatdesk::chatbotx::Client, saved: String) {
        #[doc = concat!("let resumed = client.", $listing, ".start_cursor(saved);")]
        /// # }
        /// ```
        pub fn start_cursor(mut self, cursor: impl Into<String>) -> Self {
            let cursor = cursor.into();
            if cursor.is_empty() {
                self.common.invalid("start_cursor: the cursor is empty".into());
            }
            self.start_cursor = Some(cursor);
            self
        }

        /// Resumes at a [`Position`] saved from [`crate::paginate::Page::next`].
        ///
        /// ```no_run
        /// # fn f(client: chatdesk::chatbotx::Client) {
        /// use chatdesk::paginate::Position;
        #[doc = concat!("let resumed = client.", $listing, ".resume(&Position::Cursor(\"eyJpZCI6IjcifQ==\".into()));")]
        /// # }
        /// ```
        pub fn resume(mut self, position: &Position) -> Self {
            match position {
                Position::Start => self.start_cursor = None,
                Position::Cursor(cursor) => return self.start_cursor(cursor.clone()),
                Position::View { view, position } => return self.resume_view(*view, position),
                Position::Number(_) => self
                    .common
                    .invalid("resume: this listing goes by cursor, not page number".into()),
            }
            self
        }
    };
}

/// Walks a cursor listing of `T` with the query `base` plus `cursor` and
/// `perPage`.
fn cursor_listing<T: Item>(
    common: Common,
    operation: &'static str,
    declared: &'static Declared,
    path: String,
    base: Vec<(String, String)>,
    start_cursor: Option<String>,
) -> PageStream<T> {
    let (Style::Cursor, Some(cursor_name), Some(page_size)) =
        (declared.style, declared.cursor, declared.page_size)
    else {
        return paginate::failed(Error::invalid_input(format!(
            "{operation}: the spec does not declare it a cursor listing with a page size"
        )));
    };
    let http = common.http;
    let per_page = common.per_page;
    paginate::cursor_walk(
        Platform::Chatbotx,
        start_cursor,
        move |cursor: Option<String>| {
            let http = http.clone();
            let path = path.clone();
            let mut query = base.clone();
            query.push((page_size.into(), per_page.to_string()));
            let position = match &cursor {
                Some(c) => format!("cursor {c}"),
                None => "start".to_string(),
            };
            if let Some(cursor) = cursor {
                query.push((cursor_name.into(), cursor));
            }
            async move {
                let page = http
                    .get_page::<T>(
                        Get {
                            operation,
                            path,
                            query: &query,
                            position,
                        },
                        declared,
                    )
                    .await?;
                Ok(CursorPage {
                    items: page.items,
                    next: page.next_cursor,
                })
            }
        },
    )
}

/// Every conversation, newest activity first, from
/// [`Client::conversations`](super::Client::conversations).
///
/// The listing goes by cursor: one request at a time, 500 conversations per
/// request unless [`per_page`](Self::per_page) says otherwise. `status`,
/// `tags`, `contact_filter` and `sort` go as JSON text, the only form the
/// server reads for this endpoint.
///
/// The server's default view leaves out archived conversations and those
/// of blocked contacts: [`all_states`](Self::all_states) walks every
/// conversation. Some servers repeat conversations across pages (their
/// cursor breaks when activity order and id order differ); the walk yields
/// each conversation once, and stops with an error if pages keep bringing
/// nothing new (see [`MAX_PAGES_WITHOUT_NEW_ITEMS`](crate::paginate::MAX_PAGES_WITHOUT_NEW_ITEMS)).
///
/// ```no_run
/// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
/// use chatdesk::chatbotx::{Channel, Condition, ContactFilter, Status};
/// use futures::TryStreamExt;
///
/// let mut followed = client
///     .conversations()
///     .channel(Channel::Messenger)
///     .tags([Status::FollowUp])
///     .contact_filter(ContactFilter::all().condition(Condition::new("email", "isNotEmpty")))
///     .stream();
/// while let Some(conversation) = followed.try_next().await? {
///     println!("{}", conversation.id);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a listing does nothing until you call .stream() or .pages()"]
#[derive(Clone, Debug)]
pub struct ConversationsRequest {
    common: Common,
    bot_category: Option<BotCategory>,
    assigned_id: Option<String>,
    channel: Option<Channel>,
    status: Vec<ConversationStatusFilter>,
    keyword: Option<String>,
    bot_enabled: Option<bool>,
    tags: Vec<ConversationStatusFilter>,
    contact_filter: Option<ContactFilter>,
    sort: Vec<SortField>,
    start_cursor: Option<String>,
    all_states: bool,
    start_view: u32,
}

/// The `tags` flags of the views that together hold every conversation:
/// the default view leaves out archived conversations and those of blocked
/// contacts, which only these flags show.
const ALL_STATE_VIEWS: [&[ConversationStatusFilter]; 4] = [
    &[],
    &[ConversationStatusFilter::Archived],
    &[ConversationStatusFilter::Blocked],
    &[
        ConversationStatusFilter::Archived,
        ConversationStatusFilter::Blocked,
    ],
];

impl ConversationsRequest {
    pub(crate) fn new(http: Http) -> Self {
        ConversationsRequest {
            common: Common::new(http, DEFAULT_CURSOR_PAGE_SIZE),
            bot_category: None,
            assigned_id: None,
            channel: None,
            status: Vec::new(),
            keyword: None,
            bot_enabled: None,
            tags: Vec::new(),
            contact_filter: None,
            sort: Vec::new(),
            start_cursor: None,
            all_states: false,
            start_view: 0,
        }
    }

    /// Every conversation in one walk, archived ones and those of blocked
    /// contacts included. The server's default view leaves both out, and
    /// only the `archived` and `blocked` flags of `tags` show them, so this
    /// walks four views in turn (none, `archived`, `blocked`, both), each
    /// with the other filters, and yields a conversation found in several
    /// views once. Positions of such a walk are [`Position::View`]s.
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
    /// use futures::TryStreamExt;
    /// let every: Vec<_> = client.conversations().all_states().stream().try_collect().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn all_states(mut self) -> Self {
        self.all_states = true;
        self
    }

    /// Resumes inside view `view` of an [`all_states`](Self::all_states)
    /// walk.
    fn resume_view(mut self, view: u32, position: &Position) -> Self {
        if view as usize >= ALL_STATE_VIEWS.len() {
            self.common.invalid(format!(
                "resume: view {view} does not exist; an all-states walk has {}",
                ALL_STATE_VIEWS.len()
            ));
            return self;
        }
        self.start_view = view;
        match position {
            Position::Start => self.start_cursor = None,
            Position::Cursor(cursor) => return self.start_cursor(cursor.clone()),
            _ => self
                .common
                .invalid("resume: a view's position is its start or a cursor".into()),
        }
        self
    }

    /// Keep conversations handled by a bot, by a human, or all.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let human = client.conversations().bot_category(chatdesk::chatbotx::BotCategory::Human);
    /// # }
    /// ```
    pub fn bot_category(mut self, category: BotCategory) -> Self {
        self.bot_category = Some(category);
        self
    }

    /// Keep conversations assigned to someone: `u_<userId>` for a user,
    /// `t_<teamId>` for a team, or `unassigned`. The server silently
    /// ignores a bare id (the whole list comes back), so a value of digits
    /// alone is taken as a user id and sent as `u_<id>`.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let mine = client.conversations().assigned_id("u_72057594037927936");
    /// let same = client.conversations().assigned_id("72057594037927936"); // sent as u_…
    /// let team = client.conversations().assigned_id("t_12");
    /// let nobody = client.conversations().assigned_id("unassigned");
    /// # }
    /// ```
    pub fn assigned_id(mut self, assignee: impl Into<String>) -> Self {
        let assignee = self.common.non_blank("assigned_id", assignee.into());
        let assignee = if assignee.bytes().all(|b| b.is_ascii_digit()) && !assignee.is_empty() {
            format!("u_{assignee}")
        } else {
            assignee
        };
        self.assigned_id = Some(assignee);
        self
    }

    /// Keep conversations of this channel (`Omnichannel` means all).
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let zalo = client.conversations().channel(chatdesk::chatbotx::Channel::Zalo);
    /// # }
    /// ```
    pub fn channel(mut self, channel: Channel) -> Self {
        self.channel = Some(channel);
        self
    }

    /// Keep conversations in any of these states (sent as the JSON text
    /// the server reads). Some server versions (the open-source one among
    /// them) validate this parameter but do not apply it, and read the
    /// states only from [`tags`](Self::tags): set both to be safe.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// use chatdesk::chatbotx::Status;
    /// let waiting = client.conversations().status([Status::Unread, Status::NoAdminReply]);
    /// # }
    /// ```
    pub fn status(mut self, states: impl IntoIterator<Item = ConversationStatusFilter>) -> Self {
        self.status.extend(states);
        self
    }

    /// Keep conversations whose contact's first or last name contains this
    /// text. The server matches names only, not e-mail addresses, phone
    /// numbers or message text.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let found = client.conversations().keyword("Nguyễn");
    /// # }
    /// ```
    pub fn keyword(mut self, keyword: impl Into<String>) -> Self {
        self.keyword = Some(self.common.non_blank("keyword", keyword.into()));
        self
    }

    /// Keep conversations whose bot is on (`true`) or off (`false`).
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let bot_on = client.conversations().bot_enabled(true);
    /// # }
    /// ```
    pub fn bot_enabled(mut self, enabled: bool) -> Self {
        self.bot_enabled = Some(enabled);
        self
    }

    /// The state flags of the `tags` parameter (the same values as
    /// [`status`](Self::status)): `archived` and `blocked` switch to those
    /// conversations, which are left out otherwise.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// use chatdesk::chatbotx::Status;
    /// let archived = client.conversations().tags([Status::Archived]);
    /// # }
    /// ```
    pub fn tags(mut self, flags: impl IntoIterator<Item = ConversationStatusFilter>) -> Self {
        self.tags.extend(flags);
        self
    }

    /// Keep conversations whose contact matches `filter`.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// use chatdesk::chatbotx::{Condition, ContactFilter};
    /// let vip = client
    ///     .conversations()
    ///     .contact_filter(ContactFilter::all().condition(Condition::new("tags", "in").values(["42"])));
    /// # }
    /// ```
    pub fn contact_filter(mut self, filter: ContactFilter) -> Self {
        self.contact_filter = Some(self.common.non_empty(filter));
        self
    }

    /// The `sort` parameter. The server currently keeps its own order
    /// (newest activity first) whatever this says; it is sent for servers
    /// that honour it.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// use chatdesk::chatbotx::types::SortField;
    /// let sorted = client.conversations().sort([SortField { id: "lastActivityAt".into(), desc: Some(true) }]);
    /// # }
    /// ```
    pub fn sort(mut self, fields: impl IntoIterator<Item = SortField>) -> Self {
        self.sort.extend(fields);
        self
    }

    cursor_setters!("conversations()");
    common_setters!("conversations()", Conversation);

    fn query(&self, tags: &[ConversationStatusFilter]) -> Vec<(String, String)> {
        let mut query = Vec::new();
        push_some(
            &mut query,
            "botCategory",
            self.bot_category.as_ref().map(ToString::to_string),
        );
        push_some(&mut query, "assignedId", self.assigned_id.clone());
        push_some(
            &mut query,
            "channel",
            self.channel.as_ref().map(ToString::to_string),
        );
        push_some(
            &mut query,
            "status",
            (!self.status.is_empty()).then(|| json_text(&self.status)),
        );
        push_some(&mut query, "keyword", self.keyword.clone());
        push_some(
            &mut query,
            "botEnabled",
            self.bot_enabled.map(|b| b.to_string()),
        );
        push_some(
            &mut query,
            "tags",
            (!tags.is_empty()).then(|| json_text(&tags)),
        );
        push_some(
            &mut query,
            "contactFilter",
            self.contact_filter
                .as_ref()
                .map(|f| json_text(&f.to_json())),
        );
        push_some(
            &mut query,
            "sort",
            (!self.sort.is_empty()).then(|| json_text(&self.sort)),
        );
        query
    }

    fn walk<T: Item>(self) -> PageStream<T> {
        if let Err(e) = self.common.check("conversations", None) {
            return paginate::failed(e);
        }
        if !self.all_states {
            if self.start_view != 0 {
                return paginate::failed(Error::invalid_input(
                    "chatbotx conversations: resume: the position is from an all-states walk; \
                     call .all_states() to resume it",
                ));
            }
            let query = self.query(&self.tags);
            return cursor_listing(
                self.common,
                OPERATION,
                &pagination::LIST_CONVERSATIONS,
                PATH.into(),
                query,
                self.start_cursor,
            );
        }
        // Each view adds its flags to the caller's other tags.
        let others: Vec<ConversationStatusFilter> = self
            .tags
            .iter()
            .filter(|t| !ALL_STATE_VIEWS[3].contains(t))
            .cloned()
            .collect();
        let queries: Vec<Vec<(String, String)>> = ALL_STATE_VIEWS
            .iter()
            .map(|flags| {
                let tags: Vec<ConversationStatusFilter> =
                    others.iter().chain(flags.iter()).cloned().collect();
                self.query(&tags)
            })
            .collect();
        let common = self.common;
        paginate::views_walk(
            queries.len() as u32,
            self.start_view,
            self.start_cursor,
            move |view, cursor| {
                let query = queries.get(view as usize).cloned().unwrap_or_default();
                cursor_listing(
                    common.clone(),
                    OPERATION,
                    &pagination::LIST_CONVERSATIONS,
                    PATH.into(),
                    query,
                    cursor,
                )
            },
        )
    }
}

/// The conversation listing's operation and path.
const OPERATION: &str = "listConversations";
const PATH: &str = "/v1/conversations";

/// Every message of one contact, newest first, from
/// [`Client::contact_messages`](super::Client::contact_messages).
///
/// ```no_run
/// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
/// use chatdesk::chatbotx::Identifier;
/// use futures::TryStreamExt;
/// let messages: Vec<_> = client
///     .contact_messages(Identifier::phone("+84912345678"))
///     .stream()
///     .try_collect()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[must_use = "a listing does nothing until you call .stream() or .pages()"]
#[derive(Clone, Debug)]
pub struct ContactMessagesRequest {
    common: Common,
    contact: Identifier,
    start_cursor: Option<String>,
}

impl ContactMessagesRequest {
    pub(crate) fn new(http: Http, contact: Identifier) -> Self {
        let mut common = Common::new(
            http,
            pagination::LIST_CONTACT_MESSAGES.default_page_size(20),
        );
        if let Err(e) = contact.check() {
            common.invalid(e.detail());
        }
        ContactMessagesRequest {
            common,
            contact,
            start_cursor: None,
        }
    }

    cursor_setters!("contact_messages(chatdesk::chatbotx::Identifier::id(42))");

    /// A message listing has no views: a view position is refused.
    fn resume_view(mut self, _view: u32, _position: &Position) -> Self {
        self.common.invalid(
            "resume: the position is from a walk over several views, not from a contact's \
             messages"
                .into(),
        );
        self
    }
    common_setters!(
        "contact_messages(chatdesk::chatbotx::Identifier::id(42))",
        Message
    );

    fn walk<T: Item>(self) -> PageStream<T> {
        if let Err(e) = self.common.check("contact messages", None) {
            return paginate::failed(e);
        }
        let path = format!("/v1/contacts/{}/messages", self.contact.path_segment());
        cursor_listing(
            self.common,
            "listContactMessages",
            &pagination::LIST_CONTACT_MESSAGES,
            path,
            Vec::new(),
            self.start_cursor,
        )
    }
}

/// How a contact filter goes on the wire of the contact listing.
///
/// ```
/// assert_eq!(chatdesk::chatbotx::FilterEncoding::default(), chatdesk::chatbotx::FilterEncoding::Brackets);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum FilterEncoding {
    /// Bracket notation (`contactFilter[operator]=and&...`): read by every
    /// server version. The default.
    #[default]
    Brackets,
    /// JSON text in one value: read by newer servers only (older ones
    /// answer 400 "expected object, received string").
    Json,
}

/// Every contact, from [`Client::contacts`](super::Client::contacts).
///
/// The listing goes by page number, 50 contacts per page (the server's
/// maximum). Page 1 comes first; its `pageCount` says how many pages
/// follow, and those are fetched [`concurrency`](Self::concurrency) at a
/// time, in order; then the walk goes on past `pageCount` until an empty
/// page, because counts can be stale. A contact is never yielded twice.
///
/// ```no_run
/// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
/// use chatdesk::chatbotx::{Channel, Condition, ContactFilter};
/// use futures::TryStreamExt;
/// let on_zalo: Vec<_> = client
///     .contacts()
///     .channels([Channel::Zalo])
///     .contact_filter(ContactFilter::all().condition(Condition::new("email", "isNotEmpty")))
///     .concurrency(8)
///     .stream()
///     .try_collect()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[must_use = "a listing does nothing until you call .stream() or .pages()"]
#[derive(Clone, Debug)]
pub struct ContactsRequest {
    common: Common,
    keyword: Option<String>,
    channels: Vec<Channel>,
    inbox_ids: Vec<String>,
    integration_whatsapp_id: Option<String>,
    integration_messenger_id: Option<String>,
    contact_filter: Option<ContactFilter>,
    filter_encoding: FilterEncoding,
    sort: Vec<SortField>,
    include: Vec<ContactInclude>,
    with_count: Option<bool>,
    start_page: u64,
    concurrency: usize,
}

impl ContactsRequest {
    pub(crate) fn new(http: Http) -> Self {
        ContactsRequest {
            common: Common::new(http, pagination::LIST_CONTACTS.default_page_size(20)),
            keyword: None,
            channels: Vec::new(),
            inbox_ids: Vec::new(),
            integration_whatsapp_id: None,
            integration_messenger_id: None,
            contact_filter: None,
            filter_encoding: FilterEncoding::default(),
            sort: Vec::new(),
            include: Vec::new(),
            with_count: None,
            start_page: 1,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }

    /// Keep contacts whose name, email or phone contains this text.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let found = client.contacts().keyword("Thảo");
    /// # }
    /// ```
    pub fn keyword(mut self, keyword: impl Into<String>) -> Self {
        self.keyword = Some(self.common.non_blank("keyword", keyword.into()));
        self
    }

    /// Keep contacts of these channels (sent as `channels[]`). Some server
    /// versions (the open-source one among them) validate this parameter
    /// but do not apply it: check the items' `contactInboxes` if it
    /// matters.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// use chatdesk::chatbotx::Channel;
    /// let chat_apps = client.contacts().channels([Channel::Zalo, Channel::Telegram]);
    /// # }
    /// ```
    pub fn channels(mut self, channels: impl IntoIterator<Item = Channel>) -> Self {
        self.channels.extend(channels);
        self
    }

    /// Keep contacts of this channel; same as `channels([channel])`.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let zalo = client.contacts().channel(chatdesk::chatbotx::Channel::Zalo);
    /// # }
    /// ```
    pub fn channel(self, channel: Channel) -> Self {
        self.channels([channel])
    }

    /// Keep contacts of these inboxes (ids, digits only). Some server
    /// versions validate this parameter but do not apply it.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let of_inbox = client.contacts().inbox_ids(["72057594037927936"]);
    /// # }
    /// ```
    pub fn inbox_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for id in ids {
            let id = id.into();
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
                self.common
                    .invalid(format!("inbox id {id:?} is not a string of digits"));
            }
            self.inbox_ids.push(id);
        }
        self
    }

    /// Keep contacts of this WhatsApp integration (digits only).
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let whatsapp = client.contacts().integration_whatsapp_id("11");
    /// # }
    /// ```
    pub fn integration_whatsapp_id(mut self, id: impl Into<String>) -> Self {
        self.integration_whatsapp_id = Some(id.into());
        self
    }

    /// Keep contacts of this Messenger integration (digits only).
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let messenger = client.contacts().integration_messenger_id("12");
    /// # }
    /// ```
    pub fn integration_messenger_id(mut self, id: impl Into<String>) -> Self {
        self.integration_messenger_id = Some(id.into());
        self
    }

    /// Keep contacts matching `filter`, in bracket notation unless
    /// [`filter_encoding`](Self::filter_encoding) says otherwise.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// use chatdesk::chatbotx::{Condition, ContactFilter};
    /// let women = client.contacts().contact_filter(ContactFilter::all().condition(Condition::new("gender", "eq").value("female")));
    /// # }
    /// ```
    pub fn contact_filter(mut self, filter: ContactFilter) -> Self {
        self.contact_filter = Some(self.common.non_empty(filter));
        self
    }

    /// How the contact filter is sent (default [`FilterEncoding::Brackets`],
    /// which every server version reads).
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// use chatdesk::chatbotx::FilterEncoding;
    /// let json = client.contacts().filter_encoding(FilterEncoding::Json);
    /// # }
    /// ```
    pub fn filter_encoding(mut self, encoding: FilterEncoding) -> Self {
        self.filter_encoding = encoding;
        self
    }

    /// The order, sent as JSON text (`[{"id": "createdAt", "desc": true}]`).
    /// The server's default is newest first.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// use chatdesk::chatbotx::types::SortField;
    /// let oldest_first = client.contacts().sort([SortField { id: "createdAt".into(), desc: Some(false) }]);
    /// # }
    /// ```
    pub fn sort(mut self, fields: impl IntoIterator<Item = SortField>) -> Self {
        self.sort.extend(fields);
        self
    }

    /// Load only these relations with each contact (all four when unset).
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// use chatdesk::chatbotx::types::ContactInclude;
    /// let lean = client.contacts().include([ContactInclude::Tags]);
    /// # }
    /// ```
    pub fn include(mut self, relations: impl IntoIterator<Item = ContactInclude>) -> Self {
        self.include.extend(relations);
        self
    }

    /// Whether the server counts the matches (default: the server's,
    /// `true`). Without a count, pages are fetched one at a time.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let uncounted = client.contacts().with_count(false);
    /// # }
    /// ```
    pub fn with_count(mut self, with_count: bool) -> Self {
        self.with_count = Some(with_count);
        self
    }

    /// Starts at this page (from 1), for example a saved `next`.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let resumed = client.contacts().start_page(12);
    /// # }
    /// ```
    pub fn start_page(mut self, page: u64) -> Self {
        if page == 0 {
            self.common
                .invalid("start_page: pages are numbered from 1".into());
        }
        self.start_page = page;
        self
    }

    /// Resumes at a [`Position`] saved from [`crate::paginate::Page::next`].
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let resumed = client.contacts().resume(&chatdesk::paginate::Position::Number(12));
    /// # }
    /// ```
    pub fn resume(mut self, position: &Position) -> Self {
        match position {
            Position::Number(page) => return self.start_page(*page),
            Position::Start => self.start_page = 1,
            Position::Cursor(_) | Position::View { .. } => self
                .common
                .invalid("resume: contacts go by page number, not cursor or view".into()),
        }
        self
    }

    /// How many pages are fetched at once (default 4). Output stays in
    /// order; memory grows with this number of pages.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let gentle = client.contacts().concurrency(1);
    /// # }
    /// ```
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        if let Err(e) = check_concurrency("contacts", concurrency) {
            self.common.invalid(e.detail());
        }
        self.concurrency = concurrency;
        self
    }

    common_setters!("contacts()", Contact);

    fn query(&self) -> Vec<(String, String)> {
        let mut query = Vec::new();
        push_some(&mut query, "keyword", self.keyword.clone());
        push_some(
            &mut query,
            "integrationWhatsappId",
            self.integration_whatsapp_id.clone(),
        );
        push_some(
            &mut query,
            "integrationMessengerId",
            self.integration_messenger_id.clone(),
        );
        push_some(
            &mut query,
            "sort",
            (!self.sort.is_empty()).then(|| json_text(&self.sort)),
        );
        push_some(
            &mut query,
            "withCount",
            self.with_count.map(|b| b.to_string()),
        );
        if let Some(page_size) = pagination::LIST_CONTACTS.page_size {
            query.push((page_size.into(), self.common.per_page.to_string()));
        }
        for channel in &self.channels {
            query.push(("channels[]".into(), channel.to_string()));
        }
        for id in &self.inbox_ids {
            query.push(("inboxIds[]".into(), id.clone()));
        }
        for relation in &self.include {
            query.push(("include[]".into(), relation.to_string()));
        }
        if let Some(filter) = &self.contact_filter {
            match self.filter_encoding {
                FilterEncoding::Brackets => {
                    bracket_pairs("contactFilter", &filter.to_json(), &mut query)
                }
                FilterEncoding::Json => {
                    query.push(("contactFilter".into(), json_text(&filter.to_json())))
                }
            }
        }
        query
    }

    fn walk<T: Item>(self) -> PageStream<T> {
        if let Err(e) = self.common.check("contacts", Some(MAX_CONTACTS_PER_PAGE)) {
            return paginate::failed(e);
        }
        let declared = &pagination::LIST_CONTACTS;
        // The page count is read as a number: no hook.
        let (Style::PageNumber, Some(page_name), None) =
            (declared.style, declared.page, declared.page_count_hook)
        else {
            return paginate::failed(Error::invalid_input(
                "listContacts: the spec does not declare it a page-number listing whose page \
                 count is a number",
            ));
        };
        let base = self.query();
        let max_items = self.common.max_items;
        let http = self.common.http;
        let fetch = move |page: u64| {
            let http = http.clone();
            let mut query = base.clone();
            query.push((page_name.into(), page.to_string()));
            async move {
                let operation = "listContacts";
                let list = http
                    .get_page::<T>(
                        Get {
                            operation,
                            path: "/v1/contacts".into(),
                            query: &query,
                            position: format!("page {page}"),
                        },
                        declared,
                    )
                    .await?;
                Ok(NumberedPage {
                    items: list.items,
                    // 0 when the server did not count (`withCount=false`).
                    page_count: Envelope::<T>::count(list.page_count.as_deref()),
                })
            }
        };
        paginate::numbered_walk(
            NumberedWalk {
                platform: Platform::Chatbotx,
                start_page: self.start_page,
                concurrency: self.concurrency,
                max_items,
            },
            fetch,
        )
    }
}

/// The generated item types, de-duplicated by `id`.
macro_rules! items_by_id {
    ($($item:ty),*) => {$(
        impl Item for $item {
            type Key = String;
            fn key(&self) -> String {
                self.id.clone()
            }
        }
    )*};
}
items_by_id!(Contact, Conversation, Message);
