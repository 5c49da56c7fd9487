//! The conversation listing of a Chatwoot account, as a stream.

use std::collections::HashSet;
use std::time::Duration;

use futures::StreamExt;

use crate::error::{Error, Platform};
use crate::paginate::{
    self, Item, ItemStream, NumberedPage, NumberedWalk, Page, PageStream, Position, Style,
    check_concurrency,
};
use crate::raw::RawItem;
use crate::request::{Get, Http, push_some};

use super::operations::pagination;
use super::types::{
    AssigneeTypeFilter, Conversation, ConversationCounts, ConversationSortBy,
    ConversationTypeFilter, StatusFilter,
};

const OPERATION: &str = "listConversations";
/// Conversations per page on a Chatwoot server with default settings.
///
/// ```
/// assert_eq!(chatdesk::chatwoot::SERVER_PAGE_SIZE, 25);
/// ```
pub const SERVER_PAGE_SIZE: u64 = 25;
/// Pages fetched at once by default. Pages hold only 25 conversations, so
/// an export is many round trips: with 20 ms each, 12 in flight walk 10,000
/// conversations in about 1.1 s, against 1.5 s with 8 and 9.8 s with 1
/// (`BENCHMARKS.md`). Long exports from a busy server should also set
/// [`RateLimit::chatwoot`](crate::rate_limit::RateLimit::chatwoot).
///
/// ```
/// assert_eq!(chatdesk::chatwoot::DEFAULT_CONCURRENCY, 12);
/// ```
pub const DEFAULT_CONCURRENCY: usize = 12;

/// Every conversation of an account that matches the filters, from
/// [`Client::conversations`](super::Client::conversations).
///
/// Chatwoot pages hold 25 conversations and there is no way to ask for
/// more, so the walk fetches page 1, works out the page count from the
/// count that matches the `assignee_type` filter, fetches the remaining
/// pages [`concurrency`](Self::concurrency) at a time (in order), and keeps
/// going past the computed last page until an empty page, because the
/// counts can be stale.
///
/// What a walk guarantees while conversations move (activity reorders
/// them by `last_activity_at`, new ones arrive at the top):
/// - no conversation is yielded twice (they are de-duplicated by `id`);
/// - with [`concurrency(1)`](Self::concurrency), every conversation that was
///   in the listing for the whole walk and got no new activity is yielded:
///   arrivals at the top only push it to a later page, which is fetched
///   later;
/// - a conversation that gets activity during the walk may be missed (it
///   jumps to a page already fetched), and so may one that arrives during
///   the walk;
/// - with several pages in flight, pages can be served out of order around
///   an arrival, so a conversation on the boundary of two pages can be
///   missed too.
///
/// To catch what a walk missed, walk again, or follow up with
/// [`updated_within`](Self::updated_within) covering the walk's duration.
///
/// ```no_run
/// # async fn run(client: chatdesk::chatwoot::Client) -> Result<(), chatdesk::Error> {
/// use chatdesk::chatwoot::{AssigneeType, Status};
/// use futures::TryStreamExt;
///
/// let mut open = client
///     .conversations(7)
///     .status(Status::All)
///     .assignee_type(AssigneeType::Unassigned)
///     .label("vip")
///     .stream();
/// while let Some(conversation) = open.try_next().await? {
///     println!("#{} {}", conversation.id, conversation.status);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a listing does nothing until you call .stream() or .pages()"]
#[derive(Clone, Debug)]
pub struct ConversationsRequest {
    http: Http,
    account_id: i64,
    assignee_type: Option<AssigneeTypeFilter>,
    status: Option<StatusFilter>,
    query: Option<String>,
    inbox_id: Option<i64>,
    team_id: Option<i64>,
    labels: Vec<String>,
    sort_by: Option<ConversationSortBy>,
    conversation_type: Option<ConversationTypeFilter>,
    source_id: Option<String>,
    updated_within: Option<Duration>,
    start_page: u64,
    concurrency: usize,
    max_items: Option<u64>,
    invalid: Option<String>,
}

impl ConversationsRequest {
    pub(crate) fn new(http: Http, account_id: i64) -> Self {
        let invalid = (account_id < 1)
            .then(|| format!("the account id must be a positive number, not {account_id}"));
        ConversationsRequest {
            http,
            account_id,
            assignee_type: None,
            status: None,
            query: None,
            inbox_id: None,
            team_id: None,
            labels: Vec::new(),
            sort_by: None,
            conversation_type: None,
            source_id: None,
            updated_within: None,
            start_page: 1,
            concurrency: DEFAULT_CONCURRENCY,
            max_items: None,
            invalid,
        }
    }

