"""The privacy policy that ships with the platform: version 1, written in our own words, its
facts rendered from the registry, the cookie inventory and the operator settings."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TEXT_FILE = Path(__file__).resolve().parent / "texts" / "v1.md"
EFFECTIVE_AT = datetime(2026, 11, 1, tzinfo=UTC)


def first_version_fields() -> dict[str, Any]:
    from routinie.policy.facts import render_facts

    source = TEXT_FILE.read_text(encoding="utf-8")
    return {
        "effective_at": EFFECTIVE_AT,
        "published_at": EFFECTIVE_AT,
        "source": source,
        "text": render_facts(source),
        "summary": "First version of the Routinie privacy policy.",
        "reduces_rights": False,
    }


def ensure_first_version(model: Any = None) -> None:
    """Publish version 1 unless it exists (the migration, and tests after a flush)."""
    if model is None:
        from routinie.policy.models import PolicyVersion

        model = PolicyVersion
    # A migration passes the model as it was then: only the fields it had.
    names = {field.name for field in model._meta.get_fields()}
    fields = {name: value for name, value in first_version_fields().items() if name in names}
    model.objects.get_or_create(version=1, defaults=fields)
