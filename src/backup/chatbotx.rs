//! The backup of one ChatbotX workspace: which listings fill which table,
//! in what order, and how a sync finds what changed.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::attachments::{Attachments, UrlPaths};
use super::copy::{Engine, Rows, Save, StopBefore, Walk, one_row, plain_id, position_of};
use super::plan::{self, Kind, Stage};
use super::run::{BackupError, Options, Progress, Report};
use super::store::{Store, SyncState};
use super::tables::{self, chatbotx as t};
use crate::chatbotx::listings::ListConversations;
use crate::chatbotx::types::{ContactInclude, SortField};
use crate::chatbotx::{Client, Identifier};
use crate::listing::ListOperation;
use crate::paginate::Position;
use crate::raw::RawItem;

/// A backup of one ChatbotX workspace (the token's) into a [`Store`]: the
/// first run copies everything, a run after an interrupted one continues
/// it, and a run after a complete one reads only what changed.
///
/// What a run reads, spending as few of the 120 requests per 10 seconds as
/// it can:
/// - the small tables whole, every run: `tags`, `custom_fields`,
///   `bot_fields`, `teams`, `channels`, `members`;
/// - `conversations` in every state (archived ones and those of blocked
///   contacts included); a sync reads each state's newest activity first
///   until it meets what the last run saw;
/// - `contacts`, 50 to a request, each with its tags and custom field
///   values (`include[]=tags&include[]=customFields`), which fill
///   `contact_tags` and `contact_custom_fields` without a request per
///   contact (a server whose listing leaves them out is asked per
///   contact); a sync reads the most recently updated first until it
///   meets the watermark;
/// - every message of every contact: one request per contact is the floor
///   of a first backup; a sync reads the newest messages of the contacts
///   whose conversation or record changed, until it meets the watermark;
/// - with [`Options::attachments`], every message attachment
///   (`attachments[].url`) downloaded once into the directory.
///
/// ChatbotX reports no deletions, and a tag removed from a contact leaves
/// its `contact_tags` row: run with [`Options::full`] now and then.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use chatdesk::backup::{ChatbotxBackup, MemoryStore};
///
/// let client = chatdesk::chatbotx::Client::builder()
///     .token(std::env::var("CHATBOTX_TOKEN")?)
///     .build()?;
/// let mut store = MemoryStore::new();
/// let report = ChatbotxBackup::new(client).run(&mut store, &mut ()).await?;
/// println!("{:?}: {} requests", report.kind, report.requests);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ChatbotxBackup {
    client: Client,
    options: Options,
}

/// The resources' names in the `sync_state` table.
const CONVERSATIONS: &str = "conversations";
const CONTACTS: &str = "contacts";
const MESSAGES: &str = "messages";

/// Where a message carries its attachments' URLs: `attachments[].url`
/// (presigned when the file is in the platform's storage).
const ATTACHMENT_URLS: UrlPaths = &[&["attachments", "*", "url"]];

/// Where the contact listing carries a contact's tags and custom field
/// values (asked for with `include[]`).
const TAGS_KEY: &str = "tags";
const FIELDS_KEY: &str = "contactCustomFields";

impl ChatbotxBackup {
    /// A backup of the token's workspace through `client`, with the
    /// default [`Options`].
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// let backup = chatdesk::backup::ChatbotxBackup::new(client);
    /// # }
    /// ```
    pub fn new(client: Client) -> Self {
        ChatbotxBackup {
            client,
            options: Options::default(),
        }
    }

