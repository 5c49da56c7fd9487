//! The fake ChatbotX: `/api/v1/conversations`, `/api/v1/contacts` and
//! `/api/v1/contacts/{identifier}/messages`.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};

use axum::http::{Method, StatusCode};
use serde::Serialize;
use serde_json::{Value, json};

use super::ChatbotxVersion;
use super::server::query::{base_name, bracket_object, bracket_segments};
use super::server::{Incoming, Reply, read, write};
use super::text::{self, base64_decode, base64_encode, iso_millis, parse_iso_millis, pick, put};

/// The fake's "now" when it starts: 2026-01-14T11:00:00.000Z.
pub(crate) const CLOCK_BASE_MILLIS: i64 = 1_768_388_400_000;
/// Snowflakes start here (2^56): every new id has 17 digits, above 2^53.
const SNOWFLAKE_BASE: u64 = 72_057_594_037_927_936;
/// The snowflake epoch, 2025-01-01T00:00:00Z.
const SNOWFLAKE_EPOCH_MILLIS: i64 = 1_735_689_600_000;
const WORKSPACE: &str = "7";
const DEFAULT_PER_PAGE: u64 = 20;
/// One generated contact in this many is blocked ...
const BLOCKED_EVERY: usize = 20;
/// ... the one at this index in each run of [`BLOCKED_EVERY`] (the newest
/// contact is never blocked).
const BLOCKED_OFFSET: usize = 7;
/// The root tenant's id, which users carry as `tenantId` unless they
/// belong to a reseller's tenant.
const ROOT_TENANT: &str = "1";
/// A reseller's tenant, and the one user of [`USERS`] who belongs to it.
const RESELLER_TENANT: (&str, &str) = ("72057594100663297", "72057594055803393");
const MAX_CONTACTS_PER_PAGE: u64 = 50;

const CHANNELS: &[&str] = &[
    "omnichannel",
    "webchat",
    "messenger",
    "whatsapp",
    "zalo",
    "smtp",
    "telegram",
    "instagram",
    "threads",
    "tiktok",
    "api",
];
const BOT_CATEGORIES: &[&str] = &["bot", "human", "all"];
const FLAGS: &[&str] = &["noAdminReply", "unread", "followUp", "archived", "blocked"];
const INCLUDES: &[&str] = &["tags", "customFields", "inboxes", "conversation"];
const BOOLEANS: &[&str] = &["true", "false"];
const FILTER_OPERATORS: &[&str] = &["and", "or"];
const CONDITION_OPERATORS: &[&str] = &[
    "in",
    "notIn",
    "isEmpty",
    "isNotEmpty",
    "eq",
    "ne",
    "startsWith",
    "endsWith",
    "contains",
    "notContains",
    "lt",
    "lte",
    "gt",
    "gte",
    "isBetween",
    "notBetween",
];

/// (id, name, channel, source id, status)
const INBOXES: &[(&str, &str, &str, Option<&str>, &str)] = &[
    (
        "72057594040000513",
        "Zalo OA VietMart",
        "zalo",
        Some("4318807062113927463"),
        "active",
    ),
    (
        "72057594040001025",
        "VietMart Thailand",
        "messenger",
        Some("104857600123456"),
        "active",
    ),
    (
        "72057594040001537",
        "WhatsApp CSKH",
        "whatsapp",
        Some("84901234567"),
        "active",
    ),
    (
        "72057594040002049",
        "Telegram @vietmart_bot",
        "telegram",
        Some("vietmart_bot"),
        "active",
    ),
    (
        "9",
        "TikTok Shop",
        "tiktok",
        Some("7301234567890"),
        "pending_review",
    ),
    ("72057594040002561", "Webchat", "webchat", None, "active"),
    (
        "72057594040003073",
        "Instagram @vietmart",
        "instagram",
        Some("17841400000000000"),
        "active",
    ),
    (
        "72057594040003585",
        "LINE 公式アカウント",
        "line",
        Some("U1234567890abcdef"),
        "active",
    ),
    (
        "72057594040004097",
        "Email hỗ trợ",
        "smtp",
        Some("support@vietmart.example"),
        "active",
    ),
    ("72057594040004609", "API", "api", None, "active"),
];
/// (id, name, email)
const USERS: &[(&str, &str, &str)] = &[
    (
        "72057594055802881",
        "Phạm Thuỳ Linh",
        "linh.pham@vietmart.example",
    ),
    (
        "72057594055803137",
        "Somsak Chaiyaporn",
        "somsak@vietmart.example",
    ),
    (
        "72057594055803393",
        "伊藤 美穂",
        "miho.ito@vietmart.example",
    ),
    ("12", "Trần Văn Hùng", "hung.tran@vietmart.example"),
];
/// (id, name)
const TEAMS: &[(&str, &str)] = &[
    ("72057594061234177", "Bán hàng miền Nam 🌴"),
    ("72057594061234433", "ทีมซัพพอร์ต"),
    ("31", "サポート"),
];
/// (id, name, folder id)
const TAGS: &[(&str, &str, Option<&str>)] = &[
    (
        "72057594045000001",
        "Khách VIP ⭐",
        Some("72057594044999937"),
    ),
    ("88", "tết-2026", None),
    ("72057594045000257", "ลูกค้าใหม่", Some("72057594044999937")),
    ("72057594045000513", "リピーター", None),
    ("72057594045000769", "cần-gọi-lại", None),
];

/// What the fake was built with.
pub(crate) struct Config {
    pub(crate) token: String,
    pub(crate) version: ChatbotxVersion,
    /// The `name=value` pair `/v1/conversations` wants in `Cookie`.
    pub(crate) session_cookie: Option<String>,
    /// Conversation pages follow `lastActivityAt < X OR id < Y`.
    pub(crate) broken_cursor: bool,
    /// `status` (conversations), `channels` and `inboxIds` (contacts) are
    /// validated, then not applied.
    pub(crate) ignored_filters: bool,
}

/// How much data to generate.
pub(crate) struct Sizes {
    pub(crate) conversations: usize,
    pub(crate) contacts: usize,
    pub(crate) messages_per_contact: usize,
    pub(crate) seed: u64,
}

/// The contact fields the filters look at.
struct Person {
    id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    full_name: String,
    email: Option<String>,
    phone: Option<String>,
    gender: Option<&'static str>,
    /// (id, name)
    tags: Vec<(&'static str, &'static str)>,
    country: &'static str,
    state: &'static str,
    city: &'static str,
    locale: &'static str,
    timezone: &'static str,
    blocked: bool,
    /// Channels and inbox ids of the contact's inboxes.
    inboxes: Vec<(&'static str, &'static str)>,
}

impl Person {
    /// Whether the conversation listing's `keyword` finds this contact:
    /// `firstName ILIKE '%keyword%' OR lastName ILIKE '%keyword%'`, each
    /// name on its own (a keyword spanning both names finds nothing).
    fn names_match(&self, keyword: &str) -> bool {
        [&self.first_name, &self.last_name]
            .into_iter()
            .flatten()
            .any(|name| ilike_contains(name, keyword))
    }

    /// Name, email and phone, lowercased, for `keyword`.
    fn keyword_text(&self) -> String {
        format!(
            "{}\n{}\n{}",
            self.full_name.to_lowercase(),
            self.email.as_deref().unwrap_or("").to_lowercase(),
            self.phone.as_deref().unwrap_or("")
        )
    }
}

/// A message; its JSON is built when it is served, from its own seed.
struct Message {
    id: u64,
    created: i64,
    seed: u64,
}

struct Contact {
    person: Arc<Person>,
    numeric_id: u64,
    created: i64,
    updated: i64,
    listed: bool,
    /// The contact's own fields, without relations.
    json: Value,
    /// `contactCustomFields`, `tags` and `contactInboxes` (with `inbox`).
    custom_fields: Value,
    tags: Value,
    inboxes: Value,
    /// `contactInboxes` without `inbox`, as conversation listings show them.
    inboxes_plain: Value,
    /// The contact's conversation as contact listings show it.
    conversation: Value,
    /// The id of the contact's own conversation (its messages carry it).
    conversation_id: u64,
    /// The contact inbox its messages came through.
    contact_inbox_id: String,
    /// Newest first.
    messages: Vec<Message>,
}

struct Conversation {
    id: u64,
    last: i64,
    person: Arc<Person>,
    channel: &'static str,
    bot_enabled: bool,
    assigned_user: Option<&'static str>,
    assigned_team: Option<&'static str>,
    archived: bool,
    followed: bool,
    unread: bool,
    no_admin_reply: bool,
    json: Value,
}

impl Conversation {
    /// Whether the default listing shows it: not archived, contact not
    /// blocked.
    fn in_default_view(&self) -> bool {
        !self.archived && !self.person.blocked
    }
}

/// Where the generator is: its random source and the ids it gave out.
struct Generator {
    rng: fastrand::Rng,
    sequence: u64,
    used: HashSet<u64>,
    messages_per_contact: usize,
}

impl Generator {
    /// A fresh 17-digit snowflake for time `millis`. Times before the
    /// epoch (large data sets reach back years) count down from the base,
    /// so every millisecond keeps its own 4,096 ids.
    fn snowflake(&mut self, millis: i64) -> u64 {
        let offset = (millis - SNOWFLAKE_EPOCH_MILLIS).saturating_mul(4096);
        let start = SNOWFLAKE_BASE.saturating_add_signed(offset);
        loop {
            self.sequence += 1;
            let id = start + (self.sequence % 4096);
            if self.used.insert(id) {
                return id;
            }
        }
    }

    /// A short id of an old row, or a fresh snowflake if it is taken.
    fn short_or_snowflake(&mut self, short: u64, millis: i64) -> u64 {
        if self.used.insert(short) {
            short
        } else {
            self.snowflake(millis)
        }
    }
}

struct Data {
    /// Newest first (created descending, id descending); unlisted contacts
    /// (kept only for conversations when no contact is listed) last.
    contacts: Vec<Contact>,
    /// Newest activity first, then id descending.
    conversations: Vec<Conversation>,
    generator: Generator,
    list_new_contacts: bool,
}

