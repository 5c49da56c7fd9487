//! The command line: global options (the connection), one subcommand per
//! listing with its filters and output options, the backups and the export
//! of a backup, and the parser of the spec's open enums, which takes any
//! value but refuses a likely typo of a known one.

use std::ffi::OsStr;
use std::fmt::Display;
use std::path::PathBuf;
use std::time::Duration;

use chatdesk::chatbotx::{self, Identifier};
use chatdesk::chatwoot;
use chatdesk::listing::ListOperation;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand};

/// The variables that give each platform's base URL.
const CHATWOOT_BASE_URL_VARIABLE: &str = "CHATWOOT_BASE_URL";
const CHATBOTX_BASE_URL_VARIABLE: &str = "CHATBOTX_BASE_URL";

/// Where Chatwoot's address, token and account id come from, for the help
/// of the command and of `chatdesk chatwoot`. The variable names are the
/// library's.
fn chatwoot_credentials() -> String {
    let token = chatdesk::Platform::Chatwoot.token_variable();
    let base_url = CHATWOOT_BASE_URL_VARIABLE;
    format!(
        "\
Chatwoot:
  Base URL: --base-url or {base_url}, the address you open Chatwoot at
    (https://app.chatwoot.com for Chatwoot's cloud); required.
  Token: {token} or --token-file. Find it in the web app: avatar at
    the bottom left -> Profile settings -> \"Access Token\".
  Account id (--account-id): the number after /app/accounts/ in the browser's address
    bar."
    )
}

/// Where ChatbotX's address and token come from, for the help of the
/// command and of `chatdesk chatbotx`. The variable names and the default
/// base URL are the library's.
fn chatbotx_credentials() -> String {
    let token = chatdesk::Platform::Chatbotx.token_variable();
    let base_url = CHATBOTX_BASE_URL_VARIABLE;
    let default = chatbotx::DEFAULT_BASE_URL;
    format!(
        "\
ChatbotX:
  Base URL: --base-url or {base_url}; defaults to {default}.
  Token: {token} or --token-file: a workspace API token, created in the
    workspace's Settings -> API (it starts with cbx_). It names the workspace."
    )
}

/// Why the token is never an argument.
const TOKEN_NOT_AN_ARGUMENT: &str = "\
The token is read from the environment variable or from the first line of the file given
to --token-file, never from an argument: arguments are visible to every user of the
machine. --demo needs neither a server nor a token.";

/// What the exit codes mean.
const EXIT_CODES: &str = "\
Exit codes: 0 done, 1 the server, the network or the disk failed (rerunning may help),
2 bad usage or configuration.";

/// The long help of `chatdesk`.
fn long_about() -> String {
    format!(
        "Back up a Chatwoot account or a ChatbotX workspace into a SQLite file and keep it in \
         sync, or export a listing as JSON Lines: one item per line, exactly as the server \
         sent it. Each platform has the same exports: conversations, contacts, and the \
         messages of one conversation (Chatwoot) or of one contact (ChatbotX).\n\n\
         {}\n\n{}\n\n{TOKEN_NOT_AN_ARGUMENT}\n\n\
         {EXIT_CODES}",
        chatwoot_credentials(),
        chatbotx_credentials(),
    )
}

/// The long help of `chatdesk chatwoot`.
fn chatwoot_about() -> String {
    format!(
        "Export a Chatwoot listing as JSON Lines, or back up an account into SQLite.\n\n\
         {}\n\n{TOKEN_NOT_AN_ARGUMENT}",
        chatwoot_credentials(),
    )
}

/// The long help of `chatdesk chatbotx`.
fn chatbotx_about() -> String {
    format!(
        "Export a ChatbotX listing as JSON Lines, or back up a workspace into SQLite.\n\n\
         {}\n\n{TOKEN_NOT_AN_ARGUMENT}",
        chatbotx_credentials(),
    )
}

/// Back up Chatwoot or ChatbotX into SQLite, or export their listings as
/// JSON Lines.
#[derive(Debug, Parser)]
#[command(name = "chatdesk", version, max_term_width = 100, long_about = long_about())]
#[command(after_help = "Examples:
  chatdesk --demo chatwoot backup --account-id 1 --db demo.db
  chatdesk export --db demo.db --jsonl demo-jsonl
  chatdesk --demo chatwoot conversations --account-id 1
  CHATWOOT_API_ACCESS_TOKEN=... chatdesk --base-url https://chat.example.com \\
      chatwoot conversations --account-id 1 --status all --output all.jsonl --checkpoint all.ckpt
  CHATBOTX_TOKEN=cbx_... chatdesk chatbotx messages --contact phone:+84912345678")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub platform: Platform,
}

