//! The ChatbotX workspace's fixed cast: its inboxes, users, teams and
//! tags, and the JSON each shows as a relation of a contact or a
//! conversation.

use serde_json::{Value, json};

/// The workspace every row belongs to.
pub(crate) const WORKSPACE: &str = "7";
/// The root tenant's id, which users carry as `tenantId` unless they
/// belong to a reseller's tenant.
const ROOT_TENANT: &str = "1";
/// A reseller's tenant, and the one user of [`USERS`] who belongs to it.
const RESELLER_TENANT: (&str, &str) = ("72057594100663297", "72057594055803393");

/// (id, name, channel, source id, status)
pub(crate) const INBOXES: &[(&str, &str, &str, Option<&str>, &str)] = &[
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
pub(crate) const USERS: &[(&str, &str, &str)] = &[
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
pub(crate) const TEAMS: &[(&str, &str)] = &[
    ("72057594061234177", "Bán hàng miền Nam 🌴"),
    ("72057594061234433", "ทีมซัพพอร์ต"),
    ("31", "サポート"),
];
/// (id, name, folder id)
pub(crate) const TAGS: &[(&str, &str, Option<&str>)] = &[
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

/// An inbox as a contact inbox or a conversation shows it.
pub(crate) fn inbox_json(inbox: &(&str, &str, &str, Option<&str>, &str)) -> Value {
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

/// A tag as a contact's `tags` shows it.
pub(crate) fn tag_json(tag_id: &str, name: &str) -> Value {
    let folder = TAGS.iter().find(|t| t.0 == tag_id).and_then(|t| t.2);
    json!({
        "id": tag_id,
        "createdAt": "2025-07-01T02:00:00.000Z",
        "updatedAt": "2025-07-01T02:00:00.000Z",
        "name": name,
        "deletedAt": null,
        "folderId": folder,
        "workspaceId": WORKSPACE,
    })
}

/// The user with id `user` as a conversation's `assignedUser`, if there
/// is one.
pub(crate) fn user_json(user: &str) -> Option<Value> {
    USERS
        .iter()
        .find(|u| u.0 == user)
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
        })
}

/// A team as a conversation's `assignedInboxTeam`.
pub(crate) fn team_json(team: (&str, &str)) -> Value {
    let (tid, name) = team;
    json!({
        "id": tid,
        "createdAt": "2025-11-20T03:00:00.000Z",
        "updatedAt": "2025-11-20T03:00:00.000Z",
        "workspaceId": WORKSPACE,
        "name": name,
    })
}
