//! What both platforms' backups share around the copy step: the store's
//! owner check, each resource's stage (walk from a position, or sync from
//! a watermark), the run's record, and reading ids back from the store.

use std::time::{SystemTime, UNIX_EPOCH};

use super::copy::{Engine, Save, Walk, one_row, position_of};
use super::run::{BackupError, Options, Report, RunKind};
use super::store::{RunId, RunSummary, StateKey, Store, SyncState, Table};
use crate::paginate::{PageStream, Position};
use crate::raw::RawItem;

/// The `sync_state` row naming the account a store holds.
const ACCOUNT: &str = "account";

/// Now, in Unix seconds: the form of every watermark.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Prepares the tables, and refuses a store that holds another account.
pub(crate) fn open<S: Store>(
    store: &mut S,
    tables: &[Table],
    account: &str,
) -> Result<(), BackupError<S::Error>> {
    store.prepare(tables).map_err(BackupError::Store)?;
    let key = StateKey::whole(ACCOUNT);
    match store.state(&key).map_err(BackupError::Store)? {
        Some(state) if state.position.as_deref() != Some(account) => Err(BackupError::Mismatch(
            state.position.unwrap_or_else(|| "another account".into()),
        )),
        Some(_) => Ok(()),
        None => {
            let state = SyncState {
                position: Some(account.to_owned()),
                watermark: None,
                complete: true,
            };
            let Some(first) = tables.first() else {
                return Ok(());
            };
            store
                .commit(first, &[], Some((&key, &state)))
                .map_err(BackupError::Store)
        }
    }
}

/// A resource's watermark: when its last complete read began, by the
/// server's clock as the items' times tell it (`server`, for the syncs
/// that stop at items older than it) and by this machine's clock
/// (`local`, for the syncs that ask "changed in the last N seconds").
/// Stored as JSON text in `sync_state.watermark`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Mark {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<i64>,
    pub local: i64,
}

impl Mark {
    pub(crate) fn text(self) -> String {
        serde_json::to_string(&self).unwrap_or_default()
    }

    pub(crate) fn read(state: &SyncState) -> Option<Mark> {
        serde_json::from_str(state.watermark.as_deref()?).ok()
    }

    /// The mark of a read that began at `local` (this machine's clock,
    /// Unix seconds) and saw items as new as `newest` (server clock): the
    /// server's time at the start is at most the newest item less the time
    /// the read took, since the server's clock ran as long as ours.
    pub(crate) fn after(local: i64, newest: Option<i64>, previous: Option<i64>) -> Mark {
        let took = (now() - local).max(0);
        let server = newest.map(|n| n - took);
        Mark {
            server: match (server, previous) {
                (Some(s), Some(p)) => Some(s.max(p)),
                (s, p) => s.or(p),
            },
            local,
        }
    }
}

/// What a run does with one resource.
#[derive(Clone, Debug)]
// `gap` serves the Chatwoot plan's `updated_within`.
#[cfg_attr(not(feature = "chatwoot"), allow(dead_code))]
pub(crate) enum Kind {
    /// Walk the whole listing from `from` (its start, or where a killed
    /// run stopped).
    Walk { from: Position },
    /// Read what changed since the watermark, less the overlap: `since`
    /// by the server's clock (Unix seconds), `gap` the seconds since then
    /// by this machine's.
    Sync { since: i64, gap: i64 },
}

/// One resource's plan for this run.
#[derive(Clone, Debug)]
pub(crate) struct Stage {
    pub kind: Kind,
    pub save: Save,
    table: Table,
    key: StateKey,
    /// When this run started reading the resource, by this machine's clock.
    started: i64,
    /// The server-clock watermark before the run.
    previous: Option<i64>,
    /// Whether the resource was complete before the run.
    pub was_complete: bool,
    /// Whether the resource had any state before the run.
    pub was_started: bool,
}

/// The stage of `resource` (stored in `table`) from its saved state.
///
/// A walk's watermark is the time it began, kept across resumes, so that a
/// sync after it reads everything changed since then.
pub(crate) fn stage<S: Store>(
    store: &S,
    table: &Table,
    resource: &str,
    options: &Options,
) -> Result<Stage, BackupError<S::Error>> {
    let key = StateKey::whole(resource);
    let state = store.state(&key).map_err(BackupError::Store)?;
    let started = now();
    let overlap = i64::try_from(options.overlap.as_secs()).unwrap_or(i64::MAX / 4);
    let mark = state.as_ref().and_then(Mark::read);
    let fresh = || Kind::Walk {
        from: Position::Start,
    };
    let (kind, began) = match (&state, mark) {
        (None, _) => (fresh(), started),
        (Some(s), _) if s.complete && options.full => (fresh(), started),
        (Some(s), Some(mark)) if s.complete => {
            let since = mark.server.unwrap_or(mark.local) - overlap;
            let gap = (started - mark.local).max(0) + overlap;
            (Kind::Sync { since, gap }, started)
        }
        // Complete without a readable mark: read it all again.
        (Some(s), None) if s.complete => (fresh(), started),
        (Some(s), _) => (
            Kind::Walk {
                from: position_of(s).unwrap_or(Position::Start),
            },
            mark.map_or(started, |m| m.local),
        ),
    };
    let save = match kind {
        Kind::Walk { .. } => Save::Each { began },
        Kind::Sync { .. } => Save::Never,
    };
    Ok(Stage {
        kind,
        save,
        table: *table,
        key,
        started,
        previous: mark.and_then(|m| m.server),
        was_complete: state.as_ref().is_some_and(|s| s.complete),
        was_started: state.is_some(),
    })
}