/// The options of every subcommand: the connection, and how much to say.
#[derive(Debug, Args)]
pub struct Global {
    /// The server's base URL [env: CHATWOOT_BASE_URL or CHATBOTX_BASE_URL;
    /// ChatbotX defaults to https://app.chatbotx.io/api].
    #[arg(long, global = true, value_name = "URL", help_heading = "Connection")]
    pub base_url: Option<String>,

    /// Read the token from this file (its first line) instead of
    /// CHATWOOT_API_ACCESS_TOKEN or CHATBOTX_TOKEN.
    #[arg(long, global = true, value_name = "PATH", help_heading = "Connection")]
    pub token_file: Option<PathBuf>,

    /// Send extra headers read from this file, one `Name: value` per line
    /// (blank lines and lines starting with # are skipped), such as the
    /// `Cookie: ...` of a logged-in session that the open-source ChatbotX
    /// server wants besides the token. The values are kept as secret as
    /// the token.
    #[arg(long, global = true, value_name = "PATH", help_heading = "Connection")]
    pub header_file: Option<PathBuf>,

    /// Allow a plain http:// base URL to a host that is not this machine.
    /// The token then travels unencrypted: use it only on a network you
    /// trust (http://localhost and http://127.0.0.1 never need it).
    #[arg(long, global = true, help_heading = "Connection")]
    pub allow_insecure_http: bool,

    /// Not accepted: a token in the arguments is visible to every user of
    /// the machine.
    #[arg(long, global = true, hide = true, value_name = "TOKEN")]
    pub token: Option<String>,

    /// Talk to a fake server started in this process, with a seeded data
    /// set: no account, token or network needed (its Chatwoot account is
    /// 1).
    #[arg(long, global = true, help_heading = "Connection")]
    pub demo: bool,

    /// Print no progress, no retry lines and no summary on standard error
    /// (errors, warnings and notes still).
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

/// Where an export's items go, and how much of the listing to read.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct ExportOptions {
    /// Write the items to this file instead of standard output. A file
    /// that is already there and not empty is replaced only with --force
    /// (or continued, when resuming with its --checkpoint).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Save the position here after each page, and resume from it when the
    /// same command runs again (needs --output).
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,

    /// Stop after this many items.
    #[arg(long, value_name = "N")]
    pub max_items: Option<u64>,

    /// Replace the --output file if it already exists.
    #[arg(long)]
    pub force: bool,
}

/// The platform to export from, or the export of a backup.
#[derive(Debug, Subcommand)]
pub enum Platform {
    /// Chatwoot (cloud or self-hosted): conversations, contacts, a
    /// conversation's messages, or a backup.
    #[command(subcommand, long_about = chatwoot_about())]
    Chatwoot(ChatwootListing),
    /// ChatbotX: conversations, contacts, a contact's messages, or a
    /// backup.
    #[command(subcommand, long_about = chatbotx_about())]
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
    /// line. DIR is created if missing; a <table>.jsonl already there is
    /// replaced. Each file is written whole or not at all (through a
    /// temporary file renamed into place), so an interrupted export leaves
    /// the old file or the new one.
    #[arg(long, value_name = "DIR")]
    pub jsonl: PathBuf,
}

