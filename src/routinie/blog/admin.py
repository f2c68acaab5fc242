"""The blog's console is the admin: staff write posts (with a rendered preview) and moderate
comments. A comment's IP address is shown here, to staff, and nowhere else."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString

from routinie.accounts.models import User
from routinie.blog.comments import moderate
from routinie.blog.models import Comment, Post
from routinie.blog.posts import prepare_for_saving, publication_defaults
from routinie.core.safe_markdown import render_markdown
from routinie.privacy.admin import LogsStaffAccess


class PublicationFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Post]) -> QuerySet[Post]:
        now = timezone.now()
        if self.value() == "draft":
            return queryset.filter(is_draft=True)
        if self.value() == "scheduled":
            return queryset.filter(is_draft=False, published_at__gt=now)
        if self.value() == "published":
            return queryset.filter(is_draft=False, published_at__lte=now)
        return queryset


class PostForm(forms.ModelForm[Post]):
    class Meta:
        model = Post
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "author_name",
            "is_draft",
            "published_at",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("title"):
            data["slug"], data["published_at"] = publication_defaults(
                title=data["title"],
                slug=data.get("slug") or "",
                is_draft=bool(data.get("is_draft")),
                published_at=data.get("published_at"),
                pk=self.instance.pk,
            )
        return data


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    form = PostForm
    list_display = ["title", "state", "published_at", "author_name", "updated_at"]
    list_filter = [PublicationFilter]
    search_fields = ["title", "summary", "body"]
    readonly_fields = ["preview", "created_at", "updated_at"]
    fields = [
        "title",
        "slug",
        "summary",
        "body",
        "preview",
        "author_name",
        "is_draft",
        "published_at",
        "created_at",
        "updated_at",
    ]
    view_on_site = True

    @admin.display(description="state")
    def state(self, obj: Post) -> str:
        if obj.is_draft:
            return "draft"
        return "published" if obj.is_public() else "scheduled"

    @admin.display(description="preview (as readers see it; saved text)")
    def preview(self, obj: Post) -> SafeString | str:
        return render_markdown(obj.body) if obj.body else "—"

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        if isinstance(request.user, User):
            initial.setdefault("author_name", request.user.name)
        return initial

    def save_model(self, request: HttpRequest, obj: Post, form: Any, change: bool) -> None:
        prepare_for_saving(obj)
        super().save_model(request, obj, form, change)


@admin.register(Comment)
class CommentAdmin(LogsStaffAccess):
    list_display = ["short_text", "name", "post", "status", "created_at", "ip_address"]
    list_filter = ["status"]
    list_select_related = ["post"]
    search_fields = ["name", "text"]
    raw_id_fields = ["user", "post"]
    readonly_fields = ["ip_address", "created_at", "moderated_at"]
    actions = ["approve", "reject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # comments come from readers, through the post's form

    @admin.display(description="comment")
    def short_text(self, obj: Comment) -> str:
        return obj.text if len(obj.text) <= 80 else obj.text[:79] + "…"

    @admin.action(description="Approve the selected comments (they are shown)")
    def approve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = moderate(comments=queryset, approve=True)
        self.message_user(request, f"{count} comment(s) approved.", messages.SUCCESS)

    @admin.action(description="Reject the selected comments (hidden, later deleted by the purge)")
    def reject(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = moderate(comments=queryset, approve=False)
        self.message_user(request, f"{count} comment(s) rejected.", messages.SUCCESS)