    fn invalid(mut self, message: String) -> Self {
        self.invalid.get_or_insert(message);
        self
    }

    /// Keep conversations in this status. Without it the server lists only
    /// `open` ones; [`StatusFilter::All`] lists every status.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let all = client.conversations(1).status(chatdesk::chatwoot::Status::All);
    /// # }
    /// ```
    pub fn status(mut self, status: StatusFilter) -> Self {
        self.status = Some(status);
        self
    }

    /// Keep conversations by assignee: `me`, `unassigned`, `assigned`
    /// (to a person) or `all` (the server's default).
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let mine = client.conversations(1).assignee_type(chatdesk::chatwoot::AssigneeType::Me);
    /// # }
    /// ```
    pub fn assignee_type(mut self, assignee_type: AssigneeTypeFilter) -> Self {
        self.assignee_type = Some(assignee_type);
        self
    }

    /// Keep conversations with a message containing `text` (the `q`
    /// parameter).
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let refunds = client.conversations(1).query("refund");
    /// # }
    /// ```
    pub fn query(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        if text.trim().is_empty() {
            return self.invalid("query: the search text is empty".into());
        }
        self.query = Some(text);
        self
    }

    /// Keep conversations of this inbox.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let widget = client.conversations(1).inbox_id(3);
    /// # }
    /// ```
    pub fn inbox_id(mut self, inbox_id: i64) -> Self {
        if inbox_id < 1 {
            return self.invalid(format!(
                "inbox_id must be a positive number, not {inbox_id}"
            ));
        }
        self.inbox_id = Some(inbox_id);
        self
    }

    /// Keep conversations of this team.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let billing = client.conversations(1).team_id(2);
    /// # }
    /// ```
    pub fn team_id(mut self, team_id: i64) -> Self {
        if team_id < 1 {
            return self.invalid(format!("team_id must be a positive number, not {team_id}"));
        }
        self.team_id = Some(team_id);
        self
    }

    /// Keep conversations carrying this label; call again for more labels.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let urgent_vips = client.conversations(1).label("vip").label("urgent");
    /// # }
    /// ```
    pub fn label(mut self, label: impl Into<String>) -> Self {
        let label = label.into();
        if label.trim().is_empty() {
            return self.invalid("label: a label cannot be empty".into());
        }
        self.labels.push(label);
        self
    }

    /// Keep conversations carrying these labels (adds to any set before).
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let tagged = client.conversations(1).labels(["vip", "urgent"]);
    /// # }
    /// ```
    pub fn labels<I, S>(self, labels: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        labels
            .into_iter()
            .fold(self, |request, label| request.label(label))
    }

    /// The order of the listing (the server's default is newest activity
    /// first). A walk over concurrent pages is only as stable as the order.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let oldest_first = client.conversations(1).sort_by(chatdesk::chatwoot::SortBy::CreatedAtAsc);
    /// # }
    /// ```
    pub fn sort_by(mut self, sort_by: ConversationSortBy) -> Self {
        self.sort_by = Some(sort_by);
        self
    }

    /// Keep conversations that mention the user, that the user takes part
    /// in, or that are unattended.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let mentions = client.conversations(1).conversation_type(chatdesk::chatwoot::ConversationType::Mention);
    /// # }
    /// ```
    pub fn conversation_type(mut self, conversation_type: ConversationTypeFilter) -> Self {
        self.conversation_type = Some(conversation_type);
        self
    }

    /// Keep the conversations of the contact inbox with this source id.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let of_contact = client.conversations(1).source_id("84912345678");
    /// # }
    /// ```
    pub fn source_id(mut self, source_id: impl Into<String>) -> Self {
        self.source_id = Some(source_id.into());
        self
    }

    /// Keep conversations updated in the last `window` (whole seconds, at
    /// least one). The server answers these in one response, without
    /// pages, so the walk makes a single request.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let last_hour = client.conversations(1).updated_within(std::time::Duration::from_secs(3600));
    /// # }
    /// ```
    pub fn updated_within(mut self, window: Duration) -> Self {
        if window.as_secs() == 0 {
            return self.invalid("updated_within must be at least one second".into());
        }
        self.updated_within = Some(window);
        self
    }

    /// Starts at this page (from 1), for example the `next` of a page saved
    /// by an earlier walk.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let resumed = client.conversations(1).start_page(40);
    /// # }
    /// ```
    pub fn start_page(mut self, page: u64) -> Self {
        if page == 0 {
            return self.invalid("start_page: pages are numbered from 1".into());
        }
        self.start_page = page;
        self
    }

