//! `chatdesk chatwoot backup` and `chatdesk chatbotx backup`: the library's
//! backup engine into a SQLite file, with progress, a summary, and
//! optionally the tables as JSON Lines afterwards.

use std::path::Path;
use std::time::Duration;

use chatdesk::backup::{
    BackupError, ChatbotxBackup, ChatwootBackup, Options, Report, RunKind, Store,
};
use chatdesk::rate_limit::RateLimit;
use chatdesk_sqlite::{SqliteStore, What};

use crate::args::{BackupArgs, Cli, RateLimitArg};
use crate::failure::Failure;
use crate::jsonl::{self, Holds};
use crate::progress::{BackupProgress, duration, plural};
use crate::source::Server;

/// Which backup the command line asks for.
pub enum Target<'a> {
    /// `chatwoot backup --account-id N`.
    Chatwoot {
        /// The account.
        account_id: i64,
        /// The options.
        args: &'a BackupArgs,
    },
    /// `chatbotx backup`.
    Chatbotx {
        /// The options.
        args: &'a BackupArgs,
    },
}

impl Target<'_> {
    fn args(&self) -> &BackupArgs {
        match self {
            Target::Chatwoot { args, .. } | Target::Chatbotx { args } => args,
        }
    }

    fn holds(&self) -> Holds {
        match self {
            Target::Chatwoot { .. } => Holds::Chatwoot,
            Target::Chatbotx { .. } => Holds::Chatbotx,
        }
    }

    /// What the engine records as the store's account.
    fn account(&self) -> String {
        match self {
            Target::Chatwoot { account_id, .. } => format!("Chatwoot account {account_id}"),
            Target::Chatbotx { .. } => "the ChatbotX workspace of the token".to_owned(),
        }
    }
}

/// Runs the backup the command line asks for.
pub async fn run(cli: &Cli, target: Target<'_>) -> Result<(), Failure> {
    let args = target.args();
    let server = Server::from_command_line(cli).await?;
    let rate_limit = match (&args.rate_limit, server.is_demo(), target.holds()) {
        (Some(RateLimitArg::Off), _, _) | (None, true, _) => None,
        (Some(RateLimitArg::Limit(limit)), _, _) => Some(limit.clone()),
        (None, false, Holds::Chatwoot) => Some(RateLimit::chatwoot()),
        (None, false, Holds::Chatbotx) => Some(RateLimit::chatbotx()),
    };
    if let Some(dir) = &args.attachments {
        std::fs::create_dir_all(dir).map_err(|e| {
            Failure::usage(format!(
                "cannot create the attachments directory {}: {e}",
                dir.display()
            ))
        })?;
    }
    let mut store = SqliteStore::open(&args.db).map_err(store_failure)?;
    refuse_other_account(&store, &target, &args.db)?;

    let mut options = Options::default()
        .with_full(args.full)
        .with_overlap(Duration::from_secs(args.overlap))
        .with_keep_secrets(args.keep_secrets)
        .with_attachments(args.attachments.clone());
    if let Some(concurrency) = args.concurrency {
        options = options.with_concurrency(usize::from(concurrency));
    }
    let mut progress = BackupProgress::new(cli.global.quiet);
    let result = match target {
        Target::Chatwoot { account_id, .. } => {
            let client = server.chatwoot_client(rate_limit)?;
            progress.watch(client.stats());
            ChatwootBackup::new(client, account_id)
                .options(options)
                .run(&mut store, &mut progress)
                .await
        }
        Target::Chatbotx { .. } => {
            let client = server.chatbotx_client(rate_limit)?;
            progress.watch(client.stats());
            ChatbotxBackup::new(client)
                .options(options)
                .run(&mut store, &mut progress)
                .await
        }
    };
    progress.clear();
    let report = result.map_err(|error| {
        // The demo's ids help only when an id was not found.
        let demo_ids = match &error {
            BackupError::Api(api) if crate::export::is_not_found(api) => server.hint(&cli.platform),
            _ => String::new(),
        };
        backup_failure(error, &args.db, &server).with_hint(&demo_ids)
    })?;
    if !cli.global.quiet {
        summary(&report, &store, &target, &args.db);
    }
    if let Some(dir) = &args.jsonl {
        let written = jsonl::write_tables(&store, target.holds().tables(), dir)?;
        if !cli.global.quiet {
            jsonl::print_written(&written, dir, &target.account());
        }
    }
    Ok(())
}

