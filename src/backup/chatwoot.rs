//! The backup of one Chatwoot account: which listings fill which table, in
//! what order, and how a sync finds what changed.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::attachments::{Attachments, UrlPaths};
use super::copy::{Engine, Save, StopBefore, Walk, one_row, plain_id, position_of};
use super::plan::{self, Kind, Stage};
use super::run::{BackupError, Options, Progress, Report};
use super::store::{Store, SyncState};
use super::tables::{self, chatwoot as t};
use crate::chatwoot::Client;
use crate::chatwoot::types::{
    ContactSort, ConversationFilter, ConversationFilterOperator, ConversationSortBy, FilterValue,
    StatusFilter,
};
use crate::paginate::Position;

/// A backup of one Chatwoot account into a [`Store`]: the first run copies
/// everything, a run after an interrupted one continues it, and a run after
/// a complete one reads only what changed.
///
/// What a run reads:
/// - the small tables whole, every run: `inboxes`, `agents`, `teams` and
///   each team's `team_members`, `labels`, `custom_attribute_definitions`;
/// - `conversations` of every status, oldest first (`sort_by=created_at_asc`,
///   an order that activity does not reshuffle); a sync asks for those
///   updated since the last run (`updated_within`, or the filter on
///   `last_activity_at` after a long gap);
/// - every message of every conversation by the `after` keyset, many
///   conversations at once; a sync reads on from the last message stored
///   of each changed conversation (a new message, a status change and an
///   edit all touch the conversation);
/// - with [`Options::attachments`], every message attachment
///   (`attachments[].data_url`) downloaded once into the directory;
/// - `contacts`; a sync reads the newest and the most recently active
///   ones until it meets what the last run saw. Chatwoot cannot list
///   contacts edited since a time, nor report deleted items or edits to
///   old messages: run with [`Options::full`] now and then for those.
///   Anonymous visitors, whom the contact listing leaves out, are in each
///   conversation's `meta.sender`.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use chatdesk::backup::{ChatwootBackup, MemoryStore};
///
/// let client = chatdesk::chatwoot::Client::builder()
///     .base_url("https://chat.example.com")
///     .api_access_token(std::env::var("CHATWOOT_API_ACCESS_TOKEN")?)
///     .build()?;
/// let mut store = MemoryStore::new();
/// let report = ChatwootBackup::new(client, 1).run(&mut store, &mut ()).await?;
/// println!("{:?}: {} requests", report.kind, report.requests);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ChatwootBackup {
    client: Client,
    account_id: i64,
    options: Options,
}

/// The resources' names in the `sync_state` table.
const CONVERSATIONS: &str = "conversations";
const MESSAGES: &str = "messages";
const CONTACTS: &str = "contacts";

/// Where a message carries its attachments' URLs: `attachments[].data_url`
/// (and `attachment.data_url`, the reference pages' shape).
const ATTACHMENT_URLS: UrlPaths = &[
    &["attachments", "*", "data_url"],
    &["attachment", "data_url"],
];

impl ChatwootBackup {
    /// A backup of account `account_id` through `client`, with the default
    /// [`Options`].
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// let backup = chatdesk::backup::ChatwootBackup::new(client, 1);
    /// # }
    /// ```
    pub fn new(client: Client, account_id: i64) -> Self {
        ChatwootBackup {
            client,
            account_id,
            options: Options::default(),
        }
    }

