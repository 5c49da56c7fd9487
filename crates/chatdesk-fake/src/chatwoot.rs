//! The fake Chatwoot: `GET /api/v1/accounts/{account_id}/conversations`.

use std::sync::RwLock;

use axum::http::{Method, StatusCode};
use serde::Serialize;
use serde_json::{Value, json};

use super::server::{Incoming, Reply, read, write};
use super::text::{self, pick, put};

/// The fake's "now" when it starts: 2026-01-14T11:06:40Z, in Unix seconds.
pub(crate) const CLOCK_BASE_SECS: i64 = 1_768_388_800;
/// The user the token belongs to (`assignee_type=me`).
const ME: i64 = 1;
/// A conversation number above 2^53, given to one conversation of larger
/// data sets so that clients must not read ids as floating point.
const HUGE_ID: i64 = 9_007_199_254_740_993;

const STATUSES: &[&str] = &["open", "resolved", "pending", "snoozed"];
const ASSIGNEE_TYPES: &[&str] = &["me", "unassigned", "all", "assigned"];
const STATUS_FILTERS: &[&str] = &["all", "open", "resolved", "pending", "snoozed"];
const SORT_BY: &[&str] = &[
    "last_activity_at_asc",
    "last_activity_at_desc",
    "created_at_asc",
    "created_at_desc",
    "priority_asc",
    "priority_desc",
    "waiting_since_asc",
    "waiting_since_desc",
    "priority_desc_created_at_asc",
    "latest",
    "sort_on_created_at",
    "sort_on_priority",
    "sort_on_waiting_since",
];
const CONVERSATION_TYPES: &[&str] = &["mention", "participating", "unattended"];
const PRIORITIES: &[&str] = &["low", "medium", "high", "urgent"];

/// The query parameters the server knows (its spec), by exact key.
const KNOWN: &[&str] = &[
    "assignee_type",
    "status",
    "q",
    "inbox_id",
    "team_id",
    "labels[]",
    "page",
    "sort_by",
    "conversation_type",
    "source_id",
    "updated_within",
];

/// (id, name, available name, email, role)
const AGENTS: &[(i64, &str, &str, &str, &str)] = &[
    (
        1,
        "Nguyễn Thị Hương",
        "Hương CSKH",
        "huong.nguyen@vietmart.example",
        "administrator",
    ),
    (
        2,
        "Somchai Prasert",
        "Somchai 🇹🇭",
        "somchai@vietmart.example",
        "agent",
    ),
    (
        3,
        "佐藤 花子",
        "花子",
        "hanako.sato@vietmart.example",
        "agent",
    ),
    (4, "Lê Hoàng Nam", "Nam", "nam.le@vietmart.example", "agent"),
];
/// (id, name, description)
const BOTS: &[(i64, &str, &str)] = &[
    (5, "น้องส้ม บอท 🤖", "ตอบคำถามเรื่องพัสดุและการคืนสินค้าอัตโนมัติ"),
    (6, "Bot Mây 🤖", "Trả lời câu hỏi thường gặp 24/7"),
];
/// (id, name, description)
const TEAMS: &[(i64, &str, Option<&str>)] = &[
    (
        1,
        "Chăm sóc khách hàng 🇻🇳",
        Some("Đổi trả, hoàn tiền và khiếu nại giao hàng"),
    ),
    (2, "ฝ่ายขาย", None),
    (3, "サポート", Some("日本語のお問い合わせ")),
    (4, "Billing", Some("Invoices and refunds")),
];
/// (inbox id, channel class)
const INBOXES: &[(i64, &str)] = &[
    (1, "Channel::WebWidget"),
    (2, "Channel::Whatsapp"),
    (3, "Channel::Telegram"),
    (4, "Channel::Email"),
    (5, "Channel::Api"),
    (6, "Channel::FacebookPage"),
    (7, "Channel::Line"),
    (8, "Channel::Instagram"),
    (9, "Channel::Sms"),
];

