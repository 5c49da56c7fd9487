//! The command line: global options, one subcommand per listing, the
//! backups and the export of a backup, and the parsers that refuse a
//! filter value the platform does not list.

use std::path::PathBuf;
use std::time::Duration;

use chatdesk::chatbotx::{self, Identifier};
use chatdesk::chatwoot;
use clap::{Args, Parser, Subcommand};

/// A clap parser for an open enum of the generated code that accepts only
/// the values the spec lists, and names them when it refuses one.
macro_rules! known_value {
    ($enum:ty) => {
        |text: &str| -> Result<$enum, String> {
            let value = <$enum>::from_value(text);
            if value.is_known() {
                return Ok(value);
            }
            let known: Vec<&str> = <$enum>::KNOWN.iter().map(|v| v.as_str()).collect();
            Err(format!("expected one of: {}", known.join(", ")))
        }
    };
}

/// Back up a Chatwoot account or a ChatbotX workspace into a SQLite file
/// and keep it in sync, or export conversations, contacts and messages as
/// JSON Lines: one item per line, exactly as the server sent it.
///
/// The token comes from CHATWOOT_API_ACCESS_TOKEN or CHATBOTX_TOKEN, or
/// from the file given to --token-file; it is never taken as an argument,
/// because arguments are visible to every user of the machine.
///
/// Exit codes: 0 done, 1 the server or the network failed, 2 bad usage or
/// configuration.
#[derive(Debug, Parser)]
#[command(name = "chatdesk", version, max_term_width = 100)]
#[command(after_help = "Examples:
  chatdesk --demo chatwoot backup --account-id 1 --db demo.db
  chatdesk export --db demo.db --jsonl demo-jsonl
  chatdesk --demo chatwoot conversations --account-id 1
  CHATWOOT_API_ACCESS_TOKEN=... chatdesk --base-url https://chat.example.com \\
      chatwoot conversations --account-id 1 --status all --output all.jsonl --checkpoint all.ckpt
  CHATBOTX_TOKEN=... chatdesk chatbotx messages --contact phone:+84912345678")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub platform: Platform,
}

/// The options every export takes.
#[derive(Debug, Args)]
pub struct Global {
    /// The server's base URL [env: CHATWOOT_BASE_URL or CHATBOTX_BASE_URL;
    /// ChatbotX defaults to https://app.chatbotx.io/api].
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// Read the token from this file (its first line) instead of the
    /// environment.
    #[arg(long, global = true, value_name = "PATH")]
    pub token_file: Option<PathBuf>,

    /// Send extra headers read from this file, one `Name: value` per line
    /// (blank lines and lines starting with # are skipped), such as the
    /// `Cookie: ...` of a logged-in session that the open-source ChatbotX
    /// server wants besides the token. The values are kept as secret as
    /// the token.
    #[arg(long, global = true, value_name = "PATH")]
    pub header_file: Option<PathBuf>,

    /// Not accepted: a token in the arguments is visible to every user of
    /// the machine.
    #[arg(long, global = true, hide = true, value_name = "TOKEN")]
    pub token: Option<String>,

    /// Stop after this many items.
    #[arg(long, global = true, value_name = "N")]
    pub max_items: Option<u64>,

    /// Pages fetched at once, for the listings that go by page number
    /// (Chatwoot conversations, ChatbotX contacts) [default: the library's].
    /// For a backup: listings (a conversation's or a contact's messages)
    /// walked at once [default: 32]; the rate limit still applies.
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: Option<u16>,

    /// Print no progress and no summary on standard error (errors and
    /// warnings still).
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Write the items to this file instead of standard output.
    #[arg(long, short, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Save the position here after each page, and resume from it when the
    /// same command runs again (needs --output).
    #[arg(long, global = true, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,

    /// Export from a fake server started in this process, with a seeded
    /// data set: no account, token or network needed.
    #[arg(long, global = true)]
    pub demo: bool,
}

/// The platform to export from, or the export of a backup.
#[derive(Debug, Subcommand)]
pub enum Platform {
    /// Chatwoot (cloud or self-hosted).
    #[command(subcommand)]
    Chatwoot(ChatwootListing),
    /// ChatbotX.
    #[command(subcommand)]
    Chatbotx(ChatbotxListing),
    /// Write the tables of a backup database as JSON Lines files, one per
    /// table (no network).
    #[command(after_help = "Examples:
  chatdesk export --db backup.db --jsonl backup-jsonl
  # then: wc -l backup-jsonl/*.jsonl; jq .status backup-jsonl/conversations.jsonl")]
    Export(ExportArgs),
}