/// The ChatbotX fake's data and settings.
pub(crate) struct Fake {
    pub(crate) config: Config,
    data: RwLock<Data>,
}

fn sort_conversations(conversations: &mut [Conversation]) {
    conversations.sort_by(|a, b| b.last.cmp(&a.last).then(b.id.cmp(&a.id)));
}

impl Fake {
    /// Generates the data set of `sizes`.
    pub(crate) fn generate(config: Config, sizes: &Sizes) -> Fake {
        let mut generator = Generator {
            rng: fastrand::Rng::with_seed(sizes.seed),
            sequence: 0,
            used: HashSet::new(),
            messages_per_contact: sizes.messages_per_contact,
        };
        let visible = sizes.conversations;
        let archived = visible.div_ceil(20);
        let total = visible + archived;
        let archived_blocked = visible.div_ceil(50);
        let listed = sizes.contacts;
        let unlisted = if listed == 0 { total } else { 0 };
        let old = if listed >= 10 { listed.div_ceil(30) } else { 0 };
        let mut short = 10 + 8 * old as u64;

        let mut contacts = Vec::with_capacity(listed + unlisted);
        let mut created = CLOCK_BASE_MILLIS - generator.rng.i64(1_000..600_000);
        for index in 0..listed + unlisted {
            let is_old = index < listed && index >= listed - old;
            if is_old && index == listed - old {
                // Old rows date from the year before.
                created -= 400 * 86_400_000;
            }
            let short_id = is_old.then(|| {
                let id = short;
                short = short.saturating_sub(generator.rng.u64(1..=7)).max(1);
                id
            });
            let newest = created + generator.rng.i64(0..=(CLOCK_BASE_MILLIS - created).max(0));
            contacts.push(make_contact(
                &mut generator,
                ContactPlan {
                    created,
                    newest,
                    short_id,
                    listed: index < listed,
                    blocked: blocked_at(index),
                },
            ));
            created -= generator.rng.i64(60_000..4_000_000);
        }

        let conversations = deal_conversations(
            &mut generator,
            &mut contacts,
            &Deal {
                visible,
                archived,
                archived_blocked,
            },
        );
        Fake {
            config,
            data: RwLock::new(Data {
                contacts,
                conversations,
                generator,
                list_new_contacts: listed > 0,
            }),
        }
    }

    /// The conversations an unfiltered listing returns, in its order.
    pub(crate) fn conversation_ids(&self) -> Vec<String> {
        read(&self.data)
            .conversations
            .iter()
            .filter(|c| c.in_default_view())
            .map(|c| c.id.to_string())
            .collect()
    }

    /// Every conversation of the four views, in listing order.
    pub(crate) fn all_conversation_ids(&self) -> Vec<String> {
        read(&self.data)
            .conversations
            .iter()
            .map(|c| c.id.to_string())
            .collect()
    }

    /// The listed contacts, in listing order.
    pub(crate) fn contact_ids(&self) -> Vec<String> {
        read(&self.data)
            .contacts
            .iter()
            .filter(|c| c.listed)
            .map(|c| c.person.id.clone())
            .collect()
    }

    /// The messages of one contact, newest first.
    pub(crate) fn message_ids(&self, contact_id: &str) -> Vec<String> {
        let id = contact_id.strip_prefix("id:").unwrap_or(contact_id);
        read(&self.data)
            .contacts
            .iter()
            .find(|c| c.person.id == id)
            .map(|c| c.messages.iter().map(|m| m.id.to_string()).collect())
            .unwrap_or_default()
    }

    /// New contacts, each with a conversation newer than any other.
    pub(crate) fn add_at_top(&self, count: usize, now: i64) {
        let mut guard = write(&self.data);
        let data = &mut *guard;
        let mut last = data
            .conversations
            .iter()
            .map(|c| c.last)
            .max()
            .unwrap_or(0)
            .max(now - 1);
        let mut created = data.contacts.first().map_or(0, |c| c.created).max(now - 1);
        let listed = data.list_new_contacts;
        for _ in 0..count {
            last += 1;
            created += 1;
            let newest = last.max(created);
            let mut contact = make_contact(
                &mut data.generator,
                ContactPlan {
                    created,
                    newest,
                    short_id: None,
                    listed,
                    blocked: false,
                },
            );
            let conversation =
                make_conversation(&mut data.generator, &mut contact, true, false, Some(last));
            data.contacts.insert(0, contact);
            data.conversations.push(conversation);
        }
        sort_conversations(&mut data.conversations);
    }

    /// Gives conversation `id` activity newer than any other.
    pub(crate) fn touch(&self, id: &str, now: i64) {
        let Ok(id) = id.trim().parse::<u64>() else {
            return;
        };
        let mut guard = write(&self.data);
        let data = &mut *guard;
        let top = data.conversations.iter().map(|c| c.last).max().unwrap_or(0);
        let Some(conversation) = data.conversations.iter_mut().find(|c| c.id == id) else {
            return;
        };
        let last = now.max(top + 1);
        conversation.last = last;
        conversation.unread = true;
        let stamp = json!(iso_millis(last));
        let patch = |value: &mut Value| {
            if let Value::Object(map) = value {
                map.insert("lastActivityAt".into(), stamp.clone());
                map.insert("updatedAt".into(), stamp.clone());
            }
        };
        patch(&mut conversation.json);
        let contact_id = conversation.person.id.clone();
        if let Some(contact) = data.contacts.iter_mut().find(|c| c.person.id == contact_id)
            && contact.conversation.get("id") == Some(&json!(id.to_string()))
        {
            patch(&mut contact.conversation);
        }
        sort_conversations(&mut data.conversations);
    }

    /// Answers one request.
    pub(crate) fn handle(&self, request: &Incoming<'_>) -> Reply {
        let path = request.path.trim_end_matches('/');
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let endpoint = match segments.as_slice() {
            ["api", "v1", "conversations"] => Endpoint::Conversations,
            ["api", "v1", "contacts"] => Endpoint::Contacts,
            ["api", "v1", "contacts", identifier, "messages"] => Endpoint::Messages(identifier),
            _ => return not_found("Not found"),
        };
        if *request.method != Method::GET {
            return not_found("Not found");
        }
        if !self.authorized(request) {
            return match self.config.version {
                ChatbotxVersion::Current => Reply::json(
                    StatusCode::UNAUTHORIZED,
                    &json!({
                        "defined": true,
                        "code": "INVALID_CHATBOT_TOKEN",
                        "status": 401,
                        "message": "Invalid or missing workspace API token",
                    }),
                ),
                ChatbotxVersion::OpenSource => invalid_token_open_source(),
            };
        }
        let checker = Checker {
            version: self.config.version,
            issues: Vec::new(),
        };
        match endpoint {
            Endpoint::Conversations => self.conversations(request, checker),
            Endpoint::Contacts => self.contacts(&request.query, checker),
            Endpoint::Messages(identifier) => self.messages(identifier, &request.query, checker),
        }
    }

    fn authorized(&self, request: &Incoming<'_>) -> bool {
        let token = match request.header("authorization") {
            Some(value) => {
                let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
                if !scheme.eq_ignore_ascii_case("bearer") {
                    return false;
                }
                token.trim().to_string()
            }
            None => match request.query.iter().find(|(k, _)| k == "token") {
                Some((_, token)) => token.clone(),
                None => return false,
            },
        };
        !token.is_empty() && token == self.config.token
    }