/// What the fake was built with.
pub(crate) struct Config {
    pub(crate) account_id: i64,
    pub(crate) token: String,
    pub(crate) page_size: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Assignee {
    Nobody,
    User(i64),
    Bot,
}

/// One conversation: what the filters look at, and its JSON.
struct Conversation {
    id: i64,
    status: &'static str,
    assignee: Assignee,
    inbox_id: i64,
    team_id: Option<i64>,
    labels: Vec<&'static str>,
    /// Message contents, lowercased, for `q`.
    text: String,
    source_id: String,
    mentioned: bool,
    priority: Option<usize>,
    created_at: i64,
    last_activity_at: i64,
    waiting_since: i64,
    updated_at: f64,
    json: Value,
}

struct Data {
    /// Newest activity first; ties by id descending.
    conversations: Vec<Conversation>,
    rng: fastrand::Rng,
    next_id: i64,
    next_message_id: i64,
    next_contact_id: i64,
}

/// The Chatwoot fake's data and settings.
pub(crate) struct Fake {
    pub(crate) config: Config,
    data: RwLock<Data>,
}

fn sort(conversations: &mut [Conversation]) {
    conversations.sort_by(|a, b| {
        b.last_activity_at
            .cmp(&a.last_activity_at)
            .then(b.id.cmp(&a.id))
    });
}

impl Fake {
    /// Generates `count` conversations from `seed`.
    pub(crate) fn generate(config: Config, count: usize, seed: u64) -> Fake {
        let mut rng = fastrand::Rng::with_seed(seed);
        // Creation and activity times, then ids in creation order.
        let mut times: Vec<(i64, i64)> = (0..count)
            .map(|_| {
                let age = rng.i64(60..90 * 86_400);
                let created = CLOCK_BASE_SECS - age;
                let last = created + rng.i64(0..=age.min(20 * 86_400));
                (created, last.min(CLOCK_BASE_SECS - 1))
            })
            .collect();
        times.sort_by_key(|(created, _)| *created);
        let huge = (count >= 50).then_some(count / 2);
        let mut data = Data {
            conversations: Vec::with_capacity(count),
            rng: fastrand::Rng::with_seed(seed ^ 0x5eed_c4a7),
            next_id: 1,
            next_message_id: 550_000,
            next_contact_id: 39_000,
        };
        for (index, (created, last)) in times.into_iter().enumerate() {
            let id = if Some(index) == huge {
                HUGE_ID
            } else {
                let id = data.next_id;
                data.next_id += 1;
                id
            };
            let conversation = make(&mut rng, &mut data, &config, id, created, last, false);
            data.conversations.push(conversation);
        }
        sort(&mut data.conversations);
        Fake {
            config,
            data: RwLock::new(data),
        }
    }

    /// Every conversation id, newest activity first.
    pub(crate) fn ids(&self) -> Vec<String> {
        read(&self.data)
            .conversations
            .iter()
            .map(|c| c.id.to_string())
            .collect()
    }

    /// New open conversations with activity newer than any other.
    pub(crate) fn add_at_top(&self, count: usize, now_secs: i64) {
        let mut guard = write(&self.data);
        let data = &mut *guard;
        let mut rng = fastrand::Rng::with_seed(data.rng.u64(..));
        let mut last = data
            .conversations
            .iter()
            .map(|c| c.last_activity_at)
            .max()
            .unwrap_or(0)
            .max(now_secs - 1);
        for _ in 0..count {
            last += 1;
            let id = data.next_id;
            data.next_id += 1;
            let conversation = make(&mut rng, data, &self.config, id, last - 30, last, true);
            data.conversations.push(conversation);
        }
        sort(&mut data.conversations);
    }

    /// Gives conversation `id` activity newer than any other.
    pub(crate) fn touch(&self, id: &str, now_secs: i64) {
        let Ok(id) = id.trim().parse::<i64>() else {
            return;
        };
        let mut data = write(&self.data);
        let top = data
            .conversations
            .iter()
            .map(|c| c.last_activity_at)
            .max()
            .unwrap_or(0);
        let fraction = f64::from(data.rng.u32(0..1_000_000)) / 1_000_000.0;
        let Some(conversation) = data.conversations.iter_mut().find(|c| c.id == id) else {
            return;
        };
        let last = now_secs.max(top + 1);
        conversation.last_activity_at = last;
        conversation.updated_at = last as f64 + fraction;
        if let Value::Object(map) = &mut conversation.json {
            map.insert("last_activity_at".into(), json!(last));
            map.insert("timestamp".into(), json!(last));
            map.insert("updated_at".into(), json!(conversation.updated_at));
        }
        sort(&mut data.conversations);
    }

    /// Answers one request.
    pub(crate) fn handle(&self, request: &Incoming<'_>, now_millis: i64) -> Reply {
        let segments: Vec<&str> = request.path.trim_matches('/').split('/').collect();
        let account = match segments.as_slice() {
            ["api", "v1", "accounts", account, "conversations"]
                if *request.method == Method::GET =>
            {
                *account
            }
            _ => return not_found(),
        };
        match request.header("api_access_token") {
            None | Some("") => {
                return Reply::json(
                    StatusCode::UNAUTHORIZED,
                    &json!({"errors": ["You need to sign in or sign up before continuing."]}),
                );
            }
            Some(token) if token != self.config.token => {
                return Reply::json(
                    StatusCode::UNAUTHORIZED,
                    &json!({"error": "Invalid Access Token"}),
                );
            }
            Some(_) => {}
        }
        if account.parse::<i64>().ok() != Some(self.config.account_id) {
            return not_found();
        }
        let query = match Query::parse(&request.query) {
            Ok(query) => query,
            Err(message) => {
                return Reply::json(StatusCode::BAD_REQUEST, &json!({"error": message}));
            }
        };
        self.list(&query, now_millis)
    }