/// `chatdesk export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The backup database (made by `chatdesk chatwoot backup` or
    /// `chatdesk chatbotx backup`).
    #[arg(long, value_name = "FILE")]
    pub db: PathBuf,
    /// Write DIR/<table>.jsonl for each table: one row's stored JSON a
    /// line. Each file is written whole or not at all (through a temporary
    /// file renamed into place).
    #[arg(long, value_name = "DIR")]
    pub jsonl: PathBuf,
}

/// What to export from Chatwoot.
#[derive(Debug, Subcommand)]
pub enum ChatwootListing {
    /// The conversations of an account.
    Conversations(ChatwootConversations),
    /// Back up an account into a SQLite file; run again to sync.
    ///
    /// The first run copies everything: conversations, every message,
    /// contacts, inboxes, agents, teams and their members, labels and
    /// custom attribute definitions. Interrupted (a kill, a reboot, a
    /// network failure)? The same command continues where it stopped.
    /// After a complete backup, the same command reads only what changed
    /// since the last run. Chatwoot cannot report contacts edited without
    /// activity, deletions or edits of old messages: add --full now and
    /// then to read everything again.
    #[command(after_help = "Examples:
  chatdesk --demo chatwoot backup --account-id 1 --db demo.db
  CHATWOOT_API_ACCESS_TOKEN=... chatdesk --base-url https://chat.example.com \\
      chatwoot backup --account-id 1 --db support.db
  chatdesk --base-url https://chat.example.com --token-file ~/.cw-token \\
      chatwoot backup --account-id 1 --db support.db --full --jsonl support-jsonl")]
    Backup(ChatwootBackupArgs),
}

/// `chatdesk chatwoot backup`.
#[derive(Debug, Args)]
pub struct ChatwootBackupArgs {
    /// The account to back up.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
    pub account_id: i64,
    #[command(flatten)]
    pub backup: BackupArgs,
}

/// The options of both backups.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The SQLite file to back up into (created if missing). One file
    /// holds one account of one platform.
    #[arg(long, value_name = "FILE")]
    pub db: PathBuf,
    /// Read everything again even after a complete backup (rows are
    /// updated; rows deleted on the server stay).
    #[arg(long)]
    pub full: bool,
    /// How far before the last run a sync starts reading, in seconds: room
    /// for clock skew and for changes made while the last run was reading.
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub overlap: u64,
    /// Keep the channel credentials that an administrator's token sees in
    /// inboxes; by default their values are stored as "[redacted]".
    #[arg(long)]
    pub keep_secrets: bool,
    /// At most N requests per SECS seconds, or `off` [default: the
    /// platform's published limit, 3000/60 for Chatwoot and 120/10 for
    /// ChatbotX; off with --demo].
    #[arg(long, value_name = "N/SECS", value_parser = rate_limit)]
    pub rate_limit: Option<RateLimitArg>,
    /// Download message attachments into this directory, each file once.
    #[arg(long, value_name = "DIR")]
    pub attachments: Option<PathBuf>,
    /// After the run, also write DIR/<table>.jsonl for each table from the
    /// database (as `chatdesk export` does).
    #[arg(long, value_name = "DIR")]
    pub jsonl: Option<PathBuf>,
}

/// `--rate-limit`: a limit, or none.
#[derive(Clone, Debug)]
pub enum RateLimitArg {
    /// No client-side limit.
    Off,
    /// At most so many requests per window.
    Limit(chatdesk::rate_limit::RateLimit),
}

/// Parses `N/SECS` (`120/10`, `3000/60s`, `5/0.5`) or `off`.
fn rate_limit(text: &str) -> Result<RateLimitArg, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("off") || text.eq_ignore_ascii_case("none") {
        return Ok(RateLimitArg::Off);
    }
    let wrong = || {
        format!(
            "expected N/SECS, such as 120/10 (120 requests per 10 seconds), or off; got {text:?}"
        )
    };
    let (requests, seconds) = text.split_once('/').ok_or_else(wrong)?;
    let requests: u32 = requests.trim().parse().map_err(|_| wrong())?;
    let seconds = seconds.trim();
    let seconds: f64 = seconds
        .strip_suffix('s')
        .unwrap_or(seconds)
        .trim()
        .parse()
        .map_err(|_| wrong())?;
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0) {
        return Err(wrong());
    }
    chatdesk::rate_limit::RateLimit::new(requests, Duration::from_secs_f64(seconds))
        .map(RateLimitArg::Limit)
        .map_err(|e| e.to_string())
}