    /// Whether `request` carries the session cookie the fake wants, if it
    /// wants one: the exact `name=value` pair among the `Cookie` pairs.
    fn has_session(&self, request: &Incoming<'_>) -> bool {
        let Some(wanted) = self.config.session_cookie.as_deref() else {
            return true;
        };
        request
            .headers
            .get_all("cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .any(|pair| pair.trim() == wanted)
    }

    /// The listing's views, filters and cursor as the server's query
    /// builder has them (apps/builder/src/features/conversations/queries/
    /// list-conversations.query.ts, `buildConversationWhere`):
    ///
    /// - Views: `archivedAt IS NULL` unless `tags` holds `archived`
    ///   (then `IS NOT NULL`), and the contact's `blockedAt IS NULL` unless
    ///   `tags` holds `blocked` (then `IS NOT NULL`). So the four views
    ///   (none, `["archived"]`, `["blocked"]`, `["archived","blocked"]`)
    ///   split the conversations into four disjoint sets: `["archived"]`
    ///   leaves out blocked contacts' archived conversations, and
    ///   `["blocked"]` leaves out their archived ones.
    /// - `assignedId`: `unassigned` (no user and no team), `u_<id>` (that
    ///   user), `t_<id>` (that team); the id is read as JavaScript's
    ///   `BigInt` reads text, and one it cannot read, a bare id or any
    ///   other text filters nothing.
    /// - `keyword`: `firstName` or `lastName` `ILIKE '%keyword%'`, with
    ///   `%` and `_` in the keyword acting as wildcards.
    /// - `status`: validated like `tags`; the server does not apply it
    ///   (the fake does unless `ignored_filters`).
    /// - Cursor: meant as `(lastActivityAt, id) < (X, Y)`, but the
    ///   equality half of the condition hands a `Date` to the ORM, which
    ///   drops it, so the server runs `lastActivityAt < X OR id < Y`
    ///   (`broken_cursor`).
    /// - The session check comes after validation, before any data.
    fn conversations(&self, request: &Incoming<'_>, mut checker: Checker) -> Reply {
        let params = checker.collect(
            &request.query,
            &[
                ("botCategory", Kind::Scalar),
                ("assignedId", Kind::Scalar),
                ("channel", Kind::Scalar),
                ("status", Kind::JsonText),
                ("keyword", Kind::Scalar),
                ("botEnabled", Kind::Scalar),
                ("tags", Kind::JsonText),
                ("contactFilter", Kind::JsonText),
                ("cursor", Kind::Scalar),
                ("perPage", Kind::Scalar),
                ("sort", Kind::JsonText),
            ],
        );
        let per_page = checker.positive(&params, "perPage", DEFAULT_PER_PAGE);
        let bot_category = checker.one_of(&params, "botCategory", BOT_CATEGORIES);
        let channel = checker.one_of(&params, "channel", CHANNELS);
        let bot_enabled = checker
            .one_of(&params, "botEnabled", BOOLEANS)
            .map(|b| b == "true");
        let assignee = Assignee::parse(params.scalar("assignedId"));
        let keyword = params.scalar("keyword").filter(|k| !k.is_empty());
        let mut flags: Vec<&'static str> = Vec::new();
        for name in ["status", "tags"] {
            // Only a JSON array of strings filters; other text is ignored.
            if let Some(Value::Array(items)) = params.json(name) {
                for (index, item) in items.iter().enumerate() {
                    let text = item.as_str().unwrap_or("");
                    match FLAGS.iter().find(|f| **f == text) {
                        Some(_) if name == "status" && self.config.ignored_filters => {}
                        Some(flag) => flags.push(flag),
                        None => {
                            let issue =
                                checker.enum_issue(json!([name, index]), FLAGS, &item.to_string());
                            checker.issues.push(issue);
                        }
                    }
                }
            }
        }
        let contact_filter = match params.json("contactFilter") {
            Some(filter @ Value::Object(_)) => {
                checker.check_filter(&filter, json!(["contactFilter"]));
                Some(filter)
            }
            _ => None,
        };
        let cursor = params.scalar("cursor").and_then(decode_conversation_cursor);
        if let Some(reply) = checker.failure() {
            return reply;
        }
        if !self.has_session(request) {
            return no_session();
        }

        let data = read(&self.data);
        let wants_archived = flags.contains(&"archived");
        let wants_blocked = flags.contains(&"blocked");
        let mut page: Vec<&Conversation> = Vec::new();
        let mut more = false;
        let per_page = usize::try_from(per_page).unwrap_or(usize::MAX);
        for conversation in &data.conversations {
            if let Some((last, id)) = cursor {
                let after = if self.config.broken_cursor {
                    conversation.last < last || conversation.id < id
                } else {
                    (conversation.last, conversation.id) < (last, id)
                };
                if !after {
                    continue;
                }
            }
            let keep = conversation.archived == wants_archived
                && conversation.person.blocked == wants_blocked
                && flags.iter().all(|flag| match *flag {
                    "noAdminReply" => conversation.no_admin_reply,
                    "unread" => conversation.unread,
                    "followUp" => conversation.followed,
                    _ => true,
                })
                && channel.is_none_or(|c| c == "omnichannel" || c == conversation.channel)
                && match bot_category {
                    Some("bot") => conversation.bot_enabled,
                    Some("human") => !conversation.bot_enabled,
                    _ => true,
                }
                && bot_enabled.is_none_or(|b| b == conversation.bot_enabled)
                && assignee.matches(conversation)
                && keyword.is_none_or(|k| conversation.person.names_match(k))
                && contact_filter
                    .as_ref()
                    .is_none_or(|f| filter_matches(f, &conversation.person));
            if !keep {
                continue;
            }
            if page.len() == per_page {
                more = true;
                break;
            }
            page.push(conversation);
        }
        let next_cursor = if more {
            page.last().map(|c| conversation_cursor(c.last, c.id))
        } else {
            None
        };
        let body = CursorBody {
            data: page.iter().map(|c| &c.json).collect(),
            next_cursor,
            // Any text when a cursor was sent; null on the first page.
            prev_cursor: params.scalar("cursor").map(str::to_string),
        };
        Reply::json(StatusCode::OK, &body)
    }

    fn contacts(&self, pairs: &[(String, String)], mut checker: Checker) -> Reply {
        let params = checker.collect(
            pairs,
            &[
                ("page", Kind::Scalar),
                ("perPage", Kind::Scalar),
                ("keyword", Kind::Scalar),
                ("channels", Kind::Array),
                ("inboxIds", Kind::Array),
                ("integrationWhatsappId", Kind::Scalar),
                ("integrationMessengerId", Kind::Scalar),
                ("contactFilter", Kind::Object),
                ("sort", Kind::JsonText),
                ("include", Kind::Array),
                ("withCount", Kind::Scalar),
            ],
        );
        let page = checker.positive(&params, "page", 1);
        let per_page = checker
            .positive(&params, "perPage", DEFAULT_PER_PAGE)
            .min(MAX_CONTACTS_PER_PAGE);
        let with_count = checker.one_of(&params, "withCount", BOOLEANS) != Some("false");
        let keyword = params.scalar("keyword").map(str::to_lowercase);
        let channels = checker.list_of(&params, "channels", Some(CHANNELS));
        let inbox_ids = checker.list_of(&params, "inboxIds", None);
        for (index, id) in inbox_ids.iter().enumerate() {
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
                let issue = checker.pattern_issue(json!(["inboxIds", index]));
                checker.issues.push(issue);
            }
        }
        let include = checker.list_of(&params, "include", Some(INCLUDES));
        let contact_filter = params.filter.clone();
        if let Some(filter) = &contact_filter {
            checker.check_filter(filter, json!(["contactFilter"]));
        }
        let sort = params.json("sort").and_then(|sort| {
            let first = sort.as_array()?.first()?.clone();
            let field = first.get("id")?.as_str()?.to_string();
            let desc = first.get("desc").and_then(Value::as_bool).unwrap_or(false);
            Some((field, desc))
        });
        if let Some(reply) = checker.failure() {
            return reply;
        }

        let data = read(&self.data);
        let mut matching: Vec<&Contact> = data
            .contacts
            .iter()
            .filter(|c| {
                let p = &c.person;
                c.listed
                    && keyword
                        .as_deref()
                        .is_none_or(|k| p.keyword_text().contains(k))
                    && (channels.is_empty()
                        || self.config.ignored_filters
                        || p.inboxes
                            .iter()
                            .any(|(ch, _)| channels.iter().any(|c| c == ch)))
                    && (inbox_ids.is_empty()
                        || self.config.ignored_filters
                        || p.inboxes
                            .iter()
                            .any(|(_, id)| inbox_ids.iter().any(|i| i == id)))
                    && contact_filter.as_ref().is_none_or(|f| filter_matches(f, p))
            })
            .collect();
        if let Some((field, desc)) = sort {
            let key_order = |a: &&Contact, b: &&Contact| match field.as_str() {
                "createdAt" => (a.created, a.numeric_id).cmp(&(b.created, b.numeric_id)),
                "updatedAt" => (a.updated, a.numeric_id).cmp(&(b.updated, b.numeric_id)),
                "fullName" => a.person.full_name.cmp(&b.person.full_name),
                "id" => a.numeric_id.cmp(&b.numeric_id),
                _ => std::cmp::Ordering::Equal,
            };
            if desc {
                matching.sort_by(|a, b| key_order(b, a));
            } else {
                matching.sort_by(key_order);
            }
        }
        let total = matching.len() as u64;
        let per_page_size = usize::try_from(per_page).unwrap_or(usize::MAX);
        let skip = usize::try_from(page - 1)
            .unwrap_or(usize::MAX)
            .saturating_mul(per_page_size);
        let open_source = self.config.version == ChatbotxVersion::OpenSource;
        let wanted: Option<Vec<&str>> = (!open_source && !include.is_empty())
            .then(|| include.iter().map(String::as_str).collect());
        let items: Vec<Value> = matching
            .iter()
            .skip(skip)
            .take(per_page_size)
            .map(|c| c.listing_json(wanted.as_deref()))
            .collect();
        let page_count = if with_count || open_source {
            total.div_ceil(per_page)
        } else {
            0
        };
        let body = ContactsBody {
            data: items,
            page_count,
            total_count: (!open_source).then_some(if with_count { total } else { 0 }),
            total_count_capped: (!open_source).then_some(false),
        };
        Reply::json(StatusCode::OK, &body)
    }

    fn messages(
        &self,
        identifier: &str,
        pairs: &[(String, String)],
        mut checker: Checker,
    ) -> Reply {
        let params = checker.collect(
            pairs,
            &[("perPage", Kind::Scalar), ("cursor", Kind::Scalar)],
        );
        let per_page = if checker.current() {
            MessageLimit::Rows(checker.positive(&params, "perPage", DEFAULT_PER_PAGE))
        } else {
            checker.message_limit(&params)
        };
        if let Some(reply) = checker.failure() {
            return reply;
        }
        let identifier = percent_encoding::percent_decode_str(identifier)
            .decode_utf8_lossy()
            .into_owned();
        let data = read(&self.data);
        let contact = match identifier.split_once(':') {
            Some(("id", id)) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => {
                data.contacts.iter().find(|c| c.person.id == id)
            }
            Some(("email", email)) if !email.is_empty() => data.contacts.iter().find(|c| {
                c.person
                    .email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            }),
            Some(("phone", phone)) if !phone.is_empty() => data
                .contacts
                .iter()
                .find(|c| c.person.phone.as_deref() == Some(phone)),
            _ => None,
        };
        let Some(contact) = contact else {
            return not_found("Contact not found");
        };
        let cursor = match params.scalar("cursor") {
            None => None,
            Some(text) => match decode_message_cursor(text) {
                Some(cursor) => Some(cursor),
                // The server fails on a cursor it cannot read.
                None => return internal_error(),
            },
        };
        let per_page = match per_page {
            MessageLimit::Rows(rows) => usize::try_from(rows).unwrap_or(usize::MAX),
            MessageLimit::Nothing => 0,
            MessageLimit::Fails => return internal_error(),
        };
        let mut rest = contact
            .messages
            .iter()
            .filter(|m| cursor.is_none_or(|position| (m.created, m.id) < position));
        let page: Vec<&Message> = rest.by_ref().take(per_page).collect();
        let more = rest.next().is_some();
        let next_cursor = if more {
            page.last().map(|m| message_cursor(m.created, m.id))
        } else {
            None
        };
        let body = CursorBody {
            data: page.iter().map(|m| contact.message_json(m)).collect(),
            next_cursor,
            prev_cursor: None,
        };
        Reply::json(StatusCode::OK, &body)
    }
}

