"""The support app's tables in the personal-data registry (see privacy/registry.py)."""

from routinie.core.data_rules import KEY, LINK, Rule, Table

SUPPORT = "support conversations"
SUPPORT_RETENTION = (
    "kept for later reference: while open (with an account, as long as it exists); deleted "
    "SUPPORT_CLOSED_RETENTION_DAYS (default 365) days after it was closed, and without an "
    "account also that long after its last message"
)

TABLES: list[Table] = [
    Table(
        "support.Conversation",
        "your conversations with support (chat and e-mail)",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "sender_email": Rule(
                SUPPORT,
                "where to answer someone without an account who wrote by e-mail",
                SUPPORT_RETENTION,
            ),
            "subject": Rule(SUPPORT, "what the conversation is about", SUPPORT_RETENTION),
            "status": Rule(SUPPORT, "whether it is open or closed", SUPPORT_RETENTION),
            "created_at": Rule(SUPPORT, "when it began", SUPPORT_RETENTION),
            "last_message_at": Rule(SUPPORT, "to list conversations in order", SUPPORT_RETENTION),
            "waiting_since": Rule(
                SUPPORT, "so staff answer whoever waits longest first", SUPPORT_RETENTION
            ),
            "staff_replied_at": Rule(
                SUPPORT, "to show you a reply you have not read", SUPPORT_RETENTION
            ),
            "user_seen_at": Rule(SUPPORT, "when you last read the conversation", SUPPORT_RETENTION),
            "closed_at": Rule(
                SUPPORT, "when it was closed; the retention counts from it", SUPPORT_RETENTION
            ),
        },
    ),
    Table(
        "support.Message",
        "the messages of your support conversations",
        "conversation__user",
        {
            "id": KEY,
            "conversation": LINK,
            "author": Rule(SUPPORT, "whether you or support wrote it", SUPPORT_RETENTION),
            "channel": Rule(SUPPORT, "chat or e-mail", SUPPORT_RETENTION),
            "staff": LINK,
            "body": Rule(SUPPORT, "what was written, kept for later reference", SUPPORT_RETENTION),
            "attachments": Rule(
                SUPPORT,
                "names, types and sizes of attachments (their content is not kept)",
                SUPPORT_RETENTION,
            ),
            "message_id": Rule(
                SUPPORT,
                "the e-mail's Message-ID: threads replies, stores a message once",
                SUPPORT_RETENTION,
            ),
            "created_at": Rule(SUPPORT, "when it was written", SUPPORT_RETENTION),
            "sent_at": Rule(
                SUPPORT, "when a reply's e-mail copy went out (sent once)", SUPPORT_RETENTION
            ),
        },
    ),
]