    /// Replaces the options.
    ///
    /// ```no_run
    /// # fn f(client: chatdesk::chatbotx::Client) {
    /// use chatdesk::backup::{ChatbotxBackup, Options};
    /// let backup = ChatbotxBackup::new(client).options(Options::default().with_full(true));
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
    /// # async fn f(client: chatdesk::chatbotx::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let mut store = chatdesk::backup::MemoryStore::new();
    /// chatdesk::backup::ChatbotxBackup::new(client).run(&mut store, &mut ()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn run<S: Store>(
        &self,
        store: &mut S,
        progress: &mut dyn Progress,
    ) -> Result<Report, BackupError<S::Error>> {
        let keys: &'static [&'static str] = if self.options.keep_secrets {
            &[]
        } else {
            crate::chatbotx::CREDENTIAL_KEYS
        };
        plan::open(
            store,
            tables::CHATBOTX,
            "the ChatbotX workspace of the token",
        )?;
        let stages = [
            plan::stage(store, &t::CONVERSATIONS, CONVERSATIONS, &self.options)?,
            plan::stage(store, &t::CONTACTS, CONTACTS, &self.options)?,
            plan::stage(store, &t::MESSAGES, MESSAGES, &self.options)?,
        ];
        let kind = plan::kind(store, &stages[..2], MESSAGES, &self.options)?;
        let mut engine = Engine::new(store, progress, self.client.stats().clone(), keys);
        engine.clock(CONVERSATIONS, &["lastActivityAt", "updatedAt"]);
        engine.clock(CONTACTS, &["updatedAt", "createdAt"]);
        engine.clock(MESSAGES, &["createdAt"]);
        let run = plan::start(&mut engine, "chatbotx", kind)?;
        let result = self.steps(&mut engine, &stages).await;
        plan::end(&mut engine, run, kind, self.options.keep_secrets, result)
    }

    async fn steps<S: Store>(
        &self,
        engine: &mut Engine<'_, S>,
        stages: &[Stage; 3],
    ) -> Result<(), BackupError<S::Error>> {
        self.small_tables(engine).await?;
        let mut changed = self.conversations(engine, &stages[0]).await?;
        changed.extend(self.contacts(engine, &stages[1]).await?);
        let mut attachments = Attachments::begin(
            engine,
            &t::MESSAGES,
            &t::ATTACHMENTS,
            ATTACHMENT_URLS,
            &self.options,
        )?;
        self.messages(engine, &stages[2], &changed, attachments.as_mut())
            .await?;
        if let Some(attachments) = attachments {
            attachments.run(engine).await?;
        }
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
        let cbx = &self.client;
        let whole = [
            (&t::TAGS, cbx.list_tags().pages_raw()),
            (&t::CUSTOM_FIELDS, cbx.list_custom_fields().pages_raw()),
            (&t::BOT_FIELDS, cbx.list_bot_fields().pages_raw()),
            (&t::TEAMS, cbx.list_teams().pages_raw()),
            (&t::CHANNELS, cbx.list_channels().pages_raw()),
            (&t::MEMBERS, cbx.list_members().pages_raw()),
        ];
        for (table, pages) in whole {
            plan::whole(engine, table, pages).await?;
        }
        Ok(())
    }

    /// Conversations of every state. Returns the contacts whose
    /// conversation a sync found changed.
    async fn conversations<S: Store>(
        &self,
        engine: &mut Engine<'_, S>,
        stage: &Stage,
    ) -> Result<BTreeSet<String>, BackupError<S::Error>> {
        let cbx = &self.client;
        let mut contacts = BTreeSet::new();
        // A sync's pages also hold older conversations: only those active
        // or updated since the watermark have new messages to read.
        let since = match stage.kind {
            Kind::Sync { since, .. } => since,
            Kind::Walk { .. } => i64::MIN,
        };
        let mut seen = |_: &str, item: &RawItem| {
            if !newer(item, &["lastActivityAt", "updatedAt"], since) {
                return;
            }
            if let Some(contact) = field(item, "contactId") {
                contacts.insert(contact);
            }
        };
        match stage.kind {
            Kind::Walk { ref from } => {
                let walk = Walk {
                    scope: String::new(),
                    pages: cbx
                        .list_conversations()
                        .all_states()
                        .resume(from)
                        .pages_raw(),
                };
                engine
                    .walk(
                        CONVERSATIONS,
                        &t::CONVERSATIONS,
                        vec![walk],
                        1,
                        &stage.save,
                        None,
                        &one_row,
                        &mut seen,
                    )
                    .await?;
                contacts.clear();
            }
            Kind::Sync { since, .. } => {
                // Each state's view is newest activity first: read each
                // until a page is older than the watermark.
                let views = ListConversations::SPEC.views.map_or(1, |v| v.views.len());
                for view in 0..views {
                    let start = Position::View {
                        view: u32::try_from(view).unwrap_or(0),
                        position: Box::new(Position::Start),
                    };
                    let walk = Walk {
                        scope: String::new(),
                        pages: cbx
                            .list_conversations()
                            .all_states()
                            .resume(&start)
                            .pages_raw(),
                    };
                    let stop = StopBefore {
                        field: "lastActivityAt",
                        limit: since,
                    };
                    engine
                        .walk(
                            CONVERSATIONS,
                            &t::CONVERSATIONS,
                            vec![walk],
                            1,
                            &Save::Never,
                            Some(stop),
                            &one_row,
                            &mut seen,
                        )
                        .await?;
                }
            }
        }
        engine.done(CONVERSATIONS);
        Ok(contacts)
    }

    /// Contacts with their tags and custom field values. Returns the
    /// contacts a sync found changed.
    async fn contacts<S: Store>(
        &self,
        engine: &mut Engine<'_, S>,
        stage: &Stage,
    ) -> Result<BTreeSet<String>, BackupError<S::Error>> {
        let included = [
            ContactInclude::from("tags"),
            ContactInclude::from("customFields"),
        ];
        let listing = self.client.list_contacts().include(included);
        let (listing, stop) = match stage.kind {
            Kind::Walk { ref from } => (
                listing
                    .concurrency(self.options.page_concurrency())
                    .resume(from),
                None,
            ),
            Kind::Sync { since, .. } => (
                listing
                    .sort([SortField {
                        id: "updatedAt".into(),
                        desc: true,
                    }])
                    .concurrency(1),
                Some(StopBefore {
                    field: "updatedAt",
                    limit: since,
                }),
            ),
        };
        let since = match stage.kind {
            Kind::Sync { since, .. } => since,
            Kind::Walk { .. } => i64::MIN,
        };
        let mut changed = BTreeSet::new();
        // Contacts whose item lacks its tags or fields: asked per contact.
        let mut bare = Vec::new();
        let walk = Walk {
            scope: String::new(),
            pages: listing.pages_raw(),
        };
        engine
            .walk(
                CONTACTS,
                &t::CONTACTS,
                vec![walk],
                1,
                &stage.save,
                stop,
                &contact_rows,
                &mut |_, item| {
                    let id = plain_id(item);
                    if !has_relations(item) {
                        bare.push(id.clone());
                    }
                    if newer(item, &["updatedAt", "createdAt"], since) {
                        changed.insert(id);
                    }
                },
            )
            .await?;
        engine.done(CONTACTS);
        self.relations_per_contact(engine, bare).await?;
        if let Kind::Walk { .. } = stage.kind {
            changed.clear();
        }
        Ok(changed)
    }

    /// Tags and custom field values read per contact, for a server whose
    /// contact listing does not carry them.
    async fn relations_per_contact<S: Store>(
        &self,
        engine: &mut Engine<'_, S>,
        contacts: Vec<String>,
    ) -> Result<(), BackupError<S::Error>> {
        if contacts.is_empty() {
            return Ok(());
        }
        let cbx = &self.client;
        let child = |contact: &str, item: &RawItem, rows: &mut Rows| {
            rows.main(
                format!("{contact}:{}", plain_id(item)),
                item.json().to_owned(),
            );
        };
        let tags = contacts
            .iter()
            .map(|c| Walk {
                scope: c.clone(),
                pages: cbx.list_contact_tags(Identifier::id(c)).pages_raw(),
            })
            .collect();
        engine
            .walk(
                t::CONTACT_TAGS.name,
                &t::CONTACT_TAGS,
                tags,
                self.options.concurrency,
                &Save::Never,
                None,
                &child,
                &mut |_, _| {},
            )
            .await?;
        let fields = contacts
            .iter()
            .map(|c| Walk {
                scope: c.clone(),
                pages: cbx
                    .list_contact_custom_fields(Identifier::id(c))
                    .pages_raw(),
            })
            .collect();
        engine
            .walk(
                t::CONTACT_CUSTOM_FIELDS.name,
                &t::CONTACT_CUSTOM_FIELDS,
                fields,
                self.options.concurrency,
                &Save::Never,
                None,
                &child,
                &mut |_, _| {},
            )
            .await?;
        Ok(())
    }

    /// Every message of every contact not yet complete; in a sync, the
    /// newest messages of the contacts in `changed`. Each message stored
    /// is noted for the attachment step.
    async fn messages<S: Store>(
        &self,
        engine: &mut Engine<'_, S>,
        stage: &Stage,
        changed: &BTreeSet<String>,
        mut attachments: Option<&mut Attachments>,
    ) -> Result<(), BackupError<S::Error>> {
        let mut note = |_: &str, item: &RawItem| {
            if let Some(attachments) = attachments.as_deref_mut() {
                attachments.note(item);
            }
        };
        let states: BTreeMap<String, SyncState> = engine
            .store
            .states(MESSAGES)
            .map_err(BackupError::Store)?
            .into_iter()
            .filter(|(scope, _)| !scope.is_empty())
            .collect();
        let cbx = &self.client;
        let full = self.options.full;
        // Every contact with a conversation, listed or not: the message
        // listing answers 404 for a contact without one.
        let mut contacts = BTreeSet::new();
        plan::each_row(engine, &t::CONVERSATIONS, |_, json| {
            if let Some(contact) = serde_json::from_str::<Value>(json)
                .ok()
                .and_then(|v| v.get("contactId").and_then(id_text))
            {
                contacts.insert(contact);
            }
        })?;
        let mut walks = Vec::new();
        let mut newest = Vec::new();
        for id in &contacts {
            let id = id.as_str();
            let state = states.get(id);
            let listing = || cbx.list_contact_messages(Identifier::id(id));
            match state {
                Some(s) if s.complete && !full => {
                    if changed.contains(id) {
                        newest.push(Walk {
                            scope: id.to_owned(),
                            pages: listing().pages_raw(),
                        });
                    }
                }
                Some(s) if !full => {
                    let from = position_of(s).unwrap_or(Position::Start);
                    walks.push(Walk {
                        scope: id.to_owned(),
                        pages: listing().resume(&from).pages_raw(),
                    });
                }
                _ => walks.push(Walk {
                    scope: id.to_owned(),
                    pages: listing().pages_raw(),
                }),
            }
        }
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
                &mut note,
            )
            .await?;
        if let Kind::Sync { since, .. } = stage.kind {
            let stop = StopBefore {
                field: "createdAt",
                limit: since,
            };
            engine
                .walk(
                    MESSAGES,
                    &t::MESSAGES,
                    newest,
                    self.options.concurrency,
                    &Save::Never,
                    Some(stop),
                    &one_row,
                    &mut note,
                )
                .await?;
        }
        engine.done(MESSAGES);
        Ok(())
    }
}