/// What to export from Chatwoot.
#[derive(Debug, Subcommand)]
pub enum ChatwootListing {
    /// The conversations of an account, newest activity first.
    Conversations(ChatwootConversations),
    /// The contacts of an account (those with an email, a phone number or
    /// an identifier: the server leaves anonymous visitors out).
    #[command(after_help = "Examples:
  chatdesk --demo chatwoot contacts --account-id 1
  chatdesk chatwoot contacts --account-id 1 --sort -last_activity_at --output contacts.jsonl")]
    Contacts(ChatwootContacts),
    /// The messages of one conversation, oldest first (private notes and
    /// activity lines included unless --filter-internal-messages).
    #[command(after_help = "Examples:
  chatdesk --demo chatwoot messages --account-id 1 --conversation-id 3
  chatdesk chatwoot messages --account-id 1 --conversation-id 42 --output 42.jsonl")]
    Messages(ChatwootMessages),
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
    /// The account to back up: the number after /app/accounts/ in the
    /// address bar of Chatwoot's web app.
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
    /// Listings (a conversation's or a contact's messages) walked at once
    /// [default: 32]; the rate limit still applies.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: Option<u16>,
    /// At most N requests per SECS seconds, or `off` [default: the
    /// platform's published limit, 3000/60 for Chatwoot and 120/10 for
    /// ChatbotX; off with --demo].
    #[arg(long, value_name = "N/SECS", value_parser = rate_limit)]
    pub rate_limit: Option<RateLimitArg>,
    /// Download message attachments into this directory, each file once.
    #[arg(long, value_name = "DIR")]
    pub attachments: Option<PathBuf>,
    /// After the run, also write DIR/<table>.jsonl for each table from the
    /// database (as `chatdesk export` does; files already there are
    /// replaced, each whole).
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

/// The pages an export of `Op` fetches at once unless told: the library's
/// default for that listing, so that the help shows the real number.
fn page_concurrency<Op: ListOperation>() -> u16 {
    u16::try_from(Op::SPEC.default_concurrency()).unwrap_or(u16::MAX)
}

/// `chatdesk chatwoot conversations`.
#[derive(Debug, Args)]
pub struct ChatwootConversations {
    /// The account to export from: the number after /app/accounts/ in the
    /// address bar of Chatwoot's web app.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
    pub account_id: i64,
    /// Pages (of 25 conversations) fetched at once.
    #[arg(
        long,
        value_name = "N",
        value_parser = clap::value_parser!(u16).range(1..),
        default_value_t = page_concurrency::<chatwoot::listings::ListConversations>()
    )]
    pub concurrency: u16,
    /// Keep conversations in this status (the server's default is open;
    /// `all` exports every status).
    #[arg(
        long,
        value_name = "S",
        value_parser = OpenValue::new(chatwoot::Status::KNOWN),
        help_heading = "Filters"
    )]
    pub status: Option<chatwoot::Status>,
    /// Keep conversations by assignee.
    #[arg(
        long,
        value_name = "T",
        value_parser = OpenValue::new(chatwoot::AssigneeType::KNOWN),
        help_heading = "Filters"
    )]
    pub assignee_type: Option<chatwoot::AssigneeType>,
    /// Keep conversations carrying this label (repeat for more).
    #[arg(long = "label", value_name = "L", help_heading = "Filters")]
    pub labels: Vec<String>,
    /// Keep conversations of this inbox.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..), help_heading = "Filters")]
    pub inbox_id: Option<i64>,
    /// Keep conversations of this team.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..), help_heading = "Filters")]
    pub team_id: Option<i64>,
    /// Keep conversations with a message containing this text.
    #[arg(long, value_name = "TEXT", help_heading = "Filters")]
    pub query: Option<String>,
    #[command(flatten)]
    pub export: ExportOptions,
}

/// `chatdesk chatwoot contacts`.
#[derive(Debug, Args)]
pub struct ChatwootContacts {
    /// The account to export from: the number after /app/accounts/ in the
    /// address bar of Chatwoot's web app.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
    pub account_id: i64,
    /// Pages (of 15 contacts) fetched at once.
    #[arg(
        long,
        value_name = "N",
        value_parser = clap::value_parser!(u16).range(1..),
        default_value_t = page_concurrency::<chatwoot::listings::ListContacts>()
    )]
    pub concurrency: u16,
    /// The order: a field, ascending, or with a leading - descending (the
    /// server's default is by name). Contacts that change during the
    /// export can move between pages; each is written once.
    #[arg(
        long,
        value_name = "KEY",
        allow_hyphen_values = true,
        value_parser = OpenValue::new(chatwoot::enums::ContactSort::KNOWN),
        help_heading = "Filters"
    )]
    pub sort: Option<chatwoot::enums::ContactSort>,
    /// Keep contacts carrying this label (repeat for more: any of them).
    #[arg(long = "label", value_name = "L", help_heading = "Filters")]
    pub labels: Vec<String>,
    /// Leave out each contact's contact_inboxes (its inboxes and source
    /// ids), which are in by default.
    #[arg(long, help_heading = "Filters")]
    pub no_contact_inboxes: bool,
    #[command(flatten)]
    pub export: ExportOptions,
}

/// `chatdesk chatwoot messages`.
#[derive(Debug, Args)]
pub struct ChatwootMessages {
    /// The account of the conversation: the number after /app/accounts/ in
    /// the address bar of Chatwoot's web app.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
    pub account_id: i64,
    /// The conversation: its number in the account, the one after
    /// /conversations/ in the web app's address bar.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
    pub conversation_id: i64,
    /// Leave out private notes and activity lines (such as "Conversation
    /// was resolved").
    #[arg(long, help_heading = "Filters")]
    pub filter_internal_messages: bool,
    #[command(flatten)]
    pub export: ExportOptions,
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
  CHATBOTX_TOKEN=cbx_... chatdesk chatbotx backup --db workspace.db
  chatdesk --token-file ~/.cbx-token --header-file ~/.cbx-session chatbotx backup --db workspace.db")]
    Backup(BackupArgs),
}

