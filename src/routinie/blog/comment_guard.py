"""Forgery protection for the comment form without a cookie (P10, P11, P17).

Reading the blog sets no cookie, so Django's cookie-based CSRF token cannot guard the anonymous
comment form. Instead a comment must carry both:

- a same-origin `Origin` header (or, when a browser sends none, a same-origin `Referer`): a
  page of another site cannot forge these, as browsers set them;
- a form token signed with the server secret over the post's id and the time the form was
  served (`TimestampSigner`). It proves the form came from our page for this post, and its age
  turns away bots that post faster than a person types (under BLOG_COMMENT_MIN_SECONDS) and
  stale forms (over BLOG_COMMENT_FORM_MAX_SECONDS).

A signed-in commenter already has the session cookie, so the usual CSRF token applies as well
(`csrf_refusal`).
"""

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

from routinie.core.errors import FieldError, InvalidInput

_SALT = "routinie.blog.comment-form"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT)


def issue_form_token(*, post_id: int) -> str:
    """The hidden token of a comment form for this post, stamped with the time now."""
    return _signer().sign(str(post_id))


def check_form_token(*, token: str, post_id: int) -> None:
    """Raise InvalidInput unless `token` was issued for this post, long enough ago and not
    too long ago."""
    signer = _signer()
    try:
        value = signer.unsign(token, max_age=settings.BLOG_COMMENT_FORM_MAX_SECONDS)
    except signing.SignatureExpired:
        raise _token_error("This form has expired. Please send your comment again.") from None
    except signing.BadSignature:
        raise _token_error("This form is not one of ours. Please reload the page.") from None
    if value != str(post_id):
        raise _token_error("This form belongs to another post. Please reload the page.")
    try:
        signer.unsign(token, max_age=settings.BLOG_COMMENT_MIN_SECONDS)
    except signing.SignatureExpired:
        return  # old enough: a person had the time to read and write
    raise _token_error("That was very quick. Please take a moment, then send your comment again.")


def form_token_for(*, post_id: int, sent: str = "") -> str:
    """The token for a form shown again after an error: the one sent, while it is still good
    (so its age keeps counting), else a new one."""
    try:
        if _signer().unsign(sent, max_age=settings.BLOG_COMMENT_FORM_MAX_SECONDS) == str(post_id):
            return sent
    except signing.BadSignature:
        pass
    return issue_form_token(post_id=post_id)


def _token_error(message: str) -> InvalidInput:
    return InvalidInput(message, [FieldError("token", message, "form_token")])


def _origin_of(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme.lower()}://{rest.split('/', 1)[0].lower()}" if rest else ""


def is_same_origin(request: HttpRequest) -> bool:
    """Whether the browser says the form was sent from one of our own pages."""
    own = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}".lower()
    trusted = {own, *(o.lower() for o in settings.CSRF_TRUSTED_ORIGINS)}
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin.lower() in trusted
    referer = request.META.get("HTTP_REFERER")
    return referer is not None and _origin_of(referer) in trusted


def _accept(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    """For a signed-in commenter, Django's own CSRF check (the view itself is exempt from it):
    None when the token is right, else the refusal page."""
    if not request.user.is_authenticated:
        return None
    # `_accept` stands for a view that is not csrf_exempt: the middleware checks as for any form.
    middleware = CsrfViewMiddleware(_accept)
    response: HttpResponse | None = middleware.process_view(request, _accept, (), {})
    return response