/// What the run is, from its stages and the per-listing states of
/// `listings` (messages).
pub(crate) fn kind<S: Store>(
    store: &S,
    stages: &[Stage],
    listings: &str,
    options: &Options,
) -> Result<RunKind, BackupError<S::Error>> {
    if options.full && stages.iter().any(|s| s.was_complete) {
        return Ok(RunKind::Full);
    }
    if stages.iter().all(|s| !s.was_started) {
        return Ok(RunKind::Backup);
    }
    let listings_open = store
        .states(listings)
        .map_err(BackupError::Store)?
        .iter()
        .any(|(_, s)| !s.complete);
    if stages.iter().all(|s| s.was_complete) && !listings_open {
        Ok(RunKind::Sync)
    } else {
        Ok(RunKind::Resume)
    }
}

/// A sync's end: the resource's new watermark, from the time the run
/// started reading it and the newest item it saw. (A walk saved its own
/// state with its last page.)
pub(crate) fn finish<S: Store>(
    engine: &mut Engine<'_, S>,
    stage: &Stage,
) -> Result<(), BackupError<S::Error>> {
    // A sync, or a resource read as many listings (whose own states say
    // where each is) that has no state of its own yet.
    let unsaved = !engine
        .store
        .state(&stage.key)
        .map_err(BackupError::Store)?
        .is_some_and(|s| s.complete);
    if matches!(stage.kind, Kind::Sync { .. }) || unsaved {
        let newest = engine.newest(&stage.key.resource);
        let mark = Mark::after(stage.started, newest, stage.previous);
        let state = SyncState {
            position: Some(super::copy::position_text(&Position::Start)),
            watermark: Some(mark.text()),
            complete: true,
        };
        engine.save_state(&stage.table, &stage.key, &state)?;
    }
    Ok(())
}

/// A listing the server answers in one response, read whole into `table`.
pub(crate) async fn whole<S: Store>(
    engine: &mut Engine<'_, S>,
    table: &Table,
    pages: PageStream<RawItem>,
) -> Result<(), BackupError<S::Error>> {
    let walk = Walk {
        scope: String::new(),
        pages,
    };
    engine
        .walk(
            table.name,
            table,
            vec![walk],
            1,
            &Save::Never,
            None,
            &one_row,
            &mut |_, _| {},
        )
        .await?;
    engine.done(table.name);
    Ok(())
}

/// Calls `f` with every id of `table`, reading the store a slice at a time.
// The Chatwoot plan's; ChatbotX reads rows.
#[cfg_attr(not(feature = "chatwoot"), allow(dead_code))]
pub(crate) fn each_id<S: Store>(
    engine: &mut Engine<'_, S>,
    table: &Table,
    mut f: impl FnMut(&str),
) -> Result<(), BackupError<S::Error>> {
    each_row(engine, table, |id, _| f(id))
}

/// Calls `f` with every row of `table` (id and JSON), reading the store a
/// slice at a time.
pub(crate) fn each_row<S: Store>(
    engine: &mut Engine<'_, S>,
    table: &Table,
    mut f: impl FnMut(&str, &str),
) -> Result<(), BackupError<S::Error>> {
    const SLICE: usize = 1_000;
    let mut after: Option<String> = None;
    loop {
        let rows = engine
            .store
            .scan(table, after.as_deref(), SLICE)
            .map_err(BackupError::Store)?;
        for (id, json) in &rows {
            f(id, json);
        }
        match rows.last() {
            Some((id, _)) if rows.len() == SLICE => after = Some(id.clone()),
            _ => return Ok(()),
        }
    }
}

/// Records the run's start.
pub(crate) fn start<S: Store>(
    engine: &mut Engine<'_, S>,
    platform: &str,
    kind: RunKind,
) -> Result<RunId, BackupError<S::Error>> {
    engine
        .store
        .start_run(platform, kind.as_str())
        .map_err(BackupError::Store)
}

/// Records the run's end, whatever `result` is, and makes its report.
pub(crate) fn end<S: Store>(
    engine: &mut Engine<'_, S>,
    run: RunId,
    kind: RunKind,
    kept_secrets: bool,
    result: Result<(), BackupError<S::Error>>,
) -> Result<Report, BackupError<S::Error>> {
    engine.report();
    let (requests, retries) = engine.requests();
    let summary = RunSummary {
        ok: result.is_ok(),
        items: engine.items.clone(),
        requests,
        retries,
    };
    let recorded = engine
        .store
        .finish_run(run, &summary)
        .map_err(BackupError::Store);
    result?;
    recorded?;
    Ok(Report {
        kind: Some(kind),
        items: summary.items,
        requests,
        retries,
        redacted: engine.redacted,
        kept_secrets,
        elapsed: engine.elapsed(),
        attachments: engine.attachments().clone(),
    })
}
