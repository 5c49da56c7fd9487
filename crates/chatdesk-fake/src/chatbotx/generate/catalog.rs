//! The ChatbotX workspace's fixed cast: the workspace itself, its
//! inboxes, members (the users conversations are assigned to), teams,
//! tags, custom fields and bot fields, and the JSON each shows as a
//! relation of a contact or a conversation. The catalog routes serve the
//! same cast, so that every id a contact or a conversation names can be
//! looked up.

use serde_json::{Value, json};

use crate::text::put;

/// The workspace every row belongs to.
pub(crate) const WORKSPACE: &str = "7";
/// The root tenant's id, which users carry as `tenantId` unless they
/// belong to a reseller's tenant.
const ROOT_TENANT: &str = "1";
/// A reseller's tenant, and the one user of [`USERS`] who belongs to it.
const RESELLER_TENANT: (&str, &str) = ("72057594100663297", "72057594055803393");

/// (id, name, channel, source id, status). Source ids are digits, as the
/// platforms give them (bot, page, OA or phone number ids; the server's
/// own integration id for webchat, email and API inboxes): the channel
/// listing sends them as the channels' ids.
pub(crate) const INBOXES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "72057594040000513",
        "Zalo OA VietMart",
        "zalo",
        "4318807062113927463",
        "active",
    ),
    (
        "72057594040001025",
        "VietMart Thailand",
        "messenger",
        "104857600123456",
        "active",
    ),
    (
        "72057594040001537",
        "WhatsApp CSKH",
        "whatsapp",
        "84901234567",
        "active",
    ),
    (
        "72057594040002049",
        "Telegram @vietmart_bot",
        "telegram",
        "7012345678",
        "active",
    ),
    (
        "9",
        "TikTok Shop",
        "tiktok",
        "7301234567890",
        "pending_review",
    ),
    (
        "72057594040002561",
        "Webchat",
        "webchat",
        "72057594040002305",
        "active",
    ),
    (
        "72057594040003073",
        "Instagram @vietmart",
        "instagram",
        "17841400000000000",
        "active",
    ),
    (
        "72057594040003585",
        "LINE 公式アカウント",
        "line",
        "1657123456",
        "active",
    ),
    (
        "72057594040004097",
        "Email hỗ trợ",
        "smtp",
        "72057594040003841",
        "active",
    ),
    (
        "72057594040004609",
        "API",
        "api",
        "72057594040004353",
        "active",
    ),
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
pub(crate) fn inbox_json(inbox: &(&str, &str, &str, &str, &str)) -> Value {
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

/// (id, name, type, description). Contacts carry values of the first two
/// (see [`ADDRESS_FIELD`] and [`AGE_FIELD`]); the others have none yet.
pub(crate) const CUSTOM_FIELDS: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "72057594043000001",
        "Địa chỉ giao hàng",
        "shortText",
        Some("Thành phố, tỉnh"),
    ),
    ("72057594043000002", "年齢", "number", None),
    (
        "72057594043000003",
        "วันเกิด",
        "date",
        Some("วันเกิดของลูกค้า 🎂"),
    ),
    ("72057594043000004", "Email hoá đơn", "email", None),
];
/// The custom field of a contact's address.
pub(crate) const ADDRESS_FIELD: &str = "72057594043000001";
/// The custom field of a contact's age.
pub(crate) const AGE_FIELD: &str = "72057594043000002";

/// (id, name, type, value, created): the workspace's bot fields, values
/// the flows read.
pub(crate) const BOT_FIELDS: &[(&str, &str, &str, Option<&str>, &str)] = &[
    (
        "72057594047000065",
        "hotline",
        "phoneNumber",
        Some("+842873001234"),
        "2025-08-02T04:10:00.000Z",
    ),
    (
        "72057594047000321",
        "Giờ mở cửa",
        "shortText",
        Some("8:00–21:00 🕗"),
        "2025-09-15T01:00:00.500Z",
    ),
    (
        "72057594047000577",
        "ส่วนลดเดือนนี้",
        "number",
        None,
        "2025-12-28T09:45:12.003Z",
    ),
];

/// (member id, user id, role): every user of [`USERS`] is a member of the
/// workspace; the first owns it.
pub(crate) const MEMBERS: &[(&str, &str, &str)] = &[
    ("72057594056000001", "72057594055802881", "owner"),
    ("72057594056000257", "72057594055803137", "agent"),
    ("72057594056000513", "72057594055803393", "agent"),
    ("14", "12", "agent"),
];

