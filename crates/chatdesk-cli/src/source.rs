//! Where the items come from: the server and token of the command line (or
//! the in-process demo server), and the listing with its filters, as a
//! stream of raw pages that starts where a checkpoint left off.

use std::path::{Path, PathBuf};

use chatdesk::paginate::{PageStream, Position};
use chatdesk::{RawItem, Stats, chatbotx, chatwoot};
use chatdesk_fake::{FakeChatbotx, FakeChatwoot, RunningFake};

use crate::args::{ChatbotxListing, ChatwootListing, Cli, Platform};
use crate::failure::Failure;

/// The account the demo's Chatwoot data set belongs to.
const DEMO_ACCOUNT: i64 = 1;

/// The server an export talks to.
pub enum Server {
    /// A real server: its base URL (`None`: the library's default) and the
    /// token. The token goes straight to the client builder, which keeps it
    /// as a secret.
    Remote {
        base_url: Option<String>,
        token: String,
        /// Extra headers (`--header-file`), as secret as the token.
        headers: Vec<(String, String)>,
        /// The file the token was read from (`--token-file`), or `None`
        /// for the environment: a refused token's message names it.
        token_file: Option<PathBuf>,
        /// `--allow-insecure-http`.
        allow_insecure_http: bool,
    },
    /// The fake server of `--demo`, running in this process until dropped.
    Demo(RunningFake),
}

impl Server {
    /// The server of the command line: the demo, or the base URL and token
    /// from the options and the environment.
    pub async fn from_command_line(cli: &Cli) -> Result<Server, Failure> {
        let platform = &cli.platform;
        if cli.global.token.is_some() {
            return Err(Failure::usage(format!(
                "--token is not accepted, because arguments are visible to every user of the \
                 machine; set {} or pass --token-file PATH",
                platform.platform().token_variable()
            )));
        }
        if cli.global.demo {
            if cli.global.base_url.is_some() {
                return Err(Failure::usage(
                    "--demo serves its own data set; leave out --base-url",
                ));
            }
            return start_demo(platform).await.map(Server::Demo);
        }
        let base_url = cli.global.base_url.clone().or_else(|| {
            std::env::var(platform.base_url_variable())
                .ok()
                .filter(|url| !url.trim().is_empty())
        });
        if base_url.is_none() && matches!(platform, Platform::Chatwoot(_)) {
            return Err(Failure::usage(format!(
                "no Chatwoot server given: pass --base-url URL or set {} (or try --demo)",
                platform.base_url_variable()
            )));
        }
        let token = match &cli.global.token_file {
            Some(path) => token_from_file(path)?,
            None => token_from_environment(platform.platform())?,
        };
        let headers = match &cli.global.header_file {
            Some(path) => headers_from_file(path)?,
            None => Vec::new(),
        };
        Ok(Server::Remote {
            base_url,
            token,
            headers,
            token_file: cli.global.token_file.clone(),
            allow_insecure_http: cli.global.allow_insecure_http,
        })
    }

