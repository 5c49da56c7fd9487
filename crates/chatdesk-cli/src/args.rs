//! The command line: global options, one subcommand per listing, and the
//! parsers that refuse a filter value the platform does not list.

use std::path::PathBuf;

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

/// Export conversations, contacts and messages from Chatwoot or ChatbotX
/// as JSON Lines: one item per line, exactly as the server sent it.
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
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: Option<u16>,

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

/// The platform to export from.
#[derive(Debug, Subcommand)]
pub enum Platform {
    /// Chatwoot (cloud or self-hosted).
    #[command(subcommand)]
    Chatwoot(ChatwootListing),
    /// ChatbotX.
    #[command(subcommand)]
    Chatbotx(ChatbotxListing),
}

/// What to export from Chatwoot.
#[derive(Debug, Subcommand)]
pub enum ChatwootListing {
    /// The conversations of an account.
    Conversations(ChatwootConversations),
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
    /// The platform of the library, for its environment variables.
    pub fn platform(&self) -> chatdesk::Platform {
        match self {
            Platform::Chatwoot(_) => chatdesk::Platform::Chatwoot,
            Platform::Chatbotx(_) => chatdesk::Platform::Chatbotx,
        }
    }

    /// What the export is of, for messages: "chatwoot conversations".
    pub fn name(&self) -> &'static str {
        match self {
            Platform::Chatwoot(ChatwootListing::Conversations(_)) => "chatwoot conversations",
            Platform::Chatbotx(ChatbotxListing::Conversations(_)) => "chatbotx conversations",
            Platform::Chatbotx(ChatbotxListing::Contacts(_)) => "chatbotx contacts",
            Platform::Chatbotx(ChatbotxListing::Messages(_)) => "chatbotx messages",
        }
    }

    /// The environment variable of the base URL.
    pub fn base_url_variable(&self) -> &'static str {
        match self {
            Platform::Chatwoot(_) => "CHATWOOT_BASE_URL",
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