/// (team member id, team id, user id).
pub(crate) const TEAM_MEMBERS: &[(&str, &str, &str)] = &[
    (
        "72057594061300001",
        "72057594061234177",
        "72057594055802881",
    ),
    ("72057594061300257", "72057594061234177", "12"),
    (
        "72057594061300513",
        "72057594061234433",
        "72057594055803137",
    ),
    ("33", "31", "72057594055803393"),
];

/// A tag as the tag listings show it: only its id and name.
pub(crate) fn public_tag_json(tag_id: &str, name: &str) -> Value {
    json!({"id": tag_id, "name": name})
}

/// A custom field as the custom field listing shows it.
pub(crate) fn custom_field_json(field: &(&str, &str, &str, Option<&str>)) -> Value {
    let (id, name, field_type, description) = *field;
    json!({"id": id, "name": name, "type": field_type, "description": description})
}

/// A bot field as the bot field listing shows it.
pub(crate) fn bot_field_json(field: &(&str, &str, &str, Option<&str>, &str)) -> Value {
    let (id, name, field_type, value, _) = *field;
    json!({"id": id, "name": name, "type": field_type, "value": value})
}

/// An inbox as the channel listing shows it: the server sends the inbox's
/// source id as the channel's `id`.
pub(crate) fn channel_json(inbox: &(&str, &str, &str, &str, &str)) -> Value {
    let (_, name, channel, source_id, status) = *inbox;
    json!({"id": source_id, "name": name, "channel": channel, "status": status})
}

/// A workspace member as the member listing shows it, with the user's id,
/// name and image only.
pub(crate) fn member_json(member: &(&str, &str, &str)) -> Option<Value> {
    let (id, user_id, role) = *member;
    let user = user_json(user_id)?;
    let owner = role == "owner";
    Some(json!({
        "id": id,
        "createdAt": "2025-10-03T02:14:10.007Z",
        "updatedAt": "2026-01-05T03:22:00.000Z",
        "workspaceId": WORKSPACE,
        "userId": user_id,
        "role": role,
        "notificationChannels": {"messenger": false, "email": true, "telegram": owner, "browser": true},
        "notificationTypes": {"notifyAdmin": owner, "newMessageToHuman": true, "newOrder": owner},
        "permissions": {
            "superAdmin": owner,
            "analytics": owner,
            "flows": owner,
            "contacts": true,
            "onlyAssignedContacts": !owner,
            "emailAndPhone": owner,
            "broadcast": owner,
            "ecommerce": false,
        },
        "user": {"id": user["id"], "name": user["name"], "image": user["image"]},
    }))
}

/// A team as the team listing shows it: with its members, each with the
/// whole user.
pub(crate) fn team_with_members_json(team: (&str, &str)) -> Value {
    let mut json = team_json(team);
    let members: Vec<Value> = TEAM_MEMBERS
        .iter()
        .filter(|m| m.1 == team.0)
        .filter_map(|(id, team_id, user_id)| {
            let user = user_json(user_id)?;
            Some(json!({
                "id": id,
                "createdAt": "2025-11-20T03:05:00.000Z",
                "updatedAt": "2025-11-20T03:05:00.000Z",
                "inboxTeamId": team_id,
                "userId": user_id,
                "user": user,
            }))
        })
        .collect();
    put(&mut json, "inboxTeamMembers", Value::Array(members));
    json
}

/// The workspace, as `/v1/workspaces` shows it (its token left out).
pub(crate) fn workspace_json() -> Value {
    json!({
        "id": WORKSPACE,
        "createdAt": "2025-06-01T00:00:00.000Z",
        "updatedAt": "2026-01-12T10:41:07.319Z",
        "name": "VietMart 🛍️",
        "defaultReply": "Cảm ơn bạn đã nhắn tin! Chúng tôi sẽ trả lời sớm nhất.",
        "targetCountry": "VN",
        "language": "vi",
        "timezone": "Asia/Ho_Chi_Minh",
        "brandColor": "#E4002B",
        "developmentMode": false,
        "logo": null,
        "ownerId": MEMBERS[0].1,
        "tenantId": ROOT_TENANT,
    })
}
