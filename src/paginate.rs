//! Platform-neutral pagination: cursor walks and page-number walks, as
//! streams of pages and of items.
//!
//! The rules every listing follows:
//! - a stream yields every good item before an error, then the error, then
//!   ends; it never loops and never drops a page silently;
//! - every walk yields an item (by its `id`) at most once, and `max_items`
//!   counts distinct items;
//! - cursor walks are sequential and stop with [`Error::Pagination`] when a
//!   cursor comes back a second time, when an empty page carries a cursor,
//!   or when [`MAX_PAGES_WITHOUT_NEW_ITEMS`] pages in a row bring only items
//!   already delivered (a server whose cursor condition is broken can send
//!   a new cursor with every page and the same items forever); the error
//!   names the cursor the server sent back;
//! - page-number walks fetch the first page, then the pages the server's
//!   count announces concurrently (bounded, in order, and no more than
//!   `max_items` needs), then keep going one page at a time until an empty
//!   page, because counts can be stale;
//! - memory is bounded by the pages in flight and the client's response
//!   size limit, plus the ids seen (a few bytes per item).

use std::collections::HashSet;
use std::future::Future;
use std::hash::Hash;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::future::Either;
use futures::stream::{self, BoxStream, StreamExt};
use serde::{Deserialize, Serialize};
use tracing::Instrument;

use crate::error::{Error, Platform};

/// Where a page of a listing starts: the first page, a cursor, or a page
/// number. Save the `next` of the last page you processed to resume there.
///
/// ```
/// use chatdesk::paginate::Position;
///
/// let saved = serde_json::to_string(&Position::Cursor("eyJpZCI6IjcifQ==".into())).unwrap();
/// let back: Position = serde_json::from_str(&saved).unwrap();
/// assert_eq!(back, Position::Cursor("eyJpZCI6IjcifQ==".into()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Position {
    /// The first page of a cursor listing (no cursor sent).
    Start,
    /// A cursor as the server sent it.
    Cursor(String),
    /// A page number, from 1.
    Number(u64),
    /// A position inside one of the views a walk goes through in turn (the
    /// ChatbotX conversation walk over every state walks four): the view's
    /// number, from 0, and the position within it.
    View {
        /// The view, from 0.
        view: u32,
        /// Where in that view.
        position: Box<Position>,
    },
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Position::Start => f.write_str("start"),
            Position::Cursor(c) => write!(f, "cursor {c}"),
            Position::Number(n) => write!(f, "page {n}"),
            Position::View { view, position } => write!(f, "view {view}, {position}"),
        }
    }
}

/// One page of a listing, with the position that produced it and the one
/// that follows (`None` once the listing is known to be over).
///
/// ```
/// use chatdesk::paginate::{Page, Position};
///
/// let page = Page { items: vec![1, 2], position: Position::Number(1), next: Some(Position::Number(2)) };
/// assert_eq!(page.items.len(), 2);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items of the page, in the server's order (items already yielded
    /// by an earlier page of the same walk are left out).
    pub items: Vec<T>,
    /// The position this page was fetched from.
    pub position: Position,
    /// The position of the next page, or `None` at the end. On a page cut
    /// short by `max_items` it is the page's own position, so that a resume
    /// loses nothing.
    pub next: Option<Position>,
}

/// A stream of pages: `Send`, `Unpin`, and owning everything it needs.
///
/// ```no_run
/// # async fn run(client: chatdesk::chatbotx::Client) {
/// let pages: chatdesk::paginate::PageStream<_> = client.contacts().pages();
/// # }
/// ```
pub type PageStream<T> = BoxStream<'static, Result<Page<T>, Error>>;
/// A stream of items: `Send`, `Unpin`, and owning everything it needs.
///
/// ```no_run
/// # async fn run(client: chatdesk::chatbotx::Client) {
/// let items: chatdesk::paginate::ItemStream<_> = client.contacts().stream();
/// # }
/// ```
pub type ItemStream<T> = BoxStream<'static, Result<T, Error>>;

/// The items of `pages`, at most `max_items` of them.
pub(crate) fn items<T: Send + 'static>(
    pages: PageStream<T>,
    max_items: Option<u64>,
) -> ItemStream<T> {
    let items = pages.flat_map(|page| match page {
        Ok(page) => stream::iter(page.items.into_iter().map(Ok).collect::<Vec<_>>()),
        Err(error) => stream::iter(vec![Err(error)]),
    });
    match max_items {
        Some(limit) => items
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .boxed(),
        None => items.boxed(),
    }
}

