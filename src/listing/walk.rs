//! How a listing becomes a stream of pages: the walk its spec declares
//! (cursor, keyset, views of cursors, page numbers, or one response), each
//! page fetched through the one request pipeline.

use std::collections::HashSet;
use std::sync::Arc;

use futures::StreamExt;
use serde_json::Value;

use crate::envelope::Envelope;
use crate::error::Error;
use crate::http::{Get, Http};
use crate::paginate::{
    self, CursorPage, Item, NumberedPage, NumberedWalk, Page, PageStream, Position, Style,
};

use super::Listing;
use super::encode::{BaseQuery, Settings, base_query, body};
use super::spec::{Encoding, ListOperation, ListingSpec, PageCount, Role};

/// Where a walk's requests go: the pipeline, the path, and the JSON body
/// every page of a POST listing carries.
#[derive(Clone)]
struct Target {
    http: Http,
    path: String,
    body: Option<Arc<Value>>,
}

impl<Op: ListOperation> Listing<Op> {
    /// The walk over every page, with items of type `T`.
    pub(crate) fn walk<T: Item<Key = String>>(self) -> PageStream<T> {
        let spec = Op::SPEC;
        if let Err(message) = self.settled() {
            return paginate::failed(Error::invalid_input(format!("{}: {message}", spec.label)));
        }
        let settings = Settings {
            values: &self.values,
            json_objects: self.json_objects,
            view: None,
        };
        let target = Target {
            http: self.http,
            path: self.path,
            body: body(spec, &self.values).map(Arc::new),
        };
        match spec.declared.style {
            Style::Keyset => {
                let start = self
                    .start_cursor
                    .or_else(|| spec.declared.start.map(str::to_string));
                cursor_walk(spec, target, base_query(spec, &settings), start)
            }
            Style::Cursor => match spec.views.filter(|_| self.all_views) {
                Some(views) => {
                    let bases: Vec<BaseQuery> = views
                        .views
                        .iter()
                        .map(|view| {
                            base_query(
                                spec,
                                &Settings {
                                    view: Some(view),
                                    ..settings
                                },
                            )
                        })
                        .collect();
                    paginate::views_walk(
                        bases.len() as u32,
                        self.start_view,
                        self.start_cursor,
                        move |view, cursor| {
                            let base = bases.get(view as usize).cloned().unwrap_or(BaseQuery {
                                pairs: Vec::new(),
                                walk_at: 0,
                            });
                            cursor_walk(spec, target.clone(), base, cursor)
                        },
                    )
                }
                None => {
                    let base = base_query(spec, &settings);
                    cursor_walk(spec, target, base, self.start_cursor)
                }
            },
            Style::Whole => one_response(spec, target, base_query(spec, &settings)),
            Style::PageNumber => {
                let base = base_query(spec, &settings);
                let single = spec.params.iter().zip(&self.values).any(|(param, value)| {
                    value.is_some() && spec.single_page_when.contains(&param.wire)
                });
                if single {
                    return one_response(spec, target, base);
                }
                let walk = NumberedWalk {
                    platform: spec.platform,
                    start_page: self.start_page,
                    concurrency: self.concurrency.unwrap_or(spec.concurrency_default),
                    max_items: self.max_items,
                };
                numbered_walk(spec, target, base, walk)
            }
        }
    }

    /// Checks what only the whole listing can tell: the first bad setting,
    /// a page size above the server's maximum, a view position without the
    /// views.
    fn settled(&self) -> Result<(), String> {
        if let Some(message) = &self.invalid {
            return Err(message.clone());
        }
        let spec = Op::SPEC;
        if let Some(max) = spec.declared.page_size_max {
            let size = spec
                .params
                .iter()
                .zip(&self.values)
                .find(|(param, _)| param.role == Role::PageSize)
                .and_then(|(param, value)| Some((param, value.as_ref()?.as_u64()?)));
            if let Some((param, size)) = size
                && size > max
            {
                return Err(format!(
                    "{} is {size}, but the server serves at most {max} per page (larger \
                     values are silently clamped, which would break the page arithmetic)",
                    param.setter
                ));
            }
        }
        let unset = spec.params.iter().zip(&self.values).find(|(param, value)| {
            matches!(param.encoding, Encoding::Body { required: true }) && value.is_none()
        });
        if let Some((param, _)) = unset {
            return Err(format!(
                "{} is required (the request body's `{}`): call .{}(...)",
                param.setter, param.wire, param.setter
            ));
        }
        if self.start_view != 0 && !self.all_views {
            let setter = spec.views.map_or("the views setter", |v| v.setter);
            return Err(format!(
                "resume: the position is from a walk over several views; call .{setter}() \
                 to resume it"
            ));
        }
        Ok(())
    }
}

