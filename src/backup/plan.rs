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

/// What a run does with one resource.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// Walk the whole listing from `from` (its start, or where a killed
    /// run stopped).
    Walk { from: Position },
    /// Read what changed since `since` (the watermark minus the overlap),
    /// in Unix seconds.
    Sync { since: i64 },
}

/// One resource's plan for this run.
#[derive(Clone, Debug)]
pub(crate) struct Stage {
    pub kind: Kind,
    pub save: Save,
    table: Table,
    key: StateKey,
    /// When this run started reading the resource: a sync's new watermark.
    started: i64,
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
    let watermark = |s: &SyncState| s.watermark.as_deref().and_then(|w| w.parse::<i64>().ok());
    let fresh = || Kind::Walk {
        from: Position::Start,
    };
    let (kind, mark) = match &state {
        None => (fresh(), started),
        Some(s) if s.complete && options.full => (fresh(), started),
        Some(s) if s.complete => {
            let since = watermark(s).unwrap_or(0)
                - i64::try_from(options.overlap.as_secs()).unwrap_or(i64::MAX / 2);
            (Kind::Sync { since }, started)
        }
        Some(s) => (
            Kind::Walk {
                from: position_of(s).unwrap_or(Position::Start),
            },
            watermark(s).unwrap_or(started),
        ),
    };
    let save = match kind {
        Kind::Walk { .. } => Save::Each {
            watermark: mark.to_string(),
        },
        Kind::Sync { .. } => Save::Never,
    };
    Ok(Stage {
        kind,
        save,
        table: *table,
        key,
        started,
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

/// A sync's end: the resource's new watermark, the time the run started
/// reading it. (A walk saved its own state with its last page.)
pub(crate) fn finish<S: Store>(
    engine: &mut Engine<'_, S>,
    stage: &Stage,
) -> Result<(), BackupError<S::Error>> {
    if let Kind::Sync { .. } = stage.kind {
        let state = SyncState {
            position: Some(super::copy::position_text(&Position::Start)),
            watermark: Some(stage.started.to_string()),
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
pub(crate) fn each_id<S: Store>(
    engine: &mut Engine<'_, S>,
    table: &Table,
    mut f: impl FnMut(&str),
) -> Result<(), BackupError<S::Error>> {
    const SLICE: usize = 1_000;
    let mut after: Option<String> = None;
    loop {
        let rows = engine
            .store
            .scan(table, after.as_deref(), SLICE)
            .map_err(BackupError::Store)?;
        for (id, _) in &rows {
            f(id);
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
