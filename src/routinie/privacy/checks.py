"""The system check that keeps the registry complete (P01): every field of every installed
model is classified, and the registry names no field that no longer exists."""

from typing import Any

from django.apps import apps
from django.core import checks

from routinie.core.data_rules import Table
from routinie.privacy.registry import BY_LABEL


def model_fields() -> dict[str, list[str]]:
    """Every installed model (auto-created join tables included) and its stored fields."""
    return {
        model._meta.label: [f.name for f in model._meta.local_fields]
        + [f.name for f in model._meta.local_many_to_many]
        for model in apps.get_models(include_auto_created=True)
    }


def unclassified(registry: dict[str, Table]) -> list[str]:
    """`app.Model.field` of every stored field the registry does not classify."""
    missing = []
    for label, names in model_fields().items():
        table = registry.get(label)
        missing += [f"{label}.{n}" for n in names if table is None or n not in table.fields]
    return missing


def stale(registry: dict[str, Table]) -> list[str]:
    """Registry entries for models or fields that do not exist."""
    present = model_fields()
    return [
        f"{label}.{name}"
        for label, table in registry.items()
        for name in table.fields
        if name not in present.get(label, [])
    ]


@checks.register()
def registry_is_complete(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = [
        checks.Error(
            f"{name} is not in the personal-data registry.",
            hint="Classify it in its app's personal_data.py (Django's and the task queue's "
            "tables in src/routinie/privacy/registry.py): personal (category, purpose, "
            "retention), secret(...) or not_personal(...).",
            id="privacy.E001",
        )
        for name in unclassified(BY_LABEL)
    ]
    errors += [
        checks.Error(
            f"{name} is in the personal-data registry but no such field exists.",
            hint="Remove it from its app's personal_data.py (or src/routinie/privacy/registry.py).",
            id="privacy.E002",
        )
        for name in stale(BY_LABEL)
    ]
    return errors