    /// Resumes at a [`Position`] saved from [`Page::next`].
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// use chatdesk::paginate::Position;
    /// let resumed = client.conversations(1).resume(&Position::Number(40));
    /// # }
    /// ```
    pub fn resume(self, position: &Position) -> Self {
        match position {
            Position::Number(page) => self.start_page(*page),
            Position::Start => self.start_page(1),
            Position::Cursor(_) | Position::View { .. } => self.invalid(
                "resume: a Chatwoot listing goes by page number, not cursor or view".into(),
            ),
        }
    }

    /// How many pages are fetched at once (default 12). Output stays in
    /// order; memory grows with this number of pages.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let gentle = client.conversations(1).concurrency(2);
    /// # }
    /// ```
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        if let Err(e) = check_concurrency("conversations", concurrency) {
            return self.invalid(e.detail());
        }
        self.concurrency = concurrency;
        self
    }

    /// Stops after this many conversations.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let sample = client.conversations(1).max_items(100);
    /// # }
    /// ```
    pub fn max_items(mut self, max_items: u64) -> Self {
        self.max_items = Some(max_items);
        self
    }

    /// Every matching conversation, in the server's order, each once.
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatwoot::Client) -> Result<(), chatdesk::Error> {
    /// use futures::TryStreamExt;
    /// let all: Vec<_> = client.conversations(1).status(chatdesk::chatwoot::Status::All).stream().try_collect().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream(self) -> ItemStream<Conversation> {
        let max_items = self.max_items;
        paginate::items(self.walk(), max_items)
    }

    /// Whole pages, each with its page number and the next one, for
    /// checkpoints. Items already yielded by an earlier page are left out.
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatwoot::Client) -> Result<(), chatdesk::Error> {
    /// use futures::TryStreamExt;
    /// let mut pages = client.conversations(1).pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} conversations; resume at {:?}", page.items.len(), page.next);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn pages(self) -> PageStream<Conversation> {
        let max_items = self.max_items;
        paginate::limit_pages(self.walk(), max_items)
    }

    /// Like [`stream`](Self::stream), but each conversation exactly as the
    /// server sent it, fields the spec does not know included.
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatwoot::Client) -> Result<(), chatdesk::Error> {
    /// use futures::TryStreamExt;
    /// let mut conversations = client.conversations(1).stream_raw();
    /// while let Some(conversation) = conversations.try_next().await? {
    ///     println!("{}", conversation.json());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream_raw(self) -> ItemStream<RawItem> {
        let max_items = self.max_items;
        paginate::items(self.walk(), max_items)
    }

    /// Like [`pages`](Self::pages), but each conversation exactly as the
    /// server sent it.
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatwoot::Client) -> Result<(), chatdesk::Error> {
    /// use futures::TryStreamExt;
    /// let mut pages = client.conversations(1).pages_raw();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} conversations; resume at {:?}", page.items.len(), page.next);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn pages_raw(self) -> PageStream<RawItem> {
        let max_items = self.max_items;
        paginate::limit_pages(self.walk(), max_items)
    }

    /// The walk over every page, with items of type `T`.
    fn walk<T: Item>(self) -> PageStream<T> {
        if let Some(message) = self.invalid {
            return paginate::failed(Error::invalid_input(format!(
                "chatwoot conversations: {message}"
            )));
        }
        let base_query = self.base_query();
        let path = format!("/api/v1/accounts/{}/conversations", self.account_id);
        let http = self.http;
        if self.updated_within.is_some() {
            return one_response(http, path, base_query);
        }
        let declared = &pagination::LIST_CONVERSATIONS;
        let (Style::PageNumber, Some(page_name), Some(ASSIGNEE_COUNT_HOOK)) =
            (declared.style, declared.page, declared.page_count_hook)
        else {
            return paginate::failed(Error::invalid_input(format!(
                "{OPERATION}: the spec does not declare it a page-number listing whose page \
                 count comes from the `{ASSIGNEE_COUNT_HOOK}` hook"
            )));
        };
        let assignee_type = self.assignee_type;
        let fetch = move |page: u64| {
            let http = http.clone();
            let path = path.clone();
            let mut query = base_query.clone();
            query.push((page_name.to_string(), page.to_string()));
            let assignee_type = assignee_type.clone();
            async move {
                let list = http
                    .get_page::<T>(
                        Get {
                            operation: OPERATION,
                            path,
                            query: &query,
                            position: format!("page {page}"),
                        },
                        declared,
                    )
                    .await?;
                let count = assignee_count(list.page_count.as_deref(), assignee_type.as_ref());
                Ok(NumberedPage {
                    page_count: count.map(|count| page_count(count, list.items.len() as u64)),
                    items: list.items,
                })
            }
        };
        paginate::numbered_walk(
            NumberedWalk {
                platform: Platform::Chatwoot,
                start_page: self.start_page,
                concurrency: self.concurrency,
                max_items: self.max_items,
            },
            fetch,
        )
    }

    /// The query pairs every page shares, in the order the server's
    /// reference lists them.
    fn base_query(&self) -> Vec<(String, String)> {
        let mut query = Vec::new();
        push_some(
            &mut query,
            "assignee_type",
            self.assignee_type.as_ref().map(ToString::to_string),
        );
        push_some(
            &mut query,
            "status",
            self.status.as_ref().map(ToString::to_string),
        );
        push_some(&mut query, "q", self.query.clone());
        push_some(&mut query, "inbox_id", self.inbox_id.map(|i| i.to_string()));
        push_some(&mut query, "team_id", self.team_id.map(|i| i.to_string()));
        push_some(
            &mut query,
            "sort_by",
            self.sort_by.as_ref().map(ToString::to_string),
        );
        push_some(
            &mut query,
            "conversation_type",
            self.conversation_type.as_ref().map(ToString::to_string),
        );
        push_some(&mut query, "source_id", self.source_id.clone());
        push_some(
            &mut query,
            "updated_within",
            self.updated_within.map(|w| w.as_secs().to_string()),
        );
        for label in &self.labels {
            query.push(("labels[]".to_string(), label.clone()));
        }
        query
    }
}