/// How many messages a page of the message listing holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MessageLimit {
    /// This many.
    Rows(u64),
    /// None, and no cursor (the open-source server: `perPage` 0 or -1).
    Nothing,
    /// The database refuses the limit and the server answers 500 (the
    /// open-source server: a fractional `perPage`, or -2 and below).
    Fails,
}

enum Endpoint<'a> {
    Conversations,
    Contacts,
    Messages(&'a str),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CursorBody<T> {
    data: Vec<T>,
    next_cursor: Option<String>,
    prev_cursor: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContactsBody {
    data: Vec<Value>,
    page_count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_count_capped: Option<bool>,
}

impl Contact {
    /// The JSON of one of the contact's messages.
    fn message_json(&self, message: &Message) -> Value {
        let mut rng = fastrand::Rng::with_seed(message.seed);
        let channel = self.person.inboxes.first().map_or("webchat", |i| i.0);
        message_json(
            &mut rng,
            MessageParts {
                id: message.id,
                at: message.created,
                conversation_id: &self.conversation_id.to_string(),
                contact_inbox_id: &self.contact_inbox_id,
                person: &self.person,
                channel,
            },
        )
    }

    /// The contact as the contact listing shows it; `include` keeps only
    /// some relations.
    fn listing_json(&self, include: Option<&[&str]>) -> Value {
        let mut json = self.json.clone();
        for (relation, key, value) in [
            ("customFields", "contactCustomFields", &self.custom_fields),
            ("tags", "tags", &self.tags),
            ("inboxes", "contactInboxes", &self.inboxes),
            ("conversation", "conversation", &self.conversation),
        ] {
            if include.is_none_or(|wanted| wanted.contains(&relation)) {
                put(&mut json, key, value.clone());
            }
        }
        json
    }
}

/// How a parameter is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One plain value.
    Scalar,
    /// `name[]=a&name[]=b`, `name[0]=a` or a repeated `name`.
    Array,
    /// JSON text in one plain value; every other form is silently ignored.
    JsonText,
    /// Bracket notation; JSON text only on the current server.
    Object,
}

/// The parameters of one request, sorted out.
#[derive(Default)]
struct Params {
    scalars: Vec<(&'static str, String)>,
    arrays: Vec<(&'static str, Vec<String>)>,
    json_text: Vec<(&'static str, String)>,
    filter: Option<Value>,
}

impl Params {
    fn scalar(&self, name: &str) -> Option<&str> {
        self.scalars
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self, name: &str) -> Option<Value> {
        self.json_text
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, text)| serde_json::from_str(text).ok())
    }
}

/// Collects validation issues in the form the server version uses.
struct Checker {
    version: ChatbotxVersion,
    issues: Vec<Value>,
}

impl Checker {
    fn current(&self) -> bool {
        self.version == ChatbotxVersion::Current
    }

    /// Sorts the query pairs out by `spec`, noting unknown keys.
    fn collect(&mut self, pairs: &[(String, String)], spec: &[(&'static str, Kind)]) -> Params {
        let mut params = Params::default();
        let mut seen: Vec<&str> = Vec::new();
        for (key, _) in pairs {
            let base = base_name(key);
            if base == "token" || seen.contains(&base) {
                continue;
            }
            seen.push(base);
            let Some((name, kind)) = spec.iter().find(|(n, _)| *n == base).copied() else {
                self.issues.push(json!({
                    "code": "unrecognized_keys",
                    "keys": [base],
                    "path": [base],
                    "message": format!("Unrecognized key: {base}"),
                }));
                continue;
            };
            let same: Vec<(&str, &str)> = pairs
                .iter()
                .filter(|(k, _)| base_name(k) == base)
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let plain: Vec<&str> = same
                .iter()
                .filter(|(k, _)| *k == base)
                .map(|(_, v)| *v)
                .collect();
            let bracketed = same.len() > plain.len();
            match kind {
                Kind::Scalar => {
                    if plain.len() == 1 && !bracketed {
                        params.scalars.push((name, plain[0].to_string()));
                    } else {
                        let issue = self.type_issue(json!([name]), "string", "array");
                        self.issues.push(issue);
                    }
                }
                Kind::Array => {
                    if plain.len() == 1 && !bracketed {
                        let issue = self.type_issue(json!([name]), "array", "string");
                        self.issues.push(issue);
                    } else {
                        let mut values: Vec<(usize, String)> = same
                            .iter()
                            .enumerate()
                            .map(|(order, (k, v))| {
                                let index = bracket_segments(k)
                                    .and_then(|s| s.first().and_then(|i| i.parse::<usize>().ok()))
                                    .unwrap_or(usize::MAX / 2 + order);
                                (index, (*v).to_string())
                            })
                            .collect();
                        values.sort_by_key(|(i, _)| *i);
                        params
                            .arrays
                            .push((name, values.into_iter().map(|(_, v)| v).collect()));
                    }
                }
                Kind::JsonText => {
                    if plain.len() == 1 && !bracketed {
                        params.json_text.push((name, plain[0].to_string()));
                    }
                }
                Kind::Object => {
                    if bracketed {
                        let segments: Vec<(Vec<&str>, &str)> = same
                            .iter()
                            .filter(|(k, _)| *k != base)
                            .filter_map(|(k, v)| bracket_segments(k).map(|s| (s, *v)))
                            .collect();
                        let object =
                            bracket_object(segments.iter().map(|(s, v)| (s.as_slice(), *v)));
                        params.filter = Some(object);
                    } else if !self.current() {
                        self.issues.push(json!({
                            "code": "invalid_type",
                            "expected": "object",
                            "received": "string",
                            "path": [name],
                            "message": "Expected object, received string",
                        }));
                    } else if plain.len() == 1 {
                        match serde_json::from_str::<Value>(plain[0]) {
                            Ok(value @ Value::Object(_)) => params.filter = Some(value),
                            _ => {
                                let issue = self.type_issue(json!([name]), "object", "string");
                                self.issues.push(issue);
                            }
                        }
                    } else {
                        let issue = self.type_issue(json!([name]), "object", "array");
                        self.issues.push(issue);
                    }
                }
            }
        }
        params
    }

    /// A whole number of at least 1, or `default` when absent.
    fn positive(&mut self, params: &Params, name: &str, default: u64) -> u64 {
        let Some(text) = params.scalar(name) else {
            return default;
        };
        match text.trim().parse::<f64>() {
            Ok(n) if n.is_finite() && n.fract() == 0.0 && n >= 1.0 => n as u64,
            Ok(n) if n.is_finite() && n.fract() == 0.0 => {
                let issue = if self.current() {
                    json!({
                        "origin": "number",
                        "code": "too_small",
                        "minimum": 1,
                        "inclusive": true,
                        "path": [name],
                        "message": "Too small: expected number to be >=1",
                    })
                } else {
                    json!({
                        "code": "too_small",
                        "minimum": 1,
                        "type": "number",
                        "inclusive": true,
                        "exact": false,
                        "message": "Number must be greater than or equal to 1",
                        "path": [name],
                    })
                };
                self.issues.push(issue);
                default
            }
            Ok(n) if n.is_finite() => {
                let issue = self.type_issue(json!([name]), "int", "number");
                self.issues.push(issue);
                default
            }
            _ => {
                let issue = if self.current() {
                    json!({
                        "expected": "number",
                        "code": "invalid_type",
                        "received": "NaN",
                        "path": [name],
                        "message": "Invalid input: expected number, received NaN",
                    })
                } else {
                    json!({
                        "code": "invalid_type",
                        "expected": "number",
                        "received": "nan",
                        "path": [name],
                        "message": "Expected number, received nan",
                    })
                };
                self.issues.push(issue);
                default
            }
        }
    }

    /// The message listing's `perPage` on the open-source server
    /// (apps/builder/src/features/contacts/api/workspace-token.ts): any
    /// number JavaScript's `Number` reads, default 20, which the message
    /// repository queries with `LIMIT perPage + 1` and then cuts to
    /// `perPage`. So 0 and -1 give an empty page and no cursor, while a
    /// fractional number or one below -1 makes PostgreSQL fail (500).
    /// Text that is no number is a validation failure.
    fn message_limit(&mut self, params: &Params) -> MessageLimit {
        let Some(text) = params.scalar("perPage") else {
            return MessageLimit::Rows(DEFAULT_PER_PAGE);
        };
        let n = js_number(text);
        if !n.is_finite() {
            self.issues.push(json!({
                "code": "invalid_type",
                "expected": "number",
                "received": "nan",
                "path": ["perPage"],
                "message": "Expected number, received nan",
            }));
            MessageLimit::Rows(DEFAULT_PER_PAGE)
        } else if n.fract() != 0.0 || n < -1.0 {
            MessageLimit::Fails
        } else if n < 1.0 {
            MessageLimit::Nothing
        } else {
            // Saturates for numbers beyond u64, which is as good as "all".
            MessageLimit::Rows(n as u64)
        }
    }

    /// A scalar that must be one of `allowed`.
    fn one_of(
        &mut self,
        params: &Params,
        name: &str,
        allowed: &'static [&'static str],
    ) -> Option<&'static str> {
        let text = params.scalar(name)?;
        let found = allowed.iter().find(|a| **a == text).copied();
        if found.is_none() {
            let issue = self.enum_issue(json!([name]), allowed, text);
            self.issues.push(issue);
        }
        found
    }

    /// An array parameter, each value one of `allowed` if given.
    fn list_of(
        &mut self,
        params: &Params,
        name: &str,
        allowed: Option<&'static [&'static str]>,
    ) -> Vec<String> {
        let Some((_, values)) = params.arrays.iter().find(|(n, _)| *n == name) else {
            return Vec::new();
        };
        if let Some(allowed) = allowed {
            for (index, value) in values.iter().enumerate() {
                if !allowed.contains(&value.as_str()) {
                    let issue = self.enum_issue(json!([name, index]), allowed, value);
                    self.issues.push(issue);
                }
            }
        }
        values.clone()
    }

