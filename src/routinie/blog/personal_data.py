"""The blog app's tables in the personal-data registry (see privacy/registry.py)."""

from django.conf import settings

from routinie.core.data_rules import KEY, LINK, OPERATIONS, SECURITY, Rule, Table, not_personal

COMMENTS = "blog comments"
COMMENT_RETENTION = (
    f"until staff delete the comment (a rejected one: {settings.BLOG_REJECTED_COMMENT_DAYS} days "
    "after the decision); a signed-in commenter's comments go with the account"
)
IP_RETENTION = f"{settings.BLOG_COMMENT_IP_DAYS} days, then cleared; the comment stays"
POST_RETENTION = "as long as the post is published"

TABLES: list[Table] = [
    Table(
        "blog.Post",
        "the blog's posts, written by staff",
        None,
        {
            "id": KEY,
            "title": not_personal("the post's title", POST_RETENTION),
            "slug": not_personal("the post's address", POST_RETENTION),
            "summary": not_personal("the post's summary", POST_RETENTION),
            "body": not_personal("the post's text", POST_RETENTION),
            "author_name": Rule(
                OPERATIONS, "the name staff sign a post with, shown on it", POST_RETENTION
            ),
            "is_draft": not_personal("whether the post is still a draft", POST_RETENTION),
            "published_at": not_personal("when the post becomes public", POST_RETENTION),
            "created_at": not_personal("when the post was started", POST_RETENTION),
            "updated_at": not_personal("when the post last changed (the feed)", POST_RETENTION),
        },
    ),
    Table(
        "blog.Comment",
        "comments on the blog (yours, when you were signed in)",
        "user",
        {
            "id": KEY,
            "post": LINK,
            "user": LINK,
            "name": Rule(COMMENTS, "shown with your comment", COMMENT_RETENTION),
            "email": Rule(
                COMMENTS,
                "optional, never shown: so staff can answer you, and to recognise a commenter "
                "whose earlier comment was approved (no moderation wait)",
                COMMENT_RETENTION,
            ),
            "text": Rule(COMMENTS, "your comment", COMMENT_RETENTION),
            "ip_address": Rule(
                SECURITY,
                "the IP address a comment came from, seen by staff only, to handle abuse",
                IP_RETENTION,
            ),
            "status": not_personal("awaiting moderation, approved or rejected", COMMENT_RETENTION),
            "created_at": Rule(COMMENTS, "when you commented", COMMENT_RETENTION),
            "moderated_at": not_personal("when staff approved or rejected it", COMMENT_RETENTION),
        },
    ),
]