    /// What identifies the credentials in a checkpoint without revealing
    /// them: the first 16 hex digits of the token's SHA-256. A resume with
    /// another token (another workspace, perhaps) is refused by it.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let (_, token, _) = self.endpoint();
        let digest = Sha256::digest(token.as_bytes());
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }

    /// What identifies the server in a checkpoint and in messages: its
    /// base URL, or "the demo server". Never the token.
    pub fn label(&self) -> String {
        match self {
            Server::Remote {
                base_url: Some(url),
                ..
            } => url.trim_end_matches('/').to_string(),
            Server::Remote { base_url: None, .. } => chatbotx::DEFAULT_BASE_URL.to_string(),
            Server::Demo(_) => "the demo server".to_string(),
        }
    }

    /// What to add to a failure's message: in the demo, which ids exist.
    pub fn hint(&self, platform: &Platform) -> String {
        let Server::Demo(fake) = self else {
            return String::new();
        };
        match platform {
            Platform::Chatwoot(_) | Platform::Export(_) => {
                let some: Vec<String> = fake.conversation_ids().into_iter().take(3).collect();
                format!(
                    "The demo serves account {DEMO_ACCOUNT} (--account-id {DEMO_ACCOUNT}), whose \
                     conversations include {}",
                    some.join(", ")
                )
            }
            Platform::Chatbotx(_) => {
                let some: Vec<String> = fake
                    .contact_ids()
                    .into_iter()
                    .take(3)
                    .map(|id| format!("id:{id}"))
                    .collect();
                format!("The demo's contacts include {}", some.join(", "))
            }
        }
    }

    /// Whether this is the demo's fake server.
    pub fn is_demo(&self) -> bool {
        matches!(self, Server::Demo(_))
    }

    /// A Chatwoot client for this server, with `rate_limit` if any.
    pub fn chatwoot_client(
        &self,
        rate_limit: Option<chatdesk::rate_limit::RateLimit>,
    ) -> Result<chatwoot::Client, Failure> {
        let (base_url, token, headers) = self.endpoint();
        let mut builder = chatwoot::Client::builder()
            .api_access_token(token)
            .on_retry(crate::progress::retry_line);
        if let Some(url) = base_url {
            builder = builder.base_url(url);
        }
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        if let Some(limit) = rate_limit {
            builder = builder.rate_limit(limit);
        }
        if self.allows_insecure_http() {
            builder = builder.allow_insecure_http();
        }
        builder.build().map_err(|e| self.failure(e))
    }

    /// A ChatbotX client for this server, with `rate_limit` if any.
    pub fn chatbotx_client(
        &self,
        rate_limit: Option<chatdesk::rate_limit::RateLimit>,
    ) -> Result<chatbotx::Client, Failure> {
        let (base_url, token, headers) = self.endpoint();
        let mut builder = chatbotx::Client::builder()
            .token(token)
            .on_retry(crate::progress::retry_line);
        if let Some(url) = base_url {
            builder = builder.base_url(url);
        }
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        if let Some(limit) = rate_limit {
            builder = builder.rate_limit(limit);
        }
        if self.allows_insecure_http() {
            builder = builder.allow_insecure_http();
        }
        builder.build().map_err(|e| self.failure(e))
    }

    /// Whether `--allow-insecure-http` was given.
    fn allows_insecure_http(&self) -> bool {
        matches!(
            self,
            Server::Remote {
                allow_insecure_http: true,
                ..
            }
        )
    }

    /// The failure of a library call on this server, in the command's
    /// terms: a refused plain-http base URL says to add
    /// `--allow-insecure-http` (the library, not knowing the command,
    /// names its builder method), and a refused token read from
    /// `--token-file` names the file rather than the environment variable.
    pub fn failure(&self, error: chatdesk::Error) -> Failure {
        let Server::Remote {
            base_url,
            token_file,
            allow_insecure_http,
            ..
        } = self
        else {
            return Failure::from_library(error);
        };
        if let (chatdesk::Error::Config(_), Some(url), false) =
            (&error, base_url, allow_insecure_http)
            && let Some(host) = chatdesk::client::insecure_http_host(url)
        {
            return Failure::usage(format!(
                "the base URL uses plain http to {host}, which is not this machine, so the \
                 token would travel unencrypted; use https, or add --allow-insecure-http if \
                 the network is one you trust"
            ));
        }
        match token_file {
            Some(path) => Failure::from_library_with_token_file(error, path),
            None => Failure::from_library(error),
        }
    }

    /// The base URL, token and extra headers to build a client with.
    fn endpoint(&self) -> (Option<String>, String, Vec<(String, String)>) {
        match self {
            Server::Remote {
                base_url,
                token,
                headers,
                ..
            } => (base_url.clone(), token.clone(), headers.clone()),
            Server::Demo(fake) => (Some(fake.base_url()), fake.token().to_string(), Vec::new()),
        }
    }
}

/// The pages of an export and the counters of the client that fetches them.
pub struct Listing {
    /// Raw pages, from the resume position on.
    pub pages: PageStream<RawItem>,
    /// Requests and retries so far.
    pub stats: Stats,
}

