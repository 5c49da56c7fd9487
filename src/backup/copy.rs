//! The one step every backup is made of: walk listings' pages and commit
//! each page's rows together with the position that follows them. The
//! platform plans (`chatwoot.rs`, `chatbotx.rs`) only say which listings
//! to walk, into which table, and where to stop.

use std::collections::BTreeMap;
use std::time::Instant;

use futures::stream::{self, BoxStream, StreamExt};

use super::plan::Mark;
use super::redact::redact;
use super::run::{AttachmentCounts, BackupError, Progress, ResourceStatus, Status};
use super::store::{Row, StateKey, Store, SyncState, Table};
use crate::paginate::{Page, PageStream, Position};
use crate::raw::RawItem;

/// An item's id as stored: the digits of a number, the text of a string.
pub(crate) fn plain_id(item: &RawItem) -> String {
    let id = item.id();
    if id.starts_with('"') {
        serde_json::from_str::<String>(id).unwrap_or_else(|_| id.trim_matches('"').to_owned())
    } else {
        id.to_owned()
    }
}

/// One listing to walk: the scope of its state (a conversation's id for
/// its messages; empty for a whole-account listing) and its pages.
pub(crate) struct Walk {
    pub scope: String,
    pub pages: PageStream<RawItem>,
}

/// Where a walk in newest-first order may stop: after a page whose items
/// are all older than `limit` (Unix seconds) by `field`, or lack it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StopBefore {
    pub field: &'static str,
    pub limit: i64,
}

impl StopBefore {
    fn reached(&self, page: &Page<RawItem>) -> bool {
        page.items
            .iter()
            .all(|item| item_time(item, self.field).is_none_or(|time| time < self.limit))
    }
}

/// The time at `field` of an item, in Unix seconds: a number (seconds) or
/// an RFC 3339 text.
pub(crate) fn item_time(item: &RawItem, field: &str) -> Option<i64> {
    newest_time(item, &[field])
}

/// The newest of the times at `fields` of an item (see [`item_time`]),
/// the item parsed once for all of them.
pub(crate) fn newest_time(item: &RawItem, fields: &[&str]) -> Option<i64> {
    let value: serde_json::Value = serde_json::from_str(item.json()).ok()?;
    fields
        .iter()
        .filter_map(|field| match value.get(*field)? {
            serde_json::Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            serde_json::Value::String(s) => chrono::DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| t.timestamp()),
            _ => None,
        })
        .max()
}

/// How a walk saves its position.
#[derive(Clone, Debug)]
pub(crate) enum Save {
    /// After every page: the next position, and `complete` with the
    /// watermark once the walk ends. `began` is when the walk first began
    /// (this machine's clock, kept across resumes). A killed run continues
    /// from there.
    Each { began: i64 },
    /// Never: the walk is part of a sync, which starts again from the
    /// resource's watermark if it is killed.
    Never,
}

/// A row before it is stored: its id and JSON.
type IdJson = (String, String);

/// A walk's page with its scope, and whether it is the walk's last.
type Walked = (String, Page<RawItem>, bool);

/// The rows one item gives: usually one row of the walk's table, but a
/// contact listing that carries the contact's tags gives rows of other
/// tables too.
#[derive(Default)]
pub(crate) struct Rows {
    main: Vec<(String, String)>,
    other: BTreeMap<&'static str, (Table, Vec<IdJson>)>,
}

impl Rows {
    /// A row of the walk's own table.
    pub(crate) fn main(&mut self, id: String, json: String) {
        self.main.push((id, json));
    }

    /// A row of another table.
    // Only the ChatbotX contacts give rows of other tables.
    #[cfg_attr(not(feature = "chatbotx"), allow(dead_code))]
    pub(crate) fn other(&mut self, table: &Table, id: String, json: String) {
        self.other
            .entry(table.name)
            .or_insert_with(|| (*table, Vec::new()))
            .1
            .push((id, json));
    }
}

/// Turns an item into rows; the scope is the walk's.
pub(crate) type RowsOf<'f> = dyn Fn(&str, &RawItem, &mut Rows) + Send + Sync + 'f;

/// The default: the item as one row of the walk's table, keyed by its id.
pub(crate) fn one_row(_scope: &str, item: &RawItem, rows: &mut Rows) {
    rows.main(plain_id(item), item.json().to_owned());
}

/// A run's store, progress and counts.
pub(crate) struct Engine<'s, S: Store> {
    pub store: &'s mut S,
    progress: &'s mut dyn Progress,
    stats: crate::Stats,
    base: (u64, u64),
    started: Instant,
    status: Status,
    /// The credential keys to redact, or none.
    redact: &'static [&'static str],
    pub redacted: u64,
    pub items: BTreeMap<String, u64>,
    /// The time fields that tell each resource's clock (server time).
    clocks: BTreeMap<String, &'static [&'static str]>,
    /// The newest time seen per resource this run, by those fields.
    newest: BTreeMap<String, i64>,
}