/// The filters of the Chatwoot conversation listing.
#[derive(Debug, Args)]
pub struct ChatwootConversations {
    /// The account to export from.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
    pub account_id: i64,
    /// Keep conversations in this status (the server's default is open;
    /// `all` exports every status).
    #[arg(long, value_name = "S", value_parser = known_value!(chatwoot::Status))]
    pub status: Option<chatwoot::Status>,
    /// Keep conversations by assignee.
    #[arg(long, value_name = "T", value_parser = known_value!(chatwoot::AssigneeType))]
    pub assignee_type: Option<chatwoot::AssigneeType>,
    /// Keep conversations carrying this label (repeat for more).
    #[arg(long = "label", value_name = "L")]
    pub labels: Vec<String>,
    /// Keep conversations of this inbox.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
    pub inbox_id: Option<i64>,
    /// Keep conversations of this team.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
    pub team_id: Option<i64>,
    /// Keep conversations with a message containing this text.
    #[arg(long, value_name = "TEXT")]
    pub query: Option<String>,
}

/// What to export from ChatbotX.
#[derive(Debug, Subcommand)]
pub enum ChatbotxListing {
    /// Every conversation, newest activity first.
    Conversations(ChatbotxConversations),
    /// Every contact.
    Contacts(ChatbotxContacts),
    /// Every message of one contact, newest first.
    Messages(ChatbotxMessages),
    /// Back up the token's workspace into a SQLite file; run again to sync.
    ///
    /// The first run copies everything: conversations in every state,
    /// contacts with their tags and custom field values, every message of
    /// every contact, tags, custom fields, bot fields, teams, channels and
    /// members. Interrupted? The same command continues where it stopped.
    /// After a complete backup, the same command reads only what changed.
    /// ChatbotX reports no deletions, and a tag removed from a contact
    /// stays in contact_tags: add --full now and then.
    #[command(after_help = "Examples:
  chatdesk --demo chatbotx backup --db demo-cbx.db
  CHATBOTX_TOKEN=... chatdesk chatbotx backup --db workspace.db
  chatdesk --token-file ~/.cbx-token --header-file ~/.cbx-session chatbotx backup --db workspace.db")]
    Backup(BackupArgs),
}

/// The filters of the ChatbotX conversation listing.
#[derive(Debug, Args)]
pub struct ChatbotxConversations {
    /// Keep conversations of this channel.
    #[arg(long, value_name = "C", value_parser = known_value!(chatbotx::Channel))]
    pub channel: Option<chatbotx::Channel>,
    /// Keep conversations in this state (repeat for more). Some server
    /// versions accept but ignore it; a warning says so when the result
    /// shows it. --tag filters on every version.
    #[arg(long, value_name = "S", value_parser = known_value!(chatbotx::Status))]
    pub status: Vec<chatbotx::Status>,
    /// A state flag of the `tags` parameter, such as archived (repeat for
    /// more).
    #[arg(long = "tag", value_name = "T", value_parser = known_value!(chatbotx::Status))]
    pub tags: Vec<chatbotx::Status>,
    /// Keep conversations whose contact's first or last name contains this
    /// text (the server does not search e-mails, phones or messages).
    #[arg(long, value_name = "K")]
    pub keyword: Option<String>,
    /// Keep conversations whose bot is on (true) or off (false).
    #[arg(long, value_name = "B")]
    pub bot_enabled: Option<bool>,
    /// Keep conversations assigned to u_USERID, t_TEAMID or `unassigned`;
    /// a bare user id is sent as u_USERID (the server ignores a bare id).
    #[arg(long, value_name = "ID")]
    pub assigned_id: Option<String>,
    /// Export every conversation: also archived ones and those of blocked
    /// contacts, which the server's default view leaves out (walks four
    /// views and writes each conversation once).
    #[arg(long)]
    pub all_states: bool,
}