    fn list(&self, query: &Query, now_millis: i64) -> Reply {
        let data = read(&self.data);
        let now = now_millis as f64 / 1000.0;
        let mut counts = Counts::default();
        let mut matching: Vec<&Conversation> = Vec::new();
        for conversation in &data.conversations {
            if !query.matches(conversation, now) {
                continue;
            }
            counts.all_count += 1;
            match conversation.assignee {
                Assignee::User(user) => {
                    counts.assigned_count += 1;
                    if user == ME {
                        counts.mine_count += 1;
                    }
                }
                Assignee::Nobody | Assignee::Bot => counts.unassigned_count += 1,
            }
            let keep = match query.assignee_type {
                "me" => conversation.assignee == Assignee::User(ME),
                "assigned" => matches!(conversation.assignee, Assignee::User(_)),
                "unassigned" => !matches!(conversation.assignee, Assignee::User(_)),
                _ => true,
            };
            if keep {
                matching.push(conversation);
            }
        }
        query.order(&mut matching);
        let payload: Vec<&Value> = if query.updated_within.is_some() {
            matching.iter().map(|c| &c.json).collect()
        } else {
            let size = usize::try_from(self.config.page_size.max(1)).unwrap_or(usize::MAX);
            let start = usize::try_from(query.page - 1)
                .unwrap_or(usize::MAX)
                .saturating_mul(size);
            matching
                .iter()
                .skip(start)
                .take(size)
                .map(|c| &c.json)
                .collect()
        };
        let body = ListBody {
            data: ListData {
                meta: counts,
                payload,
            },
        };
        Reply::json(StatusCode::OK, &body)
    }
}

#[derive(Serialize)]
struct ListBody<'a> {
    data: ListData<'a>,
}

#[derive(Serialize)]
struct ListData<'a> {
    meta: Counts,
    payload: Vec<&'a Value>,
}

#[derive(Default, Serialize)]
struct Counts {
    mine_count: u64,
    assigned_count: u64,
    unassigned_count: u64,
    all_count: u64,
}

/// A checked query string.
struct Query {
    assignee_type: &'static str,
    status: &'static str,
    q: Option<String>,
    inbox_id: Option<i64>,
    team_id: Option<i64>,
    labels: Vec<String>,
    page: i64,
    sort_by: &'static str,
    conversation_type: Option<&'static str>,
    source_id: Option<String>,
    updated_within: Option<i64>,
}

/// `value` as one of `allowed`, or an error naming `name`.
fn one_of(
    name: &str,
    value: &str,
    allowed: &'static [&'static str],
) -> Result<&'static str, String> {
    allowed
        .iter()
        .find(|a| **a == value)
        .copied()
        .ok_or_else(|| {
            format!(
                "invalid value for parameter {name}: {value:?} (expected one of {})",
                allowed.join(", ")
            )
        })
}

fn integer(name: &str, value: &str) -> Result<i64, String> {
    value
        .trim()
        .parse::<i64>()
        .map_err(|_| format!("invalid value for parameter {name}: {value:?} (expected an integer)"))
}

impl Query {
    fn parse(pairs: &[(String, String)]) -> Result<Query, String> {
        let mut query = Query {
            assignee_type: "all",
            status: "open",
            q: None,
            inbox_id: None,
            team_id: None,
            labels: Vec::new(),
            page: 1,
            sort_by: "last_activity_at_desc",
            conversation_type: None,
            source_id: None,
            updated_within: None,
        };
        if let Some((name, _)) = pairs.iter().find(|(k, _)| !KNOWN.contains(&k.as_str())) {
            return Err(format!("unknown parameter: {name}"));
        }
        // A repeated scalar keeps its last value, as Rails does.
        for (name, value) in pairs {
            match name.as_str() {
                "assignee_type" => query.assignee_type = one_of(name, value, ASSIGNEE_TYPES)?,
                "status" => query.status = one_of(name, value, STATUS_FILTERS)?,
                "sort_by" => query.sort_by = one_of(name, value, SORT_BY)?,
                "conversation_type" => {
                    query.conversation_type = Some(one_of(name, value, CONVERSATION_TYPES)?)
                }
                "q" => query.q = (!value.is_empty()).then(|| value.to_lowercase()),
                "inbox_id" => query.inbox_id = Some(integer(name, value)?),
                "team_id" => query.team_id = Some(integer(name, value)?),
                "updated_within" => query.updated_within = Some(integer(name, value)?),
                "source_id" => query.source_id = Some(value.clone()),
                "labels[]" => query.labels.push(value.clone()),
                // 0, negative or not a number: page 1.
                "page" => query.page = value.trim().parse::<i64>().unwrap_or(1).max(1),
                _ => {}
            }
        }
        Ok(query)
    }

    /// Every filter but `assignee_type`.
    fn matches(&self, c: &Conversation, now: f64) -> bool {
        (self.status == "all" || c.status == self.status)
            && self.inbox_id.is_none_or(|id| c.inbox_id == id)
            && self.team_id.is_none_or(|id| c.team_id == Some(id))
            && self.labels.iter().all(|l| c.labels.contains(&l.as_str()))
            && self.q.as_ref().is_none_or(|q| c.text.contains(q.as_str()))
            && self.source_id.as_ref().is_none_or(|s| c.source_id == *s)
            && self
                .updated_within
                .is_none_or(|secs| c.updated_at >= now - secs as f64)
            && match self.conversation_type {
                Some("mention") => c.mentioned,
                Some("participating") => c.mentioned || c.assignee == Assignee::User(ME),
                Some("unattended") => c.waiting_since > 0,
                _ => true,
            }
    }