impl<'s, S: Store> Engine<'s, S> {
    pub(crate) fn new(
        store: &'s mut S,
        progress: &'s mut dyn Progress,
        stats: crate::Stats,
        redact: &'static [&'static str],
    ) -> Self {
        let base = (stats.requests(), stats.retries());
        Engine {
            store,
            progress,
            stats,
            base,
            started: Instant::now(),
            status: Status::default(),
            redact,
            redacted: 0,
            items: BTreeMap::new(),
            clocks: BTreeMap::new(),
            newest: BTreeMap::new(),
        }
    }

    /// Names the time fields of `resource`'s items that tell the server's
    /// clock: the newest seen becomes the resource's watermark.
    pub(crate) fn clock(&mut self, resource: &str, fields: &'static [&'static str]) {
        self.clocks.insert(resource.to_owned(), fields);
    }

    /// The newest time seen of `resource` this run.
    pub(crate) fn newest(&self, resource: &str) -> Option<i64> {
        self.newest.get(resource).copied()
    }

    pub(crate) fn requests(&self) -> (u64, u64) {
        (
            self.stats.requests().saturating_sub(self.base.0),
            self.stats.retries().saturating_sub(self.base.1),
        )
    }

    pub(crate) fn elapsed(&self) -> std::time::Duration {
        self.started.elapsed()
    }

    /// The status line of `name`, created in order on first use.
    fn resource(&mut self, name: &'static str) -> &mut ResourceStatus {
        let at = match self.status.resources.iter().position(|r| r.name == name) {
            Some(at) => at,
            None => {
                self.status.resources.push(ResourceStatus {
                    name,
                    ..ResourceStatus::default()
                });
                self.status.resources.len() - 1
            }
        };
        &mut self.status.resources[at]
    }

    /// Tells the progress where the run is.
    pub(crate) fn report(&mut self) {
        let (requests, retries) = self.requests();
        self.status.requests = requests;
        self.status.retries = retries;
        self.status.elapsed = self.started.elapsed();
        // Requests left: the listings left, each as many requests as the
        // resource's listings took so far on average.
        let left: u64 = self
            .status
            .resources
            .iter()
            .filter(|r| !r.done && r.listings_left > 0)
            .map(|r| r.listings_left.saturating_mul(r.pages.max(1)) / r.listings_done.max(1))
            .sum();
        self.status.requests_left = (left > 0).then_some(left);
        self.progress.update(&self.status);
    }

    /// The attachment counts so far, to update.
    // Used by the attachment step, which only the platform plans run.
    #[cfg_attr(not(any(feature = "chatwoot", feature = "chatbotx")), allow(dead_code))]
    pub(crate) fn attachments(&mut self) -> &mut AttachmentCounts {
        &mut self.status.attachments
    }

    /// Marks `name` done.
    pub(crate) fn done(&mut self, name: &'static str) {
        let resource = self.resource(name);
        resource.done = true;
        resource.listings_left = 0;
        self.report();
    }

    /// Commits rows (and a state) in one transaction per table, the state
    /// with the last one: rows of other tables first, so that the state is
    /// never ahead of any row it follows.
    pub(crate) fn commit(
        &mut self,
        table: &Table,
        rows: Rows,
        state: Option<(&StateKey, &SyncState)>,
    ) -> Result<u64, BackupError<S::Error>> {
        for (other, other_rows) in rows.other.into_values() {
            let other_rows = self.redacted_rows(other_rows);
            let refs: Vec<Row<'_>> = other_rows
                .iter()
                .map(|(id, json)| Row { id, json })
                .collect();
            self.store
                .commit(&other, &refs, None)
                .map_err(BackupError::Store)?;
            *self.items.entry(other.name.to_owned()).or_default() += refs.len() as u64;
        }
        let main = self.redacted_rows(rows.main);
        let refs: Vec<Row<'_>> = main.iter().map(|(id, json)| Row { id, json }).collect();
        self.store
            .commit(table, &refs, state)
            .map_err(BackupError::Store)?;
        let n = refs.len() as u64;
        *self.items.entry(table.name.to_owned()).or_default() += n;
        Ok(n)
    }

    fn redacted_rows(&mut self, rows: Vec<(String, String)>) -> Vec<(String, String)> {
        if self.redact.is_empty() {
            return rows;
        }
        rows.into_iter()
            .map(|(id, json)| match redact(&json, self.redact) {
                Some((clean, n)) => {
                    self.redacted += n;
                    (id, clean)
                }
                None => (id, json),
            })
            .collect()
    }

    /// Walks `walks`, `concurrency` at a time, into `table`, saving each
    /// walk's position under `resource` and its scope as `save` says.
    /// `seen` is called with every item, for the plan to learn from (the
    /// conversations whose messages to read next, for one).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn walk(
        &mut self,
        resource: &'static str,
        table: &Table,
        walks: Vec<Walk>,
        concurrency: usize,
        save: &Save,
        stop: Option<StopBefore>,
        rows_of: &RowsOf<'_>,
        seen: &mut (dyn FnMut(&str, &RawItem) + Send),
    ) -> Result<(), BackupError<S::Error>> {
        self.resource(resource).listings_left += walks.len() as u64;
        let pages = stream::iter(walks.into_iter().map(move |walk| until(walk, stop)))
            .flatten_unordered(concurrency.max(1))
            .boxed();
        let mut pages = Ahead::start(pages, concurrency);
        while let Some(next) = pages.next().await {
            let (scope, page, last) = next.map_err(BackupError::Api)?;
            let mut rows = Rows::default();
            let clock = self.clocks.get(resource).copied().unwrap_or_default();
            for item in &page.items {
                rows_of(&scope, item, &mut rows);
                seen(&scope, item);
                if let Some(time) = newest_time(item, clock) {
                    let newest = self.newest.entry(resource.to_owned()).or_insert(time);
                    *newest = (*newest).max(time);
                }
            }
            let key = StateKey::new(resource, scope);
            let state = match save {
                Save::Each { began } => {
                    let mark = if last {
                        Mark::after(*began, self.newest(resource), None)
                    } else {
                        Mark {
                            server: None,
                            local: *began,
                        }
                    };
                    Some(SyncState {
                        position: Some(position_text(page.next.as_ref().unwrap_or(&page.position))),
                        watermark: Some(mark.text()),
                        complete: last,
                    })
                }
                Save::Never => None,
            };
            let n = self.commit(table, rows, state.as_ref().map(|s| (&key, s)))?;
            let status = self.resource(resource);
            status.items += n;
            status.pages += 1;
            if last {
                status.listings_left = status.listings_left.saturating_sub(1);
                status.listings_done += 1;
            }
            self.report();
        }
        Ok(())
    }

    /// Saves a resource's state without rows: a sync's new watermark, or a
    /// walk reset to its start.
    pub(crate) fn save_state(
        &mut self,
        table: &Table,
        key: &StateKey,
        state: &SyncState,
    ) -> Result<(), BackupError<S::Error>> {
        self.store
            .commit(table, &[], Some((key, state)))
            .map_err(BackupError::Store)
    }
}