/// `chatdesk chatbotx conversations`.
#[derive(Debug, Args)]
pub struct ChatbotxConversations {
    /// Keep conversations of this channel.
    #[arg(
        long,
        value_name = "C",
        value_parser = OpenValue::new(chatbotx::Channel::KNOWN),
        help_heading = "Filters"
    )]
    pub channel: Option<chatbotx::Channel>,
    /// Keep conversations in this state (repeat for more). Some server
    /// versions accept but ignore it; a warning says so when the result
    /// shows it. --tag filters on every version.
    #[arg(
        long,
        value_name = "S",
        value_parser = OpenValue::new(chatbotx::Status::KNOWN),
        help_heading = "Filters"
    )]
    pub status: Vec<chatbotx::Status>,
    /// A state flag of the `tags` parameter, such as archived (repeat for
    /// more).
    #[arg(
        long = "tag",
        value_name = "T",
        value_parser = OpenValue::new(chatbotx::Status::KNOWN),
        help_heading = "Filters"
    )]
    pub tags: Vec<chatbotx::Status>,
    /// Keep conversations whose contact's first or last name contains this
    /// text (the server does not search e-mails, phones or messages).
    #[arg(long, value_name = "K", help_heading = "Filters")]
    pub keyword: Option<String>,
    /// Keep conversations whose bot is on (true) or off (false).
    #[arg(long, value_name = "B", help_heading = "Filters")]
    pub bot_enabled: Option<bool>,
    /// Keep conversations assigned to u_USERID, t_TEAMID or `unassigned`;
    /// a bare user id is sent as u_USERID (the server ignores a bare id).
    #[arg(long, value_name = "ID", help_heading = "Filters")]
    pub assigned_id: Option<String>,
    /// Export every conversation: also archived ones and those of blocked
    /// contacts, which the server's default view leaves out (walks four
    /// views and writes each conversation once).
    #[arg(long, help_heading = "Filters")]
    pub all_states: bool,
    #[command(flatten)]
    pub export: ExportOptions,
}

/// `chatdesk chatbotx contacts`.
#[derive(Debug, Args)]
pub struct ChatbotxContacts {
    /// Pages fetched at once.
    #[arg(
        long,
        value_name = "N",
        value_parser = clap::value_parser!(u16).range(1..),
        default_value_t = page_concurrency::<chatbotx::listings::ListContacts>()
    )]
    pub concurrency: u16,
    /// Contacts per page (at most 50, the default).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=50))]
    pub per_page: Option<u64>,
    /// Keep contacts of this channel. Some server versions accept but
    /// ignore it; a warning says so when the result shows it.
    #[arg(
        long,
        value_name = "C",
        value_parser = OpenValue::new(chatbotx::Channel::KNOWN),
        help_heading = "Filters"
    )]
    pub channel: Option<chatbotx::Channel>,
    #[command(flatten)]
    pub export: ExportOptions,
}

/// `chatdesk chatbotx messages`.
#[derive(Debug, Args)]
pub struct ChatbotxMessages {
    /// The contact: id:N, email:ADDRESS or phone:NUMBER.
    #[arg(long, value_name = "id:N|email:X|phone:X", value_parser = contact)]
    pub contact: Identifier,
    #[command(flatten)]
    pub export: ExportOptions,
}

/// Parses `--contact`, with the library's message when it is malformed.
fn contact(text: &str) -> Result<Identifier, String> {
    text.parse::<Identifier>().map_err(|e| match e {
        chatdesk::Error::InvalidInput(message) => message,
        other => other.to_string(),
    })
}

/// A tip for an option given where it is no longer taken: the output
/// options and --concurrency used to be accepted before the platform, and
/// are now options of the subcommands they do something for.
pub fn moved_option_tip(error: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    if error.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(given)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let option = given.split('=').next().unwrap_or(given);
    match option {
        "--output" | "-o" | "--checkpoint" | "--max-items" | "--force" => Some(format!(
            "tip: {option} belongs to the listing exports and goes after the listing, as in \
             `chatdesk chatwoot conversations --account-id 1 {option} ...`; backups and \
             `chatdesk export` do not take it"
        )),
        "--concurrency" => Some(
            "tip: --concurrency goes after the subcommand it is for: a listing that goes by \
             page number (chatwoot conversations, chatwoot contacts, chatbotx contacts) or a \
             backup, as in `chatdesk chatwoot backup --account-id 1 --db FILE --concurrency 8`"
                .to_owned(),
        ),
        _ => None,
    }
}