    fn order(&self, list: &mut [&Conversation]) {
        // The stored order is last activity descending; the sorts are stable.
        let priority = |c: &Conversation| c.priority.map_or(-1, |p| p as i64);
        match self.sort_by {
            "last_activity_at_asc" => list.sort_by_key(|c| (c.last_activity_at, c.id)),
            "created_at_asc" | "sort_on_created_at" => list.sort_by_key(|c| (c.created_at, c.id)),
            "created_at_desc" => list.sort_by_key(|c| std::cmp::Reverse((c.created_at, c.id))),
            "priority_asc" => list.sort_by_key(|c| priority(c)),
            "priority_desc" | "sort_on_priority" => {
                list.sort_by_key(|c| std::cmp::Reverse(priority(c)))
            }
            "priority_desc_created_at_asc" => {
                list.sort_by_key(|c| (std::cmp::Reverse(priority(c)), c.created_at))
            }
            "waiting_since_asc" | "sort_on_waiting_since" => {
                list.sort_by_key(|c| (c.waiting_since == 0, c.waiting_since))
            }
            "waiting_since_desc" => list.sort_by_key(|c| std::cmp::Reverse(c.waiting_since)),
            _ => {}
        }
    }
}

fn not_found() -> Reply {
    Reply::json(
        StatusCode::NOT_FOUND,
        &json!({"error": "Resource could not be found"}),
    )
}

/// What a throttled request gets: `Retry later`, plain text, no Retry-After.
pub(crate) fn too_many_requests() -> Reply {
    Reply::text(StatusCode::TOO_MANY_REQUESTS, "Retry later")
}

/// An HTML error page, as Rails or the proxy in front of it sends.
pub(crate) fn server_error(status: StatusCode) -> Reply {
    let page = match status.as_u16() {
        502 => {
            "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
        }
        503 => {
            "<!DOCTYPE html>\n<html>\n<head><title>Service Unavailable</title></head>\n<body>\n<h1>Service Unavailable</h1>\n<p>The server is temporarily unable to service your request. Please try again later.</p>\n</body>\n</html>\n"
        }
        _ => {
            "<!DOCTYPE html>\n<html>\n<head>\n  <title>We're sorry, but something went wrong (500)</title>\n  <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n</head>\n<body>\n  <div class=\"dialog\">\n    <h1>We're sorry, but something went wrong.</h1>\n    <p>If you are the application owner check the logs for more information.</p>\n  </div>\n</body>\n</html>\n"
        }
    };
    Reply::html(status, page)
}

/// What a message is and who sent it.
#[derive(Clone, Copy)]
enum Sender {
    Contact,
    Agent(usize),
    Bot(usize),
    Assistant,
    Nobody,
}

struct MessageSpec<'a> {
    id: i64,
    content: Option<&'a str>,
    message_type: i64,
    content_type: &'static str,
    private: bool,
    status: &'static str,
    created_at: i64,
    sender: Sender,
    attachments: bool,
}

