"""Blog pages: the list, a post with its comments and the comment form. Reading sets no cookie;
commenting is guarded without one (see comment_guard.py)."""

from contextlib import suppress
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from routinie.accounts.models import User
from routinie.blog import comment_guard
from routinie.blog.comments import (
    CommentInput,
    add_comment,
    approved_comments,
    comment_limit,
    storable_address,
)
from routinie.blog.forms import HONEYPOT, CommentForm
from routinie.blog.models import Comment, Post
from routinie.blog.posts import body_html, post_for_reader, published_posts
from routinie.core.errors import DomainError, RateLimited
from routinie.core.forms import add_domain_errors
from routinie.core.throttling import client_address

NOTICES = {"pending", "approved"}


@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(published_posts(), settings.BLOG_POSTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "blog/list.html", {"page": page})


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _page(
    request: HttpRequest, post: Post, form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    if form is None:
        form = CommentForm(signed_in=user is not None, initial={"name": user.name if user else ""})
    context: dict[str, Any] = {
        "post": post,
        "body_html": body_html(post),
        "comments": approved_comments(post),
        "form": form,
        "form_token": comment_guard.form_token_for(
            post_id=post.pk, sent=request.POST.get("token", "")
        ),
        "ip_days": settings.BLOG_COMMENT_IP_DAYS,
        "is_public": post.is_public(),
        "notice": _notice(request),
    }
    return render(request, "blog/detail.html", context, status=status)


def _notice(request: HttpRequest) -> str | None:
    """After a comment: whether it awaits moderation or is shown (from the redirect's query)."""
    notice = request.GET.get("comment")
    return notice if request.method != "POST" and notice in NOTICES else None


@csrf_exempt  # anonymous commenters have no CSRF cookie; comment_guard protects the form
@require_http_methods(["GET", "HEAD", "POST"])
def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method != "POST":
        user = _user(request)
        return _page(request, post_for_reader(slug=slug, staff=bool(user and user.is_staff)))
    post = post_for_reader(slug=slug, staff=False)
    refusal = comment_guard.csrf_refusal(request)
    if refusal is not None:
        return refusal
    if not comment_guard.is_same_origin(request):
        return render(request, "blog/refused.html", {"post": post}, status=403)
    return _comment(request, post)


def _comment(request: HttpRequest, post: Post) -> HttpResponse:
    user = _user(request)
    limit, client = comment_limit(), client_address(request)
    form = CommentForm(request.POST, signed_in=user is not None)
    if request.POST.get(HONEYPOT):
        with suppress(RateLimited):
            limit.take(client)
        return _done(post, Comment.Status.PENDING, None)  # a bot: pretend, store nothing
    if not form.is_valid():
        return _page(request, post, form, status=422)
    slot = None
    try:
        comment_guard.check_form_token(token=request.POST.get("token", ""), post_id=post.pk)
        slot = limit.take(client)
        comment = add_comment(
            post=post,
            user=user,
            data=CommentInput(
                name=form.cleaned_data["name"],
                email=form.cleaned_data.get("email") or "",
                text=form.cleaned_data["text"],
            ),
            ip_address=storable_address(client),
        )
    except DomainError as error:
        if slot is not None:  # a comment refused for its content does not count
            slot.give_back()
        return _refused(request, post, form, error)
    return _done(post, comment.status, comment.pk)


def _refused(
    request: HttpRequest, post: Post, form: CommentForm, error: DomainError
) -> HttpResponse:
    if isinstance(error, RateLimited):
        minutes = max(1, round(error.retry_after / 60))
        form.add_error(
            None,
            f"You have sent several comments in a short time. Please wait about {minutes} "
            f"minute{'s' if minutes != 1 else ''} before sending another.",
        )
        response = _page(request, post, form, status=429)
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    add_domain_errors(form, error)
    return _page(request, post, form, status=422)


def _done(post: Post, status: str, comment_id: int | None) -> HttpResponse:
    anchor = f"comment-{comment_id}" if status == Comment.Status.APPROVED else "comment-notice"
    response = HttpResponseRedirect(f"{post.get_absolute_url()}?comment={status}#{anchor}")
    response.status_code = 303
    return response