    fn type_issue(&self, path: Value, expected: &str, received: &str) -> Value {
        if self.current() {
            json!({
                "expected": expected,
                "code": "invalid_type",
                "path": path,
                "message": format!("Invalid input: expected {expected}, received {received}"),
            })
        } else {
            json!({
                "code": "invalid_type",
                "expected": expected,
                "received": received,
                "path": path,
                "message": format!("Expected {expected}, received {received}"),
            })
        }
    }

    fn enum_issue(&self, path: Value, allowed: &[&str], received: &str) -> Value {
        if self.current() {
            let options: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
            json!({
                "code": "invalid_value",
                "values": allowed,
                "path": path,
                "message": format!("Invalid option: expected one of {}", options.join("|")),
            })
        } else {
            let options: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
            json!({
                "received": received,
                "code": "invalid_enum_value",
                "options": allowed,
                "path": path,
                "message": format!("Invalid enum value. Expected {}, received '{received}'", options.join(" | ")),
            })
        }
    }

    fn pattern_issue(&self, path: Value) -> Value {
        json!({
            "origin": "string",
            "code": "invalid_format",
            "format": "regex",
            "pattern": "/^\\d+$/",
            "path": path,
            "message": "Invalid string: must match pattern /^\\d+$/",
        })
    }

    /// Checks the shape of a contact filter (operators known, conditions a list).
    fn check_filter(&mut self, filter: &Value, path: Value) {
        let at = |extra: &[Value]| {
            let mut p = path.as_array().cloned().unwrap_or_default();
            p.extend(extra.iter().cloned());
            Value::Array(p)
        };
        let Value::Object(map) = filter else {
            let issue = self.type_issue(path.clone(), "object", "string");
            self.issues.push(issue);
            return;
        };
        let operator = map.get("operator").and_then(Value::as_str).unwrap_or("");
        if !FILTER_OPERATORS.contains(&operator) {
            let issue = self.enum_issue(at(&[json!("operator")]), FILTER_OPERATORS, operator);
            self.issues.push(issue);
        }
        let Some(conditions) = map.get("conditions").and_then(Value::as_array) else {
            let issue = self.type_issue(at(&[json!("conditions")]), "array", "undefined");
            self.issues.push(issue);
            return;
        };
        for (index, condition) in conditions.iter().enumerate() {
            if condition.get("type").and_then(Value::as_str) == Some("group") {
                self.check_filter(condition, at(&[json!("conditions"), json!(index)]));
                continue;
            }
            if condition.get("field").and_then(Value::as_str).is_none() {
                let issue = self.type_issue(
                    at(&[json!("conditions"), json!(index), json!("field")]),
                    "string",
                    "undefined",
                );
                self.issues.push(issue);
            }
            let operator = condition
                .get("operator")
                .and_then(Value::as_str)
                .unwrap_or("");
            if !CONDITION_OPERATORS.contains(&operator) {
                let issue = self.enum_issue(
                    at(&[json!("conditions"), json!(index), json!("operator")]),
                    CONDITION_OPERATORS,
                    operator,
                );
                self.issues.push(issue);
            }
        }
    }

    /// The validation error for the issues found, if any.
    fn failure(&mut self) -> Option<Reply> {
        if self.issues.is_empty() {
            return None;
        }
        let issues = std::mem::take(&mut self.issues);
        Some(if self.current() {
            Reply::json(
                StatusCode::UNPROCESSABLE_ENTITY,
                &json!({
                    "defined": true,
                    "code": "invalidRequestData",
                    "status": 422,
                    "message": "Input validation failed",
                    "data": {"issues": issues},
                }),
            )
        } else {
            Reply::json(
                StatusCode::BAD_REQUEST,
                &json!({
                    "defined": false,
                    "code": "BAD_REQUEST",
                    "status": 400,
                    "message": "Input validation failed",
                    "data": {"issues": issues},
                }),
            )
        })
    }
}

/// Whether `person` passes `filter` (`{"operator", "conditions"}`).
fn filter_matches(filter: &Value, person: &Person) -> bool {
    let Some(conditions) = filter.get("conditions").and_then(Value::as_array) else {
        return true;
    };
    let mut results = conditions.iter().map(|c| {
        if c.get("type").and_then(Value::as_str) == Some("group") {
            filter_matches(c, person)
        } else {
            condition_matches(c, person)
        }
    });
    if filter.get("operator").and_then(Value::as_str) == Some("or") {
        conditions.is_empty() || results.any(|r| r)
    } else {
        results.all(|r| r)
    }
}

fn condition_matches(condition: &Value, person: &Person) -> bool {
    let field = condition.get("field").and_then(Value::as_str).unwrap_or("");
    let operator = condition
        .get("operator")
        .and_then(Value::as_str)
        .unwrap_or("");
    let values: Vec<String> = match condition.get("value") {
        Some(Value::Array(items)) => items.iter().map(value_text).collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![value_text(other)],
    };
    let value = values.first().map(|v| v.to_lowercase()).unwrap_or_default();
    if field == "tags" {
        let has = |v: &str| {
            person
                .tags
                .iter()
                .any(|(id, name)| *id == v || name.to_lowercase() == v.to_lowercase())
        };
        return match operator {
            "in" => values.iter().any(|v| has(v)),
            "notIn" => !values.iter().any(|v| has(v)),
            "eq" => has(&value),
            "ne" => !has(&value),
            "contains" => person
                .tags
                .iter()
                .any(|(_, n)| n.to_lowercase().contains(&value)),
            "notContains" => !person
                .tags
                .iter()
                .any(|(_, n)| n.to_lowercase().contains(&value)),
            "isEmpty" => person.tags.is_empty(),
            "isNotEmpty" => !person.tags.is_empty(),
            _ => true,
        };
    }
    let text: Option<&str> = match field {
        "fullName" | "name" => Some(person.full_name.as_str()),
        "firstName" => person.first_name.as_deref(),
        "lastName" => person.last_name.as_deref(),
        "email" => person.email.as_deref(),
        "phone" | "phoneNumber" => person.phone.as_deref(),
        "gender" => person.gender,
        "country" => Some(person.country),
        "state" => Some(person.state),
        "city" => Some(person.city),
        "locale" => Some(person.locale),
        "timezone" => Some(person.timezone),
        // Fields the fake does not model: the condition is not applied.
        _ => return true,
    };
    let text = text.unwrap_or("").to_lowercase();
    match operator {
        "eq" => text == value,
        "ne" => text != value,
        "contains" => text.contains(&value),
        "notContains" => !text.contains(&value),
        "startsWith" => text.starts_with(&value),
        "endsWith" => text.ends_with(&value),
        "in" => values.iter().any(|v| v.to_lowercase() == text),
        "notIn" => !values.iter().any(|v| v.to_lowercase() == text),
        "isEmpty" => text.trim().is_empty(),
        "isNotEmpty" => !text.trim().is_empty(),
        // Comparisons and ranges are not applied to text fields.
        _ => true,
    }
}

/// The digits and radix of a JavaScript `0x`/`0o`/`0b` literal (either
/// case), as `Number()` and `BigInt()` read them.
fn radix_prefixed(text: &str) -> Option<(&str, u32)> {
    [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ]
    .into_iter()
    .find_map(|(prefix, radix)| text.strip_prefix(prefix).map(|digits| (digits, radix)))
}

/// A number as JavaScript's `Number(text)` reads it: surrounding white
/// space dropped, empty text is 0, `0x`/`0o`/`0b` prefixes, `Infinity`;
/// NaN for anything else that is not a decimal number.
fn js_number(text: &str) -> f64 {
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if text.is_empty() {
        return 0.0;
    }
    match text {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    let prefixed = radix_prefixed(text);
    if let Some((digits, radix)) = prefixed {
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return f64::NAN;
        }
        return digits.chars().fold(0.0, |n, c| {
            n * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
        });
    }
    // Rust also reads `inf` and `nan`, which JavaScript does not.
    if text
        .bytes()
        .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E')
    {
        return f64::NAN;
    }
    text.parse().unwrap_or(f64::NAN)
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The conversation listing's `assignedId`, read as the server reads it.
enum Assignee {
    /// Absent, or text the server does not act on (a bare id, an id it
    /// cannot read): no filtering.
    Any,
    /// `unassigned`: neither a user nor a team.
    Unassigned,
    /// `u_<id>`: that user (the id as decimal text).
    User(String),
    /// `t_<id>`: that team (the id as decimal text).
    Team(String),
}

impl Assignee {
    fn parse(text: Option<&str>) -> Assignee {
        let Some(text) = text else {
            return Assignee::Any;
        };
        if text == "unassigned" {
            Assignee::Unassigned
        } else if let Some(id) = text.strip_prefix("u_") {
            parse_bigint_id(id).map_or(Assignee::Any, Assignee::User)
        } else if let Some(id) = text.strip_prefix("t_") {
            parse_bigint_id(id).map_or(Assignee::Any, Assignee::Team)
        } else {
            Assignee::Any
        }
    }

    fn matches(&self, conversation: &Conversation) -> bool {
        match self {
            Assignee::Any => true,
            Assignee::Unassigned => {
                conversation.assigned_user.is_none() && conversation.assigned_team.is_none()
            }
            Assignee::User(id) => conversation.assigned_user == Some(id.as_str()),
            Assignee::Team(id) => conversation.assigned_team == Some(id.as_str()),
        }
    }
}

/// An id as the server's `parseBigIntId` reads it (JavaScript `BigInt` on
/// the text, then back to decimal text): `None` for empty text or text
/// `BigInt` refuses. Surrounding white space is dropped, white space alone
/// is 0, `0x`/`0o`/`0b` prefixes and a sign (decimal only) are read.
/// Values too large for the fake to convert come back as the text itself,
/// which matches no id.
fn parse_bigint_id(text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if text.is_empty() {
        return Some("0".to_string());
    }
    let prefixed = radix_prefixed(text);
    if let Some((digits, radix)) = prefixed {
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        return Some(
            u128::from_str_radix(digits, radix)
                .map_or_else(|_| text.to_string(), |n| n.to_string()),
        );
    }
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    Some(match (digits.is_empty(), negative) {
        (true, _) => "0".to_string(),
        (false, true) => format!("-{digits}"),
        (false, false) => digits.to_string(),
    })
}

/// `text ILIKE '%keyword%'` as PostgreSQL reads it: case-insensitive, `%`
/// any run of characters, `_` any one character, `\` takes the next
/// character as it is.
fn ilike_contains(text: &str, keyword: &str) -> bool {
    enum Token {
        Any,
        One,
        Char(char),
    }
    // The server builds the pattern `%keyword%` as text, so a keyword that
    // ends with a backslash escapes the closing `%`.
    let full = format!("%{keyword}%");
    let mut chars = full.chars().flat_map(char::to_lowercase);
    let mut pattern = Vec::new();
    while let Some(c) = chars.next() {
        pattern.push(match c {
            '%' => Token::Any,
            '_' => Token::One,
            // Never the last character: the pattern ends with `%`.
            '\\' => Token::Char(chars.next().unwrap_or('\\')),
            other => Token::Char(other),
        });
    }
    let text: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    // matched[j]: the pattern so far matches the first j characters.
    let mut matched = vec![false; text.len() + 1];
    matched[0] = true;
    for token in &pattern {
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            next[j] = match token {
                Token::Any => matched[j] || (j > 0 && next[j - 1]),
                Token::One => j > 0 && matched[j - 1],
                Token::Char(c) => j > 0 && matched[j - 1] && text[j - 1] == *c,
            };
        }
        matched = next;
    }
    matched[text.len()]
}

