"""Text written to a CSV file that a spreadsheet would run as a formula (CSV injection), and
back: every CSV Routinie writes guards its cells with `guard_formula`, and Routinie's own import
takes the guard off again with `unguard_formula`."""

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection);
    Routinie's own import takes it off again. Text that starts with an apostrophe gets one too,
    so that the import can tell "'=x" (typed so) from "=x" (guarded)."""
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def unguard_formula(text: str) -> str:
    """Undo the export's guard against spreadsheet formulas: "'=x" was exported for "=x", and
    "''x" for "'x"."""
    if len(text) > 1 and text[0] == "'" and (text[1] in FORMULA_STARTS or text[1] == "'"):
        return text[1:]
    return text
