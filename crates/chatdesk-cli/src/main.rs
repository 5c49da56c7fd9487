//! `chatdesk`: export conversations, contacts and messages from Chatwoot or
//! ChatbotX as JSON Lines, resumably, with progress. Built on the library's
//! public API only; `chatdesk --help` says how to use it.

mod args;
mod checkpoint;
mod export;
mod failure;
mod ignored;
mod output;
mod progress;
mod source;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Usage errors exit with 2, `--help` and `--version` with 0.
    let cli = args::Cli::parse();
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
    match runtime.block_on(export::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("chatdesk: {failure}");
            failure.exit_code()
        }
    }
}