fn conversation_cursor(last: i64, id: u64) -> String {
    let text = format!(
        "{{\"lastActivityAt\":\"{}\",\"id\":\"{id}\"}}",
        iso_millis(last)
    );
    base64_encode(text.as_bytes())
}

fn decode_conversation_cursor(text: &str) -> Option<(i64, u64)> {
    let value: Value = serde_json::from_slice(&base64_decode(text)?).ok()?;
    let last = parse_iso_millis(value.get("lastActivityAt")?.as_str()?)?;
    let id = value.get("id")?.as_str()?.parse::<u64>().ok()?;
    Some((last, id))
}

fn message_cursor(created: i64, id: u64) -> String {
    let text = format!(
        "{{\"direction\":\"prev\",\"createdAt\":\"{}\",\"id\":\"{id}\"}}",
        iso_millis(created)
    );
    base64_encode(text.as_bytes())
}

fn decode_message_cursor(text: &str) -> Option<(i64, u64)> {
    let value: Value = serde_json::from_slice(&base64_decode(text)?).ok()?;
    if value.get("direction").and_then(Value::as_str) != Some("prev") {
        return None;
    }
    let created = parse_iso_millis(value.get("createdAt")?.as_str()?)?;
    let id = value.get("id")?.as_str()?.parse::<u64>().ok()?;
    Some((created, id))
}

fn not_found(message: &str) -> Reply {
    Reply::json(
        StatusCode::NOT_FOUND,
        &json!({"defined": true, "code": "notFound", "status": 404, "message": message}),
    )
}

/// What the open-source server sends for a bad or missing token: the auth middleware
/// throws an oRPC error with only a code, so oRPC fills in status 500, the
/// code as the message and `defined: false` (no procedure declares the
/// code).
fn invalid_token_open_source() -> Reply {
    Reply::json(
        StatusCode::INTERNAL_SERVER_ERROR,
        &json!({
            "defined": false,
            "code": "INVALID_CHATBOT_TOKEN",
            "status": 500,
            "message": "INVALID_CHATBOT_TOKEN",
        }),
    )
}

/// What `/v1/conversations` sends without the login session: the query
/// asks for the session's user and throws the server's own exception,
/// which the API turns into its code and HTTP status.
fn no_session() -> Reply {
    Reply::json(
        StatusCode::BAD_REQUEST,
        &json!({
            "defined": false,
            "code": "systemError",
            "status": 400,
            "message": "User is not associated with this workspace",
        }),
    )
}

fn internal_error() -> Reply {
    Reply::json(
        StatusCode::INTERNAL_SERVER_ERROR,
        &json!({
            "defined": false,
            "code": "INTERNAL_SERVER_ERROR",
            "status": 500,
            "message": "Internal server error",
        }),
    )
}

/// What a throttled request gets.
pub(crate) fn too_many_requests() -> Reply {
    Reply::json(
        StatusCode::TOO_MANY_REQUESTS,
        &json!({"defined": true, "code": "tooManyRequests", "status": 429, "message": "Too many requests"}),
    )
}

/// A server failure: the JSON error body, or the proxy's HTML page for 502.
pub(crate) fn server_error(status: StatusCode) -> Reply {
    match status.as_u16() {
        502 => Reply::html(
            status,
            "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<center>The upstream application did not answer in time.</center>\n<hr><center>nginx</center>\n</body>\n</html>\n",
        ),
        503 => Reply::json(
            status,
            &json!({"defined": false, "code": "SERVICE_UNAVAILABLE", "status": 503, "message": "Service unavailable"}),
        ),
        _ => internal_error(),
    }
}

/// What to make a contact from.
struct ContactPlan {
    created: i64,
    /// When its newest message was sent.
    newest: i64,
    /// A short id of an old row, if it is one.
    short_id: Option<u64>,
    /// Whether the contact listing shows it.
    listed: bool,
    blocked: bool,
}

/// A contact with its messages (newest message at `plan.newest`).
fn make_contact(g: &mut Generator, plan: ContactPlan) -> Contact {
    let ContactPlan {
        created,
        newest,
        short_id,
        listed,
        blocked,
    } = plan;
    let numeric_id = match short_id {
        Some(short) => g.short_or_snowflake(short, created),
        None => g.snowflake(created),
    };
    let id = numeric_id.to_string();
    let rng = &mut g.rng;
    let (first, last) = pick(rng, text::PEOPLE);
    let first_name = (!first.is_empty()).then(|| first.to_string());
    let full_name = format!("{first} {last}");
    let (country, state, city, locale, timezone) = pick(rng, text::PLACES);
    let email =
        (rng.u8(..3) != 0).then(|| format!("khach.{}@example.{}", id, country.to_lowercase()));
    let phone = match rng.u8(..6) {
        0 => Some(String::new()),
        1 => None,
        2 | 3 => Some(format!("+84{:09}", rng.u32(300_000_000..999_999_999))),
        _ => Some(format!("09{:08}", rng.u32(..100_000_000))),
    };
    let gender = match rng.u8(..10) {
        0..=3 => Some("female"),
        4..=6 => Some("male"),
        7..=8 => Some("unknown"),
        _ => None,
    };
    // Blocked contacts used to be drawn at random; the draw stays so that a
    // seed gives the same data as before, but which contacts are blocked is
    // now decided by the caller (so that every data set has some).
    let _ = rng.u8(..20);
    let mut tags = Vec::new();
    for _ in 0..rng.usize(..=2) {
        let (tag_id, name, _) = pick(rng, TAGS);
        if !tags.iter().any(|(t, _)| *t == tag_id) {
            tags.push((tag_id, name));
        }
    }
    let mut inboxes = vec![pick(rng, INBOXES)];
    if rng.u8(..5) == 0 {
        let second = pick(rng, INBOXES);
        if second.0 != inboxes[0].0 {
            inboxes.push(second);
        }
    }
    let avatar = match rng.u8(..4) {
        0 => Value::Null,
        1 => json!(format!(
            "https://platform-lookaside.fbsbx.example/platform/profilepic/?psid={}",
            rng.u64(1_000_000..9_999_999_999)
        )),
        _ => json!(format!(
            "workspaces/7/avatars/{}-{}.jpg",
            inboxes[0].2,
            text::token_chars(rng, 8)
        )),
    };
    let updated = newest.max(created);
    let subscribed = (rng.u8(..3) != 0).then(|| iso_millis(created));
    let last_read = (rng.bool()).then(|| iso_millis(updated + rng.i64(0..60_000)));
    let location = (rng.u8(..4) == 0).then(|| {
        json!({"latitude": 10.8494, "longitude": 106.7537, "address": "Đường Võ Văn Ngân, Thủ Đức"})
    });
    let json_base = json!({
        "id": id,
        "createdAt": iso_millis(created),
        "updatedAt": iso_millis(updated),
        "avatar": avatar,
        "phoneNumber": phone,
        "email": email,
        "emailVerified": email.is_some() && rng.bool(),
        "emailOptIn": email.is_some() && rng.bool(),
        "firstName": first_name,
        "lastName": last,
        "fullName": full_name,
        "lastReadAt": last_read,
        "ref": (rng.u8(..4) == 0).then_some("zalo-oa-tet"),
        "country": country,
        "state": state,
        "city": city,
        "location": location,
        "locale": locale,
        "timezone": timezone,
        "subscribedAt": subscribed,
        "broadcastSubscribedAt": if rng.bool() { subscribed.clone() } else { None },
        "blockedAt": blocked.then(|| iso_millis(updated)),
        "workspaceId": WORKSPACE,
        "gender": gender,
    });

    let person = Arc::new(Person {
        id: id.clone(),
        first_name,
        last_name: Some(last.to_string()),
        full_name,
        email,
        phone,
        gender,
        tags: tags.clone(),
        country,
        state,
        city,
        locale,
        timezone,
        blocked,
        inboxes: inboxes.iter().map(|i| (i.2, i.0)).collect(),
    });

    // Relations shown by the contact listing.
    let mut contact_inboxes = Vec::new();
    let mut contact_inbox_ids = Vec::new();
    let mut contact_inboxes_plain = Vec::new();
    for inbox in &inboxes {
        let contact_inbox_id = match short_id {
            Some(short) => g.short_or_snowflake(short + 19, created),
            None => g.snowflake(created),
        }
        .to_string();
        contact_inbox_ids.push(contact_inbox_id.clone());
        let plain = json!({
            "id": contact_inbox_id,
            "contactId": id,
            "inboxId": inbox.0,
            "channel": inbox.2,
        });
        let mut with_inbox = plain.clone();
        put(&mut with_inbox, "inbox", inbox_json(inbox));
        contact_inboxes_plain.push(plain);
        contact_inboxes.push(with_inbox);
    }
    let rng = &mut g.rng;
    let tag_json: Vec<Value> = tags
        .iter()
        .map(|(tag_id, name)| {
            let folder = TAGS.iter().find(|t| t.0 == *tag_id).and_then(|t| t.2);
            json!({
                "id": tag_id,
                "createdAt": "2025-07-01T02:00:00.000Z",
                "updatedAt": "2025-07-01T02:00:00.000Z",
                "name": name,
                "deletedAt": null,
                "folderId": folder,
                "workspaceId": WORKSPACE,
            })
        })
        .collect();
    let mut custom_fields = Vec::new();
    let field_count = rng.usize(..=2);
    for (index, (field_id, value)) in [
        ("72057594043000001", format!("{city}, {state}")),
        ("72057594043000002", rng.u8(18..70).to_string()),
    ]
    .into_iter()
    .take(field_count)
    .enumerate()
    {
        custom_fields.push(json!({
            "id": format!("{}", 72_057_594_046_000_129u64 + numeric_id % 1_000_000 * 4 + index as u64),
            "createdAt": iso_millis(created + 1_000),
            "updatedAt": iso_millis(created + 1_000),
            "value": value,
            "contactId": id,
            "customFieldId": field_id,
        }));
    }

    // Messages, newest first, between `created` and `newest`.
    let count = g.messages_per_contact;
    let span = (newest - created).max(count as i64 * 1_000);
    let step = span / (count as i64).max(1);
    let conversation_hint = g.snowflake(created + 500);
    let mut messages = Vec::with_capacity(count);
    for k in 0..count {
        let at = newest - step * k as i64 - g.rng.i64(0..=(step / 4).max(0));
        let message_id = match short_id {
            Some(short) if k < 1000 => g.short_or_snowflake(short * 1000 + k as u64, at),
            _ => g.snowflake(at),
        };
        let at = if k == 0 { newest } else { at };
        messages.push(Message {
            id: message_id,
            created: at,
            seed: g.rng.u64(..),
        });
    }
    Contact {
        person,
        numeric_id,
        created,
        updated,
        listed,
        json: json_base,
        custom_fields: Value::Array(custom_fields),
        tags: Value::Array(tag_json),
        inboxes: Value::Array(contact_inboxes),
        inboxes_plain: Value::Array(contact_inboxes_plain),
        conversation: Value::Null,
        conversation_id: conversation_hint,
        contact_inbox_id: contact_inbox_ids.swap_remove(0),
        messages,
    }
}