/// A contact's row, and its tags and custom field values as rows of their
/// tables, keyed `"<contact id>:<item id>"`.
fn contact_rows(_scope: &str, item: &RawItem, rows: &mut Rows) {
    let id = plain_id(item);
    rows.main(id.clone(), item.json().to_owned());
    let Ok(value) = serde_json::from_str::<Value>(item.json()) else {
        return;
    };
    for (key, table, item_key) in [
        (TAGS_KEY, &t::CONTACT_TAGS, "id"),
        (FIELDS_KEY, &t::CONTACT_CUSTOM_FIELDS, "id"),
    ] {
        for child in value
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(child_id) = child.get(item_key).and_then(id_text) else {
                continue;
            };
            rows.other(table, format!("{id}:{child_id}"), child.to_string());
        }
    }
}

/// Whether an item's time at any of `fields` is `since` or later.
fn newer(item: &RawItem, fields: &[&str], since: i64) -> bool {
    since == i64::MIN || super::copy::newest_time(item, fields).is_some_and(|t| t >= since)
}

/// Whether a contact item carries its tags and custom field values.
fn has_relations(item: &RawItem) -> bool {
    serde_json::from_str::<Value>(item.json()).is_ok_and(|v| {
        v.get(TAGS_KEY).is_some_and(Value::is_array)
            && v.get(FIELDS_KEY).is_some_and(Value::is_array)
    })
}

/// An id value as text.
fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A top-level field of an item, as text.
fn field(item: &RawItem, name: &str) -> Option<String> {
    let value: Value = serde_json::from_str(item.json()).ok()?;
    id_text(value.get(name)?)
}