/// Cuts `pages` after `max_items` items, the last page cut short. No page
/// is requested once the limit is reached. A page cut short gets its own
/// position as `next`, so a walk resumed from it reads that page again: the
/// items before the cut come twice, but none is lost.
pub(crate) fn limit_pages<T: Send + 'static>(
    pages: PageStream<T>,
    max_items: Option<u64>,
) -> PageStream<T> {
    let Some(limit) = max_items else {
        return pages;
    };
    let limited = async_stream::try_stream! {
        let mut pages = pages;
        let mut left = limit;
        while left > 0 {
            let Some(page) = pages.next().await else {
                break;
            };
            let mut page = page?;
            let keep = usize::try_from(left).unwrap_or(usize::MAX).min(page.items.len());
            if keep < page.items.len() {
                page.items.truncate(keep);
                page.next = Some(page.position.clone());
            }
            left -= keep as u64;
            yield page;
        }
    };
    limited.boxed()
}

/// How a list operation pages, as its spec's `x-chatdesk-pagination`
/// declares it; `build.rs` writes one per list operation
/// (`<platform>::operations::pagination::LIST_CONTACTS`, ...).
#[derive(Clone, Copy, Debug)]
// Chatwoot's one listing reads pages by number, with no cursor or page size.
#[cfg_attr(not(feature = "chatbotx"), allow(dead_code))]
pub(crate) struct Declared {
    /// Cursor or page numbers.
    pub(crate) style: Style,
    /// The path of the item array in a page.
    pub(crate) items: &'static [&'static str],
    /// The cursor parameter (cursor listings).
    pub(crate) cursor: Option<&'static str>,
    /// The path of the next cursor in a page (cursor listings).
    pub(crate) next_cursor: &'static [&'static str],
    /// The cursor a keyset walk starts from, when the listing without its
    /// cursor parameter answers something else (the newest items only).
    pub(crate) start: Option<&'static str>,
    /// The most items a keyset window holds: a window with fewer is the
    /// last one, so the walk ends without asking for an empty window.
    pub(crate) window: Option<u64>,
    /// The page parameter (page-number listings).
    pub(crate) page: Option<&'static str>,
    /// The path of the page count in a page, or of what the listing's
    /// page-count hook reads it from.
    pub(crate) page_count: &'static [&'static str],
    /// The page size the client asks for by default.
    pub(crate) page_size_default: Option<u64>,
    /// The most the server serves per page.
    pub(crate) page_size_max: Option<u64>,
}

/// How a listing pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "chatbotx"), allow(dead_code))] // only ChatbotX has cursor listings
pub(crate) enum Style {
    /// A cursor from each page to the next.
    Cursor,
    /// The largest item id of each page, sent back as the cursor: the
    /// next page holds the items with larger ids.
    #[cfg_attr(not(feature = "chatwoot"), allow(dead_code))] // Chatwoot messages only
    Keyset,
    /// Page numbers from 1.
    PageNumber,
    /// One response holds every item.
    Whole,
}

#[cfg_attr(not(feature = "chatbotx"), allow(dead_code))] // Chatwoot pages are fixed
impl Declared {
    /// The page size asked for by default: the declared one, or `fallback`.
    pub(crate) const fn default_page_size(&self, fallback: u64) -> u64 {
        match self.page_size_default {
            Some(size) => size,
            None => fallback,
        }
    }
}

/// How many pages in a row a cursor walk accepts that bring no item it has
/// not delivered already, before it stops with [`Error::Pagination`].
///
/// A server whose cursor condition is broken repeats items of earlier
/// pages (the open-source ChatbotX server does once activity order and id
/// order differ), so one such page is no proof of a loop; three in a row,
/// each with a new cursor, are.
///
/// ```
/// assert_eq!(chatdesk::paginate::MAX_PAGES_WITHOUT_NEW_ITEMS, 3);
/// ```
pub const MAX_PAGES_WITHOUT_NEW_ITEMS: u32 = 3;

/// What one cursor request returned: the items and the next cursor.
#[cfg_attr(not(feature = "chatbotx"), allow(dead_code))] // only ChatbotX has cursor listings
pub(crate) struct CursorPage<T> {
    pub(crate) items: Vec<T>,
    pub(crate) next: Option<String>,
}

