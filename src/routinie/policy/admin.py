from django.contrib import admin

from routinie.policy.models import PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "effective_at", "reduces_rights", "published_at"]
    readonly_fields = ["published_at"]
