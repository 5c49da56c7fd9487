//! `chatdesk`: back up a Chatwoot account or a ChatbotX workspace into
//! SQLite and keep it in sync, or export conversations, contacts and
//! messages as JSON Lines, resumably, with progress. Built on the library's
//! public API only; `chatdesk --help` says how to use it.

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