fn inbox_json(inbox: &(&str, &str, &str, Option<&str>, &str)) -> Value {
    let (id, name, channel, source_id, status) = *inbox;
    json!({
        "id": id,
        "createdAt": "2025-06-01T00:00:00.000Z",
        "updatedAt": "2026-01-02T08:30:00.250Z",
        "name": name,
        "channel": channel,
        "sourceId": source_id,
        "workspaceId": WORKSPACE,
        "status": status,
    })
}

/// What a message's JSON is built from.
struct MessageParts<'a> {
    id: u64,
    at: i64,
    conversation_id: &'a str,
    contact_inbox_id: &'a str,
    person: &'a Person,
    channel: &'a str,
}

fn message_json(rng: &mut fastrand::Rng, parts: MessageParts<'_>) -> Value {
    let MessageParts {
        id,
        at,
        conversation_id,
        contact_inbox_id,
        person,
        channel,
    } = parts;
    let id_text = id.to_string();
    let (message_type, content_type, sender_type, sender_id, text, attributes): (
        &str,
        &str,
        &str,
        Option<String>,
        Option<String>,
        Value,
    ) = match rng.u8(..20) {
        0..=7 => (
            "incoming",
            "text",
            "contact",
            Some(person.id.clone()),
            Some(pick(rng, text::INCOMING).to_string()),
            Value::Null,
        ),
        8..=12 => (
            "outgoing",
            "text",
            "user",
            Some(pick(rng, USERS).0.to_string()),
            Some(pick(rng, text::OUTGOING).to_string()),
            json!({"quickReplies": [], "internal": false}),
        ),
        13..=15 => (
            "outgoing",
            "text",
            "bot",
            None,
            Some(pick(rng, text::BOT).to_string()),
            json!({"buttons": [{"type": "postback", "title": "Xem áo dài", "payload": "CAT_AO_DAI"}]}),
        ),
        16 => (
            "outgoing",
            "refLink",
            "bot",
            None,
            Some("ดูโปรโมชั่นเพิ่มเติมได้ที่นี่ 👉".to_string()),
            json!({"refLink": {"ref": "promo-jan", "url": "https://m.me/vietmart.th?ref=promo-jan"}}),
        ),
        17..=18 => (
            "activity",
            "text",
            "system",
            None,
            Some(pick(rng, text::ACTIVITY).to_string()),
            Value::Null,
        ),
        _ => (
            "outgoing",
            "location",
            "api",
            None,
            None,
            json!({"latitude": 13.7563, "longitude": 100.5018, "name": "สยามพารากอน"}),
        ),
    };
    let source_id = match sender_type {
        "contact" | "user" => Some(format!("{channel}:{}", text::token_chars(rng, 24))),
        _ => None,
    };
    let created = iso_millis(at);
    let updated = iso_millis(at + i64::from(rng.u16(0..2_000)));
    let with_attachments = matches!(sender_type, "contact" | "user") && rng.u8(..4) == 0;
    let mut attachments = Vec::new();
    if with_attachments {
        for index in 0..rng.usize(1..=2) {
            attachments.push(attachment_json(rng, id, index, at, conversation_id));
        }
    }
    let mut json = json!({
        "id": id_text,
        "createdAt": created,
        "updatedAt": updated,
        "conversationId": conversation_id,
        "contactInboxId": contact_inbox_id,
        "workspaceId": WORKSPACE,
        "text": text,
        "sourceId": source_id,
        "senderId": sender_id,
        "messageType": message_type,
        "contentType": content_type,
        "senderType": sender_type,
        "messageCreatedAt": if rng.u8(..5) == 0 { Value::Null } else { json!(iso_millis(at - i64::from(rng.u16(0..1_500)))) },
    });
    put(&mut json, "contentAttributes", attributes);
    put(&mut json, "attachments", Value::Array(attachments));
    json
}

fn attachment_json(
    rng: &mut fastrand::Rng,
    message_id: u64,
    index: usize,
    at: i64,
    conversation_id: &str,
) -> Value {
    let (file_type, mime, name, size, dimensions) = pick(
        rng,
        &[
            (
                "image",
                "image/jpeg",
                "áo-dài-đỏ.jpg",
                218_734u64,
                Some((1080, 1350)),
            ),
            ("audio", "audio/aac", "ghi âm 0:07.aac", 31_877, None),
            (
                "file",
                "application/pdf",
                "Bảng size áo dài 2026.pdf",
                0,
                None,
            ),
            (
                "video",
                "video/mp4",
                "thử đồ.mp4",
                5_242_880,
                Some((720, 1280)),
            ),
            (
                "gif",
                "image/gif",
                "chào-mừng.gif",
                734_003,
                Some((480, 270)),
            ),
        ],
    );
    let key = text::token_chars(rng, 10);
    let origin = format!("workspaces/7/attachments/2026/01/{key}/{name}");
    json!({
        "id": (message_id + 256 + index as u64).to_string(),
        "createdAt": iso_millis(at - 100),
        "updatedAt": iso_millis(at),
        "sourceId": if file_type == "file" { Value::Null } else { json!(format!("src-{key}")) },
        "mimeType": mime,
        "width": dimensions.map(|d| d.0),
        "height": dimensions.map(|d| d.1),
        "size": size,
        "thumbnailPath": dimensions.map(|_| format!("workspaces/7/attachments/2026/01/{key}/thumb.jpg")),
        "originPath": origin,
        "name": name,
        "workspaceId": WORKSPACE,
        "conversationId": conversation_id,
        "messageId": message_id.to_string(),
        "url": format!("https://cdn.chatbotx.example/{origin}"),
        "fileType": file_type,
    })
}

/// How many conversations of each view to deal out.
struct Deal {
    /// Default view: not archived, contact not blocked.
    visible: usize,
    /// `tags=["archived"]`: archived, contact not blocked.
    archived: usize,
    /// `tags=["archived","blocked"]`: archived, contact blocked (none if no
    /// contact is blocked).
    archived_blocked: usize,
}

/// Deals conversations out to `contacts`, in turn: first until the default
/// view holds `deal.visible` (blocked contacts met on the way get one
/// each, which `tags=["blocked"]` lists), then the archived ones of
/// contacts not blocked, then those of blocked contacts. Each contact's
/// first conversation carries its messages. Sorted as the listing is.
fn deal_conversations(
    g: &mut Generator,
    contacts: &mut [Contact],
    deal: &Deal,
) -> Vec<Conversation> {
    let mut conversations = Vec::with_capacity(deal.visible + deal.archived * 2);
    let count = contacts.len();
    let blocked: Vec<bool> = contacts.iter().map(|c| c.person.blocked).collect();
    if blocked.iter().all(|b| *b) {
        // Also when there is no contact: no conversation can be listed.
        return conversations;
    }
    let mut has_conversation = vec![false; count];
    let mut add = |g: &mut Generator, owner: usize, archived: bool| {
        let primary = !has_conversation[owner];
        has_conversation[owner] = true;
        make_conversation(g, &mut contacts[owner], primary, archived, None)
    };
    let mut turn = 0;
    let mut visible = 0;
    while visible < deal.visible {
        let conversation = add(g, turn % count, false);
        turn += 1;
        if conversation.in_default_view() {
            visible += 1;
        }
        conversations.push(conversation);
    }
    let mut archived = 0;
    while archived < deal.archived {
        let owner = turn % count;
        turn += 1;
        if !blocked[owner] {
            conversations.push(add(g, owner, true));
            archived += 1;
        }
    }
    let blocked_owners: Vec<usize> = (0..count).filter(|i| blocked[*i]).collect();
    if !blocked_owners.is_empty() {
        for k in 0..deal.archived_blocked {
            let owner = blocked_owners[k % blocked_owners.len()];
            conversations.push(add(g, owner, true));
        }
    }
    sort_conversations(&mut conversations);
    conversations
}

