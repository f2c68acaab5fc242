"""Each app declares its own personal data and retention rules; the registry and the purge
find them at start-up (as the admin finds admin.py) and keep only Django's and the task
queue's tables themselves. The order is the one `/privacy/data/`, the record of processing and
the published policy's facts have always had."""

from importlib import import_module

import pytest
from django.contrib import admin
from django.test import RequestFactory

from routinie.privacy import registry, retention

APPS_WITH_DATA = [
    "core",
    "accounts",
    "policy",
    "tracking",
    "privacy",
    "support",
    "blog",
    "stats",
    "billing",
]

ORDER = [
    "core.TaskHeartbeat",
    "core.TaskMail",
    "accounts.User",
    "accounts.User_groups",
    "accounts.User_user_permissions",
    "accounts.ApiToken",
    "accounts.PasswordResetToken",
    "accounts.UserSession",
    "accounts.TwoFactor",
    "accounts.RecoveryCode",
    "policy.PolicyVersion",
    "policy.PolicyAcceptance",
    "policy.PolicyNotice",
    "policy.PolicyBannerShown",
    "tracking.Project",
    "tracking.Tag",
    "tracking.TimeEntry",
    "tracking.TimeEntry_tags",
    "tracking.EntryBreak",
    "tracking.ForgottenTimer",
    "tracking.Routine",
    "tracking.RoutineStep",
    "tracking.CheckIn",
    "tracking.Goal",
    "tracking.CalendarFeed",
    "tracking.ReminderDigest",
    "tracking.SentReminder",
    "django_tasks_database.DBTaskResult",
    "privacy.DataExport",
    "privacy.PurgeRun",
    "privacy.Consent",
    "privacy.LegalRequest",
    "privacy.Disclosure",
    "privacy.StaffAccess",
    "admin.LogEntry",
    "auth.Permission",
    "auth.Group",
    "auth.Group_permissions",
    "contenttypes.ContentType",
    "support.Conversation",
    "support.Message",
    "blog.Post",
    "blog.Comment",
    "stats.KeyFigures",
    "stats.KeyFiguresRun",
    "stats.Release",
    "stats.ReleasedFigure",
    "stats.BudgetSpend",
    "billing.Subscription",
    "billing.Invoice",
    "billing.ProcessedEvent",
]


def _declared(app: str, module: str, name: str) -> list:
    return list(getattr(import_module(f"routinie.{app}.{module}"), name))


def test_every_app_with_models_declares_its_own_tables():
    assert [label for label, _ in registry.declared_tables()] == APPS_WITH_DATA
    for app in APPS_WITH_DATA:
        tables = _declared(app, "personal_data", "TABLES")
        assert tables, app
        assert {t.label.split(".")[0] for t in tables} == {app}, app


def test_the_registry_is_every_apps_tables_plus_its_own_and_nothing_else():
    from_apps = [t for app in APPS_WITH_DATA for t in _declared(app, "personal_data", "TABLES")]
    own = [*registry.TASK_QUEUE_TABLES, *registry.DJANGO_TABLES]
    assert sorted(map(id, registry.TABLES)) == sorted(map(id, from_apps + own))
    assert len(registry.BY_LABEL) == len(registry.TABLES)
    assert {t.label.split(".")[0] for t in own} == {
        "django_tasks_database",
        "admin",
        "auth",
        "contenttypes",
    }


def test_the_registry_keeps_its_order():
    assert [t.label for t in registry.TABLES] == ORDER


def test_discovery_runs_again_to_the_same_result():
    before = list(registry.TABLES)
    assert registry.discover() is registry.TABLES
    assert before == registry.TABLES
    rules = list(retention.ENFORCED)
    assert retention.discover() == rules


def test_the_purge_enforces_every_apps_rules_in_app_order():
    apps_with_rules = ["core", "accounts", "tracking", "privacy", "support", "blog", "billing"]
    assert [label for label, _ in retention.declared_rules()] == apps_with_rules
    assert [
        rule for app in apps_with_rules for rule in _declared(app, "retention", "RULES")
    ] == retention.ENFORCED
    assert [rule.name for rule in retention.ENFORCED] == [
        "sent-mail records of background tasks",
        "sign-ups never confirmed",
        "expired sessions",
        "expired password-reset links",
        "two-factor set-ups never confirmed",
        "sent-reminder records",
        "expired data exports",
        "finished background tasks",
        "old purge records",
        "closed support conversations",
        "blog comment IP addresses",
        "rejected blog comments",
        "invoices past ten years",
        "applied payment-processor events",
    ]


@pytest.mark.django_db
def test_no_admin_page_shows_a_secret_field(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    secrets = registry.secret_fields()
    assert secrets
    for model, model_admin in admin.site._registry.items():
        names = secrets.get(model._meta.label, frozenset())
        shown = {
            *model_admin.get_fields(request),
            *model_admin.get_readonly_fields(request),
            *model_admin.get_list_display(request),
            *model_admin.get_search_fields(request),
        }
        assert not names & shown, model._meta.label


def test_a_table_declared_twice_is_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    user = registry.BY_LABEL["accounts.User"]
    monkeypatch.setattr(registry, "TASK_QUEUE_TABLES", [*registry.TASK_QUEUE_TABLES, user])
    before = list(registry.TABLES)
    with pytest.raises(ImproperlyConfigured, match=r"accounts\.User"):
        registry.discover()
    assert before == registry.TABLES
