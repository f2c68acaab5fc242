"""The staff's console for the privacy policy: write a draft, announce it, publish it."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from routinie.core.errors import DomainError
from routinie.policy.facts import FACTS, facts_drift, unknown_placeholders
from routinie.policy.models import PolicyVersion
from routinie.policy.publishing import (
    announce_version,
    notice_coverage,
    publish_version,
    save_draft,
)
from routinie.policy.selectors import policy_in_force

PLACEHOLDERS = ", ".join(f"{{{{ {name} }}}}" for name in FACTS)


class PolicyVersionForm(forms.ModelForm[PolicyVersion]):
    class Meta:
        model = PolicyVersion
        fields = ["source", "summary", "effective_at", "reduces_rights"]
        help_texts = {"source": f"Markdown. Facts rendered from the code: {PLACEHOLDERS}."}

    def clean_source(self) -> str:
        source = str(self.cleaned_data["source"])
        unknown = unknown_placeholders(source)
        if unknown:
            raise forms.ValidationError(
                f"Unknown placeholder(s): {', '.join(unknown)}. Known ones: {PLACEHOLDERS}."
            )
        return source


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin[PolicyVersion]):
    form = PolicyVersionForm
    list_display = ["version", "effective_at", "reduces_rights", "announced_at", "published_at"]
    readonly_fields = ["version", "announced_at", "published_at", "notices", "text"]
    actions = ["announce", "publish"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.published_at is not None:
            return [*self.readonly_fields, "source", "summary", "effective_at", "reduces_rights"]
        return list(self.readonly_fields)

    @admin.display(description="Notice e-mails")
    def notices(self, obj: PolicyVersion) -> str:
        if obj.pk is None or obj.announced_at is None:
            return "not announced"
        coverage = notice_coverage(obj)
        earliest = coverage.earliest_effective_at
        return f"{coverage.told} of {coverage.accounts} accounts told" + (
            f"; may take effect from {earliest:%d %B %Y}" if earliest else ""
        )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        current = policy_in_force()
        if current is not None and current.source:
            drifted = facts_drift(source=current.source, text=current.text)
            if drifted:
                self.message_user(
                    request,
                    f"Version {current.version} no longer states what the code does "
                    f"({', '.join(drifted)}): write and publish a new version.",
                    messages.WARNING,
                )
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and obj.published_at is not None:
            return  # a published version is read-only: nothing to save
        data = form.cleaned_data
        saved = save_draft(
            version=obj if change else None,
            source=data["source"],
            summary=data["summary"],
            effective_at=data["effective_at"],
            reduces_rights=data["reduces_rights"],
        )
        obj.pk, obj.version = saved.pk, saved.version

    def _each(self, request: HttpRequest, queryset: QuerySet[PolicyVersion], step: Any) -> None:
        for version in queryset:
            try:
                step(version_id=version.pk)
            except DomainError as error:
                self.message_user(request, f"Version {version.version}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"Version {version.version}: done.", messages.SUCCESS)

    @admin.action(description="Announce: e-mail every account about the selected version")
    def announce(self, request: HttpRequest, queryset: QuerySet[PolicyVersion]) -> None:
        self._each(request, queryset, announce_version)

    @admin.action(description="Publish the selected version")
    def publish(self, request: HttpRequest, queryset: QuerySet[PolicyVersion]) -> None:
        self._each(request, queryset, publish_version)