/// One conversation, with its JSON built once.
fn make(
    rng: &mut fastrand::Rng,
    data: &mut Data,
    config: &Config,
    id: i64,
    created_at: i64,
    last_activity_at: i64,
    fresh: bool,
) -> Conversation {
    let account_id = config.account_id;
    let (inbox_id, channel) = pick(rng, INBOXES);
    let status = if fresh {
        "open"
    } else {
        // Open most often, as on a real inbox.
        match rng.u8(..10) {
            0..=4 => "open",
            5..=6 => "resolved",
            7..=8 => "pending",
            _ => "snoozed",
        }
    };
    debug_assert!(STATUSES.contains(&status));
    let assignee = match rng.u8(..10) {
        0..=2 => Assignee::User(ME),
        3..=5 => Assignee::User(AGENTS[rng.usize(1..AGENTS.len())].0),
        6 => Assignee::Bot,
        _ => Assignee::Nobody,
    };
    let bot = pick(rng, BOTS);
    let team = (rng.u8(..10) < 4).then(|| pick(rng, TEAMS));
    let mut labels: Vec<&'static str> = Vec::new();
    for _ in 0..rng.usize(..=3) {
        let label = pick(rng, text::LABELS);
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    let priority = (rng.u8(..10) < 6).then(|| rng.usize(..PRIORITIES.len()));
    let mentioned = rng.u8(..20) == 0;
    let unread_count = if rng.bool() { 0 } else { rng.i64(1..=10) };
    let waiting_since = if rng.u8(..3) == 0 {
        created_at + rng.i64(0..=(last_activity_at - created_at).max(0))
    } else {
        0
    };
    let first_reply = if rng.u8(..4) == 0 {
        0
    } else {
        created_at + rng.i64(1..=300)
    };
    let fraction = f64::from(rng.u32(0..1_000_000)) / 1_000_000.0;
    let updated_at = last_activity_at as f64 + fraction;

    // The contact.
    let (first, last) = pick(rng, text::PEOPLE);
    let contact_name = if rng.u8(..20) == 0 {
        String::new()
    } else if first.is_empty() {
        last.to_string()
    } else {
        format!("{last} {first}")
    };
    data.next_contact_id += rng.i64(1..=40);
    let contact_id = data.next_contact_id;
    let email = (rng.u8(..3) != 0).then(|| format!("khach{contact_id}@example.vn"));
    let phone = (rng.u8(..2) == 0).then(|| format!("+849{:08}", rng.u32(..100_000_000)));
    let source_id = if channel == "Channel::Email" {
        email
            .clone()
            .unwrap_or_else(|| format!("email-{contact_id}@mail.example.jp"))
    } else if let Some(phone) = &phone {
        phone.trim_start_matches('+').to_string()
    } else {
        text::uuid(rng)
    };
    let (country, _, city, _, _) = pick(rng, text::PLACES);
    let thumbnail = if rng.bool() {
        format!(
            "https://chat.vietmart.example/rails/active_storage/representations/redirect/{}/avatar.jpg",
            text::token_chars(rng, 24)
        )
    } else {
        String::new()
    };
    let mut sender = json!({
        "additional_attributes": {"city": city, "country_code": country},
        "availability_status": "offline",
        "email": email,
        "id": contact_id,
        "name": contact_name,
        "phone_number": phone,
        "blocked": rng.u8(..30) == 0,
        "identifier": (rng.u8(..5) == 0).then(|| format!("crm-{contact_id}")),
        "thumbnail": thumbnail,
        "created_at": created_at - rng.i64(0..86_400 * 30),
        "type": "contact",
    });
    put(
        &mut sender,
        "custom_attributes",
        contact_custom_attributes(rng),
    );
    // `last_activity_at` is absent on some contacts.
    if rng.u8(..4) != 0
        && let Value::Object(map) = &mut sender
    {
        map.insert(
            "last_activity_at".into(),
            json!(last_activity_at - rng.i64(0..60)),
        );
    }

    // Messages: `messages` holds the newest of any type, or nothing;
    // `last_non_activity_message` the newest that is not an activity.
    let assignee_agent = match assignee {
        Assignee::User(user) => AGENTS.iter().position(|a| a.0 == user).unwrap_or(0),
        _ => rng.usize(..AGENTS.len()),
    };
    let bot_index = BOTS.iter().position(|b| b.0 == bot.0).unwrap_or(0);
    fn next_message(data: &mut Data, rng: &mut fastrand::Rng) -> i64 {
        data.next_message_id += rng.i64(10..=40);
        data.next_message_id
    }
    let shape = rng.u8(..10);
    let mut contents = Vec::new();
    let (newest, last_non_activity) = match shape {
        0..=3 => {
            let spec = MessageSpec {
                id: next_message(data, rng),
                content: Some(pick(rng, text::INCOMING)),
                message_type: 0,
                content_type: "text",
                private: false,
                status: "sent",
                created_at: last_activity_at,
                sender: Sender::Contact,
                attachments: rng.u8(..5) == 0,
            };
            (Some(spec), None)
        }
        4 => {
            let activity = MessageSpec {
                id: next_message(data, rng) + 5,
                content: Some(pick(rng, text::ACTIVITY)),
                message_type: 2,
                content_type: "text",
                private: false,
                status: "sent",
                created_at: last_activity_at,
                sender: Sender::Nobody,
                attachments: false,
            };
            let call = MessageSpec {
                id: activity.id - 4,
                content: None,
                message_type: 0,
                content_type: "voice_call",
                private: false,
                status: "delivered",
                created_at: last_activity_at - rng.i64(1..=600),
                sender: Sender::Contact,
                attachments: false,
            };
            (Some(activity), Some(call))
        }
        5..=6 => {
            let spec = MessageSpec {
                id: next_message(data, rng),
                content: Some(pick(rng, text::OUTGOING)),
                message_type: 1,
                content_type: "text",
                private: false,
                status: pick(rng, &["sent", "delivered", "read"]),
                created_at: last_activity_at,
                sender: Sender::Agent(assignee_agent),
                attachments: rng.bool(),
            };
            (Some(spec), None)
        }
        7 => {
            let spec = MessageSpec {
                id: next_message(data, rng),
                content: Some(pick(rng, text::BOT)),
                message_type: 3,
                content_type: "input_select",
                private: false,
                status: if rng.u8(..3) == 0 { "failed" } else { "sent" },
                created_at: last_activity_at,
                sender: Sender::Bot(bot_index),
                attachments: false,
            };
            (Some(spec), None)
        }
        8 => {
            let note = MessageSpec {
                id: next_message(data, rng) + 9,
                content: Some(pick(rng, text::NOTES)),
                message_type: 1,
                content_type: "text",
                private: true,
                status: "sent",
                created_at: last_activity_at,
                sender: Sender::Assistant,
                attachments: false,
            };
            let reply = MessageSpec {
                id: note.id - 9,
                content: Some(pick(rng, text::OUTGOING)),
                message_type: 1,
                content_type: "text",
                private: false,
                status: "read",
                created_at: last_activity_at - rng.i64(1..=900),
                sender: Sender::Agent(assignee_agent),
                attachments: true,
            };
            (Some(note), Some(reply))
        }
        _ => (None, None),
    };
    let ctx = MessageContext {
        account_id,
        inbox_id,
        conversation_id: id,
        assignee_id: match assignee {
            Assignee::User(user) => Some(user),
            Assignee::Bot => Some(bot.0),
            Assignee::Nobody => None,
        },
        unread_count,
        last_activity_at,
        source_id: &source_id,
        contact: &sender,
        contact_id,
    };
    let mut messages = Vec::new();
    let mut last_non_activity_json = Value::Null;
    if let Some(spec) = &newest {
        if let Some(content) = spec.content {
            contents.push(content.to_lowercase());
        }
        let message = message_json(rng, spec, &ctx);
        if spec.message_type != 2 && last_non_activity.is_none() {
            last_non_activity_json = message.clone();
        }
        messages.push(message);
    }
    if let Some(spec) = &last_non_activity {
        if let Some(content) = spec.content {
            contents.push(content.to_lowercase());
        }
        last_non_activity_json = message_json(rng, spec, &ctx);
    }

    let mut meta = json!({
        "channel": channel,
        "hmac_verified": match rng.u8(..3) { 0 => Value::Null, 1 => json!(true), _ => json!(false) },
    });
    put(&mut meta, "sender", sender);
    if let Value::Object(map) = &mut meta {
        match assignee {
            Assignee::User(user) => {
                let agent = AGENTS
                    .iter()
                    .find(|a| a.0 == user)
                    .copied()
                    .unwrap_or(AGENTS[0]);
                let mut object = agent_json(agent, account_id);
                if rng.bool()
                    && let Value::Object(o) = &mut object
                {
                    o.insert("custom_role_id".into(), json!(4));
                }
                map.insert("assignee".into(), object);
                map.insert("assignee_type".into(), json!("User"));
            }
            Assignee::Bot => {
                map.insert("assignee".into(), bot_json(bot));
                map.insert("assignee_type".into(), json!("AgentBot"));
            }
            Assignee::Nobody => {}
        }
        if let Some((team_id, name, description)) = team {
            map.insert(
                "team".into(),
                json!({
                    "id": team_id,
                    "name": name,
                    "description": description,
                    "allow_auto_assign": team_id % 2 == 1,
                    "account_id": account_id,
                    "is_member": team_id == 1,
                }),
            );
        }
    }

    let snoozed_until = (status == "snoozed").then(|| {
        let until = CLOCK_BASE_SECS + rng.i64(3_600..7 * 86_400);
        text::iso_millis((until / 3_600 * 3_600) * 1000)
    });
    let seen = |rng: &mut fastrand::Rng| {
        if rng.u8(..3) == 0 {
            0
        } else {
            last_activity_at - rng.i64(0..3_600)
        }
    };
    let mut json = json!({
        "id": id,
        "account_id": account_id,
        "uuid": text::uuid(rng),
        "agent_last_seen_at": seen(rng),
        "assignee_last_seen_at": seen(rng),
        "can_reply": channel != "Channel::Email" || rng.bool(),
        "contact_last_seen_at": seen(rng),
        "inbox_id": inbox_id,
        "labels": labels,
        "muted": rng.u8(..15) == 0,
        "snoozed_until": snoozed_until,
        "status": status,
        "created_at": created_at,
        "updated_at": updated_at,
        "timestamp": last_activity_at,
        "first_reply_created_at": first_reply,
        "unread_count": unread_count,
        "last_activity_at": last_activity_at,
        "priority": priority.map(|p| PRIORITIES[p]),
        "waiting_since": waiting_since,
    });
    put(&mut json, "messages", Value::Array(messages));
    put(
        &mut json,
        "additional_attributes",
        conversation_additional_attributes(rng, channel),
    );
    put(
        &mut json,
        "custom_attributes",
        conversation_custom_attributes(rng),
    );
    put(
        &mut json,
        "last_non_activity_message",
        last_non_activity_json,
    );
    put(&mut json, "meta", meta);
    // Enterprise SLA keys on some conversations only.
    if rng.u8(..5) == 0
        && let Value::Object(map) = &mut json
    {
        let sla_id = rng.i64(1..=3);
        map.insert("sla_policy_id".into(), json!(sla_id));
        map.insert(
            "applied_sla".into(),
            json!({
                "id": 300 + id % 1000,
                "sla_id": sla_id,
                "sla_status": pick(rng, &["active", "hit", "missed", "active_with_misses"]),
                "created_at": created_at + 1,
                "updated_at": created_at + 215,
                "sla_name": "VIP – phản hồi trong 15 phút",
                "sla_description": null,
                "sla_first_response_time_threshold": 900.0,
                "sla_next_response_time_threshold": 1800.0,
                "sla_only_during_business_hours": false,
                "sla_resolution_time_threshold": 86400.0,
            }),
        );
        let events: Vec<Value> = ["frt", "nrt", "rt"]
                .iter()
                .take(rng.usize(..=3))
                .enumerate()
                .map(|(i, kind)| {
                    let at = created_at + 900 * (i as i64 + 1);
                    json!({"id": 1400 + id % 1000 * 3 + i as i64, "event_type": kind, "meta": {}, "created_at": at, "updated_at": at})
                })
                .collect();
        map.insert("sla_events".into(), Value::Array(events));
    }
    Conversation {
        id,
        status,
        assignee,
        inbox_id,
        team_id: team.map(|t| t.0),
        labels,
        text: contents.join("\n"),
        source_id,
        mentioned,
        priority,
        created_at,
        last_activity_at,
        waiting_since,
        updated_at,
        json,
    }
}

struct MessageContext<'a> {
    account_id: i64,
    inbox_id: i64,
    conversation_id: i64,
    assignee_id: Option<i64>,
    unread_count: i64,
    last_activity_at: i64,
    source_id: &'a str,
    contact: &'a Value,
    contact_id: i64,
}

