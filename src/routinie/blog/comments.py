"""Comments: anyone may leave one; first-time commenters wait for a moderator (P08).

Who skips moderation: a signed-in commenter with an approved comment, and an anonymous
commenter whose e-mail address (compared without case) and name match an earlier approved
anonymous comment. That needs no new data: the address is already kept with that comment.
"""

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from routinie.accounts.models import User
from routinie.blog.models import NAME_MAX, TEXT_MAX, Comment, Post
from routinie.core.errors import FieldError, InvalidInput
from routinie.core.throttling import Limit

EMAIL_MAX = 254


@dataclass(frozen=True)
class CommentInput:
    name: str
    email: str
    text: str


def comment_limit() -> Limit:
    """Comments per client per window, counted under a keyed hash of the address."""
    return Limit(
        "blog-comment-client",
        settings.BLOG_COMMENT_THROTTLE,
        settings.BLOG_COMMENT_THROTTLE_WINDOW_SECONDS,
    )


def storable_address(address: str) -> str | None:
    """The client's address if it is a valid IP address (a proxy may send anything)."""
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def _is_email(value: str) -> bool:
    if len(value) > EMAIL_MAX:
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _validate(data: CommentInput) -> CommentInput:
    name, text, email = data.name.strip(), data.text.strip(), data.email.strip().lower()
    errors = []
    if not name:
        errors.append(
            FieldError("name", "Please give a name to show with your comment.", "required")
        )
    elif len(name) > NAME_MAX:
        errors.append(FieldError("name", f"A name has at most {NAME_MAX} characters.", "too_long"))
    if email and not _is_email(email):
        errors.append(FieldError("email", "This is not an e-mail address.", "invalid"))
    if not text:
        errors.append(FieldError("text", "Please write your comment.", "required"))
    elif len(text) > TEXT_MAX:
        errors.append(
            FieldError("text", f"A comment has at most {TEXT_MAX} characters.", "too_long")
        )
    if errors:
        raise InvalidInput("Please correct the comment.", errors)
    return CommentInput(name=name, email=email, text=text)


def is_known_commenter(*, user: User | None, name: str, email: str) -> bool:
    """Whether an earlier comment of this commenter was approved (see the module docstring)."""
    approved = Comment.objects.filter(status=Comment.Status.APPROVED)
    if user is not None:
        return approved.filter(user=user).exists()
    if not email:
        return False
    return approved.filter(user=None, email__iexact=email, name=name).exists()


def add_comment(
    *, post: Post, user: User | None, data: CommentInput, ip_address: str | None
) -> Comment:
    """Store a comment on a public post: approved at once for a known commenter, else pending."""
    clean = _validate(data)
    email = "" if user is not None else clean.email  # an account's address is on the account
    known = is_known_commenter(user=user, name=clean.name, email=email)
    with transaction.atomic():
        return Comment.objects.create(
            post=post,
            user=user,
            name=clean.name,
            email=email,
            text=clean.text,
            ip_address=ip_address,
            status=Comment.Status.APPROVED if known else Comment.Status.PENDING,
        )


def approved_comments(post: Post) -> QuerySet[Comment]:
    """What the public sees under a post, oldest first."""
    return Comment.objects.filter(post=post, status=Comment.Status.APPROVED).order_by(
        "created_at", "id"
    )


def moderate(*, comments: QuerySet[Comment], approve: bool) -> int:
    """Approve or reject these comments (staff); returns how many changed."""
    status = Comment.Status.APPROVED if approve else Comment.Status.REJECTED
    with transaction.atomic():
        return comments.exclude(status=status).update(status=status, moderated_at=timezone.now())