/// Walks one cursor or keyset listing from `start`.
fn cursor_walk<T: Item<Key = String>>(
    spec: &'static ListingSpec,
    target: Target,
    base: BaseQuery,
    start: Option<String>,
) -> PageStream<T> {
    let Some(cursor_name) = spec.declared.cursor else {
        return paginate::failed(Error::invalid_input(format!(
            "{}: the spec declares a cursor listing without a cursor parameter",
            spec.operation
        )));
    };
    paginate::cursor_walk(spec.platform, start, move |cursor: Option<String>| {
        let target = target.clone();
        let position = cursor
            .as_ref()
            .map_or_else(|| "start".to_string(), |c| format!("cursor {c}"));
        let query = base.with(cursor.map(|c| (cursor_name, c)));
        async move {
            let page = fetch::<T>(spec, &target, &query, position).await?;
            let next = match spec.declared.style {
                // A window shorter than the most the server sends is the
                // last: no need to ask for the empty one after it.
                Style::Keyset
                    if spec
                        .declared
                        .window
                        .is_some_and(|full| (page.items.len() as u64) < full) =>
                {
                    None
                }
                Style::Keyset => largest_id(spec, &page.items)?,
                _ => page.next_cursor,
            };
            Ok(CursorPage {
                items: page.items,
                next,
            })
        }
    })
}

/// The next cursor of a keyset page: the largest item id on it, `None`
/// when the page is empty (the walk is over). Ids must be whole numbers,
/// as text or numbers; anything else stops the walk with an error rather
/// than guessing an order.
fn largest_id<T: Item<Key = String>>(
    spec: &ListingSpec,
    items: &[T],
) -> Result<Option<String>, Error> {
    let mut largest: Option<u128> = None;
    for item in items {
        let key = item.key();
        let Ok(id) = key.trim_matches('"').parse::<u128>() else {
            return Err(Error::Pagination {
                platform: spec.platform,
                message: format!(
                    "{}: the spec walks it by item id, but an item's id is {key}, not a whole \
                     number; report this server behaviour",
                    spec.label
                ),
            });
        };
        largest = largest.max(Some(id));
    }
    Ok(largest.map(|id| id.to_string()))
}

/// Pages needed for `total` items, from the size of a full page: a page
/// holding fewer than `total` items is full, so its length is the page
/// size; otherwise `fallback` (the server's usual page size) when known,
/// or one page.
pub(crate) fn pages_for_total(total: u64, page_len: u64, fallback: Option<u64>) -> u64 {
    let page_size = if page_len > 0 && page_len < total {
        page_len
    } else {
        fallback.unwrap_or(total).max(1)
    };
    total.div_ceil(page_size)
}

/// Walks a page-number listing.
fn numbered_walk<T: Item<Key = String>>(
    spec: &'static ListingSpec,
    target: Target,
    base: BaseQuery,
    walk: NumberedWalk,
) -> PageStream<T> {
    let Some(page_name) = spec.declared.page else {
        return paginate::failed(Error::invalid_input(format!(
            "{}: the spec declares a page-number listing without a page parameter",
            spec.operation
        )));
    };
    let fetch = move |page: u64| {
        let target = target.clone();
        let query = base.with(Some((page_name, page.to_string())));
        async move {
            let list = fetch::<T>(spec, &target, &query, format!("page {page}")).await?;
            let found = list.page_count.as_deref();
            let page_count = match spec.page_count {
                // 0 when the server did not count.
                PageCount::Number => Envelope::<T>::count(found),
                PageCount::Total => Envelope::<T>::count(found)
                    .map(|total| pages_for_total(total, list.items.len() as u64, None)),
                PageCount::Hook(hook) => hook(found, &query, list.items.len() as u64),
            };
            Ok(NumberedPage {
                items: list.items,
                page_count,
            })
        }
    };
    paginate::numbered_walk(walk, fetch)
}

/// A listing the server answers in one response (`single-page-when`).
fn one_response<T: Item<Key = String>>(
    spec: &'static ListingSpec,
    target: Target,
    base: BaseQuery,
) -> PageStream<T> {
    let page = async move {
        let query = base.with(None);
        let list = fetch::<T>(spec, &target, &query, "one response".into()).await?;
        let items = paginate::keep_unseen(list.items, &mut HashSet::new());
        Ok(Page {
            items,
            position: Position::Number(1),
            next: None,
        })
    };
    futures::stream::once(page).boxed()
}

/// Fetches one page of the listing `spec` through the pipeline and reads
/// its envelope by the declared paths.
async fn fetch<T: Item>(
    spec: &'static ListingSpec,
    target: &Target,
    query: &[(String, String)],
    position: String,
) -> Result<Envelope<T>, Error> {
    target
        .http
        .get_page::<T>(
            Get {
                operation: spec.operation,
                path: target.path.clone(),
                query,
                position,
                body: target.body.as_deref(),
            },
            spec.declared,
        )
        .await
}