fn agent_json(agent: (i64, &str, &str, &str, &str), account_id: i64) -> Value {
    let (id, name, available_name, email, role) = agent;
    json!({
        "id": id,
        "account_id": account_id,
        "availability_status": *["online", "busy", "offline"].get(id as usize % 3).unwrap_or(&"online"),
        "auto_offline": true,
        "confirmed": true,
        "email": email,
        "available_name": available_name,
        "name": name,
        "role": role,
        "thumbnail": format!("https://chat.vietmart.example/rails/active_storage/representations/redirect/agent{id}/avatar.png"),
    })
}

fn bot_json(bot: (i64, &str, &str)) -> Value {
    let (id, name, description) = bot;
    json!({
        "id": id,
        "name": name,
        "description": description,
        "avatar_url": "https://chat.vietmart.example/packs/media/images/bot-avatar.png",
        "thumbnail": "https://chat.vietmart.example/packs/media/images/bot-avatar.png",
    })
}

fn message_json(
    rng: &mut fastrand::Rng,
    spec: &MessageSpec<'_>,
    ctx: &MessageContext<'_>,
) -> Value {
    let (sender_type, sender_id, sender): (Option<&str>, Option<i64>, Option<Value>) = match spec
        .sender
    {
        Sender::Contact => {
            let mut sender = ctx.contact.clone();
            if let Value::Object(map) = &mut sender {
                map.remove("created_at");
                map.remove("last_activity_at");
                map.remove("availability_status");
            }
            (Some("Contact"), Some(ctx.contact_id), Some(sender))
        }
        Sender::Agent(index) => {
            let (id, name, available_name, _, _) = AGENTS[index % AGENTS.len()];
            let avatar = format!(
                "https://chat.vietmart.example/rails/active_storage/representations/redirect/agent{id}/avatar.png"
            );
            (
                Some("User"),
                Some(id),
                Some(json!({
                    "id": id,
                    "name": name,
                    "available_name": available_name,
                    "avatar_url": avatar,
                    "type": "user",
                    "availability_status": "online",
                    "thumbnail": avatar,
                })),
            )
        }
        Sender::Bot(index) => {
            let (id, name, _) = BOTS[index % BOTS.len()];
            (
                Some("AgentBot"),
                Some(id),
                Some(json!({
                    "id": id,
                    "name": name,
                    "avatar_url": "https://chat.vietmart.example/packs/media/images/bot-avatar.png",
                    "type": "agent_bot",
                })),
            )
        }
        Sender::Assistant => (
            Some("Captain::Assistant"),
            Some(2),
            Some(json!({
                "id": 2,
                "name": "Trợ lý Mây ☁️",
                "avatar_url": "",
                "description": "Tóm tắt hội thoại và gợi ý câu trả lời cho nhân viên",
                "created_at": 1_756_782_900,
                "type": "captain_assistant",
            })),
        ),
        Sender::Nobody => (None, None, None),
    };
    let content_attributes = match (spec.content_type, spec.status) {
        ("input_select", status) => {
            let mut attributes = json!({"items": [
                {"title": "ติดตามพัสดุ 📦", "value": "track_parcel"},
                {"title": "Đổi trả", "value": "return"},
                {"title": "担当者と話す", "value": "human"},
            ]});
            if status == "failed"
                && let Value::Object(map) = &mut attributes
            {
                map.insert(
                    "external_error".into(),
                    json!("Forbidden: bot was blocked by the user"),
                );
            }
            attributes
        }
        ("voice_call", _) => json!({"data": {
            "call_direction": "inbound",
            "status": "no-answer",
            "duration_seconds": 0,
            "started_at": spec.created_at,
            "recording_url": null,
        }}),
        (_, "failed") => json!({"external_error": "Message could not be delivered"}),
        _ if rng.u8(..4) == 0 => json!({"in_reply_to": spec.id - rng.i64(1..=20)}),
        _ => json!({}),
    };
    let source_id = match spec.sender {
        Sender::Contact if rng.bool() => Some(format!("wamid.{}", text::token_chars(rng, 28))),
        _ => None,
    };
    let processed = spec.content.filter(|_| spec.message_type != 2);
    let updated_millis = spec.created_at * 1000 + i64::from(rng.u16(0..2_000));
    let mut json = json!({
        "id": spec.id,
        "content": spec.content,
        "account_id": ctx.account_id,
        "inbox_id": ctx.inbox_id,
        "conversation_id": ctx.conversation_id,
        "message_type": spec.message_type,
        "created_at": spec.created_at,
        "updated_at": text::iso_millis(updated_millis),
        "private": spec.private,
        "status": spec.status,
        "source_id": source_id,
        "content_type": spec.content_type,
        "sender_type": sender_type,
        "sender_id": sender_id,
        "external_source_ids": {},
        "additional_attributes": {},
        "processed_message_content": processed,
        "sentiment": {},
        "conversation": {
            "assignee_id": ctx.assignee_id,
            "unread_count": ctx.unread_count,
            "last_activity_at": ctx.last_activity_at,
            "contact_inbox": {"source_id": ctx.source_id},
        },
    });
    put(&mut json, "content_attributes", content_attributes);
    if let Value::Object(map) = &mut json {
        if spec.attachments {
            let count = rng.usize(1..=3);
            let attachments: Vec<Value> = (0..count)
                .map(|i| attachment_json(rng, spec.id, ctx.account_id, spec.id * 10 + i as i64))
                .collect();
            map.insert("attachments".into(), Value::Array(attachments));
        }
        if let Some(sender) = sender {
            map.insert("sender".into(), sender);
        }
    }
    json
}

