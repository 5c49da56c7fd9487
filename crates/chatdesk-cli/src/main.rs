//! `chatdesk`: back up a Chatwoot account or a ChatbotX workspace into
//! SQLite and keep it in sync, or export conversations, contacts and
//! messages as JSON Lines, resumably, with progress. Built on the library's
//! public API only; `chatdesk --help` (and `--help` after any command) says
//! how to use it.
//!
//! ```text
//! chatdesk [GLOBAL OPTIONS] chatwoot backup --account-id N --db FILE [BACKUP OPTIONS]
//! chatdesk [GLOBAL OPTIONS] chatwoot conversations --account-id N [--status S] [--assignee-type T]
//!          [--label L]... [--inbox-id N] [--team-id N] [--query TEXT]
//! chatdesk [GLOBAL OPTIONS] chatbotx backup --db FILE [BACKUP OPTIONS]
//! chatdesk [GLOBAL OPTIONS] chatbotx conversations [--all-states] [--channel C] [--status S]...
//!          [--tag T]... [--keyword K] [--bot-enabled B] [--assigned-id ID]
//! chatdesk [GLOBAL OPTIONS] chatbotx contacts [--channel C] [--per-page N]
//! chatdesk [GLOBAL OPTIONS] chatbotx messages --contact id:N|email:X|phone:X
//! chatdesk export --db FILE --jsonl DIR
//!
//! backup      copy the whole account into a SQLite file (created if missing); the
//!             same command again continues an interrupted run, or reads only what
//!             changed since the last complete one
//! export      write each table of a backup as DIR/<table>.jsonl, with no network
//! the others  write a listing as JSON Lines on standard output (or --output FILE),
//!             one item a line exactly as the server sent it
//!
//! Global options:
//!   --base-url URL        the server [env CHATWOOT_BASE_URL, CHATBOTX_BASE_URL;
//!                         ChatbotX defaults to https://app.chatbotx.io/api]
//!   --token-file PATH     the token from this file's first line, instead of
//!                         CHATWOOT_API_ACCESS_TOKEN or CHATBOTX_TOKEN (never an
//!                         argument: arguments are visible to every user of the machine)
//!   --header-file PATH    extra headers, one `Name: value` a line (a session's Cookie)
//!   --max-items N         stop after N items
//!   --concurrency N       pages at once (exports), or listings at once (backups)
//!   --output FILE         write the items there instead of standard output
//!   --checkpoint FILE     save the position after each page; the same command
//!                         again resumes, and the output holds each item once
//!   --demo                use an in-process fake server: no account, no network
//!   --quiet               no progress or summary on standard error
//!
//! Backup options:
//!   --full                read everything again (rows are updated in place)
//!   --overlap SECS        how far before the last run a sync starts [300]
//!   --keep-secrets        keep the channel credentials of inboxes (redacted otherwise)
//!   --rate-limit N/SECS   at most N requests per SECS seconds, or `off`
//!                         [the platform's published limit]
//!   --attachments DIR     also download message attachments into DIR
//!   --jsonl DIR           after the run, write DIR/<table>.jsonl for every table
//!
//! Examples:
//!   chatdesk --demo chatwoot backup --account-id 1 --db demo.db
//!   chatdesk export --db demo.db --jsonl demo-jsonl
//!   CHATWOOT_BASE_URL=https://chat.example.com CHATWOOT_API_ACCESS_TOKEN=... \
//!       chatdesk chatwoot conversations --account-id 1 --status all \
//!       --output all.jsonl --checkpoint all.ckpt
//!   CHATBOTX_TOKEN=cbx_ws_... chatdesk chatbotx messages --contact phone:+84912345678
//!
//! Exit codes: 0 done; 1 the server, the network or the disk failed (run the
//! same command again: it continues); 2 bad usage or configuration (a refused
//! token, a wrong base URL or id, a bad option).
//! ```

mod args;
mod backup;
mod checkpoint;
mod export;
mod failure;
mod ignored;
mod jsonl;
mod output;
mod progress;
mod source;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Usage errors exit with 2, `--help` and `--version` with 0.
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            if let Some(tip) = args::moved_option_tip(&error) {
                eprintln!("\n{tip}");
            }
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("chatdesk: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(dispatch(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("chatdesk: {failure}");
            failure.exit_code()
        }
    }
}

/// Runs the subcommand.
async fn dispatch(cli: args::Cli) -> Result<(), failure::Failure> {
    use args::{ChatbotxListing, ChatwootListing, Platform};
    match &cli.platform {
        Platform::Export(export) => jsonl::export(export, cli.global.quiet),
        Platform::Chatwoot(ChatwootListing::Backup(backup)) => {
            let target = backup::Target::Chatwoot {
                account_id: backup.account_id,
                args: &backup.backup,
            };
            backup::run(&cli, target).await
        }
        Platform::Chatbotx(ChatbotxListing::Backup(args)) => {
            backup::run(&cli, backup::Target::Chatbotx { args }).await
        }
        _ => export::run(cli).await,
    }
}
