"""The anonymity layer is the only path from the key-figure table to anything shown (P04)."""

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]  # src/routinie
# The computation, the layer's figure definitions, and the table's own declarations.
MAY_READ_KEY_FIGURES = {
    "stats/models.py",
    "stats/keyfigures.py",
    "stats/public_figures.py",
    "stats/staff_figures.py",
    "stats/personal_data.py",
}
NAMED = re.compile(r"\bKeyFigures\b")


def _python_files() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]


@pytest.mark.promise("P04")
def test_only_the_computation_and_the_layer_touch_the_key_figure_table():
    touching = {
        str(path.relative_to(SRC))
        for path in _python_files()
        if NAMED.search(path.read_text(encoding="utf-8"))
    }
    assert touching <= MAY_READ_KEY_FIGURES, touching - MAY_READ_KEY_FIGURES
    templates = [p for p in SRC.rglob("*.html") if NAMED.search(p.read_text(encoding="utf-8"))]
    assert templates == []


@pytest.mark.promise("P04")
def test_pages_and_the_api_read_published_releases_only():
    for name in ("views.py", "api.py", "selectors.py"):
        tree = ast.parse((SRC / "stats" / name).read_text(encoding="utf-8"))
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        forbidden = {"routinie.stats.keyfigures", "routinie.stats.chunk_figures"}
        assert not imported & forbidden, (name, imported & forbidden)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "routinie.stats.public_figures":
                assert {a.name for a in node.names} <= {"HOURS_CAP", "FIGURES", "BY_NAME"}, name


@pytest.mark.promise("P05")
def test_the_admin_offers_no_view_of_the_key_figure_rows():
    from django.contrib import admin

    from routinie.stats.models import KeyFigures

    assert KeyFigures not in admin.site._registry