fn attachment_json(rng: &mut fastrand::Rng, message_id: i64, account_id: i64, id: i64) -> Value {
    let blob = text::token_chars(rng, 20);
    let base = "https://chat.vietmart.example/rails/active_storage";
    let (file_type, extension, name, size) = pick(
        rng,
        &[
            ("image", None, "don-hang.jpg", 284_113),
            ("file", Some("pdf"), "hoa-don-dien-tu.pdf", 96_530),
            ("audio", Some("ogg"), "ghi-am.ogg", 40_211),
            ("video", Some("mp4"), "ビデオ.mp4", 5_242_880),
        ],
    );
    let image = file_type == "image";
    json!({
        "id": id,
        "message_id": message_id,
        "file_type": file_type,
        "account_id": account_id,
        "extension": extension,
        "data_url": format!("{base}/blobs/redirect/{blob}/{name}"),
        "thumb_url": if image { format!("{base}/representations/redirect/{blob}/{name}") } else { String::new() },
        "file_size": size,
        "width": image.then_some(1080),
        "height": image.then_some(1440),
    })
}

fn contact_custom_attributes(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..4) {
        0 => json!({}),
        1 => json!({"loyalty_tier": "gold", "lifetime_orders": rng.u32(1..60), "newsletter": true}),
        2 => {
            json!({"source": "wa-ads-tet-2026", "last_order_value": 1_250_000.5, "interests": ["trà", "bánh", 3], "referral_code": null})
        }
        _ => {
            json!({"vip": false, "orders": 0, "preferred_store": {"id": 14, "name": "Chi nhánh Cầu Giấy"}})
        }
    }
}