/// Refuses, before any request, a database that holds another account or
/// the other platform's backup (whose tables this one could not use).
fn refuse_other_account(
    store: &SqliteStore,
    target: &Target<'_>,
    db: &Path,
) -> Result<(), Failure> {
    let Some((_, account)) = jsonl::account(store).map_err(store_failure)? else {
        return Ok(());
    };
    let wanted = target.account();
    if account == wanted {
        return Ok(());
    }
    Err(Failure::usage(format!(
        "{} holds the backup of {account}, not of {wanted}; give this backup another --db file \
         (one file holds one account of one platform)",
        db.display()
    )))
}

/// A failed run: what failed, that what was stored is kept, and how to go
/// on.
fn backup_failure(
    error: BackupError<chatdesk_sqlite::Error>,
    db: &Path,
    server: &Server,
) -> Failure {
    let kept = format!(
        "What was stored in {} is kept: run the same command again to continue",
        db.display()
    );
    match error {
        BackupError::Api(error) => server.failure(error).with_hint(&kept),
        BackupError::Store(error) => store_failure(error),
        BackupError::Mismatch(account) => Failure::usage(format!(
            "{} holds the backup of {account}; give this backup another --db file (one file \
             holds one account of one platform)",
            db.display()
        )),
        BackupError::Data(message) => Failure::remote(format!(
            "the server sent what the backup cannot use: {message}"
        ))
        .with_hint(&kept),
        other => Failure::remote(other.to_string()).with_hint(&kept),
    }
}

/// A failure of the database: a file written by a newer chatdesk or one
/// that cannot be opened is a configuration problem (exit 2); the rest are
/// the disk's (exit 1). The message names the file and says what to do.
pub fn store_failure(error: chatdesk_sqlite::Error) -> Failure {
    let usage = matches!(
        error.what(),
        What::Newer { .. } | What::Open(_) | What::Table(_)
    );
    let mut message = error.to_string();
    if let Some(source) = std::error::Error::source(&error) {
        message.push_str(&format!(" ({source})"));
    }
    if usage {
        Failure::usage(message)
    } else {
        Failure::local(message)
    }
}

/// The run's summary on standard error: what it was, items per table (this
/// run and in the database), requests, retries, time, and what became of
/// the credentials. Counts only: no token, no header, no row.
fn summary(report: &Report, store: &SqliteStore, target: &Target<'_>, db: &Path) {
    let kind = match report.kind {
        Some(RunKind::Backup) => "backup (the first run: everything was read)",
        Some(RunKind::Resume) => "resume (an interrupted backup was continued)",
        Some(RunKind::Sync) => "sync (only what changed since the last run was read)",
        Some(RunKind::Full) => "full (everything was read again, as --full asks)",
        _ => "backup",
    };
    eprintln!(
        "chatdesk: {} of {} into {}: {kind}, done in {}",
        match target {
            Target::Chatwoot { .. } => "chatwoot backup",
            Target::Chatbotx { .. } => "chatbotx backup",
        },
        target.account(),
        db.display(),
        duration(report.elapsed),
    );
    eprintln!("  {:<30} {:>10} {:>12}", "table", "this run", "in the file");
    for table in target.holds().tables() {
        let this_run = report.items.get(table.name).copied().unwrap_or(0);
        let total = store
            .count(table)
            .map_or_else(|_| "?".to_owned(), |n| n.to_string());
        eprintln!("  {:<30} {:>10} {:>12}", table.name, this_run, total);
    }
    let seconds = report.elapsed.as_secs_f64();
    let rate = if seconds > 0.0 {
        report.requests as f64 / seconds
    } else {
        0.0
    };
    eprintln!(
        "  {}, {}, {rate:.0} req/s",
        plural(report.requests, "request"),
        plural(report.retries, "retry"),
    );
    if report.kept_secrets {
        eprintln!("  inbox credentials: kept as the server sent them (--keep-secrets)");
    } else {
        eprintln!(
            "  inbox credentials: {} redacted (stored as \"[redacted]\"; --keep-secrets keeps them)",
            plural(report.redacted, "value")
        );
    }
}