/// The listing of the command line on `server`, starting at `resume`, at
/// most `max_items` items.
pub fn open(
    cli: &Cli,
    server: &Server,
    resume: &Position,
    max_items: Option<u64>,
) -> Result<Listing, Failure> {
    match &cli.platform {
        Platform::Chatwoot(ChatwootListing::Backup(_))
        | Platform::Chatbotx(ChatbotxListing::Backup(_))
        | Platform::Export(_) => Err(Failure::usage(format!(
            "{} is not a listing",
            cli.platform.name()
        ))),
        Platform::Chatwoot(listing) => {
            let client = server.chatwoot_client(None)?;
            let pages = match listing {
                ChatwootListing::Conversations(filters) => {
                    let mut request = client.conversations(filters.account_id).resume(resume);
                    if let Some(status) = &filters.status {
                        request = request.status(status.clone());
                    }
                    if let Some(assignee_type) = &filters.assignee_type {
                        request = request.assignee_type(assignee_type.clone());
                    }
                    request = request.labels(filters.labels.iter().cloned());
                    if let Some(inbox_id) = filters.inbox_id {
                        request = request.inbox_id(inbox_id);
                    }
                    if let Some(team_id) = filters.team_id {
                        request = request.team_id(team_id);
                    }
                    if let Some(query) = &filters.query {
                        request = request.query(query.clone());
                    }
                    request = request.concurrency(usize::from(filters.concurrency));
                    if let Some(max_items) = max_items {
                        request = request.max_items(max_items);
                    }
                    request.pages_raw()
                }
                ChatwootListing::Contacts(filters) => {
                    let mut request = client.list_contacts(filters.account_id).resume(resume);
                    if let Some(sort) = &filters.sort {
                        request = request.sort(sort.clone());
                    }
                    if !filters.labels.is_empty() {
                        request = request.labels(filters.labels.iter().cloned());
                    }
                    if filters.no_contact_inboxes {
                        request = request.include_contact_inboxes(false);
                    }
                    request = request.concurrency(usize::from(filters.concurrency));
                    if let Some(max_items) = max_items {
                        request = request.max_items(max_items);
                    }
                    request.pages_raw()
                }
                ChatwootListing::Messages(filters) => {
                    let mut request = client
                        .list_messages(filters.account_id, filters.conversation_id)
                        .resume(resume);
                    // The server filters on the parameter's presence, even
                    // `false`: send it only when asked.
                    if filters.filter_internal_messages {
                        request = request.filter_internal_messages(true);
                    }
                    if let Some(max_items) = max_items {
                        request = request.max_items(max_items);
                    }
                    request.pages_raw()
                }
                ChatwootListing::Backup(_) => {
                    return Err(Failure::usage("chatwoot backup is not a listing"));
                }
            };
            Ok(Listing {
                pages,
                stats: client.stats().clone(),
            })
        }
        Platform::Chatbotx(listing) => {
            let client = server.chatbotx_client(None)?;
            let pages = match listing {
                ChatbotxListing::Conversations(filters) => {
                    let mut request = client.conversations().resume(resume);
                    if let Some(channel) = &filters.channel {
                        request = request.channel(channel.clone());
                    }
                    request = request
                        .status(filters.status.iter().cloned())
                        .tags(filters.tags.iter().cloned());
                    if let Some(keyword) = &filters.keyword {
                        request = request.keyword(keyword.clone());
                    }
                    if let Some(enabled) = filters.bot_enabled {
                        request = request.bot_enabled(enabled);
                    }
                    if let Some(user) = &filters.assigned_id {
                        request = request.assigned_id(user.clone());
                    }
                    if filters.all_states {
                        request = request.all_states();
                    }
                    if let Some(max_items) = max_items {
                        request = request.max_items(max_items);
                    }
                    request.pages_raw()
                }
                ChatbotxListing::Contacts(filters) => {
                    let mut request = client.contacts().resume(resume);
                    if let Some(channel) = &filters.channel {
                        request = request.channel(channel.clone());
                    }
                    if let Some(per_page) = filters.per_page {
                        request = request.per_page(i64::try_from(per_page).unwrap_or(i64::MAX));
                    }
                    request = request.concurrency(usize::from(filters.concurrency));
                    if let Some(max_items) = max_items {
                        request = request.max_items(max_items);
                    }
                    request.pages_raw()
                }
                ChatbotxListing::Backup(_) => {
                    return Err(Failure::usage("chatbotx backup is not a listing"));
                }
                ChatbotxListing::Messages(filters) => {
                    let mut request = client
                        .contact_messages(filters.contact.clone())
                        .resume(resume);
                    if let Some(max_items) = max_items {
                        request = request.max_items(max_items);
                    }
                    request.pages_raw()
                }
            };
            Ok(Listing {
                pages,
                stats: client.stats().clone(),
            })
        }
    }
}

/// Starts the demo's fake server for `platform`, with a fixed seed so that
/// every run (and a resumed one) sees the same data set.
async fn start_demo(platform: &Platform) -> Result<RunningFake, Failure> {
    let started = match platform {
        Platform::Chatwoot(_) | Platform::Export(_) => {
            FakeChatwoot::builder()
                .account_id(DEMO_ACCOUNT)
                .conversations(250)
                .seed(2026)
                .start()
                .await
        }
        Platform::Chatbotx(_) => {
            FakeChatbotx::builder()
                .conversations(300)
                .contacts(120)
                .messages_per_contact(30)
                .seed(2026)
                .start()
                .await
        }
    };
    started.map_err(|e| {
        Failure::local(format!(
            "cannot start the demo server on 127.0.0.1: {e}; is the loopback interface up?"
        ))
    })
}

/// The token from the first line of `path`.
fn token_from_file(path: &Path) -> Result<String, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::usage(format!(
            "cannot read the token file {}: {e}",
            path.display()
        ))
    })?;
    let token = text.lines().next().unwrap_or_default().trim();
    if token.is_empty() {
        return Err(Failure::usage(format!(
            "the token file {} is empty; its first line must be the token",
            path.display()
        )));
    }
    Ok(token.to_string())
}

/// Extra headers from `path`: one `Name: value` a line; blank lines and
/// lines starting with `#` are skipped. Values never appear in messages.
fn headers_from_file(path: &Path) -> Result<Vec<(String, String)>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::usage(format!(
            "cannot read the header file {}: {e}",
            path.display()
        ))
    })?;
    let mut headers = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() && !value.trim().is_empty() => {
                headers.push((name.trim().to_string(), value.trim().to_string()));
            }
            _ => {
                return Err(Failure::usage(format!(
                    "line {} of the header file {} is not `Name: value`",
                    number + 1,
                    path.display()
                )));
            }
        }
    }
    Ok(headers)
}

/// The token from the platform's environment variable.
fn token_from_environment(platform: chatdesk::Platform) -> Result<String, Failure> {
    let variable = platform.token_variable();
    match std::env::var(variable) {
        Ok(token) if !token.trim().is_empty() => Ok(token.trim().to_string()),
        _ => Err(Failure::usage(format!(
            "no token: set {variable} or pass --token-file PATH (or try --demo)"
        ))),
    }
}