/// Walks a cursor listing from `start`, one request at a time, yielding
/// each item once.
#[cfg_attr(not(feature = "chatbotx"), allow(dead_code))] // only ChatbotX has cursor listings
pub(crate) fn cursor_walk<T, F, Fut>(
    platform: Platform,
    start: Option<String>,
    mut fetch: F,
) -> PageStream<T>
where
    T: Item,
    F: FnMut(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<CursorPage<T>, Error>> + Send,
{
    let pages = async_stream::try_stream! {
        let mut cursors: HashSet<String> = HashSet::new();
        let mut seen: HashSet<T::Key> = HashSet::new();
        let mut pages_without_new_items = 0;
        let mut cursor = start;
        if let Some(c) = &cursor {
            cursors.insert(c.clone());
        }
        loop {
            let position = cursor.clone().map_or(Position::Start, Position::Cursor);
            let page = fetch(cursor.clone()).await?;
            let next = page.next.filter(|c| !c.is_empty());
            let count = page.items.len();
            let fresh = keep_unseen(page.items, &mut seen);
            if count > 0 && fresh.is_empty() {
                pages_without_new_items += 1;
            } else {
                pages_without_new_items = 0;
            }
            let repeated = next.as_ref().is_some_and(|c| !cursors.insert(c.clone()));
            yield Page {
                items: fresh,
                position: position.clone(),
                next: next.clone().map(Position::Cursor),
            };
            let Some(next) = next else {
                break;
            };
            if repeated {
                Err(Error::Pagination {
                    platform,
                    message: format!(
                        "after {position} the server sent back cursor {next}, which it had \
                         sent before; going on would loop forever. Every item before this \
                         point was delivered; report this server behaviour"
                    ),
                })?;
            }
            if count == 0 {
                Err(Error::Pagination {
                    platform,
                    message: format!(
                        "{position} was empty but carried the next cursor {next}; stopping \
                         rather than guessing whether more items exist. Resume from the last \
                         cursor to retry"
                    ),
                })?;
            }
            if pages_without_new_items >= MAX_PAGES_WITHOUT_NEW_ITEMS {
                Err(Error::Pagination {
                    platform,
                    message: format!(
                        "{pages_without_new_items} pages in a row, up to {position}, brought \
                         only items already delivered, and the server sent yet another \
                         cursor ({next}); its cursor seems broken, so going on could loop \
                         forever. Every item before this point was delivered"
                    ),
                })?;
            }
            cursor = Some(next);
        }
    };
    pages.boxed()
}

/// Walks `views` cursor listings one after the other, from `start_view`
/// at `start_cursor`, as one listing: positions are wrapped in
/// [`Position::View`], the last page of a view points at the start of the
/// next, and an item found in several views is yielded once.
#[cfg_attr(not(feature = "chatbotx"), allow(dead_code))] // only ChatbotX has views
pub(crate) fn views_walk<T, F>(
    views: u32,
    start_view: u32,
    start_cursor: Option<String>,
    open: F,
) -> PageStream<T>
where
    T: Item,
    F: Fn(u32, Option<String>) -> PageStream<T> + Send + 'static,
{
    let in_view = |view: u32, position: Position| Position::View {
        view,
        position: Box::new(position),
    };
    let pages = async_stream::try_stream! {
        let mut seen: HashSet<T::Key> = HashSet::new();
        let mut cursor = start_cursor;
        for view in start_view..views {
            let mut pages = open(view, cursor.take());
            while let Some(page) = pages.next().await {
                let page = page?;
                let next = match page.next {
                    Some(next) => Some(in_view(view, next)),
                    None if view + 1 < views => Some(in_view(view + 1, Position::Start)),
                    None => None,
                };
                yield Page {
                    items: keep_unseen(page.items, &mut seen),
                    position: in_view(view, page.position),
                    next,
                };
            }
        }
    };
    pages.boxed()
}

/// An item a walk can decode and de-duplicate: the generated item types
/// (told apart by their `id`) and [`RawItem`](crate::raw::RawItem).
///
/// ```
/// use chatdesk::paginate::Item;
/// let item: chatdesk::RawItem = serde_json::from_str(r#"{"id": "7", "name": "An"}"#).unwrap();
/// assert_eq!(item.key(), "\"7\"");
/// ```
pub trait Item: serde::de::DeserializeOwned + Send + 'static {
    /// What tells two items apart: the `id`.
    type Key: Hash + Eq + Send + 'static;
    /// The item's key.
    fn key(&self) -> Self::Key;
}

impl Item for crate::raw::RawItem {
    type Key = String;
    fn key(&self) -> String {
        self.id().to_string()
    }
}

/// What one page-number request returned: the items and, when the server
/// said, how many pages the listing has.
pub(crate) struct NumberedPage<T> {
    pub(crate) items: Vec<T>,
    pub(crate) page_count: Option<u64>,
}

/// Settings of a page-number walk.
pub(crate) struct NumberedWalk {
    pub(crate) platform: Platform,
    pub(crate) start_page: u64,
    pub(crate) concurrency: usize,
    /// The items the caller wants at most: pages beyond those it needs are
    /// not fetched ahead.
    pub(crate) max_items: Option<u64>,
}