/// Pages read by a task of their own, a few ahead of the reader: the
/// requests of every walk go on while the store commits a page (a
/// commit is synchronous, and a stream is only read while it is polled).
/// Dropping it stops the task; pages read ahead but not committed are
/// read again by the next run.
struct Ahead {
    pages: tokio::sync::mpsc::Receiver<Result<Walked, crate::Error>>,
    task: tokio::task::JoinHandle<()>,
}

impl Ahead {
    /// Reads `pages` into a channel of `room` pages.
    fn start(mut pages: BoxStream<'static, Result<Walked, crate::Error>>, room: usize) -> Self {
        let (sender, receiver) = tokio::sync::mpsc::channel(room.max(1));
        let task = tokio::spawn(async move {
            while let Some(page) = pages.next().await {
                let failed = page.is_err();
                if sender.send(page).await.is_err() || failed {
                    break;
                }
            }
        });
        Ahead {
            pages: receiver,
            task,
        }
    }

    async fn next(&mut self) -> Option<Result<Walked, crate::Error>> {
        self.pages.recv().await
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A position as the store keeps it: JSON text.
pub(crate) fn position_text(position: &Position) -> String {
    serde_json::to_string(position).unwrap_or_default()
}

/// A position read back from the store.
pub(crate) fn position_of(state: &SyncState) -> Option<Position> {
    state
        .position
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
}

/// The pages of `walk`, each with its scope and whether it is the walk's
/// last: the listing's end, or the first page past `stop`. A listing that
/// ends without saying so on its last page (a page-number walk stops at
/// an empty page it does not yield) gets an empty last page, so that its
/// end is committed too.
fn until(walk: Walk, stop: Option<StopBefore>) -> BoxStream<'static, Result<Walked, crate::Error>> {
    struct State {
        pages: PageStream<RawItem>,
        ended: bool,
        scope: String,
        /// Where the next page would start.
        next: Position,
    }
    let Walk { scope, pages } = walk;
    let state = State {
        pages,
        ended: false,
        scope,
        next: Position::Start,
    };
    stream::unfold(state, move |mut state| async move {
        if state.ended {
            return None;
        }
        match state.pages.next().await {
            Some(Ok(page)) => {
                let last = page.next.is_none() || stop.is_some_and(|s| s.reached(&page));
                if let Some(next) = &page.next {
                    state.next = next.clone();
                }
                state.ended = last;
                Some((Ok((state.scope.clone(), page, last)), state))
            }
            Some(Err(error)) => {
                state.ended = true;
                Some((Err(error), state))
            }
            None => {
                state.ended = true;
                let end = Page {
                    items: Vec::new(),
                    position: state.next.clone(),
                    next: None,
                };
                Some((Ok((state.scope.clone(), end, true)), state))
            }
        }
    })
    .boxed()
}