fn conversation_custom_attributes(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..3) {
        0 => json!({}),
        1 => json!({
            "order_id": format!("DH-2026-{:05}", rng.u32(..100_000)),
            "order_total": 1_250_000,
            "refund_approved": false,
            "rating": 4.5,
            "shipping": {"carrier": "GHTK", "city": "Hà Nội", "eta_days": 2, "cod": true},
            "skus": ["OL-500G", 88213, null],
            "coupon": null,
        }),
        _ => json!({"campaign": "tet-2026", "budget_vnd": 5_000_000, "callback_requested": true}),
    }
}

fn conversation_additional_attributes(rng: &mut fastrand::Rng, channel: &str) -> Value {
    match channel {
        "Channel::WebWidget" => json!({
            "browser": {"device_name": "Unknown", "browser_name": "Chrome", "platform_name": "Android", "browser_version": "131.0.6778.135", "platform_version": "14"},
            "referer": "https://shop.vietmart.example/gio-hang?ref=zalo",
            "initiated_at": {"timestamp": "Wed Jan 14 2026 16:58:02 GMT+0700 (Giờ Đông Dương)"},
            "browser_language": "vi",
        }),
        "Channel::Email" => json!({
            "mail_subject": "注文のキャンセルについて / Huỷ đơn hàng",
            "source": "email",
            "in_reply_to": null,
            "cc_email": ["ops@vietmart.example"],
            "bcc_email": null,
            "auto_reply": false,
        }),
        "Channel::Telegram" => {
            json!({"chat_id": rng.u64(1_000_000_000..7_000_000_000), "language": "th"})
        }
        "Channel::Whatsapp" => {
            json!({"referral": {"source_type": "ad", "headline": "Tết sale – giảm 30% 🧧", "ctwa_clid": null}})
        }
        _ => json!({}),
    }
}
