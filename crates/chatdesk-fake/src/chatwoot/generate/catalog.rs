//! The Chatwoot account's fixed cast: its agents, bots, teams and
//! inboxes, and the JSON each shows as a conversation's assignee or team
//! or as a message's sender.

use serde_json::{Value, json};

use super::super::model::{Assignee, ME};

/// (id, name, available name, email, role)
pub(crate) const AGENTS: &[(i64, &str, &str, &str, &str)] = &[
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
pub(crate) const BOTS: &[(i64, &str, &str)] = &[
    (5, "น้องส้ม บอท 🤖", "ตอบคำถามเรื่องพัสดุและการคืนสินค้าอัตโนมัติ"),
    (6, "Bot Mây 🤖", "Trả lời câu hỏi thường gặp 24/7"),
];
/// (id, name, description)
pub(crate) const TEAMS: &[(i64, &str, Option<&str>)] = &[
    (
        1,
        "Chăm sóc khách hàng 🇻🇳",
        Some("Đổi trả, hoàn tiền và khiếu nại giao hàng"),
    ),
    (2, "ฝ่ายขาย", None),
    (3, "サポート", Some("日本語のお問い合わせ")),
    (4, "Billing", Some("Invoices and refunds")),
];
/// Who is in each team: (team id, agent ids in the order they joined).
pub(crate) const TEAM_MEMBERS: &[(i64, &[i64])] =
    &[(1, &[1, 4]), (2, &[2]), (3, &[3]), (4, &[1, 2])];
/// (inbox id, channel class)
pub(crate) const INBOXES: &[(i64, &str)] = &[
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

/// An agent as the agent listing and a conversation's assignee show it.
/// `custom_role_id` is an Enterprise key: present on every agent, null
/// but for the one with a custom role.
pub(crate) fn agent_json(agent: (i64, &str, &str, &str, &str), account_id: i64) -> Value {
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
        "custom_role_id": (id == 3).then_some(4),
    })
}

/// A bot as a conversation's assignee.
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

/// A team as the team listing and a conversation's `meta.team` show it;
/// `is_member` says whether the token's user is in it.
pub(crate) fn team_json(team: (i64, &str, Option<&str>), account_id: i64) -> Value {
    let (team_id, name, description) = team;
    json!({
        "id": team_id,
        "name": name,
        "description": description,
        "allow_auto_assign": team_id % 2 == 1,
        "account_id": account_id,
        "is_member": team_members(team_id).contains(&ME),
    })
}

/// The agent ids of team `team_id`, in the order they joined.
pub(crate) fn team_members(team_id: i64) -> &'static [i64] {
    TEAM_MEMBERS
        .iter()
        .find(|(id, _)| *id == team_id)
        .map_or(&[], |(_, members)| *members)
}

/// Who handles a conversation: a conversation's `meta` but its contact
/// (`sender`), which is put in when the contact is complete.
pub(crate) struct Meta {
    pub(crate) channel: &'static str,
    pub(crate) assignee: Assignee,
    /// The bot, shown when the bot is the assignee.
    pub(crate) bot: (i64, &'static str, &'static str),
    pub(crate) team: Option<(i64, &'static str, Option<&'static str>)>,
    pub(crate) account_id: i64,
}

/// A conversation's `meta`: channel, HMAC check, assignee, team.
pub(crate) fn meta_json(rng: &mut fastrand::Rng, parts: Meta) -> Value {
    let Meta {
        channel,
        assignee,
        bot,
        team,
        account_id,
    } = parts;
    let mut meta = json!({
        "channel": channel,
        "hmac_verified": match rng.u8(..3) { 0 => Value::Null, 1 => json!(true), _ => json!(false) },
    });
    if let Value::Object(map) = &mut meta {
        match assignee {
            Assignee::User(user) => {
                let agent = AGENTS
                    .iter()
                    .find(|a| a.0 == user)
                    .copied()
                    .unwrap_or(AGENTS[0]);
                map.insert("assignee".into(), agent_json(agent, account_id));
                map.insert("assignee_type".into(), json!("User"));
            }
            Assignee::Bot => {
                map.insert("assignee".into(), bot_json(bot));
                map.insert("assignee_type".into(), json!("AgentBot"));
            }
            Assignee::Nobody => {}
        }
        if let Some(team) = team {
            map.insert("team".into(), team_json(team, account_id));
        }
    }
    meta
}

/// The agent at `index` as a message's sender: (id, JSON).
pub(crate) fn agent_sender(index: usize) -> (i64, Value) {
    let (id, name, available_name, _, _) = AGENTS[index % AGENTS.len()];
    let avatar = format!(
        "https://chat.vietmart.example/rails/active_storage/representations/redirect/agent{id}/avatar.png"
    );
    (
        id,
        json!({
            "id": id,
            "name": name,
            "available_name": available_name,
            "avatar_url": avatar,
            "type": "user",
            "availability_status": "online",
            "thumbnail": avatar,
        }),
    )
}

/// The bot at `index` as a message's sender: (id, JSON).
pub(crate) fn bot_sender(index: usize) -> (i64, Value) {
    let (id, name, _) = BOTS[index % BOTS.len()];
    (
        id,
        json!({
            "id": id,
            "name": name,
            "avatar_url": "https://chat.vietmart.example/packs/media/images/bot-avatar.png",
            "type": "agent_bot",
        }),
    )
}

/// The AI assistant as a message's sender: (id, JSON).
pub(crate) fn assistant_sender() -> (i64, Value) {
    (
        2,
        json!({
            "id": 2,
            "name": "Trợ lý Mây ☁️",
            "avatar_url": "",
            "description": "Tóm tắt hội thoại và gợi ý câu trả lời cho nhân viên",
            "created_at": 1_756_782_900,
            "type": "captain_assistant",
        }),
    )
}