    /// Replaces the options.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatwoot::Client) {
    /// use chatdesk::backup::{ChatwootBackup, Options};
    /// let backup = ChatwootBackup::new(client, 1).options(Options::default().with_full(true));
    /// # }
    /// ```
    #[must_use]
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Runs the backup into `store`, telling `progress` after every page.
    /// Each page's rows commit with the position that follows them: stop
    /// it at any moment and run it again to continue.
    ///
    /// ```no_run
    /// # async fn f(client: chatdesk::chatwoot::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let mut store = chatdesk::backup::MemoryStore::new();
    /// chatdesk::backup::ChatwootBackup::new(client, 1).run(&mut store, &mut ()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn run<S: Store>(
        &self,
        store: &mut S,
        progress: &mut dyn Progress,
    ) -> Result<Report, BackupError<S::Error>> {
        let account = format!("Chatwoot account {}", self.account_id);
        let keys: &'static [&'static str] = if self.options.keep_secrets {
            &[]
        } else {
            crate::chatwoot::CREDENTIAL_KEYS
        };
        plan::open(store, tables::CHATWOOT, &account)?;
        let stages = [
            plan::stage(store, &t::CONVERSATIONS, CONVERSATIONS, &self.options)?,
            plan::stage(store, &t::CONTACTS, CONTACTS, &self.options)?,
        ];
        let kind = plan::kind(store, &stages, MESSAGES, &self.options)?;
        let mut engine = Engine::new(store, progress, self.client.stats().clone(), keys);
        engine.clock(CONVERSATIONS, &["last_activity_at", "updated_at"]);
        engine.clock(CONTACTS, &["created_at", "last_activity_at"]);
        let run = plan::start(&mut engine, "chatwoot", kind)?;
        let result = self.steps(&mut engine, &stages).await;
        plan::end(&mut engine, run, kind, self.options.keep_secrets, result)
    }

    async fn steps<S: Store>(
        &self,
        engine: &mut Engine<'_, S>,
        stages: &[Stage; 2],
    ) -> Result<(), BackupError<S::Error>> {
        self.small_tables(engine).await?;
        let changed = self.conversations(engine, &stages[0]).await?;
        let mut attachments = Attachments::begin(
            engine,
            &t::MESSAGES,
            &t::ATTACHMENTS,
            ATTACHMENT_URLS,
            &self.options,
        )?;
        self.messages(engine, &changed, attachments.as_mut())
            .await?;
        if let Some(attachments) = attachments {
            attachments.run(engine).await?;
        }
        self.contacts(engine, &stages[1]).await?;
        for stage in stages {
            plan::finish(engine, stage)?;
        }
        Ok(())
    }

    /// The tables read whole on every run.
    async fn small_tables<S: Store>(
        &self,
        engine: &mut Engine<'_, S>,
    ) -> Result<(), BackupError<S::Error>> {
        let cw = &self.client;
        let account = self.account_id;
        let whole = [
            (&t::INBOXES, cw.list_inboxes(account).pages_raw()),
            (&t::AGENTS, cw.list_agents(account).pages_raw()),
            (&t::LABELS, cw.list_labels(account).pages_raw()),
            (
                &t::CUSTOM_ATTRIBUTE_DEFINITIONS,
                cw.list_custom_attribute_definitions(account).pages_raw(),
            ),
        ];
        for (table, pages) in whole {
            plan::whole(engine, table, pages).await?;
        }
        let mut teams = Vec::new();
        engine
            .walk(
                t::TEAMS.name,
                &t::TEAMS,
                vec![Walk {
                    scope: String::new(),
                    pages: cw.list_teams(account).pages_raw(),
                }],
                1,
                &Save::Never,
                None,
                &one_row,
                &mut |_, item| teams.push(plain_id(item)),
            )
            .await?;
        engine.done(t::TEAMS.name);
        let walks = teams
            .into_iter()
            .filter_map(|team| {
                let id = team.parse::<i64>().ok()?;
                Some(Walk {
                    pages: cw.list_team_members(account, id).pages_raw(),
                    scope: team,
                })
            })
            .collect();
        engine
            .walk(
                t::TEAM_MEMBERS.name,
                &t::TEAM_MEMBERS,
                walks,
                self.options.concurrency,
                &Save::Never,
                None,
                &|team, item, rows| {
                    rows.main(format!("{team}:{}", plain_id(item)), item.json().to_owned())
                },
                &mut |_, _| {},
            )
            .await?;
        engine.done(t::TEAM_MEMBERS.name);
        Ok(())
    }

    /// Conversations: the whole listing oldest first, or, in a sync, those
    /// updated since the watermark. Returns the ids read by a sync.
    async fn conversations<S: Store>(
        &self,
        engine: &mut Engine<'_, S>,
        stage: &Stage,
    ) -> Result<BTreeSet<String>, BackupError<S::Error>> {
        let cw = &self.client;
        let mut changed = BTreeSet::new();
        let walk = match stage.kind {
            Kind::Walk { ref from, .. } => cw
                .list_conversations(self.account_id)
                .status(StatusFilter::All)
                .sort_by(ConversationSortBy::CreatedAtAsc)
                .concurrency(self.options.page_concurrency())
                .resume(from),
            Kind::Sync { since, gap } => {
                let gap = Duration::from_secs(u64::try_from(gap).unwrap_or(0).max(1));
                if gap <= self.options.updated_within_max {
                    cw.list_conversations(self.account_id)
                        .status(StatusFilter::All)
                        .updated_within(gap)
                } else {
                    // The filter compares dates (UTC days): a day more.
                    let day = chrono::DateTime::from_timestamp(since - 86_400, 0)
                        .map(|t| t.format("%Y-%m-%d").to_string())
                        .unwrap_or_default();
                    return self
                        .filtered_conversations(engine, day, &mut changed)
                        .await
                        .map(|()| changed);
                }
            }
        };
        engine
            .walk(
                CONVERSATIONS,
                &t::CONVERSATIONS,
                vec![Walk {
                    scope: String::new(),
                    pages: walk.pages_raw(),
                }],
                1,
                &stage.save,
                None,
                &one_row,
                &mut |_, item| {
                    changed.insert(plain_id(item));
                },
            )
            .await?;
        engine.done(CONVERSATIONS);
        Ok(changed)
    }

    /// A long gap's sync: the filter on `last_activity_at` after `day`.
    async fn filtered_conversations<S: Store>(
        &self,
        engine: &mut Engine<'_, S>,
        day: String,
        changed: &mut BTreeSet<String>,
    ) -> Result<(), BackupError<S::Error>> {
        let condition = ConversationFilter {
            attribute_key: "last_activity_at".into(),
            filter_operator: ConversationFilterOperator::IsGreaterThan,
            values: vec![FilterValue::String(day)],
            query_operator: None,
            custom_attribute_type: None,
        };
        let pages = self
            .client
            .filter_conversations(self.account_id)
            .payload([condition])
            .pages_raw();
        engine
            .walk(
                CONVERSATIONS,
                &t::CONVERSATIONS,
                vec![Walk {
                    scope: String::new(),
                    pages,
                }],
                1,
                &Save::Never,
                None,
                &one_row,
                &mut |_, item| {
                    changed.insert(plain_id(item));
                },
            )
            .await?;
        engine.done(CONVERSATIONS);
        Ok(())
    }

    /// Messages of every conversation whose walk is not complete, and of
    /// every conversation in `changed`, each from its saved position;
    /// each message stored is noted for the attachment step.
    async fn messages<S: Store>(
        &self,
        engine: &mut Engine<'_, S>,
        changed: &BTreeSet<String>,
        mut attachments: Option<&mut Attachments>,
    ) -> Result<(), BackupError<S::Error>> {
        let states: BTreeMap<String, SyncState> = engine
            .store
            .states(MESSAGES)
            .map_err(BackupError::Store)?
            .into_iter()
            .collect();
        let full = self.options.full;
        let mut walks = Vec::new();
        plan::each_id(engine, &t::CONVERSATIONS, |id| {
            let state = states.get(id);
            let complete = state.is_some_and(|s| s.complete);
            if complete && !full && !changed.contains(id) {
                return;
            }
            let Ok(conversation) = id.parse::<i64>() else {
                return;
            };
            let from = match state.and_then(position_of) {
                Some(position) if !full => position,
                _ => Position::Start,
            };
            walks.push(Walk {
                scope: id.to_owned(),
                pages: self
                    .client
                    .list_messages(self.account_id, conversation)
                    .resume(&from)
                    .pages_raw(),
            });
        })?;
        let save = Save::Each { began: plan::now() };
        engine
            .walk(
                MESSAGES,
                &t::MESSAGES,
                walks,
                self.options.concurrency,
                &save,
                None,
                &one_row,
                &mut |_, item| {
                    if let Some(attachments) = attachments.as_deref_mut() {
                        attachments.note(item);
                    }
                },
            )
            .await?;
        engine.done(MESSAGES);
        Ok(())
    }

    /// Contacts: the whole listing, or, in a sync, the newest and the most
    /// recently active until both reach the watermark.
    async fn contacts<S: Store>(
        &self,
        engine: &mut Engine<'_, S>,
        stage: &Stage,
    ) -> Result<(), BackupError<S::Error>> {
        let cw = &self.client;
        match stage.kind {
            Kind::Walk { ref from, .. } => {
                let walk = Walk {
                    scope: String::new(),
                    pages: cw
                        .list_contacts(self.account_id)
                        .concurrency(self.options.page_concurrency())
                        .resume(from)
                        .pages_raw(),
                };
                engine
                    .walk(
                        CONTACTS,
                        &t::CONTACTS,
                        vec![walk],
                        1,
                        &stage.save,
                        None,
                        &one_row,
                        &mut |_, _| {},
                    )
                    .await?;
            }
            Kind::Sync { since, .. } => {
                // Newest first, then most recently active first (contacts
                // never active come last there, so the first walk finds
                // them), each until a page is older than the watermark.
                let sorts = [
                    (ContactSort::CreatedAtDesc, "created_at"),
                    (ContactSort::LastActivityAtDesc, "last_activity_at"),
                ];
                for (sort, field) in sorts {
                    let walk = Walk {
                        scope: String::new(),
                        pages: cw
                            .list_contacts(self.account_id)
                            .sort(sort)
                            .concurrency(1)
                            .pages_raw(),
                    };
                    let stop = StopBefore {
                        field,
                        limit: since,
                    };
                    engine
                        .walk(
                            CONTACTS,
                            &t::CONTACTS,
                            vec![walk],
                            1,
                            &Save::Never,
                            Some(stop),
                            &one_row,
                            &mut |_, _| {},
                        )
                        .await?;
                }
            }
        }
        engine.done(CONTACTS);
        Ok(())
    }
}
