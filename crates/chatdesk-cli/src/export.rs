//! One export: check the command, pick up a checkpoint, walk the pages,
//! write each page whole and save the position after it.

use std::collections::HashSet;
use std::io;

use chatdesk::paginate::Position;
use futures::StreamExt;

use crate::args::{ChatwootListing, Cli, Platform};
use crate::checkpoint::{Checkpoint, CheckpointFile};
use crate::failure::Failure;
use crate::ignored::IgnoredFilters;
use crate::output::Output;
use crate::progress::{Counts, Progress};
use crate::source::{self, Server};

/// Runs the export the command line asks for.
pub async fn run(cli: Cli) -> Result<(), Failure> {
    let Some(options) = cli.platform.export_options() else {
        return Err(Failure::usage(format!(
            "{} is not a listing",
            cli.platform.name()
        )));
    };
    if options.checkpoint.is_some() && options.output.is_none() {
        return Err(Failure::usage(
            "--checkpoint needs --output FILE: a resumed export must be able to cut its output \
             back to the last saved page, which standard output cannot do",
        ));
    }
    if options.max_items == Some(0) {
        eprintln!(
            "chatdesk: {}: --max-items 0 asks for no items, so nothing was requested or written",
            cli.platform.name()
        );
        return Ok(());
    }
    let server = Server::from_command_line(&cli).await?;
    let export = format!("{} on {}", cli.platform.describe(), server.label());
    let credentials = server.fingerprint();
    let checkpoint_file = options.checkpoint.clone().map(CheckpointFile::new);
    let saved = match &checkpoint_file {
        Some(file) => file.load(&export, &credentials)?,
        None => None,
    };

    let (mut output, mut seen, mut checkpoint) = match (saved, &options.output) {
        (Some(saved), Some(path)) => {
            let (output, seen) = Output::resume(path, saved.output_bytes)?;
            (output, seen, saved)
        }
        (None, Some(path)) => (
            Output::create(path, options.force, options.checkpoint.is_some())?,
            HashSet::new(),
            Checkpoint::start(export, credentials),
        ),
        (_, None) => (
            Output::stdout(),
            HashSet::new(),
            Checkpoint::start(export, credentials),
        ),
    };
    let max_items = options.max_items;
    let remaining = max_items.map(|max| max.saturating_sub(checkpoint.items));
    if checkpoint.is_done() || remaining == Some(0) {
        eprintln!(
            "chatdesk: {}: the checkpoint says this export is complete ({} items); delete the \
             checkpoint to export again",
            cli.platform.name(),
            checkpoint.items
        );
        return Ok(());
    }
    let mut ignored = IgnoredFilters::of(&cli.platform);

    let resume = checkpoint.next.clone().unwrap_or(Position::Start);
    let listing = source::open(&cli, &server, &resume, remaining)?;
    let progress = Progress::new(cli.platform.name(), cli.global.quiet);
    progress.watch(&listing.stats);
    // The checkpoint holds the totals, whether or not it is saved.
    let mut this_run = 0;
    let mut pages = listing.pages;
    let mut lines = Vec::new();
    // With a checkpoint, each page is on disk before the checkpoint names it.
    let durable = checkpoint_file.is_some();
    loop {
        let page = match pages.next().await {
            None => break,
            Some(Ok(page)) => page,
            Some(Err(error)) => {
                progress.abandon();
                let not_found = not_found_hint(&cli.platform, &error);
                // The demo's ids help only when an id was not found.
                let demo_ids = if is_not_found(&error) {
                    server.hint(&cli.platform)
                } else {
                    String::new()
                };
                return Err(server
                    .failure(error)
                    .with_hint(not_found)
                    .with_hint(&demo_ids)
                    .with_hint(&stopped_here(&checkpoint, &output, durable)));
            }
        };
        lines.clear();
        let mut written = 0;
        for item in &page.items {
            if remaining.is_some_and(|left| this_run + written >= left) {
                break;
            }
            if seen.insert(item.id().to_string()) {
                ignored.check(item);
                lines.extend_from_slice(item.json().as_bytes());
                lines.push(b'\n');
                written += 1;
            }
        }
        match output.write_page(&lines, durable) {
            Ok(()) => {}
            // The reader went away (`chatdesk ... | head`): stop quietly.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => {
                progress.abandon();
                return Err(Failure::local(format!("cannot write the output: {e}"))
                    .with_hint(&stopped_here(&checkpoint, &output, durable)));
            }
        }
        this_run += written;
        let limit_reached = remaining.is_some_and(|left| this_run >= left);
        checkpoint.items += written;
        checkpoint.pages += 1;
        checkpoint.output_bytes = output.bytes();
        checkpoint.next = if limit_reached { None } else { page.next };
        if let Some(file) = &checkpoint_file {
            file.save(&checkpoint)?;
        }
        progress.page(counts(&checkpoint, this_run), &listing.stats);
        if limit_reached {
            break;
        }
    }
    if let Some(file) = &checkpoint_file
        && !checkpoint.is_done()
    {
        checkpoint.next = None;
        file.save(&checkpoint)?;
    }
    let destination = match output.path() {
        Some(path) => format!(" → {}", path.display()),
        None => String::new(),
    };
    progress.finish(counts(&checkpoint, this_run), &listing.stats, &destination);
    Ok(())
}

/// The counts progress shows: the totals of the checkpoint, and the items
/// of this run (for the rate).
fn counts(checkpoint: &Checkpoint, items_this_run: u64) -> Counts {
    Counts {
        items: checkpoint.items,
        pages: checkpoint.pages,
        items_this_run,
    }
}

/// What else a 404 may mean for this listing, beyond the base URL and the
/// account id the library names: for a conversation's messages, the
/// conversation's number.
fn not_found_hint(platform: &Platform, error: &chatdesk::Error) -> &'static str {
    match platform {
        Platform::Chatwoot(ChatwootListing::Messages(_)) if is_not_found(error) => {
            "Check also --conversation-id: the conversation's number, the one after \
             /conversations/ in the web app's address bar"
        }
        _ => "",
    }
}

/// Whether the server answered 404: an id (or the base URL) is wrong.
pub(crate) fn is_not_found(error: &chatdesk::Error) -> bool {
    matches!(error, chatdesk::Error::Api(api) if api.status.as_u16() == 404)
}

/// What a failure leaves behind, and how to go on.
fn stopped_here(checkpoint: &Checkpoint, output: &Output, checkpointed: bool) -> String {
    let written = checkpoint.items;
    match (checkpointed, output.path()) {
        (true, Some(path)) => format!(
            "{written} items are in {} up to the checkpoint; rerun the same command to resume",
            path.display()
        ),
        (false, Some(path)) => format!(
            "{written} whole items were written to {}; add --checkpoint FILE to make the export \
             resumable",
            path.display()
        ),
        (_, None) => format!("{written} whole items were written before the failure"),
    }
}
