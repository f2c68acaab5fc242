"""The policy app's tables in the personal-data registry (see privacy/registry.py)."""

from routinie.core.data_rules import (
    CONSENT,
    KEY,
    LINK,
    OPERATIONS,
    USAGE,
    Rule,
    Table,
    not_personal,
)

TABLES: list[Table] = [
    Table(
        "policy.PolicyVersion",
        "the versions of the privacy policy",
        None,
        {
            "id": KEY,
            "version": not_personal("the version number", "kept for ever: the policy's history"),
            "effective_at": not_personal("when the version takes effect", "kept for ever"),
            "source": not_personal("the text staff wrote, with fact placeholders", "kept for ever"),
            "text": not_personal("the policy's text", "kept for ever"),
            "summary": not_personal("what changed", "kept for ever"),
            "announced_at": not_personal("when notice e-mails were queued", "kept for ever"),
            "reduces_rights": not_personal(
                "whether users must be told by e-mail first", "kept for ever"
            ),
            "published_at": not_personal("when staff published it", "kept for ever"),
        },
    ),
    Table(
        "policy.PolicyAcceptance",
        "which version of the privacy policy you accepted",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "version": LINK,
            "accepted_at": Rule(CONSENT, "proof of which policy you accepted, and when"),
        },
    ),
    Table(
        "policy.PolicyNotice",
        "the e-mails telling you of a change to the privacy policy",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "version": LINK,
            "sent_at": Rule(CONSENT, "proof that you were told of a change before it took effect"),
            "message_id": Rule(OPERATIONS, "to send each notice once and thread replies to it"),
        },
    ),
    Table(
        "policy.PolicyBannerShown",
        "that you saw the banner about a new privacy policy",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "version": LINK,
            "shown_at": Rule(USAGE, "to show the banner about a new version only once"),
        },
    ),
]