/// Walks a page-number listing: `start_page` first, then up to the page
/// count concurrently (ordered), then one page at a time until an empty
/// page. Items are de-duplicated by [`Item::key`].
pub(crate) fn numbered_walk<T, F, Fut>(walk: NumberedWalk, fetch: F) -> PageStream<T>
where
    T: Item,
    F: Fn(u64) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<NumberedPage<T>, Error>> + Send + 'static,
{
    let NumberedWalk {
        platform,
        start_page,
        concurrency,
        max_items,
    } = walk;
    let pages = async_stream::try_stream! {
        let mut seen: HashSet<T::Key> = HashSet::new();
        let first = fetch(start_page).await?;
        if first.items.is_empty() {
            return;
        }
        let last_announced = first.page_count.unwrap_or(0).max(start_page);
        // With `max_items`, fetch ahead only the pages it needs at the size
        // of the first page; should pages repeat items, the rest come one
        // at a time below.
        let page_size = first.items.len() as u64;
        let fresh = keep_unseen(first.items, &mut seen);
        let last_ahead = match max_items {
            Some(max) => {
                let left = max.saturating_sub(fresh.len() as u64);
                last_announced.min(start_page.saturating_add(left.div_ceil(page_size)))
            }
            None => last_announced,
        };
        yield Page {
            items: fresh,
            position: Position::Number(start_page),
            next: Some(Position::Number(start_page + 1)),
        };

        // The pages the count announces, fetched concurrently, in order.
        let mut page = start_page + 1;
        let mut ended = false;
        if last_ahead >= page {
            let fetch_ahead = fetch.clone();
            // With several pages in flight, each is fetched and decoded in
            // a task of its own, so that decoding one page never holds back
            // the requests of the others: the stream only puts the finished
            // pages in order. One at a time, a task would only add a hop
            // between threads.
            let spawn = concurrency > 1;
            let mut ahead = stream::iter(page..=last_ahead)
                .map(move |n| {
                    let page = if spawn {
                        // The task keeps the caller's span, so that the
                        // request spans stay inside it.
                        Either::Left(Task {
                            handle: tokio::spawn(fetch_ahead(n).in_current_span()),
                            platform,
                        })
                    } else {
                        Either::Right(fetch_ahead(n))
                    };
                    async move { (n, page.await) }
                })
                .buffered(concurrency.max(1));
            while let Some((n, result)) = ahead.next().await {
                let fetched = result?;
                page = n + 1;
                if fetched.items.is_empty() {
                    ended = true;
                    break;
                }
                let fresh = keep_unseen(fetched.items, &mut seen);
                yield Page { items: fresh, position: Position::Number(n), next: Some(Position::Number(n + 1)) };
            }
        }

        // Then one page at a time until an empty one: past the announced
        // count (or past what `max_items` needed, pulled only while the
        // caller wants more).
        if !ended {
            loop {
                let fetched = fetch(page).await?;
                if fetched.items.is_empty() {
                    break;
                }
                let count = fetched.items.len();
                let fresh = keep_unseen(fetched.items, &mut seen);
                if fresh.is_empty() && page > last_announced {
                    Err(Error::Pagination {
                        platform,
                        message: format!(
                            "page {page} repeats only items already delivered ({count} of them); \
                             the server seems to ignore the page number, so going on could loop. \
                             Every item before this point was delivered"
                        ),
                    })?;
                }
                yield Page { items: fresh, position: Position::Number(page), next: Some(Position::Number(page + 1)) };
                page += 1;
            }
        }
    };
    pages.boxed()
}

/// A page fetched in a task of its own, aborted when dropped: a stream
/// dropped half-way stops its pages in flight.
struct Task<T> {
    handle: tokio::task::JoinHandle<Result<T, Error>>,
    platform: Platform,
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

impl<T> Future for Task<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let platform = self.platform;
        Pin::new(&mut self.handle)
            .poll(cx)
            .map(|joined| match joined {
                Ok(result) => result,
                // A panic in the task is a bug: let it reach the caller, as it
                // would have without the task.
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Err(e) => Err(Error::Pagination {
                    platform,
                    message: format!(
                        "a page fetch was cancelled ({e}): the async runtime is shutting down"
                    ),
                }),
            })
    }
}

/// The items whose key has not been seen, recording their keys.
pub(crate) fn keep_unseen<T: Item>(items: Vec<T>, seen: &mut HashSet<T::Key>) -> Vec<T> {
    items
        .into_iter()
        .filter(|item| seen.insert(item.key()))
        .collect()
}

/// A stream that yields `error` and ends: how a listing reports bad
/// settings from `.stream()`/`.pages()`, which cannot fail themselves.
pub(crate) fn failed<T: Send + 'static>(error: Error) -> BoxStream<'static, Result<T, Error>> {
    stream::iter(vec![Err(error)]).boxed()
}