/// A clap parser for an open enum of the generated code, given the values
/// the spec lists (its `KNOWN`): the help shows them, a known value is
/// taken, and so is one the spec does not list (the server may know
/// values the spec does not), with a note on standard error. A value close
/// to a known one is refused instead: it is far more likely a typo, and a
/// typo sent as is would silently filter everything out.
#[derive(Clone, Copy, Debug)]
pub struct OpenValue<E: 'static> {
    known: &'static [E],
}

impl<E> OpenValue<E> {
    /// The parser of the enum whose known values are `known`.
    pub const fn new(known: &'static [E]) -> Self {
        OpenValue { known }
    }

    fn names(&self) -> Vec<String>
    where
        E: Display,
    {
        self.known.iter().map(ToString::to_string).collect()
    }
}

impl<E> TypedValueParser for OpenValue<E>
where
    E: Clone + Display + Send + Sync + 'static + for<'a> From<&'a str>,
{
    type Value = E;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<E, clap::Error> {
        let option = arg.and_then(clap::Arg::get_long).unwrap_or("value");
        let Some(text) = value.to_str() else {
            return Err(clap::Error::raw(
                ErrorKind::InvalidUtf8,
                format!("the value of --{option} is not UTF-8\n"),
            )
            .with_cmd(command));
        };
        let names = self.names();
        match judge(text, &names) {
            Judged::Known => {}
            Judged::Typo(close) => {
                return Err(clap::Error::raw(
                    ErrorKind::ValueValidation,
                    format!(
                        "invalid value {text:?} for --{option}: did you mean {close:?}? (the \
                         spec lists {}; a value it does not list is sent as is, but this one \
                         is too close to a known one not to be a typo)\n",
                        names.join(", ")
                    ),
                )
                .with_cmd(command));
            }
            Judged::Other => eprintln!(
                "chatdesk: note: {option} {text:?} is not one the spec lists ({}); sending it \
                 as is",
                names.join(", ")
            ),
        }
        Ok(E::from(text))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.names().into_iter().map(PossibleValue::new)))
    }
}

/// What a filter value is to the spec's list.
#[derive(Debug, PartialEq)]
enum Judged<'a> {
    /// One of the list.
    Known,
    /// Not in the list, but so close to this value that it is a typo.
    Typo(&'a str),
    /// Not in the list, nor close to it: a value the spec may not know.
    Other,
}

/// Whether `text` is one of `known`, a likely typo of one (the same but
/// for case, or within [`typo_distance`] edits), or another value.
fn judge<'a>(text: &str, known: &'a [String]) -> Judged<'a> {
    if known.iter().any(|k| k == text) {
        return Judged::Known;
    }
    known
        .iter()
        .filter_map(|k| {
            let distance = if k.eq_ignore_ascii_case(text) {
                0
            } else {
                strsim::damerau_levenshtein(&text.to_lowercase(), &k.to_lowercase())
            };
            (distance <= typo_distance(k)).then_some((distance, k.as_str()))
        })
        .min_by_key(|(distance, _)| *distance)
        .map_or(Judged::Other, |(_, k)| Judged::Typo(k))
}