/// The filters of the ChatbotX contact listing.
#[derive(Debug, Args)]
pub struct ChatbotxContacts {
    /// Keep contacts of this channel. Some server versions accept but
    /// ignore it; a warning says so when the result shows it.
    #[arg(long, value_name = "C", value_parser = known_value!(chatbotx::Channel))]
    pub channel: Option<chatbotx::Channel>,
    /// Contacts per page (at most 50, the default).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=50))]
    pub per_page: Option<u64>,
}

/// Which contact's messages to export.
#[derive(Debug, Args)]
pub struct ChatbotxMessages {
    /// The contact: id:N, email:ADDRESS or phone:NUMBER.
    #[arg(long, value_name = "id:N|email:X|phone:X", value_parser = contact)]
    pub contact: Identifier,
}

/// Parses `--contact`, with the library's message when it is malformed.
fn contact(text: &str) -> Result<Identifier, String> {
    text.parse::<Identifier>().map_err(|e| match e {
        chatdesk::Error::InvalidInput(message) => message,
        other => other.to_string(),
    })
}

impl Platform {
    /// The platform of the library, for its environment variables (the
    /// export of a backup talks to no server: Chatwoot's are named).
    pub fn platform(&self) -> chatdesk::Platform {
        match self {
            Platform::Chatwoot(_) | Platform::Export(_) => chatdesk::Platform::Chatwoot,
            Platform::Chatbotx(_) => chatdesk::Platform::Chatbotx,
        }
    }

    /// What the command does, for messages: "chatwoot conversations".
    pub fn name(&self) -> &'static str {
        match self {
            Platform::Chatwoot(ChatwootListing::Conversations(_)) => "chatwoot conversations",
            Platform::Chatwoot(ChatwootListing::Backup(_)) => "chatwoot backup",
            Platform::Chatbotx(ChatbotxListing::Conversations(_)) => "chatbotx conversations",
            Platform::Chatbotx(ChatbotxListing::Contacts(_)) => "chatbotx contacts",
            Platform::Chatbotx(ChatbotxListing::Messages(_)) => "chatbotx messages",
            Platform::Chatbotx(ChatbotxListing::Backup(_)) => "chatbotx backup",
            Platform::Export(_) => "export",
        }
    }

    /// The environment variable of the base URL.
    pub fn base_url_variable(&self) -> &'static str {
        match self {
            Platform::Chatwoot(_) | Platform::Export(_) => "CHATWOOT_BASE_URL",
            Platform::Chatbotx(_) => "CHATBOTX_BASE_URL",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_says_what_the_servers_really_do_with_the_filters() {
        let mut command = Cli::command();
        let chatbotx = command.find_subcommand_mut("chatbotx").unwrap();
        let help = chatbotx
            .find_subcommand_mut("conversations")
            .unwrap()
            .render_long_help()
            .to_string();
        for needle in [
            "u_USERID",
            "t_TEAMID",
            "unassigned",
            "--all-states",
            "first or last name",
            "ignore",
        ] {
            assert!(help.contains(needle), "{needle:?} not in: {help}");
        }
        let help = chatbotx
            .find_subcommand_mut("contacts")
            .unwrap()
            .render_long_help()
            .to_string();
        assert!(help.contains("accept but"), "{help}");
    }

    #[test]
    fn backup_help_has_examples_and_rate_limits_parse() {
        let mut command = Cli::command();
        let help = command
            .find_subcommand_mut("chatwoot")
            .unwrap()
            .find_subcommand_mut("backup")
            .unwrap()
            .render_long_help()
            .to_string();
        for needle in [
            "--full",
            "--keep-secrets",
            "--rate-limit",
            "Examples:",
            "--db demo.db",
        ] {
            assert!(help.contains(needle), "{needle:?} not in: {help}");
        }
        assert!(matches!(rate_limit("off"), Ok(RateLimitArg::Off)));
        assert!(matches!(rate_limit("120/10"), Ok(RateLimitArg::Limit(_))));
        assert!(matches!(rate_limit("3000/60s"), Ok(RateLimitArg::Limit(_))));
        for bad in ["0/10", "10/0", "10", "x/1", "10/-1"] {
            assert!(rate_limit(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_filter_values_are_refused_with_the_known_ones() {
        let error = Cli::try_parse_from([
            "chatdesk",
            "chatwoot",
            "conversations",
            "--account-id",
            "1",
            "--status",
            "closed",
        ])
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("all, open, resolved, pending, snoozed"),
            "{error}"
        );
    }
}
