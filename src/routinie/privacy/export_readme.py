"""The export's README.txt, from the registry: each file and each column with its purpose,
category and retention, and what is left out on purpose."""

import textwrap
from datetime import UTC, datetime

from routinie.core.data_rules import Rule
from routinie.privacy.export_parts import Part

WIDTH = 78
INTRO = """\
This archive holds every personal field Routinie keeps about your account, as listed in our
register of personal data (the same register generates the page "The data we keep",
/privacy/data/). Each table is here twice, with the same rows and columns:

  <name>.json  a JSON list with one object per row;
  <name>.csv   the same rows as a spreadsheet: UTF-8, comma-separated, a header line.

Dates and times are ISO 8601, in UTC. A column ending in "_id" holds the id of a row of
another file (or of a row that is not yours, such as the staff member in staff accesses).
In the CSV files a text starting with =, +, -, @, a tab or a carriage return gets a
leading apostrophe (') so that a spreadsheet does not run it as a formula; the JSON files
hold every text unchanged.

Left out on purpose: secrets. Your password is kept only as a hash, your API tokens only
as hashes and your sessions by their keys; none of these is in this archive, so that a copy
of it can never be used to sign in as you. They are listed below as "a secret".
"""


def _wrapped(text: str, indent: str, then: str | None = None) -> str:
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if then is None else then,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _rule_text(rule: Rule) -> str:
    purpose = rule.purpose[:1].upper() + rule.purpose[1:]
    if not rule.personal:
        return f"{purpose}. Not personal. Kept: {rule.retention}."
    return f"{purpose}. Category: {rule.category}. Kept: {rule.retention}."


def _rows_text(count: int) -> str:
    return "1 row" if count == 1 else f"{count} rows"


def readme(parts: list[Part], counts: dict[str, int], exported_at: datetime) -> str:
    """README.txt: the export's date, then each file and each column, from the registry."""
    moment = exported_at.astimezone(UTC).replace(microsecond=0)
    title = "Your data from Routinie"
    lines = [
        title,
        "=" * len(title),
        "",
        f"Exported on {moment.day} {moment:%B %Y} at {moment:%H:%M} UTC"
        f" ({moment:%Y-%m-%dT%H:%M:%SZ}).",
        "",
        INTRO,
        "Files",
        "-----",
    ]
    for part in parts:
        json_file, csv_file = part.files
        lines += [
            "",
            f"{json_file}, {csv_file}",
            _wrapped(
                f"{part.table.holds[:1].upper()}{part.table.holds[1:]}: "
                f"{_rows_text(counts.get(part.base, 0))}.",
                "  ",
            ),
        ]
        for column in part.columns:
            lines += [f"  - {column.column}", _wrapped(_rule_text(column.rule), "      ")]
        for left in part.left_out:
            lines += [
                _wrapped(f"- {left.name}: {left.why}", "  ", "      "),
                _wrapped(_rule_text(left.rule), "      "),
            ]
    lines += ["", "README.txt", "  This file.", ""]
    return "\n".join(lines)