/// How many edits (a letter added, dropped, changed or two swapped) away
/// from `known` a value still counts as its typo: one for a short value,
/// where two edits reach unrelated words (`me`, `api`), two otherwise.
fn typo_distance(known: &str) -> usize {
    if known.chars().count() <= 4 { 1 } else { 2 }
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
            Platform::Chatwoot(ChatwootListing::Contacts(_)) => "chatwoot contacts",
            Platform::Chatwoot(ChatwootListing::Messages(_)) => "chatwoot messages",
            Platform::Chatwoot(ChatwootListing::Backup(_)) => "chatwoot backup",
            Platform::Chatbotx(ChatbotxListing::Conversations(_)) => "chatbotx conversations",
            Platform::Chatbotx(ChatbotxListing::Contacts(_)) => "chatbotx contacts",
            Platform::Chatbotx(ChatbotxListing::Messages(_)) => "chatbotx messages",
            Platform::Chatbotx(ChatbotxListing::Backup(_)) => "chatbotx backup",
            Platform::Export(_) => "export",
        }
    }

    /// The output options of a listing export; `None` for the backups and
    /// the export of a backup.
    pub fn export_options(&self) -> Option<&ExportOptions> {
        match self {
            Platform::Chatwoot(ChatwootListing::Conversations(c)) => Some(&c.export),
            Platform::Chatwoot(ChatwootListing::Contacts(c)) => Some(&c.export),
            Platform::Chatwoot(ChatwootListing::Messages(c)) => Some(&c.export),
            Platform::Chatbotx(ChatbotxListing::Conversations(c)) => Some(&c.export),
            Platform::Chatbotx(ChatbotxListing::Contacts(c)) => Some(&c.export),
            Platform::Chatbotx(ChatbotxListing::Messages(c)) => Some(&c.export),
            Platform::Chatwoot(ChatwootListing::Backup(_))
            | Platform::Chatbotx(ChatbotxListing::Backup(_))
            | Platform::Export(_) => None,
        }
    }

    /// The listing and its filters in words, for messages and as the
    /// identity a checkpoint is saved with: two commands with the same
    /// description walk the same items in the same order. Output options
    /// and concurrency are not part of it, since they do not change which
    /// items come, nor in what order.
    pub fn describe(&self) -> String {
        let mut filters: Vec<String> = Vec::new();
        let subject = match self {
            Platform::Chatwoot(ChatwootListing::Conversations(c)) => {
                if let Some(status) = &c.status {
                    filters.push(format!("status={status}"));
                }
                if let Some(assignee_type) = &c.assignee_type {
                    filters.push(format!("assignee-type={assignee_type}"));
                }
                for label in &c.labels {
                    filters.push(format!("label={label:?}"));
                }
                if let Some(inbox_id) = c.inbox_id {
                    filters.push(format!("inbox-id={inbox_id}"));
                }
                if let Some(team_id) = c.team_id {
                    filters.push(format!("team-id={team_id}"));
                }
                if let Some(query) = &c.query {
                    filters.push(format!("query={query:?}"));
                }
                format!("chatwoot conversations of account {}", c.account_id)
            }
            Platform::Chatwoot(ChatwootListing::Contacts(c)) => {
                if let Some(sort) = &c.sort {
                    filters.push(format!("sort={sort}"));
                }
                for label in &c.labels {
                    filters.push(format!("label={label:?}"));
                }
                if c.no_contact_inboxes {
                    filters.push("no-contact-inboxes".to_owned());
                }
                format!("chatwoot contacts of account {}", c.account_id)
            }
            Platform::Chatwoot(ChatwootListing::Messages(c)) => {
                if c.filter_internal_messages {
                    filters.push("filter-internal-messages".to_owned());
                }
                format!(
                    "chatwoot messages of conversation {} of account {}",
                    c.conversation_id, c.account_id
                )
            }
            Platform::Chatbotx(ChatbotxListing::Conversations(c)) => {
                if let Some(channel) = &c.channel {
                    filters.push(format!("channel={channel}"));
                }
                for status in &c.status {
                    filters.push(format!("status={status}"));
                }
                for tag in &c.tags {
                    filters.push(format!("tag={tag}"));
                }
                if let Some(keyword) = &c.keyword {
                    filters.push(format!("keyword={keyword:?}"));
                }
                if let Some(enabled) = c.bot_enabled {
                    filters.push(format!("bot-enabled={enabled}"));
                }
                if let Some(assigned) = &c.assigned_id {
                    filters.push(format!("assigned-id={assigned}"));
                }
                if c.all_states {
                    filters.push("all-states".to_owned());
                }
                "chatbotx conversations".to_owned()
            }
            Platform::Chatbotx(ChatbotxListing::Contacts(c)) => {
                if let Some(channel) = &c.channel {
                    filters.push(format!("channel={channel}"));
                }
                if let Some(per_page) = c.per_page {
                    filters.push(format!("per-page={per_page}"));
                }
                "chatbotx contacts".to_owned()
            }
            Platform::Chatbotx(ChatbotxListing::Messages(c)) => {
                format!("chatbotx messages of contact {}", c.contact)
            }
            other => other.name().to_owned(),
        };
        if filters.is_empty() {
            subject
        } else {
            format!("{subject} with {}", filters.join(", "))
        }
    }

    /// The environment variable of the base URL.
    pub fn base_url_variable(&self) -> &'static str {
        match self {
            Platform::Chatwoot(_) | Platform::Export(_) => CHATWOOT_BASE_URL_VARIABLE,
            Platform::Chatbotx(_) => CHATBOTX_BASE_URL_VARIABLE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn long_help(path: &[&str]) -> String {
        let mut command = Cli::command();
        let mut current = &mut command;
        for name in path {
            current = current.find_subcommand_mut(name).unwrap();
        }
        current.render_long_help().to_string()
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("chatdesk").chain(args.iter().copied()))
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_says_what_the_servers_really_do_with_the_filters() {
        let help = long_help(&["chatbotx", "conversations"]);
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
        let help = long_help(&["chatbotx", "contacts"]);
        assert!(help.contains("accept but"), "{help}");
    }

    #[test]
    fn backup_help_has_examples_and_rate_limits_parse() {
        let help = long_help(&["chatwoot", "backup"]);
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
    fn the_help_says_where_the_token_and_the_account_id_are() {
        let top = long_help(&[]);
        let chatwoot = long_help(&["chatwoot"]);
        let chatbotx = long_help(&["chatbotx"]);
        for (help, needles) in [
            (
                &top,
                &[
                    "CHATWOOT_API_ACCESS_TOKEN",
                    "CHATWOOT_BASE_URL",
                    "CHATBOTX_TOKEN",
                    "CHATBOTX_BASE_URL",
                    "Profile settings",
                    "\"Access Token\"",
                    "/app/accounts/",
                    "Settings -> API",
                    "cbx_",
                    "https://app.chatbotx.io/api",
                    "--allow-insecure-http",
                ][..],
            ),
            (
                &chatwoot,
                &[
                    "CHATWOOT_API_ACCESS_TOKEN",
                    "CHATWOOT_BASE_URL",
                    "Profile settings",
                    "/app/accounts/",
                    "contacts",
                    "messages",
                ],
            ),
            (
                &chatbotx,
                &[
                    "CHATBOTX_TOKEN",
                    "CHATBOTX_BASE_URL",
                    "Settings -> API",
                    "cbx_",
                    "https://app.chatbotx.io/api",
                ],
            ),
        ] {
            for needle in needles {
                assert!(help.contains(needle), "{needle:?} not in: {help}");
            }
        }
    }

    /// Every listing the top-level help promises exists on both platforms.
    #[test]
    fn every_promised_export_is_a_command() {
        for platform in ["chatwoot", "chatbotx"] {
            for listing in ["conversations", "contacts", "messages", "backup"] {
                let command = Cli::command();
                assert!(
                    command
                        .find_subcommand(platform)
                        .and_then(|p| p.find_subcommand(listing))
                        .is_some(),
                    "no `{platform} {listing}`"
                );
            }
        }
    }

    #[test]
    fn enum_options_list_the_spec_values() {
        fn names<E: Display>(known: &[E]) -> Vec<String> {
            known.iter().map(ToString::to_string).collect()
        }
        for (path, known) in [
            (
                &["chatwoot", "conversations"][..],
                names(chatwoot::Status::KNOWN),
            ),
            (
                &["chatwoot", "conversations"],
                names(chatwoot::AssigneeType::KNOWN),
            ),
            (
                &["chatwoot", "contacts"],
                names(chatwoot::enums::ContactSort::KNOWN),
            ),
            (
                &["chatbotx", "conversations"],
                names(chatbotx::Channel::KNOWN),
            ),
            (
                &["chatbotx", "conversations"],
                names(chatbotx::Status::KNOWN),
            ),
            (&["chatbotx", "contacts"], names(chatbotx::Channel::KNOWN)),
        ] {
            let help = long_help(path);
            for value in known {
                assert!(help.contains(&value), "{value:?} not in: {help}");
            }
        }
    }

    #[test]
    fn options_are_offered_where_they_do_something() {
        let conversations = long_help(&["chatwoot", "conversations"]);
        for needle in ["Filters:", "Output:", "--force", "[default: 12]"] {
            assert!(
                conversations.contains(needle),
                "{needle:?} not in: {conversations}"
            );
        }
        for path in [
            &["chatwoot", "contacts"][..],
            &["chatbotx", "contacts"],
            &["chatwoot", "backup"],
            &["chatbotx", "backup"],
        ] {
            assert!(long_help(path).contains("--concurrency"), "{path:?}");
        }
        for path in [
            &["chatwoot", "messages"][..],
            &["chatbotx", "messages"],
            &["chatbotx", "conversations"],
            &["export"],
        ] {
            assert!(!long_help(path).contains("--concurrency"), "{path:?}");
        }
        for path in [
            &["chatwoot", "backup"][..],
            &["chatbotx", "backup"],
            &["export"],
        ] {
            let help = long_help(path);
            for option in ["--output", "--checkpoint", "--max-items", "--force"] {
                assert!(!help.contains(option), "{option} in {path:?}");
            }
        }
        // The README's forms: global options before the platform, export
        // options after the listing.
        assert!(
            parse(&[
                "--demo",
                "chatwoot",
                "backup",
                "--account-id",
                "1",
                "--db",
                "d.db"
            ])
            .is_ok()
        );
        assert!(parse(&["chatbotx", "conversations", "--concurrency", "2"]).is_err());
        assert!(parse(&["chatbotx", "backup", "--db", "d.db", "--output", "x"]).is_err());
        let cli = parse(&[
            "--quiet",
            "chatwoot",
            "contacts",
            "--account-id",
            "1",
            "--output",
            "c.jsonl",
            "--force",
            "--base-url",
            "https://chat.example.com",
        ])
        .unwrap();
        assert!(cli.global.quiet);
        assert!(cli.global.base_url.is_some());
        assert!(cli.platform.export_options().is_some_and(|o| o.force));
    }

    #[test]
    fn an_option_given_where_it_no_longer_belongs_gets_a_tip() {
        let error = parse(&["--output", "x.jsonl", "chatbotx", "contacts"]).unwrap_err();
        let tip = moved_option_tip(&error).unwrap();
        assert!(tip.contains("goes after the listing"), "{tip}");
        let error = parse(&["chatbotx", "backup", "--db", "d.db", "--max-items=3"]).unwrap_err();
        assert!(moved_option_tip(&error).unwrap().contains("--max-items"));
        let error = parse(&[
            "chatbotx",
            "messages",
            "--contact",
            "id:1",
            "--concurrency",
            "2",
        ])
        .unwrap_err();
        assert!(moved_option_tip(&error).unwrap().contains("page number"));
        let error = parse(&["chatbotx", "contacts", "--nonsense"]).unwrap_err();
        assert_eq!(moved_option_tip(&error), None);
    }

    #[test]
    fn values_the_spec_does_not_list_are_taken_unless_typos() {
        let names = |known: &[chatbotx::Channel]| -> Vec<String> {
            known.iter().map(ToString::to_string).collect()
        };
        let channels = names(chatbotx::Channel::KNOWN);
        assert_eq!(judge("zalo", &channels), Judged::Known);
        assert_eq!(judge("line", &channels), Judged::Other);
        assert_eq!(judge("fax", &channels), Judged::Other);
        assert_eq!(judge("zaloo", &channels), Judged::Typo("zalo"));
        assert_eq!(judge("Zalo", &channels), Judged::Typo("zalo"));
        assert_eq!(judge("telgram", &channels), Judged::Typo("telegram"));
        assert_eq!(judge("whatsap", &channels), Judged::Typo("whatsapp"));
        let statuses: Vec<String> = chatbotx::Status::KNOWN
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(judge("followup", &statuses), Judged::Typo("followUp"));

        let cli = parse(&[
            "chatwoot",
            "conversations",
            "--account-id",
            "1",
            "--status",
            "closed",
        ])
        .unwrap();
        let Platform::Chatwoot(ChatwootListing::Conversations(c)) = &cli.platform else {
            panic!("not chatwoot conversations");
        };
        assert_eq!(c.status.as_ref().map(|s| s.as_str()), Some("closed"));
        assert!(!c.status.as_ref().unwrap().is_known());

        let error = parse(&["chatbotx", "contacts", "--channel", "zaloo"])
            .unwrap_err()
            .to_string();
        assert!(error.contains("did you mean \"zalo\"?"), "{error}");
        let error = parse(&[
            "chatwoot",
            "conversations",
            "--account-id",
            "1",
            "--status",
            "opne",
        ])
        .unwrap_err()
        .to_string();
        assert!(error.contains("did you mean \"open\"?"), "{error}");
        assert!(
            error.contains("all, open, resolved, pending, snoozed"),
            "{error}"
        );
        let sorted = parse(&[
            "chatwoot",
            "contacts",
            "--account-id",
            "1",
            "--sort",
            "-name",
        ]);
        assert!(sorted.is_ok());
    }

    #[test]
    fn exports_are_described_in_words() {
        let described = |args: &[&str]| parse(args).unwrap().platform.describe();
        assert_eq!(
            described(&[
                "chatwoot",
                "conversations",
                "--account-id",
                "1",
                "--status",
                "all"
            ]),
            "chatwoot conversations of account 1 with status=all"
        );
        assert_eq!(
            described(&[
                "chatbotx",
                "contacts",
                "--channel",
                "zalo",
                "--per-page",
                "20"
            ]),
            "chatbotx contacts with channel=zalo, per-page=20"
        );
        assert_eq!(
            described(&[
                "chatwoot",
                "messages",
                "--account-id",
                "2",
                "--conversation-id",
                "7"
            ]),
            "chatwoot messages of conversation 7 of account 2"
        );
        assert_eq!(
            described(&[
                "chatbotx",
                "messages",
                "--contact",
                "id:5",
                "--max-items",
                "3"
            ]),
            "chatbotx messages of contact id:5"
        );
    }
}