/// The count in `meta` that matches the `assignee_type` filter: the counts
/// are computed before that filter is applied.
/// The spec's name of the hook below (`page-count-hook`).
const ASSIGNEE_COUNT_HOOK: &str = "chatwoot_assignee_count";

/// The hook `chatwoot_assignee_count`: the count of the meta object that
/// matches the `assignee_type` filter (the counts are computed before the
/// filter); `None` when the page has no readable meta.
fn assignee_count(
    meta: Option<&serde_json::value::RawValue>,
    assignee_type: Option<&AssigneeTypeFilter>,
) -> Option<u64> {
    let meta: ConversationCounts = serde_json::from_str(meta?.get()).ok()?;
    Some(matching_count(&meta, assignee_type))
}

fn matching_count(meta: &ConversationCounts, assignee_type: Option<&AssigneeTypeFilter>) -> u64 {
    let count = match assignee_type {
        Some(AssigneeTypeFilter::Me) => meta.mine_count,
        Some(AssigneeTypeFilter::Unassigned) => meta.unassigned_count,
        Some(AssigneeTypeFilter::Assigned) => meta.assigned_count,
        _ => meta.all_count,
    };
    u64::try_from(count).unwrap_or(0)
}

/// Pages needed for `count` items, from the size of a full page. A page
/// smaller than `count` is full, so its size is the server's page size
/// (25 unless the server's operator changed it).
fn page_count(count: u64, page_len: u64) -> u64 {
    let page_size = if page_len > 0 && page_len < count {
        page_len
    } else {
        SERVER_PAGE_SIZE
    };
    count.div_ceil(page_size)
}

/// The `updated_within` listing: one response with every match.
fn one_response<T: Item>(http: Http, path: String, query: Vec<(String, String)>) -> PageStream<T> {
    let page = async move {
        let declared = &pagination::LIST_CONVERSATIONS;
        let list = http
            .get_page::<T>(
                Get {
                    operation: OPERATION,
                    path,
                    query: &query,
                    position: "updated_within".into(),
                },
                declared,
            )
            .await?;
        let items = paginate::keep_unseen(list.items, &mut HashSet::new());
        Ok(Page {
            items,
            position: Position::Number(1),
            next: None,
        })
    };
    futures::stream::once(page).boxed()
}

impl Item for Conversation {
    type Key = i64;
    fn key(&self) -> i64 {
        self.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_count_uses_the_matching_count_and_a_full_page() {
        assert_eq!(page_count(0, 0), 0);
        assert_eq!(page_count(25, 25), 1);
        assert_eq!(page_count(26, 25), 2);
        assert_eq!(page_count(10_000, 25), 400);
        // A server configured for 10 per page.
        assert_eq!(page_count(95, 10), 10);
    }
}
