"""The documentation keeps up with the code: every setting is documented in docs/settings.md,
and every relative link of the README and docs/ leads to a file and, with an anchor, to one of
its headings."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "routinie"
SETTINGS_DOC = ROOT / "docs" / "settings.md"
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# settings.py reads through env(), env_int(), env_bool() and env_float(); the web server's
# WEB_WORKERS and WEB_THREADS through _positive().
SETTING_READ = re.compile(
    r"""\b(?:env|env_int|env_bool|env_float|_positive)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~)")


def settings_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.relative_to(SOURCE).parts:
            continue
        names.update(SETTING_READ.findall(path.read_text(encoding="utf-8")))
    return names


def settings_documented() -> set[str]:
    """The names in the first column of the tables of docs/settings.md."""
    names: set[str] = set()
    for line in SETTINGS_DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    return names


def prose_lines(path: Path) -> list[str]:
    """The lines of a Markdown file outside fenced code blocks."""
    lines, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def anchor_of(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors_in(path: Path) -> set[str]:
    anchors: set[str] = set()
    for line in prose_lines(path):
        match = re.match(r"^#{1,6}\s+(.*)$", line)
        if match:
            anchors.add(anchor_of(match.group(1)))
    return anchors


def test_every_setting_the_code_reads_is_documented_in_docs_settings():
    read = settings_read_by_the_code()
    assert {"SECRET_KEY", "DATABASE_URL", "WEB_WORKERS", "STATS_K"} <= read  # the scan works
    missing = read - settings_documented()
    assert not missing, f"settings read by the code but not in docs/settings.md: {sorted(missing)}"


def test_docs_settings_names_no_setting_the_code_does_not_read():
    # The second table lists variables read by commands and tools, not by the settings.
    first_table = SETTINGS_DOC.read_text(encoding="utf-8").split("\n\n| variable | read by")[0]
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)`", first_table, flags=re.MULTILINE))
    stale = documented - settings_read_by_the_code()
    assert not stale, f"docs/settings.md documents settings nothing reads: {sorted(stale)}"


def test_heading_anchors_follow_githubs_rule():
    assert anchor_of("Accounts, passwords and sessions") == "accounts-passwords-and-sessions"
    assert anchor_of("The privacy policy, versioned (P15)") == "the-privacy-policy-versioned-p15"
    assert anchor_of("The `routinie` command") == "the-routinie-command"


def test_every_relative_link_of_the_readme_and_docs_resolves():
    broken = []
    for document in DOCUMENTS:
        for line in prose_lines(document):
            for target in LINK.findall(line):
                if re.match(r"^[a-z]+:", target):  # http:, https:, mailto:
                    continue
                file_part, _, anchor = target.partition("#")
                linked = (document.parent / file_part).resolve() if file_part else document
                name = f"{document.relative_to(ROOT)} → {target}"
                if not linked.is_file():
                    broken.append(f"{name}: no such file")
                elif anchor and linked.suffix == ".md" and anchor not in anchors_in(linked):
                    broken.append(f"{name}: no such heading")
    assert not broken, "\n".join(broken)
