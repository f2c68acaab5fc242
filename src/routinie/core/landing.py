"""Sections an app adds to the public landing page (`/`): the app registers a template and the
context it needs from its own `apps.py`, so core's page knows no app (billing adds the plans)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LandingSection:
    template: str
    context: Callable[[], dict[str, Any]]


_SECTIONS: dict[str, LandingSection] = {}


def register_landing_section(
    name: str, template: str, context: Callable[[], dict[str, Any]]
) -> None:
    _SECTIONS[name] = LandingSection(template, context)


def landing_sections() -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every registered section, in the order of their names."""
    return [(section.template, section.context()) for _, section in sorted(_SECTIONS.items())]