/// Whether the generated contact at `index` is blocked: one in
/// [`BLOCKED_EVERY`], from the [`BLOCKED_OFFSET`]-th on.
fn blocked_at(index: usize) -> bool {
    index % BLOCKED_EVERY == BLOCKED_OFFSET
}

/// A conversation of `contact`; the primary one carries the contact's
/// messages and is shown on the contact listing.
fn make_conversation(
    g: &mut Generator,
    contact: &mut Contact,
    primary: bool,
    archived: bool,
    last: Option<i64>,
) -> Conversation {
    let created = contact.created + g.rng.i64(100..2_000);
    let id = if !primary {
        g.snowflake(created)
    } else if contact.person.id.len() < 10 {
        // Old rows: a short conversation id too (if still free).
        let short = contact.person.id.parse::<u64>().unwrap_or(0) + 15;
        let short = g.short_or_snowflake(short, created);
        contact.conversation_id = short;
        short
    } else {
        contact.conversation_id
    };
    // The newest message, on the contact's own conversation only.
    let newest_message: Option<(u64, i64, Value)> = contact
        .messages
        .first()
        .filter(|_| primary)
        .map(|m| (m.id, m.created, contact.message_json(m)));
    let last = last.unwrap_or_else(|| match &newest_message {
        Some((_, at, _)) => *at,
        None => created + g.rng.i64(0..=(CLOCK_BASE_MILLIS - created).max(0)),
    });
    let rng = &mut g.rng;
    let person = Arc::clone(&contact.person);
    let channel = person.inboxes.first().map_or("webchat", |i| i.0);
    let bot_enabled = rng.u8(..20) < 7;
    let followed = rng.u8(..5) == 0;
    let assigned_user = (rng.u8(..10) < 6).then(|| pick(rng, USERS).0);
    let team = (rng.u8(..10) < 4).then(|| pick(rng, TEAMS));
    let contact_replied = last - rng.i64(0..120_000);
    let admin_replied = match rng.u8(..3) {
        0 => None,
        1 => Some(contact_replied - rng.i64(1..600_000)),
        _ => Some(last.max(contact_replied + 1)),
    };
    let no_admin_reply = admin_replied.is_none_or(|a| a < contact_replied);
    let agent_read = match rng.u8(..5) {
        0 => None,
        1 | 2 => Some(last - rng.i64(1..3_600_000)),
        _ => Some(last + rng.i64(0..60_000)),
    };
    let unread = agent_read.is_none_or(|r| r < last);
    let archived_at = archived.then(|| iso_millis(last + rng.i64(60_000..86_400_000)));
    let additional = match rng.u8(..3) {
        0 => Value::Null,
        1 => json!({}),
        _ => {
            json!({"entryPoint": format!("{channel}_oa"), "utm": {"source": channel, "campaign": "tet-2026"}, "firstOrder": rng.bool(), "cartValue": rng.u32(50_000..2_000_000)})
        }
    };
    let user_json = assigned_user
        .and_then(|user| USERS.iter().find(|u| u.0 == user))
        .map(|(uid, name, email)| {
            let tenant = if *uid == RESELLER_TENANT.1 {
                RESELLER_TENANT.0
            } else {
                ROOT_TENANT
            };
            json!({
                "id": uid,
                "createdAt": "2025-10-03T02:14:09.118Z",
                "updatedAt": "2026-01-10T08:00:41.902Z",
                "name": name,
                "email": email,
                "emailVerified": true,
                "image": format!("https://lh3.googleusercontent.example/a/{uid}=s96-c"),
                "isAnonymous": false,
                "tenantId": tenant,
            })
        });
    let team_json = team.map(|(tid, name)| {
        json!({
            "id": tid,
            "createdAt": "2025-11-20T03:00:00.000Z",
            "updatedAt": "2025-11-20T03:00:00.000Z",
            "workspaceId": WORKSPACE,
            "name": name,
        })
    });
    let id_text = id.to_string();
    let mut base = json!({
        "id": id_text,
        "createdAt": iso_millis(created),
        "updatedAt": iso_millis(last),
        "botEnabled": bot_enabled,
        "botResumeAt": (!bot_enabled && rng.bool()).then(|| iso_millis(last + 3_600_000)),
        "archivedAt": archived_at,
        "contactLastReadAt": (rng.u8(..4) != 0).then(|| iso_millis(last + rng.i64(0..10_000))),
        "agentLastReadAt": agent_read.map(iso_millis),
        "lastActivityAt": iso_millis(last),
        "followed": followed,
        "workspaceId": WORKSPACE,
        "contactId": person.id,
        "adminRepliedAt": admin_replied.map(iso_millis),
        "contactRepliedAt": iso_millis(contact_replied),
        "aiContextLastMessageId": newest_message.as_ref().filter(|_| rng.bool()).map(|m| m.0.to_string()),
        "assignedUserId": assigned_user,
        "assignedInboxTeamId": team.map(|t| t.0),
    });
    put(&mut base, "additionalAttributes", additional);
    put(&mut base, "assignedUser", user_json.unwrap_or(Value::Null));
    put(
        &mut base,
        "assignedInboxTeam",
        team_json.unwrap_or(Value::Null),
    );
    let on_contact = primary.then(|| base.clone());
    let mut listing = base;
    put(
        &mut listing,
        "contactInboxes",
        contact.inboxes_plain.clone(),
    );
    let messages: Vec<Value> = newest_message.map(|m| m.2).into_iter().collect();
    put(&mut listing, "messages", Value::Array(messages));
    put(&mut listing, "contact", contact.json.clone());
    if let Some(mut on_contact) = on_contact {
        if let Some(inbox) = INBOXES.iter().find(|i| i.2 == channel) {
            put(&mut on_contact, "inbox", inbox_json(inbox));
        }
        contact.conversation = on_contact;
    }
    Conversation {
        id,
        last,
        person,
        channel,
        bot_enabled,
        assigned_user,
        assigned_team: team.map(|t| t.0),
        archived,
        followed,
        unread,
        no_admin_reply,
        json: listing,
    }
}

#[cfg(test)]
mod snowflake_tests {
    use super::*;

    /// Large data sets reach back before the snowflake epoch: ids there
    /// stay unique, 17 digits, and ordered by time.
    #[test]
    fn snowflakes_before_the_epoch_stay_unique_and_ordered() {
        let mut generator = Generator {
            rng: fastrand::Rng::with_seed(1),
            sequence: 0,
            used: HashSet::new(),
            messages_per_contact: 0,
        };
        let times = (0..20_000).map(|i| SNOWFLAKE_EPOCH_MILLIS + 86_400_000 - i * 3_600_000);
        let ids: Vec<u64> = times.map(|t| generator.snowflake(t)).collect();
        assert!(
            ids.windows(2).all(|w| w[0] > w[1]),
            "newer times, larger ids"
        );
        assert!(ids.iter().all(|id| id.to_string().len() == 17));
    }
}

#[cfg(test)]
mod reading_tests {
    use super::*;

    #[test]
    fn ids_are_read_as_bigint_reads_them() {
        for (text, read) in [
            ("12", Some("12")),
            ("0012", Some("12")),
            (" 12\n", Some("12")),
            ("+12", Some("12")),
            ("-12", Some("-12")),
            ("-0", Some("0")),
            ("0xC", Some("12")),
            ("0b1100", Some("12")),
            ("0o14", Some("12")),
            (" ", Some("0")),
            ("72057594055802881", Some("72057594055802881")),
            ("", None),
            ("abc", None),
            ("1.0", None),
            ("1e3", None),
            ("-0x1", None),
            ("0x", None),
            ("1 2", None),
        ] {
            assert_eq!(parse_bigint_id(text).as_deref(), read, "{text:?}");
        }
    }

    #[test]
    fn ilike_has_wildcards_and_an_escape() {
        for (text, keyword, found) in [
            ("Trần Minh", "trần", true),
            ("Trần Minh", "TRẦN MINH", true),
            ("Trần Minh", "tr%nh", true),
            ("Trần Minh", "tr_n", true),
            ("Trần Minh", "tr__n", false),
            ("Trần Minh", "", true),
            ("Trần Minh", "%", true),
            ("", "_", false),
            ("100%", "0\\%", true),
            ("1000", "0\\%", false),
            ("a_b", "a\\_b", true),
            ("axb", "a\\_b", false),
            ("back\\slash", "k\\", false),
            ("back\\", "k\\", false),
            ("bank%", "k\\", true),
            ("a\\b", "a\\\\b", true),
            ("Khoa", "khoa trần", false),
        ] {
            assert_eq!(
                ilike_contains(text, keyword),
                found,
                "{text:?} ILIKE %{keyword}%"
            );
        }
    }

    #[test]
    fn numbers_are_read_as_javascript_reads_them() {
        for (text, number) in [
            ("", 0.0),
            (" 2 ", 2.0),
            ("2.5", 2.5),
            ("-1", -1.0),
            ("+3", 3.0),
            ("1e2", 100.0),
            (".5", 0.5),
            ("0x10", 16.0),
            ("0b11", 3.0),
        ] {
            assert_eq!(js_number(text), number, "{text:?}");
        }
        assert_eq!(js_number("Infinity"), f64::INFINITY);
        for text in ["abc", "inf", "nan", "NaN", "1,5", "0x", "0xG", "2px"] {
            assert!(js_number(text).is_nan(), "{text:?}");
        }
    }
}
